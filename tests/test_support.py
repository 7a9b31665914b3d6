"""'Saya juga mengalami ini': a resident supports a public report, counted once per device
and once per contact, rate limited; the count shows on the public page and in the
coordinator's inbox, which sorts by it. The supporter's contact is shown to nobody."""

from django.test import override_settings
from django.urls import reverse

from alerts.models import Subscription
from core.errors import DomainError
from portal.support_views import DEVICE_COOKIE
from reports import actions
from reports.models import Support
from tests import factory
from tests.base import AduanTestCase

HTMX = {"HX-Request": "true"}
NO_WHATSAPP = override_settings(ADUAN_WHATSAPP_ACCESS_TOKEN="", ADUAN_WHATSAPP_PHONE_NUMBER_ID="")
WHATSAPP = override_settings(
    ADUAN_META_GRAPH_API_URL="http://127.0.0.1:9/graph",
    ADUAN_WHATSAPP_ACCESS_TOKEN="token",
    ADUAN_WHATSAPP_PHONE_NUMBER_ID="123",
)


class SupportCase(AduanTestCase):
    def verified(self, **overrides):
        overrides.setdefault("category", self.category)
        overrides.setdefault("region", self.kelurahan)
        return factory.make_verified(self.coordinator, **overrides)

    def url(self, report):
        return reverse("portal:support", args=[report.tracking_number])

    def detail(self, report):
        return reverse("portal:public_detail", args=[report.tracking_number])

    def count(self, report):
        report.refresh_from_db()
        return report.support_count


class SupportActionTests(SupportCase):
    def test_a_device_counts_once(self):
        report = self.verified()
        first = actions.support_report(report, device="phone-a")
        again = actions.support_report(report, device="phone-a")
        actions.support_report(report, device="phone-b")
        self.assertTrue(first.created)
        self.assertFalse(again.created)
        self.assertEqual(self.count(report), 2)
        self.assertEqual(Support.objects.filter(report=report).count(), 2)

    def test_a_contact_counts_once_whatever_the_device_or_spelling(self):
        report = self.verified()
        actions.support_report(report, device="phone-a", email="Budi@Example.org")
        self.assertFalse(actions.support_report(report, device="laptop", email="budi@example.org").created)
        actions.support_report(report, device="phone-b", phone="0812-3456-7000")
        self.assertFalse(actions.support_report(report, device="tablet", phone="+6281234567000").created)
        self.assertEqual(self.count(report), 2)

    def test_a_contact_left_on_the_second_visit_is_added_to_the_first_support(self):
        report = self.verified()
        actions.support_report(report, device="phone-a")
        actions.support_report(report, device="phone-a", email="budi@example.org")
        self.assertEqual(Support.objects.get(report=report).email, "budi@example.org")
        self.assertEqual(self.count(report), 1)

    def test_the_device_is_stored_only_as_a_hash(self):
        report = self.verified()
        actions.support_report(report, device="the-cookie-value")
        self.assertNotIn("the-cookie-value", Support.objects.get().device)
        self.assertEqual(len(Support.objects.get().device), 64)

    def test_only_a_public_open_report_can_be_supported(self):
        received = self.make_report()
        confidential = self.verified(is_confidential=True)
        closed = factory.make_resolved(self.coordinator, self.transport, self.transport_liaison, category=self.category)
        actions.close_report(closed, actor=self.coordinator)
        for report in (received, confidential, closed):
            with self.assertRaises(DomainError):
                actions.support_report(report, device="phone-a")
        self.assertFalse(Support.objects.exists())


