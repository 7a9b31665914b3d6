"""The WhatsApp webhook and guided conversation, with tests/fakes/graph_api.py standing in
for Meta's Graph API and payloads in Meta's documented webhook shape."""

import copy
import itertools
import json
from pathlib import Path
from unittest import mock

from django.test import override_settings

from core import queues
from intake import meta
from intake.models import Conversation, InboundMessage
from intake.whatsapp import conversation
from intake.whatsapp.conversation import EDIT, SEND, Reply, match_region, queue_replies
from notify.models import OutboxMessage
from reports import actions
from reports.models import ArchiveReason, Channel, ReplyChannel, Report, ReportEvent, Status
from tests import factory
from tests.base import AduanTestCase
from tests.factory import jpeg_bytes
from tests.fakes.graph_api import PHONE_ID, TOKEN
from tests.meta_base import (
    ADUAN_SITE_URL,
    APP_SECRET,
    VERIFY_TOKEN,
    MetaWebhookTestCase,
    exif_jpeg,
    signed_post,
    waiting_photos,
)

URL = "/webhooks/whatsapp/"
FIXTURES = Path(__file__).parent / "fixtures" / "whatsapp"
WA_ID = "6281234567890"
DESCRIPTION = "Lampu penerangan jalan di depan SDN Bendogerit 2 mati sejak tiga hari, jalan gelap sekali."

_wamids = itertools.count(1)


def fixture(name):
    return json.loads((FIXTURES / name).read_text())


def with_message(name, **changes):
    """The fixture with a fresh wamid (unless given) and ``changes`` merged into its message."""
    payload = copy.deepcopy(fixture(name))
    message = payload["entry"][0]["changes"][0]["value"]["messages"][0]
    message["id"] = f"wamid.test{next(_wamids):08d}"
    message.update(changes)
    return payload


@override_settings(ADUAN_WHATSAPP_ACCESS_TOKEN=TOKEN, ADUAN_WHATSAPP_PHONE_NUMBER_ID=PHONE_ID)
class WhatsAppTestCase(MetaWebhookTestCase):
    url = URL

    def say(self, text, **changes):
        response = self.post(with_message("text.json", text={"body": text}, **changes))
        self.assertEqual(response.status_code, 200)
        return response

    def send_photo(self, data, media_id="1003383421387256", **media):
        self.graph.add_media(media_id, data, **media)
        message = with_message("image.json")
        message["entry"][0]["changes"][0]["value"]["messages"][0]["image"]["id"] = media_id
        return self.post(message)

    def tap(self, button_id, title):
        return self.post(
            with_message(
                "interactive_button_reply.json",
                interactive={"type": "button_reply", "button_reply": {"id": button_id, "title": title}},
            )
        )

    def last_reply(self):
        return self.graph.texts()[-1]

    def file_report(self):
        """Walk the conversation to the end with text only; the report."""
        self.say(DESCRIPTION)
        self.say("Bendogerit, Jl. Mawar 12")
        self.say("lewati")
        self.tap("kirim", "Kirim")
        return Report.objects.get(channel=Channel.WHATSAPP)


class HandshakeTests(WhatsAppTestCase):
    def test_handshake_with_our_token_answers_the_challenge_as_plain_text(self):
        response = self.client.get(
            URL, {"hub.mode": "subscribe", "hub.verify_token": VERIFY_TOKEN, "hub.challenge": "1158201444"}
        )
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.content, b"1158201444")
        self.assertTrue(response["Content-Type"].startswith("text/plain"))

    def test_handshake_with_a_wrong_token_is_forbidden(self):
        response = self.client.get(
            URL, {"hub.mode": "subscribe", "hub.verify_token": "tebakan", "hub.challenge": "1158201444"}
        )
        self.assertEqual(response.status_code, 403)
        self.assertNotIn(b"1158201444", response.content)

    @override_settings(ADUAN_META_VERIFY_TOKEN="")
    def test_handshake_is_forbidden_while_no_token_is_configured(self):
        response = self.client.get(URL, {"hub.mode": "subscribe", "hub.verify_token": "", "hub.challenge": "1"})
        self.assertEqual(response.status_code, 403)


