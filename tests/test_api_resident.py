"""The REST API for residents: submit, track, follow and answer, without an account."""

from unittest import mock

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse
from rest_framework.throttling import ScopedRateThrottle

from core.uploads import clean_bytes
from reports import actions
from reports.models import Attachment, Channel, Report, ReportEvent, Status
from tests import factory
from tests.api_base import ApiTestCase

SUBMIT = "/api/v1/resident/reports/"
TRACK = "/api/v1/resident/track/"


def resident(report, action=""):
    return f"/api/v1/resident/reports/{report.secret}/" + (f"{action}/" if action else "")


class SubmitTests(ApiTestCase):
    def payload(self, **overrides):
        data = {
            "kind": "complaint",
            "description": "Lampu jalan mati di depan SDN 3.",
            "category": self.category.pk,
            "region": self.kelurahan.pk,
            "reporter_name": "Budi Santoso",
            "reporter_phone": "081298765432",
            "reply_channel": "none",
        }
        data.update(overrides)
        return data

    def test_a_json_submission_stores_a_report_through_the_action(self):
        response = self.post(SUBMIT, self.payload())
        self.assertEqual(response.status_code, 201, response.content)
        body = response.json()
        report = Report.objects.get(tracking_number=body["tracking_number"])
        self.assertEqual(body["secret"], report.secret)
        self.assertEqual(report.channel, Channel.API)
        self.assertEqual(report.status, Status.RECEIVED)
        self.assertEqual(report.reporter_name, "Budi Santoso")
        self.assertTrue(ReportEvent.objects.filter(report=report, action="submitted").exists())

    def test_the_android_app_names_its_channel(self):
        response = self.post(SUBMIT, self.payload(channel="android"))
        self.assertEqual(Report.objects.get(tracking_number=response.json()["tracking_number"]).channel, "android")

    def test_another_channel_is_refused(self):
        self.assertError(self.post(SUBMIT, self.payload(channel="web")), 400, "invalid_choice", "channel")

    def test_the_portal_rules_apply(self):
        errors = self.assertError(self.post(SUBMIT, self.payload(description="", region=None)), 400)
        fields = {e["field"] for e in errors}
        self.assertEqual(fields, {"description", "region"})
        self.assertIn("Pilih kelurahan tempat masalah terjadi.", [e["message"] for e in errors])
        self.assertFalse(Report.objects.exists())

    def test_whatsapp_replies_need_a_phone_number(self):
        response = self.post(SUBMIT, self.payload(reply_channel="whatsapp", reporter_phone=""))
        self.assertError(response, 400, field="reporter_phone")

    def test_errors_are_in_english_when_asked(self):
        response = self.post(SUBMIT, self.payload(description=""), headers={"Accept-Language": "en-US,en;q=0.9"})
        errors = self.assertError(response, 400, field="description")
        self.assertEqual(response["Content-Language"], "en")
        self.assertIn("This field is required.", [e["message"] for e in errors])

    def test_multipart_with_a_photo(self):
        photo = SimpleUploadedFile("lampu.jpg", factory.jpeg_bytes(), content_type="image/jpeg")
        response = self.post(SUBMIT, {**self.payload(), "attachments": [photo]}, multipart=True)
        self.assertEqual(response.status_code, 201, response.content)
        report = Report.objects.get(tracking_number=response.json()["tracking_number"])
        self.assertEqual(Attachment.objects.filter(report=report).count(), 1)

    def test_a_file_that_is_not_a_photo_or_pdf_is_refused_and_nothing_is_stored(self):
        bad = SimpleUploadedFile("virus.exe", b"MZ\x90\x00" * 50, content_type="application/octet-stream")
        response = self.post(SUBMIT, {**self.payload(), "attachments": [bad]}, multipart=True)
        self.assertError(response, 400, field="attachments")
        self.assertFalse(Report.objects.exists())

    def test_a_pixel_bomb_is_refused_from_its_header_and_nothing_is_stored(self):
        bomb = SimpleUploadedFile("bom.png", factory.png_bomb(10_000, 10_000), content_type="image/png")
        response = self.post(SUBMIT, {**self.payload(), "attachments": [bomb]}, multipart=True)
        errors = self.assertError(response, 400, field="attachments")
        self.assertIn("40 megapiksel", errors[0]["message"])
        self.assertFalse(Report.objects.exists())

    @override_settings(ADUAN_MAX_UPLOAD_BYTES=1000)
    def test_the_upload_size_limit_is_the_portals(self):
        big = SimpleUploadedFile("besar.jpg", factory.jpeg_bytes(size=(800, 800)), content_type="image/jpeg")
        response = self.post(SUBMIT, {**self.payload(), "attachments": [big]}, multipart=True)
        self.assertError(response, 400, field="attachments")

    def test_a_body_that_is_not_an_object_is_refused(self):
        response = self.client.post(SUBMIT, "[1, 2]", content_type="application/json")
        self.assertError(response, 400, "parse_error")
        response = self.client.post(SUBMIT, "{not json", content_type="application/json")
        self.assertError(response, 400, "parse_error")

    def test_a_body_nested_100000_levels_deep_is_a_parse_error_not_a_500(self):
        deep = b'{"description": ' + b"[" * 100_000 + b"]" * 100_000 + b"}"
        for url in (SUBMIT, TRACK, "/api/v1/auth/token/"):
            with self.subTest(url):
                response = self.client.post(url, deep, content_type="application/json")
                self.assertError(response, 400, "parse_error")
        self.assertFalse(Report.objects.exists())

    def test_submissions_are_rate_limited_per_client(self):
        rates = {**ScopedRateThrottle.THROTTLE_RATES, "submit": "2/hour"}
        with mock.patch.object(ScopedRateThrottle, "THROTTLE_RATES", rates):
            for _ in range(2):
                self.assertEqual(self.post(SUBMIT, self.payload()).status_code, 201)
            response = self.post(SUBMIT, self.payload())
        self.assertError(response, 429, "throttled")
        self.assertIn("Retry-After", response)


