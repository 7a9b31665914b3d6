"""The email channel: an inbox read over IMAP, answers by SMTP.

``poll()`` (the ``intake.tasks.poll_mailbox`` task every minute, or ``manage.py
poll_mailbox``) goes through every message in ``IMAP_MAILBOX``, by UID:

1. fetch the raw message without marking it read;
2. store it once: the raw bytes as a file in the default storage, and an InboundMessage
   (channel ``email``, provider id = the Message-ID, or a hash of the raw bytes when there
   is none), unique per provider id, so polling twice or a crash anywhere before step 4
   creates nothing twice;
3. handle it (``handle``), in a transaction: an auto-reply or bounce is ignored and never
   answered; a subject carrying a tracking number of a report given with the same address
   attaches the mail (quoted text trimmed) to that report; anything else becomes a new
   report. Attachments go through core.uploads; refused files are named in the answer.
   The answer, with the tracking number in its subject, is queued in the notification
   outbox in the same transaction and goes out by SMTP after the commit, with retries;
4. move the mail to ``IMAP_DONE_MAILBOX``, or to ``IMAP_FAILED_MAILBOX`` when it could not
   be parsed or handled (the InboundMessage is then ``failed`` with the error). Mail is
   never deleted.

The operators' guide is docs/channels/email.md.
"""

import email
import email.errors
import email.policy
import hashlib
import imaplib
import logging
import re
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from email.parser import BytesHeaderParser
from email.utils import getaddresses, parseaddr, parsedate_to_datetime
from html.parser import HTMLParser

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from core.errors import DomainError
from core.uploads import clean_bytes
from intake.models import InboundMessage
from notify import actions as outbox
from reports import actions
from reports.access import SYSTEM, Reporter, find_report_for_reporter
from reports.models import Channel, ReplyChannel, Status

logger = logging.getLogger(__name__)

CHANNEL = "email"
RAW_FOLDER = "intake/email"
Outcome = InboundMessage.Outcome


class Unparseable(ValueError):
    """The message is not an email we can read (no sender address, broken MIME)."""


# ---------------------------------------------------------------------------- polling


def poll() -> int:
    """Handle every message waiting in the inbox; the number of messages moved out of it.
    Does nothing when IMAP_HOST is empty (the channel is off)."""
    if not settings.IMAP_HOST:
        return 0
    moved = 0
    with _imap() as inbox:
        for uid in inbox.uids():
            raw = inbox.fetch(uid)
            if raw is None:
                continue  # removed meanwhile (another poller moved it)
            outcome = receive(raw)
            target = settings.IMAP_FAILED_MAILBOX if outcome == Outcome.FAILED else settings.IMAP_DONE_MAILBOX
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


def raw_of(message) -> bytes:
    with default_storage.open(message.payload["raw"], "rb") as file:
        return file.read()


# ---------------------------------------------------------------------------- parsing


@dataclass
class Attachment:
    name: str
    data: bytes


@dataclass
class Mail:
    message_id: str
    sender: str
    sender_name: str
    subject: str
    body: str
    date: object
    attachments: list = field(default_factory=list)
    automatic: bool = False


def parse(raw: bytes) -> Mail:
    """The parts of a raw message Aduan uses, or Unparseable."""
    try:
        message = email.message_from_bytes(raw, policy=email.policy.default)
        defects = _fatal_defects(message)
        if defects:
            raise Unparseable(f"broken MIME structure: {', '.join(defects)}")
        addresses = [(name, addr) for name, addr in getaddresses([str(message.get("From", ""))]) if "@" in addr]
        if not addresses:
            raise Unparseable("no sender address (From)")
        name, address = addresses[0]
        subject = " ".join(str(message.get("Subject", "")).split())
        body, body_parts = _body(message)
        return Mail(
            message_id=" ".join(str(message.get("Message-ID", "")).split()),
            sender=address.strip().lower(),
            sender_name=name.strip(),
            subject=subject,
            body=body,
            date=_date(message),
            attachments=_attachments(message, body_parts),
            automatic=is_automatic(message, address),
        )
    except Unparseable:
        raise
    except Exception as exc:
        # The standard parser is lenient; what still raises (a header it cannot fold, a
        # charset it does not know in a place it cannot recover from) is a broken message.
        raise Unparseable(f"{type(exc).__name__}: {exc}") from exc


