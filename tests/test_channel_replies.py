"""A resident hears back from the account they wrote to (ADUAN_CHANNEL_GOVERNMENTS read
the other way: governments/channel_accounts.py, notify.accounts.sending_account): a Kota
Kediri report's messages go out from Kota Kediri's WhatsApp number, Instagram account, SMS
number and mailbox; a Kota Blitar (the default government's) report's from the
installation's own; an answer from the very account the message came to; a retry from the
same account as the first attempt. The outside services are the local fakes."""

import json
import tempfile

from django.core import mail
from django.test import SimpleTestCase, override_settings

from governments import channel_accounts
from intake import accounts
from intake.email.poller import receive
from notify import actions as outbox
from notify.models import OutboxMessage
from reports import actions
from reports.models import Channel, Report
from tests import factory
from tests.base import FakeSmsGatewayMixin
from tests.fakes.graph_api import IG_ACCOUNT_ID, PHONE_ID, TOKEN
from tests.meta_base import FakeGraphApiMixin
from tests.test_channel_governments import raw_mail
from tests.test_instagram_intake import InstagramTestCase
from tests.test_instagram_intake import with_message as instagram_message
from tests.test_settings import start_django
from tests.test_sms_intake import SmsWebhookTestCase
from tests.test_sms_intake import fixture as sms_fixture
from tests.test_tenancy import TwoGovernmentsCase
from tests.test_whatsapp_intake import DESCRIPTION, WhatsAppTestCase
from tests.test_whatsapp_intake import with_message as whatsapp_message

KEDIRI_PHONE_ID = "109876543210"
KEDIRI_INSTAGRAM = "17841400000000001"
KEDIRI_NUMBER = "+6281234500000"
KEDIRI_MAILBOX = "lapor@kedirikota.go.id"
KEDIRI_ACCOUNTS = {
    f"whatsapp:{KEDIRI_PHONE_ID}": "kota-kediri",
    f"instagram:{KEDIRI_INSTAGRAM}": "kota-kediri",
    "sms:081234500000": "kota-kediri",  # written locally: the account is +62…
    "email:Lapor@KediriKota.go.id": "kota-kediri",
}
INSTALLATION_MAILBOX = "aduan@blitarkota.go.id"
RESIDENT_PHONE = "081298765432"


class AccountForTests(TwoGovernmentsCase):
    @override_settings(ADUAN_CHANNEL_GOVERNMENTS=KEDIRI_ACCOUNTS)
    def test_a_governments_account_of_each_channel_normalised_and_none_for_the_others(self):
        self.assertEqual(channel_accounts.account_for("whatsapp", self.kediri), KEDIRI_PHONE_ID)
        self.assertEqual(channel_accounts.account_for("instagram", self.kediri), KEDIRI_INSTAGRAM)
        self.assertEqual(channel_accounts.account_for("sms", self.kediri), KEDIRI_NUMBER)
        self.assertEqual(channel_accounts.account_for("email", self.kediri), KEDIRI_MAILBOX)
        self.assertIsNone(channel_accounts.account_for("whatsapp", self.blitar))
        self.assertIsNone(channel_accounts.account_for("whatsapp", None))

    def test_nothing_configured_no_government_has_an_account(self):
        self.assertIsNone(channel_accounts.account_for("whatsapp", self.kediri))

    @override_settings(ADUAN_CHANNEL_GOVERNMENTS=KEDIRI_ACCOUNTS)
    def test_an_answer_goes_from_the_listed_account_it_came_to_else_the_installations(self):
        self.assertEqual(accounts.answering("sms", "6281234500000"), KEDIRI_NUMBER)
        self.assertEqual(accounts.answering("email", "warga@contoh.id", "LAPOR@kedirikota.go.id"), KEDIRI_MAILBOX)
        # Sent to an account not listed (the installation's own): the installation answers,
        # never from a stranger's address that happened to be in Cc.
        self.assertEqual(accounts.answering("email", "warga@contoh.id"), "")
        self.assertEqual(accounts.answering("whatsapp", PHONE_ID), "")
        # Nothing known about where it came to: the report's government decides later.
        self.assertIsNone(accounts.answering("sms", None))


