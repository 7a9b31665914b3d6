"""The coordinator's SP4N-LAPOR! pages: upload → dry-run preview → confirm, and referrals."""

import zipfile
from unittest import mock

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse

from core import queues
from lapor import columns as c
from lapor import sample
from lapor.models import ImportJob, LaporRecord, Referral
from reports import actions
from reports.models import ArchiveReason, IdentityRead, Report, ReportEvent
from tests.lapor_base import LaporImportCase

IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend", "QUEUES": queues.ALL}}


class ImportPageTests(LaporImportCase):
    def upload(self, path, name=None):
        with open(path, "rb") as handle:
            upload = SimpleUploadedFile(name or path.name, handle.read())
        return self.client.post(reverse("lapor:import"), {"file": upload})

    @override_settings(TASKS=IMMEDIATE)
    def test_upload_preview_then_confirm(self):
        self.login(self.coordinator)
        rows = [
            sample.row(1001),
            sample.row(1002, **{c.DATE: "besok"}),
            sample.row(1003, **{c.CATEGORY_ID: "77", c.CATEGORY: "Baliho"}),
        ]
        with self.captureOnCommitCallbacks(execute=True):  # the dry run, in the (immediate) worker
            response = self.upload(self.xlsx(rows))
        job = ImportJob.objects.get()
        self.assertRedirects(response, reverse("lapor:import_job", args=[job.pk]))
        self.assertEqual((job.state, job.rows_read), (ImportJob.State.PREVIEWED, 3))
        self.assertTrue(job.file)
        self.assertEqual(Report.objects.count(), 0)  # a preview stores no report

        page = self.client.get(reverse("lapor:import_job", args=[job.pk]))
        self.assertContains(page, "Hasil uji coba")
        self.assertContains(page, "Tanggal Laporan Masuk “besok”")
        self.assertContains(page, "Baliho")
        self.assertContains(page, "Konfirmasi impor")
        self.assertEqual((job.preview["created"], job.preview["rejected"]), (2, 1))

        with self.captureOnCommitCallbacks(execute=True):
            response = self.client.post(reverse("lapor:import_confirm", args=[job.pk]))
        self.assertRedirects(response, reverse("lapor:import_job", args=[job.pk]))
        job.refresh_from_db()
        self.assertEqual(job.state, ImportJob.State.IMPORTED)
        self.assertFalse(job.file)  # the upload is deleted once imported
        self.assertEqual(job.result["created"], 2)
        self.assertEqual(sorted(LaporRecord.objects.values_list("tracking_id", flat=True)), ["1001", "1003"])
        created = LaporRecord.objects.get(tracking_id="1001").report
        self.assertEqual(created.created_by, self.coordinator)
        page = self.client.get(reverse("lapor:import_job", args=[job.pk]))
        self.assertContains(page, "Hasil impor")
        self.assertNotContains(page, "Konfirmasi impor")

        # A second confirmation (double click, back button) imports nothing again.
        with self.captureOnCommitCallbacks(execute=True):
            self.client.post(reverse("lapor:import_confirm", args=[job.pk]))
        self.assertEqual(Report.objects.count(), 2)

    @override_settings(TASKS=IMMEDIATE)
    def test_the_preview_and_the_result_say_which_rows_a_later_row_superseded(self):
        self.login(self.coordinator)
        rows = [
            sample.row(1201, **{c.STATUS: "Terverifikasi", c.AGENCY_ID: "", c.AGENCY: ""}),
            sample.row(1202),
            sample.row(1201, **{c.STATUS: "Ditutup oleh Admin"}),
        ]
        first = len(sample.INFO_ROWS) + 2
        with self.captureOnCommitCallbacks(execute=True):
            self.upload(self.xlsx(rows))
        job = ImportJob.objects.get()
        page = self.client.get(reverse("lapor:import_job", args=[job.pk]))
        self.assertContains(page, "Digantikan baris berikutnya")
        self.assertContains(page, f"<td>{first}</td><td>1201</td><td>{first + 2}</td>", html=False)
        self.assertEqual((job.preview["created"], job.preview["superseded"], job.preview["rejected"]), (2, 1, 0))

        with self.captureOnCommitCallbacks(execute=True):
            self.client.post(reverse("lapor:import_confirm", args=[job.pk]))
        job.refresh_from_db()
        self.assertEqual((job.state, job.result["created"], job.result["superseded"]), ("imported", 2, 1))
        self.assertEqual(LaporRecord.objects.get(tracking_id="1201").report.status, "closed")
        page = self.client.get(reverse("lapor:import_job", args=[job.pk]))
        self.assertContains(page, "Hasil impor")
        self.assertContains(page, f"<td>{first}</td><td>1201</td><td>{first + 2}</td>", html=False)

    @override_settings(TASKS=IMMEDIATE)
    def test_the_dry_run_runs_in_the_worker_and_the_page_follows_it(self):
        self.login(self.coordinator)
        with self.captureOnCommitCallbacks(execute=False) as enqueued:
            response = self.upload(self.xlsx([sample.row(1101), sample.row(1102)]))
        job = ImportJob.objects.get()
        self.assertRedirects(response, reverse("lapor:import_job", args=[job.pk]))
        self.assertEqual((job.state, job.preview), (ImportJob.State.CHECKING, {}))  # nothing read in the request
        page = self.client.get(reverse("lapor:import_job", args=[job.pk]))
        self.assertContains(page, "Uji coba sedang berjalan di latar belakang")
        self.assertContains(page, 'hx-trigger="every 2s"')
        self.assertNotContains(page, "Konfirmasi impor")

        for callback in enqueued:
            callback()  # the worker picks the task up

        poll = self.client.get(reverse("lapor:import_job", args=[job.pk]), headers={"HX-Request": "true"})
        self.assertEqual(poll["HX-Refresh"], "true")  # done: the page loads again, with the preview
        job.refresh_from_db()
        self.assertEqual((job.state, job.rows_read, job.preview["created"]), (ImportJob.State.PREVIEWED, 2, 2))
        self.assertContains(self.client.get(reverse("lapor:import_job", args=[job.pk])), "Konfirmasi impor")

    def test_the_progress_poll_answers_the_status_alone_while_the_worker_runs(self):
        self.login(self.coordinator)
        self.upload(self.csv([sample.row(1111)]))
        job = ImportJob.objects.get()
        ImportJob.objects.filter(pk=job.pk).update(rows_read=500)
        poll = self.client.get(reverse("lapor:import_job", args=[job.pk]), headers={"HX-Request": "true"})
        self.assertContains(poll, "500 baris terbaca")
        self.assertNotContains(poll, "<html")
        self.assertFalse(poll.has_header("HX-Refresh"))

    @override_settings(TASKS=IMMEDIATE, ADUAN_LAPOR_IMPORT_MAX_ROWS=1)
    def test_a_file_refused_by_the_worker_says_why_on_the_job_page_and_its_upload_is_deleted(self):
        self.login(self.coordinator)
        with self.captureOnCommitCallbacks(execute=True):
            self.upload(self.csv([sample.row(1121), sample.row(1122)]))
        job = ImportJob.objects.get()
        self.assertEqual(job.state, ImportJob.State.FAILED)
        self.assertFalse(job.file)
        self.assertContains(self.client.get(reverse("lapor:import_job", args=[job.pk])), "lebih dari 1 baris")
        self.assertEqual(Report.objects.count(), 0)

    @override_settings(TASKS=IMMEDIATE)
    def test_a_job_discarded_while_its_dry_run_waits_stays_discarded(self):
        self.login(self.coordinator)
        with self.captureOnCommitCallbacks(execute=False) as enqueued:
            self.upload(self.csv([sample.row(1131)]))
        job = ImportJob.objects.get()
        self.client.post(reverse("lapor:import_discard", args=[job.pk]))
        for callback in enqueued:
            callback()
        job.refresh_from_db()
        self.assertEqual((job.state, job.preview), (ImportJob.State.DISCARDED, {}))

    def test_an_xlsx_that_inflates_far_beyond_its_size_is_refused_in_the_request_and_stores_nothing(self):
        self.login(self.coordinator)
        path = self.xlsx([sample.row(1141)])
        with (
            zipfile.ZipFile(path, "a", compression=zipfile.ZIP_DEFLATED) as archive,
            archive.open("xl/media/padding.xml", "w") as member,
        ):
            for _ in range(20):
                member.write(b"<r/>" * 262_144)  # 20 MB of repetition: a few KB compressed
        self.assertLess(path.stat().st_size, 100 * 1024)
        with mock.patch("openpyxl.load_workbook", side_effect=AssertionError("opened")):
            response = self.upload(path)
        self.assertContains(response, "mengembang menjadi 20,0\xa0MB saat dibuka", status_code=400)
        self.assertEqual(ImportJob.objects.count(), 0)
        import_dir = settings.MEDIA_ROOT / "lapor"
        self.assertEqual([p for p in import_dir.rglob("*") if p.is_file()] if import_dir.exists() else [], [])

    def test_discard_deletes_the_upload(self):
        self.login(self.coordinator)
        self.upload(self.csv([sample.row(1010)]))
        job = ImportJob.objects.get()
        name = job.file.name
        from django.core.files.storage import default_storage

        self.assertTrue(default_storage.exists(name))
        self.client.post(reverse("lapor:import_discard", args=[job.pk]))
        job.refresh_from_db()
        self.assertEqual(job.state, ImportJob.State.DISCARDED)
        self.assertFalse(default_storage.exists(name))
        self.assertEqual(Report.objects.count(), 0)

    def test_a_bad_file_gets_a_message_and_stores_nothing(self):
        self.login(self.coordinator)
        path = self.tmp("bukan.csv")
        path.write_text("nama;umur\nBudi;40\n")
        response = self.upload(path)
        self.assertContains(response, "bukan ekspor admin SP4N-LAPOR!", status_code=400)
        self.assertEqual(ImportJob.objects.count(), 0)
        from django.conf import settings

        import_dir = settings.MEDIA_ROOT / "lapor"
        self.assertEqual([p for p in import_dir.rglob("*") if p.is_file()] if import_dir.exists() else [], [])

    @override_settings(ADUAN_LAPOR_IMPORT_MAX_BYTES=1024)
    def test_an_oversize_upload_is_refused_before_it_is_stored(self):
        self.login(self.coordinator)
        response = self.client.post(reverse("lapor:import"), {"file": SimpleUploadedFile("besar.csv", b"x" * 5000)})
        self.assertContains(response, "Berkas terlalu besar", status_code=400)
        self.assertEqual(ImportJob.objects.count(), 0)

    def test_only_coordinators_import(self):
        for user in (self.pw_liaison, self.executive):
            self.login(user)
            self.assertEqual(self.client.get(reverse("lapor:import")).status_code, 403)
        self.login(self.outsider)
        self.assertEqual(self.client.get(reverse("lapor:import")).status_code, 403)

    def test_the_mapping_queue_is_shown_with_counts(self):
        from lapor.models import AgencyMapping

        AgencyMapping.objects.create(key="id:1", lapor_id="1", lapor_name="Badan X")
        self.login(self.coordinator)
        page = self.client.get(reverse("lapor:import"))
        self.assertContains(page, "Antrean pemetaan")
        self.assertEqual([count for _label, count, _url in page.context["queue"]], [0, 0, 1])

    def test_the_workspace_menu_links_the_bridge(self):
        self.login(self.coordinator)
        self.assertContains(self.client.get(reverse("workspace:inbox")), reverse("lapor:import"))
        self.login(self.pw_liaison)
        self.assertContains(self.client.get(reverse("workspace:dispositions")), reverse("lapor:export"))


