""" "Ikuti" on the portal: the box on a report page, the list and the map; the form's errors
in Indonesian (English for an English reader); the rate limit; confirmation with a button
(never by merely opening the link); one-click unsubscribe, by the page's button or by the
mail program's RFC 8058 POST without any page."""

import datetime as dt

import time_machine
from django.test import Client, override_settings
from django.urls import reverse

from alerts import actions as alerts
from alerts import tokens
from alerts.models import Subscription
from tests import factory
from tests.base import AduanTestCase

FOLLOW = reverse("portal:follow")
HTMX = {"HX-Request": "true"}
NO_WHATSAPP = override_settings(ADUAN_WHATSAPP_ACCESS_TOKEN="", ADUAN_WHATSAPP_PHONE_NUMBER_ID="")


class FollowCase(AduanTestCase):
    def verified(self, **overrides):
        overrides.setdefault("category", self.category)
        overrides.setdefault("region", self.kelurahan)
        return factory.make_verified(self.coordinator, **overrides)

    def post(self, data, **kwargs):
        """Without htmx: the whole page, with the status code of the outcome."""
        return self.client.post(FOLLOW, data, **kwargs)


class FollowBoxTests(FollowCase):
    def test_the_report_page_offers_to_follow_the_report(self):
        report = self.verified()
        page = self.client.get(reverse("portal:public_detail", args=[report.tracking_number]))
        self.assertContains(page, 'id="follow"')
        self.assertContains(page, f'name="laporan" value="{report.tracking_number}"')
        self.assertNotContains(page, 'name="region"')

    def test_the_list_offers_its_kecamatan_and_category_and_their_feeds(self):
        page = self.client.get(
            reverse("portal:public_list"), {"kecamatan": self.kecamatan.pk, "category": self.category.parent_id}
        )
        self.assertContains(page, 'id="follow"')
        self.assertContains(page, f'<option value="{self.kecamatan.pk}" selected>Seluruh Kecamatan Sananwetan</option>')
        self.assertContains(page, f"/ikuti/rss/?wilayah={self.kecamatan.pk}&amp;kategori={self.category.parent_id}")

    def test_the_map_offers_the_kelurahan(self):
        page = self.client.get(reverse("portal:map"))
        self.assertContains(page, 'id="follow"')
        self.assertContains(page, f'<option value="{self.kelurahan.pk}">Bendogerit</option>')


@NO_WHATSAPP
class FollowFormTests(FollowCase):
    def test_following_a_kelurahan_sends_only_the_confirmation(self):
        response = self.post({"region": self.kelurahan.pk, "contact": "Warga@Example.org"})
        self.assertContains(response, "Hampir selesai")
        self.assertContains(response, "/ikuti/rss/?wilayah=")
        self.assertQueued("warga@example.org", template="alert_confirm")
        subscription = Subscription.objects.get()
        self.assertEqual((subscription.region, subscription.state), (self.kelurahan, Subscription.State.PENDING))

    def test_following_a_report(self):
        report = self.verified()
        response = self.post({"laporan": report.tracking_number, "contact": "warga@example.org"})
        self.assertContains(response, "Hampir selesai")
        self.assertEqual(Subscription.objects.get().report, report)

    def test_a_confidential_report_is_not_found(self):
        secret = self.verified(is_confidential=True)
        response = self.post({"laporan": secret.tracking_number, "contact": "warga@example.org"})
        self.assertEqual(response.status_code, 404)

    def test_errors_in_indonesian(self):
        cases = [
            ({"region": "", "contact": "warga@example.org"}, "Pilih kelurahan atau kecamatan yang ingin diikuti."),
            ({"region": "999999", "contact": "warga@example.org"}, "Wilayah tidak dikenal. Pilih dari daftar."),
            ({"region": self.kelurahan.pk, "contact": ""}, "Isi alamat email Anda."),
            ({"region": self.kelurahan.pk, "contact": "warga@"}, "Alamat email tidak valid."),
            ({"region": self.kelurahan.pk, "contact": "bukan kontak"}, "Isi alamat email yang valid"),
            ({"region": self.kelurahan.pk, "contact": "081234567890"}, "Kabar lewat WhatsApp belum tersedia"),
        ]
        for data, message in cases:
            with self.subTest(data=data):
                response = self.post(data)
                self.assertContains(response, message, status_code=400)
        self.assertFalse(Subscription.objects.exists())
        self.assertNothingQueued()

    def test_errors_in_english_for_an_english_reader(self):
        self.client.cookies["django_language"] = "en"
        response = self.post({"region": "", "contact": "warga@"})
        self.assertContains(response, "Choose the kelurahan or kecamatan to follow.", status_code=400)
        self.assertContains(response, "This email address is not valid.", status_code=400)

    @override_settings(ADUAN_RATES={"portal_follow": "2/hour"})
    def test_subscribing_is_rate_limited_per_client_address(self):
        for n in range(2):
            self.assertEqual(self.post({"region": self.kelurahan.pk, "contact": f"w{n}@example.org"}).status_code, 200)
        refused = self.post({"region": self.kelurahan.pk, "contact": "w9@example.org"})
        self.assertContains(refused, "Terlalu banyak permintaan dari jaringan Anda. Coba lagi dalam", status_code=429)
        self.assertEqual(Subscription.objects.count(), 2)

    def test_with_htmx_the_box_answers_even_an_error(self):
        # htmx 2 swaps no 4xx answer, so the box with its errors comes with a 200.
        response = self.client.post(FOLLOW, {"region": "", "contact": "warga@"}, headers=HTMX)
        self.assertContains(response, "Alamat email tidak valid.")
        self.assertNotContains(response, "<h1>")
        done = self.client.post(FOLLOW, {"region": self.kelurahan.pk, "contact": "warga@example.org"}, headers=HTMX)
        self.assertContains(done, "Hampir selesai")

    def test_without_javascript_the_form_answers_with_a_page(self):
        response = self.client.post(FOLLOW, {"region": self.kelurahan.pk, "contact": "warga@example.org"})
        self.assertContains(response, "Hampir selesai")
        self.assertContains(response, "<h1>")
        self.assertEqual(self.client.get(FOLLOW, {"wilayah": self.kelurahan.pk}).status_code, 200)


