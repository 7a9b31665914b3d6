"""Delivering the outbox: the compare-and-swap claim, the senders (Django's locmem email
backend, the SMS gateway and Meta's Graph API as local fakes), retries with backoff."""

import contextlib
import datetime as dt
import unittest
from unittest import mock

import time_machine
from django.core import mail
from django.db import OperationalError, connection
from django.test import TransactionTestCase, override_settings
from django.utils import timezone

from gateways.http import GatewayError
from notify import actions as outbox
from notify import senders
from notify.models import DeliveryAttempt, OutboxMessage
from tests.base import IMMEDIATE, AduanTestCase, FakeSmsGatewayMixin, at_once
from tests.fakes.graph_api import IG_ACCOUNT_ID, PHONE_ID, TOKEN
from tests.fakes.server import FakeServer
from tests.meta_base import FakeGraphApiMixin

NOW = dt.datetime(2026, 3, 10, 2, 0, tzinfo=dt.UTC)


def queue_sms(key="test:sms", body="Laporan BLT-2026-000001 telah diverifikasi.", **extra):
    return outbox.queue(channel="sms", recipient="081234567890", body=body, dedupe_key=key, **extra)


class ClaimTests(AduanTestCase):
    def test_two_claims_on_the_same_message_exactly_one_wins(self):
        message = queue_sms()

        first, second = outbox.claim(message.pk), outbox.claim(message.pk)

        self.assertIsNotNone(first)
        self.assertIsNone(second)
        message.refresh_from_db()
        self.assertEqual((message.state, message.claim_token, message.attempts), ("sending", first, 1))

    def test_a_message_not_yet_due_cannot_be_claimed(self):
        message = queue_sms()
        OutboxMessage.objects.filter(pk=message.pk).update(next_attempt_at=timezone.now() + dt.timedelta(minutes=5))
        self.assertIsNone(outbox.claim(message.pk))

    def test_a_claim_abandoned_by_a_dead_worker_is_taken_over_after_ten_minutes_only(self):
        message = queue_sms()
        with time_machine.travel(NOW, tick=False):
            OutboxMessage.objects.filter(pk=message.pk).update(next_attempt_at=NOW)
            self.assertIsNotNone(outbox.claim(message.pk))
        with time_machine.travel(NOW + dt.timedelta(minutes=9), tick=False):
            self.assertIsNone(outbox.claim(message.pk))
        with time_machine.travel(NOW + dt.timedelta(minutes=11), tick=False):
            self.assertIsNotNone(outbox.claim(message.pk))

    def deliver_taken_over(self, *, a_then, b_sends, b_ends):
        """Worker A claims a message and hangs on the provider past the stale limit; worker B
        takes the message over, its send answering ``b_sends`` (a provider's id, or an
        exception raised) and its deliver ending ``b_ends``; then A's call finally answers
        ``a_then`` (the same). A's deliver ends with nothing; answers the message then."""
        message = queue_sms()
        taken_over_at = timezone.now() + dt.timedelta(minutes=outbox.STALE_CLAIM_MINUTES + 1)
        calls = []

        def answer(outcome):
            if isinstance(outcome, Exception):
                raise outcome
            return outcome

        def send(claimed):
            calls.append(claimed.pk)
            if len(calls) == 1:
                self.assertEqual(outbox.deliver(claimed.pk, now=taken_over_at), b_ends)
                return answer(a_then)
            return answer(b_sends)

        with mock.patch("notify.senders.send", side_effect=send):
            self.assertIsNone(outbox.deliver(message.pk))
        self.assertEqual(len(calls), 2)
        message.refresh_from_db()
        return message

    def test_a_worker_whose_stale_claim_was_taken_over_cannot_overwrite_the_result(self):
        message = self.deliver_taken_over(
            a_then=GatewayError("timeout", retryable=True), b_sends="provider-b", b_ends="sent"
        )
        self.assertEqual((message.state, message.last_error, message.claim_token), ("sent", "", ""))

    def test_a_late_success_does_not_overwrite_the_taking_over_workers_failure(self):
        message = self.deliver_taken_over(
            a_then="provider-a", b_sends=GatewayError("503 dari gateway", retryable=True), b_ends="queued"
        )
        self.assertEqual((message.state, message.last_error, message.attempts), ("queued", "503 dari gateway", 2))

    def test_a_send_recorded_while_the_database_is_briefly_away_is_not_sent_again(self):
        # Found by bench/soak.py: the mail went out, then the database cut off the worker
        # as it recorded the success; the message stayed "sending", and the sweep would
        # have taken it over after STALE_CLAIM_MINUTES and sent it a second time.
        message = outbox.queue(channel="email", recipient="a@example.org", subject="s", body="b", dedupe_key="k")
        real_save = DeliveryAttempt.save
        lost = []

        def save(attempt, *args, **kwargs):
            if attempt.ok and len(lost) < 2:
                lost.append(attempt.pk)
                raise OperationalError("terminating connection due to administrator command")
            return real_save(attempt, *args, **kwargs)

        with (
            mock.patch.object(DeliveryAttempt, "save", save),
            mock.patch("time.sleep") as slept,
            self.assertLogs("notify.actions", "WARNING") as logged,
        ):
            self.assertEqual(outbox.deliver(message.pk), "sent")

        self.assertEqual((len(lost), slept.call_count), (2, 2))
        self.assertIn("sent but cannot be recorded yet", logged.output[0])
        message.refresh_from_db()
        self.assertEqual((message.state, message.claim_token), ("sent", ""))
        self.assertTrue(DeliveryAttempt.objects.get().ok)
        later = timezone.now() + dt.timedelta(minutes=outbox.STALE_CLAIM_MINUTES + 1)
        self.assertEqual(outbox.deliver_due(now=later), 0)
        self.assertEqual(len(mail.outbox), 1)

    def test_a_send_that_cannot_be_recorded_for_minutes_is_left_to_the_takeover(self):
        message = outbox.queue(channel="email", recipient="a@example.org", subject="s", body="b", dedupe_key="k")
        real_save = DeliveryAttempt.save

        def save(attempt, *args, **kwargs):
            if attempt.ok:
                raise OperationalError("the database system is shutting down")
            return real_save(attempt, *args, **kwargs)

        with (
            mock.patch.object(DeliveryAttempt, "save", save),
            mock.patch("time.sleep") as slept,
            self.assertLogs("notify.actions", "WARNING"),
            self.assertRaises(OperationalError),
        ):
            outbox.deliver(message.pk)

        # Waited for the database about four minutes in all, well inside the stale limit.
        waited = sum(call.args[0] for call in slept.call_args_list)
        self.assertTrue(60 < waited < outbox.STALE_CLAIM_MINUTES * 60 / 2, waited)
        message.refresh_from_db()
        self.assertEqual(message.state, "sending")

    def test_sent_failed_and_cancelled_messages_are_never_claimed(self):
        for state in ("sent", "failed", "cancelled"):
            with self.subTest(state=state):
                message = queue_sms(key=f"test:{state}")
                OutboxMessage.objects.filter(pk=message.pk).update(state=state)
                self.assertIsNone(outbox.claim(message.pk))

    def test_queueing_the_same_key_twice_keeps_one_row(self):
        first = queue_sms(body="satu")
        second = queue_sms(body="dua")
        self.assertEqual(first.pk, second.pk)
        self.assertEqual(OutboxMessage.objects.get().body, "satu")


