"""One sender per channel: ``send(message) -> provider message id``.

A sender raises gateways.http.GatewayError (``retryable`` says whether a later attempt may
succeed); any other exception counts as retryable trouble (an SMTP server that is down).
Each sends from the message's ``account`` (a government's own number, account or mailbox,
chosen when it was queued), or from the installation's when it has none.
"""

from gateways import email, instagram, sms, whatsapp
from gateways.http import GatewayError
from notify.models import Channel


def send_email(message) -> str:
    """Through gateways/email.py (Django's email backend), with the message's own headers
    (an answer to a resident's mail: ``Auto-Submitted: auto-replied`` and the threading
    headers)."""
    return email.send(message.recipient, message.subject, message.body, message.headers, sender=message.account or None)


def send_whatsapp(message) -> str:
    """A text, or a text with reply buttons (the conversation's summary). Outside the
    24-hour window after the resident's last message Meta only accepts approved templates:
    such a send fails with a 4xx and is not retried."""
    account = message.account or None
    if message.buttons:
        return whatsapp.send_buttons(
            message.recipient, message.body, [tuple(b) for b in message.buttons], account=account
        )
    return whatsapp.send_text(message.recipient, message.body, account=account)


def send_sms(message) -> str:
    return ",".join(sms.send_text(message.recipient, message.body, sender=message.account or None))


def send_instagram(message) -> str:
    return instagram.send_text(message.recipient, message.body, account=message.account or None)


SENDERS = {
    Channel.EMAIL: send_email,
    Channel.WHATSAPP: send_whatsapp,
    Channel.SMS: send_sms,
    Channel.INSTAGRAM: send_instagram,
}


def send(message) -> str:
    sender = SENDERS.get(message.channel)
    if sender is None:
        raise GatewayError(f"no sender for channel {message.channel!r}", retryable=False)
    return sender(message)
