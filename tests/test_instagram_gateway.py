"""The Instagram Send API client and attachment download, against the fake Graph API
(tests/fakes/graph_api.py)."""

from django.test import SimpleTestCase, override_settings

from gateways import instagram
from gateways.http import GatewayError
from tests.fakes.graph_api import IG_ACCOUNT_ID, TOKEN
from tests.meta_base import FakeGraphApiMixin

IGSID = "6925489197512334"


@override_settings(ADUAN_INSTAGRAM_ACCESS_TOKEN=TOKEN, ADUAN_INSTAGRAM_ACCOUNT_ID=IG_ACCOUNT_ID)
class InstagramGatewayTests(FakeGraphApiMixin, SimpleTestCase):
    def test_send_text_posts_recipient_and_text_to_the_accounts_messages_with_the_bearer_token(self):
        message_id = instagram.send_text(IGSID, "Laporan Anda sudah diverifikasi.")
        self.assertTrue(message_id.startswith("aWdfZAG1faWQ6fake"))
        request = self.graph.requests[-1]
        self.assertEqual((request.method, request.path), ("POST", f"/{IG_ACCOUNT_ID}/messages"))
        self.assertEqual(request.headers["Authorization"], f"Bearer {TOKEN}")
        self.assertEqual(
            request.json(), {"recipient": {"id": IGSID}, "message": {"text": "Laporan Anda sudah diverifikasi."}}
        )

    @override_settings(ADUAN_INSTAGRAM_ACCOUNT_ID="")
    def test_without_an_account_id_the_tokens_own_account_sends(self):
        instagram.send_text(IGSID, "tes")
        self.assertEqual(self.graph.requests[-1].path, "/me/messages")

    def test_base_url_with_a_version_is_kept_in_the_path(self):
        with (
            override_settings(ADUAN_META_GRAPH_API_URL=self.graph.url + "/v21.0"),
            self.assertRaises(GatewayError) as raised,
        ):
            instagram.send_text(IGSID, "tes")
        self.assertEqual(self.graph.requests[-1].path, f"/v21.0/{IG_ACCOUNT_ID}/messages")
        self.assertEqual(raised.exception.http_status, 404)

    def test_long_text_is_cut_to_metas_1000_bytes_without_splitting_a_character(self):
        instagram.send_text(IGSID, "é" * 800)  # 1600 bytes
        text = self.graph.instagram_sent[-1]["message"]["text"]
        self.assertLessEqual(len(text.encode()), 1000)
        self.assertTrue(text.endswith("…"))
        self.assertEqual(set(text[:-1]), {"é"})

    def test_a_recipient_that_is_not_an_instagram_scoped_id_is_refused_before_calling_meta(self):
        with self.assertRaises(GatewayError) as raised:
            instagram.send_text("+6281234567890", "tes")
        self.assertFalse(raised.exception.retryable)
        self.assertEqual(self.graph.requests, [])

    def test_a_wrong_token_is_a_gateway_error_that_is_not_retried(self):
        with override_settings(ADUAN_INSTAGRAM_ACCESS_TOKEN="kedaluwarsa"), self.assertRaises(GatewayError) as raised:
            instagram.send_text(IGSID, "tes")
        self.assertEqual(raised.exception.http_status, 401)
        self.assertFalse(raised.exception.retryable)

    @override_settings(ADUAN_INSTAGRAM_ACCESS_TOKEN="")
    def test_unconfigured_channel_raises_a_gateway_error_that_is_not_retried(self):
        with self.assertRaises(GatewayError) as raised:
            instagram.send_text(IGSID, "tes")
        self.assertFalse(raised.exception.retryable)
        self.assertEqual(self.graph.requests, [])

    def test_a_server_error_is_retryable(self):
        self.graph.server.respond = lambda recorded: (503, {}, {"error": {"message": "busy"}})
        try:
            with self.assertRaises(GatewayError) as raised:
                instagram.send_text(IGSID, "tes")
        finally:
            self.graph.server.respond = self.graph.respond
        self.assertTrue(raised.exception.retryable)

    def test_download_returns_the_bytes_without_sending_the_token_to_the_cdn(self):
        url = self.graph.add_attachment("foto.jpg", b"\xff\xd8gambar")
        self.assertEqual(instagram.download(url), b"\xff\xd8gambar")
        self.assertNotIn("Authorization", self.graph.requests[-1].headers)

    @override_settings(ADUAN_CHANNEL_MAX_MEDIA_BYTES=100)
    def test_download_over_the_limit_is_refused(self):
        url = self.graph.add_attachment("besar.jpg", b"x" * 101)
        with self.assertRaises(instagram.TooLarge) as raised:
            instagram.download(url)
        self.assertFalse(raised.exception.retryable)
        self.assertEqual(instagram.download(self.graph.add_attachment("pas.jpg", b"x" * 100)), b"x" * 100)

    def test_download_of_a_missing_attachment_is_a_gateway_error(self):
        with self.assertRaises(GatewayError) as raised:
            instagram.download(f"{self.graph.url}/cdn/hilang.jpg")
        self.assertEqual(raised.exception.http_status, 404)

    def test_download_refuses_urls_that_are_not_http(self):
        for url in ("file:///etc/passwd", "", None):
            with self.subTest(url), self.assertRaises(GatewayError):
                instagram.download(url)
        self.assertEqual(self.graph.requests, [])
