"""综合窗口 in a browser (issue 16): a window clerk of the government service centre registers a walk-in person's
application in the admin, prints the receipt; the department's clerk accepts it; the person claims the account
online with their phone and sees the application."""
import re

import pytest
from playwright.sync_api import expect

from apps.applications.models import Application
from apps.notifications.sms import LocmemSmsBackend
from apps.organizations.constants import Role
from apps.organizations.models import Department
from tests.accounts.factories import StaffFactory, make_id_number
from tests.applications.factories import PDF, load_world
from tests.e2e.helpers import login_admin

pytestmark = pytest.mark.django_db(transaction=True)

SHOTS = "var/screens"
ID_NUMBER = make_id_number(321)
PHONE = "13644440001"


def test_window_registers_department_accepts_person_claims(page, browser, live_server, axe_check, roles, tmp_path,
                                                           settings):
    settings.PORTAL_BASE_URL = live_server.url
    LocmemSmsBackend.outbox = []
    world = load_world()
    window_clerk = StaffFactory(department=Department.objects.get(code="city-service-center"),
                                roles=[Role.WINDOW_CLERK], first_name="何窗口")
    url = live_server.url
    scan = tmp_path / "扫描件.pdf"
    scan.write_bytes(PDF)
    service = world["service"]
    required = list(service.materials.filter(required=True).order_by("order", "id"))

    # --- the window clerk: the dashboard's door, the item, the person, the scans, the declaration ---
    login_admin(page, url, window_clerk)
    page.get_by_role("link", name="窗口受理登记").click()
    axe_check(page)
    page.get_by_label("政务服务事项").select_option(label=f"{service.department.name} · {service.name}（{service.code}）")
    page.get_by_role("button", name="下一步：申请人和材料").click()
    expect(page.locator("#content-main h2").first).to_contain_text("食品经营许可（新办）")
    page.get_by_label("居民身份证号码").fill(ID_NUMBER)
    page.get_by_label("真实姓名").fill("李四")
    page.get_by_label("手机号").fill(PHONE)
    page.get_by_label("申请内容").fill("开一家小吃店")
    for material in required:
        page.locator(f"#id_material_{material.pk}").set_input_files(str(scan))
    # Forgot the declaration: told so, everything typed kept, the scans to choose again.
    page.get_by_role("button", name="登记并提交").click()
    expect(page.locator("[data-field='declaration'] .errorlist")).to_contain_text("声明")
    expect(page.locator("#content-main")).to_contain_text("请重新选择扫描件")
    expect(page.get_by_label("真实姓名")).to_have_value("李四")
    expect(page.get_by_label("申请内容")).to_have_value("开一家小吃店")
    assert not Application.objects.exists()
    axe_check(page)
    page.screenshot(path=f"{SHOTS}/window-intake-error.png", full_page=True)
    for material in required:
        page.locator(f"#id_material_{material.pk}").set_input_files(str(scan))
    page.locator("#id_declaration").check()
    page.get_by_role("button", name="登记并提交").click()

    application = Application.objects.get()
    expect(page.locator("#window-reference")).to_have_text(application.reference)
    expect(page.locator(".messagelist .success")).to_contain_text("请打印回执")
    axe_check(page)
    page.screenshot(path=f"{SHOTS}/window-receipt.png", full_page=True)
    receipt = page.request.get(url + page.locator("#print-receipt").get_attribute("href"))
    assert receipt.status == 200 and receipt.headers["content-type"] == "application/pdf"
    assert receipt.body().startswith(b"%PDF")
    # The window clerk's own list: what they registered.
    page.goto(url + "/admin/")
    page.locator("[data-queue='applications.window_registered'] a").click()
    expect(page.locator("#result_list")).to_contain_text(application.reference)

    # --- the department's clerk finds it in the queue and accepts it ---
    clerk_page = browser.new_page(locale="zh-CN", viewport={"width": 1280, "height": 900})
    login_admin(clerk_page, url, world["clerk"])
    clerk_page.goto(url + "/admin/applications/application/?queue=to_accept")
    expect(clerk_page.locator("#result_list")).to_contain_text(application.reference)
    clerk_page.get_by_role("link", name=application.reference).click()
    expect(clerk_page.locator("#content-main")).to_contain_text("政务服务中心窗口")
    expect(clerk_page.locator("#content-main")).to_contain_text("何窗口")
    clerk_page.screenshot(path=f"{SHOTS}/window-application-for-clerk.png", full_page=True)
    clerk_page.get_by_role("link", name="受理", exact=True).click()
    clerk_page.get_by_role("button", name="确认：受理").click()
    expect(clerk_page.locator(".messagelist .success")).to_contain_text("受理")

    # --- the person claims the account with their phone and sees it ---
    person = browser.new_page(locale="zh-CN", viewport={"width": 390, "height": 844})
    person.goto(url + "/accounts/login/")
    person.get_by_role("link", name="认领账户").click()
    axe_check(person)
    person.get_by_label("居民身份证号码").fill(ID_NUMBER)
    person.get_by_label("手机号").fill(PHONE)
    person.get_by_role("button", name="发送验证码").click()
    expect(person.locator(".messages")).to_contain_text("验证码")
    code = re.search(r"\d{6}", LocmemSmsBackend.outbox[-1]["text"]).group()
    person.get_by_label("短信验证码").fill(code)
    person.locator("#id_password1").fill("Quiet-harbour-2026")
    person.locator("#id_password2").fill("Quiet-harbour-2026")
    axe_check(person)
    person.screenshot(path=f"{SHOTS}/claim-confirm-phone.png", full_page=True)
    person.get_by_role("button", name="设置密码并登录").click()
    expect(person.locator("h1")).to_contain_text("我的办件")
    expect(person.locator("table.data")).to_contain_text(application.reference)
    expect(person.locator("table.data")).to_contain_text("已受理")
    axe_check(person)
    person.screenshot(path=f"{SHOTS}/claim-my-applications-phone.png", full_page=True)
