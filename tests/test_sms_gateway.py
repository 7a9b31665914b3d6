"""The SMS gateway client: numbers, segments, and what the gateway receives."""

import socket

from django.test import SimpleTestCase, override_settings

from gateways import sms
from gateways.http import GatewayError
from tests.fakes.server import FakeServer


class SegmentTests(SimpleTestCase):
    def assertFits(self, parts, limit):
        for part in parts:
            self.assertLessEqual(sms.length(part), limit, part)

    def test_160_gsm_characters_are_one_sms(self):
        self.assertEqual(sms.segments("a" * 160), ["a" * 160])

    def test_161_gsm_characters_are_two_parts_of_at_most_153_with_the_prefix(self):
        parts = sms.segments("a" * 161)

        self.assertEqual(len(parts), 2)
        self.assertTrue(parts[0].startswith("(1/2) ") and parts[1].startswith("(2/2) "))
        self.assertEqual(len(parts[0]), 153)
        self.assertEqual("".join(p[6:] for p in parts), "a" * 161)

    def test_gsm_extension_characters_count_twice(self):
        self.assertEqual(len(sms.segments("€" * 80)), 1)
        parts = sms.segments("€" * 80 + "a")
        self.assertEqual(len(parts), 2)
        self.assertFits(parts, 153)

    def test_70_ucs2_characters_are_one_sms_and_71_are_two_parts_of_at_most_67(self):
        self.assertEqual(sms.encoding("—" * 70), "ucs2")
        self.assertEqual(len(sms.segments("—" * 70)), 1)
        parts = sms.segments("—" * 71)
        self.assertEqual(len(parts), 2)
        self.assertEqual(sms.length(parts[0]), 67)

    def test_an_emoji_makes_the_text_ucs2_and_counts_as_two_units(self):
        text = "Terima kasih 🙏"
        self.assertEqual(sms.encoding(text), "ucs2")
        self.assertEqual(sms.length(text), 15)
        self.assertEqual(len(sms.segments("🙏" + "a" * 68)), 1)
        parts = sms.segments("🙏" + "a" * 69)
        self.assertEqual(len(parts), 2)
        self.assertFits(parts, 67)
        self.assertEqual(parts[0][6], "🙏")  # a surrogate pair is never split

    def test_long_text_breaks_between_words(self):
        text = " ".join(f"kata{i}" for i in range(120))

        parts = sms.segments(text)

        self.assertFits(parts, 153)
        self.assertEqual(" ".join(p.split(" ", 1)[1] for p in parts), text)

    def test_a_word_longer_than_a_part_is_cut_where_it_must_be(self):
        parts = sms.segments("x" * 400)

        self.assertEqual(len(parts), 3)
        self.assertFits(parts, 153)

    def test_ten_parts_or_more_reserve_room_for_the_wider_prefix(self):
        parts = sms.segments(" ".join(["jalan"] * 300))

        self.assertGreaterEqual(len(parts), 10)
        self.assertTrue(parts[9].startswith(f"(10/{len(parts)}) "))
        self.assertFits(parts, 153)


class NumberTests(SimpleTestCase):
    def test_indonesian_numbers_become_e164(self):
        for raw in ["081234567890", "6281234567890", "+62 812-3456-7890", "81234567890", "(0812) 3456.7890"]:
            with self.subTest(raw):
                self.assertEqual(sms.normalise_number(raw), "+6281234567890")

    def test_foreign_numbers_keep_their_country(self):
        self.assertEqual(sms.normalise_number("+44 20 7946 0958"), "+442079460958")
        self.assertEqual(sms.normalise_number("0044 20 7946 0958"), "+442079460958")

    def test_what_is_not_a_number_is_refused(self):
        for raw in ["", "TELKOMSEL", "0812", "+62 812 3456 7890 1234 5"]:
            with self.subTest(raw), self.assertRaises(ValueError):
                sms.normalise_number(raw)


@override_settings(ADUAN_SMS_GATEWAY_TOKEN="token-uji", ADUAN_SMS_SENDER_ID="ADUAN")
class SendTests(SimpleTestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.fake = cls.enterClassContext(FakeServer())  # one per class: stopping one is slow

    def gateway(self, status=200, body=None):
        self.fake.requests.clear()
        self.fake.respond = lambda recorded: (status, {}, body if body is not None else {})
        self.enterContext(override_settings(ADUAN_SMS_GATEWAY_URL=self.fake.url + "/"))
        return self.fake

    def test_each_segment_is_posted_with_the_token_sender_and_e164_number(self):
        fake = self.gateway(body={"id": "msg-1"})

        ids = sms.send_text("0812-3456-7890", "a" * 200)

        self.assertEqual(ids, ["msg-1", "msg-1"])
        self.assertEqual([r.path for r in fake.requests], ["/messages", "/messages"])
        first = fake.requests[0]
        self.assertEqual(first.headers["Authorization"], "Bearer token-uji")
        self.assertEqual(first.json(), {"to": "+6281234567890", "from": "ADUAN", "text": "(1/2) " + "a" * 147})

    def test_a_gateway_error_5xx_is_retryable(self):
        self.gateway(status=500, body={"error": "down"})

        with self.assertRaises(GatewayError) as caught:
            sms.send_text("081234567890", "Halo")

        self.assertEqual((caught.exception.http_status, caught.exception.retryable), (500, True))

    def test_a_refusal_4xx_is_not_retryable(self):
        self.gateway(status=400, body={"error": "bad number"})

        with self.assertRaises(GatewayError) as caught:
            sms.send_text("081234567890", "Halo")

        self.assertEqual((caught.exception.http_status, caught.exception.retryable), (400, False))

    def test_an_unreachable_gateway_is_retryable(self):
        with socket.socket() as probe:  # a port nobody listens on once closed
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]

        with (
            override_settings(ADUAN_SMS_GATEWAY_URL=f"http://127.0.0.1:{port}"),
            self.assertRaises(GatewayError) as caught,
        ):
            sms.send_text("081234567890", "Halo")

        self.assertTrue(caught.exception.retryable)

    @override_settings(ADUAN_SMS_GATEWAY_URL="")
    def test_an_unconfigured_gateway_is_not_retryable(self):
        with self.assertRaises(GatewayError) as caught:
            sms.send_text("081234567890", "Halo")

        self.assertFalse(caught.exception.retryable)

    def test_an_invalid_number_is_not_retryable_and_nothing_is_sent(self):
        fake = self.gateway()

        with self.assertRaises(GatewayError) as caught:
            sms.send_text("TELKOMSEL", "Halo")

        self.assertFalse(caught.exception.retryable)
        self.assertEqual(fake.requests, [])

    def test_a_reply_without_an_id_still_counts_as_sent(self):
        self.gateway(body=b"OK")

        self.assertEqual(sms.send_text("081234567890", "Halo"), [""])
