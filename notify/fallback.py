"""Residents who never hear back: when a message to a reporter fails for good on its
channel (WhatsApp not configured, the SMS gateway down, a refused address), the same words
go out on another contact the reporter gave; the coordinator's report page and the
reporter's tracking page say what could not be delivered.

Order of the alternatives: WhatsApp, SMS, email — each only when the reporter gave that
contact and the channel is configured for the account the message would go out from (a
government's own WhatsApp number counts where the installation has none), never one
already tried for this message. A fallback that fails in turn falls back again, until none
is left.
"""

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

from gateways import whatsapp
from notify.accounts import sending_account
from notify.models import Channel, OutboxMessage

State = OutboxMessage.State
VIA = ":via:"


def configured(channel, account="") -> bool:
    """Whether messages can go out on ``channel`` from ``account`` (a government's own, as
    notify.accounts chooses it; empty: the installation's own). alerts/ offers WhatsApp by
    it. A government's own SMS number goes through the installation's gateway, and a
    mailbox needs nothing of its own: only WhatsApp depends on the account."""
    if channel == Channel.WHATSAPP:
        return whatsapp.configured(account or None)
    if channel == Channel.SMS:
        return bool(settings.ADUAN_SMS_GATEWAY_URL)
    return channel == Channel.EMAIL


def _contacts(report) -> list[tuple[str, str]]:
    """(channel, address) the reporter gave, in the order they are tried, where the channel
    is configured for the account a message about ``report`` goes out from."""
    return [
        (channel, address)
        for channel, address in (
            (Channel.WHATSAPP, report.reporter_phone),
            (Channel.SMS, report.reporter_phone),
            (Channel.EMAIL, report.reporter_email),
        )
        if address and configured(channel, sending_account(channel, report=report))
    ]


def tried_channels(message) -> set[str]:
    return {message.channel, *message.dedupe_key.split(VIA)[1:]}


def next_contact(message) -> dict | None:
    """After ``message`` (to a reporter) failed for good: where the same words go next —
    ``queue()``'s arguments — or None when nothing is left to try. Its dedupe key extends
    the failed one's, so it is queued once. Staff messages do not fall back (they have
    channels of their own)."""
    report = message.report
    if message.user_id is not None or report is None:
        return None
    tried = tried_channels(message)
    for channel, address in _contacts(report):
        if channel in tried:
            continue
        subject = message.subject
        if channel == Channel.EMAIL and not subject:
            with translation.override(message.language):
                subject = _("Kabar laporan %(number)s") % {"number": report.tracking_number}
        return {
            "channel": channel,
            "recipient": address,
            "subject": subject,
            "body": message.body,
            "language": message.language,
            "report": report,
            "dedupe_key": f"{message.dedupe_key}{VIA}{channel}",
        }
    return None


def undelivered(report) -> list[OutboxMessage]:
    """The messages to this report's reporter that failed for good, newest first, each
    with ``fallback_state``: the state of what went out instead (or None)."""
    failed = list(report.outbox_messages.filter(user__isnull=True, state=State.FAILED).order_by("-created_at", "-pk"))
    if not failed:
        return []
    states = dict(
        report.outbox_messages.filter(user__isnull=True, dedupe_key__contains=VIA).values_list("dedupe_key", "state")
    )
    for message in failed:
        followers = [state for key, state in states.items() if key.startswith(message.dedupe_key + VIA)]
        message.fallback_state = State.SENT if State.SENT in followers else (followers[-1] if followers else None)
    return failed


def reporter_unreachable(report) -> bool:
    """Nothing reached the reporter since the last message that failed for good: their
    tracking page says so (they may have given a wrong number or address)."""
    messages = report.outbox_messages.filter(user__isnull=True).exclude(state=State.CANCELLED)
    last_failed = messages.filter(state=State.FAILED).order_by("-created_at", "-pk").first()
    if last_failed is None:
        return False
    return not messages.filter(state=State.SENT, created_at__gte=last_failed.created_at).exists()
