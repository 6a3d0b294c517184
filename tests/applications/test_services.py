import datetime as dt
import re

import pytest
from django.core import mail
from django.utils import timezone

from apps.applications import services
from apps.applications.constants import Stage, Status
from apps.applications.exceptions import ApplicationError
from apps.applications.models import Application, Rectification
from apps.deadlines.constants import DeadlineStatus
from apps.deadlines.models import Deadline
from apps.deadlines.selectors import deadline_for_stage
from apps.documents.models import Document
from apps.notifications.models import Notification
from apps.workflow.exceptions import AlreadyHandled, TransitionForbidden, TransitionInvalid
from apps.workflow.models import TimelineEntry
from apps.workflow.services import transition_perform
from apps.applications.services import Completion, Declaration, Supplement, SupplementItem
from tests.applications.factories import accepted, approve, draft_with_materials, load_world, pdf, submitted

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(roles):
    return load_world()


def snapshot():
    return (list(Application.objects.values_list("pk", "status")), TimelineEntry.objects.count(),
            Document.objects.count(), Notification.objects.count(), Deadline.objects.count())


def test_submit_gives_reference_receipt_clock_and_notifications(world, django_capture_on_commit_callbacks):
    application = draft_with_materials(world)
    with django_capture_on_commit_callbacks(execute=True):
        application = transition_perform(actor=world["citizen"], obj=application, name="submit",
                                         params=Declaration(declaration=True))
    assert application.status == Status.SUBMITTED
    # The day's number and a random tail, so that the next reference cannot be guessed from this one (issue 14).
    assert re.fullmatch(rf"YW-{timezone.localdate():%Y%m%d}-000001-[2-9A-HJKMNP-Z]{{4}}", application.reference)
    receipt = Document.objects.get(kind="application_receipt")
    assert receipt.file and receipt.context["items"]
    clock = deadline_for_stage(obj=application, stage=Stage.ACCEPTANCE)
    assert (clock.limit, clock.unit, clock.due_soon_before) == (5, "working_days", 2)
    assert Notification.objects.filter(recipient=world["clerk"]).exists()
    assert [m.to for m in mail.outbox] == [["citizen@example.com"]]


def test_submit_refuses_missing_materials_or_declaration_and_changes_nothing(world):
    application = services.application_start(applicant=world["citizen"], service=world["service"])
    before = snapshot()
    with pytest.raises(TransitionInvalid, match="请上传"):
        transition_perform(actor=world["citizen"], obj=application, name="submit", params=Declaration(declaration=True))
    application = draft_with_materials(world)
    with pytest.raises(TransitionInvalid, match="声明"):
        transition_perform(actor=world["citizen"], obj=application, name="submit")
    assert snapshot()[0] == before[0] and snapshot()[2:] == before[2:]


def test_conditional_material_becomes_needed_when_its_situation_applies(world):
    application = draft_with_materials(world)
    conditional = world["service"].materials.filter(required=False).first()
    services.application_update(actor=world["citizen"], application=application, phone=world["citizen"].phone,
                                email="", address="", description="", conditions_met=[conditional.pk, 999999])
    application.refresh_from_db()
    assert application.conditions_met == [conditional.pk]
    with pytest.raises(TransitionInvalid, match=conditional.name[:6]):
        transition_perform(actor=world["citizen"], obj=application, name="submit", params=Declaration(declaration=True))


def test_one_draft_per_service_and_double_submit_makes_one_application(world):
    first = services.application_start(applicant=world["citizen"], service=world["service"])
    assert services.application_start(applicant=world["citizen"], service=world["service"]) == first
    application = draft_with_materials(world)
    transition_perform(actor=world["citizen"], obj=application, name="submit", params=Declaration(declaration=True))
    with pytest.raises(AlreadyHandled):
        transition_perform(actor=world["citizen"], obj=application, name="submit", params=Declaration(declaration=True))
    assert Application.objects.exclude(status=Status.DRAFT).count() == 1


