"""全要素 categories (issue 17, deliverable 5): social-governance events with their own limits, offered by the patrol and
hotline forms, routed to the street's office or a city department by the demo rules."""
import pytest
from django.urls import reverse

from apps.grid import services
from apps.grid.constants import CategoryKind, Channel, Urgency
from apps.grid.models import CaseCategory, CategoryTimeLimit, GridCase

from .factories import load_people, load_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(db):
    return load_people(load_world())


def test_the_four_social_groups_have_their_own_limits(world):
    groups = CaseCategory.objects.filter(kind=CategoryKind.SOCIAL, parent__isnull=True)
    assert set(groups.values_list("name", flat=True)) == {"矛盾纠纷", "安全隐患", "民生诉求", "特殊人群服务"}
    hazard = CategoryTimeLimit.objects.get(category__code="2201", urgency=Urgency.URGENT, step="handle")
    assert (hazard.limit, hazard.unit) == (2, "hours")
    dispute = CategoryTimeLimit.objects.get(category__code="2101", urgency=Urgency.NORMAL, step="handle")
    assert (dispute.limit, dispute.unit) == (5, "working_days")


@pytest.mark.parametrize("channel,user", [("patrol", "member"), ("hotline", "dispatcher")])
def test_the_patrol_and_hotline_forms_offer_them(client, world, channel, user):
    client.force_login(world[user])
    page = client.get(reverse("admin:grid_gridcase_report", args=[channel])).content.decode()
    for heading in ("矛盾纠纷", "安全隐患", "民生诉求", "特殊人群服务"):
        assert f'<optgroup label="全要素 · {heading}">' in page, heading


def test_a_patrol_reports_a_dispute_that_the_street_handles(client, world):
    client.force_login(world["member"])
    response = client.post(reverse("admin:grid_gridcase_report", args=["patrol"]), {
        "description": "两户邻居因漏水吵架", "category": CaseCategory.objects.get(code="2101").pk,
        "urgency": Urgency.NORMAL, "grid": world["first_grid"].pk, "lat": "", "lng": "", "address": ""})
    assert response.status_code == 302
    case = GridCase.objects.get()
    assert case.channel == Channel.PATROL and case.department.code == "xinglong-street-office"  # 兴隆街道
    route = services.dispatch_route(case=case, params=services.Dispatch())
    assert route.rule is not None and "全要素" in route.rule.name


def test_an_urgent_dispute_goes_to_the_city_department(world):
    case = services.case_report(channel=Channel.HOTLINE, description="家暴求助", grid=world["first_grid"],
                                category=CaseCategory.objects.get(code="2104"), urgency=Urgency.URGENT,
                                reporter_phone="13800000003", entered_by=world["dispatcher"])
    assert case.department.code == "city-justice"  # no street rule for urgent disputes: the category's department
