"""The staff report page: what each role sees, and every action through its POST URL."""

import re

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from reports import actions
from reports.models import Audience, Disposition, IdentityRead, Kind, Report, Status
from tests import factory
from tests.base import AduanTestCase

ANONYMOUS_REPORTER = {
    "is_anonymous": True,
    "reporter_name": "Bambang Rahasia",
    "reporter_phone": "089911112222",
    "reporter_email": "bambang@example.org",
}


def page(report):
    return reverse("workspace:report", args=[report.pk])


def act(report, action):
    return reverse("workspace:report_action", args=[report.pk, action])


def act_on(disposition, action):
    return reverse("workspace:disposition_action", args=[disposition.pk, action])


def textarea(text):
    """How a textarea holding ``text`` ends in the page (Django starts its content with a newline)."""
    return f">\n{text}</textarea>"


def photo(name="foto.jpg"):
    return SimpleUploadedFile(name, factory.jpeg_bytes(), content_type="image/jpeg")


class ReportTestCase(AduanTestCase):
    def verified(self, **kw):
        kw.setdefault("category", self.category)
        kw.setdefault("region", self.kelurahan)
        return factory.make_verified(self.coordinator, **kw)

    def disposed(self, agency=None, **kw):
        kw.setdefault("category", self.category)
        kw.setdefault("region", self.kelurahan)
        return factory.make_disposed(self.coordinator, agency or self.public_works, **kw)

    def actions_of(self, report):
        return list(report.events.values_list("action", flat=True))

    def post(self, url, data=None, **kw):
        return self.client.post(url, data or {}, follow=True, **kw)


class ReportPageTests(ReportTestCase):
    def test_coordinator_sees_content_location_channel_and_timeline(self):
        report = self.make_report(
            channel="radio",
            channel_reference="Radio Patria, sesi pagi",
            actor=self.coordinator,
            address="Depan Pasar Legi",
        )
        actions.verify_report(report, actor=self.coordinator)
        actions.add_internal_note(report, actor=self.coordinator, message="Cek dulu ke lurah.")
        self.login(self.coordinator)
        response = self.client.get(page(report))
        self.assertContains(response, report.tracking_number)
        self.assertContains(response, "Lampu penerangan jalan di depan pasar")
        self.assertContains(response, "Radio Patria, sesi pagi")
        self.assertContains(response, "Depan Pasar Legi")
        self.assertContains(response, "Bendogerit")
        self.assertContains(response, "Cek dulu ke lurah.")
        self.assertContains(response, "Terlihat oleh: Hanya petugas")

    def test_report_page_shows_dispositions_with_role_and_state(self):
        report = self.disposed(supporting=[self.transport])
        self.login(self.pw_liaison)
        response = self.client.get(page(report))
        self.assertContains(response, "Utama")
        self.assertContains(response, "Pendukung")
        self.assertContains(response, "Dishub")
        self.assertContains(response, "Menunggu tindak lanjut")

    def test_report_page_query_count_does_not_grow_with_its_history(self):
        report = self.disposed()
        disposition = report.dispositions.get()
        self.login(self.coordinator)

        def add(n):
            for i in range(n):
                actions.post_follow_up(
                    disposition, actor=self.pw_liaison, message=f"Catatan {i}", audience=Audience.STAFF, attachments=[]
                )

        add(3)
        # The first view reads a report no worker has triaged yet (suggestions, duplicates stored).
        self.client.get(page(report))
        with CaptureQueriesContext(connection) as few:
            self.assertEqual(self.client.get(page(report)).status_code, 200)
        add(9)
        for _ in range(2):
            actions.post_follow_up(disposition, actor=self.pw_liaison, message="Foto.", attachments=[_clean_photo()])
        with self.assertNumQueries(len(few)):
            response = self.client.get(page(report))
        self.assertEqual(len(response.context["events"]), 3 + 3 + 9 + 2)

    def test_attachment_is_served_to_staff_of_the_report_only(self):
        report = self.disposed()
        actions.post_follow_up(
            report.dispositions.get(),
            actor=self.pw_liaison,
            message="Foto internal",
            audience=Audience.STAFF,
            attachments=[_clean_photo()],
        )
        attachment = report.attachments.get()
        url = reverse("workspace:attachment", args=[attachment.pk])
        self.login(self.coordinator)
        response = self.client.get(url)
        self.assertEqual((response.status_code, response["Content-Type"]), (200, "image/jpeg"))
        # Read the stream rather than response.close(): closing a test response fires
        # request_finished, which closes the (PostgreSQL) test connection mid-test.
        self.assertTrue(b"".join(response.streaming_content).startswith(b"\xff\xd8"))
        self.login(self.transport_liaison)
        self.assertEqual(self.client.get(url).status_code, 404)


