"""Reading the inbox (steps 1, 2 and 4 of the package's docstring): fetch each mail by
UID, store it once (raw bytes and an InboundMessage), hand it to the handler, move it."""

import email
import email.errors
import email.policy
import hashlib
import imaplib
import logging
import re
from contextlib import contextmanager, suppress
from email.parser import BytesHeaderParser

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone

from intake.email.handler import handle
from intake.email.parsing import Unparseable, parse
from intake.models import InboundMessage

logger = logging.getLogger(__name__)

CHANNEL = "email"
RAW_FOLDER = "intake/email"
Outcome = InboundMessage.Outcome


# ---------------------------------------------------------------------------- polling


def poll() -> int:
    """Handle every message waiting in the inbox; the number of messages moved out of it.
    Does nothing when ADUAN_IMAP_HOST is empty (the channel is off)."""
    if not settings.ADUAN_IMAP_HOST:
        return 0
    moved = 0
    with _imap() as inbox:
        for uid in inbox.uids():
            raw = inbox.fetch(uid)
            if raw is None:
                continue  # removed meanwhile (another poller moved it)
            outcome = receive(raw)
            target = (
                settings.ADUAN_IMAP_FAILED_MAILBOX if outcome == Outcome.FAILED else settings.ADUAN_IMAP_DONE_MAILBOX
            )
            if inbox.move(uid, target):
                moved += 1
    return moved


def receive(raw: bytes) -> str:
    """Store and handle one raw message (once); the outcome it has afterwards."""
    provider_id = provider_id_of(raw)
    earlier = InboundMessage.objects.filter(channel=CHANNEL, provider_id=provider_id).first()
    if earlier is None or earlier.outcome == Outcome.PENDING:
        message = store(raw, provider_id)
        if message is not None:
            handle(message.pk)
    return InboundMessage.objects.values_list("outcome", flat=True).get(channel=CHANNEL, provider_id=provider_id)


def provider_id_of(raw: bytes) -> str:
    """The Message-ID (read leniently, so even a broken message has its id), else a hash."""
    headers = BytesHeaderParser(policy=email.policy.compat32).parsebytes(raw)
    message_id = " ".join(str(headers.get("Message-ID", "")).split())
    if message_id and len(message_id) <= 200:
        return message_id
    return "sha256:" + hashlib.sha256(raw).hexdigest()


def store(raw: bytes, provider_id: str):
    """The InboundMessage for ``raw`` (None when it was already handled); the raw bytes are
    kept in the default storage under their hash, named in ``payload["raw"]``."""
    digest = hashlib.sha256(raw).hexdigest()
    name = f"{RAW_FOLDER}/{digest[:2]}/{digest}.eml"
    if not default_storage.exists(name):
        name = default_storage.save(name, ContentFile(raw))
    fields = {"sender": "", "text": "", "received_at": timezone.now()}
    try:
        mail = parse(raw)
    except Unparseable as exc:  # handle() records the error on the message
        logger.warning("Email %s cannot be parsed: %s", provider_id, exc)
    else:
        fields.update(sender=mail.sender[:200], text=mail.body, received_at=mail.date)
    payload = {"raw": name, "size": len(raw), "sha256": digest}
    return InboundMessage.store(CHANNEL, provider_id=provider_id, payload=payload, **fields)


# ---------------------------------------------------------------------------- IMAP


class _Inbox:
    """The few IMAP commands the channel needs, on a selected mailbox."""

    def __init__(self, client):
        self.client = client
        self.capabilities = {c.upper() for c in client.capabilities}
        self.separator = self._separator()
        self.created = set()

    def _separator(self):
        typ, data = self.client.list('""', '""')
        match = re.search(rb'\) "(.)"', data[0] or b"") if typ == "OK" and data else None
        return match.group(1).decode() if match else "/"

    def name(self, mailbox):
        return _quote(mailbox.replace("/", self.separator))

    def select(self, mailbox):
        typ, data = self.client.select(self.name(mailbox))
        if typ != "OK":
            raise imaplib.IMAP4.error(f"cannot open {mailbox}: {data}")

    def uids(self):
        typ, data = self.client.uid("SEARCH", None, "UNDELETED")
        return data[0].split() if typ == "OK" and data and data[0] else []

    def fetch(self, uid):
        typ, data = self.client.uid("FETCH", uid, "(BODY.PEEK[])")
        if typ != "OK":
            return None
        return next((part[1] for part in data if isinstance(part, tuple)), None)

    def move(self, uid, mailbox) -> bool:
        """Move one message (MOVE, else COPY + delete + expunge); False, logged, when the
        server refuses: the message stays in the inbox and the next poll tries again."""
        target = self.name(mailbox)
        if mailbox not in self.created:
            self.client.create(target)  # NO when it exists already: fine
            self.created.add(mailbox)
        if "MOVE" in self.capabilities:
            typ, data = self.client.uid("MOVE", uid, target)
        else:
            typ, data = self.client.uid("COPY", uid, target)
            if typ == "OK":
                self.client.uid("STORE", uid, "+FLAGS.SILENT", r"(\Deleted)")
                if "UIDPLUS" in self.capabilities:
                    self.client.uid("EXPUNGE", uid)
                else:
                    self.client.expunge()
        if typ != "OK":
            logger.warning("Email: cannot move message %s to %s: %s", uid.decode(), mailbox, data)
            return False
        return True


def _quote(mailbox):
    return '"' + mailbox.replace("\\", "\\\\").replace('"', '\\"') + '"'


@contextmanager
def _imap():
    factory = imaplib.IMAP4_SSL if settings.ADUAN_IMAP_SSL else imaplib.IMAP4
    client = factory(settings.ADUAN_IMAP_HOST, settings.ADUAN_IMAP_PORT, timeout=60)
    try:
        client.login(settings.ADUAN_IMAP_USER, settings.ADUAN_IMAP_PASSWORD)
        inbox = _Inbox(client)
        inbox.select(settings.ADUAN_IMAP_MAILBOX)
        yield inbox
    finally:
        with suppress(imaplib.IMAP4.error, OSError):
            client.logout()
