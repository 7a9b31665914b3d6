"""Everyone can use the resident pages (issue 19, "Everyone can use it"), in a real browser:

- axe-core (npm, pinned in package.json) finds no serious or critical violation on the home
  page, the report form (empty and sent back with errors), tracking (the form, with errors,
  and a tracked report with its forms), a public report, the public list and the map, in
  Indonesian and English, at 360 px and on a desktop;
- a report is sent with the keyboard alone: Tab to each field, type, arrow keys in the
  selects and radio buttons, Enter on the button;
- a form sent back with errors focuses its summary, whose links take the keyboard to the
  field, and each field is aria-invalid and described by its own message;
- with the text at 200% on a 360 px phone, no page scrolls sideways.

axe is evaluated into the page through the DevTools protocol: a <script> tag added by the
test would be inline, and the Content-Security-Policy (on in these tests) refuses it.
"""

import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from playwright.sync_api import expect

from agencies.models import Role
from reports.models import Kind, ReplyChannel, Report
from tests import factory
from tests.browser import DESKTOP, PHONE_360, assert_styled, in_both_languages_on_a_phone_and_a_desktop, new_page, shoot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE = Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js"
BLOCKING = ("serious", "critical")


@pytest.fixture
def city(transactional_db):
    kecamatan = factory.make_region("Sananwetan")
    kecamatan.latitude, kecamatan.longitude = Decimal("-8.1"), Decimal("112.188")
    kecamatan.save()
    kelurahan = factory.make_region("Bendogerit", parent=kecamatan)
    kelurahan.latitude, kelurahan.longitude = Decimal("-8.096"), Decimal("112.182")
    kelurahan.save()
    unit = factory.make_agency("Unit Layanan Pengaduan", short_name="ULPIM", is_complaint_unit=True)
    dishub = factory.make_agency("Dinas Perhubungan", short_name="Dishub")
    coordinator = factory.make_user("koordinator")
    factory.appoint(coordinator, unit, Role.COORDINATOR)
    liaison = factory.make_user("penghubung")
    factory.appoint(liaison, dishub, Role.LIAISON)
    lights = factory.make_category("Lampu jalan", parent=factory.Category.objects.create(name="Perhubungan"))
    public = factory.make_verified(
        coordinator,
        title="Lampu jalan mati di depan SD",
        category=lights,
        region=kelurahan,
        latitude="-8.0962",
        longitude="112.1815",
    )
    # Resolved: its tracking page offers every form at once (confirm, dispute, rate).
    resolved = factory.make_resolved(
        coordinator,
        dishub,
        liaison,
        title="Lampu taman padam",
        category=lights,
        region=kelurahan,
        latitude="-8.0966",
        longitude="112.1822",
    )
    return {"public": public, "resolved": resolved, "lights": lights, "kelurahan": kelurahan}


def resident_pages(city):
    """(name, path, how to get there): the resident pages, two of them sent back with errors."""
    return [
        ("home", "/", None),
        ("report form", "/lapor/", None),
        ("report form with errors", "/lapor/", _send_empty),
        ("tracking", "/lacak/", None),
        ("tracking with errors", "/lacak/", _send_empty),
        ("tracked report", f"/lacak/{city['resolved'].secret}/", None),
        ("public report", f"/laporan/{city['public'].tracking_number}/", None),
        ("public list", "/laporan/", None),
        ("map", "/peta/", _map_loaded),
    ]


def _send_empty(page):
    # No navigation to wait for on /lapor/: its form goes by fetch (static/js/offline.js) and a
    # refusal writes the server's page in place; the summary appearing is the sign either way.
    page.locator("main form button[type=submit]").last.click()
    expect(page.locator("[data-error-summary]")).to_be_visible()


def _map_loaded(page):
    expect(page.locator("#public-map[data-loaded]")).to_have_attribute("data-loaded", "2")


def open_page(page, url, then=None):
    page.goto(url)
    if then:
        then(page)
    assert_styled(page)


