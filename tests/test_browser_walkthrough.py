"""The spine, end to end in a real browser: a resident reports from a phone, the
coordinator verifies and disposes, the agency follows up and finishes, the resident
confirms and rates. Each step leaves a screenshot (tests/browser.py says where).

Runs against pytest-django's live_server (which serves static files through
django.contrib.staticfiles) with Debian's Chromium; see tests/browser.py.
"""

import re

import pytest
from playwright.sync_api import expect

from agencies.models import Role
from reports.models import Report, Status
from tests import factory
from tests.browser import DESKTOP, PHONE, assert_styled, log_in, new_page, shoot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "rahasia-demo-123"
NAME, PHONE_NUMBER = "Budi Santoso", "081298765432"


@pytest.fixture
def city(transactional_db):
    """Regions, agencies, a category DPUPR handles, and two staff with known passwords."""
    kecamatan = factory.make_region("Sananwetan")
    factory.make_region("Klampok", parent=kecamatan)
    kelurahan = factory.make_region("Bendogerit", parent=kecamatan)
    other_kecamatan = factory.make_region("Kepanjenkidul")
    factory.make_region("Bendo", parent=other_kecamatan)

    unit = factory.make_agency("Unit Layanan Pengaduan", short_name="ULPIM", is_complaint_unit=True)
    dpupr = factory.make_agency("Dinas Pekerjaan Umum dan Penataan Ruang", short_name="DPUPR")
    factory.make_agency("Dinas Perhubungan", short_name="Dishub")

    roads = factory.Category.objects.create(name="Jalan dan jembatan")
    pothole = factory.make_category("Jalan berlubang", parent=roads, default_agency=dpupr)
    factory.make_category("Jembatan rusak", parent=roads, default_agency=dpupr)
    transport = factory.Category.objects.create(name="Perhubungan")
    factory.make_category("Parkir liar", parent=transport)

    coordinator = factory.make_user("koordinator", password=PASSWORD)
    factory.appoint(coordinator, unit, Role.COORDINATOR)
    liaison = factory.make_user("penghubung_pupr", password=PASSWORD)
    factory.appoint(liaison, dpupr, Role.LIAISON)
    return {
        "kecamatan": kecamatan,
        "kelurahan": kelurahan,
        "dpupr": dpupr,
        "category": pothole,
        "coordinator": coordinator,
        "liaison": liaison,
    }


def _choose(page, select, label, *, narrows, endpoint):
    """Pick ``label`` in ``select``, then wait for htmx to narrow the ``narrows`` select."""
    with page.expect_response(lambda r: endpoint in r.url and r.status == 200):
        page.select_option(select, label=label)
    # Only the chosen parent's group is left (plus the empty choice).
    expect(page.locator(f"{narrows} optgroup")).to_have_count(1)


def _submit_form(page, action_suffix):
    """Press the submit button of the form posting to ``…/<action_suffix>/`` and wait for
    the redirect back to the report page."""
    with page.expect_navigation():
        page.click(f"form[action*='/{action_suffix}/'] button[type=submit]")


