"""The SMS channel's handler, run by the task (intake.tasks.process_sms_message) for one
stored message: in a transaction, LAPOR (a new report), STATUS/CEK (a report's status) or
free text (a message for the phone's open report); the reply SMS is queued in the
notification outbox (delivered after the commit, with retries); a failure leaves the
InboundMessage ``failed`` for a human. It never enqueues tasks (the webhook does).
"""

import logging
import re

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from core import phones
from core.errors import DomainError
from intake.accounts import answering, government_for
from intake.models import InboundMessage
from notify import actions as outbox
from reports import actions
from reports.access import SYSTEM, Reporter, find_report_for_reporter
from reports.models import Channel, ReplyChannel, Report, Status

logger = logging.getLogger(__name__)

COMMAND_RE = re.compile(r"^\s*(LAPOR|STATUS|CEK)\b[\s:#]*(.*)$", re.IGNORECASE | re.DOTALL)

Outcome = InboundMessage.Outcome


def handle(message_id) -> None:
    """Act on a stored message once: lock it, skip it unless still pending, act, record the
    outcome, and send the reply after the commit. Answers are in Indonesian whatever the
    gateway's Accept-Language."""
    with translation.override("id"):
        try:
            with transaction.atomic():
                message = InboundMessage.lock_pending(message_id)
                if message is None:
                    return  # a concurrent delivery of the same id got here first
                outcome, report, reply = _act(message)
                message.settle(outcome, report)
                queue_reply(message.pk, message.sender, reply, report=report)
        except DomainError as exc:
            _mark_failed(message_id, exc.message, reply=exc.message)
        except Exception as exc:
            logger.exception("SMS webhook: handling message %s failed", message_id)
            _mark_failed(
                message_id,
                f"{type(exc).__name__}: {exc}",
                reply=_("Maaf, pesan Anda belum dapat kami proses. Petugas kami akan memeriksanya."),
            )


def _act(message):
    """(outcome, report, reply text) for one message."""
    command = COMMAND_RE.match(message.text)
    keyword, rest = (command.group(1).upper(), command.group(2).strip()) if command else ("", message.text)
    if keyword == "LAPOR":
        if not rest:
            return Outcome.IGNORED, None, how_to()
        report = actions.submit_report(
            actor=SYSTEM,
            # The government whose gateway number received it ("to", intake/accounts.py).
            government=government_for("sms", (message.payload or {}).get("to")),
            channel=Channel.SMS,
            description=rest,
            reporter_phone=message.sender,
            reply_channel=ReplyChannel.SMS,
            channel_reference=message.provider_id,
            received_at=message.received_at,
        )
        return Outcome.PROCESSED, report, _received_reply(report)
    if keyword in ("STATUS", "CEK"):
        return _status(message.sender, rest.split()[0] if rest else "")
    report = latest_open_report(message.sender)
    if report is None or not rest:
        return Outcome.IGNORED, None, how_to()
    if report.status == Status.ON_HOLD:
        actions.reply_as_reporter(report, actor=Reporter(report.pk), message=rest)
        reply = _("Terima kasih, jawaban Anda untuk laporan %(number)s sudah kami terima.")
    else:
        actions.add_reporter_message(report, actor=Reporter(report.pk), message=rest)
        reply = _("Pesan Anda sudah kami tambahkan ke laporan %(number)s.")
    return Outcome.PROCESSED, report, reply % {"number": report.tracking_number}


def _status(sender, tracking_number):
    if not tracking_number:
        example = f"{settings.ADUAN_TRACKING_PREFIX}-{timezone.localdate().year}-000123"
        return (
            Outcome.IGNORED,
            None,
            _("Ketik STATUS <nomor laporan>, misalnya STATUS %(example)s.") % {"example": example},
        )
    # Only the phone that reported learns anything: another phone gets the same answer as a
    # number that does not exist.
    report = find_report_for_reporter(tracking_number, sender)
    if report is None:
        reply = _("Laporan %(number)s tidak ditemukan untuk nomor HP ini.") % {"number": tracking_number[:40]}
        return Outcome.IGNORED, None, reply
    reply = _("Status laporan %(number)s: %(status)s.") % {
        "number": report.tracking_number,
        "status": report.get_status_display(),
    }
    if report.status == Status.ON_HOLD and report.hold_question:
        reply += " " + _("Pertanyaan petugas: %(question)s Balas SMS ini untuk menjawab.") % {
            "question": report.hold_question
        }
    return Outcome.PROCESSED, report, reply


def latest_open_report(phone):
    """The most recent open report given with this phone number (any channel), by the
    indexed E.164 column (core/phones.py): ``0812-…`` and ``+62 812 …`` are one number."""
    number = phones.e164_or_blank(phone)
    if not number:
        return None
    return Report.objects.open().filter(reporter_phone_e164=number).order_by("-received_at", "-pk").first()


def how_to() -> str:
    return _("Untuk mengirim laporan, ketik LAPOR <isi laporan>. Untuk cek status, ketik STATUS <nomor laporan>.")


def _received_reply(report) -> str:
    base = settings.ADUAN_SITE_URL
    link = base + reverse("portal:track_detail", args=[report.secret])
    return _(
        "Laporan Anda diterima dengan nomor %(number)s. Pantau dan balas lewat %(link)s (jangan bagikan tautan ini)."
    ) % {"number": report.tracking_number, "link": link}


def _mark_failed(message_id, error, *, reply):
    with transaction.atomic():
        # Only if still pending: a concurrent delivery may have handled it meanwhile.
        if InboundMessage.mark_failed(message_id, error):
            sender = InboundMessage.objects.values_list("sender", flat=True).get(pk=message_id)
            queue_reply(message_id, sender, reply)


def queue_reply(message_id, to, body, *, report=None):
    """The answer to one inbound SMS, once: queued in the handling transaction (a
    rolled-back intake sends nothing) and delivered by the outbox after the commit, with
    retries; from the number it was sent to ("to", intake/accounts.py ``answering``)."""
    payload = InboundMessage.objects.filter(pk=message_id).values_list("payload", flat=True).first() or {}
    received = payload.get("to")
    return outbox.queue(
        channel="sms",
        recipient=to,
        body=body,
        report=report,
        received_on=answering("sms", str(received) if received else None),
        dedupe_key=f"sms:reply:{message_id}",
    )
