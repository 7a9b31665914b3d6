"""Residents' alerts (alerts/): a subscription to one report or to an area sends nothing but
its confirmation link until that is opened; then at most one digest a day, idempotent,
never naming a reporter, never an anonymous report's address, never a confidential report.
"Me too" supporters with a contact follow their report the same way. Feeds: same rule."""

import datetime as dt
from xml.etree import ElementTree

import time_machine
from django.conf import settings
from django.test import override_settings
from django.urls import reverse

from alerts import actions as alerts
from alerts import tokens
from alerts.models import Subscription
from core import scheduler
from core.errors import DomainError
from notify.models import MessageTemplate, OutboxMessage
from reports import actions
from tests import factory
from tests.base import AduanTestCase

MORNING = dt.datetime(2026, 3, 10, 8, 0, tzinfo=dt.UTC)  # 15:00 in Blitar (WIB)
NO_WHATSAPP = override_settings(ADUAN_WHATSAPP_ACCESS_TOKEN="", ADUAN_WHATSAPP_PHONE_NUMBER_ID="")
WHATSAPP = override_settings(
    ADUAN_META_GRAPH_API_URL="http://127.0.0.1:9/graph",
    ADUAN_WHATSAPP_ACCESS_TOKEN="token",
    ADUAN_WHATSAPP_PHONE_NUMBER_ID="123",
)


class AlertsCase(AduanTestCase):
    def verified(self, **overrides):
        overrides.setdefault("category", self.category)
        overrides.setdefault("region", self.kelurahan)
        return factory.make_verified(self.coordinator, **overrides)

    def follow(self, address="warga@example.org", **target):
        target = target or {"region": self.kelurahan}
        return alerts.subscribe(channel="email", address=address, **target).subscription

    def confirmed(self, address="warga@example.org", **target):
        return alerts.confirm(self.follow(address, **target).pk)

    def digests(self, **filters):
        return list(OutboxMessage.objects.filter(template_code="alert_digest", **filters).order_by("pk"))


@time_machine.travel(MORNING, tick=False)
class ConfirmationTests(AlertsCase):
    def test_nothing_but_the_confirmation_is_sent_before_it_is_opened(self):
        subscription = self.follow()
        self.verified()
        self.assertEqual(alerts.send_digests(), 0)
        (confirmation,) = self.assertQueued("warga@example.org", template="alert_confirm")
        self.assertIn(reverse("portal:follow_confirm", args=[tokens.confirm_token(subscription)]), confirmation.body)
        self.assertIn("Kelurahan Bendogerit", confirmation.subject)
        self.assertEqual(self.digests(), [])

    def test_subscribing_twice_the_same_day_sends_one_confirmation(self):
        self.follow("Warga@Example.org")
        self.follow("warga@example.org")
        self.assertQueued("warga@example.org", template="alert_confirm")
        self.assertEqual(Subscription.objects.count(), 1)

    def test_an_active_subscription_is_not_confirmed_again(self):
        self.confirmed()
        outcome = alerts.subscribe(channel="email", address="warga@example.org", region=self.kelurahan)
        self.assertFalse(outcome.needs_confirmation)
        self.assertQueued(template="alert_confirm")

    def test_an_ended_subscription_must_be_confirmed_again(self):
        subscription = self.confirmed()
        alerts.unsubscribe(subscription.pk)
        with self.assertRaises(DomainError):
            alerts.confirm(subscription.pk)
        with time_machine.travel(MORNING + dt.timedelta(minutes=5), tick=False):
            again = self.follow()
        self.assertEqual(again.state, Subscription.State.PENDING)
        self.assertQueued(template="alert_confirm", count=2)

    def test_a_confidential_report_cannot_be_followed(self):
        secret = self.verified(is_confidential=True)
        with self.assertRaises(DomainError):
            self.follow(report=secret)

    def test_a_sub_category_is_refused(self):
        with self.assertRaises(DomainError):
            self.follow(region=self.kecamatan, category=self.category)

    def test_without_its_template_no_subscription_is_kept_and_the_resident_is_told(self):
        MessageTemplate.objects.filter(code="alert_confirm").delete()
        with self.assertRaisesMessage(DomainError, "Coba lagi nanti"):
            self.follow()
        self.assertFalse(Subscription.objects.exists())

    @NO_WHATSAPP
    def test_whatsapp_only_where_it_is_configured(self):
        with self.assertRaises(DomainError):
            alerts.subscribe(channel="whatsapp", address="+6281234567001", region=self.kelurahan)

    @WHATSAPP
    def test_whatsapp_subscription_gets_its_confirmation_on_whatsapp(self):
        alerts.subscribe(channel="whatsapp", address="+6281234567001", region=self.kelurahan)
        self.assertQueued("+6281234567001", template="alert_confirm", channel="whatsapp")


