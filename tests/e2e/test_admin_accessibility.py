"""The back office passes axe-core for every kind of staff (WCAG 2.1 AA, serious and critical rules): staff work in the
admin all day, so its pages are held to the public site's bar. Each person logs in with realistic data present and
opens what their day is made of — the admin index (their work dashboard), every list it links, the main object's
page, the step pages (受理, 立案, 审查通过 …) and the custom pages (map, statistics, place form, window intake,
calendar, import preview). The pages are found from the links the person sees, not typed in, so a list or a tool
added later is swept too."""
import re
import time

import pytest
from playwright.sync_api import expect

from tests.e2e.helpers import login_admin

pytestmark = pytest.mark.django_db(transaction=True)

SHOTS = "var/screens"
# Pages that were fixed or are drawn (SVG, Chart.js), kept as screenshots to look at.
SCREENS = {r"/departmentreview/\d+/transition/pass/": "honor-review", r"/honorcategory/$": "honor-categories",
           r"/catalogue/\d+/transition/publish/": "catalogue-publish", r"/serviceitem/export/": "export",
           r"/gridcase/map/$": "grid-map", r"/gridcase/stats/$": "grid-stats", r"/gridcase/\d+/place/": "grid-place",
           r"/application/statistics/$": "centre-statistics"}
# The markup of a page's content without its words: every element's tag, classes, type and state. (The header and
# the side navigation differ by role on every page; the side navigation is scanned with each person's index.)
SHAPE = """() => [...document.querySelectorAll('#content *')].map(e => [e.tagName, e.className.baseVal ?? e.className,
    e.type || '', e.disabled ? 'd' : '', e.readOnly ? 'r' : ''].join(':')).join('|')"""
# Links a person follows to read or to fill a form; downloads, the public site and history/deletion are left out.
SKIP = re.compile(r"(\.xlsx|\.pdf|/files/|/history/|/delete/|/logout/|/password_change/|/r/\d|#)")


class Sweep:
    """One browser page per person: visits each admin page once and runs axe on it."""

    def __init__(self, browser, url, axe_check):
        self.browser, self.url, self.axe_check = browser, url, axe_check
        self.pages = 0
        self.visited = []
        self.seen = set()

    def person(self, user):
        page = self.browser.new_page(locale="zh-CN", viewport={"width": 1280, "height": 900})
        login_admin(page, self.url, user)
        expect(page.locator("#user-tools")).to_be_visible()
        page.seen = set()
        return page

    def check(self, page, path=None):
        """Open path (or check the page as it is, after a click) and run axe on it, once per person. A page that
        another person's sweep scanned with the very same markup (its elements, classes and controls: the same
        permissions and the same rows) is not scanned again; one that differs (an editable list, more buttons) is."""
        if path is not None:
            if path in page.seen:
                return False
            response = page.goto(self.url + path)
            assert response.ok, f"{path}: {response.status}"
        key = page.url.removeprefix(self.url)
        if key in page.seen:
            return False
        page.seen.add(key)
        shape = (key, page.evaluate(SHAPE))
        if shape in self.seen:
            return True
        self.seen.add(shape)
        self.visited.append(key)
        self.axe_check(page)
        self.pages += 1
        for pattern, name in SCREENS.items():  # pages that were fixed, to look at (the last person's)
            if re.search(pattern, key):
                page.screenshot(path=f"{SHOTS}/admin-axe-{name}.png", full_page=True)
        return True

    def links(self, page, selector, pattern=None):
        hrefs = page.eval_on_selector_all(selector, "links => links.map(a => a.getAttribute('href'))")
        out = []
        for href in hrefs:
            if not href or not href.startswith("/admin/") or SKIP.search(href):
                continue
            href = re.sub(r"[?&]_changelist_filters=[^&]*$", "", href)  # the same page, reached from a queue
            if (pattern is None or re.search(pattern, href)) and href not in out:
                out.append(href)
        return out

    def day(self, page, *, objects=(), extra=()):
        """The index, every queue, report and list it links with their tools, each object page and its steps."""
        self.check(page, "/admin/")
        lists = self.links(page, "#work-dashboard a, #content-main .module th[scope=row] a")
        rows = []
        for path in lists:
            if not self.check(page, path):
                continue
            rows += self.links(page, "#result_list tbody tr:first-child a")[:1]  # one object of each list
            for tool in self.links(page, ".object-tools a"):
                self.check(page, tool)
        for path in rows:
            self.check(page, path)
        for obj in objects:
            if not self.check(page, obj):
                page.goto(self.url + obj)  # scanned as a list's first row: read its steps
            steps = self.links(page, "#content a", r"/(transition|clock|place|import|retire|comment|versions)/")
            for step in steps:
                self.check(page, step)
        for path in extra:
            self.check(page, path)
        page.close()


