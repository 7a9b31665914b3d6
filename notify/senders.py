"""One sender per channel: ``send(message) -> provider message id``.

A sender raises gateways.http.GatewayError (``retryable`` says whether a later attempt may
succeed); any other exception counts as retryable trouble (an SMTP server that is down).
"""

from email.utils import make_msgid

from django.conf import settings
from django.core.mail import EmailMessage

from gateways import instagram, sms, whatsapp
from gateways.http import GatewayError
from notify.models import Channel

# Headers a message may carry (OutboxMessage.headers); nothing else reaches the mail.
EMAIL_HEADERS = ("Auto-Submitted", "In-Reply-To", "References")


def send_email(message) -> str:
    """Through Django's email backend (SMTP in production, from settings), with the
    message's own headers (an answer to a resident's mail: ``Auto-Submitted:
    auto-replied`` and the threading headers). The Message-ID is made here."""
    message_id = make_msgid(domain=settings.DEFAULT_FROM_EMAIL.rpartition("@")[2] or None)
    headers = {
        name: " ".join(str(value).split()) for name, value in (message.headers or {}).items() if name in EMAIL_HEADERS
    }
    email = EmailMessage(
        subject=message.subject.replace("\n", " ").strip(),
        body=message.body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[message.recipient],
        headers={**headers, "Message-ID": message_id},
    )
    if not email.send():
        raise GatewayError(f"email to {message.recipient} not accepted by the backend")
    return message_id


def send_whatsapp(message) -> str:
    """A text, or a text with reply buttons (the conversation's summary). Outside the
    24-hour window after the resident's last message Meta only accepts approved templates:
    such a send fails with a 4xx and is not retried."""
    if message.buttons:
        return whatsapp.send_buttons(message.recipient, message.body, [tuple(b) for b in message.buttons])
    return whatsapp.send_text(message.recipient, message.body)


def send_sms(message) -> str:
    return ",".join(sms.send_text(message.recipient, message.body))


def send_instagram(message) -> str:
    return instagram.send_text(message.recipient, message.body)


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
