"""The public map and "Saya juga mengalami ini" in a real browser: at 360 px the list sits
below the map, on a desktop beside it; markers are clustered; "Dekat saya" uses the phone's
position; Indonesian and English; a resident supports a report from its page and from the
report form's nearby list. No tile server: the plain base layer of kelurahan centres."""

from decimal import Decimal

import pytest
from playwright.sync_api import expect

from agencies.models import Role
from reports.models import Report, Support
from tests import factory
from tests.browser import DESKTOP, assert_styled, new_page, shoot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE_360 = {"width": 360, "height": 740}
PIN = ("-8.094321", "112.176543")


@pytest.fixture
def city(transactional_db):
    kecamatan = factory.make_region("Sananwetan")
    kecamatan.latitude, kecamatan.longitude = Decimal("-8.1"), Decimal("112.188")
    kecamatan.save()
    places = {}
    for name, lat, lng in [("Bendogerit", "-8.096", "112.182"), ("Klampok", "-8.104", "112.192")]:
        region = factory.make_region(name, parent=kecamatan)
        region.latitude, region.longitude = Decimal(lat), Decimal(lng)
        region.save()
        places[name] = region
    unit = factory.make_agency("Unit Layanan Pengaduan", short_name="ULPIM", is_complaint_unit=True)
    coordinator = factory.make_user("koordinator")
    factory.appoint(coordinator, unit, Role.COORDINATOR)
    transport = factory.Category.objects.create(name="Perhubungan")
    lights = factory.make_category("Lampu penerangan jalan", parent=transport)
    parking = factory.make_category("Parkir liar", parent=transport)
    made = []
    texts = [
        ("Lampu jalan mati di depan SD", lights, "Bendogerit", "-8.0962", "112.1815", False),
        ("Tiga lampu jalan padam sejak Senin", lights, "Bendogerit", "-8.0966", "112.1822", False),
        ("Lampu taman berkedip", lights, "Klampok", "-8.1035", "112.1925", False),
        ("Parkir liar di trotoar pasar", parking, "Klampok", "-8.1046", "112.1911", False),
        ("Lampu gang gelap, saya takut", lights, "Bendogerit", PIN[0], PIN[1], True),
    ]
    for title, category, place, lat, lng, anonymous in texts:
        made.append(
            factory.make_verified(
                coordinator,
                title=title,
                category=category,
                region=places[place],
                latitude=lat,
                longitude=lng,
                is_anonymous=anonymous,
            )
        )
    return {"reports": made, "lights": lights, "bendogerit": places["Bendogerit"], "kecamatan": kecamatan}


def _open_map(page, url):
    page.goto(url)
    expect(page.locator("#public-map[data-loaded]")).to_have_attribute("data-loaded", "5")
    assert_styled(page)


def test_the_map_on_a_phone_and_a_desktop_in_both_languages_with_near_me(live_server, city, chromium):
    page = new_page(chromium, PHONE_360, mobile=True)
    page.context.grant_permissions(["geolocation"])
    page.context.set_geolocation({"latitude": -8.0962, "longitude": 112.1815})
    _open_map(page, f"{live_server.url}/peta/")
    expect(page.locator("h1")).to_have_text("Peta laporan")
    # Clustered: five reports close together do not make five loose pins at city zoom.
    expect(page.locator(".marker-cluster").first).to_be_visible()
    expect(page.locator(".pm-region-label", has_text="Bendogerit")).to_be_visible()  # the plain base layer
    # On a phone the list comes below the map, as wide as the screen; nothing scrolls sideways.
    map_box = page.locator("#public-map").bounding_box()
    list_box = page.locator(".map-list").bounding_box()
    assert list_box["y"] >= map_box["y"] + map_box["height"]
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE_360["width"]
    expect(page.locator(".map-list .report-row")).to_have_count(5)
    shoot(page, "24-peta-laporan.png")

    # Near me: the phone's position, the reports within 2 km listed nearest first.
    with page.expect_navigation():
        page.click("#near-me")
    assert "near=" in page.url
    expect(page.locator("#near-status")).to_contain_text("2 km")
    expect(page.locator(".map-list .report-row").first).to_contain_text("Lampu jalan mati di depan SD")
    expect(page.locator(".map-list .report-row").first).to_contain_text("km")
    # Opening the clusters (a click zooms in, at the last zoom it spreads them out): the
    # anonymous report's pin is a dashed ring at its kelurahan's centre.
    for _ in range(8):
        if page.locator(".pm-pin.pm-coarse").count():
            break
        page.locator(".marker-cluster").first.click()
        page.wait_for_timeout(400)
    expect(page.locator(".pm-pin.pm-coarse")).to_have_count(1)

    # In English.
    with page.expect_navigation():
        page.select_option("select[name=language]", "en")
    expect(page.locator("h1")).to_have_text("Report map")
    expect(page.locator("#near-me")).to_have_text("Near me")
    page.context.close()

    desktop = new_page(chromium, DESKTOP)
    _open_map(desktop, f"{live_server.url}/peta/?category={city['lights'].parent_id}")
    map_box = desktop.locator("#public-map").bounding_box()
    list_box = desktop.locator(".map-list").bounding_box()
    assert list_box["x"] >= map_box["x"] + map_box["width"]  # beside the map
    expect(desktop.locator(".map-list .report-row")).to_have_count(5)  # the lamps and the parking: same parent
    desktop.select_option("#id_status", "verified")
    with desktop.expect_navigation():
        desktop.click("#map-filters button[type=submit]")
    expect(desktop.locator("#public-map[data-loaded]")).to_have_attribute("data-loaded", "5")
    desktop.locator(".marker-cluster").first.click()
    desktop.context.close()


