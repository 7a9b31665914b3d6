""" "Ikuti" in a real browser at 360 px: a resident follows a kelurahan from the public list,
opens the confirmation link and confirms with the button; the English page answers a
missing area with an English error. Screenshot 26."""

import importlib
import re

import pytest
from django.apps import apps as django_apps
from playwright.sync_api import expect

from agencies.models import Role
from alerts import tokens
from alerts.models import Subscription
from notify.models import OutboxMessage
from tests import factory
from tests.browser import assert_styled, new_page, shoot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE_360 = {"width": 360, "height": 740}


@pytest.fixture
def city(transactional_db):
    # A transactional test flushes what the migrations seeded: the message templates again.
    importlib.import_module("alerts.migrations.0002_message_templates").seed(django_apps, None)
    kecamatan = factory.make_region("Sananwetan")
    bendogerit = factory.make_region("Bendogerit", parent=kecamatan)
    klampok = factory.make_region("Klampok", parent=kecamatan)
    unit = factory.make_agency("Unit Layanan Pengaduan", short_name="ULPIM", is_complaint_unit=True)
    coordinator = factory.make_user("koordinator")
    factory.appoint(coordinator, unit, Role.COORDINATOR)
    transport = factory.Category.objects.create(name="Perhubungan")
    lights = factory.make_category("Lampu penerangan jalan", parent=transport)
    for title, region in [("Lampu jalan mati di depan SD", bendogerit), ("Lampu taman berkedip", klampok)]:
        factory.make_verified(coordinator, title=title, category=lights, region=region)
    return {"bendogerit": bendogerit, "kecamatan": kecamatan}


def test_a_resident_follows_a_kelurahan_on_a_phone_in_both_languages(live_server, city, chromium):
    page = new_page(chromium, PHONE_360, mobile=True)
    page.goto(f"{live_server.url}/laporan/")
    assert_styled(page)
    box = page.locator("#follow")
    expect(box.locator("h2")).to_have_text("Ikuti")
    page.select_option("#follow_region", label="Bendogerit")
    page.fill("#follow_contact", "warga@example.org")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE_360["width"]
    box.scroll_into_view_if_needed()
    shoot(page, "26-ikuti-wilayah.png")
    box.locator("button[type=submit]").click()
    expect(page.locator("#follow .follow-done")).to_contain_text("Hampir selesai")
    expect(page.locator("#follow .feed-links a", has_text="RSS")).to_have_attribute(
        "href", re.compile(rf"/ikuti/rss/\?wilayah={city['bendogerit'].pk}$")
    )

    # The confirmation link of the email: a page with one button; nothing confirmed by opening it.
    message = OutboxMessage.objects.get(template_code="alert_confirm")
    subscription = Subscription.objects.get(address="warga@example.org")
    link = f"/ikuti/konfirmasi/{tokens.confirm_token(subscription)}/"
    assert link.split("/")[2].split(":")[0] in message.body
    page.goto(live_server.url + link)
    assert_styled(page)
    expect(page.locator("main")).to_contain_text("Kelurahan Bendogerit")
    subscription.refresh_from_db()
    assert subscription.state == Subscription.State.PENDING
    page.click("button[type=submit]")
    expect(page.locator("[role=status]")).to_contain_text("Mulai sekarang Anda menerima kabar")
    subscription.refresh_from_db()
    assert subscription.state == Subscription.State.ACTIVE

    # In English: the same box, an English error for a missing area.
    page.goto(f"{live_server.url}/laporan/")
    with page.expect_navigation():
        page.select_option("select[name=language]", "en")
    expect(page.locator("#follow h2")).to_have_text("Follow")
    page.fill("#follow_contact", "visitor@example.org")
    page.locator("#follow button[type=submit]").click()
    expect(page.locator("#follow_region_error")).to_have_text("Choose the kelurahan or kecamatan to follow.")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE_360["width"]
    page.context.close()
