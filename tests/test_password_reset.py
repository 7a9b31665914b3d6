"""Password reset of staff by email (/kerja/lupa-sandi/): a link that works once and
expires, sent through the configured email backend to the installation's public address;
the answer never tells whether an account has that address. The email is queued on the
notify queue and written by a worker, so a slow mail server cannot hang the page: most
tests run the task at once (the immediate backend), one through the database queue and
``db_worker``."""

import datetime as dt
import io
import re
import time

import time_machine
from django.core import mail
from django.core.management import call_command
from django.test import TransactionTestCase, override_settings
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_tasks_db.models import DBTaskResult

from accounts import tasks
from core import queues
from tests import factory
from tests.base import AduanTestCase
from tests.mailservers import SmtpSink
from tests.test_tasks_backend import keeping_signal_handlers

SITE = "https://aduan.example.go.id"
OLD = "rahasia-demo-123"
NEW = "Lampu-Jalan-Sananwetan-2031"
IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend", "QUEUES": queues.ALL}}
DATABASE_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": queues.ALL}}


@override_settings(ADUAN_SITE_URL=SITE, TASKS=IMMEDIATE)
class PasswordResetTests(AduanTestCase):
    def setUp(self):
        self.coordinator.email = "Koordinator@Blitarkota.go.id"
        self.coordinator.set_password(OLD)
        self.coordinator.save()

    def ask(self, email, **extra):
        return self.client.post(reverse("accounts:password_reset"), {"email": email}, **extra)

    def link(self):
        [message] = mail.outbox
        return re.search(rf"{re.escape(SITE)}(/kerja/sandi-baru/\S+/)", message.body).group(1)

    def set_password(self, link, password=NEW):
        # Django moves the token from the link into the session, then shows the form.
        form_url = self.client.get(link)["Location"]
        return self.client.post(form_url, {"new_password1": password, "new_password2": password})

    def login(self, password):
        return self.client.post(reverse("workspace:login"), {"username": "koordinator", "password": password})

    def test_the_login_page_offers_the_reset(self):
        self.assertContains(self.client.get(reverse("workspace:login")), reverse("accounts:password_reset"))

    def test_a_staff_member_sets_a_new_password_through_the_emailed_link(self):
        done = self.ask("koordinator@blitarkota.go.id")

        self.assertRedirects(done, reverse("accounts:password_reset_done"))
        [message] = mail.outbox
        self.assertEqual(message.to, ["Koordinator@Blitarkota.go.id"])
        self.assertIn("Atur ulang kata sandi", message.subject)
        self.assertIn("koordinator", message.body)
        self.assertIn("60 menit", message.body)
        saved = self.set_password(self.link())
        self.assertRedirects(saved, reverse("accounts:password_reset_complete"))
        self.assertEqual(self.login(OLD).status_code, 200)
        self.assertEqual(self.login(NEW).status_code, 302)

    def test_a_used_link_is_refused_with_a_clear_message(self):
        self.ask("koordinator@blitarkota.go.id")
        link = self.link()
        self.set_password(link)
        self.client.logout()

        again = self.client.get(link, follow=True)

        self.assertContains(again, "Tautan ini sudah dipakai, sudah kedaluwarsa", status_code=400)
        self.assertContains(again, reverse("accounts:password_reset"), status_code=400)

    def test_an_expired_link_is_refused(self):
        self.ask("koordinator@blitarkota.go.id")
        link = self.link()

        # A timestamp, not a datetime: Django's token clock is the naive local time.
        with time_machine.travel(time.time() + 61 * 60, tick=False):
            late = self.client.get(link, follow=True)

        self.assertContains(late, "Tautan tidak berlaku", status_code=400)
        self.coordinator.refresh_from_db()
        self.assertTrue(self.coordinator.check_password(OLD))

    def test_an_unknown_address_gets_the_same_answer_and_no_email(self):
        known = self.ask("koordinator@blitarkota.go.id")
        unknown = self.ask("tidak-ada@blitarkota.go.id")

        self.assertEqual(unknown.status_code, known.status_code)
        self.assertEqual(unknown["Location"], known["Location"])
        self.assertEqual(len(mail.outbox), 1)

    def test_the_link_points_at_the_site_url_whatever_the_host_header(self):
        self.ask("koordinator@blitarkota.go.id", HTTP_HOST="127.0.0.1")
        self.assertIn(f"{SITE}/kerja/sandi-baru/", mail.outbox[0].body)
        self.assertNotIn("127.0.0.1", mail.outbox[0].body)

    def test_a_new_password_lifts_a_login_lockout(self):
        for n in range(5):
            self.login(f"tebakan-{n}")
        self.assertEqual(self.login(OLD).status_code, 429)

        self.ask("koordinator@blitarkota.go.id")
        self.set_password(self.link())

        self.assertEqual(self.login(NEW).status_code, 302)

    def test_two_factor_authentication_is_still_asked_after_a_reset(self):
        TOTPDevice.objects.create(user=self.coordinator, name="Aplikasi autentikator", confirmed=True)
        self.ask("koordinator@blitarkota.go.id")
        self.set_password(self.link())

        self.login(NEW)

        self.assertRedirects(
            self.client.get("/kerja/kotak-masuk/"),
            f"{reverse('accounts:verify')}?next=%2Fkerja%2Fkotak-masuk%2F",
            fetch_redirect_response=False,
        )

    def test_requests_are_limited_per_address(self):
        for _ in range(5):
            self.assertEqual(self.ask("siapa@contoh.go.id").status_code, 302)

        refused = self.ask("koordinator@blitarkota.go.id")

        self.assertContains(refused, "Terlalu banyak permintaan dari jaringan Anda. Coba lagi dalam", status_code=429)
        self.assertEqual(mail.outbox, [])

    def test_an_english_visitor_gets_the_email_in_english(self):
        self.client.cookies["django_language"] = "en"
        self.ask("koordinator@blitarkota.go.id")

        [message] = mail.outbox
        self.assertIn("Reset your password", message.subject)
        self.assertIn("Open this link to make it:", message.body)
        self.assertIn("works once, for 60 min", message.body)

    def test_an_inactive_account_gets_no_link(self):
        factory.make_user("mantan", email="mantan@blitarkota.go.id", is_active=False)
        self.ask("mantan@blitarkota.go.id")
        self.assertEqual(mail.outbox, [])