def _clean_photo():
    from core.uploads import clean_bytes

    return clean_bytes("foto.jpg", factory.jpeg_bytes())


class IdentityTests(ReportTestCase):
    def test_liaison_never_sees_an_anonymous_reporters_identity(self):
        report = self.disposed(**ANONYMOUS_REPORTER)
        self.login(self.pw_liaison)
        response = self.client.get(page(report))
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Anonim")
        for secret in ("Bambang", "089911112222", "bambang@example.org"):
            self.assertNotContains(response, secret)
        self.assertNotContains(response, "Tampilkan identitas")
        self.assertEqual(self.client.post(reverse("workspace:reveal_identity", args=[report.pk])).status_code, 403)
        self.assertFalse(IdentityRead.objects.exists())

    def test_coordinator_reveals_an_anonymous_identity_and_the_read_is_recorded(self):
        report = self.make_report(**ANONYMOUS_REPORTER)
        self.login(self.coordinator)
        response = self.client.get(page(report))
        self.assertContains(response, "Tampilkan identitas")
        self.assertNotContains(response, "Bambang")
        self.assertFalse(IdentityRead.objects.exists())
        response = self.client.post(reverse("workspace:reveal_identity", args=[report.pk]))
        self.assertContains(response, "Bambang Rahasia")
        self.assertContains(response, "089911112222")
        read = IdentityRead.objects.get()
        self.assertEqual((read.user, read.report), (self.coordinator, report))

    def test_showing_a_named_reporter_records_an_identity_read(self):
        report = self.disposed()
        self.login(self.pw_liaison)
        response = self.client.get(page(report))
        self.assertContains(response, "Siti Aminah")
        self.assertEqual(IdentityRead.objects.filter(user=self.pw_liaison, report=report).count(), 1)


