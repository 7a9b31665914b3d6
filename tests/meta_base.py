"""What the Meta channels' tests share — the webhooks (tests/test_whatsapp_intake.py,
tests/test_instagram_intake.py) and the senders (tests/test_whatsapp_gateway.py,
tests/test_instagram_gateway.py, tests/test_notify_delivery.py): the fake Graph API
(tests/fakes/graph_api.py) one per class, and a webhook's POST signed with the app secret
as Meta signs it."""

import io
import json
from unittest import mock

from django.core.files.storage import default_storage
from django.test import override_settings
from PIL import Image

from intake import meta
from intake.models import InboundMessage
from tests.base import IMMEDIATE, AduanTestCase
from tests.factory import jpeg_bytes
from tests.fakes.graph_api import FakeGraphApi

APP_SECRET = "rahasia-aplikasi-meta"
VERIFY_TOKEN = "token-verifikasi-uji"
ADUAN_SITE_URL = "https://aduan.blitarkota.go.id"


def signed_post(client, url, body, *, signature="valid"):
    """POST ``body`` (bytes, or anything JSON) to the webhook at ``url`` with the
    X-Hub-Signature-256 of the app secret (``"valid"``), the one given, or none (None)."""
    body = body if isinstance(body, bytes) else json.dumps(body).encode()
    headers = {}
    if signature == "valid":
        headers["X-Hub-Signature-256"] = meta.sign(body, APP_SECRET)
    elif signature is not None:
        headers["X-Hub-Signature-256"] = signature
    return client.post(url, data=body, content_type="application/json", headers=headers)


def waiting_photos(channel):
    """The photos ``channel`` ("whatsapp", "instagram") keeps while a report is not written yet."""
    if not default_storage.exists(f"{channel}/pending"):
        return []
    return default_storage.listdir(f"{channel}/pending")[1]


def exif_jpeg():
    """A photo whose EXIF names the camera "KameraRahasia" (see assertExifRemoved)."""
    exif = Image.Exif()
    exif[0x010F] = "KameraRahasia"  # Make
    return jpeg_bytes(size=(120, 90), exif=exif.tobytes())


class FakeGraphApiMixin:
    """For a SimpleTestCase: the fake Graph API as ``cls.graph``, one per class (stopping a
    server takes up to half a second), ADUAN_META_GRAPH_API_URL pointing at it (with
    ``graph_path`` after it); emptied before each test."""

    graph_path = ""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.graph = cls.enterClassContext(FakeGraphApi())
        cls.enterClassContext(override_settings(ADUAN_META_GRAPH_API_URL=cls.graph.url + cls.graph_path))

    def setUp(self):
        super().setUp()
        self.graph.reset()


@override_settings(
    ADUAN_META_APP_SECRET=APP_SECRET,
    ADUAN_META_VERIFY_TOKEN=VERIFY_TOKEN,
    TASKS=IMMEDIATE,
    ADUAN_SITE_URL=ADUAN_SITE_URL,
)
class MetaWebhookTestCase(FakeGraphApiMixin, AduanTestCase):
    """A Meta webhook at ``url`` (the subclass's) with the fake Graph API behind it; the
    subclass configures its channel's access token and account."""

    url = None

    def post(self, body, *, signature="valid"):
        """The webhook's answer to ``body`` (see signed_post), after the task it queued on
        commit has run (ImmediateBackend) and the replies queued on the task's own commit
        have gone out."""
        with self.captureOnCommitCallbacks(execute=True):
            return signed_post(self.client, self.url, body, signature=signature)

    def handle_racing_another_task(self, handler):
        """Handle the one InboundMessage with ``handler`` (a channel's module with
        ``handle`` and ``fetch_media``) as two tasks would that both saw it pending, the
        other one winning the lock; answers the pks ``fetch_media`` was called with."""
        message = InboundMessage.objects.get()
        real_fetch, calls = handler.fetch_media, []

        def fetch_while_another_task_finishes(pending):
            calls.append(pending.pk)
            if len(calls) == 1:  # both tasks saw the message pending; the other one wins the lock
                handler.handle(pending.pk)
            return real_fetch(pending)

        with (
            mock.patch.object(handler, "fetch_media", side_effect=fetch_while_another_task_finishes),
            self.captureOnCommitCallbacks(execute=True),
        ):
            handler.handle(message.pk)
        return calls

    def assertExifRemoved(self, attachment):
        """``attachment`` (of an exif_jpeg) kept without the camera's name or any EXIF."""
        data = attachment.file.read()
        self.assertNotIn(b"KameraRahasia", data)
        self.assertEqual(dict(Image.open(io.BytesIO(data)).getexif()), {})