class ReferralTests(LaporImportCase):
    def archive_outside(self, **overrides):
        report = self.make_report(**overrides)
        with self.captureOnCommitCallbacks(execute=True):
            actions.archive_report(
                report,
                actor=self.coordinator,
                reason=ArchiveReason.OUTSIDE_AUTHORITY,
                referral_note="Jalan nasional: wewenang Kementerian PUPR.",
            )
        return report

    def test_archiving_outside_authority_creates_a_referral(self):
        report = self.archive_outside()
        referral = Referral.objects.get(report=report)
        self.assertEqual(referral.state, Referral.State.PENDING)
        self.assertEqual(referral.note, "Jalan nasional: wewenang Kementerian PUPR.")

    def test_other_archive_reasons_do_not(self):
        report = self.make_report()
        with self.captureOnCommitCallbacks(execute=True):
            actions.archive_report(report, actor=self.coordinator, reason=ArchiveReason.SPAM)
        self.assertFalse(Referral.objects.exists())

    def test_the_coordinator_copies_the_text_and_marks_it_referred(self):
        report = self.archive_outside(reporter_name="Siti Aminah")
        referral = Referral.objects.get(report=report)
        self.login(self.coordinator)
        listing = self.client.get(reverse("lapor:referrals"))
        self.assertContains(listing, report.tracking_number)
        self.assertNotContains(listing, "Siti Aminah")

        page = self.client.get(reverse("lapor:referral", args=[referral.pk]))
        self.assertContains(page, "Siti Aminah")
        self.assertContains(page, "Jalan nasional")
        self.assertContains(page, report.description)
        self.assertTrue(IdentityRead.objects.filter(user=self.coordinator, report=report).exists())

        response = self.client.post(reverse("lapor:referral", args=[referral.pk]), {"lapor_tracking_id": "abc"})
        self.assertContains(response, "berupa angka", status_code=400)
        response = self.client.post(reverse("lapor:referral", args=[referral.pk]), {"lapor_tracking_id": " 4012345 "})
        self.assertRedirects(response, reverse("lapor:referrals"))
        referral.refresh_from_db()
        self.assertEqual(
            (referral.state, referral.lapor_tracking_id, referral.referred_by),
            ("referred", "4012345", self.coordinator),
        )
        event = ReportEvent.objects.filter(report=report).last()
        self.assertEqual((event.action, event.data["lapor_tracking_id"]), ("referred_to_lapor", "4012345"))

    def test_a_tracking_id_is_used_once_and_a_referral_is_marked_once(self):
        first = Referral.objects.get(report=self.archive_outside())
        second = Referral.objects.get(report=self.archive_outside())
        from core.errors import DomainError
        from lapor import actions as lapor_actions

        lapor_actions.mark_referred(first, actor=self.coordinator, lapor_tracking_id="4000001")
        with self.assertRaisesMessage(DomainError, "sudah ditandai"):
            lapor_actions.mark_referred(first, actor=self.coordinator, lapor_tracking_id="4000002")
        with self.assertRaisesMessage(DomainError, "sudah dipakai"):
            lapor_actions.mark_referred(second, actor=self.coordinator, lapor_tracking_id="4000001")
        second.refresh_from_db()
        self.assertEqual(second.state, Referral.State.PENDING)

    def test_only_coordinators_see_and_mark_referrals(self):
        referral = Referral.objects.get(report=self.archive_outside())
        from core.errors import NotAllowed
        from lapor import actions as lapor_actions

        with self.assertRaises(NotAllowed):
            lapor_actions.mark_referred(referral, actor=self.pw_liaison, lapor_tracking_id="4000003")
        for user in (self.pw_liaison, self.executive):
            self.login(user)
            self.assertEqual(self.client.get(reverse("lapor:referrals")).status_code, 403)
            self.assertEqual(self.client.get(reverse("lapor:referral", args=[referral.pk])).status_code, 403)

    def test_a_missing_referral_is_filled_in_when_the_list_opens(self):
        report = self.make_report()
        actions.archive_report(
            report, actor=self.coordinator, reason=ArchiveReason.OUTSIDE_AUTHORITY, referral_note="x"
        )
        # No on-commit callback ran, and still it is there: written in the archive's transaction.
        self.assertTrue(Referral.objects.filter(report=report).exists())
        Referral.objects.all().delete()  # as for a report archived before referrals existed
        self.login(self.coordinator)
        self.assertContains(self.client.get(reverse("lapor:referrals")), report.tracking_number)
        self.assertTrue(Referral.objects.filter(report=report).exists())