class SignatureAndShapeTests(WhatsAppTestCase):
    def test_unsigned_post_is_forbidden_and_stores_nothing(self):
        response = self.post(with_message("text.json"), signature=None)
        self.assertEqual(response.status_code, 403)
        self.assertFalse(InboundMessage.objects.exists())
        self.assertEqual(self.graph.sent, [])

    def test_post_signed_with_another_secret_is_forbidden_and_stores_nothing(self):
        body = json.dumps(with_message("text.json")).encode()
        response = self.post(body, signature=meta.sign(body, "rahasia-orang-lain"))
        self.assertEqual(response.status_code, 403)
        self.assertFalse(InboundMessage.objects.exists())

    def test_signature_of_a_different_body_is_refused(self):
        signed = json.dumps(with_message("text.json")).encode()
        tampered = signed.replace(b"Halo", b"Hola")
        response = self.post(tampered, signature=meta.sign(signed, APP_SECRET))
        self.assertEqual(response.status_code, 403)
        self.assertFalse(InboundMessage.objects.exists())

    @override_settings(ADUAN_META_APP_SECRET="")
    def test_every_post_is_forbidden_while_no_app_secret_is_configured(self):
        body = json.dumps(with_message("text.json")).encode()
        response = self.post(body, signature=meta.sign(body, ""))
        self.assertEqual(response.status_code, 403)
        self.assertFalse(InboundMessage.objects.exists())

    def test_malformed_json_is_refused_logged_and_stores_nothing(self):
        with self.assertLogs("intake.whatsapp.webhook", "WARNING") as logs:
            response = self.post(b'{"object": "whatsapp_business_account", "entry": [')
        self.assertEqual(response.status_code, 400)
        self.assertIn("malformed", logs.output[0])
        self.assertFalse(InboundMessage.objects.exists())

    def test_a_signed_body_nested_100000_levels_deep_is_refused_with_400_and_stores_nothing(self):
        deep = b'{"object": "whatsapp_business_account", "entry": ' + b"[" * 100_000 + b"]" * 100_000 + b"}"
        with self.assertLogs("intake.whatsapp.webhook", "WARNING") as logs:
            response = self.post(deep)
        self.assertEqual(response.status_code, 400)
        self.assertIn("nested", logs.output[0])
        self.assertFalse(InboundMessage.objects.exists())

    def test_a_bad_message_anywhere_refuses_the_whole_body(self):
        payload = with_message("text.json")
        good = copy.deepcopy(payload["entry"][0]["changes"][0]["value"]["messages"][0])
        payload["entry"][0]["changes"][0]["value"]["messages"] = [good, {"from": WA_ID, "type": "text"}]  # no id
        with self.assertLogs("intake.whatsapp.webhook", "WARNING"):
            response = self.post(payload)
        self.assertEqual(response.status_code, 400)
        self.assertFalse(InboundMessage.objects.exists())

    def test_another_products_webhook_is_refused(self):
        payload = with_message("text.json")
        payload["object"] = "page"
        with self.assertLogs("intake.whatsapp.webhook", "WARNING"):
            self.assertEqual(self.post(payload).status_code, 400)
        self.assertFalse(InboundMessage.objects.exists())

    def test_status_callbacks_are_acknowledged_and_store_nothing(self):
        response = self.post(fixture("statuses.json"))
        self.assertEqual(response.status_code, 200)
        self.assertFalse(InboundMessage.objects.exists())
        self.assertFalse(Conversation.objects.exists())
        self.assertEqual(self.graph.sent, [])

    def test_webhook_stores_the_message_and_leaves_the_work_to_the_task_after_commit(self):
        with self.captureOnCommitCallbacks(execute=False) as callbacks:
            response = signed_post(self.client, URL, with_message("text.json"))
        self.assertEqual(response.status_code, 200)
        message = InboundMessage.objects.get()
        self.assertEqual((message.channel, message.sender, message.text), ("whatsapp", WA_ID, "Halo"))
        self.assertEqual(message.outcome, InboundMessage.Outcome.PENDING)
        self.assertEqual(message.payload["profile_name"], "Budi Santoso")
        self.assertEqual(len(callbacks), 1)
        self.assertEqual(self.graph.sent, [])  # nothing done yet: the webhook only stores

    def test_a_handled_wamid_delivered_again_is_not_queued_again(self):
        payload = with_message("text.json", text={"body": DESCRIPTION})
        self.post(payload)
        with mock.patch("intake.whatsapp.webhook.enqueue") as enqueue:
            self.assertEqual(self.post(payload).status_code, 200)
        enqueue.assert_not_called()

    def test_handling_a_handled_message_again_changes_nothing(self):
        self.say(DESCRIPTION)
        message = InboundMessage.objects.get()
        before = Conversation.objects.values("stage", "data").get()
        with self.captureOnCommitCallbacks(execute=True):
            conversation.handle(message.pk)
        self.assertEqual(Conversation.objects.values("stage", "data").get(), before)
        self.assertEqual((OutboxMessage.objects.count(), len(self.graph.sent)), (1, 1))

    def test_a_task_that_lost_the_race_for_a_message_does_nothing(self):
        with mock.patch("intake.whatsapp.webhook.enqueue"):
            self.say(DESCRIPTION)
        self.assertEqual(len(self.handle_racing_another_task(conversation)), 2)
        self.assertEqual(Conversation.objects.get().stage, "location")
        self.assertEqual((OutboxMessage.objects.count(), len(self.graph.sent)), (1, 1))

    def test_the_same_wamid_delivered_twice_creates_one_message_and_one_step(self):
        payload = with_message("text.json", text={"body": DESCRIPTION})
        self.assertEqual(self.post(payload).status_code, 200)
        self.assertEqual(self.post(payload).status_code, 200)
        self.assertEqual(InboundMessage.objects.count(), 1)
        self.assertEqual(len(self.graph.sent), 1)
        self.assertEqual(Conversation.objects.get().stage, "location")