@unittest.skipUnless(connection.vendor == "postgresql", "needs PostgreSQL: a server that cuts the session")
class DatabaseCutAfterSendTests(TransactionTestCase):
    def test_the_send_is_recorded_on_a_new_connection_after_the_server_ended_the_old_one(self):
        message = outbox.queue(channel="email", recipient="a@example.org", subject="s", body="b", dedupe_key="k")
        real_send = senders.send

        def send(claimed):
            provider_id = real_send(claimed)
            # The provider has the mail; now the server ends this worker's session (as
            # pg_terminate_backend, a restart or a failover does).
            with contextlib.suppress(OperationalError), connection.cursor() as cursor:
                cursor.execute("SELECT pg_terminate_backend(pg_backend_pid())")
            return provider_id

        with (
            mock.patch("notify.senders.send", send),
            mock.patch("time.sleep"),
            self.assertLogs("notify.actions", "WARNING"),
        ):
            self.assertEqual(outbox.deliver(message.pk), "sent")

        message.refresh_from_db()
        self.assertEqual(message.state, "sent")
        later = timezone.now() + dt.timedelta(minutes=outbox.STALE_CLAIM_MINUTES + 1)
        self.assertEqual(outbox.deliver_due(now=later), 0)
        self.assertEqual(len(mail.outbox), 1)


@unittest.skipUnless(connection.vendor == "postgresql", "needs PostgreSQL: SQLite serialises all writers anyway")
class ConcurrentClaimTests(TransactionTestCase):
    def test_two_threads_claiming_at_once_give_one_winner(self):
        for round_ in range(20):
            message = queue_sms(key=f"race:{round_}")
            results, errors = at_once(lambda pk=message.pk: outbox.claim(pk))
            self.assertEqual(errors, [])
            self.assertEqual(len(results), 2, results)
            self.assertEqual(sum(1 for r in results if r), 1, results)