class IsolationTests(ReportTestCase):
    def test_liaison_of_another_agency_gets_404_on_the_report_page(self):
        report = self.disposed(self.public_works)
        self.login(self.transport_liaison)
        self.assertEqual(self.client.get(page(report)).status_code, 404)

    def test_liaison_of_another_agency_gets_404_on_its_disposition_actions(self):
        report = self.disposed(self.public_works)
        disposition = report.dispositions.get()
        self.login(self.transport_liaison)
        for action in ("tindak-lanjut", "selesai", "kembalikan"):
            response = self.client.post(
                act_on(disposition, action), {"message": "x", "reason": "x", "audience": "public"}
            )
            self.assertEqual(response.status_code, 404, action)
        self.assertEqual(self.client.post(act(report, "perpanjang"), {"reason": "x"}).status_code, 404)
        self.assertEqual(self.actions_of(report), ["submitted", "verified", "disposed"])

    def test_agency_head_and_executive_get_403_on_posts_and_see_no_forms(self):
        report = self.disposed(self.public_works)
        disposition = report.dispositions.get()
        for reader in (self.pw_head, self.executive):
            self.login(reader)
            response = self.client.get(page(report))
            self.assertEqual(response.context["action_boxes"], [])
            self.assertContains(response, "tidak dapat mengubahnya")
            self.assertEqual(self.client.post(act(report, "catatan"), {"message": "x"}).status_code, 403)
            self.assertEqual(
                self.client.post(
                    act_on(disposition, "tindak-lanjut"), {"message": "x", "audience": "public"}
                ).status_code,
                403,
            )
        self.assertEqual(self.actions_of(report), ["submitted", "verified", "disposed"])

    def test_coordinator_cannot_use_agency_actions(self):
        report = self.disposed()
        self.login(self.coordinator)
        response = self.client.post(act_on(report.dispositions.get(), "selesai"), {"message": "Beres."})
        self.assertEqual(response.status_code, 403)

    def test_unknown_action_is_404(self):
        report = self.make_report()
        self.login(self.coordinator)
        self.assertEqual(self.client.post(act(report, "hapus")).status_code, 404)

    def test_wrong_state_action_shows_a_message_and_changes_nothing(self):
        report = self.make_report()
        self.login(self.coordinator)
        response = self.post(act(report, "disposisi"), {"lead_agency": self.public_works.pk})
        # The report page again, not a redirect: 409, as the API answers a wrong state.
        self.assertEqual(response.redirect_chain, [])
        self.assertContains(response, "tidak dapat dilakukan pada status laporan saat ini", status_code=409)
        # A received report has no dispose box to put the form in: the reason is on top.
        self.assertContains(response, "msg-error", status_code=409)
        self.assertIsNone(response.context["rejected_box"])
        report.refresh_from_db()
        self.assertEqual(report.status, Status.RECEIVED)
        self.assertFalse(Disposition.objects.exists())
        self.assertEqual(self.actions_of(report), ["submitted"])

    def test_an_invalid_form_shows_its_error_beside_the_field_and_changes_nothing(self):
        report = self.make_report()
        self.login(self.coordinator)
        response = self.post(act(report, "tunda"), {"question": ""})
        self.assertEqual(response.redirect_chain, [])
        self.assertEqual(response.status_code, 400)
        box = response.context["rejected_box"]
        self.assertEqual((box.slug, box.form.errors["question"]), ("tunda", ["Bidang ini harus diisi."]))
        self.assertContains(response, 'id="id_tunda_question_error"', status_code=400)
        self.assertContains(response, "belum disimpan", status_code=400)
        report.refresh_from_db()
        self.assertEqual(report.status, Status.RECEIVED)
        self.assertEqual(self.actions_of(report), ["submitted"])

    def test_a_get_on_an_action_url_is_refused(self):
        report = self.make_report()
        self.login(self.coordinator)
        self.assertEqual(self.client.get(act(report, "verifikasi")).status_code, 405)


