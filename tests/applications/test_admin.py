"""The clerk's and the head's buttons in the admin: each transition and each clock action through the door they
click, with who may and what is left behind when they may not."""
import pytest
from django.urls import reverse

from apps.applications.constants import Status
from apps.applications.models import Application, SupplementRequest
from apps.deadlines.models import DeadlineEvent
from apps.documents.models import Document
from tests.workflow.door import history, outcome, press

from .factories import accepted, load_world, pdf, submitted

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(db):
    return load_world()


def proposed(world):
    from apps.applications.services import Proposal
    from apps.workflow.services import transition_perform

    return transition_perform(actor=world["clerk"], obj=accepted(world), name="propose",
                              params=Proposal(outcome="grant", opinion="材料齐全，现场核查符合条件"))


def endorsed(world):
    from apps.applications.services import ReviewOpinion
    from apps.workflow.services import transition_perform

    return transition_perform(actor=world["section_head"], obj=proposed(world), name="endorse",
                              params=ReviewOpinion(opinion="同意"))


def approved(world):
    from apps.workflow.services import transition_perform

    return transition_perform(actor=world["head"], obj=endorsed(world), name="approve")


# 食品经营许可 is signed 承办 → 审核 → 批准 (its flowchart: the department head decides; ServiceItem.signoff "full").
STEPS = {
    # transition: (how to get there, the form, who may, the state it leads to)
    "accept": (submitted, {}, {"clerk"}, Status.ACCEPTED),
    "refuse": (submitted, {"comment": "不属于本机关职权范围"}, {"clerk"}, Status.REFUSED),
    "propose": (accepted, {"outcome": "grant", "opinion": "材料齐全"}, {"clerk"}, Status.PROPOSED),
    "endorse": (proposed, {"opinion": "同意"}, {"section_head"}, Status.ENDORSED),
    "send_back": (proposed, {"reason": "现场核查记录不全"}, {"section_head"}, Status.ACCEPTED),
    "approve": (endorsed, {}, {"head"}, Status.APPROVED),
    "deny": (endorsed, {"comment": "现场核查不符合条件"}, {"head"}, Status.DENIED),
    "complete": (approved, {}, {"clerk"}, Status.COMPLETED),
}
DOCUMENTED = {"accept", "refuse", "approve", "deny"}  # the steps that issue a notice or a decision


@pytest.mark.parametrize("name", list(STEPS))
@pytest.mark.parametrize("who", [None, "citizen", "stranger", "clerk", "section_head", "head", "other_clerk",
                                 "other_head"])
def test_who_may_press_each_button(client, world, name, who):
    make, data, allowed, target = STEPS[name]
    application = make(world)
    before_history, documents = history(application), Document.objects.count()
    result = outcome(press(client, user=world[who] if who else None, obj=application, name=name, data=data))
    application.refresh_from_db()
    if who in allowed:
        assert result == "done" and application.status == target and history(application)[-1] == name
        if name != "complete":  # completing issues the licence's own document
            assert Document.objects.count() == documents + (name in DOCUMENTED)  # the notice or the decision
        return
    expected = {"login"} if who in (None, "citizen", "stranger") else {"hidden", "refused"}
    if who in ("other_clerk", "other_head"):
        expected = {"hidden"}  # another department's application answers 404
    assert result in expected
    assert history(application) == before_history and Document.objects.count() == documents
    assert application.status != target


def test_supplement_request_lists_every_material_at_once(client, world):
    application = submitted(world)
    materials = list(application.service.materials.order_by("order")[:2])
    # Nothing ticked: the rule of the transition explains it on the form, nothing is written.
    response = press(client, user=world["clerk"], obj=application, name="request_supplement",
                     data={"internal_note": "电话已告知"})
    assert outcome(response) == "refused" and "电话已告知" in response.content.decode()
    # A ticked material without what is wrong with it: named on the form.
    response = press(client, user=world["clerk"], obj=application, name="request_supplement",
                     data={f"pick_{materials[0].pk}": "on"})
    assert outcome(response) == "refused" and materials[0].name in response.content.decode()
    assert not SupplementRequest.objects.exists()
    assert Application.objects.get(pk=application.pk).status == Status.SUBMITTED
    response = press(client, user=world["clerk"], obj=application, name="request_supplement", data={
        f"pick_{materials[0].pk}": "on", f"note_{materials[0].pk}": "复印件不清晰",
        f"note_{materials[1].pk}": "缺少签字"})  # a note alone counts as ticked
    assert outcome(response) == "done"
    request = SupplementRequest.objects.get()
    assert [item["note"] for item in request.items] == ["复印件不清晰", "缺少签字"]
    assert Application.objects.get(pk=application.pk).status == Status.SUPPLEMENT_REQUESTED