@unittest.skipUnless(connection.vendor == "postgresql", "needs PostgreSQL: SQLite serialises all writers anyway")
@override_settings(ADUAN_SMS_GATEWAY_TOKEN="token-uji", ADUAN_SMS_SENDER_ID="ADUAN")
class TwoWorkersOnTheOutboxTests(TransactionTestCase):
    """Two task workers sweeping the outbox at the same moment, each on its own database
    connection against the SMS gateway's fake: every message goes out exactly once."""

    MESSAGES = 60

    def test_two_workers_sweeping_at_once_send_each_message_exactly_once(self):
        with FakeServer() as gateway, override_settings(ADUAN_SMS_GATEWAY_URL=gateway.url):
            gateway.respond = lambda recorded: (200, {}, {"id": f"out-{recorded.json()['text']}"})
            queued = [queue_sms(key=f"sweep:{n}", body=f"pesan {n}").pk for n in range(self.MESSAGES)]

            sent, errors = at_once(outbox.deliver_due)

            self.assertEqual(errors, [])
            texts = sorted(request.json()["text"] for request in gateway.requests)
            self.assertEqual(texts, sorted(f"pesan {n}" for n in range(self.MESSAGES)))  # each once
            self.assertEqual((len(sent), sum(sent)), (2, self.MESSAGES))
            states = set(OutboxMessage.objects.filter(pk__in=queued).values_list("state", flat=True))
            self.assertEqual(states, {"sent"})
            self.assertEqual(DeliveryAttempt.objects.filter(message_id__in=queued, ok=True).count(), self.MESSAGES)


class EmailDeliveryTests(AduanTestCase):
    def test_an_email_goes_out_through_djangos_backend_with_the_tracking_number_in_the_subject(self):
        report = self.make_report(reply_channel="email")
        message = outbox.queue(
            channel="email",
            recipient=report.reporter_email,
            template="report_verified",
            context={"tracking_number": report.tracking_number, "site_name": "Aduan Kota Blitar"},
            report=report,
            dedupe_key="test:email",
        )

        self.assertEqual(outbox.deliver(message.pk), "sent")

        self.assertEqual(len(mail.outbox), 1)
        email = mail.outbox[0]
        self.assertIn(report.tracking_number, email.subject)
        self.assertEqual(email.to, ["siti@example.org"])
        self.assertIn("telah diverifikasi", email.body)
        message.refresh_from_db()
        self.assertEqual(message.state, "sent")
        self.assertIsNotNone(message.sent_at)
        attempt = DeliveryAttempt.objects.get()
        self.assertTrue(attempt.ok)
        self.assertEqual(attempt.provider_message_id, email.extra_headers["Message-ID"])

    def test_a_message_is_never_sent_twice(self):
        message = outbox.queue(channel="email", recipient="a@example.org", subject="s", body="b", dedupe_key="k")
        self.assertEqual(outbox.deliver(message.pk), "sent")
        self.assertIsNone(outbox.deliver(message.pk))
        self.assertEqual(outbox.deliver_due(), 0)
        self.assertEqual(len(mail.outbox), 1)

    def test_an_answer_carries_its_own_headers_and_nothing_else_gets_through(self):
        headers = {
            "Auto-Submitted": "auto-replied",
            "In-Reply-To": "<warga-1@contoh.id>",
            "References": "<warga-1@contoh.id>",
            "Bcc": "mata-mata@example.org",
            "Message-ID": "<palsu@example.org>",
        }
        message = outbox.queue(
            channel="email", recipient="a@example.org", subject="s", body="b", headers=headers, dedupe_key="k"
        )
        self.assertEqual(OutboxMessage.objects.get().headers, headers)

        self.assertEqual(outbox.deliver(message.pk), "sent")

        [email] = mail.outbox
        self.assertEqual(email.extra_headers["Auto-Submitted"], "auto-replied")
        self.assertEqual(email.extra_headers["In-Reply-To"], "<warga-1@contoh.id>")
        self.assertEqual(email.extra_headers["References"], "<warga-1@contoh.id>")
        self.assertNotIn("Bcc", email.extra_headers)
        self.assertEqual(email.bcc, [])
        self.assertNotEqual(email.extra_headers["Message-ID"], "<palsu@example.org>")
        self.assertEqual(DeliveryAttempt.objects.get().provider_message_id, email.extra_headers["Message-ID"])

    def test_a_notification_without_headers_is_not_marked_as_an_answer(self):
        message = outbox.queue(channel="email", recipient="a@example.org", subject="s", body="b", dedupe_key="k")
        outbox.deliver(message.pk)
        self.assertNotIn("Auto-Submitted", mail.outbox[0].extra_headers)
        self.assertNotIn("In-Reply-To", mail.outbox[0].extra_headers)

    @override_settings(TASKS=IMMEDIATE)
    def test_a_queued_message_is_delivered_by_its_task_after_the_commit(self):
        with self.captureOnCommitCallbacks(execute=False) as callbacks:
            outbox.queue(channel="email", recipient="a@example.org", subject="s", body="b", dedupe_key="k")
        self.assertEqual(mail.outbox, [])  # nothing before the commit
        for callback in callbacks:
            callback()
        self.assertEqual(len(mail.outbox), 1)
        self.assertEqual(OutboxMessage.objects.get().state, "sent")


