"""Every step of the grid loop through the door the staff use: the buttons of the case page in the admin."""
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from apps.grid import services
from apps.grid.constants import Status
from apps.grid.models import GridCase
from apps.notifications.models import Notification
from tests.workflow.door import history, outcome, press

from .factories import load_people, load_world, photo_report, png, register

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(db):
    return load_people(load_world())


def test_register_clicked_in_the_admin_dispatches_at_once(client, world):
    case = photo_report(world)
    response = press(client, user=world["dispatcher"], obj=case, name="register")
    assert outcome(response) == "done"
    case.refresh_from_db()
    # The category names its department: the case is with the district's bureau, timed for handling, and told.
    assert case.status == Status.DISPATCHED and case.department.code == "xinglongtai-urban-management"
    assert case.current_deadline.stage == "handle" and case.due_at == case.current_deadline.due_at
    assert Notification.objects.filter(recipient=world["handler"]).exists()
    assert history(case) == ["report", "register", "dispatch"]
    page = client.get(response["Location"]).content.decode()
    assert "已派遣" in page


def test_register_without_a_category_waits_for_the_dispatcher(client, world):
    case = services.case_report(channel="hotline", description="有人反映路灯不亮", address="市府大路",
                                reporter_phone="13800000001", entered_by=world["dispatcher"])
    assert outcome(press(client, user=world["dispatcher"], obj=case, name="register")) == "done"
    case.refresh_from_db()
    assert case.status == Status.REGISTERED and history(case) == ["report", "register"]
    # 派遣 without a department is explained on the form, and nothing moves.
    response = press(client, user=world["dispatcher"], obj=case, name="dispatch")
    assert outcome(response) == "refused" and "请选择处置部门" in response.content.decode()
    case.refresh_from_db()
    assert case.status == Status.REGISTERED
    response = press(client, user=world["dispatcher"], obj=case, name="dispatch",
                     data={"category": world["manhole"].pk, "department": world["other_handler"].department_id})
    assert outcome(response) == "done"
    case.refresh_from_db()
    assert case.status == Status.DISPATCHED and case.category == world["manhole"]
    assert case.department == world["other_handler"].department


def _at(world, step):
    """A case waiting for ``step``, built through the same doors."""
    case = photo_report(world)
    if step == "register":
        return case
    case = register(actor=world["dispatcher"], case=case)
    if step == "handle":
        return case
    from apps.workflow.services import transition_perform

    return transition_perform(actor=world["handler"], obj=case, name="handle",
                              params=services.Handling(result="已处理"))


STEPS = {
    # transition: (the step it belongs to, the form, who may, the state it leads to)
    "register": ("register", {}, {"dispatcher"}, Status.DISPATCHED),
    "reject": ("register", {"comment": "重复上报"}, {"dispatcher"}, Status.NOT_REGISTERED),
    "handle": ("handle", {"result": "已清运"}, {"handler"}, Status.HANDLED),
    "return": ("handle", {"comment": "不属于本部门"}, {"handler"}, Status.RETURNED),
    "verify_fixed": ("verify", {}, {"member"}, Status.CLOSED),
    "verify_not_fixed": ("verify", {"comment": "仍有垃圾"}, {"member"}, Status.DISPATCHED),
}


@pytest.mark.parametrize("name", list(STEPS))
@pytest.mark.parametrize("who", [None, "citizen", "dispatcher", "handler", "other_handler", "member",
                                 "other_member"])
def test_who_may_press_each_button(client, world, name, who):
    step, data, allowed, target = STEPS[name]
    case = _at(world, step)
    before_state, before_history = case.status, history(case)
    result = outcome(press(client, user=world[who] if who else None, obj=case, name=name, data=data))
    case.refresh_from_db()
    if who in allowed:
        assert result == "done" and case.status == target
        assert history(case)[len(before_history)] == name
        return
    # Denied: the login page, a 404 for a case the person may not see, or the refusal on the form — and nothing left
    # behind: no state change, no timeline row.
    assert result in ({"login"} if who in (None, "citizen") else {"hidden", "refused"})
    assert case.status == before_state and history(case) == before_history


