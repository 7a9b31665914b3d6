"""The WhatsApp Cloud API client against the fake Graph API (tests/fakes/graph_api.py)."""

from django.test import SimpleTestCase, override_settings

from gateways import whatsapp
from gateways.http import GatewayError
from tests.fakes.graph_api import PHONE_ID, TOKEN
from tests.meta_base import FakeGraphApiMixin


@override_settings(ADUAN_WHATSAPP_ACCESS_TOKEN=TOKEN, ADUAN_WHATSAPP_PHONE_NUMBER_ID=PHONE_ID)
class WhatsAppGatewayTests(FakeGraphApiMixin, SimpleTestCase):
    graph_path = "/v21.0"

    def test_send_text_posts_to_the_phone_numbers_messages_with_the_bearer_token(self):
        # The fake serves paths without the version prefix; point the base at its root.
        with override_settings(ADUAN_META_GRAPH_API_URL=self.graph.url):
            wamid = whatsapp.send_text("+62 812-3456-7890", "Laporan Anda sudah diverifikasi.")
        self.assertTrue(wamid.startswith("wamid.fake"))
        request = self.graph.requests[-1]
        self.assertEqual((request.method, request.path), ("POST", f"/{PHONE_ID}/messages"))
        self.assertEqual(request.headers["Authorization"], f"Bearer {TOKEN}")
        self.assertEqual(
            request.json(),
            {
                "messaging_product": "whatsapp",
                "recipient_type": "individual",
                "to": "6281234567890",
                "type": "text",
                "text": {"body": "Laporan Anda sudah diverifikasi.", "preview_url": False},
            },
        )

    def test_base_url_with_a_version_is_kept_in_the_path(self):
        with self.assertRaises(GatewayError) as raised:
            whatsapp.send_text("6281234567890", "tes")
        self.assertEqual(self.graph.requests[-1].path, f"/v21.0/{PHONE_ID}/messages")
        self.assertEqual(raised.exception.http_status, 404)
        self.assertFalse(raised.exception.retryable)

    def test_send_template_sends_the_name_language_and_body_parameters(self):
        with override_settings(ADUAN_META_GRAPH_API_URL=self.graph.url):
            whatsapp.send_template("081234567890", "status_laporan", "id", ["BLT-2026-000001", "Terverifikasi"])
        body = self.graph.sent[-1]
        self.assertEqual(body["to"], "6281234567890")
        self.assertEqual(
            body["template"],
            {
                "name": "status_laporan",
                "language": {"code": "id"},
                "components": [
                    {
                        "type": "body",
                        "parameters": [
                            {"type": "text", "text": "BLT-2026-000001"},
                            {"type": "text", "text": "Terverifikasi"},
                        ],
                    }
                ],
            },
        )

    def test_send_buttons_sends_reply_buttons_with_short_titles(self):
        with override_settings(ADUAN_META_GRAPH_API_URL=self.graph.url):
            whatsapp.send_buttons(
                "6281234567890", "Kirim laporan ini?", [("kirim", "Kirim"), ("ubah", "Ubah laporan saya ini")]
            )
        interactive = self.graph.sent[-1]["interactive"]
        self.assertEqual(interactive["type"], "button")
        self.assertEqual(interactive["body"], {"text": "Kirim laporan ini?"})
        self.assertEqual(
            interactive["action"]["buttons"][1],
            {"type": "reply", "reply": {"id": "ubah", "title": "Ubah laporan saya in"}},
        )

    def test_more_than_three_buttons_are_refused_before_calling_meta(self):
        with self.assertRaises(GatewayError):
            whatsapp.send_buttons("6281234567890", "?", [(str(i), str(i)) for i in range(4)])
        self.assertEqual(self.graph.requests, [])

    def test_media_info_and_download_return_the_size_as_a_number_and_the_bytes(self):
        self.graph.add_media("1003383421387256", b"\xff\xd8gambar", "image/jpeg")
        with override_settings(ADUAN_META_GRAPH_API_URL=self.graph.url):
            info = whatsapp.media_info("1003383421387256")
            data = whatsapp.download_media(info["url"])
        self.assertEqual((info["mime_type"], info["file_size"]), ("image/jpeg", 8))
        self.assertEqual(data, b"\xff\xd8gambar")
        self.assertTrue(all(r.headers["Authorization"] == f"Bearer {TOKEN}" for r in self.graph.requests))

    def test_a_wrong_token_is_a_gateway_error_that_is_not_retried(self):
        with (
            override_settings(ADUAN_META_GRAPH_API_URL=self.graph.url, ADUAN_WHATSAPP_ACCESS_TOKEN="kedaluwarsa"),
            self.assertRaises(GatewayError) as raised,
        ):
            whatsapp.send_text("6281234567890", "tes")
        self.assertEqual(raised.exception.http_status, 401)
        self.assertFalse(raised.exception.retryable)

    def test_unconfigured_channel_raises_a_gateway_error_that_is_not_retried(self):
        for missing in ("ADUAN_WHATSAPP_ACCESS_TOKEN", "ADUAN_WHATSAPP_PHONE_NUMBER_ID"):
            with self.subTest(missing), override_settings(**{missing: ""}):
                with self.assertRaises(GatewayError) as raised:
                    whatsapp.send_text("6281234567890", "tes")
                self.assertFalse(raised.exception.retryable)
        self.assertEqual(self.graph.requests, [])

    def test_a_server_error_is_retryable(self):
        self.graph.server.respond = lambda recorded: (503, {}, {"error": {"message": "busy"}})
        try:
            with override_settings(ADUAN_META_GRAPH_API_URL=self.graph.url), self.assertRaises(GatewayError) as raised:
                whatsapp.send_text("6281234567890", "tes")
        finally:
            self.graph.server.respond = self.graph.respond
        self.assertTrue(raised.exception.retryable)

    def test_numbers_become_whatsapp_ids(self):
        self.assertEqual(whatsapp.recipient("0812-3456-7890"), "6281234567890")
        self.assertEqual(whatsapp.recipient("+62 812 3456 7890"), "6281234567890")
        self.assertEqual(whatsapp.recipient("6281234567890"), "6281234567890")
        self.assertEqual(whatsapp.recipient("0062 81234567890"), "6281234567890")
        with self.assertRaises(GatewayError):
            whatsapp.recipient("12")
