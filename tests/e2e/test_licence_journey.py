"""Issue 15 in a browser: an enterprise applies for 食品经营许可 without uploading its business licence (免提交); a
citizen takes the commitment path for 个体工商户设立登记 and is granted on the spot with a licence in 我的证照; the
clerk finds the commitment false and the public verification page says the licence is revoked."""
import datetime as dt

import pytest
from playwright.sync_api import expect

from apps.licences.models import LicenceKind
from apps.licences.services import LicenceData, licence_issue
from tests.accounts.factories import EnterpriseFactory
from tests.applications.factories import PDF, load_world
from tests.e2e.helpers import login_admin, login_public

pytestmark = pytest.mark.django_db(transaction=True)

SHOTS = "var/screens"


def upload_missing(page, scan):
    """Upload a file for each material still missing (the page reloads after each)."""
    for _attempt in range(10):
        missing = page.locator("li.material.missing")
        if missing.count() == 0:
            return
        row = missing.first
        row.locator("input[type=file]").set_input_files(str(scan))
        row.get_by_role("button", name="上传").click()
        page.wait_for_load_state()
    raise AssertionError("materials still missing")


def test_no_paper_the_government_holds_and_a_commitment_decided_on_the_spot(page, browser, live_server, axe_check,
                                                                            roles, tmp_path, settings):
    settings.PORTAL_BASE_URL = live_server.url
    world = load_world()
    url = live_server.url
    enterprise = EnterpriseFactory()
    profile = enterprise.enterprise_profile
    licence = licence_issue(actor=world["clerk"], issuing_department=world["service"].department,
                            data=LicenceData(kind=LicenceKind.objects.get(code="business-licence"),
                                             number=profile.credit_code, holder_code=profile.credit_code,
                                             holder_name=profile.name, valid_from=dt.date(2020, 1, 1)))
    scan = tmp_path / "材料.pdf"
    scan.write_bytes(PDF)

    # --- the enterprise: its business licence is used, nothing to upload for it
    login_public(page, url, enterprise)
    page.goto(url + "/services/SCJG-XK-0001/")
    page.get_by_role("link", name="在线申请").click()
    page.get_by_role("button", name="开始填写申请").click()
    expect(page.locator(".commitment-notice")).to_contain_text("告知承诺制")
    page.get_by_role("button", name="保存并继续").click()
    row = page.locator("li.material").filter(has_text="营业执照")
    expect(row).to_contain_text("已调用电子证照（免提交）")
    expect(row).to_contain_text(licence.number)
    expect(row.locator("input[type=file]")).to_have_count(0)
    axe_check(page)
    page.screenshot(path=f"{SHOTS}/licence-used-materials.png", full_page=True)
    upload_missing(page, scan)
    page.goto(page.url.replace("/materials/", "/review/"))
    page.get_by_label("本人（单位）承诺", exact=False).check()
    page.get_by_role("button", name="提交申请").click()
    expect(page.locator(".messagelist, .messages").first).to_contain_text("编号")

    # --- a citizen: 个体工商户设立登记 under a commitment, granted on the spot
    citizen_page = browser.new_page(locale="zh-CN", viewport={"width": 390, "height": 844})
    login_public(citizen_page, url, world["citizen"])
    citizen_page.goto(url + "/services/SCJG-DJ-0003/")
    citizen_page.get_by_role("link", name="在线申请").click()
    citizen_page.get_by_role("button", name="开始填写申请").click()
    citizen_page.get_by_label("签署告知承诺书代替", exact=False).check()
    citizen_page.get_by_role("button", name="保存并继续").click()
    expect(citizen_page.locator("li.material").filter(has_text="经营场所使用相关文件")).to_contain_text("告知承诺书代替")
    upload_missing(citizen_page, scan)
    citizen_page.goto(citizen_page.url.replace("/materials/", "/review/"))
    expect(citizen_page.locator(".commitment-notice")).to_contain_text("经营场所")
    citizen_page.get_by_label("本人（单位）承诺", exact=False).check()
    citizen_page.get_by_role("button", name="提交申请").click()
    # the commitment is not signed yet: the form says so and keeps the declaration
    expect(citizen_page.locator(".error-summary")).to_contain_text("请签署承诺")
    citizen_page.get_by_label("本人已阅读上述告知内容", exact=False).check()
    citizen_page.get_by_role("button", name="提交申请").click()
    expect(citizen_page.locator("body")).to_contain_text("当场办结")
    expect(citizen_page.locator("li.licence-issued")).to_contain_text("营业执照")
    citizen_page.screenshot(path=f"{SHOTS}/commitment-on-the-spot-phone.png", full_page=True)
    citizen_page.get_by_role("link", name="我的证照").first.click()
    expect(citizen_page.locator(".licence-list")).to_contain_text("有效")
    axe_check(citizen_page)

    # --- the clerk checks: 不实 → the licence is revoked, the public verification page says so
    clerk = browser.new_page(locale="zh-CN", viewport={"width": 1280, "height": 900})
    login_admin(clerk, url, world["clerk"])
    clerk.goto(url + "/admin/")
    clerk.get_by_role("link", name="待核查的承诺").click()
    clerk.locator("#result_list tbody th a, #result_list tbody td a").first.click()
    clerk.get_by_role("link", name="核查不实").click()
    expect(clerk.locator(".transition-consequences, .module").first).to_be_visible()
    clerk.get_by_label("核查发现的问题", exact=False).fill("现场核查：经营场所为他人住宅，未取得使用权")
    clerk.screenshot(path=f"{SHOTS}/check-false-form.png", full_page=True)
    clerk.get_by_role("button", name="核查不实").click()
    expect(clerk.locator(".messagelist").last).to_contain_text("核查不实")
    code = citizen_page.locator(".licence-list .meta").first.inner_text().split()[-1]
    public = browser.new_page(locale="zh-CN")
    public.goto(f"{url}/verify/{code}")
    expect(public.locator("body")).to_contain_text("已吊销")
    expect(public.locator("body")).to_contain_text("文书真实，但其证明的事项已不再有效")
    public.screenshot(path=f"{SHOTS}/verify-revoked-licence.png", full_page=True)