@override_settings(ADUAN_SITE_URL=SITE, TASKS=DATABASE_QUEUE)
class QueuedResetEmailTests(TransactionTestCase):
    # A TransactionTestCase: the worker claims tasks in transactions of its own.

    @keeping_signal_handlers
    def run_worker(self):
        call_command(
            "db_worker",
            f"--queue-name={queues.NOTIFY}",
            "--batch",
            "--no-reload",
            "--no-startup-delay",
            "--interval=0",
            stdout=io.StringIO(),
        )

    def test_the_page_queues_the_email_and_the_worker_sends_a_working_link(self):
        factory.make_user("koordinator", password=OLD, email="koordinator@blitarkota.go.id")
        self.client.cookies["django_language"] = "en"

        done = self.client.post(reverse("accounts:password_reset"), {"email": "koordinator@blitarkota.go.id"})

        self.assertRedirects(done, reverse("accounts:password_reset_done"))
        self.assertEqual(mail.outbox, [])  # nothing sent inside the request
        [queued] = DBTaskResult.objects.all()
        self.assertEqual((queued.queue_name, queued.task_path), (queues.NOTIFY, "accounts.tasks.send_password_reset"))
        self.assertNotIn("sandi-baru", str(queued.args_kwargs))  # the link is made by the worker, stored nowhere

        self.run_worker()

        [message] = mail.outbox
        self.assertEqual(message.to, ["koordinator@blitarkota.go.id"])
        self.assertIn("Reset your password", message.subject)  # in the language of the page that asked
        link = re.search(rf"{re.escape(SITE)}(/kerja/sandi-baru/\S+/)", message.body).group(1)
        form_url = self.client.get(link)["Location"]
        saved = self.client.post(form_url, {"new_password1": NEW, "new_password2": NEW})
        self.assertRedirects(saved, reverse("accounts:password_reset_complete"))

    def test_an_account_deactivated_before_the_worker_runs_gets_no_email(self):
        user = factory.make_user("mantan", password=OLD, email="mantan@blitarkota.go.id")
        self.client.post(reverse("accounts:password_reset"), {"email": "mantan@blitarkota.go.id"})
        user.is_active = False
        user.save()

        self.run_worker()

        self.assertEqual(mail.outbox, [])