@NO_WHATSAPP
class SupportPageTests(SupportCase):
    def test_the_public_page_offers_me_too_and_shows_the_count(self):
        report = self.verified()
        page = self.client.get(self.detail(report))
        self.assertContains(page, "Saya juga mengalami ini")
        self.assertContains(page, 'data-support-count="0"')
        self.assertContains(page, f'action="{self.url(report)}"')

    def test_a_click_counts_once_per_device_through_its_cookie(self):
        report = self.verified()
        response = self.client.post(self.url(report))
        self.assertRedirects(response, self.detail(report), fetch_redirect_response=False)
        self.assertIn(DEVICE_COOKIE, response.cookies)
        self.assertTrue(response.cookies[DEVICE_COOKIE]["httponly"])
        self.client.post(self.url(report))  # the same browser again, the cookie sent back
        self.assertEqual(self.count(report), 1)
        page = self.client.get(self.detail(report))
        self.assertContains(page, 'data-support-count="1"')
        self.assertContains(page, "Anda sudah mendukung laporan ini")
        self.client.cookies.pop(DEVICE_COOKIE)  # another device
        self.client.post(self.url(report))
        self.assertEqual(self.count(report), 2)

    def test_htmx_gets_the_box_back_with_the_new_count(self):
        report = self.verified()
        response = self.client.post(self.url(report), headers={"HX-Request": "true"})
        self.assertContains(response, "dukungan Anda tercatat")
        self.assertContains(response, 'data-support-count="1"')
        nearby = self.client.post(self.url(report) + "?from=nearby", headers={"HX-Request": "true"})
        self.assertContains(nearby, "dukungan dihitung sekali")
        self.assertContains(nearby, "Kini 1 warga mendukung")

    def test_htmx_gets_a_bad_contact_refused_in_the_box_with_200(self):
        """htmx 2 swaps no 4xx answer: a 400 would leave the box as it was, silent."""
        report = self.verified()
        response = self.client.post(self.url(report), {"contact": "bukan kontak"}, headers=HTMX)
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, '<p class="alert" role="alert">Isi alamat email yang valid')
        self.assertContains(response, 'value="bukan kontak"')  # what was typed, to correct
        self.assertContains(response, 'aria-invalid="true"')
        self.assertNotContains(response, "<html")  # the box alone
        self.assertEqual(self.count(report), 0)

    def test_without_javascript_a_bad_contact_is_a_400_page_with_the_box_showing_it(self):
        report = self.verified()
        response = self.client.post(self.url(report), {"contact": "bukan kontak"})
        self.assertContains(response, '<p class="alert" role="alert">Isi alamat email yang valid', status_code=400)
        self.assertContains(response, 'value="bukan kontak"', status_code=400)
        self.assertContains(response, 'id="follow"', status_code=400)  # the whole report page
        page = response.content.decode()
        follow_box = page[page.index('id="follow"') :]
        self.assertNotIn("Isi alamat email yang valid", follow_box)  # only the "me too" box shows it
        self.assertEqual(self.count(report), 0)

    def test_the_supporters_contact_is_never_shown_publicly(self):
        report = self.verified()
        self.client.post(self.url(report), {"contact": "budi.supporter@example.org"})
        self.assertEqual(Support.objects.get().email, "budi.supporter@example.org")
        for url in (self.detail(report), reverse("portal:public_list")):
            self.assertNotContains(self.client.get(url), "budi.supporter")

    def test_a_report_the_public_may_not_see_cannot_be_supported(self):
        for report in (self.make_report(), self.verified(is_confidential=True)):
            self.assertEqual(self.client.post(self.url(report)).status_code, 404)
        self.assertFalse(Support.objects.exists())

    @override_settings(ADUAN_RATES={"portal_support": "3/hour"})
    def test_new_supports_are_rate_limited_per_client_address(self):
        reports = [self.verified() for _ in range(5)]
        for report in reports[:3]:
            self.client.post(self.url(report), headers=HTMX)
        refused = self.client.post(self.url(reports[3]), {"contact": "warga@example.org"}, headers=HTMX)
        self.assertEqual(refused.status_code, 200)  # htmx swaps it: the box says why
        self.assertContains(refused, '<p class="alert" role="alert">Terlalu banyak permintaan')
        self.assertContains(refused, 'value="warga@example.org"')
        nearby = self.client.post(self.url(reports[3]) + "?from=nearby", headers=HTMX)
        self.assertContains(nearby, "Terlalu banyak permintaan")
        plain = self.client.post(self.url(reports[4]))
        self.assertContains(plain, "Terlalu banyak permintaan", status_code=429)
        self.assertContains(plain, 'id="support"', status_code=429)
        self.assertEqual(self.count(reports[3]) + self.count(reports[4]), 0)
        self.assertFalse(Support.objects.filter(email="warga@example.org").exists())

    @override_settings(ADUAN_RATES={"portal_support": "1/hour"})
    def test_htmx_rate_limit_answer_is_swapped_in_english_too(self):
        first, second = self.verified(), self.verified()
        self.client.post(self.url(first))
        self.client.cookies.load({"django_language": "en"})
        refused = self.client.post(self.url(second), headers=HTMX)
        self.assertEqual(refused.status_code, 200)
        self.assertContains(refused, "Too many requests from your network")

    @override_settings(ADUAN_RATES={"portal_support": "2/hour"})
    def test_a_repeated_click_of_the_same_device_costs_nothing_of_the_limit(self):
        first, second, third = self.verified(), self.verified(), self.verified()
        self.client.post(self.url(first))
        self.client.post(self.url(first))  # counted nothing: only the first counts toward the limit
        self.assertEqual(self.client.post(self.url(second)).status_code, 302)
        self.assertEqual(self.count(second), 1)
        self.assertEqual(self.client.post(self.url(third)).status_code, 429)  # the limit of 2 reached
        self.assertEqual(self.count(third), 0)


