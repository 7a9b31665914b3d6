"""The coordinator's page of failed and retrying deliveries, /kerja/pengiriman/."""

from django.conf import settings
from django.core import mail
from django.test import override_settings
from django.urls import reverse

from core import queues
from notify import actions as outbox
from notify.models import MessageTemplate, OutboxMessage
from tests import factory
from tests.base import AduanTestCase, TwoGovernmentsBase

URL = "/kerja/pengiriman/"
IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend", "QUEUES": queues.ALL}}


class DeliveriesPageTests(AduanTestCase):
    def setUp(self):
        self.report = self.make_report(reply_channel="sms")
        self.failed = self.message("failed", attempts=6, last_error="POST /messages: HTTP 503 busy")
        self.retrying = self.message("queued", attempts=2, last_error="timeout", recipient="siti@example.org")
        self.sent = self.message("sent", attempts=1, body="Pesan yang sudah terkirim.")
        self.waiting = self.message("queued", attempts=0, body="Pesan yang belum dicoba.")

    def message(self, state, *, attempts, last_error="", recipient="081234567890", body=None, report=None):
        message = outbox.queue(
            channel="email" if "@" in recipient else "sms",
            recipient=recipient,
            body=body or f"Laporan {self.report.tracking_number} telah diverifikasi ({state}, {attempts}).",
            subject=f"[{self.report.tracking_number}] Laporan Anda terverifikasi",
            report=report or self.report,
            dedupe_key=f"page:{state}:{attempts}:{recipient}",
        )
        OutboxMessage.objects.filter(pk=message.pk).update(state=state, attempts=attempts, last_error=last_error)
        message.refresh_from_db()
        return message

    def test_the_coordinator_sees_failed_and_retrying_messages_only(self):
        self.login(self.coordinator)
        response = self.client.get(URL)

        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "HTTP 503 busy")
        self.assertContains(response, "timeout")
        self.assertContains(response, self.report.tracking_number)
        self.assertNotContains(response, "Pesan yang sudah terkirim.")
        self.assertNotContains(response, "Pesan yang belum dicoba.")
        self.assertContains(response, "Kirim ulang</button>", count=2)

    def test_recipients_are_masked(self):
        self.login(self.coordinator)
        response = self.client.get(URL)
        self.assertContains(response, "****7890")
        self.assertContains(response, "s***@example.org")
        self.assertNotContains(response, "081234567890")
        self.assertNotContains(response, "siti@example.org")

    def test_the_text_of_a_confidential_report_is_not_shown(self):
        secret = self.make_report(is_confidential=True, description="Pungutan liar di pasar.")
        self.message("failed", attempts=6, body="Isi rahasia: pungutan liar.", report=secret, recipient="0857")
        self.login(self.coordinator)
        response = self.client.get(URL)
        self.assertContains(response, secret.tracking_number)
        self.assertNotContains(response, "Isi rahasia")

    def test_liaisons_executives_and_agency_heads_are_refused(self):
        for user in (self.pw_liaison, self.transport_liaison, self.executive, self.pw_head, self.outsider):
            with self.subTest(user=user.username):
                self.login(user)
                self.assertEqual(self.client.get(URL).status_code, 403)
                response = self.client.post(reverse("workspace:retry_delivery", args=[self.failed.pk]))
                self.assertEqual(response.status_code, 403)
        self.failed.refresh_from_db()
        self.assertEqual(self.failed.state, "failed")

    def test_a_visitor_is_sent_to_the_login_page(self):
        response = self.client.get(URL)
        self.assertEqual(response.status_code, 302)
        self.assertIn(reverse("workspace:login"), response["Location"])

    def test_the_query_count_does_not_grow_with_the_rows(self):
        self.login(self.coordinator)
        self.client.get(URL)
        with self.assertNumQueries(4) as first:
            self.client.get(URL)
        for number in range(10):
            self.message("failed", attempts=6, recipient=f"08123456{number:04d}")
        with self.assertNumQueries(len(first.captured_queries)):
            self.client.get(URL)

    def test_the_coordinator_nav_links_to_the_page_and_a_liaisons_does_not(self):
        self.login(self.coordinator)
        self.assertContains(self.client.get(reverse("workspace:reports")), f'href="{URL}"')
        self.login(self.pw_liaison)
        self.assertNotContains(self.client.get(reverse("workspace:reports")), f'href="{URL}"')

    @override_settings(TASKS=IMMEDIATE)
    def test_kirim_ulang_sends_a_failed_email_again(self):
        failed_email = self.message("failed", attempts=6, last_error="SMTP down", recipient="budi@example.org")
        self.login(self.coordinator)

        with self.captureOnCommitCallbacks(execute=True):
            response = self.client.post(reverse("workspace:retry_delivery", args=[failed_email.pk]), follow=True)

        self.assertRedirects(response, URL)
        self.assertContains(response, "dijadwalkan untuk dikirim ulang")
        failed_email.refresh_from_db()
        self.assertEqual(failed_email.state, "sent")
        self.assertEqual(failed_email.attempts, 1)
        self.assertEqual(mail.outbox[0].to, ["budi@example.org"])

    def test_a_sent_message_cannot_be_sent_again(self):
        self.login(self.coordinator)
        response = self.client.post(reverse("workspace:retry_delivery", args=[self.sent.pk]), follow=True)
        self.assertContains(response, "sudah terkirim")
        self.sent.refresh_from_db()
        self.assertEqual((self.sent.state, self.sent.attempts), ("sent", 1))

    def test_retry_is_post_only_and_an_unknown_message_is_404(self):
        self.login(self.coordinator)
        self.assertEqual(self.client.get(reverse("workspace:retry_delivery", args=[self.failed.pk])).status_code, 405)
        self.assertEqual(self.client.post(reverse("workspace:retry_delivery", args=[999999])).status_code, 404)


