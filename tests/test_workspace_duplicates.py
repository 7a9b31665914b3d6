"""Possible duplicates while a coordinator types a manual entry (/kerja/laporan/mirip/)."""

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from reports import actions
from tests.base import AduanTestCase
from workspace.similar import significant_words

URL = reverse("workspace:similar_reports")
TYPED = "Lampu penerangan jalan mati di depan pasar Legi, gelap sekali"


class SimilarReportsTests(AduanTestCase):
    def setUp(self):
        self.login(self.coordinator)

    def found(self, q=TYPED, **params):
        response = self.client.get(URL, {"q": q, **params})
        self.assertEqual(response.status_code, 200)
        return response, [r.tracking_number for r in response.context["similar"]]

    def test_a_similar_open_report_is_listed_with_number_status_kelurahan_date_and_excerpt(self):
        report = self.make_report(description="Lampu penerangan jalan di pasar Legi mati sejak Senin.")
        self.make_report(description="Parkir liar di trotoar alun-alun setiap malam minggu.")
        response, numbers = self.found()
        self.assertEqual(numbers, [report.tracking_number])
        self.assertContains(response, reverse("workspace:report", args=[report.pk]))
        self.assertContains(response, "Diterima")
        self.assertContains(response, "Bendogerit")
        self.assertContains(response, timezone.localtime(report.received_at).strftime("%Y"))
        self.assertContains(response, "Lampu penerangan jalan di pasar Legi mati sejak Senin.")

    def test_same_kelurahan_comes_first_then_more_matching_words(self):
        elsewhere_best = self.make_report(
            region=self.other_kelurahan, description="Lampu penerangan jalan mati di depan pasar Legi."
        )
        here_weaker = self.make_report(description="Lampu jalan mati di gang sempit.")
        elsewhere_weaker = self.make_report(region=self.other_kelurahan, description="Lampu jalan mati.")
        _, numbers = self.found(region=self.kelurahan.pk)
        self.assertEqual(
            numbers, [here_weaker.tracking_number, elsewhere_best.tracking_number, elsewhere_weaker.tracking_number]
        )
        # Without a kelurahan, only the number of matching words counts.
        _, numbers = self.found()
        self.assertEqual(numbers[0], elsewhere_best.tracking_number)

    def test_at_most_five_and_only_open_recent_reports(self):
        for _ in range(6):
            self.make_report(description="Lampu penerangan jalan mati di pasar.")
        closed_like = actions.archive_report(
            self.make_report(description="Lampu penerangan jalan mati di pasar Legi."),
            actor=self.coordinator,
            reason="spam",
        )
        old = self.make_report(
            description="Lampu penerangan jalan mati di pasar Legi.", received_at=timezone.now() - dt.timedelta(days=31)
        )
        _, numbers = self.found()
        self.assertEqual(len(numbers), 5)
        self.assertNotIn(closed_like.tracking_number, numbers)
        self.assertNotIn(old.tracking_number, numbers)

    def test_one_shared_common_word_is_not_enough(self):
        self.make_report(description="Jalan rusak berlubang dekat sekolah.")
        _, numbers = self.found()
        self.assertEqual(numbers, [])

    def test_confidential_report_shows_only_number_and_category(self):
        secret = self.make_report(
            is_confidential=True, description="Lampu penerangan jalan pasar Legi dicuri oknum petugas RAHASIA-XYZ."
        )
        response, numbers = self.found()
        self.assertEqual(numbers, [secret.tracking_number])
        self.assertContains(response, secret.tracking_number)
        self.assertContains(response, "Lampu penerangan jalan umum")  # the category
        self.assertNotContains(response, "RAHASIA-XYZ")
        self.assertNotContains(response, "dicuri")
        self.assertNotContains(response, "Bendogerit")

    def test_no_reporter_identity_appears_least_of_all_an_anonymous_one(self):
        self.make_report(
            is_anonymous=True,
            reporter_name="Warsito Anonim",
            reporter_phone="081377778888",
            reporter_email="warsito@example.org",
            description="Lampu penerangan pasar Legi mati, hubungi 0813 7777 8888 atau warsito@example.org",
        )
        response, numbers = self.found()
        self.assertEqual(len(numbers), 1)
        for private in ("Warsito", "081377778888", "0813 7777 8888", "warsito@example.org"):
            self.assertNotContains(response, private)
        self.assertContains(response, "[nomor]")

    def test_liaison_executive_and_outsider_are_refused(self):
        report = self.make_report(description=TYPED)
        for user in (self.pw_liaison, self.transport_liaison, self.executive, self.outsider):
            self.login(user)
            response = self.client.get(URL, {"q": TYPED})
            self.assertEqual(response.status_code, 403, user)
            self.assertNotContains(response, report.tracking_number, status_code=403)

    def test_anonymous_visitor_is_sent_to_log_in(self):
        self.client.logout()
        response = self.client.get(URL, {"q": TYPED})
        self.assertEqual(response.status_code, 302)
        self.assertIn(reverse("workspace:login"), response["Location"])

    def test_bad_input_gives_an_empty_answer_or_400_never_500(self):
        report = self.make_report(description=TYPED)
        for params, status in [
            ({}, 200),
            ({"q": ""}, 200),
            ({"q": "   "}, 200),
            ({"q": "di ke"}, 200),  # no word of four letters
            ({"q": "%_% 100%"}, 200),
            ({"q": "x" * 1001}, 400),
            ({"q": TYPED, "region": "abc"}, 400),
            ({"q": TYPED, "region": "999999"}, 400),
            ({"q": TYPED, "region": str(self.kecamatan.pk)}, 400),  # a kecamatan is not a kelurahan
        ]:
            response = self.client.get(URL, params)
            self.assertEqual(response.status_code, status, params)
            self.assertEqual(response.context["similar"], [], params)
        # A blank kelurahan is no kelurahan: the search still runs.
        _, numbers = self.found(region="")
        self.assertEqual(numbers, [report.tracking_number])

    def test_the_query_count_does_not_grow_with_the_matches(self):
        for _ in range(2):
            self.make_report(description=TYPED)
        with self.assertNumQueries(self.queries_for_one_request()):
            self.client.get(URL, {"q": TYPED, "region": self.kelurahan.pk})
        for _ in range(3):
            self.make_report(description=TYPED)
        with self.assertNumQueries(self.queries_for_one_request()):
            self.client.get(URL, {"q": TYPED, "region": self.kelurahan.pk})

    def queries_for_one_request(self):
        # session + user + appointments (staff profile) + region check + the search itself
        return 5


class SignificantWordsTests(AduanTestCase):
    def test_short_and_filler_words_are_dropped_and_long_ones_come_first(self):
        self.assertEqual(
            significant_words("Tolong, lampu di Jl. Mawar sudah mati 3 hari; lampu MATI!"), ["lampu", "mawar", "mati"]
        )

    def test_at_most_eight_words(self):
        words = significant_words("satu dua tiga empat lima enam tujuh delapan sembilan sepuluh sebelas duabelas")
        self.assertEqual(len(words), 8)
        self.assertEqual(words[0], "duabelas")
