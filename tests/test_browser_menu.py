"""The resident menu (templates/base.html) in a real browser, Indonesian and English:

- on a 360 px phone one row: "Lapor" and "Lacak" as buttons, "Menu" at its end; the other
  four links (Laporan publik, Peta, Laporan saya, Transparansi) fold behind "Menu", a
  <details> that opens with the keyboard (Enter), is walked with Tab, closes with Escape
  (focus back on "Menu") or a tap outside, and passes axe while open; screenshot 28;
- on a desktop all six links in one row, no "Menu", each reached with Tab.
"""

import pytest
from django.conf import settings
from playwright.sync_api import expect

from tests.browser import DESKTOP, SCREENSHOTS, assert_styled, new_page
from tests.test_browser_accessibility import axe_violations, tab_to

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE_360 = {"width": 360, "height": 740}
LINKS = {
    "id": ["Lapor", "Lacak", "Laporan publik", "Peta", "Laporan saya", "Transparansi"],
    "en": ["Report", "Track", "Public reports", "Map", "My reports", "Transparency"],
}


def page_in(chromium, viewport, language, base_url):
    page = new_page(chromium, viewport, mobile=viewport is PHONE_360)
    page.context.add_cookies([{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": base_url}])
    page.goto(f"{base_url}/")
    assert_styled(page)
    return page


def link(page, name):
    return page.locator("header.topbar nav a", has_text=name).filter(has_text=name).first


def rows(page, selector):
    """How many distinct lines the visible elements matching ``selector`` sit on."""
    return page.evaluate(
        """(s) => new Set(Array.from(document.querySelectorAll(s))
              .filter(e => e.offsetParent !== null)
              .map(e => Math.round(e.getBoundingClientRect().top))).size""",
        selector,
    )


@pytest.mark.parametrize("language", ["id", "en"])
def test_on_a_360px_phone_two_buttons_and_the_rest_behind_menu(live_server, chromium, language):
    page = page_in(chromium, PHONE_360, language, live_server.url)
    first, second, *folded = LINKS[language]
    summary = page.locator("details.nav-more > summary")
    expect(link(page, first)).to_be_visible()
    expect(link(page, second)).to_be_visible()
    expect(summary).to_be_visible()
    expect(summary).to_have_text("Menu")
    for name in folded:
        expect(link(page, name)).to_be_hidden()
    # One row: the two buttons and "Menu" side by side, within the phone's width.
    assert rows(page, "header.topbar nav > a, details.nav-more > summary") == 1
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE_360["width"]

    # The keyboard: Tab to "Menu", Enter opens it, Tab walks the four links in order.
    tab_to(page, "details.nav-more > summary")
    page.keyboard.press("Enter")
    expect(page.locator("details.nav-more")).to_have_attribute("open", "")
    for name in folded:
        page.keyboard.press("Tab")
        expect(link(page, name)).to_be_focused()
    assert rows(page, ".nav-more-list a") == 4  # a list, one link a line
    assert axe_violations(page) == []
    if language == "id":  # the phone's screen, not the whole page: the menu is the point
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / "28-menu-warga.png"))

    # Escape closes it and gives the focus back to "Menu"; a tap outside closes it too.
    page.keyboard.press("Escape")
    expect(page.locator("details.nav-more")).not_to_have_attribute("open", "")
    expect(summary).to_be_focused()
    summary.click()
    expect(link(page, folded[0])).to_be_visible()
    page.mouse.click(180, 650)  # the page below the open list
    expect(link(page, folded[0])).to_be_hidden()

    # A folded link leads to its page, which marks it as the current one.
    summary.click()
    with page.expect_navigation():
        link(page, folded[0]).click()
    assert page.url.endswith("/laporan/")
    summary.click()
    expect(link(page, folded[0])).to_have_attribute("aria-current", "page")
    assert page.failures == []
    page.context.close()


@pytest.mark.parametrize("language", ["id", "en"])
def test_on_a_desktop_all_six_links_in_one_row(live_server, chromium, language):
    page = page_in(chromium, DESKTOP, language, live_server.url)
    expect(page.locator("details.nav-more > summary")).to_be_hidden()
    for name in LINKS[language]:
        expect(link(page, name)).to_be_visible()
    assert rows(page, "header.topbar nav a") == 1
    # Every link is a Tab stop, in reading order, with nothing folded in between.
    for name in LINKS[language]:
        tab_to(page, f"header.topbar nav a[href='{link(page, name).get_attribute('href')}']")
    assert axe_violations(page) == []
    assert page.failures == []
    page.context.close()
