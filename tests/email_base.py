"""What the email channel's tests share (tests/test_email_intake.py: what a mail becomes;
tests/test_email_polling.py: every mail handled once and never lost, the schedule and the
command): the real servers — a private dovecot (IMAP) and aiosmtpd (SMTP) on 127.0.0.1,
started by tests/mailservers.py once per test module — the test case that points the
channel at them, and the mails delivered with IMAP APPEND."""

import datetime as dt
import io
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import make_msgid

from django.test import override_settings
from PIL import Image

from core import queues
from intake import email as channel
from reports.models import Report
from tests.base import AduanTestCase
from tests.mailservers import Dovecot, SmtpSink

RESIDENT = "sari.wulandari@contoh.id"
DONE = "Aduan/Diproses"
FAILED = "Aduan/Perlu-diperiksa"
NOW = dt.datetime(2026, 3, 13, 2, 0, tzinfo=dt.UTC)
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def jpeg(size=(40, 30), color=(200, 30, 30)):
    out = io.BytesIO()
    Image.new("RGB", size, color).save(out, "JPEG")
    return out.getvalue()


def mail(
    subject="Lampu jalan mati",
    body="Lampu jalan di Jl. Merdeka depan SDN 3 mati sejak seminggu.",
    *,
    sender=f"Sari Wulandari <{RESIDENT}>",
    html=None,
    attachments=(),
    headers=None,
    message_id=None,
):
    message = EmailMessage()
    message["From"] = sender
    message["To"] = "aduan@blitarkota.go.id"
    message["Subject"] = subject
    message["Date"] = "Thu, 12 Mar 2026 19:42:05 +0700"
    message["Message-ID"] = message_id or make_msgid(domain="contoh.id")
    for name, value in (headers or {}).items():
        message[name] = value
    if body is not None:
        message.set_content(body)
    if html is not None:
        if body is None:
            message.set_content(html, subtype="html")
        else:
            message.add_alternative(html, subtype="html")
    for filename, data, mime in attachments:
        maintype, subtype = mime.split("/")
        message.add_attachment(data, maintype=maintype, subtype=subtype, filename=filename)
    return message


SERVERS = {}


def start_servers():
    """A test module's ``setUpModule``: one server pair per module (stopping dovecot takes
    about a second). A dovecot that cannot start fails every test of the module loudly
    (RuntimeError with its log), never a skip."""
    SERVERS["imap"] = Dovecot().start()
    SERVERS["smtp"] = SmtpSink().__enter__()


def stop_servers():
    """A test module's ``tearDownModule``."""
    SERVERS.pop("smtp").__exit__(None, None, None)
    SERVERS.pop("imap").stop()


class EmailChannelTestCase(AduanTestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.imap, cls.smtp = SERVERS["imap"], SERVERS["smtp"]
        cls.enterClassContext(
            override_settings(
                **cls.imap.settings(),
                **cls.smtp.settings(),
                DEFAULT_FROM_EMAIL="aduan@blitarkota.go.id",
                ADUAN_TRACKING_PREFIX="BLT",
                # Answers go through the outbox; its delivery task runs on commit.
                TASKS={
                    "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend", "QUEUES": queues.ALL}
                },
            )
        )

    def setUp(self):
        self.imap.clear()
        self.smtp.clear()

    def deliver(self, message):
        raw = message if isinstance(message, bytes) else message.as_bytes(policy=SMTP)
        self.imap.append(raw)
        return message

    def poll(self):
        with self.captureOnCommitCallbacks(execute=True):
            return channel.poll()

    def answers(self, to=RESIDENT):
        return [message for recipients, message in self.smtp.messages if to in recipients]

    def answer_text(self, to=RESIDENT):
        return "\n".join(message.get_content() for message in self.answers(to))

    def report_by_mail(self, **kwargs):
        self.deliver(mail(**kwargs))
        self.poll()
        report = Report.objects.latest("pk")
        self.smtp.clear()
        return report
