"""Routing rules (issue 17, deliverable 1): who handles a case is decided by rules over category × place × urgency
in order of precedence, with the category's department as the fallback; the case keeps which rule sent it."""
import pytest
from django.urls import reverse

from apps.grid import selectors, services
from apps.grid.constants import Channel, Status, Urgency
from apps.grid.models import CaseCategory, GridCase, RoutingRule
from apps.organizations.models import AdminUnit, Department
from apps.workflow.models import TimelineEntry
from apps.workflow.selectors import timeline_public
from tests.workflow.door import outcome, press

from .factories import load_people, load_world

pytestmark = pytest.mark.django_db

# A point inside a demo grid of each district, and the bureau its city-management cases go to.
DISTRICT_POINTS = {
    "兴隆台区": ((41.105, 122.005), "xinglongtai-urban-management"),
    "双台子区": ((41.195, 122.045), "shuangtaizi-urban-management"),
    "大洼区": ((40.985, 122.075), "dawa-urban-management"),
    "盘山县": ((41.245, 121.995), "panshan-urban-management"),
}
ZHENXING = (41.125, 122.025)  # 振兴街道 振兴社区 grid 21110300200101


@pytest.fixture
def world(db):
    return load_people(load_world())


def _report(world, point, *, code="1101", urgency=Urgency.NORMAL):
    return services.case_report(channel=Channel.PHOTO, description="垃圾成堆", lat=point[0], lng=point[1],
                                category=CaseCategory.objects.get(code=code), urgency=urgency,
                                reporter=world["citizen"])


@pytest.mark.parametrize("district", list(DISTRICT_POINTS))
def test_a_snapshot_in_each_district_reaches_its_own_bureau_without_a_click(client, world, district):
    point, bureau = DISTRICT_POINTS[district]
    case = _report(world, point)
    assert case.district.name == district and case.grid is not None
    assert outcome(press(client, user=world["dispatcher"], obj=case, name="register")) == "done"
    case.refresh_from_db()
    assert case.status == Status.DISPATCHED and case.department.code == bureau
    assert case.routing_rule is not None and case.routing_rule.district.name == district
    assert case.routing_rule.name in case.routing_note and case.department.name in case.routing_note
    # The line is on the case page the dispatcher reads, and on the staff timeline — not on the reporter's.
    page = client.get(reverse("admin:grid_gridcase_change", args=[case.pk])).content.decode()
    assert 'class="routing-note"' in page and case.routing_rule.name in page
    staff_lines = TimelineEntry.objects.filter(object_id=str(case.pk), internal_note=case.routing_note)
    assert staff_lines.count() == 1
    assert all(case.routing_note not in (row["comment"] + row["label"]) for row in timeline_public(obj=case))


def test_a_case_in_shuangtaizi_no_longer_goes_to_xinglongtai(world):
    case = _report(world, DISTRICT_POINTS["双台子区"][0])
    handler_xlt = world["handler"]  # 兴隆台区城管 handler
    assert case.department.code == "shuangtaizi-urban-management"
    assert not selectors.case_list_for_staff(user=handler_xlt).filter(pk=case.pk).exists()


def test_precedence_a_citywide_exception_beats_the_district_rule(world):
    case = _report(world, DISTRICT_POINTS["双台子区"][0], code="1105")  # 露天焚烧: group 11 is the district's
    route = services.dispatch_route(case=case, params=services.Dispatch())
    assert route.department.code == "city-ecology-environment" and route.rule.priority == 10


def test_a_street_team_takes_only_its_minor_cases(world):
    minor = _report(world, ZHENXING)
    urgent = _report(world, ZHENXING, urgency=Urgency.URGENT)
    assert services.dispatch_route(case=minor, params=services.Dispatch()).department.code == "zhenxing-street-office"
    assert services.dispatch_route(case=urgent, params=services.Dispatch()).department.code == \
        "xinglongtai-urban-management"


def test_without_a_matching_rule_the_category_decides_and_says_so(world):
    case = _report(world, DISTRICT_POINTS["双台子区"][0], code="1301")  # 井盖破损: 市住建局, no rule
    route = services.dispatch_route(case=case, params=services.Dispatch())
    assert route.rule is None and route.department.code == "city-housing-construction"
    assert "井盖破损" in route.note


def test_the_dispatcher_choice_wins_and_is_recorded(client, world):
    case = services.case_report(channel=Channel.HOTLINE, description="咨询", address="某路",
                                reporter_phone="13800000009", entered_by=world["dispatcher"])
    press(client, user=world["dispatcher"], obj=case, name="register")
    other = Department.objects.get(code="city-housing-construction")
    response = press(client, user=world["dispatcher"], obj=case, name="dispatch",
                     data={"category": CaseCategory.objects.get(code="1101").pk, "department": other.pk})
    assert outcome(response) == "done"
    case.refresh_from_db()
    assert case.department == other and case.routing_rule is None and "调度员" in case.routing_note


