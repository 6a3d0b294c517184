"""An enterprise applies with two honors of two departments; both departments pass it; the market supervision bureau
accepts and publishes it; the public finds its page; a revocation hides it."""
import io
import re

import pytest
from playwright.sync_api import expect

from apps.honors.models import HonorApplication
from tests.e2e.helpers import login_admin, login_public
from tests.honors.factories import PDF, load_world

pytestmark = pytest.mark.django_db(transaction=True)

SHOTS = "var/screens"


def _files(tmp_path):
    from PIL import Image

    scan = tmp_path / "荣誉证书.pdf"
    scan.write_bytes(PDF)
    photo = tmp_path / "大米.png"
    out = io.BytesIO()
    Image.new("RGB", (400, 250), (46, 125, 50)).save(out, "PNG")
    photo.write_bytes(out.getvalue())
    text = tmp_path / "证书.pdf"
    text.write_bytes(b"just text, not a PDF")
    return scan, photo, text


def _review(browser, url, reviewer, opinion):
    page = browser.new_page(locale="zh-CN", viewport={"width": 1280, "height": 900})
    login_admin(page, url, reviewer)
    page.goto(f"{url}/admin/honors/departmentreview/")
    page.locator("#result_list tbody a").first.click()
    expect(page.locator("#content")).to_contain_text("盘锦大米")
    page.get_by_role("link", name="审查通过").click()
    page.get_by_label("书面审核意见").fill(opinion)
    page.get_by_role("button", name="确认：审查通过").click()
    expect(page.locator(".messagelist").last).to_contain_text("审查通过")
    return page