def test_a_person_registered_online_verifies_their_identity_before_their_licences_show(page, live_server, axe_check,
                                                                                        roles, tmp_path, settings):
    """ADR 0011: a licence registered under an ID number is not shown to whoever registers with that number until
    the account's identity is verified; the person verifies online (the demo's stand-in for the national service)
    and finds it in 我的证照."""
    from django.core.management import call_command

    from apps.organizations.models import Department
    from tests.accounts.factories import StaffFactory, make_id_number

    call_command("load_demo", "--reference-only", verbosity=0)
    settings.IDENTITY_CHECK_BACKEND = "apps.accounts.identity.DemoIdentityCheck"
    health = Department.objects.get(code="city-health")
    number = make_id_number(733)
    licence_issue(actor=StaffFactory(department=health, roles=["clerk"]), issuing_department=health,
                  data=LicenceData(kind=LicenceKind.objects.get(code="birth-certificate"), number="CS-0733",
                                   holder_code=number, holder_name="孙小华", valid_from=dt.date(2026, 3, 2)))
    url = live_server.url
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(url + "/accounts/register/citizen/")
    page.get_by_label("真实姓名").fill("孙小华")
    page.get_by_label("居民身份证号码").fill(number)
    page.get_by_label("手机号").fill("13912340733")
    page.locator("#id_password1").fill("Bright-river-2026")
    page.locator("#id_password2").fill("Bright-river-2026")
    page.get_by_role("button", name="注册").click()
    expect(page.locator(".facts")).to_contain_text("未核验")
    page.goto(url + "/licences/")
    expect(page.locator("main")).to_contain_text("您的身份尚未核验")
    expect(page.locator("main")).not_to_contain_text("CS-0733")
    axe_check(page)
    page.get_by_role("link", name="实名核验").click()
    expect(page.locator("main")).to_contain_text("政务服务中心任一窗口")
    axe_check(page)
    page.screenshot(path=f"{SHOTS}/identity-verify-phone.png", full_page=True)
    page.get_by_role("button", name="在线核验").click()
    expect(page.locator(".messages")).to_contain_text("身份核验成功")
    expect(page.locator("main")).to_contain_text("CS-0733")
    expect(page.locator("main")).not_to_contain_text("您的身份尚未核验")
    axe_check(page)


def test_a_window_clerk_verifies_an_identity_from_the_admin_index(browser, live_server, axe_check, roles):
    """ADR 0011: a person registered online comes with the ID card; the window clerk opens 窗口实名核验 from the admin
    index, ticks that the card was checked, and the account is verified."""
    from django.core.management import call_command

    from apps.accounts.services import citizen_register
    from apps.organizations.models import Department
    from tests.accounts.factories import StaffFactory, make_id_number

    call_command("load_demo", "--reference-only", verbosity=0)
    person = citizen_register(phone="13912340744", password="Bright-river-2026", real_name="周小明",
                              id_number=make_id_number(744))
    window = StaffFactory(department=Department.objects.get(code="city-service-center"), roles=["window_clerk"])
    page = browser.new_page(locale="zh-CN", viewport={"width": 1280, "height": 900})
    login_admin(page, live_server.url, window)
    page.get_by_role("link", name="窗口实名核验").click()
    page.get_by_label("身份证号码或统一社会信用代码").fill(make_id_number(744))
    page.get_by_label("注册时使用的手机号").fill("13912340744")
    page.get_by_role("button", name="核验身份").click()
    expect(page.locator(".errornote, .errorlist").first).to_contain_text("请确认已当面查验")
    page.get_by_label("我已当面查验身份证").check()
    page.screenshot(path=f"{SHOTS}/identity-window-check.png", full_page=True)
    axe_check(page)
    page.get_by_role("button", name="核验身份").click()
    expect(page.locator(".messagelist")).to_contain_text("身份已核验：周小明")
    person.refresh_from_db()
    assert person.identity_method == "window"
