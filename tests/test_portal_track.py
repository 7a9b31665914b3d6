"""The reporter follows their report through its private link, and acts on it there."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.uploads import clean_bytes
from reports import actions
from reports.models import Attachment, Audience, Kind, Status
from tests import factory
from tests.base import AduanTestCase

NEUTRAL = "Nomor pelacakan dan kontak tidak cocok dengan laporan mana pun."


def page(report):
    return reverse("portal:track_detail", args=[report.secret])


def post_to(report, name):
    return reverse(f"portal:{name}", args=[report.secret])


class LookupTests(AduanTestCase):
    def setUp(self):
        self.report = self.make_report()

    def lookup(self, number, contact):
        return self.client.post(reverse("portal:track"), {"tracking_number": number, "contact": contact})

    def test_tracking_number_and_phone_open_the_report(self):
        response = self.lookup(self.report.tracking_number, "+62 812-3456-7890")
        self.assertRedirects(response, page(self.report))

    def test_tracking_number_and_email_open_the_report(self):
        response = self.lookup(self.report.tracking_number.lower(), "SITI@example.org")
        self.assertRedirects(response, page(self.report))

    def test_a_wrong_contact_is_refused_with_the_same_message_as_an_unknown_number(self):
        wrong_contact = self.lookup(self.report.tracking_number, "089999999999")
        unknown_number = self.lookup("BLT-1999-000001", "081234567890")
        for response in (wrong_contact, unknown_number):
            self.assertEqual(response.status_code, 200)
            self.assertContains(response, NEUTRAL)
            self.assertNotContains(response, self.report.secret)

    def test_an_unknown_secret_is_not_found(self):
        self.assertEqual(self.client.get(reverse("portal:track_detail", args=["bukan-rahasia"])).status_code, 404)


class TrackingPageTests(AduanTestCase):
    def test_the_page_explains_the_status_and_shows_the_report(self):
        report = self.make_report(title="Lampu mati di Jl. Kenari")
        response = self.client.get(page(report))
        self.assertContains(response, "badge-received")
        self.assertContains(response, "Unit pengelola pengaduan akan memeriksanya")
        self.assertContains(response, "Lampu mati di Jl. Kenari")
        self.assertContains(response, "menargetkan memeriksa dan meneruskan laporan ini paling lambat")

    def test_the_timeline_names_agencies_never_staff_nor_the_instruction(self):
        report = factory.make_verified(self.coordinator, **self._defaults())
        actions.dispose_report(
            report,
            actor=self.coordinator,
            lead_agency=self.public_works,
            supporting_agencies=[self.transport],
            instruction="RAHASIA: cek ke pak RT dulu",
        )
        disposition = report.dispositions.get(agency=self.public_works)
        actions.post_follow_up(disposition, actor=self.pw_liaison, message="Petugas meninjau lokasi besok.")
        actions.post_follow_up(
            disposition, actor=self.pw_liaison, message="Catatan dalam: anggaran habis", audience=Audience.STAFF
        )
        response = self.client.get(page(report))
        self.assertContains(response, "DPUPR (utama)")
        self.assertContains(response, "Dishub")
        self.assertContains(response, "Petugas meninjau lokasi besok.")
        self.assertNotContains(response, "RAHASIA: cek ke pak RT dulu")
        self.assertNotContains(response, "anggaran habis")
        for user in (self.coordinator, self.pw_liaison):
            self.assertNotContains(response, user.username)

    def test_the_reporters_own_attachment_is_served_but_not_an_internal_one(self):
        report = factory.make_disposed(
            self.coordinator,
            self.public_works,
            **self._defaults(attachments=[clean_bytes("lampu.jpg", factory.jpeg_bytes())]),
        )
        disposition = report.dispositions.get()
        actions.post_follow_up(
            disposition,
            actor=self.pw_liaison,
            message="Foto internal",
            audience=Audience.STAFF,
            attachments=[clean_bytes("internal.jpg", factory.jpeg_bytes())],
        )
        own = Attachment.objects.get(original_name="lampu.jpg")
        internal = Attachment.objects.get(original_name="internal.jpg")
        response = self.client.get(reverse("portal:track_attachment", args=[report.secret, own.pk]))
        self.assertEqual((response.status_code, response["Content-Type"]), (200, "image/jpeg"))
        self.assertEqual(
            self.client.get(reverse("portal:track_attachment", args=[report.secret, internal.pk])).status_code, 404
        )
        other = self.make_report()
        self.assertEqual(
            self.client.get(reverse("portal:track_attachment", args=[other.secret, own.pk])).status_code, 404
        )

    def test_query_count_does_not_grow_with_events_and_attachments(self):
        report = factory.make_disposed(self.coordinator, self.public_works, **self._defaults())
        disposition = report.dispositions.get()

        def add_follow_ups(n):
            start = report.events.count()
            for i in range(start, start + n):
                actions.post_follow_up(
                    disposition,
                    actor=self.pw_liaison,
                    message=f"Tindak lanjut {i}",
                    attachments=[clean_bytes(f"f{i}.jpg", factory.jpeg_bytes())],
                )

        add_follow_ups(2)
        with CaptureQueriesContext(connection) as few:
            self.assertEqual(self.client.get(page(report)).status_code, 200)
        add_follow_ups(6)
        self.assertEqual(report.events.filter(action="follow_up").count(), 8)
        with self.assertNumQueries(len(few)):
            response = self.client.get(page(report))
        self.assertContains(response, "Tindak lanjut", count=8)
        self.assertLessEqual(len(few), 6)

    def _defaults(self, **overrides):
        return {"category": self.category, "region": self.kelurahan, **overrides}


class ReporterActionTests(AduanTestCase):
    def follow(self, response):
        self.assertEqual(response.status_code, 302)
        return self.client.get(response.url)

    def test_the_reporter_answers_the_units_question_with_a_photo(self):
        report = self.make_report()
        actions.hold_report(report, actor=self.coordinator, question="Di depan rumah nomor berapa?")
        self.assertContains(self.client.get(page(report)), "Di depan rumah nomor berapa?")
        response = self.client.post(
            post_to(report, "track_reply"),
            {
                "message": "Depan nomor 12.",
                "attachments": [SimpleUploadedFile("lokasi.jpg", factory.jpeg_bytes(), content_type="image/jpeg")],
            },
        )
        self.assertContains(self.follow(response), "jawaban Anda sudah kami terima")
        report.refresh_from_db()
        self.assertEqual(report.status, Status.RECEIVED)
        self.assertEqual(report.events.last().action, "reporter_replied")
        self.assertEqual(report.attachments.get().original_name, "lokasi.jpg")

    def test_a_bad_file_in_the_reply_is_refused_and_the_report_stays_on_hold(self):
        report = self.make_report()
        actions.hold_report(report, actor=self.coordinator, question="Foto lokasinya?")
        response = self.client.post(
            post_to(report, "track_reply"),
            {
                "message": "Ini fotonya",
                "attachments": [SimpleUploadedFile("foto.jpg", b"teks biasa", content_type="image/jpeg")],
            },
        )
        self.assertContains(response, "bukan foto atau PDF", count=2, status_code=400)  # at the top and at the field
        self.assertContains(response, "Ini fotonya", status_code=400)  # what was typed is kept
        report.refresh_from_db()
        self.assertEqual(report.status, Status.ON_HOLD)

    def test_the_reporter_confirms_the_result(self):
        report = factory.make_resolved(self.coordinator, self.public_works, self.pw_liaison)
        self.assertContains(self.client.get(page(report)), "Ya, sudah beres")
        self.follow(self.client.post(post_to(report, "track_confirm"), {"message": "Terima kasih"}))
        report.refresh_from_db()
        self.assertEqual(report.status, Status.CLOSED)

    def test_the_reporter_disputes_the_result(self):
        report = factory.make_resolved(self.coordinator, self.public_works, self.pw_liaison)
        response = self.client.post(post_to(report, "track_dispute"), {"reason": "Lampu masih mati."})
        self.assertContains(self.follow(response), "dibuka kembali")
        report.refresh_from_db()
        self.assertEqual((report.status, report.reopen_count), (Status.VERIFIED, 1))

    def test_the_reporter_rates_once(self):
        report = factory.make_resolved(self.coordinator, self.public_works, self.pw_liaison)
        self.follow(self.client.post(post_to(report, "track_rate"), {"rating": "4", "comment": "Cukup cepat"}))
        report.refresh_from_db()
        self.assertEqual((report.rating, report.rating_comment), (4, "Cukup cepat"))
        again = self.follow(self.client.post(post_to(report, "track_rate"), {"rating": "1"}))
        self.assertContains(again, "Laporan ini sudah dinilai.")
        self.assertNotContains(again, "Kirim nilai")
        report.refresh_from_db()
        self.assertEqual(report.rating, 4)

    def test_an_information_requester_files_an_objection(self):
        report = factory.make_resolved(
            self.coordinator, self.public_works, self.pw_liaison, kind=Kind.INFORMATION_REQUEST
        )
        self.assertContains(self.client.get(page(report)), "Ajukan keberatan")
        self.follow(self.client.post(post_to(report, "track_objection"), {"reason": "Data anggaran tidak lengkap."}))
        report.refresh_from_db()
        self.assertEqual(report.status, Status.OBJECTION)

    def test_a_complaint_offers_no_objection(self):
        report = factory.make_resolved(self.coordinator, self.public_works, self.pw_liaison)
        self.assertNotContains(self.client.get(page(report)), "Ajukan keberatan")

    def test_actions_in_the_wrong_state_show_a_message_without_crashing(self):
        report = self.make_report()
        attempts = {
            "track_confirm": {},
            "track_dispute": {"reason": "Belum beres"},
            "track_rate": {"rating": "5"},
            "track_objection": {"reason": "Kurang"},
            "track_reply": {"message": "Jawaban"},
        }
        for name, data in attempts.items():
            with self.subTest(name):
                response = self.follow(self.client.post(post_to(report, name), data))
                self.assertContains(response, "tidak dapat dilakukan pada status laporan saat ini")
        report.refresh_from_db()
        self.assertEqual(report.status, Status.RECEIVED)
        self.assertEqual(report.events.count(), 1)

    def test_an_incomplete_form_comes_back_with_its_error_beside_its_field(self):
        report = factory.make_resolved(self.coordinator, self.public_works, self.pw_liaison)
        response = self.client.post(post_to(report, "track_dispute"), {"reason": ""})
        self.assertContains(response, 'id="id_reason_error"', status_code=400)
        self.assertContains(response, '<a href="#id_reason">', status_code=400)
        self.assertRegex(response.text, r'<textarea[^>]*aria-invalid="true"[^>]*aria-describedby="id_reason_error"')
        self.assertContains(response, "Ya, sudah beres", status_code=400)  # the rest of the page is there
        report.refresh_from_db()
        self.assertEqual(report.status, Status.RESOLVED)

    def test_an_incomplete_form_the_status_no_longer_offers_shows_its_error_as_a_message(self):
        report = self.make_report()
        response = self.follow(self.client.post(post_to(report, "track_dispute"), {"reason": ""}))
        self.assertContains(response, "msg-error")
        self.assertNotContains(response, "id_reason_error")
        report.refresh_from_db()
        self.assertEqual(report.status, Status.RECEIVED)

    def test_actions_only_accept_post(self):
        report = factory.make_resolved(self.coordinator, self.public_works, self.pw_liaison)
        self.assertEqual(self.client.get(post_to(report, "track_confirm")).status_code, 405)