@override_settings(
    ADUAN_CHANNEL_GOVERNMENTS=KEDIRI_ACCOUNTS,
    ADUAN_WHATSAPP_ACCESS_TOKEN=TOKEN,
    ADUAN_WHATSAPP_PHONE_NUMBER_ID=PHONE_ID,
    ADUAN_INSTAGRAM_ACCESS_TOKEN=TOKEN,
    ADUAN_INSTAGRAM_ACCOUNT_ID=IG_ACCOUNT_ID,
    DEFAULT_FROM_EMAIL=f"Aduan Kota Blitar <{INSTALLATION_MAILBOX}>",
)
class OutboundAccountTests(FakeGraphApiMixin, FakeSmsGatewayMixin, TwoGovernmentsCase):
    """The fake Graph API (``self.graph``) and SMS gateway (``self.gateway``, sender
    "ADUAN") of the shared mixins, Kediri's number and Instagram account added to the fake."""

    def setUp(self):
        super().setUp()
        self.graph.phone_ids.add(KEDIRI_PHONE_ID)
        self.graph.ig_account_ids.add(KEDIRI_INSTAGRAM)
        self.sms_status = 200
        self.gateway.respond = lambda recorded: (self.sms_status, {}, {"id": "out-1"})

    def send(self, report, channel, recipient, key="k"):
        message = outbox.queue(
            channel=channel, recipient=recipient, body="Kabar laporan", report=report, dedupe_key=key
        )
        self.assertEqual(outbox.deliver(message.pk), "sent", OutboxMessage.objects.get(pk=message.pk).last_error)
        return OutboxMessage.objects.get(pk=message.pk)

    def send_everywhere(self, report):
        """One message on each channel about ``report``; (whatsapp and instagram sender
        accounts, the SMS "from", the email)."""
        self.send(report, "whatsapp", RESIDENT_PHONE, key="wa")
        self.send(report, "instagram", "6925489197512334", key="ig")
        self.send(report, "sms", RESIDENT_PHONE, key="sms")
        self.send(report, "email", "siti@example.org", key="mail")
        [email] = mail.outbox
        return self.graph.sent_from, self.gateway.requests[0].json()["from"], email

    def test_a_kediri_reports_messages_go_out_from_kediris_accounts(self):
        sent_from, sms_from, email = self.send_everywhere(self.kediri_report)

        self.assertEqual(sent_from, [KEDIRI_PHONE_ID, KEDIRI_INSTAGRAM])
        self.assertEqual(sms_from, KEDIRI_NUMBER)
        self.assertEqual(email.from_email, KEDIRI_MAILBOX)
        self.assertEqual(email.reply_to, [KEDIRI_MAILBOX])
        self.assertTrue(email.extra_headers["Message-ID"].endswith("@kedirikota.go.id>"))
        self.assertEqual(
            dict(OutboxMessage.objects.values_list("channel", "account")),
            {"whatsapp": KEDIRI_PHONE_ID, "instagram": KEDIRI_INSTAGRAM, "sms": KEDIRI_NUMBER, "email": KEDIRI_MAILBOX},
        )

    def test_a_blitar_reports_messages_go_out_from_the_installations_accounts(self):
        sent_from, sms_from, email = self.send_everywhere(self.blitar_report)

        self.assertEqual(sent_from, [PHONE_ID, IG_ACCOUNT_ID])
        self.assertEqual(sms_from, "ADUAN")
        self.assertEqual(email.from_email, f"Aduan Kota Blitar <{INSTALLATION_MAILBOX}>")
        self.assertEqual(email.reply_to, [])
        self.assertTrue(email.extra_headers["Message-ID"].endswith("@blitarkota.go.id>"))
        self.assertEqual(set(OutboxMessage.objects.values_list("account", flat=True)), {""})

    @override_settings(ADUAN_CHANNEL_GOVERNMENTS={f"whatsapp:{KEDIRI_PHONE_ID}": "kota-kediri"})
    def test_a_government_without_an_account_of_the_channel_sends_from_the_installations(self):
        sent_from, sms_from, email = self.send_everywhere(self.kediri_report)

        self.assertEqual(sent_from, [KEDIRI_PHONE_ID, IG_ACCOUNT_ID])
        self.assertEqual(sms_from, "ADUAN")
        self.assertEqual(email.from_email, f"Aduan Kota Blitar <{INSTALLATION_MAILBOX}>")

    def test_a_staff_message_goes_from_the_installations_account(self):
        message = outbox.queue(
            channel="whatsapp",
            recipient=RESIDENT_PHONE,
            body="Disposisi baru",
            report=self.kediri_report,
            user=self.kediri_liaison,
            dedupe_key="staff",
        )
        self.assertEqual(outbox.deliver(message.pk), "sent")
        self.assertEqual(self.graph.sent_from, [PHONE_ID])

    def test_the_reporter_hears_of_an_action_from_their_governments_number(self):
        report = factory.make_report(
            government=self.kediri,
            category=self.kediri_category,
            reply_channel="whatsapp",
            reporter_phone=RESIDENT_PHONE,
        )
        with self.captureOnCommitCallbacks(execute=False):
            actions.verify_report(report, actor=self.kediri_coordinator)
        self.assertEqual(outbox.deliver_due(), 1)

        self.assertEqual(self.graph.sent_from, [KEDIRI_PHONE_ID])
        self.assertIn(report.tracking_number, self.graph.texts()[0])

    def test_a_retry_goes_from_the_same_account_even_after_the_setting_changed(self):
        self.sms_status = 503
        message = outbox.queue(
            channel="sms", recipient=RESIDENT_PHONE, body="Kabar", report=self.kediri_report, dedupe_key="sms"
        )
        self.assertEqual(outbox.deliver(message.pk), "queued")
        message.refresh_from_db()
        self.sms_status = 200
        with override_settings(ADUAN_CHANNEL_GOVERNMENTS={}):
            self.assertEqual(outbox.deliver(message.pk, now=message.next_attempt_at), "sent")

        self.assertEqual([r.json()["from"] for r in self.gateway.requests], [KEDIRI_NUMBER, KEDIRI_NUMBER])

    def test_the_coordinators_retry_of_a_failed_message_keeps_its_account(self):
        self.graph.tokens[KEDIRI_PHONE_ID] = "token-kediri"  # Meta refuses the shared token
        message = outbox.queue(
            channel="whatsapp", recipient=RESIDENT_PHONE, body="Kabar", report=self.kediri_report, dedupe_key="wa"
        )
        self.assertEqual(outbox.deliver(message.pk), "failed")
        self.assertIn("401", OutboxMessage.objects.get(pk=message.pk).last_error)

        with override_settings(ADUAN_WHATSAPP_ACCESS_TOKENS={KEDIRI_PHONE_ID: "token-kediri"}):
            outbox.retry(message, actor=self.kediri_coordinator)
            self.assertEqual(outbox.deliver(message.pk), "sent")

        self.assertEqual(self.graph.sent_from, [KEDIRI_PHONE_ID])
        self.assertEqual(self.graph.requests[-1].headers["Authorization"], "Bearer token-kediri")

    @override_settings(
        ADUAN_WHATSAPP_ACCESS_TOKENS={KEDIRI_PHONE_ID: "token-kediri"},
        ADUAN_INSTAGRAM_ACCESS_TOKENS={KEDIRI_INSTAGRAM: "token-ig-kediri"},
    )
    def test_an_account_with_a_token_of_its_own_sends_with_it_the_others_with_the_shared_one(self):
        self.graph.tokens.update({KEDIRI_PHONE_ID: "token-kediri", KEDIRI_INSTAGRAM: "token-ig-kediri"})
        self.send(self.kediri_report, "whatsapp", RESIDENT_PHONE, key="wa-kediri")
        self.send(self.kediri_report, "instagram", "6925489197512334", key="ig-kediri")
        self.send(self.blitar_report, "whatsapp", RESIDENT_PHONE, key="wa-blitar")

        self.assertEqual(self.graph.sent_from, [KEDIRI_PHONE_ID, KEDIRI_INSTAGRAM, PHONE_ID])
        tokens = [r.headers["Authorization"] for r in self.graph.requests]
        self.assertEqual(tokens, ["Bearer token-kediri", "Bearer token-ig-kediri", f"Bearer {TOKEN}"])

    def test_a_message_after_the_resident_wrote_goes_from_the_account_they_wrote_to(self):
        # Kediri's resident wrote to the installation's number (an answer from it is
        # recorded); then the report was referred to Blitar, which has a number of its own.
        outbox.queue(
            channel="whatsapp",
            recipient=RESIDENT_PHONE,
            body="Terima kasih, pesan Anda sudah kami tambahkan.",
            report=self.kediri_report,
            received_on="",
            dedupe_key="answer",
        )
        with override_settings(ADUAN_CHANNEL_GOVERNMENTS={**KEDIRI_ACCOUNTS, "whatsapp:555000111": "kota-blitar"}):
            later = outbox.queue(
                channel="whatsapp", recipient=RESIDENT_PHONE, body="Kabar", report=self.kediri_report, dedupe_key="l"
            )
            other = outbox.queue(
                channel="whatsapp", recipient=RESIDENT_PHONE, body="Kabar", report=self.blitar_report, dedupe_key="o"
            )
            by_sms = outbox.queue(
                channel="sms", recipient=RESIDENT_PHONE, body="Kabar", report=self.kediri_report, dedupe_key="s"
            )
        self.assertEqual(later.account, "")  # where the resident wrote, not Kediri's number
        self.assertEqual(other.account, "555000111")  # no answer recorded: the government's
        self.assertEqual(by_sms.account, KEDIRI_NUMBER)  # another channel: the government's

    def test_an_invalid_account_fails_the_message_without_a_request(self):
        message = outbox.queue(
            channel="whatsapp",
            recipient=RESIDENT_PHONE,
            body="Kabar",
            report=self.kediri_report,
            received_on="../../me",
            dedupe_key="bad",
        )
        self.assertEqual(outbox.deliver(message.pk), "failed")
        self.assertIn("phone-number id", OutboxMessage.objects.get(pk=message.pk).last_error)
        self.assertEqual(self.graph.requests, [])