class SmsDeliveryTests(FakeSmsGatewayMixin, AduanTestCase):
    def setUp(self):
        super().setUp()
        self.status = 200
        self.gateway.respond = lambda recorded: (
            self.status,
            {},
            {"id": f"out-{len(self.gateway.requests)}"} if self.status == 200 else {"error": "x"},
        )

    def test_an_sms_goes_to_the_gateway_and_its_ids_are_recorded(self):
        message = queue_sms()
        self.assertEqual(outbox.deliver(message.pk), "sent")

        request = self.gateway.requests[0]
        self.assertEqual(request.json()["to"], "+6281234567890")
        self.assertEqual(request.json()["text"], "Laporan BLT-2026-000001 telah diverifikasi.")
        self.assertEqual(DeliveryAttempt.objects.get().provider_message_id, "out-1")

    def test_failures_are_retried_after_1_5_30_120_360_minutes_then_the_message_fails(self):
        self.status = 503
        with time_machine.travel(NOW, tick=False):
            message = queue_sms()
        moment = NOW
        waits = []
        for _ in range(6):
            with time_machine.travel(moment, tick=False):
                state = outbox.deliver(message.pk)
            message.refresh_from_db()
            if state == "queued":
                waits.append(round((message.next_attempt_at - moment).total_seconds() / 60))
                moment = message.next_attempt_at
        self.assertEqual(waits, [1, 5, 30, 120, 360])
        self.assertEqual((message.state, message.attempts), ("failed", 6))
        self.assertIn("503", message.last_error)
        self.assertEqual(DeliveryAttempt.objects.filter(message=message, ok=False).count(), 6)
        self.assertEqual(len(self.gateway.requests), 6)

    def test_a_retry_is_not_attempted_before_its_time(self):
        self.status = 503
        with time_machine.travel(NOW, tick=False):
            message = queue_sms()
            outbox.deliver(message.pk)
        with time_machine.travel(NOW + dt.timedelta(seconds=30), tick=False):
            self.assertEqual(outbox.deliver_due(), 0)
        self.status = 200
        with time_machine.travel(NOW + dt.timedelta(seconds=61), tick=False):
            self.assertEqual(outbox.deliver_due(), 1)
        message.refresh_from_db()
        self.assertEqual((message.state, message.attempts), ("sent", 2))
        self.assertEqual(message.last_error, "")

    def test_a_refusal_fails_at_once_without_retry(self):
        self.status = 400
        message = queue_sms()
        self.assertEqual(outbox.deliver(message.pk), "failed")
        message.refresh_from_db()
        self.assertEqual((message.state, message.attempts), ("failed", 1))
        self.assertIn("400", message.last_error)

    @override_settings(ADUAN_SMS_GATEWAY_URL="")
    def test_an_unconfigured_gateway_fails_at_once(self):
        message = queue_sms()
        self.assertEqual(outbox.deliver(message.pk), "failed")
        self.assertIn("not configured", OutboxMessage.objects.get().last_error)


