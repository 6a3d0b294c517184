"""Decisions signed by who may sign (issue 16): 承办 → 审核 → 批准 per item, each step by its role through the admin's
buttons, nobody signing twice, the decision naming its signers, and 办结 only with its result."""
import pytest
from django.urls import reverse

from apps.applications.constants import SignOff, Status
from apps.applications.models import Application
from apps.documents.models import Document
from apps.notifications.models import Notification
from apps.organizations.constants import Role
from tests.accounts.factories import StaffFactory
from tests.workflow.door import history, outcome, press

from .factories import accepted, load_world, pdf, press_decision

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(db):
    return load_world()


def configure(world, signoff):
    """The item's sign-off, as an administrator sets it on the service item."""
    service = world["service"]
    service.signoff = signoff
    service.save(update_fields=["signoff"])


def buttons(client, user, application):
    client.force_login(user)
    page = client.get(reverse("admin:applications_application_change", args=[application.pk])).content.decode()
    return {name for name in ("propose", "propose_to_head", "endorse", "send_back", "approve", "deny", "complete")
            if f"/transition/{name}/" in page}


def propose(client, world, application, name="propose", **data):
    return press(client, user=world["clerk"], obj=application, name=name,
                 data={"outcome": "grant", "opinion": "材料齐全，现场核查符合条件", **data})


def test_full_chain_each_step_by_its_role(client, world):
    application = accepted(world)
    assert buttons(client, world["clerk"], application) == {"propose"}  # the clerk proposes, does not decide
    assert buttons(client, world["head"], application) == set()
    assert outcome(propose(client, world, application)) == "done"
    application.refresh_from_db()
    assert application.status == Status.PROPOSED and application.proposal["by"] == world["clerk"].pk
    assert Notification.objects.filter(recipient=world["section_head"], title__contains="待审核").exists()
    assert buttons(client, world["head"], application) == set()  # 批准 waits for 审核
    assert buttons(client, world["section_head"], application) == {"endorse", "send_back"}
    response = press(client, user=world["section_head"], obj=application, name="endorse", data={"opinion": "同意"})
    assert outcome(response) == "done"
    application.refresh_from_db()
    assert application.status == Status.ENDORSED
    assert buttons(client, world["head"], application) == {"approve", "deny", "send_back"}
    assert buttons(client, world["clerk"], application) == set()
    assert outcome(press(client, user=world["head"], obj=application, name="approve")) == "done"
    application.refresh_from_db()
    assert application.status == Status.APPROVED
    decision = Document.objects.get(object_id=str(application.pk), kind="application_approval_decision")
    assert decision.context["signers"] == [
        {"role": "承办人", "name": world["clerk"].display_name},
        {"role": "审核人", "name": world["section_head"].display_name},
        {"role": "批准人", "name": world["head"].display_name}]
    # The public verification page names them too.
    page = client.get(reverse("documents:verify", args=[decision.verification_code])).content.decode()
    assert "批准人：" + world["head"].display_name in page


@pytest.mark.parametrize("who, name", [
    ("clerk", "approve"), ("head", "approve"), ("section_head", "approve"), ("head", "propose"),
    ("section_head", "propose"), ("other_clerk", "propose"), ("other_head", "approve"),
])
def test_who_may_not_take_a_signoff_step_leaves_nothing(client, world, who, name):
    application = accepted(world)
    before, documents = history(application), Document.objects.count()
    result = outcome(press(client, user=world[who], obj=application, name=name,
                           data={"outcome": "grant", "opinion": "x"}))
    assert result == ("hidden" if who.startswith("other") else "refused")
    application.refresh_from_db()
    assert application.status == Status.ACCEPTED and history(application) == before
    assert Document.objects.count() == documents and application.proposal == {}


def test_the_section_head_and_the_clerk_cannot_approve_an_endorsed_one(client, world):
    application = accepted(world)
    propose(client, world, application)
    press(client, user=world["section_head"], obj=application, name="endorse", data={"opinion": "同意"})
    for who in ("clerk", "section_head"):
        assert outcome(press(client, user=world[who], obj=application, name="approve")) == "refused"
    assert Application.objects.get(pk=application.pk).status == Status.ENDORSED


def test_nobody_signs_two_steps_of_one_decision(client, world):
    """A department head who also holds the clerk's role proposes; approving it takes another head."""
    configure(world, SignOff.HEAD)
    both = StaffFactory(department=world["service"].department, roles=[Role.CLERK, Role.DEPARTMENT_HEAD])
    application = accepted(world)
    assert buttons(client, world["clerk"], application) == {"propose_to_head"}
    response = press(client, user=both, obj=application, name="propose_to_head",
                     data={"outcome": "grant", "opinion": "符合条件"})
    assert outcome(response) == "done"
    application.refresh_from_db()
    assert application.status == Status.ENDORSED  # 承办 → 批准: no review step
    assert buttons(client, both, application) == set()
    assert outcome(press(client, user=both, obj=application, name="approve")) == "refused"
    assert Application.objects.get(pk=application.pk).status == Status.ENDORSED
    assert outcome(press(client, user=world["head"], obj=application, name="approve")) == "done"
    decision = Document.objects.get(object_id=str(application.pk), kind="application_approval_decision")
    assert [s["role"] for s in decision.context["signers"]] == ["承办人", "批准人"]
    assert decision.context["signers"][0]["name"] == both.display_name


