"""The WhatsApp Business Cloud API client (Meta's Graph API).

Outbound messages are ``POST {ADUAN_META_GRAPH_API_URL}/{ADUAN_WHATSAPP_PHONE_NUMBER_ID}/messages``,
or ``/{account}/messages`` from another number of the business (``account``: its phone-number
id, a government's own number), with that number's token from ADUAN_WHATSAPP_ACCESS_TOKENS
when it has one, else ADUAN_WHATSAPP_ACCESS_TOKEN; inbound media is two steps:
``GET {ADUAN_META_GRAPH_API_URL}/{media-id}`` answers a short-lived download URL with the
MIME type and size, and a GET of that URL (with the same bearer token) answers the bytes.
Every call raises GatewayError: not retryable when the channel is not configured or Meta
refuses (4xx), retryable on network trouble, 429 and 5xx.
"""

import re

from django.conf import settings

from core import phones
from gateways.http import GatewayError, request

# Meta's limits for reply buttons: at most three, titles of at most 20 characters.
MAX_BUTTONS = 3
MAX_BUTTON_TITLE = 20


def configured(account=None) -> bool:
    """Whether a message can go out from ``account`` (a government's phone-number id, with
    its own token or the installation's; None: the installation's own number)."""
    return bool(
        settings.ADUAN_META_GRAPH_API_URL and _token(account) and (account or settings.ADUAN_WHATSAPP_PHONE_NUMBER_ID)
    )


def _configured(account=None):
    if not configured(account):
        raise GatewayError(
            "WhatsApp not configured "
            "(ADUAN_META_GRAPH_API_URL, ADUAN_WHATSAPP_ACCESS_TOKEN, ADUAN_WHATSAPP_PHONE_NUMBER_ID)",
            retryable=False,
        )
    if account and not re.fullmatch(r"\d{1,64}", str(account)):
        raise GatewayError(f"not a WhatsApp phone-number id: {str(account)[:70]!r}", retryable=False)


def _token(account=None) -> str:
    """The access token of ``account`` (a phone-number id): its own, else the installation's."""
    own = settings.ADUAN_WHATSAPP_ACCESS_TOKENS or {}
    return (own.get(str(account)) if account else None) or settings.ADUAN_WHATSAPP_ACCESS_TOKEN


def _headers(account=None):
    return {"Authorization": f"Bearer {_token(account)}"}


def _url(path):
    return settings.ADUAN_META_GRAPH_API_URL.rstrip("/") + "/" + path.lstrip("/")


def recipient(number) -> str:
    """A WhatsApp id (international number, digits only) from a number as people type it:
    ``+62 812-…``, ``0812…`` (an Indonesian number) or a bare wa_id such as ``62812…``."""
    try:
        return phones.e164(number, bare_is_international=True).removeprefix("+")
    except ValueError:
        raise GatewayError(f"not a WhatsApp number: {number!r}", retryable=False) from None


def _send(to, message, account=None) -> str:
    """Post ``message`` from ``account`` (a phone-number id; None: the installation's)."""
    _configured(account)
    body = {"messaging_product": "whatsapp", "recipient_type": "individual", "to": recipient(to), **message}
    sender = account or settings.ADUAN_WHATSAPP_PHONE_NUMBER_ID
    response = request("POST", _url(f"{sender}/messages"), headers=_headers(account), json=body)
    try:
        return str(response.json()["messages"][0]["id"])
    except (ValueError, KeyError, IndexError, TypeError):
        return ""  # sent, but Meta did not say under which id


def send_text(to, body, account=None) -> str:
    """Send a text message (from ``account``, a phone-number id, when given); the message
    id (``wamid.…``) Meta gave it."""
    return _send(to, {"type": "text", "text": {"body": body[:4096], "preview_url": False}}, account)


def send_template(to, name, language, parameters=(), account=None) -> str:
    """Send an approved template (the only kind of message allowed outside the 24-hour
    window after the resident's last message), its body parameters in order."""
    components = []
    if parameters:
        components.append({"type": "body", "parameters": [{"type": "text", "text": str(p)} for p in parameters]})
    template = {"name": name, "language": {"code": language}, "components": components}
    return _send(to, {"type": "template", "template": template}, account)


def send_buttons(to, body, buttons, account=None) -> str:
    """Send ``body`` with up to three reply buttons, ``buttons`` as ``(id, title)`` pairs;
    the resident's tap comes back as an ``interactive``/``button_reply`` message with the id."""
    if not 1 <= len(buttons) <= MAX_BUTTONS:
        raise GatewayError(f"WhatsApp allows 1 to {MAX_BUTTONS} reply buttons", retryable=False)
    interactive = {
        "type": "button",
        "body": {"text": body[:1024]},
        "action": {
            "buttons": [
                {"type": "reply", "reply": {"id": str(id_), "title": str(title)[:MAX_BUTTON_TITLE]}}
                for id_, title in buttons
            ]
        },
    }
    return _send(to, {"type": "interactive", "interactive": interactive}, account)


def media_info(media_id, account=None) -> dict:
    """``{"url", "mime_type", "file_size", ...}`` for an inbound media id (sent to
    ``account``, whose token reads it); ``file_size`` is an int (Meta sends it as a string
    or a number) or None when missing."""
    _configured(account)
    if not re.fullmatch(r"[\w.-]{1,200}", str(media_id or "")):
        raise GatewayError(f"not a media id: {media_id!r}", retryable=False)
    response = request("GET", _url(str(media_id)), headers=_headers(account))
    try:
        info = response.json()
        url = info["url"]
    except (ValueError, KeyError, TypeError):
        raise GatewayError(f"media {media_id}: no url in Meta's answer", retryable=False) from None
    try:
        size = int(info.get("file_size"))
    except (TypeError, ValueError):
        size = None
    return {**info, "url": url, "file_size": size}


def download_media(url, account=None) -> bytes:
    """The bytes behind a media URL from media_info (valid for a few minutes)."""
    _configured(account)
    return request("GET", url, headers=_headers(account)).content
