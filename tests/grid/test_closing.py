"""Every case closes (issue 17, deliverable 2): a case without a grid is placed by the dispatcher or verified by the
staff of its community's street; a case no one can check on site is closed by the dispatcher and still rated; and
no open state of a case is a dead end, with or without a grid."""
import pytest
from django.urls import reverse

from apps.grid import services
from apps.grid.constants import CLOSED_STATUSES, Channel, RatingLevel, Status
from apps.grid.models import CaseCategory, Grid, GridCase
from apps.organizations.constants import Role
from apps.organizations.models import AdminUnit, Department
from apps.workflow.models import TimelineEntry
from apps.workflow.selectors import transitions_available
from tests.accounts.factories import StaffFactory
from tests.workflow.door import outcome, press

from .factories import load_people, load_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(db):
    world = load_people(load_world())
    world["street_staff"] = StaffFactory(department=Department.objects.get(code="xinglong-street-office"),
                                         roles=[Role.GRID_MEMBER])
    world["other_street_staff"] = StaffFactory(department=Department.objects.get(code="zhenxing-street-office"),
                                               roles=[Role.GRID_MEMBER])
    return world


def _hotline(world, **kwargs):
    """A hotline call about a place the operator can only write down: no coordinates, no grid."""
    return services.case_report(channel=Channel.HOTLINE, description="兴隆社区门口垃圾成堆", address="兴隆社区北门",
                                category=world["garbage"], reporter_phone="13800000007",
                                entered_by=world["dispatcher"], **kwargs)


def _place(client, world, case, **data):
    client.force_login(world["dispatcher"])
    return client.post(reverse("admin:grid_gridcase_place", args=[case.pk]),
                       {"grid": data.get("grid", ""), "community": data.get("community", "")})


def _handled(client, world, case):
    press(client, user=world["dispatcher"], obj=case, name="register")
    case.refresh_from_db()
    assert case.status == Status.DISPATCHED
    handler = world["handler"] if case.department == world["handler"].department else None
    assert handler is not None
    response = press(client, user=handler, obj=case, name="handle", data={"result": "已清运"})
    assert outcome(response) == "done"
    case.refresh_from_db()
    return case


def test_the_dispatcher_places_a_case_on_a_grid_and_its_member_verifies(client, world):
    case = _hotline(world)
    assert case.grid is None
    response = _place(client, world, case, grid=world["first_grid"].pk)
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.grid == world["first_grid"] and case.community == world["first_grid"].community
    assert case.street.code == "211103001" and case.district.code == "211103"  # the copies move with the place
    assert TimelineEntry.objects.filter(object_id=str(case.pk), kind="edit", internal_note__contains="定位").exists()
    case = _handled(client, world, case)
    assert outcome(press(client, user=world["member"], obj=case, name="verify_fixed")) == "done"
    assert GridCase.objects.get(pk=case.pk).status == Status.CLOSED


def test_a_case_placed_in_a_community_is_verified_by_its_street_staff(client, world):
    case = _hotline(world)
    community = AdminUnit.objects.get(code="211103001003")  # 惠宾社区 (兴隆街道)
    assert _place(client, world, case, community=community.pk).status_code == 302
    case.refresh_from_db()
    assert case.grid is None and case.street.code == "211103001"
    case = _handled(client, world, case)
    # Another street's grid staff, another department's handler: not theirs to verify (404: they do not see it).
    for key in ("other_street_staff", "other_handler"):
        assert outcome(press(client, user=world[key], obj=case, name="verify_fixed")) == "hidden", key
    assert GridCase.objects.get(pk=case.pk).status == Status.HANDLED
    client.force_login(world["street_staff"])
    listing = client.get(reverse("admin:grid_gridcase_changelist") + "?queue=to_verify").content.decode()
    assert case.number in listing
    assert outcome(press(client, user=world["street_staff"], obj=case, name="verify_fixed")) == "done"
    assert GridCase.objects.get(pk=case.pk).status == Status.CLOSED


def test_placing_is_the_dispatchers_and_refuses_bad_input(client, world):
    case = _hotline(world)
    entries = TimelineEntry.objects.count()
    assert _place(client, world, case).status_code == 200  # neither grid nor community
    assert _place(client, world, case, grid=world["first_grid"].pk,
                  community=world["first_grid"].community_id).status_code == 200  # both
    for key in ("handler", "member", "other_handler"):
        client.force_login(world[key])
        response = client.post(reverse("admin:grid_gridcase_place", args=[case.pk]),
                               {"grid": world["first_grid"].pk})
        assert response.status_code in (403, 404), key
        assert client.get(reverse("admin:grid_gridcase_place", args=[case.pk])).status_code in (403, 404), key
    case.refresh_from_db()
    assert case.grid is None and TimelineEntry.objects.count() == entries
    client.force_login(world["other_handler"])  # 市住建局: not its case at all
    assert client.get(reverse("admin:grid_gridcase_place", args=[case.pk])).status_code == 404


