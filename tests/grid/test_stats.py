"""绩效考核: the figures per street, community, grid, department and category; the public page, the admin page and
the xlsx export."""
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from apps.grid import selectors, services
from apps.grid.constants import RatingLevel
from apps.workflow.services import transition_perform

from .factories import load_people, load_world, photo_report, register

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(db):
    return load_people(load_world())


def _closed(world, level=None, **kwargs):
    case = register(actor=world["dispatcher"], case=photo_report(world, **kwargs))
    case = transition_perform(actor=world["handler"], obj=case, name="handle", params=services.Handling(result="已处理"))
    case = transition_perform(actor=world["member"], obj=case, name="verify_fixed")
    if level:
        services.case_rate(actor=world["citizen"], case=case, level=level)
    return case


def _month():
    start = timezone.localtime().replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    end = (start.replace(day=28) + timezone.timedelta(days=4)).replace(day=1)
    return start, end


def test_figures_per_street_and_community(world):
    _closed(world, RatingLevel.SATISFIED)
    _closed(world, RatingLevel.FAIRLY_SATISFIED)
    returned = register(actor=world["dispatcher"], case=photo_report(world))
    transition_perform(actor=world["handler"], obj=returned, name="return", comment="不归我们")
    late = _closed(world)
    type(late).objects.filter(pk=late.pk).update(late_steps=1)
    start, end = _month()
    rows = selectors.case_stats(group="street", start=start, end=end)
    assert len(rows) == 1
    row = rows[0]
    assert row["name"] == "兴隆街道" and row["cases"] == 4 and row["closed"] == 3
    assert row["on_time_rate"] == 66.7 and row["return_rate"] == 25.0 and row["satisfaction"] == 100.0
    by_grid = selectors.case_stats(group="grid", start=start, end=end, street=world["first_grid"].community.parent)
    assert [r["code"] for r in by_grid] == [world["first_grid"].code]
    assert selectors.case_stats(group="department", start=start, end=end)[0]["name"] == "兴隆台区城市管理综合执法局"
    assert selectors.case_stats(group="category", start=end, end=end + timezone.timedelta(days=30)) == []


def test_reopen_and_dissatisfaction_count(world):
    _closed(world, RatingLevel.DISSATISFIED)  # reopens once
    start, end = _month()
    row = selectors.case_stats(group="community", start=start, end=end)[0]
    assert row["reopen_rate"] == 100.0 and row["satisfaction"] == 0.0


def test_public_page_admin_page_and_xlsx(client, world):
    _closed(world, RatingLevel.SATISFIED)
    month = timezone.localdate().strftime("%Y-%m")
    page = client.get(reverse("grid:stats"), {"month": month, "group": "community"})
    html = page.content.decode()
    assert page.status_code == 200 and "兴隆社区" in html and 'id="stats-data"' in html and "chart.umd.min.js" in html
    bad = client.get(reverse("grid:stats"), {"month": "2026-13", "group": "street"})
    assert bad.status_code == 400 and "YYYY-MM" in bad.content.decode()
    response = client.get(reverse("grid:stats_export"), {"month": month, "group": "street"})
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[1][0] == "名称" and rows[2][0] == "兴隆街道" and rows[2][1] == 1
    client.force_login(world["dispatcher"])
    admin_page = client.get(reverse("admin:grid_gridcase_stats"), {"month": month, "group": "department"})
    assert admin_page.status_code == 200 and "兴隆台区城市管理综合执法局" in admin_page.content.decode()
    client.force_login(world["citizen"])
    assert client.get(reverse("admin:grid_gridcase_stats")).status_code == 302  # not staff: to the admin login