@override_settings(
    ADUAN_WHATSAPP_ACCESS_TOKEN=TOKEN,
    ADUAN_WHATSAPP_PHONE_NUMBER_ID=PHONE_ID,
    ADUAN_INSTAGRAM_ACCESS_TOKEN=TOKEN,
    ADUAN_INSTAGRAM_ACCOUNT_ID=IG_ACCOUNT_ID,
)
class MetaDeliveryTests(FakeGraphApiMixin, AduanTestCase):
    def test_a_whatsapp_text_and_a_message_with_reply_buttons(self):
        text = outbox.queue(channel="whatsapp", recipient="081234567890", body="Halo", dedupe_key="a")
        buttons = outbox.queue(
            channel="whatsapp",
            recipient="6281234567890",
            body="Kirim laporan ini?",
            buttons=[("kirim", "Kirim"), ("ubah", "Ubah")],
            dedupe_key="b",
        )
        self.assertEqual(outbox.deliver(text.pk), "sent")
        self.assertEqual(outbox.deliver(buttons.pk), "sent")

        self.assertEqual(self.graph.sent[0]["to"], "6281234567890")
        self.assertEqual(self.graph.sent[0]["text"]["body"], "Halo")
        choices = self.graph.sent[1]["interactive"]["action"]["buttons"]
        self.assertEqual([b["reply"]["id"] for b in choices], ["kirim", "ubah"])
        self.assertTrue(DeliveryAttempt.objects.get(message=text).provider_message_id.startswith("wamid."))

    def test_an_instagram_message_goes_to_the_instagram_scoped_id(self):
        message = outbox.queue(channel="instagram", recipient="17841400000001", body="Halo", dedupe_key="ig")
        self.assertEqual(outbox.deliver(message.pk), "sent")
        self.assertEqual(self.graph.instagram_texts("17841400000001"), ["Halo"])

    @override_settings(ADUAN_WHATSAPP_ACCESS_TOKEN="salah")
    def test_meta_refusing_the_token_fails_the_message_at_once(self):
        message = outbox.queue(channel="whatsapp", recipient="081234567890", body="Halo", dedupe_key="a")
        self.assertEqual(outbox.deliver(message.pk), "failed")
        self.assertIn("401", OutboxMessage.objects.get(pk=message.pk).last_error)


class OrderTests(FakeSmsGatewayMixin, AduanTestCase):
    """A conversation's answers (``after``) arrive in the order they were written."""

    def setUp(self):
        super().setUp()
        self.status = 200
        self.gateway.respond = lambda recorded: (self.status, {}, {"id": "x"} if self.status == 200 else {})

    def conversation(self, count=3):
        messages, previous = [], None
        for number in range(count):
            previous = queue_sms(key=f"order:{number}", body=f"Pesan {number + 1}", after=previous)
            messages.append(previous)
        return messages

    def sent_texts(self):
        return [request.json()["text"] for request in self.gateway.requests]

    def test_a_message_is_not_claimed_while_the_one_before_it_waits(self):
        first, second, third = self.conversation()

        self.assertIsNone(outbox.claim(second.pk))
        self.assertIsNone(outbox.claim(third.pk))
        self.assertEqual(OutboxMessage.objects.get(pk=second.pk).attempts, 0)
        self.assertEqual(self.sent_texts(), [])

    def test_the_last_delivered_first_still_goes_out_in_order(self):
        first, second, third = self.conversation()

        with override_settings(TASKS=IMMEDIATE), self.captureOnCommitCallbacks(execute=True):
            self.assertIsNone(outbox.deliver(third.pk))
            self.assertIsNone(outbox.deliver(second.pk))
            self.assertEqual(outbox.deliver(first.pk), "sent")

        self.assertEqual(self.sent_texts(), ["Pesan 1", "Pesan 2", "Pesan 3"])
        self.assertEqual(set(OutboxMessage.objects.values_list("state", flat=True)), {"sent"})

    def test_the_sweep_delivers_them_in_order(self):
        self.conversation()
        self.assertEqual(outbox.deliver_due(), 3)
        self.assertEqual(self.sent_texts(), ["Pesan 1", "Pesan 2", "Pesan 3"])

    def test_the_next_waits_for_the_retry_of_the_one_before(self):
        self.status = 503
        with time_machine.travel(NOW, tick=False):
            first, second, _third = self.conversation()
            self.assertEqual(outbox.deliver_due(), 0)
        self.assertEqual(len(self.gateway.requests), 1)  # only the first was tried
        self.assertEqual(OutboxMessage.objects.get(pk=second.pk).attempts, 0)
        self.status = 200
        self.gateway.requests.clear()
        with time_machine.travel(NOW + dt.timedelta(minutes=2), tick=False):
            self.assertEqual(outbox.deliver_due(), 3)
        self.assertEqual(self.sent_texts(), ["Pesan 1", "Pesan 2", "Pesan 3"])

    def test_a_message_that_failed_for_good_does_not_hold_back_the_rest(self):
        self.status = 400
        first, second, third = self.conversation()
        with override_settings(TASKS=IMMEDIATE), self.captureOnCommitCallbacks(execute=True):
            self.assertEqual(outbox.deliver(first.pk), "failed")
            self.status = 200
        # The first is refused; the second was released by its failure and, on its own
        # commit, the third by the second's success.
        self.assertEqual(
            list(OutboxMessage.objects.order_by("pk").values_list("state", flat=True)), ["failed", "sent", "sent"]
        )