def test_a_resident_supports_a_report_from_its_page_and_from_the_report_form(live_server, city, chromium):
    report = city["reports"][0]
    page = new_page(chromium, PHONE_360, mobile=True)
    page.goto(f"{live_server.url}/laporan/{report.tracking_number}/")
    assert_styled(page)
    page.fill("#id_contact", "budi@example.org")
    page.click("#support button[type=submit]")
    expect(page.locator("#support .support-done")).to_contain_text("Terima kasih")
    expect(page.locator("#support [data-support-count]")).to_have_attribute("data-support-count", "1")
    shoot(page, "25-dukung-laporan.png")
    page.reload()
    expect(page.locator("#support")).to_contain_text("Anda sudah mendukung laporan ini")
    assert Support.objects.get(report=report).email == "budi@example.org"

    # On the report form: the same sub-category in the same kelurahan brings the nearby list,
    # and its button supports the second lamp report without leaving the form.
    page.goto(f"{live_server.url}/lapor/")
    with page.expect_response(lambda r: "/kategori/sub/" in r.url):
        page.select_option("#id_parent", label="Perhubungan")
    expect(page.locator("#id_category option", has_text="Lampu penerangan jalan")).to_have_count(1)
    with page.expect_response(lambda r: "/lapor/dekat/" in r.url):
        page.select_option("#id_category", label="Lampu penerangan jalan")
    # No kelurahan or pin yet: nothing to compare with.
    expect(page.locator("#nearby .nearby")).to_have_count(0)
    with page.expect_response(lambda r: "/wilayah/kelurahan/" in r.url):
        page.select_option("#id_kecamatan", label="Sananwetan")
    with page.expect_response(lambda r: "/lapor/dekat/" in r.url):
        page.select_option("#id_region", label="Bendogerit")
    nearby = page.locator("#nearby .nearby")
    expect(nearby).to_contain_text("Sudah dilaporkan? Dukung laporan ini")
    second = city["reports"][1]
    row = nearby.locator(".nearby-row", has_text=second.tracking_number)
    row.locator("button").click()
    expect(row.locator(".nearby-action")).to_contain_text("Kini 1 warga mendukung")
    assert Report.objects.get(pk=second.pk).support_count == 1
    # The description typed so far is still there: supporting did not leave the form.
    page.context.close()


@pytest.mark.parametrize("language", ["id", "en"])
def test_the_forms_map_loads_when_opened_and_shows_the_kelurahan_without_tiles(live_server, city, chromium, language):
    page = new_page(chromium, PHONE_360, mobile=True)
    loaded = []
    page.on("request", lambda r: "leaflet" in r.url and loaded.append(r.url))
    page.context.add_cookies([{"name": "django_language", "value": language, "url": live_server.url}])
    page.goto(f"{live_server.url}/lapor/")
    assert_styled(page)
    assert loaded == []  # the first load carries no map library
    expect(page.locator("#map")).to_be_hidden()
    expect(page.locator("#show-map")).to_have_text({"id": "Pilih di peta", "en": "Pick on the map"}[language])

    page.click("#show-map")

    expect(page.locator("#map .leaflet-interactive, #map path").first).to_be_attached()
    expect(page.locator(".pm-region-label", has_text="Bendogerit")).to_be_visible()  # the ground without tiles
    assert any(url.endswith("leaflet.js") for url in loaded)
    expect(page.locator("#show-map")).to_be_hidden()
    box = page.locator("#map").bounding_box()
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    expect(page.locator("#id_latitude")).not_to_have_value("")
    assert float(page.input_value("#id_latitude")) == pytest.approx(-8.0983, abs=0.01)  # near the map's centre
    expect(page.locator("#map .leaflet-marker-icon")).to_be_visible()
    assert page.failures == [], page.failures
    page.context.close()
