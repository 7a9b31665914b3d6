"""A government's portal on its own host name (lapor.kedirikota.go.id, Government.host):
the resident reports there without any slug in the address — Kota Kediri's lists, htmx on
the same host, a KDR- tracking number — on a 360 px phone in Indonesian and on a desktop in
English. Chromium resolves the host name to the live server (--host-resolver-rules)."""

import re
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from playwright.sync_api import expect

from reports.models import Report
from tests.base import two_cities_with_their_lists
from tests.browser import DESKTOP, PHONE_360, assert_styled, module_chromium, new_page, shoot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

HOST = "lapor.kedirikota.go.id"


@pytest.fixture(scope="module")
def chromium():
    """This module's Chromium: tests/conftest.py's, with HOST resolved to this machine."""
    yield from module_chromium(f"--host-resolver-rules=MAP {HOST} 127.0.0.1")


@pytest.fixture
def kediri_on_its_host(transactional_db, settings):
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, HOST]
    return two_cities_with_their_lists(kediri_host=HOST)


def on_host(live_server):
    return f"http://{HOST}:{urlsplit(live_server.url).port}"


def report_on_host(page, base, *, language):
    page.context.add_cookies([{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": base}])
    page.goto(f"{base}/lapor/")
    assert_styled(page)
    expect(page.locator(".brand")).to_have_text("Aduan Kota Kediri")
    expect(page.locator("html")).to_have_attribute("lang", language)
    # Kediri's lists only, though the address names no government.
    expect(page.locator("#id_parent option")).to_have_count(2)
    expect(page.locator("#id_parent option").nth(1)).to_have_text("Penerangan")
    expect(page.locator("#id_kecamatan option").nth(1)).to_have_text("Pesantren")
    expect(page.locator("#id_kecamatan option")).to_have_count(2)
    page.fill("#id_description", "Lampu jalan di depan Pasar Bandar mati sejak Senin.")
    page.select_option("#id_category", label="Lampu jalan mati")
    # htmx asks on the same host, without a slug.
    with page.expect_response(lambda r: r.url.startswith(f"{base}/wilayah/kelurahan/") and r.status == 200):
        page.select_option("#id_kecamatan", label="Pesantren")
    expect(page.locator("#id_region option").nth(1)).to_have_text("Bangsal")
    # The nearby reports' request (htmx, on the kelurahan's change) ends before the post:
    # the live server's threads share one in-memory SQLite connection.
    with page.expect_response(lambda r: r.url.startswith(f"{base}/lapor/dekat/")):
        page.select_option("#id_region", label="Bangsal")
    page.fill("#id_reporter_name", "Budi Santoso")
    page.fill("#id_reporter_phone", "081298765432")
    page.check("input[name=reply_channel][value=whatsapp]")
    assert page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"]
    with page.expect_navigation():
        page.click("form button[type=submit]")
    assert page.url.startswith(f"{base}/lapor/terkirim/")
    number = page.inner_text(".tracking-number").strip()
    assert re.fullmatch(r"KDR-\d{4}-\d{6}", number)
    return Report.objects.get(tracking_number=number)


def test_a_resident_reports_on_kediris_own_host_at_360px_in_indonesian(live_server, kediri_on_its_host, chromium):
    page = new_page(chromium, PHONE_360, mobile=True)
    base = on_host(live_server)
    report = report_on_host(page, base, language="id")
    assert (report.government, report.category, report.region) == (
        kediri_on_its_host["kediri"],
        kediri_on_its_host["lamp"],
        kediri_on_its_host["bangsal"],
    )
    # The private link stays on the host, without a slug.
    assert page.input_value("#private-link") == f"{base}/lacak/{report.secret}/"
    shoot(page, "portal-host-360.png")
    assert_styled(page)


def test_the_same_on_a_desktop_in_english(live_server, kediri_on_its_host, chromium):
    page = new_page(chromium, DESKTOP)
    report = report_on_host(page, on_host(live_server), language="en")
    assert report.government == kediri_on_its_host["kediri"]
    expect(page.locator("h1")).not_to_contain_text("Laporan terkirim")
    assert_styled(page)
