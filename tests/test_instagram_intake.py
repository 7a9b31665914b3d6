"""Instagram direct messages: the webhook, the task that turns them into reports, and the
reporter's account kept out of sight, with tests/fakes/graph_api.py standing in for Meta's
Graph API (Send API and attachment CDN) and payloads in Meta's documented webhook shape."""

import copy
import datetime as dt
import itertools
import json
from pathlib import Path
from unittest import mock

import time_machine
from django.test import override_settings
from django.urls import reverse

from core.errors import DomainError
from intake import meta
from intake.instagram import handler as instagram
from intake.models import Conversation, InboundMessage
from notify.actions import deliver_due
from notify.models import OutboxMessage
from reports import actions
from reports.access import SYSTEM
from reports.models import ArchiveReason, Channel, ReplyChannel, Report, ReportEvent, Status
from tests.base import AduanTestCase
from tests.factory import jpeg_bytes
from tests.fakes.graph_api import IG_ACCOUNT_ID, TOKEN
from tests.meta_base import (
    ADUAN_SITE_URL,
    VERIFY_TOKEN,
    MetaWebhookTestCase,
    exif_jpeg,
    signed_post,
    waiting_photos,
)

URL = "/webhooks/instagram/"
FIXTURES = Path(__file__).parent / "fixtures" / "instagram"
IGSID = "6925489197512334"
NOW = dt.datetime(2026, 3, 10, 2, 0, tzinfo=dt.UTC)
DESCRIPTION = "Lampu penerangan jalan di Jl. Mawar depan SDN Bendogerit 2 mati sejak tiga hari, jalan gelap sekali."

_mids = itertools.count(1)


def fixture(name):
    return json.loads((FIXTURES / name).read_text())


def event_of(payload):
    return payload["entry"][0]["messaging"][0]


def with_message(name, **changes):
    """The fixture with a fresh mid and ``changes`` merged into its message."""
    payload = copy.deepcopy(fixture(name))
    message = event_of(payload)["message"]
    message["mid"] = f"aWdfZAG1faXRlbTp0ZXN0{next(_mids):08d}"
    message.update(changes)
    return payload


@override_settings(ADUAN_INSTAGRAM_ACCESS_TOKEN=TOKEN, ADUAN_INSTAGRAM_ACCOUNT_ID=IG_ACCOUNT_ID)
class InstagramTestCase(MetaWebhookTestCase):
    url = URL

    def say(self, text):
        payload = with_message("text.json", text=text)
        self.assertEqual(self.post(payload).status_code, 200)
        return payload

    def send_photo(self, data, name="foto.jpg"):
        payload = with_message("image.json")
        event_of(payload)["message"]["attachments"][0]["payload"]["url"] = self.graph.add_attachment(name, data)
        self.assertEqual(self.post(payload).status_code, 200)
        return payload

    def last_reply(self):
        return self.graph.instagram_texts()[-1]


class HandshakeTests(InstagramTestCase):
    def test_handshake_with_our_token_answers_the_challenge(self):
        response = self.client.get(
            URL, {"hub.mode": "subscribe", "hub.verify_token": VERIFY_TOKEN, "hub.challenge": "998877"}
        )
        self.assertEqual((response.status_code, response.content), (200, b"998877"))

    def test_handshake_with_a_wrong_token_is_forbidden(self):
        response = self.client.get(URL, {"hub.mode": "subscribe", "hub.verify_token": "salah", "hub.challenge": "1"})
        self.assertEqual(response.status_code, 403)


