"""The SMS gateway client: Indonesian numbers to E.164, long texts split into segments,
one POST per segment to ``{ADUAN_SMS_GATEWAY_URL}/messages``, from ADUAN_SMS_SENDER_ID or a
government's own number. The contract a real gateway (or an
adapter in front of one) must meet is in docs/channels/sms.md."""

import math

from django.conf import settings

from core import phones
from gateways.http import GatewayError, request

# The GSM 03.38 default alphabet. A text using only these characters (and the extension
# table, which costs two septets each: escape + character) goes out as GSM-7; anything else
# (an emoji, a Javanese script character, curly quotes) makes the whole text UCS-2.
GSM7_BASIC = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
GSM7_EXTENSION = frozenset("^{}\\[]~|€\f")

# (limit for a single message, limit for one part of a long message), in the units the
# network counts: septets for GSM-7, UTF-16 code units for UCS-2. The difference is the
# concatenation header each part carries.
LIMITS = {"gsm7": (160, 153), "ucs2": (70, 67)}


def encoding(text) -> str:
    return "gsm7" if all(ch in GSM7_BASIC or ch in GSM7_EXTENSION for ch in text) else "ucs2"


def _cost(ch, enc) -> int:
    if enc == "gsm7":
        return 2 if ch in GSM7_EXTENSION else 1
    return 2 if ord(ch) > 0xFFFF else 1  # outside the BMP: a surrogate pair


def length(text, enc=None) -> int:
    enc = enc or encoding(text)
    return sum(_cost(ch, enc) for ch in text)


def segments(text) -> list[str]:
    """The parts to send for ``text``: itself when it fits one SMS, else parts of at most
    153 septets (GSM-7) or 67 UTF-16 units (UCS-2), each starting with ``(i/n) ``, which is
    counted inside the limit. Parts break after a space or newline when there is one."""
    text = text.strip()
    enc = encoding(text)
    single, part = LIMITS[enc]
    if length(text, enc) <= single:
        return [text]
    # The prefix width depends on the number of parts, which depends on the prefix width:
    # guess, and split again with room for a wider count while the parts outnumber it (a
    # count larger than needed only reserves a digit the label may not use).
    count = math.ceil(length(text, enc) / (part - len("(1/1) ")))
    parts = _split(text, enc, part, count)
    while len(parts) > count:
        count = len(parts)
        parts = _split(text, enc, part, count)
    return [f"({i}/{len(parts)}) {p}" for i, p in enumerate(parts, 1)]


def _split(text, enc, limit, count) -> list[str]:
    parts = []
    rest = text
    while rest:
        room = limit - len(f"({len(parts) + 1}/{count}) ")
        used, cut = 0, 0
        for ch in rest:
            if used + _cost(ch, enc) > room:
                break
            used += _cost(ch, enc)
            cut += 1
        if cut < len(rest):
            space = max(rest.rfind(" ", 0, cut + 1), rest.rfind("\n", 0, cut + 1))
            if space > 0:  # a word longer than a whole part is cut where it must be
                cut = space
        parts.append(rest[:cut].rstrip())
        rest = rest[cut:].lstrip()
    return parts


def normalise_number(number) -> str:
    """An Indonesian mobile number in E.164 (``0812…``, ``62812…``, ``812…`` → ``+62812…``);
    numbers already starting with ``+`` (or ``00``) keep their country (core/phones.py).
    ValueError when it is not a phone number."""
    return phones.e164(number)


def send_text(to, body, sender=None) -> list[str]:
    """Send ``body`` to ``to``, one gateway request per segment; the gateway's message ids.
    The ``from`` is ``sender`` (a government's own gateway number) when given, else
    ADUAN_SMS_SENDER_ID.

    Raises GatewayError: not retryable when the gateway is not configured, the number is
    invalid or the gateway refuses (4xx); retryable on network trouble, 429 and 5xx. A
    failure on a later segment means the earlier ones went out (docs/channels/sms.md).
    """
    if not settings.ADUAN_SMS_GATEWAY_URL:
        raise GatewayError("SMS gateway not configured (ADUAN_SMS_GATEWAY_URL is empty)", retryable=False)
    try:
        number = normalise_number(to)
    except ValueError as exc:
        raise GatewayError(str(exc), retryable=False) from exc
    url = settings.ADUAN_SMS_GATEWAY_URL.rstrip("/") + "/messages"
    headers = {"Authorization": f"Bearer {settings.ADUAN_SMS_GATEWAY_TOKEN}"}
    sender = sender or settings.ADUAN_SMS_SENDER_ID
    ids = []
    for segment in segments(body):
        response = request("POST", url, headers=headers, json={"to": number, "from": sender, "text": segment})
        try:
            ids.append(str(response.json().get("id") or ""))
        except (ValueError, AttributeError):
            ids.append("")  # sent, but the gateway did not say under which id
    return ids
