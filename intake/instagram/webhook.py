"""The Instagram channel's webhook, ``/webhooks/instagram/``:

- ``GET``: the verification handshake (intake/meta.py).
- ``POST``:
  1. check ``X-Hub-Signature-256`` against ADUAN_META_APP_SECRET: 403 and nothing stored otherwise;
  2. check the whole body's shape: 400, logged, nothing stored when malformed;
  3. store every message as an InboundMessage (unique on the ``mid``, so a redelivered
     message creates nothing) and enqueue ``intake.tasks.process_instagram_message``
     (which runs ``handler.handle``) after the commit. Echoes of our own messages, read
     receipts, reactions and other events are acknowledged and store nothing;
  4. answer 200 at once.
"""

import datetime as dt
import logging
import re

from django.contrib.auth.decorators import login_not_required
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from intake import meta, tasks
from intake.models import InboundMessage

logger = logging.getLogger(__name__)

CHANNEL = "instagram"
OBJECT = "instagram"
ID = re.compile(r"\d{1,64}")  # Instagram-scoped ids are numeric strings


# ------------------------------------------------------------------------------ webhook


@login_not_required
@csrf_exempt
@require_http_methods(["GET", "POST"])
def webhook(request):
    return meta.receive(request, logger=logger, label="Instagram", parse=parse, store=_store, enqueue=enqueue)


def _store(fields):
    return InboundMessage.store(CHANNEL, **fields)


def enqueue(message_id):
    tasks.process_instagram_message.enqueue(message_id)


def parse(body: bytes) -> list[dict]:
    """The InboundMessage fields of every resident's message in the body, or meta.Malformed.
    Echoes (``is_echo``: what the account itself sent), deleted messages, read receipts,
    reactions and postbacks are left out."""
    messages = []
    for entry, event in meta.messaging(body, OBJECT):
        message = event.get("message")
        if message is None:
            continue  # read, reaction, postback, referral, …: acknowledged, nothing to store
        sender = event.get("sender")
        if not isinstance(message, dict) or not isinstance(sender, dict):
            raise meta.Malformed("message and sender must be objects")
        if message.get("is_echo") or message.get("is_deleted"):
            continue
        mid, sender_id, text = message.get("mid"), sender.get("id"), message.get("text", "")
        if not (isinstance(mid, str) and 1 <= len(mid) <= 200):
            raise meta.Malformed("message mid must be a string of 1 to 200 characters")
        if not (isinstance(sender_id, str) and ID.fullmatch(sender_id)):
            raise meta.Malformed("sender id must be an Instagram-scoped id (digits)")
        if not isinstance(text, str):
            raise meta.Malformed("message text must be a string")
        attachments = message.get("attachments", [])
        if not isinstance(attachments, list) or not all(
            isinstance(a, dict) and isinstance(a.get("type"), str) and isinstance(a.get("payload", {}), dict)
            for a in attachments
        ):
            raise meta.Malformed("attachments must be a list of objects with a type")
        messages.append(
            {
                "provider_id": mid,
                "sender": sender_id,
                "text": text.strip(),
                "received_at": _timestamp(event.get("timestamp")),
                "payload": {"message": message, "account": str(entry.get("id") or "")},
            }
        )
    return messages


def _timestamp(value):
    """Meta's ``timestamp`` is in milliseconds; a missing or future one is now."""
    now = timezone.now()
    try:
        moment = dt.datetime.fromtimestamp(int(value) / 1000, tz=dt.UTC)
    except (TypeError, ValueError, OverflowError, OSError):
        return now
    return min(moment, now)
