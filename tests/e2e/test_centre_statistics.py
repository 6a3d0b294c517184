"""The service centre's statistics (issue 16 item 5): a department head opens them from the admin index and reads
the chart, the table with its totals and the definitions; the xlsx link downloads the same table."""
import pytest
from playwright.sync_api import expect

from tests.e2e.helpers import login_admin

pytestmark = pytest.mark.django_db(transaction=True)

SHOTS = "var/screens"


def test_department_head_reads_the_statistics_with_chart_and_table(page, live_server, settings):
    from tests.applications.factories import accepted, approve, load_world, submitted

    settings.PORTAL_BASE_URL = live_server.url
    world = load_world()  # the market-regulation bureau's head, as the demo's 李主任
    granted = accepted(world)
    approve(world, granted)  # through the item's sign-off chain
    submitted(world)
    submitted(world, service=world["other_service"])  # another department's: not in this head's figures
    url = live_server.url

    login_admin(page, url, world["head"])
    page.goto(url + "/admin/")
    page.locator('[data-report="applications.statistics"]').get_by_role("link").click()
    expect(page.locator("h1")).to_contain_text("统计")
    chart = page.locator("canvas#stats-chart")
    expect(chart).to_be_visible()
    # Chart.js drew on the canvas (it sets its size when it renders).
    page.wait_for_function("document.getElementById('stats-chart').style.width !== ''")
    table = page.locator("#statistics-table")
    expect(table.locator("tbody tr")).to_have_count(1)
    totals = table.locator("tfoot tr")
    expect(totals.locator("td").nth(0)).to_have_text("2")  # applications: the two of this department
    expect(totals.locator("td").nth(5)).to_have_text("1")  # decided
    expect(totals.locator("td").nth(6)).to_have_text("100.0")  # decided on time (%)
    expect(page.locator(".stats-definitions")).to_be_visible()
    page.screenshot(path=f"{SHOTS}/admin-centre-statistics.png", full_page=True)

    page.get_by_label("每行").select_option("channel")
    page.get_by_role("button", name="查看").click()
    expect(table.locator("tbody tr")).to_have_count(1)
    with page.expect_download() as download:
        page.locator("#statistics-xlsx").click()
    assert download.value.suggested_filename.endswith("-channel.xlsx")
