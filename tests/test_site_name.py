"""Each government's residents and staff hear from *their* government's Aduan: the name a
message or document signs with (governments.models.site_name) is the installation's
(ADUAN_SITE_NAME) for its home government, "Aduan <name>" for another one — in a
reporter's update, a staff message, the monthly recap email and the recap PDF's footer."""

import datetime as dt

import time_machine
from django.core.cache import cache
from django.test import override_settings
from django.utils import timezone

from agencies.models import Role
from alerts import actions as alerts
from alerts.models import Subscription
from core.errors import DomainError
from escalation import ladder
from governments.models import site_name
from monev import dashboard, figures, mailing, recap
from notify.models import OutboxMessage
from notify.receivers import staff_context
from reports import actions
from staffing import expiry
from tests import factory
from tests.base import TwoGovernmentsBase
from tests.fakes.graph_api import IG_ACCOUNT_ID, PHONE_ID
from tests.pdfpages import flat_text, pages_of
from tests.test_channel_governments import KEDIRI_INSTAGRAM
from tests.test_instagram_intake import InstagramTestCase
from tests.test_instagram_intake import with_message as instagram_message
from tests.test_whatsapp_intake import WhatsAppTestCase

SITE = {"ADUAN_SITE_NAME": "Aduan Kota Blitar"}


