"""The webhook plumbing Meta's products share (WhatsApp and Instagram).

- The verification handshake: when the webhook is registered, Meta calls
  ``GET ?hub.mode=subscribe&hub.verify_token=…&hub.challenge=…`` and expects the challenge
  back as plain text when the token is ours.
- Every POST carries ``X-Hub-Signature-256: sha256=<hex HMAC-SHA256 of the raw body>``
  keyed with the app secret; anything else is not from Meta.
"""

import hashlib
import hmac
from functools import partial

from django.conf import settings
from django.db import transaction
from django.http import HttpResponse, JsonResponse
from django.utils.translation import gettext as _

from core import jsonbody
from reports import actions

SIGNATURE_HEADER = "X-Hub-Signature-256"


class Malformed(ValueError):
    """The body is not the JSON shape Meta documents."""


def receive(request, *, label, logger, parse, store, enqueue) -> HttpResponse:
    """One webhook request of a Meta product: the handshake (GET); else a valid signature
    (403 without), a body of the documented shape (400 otherwise), each message stored once
    (``store(fields)`` answers None for a redelivery) and queued after the commit. Refusals
    are logged on the channel's ``logger`` as "<label> webhook: …"."""
    if request.method == "GET":
        return handshake(request)
    if not signature_ok(request):
        logger.warning("%s webhook: request without a valid signature refused", label)
        return HttpResponse(status=403)
    try:
        messages = parse(request.body)
    except Malformed as exc:
        logger.warning("%s webhook: malformed request refused: %s", label, exc)
        return JsonResponse({"error": str(exc)}, status=400)
    for fields in messages:
        message = store(fields)
        if message is not None:
            transaction.on_commit(partial(enqueue, message.pk))
    return JsonResponse({"ok": True})


def handshake(request) -> HttpResponse:
    token = settings.ADUAN_META_VERIFY_TOKEN
    given = request.GET.get("hub.verify_token", "")
    challenge = request.GET.get("hub.challenge", "")
    # An unconfigured token verifies nobody (an empty token would match an empty parameter).
    if request.GET.get("hub.mode") == "subscribe" and token and hmac.compare_digest(given.encode(), token.encode()):
        return HttpResponse(challenge, content_type="text/plain")
    return HttpResponse(status=403)


def signature_ok(request) -> bool:
    secret = settings.ADUAN_META_APP_SECRET
    header = request.headers.get(SIGNATURE_HEADER, "")
    if not secret or not header.startswith("sha256="):
        return False
    expected = hmac.new(secret.encode(), request.body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(header.removeprefix("sha256=").strip().lower().encode(), expected.encode())


def sign(body: bytes, secret: str) -> str:
    """The header value Meta would send for ``body`` (for tests, fakes and benchmarks)."""
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def _entries(body: bytes, expected_object: str) -> list:
    """The ``entry`` list of a webhook body for ``expected_object``, or Malformed."""
    try:
        data = jsonbody.loads(body)  # refuses a body nested too deeply (ValueError)
    except (ValueError, UnicodeDecodeError) as exc:
        raise Malformed(f"invalid JSON: {exc}") from None
    if not isinstance(data, dict) or data.get("object") != expected_object:
        raise Malformed(f"not a {expected_object} webhook")
    entries = data.get("entry")
    if not isinstance(entries, list):
        raise Malformed("entry must be a list")
    for entry in entries:
        if not isinstance(entry, dict) or not isinstance(entry.get("changes", []), list):
            raise Malformed("each entry must be an object with a list of changes")
    return entries


def _values(entry: dict, field: str) -> list[dict]:
    values = []
    for change in entry.get("changes", []):
        if not isinstance(change, dict) or not isinstance(change.get("value"), dict):
            raise Malformed("each change must be an object with a value object")
        if change.get("field") == field:
            values.append(change["value"])
    return values


def changes(body: bytes, expected_object: str, field: str = "messages") -> list[dict]:
    """The ``value`` of every change of ``field`` in a webhook body, or Malformed.

    Meta's envelope: ``{"object": …, "entry": [{"id": …, "changes": [{"field": …,
    "value": {…}}]}]}``. The whole body is checked before anything is returned, so a bad
    entry anywhere stores nothing.
    """
    return [value for entry in _entries(body, expected_object) for value in _values(entry, field)]


def messaging(body: bytes, expected_object: str) -> list[tuple[dict, dict]]:
    """``(entry, event)`` for every messaging event in a webhook body, or Malformed.

    Messenger-style products (Instagram) send ``{"object": …, "entry": [{"id": <our
    account>, "time": …, "messaging": [{"sender", "recipient", "timestamp", "message" |
    "read" | "reaction" | …}]}]}``; Meta's dashboard test sends the same event as the
    ``value`` of a ``messages`` change, so both are read. Checked whole before returning.
    """
    events = []
    for entry in _entries(body, expected_object):
        items = entry.get("messaging", [])
        if not isinstance(items, list):
            raise Malformed("messaging must be a list")
        for event in [*items, *_values(entry, "messages")]:
            if not isinstance(event, dict):
                raise Malformed("each messaging event must be an object")
            events.append((entry, event))
    return events


def photo_lost(message, report, reason) -> str:
    """A resident's photo could not be fetched from Meta, even after retries (its URL
    expires within minutes): the message is still handled, the photo is noted on the
    stored message and, when there is one, on the report for staff; the answer to the
    resident asks for the photo again. Call inside the handling transaction."""
    note = _("Foto dari pelapor tidak dapat diunduh dari Meta: %(reason)s") % {"reason": reason}
    message.error = note[:2000]
    message.save(update_fields=["error"])
    if report is not None:
        actions.note_lost_media(report, reason=note)
    return _("Maaf, foto Anda tidak dapat kami ambil karena gangguan jaringan. Silakan kirim ulang fotonya.")
