"""The public transparency page fits a phone: at 360 px nothing scrolls sideways, the trend
chart is drawn across the screen as one row per month (readable type instead of twelve
squeezed columns), and wide tables scroll inside their own box. Desktop and phone,
Indonesian and English; screenshots in tests/screenshots/ (the Indonesian phone one also in
docs/screenshots with SCREENSHOT_DIR)."""

import datetime as dt
from pathlib import Path

import pytest
import time_machine
from django.utils import timezone
from playwright.sync_api import expect

from tests import factory
from tests.browser import DESKTOP, assert_styled, new_page, shoot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SMALL_PHONE = {"width": 360, "height": 740}
ARTEFACTS = Path(__file__).resolve().parent / "screenshots"  # never docs/screenshots

# The elements that reach past the right edge of the screen, outside a box that scrolls on
# its own (to say what to fix when the page scrolls sideways).
OVERFLOWING = """() => {
  const width = document.documentElement.clientWidth;
  const inScroller = (el) => { for (let p = el.parentElement; p; p = p.parentElement) {
    const o = getComputedStyle(p).overflowX; if (o === "auto" || o === "scroll") return true; } return false; };
  return Array.from(document.querySelectorAll("body *"))
    .filter((el) => el.getBoundingClientRect().right > width + 0.5 && !inScroller(el))
    .slice(0, 8)
    .map((el) => `${el.tagName.toLowerCase()}.${el.className.baseVal ?? el.className}`
      + ` right=${Math.round(el.getBoundingClientRect().right)}`);
}"""


@pytest.fixture
def city(transactional_db):
    """Reports over the last year in a few kelurahan, categories and agencies, so every
    table of the page has rows; all dates from the (possibly moved) clock."""
    kecamatan = factory.make_region("Sananwetan")
    kelurahan = [factory.make_region(name, parent=kecamatan) for name in ("Bendogerit", "Klampok", "Rembang")]
    unit = factory.make_agency("Unit Layanan Pengaduan", short_name="ULPIM", is_complaint_unit=True)
    agencies = [
        factory.make_agency("Dinas Pekerjaan Umum dan Penataan Ruang", short_name="DPUPR"),
        factory.make_agency("Dinas Perhubungan", short_name="Dishub"),
    ]
    parent = factory.Category.objects.create(name="Infrastruktur")
    categories = [
        factory.make_category("Jalan & Jembatan — Perbaikan “berlubang” dan saluran tepi jalan", parent=parent),
        factory.make_category("Lampu penerangan jalan umum", parent=parent),
    ]
    coordinator = factory.make_user("koordinator")
    factory.appoint(coordinator, unit, factory.Role.COORDINATOR)
    liaison = factory.make_user("penghubung")
    factory.appoint(liaison, agencies[0], factory.Role.LIAISON)
    today = timezone.localdate()
    for months_ago in range(12):
        day = (today.replace(day=1) - dt.timedelta(days=months_ago * 30)).replace(day=3)
        with time_machine.travel(timezone.make_aware(dt.datetime.combine(day, dt.time(9))), tick=False):
            for i in range(3 + months_ago % 4):
                where = {"region": kelurahan[i % 3], "category": categories[i % 2]}
                if i % 2 == 0:
                    factory.make_resolved(coordinator, agencies[0], liaison, **where)
                else:
                    factory.make_disposed(coordinator, agencies[1], **where)


@pytest.mark.parametrize("language", ["id", "en"])
def test_the_transparency_page_fits_a_phone_and_a_desktop(live_server, city, chromium, language):
    for name, viewport in (("phone", SMALL_PHONE), ("desktop", DESKTOP)):
        page = new_page(chromium, viewport, mobile=viewport is SMALL_PHONE)
        page.goto(f"{live_server.url}/transparansi/?preset=year")
        if language == "en":
            with page.expect_navigation():
                page.select_option("select[name=language]", "en")
            expect(page.locator("h1")).to_have_text("Complaint transparency")
            # The board is cached once for both languages; its channel names are not.
            expect(page.locator("table.monev-breakdown th[scope=row]", has_text="Website")).to_be_visible()
        assert_styled(page)
        # Columns on a desktop; on a phone one row per month (charts.trend_rows_svg).
        chart = page.locator("svg.monev-trend-rows" if viewport is SMALL_PHONE else "svg.monev-chart")
        expect(chart).to_be_visible()
        expect(page.locator("svg.monev-chart" if viewport is SMALL_PHONE else "svg.monev-trend-rows")).to_be_hidden()
        box = chart.bounding_box()
        width = page.evaluate("window.innerWidth")
        overflowing = page.evaluate(OVERFLOWING)
        assert width == viewport["width"], f"{name}/{language}: the layout widened to {width} px: {overflowing}"
        assert box["x"] >= 0 and box["x"] + box["width"] <= width, (box, width)
        if viewport is SMALL_PHONE:
            assert box["width"] >= width * 0.75, "the chart should use the phone's width"
        scroll = page.evaluate("document.documentElement.scrollWidth")
        assert scroll <= width, f"{name}/{language}: the page scrolls sideways ({scroll} > {width}): {overflowing}"
        if (name, language) == ("phone", "id"):  # the one the guide shows (docs/screenshots)
            shoot(page, "18-transparency-phone.png")
        else:
            ARTEFACTS.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(ARTEFACTS / f"transparency-{name}-{language}.png"), full_page=True)
        page.context.close()
