"""A community committee keeps its own 村(居)务公开: its officer opens the catalogue, imports a table filled as 附件3's
填报说明 allows (ticks, both modes, the seed's channels), reads the preview's marks, submits; the street office reads
what publishing changes, comments on an entry and returns it; the committee corrects it and submits again; the street
publishes, and the public reads the community's page by the five affairs. The coverage page counts it."""
import pytest
from playwright.sync_api import expect

from apps.disclosure.models import Catalogue
from apps.organizations.constants import Role
from apps.organizations.models import Department
from tests.accounts.factories import StaffFactory
from tests.disclosure.factories import load_world, row, workbook
from tests.e2e.helpers import login_admin

pytestmark = pytest.mark.django_db(transaction=True)

SHOTS = "var/screens"


def village_table():
    rows = [
        row(1, l1="党务公开", l2="党组织设置", content="社区党组织设置及党员情况", limit="及时", publisher="兴隆社区居民委员会",
            section="社区党委", channels="信息公示栏、居民微信群"),
        row(2, l1="财务公开", l2="收支明细", content="社区集体收支明细", limit="每季度首月10日前", publisher="兴隆社区居民委员会",
            section="社区居委会", channels="公示栏、触摸屏", public=None, group="√", proactive="✓", on_request="√"),
        row(3, l1="服务公开", l2="办事指南", content="社区代办服务事项、办理流程", limit="长期公开", publisher="兴隆社区居民委员会",
            section="社区居委会", channels="公示栏、益农信息社"),
    ]
    return workbook(rows, title="兴隆社区村(居)务公开目录")


def test_a_community_keeps_its_own_catalogue(page, browser, live_server, axe_check, roles, tmp_path):
    load_world()
    committee = Department.objects.get(code="xinglong-community-committee")
    officer = StaffFactory(department=committee, roles=[Role.VILLAGE_OFFICER], first_name="秦社区")
    street = StaffFactory(department=Department.objects.get(code="xinglong-street-office"),
                          roles=[Role.DISCLOSURE_REVIEWER], first_name="韩街道")
    url = live_server.url
    table = tmp_path / "兴隆社区村务公开目录.xlsx"
    table.write_bytes(village_table())

    # --- the committee's officer opens its catalogue (only its own community and 村(居)务公开 are offered)
    login_admin(page, url, officer)
    page.goto(url + "/admin/disclosure/catalogue/add/")
    page.get_by_label("政府层级单位").select_option(label="兴隆社区")
    page.get_by_label("领域").select_option(label="村(居)务公开")
    page.get_by_label("维护单位").select_option(label="兴隆社区居民委员会")
    page.get_by_role("button", name="保存", exact=True).click()
    catalogue = Catalogue.objects.get()
    page.goto(f"{url}/admin/disclosure/catalogue/{catalogue.pk}/change/")
    page.get_by_role("link", name="导入表格").click()
    page.locator("input[type=file]").set_input_files(str(table))
    page.get_by_role("button", name="检查表格").click()
    preview = page.locator("table.import-plan")
    expect(preview.locator("tr.plan-new")).to_have_count(3)
    expect(preview).to_contain_text("“居民微信群”读作“其他：居民微信群”")
    expect(preview).to_contain_text("主动和依申请均已勾选")
    expect(preview).to_contain_text("“信息公示栏”读作“公示栏”")
    page.screenshot(path=f"{SHOTS}/village-import-preview.png", full_page=True)
    page.get_by_role("button", name="确认导入").click()
    expect(page.locator(".messagelist").last).to_contain_text("新增3项")
    page.get_by_role("link", name="提交审核").click()
    page.get_by_role("button", name="提交审核").click()
    expect(page.locator(".messagelist").last).to_contain_text("提交审核")

    # --- the street office reads what publishing changes, comments on an entry and returns the catalogue
    reviewer = browser.new_page(locale="zh-CN", viewport={"width": 1280, "height": 900})
    login_admin(reviewer, url, street)
    reviewer.goto(f"{url}/admin/disclosure/catalogue/{catalogue.pk}/change/")
    pending = reviewer.locator("#pending")
    expect(pending).to_contain_text("新增 · 3")
    expect(pending).to_contain_text("收支明细")
    reviewer.locator("#pending .diff-added li").filter(has_text="收支明细").get_by_role("link", name="意见").click()
    reviewer.get_by_label("给填报单位的意见").fill("收支明细请按月公开，时限写明每月10日前。")
    reviewer.get_by_role("button", name="保存意见").click()
    expect(reviewer.locator("tr.entry-comment")).to_contain_text("请按月公开")
    reviewer.get_by_role("link", name="退回修改").click()
    expect(reviewer.locator(".transition-judged")).to_contain_text("本轮审核对事项的意见")
    reviewer.screenshot(path=f"{SHOTS}/village-review-return.png", full_page=True)
    reviewer.get_by_label("给填报单位的退回理由").fill("请按意见修改后再提交。")
    reviewer.get_by_role("button", name="退回修改").click()
    expect(reviewer.locator(".messagelist").last).to_contain_text("退回")

    # --- the committee reads the comment beside the entry, corrects it and submits again
    page.goto(f"{url}/admin/disclosure/catalogue/{catalogue.pk}/change/")
    expect(page.locator("tr.entry-comment")).to_contain_text("请按月公开")
    page.locator("#entries tr").filter(has_text="收支明细").get_by_role("link", name="修改").click()
    page.get_by_label("公开时限").fill("每月10日前")
    page.get_by_role("button", name="保存", exact=True).click()
    page.get_by_role("link", name="提交审核").click()
    page.get_by_role("button", name="提交审核").click()

    # --- the street publishes; the public reads the community's page by the five affairs
    reviewer.goto(f"{url}/admin/disclosure/catalogue/{catalogue.pk}/change/")
    expect(reviewer.locator("tr.entry-comment")).to_have_count(0)
    reviewer.get_by_role("link", name="发布", exact=True).click()
    expect(reviewer.locator(".transition-judged")).to_contain_text("新增 · 3")
    reviewer.screenshot(path=f"{SHOTS}/village-publish-judged.png", full_page=True)
    reviewer.get_by_role("button", name="发布").click()
    expect(reviewer.locator(".messagelist").last).to_contain_text("发布")

    public = browser.new_page(locale="zh-CN", viewport={"width": 390, "height": 844})
    public.goto(url + "/disclosure/coverage/")
    public.get_by_role("link", name="兴隆社区").click()
    for heading in ("党务公开", "财务公开", "服务公开"):
        expect(public.get_by_role("heading", name=heading)).to_be_visible()
    expect(public.locator("#affairs-finance")).to_contain_text("每月10日前")
    axe_check(public)
    public.screenshot(path=f"{SHOTS}/village-public-phone.png", full_page=True)
