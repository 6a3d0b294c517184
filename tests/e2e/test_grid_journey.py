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
    axe_check(dispatcher)

    # --- the handler reports the result with a photo, on a phone
    handler = _staff_page(browser, url, world["handler"])
    handler.goto(f"{url}/admin/grid/gridcase/{case.pk}/change/")
    handler.get_by_role("link", name="反馈处置结果").click()
    handler.get_by_label("处置结果").fill("已清运垃圾并冲洗地面")
    handler.get_by_label("处置照片（JPEG或PNG）").set_input_files(str(_photo(tmp_path, "处置后.jpg")))
    handler.get_by_role("button", name="确认：反馈处置结果").click()
    expect(handler.locator(".messagelist").last).to_contain_text("反馈处置结果")
    handler.screenshot(path=f"{SHOTS}/grid-handled-phone.png", full_page=True)
    axe_check(handler)

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


# A point inside a demo grid of each district, and the bureau its 暴露垃圾 goes to by the district's routing rule.
DISTRICTS = [("双台子区", 41.195, 122.045, "双台子区城市管理综合执法局"), ("大洼区", 40.985, 122.075, "大洼区城市管理综合执法局"),
             ("盘山县", 41.245, 121.995, "盘山县城市管理综合执法局"), ("兴隆台区", 41.105, 122.005, "兴隆台区城市管理综合执法局")]


def _snapshot(page, url, *, text, address, point=None):
    """The resident's 随手拍 in the browser, with the located point (or only the typed address), 暴露垃圾."""
    page.goto(url + "/grid/report/")
    page.get_by_label("发现了什么问题？").fill(text)
    page.get_by_label("位置（地址或标志物）").fill(address)
    page.get_by_label("问题类别（如知道）").select_option(label="暴露垃圾")
    if point is not None:
        page.context.set_geolocation({"latitude": point[0], "longitude": point[1]})
        page.get_by_role("button", name="使用我的当前位置").click()
        expect(page.locator("#locate-status")).to_contain_text("已添加位置")
    page.get_by_role("button", name="上报", exact=True).click()
    expect(page.locator(".messages")).to_contain_text("已上报")
    return GridCase.objects.order_by("-pk").first()


def test_each_district_routes_and_a_case_without_a_grid_closes(page, browser, live_server, axe_check, settings):
    """A 随手拍 in each demo district reaches its own bureau on the dispatcher's 立案 alone (no 派遣 click; with no
    click at all when the learned model is sure: test_grid_classifier_journey); a report without a grid waits at
    立案 for its place, is placed by the dispatcher in a community that has no grid — and dispatched then — verified
    by the street's grid staff, closed and rated."""
    from apps.organizations.constants import Role
    from apps.organizations.models import AdminUnit, Department
    from tests.accounts.factories import StaffFactory

    settings.PORTAL_BASE_URL = live_server.url
    world = load_people(load_world())
    url = live_server.url
    page.set_viewport_size({"width": 390, "height": 844})
    page.context.grant_permissions(["geolocation"], origin=url)
    login_public(page, url, world["citizen"])
    dispatcher = _staff_page(browser, url, world["dispatcher"], width=1280)

    for district, lat, lng, bureau in DISTRICTS:
        case = _snapshot(page, url, text=f"{district}路边垃圾成堆", address=f"{district}某路", point=(lat, lng))
        assert case.district.name == district
        dispatcher.goto(f"{url}/admin/grid/gridcase/{case.pk}/change/")
        dispatcher.get_by_role("link", name="立案", exact=True).click()
        expect(dispatcher.locator(".dispatch-department")).to_contain_text(bureau)  # said before the click
        dispatcher.get_by_role("button", name="确认：立案").click()
        expect(dispatcher.locator("#content")).to_contain_text("已派遣")
        expect(dispatcher.locator(".routing-note")).to_contain_text(bureau)
        expect(dispatcher.locator(".routing-note")).to_contain_text(district)
        case.refresh_from_db()
        assert case.department.name == bureau, district
    dispatcher.screenshot(path=f"{SHOTS}/grid-routed-panshan.png", full_page=True)

    # --- an address-only report: no grid; the dispatcher places it in 惠宾社区, which has no grid yet
    case = _snapshot(page, url, text="惠宾社区北门垃圾桶满了没人清", address="惠宾社区北门")
    assert case.grid is None and case.district is None
    dispatcher.goto(f"{url}/admin/grid/gridcase/{case.pk}/change/")
    dispatcher.get_by_role("link", name="立案", exact=True).click()
    expect(dispatcher.locator(".dispatch-department")).to_contain_text("尚未定位")  # not to the category's bureau
    dispatcher.get_by_role("button", name="确认：立案").click()
    case.refresh_from_db()
    assert case.status == "registered" and case.department is None
    dispatcher.get_by_role("link", name="定位案件").click()
    community = AdminUnit.objects.get(code="211103001003")
    dispatcher.get_by_label("或所属社区（尚未划分网格）").select_option(str(community.pk))
    dispatcher.screenshot(path=f"{SHOTS}/grid-place.png", full_page=True)
    dispatcher.get_by_role("button", name="定位案件").click()
    expect(dispatcher.locator(".messagelist").last).to_contain_text("已定位")
    case.refresh_from_db()
    assert case.community == community and case.street.code == "211103001" and case.grid is None
    assert case.status == "dispatched" and case.department.name == "兴隆台区城市管理综合执法局"  # placed: the rule

    handler = _staff_page(browser, url, world["handler"])
    handler.goto(f"{url}/admin/grid/gridcase/{case.pk}/change/")
    handler.get_by_role("link", name="反馈处置结果").click()
    handler.get_by_label("处置结果").fill("已清运，已联系物业增加清运频次")
    handler.get_by_role("button", name="确认：反馈处置结果").click()
    expect(handler.locator(".messagelist").last).to_contain_text("反馈处置结果")

    street_staff = StaffFactory(department=Department.objects.get(code="xinglong-street-office"),
                                roles=[Role.GRID_MEMBER])
    verifier = _staff_page(browser, url, street_staff)
    verifier.goto(f"{url}/admin/grid/gridcase/?queue=to_verify")
    verifier.get_by_role("link", name=case.number).click()
    verifier.get_by_role("link", name="核查：已解决").click()
    verifier.get_by_role("button", name="确认：核查：已解决").click()
    case.refresh_from_db()
    assert case.status == "closed"

    page.goto(f"{url}/grid/{case.number}/")
    expect(page.locator(".confirm-box")).to_contain_text("请在下方评价")
    page.get_by_label("基本满意", exact=True).check()
    page.get_by_role("button", name="提交评价").click()
    expect(page.locator(".confirm-box")).to_contain_text("感谢您的评价")
    axe_check(page)
    case.refresh_from_db()
    assert case.rating.level == "fairly_satisfied"