def test_supplement_once_in_full_then_resubmit_restarts_the_acceptance_clock(world, django_capture_on_commit_callbacks):
    application = submitted(world)
    materials = list(world["service"].materials.filter(required=True)[:2])
    items = [SupplementItem(material_id=m.pk, note="复印件不清晰") for m in materials]
    with pytest.raises(TransitionInvalid):
        transition_perform(actor=world["clerk"], obj=application, name="request_supplement",
                           params=Supplement(items=[SupplementItem(material_id=materials[0].pk, note=" ")]))
    application = transition_perform(actor=world["clerk"], obj=application, name="request_supplement",
                                     params=Supplement(items=items))
    notice = Document.objects.get(kind="application_supplement_notice")
    assert [i["name"] for i in notice.context["items"]] == [m.name for m in materials]
    clock = deadline_for_stage(obj=application, stage=Stage.ACCEPTANCE)
    assert clock.status == DeadlineStatus.PAUSED
    # Only the listed materials may be replaced, and all of them must be before resubmitting.
    unlisted = world["service"].materials.exclude(pk__in=[m.pk for m in materials]).first()
    with pytest.raises(ApplicationError):
        services.application_upload_material(actor=world["citizen"], application=application, material=unlisted,
                                             upload=pdf())
    services.application_upload_material(actor=world["citizen"], application=application, material=materials[0],
                                         upload=pdf())
    with pytest.raises(TransitionInvalid, match=materials[1].name[:4]):
        transition_perform(actor=world["citizen"], obj=application, name="resubmit")
    services.application_upload_material(actor=world["citizen"], application=application, material=materials[1],
                                         upload=pdf())
    application = transition_perform(actor=world["citizen"], obj=application, name="resubmit")
    clock.refresh_from_db()
    assert application.status == Status.SUBMITTED and clock.cycle == 2 and clock.paused_at is None
    assert clock.status == DeadlineStatus.RUNNING


def test_accept_starts_the_decision_clock_at_the_promised_limit(world):
    application = accepted(world)
    decision = deadline_for_stage(obj=application, stage=Stage.DECISION)
    assert decision.limit == 10 and application.current_deadline == decision
    assert deadline_for_stage(obj=application, stage=Stage.ACCEPTANCE).status == DeadlineStatus.MET
    assert Document.objects.filter(kind="application_acceptance_notice").exists()


def test_special_procedure_pauses_and_the_head_extends_once(world):
    application = accepted(world)
    decision = deadline_for_stage(obj=application, stage=Stage.DECISION)
    due = decision.due_at
    with pytest.raises(TransitionForbidden):
        services.application_special_procedure_start(actor=world["other_clerk"], application=application,
                                                     procedure="专家评审", reason="x")
    services.application_special_procedure_start(actor=world["clerk"], application=application,
                                                 procedure="专家评审", reason="需组织专家现场评审")
    decision.refresh_from_db()
    assert decision.status == DeadlineStatus.PAUSED
    services.application_special_procedure_end(actor=world["clerk"], application=application)
    with pytest.raises(TransitionForbidden):
        services.application_extend(actor=world["clerk"], application=application, days=5, reason="x")
    with pytest.raises(TransitionInvalid):
        services.application_extend(actor=world["head"], application=application, days=11, reason="情况复杂")
    services.application_extend(actor=world["head"], application=application, days=10, reason="情况复杂，需补充核查")
    decision.refresh_from_db()
    assert decision.extension == 10 and decision.due_at > due
    application.refresh_from_db()
    assert application.due_at == decision.due_at  # the queue sorts by this copy
    with pytest.raises(ApplicationError, match="已延长"):
        services.application_extend(actor=world["head"], application=application, days=1, reason="再次")
    assert TimelineEntry.objects.filter(public_label__contains="延长", comment="情况复杂，需补充核查").exists()


def test_approve_complete_and_a_poor_rating_opens_a_rectification(world):
    application = accepted(world)
    application = approve(world, application)
    application = transition_perform(actor=world["clerk"], obj=application, name="complete",
                                     params=Completion(results=[pdf("许可证.pdf")]))
    assert application.status == Status.COMPLETED
    assert Document.objects.filter(kind="application_approval_decision").exists()
    with pytest.raises(TransitionForbidden):
        services.application_rate(actor=world["stranger"], application=application, level=1)
    services.application_rate(actor=world["citizen"], application=application, level=1, comment="等太久")
    rectification = Rectification.objects.get()
    clock = deadline_for_stage(obj=rectification, stage=Stage.RECTIFICATION)
    assert clock.limit == 15 and Notification.objects.filter(recipient=world["head"]).exists()
    with pytest.raises(ApplicationError):
        services.application_rate(actor=world["citizen"], application=application, level=5)
    with pytest.raises(TransitionForbidden):
        services.rectification_close(actor=world["clerk"], rectification=rectification, response="已整改")
    services.rectification_close(actor=world["head"], rectification=rectification, response="已约谈经办人并整改")
    clock.refresh_from_db()
    assert clock.status == DeadlineStatus.MET


@pytest.mark.parametrize("name, data", [("refuse", {"reason": "不属于本机关职权范围"}),
                                        ("withdraw", {})])
