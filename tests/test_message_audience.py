"""Who reads a message: staff only, the reporter, or the public as well (ReportEvent.audience).

A message to the reporter stays theirs unless someone chose to publish it: never on the
public report page, the Open311 output or a public attachment link; the reporter reads
it on the tracking page and in the resident API; the follow-up forms make the choice
explicit (nothing chosen beforehand), and the report page says who reads each message."""

import importlib

from django.apps import apps as django_apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from core.errors import DomainError
from core.uploads import clean_bytes
from reports import actions
from reports.models import Attachment, Audience, ReportEvent
from tests import factory
from tests.open311_base import Open311TestCase

ANONYMOUS = {"is_anonymous": True, "reporter_name": "Bambang Rahasia", "reporter_phone": "089911112222"}


class AudienceTestCase(Open311TestCase):
    def disposed(self, **kw):
        kw.setdefault("category", self.category)
        kw.setdefault("region", self.kelurahan)
        return factory.make_disposed(self.coordinator, self.public_works, **kw)

    def follow_up(self, report, message, audience, **kw):
        actions.post_follow_up(
            report.dispositions.get(), actor=self.pw_liaison, message=message, audience=audience, **kw
        )

    # What each reader gets.
    def public_page(self, report):
        return self.client.get(reverse("portal:public_detail", args=[report.tracking_number])).content.decode()

    def tracking_page(self, report):
        return self.client.get(reverse("portal:track_detail", args=[report.secret])).content.decode()

    def resident_api(self, report):
        return self.client.get(f"/api/v1/resident/reports/{report.secret}/").content.decode()

    def open311(self, report):
        (request,), _response = self.fetch(f"requests/{report.tracking_number}", schema="requests.json")
        return request.get("status_notes") or ""


class WhoReadsWhatTests(AudienceTestCase):
    def test_a_reply_to_the_reporter_is_theirs_only(self):
        report = self.disposed()
        self.follow_up(report, "Petugas kami datang Kamis pagi.", Audience.REPORTER)
        self.assertIn("Petugas kami datang Kamis pagi.", self.tracking_page(report))
        self.assertIn("Petugas kami datang Kamis pagi.", self.resident_api(report))
        self.assertNotIn("Petugas kami datang Kamis pagi.", self.public_page(report))
        self.assertNotIn("Petugas kami datang Kamis pagi.", self.open311(report))

    def test_a_published_reply_is_everyones(self):
        report = self.disposed()
        self.follow_up(report, "Lampu sudah diganti.", Audience.PUBLIC)
        for text in (self.tracking_page(report), self.resident_api(report), self.public_page(report)):
            self.assertIn("Lampu sudah diganti.", text)
        self.assertEqual(self.open311(report), "Lampu sudah diganti.")

    def test_a_staff_note_reaches_neither_the_reporter_nor_the_public(self):
        report = self.disposed()
        self.follow_up(report, "Anggaran habis, tunggu APBD-P.", Audience.STAFF)
        for text in (self.tracking_page(report), self.resident_api(report), self.public_page(report)):
            self.assertNotIn("Anggaran habis", text)
        self.assertNotIn("Anggaran habis", self.open311(report))

    def test_the_coordinators_verify_message_is_the_reporters_not_the_publics(self):
        report = self.make_report()
        actions.verify_report(
            report, actor=self.coordinator, message="Terima kasih, laporan Anda kami teruskan ke DPUPR."
        )
        self.assertEqual(report.events.get(action="verified").audience, Audience.REPORTER)
        self.assertIn("laporan Anda kami teruskan", self.tracking_page(report))
        self.assertNotIn("laporan Anda kami teruskan", self.public_page(report))
        self.assertNotIn("laporan Anda kami teruskan", self.open311(report))

    def test_photos_of_a_reply_to_the_reporter_are_not_public(self):
        report = self.disposed()
        self.follow_up(
            report, "Foto lokasi.", Audience.REPORTER, attachments=[clean_bytes("lokasi.jpg", factory.jpeg_bytes())]
        )
        self.follow_up(
            report, "Foto hasil.", Audience.PUBLIC, attachments=[clean_bytes("hasil.jpg", factory.jpeg_bytes())]
        )
        private, published = (
            Attachment.objects.get(original_name="lokasi.jpg"),
            Attachment.objects.get(original_name="hasil.jpg"),
        )

        def public_file(attachment):
            url = reverse("portal:public_attachment", args=[report.tracking_number, attachment.pk])
            return self.client.get(url).status_code

        self.assertEqual((public_file(private), public_file(published)), (404, 200))
        track = reverse("portal:track_attachment", args=[report.secret, private.pk])
        self.assertEqual(self.client.get(track).status_code, 200)
        page = self.public_page(report)
        self.assertNotIn("lokasi.jpg", page)
        self.assertIn("hasil.jpg", page)

    def test_a_published_reply_on_an_anonymous_report_is_still_masked(self):
        report = self.disposed(**ANONYMOUS)
        self.follow_up(report, "Sudah kami hubungi Bambang Rahasia di 089911112222.", Audience.PUBLIC)
        for text in (self.public_page(report), self.open311(report)):
            self.assertIn("Sudah kami hubungi", text)
            self.assertNotIn("089911112222", text)
            self.assertNotIn("Bambang", text)

    def test_a_confidential_report_publishes_nothing_whatever_is_chosen(self):
        report = self.disposed(is_confidential=True)
        self.follow_up(report, "Sudah ditangani.", Audience.PUBLIC)
        response = self.client.get(reverse("portal:public_detail", args=[report.tracking_number]))
        self.assertEqual(response.status_code, 404)
        self.assertIn("Sudah ditangani.", self.tracking_page(report))

    def test_an_unknown_audience_is_refused_by_the_action(self):
        report = self.disposed()
        with self.assertRaises(DomainError):
            self.follow_up(report, "x", "everyone")
        self.assertFalse(report.events.filter(action="follow_up").exists())