KEDIRI_PHONE_ID = "109876543210"


@override_settings(ADUAN_CHANNEL_GOVERNMENTS={f"whatsapp:{KEDIRI_PHONE_ID}": "kota-kediri"})
class DeliveryAccountTests(TwoGovernmentsBase):
    """With several governments' numbers, the page says which one a message went out from;
    nothing for the installation's own."""

    def failed_whatsapp(self, report, key):
        message = outbox.queue(
            channel="whatsapp", recipient="081234567890", body="Kabar", report=report, dedupe_key=key
        )
        OutboxMessage.objects.filter(pk=message.pk).update(state="failed", attempts=6, last_error="HTTP 401")
        return message

    def test_a_kediri_message_names_kediris_account_and_a_home_one_none(self):
        kediri = self.failed_whatsapp(factory.make_report(government=self.kediri, category=self.kediri_category), "k")
        home = self.failed_whatsapp(self.make_report(), "h")
        self.assertEqual((kediri.account, home.account), (KEDIRI_PHONE_ID, ""))
        # A report referred to Kota Blitar keeps the number its reporter wrote to.
        referred = self.failed_whatsapp(self.make_report(), "r")
        OutboxMessage.objects.filter(pk=referred.pk).update(account=KEDIRI_PHONE_ID)
        self.login(self.coordinator)

        response = self.client.get(URL)

        self.assertContains(response, f"dari akun Kota Kediri ({KEDIRI_PHONE_ID})", count=1)
        self.assertContains(response, "dari akun", count=1)
        self.client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        english = self.client.get(URL)
        self.assertContains(english, f"from Kota Kediri's account ({KEDIRI_PHONE_ID})", count=1)

    def test_an_account_no_longer_listed_is_still_shown(self):
        self.failed_whatsapp(factory.make_report(government=self.kediri, category=self.kediri_category), "k")
        self.login(self.kediri_coordinator)
        with override_settings(ADUAN_CHANNEL_GOVERNMENTS={}):
            response = self.client.get(URL)
        self.assertContains(response, f"dari akun {KEDIRI_PHONE_ID}<", count=1)


