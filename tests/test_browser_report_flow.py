"""The report page's flow in a real browser, at desktop width and at 360 px, in Indonesian
and in English: the coordinator opens the first new report from the inbox by keyboard,
verifies and disposes it to triage's agency in one submit and lands on the next report;
a liaison on a phone follows up with a photo, choosing who may read it, with a canned
reply inserted into the message box.

Clicks and page loads for "open the next new report, verify, dispose to the suggested
agency" (docs/panduan-koordinator.md): before this flow 4 clicks and 4 page loads (open,
verify, dispose — each submit reloading the report page — and back to the inbox); now
the submit itself opens the next report: 1 click and 1 page load per report (2 and 2
for the first one of a session, which is opened from the inbox). The test counts them.
"""

import pytest
from playwright.sync_api import expect

from agencies.models import Role
from notify.models import CannedReply
from reports import actions
from reports.models import Status
from tests import factory
from tests.browser import DESKTOP, assert_styled, log_in, new_page, shoot
from triage.models import Suggestion

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "rahasia-demo-123"
NARROW = {"width": 360, "height": 780}

TEXT = {
    "id": {
        "box": "Verifikasi & teruskan",
        "done": "Laporan diverifikasi dan didisposisikan.",
        "shortcuts": "Tombol pintas",
        "last": "Tidak ada laporan berikutnya di daftar ini.",
        "reporter": "Terlihat oleh: Pelapor",
        "required": "Pilih siapa yang dapat melihat pesan ini.",
        "saved": "Tindak lanjut disimpan.",
    },
    "en": {
        "box": "Verify & forward",
        "done": "Report verified and disposed.",
        "shortcuts": "Keyboard shortcuts",
        "last": "No next report in this list.",
        "reporter": "Visible to: Reporter",
        "required": "Choose who may see this message.",
        "saved": "Follow-up saved.",
    },
}


@pytest.fixture
def desk(transactional_db):
    sananwetan = factory.make_region("Sananwetan")
    bendogerit = factory.make_region("Bendogerit", parent=sananwetan)
    unit = factory.make_agency("Unit Layanan Pengaduan", short_name="ULPIM", is_complaint_unit=True)
    dpupr = factory.make_agency("Dinas Pekerjaan Umum", short_name="DPUPR")
    dishub = factory.make_agency("Dinas Perhubungan", short_name="Dishub")
    lights = factory.make_category("Lampu jalan", default_agency=dishub)
    coordinator = factory.make_user("koordinator", password=PASSWORD)
    factory.appoint(coordinator, unit, Role.COORDINATOR)
    liaison = factory.make_user("penghubung_pupr", password=PASSWORD)
    factory.appoint(liaison, dpupr, Role.LIAISON)
    reports = [
        factory.make_report(region=bendogerit, category=lights, description=text)
        for text in ("Lampu jalan mati di Bendogerit.", "Lampu taman padam.", "Tiang lampu miring.")
    ]
    # Triage learned that DPUPR takes these (the category's default would be Dishub).
    for report in reports:
        Suggestion.objects.update_or_create(
            report=report,
            rank=1,
            defaults={"category": lights, "agency": dpupr, "agency_confidence": 0.8, "source": "model"},
        )
    CannedReply.objects.create(
        title="Dijadwalkan", body="Petugas {opd} dijadwalkan ke lokasi laporan {nomor}.", used_by="agency"
    )
    return {"reports": reports, "dpupr": dpupr, "coordinator": coordinator}


def _in(page, language):
    if language == "en":
        with page.expect_navigation():
            page.select_option("select[name=language]", "en")


class Counter:
    """Page loads of the main frame (a POST answered by a redirect is one page load)."""

    def __init__(self, page):
        self.loads = 0
        page.on("load", self.loaded)

    def loaded(self, _page):
        self.loads += 1


