"""Monev up the tree in a real browser (issue 20): the governor of a province with two
cities opens the monev board, finds a row per city, opens one and reads its figures only
(no number opens a report list; its recaps download) — on a 360 px phone and a desktop, in Indonesian and
English."""

import pytest
from playwright.sync_api import expect

from agencies.models import Role
from governments.models import Government
from reports import actions
from tests import factory
from tests.browser import (
    PASSWORD,
    SCREENSHOTS,
    assert_fits,
    assert_styled,
    in_both_languages_on_a_phone_and_a_desktop,
    logged_in,
    shoot,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WORDS = {
    "id": {"rows": "Kabupaten/kota", "whole": "Seluruh provinsi", "note": "Hanya angka, hanya baca"},
    "en": {"rows": "Regencies and cities", "whole": "Whole province", "note": "Figures only, read-only"},
}


@pytest.fixture
def province(transactional_db):
    blitar = Government.objects.get()
    jatim, jatim_unit = factory.make_government("Provinsi Jawa Timur", prefix="JTM", kind=Government.Kind.PROVINCE)
    blitar.parent = jatim
    blitar.save()
    kediri, kediri_unit = factory.make_government("Kota Kediri", prefix="KDR", parent=jatim)
    governor = factory.make_user("gubernur", password=PASSWORD)
    factory.appoint(governor, jatim_unit, Role.EXECUTIVE)
    blitar_unit = factory.make_agency("Unit Layanan Pengaduan", is_complaint_unit=True, government=blitar)
    for government, unit, prefix in ((blitar, blitar_unit, "blitar"), (kediri, kediri_unit, "kediri")):
        agency = factory.make_agency("Dinas Perhubungan", short_name="Dishub", government=government)
        category = factory.make_category("Lampu jalan", government=government)
        coordinator = factory.make_staff(Role.COORDINATOR, unit, f"koordinator_{prefix}")
        liaison = factory.make_staff(Role.LIAISON, agency, f"penghubung_{prefix}")
        for _i in range(2 if prefix == "blitar" else 1):
            report = factory.make_resolved(coordinator, agency, liaison, category=category)
            actions.rate_report(report, actor=factory.reporter_of(report), rating=4)
    return {"blitar": blitar, "kediri": kediri, "kediri_report": report}


@in_both_languages_on_a_phone_and_a_desktop
def test_governor_sees_a_row_per_city_and_opens_one(live_server, province, chromium, language, viewport):
    words = WORDS[language]
    page = logged_in(chromium, viewport, live_server.url, "gubernur", language)
    page.goto(f"{live_server.url}/kerja/monev/?preset=month")
    expect(page.locator("html")).to_have_attribute("lang", language)
    section = page.locator("#kabupaten-kota")
    expect(section.locator("h2")).to_have_text(words["rows"])
    rows = section.locator("tbody tr")
    expect(rows).to_have_count(2)
    expect(section.locator("tbody")).to_contain_text(province["blitar"].name)
    expect(section.locator("tfoot")).to_contain_text(words["whole"])
    kediri_row = rows.filter(has_text="Kota Kediri")
    expect(kediri_row.locator("td").first).to_have_text("1")  # received
    assert_fits(page, viewport)
    assert_styled(page)
    section.screenshot(path=str(SCREENSHOTS / f"monev-province-{language}-{viewport['width']}.png"))

    with page.expect_navigation():
        kediri_row.locator("a").click()
    expect(page.locator("h1")).to_contain_text("Kota Kediri")
    expect(page.locator(".monev-child-note")).to_contain_text(words["note"])
    expect(page.locator(".monev-tile-value").first).to_have_text("1")
    # Figures only: no number opens a report list, no report is named; its recaps (figures
    # only too) are the city's.
    expect(page.locator("a[href*='/kerja/monev/laporan/']")).to_have_count(0)
    recaps = page.locator("a[href*='/rekap.']")
    expect(recaps).to_have_count(2)
    for i in range(2):
        assert f"government={province['kediri'].pk}" in recaps.nth(i).get_attribute("href")
    expect(page.locator("body")).not_to_contain_text(province["kediri_report"].tracking_number)
    expect(page.locator("#kabupaten-kota")).to_have_count(0)
    assert_fits(page, viewport)
    shoot(page, f"monev-province-child-{language}-{viewport['width']}.png")

    # The period filter stays on the city; the way back leads to the province's board.
    with page.expect_navigation():
        page.locator(".monev-filters button[type=submit]").click()
    expect(page.locator("h1")).to_contain_text("Kota Kediri")
    with page.expect_navigation():
        page.locator(".monev-child-note a").click()
    expect(page.locator("#kabupaten-kota tbody tr")).to_have_count(2)
    page.context.close()
