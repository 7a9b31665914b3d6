from reports import access
from reports.models import Report
from tests.base import AduanTestCase


class SearchTests(AduanTestCase):
    def setUp(self):
        self.lamp = self.make_report(description="Lampu jalan di Jl. Merdeka mati total sejak Senin.")
        self.parking = self.make_report(description="Juru parkir liar memungut tarif di alun-alun.")

    def test_search_by_tracking_number(self):
        self.assertEqual(list(Report.objects.search(self.parking.tracking_number)), [self.parking])

    def test_search_by_words_in_the_text(self):
        self.assertEqual(list(Report.objects.search("parkir")), [self.parking])
        self.assertEqual(list(Report.objects.search("lampu")), [self.lamp])

    def test_an_empty_search_changes_nothing(self):
        self.assertEqual(Report.objects.search("  ").count(), 2)

    def test_search_without_match_is_empty(self):
        self.assertFalse(Report.objects.search("kebakaran").exists())

    def test_a_tracking_number_typed_without_its_prefix_is_found(self):
        # "BLT-2026-000002" typed as "2026-000002" or "000002", on SQLite and PostgreSQL alike.
        without_prefix = self.parking.tracking_number.split("-", 1)[1]
        serial = without_prefix.split("-", 1)[1]
        for text in (without_prefix, serial, f" {without_prefix} "):
            with self.subTest(text=text):
                self.assertEqual(list(Report.objects.search(text)), [self.parking])
                staff = access.search_for_staff(Report.objects.all(), text)
                self.assertEqual(list(staff), [self.parking])
