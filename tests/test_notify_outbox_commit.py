"""An event's messages are written in the event's own transaction: the change and its
outbox rows are stored together or not at all. Their delivery runs after the commit; when
that enqueue is lost (the queue unreachable, the database cut right after the commit, the
process gone), the scheduler's sweep (``deliver_due``) still sends each message once."""

import contextlib
import unittest
from unittest import mock

from django.core import mail
from django.db import DatabaseError, OperationalError, connection, transaction
from django.test import TransactionTestCase, override_settings

from agencies.models import Role
from core import queues
from notify import actions as outbox
from notify.models import DeliveryAttempt, OutboxMessage
from reports import actions
from reports.models import Report, ReportEvent
from tests import factory
from tests.base import AduanTestCase

IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend", "QUEUES": queues.ALL}}
DUMMY = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend", "QUEUES": queues.ALL}}


class Rollback(Exception):
    pass


@override_settings(TASKS=DUMMY, ADUAN_WHATSAPP_ACCESS_TOKEN="", ADUAN_WHATSAPP_PHONE_NUMBER_ID="")
class SameTransactionTests(AduanTestCase):
    def test_the_messages_are_written_before_the_commit_and_roll_back_with_the_change(self):
        report = self.make_report(reply_channel="email")

        with (
            self.assertRaises(Rollback),
            self.captureOnCommitCallbacks(execute=True) as callbacks,
            transaction.atomic(),
        ):
            actions.verify_report(report, actor=self.coordinator)
            # Inside the transaction, before any after-commit work: the row is there.
            self.assertQueued("siti@example.org", template="report_verified")
            raise Rollback

        self.assertEqual(callbacks, [])  # nothing announced for a change that rolled back
        self.assertNothingQueued()
        self.assertFalse(ReportEvent.objects.filter(report=report, action="verified").exists())
        self.assertEqual(Report.objects.get(pk=report.pk).status, "received")

    def test_a_committed_change_has_its_messages_though_no_after_commit_work_ran(self):
        report = self.make_report(reply_channel="email")

        # The process dies right after the commit: the on-commit callbacks never run.
        with self.captureOnCommitCallbacks(execute=False) as callbacks:
            actions.verify_report(report, actor=self.coordinator)

        self.assertTrue(callbacks)
        [message] = self.assertQueued("siti@example.org", template="report_verified")
        self.assertEqual((message.state, message.attempts), ("queued", 0))
        self.assertEqual(outbox.deliver_due(), 1)  # the scheduler's sweep, every minute
        message.refresh_from_db()
        self.assertEqual(message.state, "sent")
        self.assertEqual(len(mail.outbox), 1)
        self.assertIn(report.tracking_number, mail.outbox[0].subject)

    def test_a_failure_of_the_notifications_themselves_keeps_the_change_and_writes_none_of_them(self):
        report = factory.make_verified(self.coordinator, reply_channel="email")
        self.pw_liaison.email = "pupr@blitarkota.go.id"
        self.pw_liaison.save(update_fields=["email"])

        # The reporter's message is written, then the staff part fails: the savepoint drops both.
        with (
            mock.patch("notify.receivers.notify_disposed", side_effect=RuntimeError("bug")),
            self.assertLogs("notify.receivers", "ERROR"),
            self.captureOnCommitCallbacks(execute=True),
        ):
            actions.dispose_report(report, actor=self.coordinator, lead_agency=self.public_works)

        self.assertEqual(Report.objects.get(pk=report.pk).status, "disposed")
        self.assertTrue(ReportEvent.objects.filter(report=report, action="disposed").exists())
        self.assertNothingQueued()


@override_settings(TASKS=DUMMY, ADUAN_WHATSAPP_ACCESS_TOKEN="", ADUAN_WHATSAPP_PHONE_NUMBER_ID="")
class LostDatabaseInsideTests(AduanTestCase):
    """A database lost while the messages (or triage's rows) are written fails the change:
    swallowed, the action would return as if done while its transaction was gone (the soak
    saw a submission answered with its 'terkirim' page and never stored)."""

    def test_a_lost_database_while_writing_the_messages_fails_the_change(self):
        report = self.make_report(reply_channel="email")
        lost = OperationalError("terminating connection due to administrator command")
        with mock.patch("notify.receivers.notify_reporter", side_effect=lost), self.assertRaises(OperationalError):
            actions.verify_report(report, actor=self.coordinator)
        self.assertEqual(Report.objects.get(pk=report.pk).status, "received")
        self.assertFalse(ReportEvent.objects.filter(report=report, action="verified").exists())

    def test_a_lost_database_while_writing_triages_rows_fails_the_submission(self):
        lost = OperationalError("server closed the connection unexpectedly")
        with mock.patch("triage.jobs.write", side_effect=lost), self.assertRaises(OperationalError):
            self.make_report(reply_channel="email", description="Penanda kalimat yang unik sekali.")
        self.assertFalse(Report.objects.filter(description="Penanda kalimat yang unik sekali.").exists())