class DigestTests(AlertsCase):
    def test_one_digest_a_day_at_most_and_a_second_run_sends_nothing(self):
        with time_machine.travel(MORNING, tick=False):
            subscription = self.confirmed()
        with time_machine.travel(MORNING + dt.timedelta(hours=1), tick=False):
            first = self.verified(title="Lampu mati di Jalan Kenari")
        with time_machine.travel(MORNING + dt.timedelta(hours=2), tick=False):
            self.assertEqual(alerts.send_digests(), 1)
            self.assertEqual(alerts.send_digests(), 0)
        with time_machine.travel(MORNING + dt.timedelta(hours=3), tick=False):
            second = self.verified(title="Lampu mati di Jalan Melati")
            self.assertEqual(alerts.send_digests(), 0)  # the same local day: tomorrow's
        (digest,) = self.digests()
        self.assertIn(first.tracking_number, digest.body)
        self.assertIn("Lampu mati di Jalan Kenari", digest.body)
        with time_machine.travel(MORNING + dt.timedelta(days=1), tick=False):
            self.assertEqual(alerts.send_digests(), 1)
        tomorrow = self.digests()[1]
        self.assertIn(second.tracking_number, tomorrow.body)
        self.assertNotIn(first.tracking_number, tomorrow.body)  # told once
        self.assertEqual(tomorrow.dedupe_key, f"alerts:digest:{subscription.pk}:2026-03-11")

    def test_a_run_that_lost_its_claim_record_still_sends_nothing_twice(self):
        with time_machine.travel(MORNING, tick=False):
            subscription = self.confirmed()
        with time_machine.travel(MORNING + dt.timedelta(hours=1), tick=False):
            self.verified()
            alerts.send_digests()
            # As if another worker read the row before the first claim: the outbox's dedupe
            # key still holds.
            Subscription.objects.filter(pk=subscription.pk).update(last_digest_on=None)
            alerts.send_digests()
        self.assertEqual(len(self.digests()), 1)

    def test_no_updates_no_message(self):
        with time_machine.travel(MORNING, tick=False):
            self.verified()  # before the confirmation: not news to this subscriber
            self.confirmed()
        with time_machine.travel(MORNING + dt.timedelta(hours=2), tick=False):
            self.assertEqual(alerts.send_digests(), 0)
        self.assertEqual(self.digests(), [])

    def test_the_digest_names_no_reporter_no_anonymous_address_and_no_confidential_report(self):
        with time_machine.travel(MORNING, tick=False):
            self.confirmed(region=self.kecamatan)
        with time_machine.travel(MORNING + dt.timedelta(hours=1), tick=False):
            public = self.verified(title="Lampu padam", reporter_name="Siti Aminah")
            anonymous = self.verified(
                is_anonymous=True,
                reporter_name="Bambang Wijaya",
                title="Got mampet depan rumah Bambang Wijaya",
                address="Jl. Mawar Gang 3 No. 12",
                region=self.other_kelurahan,
            )
            secret = self.verified(
                is_confidential=True, title="Pungutan liar oleh petugas", reporter_name="Dewi Lestari"
            )
        with time_machine.travel(MORNING + dt.timedelta(hours=2), tick=False):
            alerts.send_digests()
        (digest,) = self.digests()
        text = digest.subject + digest.body
        self.assertIn(public.tracking_number, text)
        self.assertIn(anonymous.tracking_number, text)  # the report is public; its reporter is not
        for private in ("Siti", "Aminah", "Bambang", "Wijaya", "Mawar", "siti@example.org", "081234567890"):
            self.assertNotIn(private, text)
        self.assertNotIn(secret.tracking_number, text)
        self.assertNotIn("Pungutan", text)
        self.assertNotIn("Dewi", text)

    def test_a_category_in_a_kecamatan_leaves_out_other_categories_and_places(self):
        elsewhere = factory.make_region("Kepanjenkidul")
        elsewhere_kelurahan = factory.make_region("Sentul", parent=elsewhere)
        other_parent = factory.Category.objects.create(name="Kebersihan")
        rubbish = factory.make_category("Sampah", parent=other_parent)
        with time_machine.travel(MORNING, tick=False):
            self.confirmed(region=self.kecamatan, category=self.category.parent)
        with time_machine.travel(MORNING + dt.timedelta(hours=1), tick=False):
            wanted = self.verified(region=self.other_kelurahan)
            other_topic = self.verified(category=rubbish)
            other_place = self.verified(region=elsewhere_kelurahan)
        with time_machine.travel(MORNING + dt.timedelta(hours=2), tick=False):
            alerts.send_digests()
        (digest,) = self.digests()
        self.assertIn("Perhubungan di Kecamatan Sananwetan", digest.subject)
        self.assertIn(wanted.tracking_number, digest.body)
        self.assertNotIn(other_topic.tracking_number, digest.body)
        self.assertNotIn(other_place.tracking_number, digest.body)

    def test_a_followed_report_tells_of_its_updates_only(self):
        with time_machine.travel(MORNING, tick=False):
            followed = self.verified()
            other = self.verified()
            self.confirmed(report=followed)
        with time_machine.travel(MORNING + dt.timedelta(hours=1), tick=False):
            actions.dispose_report(followed, actor=self.coordinator, lead_agency=self.transport)
            actions.dispose_report(other, actor=self.coordinator, lead_agency=self.transport)
        with time_machine.travel(MORNING + dt.timedelta(hours=2), tick=False):
            alerts.send_digests()
        (digest,) = self.digests()
        self.assertIn(followed.tracking_number, digest.body)
        self.assertIn("Terdisposisi", digest.body)  # its status now
        self.assertNotIn(other.tracking_number, digest.body)
        self.assertIsNone(digest.report_id)  # never the reporter's fallback contacts

    def test_a_report_made_confidential_is_not_told_of_any_more(self):
        with time_machine.travel(MORNING, tick=False):
            followed = self.verified()
            self.confirmed(report=followed)
        with time_machine.travel(MORNING + dt.timedelta(hours=1), tick=False):
            actions.dispose_report(followed, actor=self.coordinator, lead_agency=self.transport)
            type(followed).objects.filter(pk=followed.pk).update(is_confidential=True)
        with time_machine.travel(MORNING + dt.timedelta(hours=2), tick=False):
            self.assertEqual(alerts.send_digests(), 0)

    @override_settings(ADUAN_SITE_URL="https://aduan.example.go.id")
    def test_an_email_digest_has_one_click_unsubscribe_headers_and_link(self):
        with time_machine.travel(MORNING, tick=False):
            subscription = self.confirmed()
        with time_machine.travel(MORNING + dt.timedelta(hours=1), tick=False):
            self.verified()
            alerts.send_digests()
        (digest,) = self.digests()
        link = "https://aduan.example.go.id" + reverse(
            "portal:follow_unsubscribe", args=[tokens.unsubscribe_token(subscription)]
        )
        self.assertEqual(digest.headers["List-Unsubscribe"], f"<{link}>")
        self.assertEqual(digest.headers["List-Unsubscribe-Post"], "List-Unsubscribe=One-Click")
        self.assertIn(link, digest.body)

    def test_an_ended_subscription_gets_nothing(self):
        with time_machine.travel(MORNING, tick=False):
            subscription = self.confirmed()
        with time_machine.travel(MORNING + dt.timedelta(hours=1), tick=False):
            self.verified()
            alerts.unsubscribe(subscription.pk)
            self.assertEqual(alerts.send_digests(), 0)

    def test_an_english_subscriber_reads_english(self):
        with time_machine.travel(MORNING, tick=False):
            subscription = alerts.subscribe(
                channel="email", address="visitor@example.org", region=self.kelurahan, language="en"
            ).subscription
            alerts.confirm(subscription.pk)
        with time_machine.travel(MORNING + dt.timedelta(hours=1), tick=False):
            self.verified()
            alerts.send_digests()
        (digest,) = self.digests()
        self.assertIn("Stop these updates", digest.body)
        self.assertIn("Verified", digest.body)

    def test_the_daily_job_is_scheduled(self):
        jobs = {job.name: job for job in scheduler.load()}
        self.assertEqual(jobs["alerts-daily-digest"].task_path, "alerts.tasks.send_digests")
        self.assertEqual(settings.ADUAN_SCHEDULE["alerts-daily-digest"]["at"], "18:00")