class SupportContactTests(SupportCase):
    """The form promises what a contact gets: a phone number only where WhatsApp sends
    the digest (SMS carries none); elsewhere an email address alone."""

    @NO_WHATSAPP
    def test_without_whatsapp_only_an_email_is_asked_and_a_phone_is_refused_with_the_reason(self):
        report = self.verified()
        page = self.client.get(self.detail(report))
        self.assertContains(page, "Email (boleh dikosongkan)")
        self.assertContains(page, "kami kirim tautan konfirmasi ke email ini dulu")
        self.assertNotContains(page, "WhatsApp (boleh")
        self.assertNotContains(page, "nomor HP")
        response = self.client.post(self.url(report), {"contact": "081234567002"}, headers=HTMX)
        self.assertContains(response, "Kabar lewat WhatsApp atau SMS belum tersedia")
        self.assertEqual(self.count(report), 0)
        self.client.post(self.url(report), {"contact": ""}, headers=HTMX)  # supporting alone still works
        self.assertEqual(self.count(report), 1)
        self.client.cookies.load({"django_language": "en"})
        self.assertContains(self.client.get(self.detail(self.verified())), "Email (optional)")

    @NO_WHATSAPP
    def test_without_whatsapp_an_email_still_follows_the_report(self):
        report = self.verified()
        response = self.client.post(self.url(report), {"contact": "tetangga@example.org"}, headers=HTMX)
        self.assertContains(response, "buka tautan konfirmasi")
        self.assertEqual(Subscription.objects.get().channel, "email")

    @WHATSAPP
    def test_with_whatsapp_a_phone_number_is_asked_and_follows_on_whatsapp(self):
        report = self.verified()
        page = self.client.get(self.detail(report))
        self.assertContains(page, "Email atau nomor WhatsApp (boleh dikosongkan)")
        response = self.client.post(self.url(report), {"contact": "0812-3456-7002"}, headers=HTMX)
        self.assertContains(response, "dukungan Anda tercatat")
        self.assertContains(response, "buka tautan konfirmasi")
        self.assertEqual(Support.objects.get().phone_e164, "+6281234567002")
        subscription = Subscription.objects.get()
        self.assertEqual((subscription.channel, subscription.address), ("whatsapp", "+6281234567002"))

    @WHATSAPP
    def test_with_whatsapp_a_bad_contact_names_both_kinds(self):
        report = self.verified()
        response = self.client.post(self.url(report), {"contact": "12ab"}, headers=HTMX)
        self.assertContains(response, "Isi alamat email atau nomor WhatsApp yang valid")
        self.client.cookies.load({"django_language": "en"})
        self.assertContains(self.client.get(self.detail(report)), "Email or WhatsApp number (optional)")


class InboxSupportTests(SupportCase):
    def setUp(self):
        super().setUp()
        self.login(self.coordinator)

    def test_the_inbox_shows_the_count_and_sorts_by_it(self):
        quiet = self.verified(title="Sepi")
        popular = self.verified(title="Ramai")
        middling = self.verified(title="Sedang")
        for device in ("a", "b", "c"):
            actions.support_report(popular, device=device)
        actions.support_report(middling, device="a")
        inbox = reverse("workspace:inbox")
        page = self.client.get(inbox)
        self.assertContains(page, "Dukungan")
        self.assertContains(page, '<td class="ws-supports">3</td>', html=False)
        sorted_page = self.client.get(inbox, {"sort": "supports"}).content.decode()
        positions = [sorted_page.index(f">{r.tracking_number}</a>") for r in (popular, middling, quiet)]
        self.assertEqual(positions, sorted(positions))
        default_page = self.client.get(inbox).content.decode()  # by deadline: oldest first
        self.assertLess(
            default_page.index(f">{quiet.tracking_number}</a>"), default_page.index(f">{popular.tracking_number}</a>")
        )
