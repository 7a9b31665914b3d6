"""The PDF recap as an official document for the monev meeting: letterhead, period, tables
that wrap and repeat their headings, Indonesian numbers, page numbers and the signature.

Each PDF is turned into PNG pages in tests/screenshots/recap-pdf/ to be looked at, and read
back through its text layer (tests/pdfpages.py). The data is built last month
on the (possibly moved) clock."""

import datetime as dt
import shutil
from pathlib import Path

import time_machine
from django.core.cache import cache
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import override as language

from governments.models import Government
from monev import dashboard, figures, recap
from tests import factory
from tests.base import AduanTestCase
from tests.browser import SCREENSHOTS
from tests.pdfpages import flat_text, pages_of

LONG_CATEGORY = "Jalan & Jembatan — Perbaikan “berlubang”"
KELURAHAN_ROWS = 45
LETTERHEAD = {
    "ADUAN_LETTERHEAD_NAME": "Pemerintah Kota Blitar",
    "ADUAN_LETTERHEAD_UNIT": "Unit Layanan Pengaduan dan Informasi Masyarakat",
    "ADUAN_LETTERHEAD_ADDRESS": "Jl. Merdeka No. 105, Kota Blitar 66112 · Telepon (0342) 000000",
    "ADUAN_SIGNATORY_PLACE": "Blitar",
    "ADUAN_SIGNATORY_TITLE": "Kepala Dinas Komunikasi, Informatika dan Statistik",
    "ADUAN_SIGNATORY_NAME": "Drs. Budi Santoso, M.Si.",
    "ADUAN_SIGNATORY_NIP": "19700101 199003 1 001",
}


def last_month() -> tuple[dt.date, dt.date]:
    today = timezone.localdate()
    return figures.period_bounds("month", today.replace(day=1) - dt.timedelta(days=1))


@override_settings(**LETTERHEAD)
class PdfRecapTest(AduanTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        first, _last = last_month()
        cls.long_category = factory.make_category(LONG_CATEGORY, default_agency=cls.public_works)
        with time_machine.travel(timezone.make_aware(dt.datetime.combine(first, dt.time(9))), tick=False):
            for _ in range(3):
                factory.make_disposed(
                    cls.coordinator, cls.public_works, category=cls.long_category, region=cls.kelurahan
                )
            factory.make_disposed(cls.coordinator, cls.transport, category=cls.category, region=cls.kelurahan)
            for i in range(KELURAHAN_ROWS):
                region = factory.make_region(f"Kelurahan Uji {i + 1:02d}", parent=cls.kecamatan)
                factory.make_report(category=cls.category, region=region)

    def setUp(self):
        cache.clear()

    def _download(self):
        first, last = last_month()
        self.login(self.coordinator)
        response = self.client.get(reverse("monev:recap", args=["pdf"]), {"start": first, "end": last})
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response["Content-Type"], "application/pdf")
        return response.content

    def test_the_recap_is_an_official_document_that_reads_right_on_every_page(self):
        pages, pngs = pages_of(self._download(), "recap")
        shutil.copyfile(pngs[0], _docs_target())
        flat = flat_text("recap")
        first, last = last_month()
        self.assertEqual(len(pngs), len(pages))
        # About 110 table rows: a handful of full pages, none holding two rows and blank below.
        self.assertTrue(2 <= len(pages) <= 6, len(pages))
        for number, page in enumerate(pages[:-1], 1):
            self.assertGreater(len([line for line in page.splitlines() if line.strip()]), 25, f"page {number}")
        self.assertIn("PEMERINTAH KOTA BLITAR", pages[0])
        self.assertIn("Periode 1 ", pages[0])
        self.assertIn(f"{last.day} ", pages[0])
        self.assertIn(str(first.year), pages[0])
        self.assertIn(LONG_CATEGORY, flat)  # whole, with its dash and curly quotes
        self.assertNotIn("?berlubang?", flat)
        self.assertRegex(flat, r"\d+,\d %")  # a share with a decimal comma
        self.assertIn("Halaman 1 dari ", pages[0])
        self.assertIn(f"Halaman {len(pages)} dari {len(pages)}", pages[-1])
        self.assertIn("NIP. 19700101 199003 1 001", pages[-1])
        self.assertIn("Drs. Budi Santoso, M.Si.", pages[-1])
        self.assertIn("Blitar, ", pages[-1])
        self.assertIn("Kepala Dinas Komunikasi, Informatika dan Statistik", flat)
        # The kelurahan table runs over a page break, and the page it continues on starts
        # with its heading row again.
        holding = [i for i, page in enumerate(pages) if "Kelurahan Uji" in page]
        self.assertGreater(len(holding), 1, "the long table should need two pages")
        for i in holding[1:]:
            before_rows = pages[i].split("Kelurahan Uji", 1)[0]
            self.assertIn("Diverifikasi", before_rows, f"page {i + 1} continues without its heading")

    def test_numbers_and_shares_are_written_as_the_indonesian_screens_write_them(self):
        first, last = last_month()
        board = dashboard.build(figures.Filter(first, last))
        board.figures.received = 1234
        board.figures.on_time["verification"] = figures.Share(hits=7, total=8)
        pages_of(recap.pdf(board), "numbers")
        flat = flat_text("numbers")
        self.assertIn("Diterima 1.234", flat)
        self.assertIn("87,5 % (7 dari 8)", flat)

    def test_the_english_recap_is_in_english(self):
        first, last = last_month()
        board = dashboard.build(figures.Filter(first, last))
        board.figures.received = 1234
        board.figures.on_time["verification"] = figures.Share(hits=7, total=8)
        with language("en"):
            pages_of(recap.pdf(board), "english")
        flat = flat_text("english")
        self.assertIn("Page 1 of ", flat)
        self.assertIn("87.5 % (7 of 8)", flat)
        self.assertIn("1,234", flat)
        self.assertIn("Period 1 ", flat)


