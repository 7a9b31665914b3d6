"""Refer across governments in a real browser (issue 20): Kota Blitar's coordinator refers
a report to Kota Kediri with a reason, Kediri's coordinator finds it in the inbox and
returns it, and Blitar sees it back — on a 360 px phone and a desktop, in Indonesian and
English."""

import pytest
from playwright.sync_api import expect

from agencies.models import Role
from governments.models import Government
from reports.models import Referral, Status
from tests import factory
from tests.browser import (
    PASSWORD,
    assert_fits,
    assert_styled,
    in_both_languages_on_a_phone_and_a_desktop,
    logged_in,
    open_box,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WORDS = {
    "id": {
        "refer": "Rujuk ke pemerintah daerah lain",
        "give_back": "Kembalikan rujukan",
        "referred_from": "Dirujuk dari Kota Blitar",
        "list": "Dirujuk ke pemerintah lain",
        "blank": "— pilih pemerintah daerah —",
    },
    "en": {
        "refer": "Refer to another government",
        "give_back": "Return the referral",
        "referred_from": "Referred by Kota Blitar",
        "list": "Referred to other governments",
        "blank": "— choose a government —",
    },
}
REASON = "Ruas jalan ini masuk wilayah Kota Kediri."


@pytest.fixture
def two_governments(transactional_db):
    blitar = Government.objects.get()
    Government.objects.filter(pk=blitar.pk).update(name="Kota Blitar")
    unit = factory.make_agency("Unit Layanan Pengaduan", short_name="ULPIM", is_complaint_unit=True)
    category = factory.make_category("Jalan berlubang")
    factory.appoint(factory.make_user("koordinator", password=PASSWORD), unit, Role.COORDINATOR)
    kediri, kediri_unit = factory.make_government("Kota Kediri", prefix="KDR")
    factory.make_category("Jalan berlubang", government=kediri)
    factory.appoint(factory.make_user("koordinator_kediri", password=PASSWORD), kediri_unit, Role.COORDINATOR)
    report = factory.make_report(
        category=category, government=blitar, description="Jalan berlubang besar di depan Pasar Templek."
    )
    return {"report": report, "blitar": blitar, "kediri": kediri}


@in_both_languages_on_a_phone_and_a_desktop
def test_refer_to_another_government_and_return(live_server, two_governments, chromium, language, viewport):
    words = WORDS[language]
    report = two_governments["report"]
    url = f"{live_server.url}/kerja/laporan/{report.pk}/"

    # Blitar refers it to Kediri: a reason is required first.
    blitar = logged_in(chromium, viewport, live_server.url, "koordinator", language)
    blitar.goto(url)
    expect(blitar.locator("html")).to_have_attribute("lang", language)
    box = blitar.locator("#aksi-rujuk")
    expect(box.locator("summary")).to_have_text(words["refer"])
    open_box(box)
    expect(blitar.locator("#id_rujuk_government option")).to_have_text([words["blank"], "Kota Kediri"])
    blitar.select_option("#id_rujuk_government", label="Kota Kediri")
    assert_fits(blitar, viewport)
    blitar.evaluate("document.querySelector('#id_rujuk_reason').removeAttribute('required')")
    with blitar.expect_navigation():
        box.locator("button[type=submit]").click()
    expect(blitar.locator("#aksi-rujuk")).to_contain_text(
        "Tuliskan alasan rujukan." if language == "id" else "Write the reason for the referral."
    )
    assert not Referral.objects.exists()
    assert blitar.failures == [f"400 {url}rujuk/"]  # the refusal itself, answered 400
    blitar.failures.clear()
    blitar.select_option("#id_rujuk_government", label="Kota Kediri")
    blitar.fill("#id_rujuk_reason", REASON)
    with blitar.expect_navigation():
        blitar.locator("#aksi-rujuk button[type=submit]").click()
    assert_styled(blitar)
    report.refresh_from_db()
    assert (report.government, report.status) == (two_governments["kediri"], Status.RECEIVED)

    # Blitar follows it, read-only, in its list.
    blitar.goto(f"{live_server.url}/kerja/dirujuk/")
    expect(blitar.locator("h1")).to_have_text(words["list"])
    expect(blitar.locator("#results tbody tr")).to_have_count(1)
    expect(blitar.locator("#results")).to_contain_text("Kota Kediri")
    assert_fits(blitar, viewport)
    with blitar.expect_navigation():
        blitar.click(f"#results a:has-text('{report.tracking_number}')")
    expect(blitar.locator(".ws-timeline")).to_contain_text(REASON)
    expect(blitar.locator("details[id^=aksi-]")).to_have_count(0)
    assert_fits(blitar, viewport)

    # Kediri finds it in its inbox and gives it back with a reason.
    kediri = logged_in(chromium, viewport, live_server.url, "koordinator_kediri", language)
    kediri.goto(f"{live_server.url}/kerja/kotak-masuk/")
    expect(kediri.locator("#results")).to_contain_text(report.tracking_number)
    assert_fits(kediri, viewport)
    kediri.goto(url)
    expect(kediri.locator(".ws-referred-from")).to_contain_text(words["referred_from"])
    back = kediri.locator("#aksi-kembalikan-rujukan")
    expect(back.locator("summary")).to_have_text(words["give_back"])
    open_box(back)
    kediri.fill("#id_kembalikan-rujukan_reason", "Setelah dicek, ruas ini jalan Kota Blitar.")
    assert_fits(kediri, viewport)
    with kediri.expect_navigation():
        back.locator("button[type=submit]").click()
    assert_styled(kediri)
    report.refresh_from_db()
    assert report.government == two_governments["blitar"]
    assert Referral.objects.get().state == Referral.State.RETURNED

    # Back in Blitar's hands: the report page with its actions again.
    blitar.goto(url)
    expect(blitar.locator(".ws-timeline")).to_contain_text("Setelah dicek, ruas ini jalan Kota Blitar.")
    expect(blitar.locator("#aksi-rujuk")).to_have_count(1)
    assert_fits(blitar, viewport)
