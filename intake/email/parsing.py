"""Reading one raw mail: sender, date, the text (HTML turned into text, quoted replies
and signatures trimmed), attachments, and whether it is an auto-reply or a bounce."""

import email
import email.errors
import email.policy
import re
from dataclasses import dataclass, field
from email.utils import getaddresses, parseaddr, parsedate_to_datetime
from html.parser import HTMLParser

from django.conf import settings
from django.utils import timezone

from intake.models import InboundMessage

Outcome = InboundMessage.Outcome


class Unparseable(ValueError):
    """The message is not an email we can read (no sender address, broken MIME)."""


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
    # The addresses it was delivered to, the envelope's first (Delivered-To,
    # X-Original-To), then To and Cc: which government's mailbox it reached.
    recipients: list = field(default_factory=list)


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
            recipients=_recipients(message),
        )
    except Unparseable:
        raise
    except Exception as exc:
        # The standard parser is lenient; what still raises (a header it cannot fold, a
        # charset it does not know in a place it cannot recover from) is a broken message.
        raise Unparseable(f"{type(exc).__name__}: {exc}") from exc


def _recipients(message) -> list[str]:
    headers = [
        str(value) for name in ("Delivered-To", "X-Original-To", "To", "Cc") for value in message.get_all(name) or []
    ]
    found = []
    for _name, address in getaddresses(headers):
        address = address.strip().lower()
        if "@" in address and address not in found:
            found.append(address)
    return found


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
    own = {parseaddr(settings.DEFAULT_FROM_EMAIL)[1].lower(), settings.ADUAN_IMAP_USER.lower()}
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
