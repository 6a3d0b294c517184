"""A clerk works the example case in the admin: refusal without reasons is explained, then refused with reasons; the
applicant sees the public timeline and the verification page confirms the refusal notice."""
import pytest
from django.contrib.auth.models import Permission
from playwright.sync_api import expect

from apps.documents.models import Document
from tests.accounts.factories import PASSWORD
from tests.example_app.factories import make_world, submit

pytestmark = pytest.mark.django_db(transaction=True)


def test_clerk_refuses_with_reasons_and_the_notice_verifies(page, live_server, axe_check, roles, settings):
    settings.PORTAL_BASE_URL = live_server.url
    world = make_world()
    world["clerk"].user_permissions.add(Permission.objects.get(codename="view_examplecase"))
    case = submit(world)

    page.goto(live_server.url + "/admin/login/")
    page.get_by_label("用户名").fill(world["clerk"].username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.goto(live_server.url + f"/admin/example_app/examplecase/{case.pk}/change/")
    expect(page.locator("body")).to_contain_text("提交申请")
    axe_check(page)
    page.screenshot(path="var/screens/admin-case.png", full_page=True)

    page.get_by_role("link", name="不予受理").click()
    page.get_by_label("内部备注（仅工作人员可见）").fill("已电话告知")
    page.get_by_role("button", name="确认：不予受理").click()
    expect(page.locator(".errornote, .errorlist").first).to_contain_text("请填写理由")
    expect(page.get_by_label("内部备注（仅工作人员可见）")).to_have_value("已电话告知")
    axe_check(page)
    page.screenshot(path="var/screens/admin-transition-error.png", full_page=True)

    page.get_by_label("理由（申请人可见）").fill("缺少营业执照复印件")
    page.get_by_role("button", name="确认：不予受理").click()
    expect(page.locator(".messagelist .success")).to_contain_text("已完成：不予受理")
    expect(page.locator(".readonly").filter(has_text="不予受理").first).to_be_visible()

    document = Document.objects.get(kind="example_refusal_notice")
    page.goto(live_server.url + f"/verify/{document.verification_code}")
    expect(page.locator("dl.facts")).to_contain_text(document.number)
    expect(page.locator("dl.facts")).to_contain_text("盘锦市商务局")
    axe_check(page)
    page.screenshot(path="var/screens/verify.png", full_page=True)