@pytest.mark.parametrize("language", ["id", "en"])
@pytest.mark.parametrize("viewport", [DESKTOP, NARROW], ids=["desktop", "360px"])
def test_verify_and_dispose_lands_on_the_next_report(live_server, desk, chromium, viewport, language):
    first, second, third = desk["reports"]
    text = TEXT[language]
    page = new_page(chromium, viewport, mobile=viewport is NARROW)
    log_in(page, live_server.url, "koordinator", PASSWORD)
    _in(page, language)
    expect(page.locator("table[data-keynav] tbody tr")).to_have_count(3)

    # ? shows the shortcuts; Esc closes them.
    page.keyboard.press("?")
    expect(page.locator("dialog#shortcuts")).to_be_visible()
    expect(page.locator("dialog#shortcuts")).to_contain_text(text["shortcuts"])
    page.keyboard.press("Escape")
    expect(page.locator("dialog#shortcuts")).to_be_hidden()

    counter = Counter(page)
    clicks = 0
    # Open the first new report by keyboard: j selects the first row, Enter opens it.
    page.keyboard.press("j")
    expect(page.locator("tr.ws-row-current")).to_contain_text(first.tracking_number)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page).to_have_url(f"{live_server.url}/kerja/laporan/{first.pk}/?from=%2Fkerja%2Fkotak-masuk%2F")
    box = page.locator("#aksi-verifikasi-teruskan")
    expect(box).to_have_attribute("open", "")
    expect(box.locator("> summary")).to_have_text(text["box"])
    # Triage's agency is chosen already; one click verifies and disposes.
    expect(page.locator("#id_verifikasi-teruskan_lead_agency option:checked")).to_have_text("DPUPR")
    if language == "id" and viewport is DESKTOP:
        shoot(page, "19-verify-dispose.png")
    with page.expect_navigation():
        box.locator("button[type=submit]").click()
    clicks += 1
    expect(page).to_have_url(f"{live_server.url}/kerja/laporan/{second.pk}/?from=%2Fkerja%2Fkotak-masuk%2F")
    expect(page.locator(".messages")).to_contain_text(f"{first.tracking_number}: {text['done']}")
    first.refresh_from_db()
    assert first.status == Status.DISPOSED
    assert first.dispositions.get().agency == desk["dpupr"]
    assert list(first.events.values_list("action", flat=True)) == ["submitted", "verified", "disposed"]
    assert (clicks, counter.loads) == (1, 2)  # the open by keyboard, and the submit
    if language == "id" and viewport is NARROW:
        shoot(page, "20-next-report-phone.png")

    # The next report: one click, one page load. k and j walk the list too.
    counter.loads, clicks = 0, 0
    with page.expect_navigation():
        page.locator("#aksi-verifikasi-teruskan button[type=submit]").click()
    clicks += 1
    expect(page).to_have_url(f"{live_server.url}/kerja/laporan/{third.pk}/?from=%2Fkerja%2Fkotak-masuk%2F")
    assert (clicks, counter.loads) == (1, 1)

    # The last one: back to the inbox, which is empty now.
    with page.expect_navigation():
        page.locator("#aksi-verifikasi-teruskan button[type=submit]").click()
    expect(page).to_have_url(f"{live_server.url}/kerja/kotak-masuk/")
    expect(page.locator(".messages")).to_contain_text(text["last"])
    assert_styled(page)
    page.context.close()


@pytest.mark.parametrize("language", ["id", "en"])
def test_a_liaison_on_a_phone_follows_up_with_a_photo_choosing_who_reads_it(
    live_server, desk, chromium, tmp_path, language
):
    report = actions.verify_and_dispose(desk["reports"][0], actor=desk["coordinator"], lead_agency=desk["dpupr"])
    text = TEXT[language]
    photo = tmp_path / "lokasi.jpg"
    photo.write_bytes(factory.jpeg_bytes())
    page = new_page(chromium, NARROW, mobile=True)
    log_in(page, live_server.url, "penghubung_pupr", PASSWORD)
    _in(page, language)
    with page.expect_navigation():
        page.get_by_role("link", name=report.tracking_number).click()

    box = page.locator("#aksi-tindak-lanjut")
    expect(box).to_have_attribute("open", "")
    # A canned reply, filled for this report, goes into the message box.
    with page.expect_response(lambda r: "balasan-cepat" in r.url and r.status == 200):
        box.locator("select[data-canned-for]").select_option(label="Dijadwalkan")
    message = page.locator("#id_tindak-lanjut_message")
    expect(message).to_have_value(
        f"Petugas Dinas Pekerjaan Umum dijadwalkan ke lokasi laporan {report.tracking_number}."
    )
    page.set_input_files("#id_tindak-lanjut_attachments", str(photo))
    radios = box.locator("input[name=audience]")
    expect(radios).to_have_count(3)
    for i in range(3):
        expect(radios.nth(i)).not_to_be_checked()

    # Without a choice the browser keeps the form (the server would refuse it too).
    box.locator("button[type=submit]").click()
    assert page.evaluate("document.querySelector('#aksi-tindak-lanjut input[name=audience]').validity.valueMissing")
    assert not report.events.filter(action="follow_up").exists()

    box.locator("input[name=audience][value=reporter]").check()
    if language == "id":
        shoot(page, "21-liaison-audience-phone.png")
    with page.expect_navigation():
        box.locator("button[type=submit]").click()
    expect(page.locator(".messages")).to_contain_text(text["saved"])
    entry = page.locator(".ws-timeline li.timeline-follow_up")
    expect(entry).to_contain_text(text["reporter"])
    expect(entry.locator("img")).to_have_count(1)
    event = report.events.get(action="follow_up")
    assert (event.audience, event.attachments.get().original_name) == ("reporter", "lokasi.jpg")
    # Not on the public page.
    public = new_page(chromium, NARROW, mobile=True)
    public.goto(f"{live_server.url}/laporan/{report.tracking_number}/")
    expect(public.locator("main")).not_to_contain_text("dijadwalkan ke lokasi")
    expect(public.locator("main")).not_to_contain_text("lokasi.jpg")
    assert_styled(page)
    page.context.close()
    public.context.close()