def test_complete_with_the_result_document(client, world):
    application = endorsed(world)
    press(client, user=world["head"], obj=application, name="approve")
    response = press(client, user=world["clerk"], obj=application, name="complete", data={"result": pdf("许可证.pdf")})
    assert outcome(response) == "done"
    application.refresh_from_db()
    assert application.status == Status.COMPLETED and application.completed_at


def _clock(client, user, application, action, data=None):
    client.logout()
    client.force_login(user)
    url = reverse("admin:applications_application_clock", args=[application.pk, action])
    return client.post(url, data or {})


def test_the_admin_offers_the_clock_actions_the_rule_allows(client, world):
    application = accepted(world)
    change = reverse("admin:applications_application_change", args=[application.pk])
    start = reverse("admin:applications_application_clock", args=[application.pk, "procedure_start"])
    end = reverse("admin:applications_application_clock", args=[application.pk, "procedure_end"])
    extend = reverse("admin:applications_application_clock", args=[application.pk, "extend"])
    client.force_login(world["clerk"])
    page = client.get(change).content.decode()
    assert start in page and end not in page and extend not in page
    client.force_login(world["head"])
    page = client.get(change).content.decode()
    assert extend in page and start not in page
    # The head extends once, with a reason; the second time the button is gone and the door refuses.
    response = _clock(client, world["head"], application, "extend", {"days": 5, "reason": "需现场核查"})
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.extension_used
    assert extend not in client.get(change).content.decode()
    events = DeadlineEvent.objects.count()
    response = _clock(client, world["head"], application, "extend", {"days": 5, "reason": "再延"})
    assert response.status_code == 200 and "已延长过一次" in response.content.decode()
    assert DeadlineEvent.objects.count() == events


def test_a_clerk_cannot_extend_and_a_head_cannot_start_a_procedure(client, world):
    application = accepted(world)
    events = DeadlineEvent.objects.count()
    response = _clock(client, world["clerk"], application, "extend", {"days": 5, "reason": "x"})
    assert response.status_code == 200 and "只有部门负责人" in response.content.decode()
    response = _clock(client, world["head"], application, "procedure_start", {"procedure": "听证", "reason": "x"})
    assert response.status_code == 200
    response = _clock(client, world["other_clerk"], application, "procedure_start",
                      {"procedure": "听证", "reason": "x"})
    assert response.status_code == 404
    application.refresh_from_db()
    assert not application.extension_used and DeadlineEvent.objects.count() == events
    # The clerk starts and ends a special procedure.
    assert _clock(client, world["clerk"], application, "procedure_start",
                  {"procedure": "听证", "reason": "申请人要求听证"}).status_code == 302
    response = _clock(client, world["clerk"], application, "procedure_end")
    assert response.status_code == 302, response.content.decode()[response.content.decode().find('id="content-main"'):][:1500]


@pytest.mark.parametrize("name", ["accept", "refuse", "request_supplement", "propose", "endorse", "send_back",
                                  "approve", "deny", "complete"])
def test_each_action_page_says_what_it_will_do(client, world, name):
    from tests.workflow.door import action_page

    make = {"request_supplement": submitted}.get(name) or STEPS[name][0]
    application = make(world)
    who = {"endorse": "section_head", "send_back": "section_head", "approve": "head", "deny": "head"}.get(name, "clerk")
    page = action_page(client, user=world[who], obj=application, name=name)
    if name in ("propose", "endorse", "send_back"):
        assert "不向申请人显示" in page or "部门负责人阅" in page  # staff-only opinions: the labels say who reads them
    else:
        assert "给申请人" in page or "申请人可见" in page  # the comment is for the applicant: the label says so
    # Opening the page changed nothing.
    assert history(application)[-1] != name