def test_reasons_are_required_and_what_was_typed_is_kept(client, world):
    case = _at(world, "handle")
    response = press(client, user=world["handler"], obj=case, name="return",
                     data={"internal_note": "已电话联系指挥中心"})
    page = response.content.decode()
    assert outcome(response) == "refused" and "请填写理由" in page and "已电话联系指挥中心" in page
    assert GridCase.objects.get(pk=case.pk).status == Status.DISPATCHED


def test_handler_result_with_a_photo_and_a_bad_photo(client, world):
    case = _at(world, "handle")
    bad = SimpleUploadedFile("现场.png", b"not an image", content_type="image/png")
    response = press(client, user=world["handler"], obj=case, name="handle", data={"result": "已清运", "photo": bad})
    assert outcome(response) == "refused" and "已清运" in response.content.decode()
    assert GridCase.objects.get(pk=case.pk).status == Status.DISPATCHED
    response = press(client, user=world["handler"], obj=case, name="handle", data={"result": "已清运", "photo": png()})
    assert outcome(response) == "done"
    case.refresh_from_db()
    assert case.status == Status.HANDLED and case.result == "已清运"


def test_the_reopen_transition_has_no_button(client, world):
    case = _at(world, "verify")
    press(client, user=world["member"], obj=case, name="verify_fixed")
    response = press(client, user=world["citizen"], obj=case, name="reopen")
    assert outcome(response) in ("login", "hidden")
    response = press(client, user=world["dispatcher"], obj=case, name="reopen")
    assert outcome(response) in ("hidden", "refused")
    client.force_login(world["dispatcher"])
    change = client.get(f"/admin/grid/gridcase/{case.pk}/change/").content.decode()
    assert "/transition/reopen/" not in change
    assert GridCase.objects.get(pk=case.pk).status == Status.CLOSED


def test_register_confirms_the_suggested_category_and_dispatches(client, world):
    case = photo_report(world, category=None, description="小区门口垃圾成堆，好几天没人清理")
    assert case.suggested_category == world["garbage"]
    client.force_login(world["dispatcher"])
    form = client.get(f"/admin/grid/gridcase/{case.pk}/transition/register/").content.decode()
    assert f'<option value="{world["garbage"].pk}" selected>' in form  # the suggestion is offered
    response = press(client, user=world["dispatcher"], obj=case, name="register",
                     data={"category": world["garbage"].pk})
    assert outcome(response) == "done"
    case.refresh_from_db()
    assert case.category == world["garbage"] and case.status == Status.DISPATCHED
    assert case.department.code == "xinglongtai-urban-management"


@pytest.mark.parametrize("step", ["register", "reject", "dispatch", "return", "handle", "verify_fixed",
                                  "verify_not_fixed"])
def test_each_action_page_says_what_it_will_do(client, world, step):
    from tests.workflow.door import action_page

    waits_for = {"reject": "register", "dispatch": "register", "return": "handle", "verify_fixed": "verify",
                 "verify_not_fixed": "verify"}.get(step, step)
    case = _at(world, waits_for)
    if step == "dispatch":
        case = services.case_report(channel="hotline", description="有人反映路灯不亮", address="市府大路",
                                    reporter_phone="13800000001", entered_by=world["dispatcher"])
        case = register(actor=world["dispatcher"], case=case)
    actor = {"register": "dispatcher", "reject": "dispatcher", "dispatch": "dispatcher", "return": "handler",
             "handle": "handler"}.get(step, "member")
    page = action_page(client, user=world[actor], obj=case, name=step)
    assert "申请人" not in page  # there is no applicant in a grid case: the reporter is named instead
    assert "上报人" in page
    judged = page.split('id="judged-title"')[1].split("</section>")[0]
    if step.startswith("verify"):
        assert "已处理" in judged  # the grid member judges the handler's result
    elif step != "dispatch":
        assert case.description in judged or case.category.department.name in judged