def test_a_policy_question_is_closed_by_the_dispatcher_and_still_rated(client, world):
    case = services.case_report(channel=Channel.PHOTO, description="想咨询一下垃圾分类的政策", address="全市",
                                reporter=world["citizen"])
    press(client, user=world["dispatcher"], obj=case, name="register")
    case.refresh_from_db()
    assert case.status == Status.REGISTERED  # no category: no department named
    response = press(client, user=world["dispatcher"], obj=case, name="close_unverifiable", data={"comment": ""})
    assert outcome(response) == "refused"  # the answer is required
    response = press(client, user=world["dispatcher"], obj=case, name="close_unverifiable",
                     data={"comment": "垃圾分类政策见市城管局网站，已电话答复。"})
    assert outcome(response) == "done"
    case.refresh_from_db()
    assert case.status == Status.CLOSED and case.due_at is None
    client.force_login(world["citizen"])
    page = client.get(reverse("grid:detail", args=[case.number])).content.decode()
    assert "已电话答复" in page and 'name="level"' in page
    client.post(reverse("grid:detail", args=[case.number]), {"level": RatingLevel.DISSATISFIED, "comment": "没说清"})
    case.refresh_from_db()
    # Reopened once: it goes to a department (the dispatch centre itself when no rule names one) — not a dead end.
    assert case.status == Status.DISPATCHED and case.department is not None


def _case_in(world, client, state, *, with_grid):
    """A case brought to ``state`` through the doors people use."""
    if with_grid:
        case = services.case_report(channel=Channel.PHOTO, description="垃圾", lat=41.105, lng=122.005,
                                    category=world["garbage"], reporter=world["citizen"])
    else:
        # Placed nowhere: a category whose department serves the whole city (井盖 → 市住建局) is dispatched on 立案;
        # a district bureau's category waits for its place (test_review_findings).
        case = services.case_report(channel=Channel.PHOTO, description="井盖破损", address="兴隆社区北门",
                                    category=world["manhole"], reporter=world["citizen"])
    handler = "handler" if with_grid else "other_handler"
    steps = {
        Status.REPORTED: [],
        Status.NOT_REGISTERED: [("dispatcher", "reject", {"comment": "重复"})],
        Status.REGISTERED: [("dispatcher", "register", {"category": ""})],
        Status.DISPATCHED: [("dispatcher", "register", {})],
        Status.RETURNED: [("dispatcher", "register", {}), (handler, "return", {"comment": "非本部门"})],
        Status.HANDLED: [("dispatcher", "register", {}), (handler, "handle", {"result": "已处理"})],
        Status.CLOSED: [("dispatcher", "register", {}), (handler, "handle", {"result": "已处理"}),
                        ("dispatcher", "close_unverifiable", {"comment": "已答复"})],
    }[state]
    if state == Status.REGISTERED:
        case.category = None  # a report the dispatcher could not classify yet: registered, waiting
        case.save(update_fields=["category"])
        steps = [("dispatcher", "register", {})]
    for who, name, data in steps:
        assert outcome(press(client, user=world[who], obj=case, name=name, data=data)) == "done", (state, name)
    case.refresh_from_db()
    assert case.status == state
    return case


@pytest.mark.parametrize("with_grid", [True, False], ids=["grid", "no-grid"])
@pytest.mark.parametrize("state", list(Status))
def test_no_state_is_a_dead_end(client, world, state, with_grid):
    """For each state of the case workflow, some role can move the case on (or, closed, the reporter rates it):
    a state added without a door fails here."""
    case = _case_in(world, client, state, with_grid=with_grid)
    if state == Status.NOT_REGISTERED:  # final: the reasons are on the reporter's page
        assert not any(transitions_available(user=world[k], obj=case) for k in ("dispatcher", "handler"))
        return
    if state == Status.CLOSED:  # the reporter is asked to rate
        client.force_login(world["citizen"])
        assert 'name="level"' in client.get(reverse("grid:detail", args=[case.number])).content.decode()
        return
    assert state not in CLOSED_STATUSES
    movers = {key: transitions_available(user=world[key], obj=case)
              for key in ("dispatcher", "handler", "other_handler", "member", "street_staff")}
    assert any(movers.values()), state
    # The dispatch centre itself can always move an open case on: a department with nobody to handle it (no handler
    # on duty, a street office without one) is never a dead end (review finding).
    assert movers["dispatcher"], state
    # And the first of them really moves it, through the admin button.
    key, steps = next((k, v) for k, v in movers.items() if v)
    data = {"comment": "理由", "result": "已处理", "category": world["garbage"].pk}
    assert outcome(press(client, user=world[key], obj=case, name=steps[0].name, data=data)) == "done"
    assert GridCase.objects.get(pk=case.pk).status != state


