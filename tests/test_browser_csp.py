"""Every kind of page works under the Content-Security-Policy, in a real browser: the
portal's map with tiles from another origin, the language switcher, the monev charts and
map, the admin, and the API's documentation pages. conftest.py fails any browser test whose
pages broke the policy; here, in addition, a script injected into a page does not run.
"""

import pytest
from playwright.sync_api import expect

from agencies.models import Role
from tests import factory
from tests.browser import DESKTOP, PHONE, assert_styled, log_in, new_page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "rahasia-demo-123"


@pytest.fixture
def city(transactional_db):
    kecamatan = factory.make_region("Sananwetan")
    kelurahan = factory.make_region("Bendogerit", parent=kecamatan)
    unit = factory.make_agency("Unit Layanan Pengaduan", short_name="ULPIM", is_complaint_unit=True)
    lighting = factory.make_category("Lampu jalan", parent=factory.Category.objects.create(name="Perhubungan"))
    coordinator = factory.make_user("koordinator", password=PASSWORD)
    factory.appoint(coordinator, unit, Role.COORDINATOR)
    factory.make_user("admin", password=PASSWORD, is_staff=True, is_superuser=True)
    for latitude in ("-8.0950", "-8.0990"):
        factory.make_report(region=kelurahan, category=lighting, latitude=latitude, longitude="112.1700")
    return {"category": lighting}


@pytest.fixture
def tiles_elsewhere(settings, live_server):
    """Map tiles from another origin than the site's (127.0.0.1 instead of localhost): the
    policy lets exactly the tile setting's origin in."""
    port = live_server.url.rsplit(":", 1)[1]
    settings.ADUAN_MAP_TILE_URL = f"http://127.0.0.1:{port}/static/vendor/leaflet/images/layers.png?{{z}}/{{x}}/{{y}}"
    return f"http://127.0.0.1:{port}"


def test_the_portal_map_and_language_switcher_work_under_the_policy(live_server, city, tiles_elsewhere, chromium):
    page = new_page(chromium, PHONE, mobile=True)
    page.goto(f"{live_server.url}/lapor/")
    # The map (and its library and tiles) loads when the resident opens it, under the policy.
    with page.expect_response(lambda r: r.url.startswith(tiles_elsewhere) and r.status == 200):
        page.click("#show-map")
    assert tiles_elsewhere in page.context.request.get(f"{live_server.url}/lapor/").headers["content-security-policy"]
    expect(page.locator("img.leaflet-tile-loaded").first).to_be_attached()
    page.locator("#map").click()  # the pin fills the hidden fields
    assert page.input_value("#id_latitude") != ""
    assert_styled(page)

    # The switcher submits on change (base.js; no onchange attribute any more).
    with page.expect_navigation():
        page.select_option("select[name=language]", "en")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("h1")).to_have_text("Make a report")
    page.context.close()


def test_a_script_injected_into_a_page_does_not_run(live_server, city, chromium):
    page = new_page(chromium, PHONE, mobile=True)
    injected = (
        "<script>window.pwned = 'inline'</script>"
        "<img src=/static/img/favicon.svg onload=\"window.pwned = 'handler'\">"
        "<a id=evil href=\"javascript:window.pwned = 'link'\">x</a>"
    )

    def inject(route):
        response = route.fetch()
        route.fulfill(response=response, body=response.text().replace("</main>", injected + "</main>"))

    page.route(f"{live_server.url}/", inject)
    page.goto(f"{live_server.url}/")
    page.click("#evil")
    assert page.evaluate("window.pwned") is None
    for _ in range(50):  # the browser reports the refused javascript: link a moment later
        if len([v for v in page.csp_violations if not v.startswith("console")]) >= 3:
            break
        page.wait_for_timeout(100)
    # The browser reported each refusal; they were expected here, so they are taken off.
    assert {v.split()[0] for v in page.csp_violations if not v.startswith("console")} == {
        "script-src-elem",
        "script-src-attr",
    }
    page.csp_violations.clear()
    page.context.close()


def test_monev_charts_and_map_and_the_transparency_page(live_server, city, tiles_elsewhere, chromium):
    page = new_page(chromium, DESKTOP)
    log_in(page, live_server.url, "koordinator", PASSWORD)
    with page.expect_response(lambda r: r.url.startswith(tiles_elsewhere) and r.status == 200):
        page.goto(f"{live_server.url}/kerja/monev/?preset=month")  # the reports are this month's
    expect(page.locator("svg.monev-chart")).to_be_visible()
    expect(page.locator("svg.monev-bar rect").first).to_have_attribute("width", "100")
    expect(page.locator("#monev-map path.leaflet-interactive")).to_have_count(1)  # one kelurahan circle
    assert_styled(page)

    page.goto(f"{live_server.url}/transparansi/")
    expect(page.locator("svg.monev-chart")).to_be_visible()
    assert_styled(page)
    page.context.close()


def test_the_admin_works_under_the_policy(live_server, city, chromium):
    page = new_page(chromium, DESKTOP)
    page.goto(f"{live_server.url}/admin/")
    page.fill("#id_username", "admin")
    page.fill("#id_password", PASSWORD)
    with page.expect_navigation():
        page.click("input[type=submit]")
    page.goto(f"{live_server.url}/admin/reports/category/{city['category'].pk}/change/")
    page.fill("#id_follow_up_days", "4")
    with page.expect_navigation():
        page.click("input[name=_save]")
    expect(page.locator(".messagelist")).to_be_visible()
    page.goto(f"{live_server.url}/admin/reports/category/{city['category'].pk}/history/")
    expect(page.locator(".auditlog-entry").first).to_contain_text("admin")
    expect(page.locator(".auditlog-entry tbody tr").first).to_contain_text("4")
    assert page.failures == [], page.failures
    page.context.close()


def test_the_api_documentation_pages_render_under_their_policy(live_server, chromium):
    page = new_page(chromium, DESKTOP)
    page.goto(f"{live_server.url}/api/v1/docs/")
    expect(page.locator(".swagger-ui .info .title")).to_contain_text("Aduan REST API")
    expect(page.locator(".opblock").first).to_be_visible()
    page.goto(f"{live_server.url}/api/v1/redoc/")
    # Redoc builds the page from the whole schema in the browser: seconds on a loaded machine.
    expect(page.locator("h1").first).to_contain_text("Aduan REST API", timeout=30_000)
    page.context.close()
    # Redoc's attribution logo is the one thing it loads from a CDN: refused, as it should be.
    # Filtered once the page is closed: the refusal may arrive after the heading shows.
    cdn = "cdn.redoc.ly/"
    page.csp_violations[:] = [v for v in page.csp_violations if cdn not in v]
    assert [f for f in page.failures if cdn not in f] == []