def test_a_complaint_travels_from_a_resident_to_the_agency_and_back(live_server, city, chromium, tmp_path):
    base = live_server.url
    photo = tmp_path / "jalan-berlubang.jpg"
    photo.write_bytes(factory.jpeg_bytes(size=(320, 240), color=(90, 90, 90)))

    # 1. A resident, on a phone and without an account, reports a pothole with a photo.
    resident = new_page(chromium, PHONE, mobile=True)
    resident.goto(f"{base}/lapor/")
    assert_styled(resident)
    resident.check("input[name=kind][value=complaint]")
    resident.fill("#id_description", "Jalan berlubang besar di depan SDN Bendogerit 2, sudah dua minggu.")
    _choose(resident, "#id_parent", "Jalan dan jembatan", narrows="#id_category", endpoint="/kategori/sub/")
    expect(resident.locator("#id_category option")).to_have_text(
        ["Pilih subkategori…", "Jalan berlubang", "Jembatan rusak"]
    )
    resident.select_option("#id_category", label="Jalan berlubang")
    _choose(resident, "#id_kecamatan", "Sananwetan", narrows="#id_region", endpoint="/wilayah/kelurahan/")
    expect(resident.locator("#id_region option")).to_have_text(["Pilih kelurahan…", "Bendogerit", "Klampok"])
    resident.select_option("#id_region", label="Bendogerit")
    resident.fill("#id_address", "Jl. Cempaka, depan SDN Bendogerit 2")
    resident.set_input_files("#id_attachments", str(photo))
    resident.fill("#id_reporter_name", NAME)
    resident.fill("#id_reporter_phone", PHONE_NUMBER)
    resident.check("input[name=reply_channel][value=whatsapp]")
    shoot(resident, "01-submit.png")
    with resident.expect_navigation():
        resident.click("button[type=submit]:has-text('Kirim laporan')")

    number = resident.inner_text(".tracking-number").strip()
    assert re.fullmatch(r"BLT-\d{4}-\d{6}", number)
    private_link = resident.input_value("#private-link")
    report = Report.objects.get(tracking_number=number)
    assert private_link == f"{base}/lacak/{report.secret}/"
    assert report.status == Status.RECEIVED
    assert (report.category, report.region) == (city["category"], city["kelurahan"])
    assert (report.reporter_name, report.reporter_phone, report.reply_channel) == (NAME, PHONE_NUMBER, "whatsapp")
    assert report.attachments.count() == 1
    assert_styled(resident)
    shoot(resident, "02-submitted.png")

    # 2. The coordinator finds it in the inbox, verifies it and disposes it to DPUPR.
    coordinator = new_page(chromium, DESKTOP)
    log_in(coordinator, base, "koordinator", PASSWORD)
    expect(coordinator).to_have_url(f"{base}/kerja/kotak-masuk/")
    row = coordinator.locator("tr", has_text=number)
    expect(row).to_contain_text("Jalan berlubang")
    expect(row).to_contain_text("Diterima")
    assert_styled(coordinator)
    shoot(coordinator, "03-coordinator-inbox.png")

    with coordinator.expect_navigation():
        row.get_by_role("link", name=number).click()
    expect(coordinator.locator(".ws-identity")).to_contain_text(PHONE_NUMBER)  # the coordinator may see who
    # Verify and dispose in one step; the category's default agency is already chosen as the lead.
    expect(coordinator.locator("#id_verifikasi-teruskan_lead_agency option:checked")).to_have_text(str(city["dpupr"]))
    coordinator.fill("#id_verifikasi-teruskan_instruction", "Mohon ditambal sebelum musim hujan.")
    _submit_form(coordinator, "verifikasi-teruskan")
    # The only report of the inbox: back to it, with what was done.
    expect(coordinator.locator(".messages")).to_contain_text(f"{number}: Laporan diverifikasi dan didisposisikan.")
    expect(coordinator).to_have_url(f"{base}/kerja/kotak-masuk/")
    report.refresh_from_db()
    assert report.status == Status.DISPOSED
    assert list(report.events.values_list("action", flat=True)) == ["submitted", "verified", "disposed"]
    disposition = report.dispositions.get()
    assert (disposition.agency, disposition.instruction) == (city["dpupr"], "Mohon ditambal sebelum musim hujan.")
    coordinator.goto(f"{base}/kerja/laporan/{report.pk}/")
    expect(coordinator.locator(".ws-heading .badge").first).to_have_text("Terdisposisi")
    assert_styled(coordinator)
    shoot(coordinator, "04-verified-disposed.png")

    # 3. DPUPR's liaison, in a browser of their own, follows up in public and finishes.
    liaison = new_page(chromium, DESKTOP)
    log_in(liaison, base, "penghubung_pupr", PASSWORD)
    expect(liaison).to_have_url(f"{base}/kerja/disposisi/")
    with liaison.expect_navigation():
        liaison.locator("tr", has_text=number).get_by_role("link", name=number).click()
    expect(liaison.locator(".ws-description")).to_contain_text("Jalan berlubang besar")
    liaison.fill("#id_tindak-lanjut_message", "Tim sudah meninjau lokasi; penambalan dijadwalkan Kamis.")
    # Nothing is chosen beforehand: this answer is for everyone, so "Publik".
    assert not liaison.is_checked("#aksi-tindak-lanjut input[name=audience][value=public]")
    liaison.check("#aksi-tindak-lanjut input[name=audience][value=public]")
    _submit_form(liaison, "tindak-lanjut")
    expect(liaison.locator(".messages")).to_contain_text("Tindak lanjut disimpan.")
    report.refresh_from_db()
    assert report.status == Status.IN_PROGRESS

    liaison.click("summary:has-text('Tandai selesai')")
    liaison.fill("#id_selesai_message", "Lubang sudah ditambal dengan aspal pada hari Kamis.")
    liaison.check("#aksi-selesai input[name=audience][value=public]")
    _submit_form(liaison, "selesai")
    expect(liaison.locator(".messages")).to_contain_text("Disposisi ditandai selesai.")
    expect(liaison.locator(".ws-timeline")).to_contain_text("penambalan dijadwalkan Kamis")
    report.refresh_from_db()
    assert report.status == Status.RESOLVED
    assert_styled(liaison)
    shoot(liaison, "05-liaison-follow-up.png")

    # 4. Back on the phone, the resident sees the agency's answer, confirms and rates.
    resident.goto(private_link)
    expect(resident.locator(".status-card .badge")).to_have_text("Selesai ditindaklanjuti")
    timeline = resident.locator(".timeline")
    expect(timeline).to_contain_text("DPUPR")
    expect(timeline).to_contain_text("penambalan dijadwalkan Kamis")
    expect(timeline).to_contain_text("Lubang sudah ditambal")
    resident.fill("#id_message", "Sudah rata kembali, terima kasih.")
    with resident.expect_navigation():
        resident.click("button[type=submit]:has-text('Ya, sudah beres')")
    expect(resident.locator(".status-card .badge")).to_have_text("Ditutup")
    report.refresh_from_db()
    assert report.status == Status.CLOSED

    resident.check("input[name=rating][value='5']")
    resident.fill("#id_comment", "Cepat dan jelas.")
    with resident.expect_navigation():
        resident.click("button[type=submit]:has-text('Kirim nilai')")
    expect(resident.locator(".messages")).to_contain_text("Terima kasih atas penilaian Anda.")
    expect(resident.locator("main")).to_contain_text("Anda memberi nilai 5 dari 5.")
    report.refresh_from_db()
    assert (report.status, report.rating, report.rating_comment) == (Status.CLOSED, 5, "Cepat dan jelas.")
    assert_styled(resident)
    shoot(resident, "06-resident-confirm-rate.png")

    for page in (resident, coordinator, liaison):
        page.context.close()


def test_the_agency_never_sees_who_sent_an_anonymous_report(live_server, city, chromium):
    report = factory.make_disposed(
        city["coordinator"],
        city["dpupr"],
        category=city["category"],
        region=city["kelurahan"],
        is_anonymous=True,
        reporter_name=NAME,
        reporter_phone=PHONE_NUMBER,
        reporter_email="budi@example.org",
        description="Jembatan kecil di gang Melati retak.",
    )

    liaison = new_page(chromium, DESKTOP)
    log_in(liaison, live_server.url, "penghubung_pupr", PASSWORD)
    liaison.goto(f"{live_server.url}/kerja/laporan/{report.pk}/")
    expect(liaison.locator(".ws-description")).to_contain_text("Jembatan kecil di gang Melati retak.")
    expect(liaison.locator(".ws-identity")).to_contain_text("Anonim")
    html = liaison.content()
    for secret in (NAME, "Budi", PHONE_NUMBER, "budi@example.org"):
        assert secret not in html
    assert liaison.locator("form[action$='/identitas/']").count() == 0  # no reveal button either
    liaison.context.close()