def test_an_overdue_step_climbs_to_the_district_on_its_own(page, browser, live_server, settings):
    """The beat's deadline sweep (run here at a later moment) climbs an overdue 处置 to 兴隆台区's command centre,
    whose staff find it in their dashboard queue and list, with the climb on the case's timeline."""
    import datetime as dt

    from apps.deadlines.services import deadlines_sweep_run
    from apps.grid import services
    from apps.organizations.constants import Role
    from apps.organizations.models import Department
    from tests.accounts.factories import StaffFactory
    from tests.grid.factories import register

    settings.PORTAL_BASE_URL = live_server.url
    settings.GRID_ESCALATION_HOURS = (24, 72)
    world = load_people(load_world())
    case = register(actor=world["dispatcher"], case=services.case_report(
        channel="photo", description="垃圾", lat=41.105, lng=122.005, category=world["garbage"],
        urgency="urgent", reporter=world["citizen"]))
    deadlines_sweep_run(now=case.current_deadline.due_at + dt.timedelta(hours=25))
    centre = StaffFactory(department=Department.objects.get(code="xinglongtai-grid-command"), roles=[Role.DISPATCHER])
    staff = _staff_page(browser, live_server.url, centre, width=1280)
    staff.goto(live_server.url + "/admin/")
    queue = staff.locator('[data-queue="grid.escalated"]')
    expect(queue).to_contain_text("升级督办（超期）")
    expect(queue.locator(".dashboard-count")).to_have_text("1")
    queue.get_by_role("link").click()
    expect(staff.locator("#result_list")).to_contain_text(case.number)
    expect(staff.locator("#result_list")).to_contain_text("已升级：区（县）网格化服务管理中心")
    staff.get_by_role("link", name=case.number).click()
    expect(staff.locator("#content")).to_contain_text("已升级至区（县）网格化服务管理中心（兴隆台区网格化服务管理中心）督办")
    staff.screenshot(path=f"{SHOTS}/grid-escalated-district.png", full_page=True)


