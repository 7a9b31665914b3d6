"""A resident's WhatsApp or Instagram photo survives one hiccup at Meta (the download is
tried again with back-off), and when Meta keeps failing the message is still handled, the
photo is noted for staff and the resident is asked to send it again."""

from django.test import override_settings
from django.urls import reverse

from intake.models import InboundMessage
from reports.models import Attachment, Report, ReportEvent
from tests.meta_base import exif_jpeg, waiting_photos
from tests.test_instagram_intake import DESCRIPTION as IG_DESCRIPTION
from tests.test_instagram_intake import InstagramTestCase, event_of, with_message
from tests.test_whatsapp_intake import DESCRIPTION, WhatsAppTestCase

FAST_RETRIES = override_settings(ADUAN_GATEWAY_ATTEMPTS=3, ADUAN_GATEWAY_RETRY_WAIT_SECONDS=0)
ASK_AGAIN = "kirim ulang fotonya"


@FAST_RETRIES
class WhatsAppPhotoRetryTests(WhatsAppTestCase):
    def at_the_photo_step(self):
        self.say(DESCRIPTION)
        self.say("Bendogerit, Jl. Mawar 12")

    def test_a_photo_survives_two_hiccups(self):
        self.at_the_photo_step()
        self.graph.hiccups = 2
        self.send_photo(exif_jpeg())
        self.assertEqual(len(waiting_photos("whatsapp")), 1)
        self.assertEqual(self.graph.hiccups, 0)
        self.assertNotIn(ASK_AGAIN, self.last_reply())

    def test_a_photo_meta_keeps_failing_is_noted_and_asked_for_again(self):
        self.at_the_photo_step()
        self.graph.hiccups = 3  # every attempt
        self.send_photo(exif_jpeg())
        self.assertEqual(waiting_photos("whatsapp"), [])
        self.assertIn(ASK_AGAIN, self.last_reply())
        message = InboundMessage.objects.latest("received_at")
        self.assertEqual(message.outcome, InboundMessage.Outcome.PROCESSED)
        self.assertIn("Foto dari pelapor tidak dapat diunduh", message.error)
        self.assertIn("503", message.error)

    def test_a_lost_photo_about_a_filed_report_is_noted_on_the_report(self):
        report = self.file_report()
        self.graph.hiccups = 3
        self.send_photo(exif_jpeg())
        note = ReportEvent.objects.get(report=report, action="media_lost")
        self.assertFalse(note.is_public)
        self.assertIn(ASK_AGAIN, self.last_reply())


@FAST_RETRIES
class InstagramPhotoRetryTests(InstagramTestCase):
    def photo_with_text(self):
        payload = with_message("image.json")
        event = event_of(payload)
        event["message"]["text"] = IG_DESCRIPTION
        event["message"]["attachments"][0]["payload"]["url"] = self.graph.add_attachment("foto.jpg", exif_jpeg())
        return payload

    def test_a_photo_survives_one_hiccup(self):
        self.graph.hiccups = 1
        self.assertEqual(self.post(self.photo_with_text()).status_code, 200)
        report = Report.objects.get()
        self.assertEqual(Attachment.objects.filter(report=report).count(), 1)

    def test_a_lost_photo_sent_about_an_open_report_is_noted_on_it(self):
        self.say(IG_DESCRIPTION)
        report = Report.objects.get()
        self.graph.hiccups = 3
        payload = with_message("image.json")
        event_of(payload)["message"]["attachments"][0]["payload"]["url"] = self.graph.add_attachment(
            "b.jpg", exif_jpeg()
        )
        self.assertEqual(self.post(payload).status_code, 200)
        self.assertTrue(ReportEvent.objects.filter(report=report, action="media_lost").exists())
        self.assertEqual(InboundMessage.objects.latest("received_at").outcome, InboundMessage.Outcome.PROCESSED)
        self.assertIn(ASK_AGAIN, self.last_reply())

    def test_the_report_is_filed_without_the_photo_and_staff_see_why(self):
        self.graph.hiccups = 3
        self.assertEqual(self.post(self.photo_with_text()).status_code, 200)
        report = Report.objects.get()
        self.assertFalse(Attachment.objects.filter(report=report).exists())
        self.assertIn(ASK_AGAIN, self.last_reply())
        self.login(self.coordinator)
        page = self.client.get(reverse("workspace:report", args=[report.pk]))
        self.assertContains(page, "Foto pelapor tidak dapat diunduh")
        self.assertContains(page, "503")