class CoordinatorActionTests(ReportTestCase):
    def setUp(self):
        self.login(self.coordinator)

    def test_verify_with_a_new_category(self):
        report = self.make_report()
        response = self.post(
            act(report, "verifikasi"), {"category": self.other_category.pk, "message": "Terima kasih."}
        )
        self.assertContains(response, "Laporan diverifikasi.")
        report.refresh_from_db()
        self.assertEqual((report.status, report.category), (Status.VERIFIED, self.other_category))
        event = report.events.get(action="verified")
        self.assertEqual((event.actor, event.message), (self.coordinator, "Terima kasih."))

    def test_classify(self):
        report = self.verified()
        self.post(act(report, "klasifikasi"), {"kind": Kind.ASPIRATION, "region": self.other_kelurahan.pk})
        report.refresh_from_db()
        self.assertEqual((report.kind, report.region), (Kind.ASPIRATION, self.other_kelurahan))
        self.assertIn("classified", self.actions_of(report))

    def test_hold_with_a_question(self):
        report = self.make_report()
        self.post(act(report, "tunda"), {"question": "Di RT berapa?"})
        report.refresh_from_db()
        self.assertEqual((report.status, report.hold_question), (Status.ON_HOLD, "Di RT berapa?"))
        self.assertEqual(self.actions_of(report)[-1], "held")

    def test_archive_as_duplicate_by_tracking_number(self):
        original = self.make_report()
        report = self.make_report()
        self.post(act(report, "arsipkan"), {"reason": "duplicate", "duplicate_of": original.tracking_number.lower()})
        report.refresh_from_db()
        self.assertEqual((report.status, report.duplicate_of), (Status.ARCHIVED, original))
        self.assertEqual(self.actions_of(report)[-1], "archived")
        self.assertIn("duplicate_merged", self.actions_of(original))

    def test_archive_outside_authority_needs_a_referral_note(self):
        report = self.make_report()
        response = self.post(act(report, "arsipkan"), {"reason": "outside_authority"})
        self.assertContains(response, "catatan rujukan", status_code=400)
        report.refresh_from_db()
        self.assertEqual(report.status, Status.RECEIVED)
        self.post(act(report, "arsipkan"), {"reason": "outside_authority", "referral_note": "Jalan nasional."})
        report.refresh_from_db()
        self.assertEqual((report.status, report.referral_note), (Status.ARCHIVED, "Jalan nasional."))

    def test_dispose_to_a_lead_and_a_supporting_agency(self):
        report = self.verified()
        self.post(
            act(report, "disposisi"),
            {"lead_agency": self.public_works.pk, "supporting_agencies": [self.transport.pk], "instruction": "Segera."},
        )
        report.refresh_from_db()
        self.assertEqual(report.status, Status.DISPOSED)
        self.assertEqual(
            dict(report.dispositions.values_list("agency_id", "role")),
            {self.public_works.pk: "lead", self.transport.pk: "support"},
        )
        self.assertEqual(self.actions_of(report)[-1], "disposed")

    def test_dispose_form_defaults_to_the_categorys_agency(self):
        report = self.verified()
        response = self.client.get(page(report))
        box = next(b for b in response.context["action_boxes"] if b.slug == "disposisi")
        self.assertEqual(box.form["lead_agency"].value(), self.transport.pk)

    def test_close_a_resolved_report(self):
        report = factory.make_resolved(self.coordinator, self.public_works, self.pw_liaison, category=self.category)
        self.post(act(report, "tutup"), {"message": "Terima kasih."})
        report.refresh_from_db()
        self.assertEqual(report.status, Status.CLOSED)
        self.assertEqual(self.actions_of(report)[-1], "closed")

    def test_answer_an_objection(self):
        report = factory.make_resolved(
            self.coordinator, self.public_works, self.pw_liaison, kind=Kind.INFORMATION_REQUEST, category=self.category
        )
        actions.file_objection(report, actor=factory.reporter_of(report), reason="Data tidak lengkap.")
        self.post(act(report, "jawab-keberatan"), {"answer": "Data lengkap kami lampirkan."})
        report.refresh_from_db()
        self.assertEqual((report.status, report.objection_answer), (Status.CLOSED, "Data lengkap kami lampirkan."))
        self.assertEqual(self.actions_of(report)[-1], "objection_answered")

    def test_internal_note(self):
        report = self.verified()
        self.post(act(report, "catatan"), {"message": "Koordinasi dengan lurah."})
        event = report.events.last()
        self.assertEqual((event.action, event.is_public), ("internal_note", False))

    def test_an_internal_note_sent_twice_with_the_pages_key_is_recorded_once(self):
        report = self.verified()
        key = re.search(r'name="submission_key" value="([0-9a-f]{32})"', self.client.get(page(report)).text)[1]
        for _ in range(2):  # a double click: the second POST carries the same key
            response = self.client.post(
                act(report, "catatan"), {"message": "Koordinasi dengan lurah.", "submission_key": key}
            )
            self.assertEqual(response.status_code, 302)
        self.assertEqual(report.events.filter(action="internal_note").count(), 1)
        self.assertEqual(report.events.get(action="internal_note").data, {"submission_key": key})

    def test_extend_an_information_request(self):
        report = self.verified(kind=Kind.INFORMATION_REQUEST)
        before = report.info_answer_due_at
        self.post(act(report, "perpanjang"), {"reason": "Data di arsip lama."})
        report.refresh_from_db()
        self.assertGreater(report.info_answer_due_at, before)
        self.assertEqual(self.actions_of(report)[-1], "information_extended")

    def test_coordinator_sees_the_forms_the_state_allows(self):
        response = self.client.get(page(self.make_report()))
        slugs = {b.slug for b in response.context["action_boxes"]}
        self.assertEqual(slugs, {"verifikasi-teruskan", "verifikasi", "klasifikasi", "tunda", "arsipkan"})


