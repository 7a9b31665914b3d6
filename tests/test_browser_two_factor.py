"""A coordinator's first login where two-factor authentication is required, in a real
browser: the password, the setup page with its QR code drawn on the page, the code an
authenticator app would show (computed here from the key the page shows, on the server's
clock), the recovery codes once, then the inbox; and the next login asks for the code.
Leaves 11-two-factor-setup.png (tests/browser.py says where)."""

import base64
import datetime as dt

import pytest
import time_machine
from django.utils import timezone
from django_otp.oath import totp
from playwright.sync_api import expect

from agencies.models import Role
from tests import factory
from tests.browser import DESKTOP, assert_styled, log_in, new_page, shoot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "rahasia-demo-123"


@pytest.fixture
def unit(transactional_db):
    unit = factory.make_agency("Unit Layanan Pengaduan", short_name="ULPIM", is_complaint_unit=True)
    coordinator = factory.make_user("koordinator", password=PASSWORD)
    factory.appoint(coordinator, unit, Role.COORDINATOR)
    return unit


def test_a_coordinator_sets_up_two_factor_authentication_and_logs_in_with_it(live_server, unit, chromium, settings):
    settings.ADUAN_REQUIRE_2FA = True
    base = live_server.url
    page = new_page(chromium, DESKTOP)

    log_in(page, base, "koordinator", PASSWORD)
    expect(page).to_have_url(f"{base}/kerja/akun/2fa/pasang/?next=%2Fkerja%2F")
    expect(page.locator("svg.ws-qr")).to_be_visible()
    assert page.locator("svg.ws-qr").bounding_box()["width"] >= 150
    assert_styled(page)
    shoot(page, "11-two-factor-setup.png")
    key = base64.b32decode(page.locator("#totp-secret").inner_text().replace(" ", ""))

    page.fill("#id_code", f"{totp(key):06d}")
    with page.expect_navigation():
        page.click("button[type=submit]:has-text('Aktifkan')")
    expect(page.locator("#recovery-codes li")).to_have_count(10)
    with page.expect_navigation():
        page.click("text=Sudah saya simpan, lanjut")
    expect(page).to_have_url(f"{base}/kerja/kotak-masuk/")

    # The next login, half a minute later (each code counts once): password, then the code.
    with page.expect_navigation():
        page.click(".ws-logout button")
    with time_machine.travel(timezone.now() + dt.timedelta(seconds=31), tick=True):
        log_in(page, base, "koordinator", PASSWORD)
        expect(page).to_have_url(f"{base}/kerja/akun/verifikasi/?next=%2Fkerja%2F")
        page.fill("#id_code", f"{totp(key):06d}")
        with page.expect_navigation():
            page.click("button[type=submit]:has-text('Lanjut')")
    expect(page).to_have_url(f"{base}/kerja/kotak-masuk/")
    assert_styled(page)
