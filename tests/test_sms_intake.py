"""The SMS webhook, with tests/fakes/server.py standing in for the SMS gateway."""

import datetime as dt
import json
from pathlib import Path
from unittest import mock

from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from core import queues
from core.errors import DomainError
from intake.models import InboundMessage
from intake.sms import handler as sms
from reports import actions
from reports.models import Channel, Report, ReportEvent, Status
from tests.base import IMMEDIATE, AduanTestCase, FakeSmsGatewayMixin

SECRET = "rahasia-webhook-sms"
FIXTURES = Path(__file__).parent / "fixtures" / "sms"
URL = "/webhooks/sms/"


def fixture(name, **overrides):
    return {**json.loads((FIXTURES / name).read_text()), **overrides}


# The handling task runs on commit, in the request's thread (a worker in production).
@override_settings(ADUAN_SMS_WEBHOOK_SECRET=SECRET, TASKS=IMMEDIATE)
class SmsWebhookTestCase(FakeSmsGatewayMixin, AduanTestCase):
    def setUp(self):
        super().setUp()
        self.gateway.respond = self._gateway_answer

    def _gateway_answer(self, recorded):
        return 200, {}, {"id": f"out-{len(self.gateway.requests)}"}

    def post(self, payload, *, secret=SECRET, **extra):
        headers = {"X-Aduan-Secret": secret} if secret is not None else {}
        with self.captureOnCommitCallbacks(execute=True):
            return self.client.post(
                URL, data=json.dumps(payload), content_type="application/json", headers=headers, **extra
            )

    def replies(self, to=None):
        """The texts the gateway received (joined per request), optionally for one number."""
        return [r.json()["text"] for r in self.gateway.requests if to is None or r.json()["to"] == to]

    def reply_text(self):
        return " ".join(self.replies())

    def sms_report(self, **overrides):
        overrides.setdefault("reporter_phone", "0812-3456-7890")
        return self.make_report(**overrides)


class LaporTests(SmsWebhookTestCase):
    def test_signed_lapor_sms_creates_one_sms_report_and_replies_with_tracking_number(self):
        response = self.post(fixture("lapor.json"))

        self.assertEqual(response.status_code, 200)
        report = Report.objects.get()
        self.assertEqual(report.channel, Channel.SMS)
        self.assertEqual(report.reply_channel, "sms")
        self.assertEqual(report.reporter_phone, "+6281234567890")
        self.assertEqual(report.channel_reference, "gw-20260312-000417")
        self.assertTrue(report.description.startswith("Lampu jalan di Jl. Merdeka"))
        self.assertEqual(report.received_at.isoformat(), "2026-03-12T12:42:05+00:00")
        message = InboundMessage.objects.get()
        self.assertEqual((message.channel, message.outcome, message.report), ("sms", "processed", report))
        self.assertEqual(message.sender, "+6281234567890")
        self.assertIsNotNone(message.processed_at)

        request = self.gateway.requests[0]
        self.assertEqual((request.method, request.path), ("POST", "/messages"))
        self.assertEqual(request.headers["Authorization"], "Bearer token-uji")
        self.assertEqual(request.json()["to"], "+6281234567890")
        self.assertEqual(request.json()["from"], "ADUAN")
        self.assertIn(report.tracking_number, self.reply_text())
        self.assertIn(reverse("portal:track_detail", args=[report.secret]), self.reply_text())

    def test_lapor_keyword_is_recognised_in_its_usual_spellings(self):
        for number, text in enumerate(["lapor jalan berlubang", "LAPOR: jalan berlubang", "Lapor#jalan berlubang"]):
            with self.subTest(text=text):
                self.post(fixture("lapor.json", id=f"variant-{number}", text=text))
                self.assertEqual(Report.objects.latest("pk").description, "jalan berlubang")
        self.assertEqual(Report.objects.count(), 3)

    def test_a_word_merely_starting_with_lapor_is_not_the_keyword(self):
        self.post(fixture("lapor.json", text="LAPORAN jalan berlubang"))

        self.assertFalse(Report.objects.exists())
        self.assertEqual(InboundMessage.objects.get().outcome, "ignored")

    def test_empty_lapor_gets_the_how_to_and_no_report(self):
        self.post(fixture("lapor.json", text="LAPOR  "))

        self.assertFalse(Report.objects.exists())
        self.assertEqual(InboundMessage.objects.get().outcome, "ignored")
        self.assertIn("Ketik LAPOR <isi laporan>".lower(), self.reply_text().lower())

    def test_same_message_id_twice_creates_one_report_and_one_reply(self):
        self.post(fixture("lapor.json"))
        sent = len(self.gateway.requests)

        response = self.post(fixture("lapor.json"))

        self.assertEqual(response.status_code, 200)
        self.assertEqual(Report.objects.count(), 1)
        self.assertEqual(InboundMessage.objects.count(), 1)
        self.assertEqual(len(self.gateway.requests), sent)

    def test_a_handled_message_delivered_again_is_not_queued_again(self):
        self.post(fixture("lapor.json"))
        with mock.patch("intake.sms.webhook.enqueue") as enqueue:
            self.assertEqual(self.post(fixture("lapor.json")).status_code, 200)
        enqueue.assert_not_called()

    def test_handling_a_handled_message_again_does_nothing(self):
        self.post(fixture("lapor.json"))
        message, sent = InboundMessage.objects.get(), len(self.gateway.requests)
        with self.captureOnCommitCallbacks(execute=True):
            sms.handle(message.pk)
        self.assertEqual(Report.objects.count(), 1)
        self.assertEqual(len(self.gateway.requests), sent)

    def test_a_redelivered_message_left_pending_by_a_crash_is_handled(self):
        payload = fixture("lapor.json")
        InboundMessage.objects.create(
            channel="sms", provider_id=payload["id"], sender="+6281234567890", text=payload["text"], payload=payload
        )

        self.post(fixture("lapor.json"))

        message = InboundMessage.objects.get()
        self.assertEqual(message.outcome, "processed")
        self.assertEqual(Report.objects.get(), message.report)

    def test_form_encoded_sms_is_accepted(self):
        with self.captureOnCommitCallbacks(execute=True):
            response = self.client.post(
                URL,
                {"id": "form-1", "from": "0812 3456 7890", "text": "LAPOR sampah menumpuk di pasar"},
                headers={"X-Aduan-Secret": SECRET},
            )

        self.assertEqual(response.status_code, 200)
        report = Report.objects.get()
        self.assertEqual((report.description, report.reporter_phone), ("sampah menumpuk di pasar", "+6281234567890"))
        self.assertIn(report.tracking_number, self.reply_text())

    def test_naive_received_at_is_read_as_blitar_time(self):
        self.post(fixture("lapor.json", received_at="2026-03-12T19:42:05"))

        self.assertEqual(Report.objects.get().received_at.isoformat(), "2026-03-12T12:42:05+00:00")

    def test_replies_are_indonesian_whatever_the_gateway_asks_for(self):
        self.post(fixture("lapor.json"), HTTP_ACCEPT_LANGUAGE="en")

        self.assertIn("Laporan Anda diterima", self.reply_text())