class RefusedActionTests(ReportTestCase):
    """A refused action shows the report page again with its form as typed; nothing is stored."""

    LONG = "Mohon dicek bersama lurah dan RT 04 sebelum Jumat;\nfoto kondisi terakhir dilampirkan di tindak lanjut."

    def refused(self, url, data, status=400):
        response = self.post(url, data)
        self.assertEqual(response.redirect_chain, [])  # no post/redirect/get: nothing was done
        self.assertEqual(response.status_code, status)
        return response, response.context["rejected_box"]

    def test_dispose_without_a_lead_agency_keeps_the_instruction_and_the_supporting_agency(self):
        self.login(self.coordinator)
        report = self.verified()
        response, box = self.refused(
            act(report, "disposisi"),
            {"lead_agency": "", "supporting_agencies": [self.transport.pk], "instruction": self.LONG},
        )
        self.assertEqual(box.slug, "disposisi")
        self.assertIn("lead_agency", box.form.errors)
        self.assertContains(response, 'id="id_disposisi_lead_agency_error"', status_code=400)
        self.assertContains(response, textarea(self.LONG), status_code=400)
        self.assertEqual(box.form["supporting_agencies"].value(), [str(self.transport.pk)])
        # The refused box is the open one, the others start empty.
        self.assertContains(response, '<details class="ws-action" id="aksi-disposisi" open>', status_code=400)
        self.assertContains(response, '<details class="ws-action" id="aksi-tunda">', status_code=400)
        others = [b for b in response.context["action_boxes"] if b.slug != "disposisi"]
        self.assertTrue(others and not any(b.form.is_bound for b in others))
        report.refresh_from_db()
        self.assertEqual(report.status, Status.VERIFIED)
        self.assertFalse(Disposition.objects.exists())
        self.assertEqual(self.actions_of(report), ["submitted", "verified"])

    def test_hold_without_a_question_is_refused_and_a_later_one_goes_through(self):
        self.login(self.coordinator)
        report = self.make_report()
        response, box = self.refused(act(report, "tunda"), {"question": "   "})
        self.assertEqual(box.form.errors["question"], ["Bidang ini harus diisi."])
        report.refresh_from_db()
        self.assertEqual((report.status, report.hold_question), (Status.RECEIVED, ""))
        self.assertEqual(self.actions_of(report), ["submitted"])
        # A successful action still redirects to the report page.
        response = self.post(act(report, "tunda"), {"question": "Di RT berapa?"})
        self.assertRedirects(response, page(report))
        self.assertContains(response, "pertanyaan dikirim ke pelapor")

    def test_archive_as_duplicate_without_the_original_keeps_the_message(self):
        self.login(self.coordinator)
        report = self.make_report()
        message = "Laporan Anda sama dengan laporan tetangga; kami tindak lanjuti di sana."
        response, box = self.refused(act(report, "arsipkan"), {"reason": "duplicate", "message": message})
        # The action refused it (a DomainError, not a field error): shown in the box itself.
        self.assertEqual(box.form.non_field_errors(), ["Pilih laporan asli untuk laporan duplikat."])
        self.assertContains(response, "Pilih laporan asli untuk laporan duplikat.", status_code=400)
        self.assertContains(response, textarea(message), status_code=400)
        self.assertEqual(box.form["reason"].value(), "duplicate")
        report.refresh_from_db()
        self.assertEqual((report.status, report.duplicate_of), (Status.RECEIVED, None))
        self.assertEqual(self.actions_of(report), ["submitted"])

    def test_archive_as_duplicate_of_an_unknown_number_keeps_the_number(self):
        self.login(self.coordinator)
        report = self.make_report()
        response, box = self.refused(
            act(report, "arsipkan"), {"reason": "duplicate", "duplicate_of": "BLT-2026-999999"}
        )
        self.assertIn("tidak ditemukan", box.form.errors["duplicate_of"][0])
        self.assertContains(response, 'value="BLT-2026-999999"', status_code=400)
        self.assertEqual(self.actions_of(report), ["submitted"])

    def test_return_without_a_reason_is_refused_and_the_disposition_stays(self):
        report = self.disposed()
        disposition = report.dispositions.get()
        self.login(self.pw_liaison)
        response, box = self.refused(act_on(disposition, "kembalikan"), {"reason": ""})
        self.assertEqual(box.slug, "kembalikan")
        self.assertIn("reason", box.form.errors)
        self.assertContains(response, 'id="id_kembalikan_reason_error"', status_code=400)
        disposition.refresh_from_db()
        report.refresh_from_db()
        self.assertEqual((disposition.state, disposition.is_active), ("pending", True))
        self.assertEqual((report.status, report.return_count), (Status.DISPOSED, 0))
        self.assertEqual(self.actions_of(report), ["submitted", "verified", "disposed"])

    def test_a_follow_up_without_text_keeps_the_chosen_visibility(self):
        report = self.disposed()
        disposition = report.dispositions.get()
        self.login(self.pw_liaison)
        response, box = self.refused(act_on(disposition, "tindak-lanjut"), {"message": "", "audience": "staff"})
        self.assertIn("message", box.form.errors)
        self.assertEqual(box.form["audience"].value(), "staff")
        self.assertEqual(self.actions_of(report), ["submitted", "verified", "disposed"])