@override_settings(ADUAN_CHANNEL_GOVERNMENTS=KEDIRI_ACCOUNTS)
class WhatsAppAnswerTests(WhatsAppTestCase, TwoGovernmentsCase):
    def setUp(self):
        super().setUp()
        self.graph.phone_ids.add(KEDIRI_PHONE_ID)

    def say_to(self, phone_id, text):
        payload = whatsapp_message("text.json", text={"body": text})
        payload["entry"][0]["changes"][0]["value"]["metadata"]["phone_number_id"] = phone_id
        self.assertEqual(self.post(payload).status_code, 200)

    def test_the_conversation_on_kediris_number_is_answered_from_it(self):
        self.say_to(KEDIRI_PHONE_ID, DESCRIPTION)
        self.say_to(PHONE_ID, "halo")

        self.assertEqual(self.graph.sent_from, [KEDIRI_PHONE_ID, PHONE_ID])
        self.assertEqual(
            list(OutboxMessage.objects.order_by("pk").values_list("account", "answers_inbound")),
            [(KEDIRI_PHONE_ID, True), ("", True)],
        )

    def test_after_a_referral_the_reporter_still_hears_from_the_number_they_wrote_to(self):
        self.graph.phone_ids.add("555000111")
        for text in (DESCRIPTION, "Pesantren, Jl. Mawar 12", "lewati"):
            self.say_to(KEDIRI_PHONE_ID, text)
        payload = whatsapp_message(
            "interactive_button_reply.json",
            interactive={"type": "button_reply", "button_reply": {"id": "kirim", "title": "Kirim"}},
        )
        payload["entry"][0]["changes"][0]["value"]["metadata"]["phone_number_id"] = KEDIRI_PHONE_ID
        self.post(payload)
        report = Report.objects.get(channel=Channel.WHATSAPP)
        self.assertEqual(report.government, self.kediri)
        before = len(self.graph.sent_from)
        with override_settings(ADUAN_CHANNEL_GOVERNMENTS={**KEDIRI_ACCOUNTS, "whatsapp:555000111": "kota-blitar"}):
            with self.captureOnCommitCallbacks(execute=True):
                actions.refer_report(
                    report, actor=self.kediri_coordinator, government=self.blitar, reason="Wilayah Blitar"
                )
                report.refresh_from_db()
                actions.verify_report(report, actor=self.coordinator, category=self.category)
            self.assertEqual(report.government, self.blitar)

        self.assertEqual(len(self.graph.sent_from), before + 1)  # the verification
        self.assertEqual(set(self.graph.sent_from), {KEDIRI_PHONE_ID})
        self.assertIn("diverifikasi", self.graph.texts()[-1])