@override_settings(ADUAN_WHATSAPP_ACCESS_TOKEN="", ADUAN_WHATSAPP_PHONE_NUMBER_ID="")
class LostEnqueueTests(AduanTestCase):
    def test_an_unreachable_queue_after_the_commit_is_logged_and_the_sweep_sends_the_message_once(self):
        report = self.make_report(reply_channel="email")

        with (
            override_settings(TASKS=IMMEDIATE),
            mock.patch(
                "django_tasks.backends.immediate.ImmediateBackend.enqueue",
                side_effect=ConnectionError("queue unreachable"),
            ),
            self.assertLogs("notify.actions", "WARNING") as logs,
            self.captureOnCommitCallbacks(execute=True),
        ):
            verified = actions.verify_report(report, actor=self.coordinator)  # no error for the coordinator

        self.assertEqual(verified.status, "verified")
        self.assertIn("delivery not enqueued", "\n".join(logs.output))
        [message] = self.assertQueued("siti@example.org", template="report_verified")
        self.assertEqual((message.state, message.attempts, len(mail.outbox)), ("queued", 0, 0))

        self.assertEqual(outbox.deliver_due(), 1)
        self.assertEqual(outbox.deliver_due(), 0)  # the next sweep finds nothing to send

        message.refresh_from_db()
        self.assertEqual((message.state, message.attempts), ("sent", 1))
        self.assertEqual(DeliveryAttempt.objects.filter(message=message, ok=True).count(), 1)
        self.assertEqual(len(mail.outbox), 1)

    def test_the_enqueued_task_and_the_sweep_together_send_once(self):
        report = self.make_report(reply_channel="email")

        with override_settings(TASKS=IMMEDIATE), self.captureOnCommitCallbacks(execute=True):
            actions.verify_report(report, actor=self.coordinator)  # the task delivers at once

        [message] = self.assertQueued("siti@example.org", template="report_verified")
        self.assertEqual(outbox.deliver_due(), 0)
        message.refresh_from_db()
        self.assertEqual((message.state, message.attempts), ("sent", 1))
        self.assertEqual(len(mail.outbox), 1)


@unittest.skipUnless(connection.vendor == "postgresql", "needs PostgreSQL: a server that cuts the session")
@override_settings(ADUAN_WHATSAPP_ACCESS_TOKEN="", ADUAN_WHATSAPP_PHONE_NUMBER_ID="")
class DatabaseCutAfterCommitTests(TransactionTestCase):
    """The soak bench's "notifications never queued": the server ends the session right
    after the commit, before the after-commit work (the delivery task, triage) runs."""

    def test_the_change_and_its_message_are_stored_and_the_sweep_delivers_it(self):
        unit = factory.make_agency("Unit Layanan Pengaduan", short_name="ULPIM", is_complaint_unit=True)
        coordinator = factory.make_staff(Role.COORDINATOR, unit, "koordinator")
        report = factory.make_report(reply_channel="email")

        def cut():
            with contextlib.suppress(OperationalError), connection.cursor() as cursor:
                cursor.execute("SELECT pg_terminate_backend(pg_backend_pid())")

        with self.assertLogs("notify.actions", "WARNING") as logs, transaction.atomic():
            transaction.on_commit(cut)  # registered first: runs before the action's own
            actions.verify_report(report, actor=coordinator)
        self.assertIn("delivery not enqueued", "\n".join(logs.output))

        connection.close()  # the worker's next task opens a new connection
        self.assertEqual(Report.objects.get(pk=report.pk).status, "verified")
        message = OutboxMessage.objects.get(template_code="report_verified")
        self.assertEqual((message.state, message.recipient), ("queued", "siti@example.org"))
        self.assertEqual(outbox.deliver_due(), 1)
        self.assertEqual(outbox.deliver_due(), 0)
        self.assertEqual(len(mail.outbox), 1)

    def test_a_cut_while_the_rows_are_written_fails_the_change_instead_of_losing_it_quietly(self):
        from triage import jobs

        report = factory.make_report(reply_channel="email")
        real_write = jobs.write

        def write_after_a_cut(event):
            with contextlib.suppress(OperationalError), connection.cursor() as cursor:
                cursor.execute("SELECT pg_terminate_backend(pg_backend_pid())")
            return real_write(event)

        with mock.patch("triage.jobs.write", write_after_a_cut), self.assertRaises(DatabaseError):
            factory.make_report(reply_channel="email", description="Dikirim tepat saat basis data putus.")

        connection.close()
        self.assertFalse(Report.objects.filter(description="Dikirim tepat saat basis data putus.").exists())
        self.assertEqual(Report.objects.get(pk=report.pk).status, "received")