@override_settings(ADUAN_CHANNEL_GOVERNMENTS={f"whatsapp:{KEDIRI_PHONE_ID}": "kota-kediri"})
class DeliveriesTenancyTests(TwoGovernmentsBase):
    """Each government's coordinators read only their own failed messages: about their
    reports, to their staff, or (a greeting, an alert) sent from their own account — the
    installation's being the home government's."""

    def failed(self, key, *, channel="sms", report=None, user=None, account=""):
        message = outbox.queue(
            channel=channel, recipient="081234567890", body=f"Pesan {key}", report=report, user=user, dedupe_key=key
        )
        OutboxMessage.objects.filter(pk=message.pk).update(state="failed", attempts=6, account=account)
        return message

    def setUp(self):
        self.failed("blitar-report", report=self.make_report())
        self.failed("blitar-staff", user=self.pw_liaison)
        self.failed("blitar-greeting", channel="whatsapp")
        self.kediri_message = self.failed(
            "kediri-report", report=factory.make_report(government=self.kediri, category=self.kediri_category)
        )
        self.failed("kediri-staff", user=self.kediri_liaison)
        self.failed("kediri-greeting", channel="whatsapp", account=KEDIRI_PHONE_ID)

    def shown(self, user):
        self.login(user)
        response = self.client.get(URL)
        self.assertEqual(response.status_code, 200)
        page = response.content.decode()
        return {
            f"{town}-{kind}"
            for town in ("blitar", "kediri")
            for kind in ("report", "staff", "greeting")
            if f"Pesan {town}-{kind}" in page
        }

    def test_each_coordinator_reads_only_their_governments_messages(self):
        self.assertEqual(self.shown(self.coordinator), {"blitar-report", "blitar-staff", "blitar-greeting"})
        self.assertEqual(self.shown(self.kediri_coordinator), {"kediri-report", "kediri-staff", "kediri-greeting"})

    def test_another_governments_message_cannot_be_sent_again(self):
        self.login(self.coordinator)
        response = self.client.post(reverse("workspace:retry_delivery", args=[self.kediri_message.pk]))
        self.assertEqual(response.status_code, 404)
        self.kediri_message.refresh_from_db()
        self.assertEqual((self.kediri_message.state, self.kediri_message.attempts), ("failed", 6))


class OutboxAdminTests(AduanTestCase):
    def setUp(self):
        self.admin = factory.make_user("admin_sistem", is_staff=True, is_superuser=True)
        self.login(self.admin)

    def test_templates_are_edited_in_the_admin_and_broken_syntax_is_refused(self):
        template = MessageTemplate.objects.get(code="report_verified", language="id", channel="any")
        url = reverse("admin:notify_messagetemplate_change", args=[template.pk])
        data = {"code": template.code, "language": "id", "channel": "any", "subject": "S", "description": ""}

        response = self.client.post(url, {**data, "body": "Laporan {% if %}"})
        self.assertEqual(response.status_code, 200)  # the form again, with the error
        template.refresh_from_db()
        self.assertNotEqual(template.body, "Laporan {% if %}")

        response = self.client.post(url, {**data, "body": "Laporan {{ tracking_number }} diverifikasi."})
        self.assertEqual(response.status_code, 302)
        template.refresh_from_db()
        self.assertEqual(template.body, "Laporan {{ tracking_number }} diverifikasi.")

    def test_messages_and_attempts_are_read_only(self):
        message = outbox.queue(channel="email", recipient="a@example.org", subject="s", body="b", dedupe_key="k")
        self.assertEqual(self.client.get(reverse("admin:notify_outboxmessage_changelist")).status_code, 200)
        self.assertEqual(self.client.get(reverse("admin:notify_outboxmessage_add")).status_code, 403)
        self.assertEqual(self.client.get(reverse("admin:notify_deliveryattempt_add")).status_code, 403)
        response = self.client.post(reverse("admin:notify_outboxmessage_delete", args=[message.pk]), {"post": "yes"})
        self.assertEqual(response.status_code, 403)
        self.assertTrue(OutboxMessage.objects.filter(pk=message.pk).exists())