def test_a_section_head_does_not_review_their_own_proposal(client, world):
    both = StaffFactory(department=world["service"].department, roles=[Role.CLERK, Role.SECTION_HEAD])
    application = accepted(world)
    press(client, user=both, obj=application, name="propose", data={"outcome": "grant", "opinion": "符合"})
    assert outcome(press(client, user=both, obj=application, name="endorse")) == "refused"
    assert outcome(press(client, user=world["section_head"], obj=application, name="endorse")) == "done"


def test_the_clerk_decides_alone_where_the_item_says_so(client, world):
    configure(world, SignOff.CLERK)
    application = accepted(world)
    assert buttons(client, world["clerk"], application) == {"approve", "deny"}
    assert buttons(client, world["head"], application) == set()
    assert outcome(press(client, user=world["head"], obj=application, name="approve")) == "refused"
    assert outcome(press(client, user=world["clerk"], obj=application, name="approve")) == "done"
    decision = Document.objects.get(object_id=str(application.pk), kind="application_approval_decision")
    assert decision.context["signers"] == [{"role": "承办人", "name": world["clerk"].display_name}]


def test_a_proposal_without_its_opinion_or_a_denial_without_reasons_is_told_and_kept(client, world):
    application = accepted(world)
    response = press(client, user=world["clerk"], obj=application, name="propose", data={"outcome": "grant"})
    assert outcome(response) == "refused" and "请填写承办意见" in response.content.decode()
    response = press(client, user=world["clerk"], obj=application, name="propose",
                     data={"outcome": "deny", "opinion": "场所面积不足"})
    page = response.content.decode()
    assert outcome(response) == "refused" and "不予许可须说明理由" in page and "场所面积不足</textarea>" in page
    application.refresh_from_db()
    assert application.status == Status.ACCEPTED and application.proposal == {}


def test_sent_back_the_clerk_proposes_again_and_the_head_signs_the_clerks_reasons(client, world):
    application = accepted(world)
    propose(client, world, application, outcome="deny", reason="经营场所与住宅未有效分隔")
    response = press(client, user=world["section_head"], obj=application, name="send_back", data={})
    assert outcome(response) == "refused"  # the reasons are required
    response = press(client, user=world["section_head"], obj=application, name="send_back",
                     data={"reason": "请补充现场核查照片"})
    assert outcome(response) == "done"
    application.refresh_from_db()
    assert application.status == Status.ACCEPTED and application.proposal == {}
    note = Notification.objects.get(recipient=world["clerk"], title__contains="已退回")
    assert note.body == "请补充现场核查照片"
    # The send-back's reasons stay with the staff: the applicant's page does not show them.
    client.force_login(world["citizen"])
    assert "请补充现场核查照片" not in client.get(
        reverse("applications:detail", args=[application.pk])).content.decode()
    propose(client, world, application, outcome="deny", reason="经营场所与住宅未有效分隔")
    press(client, user=world["section_head"], obj=application, name="endorse", data={"opinion": "同意不予许可"})
    client.force_login(world["head"])
    form = client.get(reverse("admin:applications_application_transition", args=[application.pk, "deny"]))
    assert "经营场所与住宅未有效分隔</textarea>" in form.content.decode()  # the clerk's reasons, to sign
    assert outcome(press(client, user=world["head"], obj=application, name="deny",
                         data={"comment": "经营场所与住宅未有效分隔"})) == "done"
    application.refresh_from_db()
    assert application.status == Status.DENIED


def test_completing_a_grant_needs_its_result(client, world):
    """An item that issues no electronic licence completes only with the result file; one that does issues it."""
    world["service"].licence_kind = None
    world["service"].save(update_fields=["licence_kind"])
    application = accepted(world)
    press_decision(client, world, application)
    response = press(client, user=world["clerk"], obj=application, name="complete")
    assert outcome(response) == "refused" and "请上传申请人领取的办理结果" in response.content.decode()
    assert Application.objects.get(pk=application.pk).status == Status.APPROVED
    response = press(client, user=world["clerk"], obj=application, name="complete", data={"result": pdf("许可证.pdf")})
    assert outcome(response) == "done"
    assert Application.objects.get(pk=application.pk).status == Status.COMPLETED


def test_a_denial_completes_with_its_decision(client, world):
    application = accepted(world)
    press_decision(client, world, application, outcome="deny")
    assert outcome(press(client, user=world["clerk"], obj=application, name="complete")) == "done"


def test_the_signers_queues(client, world):
    from tests.workflow.door import dashboard

    application = accepted(world)
    propose(client, world, application)
    assert dashboard(client, user=world["section_head"])["applications.to_review"][0] == "1"
    press(client, user=world["section_head"], obj=application, name="endorse", data={"opinion": "同意"})
    assert dashboard(client, user=world["head"])["applications.to_approve"][0] == "1"
    assert dashboard(client, user=world["section_head"])["applications.to_review"][0] == "0"


def test_the_decision_clock_runs_through_the_signoff_and_may_be_extended(client, world):
    from apps.applications.services import application_extend

    application = accepted(world)
    due = application.due_at
    propose(client, world, application)
    application.refresh_from_db()
    assert application.due_at == due and application.current_deadline.is_open
    application = application_extend(actor=world["head"], application=application, days=5, reason="需专家论证")
    assert application.due_at > due
