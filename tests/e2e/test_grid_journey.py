"""A resident reports rubbish with a photo (随手拍); the dispatch centre registers it and it is dispatched automatically;
the district's urban management handles it with a photo; the grid member verifies it on site; the resident rates it."""
import io
import re

import pytest
from playwright.sync_api import expect

from apps.grid.models import GridCase
from tests.e2e.helpers import login_admin, login_public
from tests.grid.factories import load_people, load_world

pytestmark = pytest.mark.django_db(transaction=True)

SHOTS = "var/screens"


def _photo(tmp_path, name):
    from PIL import Image

    path = tmp_path / name
    out = io.BytesIO()
    Image.new("RGB", (320, 240), (120, 110, 90)).save(out, "JPEG")
    path.write_bytes(out.getvalue())
    return path


def _staff_page(browser, url, user, width=390):
    page = browser.new_page(locale="zh-CN", viewport={"width": width, "height": 844})
    login_admin(page, url, user)
    return page


def test_report_dispatch_handle_verify_rate(page, browser, live_server, axe_check, tmp_path, settings):
    settings.PORTAL_BASE_URL = live_server.url
    world = load_people(load_world())
    url = live_server.url

    # --- the resident reports on a phone. No 纬度/经度 to type: an address, and the locate button fills hidden
    # coordinates. A place outside the city is refused at the address, with the text and the choices kept, and the
    # photo named as the one to choose again (a browser cannot keep a chosen file).
    page.set_viewport_size({"width": 390, "height": 844})
    page.context.grant_permissions(["geolocation"], origin=url)
    page.context.set_geolocation({"latitude": 39.9, "longitude": 116.4})
    login_public(page, url, world["citizen"])
    page.goto(url + "/grid/report/")
    expect(page.get_by_label("纬度")).to_have_count(0)
    category = page.get_by_label("问题类别（如知道）")
    assert category.locator("optgroup").count() > 3  # grouped under their parents, not one long list
    page.get_by_label("发现了什么问题？").fill("小区门口垃圾成堆，好几天没人清理")
    page.get_by_label("位置（地址或标志物）").fill("兴隆台街12号门前")
    page.get_by_label("不向处置部门显示我的姓名和电话").check()
    page.get_by_label("照片（JPEG或PNG，最多3张）").set_input_files(str(_photo(tmp_path, "垃圾.jpg")))
    page.get_by_role("button", name="使用我的当前位置").click()
    expect(page.locator("#locate-status")).to_contain_text("已添加位置")
    page.get_by_role("button", name="上报", exact=True).click()
    expect(page).to_have_title(re.compile("^错误："))
    summary = page.locator(".error-summary")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("不在本市范围内")
    expect(summary).to_contain_text("垃圾.jpg")
    summary.get_by_role("link", name=re.compile("不在本市范围内")).click()
    expect(page.get_by_label("位置（地址或标志物）")).to_be_focused()
    expect(page.get_by_label("发现了什么问题？")).to_have_value("小区门口垃圾成堆，好几天没人清理")
    expect(page.get_by_label("位置（地址或标志物）")).to_have_value("兴隆台街12号门前")
    expect(page.get_by_label("不向处置部门显示我的姓名和电话")).to_be_checked()
    expect(page.locator("main")).to_contain_text("您选择过 垃圾.jpg，请在下方重新选择")
    page.screenshot(path=f"{SHOTS}/grid-report-error-phone.png", full_page=True)
    axe_check(page)
    page.context.set_geolocation({"latitude": 41.105, "longitude": 122.005})
    page.get_by_role("button", name="使用我的当前位置").click()
    expect(page.locator("#locate-status")).to_contain_text("已添加位置")
    page.get_by_label("照片（JPEG或PNG，最多3张）").set_input_files(str(_photo(tmp_path, "垃圾.jpg")))
    axe_check(page)
    page.get_by_role("button", name="上报", exact=True).click()
    expect(page.locator(".messages")).to_contain_text("已上报")
    # The confirmation says what happens next and by when.
    expect(page.locator(".confirm-box")).to_contain_text("网格中心将在")
    expect(page.locator(".confirm-box")).to_contain_text("前核实并立案")
    case = GridCase.objects.get()
    assert case.grid == world["first_grid"] and case.suggested_category.code == "1101"
    page.screenshot(path=f"{SHOTS}/grid-reported-phone.png", full_page=True)

    # --- the dispatch centre registers it, takes the suggested category, and it goes to the district's department
    dispatcher = _staff_page(browser, url, world["dispatcher"], width=1280)
    dispatcher.goto(f"{url}/admin/grid/gridcase/")
    expect(dispatcher.locator("#result_list")).to_contain_text("推荐类别")
    dispatcher.get_by_role("link", name=case.number).click()
    expect(dispatcher.locator("#content")).to_contain_text("市容环境/暴露垃圾")
    dispatcher.get_by_role("link", name="立案", exact=True).click()
    dispatcher.get_by_role("button", name="确认：立案").click()
    # 立案 alone dispatches: the category names its department (no 派遣 click for such a case).
    expect(dispatcher.locator(".messagelist").last).to_contain_text("立案")
    expect(dispatcher.locator("#content")).to_contain_text("已派遣")
    expect(dispatcher.get_by_role("link", name="派遣", exact=True)).to_have_count(0)
    case.refresh_from_db()
    assert case.status == "dispatched" and case.department.code == "xinglongtai-urban-management"
    # Which rule sent it there, on the case page (routing rules, issue 17).
    routing = dispatcher.locator(".routing-note")
    expect(routing).to_contain_text("分拨规则“兴隆台区城市管理类归区（县）城管局：市容环境（11）”")
    expect(routing).to_contain_text("兴隆台区城市管理综合执法局")
    dispatcher.screenshot(path=f"{SHOTS}/grid-dispatched.png", full_page=True)

    # --- the handler reports the result with a photo, on a phone
    handler = _staff_page(browser, url, world["handler"])
    handler.goto(f"{url}/admin/grid/gridcase/{case.pk}/change/")
    handler.get_by_role("link", name="反馈处置结果").click()
    handler.get_by_label("处置结果").fill("已清运垃圾并冲洗地面")
    handler.get_by_label("处置照片（JPEG或PNG）").set_input_files(str(_photo(tmp_path, "处置后.jpg")))
    handler.get_by_role("button", name="确认：反馈处置结果").click()
    expect(handler.locator(".messagelist").last).to_contain_text("反馈处置结果")
    handler.screenshot(path=f"{SHOTS}/grid-handled-phone.png", full_page=True)

    # --- the grid member verifies on site
    member = _staff_page(browser, url, world["member"])
    member.goto(f"{url}/admin/grid/gridcase/{case.pk}/change/")
    expect(member.locator("#content")).to_contain_text("已清运垃圾并冲洗地面")
    member.get_by_role("link", name="核查：已解决").click()
    member.get_by_role("button", name="确认：核查：已解决").click()
    case.refresh_from_db()
    assert case.status == "closed"

    # --- the resident sees the result and rates it
    page.goto(f"{url}/grid/{case.number}/")
    expect(page.locator(".timeline")).to_contain_text("现场核查通过，已结案")
    expect(page.locator(".confirm-box")).to_contain_text("请在下方评价")
    # The evidence beside the rating form: the handler's result photo and the resident's own, as thumbnails that
    # load, each opening the full-size image (issue 17).
    photos = page.locator(".case-photos")
    result_photo = photos.get_by_role("img", name="处置后照片1（点击查看原图）")
    own_photo = photos.get_by_role("img", name="您拍摄的照片1（点击查看原图）")
    expect(result_photo).to_be_visible()
    expect(own_photo).to_be_visible()
    for img in (result_photo, own_photo):
        assert img.evaluate("i => i.complete && i.naturalWidth > 0"), "thumbnail did not load"
    assert page.locator(".case-evidence-rating form").count() == 1  # the rating form in the same block
    page.screenshot(path=f"{SHOTS}/grid-evidence-phone.png", full_page=True)
    axe_check(page)
    with page.expect_response(lambda r: "/files/" in r.url and "thumb" not in r.url) as full:
        result_photo.click()
    assert full.value.status == 200 and full.value.headers["content-type"] == "image/jpeg"
    page.go_back()
    page.get_by_label("意见").fill("处理很及时")
    page.get_by_role("button", name="提交评价").click()  # no level chosen: the comment stays, the level is asked for
    expect(page.locator(".error-summary")).to_contain_text("请选择处置结果")
    expect(page.get_by_label("意见")).to_have_value("处理很及时")
    page.get_by_role("link", name=re.compile("请选择处置结果")).click()
    expect(page.get_by_label("满意", exact=True)).to_be_focused()
    page.get_by_label("满意", exact=True).check()
    page.get_by_role("button", name="提交评价").click()
    expect(page.locator("main")).to_contain_text("满意")
    expect(page.locator(".confirm-box")).to_contain_text("感谢您的评价")
    expect(page.locator(".confirm-box")).not_to_contain_text("请在下方评价")
    case.refresh_from_db()
    assert case.rating.level == "satisfied"
    axe_check(page)
    page.screenshot(path=f"{SHOTS}/grid-rated-phone.png", full_page=True)
