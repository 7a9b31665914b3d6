"""Dispose down and return up in a real browser (issue 20): the agency's liaison forwards
its disposition to a unit, the unit's liaison finds it in its dispositions, answers the
reporter and returns it to the agency, which sees it back in its own hands — on a 360 px
phone and a desktop, in Indonesian and English."""

import pytest
from playwright.sync_api import expect

from agencies.models import Agency, Role
from reports.models import Disposition, ReportEvent
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
        "forward": "Teruskan ke unit",
        "return": "Kembalikan ke perangkat daerah",
        "from": "dari DPUPR",
        "blank": "— pilih unit —",
    },
    "en": {
        "forward": "Forward to a unit",
        "return": "Return to the agency",
        "from": "from DPUPR",
        "blank": "— choose a unit —",
    },
}


@pytest.fixture
def agency_with_units(transactional_db):
    complaint_unit = factory.make_agency("Unit Layanan Pengaduan", short_name="ULPIM", is_complaint_unit=True)
    dpupr = factory.make_agency("Dinas Pekerjaan Umum dan Penataan Ruang", short_name="DPUPR")
    below = {"kind": Agency.Kind.UNIT, "parent": dpupr}
    roads = factory.make_agency("Bidang Bina Marga", short_name="Bina Marga", **below)
    factory.make_agency("Bidang Sumber Daya Air", short_name="Bidang SDA", **below)
    coordinator = factory.make_user("koordinator", password=PASSWORD)
    factory.appoint(coordinator, complaint_unit, Role.COORDINATOR)
    for username, agency in (("penghubung_dpupr", dpupr), ("penghubung_binamarga", roads)):
        factory.appoint(factory.make_user(username, password=PASSWORD), agency, Role.LIAISON)
    report = factory.make_disposed(coordinator, dpupr, description="Jalan berlubang di depan SDN 2 Bendogerit.")
    return {"report": report, "roads": roads, "disposition": report.dispositions.get()}


@in_both_languages_on_a_phone_and_a_desktop
def test_forward_to_a_unit_follow_up_and_return(live_server, agency_with_units, chromium, language, viewport):
    words = WORDS[language]
    report = agency_with_units["report"]
    url = f"{live_server.url}/kerja/laporan/{report.pk}/"

    # The agency forwards its disposition to Bina Marga.
    agency = logged_in(chromium, viewport, live_server.url, "penghubung_dpupr", language)
    agency.goto(url)
    expect(agency.locator("html")).to_have_attribute("lang", language)
    box = agency.locator("#aksi-teruskan-unit")
    expect(box.locator("summary")).to_have_text(words["forward"])
    open_box(box)
    # The blank and Bina Marga: Bidang SDA has no appointed staff to take work.
    expect(agency.locator("#id_teruskan-unit_unit option")).to_have_text([words["blank"], "Bina Marga"])
    agency.select_option("#id_teruskan-unit_unit", label="Bina Marga")
    agency.fill("#id_teruskan-unit_instruction", "Cek lubang dan tambal minggu ini.")
    assert_fits(agency, viewport)
    with agency.expect_navigation():
        box.locator("button[type=submit]").click()
    expect(agency.locator(".ws-unit-level")).to_contain_text("Bina Marga")
    assert_styled(agency)
    child = Disposition.objects.get(parent=agency_with_units["disposition"])

    # The unit finds it in its dispositions, answers the reporter, then returns it.
    unit = logged_in(chromium, viewport, live_server.url, "penghubung_binamarga", language)
    unit.goto(f"{live_server.url}/kerja/disposisi/")
    expect(unit.locator("#results tbody tr")).to_have_count(1)
    expect(unit.locator("#results")).to_contain_text(words["from"])
    assert_fits(unit, viewport)
    with unit.expect_navigation():
        unit.click(f"#results a:has-text('{report.tracking_number}')")
    expect(unit.locator("#aksi-kembalikan")).to_have_count(0)  # not to the coordinator
    open_box(unit.locator("#aksi-tindak-lanjut"))
    unit.fill("#id_tindak-lanjut_message", "Tim Bina Marga sudah meninjau lokasi.")
    unit.check("#id_tindak-lanjut_audience_1")
    with unit.expect_navigation():
        unit.click("#aksi-tindak-lanjut button[type=submit]")
    back = unit.locator("#aksi-kembalikan-ke-opd")
    expect(back.locator("summary")).to_have_text(words["return"])
    open_box(back)
    unit.fill("#id_kembalikan-ke-opd_reason", "Jalan ini jalan provinsi, bukan kewenangan bidang kami.")
    assert_fits(unit, viewport)
    with unit.expect_navigation():
        back.locator("button[type=submit]").click()
    assert_styled(unit)
    child.refresh_from_db()
    assert (child.state, child.is_active) == (Disposition.State.RETURNED, False)

    # Back with the agency: its own disposition still open, the unit's work on the page.
    agency.goto(url)
    expect(agency.locator(".ws-timeline")).to_contain_text("Tim Bina Marga sudah meninjau lokasi.")
    expect(agency.locator(".ws-timeline")).to_contain_text("Jalan ini jalan provinsi")
    expect(agency.locator("#aksi-teruskan-unit")).to_have_count(1)
    assert_fits(agency, viewport)
    assert ReportEvent.objects.filter(action="returned_to_agency").count() == 1