class SignatureAndShapeTests(InstagramTestCase):
    def test_unsigned_webhook_is_refused_and_stores_nothing(self):
        response = self.post(with_message("text.json"), signature=None)
        self.assertEqual(response.status_code, 403)
        self.assertFalse(InboundMessage.objects.exists())
        self.assertFalse(Report.objects.exists())
        self.assertEqual(self.graph.instagram_sent, [])

    def test_forged_signature_is_refused_and_stores_nothing(self):
        body = json.dumps(with_message("text.json")).encode()
        response = self.post(body, signature=meta.sign(body, "rahasia-orang-lain"))
        self.assertEqual(response.status_code, 403)
        self.assertFalse(InboundMessage.objects.exists())

    def test_malformed_json_is_refused_logged_and_stores_nothing(self):
        with self.assertLogs("intake.instagram", "WARNING") as logs:
            response = self.post(b'{"object": "instagram", "entry": [')
        self.assertEqual(response.status_code, 400)
        self.assertIn("malformed", logs.output[0])
        self.assertFalse(InboundMessage.objects.exists())

    def test_a_signed_body_nested_100000_levels_deep_is_refused_with_400_and_stores_nothing(self):
        nested = b'{"a": ' * 100_000 + b"1" + b"}" * 100_000
        deep = b'{"object": "instagram", "entry": [{"messaging": ' + nested + b"}]}"
        with self.assertLogs("intake.instagram", "WARNING") as logs:
            response = self.post(deep)
        self.assertEqual(response.status_code, 400)
        self.assertIn("nested", logs.output[0])
        self.assertFalse(InboundMessage.objects.exists())

    def test_a_bad_message_anywhere_refuses_the_whole_body(self):
        payload = with_message("text.json")
        good = copy.deepcopy(event_of(payload))
        bad = copy.deepcopy(good)
        bad["message"].pop("mid")
        payload["entry"][0]["messaging"] = [good, bad]
        with self.assertLogs("intake.instagram", "WARNING"):
            response = self.post(payload)
        self.assertEqual(response.status_code, 400)
        self.assertFalse(InboundMessage.objects.exists())

    def test_a_whatsapp_webhook_is_not_an_instagram_one(self):
        payload = with_message("text.json")
        payload["object"] = "whatsapp_business_account"
        with self.assertLogs("intake.instagram", "WARNING"):
            self.assertEqual(self.post(payload).status_code, 400)
        self.assertFalse(InboundMessage.objects.exists())

    def test_echo_read_receipt_and_reaction_are_acknowledged_and_store_nothing(self):
        for name in ("echo.json", "read.json", "reaction.json"):
            with self.subTest(name):
                self.assertEqual(self.post(fixture(name)).status_code, 200)
        self.assertFalse(InboundMessage.objects.exists())
        self.assertFalse(Conversation.objects.exists())
        self.assertEqual(self.graph.instagram_sent, [])

    def test_webhook_stores_the_message_and_leaves_the_work_to_the_task_after_commit(self):
        with self.captureOnCommitCallbacks(execute=False) as callbacks:
            response = signed_post(self.client, URL, with_message("text.json", text=DESCRIPTION))
        self.assertEqual(response.status_code, 200)
        message = InboundMessage.objects.get()
        self.assertEqual((message.channel, message.sender, message.text), ("instagram", IGSID, DESCRIPTION))
        self.assertEqual(message.outcome, InboundMessage.Outcome.PENDING)
        self.assertEqual(message.received_at.timestamp(), 1764321000.123)
        self.assertEqual(len(callbacks), 1)
        self.assertFalse(Report.objects.exists())