@time_machine.travel(MORNING, tick=False)
class SupporterTests(AlertsCase):
    def support(self, report, **contact):
        return actions.support_report(report, device="phone-a", **contact).support

    def test_a_supporter_with_an_email_follows_the_report_once_confirmed(self):
        report = self.verified()
        followed = alerts.follow_support(self.support(report, email="tetangga@example.org"))
        (subscription,) = followed
        self.assertEqual((subscription.report, subscription.state), (report, Subscription.State.PENDING))
        self.assertQueued("tetangga@example.org", template="alert_confirm")
        alerts.confirm(subscription.pk)
        with time_machine.travel(MORNING + dt.timedelta(hours=1), tick=False):
            actions.dispose_report(report, actor=self.coordinator, lead_agency=self.transport)
            alerts.send_digests()
        self.assertQueued("tetangga@example.org", template="alert_digest")

    @NO_WHATSAPP
    def test_a_supporter_with_a_phone_follows_nothing_without_whatsapp(self):
        self.assertEqual(alerts.follow_support(self.support(self.verified(), phone="081234567002")), [])
        self.assertNothingQueued()

    @WHATSAPP
    def test_a_supporter_with_a_phone_follows_on_whatsapp_where_configured(self):
        (subscription,) = alerts.follow_support(self.support(self.verified(), phone="081234567002"))
        self.assertEqual((subscription.channel, subscription.address), ("whatsapp", "+6281234567002"))
        self.assertQueued("+6281234567002", template="alert_confirm", channel="whatsapp")

    def test_a_support_stands_when_its_confirmation_cannot_be_sent(self):
        MessageTemplate.objects.filter(code="alert_confirm").delete()
        report = self.verified()
        url = reverse("portal:support", args=[report.tracking_number])
        response = self.client.post(url, {"contact": "tetangga@example.org"}, headers={"HX-Request": "true"})
        self.assertContains(response, "dukungan Anda tercatat")
        report.refresh_from_db()
        self.assertEqual(report.support_count, 1)
        self.assertFalse(Subscription.objects.exists())

    def test_the_support_form_sends_the_confirmation(self):
        report = self.verified()
        url = reverse("portal:support", args=[report.tracking_number])
        response = self.client.post(url, {"contact": "tetangga@example.org"}, headers={"HX-Request": "true"})
        self.assertContains(response, "tautan konfirmasi")
        self.assertQueued("tetangga@example.org", template="alert_confirm")


