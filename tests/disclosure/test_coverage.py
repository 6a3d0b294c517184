"""检查验收: every unit × the 26 domains and every village × 五务 — present, missing, unpublished, stale — for the
government offices (their own area) and the public (published only), with the xlsx and the 绩效考核 figures."""
import io
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from apps.disclosure import services
from apps.disclosure.models import Domain
from apps.disclosure.selectors import coverage_report, coverage_units
from apps.organizations.constants import Role
from apps.organizations.models import AdminUnit, Department
from tests.accounts.factories import StaffFactory
from tests.disclosure.factories import catalogue_with_entries, entry_data, load_world, published, submit
from apps.workflow.services import transition_perform

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(roles, settings):
    settings.LANGUAGE_CODE = "zh-hans"
    world = load_world()
    committee = Department.objects.get(code="xinglong-community-committee")
    street = Department.objects.get(code="xinglong-street-office")
    world.update({
        "community": AdminUnit.objects.get(code="211103001001"),
        "committee": committee,
        "village_officer": StaffFactory(department=committee, roles=[Role.VILLAGE_OFFICER]),
        "street_reviewer": StaffFactory(department=street, roles=[Role.DISCLOSURE_REVIEWER]),
        "village_domain": Domain.objects.get(code="village-affairs"),
    })
    return world


def village_published(world, groups=("党务公开", "财务公开")):
    officer = world["village_officer"]
    catalogue = services.catalogue_create(actor=officer, admin_unit=world["community"],
                                          domain=world["village_domain"], department=world["committee"])
    for n, group in enumerate(groups, start=1):
        services.entry_save(actor=officer, catalogue=catalogue, data=entry_data(n, category_l1=group))
    catalogue = submit(actor=officer, catalogue=catalogue)
    return transition_perform(actor=world["street_reviewer"], obj=catalogue, name="publish")


def row_of(report, name):
    return next(r for r in report["rows"] if r["unit"].name == name)


def test_the_report_names_what_is_missing_unpublished_and_stale(world):
    published(world, 2)  # 盘锦市 义务教育, published today
    catalogue_with_entries(world, 1, domain=world["other_domain"], department=world["civil"],
                           officer=world["other_officer"])  # 盘锦市 社会救助, a draft
    village_published(world)
    report = coverage_report(units=coverage_units())
    city = row_of(report, "盘锦市")
    assert (city["published"], city["stale"], city["unpublished"], city["missing"]) == (1, 0, 1, 24)
    assert city["rate"] == 4 and city["entries"] == 2  # 1 of 26 domains, rounded
    cells = {d.name: c for d, c in zip(report["domains"], city["cells"])}
    assert cells["义务教育"]["state"] == "published" and cells["义务教育"]["version"] == 1
    assert cells["社会救助"]["state"] == "unpublished" and cells["户籍管理"]["state"] == "missing"
    assert row_of(report, "兴隆街道")["missing"] == 26
    village = next(v for v in report["villages"] if v["unit"].name == "兴隆社区")
    assert village["cell"]["state"] == "published" and village["groups"] == [1, 0, 1, 0, 0]
    assert [str(g) for g in village["missing_groups"]] == ["村(居)务公开", "服务公开", "事务公开"]
    assert next(v for v in report["villages"] if v["unit"].name == "光明社区")["cell"]["state"] == "missing"
    totals = report["totals"]
    assert totals["published"] == 1 and totals["unpublished"] == 1 and totals["villages_published"] == 1
    assert totals["villages_complete"] == 0
    # a year and a month later, nothing republished: flagged
    later = coverage_report(units=coverage_units(), today=timezone.localdate() + timedelta(days=400))
    assert (row_of(later, "盘锦市")["published"], row_of(later, "盘锦市")["stale"]) == (0, 1)
    assert row_of(later, "盘锦市")["cells"][[d.name for d in later["domains"]].index("义务教育")]["state"] == "stale"


def test_each_office_sees_its_own_area_and_downloads_the_xlsx(client, world):
    published(world, 2)
    village_published(world)
    client.force_login(world["reviewer"])  # 市政府办公室: the whole city
    page = client.get(reverse("admin:disclosure_catalogue_coverage")).content.decode()
    assert "盘锦市" in page and "兴隆街道" in page and "太平镇" in page and "光明社区" in page
    assert "应有" in page and "v1 · 2" in page
    client.force_login(world["street_reviewer"])  # 兴隆街道办事处: its street and communities
    page = client.get(reverse("admin:disclosure_catalogue_coverage")).content.decode()
    assert "兴隆街道" in page and "光明社区" in page
    assert "太平镇" not in page and "振兴社区" not in page and ">盘锦市<" not in page
    response = client.get(reverse("admin:disclosure_catalogue_coverage_xlsx"))
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["考核数据", "单位 × 领域", "村（社区）× 五务"]
    figures = [list(r) for r in book["考核数据"].iter_rows(values_only=True)]
    assert figures[1][:4] == ["兴隆街道", "乡镇街道", 26, 0] and figures[1][6] == 26
    villages = {r[0]: r for r in book["村（社区）× 五务"].iter_rows(values_only=True)}
    assert villages["兴隆社区"][3:8] == (1, 0, 1, 0, 0) and villages["光明社区"][2] == "缺少"


@pytest.mark.parametrize("key", ["officer", "clerk", "village_officer"])
def test_the_coverage_page_is_the_offices_only(client, world, key):
    client.force_login(world[key])
    assert client.get(reverse("admin:disclosure_catalogue_coverage")).status_code == 404
    assert client.get(reverse("admin:disclosure_catalogue_coverage_xlsx")).status_code == 404


def test_the_public_summary_shows_published_only(client, world, django_assert_max_num_queries):
    published(world, 2)
    catalogue_with_entries(world, 1, domain=world["other_domain"], department=world["civil"],
                           officer=world["other_officer"])
    village_published(world)
    with django_assert_max_num_queries(8):
        page = client.get(reverse("disclosure:coverage")).content.decode()
    assert "各单位目录发布情况" in page
    assert "草稿" not in page and "已提交" not in page  # a draft is only “not published” to the public
    assert reverse("disclosure:village", args=["211103001001"]) in page
    assert reverse("disclosure:village", args=["211103001002"]) not in page  # 光明社区 has nothing published
