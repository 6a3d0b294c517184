"""The dispatcher trains the classifier from the admin and reads its figures; then a resident's 随手拍 that the model
is sure of is registered and dispatched with no one's click, and the resident's page says so (ADR 0010)."""
import io
import re

import pytest
from playwright.sync_api import expect

from apps.grid.constants import Status
from apps.grid.models import CategoryModel, GridCase
from tests.e2e.helpers import login_admin, login_public
from tests.grid.classifier_data import closed_cases
from tests.grid.factories import load_people, load_world

pytestmark = pytest.mark.django_db(transaction=True)

SHOTS = "var/screens"


def _photo(tmp_path):
    from PIL import Image

    path = tmp_path / "现场.jpg"
    out = io.BytesIO()
    Image.new("RGB", (320, 240), (120, 110, 90)).save(out, "JPEG")
    path.write_bytes(out.getvalue())
    return path


def test_train_then_a_sure_report_is_dispatched_with_no_click(page, browser, live_server, axe_check, tmp_path,
                                                               settings):
    settings.PORTAL_BASE_URL = live_server.url
    settings.GRID_AUTO_DISPATCH_CONFIDENCE = 0.85
    world = load_people(load_world())
    closed_cases()
    url = live_server.url

    # --- the dispatcher trains the model from the admin and reads what it is worth.
    staff = browser.new_page(locale="zh-CN", viewport={"width": 1280, "height": 900})
    login_admin(staff, url, world["dispatcher"])
    staff.get_by_role("link", name="分类模型").first.click()
    staff.get_by_role("button", name="立即训练").click()
    expect(staff.locator(".messagelist")).to_contain_text("第1版已用 350 件案件训练完成")
    model = CategoryModel.objects.get()
    expect(staff.locator("#result_list")).to_contain_text(f"{model.held_out_accuracy:.1%}")
    expect(staff.locator("#result_list")).to_contain_text(f"{model.keyword_accuracy:.1%}")
    axe_check(staff)  # the admin's breadcrumbs are underlined (admin-extra.css): links told apart without colour
    staff.screenshot(path=f"{SHOTS}/grid-classifier-admin.png", full_page=True)
    staff.locator("#result_list").get_by_role("link", name="1", exact=True).click()
    expect(staff.locator("#content")).to_contain_text("暴露垃圾")
    staff.screenshot(path=f"{SHOTS}/grid-classifier-version.png", full_page=True)

    # --- a resident reports on a phone, without choosing a category.
    page.set_viewport_size({"width": 390, "height": 844})
    page.context.grant_permissions(["geolocation"], origin=url)
    page.context.set_geolocation({"latitude": 41.105, "longitude": 122.005})
    login_public(page, url, world["citizen"])
    page.goto(url + "/grid/report/")
    page.get_by_label("发现了什么问题？").fill("小区门口塑料袋和剩饭撒了一地，好几天了")
    page.get_by_label("位置（地址或标志物）").fill("兴隆台街12号门前")
    page.get_by_label("照片（JPEG或PNG，最多3张）").set_input_files(str(_photo(tmp_path)))
    page.get_by_role("button", name="使用我的当前位置").click()
    expect(page.locator("#locate-status")).to_contain_text("已添加位置")
    page.get_by_role("button", name="上报", exact=True).click()
    expect(page.locator(".messages")).to_contain_text("已上报")
    case = GridCase.objects.get(description__startswith="小区门口塑料袋")
    assert case.status == Status.DISPATCHED and case.category.code == "1101"
    expect(page.locator("main")).to_contain_text("已派遣至责任部门")
    page.screenshot(path=f"{SHOTS}/grid-classifier-dispatched-phone.png", full_page=True)
    axe_check(page)

    # --- the handler finds it in their queue with no dispatcher having touched it.
    handler = browser.new_page(locale="zh-CN", viewport={"width": 1280, "height": 900})
    login_admin(handler, url, world["handler"])
    handler.goto(url + "/admin/grid/gridcase/")
    expect(handler.locator("#result_list")).to_contain_text(case.number)
    handler.get_by_role("link", name=case.number).click()
    expect(handler.locator("#content")).to_contain_text(re.compile("自动立案|已立案"))
    handler.screenshot(path=f"{SHOTS}/grid-classifier-case.png", full_page=True)

    # --- the same with no click in every demo district: each report reaches its own district's bureau by the
    # district's routing rule (issue 17's "done when": a 随手拍 in each district, the right department, no click).
    from tests.e2e.test_grid_journey import DISTRICTS

    for district, lat, lng, bureau in DISTRICTS:
        if district == "兴隆台区":
            continue  # the report above (a second one there, at the same spot, would be a possible duplicate)
        page.context.set_geolocation({"latitude": lat, "longitude": lng})
        page.goto(url + "/grid/report/")
        page.get_by_label("发现了什么问题？").fill(f"{district}路边塑料袋和剩饭撒了一地，好几天了")
        page.get_by_label("位置（地址或标志物）").fill(f"{district}某路口")
        page.get_by_role("button", name="使用我的当前位置").click()
        expect(page.locator("#locate-status")).to_contain_text("已添加位置")
        page.get_by_role("button", name="上报", exact=True).click()
        expect(page.locator("main")).to_contain_text("已派遣至责任部门")
        case = GridCase.objects.get(description__startswith=f"{district}路边塑料袋")
        assert (case.status, case.district.name, case.department.name) == (Status.DISPATCHED, district, bureau)