@override_settings(**SITE, ADUAN_WHATSAPP_ACCESS_TOKEN="", ADUAN_WHATSAPP_PHONE_NUMBER_ID="")
class SiteNameCase(TwoGovernmentsBase):
    """Kota Blitar (the base personas', the installation's home government) and Kota Kediri
    beside it, with its own coordinator, agency and category (tests/base.py); Kediri's
    liaison has an email address."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.kediri_liaison.email = "penghubung@kedirikota.go.id"
        cls.kediri_liaison.save(update_fields=["email"])

    def verified_message(self, report, coordinator):
        with self.captureOnCommitCallbacks(execute=True):
            actions.verify_report(report, actor=coordinator)
        return OutboxMessage.objects.get(report=report, template_code="report_verified")


class SiteNameRuleTests(SiteNameCase):
    def test_the_home_government_and_no_government_are_the_installation_another_its_own(self):
        self.assertEqual(site_name(None), "Aduan Kota Blitar")
        self.assertEqual(site_name(self.blitar), "Aduan Kota Blitar")
        self.assertEqual(site_name(self.kediri), "Aduan Kota Kediri")
        with override_settings(ADUAN_SITE_NAME="Layanan Aduan Blitar"):
            self.assertEqual(site_name(self.blitar), "Layanan Aduan Blitar")
            self.assertEqual(site_name(self.kediri), "Aduan Kota Kediri")

    def test_the_home_government_is_asked_once_and_forgotten_when_a_government_changes(self):
        cache.clear()
        site_name(self.kediri)
        with self.assertNumQueries(0):
            self.assertEqual(site_name(self.kediri), "Aduan Kota Kediri")
        # Blitar stops serving: Kediri is the oldest active government, the installation's.
        self.blitar.is_active = False
        self.blitar.save()
        self.assertEqual(site_name(self.kediri), "Aduan Kota Blitar")
        self.assertEqual(site_name(self.blitar), f"Aduan {self.blitar.name}")  # a recap of its past


class NotificationSiteNameTests(SiteNameCase):
    def test_a_kediri_reporter_hears_from_aduan_kota_kediri(self):
        report = self.make_report(category=self.kediri_category, region=None, reply_channel="sms")
        self.assertEqual(report.government, self.kediri)
        message = self.verified_message(report, self.kediri_coordinator)
        self.assertIn("Aduan Kota Kediri", message.body)
        self.assertNotIn("Blitar", message.body)

    def test_a_blitar_reporter_still_hears_from_the_installation(self):
        report = self.make_report(reply_channel="sms")
        message = self.verified_message(report, self.coordinator)
        self.assertIn("Aduan Kota Blitar", message.body)

    def test_what_staff_messages_say_of_a_kediri_report_names_aduan_kota_kediri(self):
        kediri = self.make_report(category=self.kediri_category, region=None)
        self.assertEqual(staff_context(kediri)["site_name"], "Aduan Kota Kediri")
        self.assertEqual(staff_context(self.make_report())["site_name"], "Aduan Kota Blitar")


def last_month() -> tuple[dt.date, dt.date]:
    today = timezone.localdate()
    return figures.period_bounds("month", today.replace(day=1) - dt.timedelta(days=1))


class RecapSiteNameTests(SiteNameCase):
    def footer(self, government, name):
        first, last = last_month()
        board = dashboard.build(figures.Filter(first, last, government=government.pk))
        pages, _pngs = pages_of(recap.pdf(board), name)
        return pages[0], flat_text(name)

    def test_kediri_recap_pdf_is_signed_aduan_kota_kediri(self):
        page, flat = self.footer(self.kediri, "site-name-kediri")
        self.assertIn("· Aduan Kota Kediri", flat)
        self.assertIn("Aduan Kota Kediri", page)
        self.assertNotIn("Aduan Kota Blitar", flat)

    def test_blitar_recap_pdf_is_signed_with_the_installation_name(self):
        _page, flat = self.footer(self.blitar, "site-name-blitar")
        self.assertIn("· Aduan Kota Blitar", flat)
        self.assertNotIn("Kediri", flat)

    def test_kediri_executives_recap_email_names_aduan_kota_kediri(self):
        executive = factory.make_staff(Role.EXECUTIVE, self.kediri_unit, "walikota_kediri")
        executive.email = "walikota@kedirikota.go.id"
        executive.save(update_fields=["email"])
        self.executive.email = "walikota@blitarkota.go.id"
        self.executive.save(update_fields=["email"])
        first_of_month = timezone.localdate().replace(day=1)
        with time_machine.travel(timezone.make_aware(dt.datetime.combine(first_of_month, dt.time(6))), tick=False):
            self.assertEqual(mailing.send_monthly_recap(), 2)
        [kediri] = self.assertQueued(recipient="walikota@kedirikota.go.id")
        [blitar] = self.assertQueued(recipient="walikota@blitarkota.go.id")
        self.assertIn("pengaduan Aduan Kota Kediri, periode", kediri.body)
        self.assertIn("pengaduan Aduan Kota Blitar, periode", blitar.body)


class PortalSiteNameTests(SiteNameCase):
    def test_a_governments_portal_names_it_and_the_home_governments_the_installation(self):
        response = self.client.get(f"/{self.kediri.slug}/lapor/")
        self.assertContains(response, ">Aduan Kota Kediri</a>")
        with override_settings(ADUAN_SITE_NAME="Layanan Aduan Blitar"):
            for path in (f"/{self.blitar.slug}/lapor/", "/lapor/"):
                with self.subTest(path=path):
                    self.assertContains(self.client.get(path), ">Layanan Aduan Blitar</a>")


class ExpirySiteNameTests(SiteNameCase):
    def test_a_kediri_appointments_expiry_reminder_names_aduan_kota_kediri(self):
        ending = timezone.now() + dt.timedelta(days=7)
        for agency, username, email in (
            (self.kediri_transport, "kepala_dishub_kediri", "kepala@kedirikota.go.id"),
            (self.transport, "kepala_dishub_blitar", "kepala@blitarkota.go.id"),
        ):
            factory.appoint(factory.make_user(username, email=email), agency, Role.AGENCY_HEAD)
            factory.appoint(factory.make_user(), agency, Role.LIAISON, valid_until=ending)
        self.assertEqual(expiry.remind_expiring(), 2)
        [kediri] = self.assertQueued(recipient="kepala@kedirikota.go.id")
        [blitar] = self.assertQueued(recipient="kepala@blitarkota.go.id")
        self.assertTrue(kediri.subject.startswith("[Aduan Kota Kediri] "), kediri.subject)
        self.assertTrue(blitar.subject.startswith("[Aduan Kota Blitar] "), blitar.subject)


class EscalationDigestSiteNameTests(SiteNameCase):
    def test_kediri_executives_digest_names_aduan_kota_kediri(self):
        executive = factory.make_user("walikota_kediri", email="walikota@kedirikota.go.id")
        factory.appoint(executive, self.kediri_unit, Role.EXECUTIVE)
        self.assertEqual(ladder._send_digest([executive], [], timezone.localdate(), self.kediri), 1)
        [digest] = self.assertQueued(recipient="walikota@kedirikota.go.id", template="escalation_digest")
        self.assertTrue(digest.subject.startswith("[Aduan Kota Kediri] "), digest.subject)


def add_kediri():
    factory.make_government("Kota Kediri", prefix="KDR")


@override_settings(**SITE)
class WhatsAppGreetingSiteNameTests(WhatsAppTestCase):
    """An unknown sender's first message to Kota Kediri's WhatsApp number is greeted by
    Aduan Kota Kediri; the installation's own number still greets as the installation
    (ADUAN_CHANNEL_GOVERNMENTS, intake/accounts.py)."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        add_kediri()

    def test_kediris_whatsapp_number_greets_as_aduan_kota_kediri(self):
        with override_settings(ADUAN_CHANNEL_GOVERNMENTS={f"whatsapp:{PHONE_ID}": "kota-kediri"}):
            self.say("Halo")
        self.assertIn("Ini layanan pengaduan Aduan Kota Kediri.", self.last_reply())

    def test_the_installations_whatsapp_number_greets_as_aduan_kota_blitar(self):
        self.say("Halo")
        self.assertIn("Ini layanan pengaduan Aduan Kota Blitar.", self.last_reply())