class ConversationTests(WhatsAppTestCase):
    def test_whole_conversation_creates_one_report_with_the_photo_and_sends_the_tracking_number(self):
        self.say("Halo")
        self.assertIn("Budi Santoso", self.last_reply())
        self.say(DESCRIPTION)
        self.assertIn("lokasi", self.last_reply().lower())
        self.say("Kelurahan bendogerit, Jl. Mawar 12 depan SD")
        self.assertIn("LEWATI", self.last_reply())
        self.send_photo(exif_jpeg())
        self.assertEqual(len(waiting_photos("whatsapp")), 1)
        summary = self.graph.sent[-1]
        self.assertEqual(summary["type"], "interactive")
        self.assertIn("Bendogerit", summary["interactive"]["body"]["text"])
        self.assertEqual([b["reply"]["id"] for b in summary["interactive"]["action"]["buttons"]], ["kirim", "ubah"])
        self.tap("kirim", "Kirim")

        report = Report.objects.get()
        self.assertEqual(report.channel, Channel.WHATSAPP)
        self.assertEqual(report.description, DESCRIPTION)
        self.assertEqual(report.region, self.kelurahan)
        self.assertEqual(report.address, "Jl. Mawar 12 depan SD")
        self.assertEqual(report.reporter_phone, "+" + WA_ID)
        self.assertEqual(report.reporter_name, "Budi Santoso")
        self.assertEqual(report.reply_channel, ReplyChannel.WHATSAPP)
        confirming = InboundMessage.objects.get(text="Kirim")
        self.assertEqual(report.channel_reference, confirming.provider_id)
        self.assertEqual(confirming.report, report)
        attachment = report.attachments.get()
        self.assertEqual(attachment.content_type, "image/jpeg")
        self.assertExifRemoved(attachment)
        reply = self.last_reply()
        self.assertIn(report.tracking_number, reply)
        self.assertIn(f"{ADUAN_SITE_URL}/lacak/{report.secret}/", reply)
        self.assertTrue(all(body["to"] == WA_ID for body in self.graph.sent))
        self.assertEqual(Conversation.objects.get().stage, "report")
        self.assertEqual(waiting_photos("whatsapp"), [])
        self.assertEqual(
            set(InboundMessage.objects.values_list("outcome", flat=True)), {InboundMessage.Outcome.PROCESSED}
        )

    def test_long_first_message_is_taken_as_the_description(self):
        self.say(DESCRIPTION)
        self.assertEqual(Conversation.objects.get().data["description"], DESCRIPTION)
        self.assertIn("lokasi", self.last_reply().lower())

    def test_too_short_description_is_asked_again(self):
        self.say("Halo")
        self.say("lampu mati")
        self.assertIn("lebih lengkap", self.last_reply())
        self.assertEqual(Conversation.objects.get().stage, "description")

    def test_shared_location_sets_latitude_and_longitude(self):
        self.say(DESCRIPTION)
        self.post(with_message("location.json"))
        self.say("LEWATI")
        self.say("ya")
        report = Report.objects.get()
        self.assertEqual(str(report.latitude), "-8.098300")
        self.assertEqual(str(report.longitude), "112.168100")
        self.assertIn("Alun-alun Kota Blitar", report.address)
        self.assertIsNone(report.region)

    def test_location_text_without_a_known_kelurahan_is_kept_as_the_address(self):
        self.say(DESCRIPTION)
        self.say("Jl. Kenanga 5, dekat masjid")
        self.say("lewati")
        self.say("kirim")
        report = Report.objects.get()
        self.assertIsNone(report.region)
        self.assertEqual(report.address, "Jl. Kenanga 5, dekat masjid")

    @override_settings(ADUAN_CHANNEL_MAX_MEDIA_BYTES=5000)
    def test_media_announced_larger_than_the_limit_is_refused_without_downloading(self):
        self.say(DESCRIPTION)
        self.say("Bendogerit")
        self.send_photo(jpeg_bytes(), file_size=6_000_000)
        self.assertIn("terlalu besar", self.last_reply())
        self.assertFalse(any(r.path.startswith("/media-download/") for r in self.graph.requests))
        self.assertEqual(Conversation.objects.get().data.get("photos", []), [])
        self.assertEqual(InboundMessage.objects.get(text="").outcome, InboundMessage.Outcome.IGNORED)

    @override_settings(ADUAN_CHANNEL_MAX_MEDIA_BYTES=5000)
    def test_media_larger_than_announced_is_refused_after_downloading(self):
        self.say(DESCRIPTION)
        self.say("Bendogerit")
        big = jpeg_bytes(size=(400, 400), color=(10, 200, 90)) + b"\0" * 6000
        self.send_photo(big, file_size=100)
        self.assertIn("terlalu besar", self.last_reply())
        self.say("lewati")
        self.say("kirim")
        self.assertFalse(Report.objects.get().attachments.exists())

    def test_a_file_that_is_not_a_photo_is_refused_politely(self):
        self.say(DESCRIPTION)
        self.say("Bendogerit")
        self.send_photo(b"ini bukan foto", mime_type="image/jpeg")
        self.assertIn("bukan foto", self.last_reply())
        self.assertEqual(Conversation.objects.get().stage, "photo")

    def test_a_pixel_bomb_is_refused_with_the_limit_named_and_not_decoded(self):
        self.say(DESCRIPTION)
        self.say("Bendogerit")
        with mock.patch("PIL.ImageFile.ImageFile.load", side_effect=AssertionError("decoded")):
            self.send_photo(factory.png_bomb(10_000, 10_000), mime_type="image/png")
        self.assertIn("paling banyak 40 megapiksel", self.last_reply())
        self.assertEqual(Conversation.objects.get().stage, "photo")

    def test_sticker_and_voice_note_get_a_polite_answer_and_are_ignored(self):
        for name in ("sticker.json", "audio.json"):
            self.graph.reset()
            self.assertEqual(self.post(with_message(name)).status_code, 200)
            self.assertIn("Maaf, kami belum dapat menerima pesan jenis ini", self.last_reply())
        self.assertEqual(
            set(InboundMessage.objects.values_list("outcome", flat=True)), {InboundMessage.Outcome.IGNORED}
        )
        self.assertFalse(any(r.method == "GET" for r in self.graph.requests))  # no media fetched

    def test_batal_cancels_the_conversation_and_its_waiting_photo(self):
        self.say(DESCRIPTION)
        self.say("Bendogerit")
        self.send_photo(jpeg_bytes())
        self.assertEqual(len(waiting_photos("whatsapp")), 1)
        self.say("Batal")
        self.assertEqual(waiting_photos("whatsapp"), [])
        conversation = Conversation.objects.get()
        self.assertEqual((conversation.stage, conversation.data), ("start", {"name": "Budi Santoso"}))
        self.assertIn("dibatalkan", self.last_reply())
        self.say("ya")  # no longer a confirmation: a new conversation begins
        self.assertFalse(Report.objects.exists())

    def test_ubah_starts_the_description_again(self):
        self.say(DESCRIPTION)
        self.say("Bendogerit")
        self.say("lewati")
        self.tap("ubah", "Ubah")
        conversation = Conversation.objects.get()
        self.assertEqual(conversation.stage, "description")
        self.assertNotIn("description", conversation.data)
        self.assertFalse(Report.objects.exists())

    def test_later_message_attaches_to_the_report_as_the_reporters_message(self):
        report = self.file_report()
        self.say("Tambahan: tiangnya juga miring.")
        event = ReportEvent.objects.filter(report=report).latest("pk")
        self.assertEqual((event.action, event.message), ("reporter_message", "Tambahan: tiangnya juga miring."))
        self.assertIn(report.tracking_number, self.last_reply())
        self.assertEqual(Report.objects.count(), 1)

    def test_later_photo_attaches_to_the_report(self):
        report = self.file_report()
        self.send_photo(jpeg_bytes(), media_id="2003383421387256")
        self.assertEqual(report.attachments.count(), 1)
        self.assertEqual(report.attachments.get().event.action, "reporter_message")

    def test_message_while_on_hold_answers_the_question_and_resumes_the_report(self):
        report = self.file_report()
        actions.hold_report(report, actor=self.coordinator, question="Di depan nomor rumah berapa?")
        self.say("Depan rumah nomor 14.")
        report.refresh_from_db()
        self.assertEqual(report.status, Status.RECEIVED)
        event = ReportEvent.objects.filter(report=report).latest("pk")
        self.assertEqual((event.action, event.message), ("reporter_replied", "Depan rumah nomor 14."))
        self.assertIn("jawaban Anda", self.last_reply())

    def test_message_after_the_report_is_archived_starts_a_new_conversation(self):
        report = self.file_report()
        actions.archive_report(report, actor=self.coordinator, reason=ArchiveReason.UNCLEAR, message="Kurang jelas.")
        self.say("Halo lagi")
        conversation = Conversation.objects.get()
        self.assertEqual((conversation.stage, conversation.report), ("description", None))
        self.assertFalse(ReportEvent.objects.filter(report=report, action="reporter_message").exists())

    def test_a_failure_in_processing_marks_the_message_failed_and_keeps_it(self):
        self.say(DESCRIPTION)
        self.say("Bendogerit")
        self.say("lewati")
        with (
            mock.patch("intake.whatsapp.conversation.actions.submit_report", side_effect=RuntimeError("db down")),
            self.assertLogs("intake.whatsapp.conversation", "ERROR"),
        ):
            self.say("kirim")
        message = InboundMessage.objects.get(text="kirim")
        self.assertEqual(message.outcome, InboundMessage.Outcome.FAILED)
        self.assertIn("db down", message.error)
        self.assertIn("Petugas kami akan memeriksanya", self.last_reply())
        self.assertEqual(Conversation.objects.get().stage, "confirm")  # nothing half-done

    def test_media_that_cannot_be_fetched_is_noted_and_asked_for_again(self):
        self.say(DESCRIPTION)
        message = with_message("image.json")  # the fake does not know this media id: 404
        with self.assertLogs("intake.whatsapp.conversation", "WARNING"):
            self.post(message)
        stored = InboundMessage.objects.get(provider_id=message["entry"][0]["changes"][0]["value"]["messages"][0]["id"])
        # Kept, handled, with the reason for staff; a 404 is not tried again (only 5xx, 429, timeouts).
        self.assertEqual(stored.outcome, InboundMessage.Outcome.PROCESSED)
        self.assertIn("404", stored.error)
        self.assertEqual(sum(1 for r in self.graph.requests if r.method == "GET"), 1)
        self.assertIn("kirim ulang fotonya", self.last_reply())

    def test_several_answers_to_one_message_are_chained_and_arrive_in_order(self):
        replies = [Reply("Satu."), Reply("Dua.", ((SEND, "Kirim"), (EDIT, "Ubah")))]
        with self.captureOnCommitCallbacks(execute=True):
            queue_replies(91, WA_ID, replies)
        rows = list(OutboxMessage.objects.order_by("pk"))
        self.assertEqual([row.dedupe_key for row in rows], ["whatsapp:reply:91:0", "whatsapp:reply:91:1"])
        self.assertEqual([row.after_id for row in rows], [None, rows[0].pk])
        self.assertEqual(self.graph.texts(), ["Satu.", "Dua."])