class RefusedTests(SmsWebhookTestCase):
    def assertNothingStored(self):
        self.assertFalse(InboundMessage.objects.exists())
        self.assertFalse(Report.objects.exists())
        self.assertEqual(self.gateway.requests, [])

    def test_wrong_secret_is_refused_and_nothing_stored(self):
        self.assertEqual(self.post(fixture("lapor.json"), secret="tebakan").status_code, 403)
        self.assertNothingStored()

    def test_missing_secret_is_refused_and_nothing_stored(self):
        self.assertEqual(self.post(fixture("lapor.json"), secret=None).status_code, 403)
        self.assertNothingStored()

    def test_unconfigured_webhook_refuses_even_an_empty_secret(self):
        with override_settings(ADUAN_SMS_WEBHOOK_SECRET=""):
            self.assertEqual(self.post(fixture("lapor.json"), secret="").status_code, 403)
        self.assertNothingStored()

    def test_get_is_not_allowed(self):
        self.assertEqual(self.client.get(URL, headers={"X-Aduan-Secret": SECRET}).status_code, 405)

    def test_malformed_json_is_refused_logged_and_nothing_stored(self):
        with self.assertLogs("intake.sms", "WARNING") as logs:
            response = self.client.post(
                URL, data=b"{not json", content_type="application/json", headers={"X-Aduan-Secret": SECRET}
            )

        self.assertEqual(response.status_code, 400)
        self.assertIn("invalid JSON", logs.output[0])
        self.assertNothingStored()

    def test_a_body_nested_100000_levels_deep_is_refused_with_400_and_nothing_stored(self):
        deep = b"[" * 100_000 + b"]" * 100_000
        with self.assertLogs("intake.sms", "WARNING") as logs:
            response = self.client.post(
                URL, data=deep, content_type="application/json", headers={"X-Aduan-Secret": SECRET}
            )

        self.assertEqual(response.status_code, 400)
        self.assertIn("nested", logs.output[0])
        self.assertNothingStored()

    def test_payloads_missing_a_field_or_with_bad_values_are_refused(self):
        payload = fixture("lapor.json")
        bad = {
            "no id": {k: v for k, v in payload.items() if k != "id"},
            "no from": {k: v for k, v in payload.items() if k != "from"},
            "no text": {k: v for k, v in payload.items() if k != "text"},
            "empty id": {**payload, "id": " "},
            "not a phone": {**payload, "from": "TELKOMSEL"},
            "bad time": {**payload, "received_at": "kemarin sore"},
            "not an object": [payload],
        }
        for name, body in bad.items():
            with self.subTest(name), self.assertLogs("intake.sms", "WARNING"):
                self.assertEqual(self.post(body).status_code, 400)
        self.assertNothingStored()


