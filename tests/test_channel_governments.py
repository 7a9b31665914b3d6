"""Each channel account files its new reports into its own government
(ADUAN_CHANNEL_GOVERNMENTS, intake/accounts.py): Kota Kediri's WhatsApp number, Instagram
account, SMS gateway number and mailbox address beside Kota Blitar's (the default)."""

from email.message import EmailMessage
from email.policy import SMTP
from email.utils import make_msgid

from django.test import override_settings

from core.errors import DomainError
from intake import accounts
from intake.email.poller import receive
from intake.models import InboundMessage
from reports.models import Channel, Report
from tests import factory
from tests.fakes.graph_api import IG_ACCOUNT_ID, PHONE_ID
from tests.test_instagram_intake import InstagramTestCase
from tests.test_instagram_intake import with_message as instagram_message
from tests.test_sms_intake import SmsWebhookTestCase, fixture
from tests.test_tenancy import TwoGovernmentsCase
from tests.test_whatsapp_intake import DESCRIPTION, WhatsAppTestCase

KEDIRI_NUMBER = "+6281234500000"
KEDIRI_MAILBOX = "lapor@kedirikota.go.id"
KEDIRI_INSTAGRAM = "17841400000000001"
KEDIRI_ACCOUNTS = {
    f"whatsapp:{PHONE_ID}": "kota-kediri",
    f"instagram:{KEDIRI_INSTAGRAM}": "kota-kediri",
    "sms:081234500000": "kota-kediri",  # written locally; the gateway sends +62…
    "email:Lapor@KediriKota.go.id": "kota-kediri",
}


class AccountsTests(TwoGovernmentsCase):
    @override_settings(ADUAN_CHANNEL_GOVERNMENTS=KEDIRI_ACCOUNTS)
    def test_a_listed_account_is_its_governments_and_any_other_the_default(self):
        self.assertEqual(accounts.government_for("whatsapp", PHONE_ID), self.kediri)
        self.assertEqual(accounts.government_for("whatsapp", "999"), self.blitar)
        self.assertEqual(accounts.government_for("whatsapp", None), self.blitar)
        self.assertEqual(accounts.government_for("sms", KEDIRI_NUMBER), self.kediri)
        self.assertEqual(accounts.government_for("sms", "6281234500000"), self.kediri)
        self.assertEqual(accounts.government_for("email", "aduan@blitarkota.go.id", KEDIRI_MAILBOX), self.kediri)
        # The same id on another channel is another account.
        self.assertEqual(accounts.government_for("instagram", PHONE_ID), self.blitar)

    def test_with_nothing_configured_everything_goes_to_the_default_government(self):
        self.assertEqual(accounts.government_for("whatsapp", PHONE_ID), self.blitar)
        self.assertEqual(accounts.government_for("email", KEDIRI_MAILBOX), self.blitar)

    @override_settings(ADUAN_CHANNEL_GOVERNMENTS={"sms:+6281234500000": "kota-antah"})
    def test_an_account_naming_no_government_is_an_error_not_the_default(self):
        with self.assertRaisesMessage(DomainError, "kota-antah"):
            accounts.government_for("sms", KEDIRI_NUMBER)
        self.kediri.is_active = False
        self.kediri.save()
        with (
            override_settings(ADUAN_CHANNEL_GOVERNMENTS=KEDIRI_ACCOUNTS),
            self.assertRaisesMessage(DomainError, "kota-kediri"),
        ):
            accounts.government_for("sms", KEDIRI_NUMBER)