def test_the_public_map_on_a_phone(page, live_server, axe_check):
    """The grids drawn from their polygons (SVG, no tiles), coloured by open cases; a grid tapped shows its figures."""
    from tests.grid.factories import photo_report

    world = load_people(load_world())
    for _ in range(3):
        photo_report(world)
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(live_server.url + "/grid/stats/")
    page.get_by_role("link", name="网格地图").click()
    expect(page.locator("svg.grid-map path")).to_have_count(40)
    page.get_by_role("link", name="兴隆社区第1网格：3个未结案件").click()
    expect(page.locator("#h-grid")).to_contain_text("兴隆社区第1网格")
    expect(page.locator(".confirm-box")).to_contain_text("3")
    axe_check(page)
    page.screenshot(path=f"{SHOTS}/grid-map-phone.png", full_page=True)
    # Coloured by the month's on-time rate instead: nothing closed yet, every grid grey and said so.
    page.get_by_label("着色依据").select_option(label="本月按时率")
    page.get_by_role("button", name="查看").click()
    expect(page.locator(".map-legend")).to_contain_text("本月结案案件的按时率")
    expect(page.locator("svg.grid-map").get_by_role("link", name="兴隆社区第1网格：本月无结案案件")).to_have_count(1)
    axe_check(page)
    page.screenshot(path=f"{SHOTS}/grid-map-on-time-phone.png", full_page=True)


def test_the_dispatcher_places_a_case_by_clicking_its_grid_on_the_map(browser, live_server, axe_check):
    """A hotline call whose point lies outside every grid: the dispatcher opens 定位案件, sees the district's grids
    and the call's point, clicks the grid, and places the case there; its member then has it to verify. The
    dispatcher's map and the place form pass axe."""
    from apps.grid import services
    from apps.grid.constants import Channel
    from apps.grid.models import Grid

    world = load_people(load_world())
    url = live_server.url
    case = services.case_report(channel=Channel.HOTLINE, description="兴隆台街东头路灯不亮", address="兴隆台街东头",
                                lat=41.125, lng=122.085, category=world["garbage"], reporter_phone="13800000007",
                                entered_by=world["dispatcher"])
    assert case.grid is None
    dispatcher = _staff_page(browser, url, world["dispatcher"], width=1280)
    dispatcher.goto(f"{url}/admin/grid/gridcase/map/?district=211103")
    expect(dispatcher.locator("svg.grid-map path")).to_have_count(40)
    axe_check(dispatcher)
    dispatcher.goto(f"{url}/admin/grid/gridcase/{case.pk}/change/")
    dispatcher.get_by_role("link", name="定位案件").click()
    expect(dispatcher.locator("svg.grid-map .map-here")).to_have_count(1)  # the call's point, beside the grids
    target = Grid.objects.get(code="21110300200204")
    dispatcher.locator("svg.grid-map").get_by_role("link", name=f"{target.name}：0个未结案件").click()
    expect(dispatcher.locator("#id_grid")).to_have_value(str(target.pk))
    dispatcher.screenshot(path=f"{SHOTS}/grid-place-map.png", full_page=True)
    axe_check(dispatcher)
    dispatcher.get_by_role("button", name="定位案件").click()
    expect(dispatcher.locator(".messagelist").last).to_contain_text("已定位")
    case.refresh_from_db()
    assert case.grid == target and case.district.code == "211103"


def test_a_hotline_caller_finds_the_answer_and_rates_it_on_a_phone(page, live_server, axe_check):
    """A policy question from the hotline, answered and closed by the dispatch centre with no on-site check: the
    caller (no account) looks it up with the number and phone, reads the answer and rates it."""
    from apps.grid import services
    from apps.grid.constants import Channel
    from apps.workflow.services import transition_perform

    world = load_people(load_world())
    case = services.case_report(channel=Channel.HOTLINE, description="咨询小区垃圾清运时间", address="兴隆社区",
                                category=world["garbage"], reporter_phone="13800000077",
                                entered_by=world["dispatcher"])
    case = transition_perform(actor=world["dispatcher"], obj=case, name="register", params=services.Registration())
    transition_perform(actor=world["dispatcher"], obj=case, name="close_unverifiable",
                       comment="已电话答复：每日7时、18时清运两次")  # (the reasons are the comment shown to the caller)
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(live_server.url + "/grid/lookup/")
    page.get_by_label("案件编号").fill(case.number)
    page.get_by_label("来电号码").fill("13800000077")
    page.get_by_role("button", name="查询").click()
    expect(page.locator("main")).to_contain_text("每日7时、18时清运两次")
    page.get_by_role("button", name="提交评价").click()  # no level: asked for, nothing lost
    expect(page.locator(".error-summary")).to_be_visible()
    page.get_by_label("满意", exact=True).check()
    page.get_by_role("button", name="提交评价").click()
    expect(page.locator(".messages")).to_contain_text("感谢您的评价")
    expect(page.locator("main")).to_contain_text("满意")
    axe_check(page)
    page.screenshot(path=f"{SHOTS}/grid-caller-rated-phone.png", full_page=True)
    case.refresh_from_db()
    assert case.rating.level == "satisfied"