@override_settings(ADUAN_SITE_URL=SITE, TASKS=DATABASE_QUEUE)
class ResetEmailRetryTests(TransactionTestCase):
    """The mail server down when the worker sends: the email is tried again later, a
    bounded number of times, against the real local SMTP server stopped then started."""

    run_worker = QueuedResetEmailTests.run_worker

    def setUp(self):
        self.smtp = SmtpSink().__enter__()
        self.addCleanup(self.smtp.__exit__)
        self.mail_settings = override_settings(**self.smtp.settings(), EMAIL_TIMEOUT=5)
        self.mail_settings.enable()
        self.addCleanup(self.mail_settings.disable)
        factory.make_user("koordinator", password=OLD, email="koordinator@blitarkota.go.id")

    def ask(self, email="koordinator@blitarkota.go.id"):
        return self.client.post(reverse("accounts:password_reset"), {"email": email})

    def worker_at(self, moment):
        with time_machine.travel(moment, tick=False):
            self.run_worker()

    def test_a_send_that_failed_is_tried_again_after_a_wait_and_arrives(self):
        self.smtp.stop()
        self.ask()
        asked = timezone.now()

        self.worker_at(asked)

        self.assertEqual(self.smtp.messages, [])
        retry = DBTaskResult.objects.get(status="READY")
        self.assertEqual(retry.args_kwargs["args"][-1], 2)
        self.assertEqual(retry.run_after, asked + dt.timedelta(minutes=tasks.RETRY_MINUTES[0]))
        self.worker_at(asked + dt.timedelta(seconds=30))  # not due yet
        self.assertEqual(DBTaskResult.objects.filter(status="READY").count(), 1)

        self.smtp.start()
        self.worker_at(retry.run_after + dt.timedelta(seconds=1))

        [(recipients, message)] = self.smtp.messages
        self.assertEqual(recipients, ["koordinator@blitarkota.go.id"])
        self.assertIn(f"{SITE}/kerja/sandi-baru/", message.get_content())
        self.assertFalse(DBTaskResult.objects.filter(status="READY").exists())

    def test_retries_are_bounded_then_the_task_fails(self):
        self.smtp.stop()
        self.ask()
        moment = timezone.now()
        for wait in [0, *tasks.RETRY_MINUTES]:
            moment += dt.timedelta(minutes=wait, seconds=1)
            self.worker_at(moment)
        self.worker_at(moment + dt.timedelta(days=1))

        self.assertEqual(DBTaskResult.objects.count(), 1 + len(tasks.RETRY_MINUTES))
        self.assertEqual(DBTaskResult.objects.filter(status="FAILED").count(), 1)
        self.assertFalse(DBTaskResult.objects.filter(status="READY").exists())

    def test_an_unknown_address_queues_nothing_to_retry(self):
        self.smtp.stop()
        self.assertRedirects(self.ask("bukan-siapa-siapa@blitarkota.go.id"), reverse("accounts:password_reset_done"))
        self.worker_at(timezone.now())
        self.assertFalse(DBTaskResult.objects.filter(status__in=["READY", "FAILED"]).exists())