class MappingAdminTests(LaporImportCase):
    def test_the_administrator_sees_the_queue_and_maps_a_value(self):
        from lapor.models import CategoryMapping
        from tests import factory

        CategoryMapping.objects.create(key="id:555", lapor_id="555", lapor_name="Pohon Tumbang", seen_count=4)
        admin = factory.make_user("admin_sistem", is_staff=True, is_superuser=True)
        self.login(admin)
        url = reverse("admin:lapor_categorymapping_changelist")
        page = self.client.get(url, {"dipetakan": "tidak"})
        self.assertContains(page, "Pohon Tumbang")
        self.assertNotContains(page, "Lampu PJU")  # mapped in setUpTestData
        queued = CategoryMapping.objects.get(key="id:555")
        mapped = CategoryMapping.objects.get(key="id:101")
        response = self.client.post(
            url + "?dipetakan=tidak",
            {
                "form-TOTAL_FORMS": "1",
                "form-INITIAL_FORMS": "1",
                "form-0-id": str(queued.pk),
                "form-0-category": str(self.other_category.pk),
                "_save": "Simpan",
            },
        )
        self.assertEqual(response.status_code, 302)
        queued.refresh_from_db()
        self.assertEqual(queued.category, self.other_category)
        self.assertEqual(CategoryMapping.objects.unmapped().count(), 0)
        self.assertEqual(mapped.category, self.category)