@override_settings(ADUAN_CHANNEL_GOVERNMENTS=KEDIRI_ACCOUNTS)
class InstagramAnswerTests(InstagramTestCase, TwoGovernmentsCase):
    def test_a_message_to_kediris_account_is_answered_from_it(self):
        self.graph.ig_account_ids.add(KEDIRI_INSTAGRAM)
        payload = instagram_message("text.json", text=DESCRIPTION)
        payload["entry"][0]["id"] = KEDIRI_INSTAGRAM
        payload["entry"][0]["messaging"][0]["recipient"]["id"] = KEDIRI_INSTAGRAM
        self.assertEqual(self.post(payload).status_code, 200)

        self.assertEqual(Report.objects.get(channel=Channel.INSTAGRAM).government, self.kediri)
        self.assertEqual(set(self.graph.sent_from), {KEDIRI_INSTAGRAM})
        self.assertTrue(self.graph.instagram_texts())


@override_settings(ADUAN_CHANNEL_GOVERNMENTS=KEDIRI_ACCOUNTS)
class SmsAnswerTests(SmsWebhookTestCase, TwoGovernmentsCase):
    def senders(self):
        return [json.loads(r.body)["from"] for r in self.gateway.requests]

    def test_an_sms_to_kediris_number_is_answered_from_it(self):
        self.post(sms_fixture("lapor.json", to="6281234500000"))
        self.assertEqual(Report.objects.get(channel=Channel.SMS).government, self.kediri)
        self.assertEqual(set(self.senders()), {KEDIRI_NUMBER})

    def test_an_sms_to_the_installations_number_about_a_kediri_report_is_answered_from_it(self):
        factory.make_report(government=self.kediri, category=self.kediri_category, reporter_phone="081234567890")
        self.post(sms_fixture("lapor.json", id="gw-2", text="Masih mati sampai sekarang", to="+6281199990000"))
        self.assertEqual(set(self.senders()), {"ADUAN"})

    def test_without_to_the_answer_goes_from_the_reports_government(self):
        report = factory.make_report(
            government=self.kediri, category=self.kediri_category, reporter_phone="081234567890"
        )
        self.post(sms_fixture("lapor.json", id="gw-3", text="Masih mati sampai sekarang"))
        self.assertEqual(report.outbox_messages.get().account, KEDIRI_NUMBER)
        self.assertEqual(set(self.senders()), {KEDIRI_NUMBER})