class TrackTests(ApiTestCase):
    def setUp(self):
        super().setUp()
        self.report = self.make_report()

    def test_tracking_number_and_phone_give_the_secret(self):
        response = self.post(TRACK, {"tracking_number": self.report.tracking_number, "contact": "+62 812-3456-7890"})
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.json()["secret"], self.report.secret)

    def test_a_wrong_contact_and_an_unknown_number_get_the_same_404(self):
        wrong = self.post(TRACK, {"tracking_number": self.report.tracking_number, "contact": "089999999999"})
        unknown = self.post(TRACK, {"tracking_number": "BLT-1999-000001", "contact": "081234567890"})
        self.assertEqual(self.assertError(wrong, 404), self.assertError(unknown, 404))
        self.assertNotIn(self.report.secret, wrong.content.decode())

    def test_missing_fields(self):
        self.assertError(self.post(TRACK, {}), 400, "required", "contact")


class FollowTests(ApiTestCase):
    def test_the_reporter_sees_the_status_and_public_timeline_not_internal_notes(self):
        report = factory.make_disposed(self.coordinator, self.public_works, is_anonymous=True)
        actions.add_internal_note(report, actor=self.coordinator, message="Catatan rahasia koordinator")
        response = self.get(resident(report))
        self.assertEqual(response.status_code, 200)
        body = response.json()
        self.assertEqual(body["status"], "disposed")
        self.assertEqual(body["agencies"], [str(self.public_works)])
        self.assertIn("disposed", [entry["action"] for entry in body["timeline"]])
        self.assertNotIn("Catatan rahasia koordinator", response.content.decode())
        self.assertNotIn("reporter_name", body)

    def test_an_unknown_secret_is_404_json(self):
        self.assertError(self.get("/api/v1/resident/reports/bukan-rahasia/"), 404, "not_found")

    def test_answering_the_units_question(self):
        report = self.make_report()
        actions.hold_report(report, actor=self.coordinator, question="Di depan nomor berapa?")
        body = self.get(resident(report)).json()
        self.assertEqual(body["question"], "Di depan nomor berapa?")
        self.assertEqual(body["allowed"], ["reply"])
        response = self.post(resident(report, "reply"), {"message": "Depan nomor 12."})
        self.assertEqual(response.status_code, 200, response.content)
        self.assertEqual(response.json()["status"], "received")
        self.assertTrue(report.events.filter(action="reporter_replied", message="Depan nomor 12.").exists())

    def test_replying_when_nothing_was_asked_is_a_conflict(self):
        report = self.make_report()
        self.assertError(self.post(resident(report, "reply"), {"message": "Halo"}), 409, "invalid_transition")

    def test_confirm_then_rate(self):
        report = factory.make_resolved(self.coordinator, self.public_works, self.pw_liaison)
        self.assertEqual(self.get(resident(report)).json()["allowed"], ["confirm", "dispute", "rate"])
        self.assertEqual(self.post(resident(report, "confirm"), {}).json()["status"], "closed")
        self.assertError(self.post(resident(report, "rate"), {"rating": 9}), 400, "invalid_choice", "rating")
        response = self.post(resident(report, "rate"), {"rating": 4, "comment": "Cepat."})
        self.assertEqual(response.json()["rating"], 4)

    def test_dispute_reopens(self):
        report = factory.make_resolved(self.coordinator, self.public_works, self.pw_liaison)
        response = self.post(resident(report, "dispute"), {"reason": "Lampu mati lagi."})
        self.assertEqual(response.status_code, 200)
        report.refresh_from_db()
        self.assertEqual(report.reopen_count, 1)

    def test_lookup_lists_are_open(self):
        categories = self.get("/api/v1/categories/").json()
        self.assertIn(self.category.pk, [c["id"] for c in categories])
        regions = self.get("/api/v1/regions/").json()
        self.assertIn(self.kelurahan.pk, [r["id"] for r in regions])

    def test_a_government_that_is_no_slug_is_a_400_not_a_query(self):
        # A NUL byte reached PostgreSQL, which refuses it in a query: a 500 there.
        for path in ("/api/v1/categories/", "/api/v1/regions/"):
            for value in ("%00%C3%B0", "kota blitar", "tidak-ada"):
                with self.subTest(path=path, value=value):
                    response = self.get(f"{path}?government={value}")
                    self.assertEqual(response.status_code, 400)
                    self.assertEqual(response.json()["errors"][0]["field"], "government")

    def test_attachment_links_open_through_the_portal(self):
        report = factory.make_report(
            category=self.category,
            region=self.kelurahan,
            attachments=[clean_bytes("a.jpg", factory.jpeg_bytes())],
        )
        files = self.get(resident(report)).json()["files"]
        self.assertEqual(len(files), 1)
        self.assertEqual(files[0]["url"], reverse("portal:track_attachment", args=[report.secret, files[0]["id"]]))
        self.assertEqual(self.client.get(files[0]["url"]).status_code, 200)
