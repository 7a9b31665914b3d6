"""A call-center agent enters a report with the keyboard only: the cursor starts in the
description, possible duplicates appear while typing, Tab walks the form in reading
order, Ctrl+Enter saves, the tracking number shows large, and Alt+N opens the next form
with the channel remembered. Leaves 07-manual-entry.png (tests/browser.py says where).
"""

import re

import pytest
from playwright.sync_api import expect

from agencies.models import Role
from reports.models import Channel, Report
from tests import factory
from tests.browser import DESKTOP, assert_styled, log_in, new_page, shoot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "rahasia-demo-123"


@pytest.fixture
def desk(transactional_db):
    kecamatan = factory.make_region("Sananwetan")
    kelurahan = factory.make_region("Bendogerit", parent=kecamatan)
    factory.make_region("Klampok", parent=kecamatan)
    unit = factory.make_agency("Unit Layanan Pengaduan", short_name="ULPIM", is_complaint_unit=True)
    parks = factory.Category.objects.create(name="Lingkungan hidup")
    factory.make_category("Pohon tumbang", parent=parks)
    coordinator = factory.make_user("koordinator", password=PASSWORD)
    factory.appoint(coordinator, unit, Role.COORDINATOR)
    earlier = factory.make_report(
        description="Pohon besar tumbang menutup Jalan Cempaka dekat SDN Bendogerit 2.",
        region=kelurahan,
        channel=Channel.WHATSAPP,
    )
    return {"earlier": earlier}


def focused(page):
    return page.evaluate("document.activeElement.id")


def test_a_coordinator_enters_a_report_by_keyboard_alone(live_server, desk, chromium):
    base = live_server.url
    page = new_page(chromium, DESKTOP)
    log_in(page, base, "koordinator", PASSWORD)
    page.goto(f"{base}/kerja/laporan/baru/")
    assert_styled(page)
    assert focused(page) == "id_description"

    # Typing the problem brings up the open report about the same tree.
    with page.expect_response(lambda r: "/kerja/laporan/mirip/" in r.url and r.status == 200):
        page.keyboard.type("Pohon tumbang di Jalan Cempaka, menutup separuh jalan.")
    expect(page.locator("#similar-results")).to_contain_text(desk["earlier"].tracking_number)

    # Tab walks down the page; choosing the kelurahan puts the same-kelurahan report first.
    page.keyboard.press("Tab")
    assert focused(page) == "id_region"
    with page.expect_response(lambda r: "/kerja/laporan/mirip/" in r.url and "region=" in r.url):
        page.keyboard.type("Bendog")
    expect(page.locator("#similar-results")).to_contain_text("kelurahan sama")
    page.keyboard.press("Tab")
    page.keyboard.type("Jl. Cempaka, depan SDN Bendogerit 2")
    order = []
    for _ in range(9):
        page.keyboard.press("Tab")
        order.append(focused(page))
        if order[-1] == "id_reporter_name":
            page.keyboard.type("Pak Darmo")
        elif order[-1] == "id_reporter_phone":
            page.keyboard.type("081355556666")
    assert order == [
        "id_category",
        "id_kind",
        "id_reporter_name",
        "id_reporter_phone",
        "id_reporter_email",
        "id_is_anonymous",
        "id_is_confidential",
        "id_reply_channel",
        "id_channel_0",  # the channel group: the call center, nothing remembered yet
    ]
    page.keyboard.press("ArrowRight")  # radio
    expect(page.locator("#id_channel_1")).to_be_checked()
    page.keyboard.press("Tab")
    assert focused(page) == "id_channel_reference"
    page.keyboard.type("Acara Halo Blitar")
    page.evaluate("window.scrollTo(0, 0)")  # the duplicates panel is sticky
    shoot(page, "07-manual-entry.png")

    with page.expect_navigation():
        page.keyboard.press("Control+Enter")
    number = page.inner_text("#saved-number").strip()
    assert re.fullmatch(r"BLT-\d{4}-\d{6}", number)
    report = Report.objects.get(tracking_number=number)
    assert (report.channel, report.channel_reference, report.region.name) == (
        Channel.RADIO,
        "Acara Halo Blitar",
        "Bendogerit",
    )
    assert (report.reporter_name, report.reporter_phone) == ("Pak Darmo", "081355556666")
    assert report.address == "Jl. Cempaka, depan SDN Bendogerit 2"
    assert focused(page) == "new-report"

    # Alt+N: a fresh form, cursor in the description, the radio channel remembered.
    with page.expect_navigation():
        page.keyboard.press("Alt+KeyN")
    expect(page).to_have_url(f"{base}/kerja/laporan/baru/")
    assert focused(page) == "id_description"
    assert page.input_value("#id_description") == ""
    expect(page.locator("#id_channel_1")).to_be_checked()

    # Cmd+Enter (on a Mac) saves too, from the description itself.
    page.keyboard.type("Lampu jalan mati di Jl. Mawar sejak kemarin malam.")
    with page.expect_navigation():
        page.keyboard.press("Meta+Enter")
    second = Report.objects.get(tracking_number=page.inner_text("#saved-number").strip())
    assert (second.channel, second.description) == (Channel.RADIO, "Lampu jalan mati di Jl. Mawar sejak kemarin malam.")
    assert page.failures == [], page.failures
