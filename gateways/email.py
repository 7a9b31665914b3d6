"""Outgoing email through Django's email backend (SMTP in production, from settings): the
email channel's counterpart of the HTTP clients beside it. Only the answer headers a
message may carry get through; the Message-ID is made here and returned."""

from email.utils import make_msgid

from django.conf import settings
from django.core.mail import EmailMessage

from gateways.http import GatewayError

# Headers a message may carry (an answer to a resident's mail: Auto-Submitted and the
# threading headers; a resident's alert digest: the one-click unsubscribe of RFC 8058);
# nothing else reaches the mail.
ALLOWED_HEADERS = ("Auto-Submitted", "In-Reply-To", "References", "List-Unsubscribe", "List-Unsubscribe-Post")


def send(recipient, subject, body, headers=None) -> str:
    message_id = make_msgid(domain=settings.DEFAULT_FROM_EMAIL.rpartition("@")[2] or None)
    extra = {name: " ".join(str(value).split()) for name, value in (headers or {}).items() if name in ALLOWED_HEADERS}
    email = EmailMessage(
        subject=subject.replace("\n", " ").strip(),
        body=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[recipient],
        headers={**extra, "Message-ID": message_id},
    )
    if not email.send():
        raise GatewayError(f"email to {recipient} not accepted by the backend")
    return message_id