class ConfirmAndUnsubscribeTests(FollowCase):
    def setUp(self):
        super().setUp()
        self.subscription = alerts.subscribe(
            channel="email", address="warga@example.org", region=self.kelurahan
        ).subscription

    def state(self):
        self.subscription.refresh_from_db()
        return self.subscription.state

    def test_opening_the_link_shows_a_button_and_confirms_nothing(self):
        url = reverse("portal:follow_confirm", args=[tokens.confirm_token(self.subscription)])
        page = self.client.get(url)
        self.assertContains(page, "Kelurahan Bendogerit")
        self.assertContains(page, "Konfirmasi</button>")
        self.assertEqual(self.state(), Subscription.State.PENDING)
        done = self.client.post(url)
        self.assertContains(done, "Mulai sekarang Anda menerima kabar")
        self.assertEqual(self.state(), Subscription.State.ACTIVE)

    def test_a_bad_or_expired_confirmation_link_says_so(self):
        bad = self.client.get(reverse("portal:follow_confirm", args=["MQ:palsu:palsu"]))
        self.assertContains(bad, "tidak valid", status_code=400)
        url = reverse("portal:follow_confirm", args=[tokens.confirm_token(self.subscription)])
        with time_machine.travel(dt.timedelta(days=8)):
            late = self.client.post(url)
        self.assertContains(late, "kedaluwarsa", status_code=400)
        self.assertEqual(self.state(), Subscription.State.PENDING)

    def test_unsubscribe_page_has_one_button(self):
        alerts.confirm(self.subscription.pk)
        url = reverse("portal:follow_unsubscribe", args=[tokens.unsubscribe_token(self.subscription)])
        page = self.client.get(url)
        self.assertContains(page, "Berhenti</button>")
        self.assertEqual(self.state(), Subscription.State.ACTIVE)
        self.assertContains(self.client.post(url), "Anda tidak lagi menerima kabar")
        self.assertEqual(self.state(), Subscription.State.ENDED)

    def test_the_mail_programs_one_click_post_needs_no_page_and_no_csrf_token(self):
        alerts.confirm(self.subscription.pk)
        url = reverse("portal:follow_unsubscribe", args=[tokens.unsubscribe_token(self.subscription)])
        mail_program = Client(enforce_csrf_checks=True)
        response = mail_program.post(
            url, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded"
        )
        self.assertEqual(response.status_code, 200)
        self.assertEqual(self.state(), Subscription.State.ENDED)

    def test_a_forged_unsubscribe_link_ends_nothing(self):
        forged = tokens.unsubscribe_token(self.subscription)[:-2] + "xx"
        response = self.client.post(reverse("portal:follow_unsubscribe", args=[forged]))
        self.assertContains(response, "tidak valid", status_code=400)
        self.assertEqual(self.state(), Subscription.State.PENDING)
