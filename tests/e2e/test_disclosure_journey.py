"""A disclosure officer imports the official table, submits it, the reviewer publishes it, and the public finds an
entry by search and downloads the catalogue as xlsx."""
import io

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from apps.disclosure.models import Catalogue
from tests.disclosure.factories import catalogue_with_entries, load_world, row, workbook
from tests.e2e.helpers import login_admin

pytestmark = pytest.mark.django_db(transaction=True)

SHOTS = "var/screens"


def test_import_submit_publish_search_download(page, browser, live_server, axe_check, roles, tmp_path):
    world = load_world()
    catalogue = catalogue_with_entries(world, 0)
    url = live_server.url
    bad = tmp_path / "义务教育目录-有错.xlsx"
    bad.write_bytes(workbook([row(1), row(2, phone="待定", l2="划片范围")]))
    good = tmp_path / "义务教育目录.xlsx"
    good.write_bytes(workbook([row(1, l2="随迁子女入学", content="进城务工人员随迁子女入学条件、所需材料、办理流程"),
                               row(2, l1=None, l2="划片范围"), row(3, l1="学生资助", l2="资助政策")],
                              merges=["B4:B5"]))

    # --- the officer imports: a bad table is refused with the row and column, a good one previewed, then confirmed
    login_admin(page, url, world["officer"])
    page.goto(f"{url}/admin/disclosure/catalogue/{catalogue.pk}/change/")
    page.get_by_role("link", name="导入表格").click()
    page.locator("input[type=file]").set_input_files(str(bad))
    page.get_by_role("button", name="检查表格").click()
    errors = page.locator("table.import-errors")
    expect(errors).to_contain_text("咨询电话")
    expect(errors).to_contain_text("“待定”不是有效的电话号码")
    page.screenshot(path=f"{SHOTS}/disclosure-import-errors.png", full_page=True)
    page.locator("input[type=file]").set_input_files(str(good))
    page.get_by_role("button", name="检查表格").click()
    expect(page.locator("h2").filter(has_text="预览")).to_contain_text("共3项")
    page.screenshot(path=f"{SHOTS}/disclosure-import-preview.png", full_page=True)
    page.get_by_role("button", name="确认导入").click()
    expect(page.locator(".messagelist").last).to_contain_text("新增3项")
    expect(page.locator("table.disclosure-table")).to_contain_text("随迁子女入学")
    page.get_by_role("link", name="提交审核").click()
    page.get_by_role("button", name="提交审核").click()
    expect(page.locator(".messagelist").last).to_contain_text("提交审核")
    page.screenshot(path=f"{SHOTS}/disclosure-admin-submitted.png", full_page=True)

    # --- the reviewer of the city government office publishes
    reviewer = browser.new_page(locale="zh-CN", viewport={"width": 1280, "height": 900})
    login_admin(reviewer, url, world["reviewer"])
    reviewer.goto(url + "/admin/disclosure/catalogue/")
    reviewer.get_by_role("link", name="盘锦市义务教育领域政务公开事项标准目录").click()
    reviewer.get_by_role("link", name="发布", exact=True).click()
    reviewer.get_by_role("button", name="发布").click()
    expect(reviewer.locator(".messagelist").last).to_contain_text("发布")
    assert Catalogue.objects.get(pk=catalogue.pk).current_version.number == 1
    reviewer.get_by_role("link", name="本版事项").click()
    expect(reviewer.locator(".diff-added")).to_contain_text("随迁子女入学")

    # --- the public searches, opens the entry and downloads the xlsx
    public = browser.new_page(locale="zh-CN", viewport={"width": 1280, "height": 900})
    public.goto(url + "/disclosure/")
    axe_check(public)
    public.get_by_label("检索全部已公开事项").fill("随迁子女")
    public.get_by_role("button", name="搜索").click()
    expect(public.locator(".result-count")).to_contain_text("找到1项")
    axe_check(public)
    public.get_by_role("link", name="招生入学 · 随迁子女入学").click()
    expect(public.locator("dl.facts")).to_contain_text("进城务工人员随迁子女入学条件")
    public.get_by_role("link", name="盘锦市义务教育领域政务公开事项标准目录").click()
    axe_check(public)
    public.screenshot(path=f"{SHOTS}/disclosure-public-catalogue.png", full_page=True)
    with public.expect_download() as download_info:
        public.get_by_role("link", name="Excel (xlsx)").click()
    path = download_info.value.path()
    sheet = load_workbook(io.BytesIO(open(path, "rb").read())).worksheets[0]
    assert sheet["A1"].value == "盘锦市义务教育领域政务公开事项标准目录"
    assert [sheet.cell(3, c).value for c in (2, 3)] == ["一级事项", "二级事项"]
    assert sheet["C4"].value == "随迁子女入学" and "B4:B5" in {str(r) for r in sheet.merged_cells.ranges}
