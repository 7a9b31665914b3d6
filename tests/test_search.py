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
