"""The Instagram Messaging client (Meta's Graph API, the Send API).

- Replies are ``POST {ADUAN_META_GRAPH_API_URL}/{ADUAN_INSTAGRAM_ACCOUNT_ID}/messages`` (``/me/messages``
  while the account id is not set: the token's own account), or ``/{account}/messages``
  from another account (a government's own), with
  ``{"recipient": {"id": <Instagram-scoped id>}, "message": {"text": …}}`` and the access
  token as ``Authorization: Bearer …`` (the account's own from ADUAN_INSTAGRAM_ACCESS_TOKENS
  when it has one, else ADUAN_INSTAGRAM_ACCESS_TOKEN).
- Inbound attachments arrive as a CDN URL in the webhook (``payload.url``); ``download``
  fetches it without the token (the URL is signed by Meta, and a token has no business on
  a CDN) and stops at ADUAN_CHANNEL_MAX_MEDIA_BYTES.

Every call raises GatewayError: not retryable when the channel is not configured or Meta
refuses (4xx), retryable on network trouble, 429 and 5xx.
"""

import re
from urllib.parse import urlsplit

import httpx
from django.conf import settings

from gateways.http import TIMEOUT, GatewayError, request

# Meta refuses text messages over 1000 bytes (UTF-8) on Instagram.
MAX_TEXT_BYTES = 1000


class TooLarge(GatewayError):
    """The attachment is larger than ADUAN_CHANNEL_MAX_MEDIA_BYTES; it was not read to the end."""

    def __init__(self, message):
        super().__init__(message, retryable=False)


def _token(account=None) -> str:
    """The access token of ``account``: its own, else the installation's."""
    own = settings.ADUAN_INSTAGRAM_ACCESS_TOKENS or {}
    return (own.get(str(account)) if account else None) or settings.ADUAN_INSTAGRAM_ACCESS_TOKEN


def _configured(account=None):
    if not (settings.ADUAN_META_GRAPH_API_URL and _token(account)):
        raise GatewayError(
            "Instagram not configured (ADUAN_META_GRAPH_API_URL, ADUAN_INSTAGRAM_ACCESS_TOKEN)", retryable=False
        )


def _url(path):
    return settings.ADUAN_META_GRAPH_API_URL.rstrip("/") + "/" + path.lstrip("/")


def shorten(text, limit=MAX_TEXT_BYTES) -> str:
    """``text`` cut to ``limit`` UTF-8 bytes without splitting a character."""
    data = str(text).encode()
    if len(data) <= limit:
        return str(text)
    return data[: limit - len("…".encode())].decode(errors="ignore") + "…"


def send_text(recipient_id, text, account=None) -> str:
    """Send a text message to an Instagram-scoped user id (from ``account``, an Instagram
    account id, when given); the ``message_id`` Meta gave it."""
    _configured(account)
    if not re.fullmatch(r"\d{1,64}", str(recipient_id or "")):
        raise GatewayError(f"not an Instagram-scoped id: {recipient_id!r}", retryable=False)
    if account and not re.fullmatch(r"\d{1,64}", str(account)):
        raise GatewayError(f"not an Instagram account id: {str(account)[:70]!r}", retryable=False)
    sender = account or settings.ADUAN_INSTAGRAM_ACCOUNT_ID or "me"
    body = {"recipient": {"id": str(recipient_id)}, "message": {"text": shorten(text)}}
    response = request(
        "POST",
        _url(f"{sender}/messages"),
        headers={"Authorization": f"Bearer {_token(account)}"},
        json=body,
    )
    try:
        return str(response.json()["message_id"])
    except (ValueError, KeyError, TypeError):
        return ""  # sent, but Meta did not say under which id


def download(url) -> bytes:
    """The bytes behind an attachment URL from a webhook; TooLarge past
    ADUAN_CHANNEL_MAX_MEDIA_BYTES (announced or read), without reading the rest."""
    if urlsplit(str(url or "")).scheme not in ("https", "http"):
        raise GatewayError(f"not an attachment URL: {str(url)[:100]!r}", retryable=False)
    limit = settings.ADUAN_CHANNEL_MAX_MEDIA_BYTES
    try:
        with httpx.stream("GET", url, timeout=TIMEOUT, follow_redirects=True) as response:
            if response.status_code >= 400:
                raise GatewayError(
                    f"GET attachment: HTTP {response.status_code}",
                    status=response.status_code,
                    retryable=response.status_code == 429 or response.status_code >= 500,
                )
            announced = response.headers.get("Content-Length", "")
            if announced.isdigit() and int(announced) > limit:
                raise TooLarge(f"attachment of {announced} bytes, over the limit of {limit}")
            data = bytearray()
            for chunk in response.iter_bytes():
                data += chunk
                if len(data) > limit:
                    raise TooLarge(f"attachment over the limit of {limit} bytes")
            return bytes(data)
    except httpx.HTTPError as exc:
        # The URL carries Meta's signature in its query: keep it out of logs.
        raise GatewayError(f"GET attachment from {urlsplit(url).netloc}: {exc}") from exc