FATAL_DEFECTS = (
    email.errors.NoBoundaryInMultipartDefect,
    email.errors.StartBoundaryNotFoundDefect,
    email.errors.MultipartInvariantViolationDefect,
    email.errors.MissingHeaderBodySeparatorDefect,
)


def _fatal_defects(message):
    found = []
    for part in message.walk():
        found += [type(defect).__name__ for defect in part.defects if isinstance(defect, FATAL_DEFECTS)]
    return found


def _date(message):
    now = timezone.now()
    try:
        moment = parsedate_to_datetime(str(message.get("Date", "")))
    except (TypeError, ValueError, IndexError):
        return now
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    return min(moment, now)  # a sender's clock running ahead must not make it "future"


def _text_of(part) -> str:
    data = part.get_payload(decode=True) or b""
    charset = part.get_content_charset() or "utf-8"
    try:
        text = data.decode(charset, errors="replace")
    except LookupError:  # an unknown charset name: keep what can be read
        text = data.decode("utf-8", errors="replace")
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _body(message):
    """The plain-text body (HTML converted when there is no plain part), and the parts used."""
    plain = message.get_body(preferencelist=("plain",))
    if plain is not None:
        return _text_of(plain).strip(), {id(plain)}
    html = message.get_body(preferencelist=("html",))
    if html is not None:
        return html_to_text(_text_of(html)), {id(html)}
    return "", set()


def _attachments(message, body_parts):
    found = []
    for part in message.walk():
        if part.is_multipart() or id(part) in body_parts:
            continue
        filename = part.get_filename()
        if part.get_content_maintype() == "text" and not filename:
            continue  # the other alternative of the body, or a text part of a forwarded mail
        if part.get_content_type() in ("message/delivery-status", "message/disposition-notification"):
            continue
        number = len(found) + 1
        name = (filename or f"lampiran-{number}").replace("/", "_").replace("\\", "_").strip() or f"lampiran-{number}"
        found.append(Attachment(name=name[:150], data=part.get_payload(decode=True) or b""))
    return found


AUTOMATIC_SENDERS = re.compile(r"^(mailer-daemon|postmaster|no-?reply|do-?not-?reply)@", re.IGNORECASE)


def is_automatic(message, address="") -> bool:
    """An auto-reply, a bounce or bulk mail (RFC 3834): answering it could start a loop."""
    auto_submitted = str(message.get("Auto-Submitted", "")).strip().lower()
    if auto_submitted and auto_submitted != "no":
        return True
    if str(message.get("Precedence", "")).strip().lower() in ("bulk", "junk", "list", "auto_reply"):
        return True
    if message.get("X-Autoreply") or message.get("X-Autorespond"):
        return True
    if str(message.get("Return-Path", "")).strip() == "<>":
        return True  # a bounce (delivery status notification)
    if message.get_content_type() == "multipart/report":
        return True
    own = {parseaddr(settings.DEFAULT_FROM_EMAIL)[1].lower(), settings.IMAP_USER.lower()}
    address = address.strip().lower()
    return bool(AUTOMATIC_SENDERS.match(address)) or address in own


