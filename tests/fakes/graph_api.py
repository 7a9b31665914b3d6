"""A fake of Meta's Graph API for the WhatsApp Cloud API, on top of tests/fakes/server.py.

- ``POST /{phone_id}/messages``: recorded in ``.sent``, answered as Meta does
  (``{"messaging_product", "contacts", "messages": [{"id": "wamid.fake…"}]}``);
- ``GET /{media_id}``: ``{"url", "mime_type", "sha256", "file_size", "id"}``, the url
  pointing back at this server;
- ``GET /media-download/{media_id}``: the bytes.
- Instagram: ``POST /{ig_account_id}/messages`` (or ``/me/messages``), the Send API,
  recorded in ``.instagram_sent`` and answered ``{"recipient_id", "message_id"}``;
  ``GET /cdn/{name}`` serves an attachment added with ``add_attachment`` (no token: a
  CDN URL from the webhook).
Every other request must carry ``Authorization: Bearer <token>``, else 401 as Meta answers.
More numbers and accounts (a government's own): add their ids to ``phone_ids`` or
``ig_account_ids``, and an own token to ``tokens`` (account id → token, required on that
account's sends instead of the shared one); ``sent_from`` lists the account of every send,
WhatsApp and Instagram, in order.
"""

import hashlib
import itertools
import re

from tests.fakes.server import FakeServer

TOKEN = "token-graph-uji"
PHONE_ID = "106540352242922"
IG_ACCOUNT_ID = "17841400008460056"


class FakeGraphApi:
    def __init__(self, token=TOKEN, phone_id=PHONE_ID, ig_account_id=IG_ACCOUNT_ID):
        self.token = token
        self.phone_id = phone_id
        self.ig_account_id = ig_account_id
        self.attachments = {}  # CDN name → (bytes, mime type)
        self.instagram_sent = []  # the JSON bodies of the Instagram Send API
        self.media = {}  # media id → (bytes, mime type, the file_size to announce)
        self.sent = []  # the JSON bodies of POST /{phone_id}/messages
        self.sent_from = []  # the account id (path) of every send, WhatsApp and Instagram
        self.phone_ids = {phone_id}
        self.ig_account_ids = {ig_account_id}
        self.tokens = {}  # account id → its own token
        self.server = FakeServer(respond=self.respond)
        self._ids = itertools.count(1)
        self.hiccups = 0  # how many of the next file downloads answer 503 (then they work)

    def __enter__(self):
        self.server.__enter__()
        return self

    def __exit__(self, *exc):
        return self.server.__exit__(*exc)

    @property
    def url(self):
        return self.server.url

    @property
    def requests(self):
        return self.server.requests

    def reset(self):
        self.media.clear()
        self.sent.clear()
        self.attachments.clear()
        self.instagram_sent.clear()
        self.sent_from.clear()
        self.phone_ids = {self.phone_id}
        self.ig_account_ids = {self.ig_account_id}
        self.tokens = {}
        self.server.requests.clear()
        self.hiccups = 0

    def add_media(self, media_id, data, mime_type="image/jpeg", file_size=None):
        """Serve ``data`` as ``media_id``; ``file_size`` overrides what the JSON announces
        (Meta sends it as a string)."""
        self.media[str(media_id)] = (data, mime_type, str(len(data) if file_size is None else file_size))

    def add_attachment(self, name, data, mime_type="image/jpeg") -> str:
        """Serve ``data`` at a CDN-like URL, which is returned (for a webhook's payload.url)."""
        self.attachments[name] = (data, mime_type)
        return f"{self.url}/cdn/{name}?stp=dst-jpg&_nc_sig=tanda-uji"

    def instagram_texts(self, to=None):
        """The text of every Instagram message sent (to ``to`` only, if given)."""
        return [
            body["message"]["text"]
            for body in self.instagram_sent
            if to is None or body.get("recipient", {}).get("id") == to
        ]

    def texts(self, to=None):
        """Every body sent (text messages' body, interactive messages' body text)."""
        out = []
        for body in self.sent:
            if to is not None and body.get("to") != to:
                continue
            if body.get("type") == "text":
                out.append(body["text"]["body"])
            elif body.get("type") == "interactive":
                out.append(body["interactive"]["body"]["text"])
        return out

    def respond(self, recorded):
        path = recorded.path.split("?", 1)[0]
        if recorded.method == "GET" and self.hiccups and re.match(r"/(cdn|media-download)/", path):
            self.hiccups -= 1
            return 503, {}, b"Service Unavailable"
        cdn = re.fullmatch(r"/cdn/([\w.-]+)", path)
        if recorded.method == "GET" and cdn:
            if cdn.group(1) not in self.attachments:
                return 404, {}, b"Not Found"
            data, mime_type = self.attachments[cdn.group(1)]
            return 200, {"Content-Type": mime_type}, data
        send = re.fullmatch(r"/([\w.-]+)/messages", path)
        account = send.group(1) if send and recorded.method == "POST" else None
        token = self.tokens.get(account, self.token)
        if recorded.headers.get("Authorization") != f"Bearer {token}":
            return 401, {}, {"error": {"message": "Invalid OAuth access token.", "type": "OAuthException", "code": 190}}
        if account in self.phone_ids:
            body = recorded.json()
            self.sent.append(body)
            self.sent_from.append(account)
            wamid = f"wamid.fake{next(self._ids):06d}"
            return (
                200,
                {},
                {
                    "messaging_product": "whatsapp",
                    "contacts": [{"input": body.get("to"), "wa_id": body.get("to")}],
                    "messages": [{"id": wamid}],
                },
            )
        if account in self.ig_account_ids or account == "me":
            body = recorded.json()
            self.instagram_sent.append(body)
            self.sent_from.append(account)
            recipient = (body.get("recipient") or {}).get("id")
            return 200, {}, {"recipient_id": recipient, "message_id": f"aWdfZAG1faWQ6fake{next(self._ids):06d}"}
        download = re.fullmatch(r"/media-download/([\w.-]+)", path)
        if recorded.method == "GET" and download and download.group(1) in self.media:
            data, mime_type, _size = self.media[download.group(1)]
            return 200, {"Content-Type": mime_type}, data
        info = re.fullmatch(r"/([\w.-]+)", path)
        if recorded.method == "GET" and info and info.group(1) in self.media:
            media_id = info.group(1)
            data, mime_type, size = self.media[media_id]
            return (
                200,
                {},
                {
                    "messaging_product": "whatsapp",
                    "url": f"{self.url}/media-download/{media_id}",
                    "mime_type": mime_type,
                    "sha256": hashlib.sha256(data).hexdigest(),
                    "file_size": size,
                    "id": media_id,
                },
            )
        return 404, {}, {"error": {"message": "Unsupported request", "code": 100}}