@override_settings(**SITE)
class InstagramGreetingSiteNameTests(InstagramTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        add_kediri()

    def hello(self, account):
        payload = instagram_message("text.json", text="Halo")
        payload["entry"][0]["id"] = account
        payload["entry"][0]["messaging"][0]["recipient"]["id"] = account
        self.assertEqual(self.post(payload).status_code, 200)
        return self.last_reply()

    @override_settings(ADUAN_CHANNEL_GOVERNMENTS={f"instagram:{KEDIRI_INSTAGRAM}": "kota-kediri"})
    def test_kediris_instagram_account_greets_as_aduan_kota_kediri(self):
        self.graph.ig_account_ids.add(KEDIRI_INSTAGRAM)  # the greeting goes out from it
        self.assertIn("Ini layanan pengaduan Aduan Kota Kediri.", self.hello(KEDIRI_INSTAGRAM))
        self.assertEqual(self.graph.sent_from, [KEDIRI_INSTAGRAM])

    def test_the_installations_instagram_account_greets_as_aduan_kota_blitar(self):
        self.assertIn("Ini layanan pengaduan Aduan Kota Blitar.", self.hello(IG_ACCOUNT_ID))


MORNING = dt.datetime(2026, 3, 10, 8, 0, tzinfo=dt.UTC)  # 15:00 in Blitar and Kediri (WIB)


class AlertsSiteNameTests(SiteNameCase):
    """A resident following Kota Kediri's kelurahan or report hears from Aduan Kota Kediri:
    the confirmation and the daily digest (alerts/actions.py)."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        pesantren = factory.make_region("Pesantren", government=cls.kediri)
        cls.bangsal = factory.make_region("Bangsal", parent=pesantren)

    def follow(self, address, **target):
        subscription = alerts.subscribe(channel="email", address=address, **target).subscription
        return alerts.confirm(subscription.pk)

    def test_following_a_kediri_kelurahan_is_confirmed_and_told_by_aduan_kota_kediri(self):
        with time_machine.travel(MORNING, tick=False):
            self.follow("warga@kedirikota.go.id", region=self.bangsal)
            self.follow("warga@blitarkota.go.id", region=self.kelurahan)
        with time_machine.travel(MORNING + dt.timedelta(hours=1), tick=False):
            factory.make_verified(self.kediri_coordinator, category=self.kediri_category, region=self.bangsal)
            factory.make_verified(self.coordinator, category=self.category, region=self.kelurahan)
        with time_machine.travel(MORNING + dt.timedelta(hours=2), tick=False):
            self.assertEqual(alerts.send_digests(), 2)
        for address, name, other in (
            ("warga@kedirikota.go.id", "Aduan Kota Kediri", "Blitar"),
            ("warga@blitarkota.go.id", "Aduan Kota Blitar", "Kediri"),
        ):
            with self.subTest(address=address):
                [confirmation] = self.assertQueued(recipient=address, template="alert_confirm")
                [digest] = self.assertQueued(recipient=address, template="alert_digest")
                for message in (confirmation, digest):
                    self.assertIn(name, message.body)
                    self.assertNotIn(f"Aduan Kota {other}", message.body)

    def test_following_a_kediri_report_is_confirmed_by_aduan_kota_kediri(self):
        report = factory.make_verified(self.kediri_coordinator, category=self.kediri_category, region=self.bangsal)
        self.follow("warga@kedirikota.go.id", report=report)
        [confirmation] = self.assertQueued(recipient="warga@kedirikota.go.id", template="alert_confirm")
        self.assertIn("Aduan Kota Kediri", confirmation.body)

    @override_settings(
        ADUAN_CHANNEL_GOVERNMENTS={"whatsapp:109876543210": "kota-kediri"},
        ADUAN_META_GRAPH_API_URL="http://127.0.0.1:9/graph",
        ADUAN_WHATSAPP_ACCESS_TOKENS={"109876543210": "kediri-token"},
    )
    def test_kediris_own_whatsapp_number_offers_whatsapp_alerts_about_kediri_only(self):
        # The installation has no WhatsApp number of its own (SiteNameCase); Kediri has one.
        self.assertIs(alerts.whatsapp_available(self.kediri), True)
        self.assertIs(alerts.whatsapp_available(self.blitar), False)
        kediri = alerts.subscribe(channel="whatsapp", address="+6281234567890", region=self.bangsal).subscription
        self.assertEqual(
            self.assertQueued(recipient="+6281234567890", template="alert_confirm")[0].account, "109876543210"
        )
        self.assertEqual(kediri.region, self.bangsal)
        with self.assertRaisesMessage(DomainError, "WhatsApp belum tersedia"):
            alerts.subscribe(channel="whatsapp", address="+6281234567891", region=self.kelurahan)
        self.assertFalse(Subscription.objects.filter(address="+6281234567891").exists())

    @override_settings(ADUAN_CHANNEL_GOVERNMENTS={"email:lapor@kedirikota.go.id": "kota-kediri"})
    def test_an_alert_about_kediri_goes_out_from_kediris_mailbox(self):
        self.follow("warga@kedirikota.go.id", region=self.bangsal)
        self.follow("warga@blitarkota.go.id", region=self.kelurahan)
        [kediri] = self.assertQueued(recipient="warga@kedirikota.go.id", template="alert_confirm")
        [blitar] = self.assertQueued(recipient="warga@blitarkota.go.id", template="alert_confirm")
        self.assertEqual((kediri.account, blitar.account), ("lapor@kedirikota.go.id", ""))


class PortalFilesSiteNameTests(SiteNameCase):
    """What Kota Kediri's own portal serves beside its pages names it too: the installable
    app's manifest, the area feeds, the open data of its transparency page; the un-prefixed
    ones are still the installation's."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        pesantren = factory.make_region("Pesantren", government=cls.kediri)
        cls.bangsal = factory.make_region("Bangsal", parent=pesantren)

    def test_kediris_app_manifest_is_named_aduan_kota_kediri(self):
        self.assertEqual(
            self.client.get(f"/{self.kediri.slug}/manifest.webmanifest").json()["name"], "Aduan Kota Kediri"
        )
        self.assertEqual(self.client.get("/manifest.webmanifest").json()["name"], "Aduan Kota Blitar")

    def test_kediris_feeds_are_signed_aduan_kota_kediri(self):
        kediri = self.client.get(f"/{self.kediri.slug}/ikuti/rss/", {"wilayah": self.bangsal.pk})
        self.assertContains(kediri, "Kelurahan Bangsal · Aduan Kota Kediri</title>")
        self.assertNotContains(kediri, "Aduan Kota Blitar")
        blitar = self.client.get("/ikuti/atom/", {"wilayah": self.kelurahan.pk})
        self.assertContains(blitar, "Kelurahan Bendogerit · Aduan Kota Blitar</title>")

    def test_kediris_open_data_is_signed_aduan_kota_kediri(self):
        self.assertEqual(
            self.client.get(f"/{self.kediri.slug}/transparansi/data.json").json()["site"], "Aduan Kota Kediri"
        )
        self.assertEqual(self.client.get("/transparansi/data.json").json()["site"], "Aduan Kota Blitar")
