"""A citizen registers, logs out and in, switches language and turns on large text; axe-core checks every page."""
import re

import pytest
from playwright.sync_api import expect

from apps.accounts.models import User

pytestmark = pytest.mark.django_db(transaction=True)


def test_citizen_journey(page, live_server, axe_check, tmp_path):
    page.goto(live_server.url + "/")
    expect(page.locator("h1")).to_contain_text("政务服务门户")
    axe_check(page)

    page.get_by_role("link", name="注册").first.click()
    axe_check(page)
    page.get_by_role("link", name="自然人注册").click()
    axe_check(page)

    # A wrong check digit is explained in Chinese and nothing typed is lost.
    page.get_by_label("真实姓名").fill("张三")
    page.get_by_label("居民身份证号码").fill("211103198503120021")
    page.get_by_label("手机号").fill("13912345678")
    page.get_by_label("电子邮箱（选填，用于找回密码）").fill("zhang@example.com")
    page.locator("#id_password1").fill("Bright-river-2026")
    page.locator("#id_password2").fill("Bright-river-2026")
    page.get_by_role("button", name="注册").click()
    expect(page.locator(".field.has-error")).to_contain_text("校验码不正确")
    expect(page.get_by_label("真实姓名")).to_have_value("张三")
    expect(page.get_by_label("手机号")).to_have_value("13912345678")
    axe_check(page)

    page.get_by_label("居民身份证号码").fill("211103198503120022")
    page.locator("#id_password1").fill("Bright-river-2026")
    page.locator("#id_password2").fill("Bright-river-2026")
    page.get_by_role("button", name="注册").click()
    expect(page.locator("h1")).to_have_text("我的账户")
    expect(page.locator(".facts")).to_contain_text("211103********0022")
    assert User.objects.filter(phone="13912345678", kind="citizen").exists()
    axe_check(page)

    page.get_by_role("button", name="退出").click()
    page.get_by_role("link", name="登录").first.click()
    page.get_by_label("手机号或电子邮箱").fill("13912345678")
    page.get_by_label("密码").fill("Bright-river-2026")
    page.get_by_role("button", name="登录").click()
    expect(page.locator(".tools")).to_contain_text("张三")
    axe_check(page)

    page.get_by_role("button", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("h1")).to_contain_text("Government Services Portal")
    axe_check(page)

    page.get_by_role("button", name="Large text").click()
    expect(page.locator("html")).to_have_class(re.compile(r"\blarge-text\b"))
    size = page.evaluate("getComputedStyle(document.documentElement).fontSize")
    assert float(size.rstrip("px")) >= 20
    axe_check(page)
    page.screenshot(path=str(tmp_path / "home-en-large.png"), full_page=True)

    page.get_by_role("button", name="中文").click()
    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")
    expect(page.locator("html")).to_have_class(re.compile(r"\blarge-text\b"))


def test_not_found_page_is_chinese_and_accessible(page, live_server, axe_check):
    response = page.goto(live_server.url + "/no-such-page/")
    assert response.status == 404
    expect(page.locator("h1")).to_have_text("页面不存在")
    axe_check(page)


def test_staff_logs_into_the_branded_admin(page, live_server, axe_check, roles):
    from tests.accounts.factories import PASSWORD, StaffFactory

    StaffFactory(username="clerk1", roles=["calendar_operator"])
    page.goto(live_server.url + "/admin/")
    expect(page.locator("#site-name")).to_contain_text("政务服务门户管理后台")
    page.get_by_label("用户名").fill("clerk1")
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    expect(page.locator("#site-name")).to_contain_text("政务服务门户管理后台")
    axe_check(page)
    page.get_by_role("button", name="English").click()
    expect(page.locator("#site-name")).to_contain_text("Government Services Portal Administration")


def test_inbox_shows_unread_messages_and_marks_them_read(page, live_server, axe_check):
    from apps.notifications.services import notify
    from tests.accounts.factories import PASSWORD, CitizenFactory

    citizen = CitizenFactory()
    notify(recipients=[citizen], title="您的申请已受理", body="受理编号 YW-20261122-000123", email=False)
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label("手机号或电子邮箱").fill(citizen.phone)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    badge = page.locator(".tools .badge")
    expect(badge).to_have_text("1")
    page.get_by_role("link", name="消息").click()
    expect(page.locator(".inbox-item.unread")).to_contain_text("您的申请已受理")
    axe_check(page)
    page.get_by_role("button", name="标为已读", exact=True).click()
    expect(page.locator(".inbox-item.unread")).to_have_count(0)
    expect(page.locator(".tools .badge")).to_have_count(0)