class WhatsAppGovernmentTests(WhatsAppTestCase, TwoGovernmentsCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        pesantren = factory.make_region("Pesantren", government=cls.kediri)
        cls.bangsal = factory.make_region("Bangsal", parent=pesantren)

    def converse(self, place):
        self.say(DESCRIPTION)
        self.say(place)
        self.say("lewati")
        self.tap("kirim", "Kirim")
        return Report.objects.get(channel=Channel.WHATSAPP)

    @override_settings(ADUAN_CHANNEL_GOVERNMENTS=KEDIRI_ACCOUNTS)
    def test_kediris_number_files_into_kediri_with_kediris_kelurahan(self):
        report = self.converse("Bangsal, Jl. Mawar 12")
        self.assertEqual(report.government, self.kediri)
        self.assertTrue(report.tracking_number.startswith("KDR-"))
        self.assertEqual(report.region, self.bangsal)
        self.assertIn(report.tracking_number, self.last_reply())

    @override_settings(ADUAN_CHANNEL_GOVERNMENTS=KEDIRI_ACCOUNTS)
    def test_another_governments_kelurahan_is_not_matched(self):
        report = self.converse("Bendogerit, Jl. Mawar 12")
        self.assertEqual(report.government, self.kediri)
        self.assertIsNone(report.region)

    def test_an_unlisted_number_files_into_the_default_government(self):
        report = self.converse("Bendogerit, Jl. Mawar 12")
        self.assertEqual(report.government, self.blitar)
        self.assertEqual(report.region, self.kelurahan)


class InstagramGovernmentTests(InstagramTestCase, TwoGovernmentsCase):
    def send_to(self, account):
        payload = instagram_message("text.json", text=DESCRIPTION)
        payload["entry"][0]["id"] = account
        payload["entry"][0]["messaging"][0]["recipient"]["id"] = account
        self.assertEqual(self.post(payload).status_code, 200)
        return Report.objects.get(channel=Channel.INSTAGRAM)

    @override_settings(ADUAN_CHANNEL_GOVERNMENTS=KEDIRI_ACCOUNTS)
    def test_kediris_account_files_into_kediri(self):
        report = self.send_to(KEDIRI_INSTAGRAM)
        self.assertEqual(report.government, self.kediri)
        self.assertTrue(report.tracking_number.startswith("KDR-"))

    @override_settings(ADUAN_CHANNEL_GOVERNMENTS=KEDIRI_ACCOUNTS)
    def test_the_default_account_files_into_the_default_government(self):
        report = self.send_to(IG_ACCOUNT_ID)
        self.assertEqual(report.government, self.blitar)


class SmsGovernmentTests(SmsWebhookTestCase, TwoGovernmentsCase):
    @override_settings(ADUAN_CHANNEL_GOVERNMENTS=KEDIRI_ACCOUNTS)
    def test_kediris_gateway_number_files_into_kediri(self):
        self.assertEqual(self.post(fixture("lapor.json", to=KEDIRI_NUMBER)).status_code, 200)
        report = Report.objects.get(channel=Channel.SMS)
        self.assertEqual(report.government, self.kediri)
        self.assertTrue(report.tracking_number.startswith("KDR-"))
        self.assertIn(report.tracking_number, self.reply_text())

    @override_settings(ADUAN_CHANNEL_GOVERNMENTS=KEDIRI_ACCOUNTS)
    def test_without_to_the_default_government(self):
        self.assertEqual(self.post(fixture("lapor.json")).status_code, 200)
        self.assertEqual(Report.objects.get(channel=Channel.SMS).government, self.blitar)

    @override_settings(ADUAN_CHANNEL_GOVERNMENTS={"sms:+6281234500000": "kota-antah"})
    def test_a_misconfigured_number_keeps_the_message_for_a_human(self):
        self.assertEqual(self.post(fixture("lapor.json", to=KEDIRI_NUMBER)).status_code, 200)
        self.assertFalse(Report.objects.filter(channel=Channel.SMS).exists())
        message = InboundMessage.objects.get(channel="sms")
        self.assertEqual(message.outcome, InboundMessage.Outcome.FAILED)
        self.assertIn("kota-antah", message.error)


def raw_mail(to, *, delivered_to=None):
    message = EmailMessage()
    message["From"] = "Sari Wulandari <sari.wulandari@contoh.id>"
    message["To"] = to
    if delivered_to:
        message["Delivered-To"] = delivered_to
    message["Subject"] = "Lampu jalan mati"
    message["Date"] = "Thu, 12 Mar 2026 19:42:05 +0700"
    message["Message-ID"] = make_msgid(domain="contoh.id")
    message.set_content("Lampu jalan di Jl. Dhoho depan pasar mati sejak seminggu.")
    return message.as_bytes(policy=SMTP)


class EmailGovernmentTests(TwoGovernmentsCase):
    @override_settings(ADUAN_CHANNEL_GOVERNMENTS=KEDIRI_ACCOUNTS)
    def test_mail_to_kediris_address_files_into_kediri(self):
        self.assertEqual(receive(raw_mail(f"ULP Kediri <{KEDIRI_MAILBOX.upper()}>")), "processed")
        report = Report.objects.get(channel=Channel.EMAIL)
        self.assertEqual(report.government, self.kediri)
        self.assertTrue(report.tracking_number.startswith("KDR-"))

    @override_settings(ADUAN_CHANNEL_GOVERNMENTS=KEDIRI_ACCOUNTS)
    def test_the_envelope_address_counts_when_to_is_a_list(self):
        # Delivered to Kediri's mailbox as a Bcc: only the envelope says so.
        self.assertEqual(receive(raw_mail("warga@contoh.id", delivered_to=KEDIRI_MAILBOX)), "processed")
        self.assertEqual(Report.objects.get(channel=Channel.EMAIL).government, self.kediri)

    @override_settings(ADUAN_CHANNEL_GOVERNMENTS=KEDIRI_ACCOUNTS)
    def test_mail_to_another_address_files_into_the_default_government(self):
        self.assertEqual(receive(raw_mail("aduan@blitarkota.go.id")), "processed")
        report = Report.objects.get(channel=Channel.EMAIL)
        self.assertEqual(report.government, self.blitar)
        self.assertTrue(report.tracking_number.startswith(self.blitar.tracking_prefix + "-"))
