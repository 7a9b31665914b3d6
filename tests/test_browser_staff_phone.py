"""Staff on a phone: at 360 px the staff menu folds behind one "Menu" button, so the page's
own content starts on the first screen; on a desk screen the four groups stand in one bar.
In Indonesian (the default) and in English."""

import pytest
from playwright.sync_api import expect

from agencies.models import Role
from tests import factory
from tests.browser import DESKTOP, assert_styled, log_in, new_page, shoot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "rahasia-demo-123"
SMALL = {"width": 360, "height": 740}
WORDS = {
    "id": {
        "menu": "Menu",
        "groups": ["Laporan", "Staf", "Monev", "Sistem"],
        "dispositions": "Disposisi",
        "jump": "Tindakan ↓",
        "actions": "Tindakan",
    },
    "en": {
        "menu": "Menu",
        "groups": ["Reports", "Staff", "Monitoring", "System"],
        "dispositions": "Dispositions",
        "jump": "Actions ↓",
        "actions": "Actions",
    },
}


@pytest.fixture
def desk(transactional_db):
    unit = factory.make_agency("Unit Layanan Pengaduan", short_name="ULPIM", is_complaint_unit=True)
    coordinator = factory.make_user("koordinator", password=PASSWORD)
    factory.appoint(coordinator, unit, Role.COORDINATOR)
    return [
        factory.make_report(description=text)
        for text in ("Lampu jalan mati di Bendogerit.", "Saluran tersumbat di Sentul.")
    ]


def choose_language(page, language):
    if language != "id":
        with page.expect_navigation():
            page.select_option("select[name=language]", language)


@pytest.mark.parametrize("language", ["id", "en"])
def test_on_a_phone_the_menu_folds_and_the_inbox_starts_on_the_first_screen(live_server, desk, chromium, language):
    words = WORDS[language]
    page = new_page(chromium, SMALL, mobile=True)
    log_in(page, live_server.url, "koordinator", PASSWORD)
    choose_language(page, language)
    expect(page).to_have_url(f"{live_server.url}/kerja/kotak-masuk/")

    toggle = page.locator("[data-menu-toggle]")
    expect(toggle).to_be_visible()
    expect(toggle).to_have_text(words["menu"])
    expect(toggle).to_have_attribute("aria-expanded", "false")
    expect(page.locator("#ws-menu")).to_be_hidden()
    heading = page.locator("main h1").first.bounding_box()
    assert heading["y"] + heading["height"] < SMALL["height"] / 3, heading  # the inbox, not the menu
    assert page.evaluate("document.documentElement.scrollWidth") <= SMALL["width"]
    assert_styled(page)
    if language == "id":
        shoot(page, "15-staff-phone-menu-closed.png")

    toggle.click()
    expect(toggle).to_have_attribute("aria-expanded", "true")
    expect(page.locator("#ws-menu .ws-group-name")).to_have_text(words["groups"])
    assert page.evaluate("document.documentElement.scrollWidth") <= SMALL["width"]
    if language == "id":
        shoot(page, "16-staff-phone-menu-open.png")
    with page.expect_navigation():
        page.locator("#ws-menu a", has_text=words["dispositions"]).click()
    expect(page.locator("#ws-menu")).to_be_hidden()  # folded again on the next page
    expect(page.locator("#ws-menu a[aria-current=page]")).to_have_text(words["dispositions"])


@pytest.mark.parametrize("language", ["id", "en"])
def test_on_a_desk_screen_the_groups_stand_in_one_bar(live_server, desk, chromium, language):
    words = WORDS[language]
    page = new_page(chromium, DESKTOP)
    log_in(page, live_server.url, "koordinator", PASSWORD)
    choose_language(page, language)

    expect(page.locator("[data-menu-toggle]")).to_be_hidden()
    expect(page.locator("#ws-menu")).to_be_visible()
    expect(page.locator("#ws-menu .ws-group")).to_have_count(4)
    groups = page.locator("#ws-menu .ws-group")
    tops = {round(groups.nth(i).bounding_box()["y"]) for i in range(4)}
    assert len(tops) == 1, tops  # one row under the name, the language and "Keluar"
    expect(page.locator("#ws-menu .ws-group-name").first).to_be_hidden()
    expect(page.locator("#ws-menu a", has_text=words["dispositions"])).to_be_visible()
    assert_styled(page)


@pytest.mark.parametrize("language", ["id", "en"])
def test_on_a_phone_the_report_pages_actions_are_one_tap_away(live_server, desk, chromium, language):
    words = WORDS[language]
    page = new_page(chromium, SMALL, mobile=True)
    log_in(page, live_server.url, "koordinator", PASSWORD)
    choose_language(page, language)
    page.goto(f"{live_server.url}/kerja/laporan/{desk[0].pk}/")

    jump = page.locator(".ws-jump")
    expect(jump).to_have_text(words["jump"])
    box = jump.bounding_box()
    assert box["y"] + box["height"] <= SMALL["height"], box  # on the first screen
    heading = page.locator("#tindakan h2")
    assert heading.bounding_box()["y"] > SMALL["height"]  # the actions start below the fold

    jump.click()

    expect(heading).to_have_text(words["actions"])
    expect(heading).to_be_in_viewport()
    assert page.evaluate("document.documentElement.scrollWidth") <= SMALL["width"]
    assert_styled(page)


def test_on_a_desk_screen_there_is_no_jump_to_the_actions(live_server, desk, chromium):
    page = new_page(chromium, DESKTOP)
    log_in(page, live_server.url, "koordinator", PASSWORD)
    page.goto(f"{live_server.url}/kerja/laporan/{desk[0].pk}/")

    expect(page.locator(".ws-jump")).to_be_hidden()
    expect(page.locator("#tindakan h2")).to_be_visible()  # beside the report, in the side column