def test_dispatch_page_names_the_department_the_case_will_reach(client, world):
    from tests.workflow.door import action_page, transition_url

    # 立案 of a category that names its department: the page says where it goes at once.
    case = photo_report(world)
    page = action_page(client, user=world["dispatcher"], obj=case, name="register")
    assert world["garbage"].department.name in page.split('id="judged-title"')[1].split("</section>")[0]
    # A case returned by the handler: 派遣 names the department of its category before anything is chosen.
    case = register(actor=world["dispatcher"], case=photo_report(world))
    press(client, user=world["handler"], obj=case, name="return", data={"comment": "不属于本部门"})
    case.refresh_from_db()
    assert case.status == Status.RETURNED
    page = action_page(client, user=world["dispatcher"], obj=case, name="dispatch")
    judged = page.split('id="judged-title"')[1].split("</section>")[0]
    assert world["garbage"].department.name in judged
    # No category: the form preselects the text's suggestion, and the page names that category's department; with
    # neither, it asks for a department.
    hotline = register(actor=world["dispatcher"], case=services.case_report(
        channel="hotline", description="有人反映路灯不亮", address="市府大路", reporter_phone="13800000001",
        entered_by=world["dispatcher"]))
    page = action_page(client, user=world["dispatcher"], obj=hotline, name="dispatch")
    suggested = hotline.suggested_category
    if suggested is not None and suggested.department_id:
        assert suggested.department.name in page.split('id="judged-title"')[1]
    else:
        assert "请在下方选择处置部门" in page
    # What the page named is where the case went.
    client.force_login(world["dispatcher"])
    assert outcome(client.post(transition_url(case, "dispatch"), {"comment": "", "internal_note": "",
                                                                   "category": world["garbage"].pk})) == "done"
    case.refresh_from_db()
    assert case.department == world["garbage"].department


def test_each_role_starts_from_its_own_counts(client, world, django_assert_max_num_queries):
    from django.urls import reverse

    from tests.workflow.door import assert_counts_match_lists, dashboard

    photo_report(world)  # to register
    register(actor=world["dispatcher"], case=services.case_report(  # no category: registered, to dispatch
        channel="hotline", description="有人反映情况", address="市府大路", reporter_phone="13800000001",
        entered_by=world["dispatcher"]))
    _at(world, "handle")  # dispatched to the district's bureau
    returned = _at(world, "handle")
    press(client, user=world["handler"], obj=returned, name="return", data={"comment": "不属于本部门"})
    _at(world, "verify")  # handled, in the first grid
    client.force_login(world["dispatcher"])
    with django_assert_max_num_queries(12):
        client.get(reverse("admin:index"))
    dispatcher = dashboard(client, user=world["dispatcher"])
    assert set(dispatcher) == {"grid.to_register", "grid.to_dispatch", "grid.returned", "grid.escalated"}
    assert [dispatcher[k][0] for k in ("grid.to_register", "grid.to_dispatch", "grid.returned",
                                       "grid.escalated")] == ["1", "1", "1", "0"]
    assert_counts_match_lists(client, dispatcher)
    handler = dashboard(client, user=world["handler"])
    assert set(handler) == {"grid.to_handle"} and handler["grid.to_handle"][0] == "1"
    assert_counts_match_lists(client, handler)
    # Another department's handler and another grid's member: their own (empty) queues, not these numbers.
    assert dashboard(client, user=world["other_handler"])["grid.to_handle"][0] == "0"
    member = dashboard(client, user=world["member"])
    assert set(member) == {"grid.to_verify"} and member["grid.to_verify"][0] == "1"
    assert_counts_match_lists(client, member)
    other_member = dashboard(client, user=world["other_member"])
    assert other_member["grid.to_verify"][0] == "0"
    assert_counts_match_lists(client, other_member)