class _HtmlText(HTMLParser):
    BLOCKS = {"p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "table", "blockquote", "hr"}
    SKIP = {"script", "style", "head", "title"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.out, self.skipping = [], 0

    def handle_starttag(self, tag, attrs):
        if tag in self.SKIP:
            self.skipping += 1
        elif tag in self.BLOCKS:
            self.out.append("\n")

    def handle_endtag(self, tag):
        if tag in self.SKIP:
            self.skipping = max(0, self.skipping - 1)
        elif tag in self.BLOCKS:
            self.out.append("\n")

    def handle_data(self, data):
        if not self.skipping:
            self.out.append(data)


def html_to_text(html: str) -> str:
    parser = _HtmlText()
    parser.feed(html)
    parser.close()
    lines = [" ".join(line.split()) for line in "".join(parser.out).splitlines()]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


QUOTE_HEADER = re.compile(
    r"^[ \t]*(On|Pada|Le|Am)\b[^\n]*(\n[^\n]*){0,2}?(wrote|menulis|a écrit|schrieb)\s*:[ \t]*$",
    re.IGNORECASE | re.MULTILINE,
)
FORWARD_MARK = re.compile(r"^[ \t]*-{2,}\s*(Original Message|Pesan Asli|Forwarded message)\s*-{2,}", re.I | re.M)
SIGNATURE = re.compile(r"^-- ?$", re.MULTILINE)


def strip_quoted(text: str) -> str:
    """A reply without the quoted earlier mail: cut at "On … wrote:" / "Pada … menulis:" /
    "-----Original Message-----" or the signature mark, and drop "> " lines."""
    for pattern in (QUOTE_HEADER, FORWARD_MARK, SIGNATURE):
        match = pattern.search(text)
        if match:
            text = text[: match.start()]
    lines = [line for line in text.splitlines() if not line.lstrip().startswith(">")]
    return "\n".join(lines).strip()


# ---------------------------------------------------------------------------- handling


def tracking_number_in(subject: str) -> str:
    prefix = re.escape(settings.ADUAN_TRACKING_PREFIX)
    match = re.search(rf"(?<![\w-])({prefix}-\d{{4}}-\d{{6}})(?![\w-])", subject, re.IGNORECASE)
    return match.group(1).upper() if match else ""


def handle(message_id) -> None:
    """Act on a stored message once: lock it, skip it unless still pending, parse the raw
    mail, act, record the outcome, and queue the answer in the outbox. A failure leaves
    the message ``failed`` with the error (and the sender, when known and not a machine,
    gets a short apology)."""
    mail = None
    with translation.override("id"):
        try:
            with transaction.atomic():
                message = InboundMessage.lock_pending(message_id)
                if message is None:
                    return  # handled meanwhile
                mail = parse(raw_of(message))
                outcome, report, answer = _act(message, mail)
                message.settle(outcome, report)
                if answer is not None:
                    queue_answer(message.pk, mail, *answer, report=report)
        except Unparseable as exc:
            logger.warning("Email: message %s cannot be parsed, kept for a human: %s", message_id, exc)
            _mark_failed(message_id, f"Unparseable: {exc}", None, None)
        except DomainError as exc:
            _mark_failed(message_id, str(exc.message), mail, exc.message)
        except Exception as exc:
            logger.exception("Email: handling message %s failed", message_id)
            apology = _("Maaf, pesan Anda belum dapat kami proses. Petugas kami akan memeriksanya.")
            _mark_failed(message_id, f"{type(exc).__name__}: {exc}", mail, apology)


def _act(message, mail):
    """(outcome, report, (subject, body) of the answer or None) for one parsed mail."""
    if mail.automatic:
        return Outcome.IGNORED, None, None
    number = tracking_number_in(mail.subject)
    # Only the address that gave the report may add to it; a mail from another address
    # naming the number becomes a report of its own (nothing about the other is revealed).
    report = find_report_for_reporter(number, mail.sender) if number else None
    if report is not None:
        return _add_to_report(report, mail)
    return _new_report(message, mail)


def _cleaned(mail):
    """(clean uploads, refusal messages) for the mail's attachments."""
    kept, refused = [], []
    limit = min(settings.ADUAN_MAX_UPLOAD_BYTES, settings.CHANNEL_MAX_MEDIA_BYTES)
    for attachment in mail.attachments:
        if len(kept) >= settings.ADUAN_MAX_ATTACHMENTS:
            refused.append(
                _("Berkas %(name)s tidak disimpan: paling banyak %(n)d lampiran.")
                % {"name": attachment.name, "n": settings.ADUAN_MAX_ATTACHMENTS}
            )
            continue
        if len(attachment.data) > limit:
            refused.append(
                _("Berkas %(name)s terlalu besar (maksimal %(mb)d MB).")
                % {"name": attachment.name, "mb": limit // (1024 * 1024)}
            )
            continue
        try:
            kept.append(clean_bytes(attachment.name, attachment.data))
        except ValidationError as exc:
            refused.append(" ".join(exc.messages))
    return kept, refused


def _new_report(message, mail):
    attachments, refused = _cleaned(mail)
    description = "\n\n".join(part for part in (mail.subject, mail.body) if part)
    report = actions.submit_report(
        actor=SYSTEM,
        channel=Channel.EMAIL,
        channel_reference=message.provider_id,
        received_at=mail.date,
        title=mail.subject,
        description=description,
        reporter_name=mail.sender_name,
        reporter_email=mail.sender,
        reply_channel=ReplyChannel.EMAIL,
        attachments=attachments,
    )
    link = settings.SITE_URL + reverse("portal:track_detail", args=[report.secret])
    lines = [
        _("Laporan Anda diterima dengan nomor %(number)s. Pantau dan balas lewat %(link)s (jangan bagikan tautan ini).")
        % {"number": report.tracking_number, "link": link},
        _("Untuk menambahkan keterangan, balas email ini tanpa mengubah nomor laporan di subjek."),
    ]
    return Outcome.PROCESSED, report, (_subject(report, mail), _with_refusals(lines, refused))


def _add_to_report(report, mail):
    attachments, refused = _cleaned(mail)
    text = strip_quoted(mail.body)
    if report.status == Status.ON_HOLD:
        actions.reply_as_reporter(report, actor=Reporter(report.pk), message=text, attachments=attachments)
        line = _("Terima kasih, jawaban Anda untuk laporan %(number)s sudah kami terima.")
    else:
        actions.add_reporter_message(report, actor=Reporter(report.pk), message=text, attachments=attachments)
        line = _("Pesan Anda sudah kami tambahkan ke laporan %(number)s.")
    lines = [line % {"number": report.tracking_number}]
    return Outcome.PROCESSED, report, (_subject(report, mail), _with_refusals(lines, refused))


def _subject(report, mail):
    """``[BLT-2026-000123] Re: <their subject>``: the number is what threads the replies."""
    original = mail.subject
    number = report.tracking_number
    original = re.sub(rf"\[?{re.escape(number)}\]?", "", original, flags=re.IGNORECASE).strip()
    original = re.sub(r"^((re|aw|balas|fwd?)\s*:\s*)+", "", original, flags=re.IGNORECASE).strip()
    return f"[{number}] Re: {original}" if original else f"[{number}] " + _("Laporan Anda")


def _with_refusals(lines, refused):
    body = "\n\n".join(lines)
    if refused:
        body += "\n\n" + _("Lampiran berikut tidak kami simpan:") + "\n"
        body += "\n".join(f"- {reason}" for reason in refused)
    return body


def _mark_failed(message_id, error, mail, answer):
    with transaction.atomic():
        # Only if still pending: a concurrent poll may have handled it meanwhile.
        if InboundMessage.mark_failed(message_id, error) and mail is not None and not mail.automatic:
            subject = "Re: " + mail.subject if mail.subject else _("Pesan Anda")
            queue_answer(message_id, mail, subject, str(answer))


# ---------------------------------------------------------------------------- answers


def queue_answer(message_id, mail, subject, body, *, report=None):
    """The answer to one inbound mail, once (its dedupe key is the InboundMessage's id):
    queued in the notification outbox inside the handling transaction, so a rolled-back
    intake sends nothing and handling the mail again queues nothing new; delivered by
    SMTP after the commit, with retries, and visible to the coordinator when it fails.
    Marked as an automatic reply (RFC 3834) so other robots do not answer it; threaded
    under the resident's mail."""
    headers = {"Auto-Submitted": "auto-replied"}
    if mail.message_id:
        headers.update({"In-Reply-To": mail.message_id, "References": mail.message_id})
    return outbox.queue(
        channel="email",
        recipient=mail.sender,
        subject=subject,
        body=body,
        headers=headers,
        report=report,
        dedupe_key=f"email:reply:{message_id}",
    )


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
    factory = imaplib.IMAP4_SSL if settings.IMAP_SSL else imaplib.IMAP4
    client = factory(settings.IMAP_HOST, settings.IMAP_PORT, timeout=60)
    try:
        client.login(settings.IMAP_USER, settings.IMAP_PASSWORD)
        inbox = _Inbox(client)
        inbox.select(settings.IMAP_MAILBOX)
        yield inbox
    finally:
        with suppress(imaplib.IMAP4.error, OSError):
            client.logout()