def test_back_office_pages_pass_axe_for_every_one_window_role(browser, live_server, axe_check, roles, settings,
                                                              tmp_path):
    """Clerks, section and department heads, window clerks, the calendar operator, honor reviewers and the
    acceptance officer, disclosure officers and reviewers."""
    from apps.applications import services as application_services
    from apps.honors.models import DepartmentReview
    from apps.organizations.constants import Role
    from apps.organizations.models import Department
    from apps.workflow.services import transition_perform
    from tests.accounts.factories import StaffFactory
    from tests.applications import factories as apps
    from tests.disclosure import factories as disclosure
    from tests.honors import factories as honors

    settings.PORTAL_BASE_URL = live_server.url
    started = time.monotonic()
    world = apps.load_world()
    to_accept = apps.submitted(world)
    in_review = apps.accepted(world)
    proposed = transition_perform(actor=world["clerk"], obj=apps.accepted(world), name="propose",
                                  params=application_services.Proposal(outcome="grant", opinion="材料齐全", reason=""))
    endorsed, _ = apps.signed_off(world, apps.accepted(world))
    apps.complete(world, apps.approve(world, apps.accepted(world)))
    apps.submitted(world, service=world["other_service"])
    window_clerk = StaffFactory(department=Department.objects.get(code="city-service-center"),
                                roles=[Role.WINDOW_CLERK])
    operator = StaffFactory(roles=[Role.CALENDAR_OPERATOR])

    honor_world = honors.load_world()
    honor = honors.submitted(honor_world)
    review = DepartmentReview.objects.get(application=honor, department=honor_world["science"].department)
    passed = honors.pass_all(honor_world, honors.submitted(honor_world, enterprise=honor_world["other_enterprise"]))

    open_world = disclosure.load_world()
    draft = disclosure.catalogue_with_entries(open_world, 3)
    under_review = disclosure.submit(actor=open_world["other_officer"], catalogue=disclosure.catalogue_with_entries(
        open_world, 2, domain=open_world["other_domain"], department=open_world["civil"],
        officer=open_world["other_officer"]), comment="请审核")
    url = live_server.url
    sweep = Sweep(browser, url, axe_check)
    app = "/admin/applications/application/{}/change/"

    sweep.day(sweep.person(world["clerk"]), objects=[app.format(to_accept.pk), app.format(in_review.pk)])
    sweep.day(sweep.person(world["section_head"]), objects=[app.format(proposed.pk)])
    sweep.day(sweep.person(world["head"]), objects=[app.format(endorsed.pk)])

    # The window clerk's intake, both steps: the item, then the person and the scans.
    page = sweep.person(window_clerk)
    page.goto(url + "/admin/")
    page.get_by_role("link", name="窗口受理登记").click()
    sweep.check(page)
    service = world["service"]
    page.get_by_label("政务服务事项").select_option(label=f"{service.department.name} · {service.name}（{service.code}）")
    page.get_by_role("button", name="下一步：申请人和材料").click()
    expect(page.get_by_label("居民身份证号码")).to_be_visible()
    sweep.check(page)
    page.screenshot(path=f"{SHOTS}/admin-axe-window-intake.png", full_page=True)
    sweep.day(page)

    page = sweep.person(operator)
    sweep.day(page, extra=["/admin/workdays/calendaryear/add/"])

    sweep.day(sweep.person(honor_world["science"]),
              objects=[f"/admin/honors/departmentreview/{review.pk}/change/"])
    sweep.day(sweep.person(honor_world["officer"]), objects=[f"/admin/honors/honorapplication/{passed.pk}/change/"])

    # The disclosure officer: the catalogue, its entries, and an import checked into its preview.
    page = sweep.person(open_world["officer"])
    sheet = tmp_path / "目录.xlsx"
    sheet.write_bytes(disclosure.workbook([disclosure.row(1), disclosure.row(2, l2="随迁子女入学")]))
    page.goto(f"{url}/admin/disclosure/catalogue/{draft.pk}/import/")
    page.locator("input[type=file]").set_input_files(str(sheet))
    page.get_by_role("button", name="检查表格").click()
    expect(page.locator("h2").filter(has_text="预览")).to_be_visible()
    sweep.check(page)
    page.screenshot(path=f"{SHOTS}/admin-axe-import-preview.png", full_page=True)
    entry = draft.entries.order_by("pk").first()
    sweep.day(page, objects=[f"/admin/disclosure/catalogue/{draft.pk}/change/",
                             f"/admin/disclosure/entry/{entry.pk}/change/"])
    sweep.day(sweep.person(open_world["reviewer"]),
              objects=[f"/admin/disclosure/catalogue/{under_review.pk}/change/"])

    print(f"\n{sweep.pages} admin pages passed axe in {time.monotonic() - started:.0f} s:", *sweep.visited, sep="\n")
    assert sweep.pages > 40


def test_back_office_pages_pass_axe_for_every_grid_role(browser, live_server, axe_check, roles, settings):
    """The dispatch centre, the handling department, the grid member and a department head who reads the figures."""
    from apps.grid.services import Handling
    from apps.organizations.constants import Role
    from apps.workflow.services import transition_perform
    from tests.accounts.factories import StaffFactory
    from tests.grid import factories as grid

    settings.PORTAL_BASE_URL = live_server.url
    started = time.monotonic()
    world = grid.load_people(grid.load_world())
    to_register = grid.photo_report(world)
    unplaced = grid.photo_report(world, lat=None, lng=None, address="惠宾社区北门",
                                  description="惠宾社区北门垃圾桶满了")
    dispatched = grid.register(actor=world["dispatcher"], case=grid.photo_report(world))
    handled = grid.register(actor=world["dispatcher"], case=grid.photo_report(world))
    handled = transition_perform(actor=world["handler"], obj=handled, name="handle", comment="已清运",
                                 params=Handling(result="已清运垃圾并冲洗地面", photos=[grid.png()]))
    head = StaffFactory(department=world["handler"].department, roles=[Role.DEPARTMENT_HEAD])
    url = live_server.url
    sweep = Sweep(browser, url, axe_check)
    case = "/admin/grid/gridcase/{}/change/"

    sweep.day(sweep.person(world["dispatcher"]), objects=[case.format(to_register.pk), case.format(unplaced.pk)])
    sweep.day(sweep.person(world["handler"]), objects=[case.format(dispatched.pk)])
    sweep.day(sweep.person(world["member"]), objects=[case.format(handled.pk)])
    sweep.day(sweep.person(head), objects=[case.format(dispatched.pk)])

    print(f"\n{sweep.pages} admin pages passed axe in {time.monotonic() - started:.0f} s:", *sweep.visited, sep="\n")
    assert sweep.pages > 20

