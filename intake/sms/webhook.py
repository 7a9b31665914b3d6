"""The SMS channel's inbound webhook: ``POST /webhooks/sms/`` from the SMS gateway.

1. check the shared secret (``X-Aduan-Secret``): 403 and nothing stored otherwise;
2. parse the JSON or form body (``id``, ``from``, ``text``, optional ``received_at``):
   400, logged, nothing stored when malformed;
3. store the InboundMessage in its own transaction (a redelivered id creates nothing)
   and enqueue its handling task (intake.tasks.process_sms_message, which runs
   ``handler.handle``) after the commit; answer 200 at once.

The formats are documented in docs/channels/sms.md.
"""

import hmac
import logging
from functools import partial

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.db import transaction
from django.http import HttpResponse, JsonResponse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from core import jsonbody
from gateways import sms as gateway
from intake import tasks
from intake.models import InboundMessage

logger = logging.getLogger(__name__)

CHANNEL = "sms"
SECRET_HEADER = "X-Aduan-Secret"


class Malformed(ValueError):
    pass


@login_not_required
@csrf_exempt
@require_POST
def webhook(request):
    if not _authentic(request):
        return HttpResponse(status=403)
    try:
        fields = parse(request)
    except Malformed as exc:
        logger.warning("SMS webhook: malformed request refused: %s", exc)
        return JsonResponse({"error": str(exc)}, status=400)
    message = store(fields)
    if message is not None:
        # The work (submit_report, the reply) runs in a worker: the gateway gets its answer
        # in milliseconds whatever the load. Should the queue be down, the 500 makes the
        # gateway retry, and store() hands the still-pending message back to enqueue again.
        transaction.on_commit(partial(enqueue, message.pk))
    return JsonResponse({"ok": True})


def enqueue(message_id):
    tasks.process_sms_message.enqueue(message_id)


def _authentic(request) -> bool:
    secret = settings.ADUAN_SMS_WEBHOOK_SECRET
    given = request.headers.get(SECRET_HEADER, "")
    # An unconfigured webhook accepts nobody (an empty secret would match an empty header).
    return bool(secret) and hmac.compare_digest(given.encode(), secret.encode())


def parse(request) -> dict:
    """The gateway's fields as clean values, or Malformed."""
    if request.content_type.endswith("json"):
        try:
            data = jsonbody.loads(request.body)  # refuses a body nested too deeply (ValueError)
        except (ValueError, UnicodeDecodeError) as exc:
            raise Malformed(f"invalid JSON: {exc}") from None
        if not isinstance(data, dict):
            raise Malformed("the JSON body must be an object")
    else:
        data = request.POST.dict()
    missing = [name for name in ("id", "from", "text") if data.get(name) is None]
    if missing:
        raise Malformed(f"missing field(s): {', '.join(missing)}")
    provider_id = str(data["id"]).strip()
    if not provider_id or len(provider_id) > 200:
        raise Malformed("id must be 1 to 200 characters")
    if not isinstance(data["text"], str):
        raise Malformed("text must be a string")
    try:
        sender = gateway.normalise_number(data["from"])
    except ValueError:
        raise Malformed("from is not a phone number") from None
    return {
        "provider_id": provider_id,
        "sender": sender,
        "text": data["text"].strip(),
        "received_at": _received_at(data.get("received_at")),
        "payload": data,
    }


def _received_at(value):
    now = timezone.now()
    if not value:
        return now
    moment = parse_datetime(str(value)) if isinstance(value, str) else None
    if moment is None:
        raise Malformed("received_at is not an ISO 8601 date and time")
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)  # a gateway in Blitar speaks local time
    return min(moment, now)  # a gateway clock running ahead must not make it "future"


def store(fields):
    return InboundMessage.store(CHANNEL, **fields)