class FollowUpFormTests(AudienceTestCase):
    def setUp(self):
        super().setUp()
        self.login(self.pw_liaison)
        self.report = self.disposed()
        self.disposition = self.report.dispositions.get()

    def post(self, slug, data):
        return self.client.post(reverse("workspace:disposition_action", args=[self.disposition.pk, slug]), data)

    def test_no_audience_is_chosen_beforehand(self):
        response = self.client.get(reverse("workspace:report", args=[self.report.pk]))
        form = next(b.form for b in response.context["action_boxes"] if b.slug == "tindak-lanjut")
        self.assertIsNone(form["audience"].value())
        self.assertNotContains(
            response, 'name="audience" value="public" required id="id_tindak-lanjut_audience_2" checked'
        )
        self.assertContains(response, "Hanya petugas")
        self.assertContains(response, "Publik: balasan untuk pelapor yang juga tampil di halaman laporan publik")

    def test_a_follow_up_without_an_audience_is_refused_and_nothing_is_stored(self):
        response = self.post(
            "tindak-lanjut",
            {
                "message": "Petugas sudah ke lokasi.",
                "attachments": [SimpleUploadedFile("f.jpg", factory.jpeg_bytes(), content_type="image/jpeg")],
            },
        )
        self.assertEqual(response.status_code, 400)
        self.assertContains(response, "Pilih siapa yang dapat melihat pesan ini.", status_code=400)
        self.assertFalse(self.report.events.filter(action__in=["follow_up", "internal_note"]).exists())
        self.assertFalse(Attachment.objects.filter(event__isnull=False).exists())

    def test_each_choice_is_stored_as_chosen(self):
        for audience, action in [("staff", "internal_note"), ("reporter", "follow_up"), ("public", "follow_up")]:
            with self.subTest(audience=audience):
                self.post("tindak-lanjut", {"message": f"Pesan {audience}", "audience": audience})
                event = self.report.events.get(message=f"Pesan {audience}")
                self.assertEqual(
                    (event.action, event.audience, event.is_public), (action, audience, audience != "staff")
                )

    def test_a_closing_message_needs_its_audience(self):
        response = self.post("selesai", {"message": "Lampu sudah diganti."})
        self.assertEqual(response.status_code, 400)
        self.disposition.refresh_from_db()
        self.assertEqual(self.disposition.state, "pending")
        self.post("selesai", {"message": "Lampu sudah diganti.", "audience": "public"})
        self.assertEqual(self.report.events.get(action="follow_up").audience, Audience.PUBLIC)

    def test_the_report_page_says_who_reads_each_message(self):
        self.follow_up(self.report, "Untuk pelapor saja.", Audience.REPORTER)
        self.follow_up(self.report, "Untuk semua.", Audience.PUBLIC)
        self.follow_up(self.report, "Untuk petugas.", Audience.STAFF)
        response = self.client.get(reverse("workspace:report", args=[self.report.pk]))
        self.assertContains(response, "Terlihat oleh: Pelapor")
        self.assertContains(response, "Terlihat oleh: Publik")
        self.assertContains(response, "Terlihat oleh: Hanya petugas")
        self.client.post(reverse("set_language"), {"language": "en", "next": "/"})
        response = self.client.get(reverse("workspace:report", args=[self.report.pk]))
        self.assertContains(response, "Visible to: Reporter")
        self.assertContains(response, "Visible to: Public")
        self.assertContains(response, "Visible to: Staff only")


class StoredEventsTests(AudienceTestCase):
    def test_the_migration_keeps_what_was_published_and_unpublishes_verify_messages(self):
        migration = importlib.import_module("reports.migrations.0008_reportevent_audience")
        report = self.disposed()
        follow_up = report.events.create(action="follow_up", actor_role="agency", message="Dicek.", is_public=True)
        note = report.events.create(action="internal_note", actor_role="agency", message="x", is_public=False)
        ReportEvent.objects.update(audience="staff")  # as the rows stood before the column
        migration.fill_audience(django_apps, None)
        audiences = dict(report.events.values_list("pk", "audience"))
        self.assertEqual(audiences[follow_up.pk], "public")
        self.assertEqual(audiences[note.pk], "staff")
        self.assertEqual(report.events.get(action="verified").audience, "reporter")
        self.assertEqual(report.events.get(action="submitted").audience, "reporter")
