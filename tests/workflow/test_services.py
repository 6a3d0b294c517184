import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.db import connection, transaction
from guardian.shortcuts import assign_perm

from apps.attachments.models import Attachment
from apps.deadlines.constants import DeadlineStatus
from apps.deadlines.selectors import deadline_for_stage
from apps.documents.models import Document
from apps.notifications.models import Notification
from apps.workflow.exceptions import AlreadyHandled, TransitionForbidden, TransitionInvalid
from apps.workflow.models import TimelineEntry
from apps.workflow.selectors import case_can_view, timeline_for_staff, timeline_public, transitions_available
from apps.workflow.services import transition_perform
from tests.accounts.factories import StaffFactory
from tests.example_app.factories import make_world, submit
from tests.example_app.models import ExampleCase

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(roles):
    return make_world()


def snapshot(case):
    return {
        "status": ExampleCase.objects.get(pk=case.pk).status,
        "timeline": TimelineEntry.objects.count(),
        "documents": Document.objects.count(),
        "notifications": Notification.objects.count(),
        "attachments": Attachment.objects.count(),
        "mail": len(mail.outbox),
    }


def test_clerk_accepts_and_everything_follows(world, django_capture_on_commit_callbacks):
    case = submit(world)
    with django_capture_on_commit_callbacks(execute=True):
        case = transition_perform(actor=world["clerk"], obj=case, name="accept", comment="材料齐全",
                                  internal_note="已电话核实")
    assert case.status == "accepted"
    entry = timeline_for_staff(obj=case).last()
    assert (entry.actor, entry.from_state, entry.to_state, entry.transition) == (world["clerk"], "submitted",
                                                                                  "accepted", "accept")
    assert deadline_for_stage(obj=case, stage="acceptance").status == DeadlineStatus.MET
    assert deadline_for_stage(obj=case, stage="decision").status == DeadlineStatus.RUNNING
    document = Document.objects.get()
    assert document.number.startswith("盘例受字〔") and document.file
    assert Notification.objects.filter(recipient=world["applicant"]).count() == 1
    assert [m.to for m in mail.outbox] == [["applicant@example.com"]]


def test_refusal_requires_reasons_and_a_failed_attempt_leaves_nothing(world):
    case = submit(world)
    before = snapshot(case)
    with pytest.raises(TransitionInvalid) as info:
        transition_perform(actor=world["clerk"], obj=case, name="refuse", comment="  ")
    assert info.value.field == "reason" and "理由" in str(info.value)
    assert snapshot(case) == before


@pytest.mark.parametrize("field", ["comment", "internal_note"])
def test_every_text_of_a_step_is_bounded_at_the_door(world, field):
    from apps.workflow.services import TEXT_MAX

    case = submit(world)
    before = snapshot(case)
    texts = {"comment": "理由", "internal_note": "", field: "字" * (TEXT_MAX + 1)}
    with pytest.raises(TransitionInvalid) as info:
        transition_perform(actor=world["clerk"], obj=case, name="refuse", **texts)
    assert info.value.field == field
    assert snapshot(case) == before
    transition_perform(actor=world["clerk"], obj=case, name="refuse", comment="字" * TEXT_MAX)  # the bound itself


@pytest.mark.parametrize("who", ["anonymous", "applicant", "stranger", "other_clerk", "no_role_staff", "head"])
def test_who_may_not_accept_and_nothing_is_left_behind(world, who):
    from django.contrib.auth.models import AnonymousUser

    case = submit(world)
    actor = AnonymousUser() if who == "anonymous" else world[who]
    before = snapshot(case)
    with pytest.raises(TransitionForbidden):
        transition_perform(actor=actor, obj=case, name="accept")
    assert snapshot(case) == before


def test_superuser_and_a_granted_clerk_of_another_department_may_accept(world):
    root = StaffFactory(department=None, is_superuser=True)
    assert transition_perform(actor=root, obj=submit(world), name="accept").status == "accepted"
    case = submit(world)
    assign_perm("example_app.view_examplecase", world["other_clerk"], case)
    assert transition_perform(actor=world["other_clerk"], obj=case, name="accept").status == "accepted"


