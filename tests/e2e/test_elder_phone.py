"""Elder and phone modes (issue 19, deliverable 6): every public page (and the citizen's own pages) at phone and
desktop sizes, in standard and 大字模式, has no serious or critical axe violation and nothing that scrolls
sideways; tables reflow into stacked rows on a phone. One browser context per size × mode, one live server.
The same walk in English finds no Chinese outside the data the pages mark lang="zh-Hans"."""
import time

import pytest

from apps.core.context_processors import LARGE_TEXT_COOKIE
from tests.site_pages import CJK, EXEMPT_XPATH, site_build

pytestmark = pytest.mark.django_db(transaction=True)

SHOTS = "var/screens"
SIZES = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1280, "height": 900}}
SCREENSHOTS = {"service", "catalogue", "showcase", "grid stats", "annual report", "application", "grid report", "home",
               "honor draft"}


def login_public(page, url, user):
    """The demo accounts' password (fixtures/demo/users.json), not the factories'."""
    import json

    from django.conf import settings

    password = json.loads((settings.BASE_DIR / "fixtures/demo/users.json").read_text(encoding="utf-8"))["password"]
    page.goto(url + "/accounts/login/")
    page.get_by_label("手机号或电子邮箱").fill(user.phone)
    page.get_by_label("密码").fill(password)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(lambda u: "/accounts/login/" not in u)


def _axe_bad(axe, page):
    results = axe.run(page)
    return [f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
            for v in results.response["violations"] if v.get("impact") in ("serious", "critical")]


def _overflow(page):
    return page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")


def _wide_elements(page):
    """The deepest elements that reach past the window's right edge (what to fix)."""
    return page.evaluate("""() => [...document.querySelectorAll('body *')]
        .filter(e => e.getBoundingClientRect().right > window.innerWidth + 0.5)
        .filter(e => ![...e.children].some(c => c.getBoundingClientRect().right > window.innerWidth + 0.5))
        .concat([...document.querySelectorAll('body *')].filter(e => e.scrollWidth > e.clientWidth + 1
                 && e.clientWidth > 0 && getComputedStyle(e).overflowX === 'visible'))  // text wider than its box
        .slice(0, 4)
        .map(e => `${e.tagName.toLowerCase()}.${e.className} ${Math.round(e.getBoundingClientRect().right)}px`)""")


def test_every_page_in_every_mode_is_axe_clean_and_never_scrolls_sideways(browser, live_server, settings):
    from axe_playwright_python.sync_playwright import Axe

    settings.PORTAL_BASE_URL = live_server.url
    site = site_build()
    axe = Axe()
    url = live_server.url
    problems, started, checked = [], time.monotonic(), 0
    # The check can fail: an image without a text alternative is a critical violation.
    probe = browser.new_page()
    probe.set_content("<!DOCTYPE html><html lang='en'><title>t</title><main><img src='x.png'></main></html>")
    assert any(v.startswith("image-alt") for v in _axe_bad(axe, probe))
    probe.close()
    for size, viewport in SIZES.items():
        for elder in (False, True):
            mode = "elder" if elder else "standard"
            context = browser.new_context(viewport=viewport, locale="zh-CN")
            if elder:
                context.add_cookies([{"name": LARGE_TEXT_COOKIE, "value": "1", "url": url}])
            page = context.new_page()
            pages = list(site.urls.items())
            for who, urls in (("anonymous", pages), ("citizen", list(site.citizen_urls.items())),
                              ("enterprise", list(site.enterprise_urls.items()))):
                if who != "anonymous":
                    context.clear_cookies()
                    if elder:
                        context.add_cookies([{"name": LARGE_TEXT_COOKIE, "value": "1", "url": url}])
                    login_public(page, url, getattr(site, who))
                for name, path in urls:
                    response = page.goto(url + path)
                    assert response.status == 200, (name, path, response.status)
                    if elder:
                        assert "large-text" in (page.locator("html").get_attribute("class") or "")
                    for bad in _axe_bad(axe, page):
                        problems.append(f"{size}/{mode} {name} {path}: {bad}")
                    scroll_width, inner_width = _overflow(page)
                    if scroll_width > inner_width:
                        problems.append(f"{size}/{mode} {name} {path}: scrolls sideways "
                                        f"({scroll_width} > {inner_width}): {_wide_elements(page)}")
                    if size == "phone" and elder and name in SCREENSHOTS:
                        page.screenshot(path=f"{SHOTS}/elder-phone-{name.replace(' ', '-')}.png", full_page=True)
                    checked += 1
            context.close()
    print(f"{checked} page views checked in {time.monotonic() - started:.0f} s")
    assert not problems, "\n".join(problems)


def test_tables_stack_on_a_phone_and_elder_controls_are_large(browser, live_server):
    site = site_build()
    url = live_server.url
    context = browser.new_context(viewport=SIZES["phone"], locale="zh-CN")
    context.add_cookies([{"name": LARGE_TEXT_COOKIE, "value": "1", "url": url}])
    page = context.new_page()
    page.goto(url + site.urls["service"])
    cell = page.locator("table.data tbody tr").first.locator("td").nth(1)
    # A stacked cell spans the card and is headed by its column's name.
    assert page.evaluate("el => getComputedStyle(el).display", cell.element_handle()) == "block"
    assert page.evaluate("el => getComputedStyle(el, '::before').content", cell.element_handle()) == '"材料名称"'
    page.goto(url + site.urls["services"])
    for control in (page.get_by_label("搜索事项"), page.get_by_role("button", name="搜索")):
        assert control.bounding_box()["height"] >= 44
    login_public(page, url, site.citizen)
    page.goto(url + site.citizen_urls["apply: applicant"])
    box = page.locator("fieldset.choice-group input[type=checkbox]").first.bounding_box()
    assert box["width"] >= 36 and box["height"] >= 36
    for choice in page.locator("fieldset.choice-group .choice").all():
        assert choice.bounding_box()["height"] >= 44
    context.close()


def test_the_english_site_in_a_browser(browser, live_server):
    """Switched with the English button, as a person does; the text people see, less what pages mark as data."""
    site = site_build()
    url = live_server.url
    context = browser.new_context(viewport=SIZES["desktop"], locale="zh-CN")
    page = context.new_page()
    login_public(page, url, site.citizen)
    page.goto(url + "/")
    page.get_by_role("button", name="English").click()
    assert page.locator("html").get_attribute("lang") == "en"
    problems = []
    for name, path in list(site.urls.items()) + list(site.citizen_urls.items()):
        page.goto(url + path)
        if name in ("application", "catalogue", "inbox"):
            page.screenshot(path=f"{SHOTS}/english-{name}.png", full_page=True)
        data, texts = page.evaluate("""(xpath) => {
            const found = document.evaluate(xpath, document, null, XPathResult.ORDERED_NODE_SNAPSHOT_TYPE, null);
            const data = [];
            for (let i = 0; i < found.snapshotLength; i++) {
                data.push(found.snapshotItem(i).textContent.trim());
                found.snapshotItem(i).remove();
            }
            return [data, [document.title, document.body.innerText]];
        }""", EXEMPT_XPATH)
        for line in "\n".join(texts).splitlines():
            for datum in sorted(filter(None, data), key=len, reverse=True):
                line = line.replace(datum, "")  # the title repeats the page's data: "食品经营许可 · Panjin"
            if CJK.search(line):
                problems.append(f"{name} {path}: {line[:120]!r}")
    context.close()
    assert not problems, "\n".join(problems)
