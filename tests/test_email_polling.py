"""The email channel against real servers (tests/email_base.py: a private dovecot and
aiosmtpd on 127.0.0.1): every mail handled once and never lost — polled twice, handled
again, the SMTP server down, a crash between storing and moving, broken or unparseable
mail, a failing handler — and the poll's task, schedule and command. What a mail becomes:
test_email_intake.py."""

import datetime as dt
import io
from email.policy import SMTP
from unittest import mock

import time_machine
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import override_settings
from django.urls import reverse

from intake import email as channel
from intake import tasks
from intake.email import poller
from intake.models import InboundMessage
from notify.actions import deliver_due
from notify.models import OutboxMessage
from reports import actions
from reports.models import Report
from tests import email_base
from tests.email_base import DONE, FAILED, NOW, EmailChannelTestCase, mail
from tests.mailservers import free_port

setUpModule, tearDownModule = email_base.start_servers, email_base.stop_servers


class OnceAndNeverLostTests(EmailChannelTestCase):
    def test_polling_twice_creates_one_report_and_one_answer(self):
        sent = mail()
        self.deliver(sent)
        self.poll()
        self.deliver(sent)  # delivered again, same Message-ID

        self.poll()

        self.assertEqual(Report.objects.count(), 1)
        self.assertEqual(InboundMessage.objects.count(), 1)
        self.assertEqual(len(self.answers()), 1)
        self.assertQueued(count=1)
        self.assertEqual(self.imap.messages("INBOX"), [])
        self.assertEqual(len(self.imap.messages(DONE)), 2)

    def test_handling_a_handled_message_again_does_nothing(self):
        self.deliver(mail())
        self.poll()
        message = InboundMessage.objects.get()
        with self.captureOnCommitCallbacks(execute=True):
            channel.handle(message.pk)
        self.assertEqual(Report.objects.count(), 1)
        self.assertEqual((OutboxMessage.objects.count(), len(self.answers())), (1, 1))

    def test_a_handled_mail_found_again_in_the_inbox_is_not_handled_again(self):
        raw = mail().as_bytes(policy=SMTP)
        self.deliver(raw)
        self.poll()
        self.deliver(raw)  # a copy put back, or a second poller that saw it before the move
        with mock.patch("intake.email.poller.handle") as handle:
            self.poll()
        handle.assert_not_called()
        self.assertEqual(Report.objects.count(), 1)

    def test_handling_a_message_again_queues_no_second_answer(self):
        self.deliver(mail())
        self.poll()
        message = InboundMessage.objects.get()
        InboundMessage.objects.filter(pk=message.pk).update(outcome=InboundMessage.Outcome.PENDING, report=None)

        with self.captureOnCommitCallbacks(execute=True):
            channel.handle(message.pk)

        # The answer's dedupe key is the inbound message's: the one already queued stands.
        self.assertQueued(count=1)
        self.assertEqual(len(self.answers()), 1)

    def test_with_the_smtp_server_down_the_answer_waits_and_is_retried(self):
        sent = self.deliver(mail())
        with time_machine.travel(NOW, tick=False), override_settings(EMAIL_PORT=free_port()):
            self.poll()

        report = Report.objects.get()
        self.assertEqual(InboundMessage.objects.get().outcome, "processed")
        self.assertEqual(self.smtp.messages, [])
        [row] = self.assertQueued()
        self.assertEqual((row.state, row.attempts, row.report), ("queued", 1, report))
        self.assertIn("ConnectionRefusedError", row.last_error)
        self.login(self.coordinator)
        page = self.client.get(reverse("workspace:deliveries"))
        self.assertContains(page, report.tracking_number)
        self.assertContains(page, "ConnectionRefusedError")

        with time_machine.travel(NOW + dt.timedelta(minutes=2), tick=False):
            self.assertEqual(deliver_due(), 1)

        [answer] = self.answers()
        self.assertEqual(answer["Subject"], f"[{report.tracking_number}] Re: Lampu jalan mati")
        self.assertEqual(answer["In-Reply-To"], sent["Message-ID"])
        self.assertEqual(answer["Auto-Submitted"], "auto-replied")
        row.refresh_from_db()
        self.assertEqual((row.state, row.attempts), ("sent", 2))

    def test_a_crash_between_storing_and_moving_creates_nothing_twice(self):
        self.deliver(mail())
        crash = ConnectionResetError("IMAP gone")
        with mock.patch.object(poller._Inbox, "move", side_effect=crash), self.assertRaises(ConnectionResetError):
            self.poll()
        self.assertEqual(len(self.imap.messages("INBOX")), 1)

        self.poll()

        self.assertEqual(Report.objects.count(), 1)
        self.assertEqual(len(self.answers()), 1)
        self.assertEqual(self.imap.messages("INBOX"), [])
        self.assertEqual(len(self.imap.messages(DONE)), 1)

    def test_a_message_stored_but_never_handled_is_handled_on_the_next_poll(self):
        sent = self.deliver(mail())
        with mock.patch.object(poller, "handle"):  # the worker died right after storing
            self.poll()
        self.assertEqual(InboundMessage.objects.get().outcome, "pending")
        self.imap.append(sent.as_bytes(policy=SMTP))

        self.poll()

        self.assertEqual(InboundMessage.objects.get().outcome, "processed")
        self.assertEqual(Report.objects.count(), 1)

    def test_unparseable_mail_goes_to_the_failed_mailbox_and_the_next_mail_is_still_handled(self):
        garbage = b"\xff\xfe this is not an email at all\r\n\x89PNG\r\n\x1a\r\n"
        self.deliver(garbage)
        self.deliver(mail())

        self.poll()

        failed = InboundMessage.objects.get(outcome="failed")
        self.assertTrue(failed.error.startswith("Unparseable: "), failed.error)
        self.assertTrue(failed.provider_id.startswith("sha256:"))
        with default_storage.open(failed.payload["raw"], "rb") as raw:
            self.assertEqual(raw.read(), garbage)
        self.assertEqual(self.imap.messages(FAILED), [garbage])
        self.assertEqual(Report.objects.count(), 1)
        self.assertEqual(len(self.imap.messages(DONE)), 1)
        self.assertEqual(len(self.answers()), 1)

    def test_broken_mime_is_kept_for_a_human(self):
        raw = (
            b"From: sari.wulandari@contoh.id\r\nSubject: rusak\r\nMessage-ID: <broken@contoh.id>\r\n"
            b"MIME-Version: 1.0\r\nContent-Type: multipart/mixed\r\n\r\nno boundary anywhere\r\n"
        )
        self.deliver(raw)

        self.poll()

        message = InboundMessage.objects.get()
        self.assertEqual((message.provider_id, message.outcome), ("<broken@contoh.id>", "failed"))
        self.assertIn("NoBoundaryInMultipartDefect", message.error)
        self.assertEqual(len(self.imap.messages(FAILED)), 1)
        self.assertFalse(Report.objects.exists())

    def test_mail_without_a_sender_address_is_kept_for_a_human_and_not_answered(self):
        self.deliver(b"Subject: tanpa pengirim\r\nMessage-ID: <anon@contoh.id>\r\n\r\nLampu mati.\r\n")

        self.poll()

        message = InboundMessage.objects.get()
        self.assertEqual(message.outcome, "failed")
        self.assertIn("no sender address", message.error)
        self.assertEqual(len(self.imap.messages(FAILED)), 1)
        self.assertEqual(self.smtp.messages, [])

    def test_a_handler_failure_is_recorded_the_mail_kept_aside_and_the_resident_told(self):
        self.deliver(mail(subject="Pertama"))
        self.deliver(mail(subject="Kedua"))
        real = actions.submit_report

        def fail_first(**kwargs):
            if kwargs["title"] == "Pertama":
                raise RuntimeError("database on fire")
            return real(**kwargs)

        with mock.patch.object(actions, "submit_report", side_effect=fail_first), self.assertLogs("intake.email"):
            self.poll()

        failed = InboundMessage.objects.get(outcome="failed")
        self.assertEqual(failed.error, "RuntimeError: database on fire")
        self.assertEqual(len(self.imap.messages(FAILED)), 1)
        self.assertEqual(Report.objects.get().title, "Kedua")
        subjects = sorted(message["Subject"] for message in self.answers())
        self.assertEqual(len(subjects), 2)
        self.assertEqual(subjects[0], "Re: Pertama")
        apology = OutboxMessage.objects.get(dedupe_key=f"email:reply:{failed.pk}")
        self.assertEqual((apology.subject, apology.report, apology.state), ("Re: Pertama", None, "sent"))
        self.assertEqual(apology.headers["Auto-Submitted"], "auto-replied")
        self.assertIn("belum dapat kami proses", self.answers()[0].get_content() + self.answers()[1].get_content())

    def test_a_failed_mail_delivered_again_is_not_handled_again(self):
        self.deliver(b"garbage without headers")
        self.poll()
        self.deliver(b"garbage without headers")

        self.poll()

        self.assertEqual(InboundMessage.objects.count(), 1)
        self.assertEqual(len(self.imap.messages(FAILED)), 2)


