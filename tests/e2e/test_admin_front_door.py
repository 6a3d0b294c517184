"""A clerk's and a dispatcher's day starts on the admin index (issue 19): their own queues with counts, one click to
each list; an action page says what confirming it does, shows what is judged, and has a way back."""
import pytest
from playwright.sync_api import expect

from tests.e2e.helpers import login_admin

pytestmark = pytest.mark.django_db(transaction=True)

SHOTS = "var/screens"


def test_clerk_starts_from_counts_and_reads_what_a_supplement_request_does(page, live_server, settings):
    from apps.applications.selectors import application_materials
    from tests.applications.factories import load_world, submitted

    settings.PORTAL_BASE_URL = live_server.url
    world = load_world()
    first, second = submitted(world), submitted(world)
    submitted(world, service=world["other_service"])  # another department's: not in the clerk's numbers
    url = live_server.url

    login_admin(page, url, world["clerk"])
    page.goto(url + "/admin/")
    board = page.locator("#work-dashboard")
    expect(board).to_contain_text("我的待办")
    to_accept = board.locator('[data-queue="applications.to_accept"]')
    expect(to_accept.locator(".dashboard-count")).to_have_text("2")
    expect(board.locator('[data-queue="applications.overdue"]')).to_be_visible()
    expect(board.locator('[data-queue^="grid."]')).to_have_count(0)
    # Only the calendar operator is told about the calendar.
    expect(page.locator('[data-queue="calendar"]')).to_have_count(0)
    page.screenshot(path=f"{SHOTS}/admin-index-clerk.png", full_page=True)

    to_accept.get_by_role("link").click()
    expect(page.locator("#result_list tbody tr")).to_have_count(2)
    page.get_by_role("link", name=first.reference).click()
    page.locator("a.workflow-action[href$='/transition/request_supplement/']").click()

    consequences = page.locator(".transition-consequences")
    expect(consequences).to_contain_text("确认此操作后将会")
    expect(consequences).to_contain_text("一次性告知书")
    expect(consequences).to_contain_text("受理时限暂停")
    expect(consequences).to_contain_text("站内信和短信")
    judged = page.locator(".transition-judged")
    for state in application_materials(application=first):
        if state.attachment:
            expect(judged.get_by_role("link", name=state.attachment.original_name)).to_be_visible()
    expect(page.get_by_label("给申请人的意见")).to_be_visible()
    page.screenshot(path=f"{SHOTS}/admin-action-supplement.png", full_page=True)

    page.get_by_role("link", name="取消并返回").click()
    expect(page).to_have_url(f"{url}/admin/applications/application/{first.pk}/change/")
    first.refresh_from_db()
    assert first.status == "submitted"  # nothing happened
    assert second.pk != first.pk


def test_dispatcher_starts_from_counts_and_sees_where_a_case_goes(page, live_server, settings):
    from tests.grid.factories import load_people, load_world, photo_report

    settings.PORTAL_BASE_URL = live_server.url
    world = load_people(load_world())
    case = photo_report(world)
    url = live_server.url

    login_admin(page, url, world["dispatcher"])
    page.goto(url + "/admin/")
    board = page.locator("#work-dashboard")
    expect(board.locator('[data-queue="grid.to_register"] .dashboard-count')).to_have_text("1")
    expect(board.locator('[data-queue="grid.to_dispatch"] .dashboard-count')).to_have_text("0")
    expect(board.locator('[data-queue="grid.returned"] .dashboard-count')).to_have_text("0")
    expect(board.locator('[data-queue^="applications."]')).to_have_count(0)
    page.screenshot(path=f"{SHOTS}/admin-index-dispatcher.png", full_page=True)

    board.locator('[data-queue="grid.to_register"]').get_by_role("link").click()
    page.get_by_role("link", name=case.number).click()
    page.get_by_role("link", name="立案", exact=True).click()
    expect(page.locator(".transition-judged")).to_contain_text(world["garbage"].department.name)
    expect(page.locator(".transition-consequences")).to_contain_text("派遣时限")
    expect(page.get_by_label("给上报人的说明（显示在其案件页面）")).to_be_visible()
    expect(page.get_by_text("给申请人")).to_have_count(0)
    page.screenshot(path=f"{SHOTS}/admin-action-register.png", full_page=True)
    page.get_by_role("link", name="取消并返回").click()
    expect(page).to_have_url(f"{url}/admin/grid/gridcase/{case.pk}/change/")
