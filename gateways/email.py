"""Outgoing email through Django's email backend (SMTP in production, from settings): the
email channel's counterpart of the HTTP clients beside it. Only the answer headers a
message may carry get through; the Message-ID is made here and returned. A message from a
government's own mailbox has it as From and Reply-To; any other comes from
DEFAULT_FROM_EMAIL."""

from email.utils import make_msgid, parseaddr

from django.conf import settings
from django.core.mail import EmailMessage

from gateways.http import GatewayError

# Headers a message may carry (an answer to a resident's mail: Auto-Submitted and the
# threading headers; a resident's alert digest: the one-click unsubscribe of RFC 8058);
# nothing else reaches the mail.
ALLOWED_HEADERS = ("Auto-Submitted", "In-Reply-To", "References", "List-Unsubscribe", "List-Unsubscribe-Post")


def send(recipient, subject, body, headers=None, sender=None) -> str:
    """Send one mail, from ``sender`` (a mailbox address, also its Reply-To) when given;
    the Message-ID it went out with."""
    if sender and ("@" not in sender or any(ch in sender for ch in "\r\n<>,")):
        raise GatewayError(f"not a mailbox address: {sender[:100]!r}", retryable=False)
    from_email = sender or settings.DEFAULT_FROM_EMAIL
    message_id = make_msgid(domain=parseaddr(from_email)[1].rpartition("@")[2] or None)
    extra = {name: " ".join(str(value).split()) for name, value in (headers or {}).items() if name in ALLOWED_HEADERS}
    email = EmailMessage(
        subject=subject.replace("\n", " ").strip(),
        body=body,
        from_email=from_email,
        to=[recipient],
        reply_to=[sender] if sender else None,
        headers={**extra, "Message-ID": message_id},
    )
    if not email.send():
        raise GatewayError(f"email to {recipient} not accepted by the backend")
    return message_id