def test_a_rule_edited_in_the_admin_changes_where_the_next_case_goes(client, world):
    rule = RoutingRule.objects.get(name="双台子区城市管理类归区（县）城管局：市容环境（11）")
    street = AdminUnit.objects.get(code="211102001")
    client.force_login(world["dispatcher"])
    url = reverse("admin:grid_routingrule_add")
    data = {"name": "红旗街道的暴露垃圾由街道处置", "priority": 40, "category": CaseCategory.objects.get(code="1101").pk,
            "street": street.pk, "urgency": "", "department": Department.objects.get(code="hongqi-street-office").pk,
            "is_active": "on"}
    assert client.post(url, data).status_code == 302
    case = _report(world, DISTRICT_POINTS["双台子区"][0])
    assert case.department.code == "hongqi-street-office"
    assert rule.is_active


@pytest.mark.parametrize("change,field,message", [
    ({"department": ""}, "department", ""),  # a rule that sends nowhere
    ({"district": "211102", "street": "211102001"}, "street", "只填一个地点"),
    ({"priority": 100, "district": "211102", "category": "11"}, "priority", "优先级相同"),
])
def test_a_bad_rule_is_refused_when_saved(client, world, change, field, message):
    client.force_login(world["dispatcher"])
    before = RoutingRule.objects.count()
    data = {"name": "新规则", "priority": 30, "category": CaseCategory.objects.get(code="1101").pk, "urgency": "",
            "department": Department.objects.get(code="shuangtaizi-urban-management").pk, "is_active": "on"}
    for key, value in change.items():
        if key in ("district", "street"):
            value = AdminUnit.objects.get(code=value).pk
        elif key == "category":
            value = CaseCategory.objects.get(code=value).pk
        data[key] = value
    response = client.post(reverse("admin:grid_routingrule_add"), data)
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert field in errors and message in " ".join(errors[field])
    assert RoutingRule.objects.count() == before


def test_handlers_read_the_rules_but_only_the_dispatch_centre_edits_them(client, world):
    rule = RoutingRule.objects.order_by("pk").first()
    for key in ("handler", "member"):
        client.force_login(world[key])
        assert client.get(reverse("admin:grid_routingrule_change", args=[rule.pk])).status_code == 200, key
        response = client.post(reverse("admin:grid_routingrule_change", args=[rule.pk]),
                               {"name": "改", "priority": 1, "department": rule.department_id, "is_active": "on"})
        assert response.status_code == 403, key
        assert client.get(reverse("admin:grid_routingrule_add")).status_code == 403, key
    rule.refresh_from_db()
    assert rule.name != "改"
    client.force_login(world["citizen"])
    assert client.get(reverse("admin:grid_routingrule_changelist")).status_code == 302  # to the admin login


def test_rules_changelist_query_count_does_not_grow(client, world, django_assert_max_num_queries):
    client.force_login(world["dispatcher"])
    url = reverse("admin:grid_routingrule_changelist")
    RoutingRule.objects.exclude(pk=RoutingRule.objects.order_by("pk").first().pk).delete()
    with django_assert_max_num_queries(30) as one:
        assert client.get(url).status_code == 200
    category = CaseCategory.objects.get(code="1101")
    for n in range(29):
        services.routing_rule_save(rule=RoutingRule(
            name=f"规则{n}", priority=200 + n, category=category, street=AdminUnit.objects.get(code="211103001"),
            department=Department.objects.get(code="xinglong-street-office")))
    with django_assert_max_num_queries(len(one.captured_queries)):
        assert client.get(url).status_code == 200


def test_the_demo_rules_cover_every_district_and_group(world):
    # 12 categories or groups per district, 4 districts; 2 city-wide exceptions, 2 street rules.
    assert RoutingRule.objects.filter(priority=100).count() == 48
    for district in ("211102", "211103", "211104", "211122"):
        codes = set(RoutingRule.objects.filter(district__code=district).values_list("category__code", flat=True))
        assert {"03", "11", "12", "14", "0104"} <= codes, district


def test_a_rule_of_equal_precedence_in_another_district_is_fine(world):
    rule = RoutingRule(name="x", priority=100, category=CaseCategory.objects.get(code="1301"),
                       district=AdminUnit.objects.get(code="211104"),
                       department=Department.objects.get(code="dawa-urban-management"))
    services.routing_rule_save(rule=rule)  # 井盖破损 has no district rule at 100
    assert GridCase.objects.count() == 0
