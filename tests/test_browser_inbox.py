"""The coordinator's inbox in a real browser, on a desk screen and a 360 px phone, in
Indonesian and English: tick two reports, archive them as spam in one go, read the
summary; on the phone the filters wait behind a "Filter" button."""

import pytest
from playwright.sync_api import expect

from agencies.models import Role
from reports.models import Status
from tests import factory
from tests.browser import DESKTOP, assert_styled, log_in, new_page, shoot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "rahasia-demo-123"
PHONE_360 = {"width": 360, "height": 760}

WORDS = {
    "id": {"filter": "Filter", "done": "Diarsipkan sebagai spam: 2 laporan", "views": "Lewat tenggat"},
    "en": {"filter": "Filters", "done": "Archived as spam: 2 reports", "views": "Overdue"},
}


@pytest.fixture
def inbox(transactional_db):
    kelurahan = factory.make_region("Bendogerit", parent=factory.make_region("Sananwetan"))
    unit = factory.make_agency("Unit Layanan Pengaduan", short_name="ULPIM", is_complaint_unit=True)
    factory.make_agency("Dinas Pekerjaan Umum", short_name="DPUPR")
    coordinator = factory.make_user("koordinator", password=PASSWORD, first_name="Sari")
    factory.appoint(coordinator, unit, Role.COORDINATOR)
    colleague = factory.make_user("koordinator2", first_name="Budi")
    factory.appoint(colleague, unit, Role.COORDINATOR)
    texts = [
        "Promo pinjaman cepat tanpa agunan, hubungi kami sekarang!",
        "Menang undian pulsa, klik tautan ini untuk klaim hadiah.",
        "Lampu penerangan jalan mati di depan SD Bendogerit 2 sejak tiga hari.",
    ]
    reports = [factory.make_report(region=kelurahan, description=text) for text in texts]
    return {"spam": reports[:2], "real": reports[2], "coordinator": coordinator}


def open_inbox(chromium, live_server, viewport, language):
    page = new_page(chromium, viewport, mobile=viewport is PHONE_360)
    log_in(page, live_server.url, "koordinator", PASSWORD)
    expect(page).to_have_url(f"{live_server.url}/kerja/kotak-masuk/")
    if language == "en":
        with page.expect_navigation():
            page.select_option("select[name=language]", "en")
        expect(page.locator("html")).to_have_attribute("lang", "en")
    assert_styled(page)
    return page


@pytest.mark.parametrize("language", ["id", "en"])
@pytest.mark.parametrize("viewport", [DESKTOP, PHONE_360], ids=["desktop", "phone"])
def test_tick_two_reports_and_archive_them_as_spam(live_server, inbox, chromium, viewport, language):
    words = WORDS[language]
    page = open_inbox(chromium, live_server, viewport, language)
    expect(page.locator("#inbox-views")).to_contain_text(words["views"])
    expect(page.locator("#results tbody tr")).to_have_count(3)

    for report in inbox["spam"]:
        page.check(f"input[name=reports][value='{report.pk}']")
    expect(page.locator("[data-bulk-count]")).to_contain_text("2")
    page.select_option("#id_bulk_operation", "archive_spam")
    if language == "id" and viewport is DESKTOP:
        shoot(page, "12-inbox-bulk.png")
    with page.expect_navigation():
        page.click("#bulk button[type=submit]")

    expect(page.locator(".messages")).to_contain_text(words["done"])
    for report in inbox["spam"]:
        expect(page.locator(".messages")).to_contain_text(report.tracking_number)
    expect(page.locator("#results tbody tr")).to_have_count(1)
    expect(page.locator("#results tbody")).to_contain_text(inbox["real"].tracking_number)
    # Nothing wider than the screen on a phone.
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
    assert page.failures == [], page.failures
    for report in inbox["spam"]:
        report.refresh_from_db()
        assert report.status == Status.ARCHIVED
        assert report.events.filter(action="archived").count() == 1
    if language == "id" and viewport is DESKTOP:
        shoot(page, "13-inbox-bulk-done.png")


@pytest.mark.parametrize("language", ["id", "en"])
def test_the_filters_fold_behind_a_button_on_a_phone(live_server, inbox, chromium, language):
    words = WORDS[language]
    page = open_inbox(chromium, live_server, PHONE_360, language)
    expect(page.locator(".ws-filters")).to_be_hidden()
    button = page.locator(".ws-filter-panel > summary")
    expect(button).to_be_visible()
    expect(button).to_contain_text(words["filter"])
    folded = page.locator("#results tbody tr").first.bounding_box()["y"]
    if language == "id":
        shoot(page, "14-inbox-phone.png")
    button.focus()
    page.keyboard.press("Enter")  # keyboard first: the summary is a button
    expect(page.locator(".ws-filters")).to_be_visible()
    expect(page.locator("#id_q")).to_be_visible()
    # Folded, the filters kept more than a phone screen of selects off the way to the list.
    unfolded = page.locator("#results tbody tr").first.bounding_box()["y"]
    assert unfolded - folded > PHONE_360["height"], (folded, unfolded)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE_360["width"]


def test_on_a_desk_the_filters_are_open(live_server, inbox, chromium):
    page = open_inbox(chromium, live_server, DESKTOP, "id")
    expect(page.locator(".ws-filters")).to_be_visible()
    expect(page.locator(".ws-filter-panel > summary")).to_be_hidden()