def test_refuse_and_withdraw_close_the_clock(world, name, data):
    application = submitted(world)
    actor = world["citizen"] if name == "withdraw" else world["clerk"]
    application = transition_perform(actor=actor, obj=application, name=name, comment=data.get("reason", ""))
    clock = deadline_for_stage(obj=application, stage=Stage.ACCEPTANCE)
    assert not clock.is_open and application.current_deadline is None


@pytest.mark.parametrize("name", ["accept", "refuse", "request_supplement"])
@pytest.mark.parametrize("who", ["citizen", "stranger", "other_clerk", "head", "other_head"])
def test_who_may_not_act_on_a_submitted_application(world, name, who):
    application = submitted(world)
    before = snapshot()
    with pytest.raises(TransitionForbidden):
        transition_perform(actor=world[who], obj=application, name=name, comment="理由",
                           params=Supplement(items=[SupplementItem(material_id=1, note="x")]))
    assert snapshot() == before


def test_acceptance_clock_over_national_day_restarted_by_resubmission(world):
    """Submitted Fri 26 Sep 2025, supplementation asked Mon 29 Sep, resubmitted Thu 9 Oct after the holiday."""
    from apps.deadlines.services import deadline_pause, deadline_restart, deadline_start

    application = submitted(world)
    clock = deadline_start(obj=application, stage="acceptance-check", label="受理", unit="working_days", limit=5,
                           started_at=timezone.make_aware(dt.datetime(2025, 9, 26, 10)))
    assert timezone.localtime(clock.due_at).date() == dt.date(2025, 10, 10)
    clock = deadline_pause(deadline=clock, reason="补正", at=timezone.make_aware(dt.datetime(2025, 9, 29, 10)))
    clock = deadline_restart(deadline=clock, at=timezone.make_aware(dt.datetime(2025, 10, 9, 15)))
    # Five working days after Thu 9 Oct: Fri 10, Sat 11 (调休), Mon 13, Tue 14, Wed 15.
    assert timezone.localtime(clock.due_at).date() == dt.date(2025, 10, 15)


def test_decision_clock_over_national_day_paused_by_a_procedure_and_extended(world):
    """Accepted Thu 25 Sep 2025 with a 10-working-day promise; 专家评审 from Mon 29 Sep to Fri 10 Oct; the head adds 5."""
    from apps.deadlines.services import deadline_extend, deadline_pause, deadline_resume, deadline_start

    application = submitted(world)
    at = lambda *args: timezone.make_aware(dt.datetime(*args))  # noqa: E731
    clock = deadline_start(obj=application, stage="decision-check", label="决定", unit="working_days", limit=10,
                           started_at=at(2025, 9, 25, 9))
    # 26, 28 (调休), 29, 30 Sep, then 1–8 Oct off, 9, 10, 11 (调休), 13, 14, 15 Oct.
    assert timezone.localtime(clock.due_at).date() == dt.date(2025, 10, 15)
    clock = deadline_pause(deadline=clock, reason="专家评审", at=at(2025, 9, 29, 10))
    clock = deadline_resume(deadline=clock, at=at(2025, 10, 10, 16))
    # Paused working days: 30 Sep, 9 and 10 Oct (the holiday was never counted): due three working days later.
    assert timezone.localtime(clock.due_at).date() == dt.date(2025, 10, 20)
    clock = deadline_extend(deadline=clock, units=5, reason="情况复杂")
    assert timezone.localtime(clock.due_at).date() == dt.date(2025, 10, 27)


@pytest.mark.parametrize("name, state", [("approve", "accepted"), ("deny", "accepted"), ("complete", "approved")])
@pytest.mark.parametrize("who", ["citizen", "stranger", "other_clerk", "head"])
def test_who_may_not_decide_or_complete(world, name, state, who):
    application = accepted(world)
    if state == "approved":
        application = approve(world, application)
    before = snapshot()
    with pytest.raises(TransitionForbidden):
        transition_perform(actor=world[who], obj=application, name=name, comment="理由")
    assert snapshot() == before


@pytest.mark.parametrize("name", ["resubmit", "withdraw"])
@pytest.mark.parametrize("who", ["stranger", "clerk", "head"])
def test_only_the_applicant_resubmits_or_withdraws(world, name, who):
    application = submitted(world)
    material = world["service"].materials.filter(required=True).first()
    application = transition_perform(actor=world["clerk"], obj=application, name="request_supplement",
                                     params=Supplement(items=[SupplementItem(material_id=material.pk, note="不清晰")]))
    before = snapshot()
    with pytest.raises(TransitionForbidden):
        transition_perform(actor=world[who], obj=application, name=name)
    assert snapshot() == before