@override_settings(ADUAN_CHANNEL_GOVERNMENTS=KEDIRI_ACCOUNTS, DEFAULT_FROM_EMAIL=INSTALLATION_MAILBOX)
class EmailAnswerTests(TwoGovernmentsCase):
    def deliver(self):
        self.assertEqual(outbox.deliver_due(), 1)
        [email] = mail.outbox
        return email

    def test_mail_to_kediris_mailbox_is_answered_from_it(self):
        self.assertEqual(receive(raw_mail(f"ULP Kediri <{KEDIRI_MAILBOX.upper()}>, warga@contoh.id")), "processed")
        email = self.deliver()
        self.assertEqual((email.from_email, email.reply_to), (KEDIRI_MAILBOX, [KEDIRI_MAILBOX]))
        self.assertEqual(email.to, ["sari.wulandari@contoh.id"])

    def test_mail_to_another_address_is_answered_from_the_installations(self):
        self.assertEqual(receive(raw_mail("warga@contoh.id", delivered_to=INSTALLATION_MAILBOX)), "processed")
        email = self.deliver()
        self.assertEqual((email.from_email, email.reply_to), (INSTALLATION_MAILBOX, []))


class TokenSettingTests(SimpleTestCase):
    SHOW = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.ADUAN_WHATSAPP_ACCESS_TOKENS, s.ADUAN_INSTAGRAM_ACCESS_TOKENS)"
    )

    def test_own_tokens_are_read_from_the_environment_or_a_file(self):
        with tempfile.NamedTemporaryFile("w", suffix=".txt") as file:
            file.write(f"{KEDIRI_INSTAGRAM}=IGAA-kediri==\n")
            file.flush()
            result = start_django(
                self.SHOW,
                ADUAN_WHATSAPP_ACCESS_TOKENS=f" {KEDIRI_PHONE_ID}=EAAG-kediri , 555=EAAG-lain",
                ADUAN_INSTAGRAM_ACCESS_TOKENS_FILE=file.name,
            )
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual(
            result.stdout.strip(),
            f"{{'{KEDIRI_PHONE_ID}': 'EAAG-kediri', '555': 'EAAG-lain'}} {{'{KEDIRI_INSTAGRAM}': 'IGAA-kediri=='}}",
        )

    def test_an_entry_without_its_account_stops_the_start_without_showing_the_token(self):
        result = start_django(ADUAN_WHATSAPP_ACCESS_TOKENS="EAAG-rahasia-tanpa-akun")
        self.assertNotEqual(result.returncode, 0)
        self.assertIn("ADUAN_WHATSAPP_ACCESS_TOKENS", result.stderr)
        self.assertNotIn("EAAG-rahasia", result.stderr)
