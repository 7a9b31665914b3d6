"""A resident on a phone (360 px) reports on one government's own portal, /<slug>/lapor/:
its categories and kelurahan only (htmx asks under the same slug), its tracking prefix."""

import re

import pytest
from playwright.sync_api import expect

from reports.models import Report
from tests.base import two_cities_with_their_lists
from tests.browser import PHONE_360, assert_styled, new_page, shoot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def two_cities(transactional_db):
    return two_cities_with_their_lists()


def test_a_resident_reports_on_a_governments_own_portal_at_360px(live_server, two_cities, chromium):
    page = new_page(chromium, PHONE_360, mobile=True)
    page.goto(f"{live_server.url}/kota-kediri/lapor/")
    assert_styled(page)
    expect(page.locator(".brand")).to_have_text("Aduan Kota Kediri")
    # Kediri's lists only: no Blitar category or kecamatan.
    expect(page.locator("#id_parent option")).to_have_text(["Pilih kategori…", "Penerangan"])
    expect(page.locator("#id_kecamatan option")).to_have_text(["Pilih kecamatan…", "Pesantren"])
    page.fill("#id_description", "Lampu jalan di depan Pasar Bandar mati sejak Senin.")
    page.select_option("#id_category", label="Lampu jalan mati")
    with page.expect_response(lambda r: "/kota-kediri/wilayah/kelurahan/" in r.url and r.status == 200):
        page.select_option("#id_kecamatan", label="Pesantren")
    expect(page.locator("#id_region option")).to_have_text(["Pilih kelurahan…", "Bangsal", "Betet"])
    page.select_option("#id_region", label="Bangsal")
    page.fill("#id_reporter_name", "Budi Santoso")
    page.fill("#id_reporter_phone", "081298765432")
    page.check("input[name=reply_channel][value=whatsapp]")
    # Nothing scrolls sideways on a 360 px phone.
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE_360["width"]
    shoot(page, "portal-government-360.png")
    with page.expect_navigation():
        page.click("button[type=submit]:has-text('Kirim laporan')")

    assert "/kota-kediri/lapor/terkirim/" in page.url
    number = page.inner_text(".tracking-number").strip()
    assert re.fullmatch(r"KDR-\d{4}-\d{6}", number)
    report = Report.objects.get(tracking_number=number)
    assert (report.government, report.category, report.region) == (
        two_cities["kediri"],
        two_cities["lamp"],
        two_cities["bangsal"],
    )
    # The private link stays on Kediri's portal.
    assert page.input_value("#private-link") == f"{live_server.url}/kota-kediri/lacak/{report.secret}/"
    assert_styled(page)