class ScheduleAndCommandTests(EmailChannelTestCase):
    def test_the_task_reads_the_inbox(self):
        self.deliver(mail())

        with self.captureOnCommitCallbacks(execute=True):
            tasks.poll_mailbox.call()

        self.assertEqual(Report.objects.count(), 1)

    def test_the_task_does_nothing_without_imap_host(self):
        self.deliver(mail())

        with override_settings(ADUAN_IMAP_HOST=""):
            self.assertEqual(tasks.poll_mailbox.call(), 0)

        self.assertFalse(InboundMessage.objects.exists())
        self.assertEqual(len(self.imap.messages("INBOX")), 1)

    def test_the_task_is_scheduled_every_minute(self):
        from django.conf import settings

        self.assertEqual(settings.ADUAN_SCHEDULE["poll-mailbox"], {"task": "intake.tasks.poll_mailbox", "every": 1})

    def test_the_command_polls_once_and_says_how_many(self):
        self.deliver(mail())
        out = io.StringIO()

        with self.captureOnCommitCallbacks(execute=True):
            call_command("poll_mailbox", stdout=out)

        self.assertIn("1 pesan email diproses", out.getvalue())
        self.assertEqual(Report.objects.count(), 1)

    def test_the_command_refuses_when_the_channel_is_off(self):
        with override_settings(ADUAN_IMAP_HOST=""), self.assertRaises(CommandError):
            call_command("poll_mailbox")

    def test_a_wrong_password_fails_loudly(self):
        import imaplib

        with override_settings(ADUAN_IMAP_PASSWORD="salah"), self.assertRaises(imaplib.IMAP4.error):
            channel.poll()
