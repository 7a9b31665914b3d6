"""Acting on one stored mail (step 3): a new report, a message for the report named by
the tracking number in the subject, or nothing for an auto-reply; the answer queued in
the outbox. It never polls or moves mail (the poller does)."""

import logging
import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.db import transaction
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from core.errors import DomainError
from core.uploads import clean_bytes
from intake.accounts import answering, government_for
from intake.email.parsing import Unparseable, parse, strip_quoted
from intake.models import InboundMessage
from notify import actions as outbox
from reports import actions
from reports.access import SYSTEM, Reporter, find_report_for_reporter
from reports.models import Channel, ReplyChannel, Status

logger = logging.getLogger(__name__)

Outcome = InboundMessage.Outcome


def raw_of(message) -> bytes:
    with default_storage.open(message.payload["raw"], "rb") as file:
        return file.read()


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
    limit = min(settings.ADUAN_MAX_UPLOAD_BYTES, settings.ADUAN_CHANNEL_MAX_MEDIA_BYTES)
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
        # The government of the address it was sent to (intake/accounts.py).
        government=government_for("email", *mail.recipients),
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
    link = settings.ADUAN_SITE_URL + reverse("portal:track_detail", args=[report.secret])
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
    under the resident's mail; from the listed mailbox it was sent to, else
    DEFAULT_FROM_EMAIL (intake/accounts.py, ``answering``)."""
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
        received_on=answering("email", *mail.recipients),
        dedupe_key=f"email:reply:{message_id}",
    )