class StatusTests(SmsWebhookTestCase):
    def test_status_answers_the_phone_that_reported(self):
        report = self.sms_report()

        self.post(fixture("status.json", text=f"STATUS {report.tracking_number.lower()}"))

        self.assertEqual(self.replies(), [f"Status laporan {report.tracking_number}: Diterima."])
        message = InboundMessage.objects.get()
        self.assertEqual((message.outcome, message.report), ("processed", report))

    def test_cek_of_a_held_report_repeats_the_question(self):
        report = actions.hold_report(self.sms_report(), actor=self.coordinator, question="Di depan nomor berapa?")

        self.post(fixture("status.json", text=f"CEK {report.tracking_number}"))

        self.assertIn("Di depan nomor berapa?", self.reply_text())

    def test_status_of_another_phones_report_says_not_found(self):
        report = self.sms_report(reporter_phone="085700001111")

        self.post(fixture("status.json", text=f"STATUS {report.tracking_number}"))
        self.post(fixture("status.json", id="other", text="STATUS BLT-2026-999999"))

        leaked, unknown = self.replies()
        self.assertEqual(leaked, f"Laporan {report.tracking_number} tidak ditemukan untuk nomor HP ini.")
        self.assertEqual(unknown, "Laporan BLT-2026-999999 tidak ditemukan untuk nomor HP ini.")
        self.assertFalse(InboundMessage.objects.filter(report__isnull=False).exists())


class FreeTextTests(SmsWebhookTestCase):
    def test_free_text_attaches_to_the_phones_most_recent_open_report(self):
        older = self.sms_report()
        newer = self.sms_report()
        self.sms_report(reporter_phone="085700001111")

        self.post(fixture("free_text.json"))

        event = ReportEvent.objects.filter(action="reporter_message").get()
        self.assertEqual(event.report, newer)
        self.assertEqual(event.message, "Lampunya di tiang ketiga dari perempatan, sebelah warung Bu Sri.")
        self.assertEqual(InboundMessage.objects.get().report, newer)
        self.assertIn(newer.tracking_number, self.reply_text())
        self.assertFalse(older.events.filter(action="reporter_message").exists())

    def test_free_text_answers_the_question_of_a_held_report(self):
        report = actions.hold_report(self.sms_report(), actor=self.coordinator, question="Di depan nomor berapa?")

        self.post(fixture("free_text.json"))

        report.refresh_from_db()
        self.assertEqual(report.status, Status.RECEIVED)
        self.assertEqual(report.events.latest("created_at", "pk").action, "reporter_replied")
        self.assertIn("jawaban Anda", self.reply_text())

    def test_free_text_ignores_closed_reports_of_the_phone(self):
        report = self.sms_report()
        actions.archive_report(report, actor=self.coordinator, reason="spam")

        self.post(fixture("free_text.json"))

        self.assertEqual(InboundMessage.objects.get().outcome, "ignored")
        self.assertFalse(ReportEvent.objects.filter(action="reporter_message").exists())

    def test_free_text_from_an_unknown_phone_gets_the_how_to_and_is_ignored(self):
        self.post(fixture("free_text.json"))

        message = InboundMessage.objects.get()
        self.assertEqual((message.outcome, message.report), ("ignored", None))
        self.assertIn("ketik LAPOR <isi laporan>", self.reply_text())
        self.assertEqual(self.gateway.requests[0].json()["to"], "+6281234567890")


