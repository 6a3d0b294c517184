"""The whole one-window journey in a browser: a citizen applies with uploads, the clerk asks for supplementation in
the admin, the citizen resubmits, the clerk accepts and proposes, the section head reviews, the department head approves,
the clerk completes, the citizen sees the result and rates."""
import re

import pytest
from playwright.sync_api import expect

from apps.applications.models import Application
from tests.applications.factories import PDF, load_world
from tests.e2e.helpers import login_admin, login_public

pytestmark = pytest.mark.django_db(transaction=True)

SHOTS = "var/screens"


def test_apply_supplement_resubmit_accept_approve_rate(page, browser, live_server, axe_check, roles, tmp_path, settings):
    settings.PORTAL_BASE_URL = live_server.url
    world = load_world()
    url = live_server.url
    scan = tmp_path / "营业执照.pdf"
    scan.write_bytes(PDF)
    fake = tmp_path / "申请书.pdf"
    fake.write_bytes(b"MZ\x90\x00 this is a program, not a PDF")

    # --- the citizen applies ---
    login_public(page, url, world["citizen"])
    page.goto(url + "/services/SCJG-XK-0001/")
    axe_check(page)
    page.get_by_role("link", name="在线申请").click()
    page.get_by_role("button", name="开始填写申请").click()  # the link itself creates nothing
    expect(page.locator("h1")).to_contain_text("食品经营许可（新办）")
    page.get_by_label("地址").fill("兴隆台区市府大路100号")
    page.get_by_label("申请说明").fill("新开一家面包店")
    # A mistake: every answer is kept, the summary names the field and its link moves focus there (issue 19).
    page.get_by_label("手机号").fill("1380013")
    situations = page.locator("fieldset.choice-group input[type=checkbox]")
    first_box = situations.first
    label_box = page.locator(f"label[for='{first_box.get_attribute('id')}']").bounding_box()
    box = first_box.bounding_box()
    # The box sits beside its own label (not centred above it), big enough to hit.
    assert box["x"] + box["width"] <= label_box["x"] and label_box["y"] <= box["y"] + box["height"] / 2 <= (
        label_box["y"] + label_box["height"])
    assert box["width"] >= 20 and label_box["height"] >= 44
    first_box.check()
    page.get_by_role("button", name="保存并继续").click()
    expect(page).to_have_title(re.compile("^错误："))
    summary = page.locator(".error-summary")
    expect(summary).to_be_focused()
    expect(page.get_by_label("地址")).to_have_value("兴隆台区市府大路100号")
    expect(page.get_by_label("申请说明")).to_have_value("新开一家面包店")
    expect(situations.first).to_be_checked()
    summary.get_by_role("link").first.click()
    expect(page.get_by_label("手机号")).to_be_focused()
    axe_check(page)
    page.screenshot(path=f"{SHOTS}/apply-applicant-error-desktop.png", full_page=True)
    page.get_by_label("手机号").fill(world["citizen"].phone)
    situations.first.uncheck()
    axe_check(page)
    page.get_by_role("button", name="保存并继续").click()

    materials = page.locator("li.material")
    expect(materials).to_have_count(4)  # the four required ones; conditional ones were not ticked
    axe_check(page)
    first = materials.nth(0)
    first.locator("input[type=file]").set_input_files(str(fake))
    first.get_by_role("button", name="上传").click()
    expect(page.locator("li.material").nth(0).locator(".error")).to_contain_text("不是PDF")
    page.screenshot(path=f"{SHOTS}/apply-materials-error.png", full_page=True)
    for index in range(4):
        row = page.locator("li.material").nth(index)
        row.locator("input[type=file]").set_input_files(str(scan))
        row.get_by_role("button", name="上传").click()
        expect(page.locator("li.material").nth(index).locator(".uploaded")).to_be_visible()
    page.get_by_role("link", name="下一步：确认信息").click()
    expect(page.locator("dl.facts")).to_contain_text("兴隆台区市府大路100号")
    page.get_by_role("button", name="提交申请").click()
    expect(page.locator(".form-errors, .error").first).to_contain_text("声明")
    page.get_by_label("本人（单位）承诺", exact=False).check()
    axe_check(page)
    page.get_by_role("button", name="提交申请").click()
    expect(page.locator(".messages")).to_contain_text("受理编号为YW-")
    application = Application.objects.get(applicant=world["citizen"])
    expect(page.locator("dl.facts")).to_contain_text(application.reference)
    expect(page.locator("body")).to_contain_text("申请回执")
    axe_check(page)
    page.screenshot(path=f"{SHOTS}/application-submitted.png", full_page=True)

    # --- the clerk asks for supplementation, once and in full ---
    clerk_page = browser.new_page(locale="zh-CN", viewport={"width": 1280, "height": 900})
    login_admin(clerk_page, url, world["clerk"])
    clerk_page.goto(url + "/admin/applications/application/")
    expect(clerk_page.locator("#result_list")).to_contain_text(application.reference)
    expect(clerk_page.locator("#result_list")).to_contain_text("剩余")
    axe_check(clerk_page)
    clerk_page.screenshot(path=f"{SHOTS}/admin-queue.png", full_page=True)
    clerk_page.get_by_role("link", name=application.reference).click()
    clerk_page.get_by_role("link", name="一次性告知补正").click()
    first_two = list(application.service.materials.filter(required=True).order_by("order")[:2])
    clerk_page.locator(f"#id_pick_{first_two[0].pk}").check()  # the second is ticked by writing its note
    clerk_page.locator(f"#id_note_{first_two[0].pk}").fill("请提供加盖公章的复印件")
    clerk_page.locator(f"#id_note_{first_two[1].pk}").fill("营业执照已过期，请提供最新营业执照")
    clerk_page.screenshot(path=f"{SHOTS}/admin-supplement-form.png", full_page=True)
    clerk_page.get_by_role("button", name="确认：一次性告知补正").click()
    expect(clerk_page.locator(".messagelist .success")).to_contain_text("一次性告知补正")

    # --- the citizen sees the list, replaces exactly those two and resubmits ---
    page.reload()
    expect(page.locator(".supplement")).to_contain_text("请提供加盖公章的复印件")
    expect(page.locator(".supplement li.material")).to_have_count(2)
    axe_check(page)
    for index in range(2):
        row = page.locator(".supplement li.material").nth(index)
        row.locator("input[type=file]").set_input_files(str(scan))
        row.get_by_role("button", name="上传").click()
        expect(page.locator(".supplement li.material").nth(index).locator(".tag-online")).to_have_text("已替换")
    page.get_by_role("button", name="重新提交").click()
    expect(page.locator(".messages")).to_contain_text("已重新提交")

    # --- the clerk accepts and proposes; the section head reviews, the department head approves (承办 → 审核 → 批准:
    # 食品经营许可's flowchart says the head decides); the clerk completes ---
    change = url + f"/admin/applications/application/{application.pk}/change/"
    clerk_page.goto(change)
    clerk_page.get_by_role("link", name="受理", exact=True).click()
    clerk_page.get_by_role("button", name="确认：受理").click()
    expect(clerk_page.locator(".messagelist .success")).to_contain_text("受理")
    expect(clerk_page.get_by_role("link", name="准予许可", exact=True)).to_have_count(0)  # the clerk does not sign
    clerk_page.get_by_role("link", name="提出承办意见", exact=True).click()
    clerk_page.get_by_role("button", name="确认：提出承办意见").click()  # nothing chosen: told, nothing lost
    expect(clerk_page.locator(".errorlist, .errornote").first).to_be_visible()
    clerk_page.get_by_label("准予").check()
    clerk_page.get_by_label("承办意见（供审核、批准人阅，不向申请人显示）").fill("材料齐全，现场核查符合条件")
    clerk_page.screenshot(path=f"{SHOTS}/application-propose.png", full_page=True)
    clerk_page.get_by_role("button", name="确认：提出承办意见").click()
    expect(clerk_page.locator(".messagelist .success")).to_contain_text("提出承办意见")
    for who, action in (("section_head", "审核：同意"), ("head", "准予许可")):
        signer = browser.new_page(locale="zh-CN", viewport={"width": 1280, "height": 900})
        login_admin(signer, url, world[who])
        signer.goto(change)
        expect(signer.locator("body")).to_contain_text("材料齐全，现场核查符合条件")  # the proposal they sign
        signer.get_by_role("link", name=action, exact=True).click()
        signer.get_by_role("button", name=f"确认：{action}").click()
        expect(signer.locator(".messagelist .success")).to_contain_text(action)
        if who == "head":
            signer.screenshot(path=f"{SHOTS}/application-signed-off.png", full_page=True)
        signer.close()
    clerk_page.goto(change)
    clerk_page.get_by_role("link", name="办结", exact=True).click()
    clerk_page.get_by_role("button", name="确认：办结").click()
    expect(clerk_page.locator(".messagelist .success")).to_contain_text("办结")
    from apps.documents.models import Document

    decision = Document.objects.get(object_id=str(application.pk), kind="application_approval_decision")
    assert [s["role"] for s in decision.context["signers"]] == ["承办人", "审核人", "批准人"]
    assert decision.context["signers"][2]["name"] == world["head"].display_name

    # --- the citizen sees the result and rates it ---
    page.reload()
    expect(page.locator("dl.facts")).to_contain_text("已办结")
    expect(page.locator("body")).to_contain_text("准予行政许可决定书")
    page.get_by_label("意见").fill("办理很快")
    page.get_by_role("button", name="提交评价").click()  # no level: the comment is kept, the level asked for
    expect(page.locator(".error-summary")).to_contain_text("请选择您的满意程度")
    expect(page.get_by_label("意见")).to_have_value("办理很快")
    page.locator(".error-summary a").first.click()
    expect(page.get_by_label("非常满意", exact=True)).to_be_focused()
    page.get_by_label("满意", exact=True).check()
    axe_check(page)
    page.get_by_role("button", name="提交评价").click()
    expect(page.locator(".messages")).to_contain_text("感谢您的评价")
    expect(page.locator("dl.facts")).to_contain_text("已办结，感谢您的评价")  # the next step no longer asks
    page.screenshot(path=f"{SHOTS}/application-completed.png", full_page=True)
    assert application.__class__.objects.get(pk=application.pk).rating.level == 4

    page.locator(".tools").get_by_role("link", name="我的办件").click()
    expect(page.locator("table.data")).to_contain_text(application.reference)
    axe_check(page)
    anonymous = browser.new_page(locale="zh-CN")
    anonymous.goto(url + "/applications/lookup/")
    anonymous.get_by_label("受理编号").fill(application.reference)
    anonymous.get_by_label("申请人手机号后四位").fill(world["citizen"].phone[-4:])
    anonymous.get_by_role("button", name="查询").click()
    expect(anonymous.locator("dl.facts")).to_contain_text("已办结")
    expect(anonymous.locator("body")).not_to_contain_text(world["citizen"].citizen_profile.real_name)
    axe_check(anonymous)
    anonymous.goto(url + "/applications/satisfaction/")
    expect(anonymous.locator("body")).to_contain_text("市市场监管局")
    axe_check(anonymous)


