"""The one form pattern (issue 19) at phone and desktop sizes, in standard and 大字模式: boxes beside their labels,
larger in 大字模式, the error summary first, axe clean."""
import re

import pytest
from playwright.sync_api import expect

from apps.applications import services
from tests.applications.factories import load_world
from tests.e2e.helpers import login_public

pytestmark = pytest.mark.django_db(transaction=True)

SHOTS = "var/screens"


def _box_size(page):
    box = page.locator("fieldset.choice-group input[type=checkbox]").first.bounding_box()
    return box["width"]


@pytest.mark.parametrize("width", [390, 1280])
def test_boxes_beside_labels_and_larger_in_large_text(page, live_server, axe_check, roles, width):
    world = load_world()
    application = services.application_start(applicant=world["citizen"], service=world["service"])
    url = live_server.url
    page.set_viewport_size({"width": width, "height": 844})
    login_public(page, url, world["citizen"])
    page.goto(f"{url}/applications/{application.pk}/applicant/")
    page.get_by_label("手机号").fill("")
    page.get_by_role("button", name="保存并继续").click()
    expect(page).to_have_title(re.compile("^错误："))
    expect(page.locator(".error-summary")).to_contain_text("请填写“手机号”。")  # the field's own message
    standard = _box_size(page)
    axe_check(page)
    page.screenshot(path=f"{SHOTS}/form-pattern-{width}.png", full_page=True)
    page.get_by_role("button", name="大字模式").click()
    expect(page.locator("html")).to_have_class(re.compile("large-text"))
    large = _box_size(page)
    assert large > standard >= 24
    for box in page.locator("fieldset.choice-group .choice").all():
        assert box.bounding_box()["height"] >= 44
    axe_check(page)
    page.screenshot(path=f"{SHOTS}/form-pattern-{width}-large.png", full_page=True)


@pytest.mark.parametrize("width", [390, 1280])
def test_the_report_form_in_large_text_mode(page, live_server, axe_check, width):
    """随手拍 at both sizes in 大字模式: an address rather than coordinates, grouped categories, the summary first."""
    from tests.grid.factories import load_people, load_world as load_grid

    world = load_people(load_grid())
    url = live_server.url
    page.set_viewport_size({"width": width, "height": 844})
    login_public(page, url, world["citizen"])
    page.goto(url + "/grid/report/")
    page.get_by_role("button", name="大字模式").click()
    expect(page.locator("html")).to_have_class(re.compile("large-text"))
    page.get_by_label("位置（地址或标志物）").fill("兴隆台街12号门前")
    page.get_by_role("button", name="上报", exact=True).click()
    summary = page.locator(".error-summary")
    expect(summary).to_be_focused()
    summary.get_by_role("link", name=re.compile("请描述问题")).click()
    expect(page.get_by_label("发现了什么问题？")).to_be_focused()
    expect(page.get_by_label("位置（地址或标志物）")).to_have_value("兴隆台街12号门前")
    axe_check(page)
    page.screenshot(path=f"{SHOTS}/grid-report-large-{width}.png", full_page=True)
