"""Grids and their areas, the category tree, and intake from every channel."""
import pytest
from django.urls import reverse

from apps.grid import selectors, services
from apps.grid.constants import Channel, Step, Urgency
from apps.grid.exceptions import CaseError
from apps.grid.models import CaseCategory, Grid, GridCase, GridMember, Open311Client
from apps.organizations.models import AdminUnit
from tests.accounts.factories import StaffFactory

from .factories import load_people, load_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(db):
    return load_people(load_world())


def test_demo_district_has_streets_communities_and_40_grids_with_areas(world):
    grids = Grid.objects.filter(community__parent__parent__code="211103")
    assert grids.count() == 40 and not grids.filter(polygon__isnull=True).exists()
    assert grids.values("community").distinct().count() >= 10
    assert grids.values("community__parent").distinct().count() >= 3
    assert GridMember.objects.filter(user__username="grid_member").count() == 0  # no demo staff in this world


def test_categories_are_a_two_level_tree_of_components_and_events(world):
    leaves = selectors.services_active()
    assert leaves.count() >= 30
    assert {c.kind for c in leaves} == {"component", "event", "social"}  # social: the 全要素 groups (issue 17)
    for leaf in leaves:
        assert leaf.department_id and leaf.parent.parent_id is None
        assert leaf.time_limits.count() == 8  # four steps × two urgencies
    urgent = CaseCategory.objects.get(code="1601").time_limits.get(urgency=Urgency.URGENT, step=Step.HANDLE)
    assert (urgent.limit, urgent.unit) == (1, "hours")


def test_point_lookup_uses_the_polygons(world):
    assert selectors.grid_for_point(lng=122.005, lat=41.105) == world["first_grid"]
    assert selectors.grid_for_point(lng=122.015, lat=41.105).code != world["first_grid"].code
    assert selectors.grid_for_point(lng=121.80, lat=41.00) is None  # in the city, in no demo grid
    # a hole in a polygon is not part of the grid
    grid = world["first_grid"]
    ring = grid.polygon["coordinates"][0]
    hole = [[122.004, 41.104], [122.006, 41.104], [122.006, 41.106], [122.004, 41.106], [122.004, 41.104]]
    services.grid_save(grid=grid, polygon={"type": "Polygon", "coordinates": [ring, hole]})
    assert selectors.grid_for_point(lng=122.005, lat=41.105) is None
    assert selectors.grid_for_point(lng=122.001, lat=41.101) == grid


def test_triangle_and_bounding_box(world):
    grid = Grid(code="T1", name="三角网格", community=AdminUnit.objects.get(code="211103001001"))
    services.grid_save(grid=grid, polygon={"type": "Polygon", "coordinates": [
        [[122.20, 41.20], [122.30, 41.20], [122.20, 41.30], [122.20, 41.20]]]})
    assert (grid.min_lng, grid.max_lat) == (122.20, 41.30)
    assert selectors.grid_for_point(lng=122.22, lat=41.22) == grid
    assert selectors.grid_for_point(lng=122.28, lat=41.28) is None  # in the box, outside the triangle


@pytest.mark.parametrize("polygon", [
    {"type": "Point", "coordinates": [122.0, 41.1]},
    {"type": "Polygon", "coordinates": [[[122.0, 41.1], [122.1, 41.1], [122.0, 41.1]]]},
    {"type": "Polygon", "coordinates": [[[122.0, 41.1], [122.1, 41.1], [122.1, 41.2], [122.0, 41.2]]]},
    {"type": "Polygon", "coordinates": [[[116.0, 39.9], [116.1, 39.9], [116.1, 40.0], [116.0, 39.9]]]},
])
def test_bad_polygons_are_refused(world, polygon):
    with pytest.raises(CaseError):
        services.polygon_validate(polygon)


def test_reports_get_numbers_grids_and_departments(world):
    one = services.case_report(channel=Channel.PATROL, description="井盖丢失", lat=41.105, lng=122.005,
                               category=world["manhole"], reporter=world["member"], entered_by=world["member"])
    two = services.case_report(channel=Channel.HOTLINE, description="路灯不亮", address="兴隆台区市府大路",
                               reporter_phone="13800000001", entered_by=world["dispatcher"])
    # The day's number and a random tail (issue 14: the next number cannot be guessed from the last one).
    assert one.number != two.number and one.number[:2] == "WG" and len(one.number) == 20
    assert one.number[10:16] == "000001" and two.number[10:16] == "000002"
    assert all(c in "23456789ABCDEFGHJKMNPQRSTUVWXYZ" for c in one.number[16:] + two.number[16:])
    assert one.grid == world["first_grid"] and one.department.code == "city-housing-construction"
    assert two.grid is None and two.category is None and two.department is None