def test_withdraw_asks_first(page, live_server, axe_check, roles, settings):
    """撤回 is irreversible: the button leads to a page that says what will happen, with a way back; only its own
    button withdraws (through transition_perform, as before)."""
    from tests.applications.factories import submitted

    settings.PORTAL_BASE_URL = live_server.url
    world = load_world()
    application = submitted(world)
    url = live_server.url
    page.set_viewport_size({"width": 390, "height": 844})
    login_public(page, url, world["citizen"])
    page.goto(f"{url}/applications/{application.pk}/")
    page.get_by_role("link", name="撤回申请").click()
    expect(page.locator("h1")).to_have_text("确定撤回申请吗？")
    expect(page.locator(".confirm-box")).to_contain_text("撤回后不能恢复")
    axe_check(page)
    page.screenshot(path=f"{SHOTS}/withdraw-confirm-phone.png", full_page=True)
    page.get_by_role("link", name="不，保留申请").click()
    expect(page.locator("dl.facts")).to_contain_text("已提交")
    assert Application.objects.get(pk=application.pk).status == "submitted"
    page.get_by_role("link", name="撤回申请").click()
    page.get_by_role("button", name="是，撤回申请").click()
    expect(page.locator(".messages")).to_contain_text("撤回")
    assert Application.objects.get(pk=application.pk).status == "withdrawn"
