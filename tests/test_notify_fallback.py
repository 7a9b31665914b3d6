"""Residents who never hear back: a message to a reporter that fails for good goes out on
another contact they gave; the coordinator's report page and the reporter's tracking page
say what could not be delivered."""

from django.core import mail
from django.test import override_settings
from django.urls import reverse

from core import queues
from notify import fallback
from notify.models import OutboxMessage
from reports import actions
from tests import factory
from tests.base import AduanTestCase, TwoGovernmentsBase
from tests.fakes.graph_api import TOKEN
from tests.meta_base import FakeGraphApiMixin

IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend", "QUEUES": queues.ALL}}
NOT_CONFIGURED = {"ADUAN_WHATSAPP_ACCESS_TOKEN": "", "ADUAN_WHATSAPP_PHONE_NUMBER_ID": "", "ADUAN_SMS_GATEWAY_URL": ""}


@override_settings(TASKS=IMMEDIATE, ADUAN_SITE_URL="https://aduan.blitarkota.go.id", **NOT_CONFIGURED)
class FallbackTests(AduanTestCase):
    def verified(self, **contact):
        with self.captureOnCommitCallbacks(execute=True):
            report = self.make_report(reply_channel="whatsapp", **contact)
            actions.verify_report(report, actor=self.coordinator, message="Laporan Anda kami teruskan.")
        return report

    def reporter_messages(self, report):
        return list(OutboxMessage.objects.filter(report=report, user__isnull=True).order_by("pk"))

    def test_a_whatsapp_message_that_cannot_go_out_goes_by_email(self):
        report = self.verified(reporter_phone="081234567890", reporter_email="siti@example.org")
        whatsapp, email = self.reporter_messages(report)[-2:]
        self.assertEqual((whatsapp.channel, whatsapp.state), ("whatsapp", "failed"))
        self.assertEqual((email.channel, email.state, email.recipient), ("email", "sent", "siti@example.org"))
        self.assertEqual(email.body, whatsapp.body)
        self.assertIn(report.tracking_number, mail.outbox[-1].subject)
        self.assertIn("telah diverifikasi", mail.outbox[-1].body)

    def test_the_coordinator_sees_what_failed_and_what_went_out_instead(self):
        report = self.verified(reporter_phone="081234567890", reporter_email="siti@example.org")
        self.login(self.coordinator)
        page = self.client.get(reverse("workspace:report", args=[report.pk]))
        self.assertContains(page, "Kabar ke pelapor gagal terkirim")
        self.assertContains(page, "terkirim lewat kontak lain")

    def test_a_reporter_with_no_other_contact_is_told_on_the_tracking_page(self):
        report = self.verified(reporter_phone="081234567890", reporter_email="")
        self.assertEqual([m.state for m in self.reporter_messages(report)], ["failed"])
        page = self.client.get(reverse("portal:track_detail", args=[report.secret]))
        self.assertContains(page, "Kami belum berhasil mengirim kabar")
        self.login(self.coordinator)
        staff_page = self.client.get(reverse("workspace:report", args=[report.pk]))
        self.assertContains(staff_page, "tidak ada kontak lain")

    def test_the_notice_goes_once_a_message_gets_through(self):
        report = self.verified(reporter_phone="081234567890", reporter_email="")
        track = reverse("portal:track_detail", args=[report.secret])
        self.assertContains(self.client.get(track), "Kami belum berhasil mengirim kabar")
        report.reply_channel, report.reporter_email = "email", "siti@example.org"
        report.save(update_fields=["reply_channel", "reporter_email"])
        with self.captureOnCommitCallbacks(execute=True):
            disposed = actions.dispose_report(report, actor=self.coordinator, lead_agency=self.public_works)
        self.assertEqual(self.reporter_messages(disposed)[-1].state, "sent")
        self.assertNotContains(self.client.get(track), "Kami belum berhasil mengirim kabar")

    def test_staff_messages_do_not_fall_back_to_the_reporters_contacts(self):
        report = self.verified(reporter_phone="081234567890", reporter_email="siti@example.org")
        staff = OutboxMessage.objects.filter(report=report, user__isnull=False)
        self.assertFalse(staff.filter(recipient="siti@example.org").exists())


KEDIRI_PHONE_ID = "109876543210"


@override_settings(
    TASKS=IMMEDIATE,
    ADUAN_CHANNEL_GOVERNMENTS={f"whatsapp:{KEDIRI_PHONE_ID}": "kota-kediri"},
    ADUAN_WHATSAPP_ACCESS_TOKEN=TOKEN,
    ADUAN_WHATSAPP_PHONE_NUMBER_ID="",
    ADUAN_SMS_GATEWAY_URL="",
)
class GovernmentNumberFallbackTests(FakeGraphApiMixin, TwoGovernmentsBase):
    """An installation without a WhatsApp number of its own, where Kota Kediri has one: an
    SMS that cannot go out falls back to WhatsApp for Kediri's reporters only."""

    def setUp(self):
        super().setUp()
        self.graph.phone_ids.add(KEDIRI_PHONE_ID)

    def verified_by_sms(self, report, coordinator):
        report.reply_channel, report.reporter_phone, report.reporter_email = "sms", "081234567890", ""
        report.save(update_fields=["reply_channel", "reporter_phone", "reporter_email"])
        with self.captureOnCommitCallbacks(execute=True):
            actions.verify_report(report, actor=coordinator, message="Laporan Anda kami teruskan.")
        return list(OutboxMessage.objects.filter(report=report, user__isnull=True).order_by("pk"))

    def test_a_kediri_reporter_hears_on_whatsapp_from_kediris_number(self):
        report = factory.make_report(government=self.kediri, category=self.kediri_category)
        sms, whatsapp = self.verified_by_sms(report, self.kediri_coordinator)
        self.assertEqual((sms.channel, sms.state), ("sms", "failed"))
        self.assertEqual((whatsapp.channel, whatsapp.state, whatsapp.account), ("whatsapp", "sent", KEDIRI_PHONE_ID))
        self.assertEqual(self.graph.sent_from, [KEDIRI_PHONE_ID])
        self.assertEqual(whatsapp.body, sms.body)

    def test_a_blitar_reporter_has_no_whatsapp_to_fall_back_to(self):
        [sms] = self.verified_by_sms(self.make_report(), self.coordinator)
        self.assertEqual((sms.channel, sms.state), ("sms", "failed"))
        self.assertEqual(self.graph.requests, [])
        self.assertFalse(fallback.configured("whatsapp"))  # the installation's own: none
        self.assertTrue(fallback.configured("whatsapp", KEDIRI_PHONE_ID))