class AgencyActionTests(ReportTestCase):
    def setUp(self):
        self.report = self.disposed()
        self.disposition = self.report.dispositions.get()
        self.login(self.pw_liaison)

    def test_liaison_sees_the_agency_forms(self):
        response = self.client.get(page(self.report))
        self.assertEqual([b.slug for b in response.context["action_boxes"]], ["tindak-lanjut", "selesai", "kembalikan"])

    def test_public_follow_up_with_a_photo(self):
        response = self.post(
            act_on(self.disposition, "tindak-lanjut"),
            {"message": "Petugas sudah ke lokasi.", "audience": "public", "attachments": [photo()]},
        )
        self.assertContains(response, "Tindak lanjut disimpan.")
        self.report.refresh_from_db()
        self.assertEqual(self.report.status, Status.IN_PROGRESS)
        event = self.report.events.last()
        self.assertEqual((event.action, event.is_public, event.actor), ("follow_up", True, self.pw_liaison))
        self.assertEqual(event.attachments.get().content_type, "image/jpeg")

    def test_a_follow_up_sent_twice_with_the_pages_key_is_recorded_once(self):
        page_ = self.client.get(page(self.report))
        key = re.search(r'name="submission_key" value="([0-9a-f]{32})"', page_.text)[1]
        version = page_.context["version"]
        data = {"message": "Petugas sudah ke lokasi.", "audience": "reporter", "submission_key": key}
        for _ in range(2):  # a double click: the second POST carries the same key
            response = self.client.post(act_on(self.disposition, "tindak-lanjut"), {**data, "version": version})
            self.assertEqual(response.status_code, 302)
        self.assertEqual(self.report.events.filter(action="follow_up").count(), 1)
        self.assertEqual(self.report.events.get(action="follow_up").data, {"submission_key": key})

    def test_each_page_writes_a_new_key_so_two_follow_ups_are_two(self):
        keys = [
            re.search(r'name="submission_key" value="([0-9a-f]{32})"', self.client.get(page(self.report)).text)[1]
            for _ in "ab"
        ]
        self.assertNotEqual(*keys)
        for key in keys:
            self.client.post(
                act_on(self.disposition, "tindak-lanjut"),
                {"message": "Kabar.", "audience": "staff", "submission_key": key},
            )
        self.assertEqual(self.report.events.filter(action="internal_note").count(), 2)

    def test_a_key_the_page_did_not_write_is_dropped_not_refused(self):
        for _ in range(2):
            response = self.client.post(
                act_on(self.disposition, "tindak-lanjut"),
                {"message": "Kabar.", "audience": "staff", "submission_key": "'; DROP TABLE --"},
            )
            self.assertEqual(response.status_code, 302)
        self.assertEqual(self.report.events.filter(action="internal_note").count(), 2)

    def test_internal_note_by_the_agency_keeps_its_file_internal(self):
        self.post(
            act_on(self.disposition, "tindak-lanjut"),
            {"message": "Anggaran belum ada.", "audience": "staff", "attachments": [photo()]},
        )
        event = self.report.events.last()
        self.assertEqual((event.action, event.is_public), ("internal_note", False))
        self.assertFalse(event.attachments.get().is_public)

    def test_a_pixel_bomb_follow_up_photo_is_refused_with_the_limit_named(self):
        bomb = SimpleUploadedFile("bom.png", factory.png_bomb(10_000, 10_000), content_type="image/png")
        response = self.post(
            act_on(self.disposition, "tindak-lanjut"),
            {"message": "Lihat lampiran.", "audience": "public", "attachments": [bomb]},
        )
        self.assertContains(response, "paling banyak 40 megapiksel", status_code=400)
        self.assertEqual(self.actions_of(self.report), ["submitted", "verified", "disposed"])

    def test_a_file_that_is_not_a_photo_or_pdf_is_refused(self):
        bad = SimpleUploadedFile("virus.jpg", b"MZ not an image", content_type="image/jpeg")
        response = self.post(
            act_on(self.disposition, "tindak-lanjut"),
            {"message": "Lihat lampiran.", "audience": "public", "attachments": [bad]},
        )
        self.assertContains(response, "bukan foto atau PDF", status_code=400)
        # The message stays as typed; only the file has to be chosen again.
        self.assertContains(response, textarea("Lihat lampiran."), status_code=400)
        self.assertEqual(self.actions_of(self.report), ["submitted", "verified", "disposed"])

    def test_mark_done_with_a_closing_message(self):
        self.post(act_on(self.disposition, "selesai"), {"message": "Lampu sudah diganti.", "audience": "reporter"})
        self.disposition.refresh_from_db()
        self.report.refresh_from_db()
        self.assertEqual((self.disposition.state, self.report.status), ("done", Status.RESOLVED))
        self.assertIn("disposition_done", self.actions_of(self.report))

    def test_mark_done_without_any_reply_is_refused_with_a_message(self):
        response = self.post(act_on(self.disposition, "selesai"), {"message": ""})
        self.assertContains(response, "Tuliskan tanggapan untuk pelapor", status_code=400)
        self.assertEqual(response.context["rejected_box"].slug, "selesai")
        self.disposition.refresh_from_db()
        self.assertEqual(self.disposition.state, "pending")

    def test_return_as_not_our_authority(self):
        self.post(act_on(self.disposition, "kembalikan"), {"reason": "Kewenangan PLN."})
        self.report.refresh_from_db()
        self.assertEqual((self.report.status, self.report.return_count), (Status.VERIFIED, 1))
        self.assertEqual(self.actions_of(self.report)[-1], "disposition_returned")

    def test_operator_acts_like_the_liaison(self):
        self.login(self.pw_operator)
        self.post(act_on(self.disposition, "tindak-lanjut"), {"message": "Dicek besok.", "audience": "public"})
        self.assertEqual(self.report.events.last().actor, self.pw_operator)

    def test_liaison_extends_an_information_request(self):
        report = self.disposed(kind=Kind.INFORMATION_REQUEST)
        self.post(act(report, "perpanjang"), {"reason": "Menunggu data dari bidang."})
        report.refresh_from_db()
        self.assertIsNotNone(report.info_extended_at)
        self.assertEqual(self.actions_of(report)[-1], "information_extended")

    def test_liaison_cannot_verify_through_the_report_url(self):
        response = self.post(act(self.report, "verifikasi"), {})
        # Refused by the workflow (NotAllowed), as the API does: 403, the reason on top.
        self.assertContains(response, "msg-error", status_code=403)
        self.assertContains(response, "tidak berwenang", status_code=403)
        self.assertEqual(Report.objects.get(pk=self.report.pk).status, Status.DISPOSED)