def test_supplement_page_lists_the_files_being_judged(client, world):
    from apps.applications.selectors import application_materials
    from tests.workflow.door import action_page

    application = submitted(world)
    page = action_page(client, user=world["clerk"], obj=application, name="request_supplement")
    uploaded = [s for s in application_materials(application=application) if s.attachment]
    assert uploaded
    for state in uploaded:
        link = reverse("attachments:download", args=[state.attachment.pk])
        assert f'href="{link}"' in page and state.attachment.original_name in page
        # The link opens for the clerk (the download's own permission check), not for a stranger.
        assert client.get(link).status_code == 200
    client.force_login(world["stranger"])
    assert client.get(reverse("attachments:download", args=[uploaded[0].attachment.pk])).status_code in (403, 404)


def _resubmitted(world):
    """A submitted application sent back for supplementation and resubmitted, through the doors people use."""
    from apps.applications import services
    from apps.workflow.services import transition_perform

    application = submitted(world)
    material = world["service"].materials.filter(required=True).first()
    transition_perform(actor=world["clerk"], obj=application, name="request_supplement",
                       params=services.Supplement(items=[services.SupplementItem(material_id=material.pk,
                                                                                 note="复印件不清晰")]))
    services.application_upload_material(actor=world["citizen"], application=application, material=material,
                                         upload=pdf())
    return transition_perform(actor=world["citizen"], obj=application, name="resubmit")


def test_each_role_starts_from_its_own_counts(client, world, django_assert_max_num_queries):
    import datetime as dt

    from django.utils import timezone

    from apps.deadlines.services import deadlines_sweep_run
    from tests.workflow.door import assert_counts_match_lists, dashboard

    submitted(world), submitted(world), _resubmitted(world), accepted(world)
    submitted(world, service=world["other_service"])  # another department's
    client.force_login(world["clerk"])
    # one capped COUNT per queue; the follow-up checks' queue (告知承诺制) has its own base (+3)
    with django_assert_max_num_queries(17):
        client.get(reverse("admin:index"))
    clerk = dashboard(client, user=world["clerk"])
    assert set(clerk) == {"applications.to_accept", "applications.resubmitted", "applications.due_soon",
                          "applications.overdue", "applications.to_decide", "applications.checks"}
    assert clerk["applications.to_accept"][0] == "3" and clerk["applications.resubmitted"][0] == "1"
    assert clerk["applications.to_decide"][0] == "1" and clerk["applications.overdue"][0] == "0"
    assert_counts_match_lists(client, clerk)
    # Another department's clerk sees their own numbers only.
    other = dashboard(client, user=world["other_clerk"])
    assert other["applications.to_accept"][0] == "1" and other["applications.to_decide"][0] == "0"
    assert_counts_match_lists(client, other)
    # Time passes (the beat's sweep): every open clock is late.
    deadlines_sweep_run(now=timezone.now() + dt.timedelta(days=60))
    clerk = dashboard(client, user=world["clerk"])
    assert clerk["applications.overdue"][0] == "4"
    assert_counts_match_lists(client, clerk)
    # The head: what is late and what may need the one extension — not the clerk's intake.
    head = dashboard(client, user=world["head"])
    # The head also answers for overdue information requests, escalated grid cases and commitments to check.
    assert set(head) == {"applications.overdue", "applications.extendable", "applications.to_approve",
                         "applications.rectifications", "applications.checks", "information_requests.overdue",
                         "grid.escalated"}
    assert head["applications.overdue"][0] == "4" and head["applications.extendable"][0] == "1"
    assert_counts_match_lists(client, head)
    # The calendar warning is for who may enter the calendar, not for the clerk.
    page = client.get(reverse("admin:index")).content.decode()
    assert 'data-queue="calendar"' not in page and "messagelist" not in page