def test_a_case_without_a_grid_can_always_be_verified_or_closed(client, world):
    case = _case_in(world, client, Status.HANDLED, with_grid=False)
    names = {t.name for t in transitions_available(user=world["dispatcher"], obj=case)}
    assert "close_unverifiable" in names
    assert not transitions_available(user=world["member"], obj=case)  # not placed: no grid member can
    assert Grid.objects.exists() and CaseCategory.objects.exists()


def test_the_place_form_draws_the_district_and_a_grid_clicked_is_chosen(client, world):
    """Item 2: the grid chosen on a map. The form shows the district's grids from their polygons with the report's
    point (outside every grid); each grid is a link that chooses it in the form, which then places the case."""
    case = _hotline(world, lat=41.125, lng=122.085)  # east of 兴隆台区's grids: no grid, no district
    assert case.grid is None and case.district is None
    client.force_login(world["dispatcher"])
    url = reverse("admin:grid_gridcase_place", args=[case.pk])
    page = client.get(url).content.decode()
    drawn = page.split('<svg class="grid-map"')[1].split("</svg>")[0]
    assert drawn.count('<path d="M') == Grid.objects.filter(community__parent__parent__code="211103").count()
    assert 'class="map-here"' in drawn  # the report's point, drawn although it lies outside the grids
    second = Grid.objects.get(code="21110300100102")
    assert f'href="?district=211103&amp;grid={second.code}"' in page
    chosen = client.get(url, {"district": "211103", "grid": second.code}).content.decode()
    assert f'<option value="{second.pk}" selected>' in chosen
    assert 'stroke-width="3"' in chosen  # the chosen grid's outline
    # A code not of this district (or no grid at all) chooses nothing and is no error.
    other = Grid.objects.exclude(community__parent__parent__code="211103").first()
    for code in ("nope", other.code):
        page = client.get(url, {"district": "211103", "grid": code}).content.decode()
        assert '<option value="" selected>' in page.split('name="grid"')[1].split("</select>")[0], code
    # The form posts to the page it was drawn on: the grid chosen on the map places the case.
    response = client.post(f"{url}?district=211103&grid={second.code}", {"grid": second.pk, "community": ""})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.grid == second and case.district.code == "211103"


def test_the_place_map_opens_on_the_cases_district_and_another_can_be_asked(client, world):
    case = _hotline(world)
    _place(client, world, case, community=AdminUnit.objects.get(code="211103001003").pk)
    url = reverse("admin:grid_gridcase_place", args=[case.pk])
    page = client.get(url).content.decode()
    assert '<option value="211103" selected>' in page
    elsewhere = Grid.objects.exclude(community__parent__parent__code="211103").select_related(
        "community__parent__parent").first()
    district = elsewhere.community.parent.parent.code
    page = client.get(url, {"district": district}).content.decode()
    assert f'grid={elsewhere.code}"' in page and "21110300100101" not in page.split("<svg")[1].split("</svg>")[0]
    assert client.get(url, {"district": "999999"}).status_code == 200  # an unknown district: said, not a 500


def test_a_case_dispatched_to_an_office_without_handlers_is_taken_back_and_dispatched_again(client, world):
    """Review finding: 矛盾纠纷 goes by the demo rule to the street office, which may have no handler yet; the
    dispatch centre takes it back (收回) with its reasons and dispatches it to whoever can handle it."""
    from apps.organizations.selectors import staff_with_role

    case = services.case_report(channel=Channel.PHOTO, description="楼上楼下因漏水吵架", lat=41.105, lng=122.005,
                                category=CaseCategory.objects.get(code="2101"), reporter=world["citizen"])
    assert outcome(press(client, user=world["dispatcher"], obj=case, name="register")) == "done"
    case.refresh_from_db()
    assert case.status == Status.DISPATCHED and case.department.code == "xinglong-street-office"
    assert not staff_with_role(department=case.department, role=Role.HANDLER).exists()
    for key in ("handler", "member"):  # not theirs to take back
        assert outcome(press(client, user=world[key], obj=case, name="recall", data={"comment": "x"})) != "done"
    assert outcome(press(client, user=world["dispatcher"], obj=case, name="recall",
                         data={"comment": "街道暂无处置人员，改派区司法局"})) == "done"
    case.refresh_from_db()
    assert case.status == Status.RETURNED and case.return_count == 0
    assert case.current_deadline.stage == "dispatch"
    justice = Department.objects.get(code="city-justice")
    assert outcome(press(client, user=world["dispatcher"], obj=case, name="dispatch",
                         data={"department": justice.pk})) == "done"
    assert GridCase.objects.get(pk=case.pk).department == justice
