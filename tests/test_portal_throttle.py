"""Limits per client address on the public forms: stored reports, and failed lookups by
tracking number and contact. Answered with 429 and a message in the resident's language;
what was typed stays on the form and nothing is stored."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import RequestFactory, SimpleTestCase, override_settings
from django.urls import reverse
from django.utils import translation

from core import throttle
from reports.models import Report
from tests import factory
from tests.base import AduanTestCase
from tests.test_portal_submit import SubmitForm
from tests.test_portal_track import NEUTRAL

TOO_OFTEN = "Terlalu banyak permintaan dari jaringan Anda."


@override_settings(ADUAN_RATES={"portal_submit": "2/hour", "portal_track_failed": "3/hour"})
class SubmitLimitTests(SubmitForm, AduanTestCase):
    def test_the_third_report_in_an_hour_is_refused_with_the_typed_text_kept(self):
        for _ in range(2):
            self.assertEqual(self.submit().status_code, 302)

        refused = self.submit(description="Laporan ketiga: got mampet di Jl. Mastrip.")

        self.assertEqual(refused.status_code, 429)
        self.assertContains(refused, TOO_OFTEN, status_code=429)
        self.assertContains(refused, "Laporan ketiga: got mampet di Jl. Mastrip.", status_code=429)
        self.assertEqual(Report.objects.count(), 2)

    def test_another_address_may_still_submit(self):
        for _ in range(2):
            self.submit()
        data = self.form_data()
        other = self.client.post(reverse("portal:submit"), data, REMOTE_ADDR="10.1.2.3")
        self.assertEqual(other.status_code, 302)
        self.assertEqual(Report.objects.count(), 3)

    def test_a_refused_form_does_not_count(self):
        for _ in range(3):
            self.assertEqual(self.submit(description="").status_code, 200)
        self.assertEqual(self.submit().status_code, 302)

    def test_a_refused_form_that_carried_files_counts(self):
        bomb = factory.png_bomb(10_000, 10_000)
        for _ in range(2):
            upload = SimpleUploadedFile("bom.png", bomb, content_type="image/png")
            self.assertEqual(self.submit(files=[upload]).status_code, 200)

        refused = self.submit()

        self.assertEqual(refused.status_code, 429)
        self.assertEqual(Report.objects.count(), 0)

    def test_the_message_is_in_english_for_an_english_visitor(self):
        for _ in range(2):
            self.submit()
        self.client.cookies["django_language"] = "en"
        refused = self.submit()
        self.assertContains(refused, "Too many requests from your network.", status_code=429)


@override_settings(ADUAN_RATES={"portal_submit": "2/hour", "portal_track_failed": "3/hour"})
class LookupLimitTests(AduanTestCase):
    def setUp(self):
        self.report = self.make_report()

    def lookup(self, number, contact, **extra):
        return self.client.post(reverse("portal:track"), {"tracking_number": number, "contact": contact}, **extra)

    def test_after_three_failed_guesses_even_the_right_pair_is_refused(self):
        for n in range(3):
            self.assertContains(self.lookup(self.report.tracking_number, f"08999999999{n}"), NEUTRAL)

        refused = self.lookup(self.report.tracking_number, "+62 812-3456-7890")

        self.assertEqual(refused.status_code, 429)
        self.assertContains(refused, TOO_OFTEN, status_code=429)
        self.assertNotContains(refused, self.report.secret, status_code=429)

    def test_successful_lookups_are_not_counted(self):
        for _ in range(5):
            self.assertEqual(self.lookup(self.report.tracking_number, "+62 812-3456-7890").status_code, 302)
        self.assertContains(self.lookup(self.report.tracking_number, "080000000000"), NEUTRAL)

    @override_settings(ADUAN_NUM_PROXIES=1)
    def test_behind_a_proxy_each_forwarded_address_has_its_own_count(self):
        proxy = {"REMOTE_ADDR": "127.0.0.1"}
        for n in range(3):
            self.lookup("BLT-1999-000001", f"08999999999{n}", HTTP_X_FORWARDED_FOR="203.0.113.7", **proxy)
        blocked = self.lookup("BLT-1999-000001", "0899", HTTP_X_FORWARDED_FOR="203.0.113.7", **proxy)
        other = self.lookup(
            self.report.tracking_number, "+62 812-3456-7890", HTTP_X_FORWARDED_FOR="198.51.100.9", **proxy
        )
        self.assertEqual(blocked.status_code, 429)
        self.assertEqual(other.status_code, 302)


class ClientAddressTests(AduanTestCase):
    def request(self, forwarded=None):
        extra = {"REMOTE_ADDR": "10.0.0.1"}
        if forwarded is not None:
            extra["HTTP_X_FORWARDED_FOR"] = forwarded
        return RequestFactory().get("/", **extra)

    def test_without_proxies_the_header_is_ignored(self):
        with self.settings(ADUAN_NUM_PROXIES=0):
            self.assertEqual(throttle.client_address(self.request("203.0.113.7")), "10.0.0.1")

    def test_with_one_proxy_a_client_cannot_choose_its_address_by_prepending(self):
        with self.settings(ADUAN_NUM_PROXIES=1, ADUAN_TRUSTED_PROXIES=["10.0.0.0/8"]):
            # The client sent "1.1.1.1"; nginx appended the address it saw.
            self.assertEqual(throttle.client_address(self.request("1.1.1.1, 203.0.113.7")), "203.0.113.7")

    def test_garbage_in_the_header_falls_back_to_the_socket_address(self):
        with self.settings(ADUAN_NUM_PROXIES=1, ADUAN_TRUSTED_PROXIES=["10.0.0.1"]):
            self.assertEqual(throttle.client_address(self.request("<script>")), "10.0.0.1")

    def test_a_client_reaching_gunicorn_directly_cannot_choose_its_address(self):
        # 10.0.0.1 is not the proxy: its X-Forwarded-For is its own invention.
        with self.settings(ADUAN_NUM_PROXIES=1, ADUAN_TRUSTED_PROXIES=["127.0.0.1"]):
            self.assertEqual(throttle.client_address(self.request("203.0.113.7")), "10.0.0.1")

    def test_a_star_trusts_every_peer_as_the_proxy(self):
        with self.settings(ADUAN_NUM_PROXIES=1, ADUAN_TRUSTED_PROXIES=["*"]):
            self.assertEqual(throttle.client_address(self.request("203.0.113.7")), "203.0.113.7")

    def test_rates_read_like_the_apis(self):
        self.assertEqual(throttle.parse_rate("30/hour"), (30, 3600))
        self.assertEqual(throttle.parse_rate("10/min"), (10, 60))
        self.assertEqual(throttle.parse_rate("5/day"), (5, 86400))


class SlidingWindowTests(SimpleTestCase):
    """The turn of the hour neither resets a client's count nor lets it spend its allowance
    twice: what it did in the last hour counts, the previous window's part fading."""

    def setUp(self):
        from django.core.cache import cache

        cache.clear()
        self.request = RequestFactory().post("/lacak/", REMOTE_ADDR="192.0.2.44")

    def test_a_count_carries_over_the_turn_of_the_hour_and_fades(self):
        with override_settings(ADUAN_RATES={"portal_track_failed": "3/hour"}):
            hour = 3600 * 500_000  # the start of some hour, as a Unix time
            for second in (3590, 3595, 3599):  # three in the last seconds of one hour
                throttle.count("portal_track_failed", self.request, now=hour + second)
            self.assertIsNotNone(throttle.retry_after("portal_track_failed", self.request, now=hour + 3599.5))
            # Just after the turn: still refused (a fixed window would have started again).
            wait = throttle.retry_after("portal_track_failed", self.request, now=hour + 3600 + 10)
            self.assertIsNotNone(wait)
            # The previous hour's three fade: a third of them gone after 20 minutes.
            self.assertAlmostEqual(wait, 1200 - 10 + 1, delta=2)
            self.assertIsNone(throttle.retry_after("portal_track_failed", self.request, now=hour + 3600 + 1201))


class TooOftenMessageTests(SimpleTestCase):
    """One answer for every limited public form: the wait in whole minutes, rounded up, so
    the client is never told to come back before it may."""

    def test_the_wait_is_rounded_up_to_whole_minutes(self):
        self.assertEqual(throttle.minutes_to_wait(1), 1)
        self.assertEqual(throttle.minutes_to_wait(60), 1)
        self.assertEqual(throttle.minutes_to_wait(61), 2)
        self.assertEqual(throttle.minutes_to_wait(89), 2)  # rounding to nearest said 1: too early
        self.assertEqual(throttle.minutes_to_wait(3599), 60)

    def test_the_message_names_the_minutes_in_the_readers_language(self):
        with translation.override("id"):
            self.assertEqual(
                throttle.too_often_message(61),
                "Terlalu banyak permintaan dari jaringan Anda. Coba lagi dalam 2 menit.",
            )
        with translation.override("en"):
            self.assertEqual(
                throttle.too_often_message(30), "Too many requests from your network. Try again in 1 minute."
            )
            self.assertEqual(
                throttle.too_often_message(600), "Too many requests from your network. Try again in 10 minutes."
            )