class KelurahanMatchTests(AduanTestCase):
    def test_kelurahan_is_found_in_any_case_and_the_rest_is_the_address(self):
        self.assertEqual(match_region("jl. mawar 12, KEL. BENDOGERIT"), (self.kelurahan, "jl. mawar 12"))
        self.assertEqual(match_region("Klampok"), (self.other_kelurahan, ""))

    def test_a_kecamatan_or_a_part_of_a_word_is_not_a_kelurahan(self):
        self.assertEqual(match_region("Sananwetan, Jl. Anggrek"), (None, "Sananwetan, Jl. Anggrek"))
        self.assertEqual(match_region("Klampokan 3")[0], None)


@override_settings(
    ADUAN_META_APP_SECRET=APP_SECRET,
    TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": queues.ALL}},
)
class DatabaseQueueTests(AduanTestCase):
    def test_with_the_database_backend_the_webhook_queues_a_task_row_for_a_worker(self):
        from django_tasks_db.models import DBTaskResult

        with self.captureOnCommitCallbacks(execute=True):
            response = signed_post(self.client, URL, with_message("text.json"))
        self.assertEqual(response.status_code, 200)
        queued = DBTaskResult.objects.get()
        self.assertEqual(queued.task_path, "intake.tasks.process_whatsapp_message")
        self.assertEqual(queued.args_kwargs["args"], [InboundMessage.objects.get().pk])
        self.assertEqual(InboundMessage.objects.get().outcome, InboundMessage.Outcome.PENDING)