@override_settings(**LETTERHEAD)
class SignatoryTest(AduanTestCase):
    """The signature block is the government's own (Government.signatory_*), field by
    field else the ADUAN_SIGNATORY_* settings."""

    def signature(self, name, **fields):
        Government.objects.filter(pk=self.government.pk).update(**fields)
        first, last = last_month()
        self.login(self.coordinator)
        response = self.client.get(reverse("monev:recap", args=["pdf"]), {"start": first, "end": last})
        self.assertEqual(response.status_code, 200)
        pages, _pngs = pages_of(response.content, name)
        return pages[-1]

    def setUp(self):
        cache.clear()
        self.government = Government.objects.get()

    def test_a_government_with_its_own_signatory_signs_its_recap(self):
        last = self.signature(
            "signatory",
            signatory_place="Kediri",
            signatory_title="Sekretaris Daerah Kota Kediri",
            signatory_name="Dra. Sri Wahyuni, M.M.",
            signatory_nip="197512312000032002",
        )
        today = timezone.localdate()
        self.assertIn(f"Kediri, {today.day} ", last)
        self.assertIn("Sekretaris Daerah Kota Kediri", last)
        self.assertIn("Dra. Sri Wahyuni, M.M.", last)
        self.assertIn("NIP. 19751231 200003 2 002", last)  # stored as 18 digits, printed grouped
        for installation in ("Blitar, ", "Budi Santoso", "19700101 199003 1 001", "Informatika dan Statistik"):
            self.assertNotIn(installation, last)

    def test_blank_fields_fall_back_to_the_settings(self):
        last = self.signature("signatory-place", signatory_place="Kediri")
        self.assertIn("Kediri, ", last)
        self.assertNotIn("Blitar, ", last)
        self.assertIn("Drs. Budi Santoso, M.Si.", last)  # no official of its own: the settings'
        self.assertIn("NIP. 19700101 199003 1 001", last)

    def test_an_official_of_its_own_never_borrows_the_settings_nip(self):
        last = self.signature(
            "signatory-no-nip", signatory_title="Sekretaris Daerah Kota Kediri", signatory_name="Dra. Sri Wahyuni, M.M."
        )
        self.assertIn("Blitar, ", last)  # no place of its own
        self.assertIn("Dra. Sri Wahyuni, M.M.", last)
        self.assertIn("NIP. " + "." * 30, last)  # a dotted line to write the NIP on
        self.assertNotIn("19700101 199003 1 001", last)
        self.assertNotIn("Budi Santoso", last)


def _docs_target() -> Path:
    """The first page, beside the browser tests' screenshots (docs/screenshots with
    SCREENSHOT_DIR=docs/screenshots)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS / "17-monev-recap-pdf.png"