def page_in(chromium, viewport, language, base_url):
    page = new_page(chromium, viewport, mobile=viewport is PHONE_360)
    page.context.add_cookies([{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": base_url}])
    return page


def axe_violations(page):
    """axe-core's serious and critical violations on the page, as "rule (impact): target"
    lines. What axe could not decide counts too (an aria-describedby naming an id that is
    not on the page is only "incomplete" to axe), except contrast, which it cannot measure
    over or beside a map, and Leaflet's own controls (the list beside the map holds the
    same reports)."""
    if not page.evaluate("typeof window.axe === 'object'"):
        page.evaluate(AXE.read_text())
    results = page.evaluate("axe.run(document).then(r => ({violations: r.violations, incomplete: r.incomplete}))")
    undecided = [v for v in results["incomplete"] if v["id"] != "color-contrast"]
    return [
        f"{v['id']} ({v['impact']}): {' '.join(node['target'])}"
        for v in results["violations"] + undecided
        if v["impact"] in BLOCKING
        for node in v["nodes"]
        if not (v in undecided and "leaflet-" in node["html"])
    ]


@in_both_languages_on_a_phone_and_a_desktop
def test_the_resident_pages_have_no_serious_axe_violation(live_server, city, chromium, language, viewport):
    page = page_in(chromium, viewport, language, live_server.url)
    found = {}
    for name, path, then in resident_pages(city):
        open_page(page, f"{live_server.url}{path}", then)
        expect(page.locator("html")).to_have_attribute("lang", language)
        if violations := axe_violations(page):
            found[name] = violations
    assert found == {}, found
    page.context.close()


def tab_to(page, selector, *, limit=40):
    """Press Tab until the focused element matches ``selector``, as a keyboard user would."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("(s) => document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"{selector} is not reached with Tab")


def _refusal(html):
    """What a refused form says (its error summary), instead of the page's first bytes:
    CI once saw a 200 here with no sign of which field was refused."""
    summary = re.search(r'<ul class="error-summary-list">([\s\S]*?)</ul>', html)
    if summary is None:
        return html[:2000]
    return re.sub(r"\s+", " ", re.sub(r"<[^>]*>", " ", summary.group(1))).strip()


def swapped_in(page, selector, value):
    """Wait until htmx has put the new list in and settled it: the response arrives before
    the swap, and a key pressed on the list it replaces is lost with it (seen on a loaded
    CI machine)."""
    expect(page.locator(f"{selector} option[value='{value}']")).to_be_attached()
    expect(page.locator(selector)).not_to_have_class(re.compile(r"htmx-(swapping|settling|request)"))


def test_a_report_is_sent_with_the_keyboard_alone(live_server, city, chromium):
    page = new_page(chromium, DESKTOP)
    open_page(page, f"{live_server.url}/lapor/")

    tab_to(page, "input[name=kind]:checked")  # a radio group is one Tab stop; arrows choose
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowUp")
    expect(page.locator("#id_kind_0")).to_be_checked()
    tab_to(page, "#id_title")
    page.keyboard.type("Lampu jalan mati")
    tab_to(page, "#id_description")
    page.keyboard.type("Lampu di depan SDN Bendogerit 1 mati sejak Senin.")

    # Each select is chosen with the arrow keys; the next list follows (htmx).
    tab_to(page, "#id_parent")
    with page.expect_response(lambda r: "/kategori/sub/" in r.url):
        page.keyboard.press("ArrowDown")
    swapped_in(page, "#id_category", city["lights"].pk)
    tab_to(page, "#id_category")
    page.keyboard.press("ArrowDown")
    expect(page.locator("#id_category")).to_have_value(str(city["lights"].pk))
    tab_to(page, "#id_kecamatan")
    with page.expect_response(lambda r: "/wilayah/kelurahan/" in r.url):
        page.keyboard.press("ArrowDown")
    swapped_in(page, "#id_region", city["kelurahan"].pk)
    tab_to(page, "#id_region")
    page.keyboard.press("ArrowDown")
    expect(page.locator("#id_region")).to_have_value(str(city["kelurahan"].pk))
    tab_to(page, "#id_address")
    page.keyboard.type("Jl. Sudanco Supriadi")

    tab_to(page, "#id_is_confidential")
    page.keyboard.press("Space")
    tab_to(page, "#id_reporter_name")
    page.keyboard.type("Budi Santoso")
    tab_to(page, "#id_reporter_email")
    page.keyboard.type("budi@example.org")
    tab_to(page, "input[name=reply_channel]:checked")  # "no need": up twice is email
    page.keyboard.press("ArrowUp")
    page.keyboard.press("ArrowUp")
    expect(page.locator("input[name=reply_channel][value=email]")).to_be_checked()

    tab_to(page, "button[type=submit]")
    # The page sends with fetch and then goes to the "sent" page: the POST's answer is kept,
    # so a refusal shows its status instead of a bare navigation timeout (seen once on a
    # loaded CI machine, where the answer can also take longer than Playwright's 15 s).
    with page.expect_response(lambda r: r.request.method == "POST" and "/lapor/" in r.url, timeout=45_000) as sent:
        page.keyboard.press("Enter")
    assert sent.value.status == 302, (sent.value.status, _refusal(sent.value.text()))
    page.wait_for_url("**/lapor/terkirim/**", timeout=30_000)
    report = Report.objects.get(title="Lampu jalan mati")
    expect(page.locator(".tracking-number")).to_have_text(report.tracking_number)
    assert (report.kind, report.category, report.region) == (Kind.COMPLAINT, city["lights"], city["kelurahan"])
    assert report.is_confidential and report.reply_channel == ReplyChannel.EMAIL
    assert axe_violations(page) == []
    page.context.close()


def test_form_errors_are_announced_listed_and_tied_to_their_fields(live_server, city, chromium):
    page = new_page(chromium, PHONE_360, mobile=True)
    open_page(page, f"{live_server.url}/lapor/")
    page.fill("#id_title", "Lampu mati")
    page.check("input[name=reply_channel][value=email]")
    _send_empty(page)

    summary = page.locator("[data-error-summary]")
    expect(summary).to_have_attribute("role", "alert")
    expect(summary).to_be_focused()  # read first by a screen reader; the keyboard starts here
    expect(summary.locator("a")).to_have_count(4)  # description, subcategory, kelurahan, email
    for field in ("description", "category", "region", "reporter_email"):
        box = page.locator(f"#id_{field}")
        expect(box).to_have_attribute("aria-invalid", "true")
        described = box.get_attribute("aria-describedby").split()
        assert f"id_{field}_error" in described
        for id_ in described:  # every id it names is on the page
            expect(page.locator(f"#{id_}")).to_have_count(1)
    expect(page.locator("#id_title")).not_to_have_attribute("aria-invalid", "true")
    expect(page.locator("#id_title")).to_have_value("Lampu mati")  # what was typed is kept
    shoot(page, "27-galat-formulir.png")

    # From the summary, Tab to its first link and Enter: the keyboard lands in that field.
    page.keyboard.press("Tab")
    expect(summary.locator("a").first).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("#id_description")).to_be_focused()
    page.keyboard.type("Lampu di depan SD mati.")
    expect(page.locator("#id_description")).to_have_value("Lampu di depan SD mati.")

    # The tracking page's forms come back the same way.
    page.goto(f"{live_server.url}/lacak/{city['resolved'].secret}/")
    page.evaluate("document.getElementById('id_reason').removeAttribute('required')")  # as a browser without validation
    with page.expect_navigation():
        page.click("button:has-text('Belum beres, buka kembali')")
    expect(page.locator("[data-error-summary]")).to_be_focused()
    expect(page.locator("#id_reason")).to_have_attribute("aria-describedby", "id_reason_error")
    expect(page.locator("#id_reason_error")).to_be_visible()
    assert axe_violations(page) == []
    page.failures.remove(next(f for f in page.failures if f.startswith("400 ")))  # the refusal itself
    assert page.failures == []
    page.context.close()


@pytest.mark.parametrize("language", ["id", "en"])
def test_text_at_200_percent_on_a_phone_never_scrolls_sideways(live_server, city, chromium, language):
    page = page_in(chromium, PHONE_360, language, live_server.url)
    wide = {}
    for name, path, then in resident_pages(city):
        open_page(page, f"{live_server.url}{path}", then)
        # Through the CSSOM: a <style> tag from the test would be inline, refused by the policy.
        page.evaluate("document.documentElement.style.fontSize = '200%'")
        assert page.evaluate("getComputedStyle(document.body).fontSize") == "32px"
        # A phone's browser widens its layout to whatever overflows, so window.innerWidth
        # would grow along: the page is measured against the phone's 360 px.
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > PHONE_360["width"]:
            wide[name] = width
    assert wide == {}, wide
    page.context.close()