def test_only_the_applicant_withdraws(world):
    case = submit(world)
    with pytest.raises(TransitionForbidden):
        transition_perform(actor=world["stranger"], obj=case, name="withdraw")
    with pytest.raises(TransitionForbidden):
        transition_perform(actor=world["clerk"], obj=case, name="withdraw")
    case = transition_perform(actor=world["applicant"], obj=case, name="withdraw")
    assert case.status == "withdrawn"
    assert timeline_for_staff(obj=case).last().actor_is_owner


def test_second_press_is_told_the_case_was_already_handled(world):
    case = submit(world)
    transition_perform(actor=world["clerk"], obj=case, name="accept")
    before = snapshot(case)
    with pytest.raises(AlreadyHandled) as info:
        transition_perform(actor=world["clerk"], obj=case, name="refuse", comment="材料不全")
    assert "已被处理" in str(info.value) and "已受理" in str(info.value)
    assert snapshot(case) == before


def test_available_transitions_depend_on_actor_and_state(world):
    case = submit(world)
    assert {t.name for t in transitions_available(user=world["clerk"], obj=case)} == {"accept", "refuse"}
    assert {t.name for t in transitions_available(user=world["applicant"], obj=case)} == {"withdraw"}
    assert transitions_available(user=world["other_clerk"], obj=case) == []


@pytest.mark.parametrize("who, visible", [("applicant", True), ("clerk", True), ("head", True), ("no_role_staff", False),
                                          ("stranger", False), ("other_clerk", False)])
def test_who_sees_the_case(world, who, visible):
    assert case_can_view(user=world[who], obj=submit(world)) is visible


def test_public_timeline_hides_staff_names_and_internal_notes(world):
    case = submit(world)
    transition_perform(actor=world["clerk"], obj=case, name="refuse", comment="缺少营业执照",
                       internal_note="申请人多次来电，态度不好")
    rows = timeline_public(obj=case)
    assert [r["label"] for r in rows] == ["提交申请", "不予受理"]
    text = repr(rows)
    assert "缺少营业执照" in text
    assert "王窗口" not in text and "态度不好" not in text and world["clerk"].username not in text


def test_timeline_is_append_only(world):
    case = submit(world)
    entry = TimelineEntry.objects.first()
    entry.comment = "改写历史"
    with pytest.raises(PermissionDenied):
        entry.save()
    with pytest.raises(PermissionDenied):
        entry.delete()
    with pytest.raises(PermissionDenied):
        TimelineEntry.objects.filter(pk=entry.pk).update(comment="x")
    with pytest.raises(PermissionDenied):
        TimelineEntry.objects.all().delete()
    if connection.vendor == "postgresql":  # the database refuses it too, even in raw SQL
        for sql in ("UPDATE workflow_timelineentry SET comment = 'x'", "DELETE FROM workflow_timelineentry"):
            with pytest.raises(Exception, match="append-only"), transaction.atomic():
                with connection.cursor() as cursor:
                    cursor.execute(sql)
    assert TimelineEntry.objects.get(pk=entry.pk).comment == ""
    assert case.pk


def test_the_timeline_keeps_what_json_holds_of_typed_parameters():
    from django.core.files.uploadedfile import SimpleUploadedFile

    from apps.applications.services import Supplement, SupplementItem
    from apps.grid.services import Handling
    from apps.workflow.services import _json_safe

    assert _json_safe(Supplement(items=[SupplementItem(material_id=7, note="复印件不清晰")])) == {
        "items": [{"material_id": 7, "note": "复印件不清晰"}]}
    upload = SimpleUploadedFile("现场.png", b"\x89PNG", content_type="image/png")
    assert _json_safe(Handling(result="已清运", photos=[upload])) == {"result": "已清运", "photos": [],
                                                                       "staff_only": False}
    assert _json_safe(None) == {}


def test_an_internal_step_declares_who_runs_it():
    from apps.workflow.spec import Transition

    with pytest.raises(TypeError):
        Transition("stop", {"a"}, "b", "停止", internal=True)
    with pytest.raises(TypeError):
        Transition("stop", {"a"}, "b", "停止", run_by={"x.y.z"})