@pytest.mark.parametrize("kwargs,field", [
    ({"description": ""}, "description"),
    ({"description": "字" * 4001}, "description"),
    ({"lat": 41.1}, "lat"),
    ({"lat": 39.9, "lng": 116.4}, "lat"),
    ({"address": ""}, "address"),
])
def test_bad_reports_name_the_field_and_save_nothing(world, kwargs, field):
    data = {"channel": Channel.PHOTO, "description": "有垃圾", "address": "某路", **kwargs}
    with pytest.raises(CaseError) as error:
        services.case_report(**data)
    assert error.value.field == field and not GridCase.objects.exists()


def test_a_group_is_not_a_service(world):
    with pytest.raises(CaseError):
        services.case_report(channel=Channel.PHOTO, description="x", address="y",
                             category=CaseCategory.objects.get(code="11"))


@pytest.mark.parametrize("who,channel,extra,field", [
    (None, Channel.PATROL, {}, None),  # nobody entered it
    ("dispatcher", Channel.PATROL, {}, None),  # not a grid member
    ("member", Channel.HOTLINE, {"reporter_phone": "13800000001"}, None),  # not the hotline
    ("member", Channel.PATROL, {"grid": "other_grid"}, "grid"),  # not their grid
    ("dispatcher", Channel.HOTLINE, {}, "reporter_phone"),  # the caller cannot follow the case without a phone
])
def test_staff_channels_are_entered_by_their_role(world, who, channel, extra, field):
    if "grid" in extra:
        extra = {**extra, "grid": world[extra["grid"]]}
    with pytest.raises(CaseError) as error:
        services.case_report(channel=channel, description="井盖丢失", address="兴隆街", entered_by=world.get(who),
                             **extra)
    assert error.value.field == field and not GridCase.objects.exists()


def test_reference_reload_keeps_admin_choices(world):
    from django.core.management import call_command

    from apps.organizations.models import Department

    garbage = world["garbage"]
    garbage.department = Department.objects.get(code="city-urban-management")
    garbage.save()
    call_command("load_demo", "--reference-only", verbosity=0)
    garbage.refresh_from_db()
    assert garbage.department.code == "city-urban-management"


def test_admin_issues_an_api_key_and_checks_polygons(client, world):
    admin = StaffFactory(is_superuser=True)
    client.force_login(admin)
    response = client.post(reverse("admin:grid_open311client_add"), {"name": "12345热线平台", "is_active": "on"})
    assert response.status_code == 302
    key = Open311Client.objects.get(name="12345热线平台").api_key
    assert len(key) >= 24
    grid = world["first_grid"]
    url = reverse("admin:grid_grid_change", args=[grid.pk])
    form = {"code": grid.code, "name": grid.name, "community": grid.community_id, "is_active": "on",
            "polygon": '{"type": "Polygon", "coordinates": [[[116.0, 39.9], [116.1, 39.9], [116.1, 40.0], [116.0, 39.9]]]}',
            "members-TOTAL_FORMS": "0", "members-INITIAL_FORMS": "0"}
    response = client.post(url, form)
    assert response.status_code == 200 and "116.0, 39.9" in response.content.decode()
    # Over its neighbours' areas: refused (a place belongs to one grid); within its own: saved, the box follows.
    form["polygon"] = '{"type": "Polygon", "coordinates": [[[122.0, 41.1], [122.02, 41.1], [122.02, 41.12], [122.0, 41.1]]]}'
    assert client.post(url, form).status_code == 200
    form["polygon"] = '{"type": "Polygon", "coordinates": [[[122.0, 41.1], [122.008, 41.1], [122.008, 41.11], [122.0, 41.1]]]}'
    assert client.post(url, form).status_code == 302
    grid.refresh_from_db()
    assert grid.max_lng == 122.008