class ReportTests(InstagramTestCase):
    def test_a_text_dm_becomes_a_report_and_the_reply_goes_to_the_send_api(self):
        payload = self.say(DESCRIPTION)
        report = Report.objects.get()
        self.assertEqual(report.channel, Channel.INSTAGRAM)
        self.assertEqual(report.channel_reference, event_of(payload)["message"]["mid"])
        self.assertEqual(report.description, DESCRIPTION)
        self.assertEqual(report.status, Status.RECEIVED)
        self.assertEqual((report.reply_channel, report.reporter_account), (ReplyChannel.INSTAGRAM, IGSID))
        self.assertEqual(report.reporter_phone, "")
        self.assertEqual(ReportEvent.objects.get(report=report).action, "submitted")

        request = self.graph.requests[-1]
        self.assertEqual((request.method, request.path), ("POST", f"/{IG_ACCOUNT_ID}/messages"))
        self.assertEqual(request.headers["Authorization"], f"Bearer {TOKEN}")
        body = request.json()
        self.assertEqual(body["recipient"], {"id": IGSID})
        self.assertIn(report.tracking_number, body["message"]["text"])
        self.assertIn(f"{ADUAN_SITE_URL}/lacak/{report.secret}/", body["message"]["text"])
        message = InboundMessage.objects.get()
        self.assertEqual((message.outcome, message.report), (InboundMessage.Outcome.PROCESSED, report))

        [answer] = self.assertQueued()
        self.assertEqual((answer.channel, answer.recipient, answer.report), ("instagram", IGSID, report))
        self.assertEqual(answer.dedupe_key, f"instagram:reply:{message.pk}:0")
        self.assertEqual((answer.state, answer.body), ("sent", body["message"]["text"]))
        self.assertTrue(answer.delivery_attempts.get().provider_message_id.startswith("aWdfZAG1faWQ6fake"))

    def test_second_dm_attaches_to_the_same_report(self):
        self.say(DESCRIPTION)
        report = Report.objects.get()
        self.say("Tambahan: tiangnya juga miring.")
        self.assertEqual(Report.objects.count(), 1)
        event = ReportEvent.objects.filter(report=report).latest("pk")
        self.assertEqual((event.action, event.message), ("reporter_message", "Tambahan: tiangnya juga miring."))
        self.assertIn("tambahkan ke laporan", self.last_reply())
        self.assertIn(report.tracking_number, self.last_reply())

    def test_dm_while_on_hold_answers_the_question(self):
        self.say(DESCRIPTION)
        report = Report.objects.get()
        actions.hold_report(report, actor=self.coordinator, question="Di depan nomor rumah berapa?")
        self.say("Depan rumah nomor 14.")
        report.refresh_from_db()
        self.assertEqual(report.status, Status.RECEIVED)
        self.assertEqual(ReportEvent.objects.filter(report=report).latest("pk").action, "reporter_replied")

    def test_dm_after_the_report_is_archived_starts_a_new_report(self):
        self.say(DESCRIPTION)
        first = Report.objects.get()
        actions.archive_report(first, actor=self.coordinator, reason=ArchiveReason.UNCLEAR, message="Kurang jelas.")
        self.say("Pohon tumbang menutup Jl. Kenanga sejak tadi pagi.")
        self.assertEqual(Report.objects.count(), 2)
        self.assertEqual(Conversation.objects.get().report, Report.objects.exclude(pk=first.pk).get())

    def test_redelivered_mid_creates_nothing(self):
        payload = with_message("text.json", text=DESCRIPTION)
        self.assertEqual(self.post(payload).status_code, 200)
        self.assertEqual(self.post(payload).status_code, 200)
        self.assertEqual(InboundMessage.objects.count(), 1)
        self.assertEqual(Report.objects.count(), 1)
        self.assertEqual(len(self.graph.instagram_sent), 1)
        self.assertQueued(count=1)

    def test_a_handled_mid_delivered_again_is_not_queued_again(self):
        payload = self.say(DESCRIPTION)
        with mock.patch("intake.instagram.webhook.enqueue") as enqueue:
            self.assertEqual(self.post(payload).status_code, 200)
        enqueue.assert_not_called()

    def test_handling_a_handled_message_again_does_nothing(self):
        self.say(DESCRIPTION)
        message = InboundMessage.objects.get()
        with self.captureOnCommitCallbacks(execute=True):
            instagram.handle(message.pk)
        self.assertEqual(Report.objects.count(), 1)
        self.assertEqual((OutboxMessage.objects.count(), len(self.graph.instagram_sent)), (1, 1))

    def test_a_task_that_lost_the_race_for_a_message_does_nothing(self):
        with mock.patch("intake.instagram.webhook.enqueue"):
            self.say(DESCRIPTION)
        self.assertEqual(len(self.handle_racing_another_task(instagram)), 2)
        report = Report.objects.get()
        self.assertEqual(list(report.events.values_list("action", flat=True)), ["submitted"])
        self.assertEqual((OutboxMessage.objects.count(), len(self.graph.instagram_sent)), (1, 1))

    def test_processing_a_message_again_queues_and_sends_nothing_more(self):
        self.say(DESCRIPTION)
        message = InboundMessage.objects.get()
        InboundMessage.objects.filter(pk=message.pk).update(outcome=InboundMessage.Outcome.PENDING)

        with self.captureOnCommitCallbacks(execute=True):
            instagram.handle(message.pk)

        # The dedupe key is the inbound message's: the answer already queued is the answer.
        self.assertQueued(count=1)
        self.assertEqual(len(self.graph.instagram_sent), 1)

    def test_a_greeting_is_answered_and_does_not_become_a_report(self):
        self.say("Halo min")
        self.assertFalse(Report.objects.exists())
        self.assertIn("Ceritakan masalah", self.last_reply())
        self.say(DESCRIPTION)
        self.assertEqual(Report.objects.get().description, DESCRIPTION)

    def test_an_image_is_downloaded_cleaned_and_attached(self):
        self.say(DESCRIPTION)
        report = Report.objects.get()
        self.send_photo(exif_jpeg())
        self.assertTrue(any(r.path.startswith("/cdn/foto.jpg") for r in self.graph.requests))
        attachment = report.attachments.get()
        self.assertEqual(attachment.event.action, "reporter_message")
        self.assertExifRemoved(attachment)

    def test_a_photo_before_the_description_waits_and_joins_the_report(self):
        self.send_photo(jpeg_bytes())
        self.assertFalse(Report.objects.exists())
        self.assertEqual(len(waiting_photos("instagram")), 1)
        self.assertIn("Foto sudah kami terima", self.last_reply())
        self.say(DESCRIPTION)
        report = Report.objects.get()
        self.assertEqual(report.attachments.get().event.action, "submitted")
        self.assertEqual(waiting_photos("instagram"), [])

    @override_settings(ADUAN_CHANNEL_MAX_MEDIA_BYTES=5000)
    def test_an_oversized_image_is_refused_politely(self):
        self.say(DESCRIPTION)
        report = Report.objects.get()
        self.send_photo(jpeg_bytes(size=(400, 400)) + b"\0" * 6000)
        self.assertIn("terlalu besar", self.last_reply())
        self.assertFalse(report.attachments.exists())
        message = InboundMessage.objects.exclude(text=DESCRIPTION).get()
        self.assertEqual(message.outcome, InboundMessage.Outcome.IGNORED)

    def test_a_file_that_is_not_a_photo_is_refused_politely(self):
        self.send_photo(b"ini bukan foto")
        self.assertIn("bukan foto", self.last_reply())
        self.assertEqual(waiting_photos("instagram"), [])

    def test_unsupported_types_get_a_polite_answer_and_are_ignored(self):
        for name in ("audio.json", "story_mention.json"):
            with self.subTest(name):
                self.graph.reset()
                self.assertEqual(self.post(with_message(name)).status_code, 200)
                self.assertIn("Maaf, kami belum dapat menerima pesan jenis ini", self.last_reply())
        self.assertEqual(
            set(InboundMessage.objects.values_list("outcome", flat=True)), {InboundMessage.Outcome.IGNORED}
        )
        self.assertFalse(Report.objects.exists())
        self.assertFalse(any(r.method == "GET" for r in self.graph.requests))  # nothing downloaded

    def test_a_send_failure_does_not_lose_the_report_and_the_answer_is_retried(self):
        self.graph.server.respond = lambda recorded: (500, {}, {"error": {"message": "busy"}})
        try:
            with time_machine.travel(NOW, tick=False):
                self.say(DESCRIPTION)
        finally:
            self.graph.server.respond = self.graph.respond
        report = Report.objects.get()
        self.assertEqual(InboundMessage.objects.get().report, report)
        self.assertEqual(InboundMessage.objects.get().outcome, InboundMessage.Outcome.PROCESSED)
        [answer] = self.assertQueued()
        self.assertEqual((answer.state, answer.attempts), ("queued", 1))
        self.assertIn("500", answer.last_error)
        self.assertEqual(self.graph.instagram_sent, [])
        self.assertIn(answer, OutboxMessage.objects.troubled())  # on the coordinator's page

        with time_machine.travel(NOW + dt.timedelta(minutes=2), tick=False):
            self.assertEqual(deliver_due(), 1)

        answer.refresh_from_db()
        self.assertEqual((answer.state, answer.attempts), ("sent", 2))
        self.assertIn(report.tracking_number, self.last_reply())

    def test_the_answers_to_one_message_arrive_in_order(self):
        texts = ["Satu.", "Dua.", "Tiga."]
        with self.captureOnCommitCallbacks(execute=True):
            instagram.queue_replies(77, IGSID, texts)
        self.assertEqual(self.graph.instagram_texts(IGSID), texts)
        rows = list(OutboxMessage.objects.order_by("pk"))
        self.assertEqual([row.dedupe_key for row in rows], [f"instagram:reply:77:{n}" for n in range(3)])
        self.assertEqual([row.after_id for row in rows], [None, rows[0].pk, rows[1].pk])

    def test_a_later_answer_waits_while_the_one_before_is_retried(self):
        failing = {"first": True}

        def respond(recorded):
            if recorded.method == "POST" and failing["first"]:
                failing["first"] = False
                return 503, {}, {"error": {"message": "busy"}}
            return self.graph.respond(recorded)

        self.graph.server.respond = respond
        try:
            with time_machine.travel(NOW, tick=False), self.captureOnCommitCallbacks(execute=True):
                instagram.queue_replies(78, IGSID, ["Pertama.", "Kedua."])
            self.assertEqual(self.graph.instagram_texts(IGSID), [])  # the second did not overtake
            with time_machine.travel(NOW + dt.timedelta(minutes=2), tick=False):
                self.assertEqual(deliver_due(), 2)
        finally:
            self.graph.server.respond = self.graph.respond
        self.assertEqual(self.graph.instagram_texts(IGSID), ["Pertama.", "Kedua."])

    def test_a_failure_in_processing_marks_the_message_failed_and_apologises(self):
        with (
            mock.patch("intake.instagram.handler.actions.submit_report", side_effect=RuntimeError("db down")),
            self.assertLogs("intake.instagram", "ERROR"),
        ):
            self.say(DESCRIPTION)
        message = InboundMessage.objects.get()
        self.assertEqual(message.outcome, InboundMessage.Outcome.FAILED)
        self.assertIn("db down", message.error)
        self.assertIn("Petugas kami akan memeriksanya", self.last_reply())
        [apology] = self.assertQueued()
        self.assertEqual(
            (apology.dedupe_key, apology.report, apology.state), (f"instagram:reply:{message.pk}:0", None, "sent")
        )

    def test_a_report_with_only_a_description_is_verified_by_the_coordinator(self):
        self.say(DESCRIPTION)
        report = actions.verify_report(
            Report.objects.get(), actor=self.coordinator, category=self.category, region=self.kelurahan
        )
        self.assertEqual(
            (report.status, report.category, report.region), (Status.VERIFIED, self.category, self.kelurahan)
        )


