"""The map of grids (issue 17, deliverable 7, first part): grids drawn from their polygons as SVG, coloured by open
cases; the public sees per-grid counts only, staff also the open cases they may see as points."""
import pytest
from django.db import connection
from django.urls import reverse

from apps.grid.selectors import map_fill

from .factories import load_people, load_world, photo_report, register

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(db):
    return load_people(load_world())


def test_the_public_map_draws_every_grid_of_the_district_with_its_counts(client, world):
    cases = [photo_report(world) for _ in range(3)]  # three open in the first grid
    response = client.get(reverse("grid:map"), {"district": "211103"})
    page = response.content.decode()
    assert response.status_code == 200
    assert page.count("<path ") == 40  # 兴隆台区's 40 demo grids
    assert f'fill="{map_fill(3)}"' in page and 'aria-label="兴隆社区第1网格：3个未结案件"' in page
    for case in cases:  # counts only: no number, no words, no point
        assert case.number not in page
    assert "小区门口垃圾成堆" not in page and "<circle" not in page
    chosen = client.get(reverse("grid:map"), {"district": "211103", "grid": world["first_grid"].code})
    facts = chosen.content.decode()
    assert "兴隆社区第1网格" in facts and 'id="h-grid"' in facts


def test_another_district_draws_its_own_grids(client, world):
    page = client.get(reverse("grid:map"), {"district": "211102"}).content.decode()
    assert page.count("<path ") == 3 and "红旗社区第1网格" in page


def test_the_public_map_data_is_one_query(client, world, django_assert_max_num_queries):
    for _ in range(5):
        photo_report(world)
    connection.queries_log.clear()
    with django_assert_max_num_queries(10) as captured:
        client.get(reverse("grid:map"), {"district": "211103"})
    on_cases = [q for q in captured.captured_queries if "grid_gridcase" in q["sql"]]
    assert len(on_cases) == 1, [q["sql"] for q in on_cases]


def test_staff_see_their_cases_as_points_and_the_chosen_grids_list(client, world):
    mine = register(actor=world["dispatcher"], case=photo_report(world))
    other = register(actor=world["dispatcher"], case=photo_report(world, category=world["manhole"]))  # 市住建局
    url = reverse("admin:grid_gridcase_map")
    client.force_login(world["handler"])
    page = client.get(url, {"district": "211103", "grid": world["first_grid"].code}).content.decode()
    assert page.count("<circle") == 1 and mine.number in page and other.number not in page
    client.force_login(world["dispatcher"])
    page = client.get(url, {"district": "211103", "grid": world["first_grid"].code}).content.decode()
    assert page.count("<circle") == 2 and other.number in page
    client.force_login(world["citizen"])
    assert client.get(url).status_code == 302  # to the admin login


def test_staff_map_query_count_does_not_grow_with_cases(client, world, django_assert_max_num_queries):
    register(actor=world["dispatcher"], case=photo_report(world))
    client.force_login(world["dispatcher"])
    url = reverse("admin:grid_gridcase_map")
    params = {"district": "211103", "grid": world["first_grid"].code}
    connection.queries_log.clear()
    with django_assert_max_num_queries(40) as one:
        client.get(url, params)
    counted = len(one.captured_queries)
    for _ in range(29):
        register(actor=world["dispatcher"], case=photo_report(world))
    connection.queries_log.clear()
    with django_assert_max_num_queries(counted):
        assert client.get(url, params).content.decode().count("<circle") == 30


def test_the_map_colours_by_the_months_on_time_rate_when_asked(client, world):
    """Item 7: coloured by open cases or by the on-time rate for the chosen period (review finding)."""
    from apps.grid.selectors import NO_FIGURE_FILL, ON_TIME_FILLS
    from tests.workflow.door import outcome, press

    case = register(actor=world["dispatcher"], case=photo_report(world))
    assert outcome(press(client, user=world["handler"], obj=case, name="handle", data={"result": "已清运"})) == "done"
    assert outcome(press(client, user=world["member"], obj=case, name="verify_fixed")) == "done"
    client.logout()
    page = client.get(reverse("grid:map"), {"district": "211103", "measure": "on_time"}).content.decode()
    drawn = page.split('<svg class="grid-map"')[1].split("</svg>")[0]
    assert f'fill="{ON_TIME_FILLS[-1][1]}"' in drawn and 'aria-label="兴隆社区第1网格：按时率100.0%"' in drawn
    assert drawn.count(f'fill="{NO_FIGURE_FILL}"') == 39 and "兴隆社区第2网格：本月无结案案件" in drawn
    assert "本月结案案件的按时率" in page and "无结案" in page  # the legend says what the colours mean
    bad = client.get(reverse("grid:map"), {"district": "211103", "measure": "nonsense"})
    assert bad.status_code == 400 and "<svg class=\"grid-map\"" not in bad.content.decode()
    client.force_login(world["dispatcher"])
    staff = client.get(reverse("admin:grid_gridcase_map"), {"district": "211103", "measure": "on_time"})
    assert 'aria-label="兴隆社区第1网格：按时率100.0%"' in staff.content.decode()