class FailureTests(SmsWebhookTestCase):
    def test_a_handling_failure_keeps_a_failed_message_answers_200_and_sends_no_tracking_number(self):
        with (
            mock.patch("intake.sms.handler.actions.submit_report", side_effect=RuntimeError("database on fire")),
            self.assertLogs("intake.sms", "ERROR"),
        ):
            response = self.post(fixture("lapor.json"))

        self.assertEqual(response.status_code, 200)
        message = InboundMessage.objects.get()
        self.assertEqual(message.outcome, "failed")
        self.assertIn("database on fire", message.error)
        self.assertFalse(Report.objects.exists())
        self.assertEqual(self.replies(), ["Maaf, pesan Anda belum dapat kami proses. Petugas kami akan memeriksanya."])

    def test_a_refused_message_is_answered_with_the_domain_message(self):
        with mock.patch(
            "intake.sms.handler.actions.submit_report", side_effect=DomainError("Isi laporan wajib diisi.")
        ):
            self.post(fixture("lapor.json"))

        message = InboundMessage.objects.get()
        self.assertEqual((message.outcome, message.error), ("failed", "Isi laporan wajib diisi."))
        self.assertEqual(self.replies(), ["Isi laporan wajib diisi."])

    def test_a_failed_message_redelivered_is_not_handled_again(self):
        with mock.patch("intake.sms.handler.actions.submit_report", side_effect=DomainError("Tidak bisa.")):
            self.post(fixture("lapor.json"))

        self.post(fixture("lapor.json"))

        self.assertFalse(Report.objects.exists())
        self.assertEqual(InboundMessage.objects.get().outcome, "failed")

    def test_a_gateway_that_cannot_send_the_reply_does_not_lose_the_report_and_the_reply_waits_for_a_retry(self):

        self.gateway.respond = lambda recorded: (503, {}, {"error": "busy"})

        response = self.post(fixture("lapor.json"))

        self.assertEqual(response.status_code, 200)
        self.assertEqual(InboundMessage.objects.get().outcome, "processed")
        self.assertEqual(Report.objects.count(), 1)
        [reply] = self.assertQueued(channel="sms")
        self.assertEqual((reply.state, reply.attempts, reply.recipient), ("queued", 1, "+6281234567890"))
        self.assertIn("503", reply.last_error)


@override_settings(TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": queues.ALL}})
class SmsQueueTests(SmsWebhookTestCase):
    def test_the_webhook_only_stores_and_queues_the_sms_and_a_worker_handles_it(self):
        from django_tasks_db.models import DBTaskResult

        response = self.post(fixture("lapor.json"))

        self.assertEqual(response.status_code, 200)
        message = InboundMessage.objects.get()
        self.assertEqual(message.outcome, InboundMessage.Outcome.PENDING)
        self.assertFalse(Report.objects.exists())
        self.assertEqual(self.gateway.requests, [])
        queued = DBTaskResult.objects.get()
        self.assertEqual(
            (queued.task_path, queued.args_kwargs["args"]), ("intake.tasks.process_sms_message", [message.pk])
        )

        # What the worker runs: the handling, then the reply's delivery from the outbox.
        with self.captureOnCommitCallbacks(execute=True):
            queued.task.call(*queued.args_kwargs["args"])
        message.refresh_from_db()
        self.assertEqual(message.outcome, InboundMessage.Outcome.PROCESSED)
        self.assertEqual(self.gateway.requests, [])
        delivery = DBTaskResult.objects.get(task_path="notify.tasks.deliver_message")
        delivery.task.call(*delivery.args_kwargs["args"])
        self.assertIn(Report.objects.get().tracking_number, self.reply_text())


class StrandedMessageTests(SmsWebhookTestCase):
    """A worker killed while holding a message leaves it pending; Meta and the gateways do
    not deliver it again, so the sweep gives it a new task."""

    def store_without_a_task(self, received_at):
        payload = fixture("lapor.json")
        return InboundMessage.objects.create(
            channel="sms",
            provider_id=payload["id"],
            sender="+6281234567890",
            text=payload["text"],
            payload=payload,
            received_at=received_at,
        )

    def test_a_message_pending_for_ten_minutes_is_handled_by_the_sweep(self):
        from intake import tasks

        message = self.store_without_a_task(timezone.now() - dt.timedelta(minutes=11))
        with self.captureOnCommitCallbacks(execute=True):
            self.assertEqual(tasks.requeue_stranded_messages.call(), 1)
        message.refresh_from_db()
        self.assertEqual(message.outcome, "processed")
        self.assertEqual(Report.objects.get(), message.report)
        with self.captureOnCommitCallbacks(execute=True):
            self.assertEqual(tasks.requeue_stranded_messages.call(), 0)  # handled: nothing left

    def test_a_message_that_just_arrived_is_left_to_its_own_task(self):
        from intake import tasks

        self.store_without_a_task(timezone.now() - dt.timedelta(minutes=2))
        self.assertEqual(tasks.requeue_stranded_messages.call(), 0)
        self.assertFalse(Report.objects.exists())