class ReporterAccountTests(AduanTestCase):
    def instagram_report(self, **overrides):
        return self.make_report(
            channel=Channel.INSTAGRAM,
            actor=SYSTEM,
            reporter_name="",
            reporter_phone="",
            reporter_email="",
            reporter_account=IGSID,
            reply_channel=ReplyChannel.INSTAGRAM,
            **overrides,
        )

    def test_instagram_replies_need_the_reporters_account(self):
        with self.assertRaises(DomainError):
            self.make_report(channel=Channel.INSTAGRAM, reply_channel=ReplyChannel.INSTAGRAM)

    def test_coordinator_sees_the_account_on_the_report_page(self):
        report = self.instagram_report()
        self.login(self.coordinator)
        self.assertContains(self.client.get(reverse("workspace:report", args=[report.pk])), IGSID)

    def test_liaison_does_not_see_an_anonymous_reporters_account(self):
        report = self.instagram_report(is_anonymous=True)
        actions.verify_report(report, actor=self.coordinator)
        actions.dispose_report(report, actor=self.coordinator, lead_agency=self.public_works)
        self.login(self.pw_liaison)
        response = self.client.get(reverse("workspace:report", args=[report.pk]))
        self.assertEqual(response.status_code, 200)
        self.assertNotContains(response, IGSID)

    def test_public_pages_never_show_the_account(self):
        report = self.instagram_report()
        actions.verify_report(report, actor=self.coordinator)
        for url in (
            reverse("portal:public_list"),
            reverse("portal:public_detail", args=[report.tracking_number]),
            reverse("portal:track_detail", args=[report.secret]),
        ):
            with self.subTest(url):
                response = self.client.get(url)
                self.assertEqual(response.status_code, 200)
                self.assertContains(response, report.tracking_number)
                self.assertNotContains(response, IGSID)

    def test_the_web_form_does_not_offer_instagram_replies(self):
        response = self.client.get(reverse("portal:submit"))
        self.assertNotContains(response, 'value="instagram"')