def test_apply_review_accept_publish_revoke(page, browser, live_server, axe_check, tmp_path, settings):
    settings.PORTAL_BASE_URL = live_server.url
    world = load_world()
    url = live_server.url
    scan, photo, not_a_pdf = _files(tmp_path)

    # --- the enterprise prepares its application on one page, part by part
    login_public(page, url, world["enterprise"])
    page.goto(url + "/honors/")
    page.get_by_role("button", name="申请公示展示").click()
    page.get_by_label("所属行业").select_option("A")
    page.get_by_label("所在县区").select_option(label="兴隆台区")
    page.get_by_label("企业概况", exact=True).fill("公司种植优质水稻五万亩。\n年加工能力十万吨。")
    page.get_by_label("企业发展", exact=True).fill("创立于2003年，坚持稻蟹共生。")
    page.get_by_label("品牌建设", exact=True).fill("<p>“碱地香”品牌</p><script>alert(1)</script>")
    page.get_by_label("本企业符合以上全部入选条件").check()
    # No 保存 pressed: the honor's own button saves the enterprise and its four sections as the draft too (issue 19).

    def add_honor(category, issuer, number, file):
        page.locator("#id_honor-category").select_option(label=category)
        page.locator("#id_honor-issuer").fill(issuer)  # its label is a prefix of the next one's
        page.get_by_label("颁发机关级别").select_option("provincial")
        page.get_by_label("颁发日期").fill("2024-06-18")
        page.get_by_label("证书编号").fill(number)
        page.get_by_label("证书扫描件（PDF、JPEG或PNG）").set_input_files(str(file))
        page.get_by_role("button", name="添加该荣誉").click()

    add_honor("高新技术企业（市科技局审查）", "辽宁省科学技术厅", "GR2024001", not_a_pdf)
    expect(page).to_have_title(re.compile("^错误："))
    summary = page.locator(".error-summary")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("不是PDF、JPEG、PNG或OFD文件")
    expect(page.locator(".messages")).to_contain_text("企业信息及四个栏目已保存为草稿")
    expect(page.get_by_label("证书编号")).to_have_value("GR2024001")  # what was typed is kept
    expect(page.get_by_label("企业发展", exact=True)).to_have_value(re.compile("创立于2003年，坚持稻蟹共生。"))
    expect(page.get_by_label("本企业符合以上全部入选条件")).to_be_checked()
    summary.get_by_role("link").first.click()  # the long page: the link moves focus to the field at fault
    expect(page.get_by_label("证书扫描件（PDF、JPEG或PNG）")).to_be_focused()
    page.screenshot(path=f"{SHOTS}/honors-edit-error.png", full_page=True)
    axe_check(page)
    page.get_by_label("证书扫描件（PDF、JPEG或PNG）").set_input_files(str(scan))
    page.get_by_role("button", name="添加该荣誉").click()
    expect(page.locator("#honors table")).to_contain_text("高新技术企业")
    # The draft is on the server: a fresh load of the page shows the four sections as typed.
    page.goto(page.url.split("#")[0])
    expect(page.get_by_label("企业概况", exact=True)).to_have_value(re.compile("公司种植优质水稻五万亩"))
    expect(page.get_by_label("企业发展", exact=True)).to_have_value(re.compile("创立于2003年，坚持稻蟹共生。"))
    add_honor("农业产业化重点龙头企业（市农业农村局审查）", "辽宁省农业农村厅", "LN-2024-0312", scan)
    expect(page.locator("#honors table")).to_contain_text("市农业农村局")

    page.get_by_label("产品名称").fill("碱地香盘锦大米")
    page.get_by_label("规格").fill("5千克/袋")
    page.get_by_label("依据的标准").fill("GB/T 1354-2018")
    page.get_by_label("产品图片", exact=False).set_input_files(str(photo))
    page.get_by_role("button", name="添加该产品").click()
    expect(page.locator("#products")).to_contain_text("碱地香盘锦大米")
    for label in ("营业执照副本或法定代表人身份证", "申请表（签字盖章）", "申报材料真实性声明（签字盖章）"):
        page.locator("#id_material-purpose").select_option(label=label)
        page.locator("#id_material-upload").set_input_files(str(scan))
        page.get_by_role("button", name="上传").click()
        expect(page.locator(".messages")).to_contain_text("材料已上传")
    expect(page.locator("body")).to_contain_text("已填写完整")
    axe_check(page)
    page.screenshot(path=f"{SHOTS}/honors-edit.png", full_page=True)

    page.get_by_role("link", name="预览公开页面").click()
    expect(page.locator(".preview-banner")).to_be_visible()
    expect(page.locator("#brand")).to_contain_text("“碱地香”品牌")
    page.get_by_role("link", name="提交", exact=True).click()
    # A summary to check before submitting, and what happens next.
    summary_list = page.locator(".summary-list")
    expect(summary_list).to_contain_text("碱地香盘锦大米")
    expect(summary_list).to_contain_text("GR2024001")
    expect(summary_list).to_contain_text("创立于2003年")
    expect(page.locator(".confirm-box")).to_contain_text("5个工作日内")
    axe_check(page)
    page.screenshot(path=f"{SHOTS}/honors-submit-summary.png", full_page=True)
    page.get_by_role("button", name="提交").click()
    expect(page.locator("p.error")).to_contain_text("真实性声明")  # nothing submitted without it
    page.get_by_label("本企业声明", exact=False).check()
    page.get_by_role("button", name="提交").click()
    expect(page.locator(".status")).to_contain_text("部门审查中")
    expect(page.locator(".messages")).to_contain_text("市场监管局在5个工作日内决定是否受理")
    application = HonorApplication.objects.get(applicant=world["enterprise"])
    assert application.reference

    # --- both departments review in parallel, each its own task
    science_page = _review(browser, url, world["science"], "高新技术企业证书真实有效")
    science_page.screenshot(path=f"{SHOTS}/honors-review-admin.png", full_page=True)
    _review(browser, url, world["agri"], "龙头企业认定有效")

    # --- the market supervision bureau accepts within 5 working days and publishes
    officer = browser.new_page(locale="zh-CN", viewport={"width": 1280, "height": 900})
    login_admin(officer, url, world["officer"])
    officer.goto(f"{url}/admin/honors/honorapplication/")
    expect(officer.locator("#result_list")).to_contain_text("剩余 5")
    officer.screenshot(path=f"{SHOTS}/honors-acceptance-queue.png", full_page=True)
    officer.get_by_role("link", name=application.reference).click()
    officer.get_by_role("link", name="受理并发布").click()
    officer.get_by_role("button", name="确认：受理并发布").click()
    expect(officer.locator(".messagelist").last).to_contain_text("受理并发布")

    # --- the public finds it, on a desktop and on a phone
    public = browser.new_page(locale="zh-CN", viewport={"width": 1280, "height": 900})
    public.goto(url + "/showcase/")
    public.get_by_label("荣誉").select_option(label="高新技术企业")
    public.get_by_role("button", name="搜索").click()
    public.get_by_role("link", name=application.name).click()
    expect(public.locator("h1")).to_contain_text(application.name)
    expect(public.locator("#certificates")).to_contain_text("辽宁省科学技术厅")
    expect(public.locator("#products img").first).to_be_visible()
    assert "alert(1)" not in public.content()
    axe_check(public)
    public.screenshot(path=f"{SHOTS}/honors-showcase.png", full_page=True)
    showcase_url = public.url
    phone = browser.new_page(locale="zh-CN", viewport={"width": 390, "height": 844})
    phone.goto(showcase_url)
    phone.screenshot(path=f"{SHOTS}/honors-showcase-phone.png", full_page=True)

    # --- listed as dishonest: revoked at once
    officer.goto(f"{url}/admin/honors/showcase/{application.showcase_id}/change/")
    officer.get_by_role("link", name="撤销（失信）").click()
    officer.get_by_label("失信名单来源").fill("信用中国 严重失信主体名单")
    officer.get_by_label("列入日期").fill("2026-01-05")
    officer.get_by_label("理由（存档并告知企业）").fill("拒不履行法院生效判决")
    officer.get_by_role("button", name="确认：撤销（失信）").click()
    expect(officer.locator(".messagelist").last).to_contain_text("撤销")
    assert public.goto(showcase_url).status == 404
    public.goto(url + "/showcase/")
    expect(public.locator("main")).not_to_contain_text(application.name)
    page.goto(url + "/honors/")
    expect(page.locator("main")).to_contain_text("展示已被撤销")
