"""一件事一次办 in a browser: a citizen finds 开办餐饮店一件事 from the service catalogue, fills in one form, gives each
material once and submits once; the market-regulation clerk grants 个体工商户设立登记 in the admin with the usual
buttons, which issues the business licence and starts the two items that needed it; the health clerk and the
market-regulation clerk grant those; the citizen follows all three on one page and gets the combined notice."""
import pytest
from playwright.sync_api import expect

from apps.applications.models import Application
from apps.bundles.models import BundleApplication
from tests.applications.factories import PDF
from tests.bundles.factories import bundle_world
from tests.e2e.helpers import login_admin, login_public

pytestmark = pytest.mark.django_db(transaction=True)

SHOTS = "var/screens"


def _press(page, action, fill=None):
    page.get_by_role("link", name=action, exact=True).click()
    if fill:
        fill(page)
    page.get_by_role("button", name=f"确认：{action}").click()
    expect(page.locator(".messagelist .success")).to_contain_text(action)


def _admin(browser, url, user):
    page = browser.new_page(locale="zh-CN", viewport={"width": 1280, "height": 900})
    login_admin(page, url, user)
    return page


def _grant_in_admin(browser, url, clerk, application, bundle_reference, result_file, shot=None):
    """The clerk accepts; the item's signers approve (承办 → 审核 → 批准 where its sign-off says so); the clerk
    completes, attaching the result file when the item issues no licence."""
    from apps.catalogue.constants import SignOff
    from apps.organizations.constants import Role
    from tests.accounts.factories import StaffFactory

    page = _admin(browser, url, clerk)
    page.goto(url + "/admin/applications/application/")
    page.get_by_role("link", name=application.reference).click()
    change = page.url
    expect(page.locator("body")).to_contain_text(bundle_reference)  # the clerk sees the bundle it came with
    if shot:
        page.screenshot(path=f"{SHOTS}/{shot}", full_page=True)
    _press(page, "受理")
    signoff = application.service.signoff
    if signoff == SignOff.CLERK:
        _press(page, "准予许可")
    else:
        def proposal(form):
            form.get_by_label("准予").check()
            form.get_by_label("承办意见（供审核、批准人阅，不向申请人显示）").fill("材料齐全，符合条件")
        _press(page, "提出承办意见", proposal)
        signers = [(Role.SECTION_HEAD, "审核：同意")] if signoff == SignOff.FULL else []
        for role, action in [*signers, (Role.DEPARTMENT_HEAD, "准予许可")]:
            signer = _admin(browser, url, StaffFactory(department=application.department, roles=[role]))
            signer.goto(change)
            _press(signer, action)
            signer.close()
        page.goto(change)
    if application.service.licence_kind_id:
        _press(page, "办结")
    else:
        _press(page, "办结", lambda form: form.locator("input[type=file]").set_input_files(str(result_file)))
    page.close()


def test_apply_once_for_a_bundle_and_follow_it_to_one_result(page, browser, live_server, axe_check, roles, tmp_path,
                                                              settings):
    settings.PORTAL_BASE_URL = live_server.url
    world = bundle_world()
    url = live_server.url
    scan = tmp_path / "材料.pdf"
    scan.write_bytes(PDF)

    # --- the citizen finds the bundle and applies once ---
    login_public(page, url, world["citizen"])
    page.goto(url + "/services/")
    page.locator(".bundle-link").get_by_role("link", name="一件事一次办").click()
    axe_check(page)
    page.get_by_role("link", name="开办餐饮店一件事").click()
    expect(page.locator("ol.bundle-items li")).to_have_count(3)
    expect(page.locator("body")).to_contain_text("免提交：将使用以下事项发放的电子证照")
    axe_check(page)
    page.screenshot(path=f"{SHOTS}/bundle-page.png", full_page=True)
    page.get_by_role("button", name="一次申请全部事项").click()
    # A mistake keeps what was typed.
    page.get_by_label("地址").fill("兴隆台区市府大路8号")
    page.get_by_label("手机号").fill("1390")
    page.get_by_role("button", name="保存并继续").click()
    expect(page.locator(".error-summary")).to_be_visible()
    expect(page.get_by_label("地址")).to_have_value("兴隆台区市府大路8号")
    page.get_by_label("手机号").fill(world["citizen"].phone)
    axe_check(page)
    page.get_by_role("button", name="保存并继续").click()

    # Each material once: 营业执照 is not asked (the first item issues it); the others have one upload each.
    materials = page.locator("li.material")
    expect(page.locator("li.material .licence-fed")).to_have_count(1)
    uploads = page.locator("li.material form.upload-form")
    count = uploads.count()
    assert count == materials.count() - 1
    axe_check(page)
    for index in range(count):
        form = page.locator("li.material.missing form.upload-form").first
        form.locator("input[type=file]").set_input_files(str(scan))
        form.get_by_role("button", name="上传").click()
        # An uploaded material keeps a form to replace its file; the next one still missing is uploaded next.
        expect(page.locator("li.material .uploaded")).to_have_count(index + 2)
    page.screenshot(path=f"{SHOTS}/bundle-materials.png", full_page=True)
    page.get_by_role("link", name="下一步：确认信息").click()
    expect(page.locator("dl.facts")).to_contain_text("兴隆台区市府大路8号")
    page.get_by_role("button", name="提交一件事申请").click()
    expect(page.locator(".form-errors, .error").first).to_contain_text("声明")
    page.get_by_label("本人（单位）承诺", exact=False).check()
    axe_check(page)
    page.get_by_role("button", name="提交一件事申请").click()
    bundle = BundleApplication.objects.get(applicant=world["citizen"])
    expect(page.locator(".messages")).to_contain_text(bundle.reference)
    expect(page.locator("table.bundle-progress tbody tr")).to_have_count(3)
    expect(page.locator("table.bundle-progress")).to_contain_text("等待同一件事中的前序事项办结")
    axe_check(page)
    page.screenshot(path=f"{SHOTS}/bundle-submitted.png", full_page=True)

    # --- the clerks of both departments handle their items with their usual buttons ---
    registration = Application.objects.get(bundle=bundle, service__code="SCJG-DJ-0003")
    _grant_in_admin(browser, url, world["clerk"], registration, bundle.reference, scan, shot="bundle-admin-item.png")
    hygiene = Application.objects.get(bundle=bundle, service__code="WJ-GG-0003")
    food = Application.objects.get(bundle=bundle, service__code="SCJG-XK-0001")
    assert hygiene.status == food.status == "submitted"  # released by the business licence just issued
    page.reload()
    expect(page.locator("table.bundle-progress")).to_contain_text("营业执照")
    _grant_in_admin(browser, url, world["health_clerk"], hygiene, bundle.reference, scan)
    _grant_in_admin(browser, url, world["clerk"], food, bundle.reference, scan)

    # --- the citizen sees one page and the combined notice ---
    page.reload()
    expect(page.locator("dl.facts")).to_contain_text("已办结：全部事项已办结")
    expect(page.get_by_role("heading", name="办理结果告知书")).to_be_visible()
    expect(page.locator("body")).to_contain_text("一件事办理结果告知书")
    axe_check(page)
    page.screenshot(path=f"{SHOTS}/bundle-completed.png", full_page=True)
    page.locator(".tools").get_by_role("link", name="我的办件").click()
    expect(page.locator(".bundle-rows")).to_contain_text(bundle.reference)
