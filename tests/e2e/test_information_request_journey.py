"""依申请公开 in a browser: a citizen asks an agency for information not published (a mistake explained and nothing
typed lost), the disclosure officer asks for clarification in the admin, the citizen clarifies, the officer answers in
an art. 36 form, the citizen reads the answer letter."""
import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from apps.information_requests.models import InformationRequest
from apps.organizations.constants import Role
from apps.organizations.models import Department
from tests.accounts.factories import CitizenFactory, StaffFactory
from tests.e2e.helpers import login_admin, login_public

pytestmark = pytest.mark.django_db(transaction=True)

SHOTS = "var/screens"


def test_ask_clarify_and_read_the_answer(page, browser, live_server, axe_check, roles, settings):
    settings.PORTAL_BASE_URL = live_server.url
    call_command("load_demo", "--reference-only", verbosity=0)
    agency = Department.objects.get(code="city-market-regulation")
    citizen = CitizenFactory()
    officer = StaffFactory(department=agency, roles=[Role.DISCLOSURE_OFFICER])
    url = live_server.url

    login_public(page, url, citizen)
    page.goto(url + "/disclosure/")
    page.get_by_role("link", name="申请政府信息公开").click()
    expect(page.locator("h1")).to_contain_text("申请政府信息公开")
    page.get_by_label("申请公开的信息").fill("2025年本市食品安全监督抽检结果")
    page.get_by_role("radio", name="邮寄").check()
    page.get_by_role("button", name="提交申请").click()
    # Two mistakes, each named at its field; what was typed is kept.
    expect(page.locator("body")).to_contain_text("请选择掌握该信息的机关")
    expect(page.locator("body")).to_contain_text("请填写邮寄地址")
    expect(page.get_by_label("申请公开的信息")).to_have_value("2025年本市食品安全监督抽检结果")
    axe_check(page)
    page.get_by_label("申请公开的机关").select_option(label=agency.name)
    page.get_by_role("radio", name="在本门户获取").check()
    page.get_by_role("button", name="提交申请").click()
    expect(page.locator(".messages")).to_contain_text("编号YS-")
    request = InformationRequest.objects.get(requester=citizen)
    expect(page.locator("body")).to_contain_text("政府信息公开申请登记回执")
    axe_check(page)
    page.screenshot(path=f"{SHOTS}/information-request-received.png", full_page=True)

    staff = browser.new_context(locale="zh-CN")
    desk = staff.new_page()
    login_admin(desk, url, officer)
    desk.goto(url + f"/admin/information_requests/informationrequest/{request.pk}/change/")
    desk.get_by_role("link", name="要求补正").click()
    desk.get_by_label("需申请人补正的内容（一次性全部列明）").fill("请说明所需抽检结果的食品类别")
    desk.get_by_role("button", name="确认：要求补正").click()
    expect(desk.locator(".messagelist .success")).to_contain_text("要求补正")

    page.reload()
    expect(page.locator("body")).to_contain_text("请说明所需抽检结果的食品类别")
    page.get_by_label("补正内容").fill("乳制品")
    page.get_by_role("button", name="提交补正").click()
    expect(page.locator(".messages")).to_contain_text("补正已提交")

    desk.goto(url + f"/admin/information_requests/informationrequest/{request.pk}/change/")
    desk.get_by_role("link", name="答复", exact=True).click()
    expect(desk.locator("body")).to_contain_text("政府信息公开申请答复书")  # what confirming issues, said first
    desk.screenshot(path=f"{SHOTS}/admin-information-request-answer.png", full_page=True)
    desk.get_by_label("答复类型（第三十六条）").select_option("partly")
    desk.get_by_label("答复内容：所提供的信息、获取方式或理由").fill("提供乳制品抽检汇总表；涉及企业商业秘密的部分不予公开。")
    desk.get_by_role("button", name="确认：答复").click()
    expect(desk.locator(".messagelist .success")).to_contain_text("答复")
    staff.close()

    page.reload()
    expect(page.locator("dl.facts")).to_contain_text("部分公开")
    expect(page.locator("body")).to_contain_text("政府信息公开申请答复书")
    axe_check(page)
    page.screenshot(path=f"{SHOTS}/information-request-answered.png", full_page=True)

    # The agency's annual table counts it (partly disclosed, a natural person), without a name.
    page.goto(url + "/disclosure/")
    page.get_by_role("link", name="各机关申请办理情况").click()
    page.get_by_label("机关").select_option(label=agency.name)
    page.get_by_role("button", name="查看").click()
    partly = page.locator("tr", has_text="（二）部分公开")
    expect(partly.locator("td").nth(0)).to_have_text("1")
    axe_check(page)
    page.screenshot(path=f"{SHOTS}/information-requests-annual-table.png", full_page=True)
