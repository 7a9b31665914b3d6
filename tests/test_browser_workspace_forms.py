"""The coordinator's forms in a real browser: choosing a kecamatan in the inbox filter
narrows the kelurahan select (htmx, out of band with the results), and a refused dispose
comes back with the instruction still typed."""

import pytest
from playwright.sync_api import expect

from agencies.models import Role
from reports.models import Disposition
from tests import factory
from tests.browser import DESKTOP, assert_styled, log_in, new_page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "rahasia-demo-123"


@pytest.fixture
def desk(transactional_db):
    sananwetan = factory.make_region("Sananwetan")
    bendogerit = factory.make_region("Bendogerit", parent=sananwetan)
    factory.make_region("Klampok", parent=sananwetan)
    sentul = factory.make_region("Sentul", parent=factory.make_region("Kepanjenkidul"))
    unit = factory.make_agency("Unit Layanan Pengaduan", short_name="ULPIM", is_complaint_unit=True)
    factory.make_agency("Dinas Pekerjaan Umum", short_name="DPUPR")
    coordinator = factory.make_user("koordinator", password=PASSWORD)
    factory.appoint(coordinator, unit, Role.COORDINATOR)
    return {
        "here": factory.make_report(region=bendogerit, description="Lampu jalan mati di Bendogerit."),
        "there": factory.make_report(region=sentul, description="Saluran tersumbat di Sentul."),
        "verified": factory.make_verified(coordinator, region=bendogerit),
    }


def test_choosing_a_kecamatan_narrows_the_kelurahan_select(live_server, desk, chromium):
    page = new_page(chromium, DESKTOP)
    log_in(page, live_server.url, "koordinator", PASSWORD)
    expect(page).to_have_url(f"{live_server.url}/kerja/kotak-masuk/")
    # Without a kecamatan (and without JavaScript) every kelurahan, grouped by kecamatan.
    expect(page.locator("#id_kelurahan optgroup")).to_have_count(2)

    # Sentul first, then a kecamatan it is not in: the answer narrows the list and says
    # that the kelurahan was not applied, instead of showing nothing.
    with page.expect_response(lambda r: "kelurahan=" in r.url and r.status == 200):
        page.select_option("#id_kelurahan", label="Sentul")
    expect(page.locator("#results tbody tr")).to_have_count(1)
    with page.expect_response(lambda r: "kecamatan=" in r.url and r.status == 200):
        page.select_option("#id_kecamatan", label="Sananwetan")
    expect(page.locator("#id_kelurahan option")).to_have_text(["Semua kelurahan", "Bendogerit", "Klampok"])
    expect(page.locator("#results .alert")).to_contain_text("Kelurahan Sentul tidak termasuk Kecamatan Sananwetan")
    expect(page.locator("#results tbody tr")).to_have_count(2)  # both Bendogerit reports

    # A kelurahan of the chosen kecamatan applies, and the list stays narrowed.
    with page.expect_response(lambda r: "kelurahan=" in r.url and r.status == 200):
        page.select_option("#id_kelurahan", label="Klampok")
    expect(page.locator("#results .alert")).to_have_count(0)
    expect(page.locator("#results")).to_contain_text("Tidak ada laporan yang cocok.")
    expect(page.locator("#id_kelurahan option:checked")).to_have_text("Klampok")
    expect(page.locator("#id_kelurahan optgroup")).to_have_count(1)
    assert_styled(page)


def test_a_refused_dispose_keeps_the_instruction(live_server, desk, chromium):
    page = new_page(chromium, DESKTOP)
    log_in(page, live_server.url, "koordinator", PASSWORD)
    page.goto(f"{live_server.url}/kerja/laporan/{desk['verified'].pk}/")
    instruction = "Cek bersama lurah dan RT 04 sebelum Jumat, lalu kirim foto kondisi terakhir."
    expect(page.locator("#aksi-disposisi")).to_have_attribute("open", "")  # the first box
    page.select_option("#id_disposisi_lead_agency", value="")
    page.fill("#id_disposisi_instruction", instruction)
    # The browser's own check would stop the empty required select; the server's is tested here.
    page.evaluate("document.querySelector('#aksi-disposisi form').noValidate = true")
    with page.expect_navigation():
        page.click("#aksi-disposisi button[type=submit]")
    expect(page.locator(".alert").first).to_contain_text("belum disimpan")
    expect(page.locator("#aksi-disposisi")).to_have_attribute("open", "")
    expect(page.locator("#id_disposisi_instruction")).to_have_value(instruction)
    expect(page.locator("#id_disposisi_lead_agency_error")).to_be_visible()
    assert page.failures == [f"400 {live_server.url}/kerja/laporan/{desk['verified'].pk}/disposisi/"]
    assert not Disposition.objects.exists()
