"""``/webhooks/whatsapp/``: Meta's calls for the WhatsApp Business Account.

- ``GET``: the verification handshake (intake/meta.py).
- ``POST``:
  1. check ``X-Hub-Signature-256`` against ADUAN_META_APP_SECRET: 403 and nothing stored otherwise;
  2. check the whole body's shape: 400, logged, nothing stored when malformed;
  3. store every message as an InboundMessage (unique on the wamid, so a redelivered
     message creates nothing) and enqueue its processing task after the commit;
  4. answer 200 at once. Status callbacks (sent, delivered, read) are acknowledged and
     ignored. The conversation, media downloads and replies run in the task.
"""

import datetime as dt
import logging

from django.contrib.auth.decorators import login_not_required
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from intake import meta, tasks
from intake.models import InboundMessage

logger = logging.getLogger(__name__)

CHANNEL = "whatsapp"
OBJECT = "whatsapp_business_account"


@login_not_required
@csrf_exempt
@require_http_methods(["GET", "POST"])
def webhook(request):
    return meta.receive(request, logger=logger, label="WhatsApp", parse=parse, store=store, enqueue=enqueue)


def enqueue(message_id):
    tasks.process_whatsapp_message.enqueue(message_id)


def parse(body: bytes) -> list[dict]:
    """The InboundMessage fields of every message in the body, or meta.Malformed."""
    messages = []
    for value in meta.changes(body, OBJECT):
        contacts = value.get("contacts", [])
        items = value.get("messages", [])
        if not isinstance(contacts, list) or not isinstance(items, list):
            raise meta.Malformed("contacts and messages must be lists")
        names = {
            str(c.get("wa_id")): str((c.get("profile") or {}).get("name") or "")
            for c in contacts
            if isinstance(c, dict) and isinstance(c.get("profile") or {}, dict)
        }
        for item in items:
            messages.append(_fields(item, names, value.get("metadata")))
    return messages


def _fields(item, names, metadata) -> dict:
    if not isinstance(item, dict):
        raise meta.Malformed("each message must be an object")
    wamid, sender, kind = item.get("id"), item.get("from"), item.get("type")
    if not (isinstance(wamid, str) and 1 <= len(wamid) <= 200):
        raise meta.Malformed("message id must be a string of 1 to 200 characters")
    if not (isinstance(sender, str) and sender.isdigit() and 6 <= len(sender) <= 20):
        raise meta.Malformed("message from must be a WhatsApp id (digits)")
    if not isinstance(kind, str) or not isinstance(item.get(kind, {}), dict):
        raise meta.Malformed("message type missing or its content is not an object")
    return {
        "provider_id": wamid,
        "sender": sender,
        "text": text_of(item),
        "received_at": _timestamp(item.get("timestamp")),
        "payload": {"message": item, "profile_name": names.get(sender, ""), "metadata": metadata or {}},
    }


def text_of(item) -> str:
    """What the message says, as far as it says anything in words."""
    kind = item.get("type")
    content = item.get(kind) or {}
    if kind == "text":
        text = content.get("body")
    elif kind in ("image", "document", "video"):
        text = content.get("caption")
    elif kind == "interactive":
        reply = content.get("button_reply") or content.get("list_reply") or {}
        text = reply.get("title")
    elif kind == "button":
        text = content.get("text")
    elif kind == "location":
        text = " ".join(str(content.get(k) or "") for k in ("name", "address")).strip()
    else:
        text = ""
    return str(text or "").strip()


def _timestamp(value):
    now = timezone.now()
    try:
        moment = dt.datetime.fromtimestamp(int(value), tz=dt.UTC)
    except (TypeError, ValueError, OverflowError, OSError):
        return now
    return min(moment, now)


def store(fields):
    """The new InboundMessage; None for a redelivery of a message already handled. A
    redelivery of one still pending (its task was lost, for instance the queue was down)
    is handed back to be enqueued again: processing locks the row and skips anything no
    longer pending, so a second task does nothing."""
    return InboundMessage.store(CHANNEL, **fields)