class FeedTests(AlertsCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.public = factory.make_verified(
            cls.coordinator,
            category=cls.category,
            region=cls.kelurahan,
            title="Lampu padam",
            reporter_name="Siti Aminah",
        )
        cls.anonymous = factory.make_verified(
            cls.coordinator,
            category=cls.category,
            region=cls.kelurahan,
            is_anonymous=True,
            reporter_name="Bambang Wijaya",
            title="Got mampet depan rumah Bambang Wijaya",
            address="Jl. Mawar Gang 3 No. 12",
        )
        cls.secret = factory.make_verified(
            cls.coordinator,
            category=cls.category,
            region=cls.kelurahan,
            is_confidential=True,
            title="Pungutan liar oleh petugas",
        )
        cls.unverified = factory.make_report(category=cls.category, region=cls.kelurahan, title="Belum diperiksa")

    def feed(self, name, **params):
        response = self.client.get(reverse(name), params)
        self.assertEqual(response.status_code, 200)
        return response, ElementTree.fromstring(response.content)  # valid XML, or this raises

    def assertPrivate(self, text):
        self.assertIn(self.public.tracking_number, text)
        self.assertIn(self.anonymous.tracking_number, text)
        for private in ("Siti", "Bambang", "Wijaya", "Mawar", "siti@example.org", "081234567890"):
            self.assertNotIn(private, text)
        for hidden in (self.secret.tracking_number, "Pungutan", self.unverified.tracking_number, "Belum diperiksa"):
            self.assertNotIn(hidden, text)

    def test_rss_of_a_kelurahan(self):
        response, root = self.feed("portal:follow_rss", wilayah=self.kelurahan.pk)
        self.assertTrue(response["Content-Type"].startswith("application/rss+xml"))
        self.assertEqual(root.tag, "rss")
        titles = [item.findtext("title") for item in root.iter("item")]
        self.assertEqual(len(titles), 2)
        self.assertIn(f"{self.public.tracking_number}: Lampu padam", titles)
        self.assertIn("Kelurahan Bendogerit", root.findtext("channel/title"))
        self.assertPrivate(response.content.decode())

    def test_atom_of_a_category_in_a_kecamatan(self):
        response, root = self.feed("portal:follow_atom", wilayah=self.kecamatan.pk, kategori=self.category.parent.pk)
        atom = "{http://www.w3.org/2005/Atom}"
        self.assertEqual(root.tag, f"{atom}feed")
        self.assertEqual(len(root.findall(f"{atom}entry")), 2)
        self.assertIn("Perhubungan di Kecamatan Sananwetan", root.findtext(f"{atom}title"))
        self.assertPrivate(response.content.decode())

    def test_another_category_is_empty(self):
        other = factory.Category.objects.create(name="Kebersihan")
        _, root = self.feed("portal:follow_rss", wilayah=self.kecamatan.pk, kategori=other.pk)
        self.assertEqual(list(root.iter("item")), [])

    def test_a_bad_area_is_not_found(self):
        self.assertEqual(self.client.get(reverse("portal:follow_rss"), {"wilayah": "999999"}).status_code, 404)
        self.assertEqual(self.client.get(reverse("portal:follow_rss")).status_code, 404)
