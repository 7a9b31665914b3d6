"""Importing the SP4N-LAPOR! admin export, storing what was read: upsert (a re-import
updates, never duplicates, never undoes work done in Aduan), a report listed again
further down, dry run and batches, and the bulk writes (queries, tracking numbers,
triage per batch). Reading the file: test_lapor_import.py."""

from unittest import mock

from django.test import override_settings

from core import queues
from lapor import columns as c
from lapor import sample
from lapor.importer import run_import
from lapor.models import CategoryMapping, LaporRecord, StatusMapping
from reports.models import Channel, Report, ReportEvent, Status
from tests import factory
from tests.lapor_base import LaporImportCase

FIRST_ROW = len(sample.INFO_ROWS) + 2  # the first data row of a sample file
IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend", "QUEUES": queues.ALL}}


class UpsertTests(LaporImportCase):
    def test_reimport_updates_and_never_duplicates(self):
        path = self.xlsx([sample.row(3001), sample.row(3002)])
        first = run_import(path, dry_run=False)
        self.assertEqual(len(first.created), 2)
        again = run_import(path, dry_run=False)
        self.assertEqual((len(again.created), len(again.updated), len(again.unchanged)), (0, 0, 2))
        self.assertEqual(Report.objects.count(), 2)
        events = ReportEvent.objects.count()

        changed = sample.row(
            3001, **{c.TEXT_FINAL: "Teks yang diperbaiki admin.", c.STATUS: "Ditindaklanjuti oleh Instansi"}
        )
        third = run_import(self.xlsx([changed, sample.row(3002)]), dry_run=False)
        self.assertEqual((len(third.created), len(third.updated), len(third.unchanged)), (0, 1, 1))
        self.assertEqual(Report.objects.count(), 2)
        report = LaporRecord.objects.get(tracking_id="3001").report
        self.assertEqual(report.description, "Teks yang diperbaiki admin.")
        self.assertEqual(report.status, Status.IN_PROGRESS)
        new_actions = list(ReportEvent.objects.filter(report=report).order_by("pk").values_list("action", flat=True))[
            -2:
        ]
        self.assertEqual(new_actions, ["lapor_updated", "lapor_synced"])
        self.assertGreater(ReportEvent.objects.count(), events)

    def test_created_reports_have_history_like_any_other(self):
        run_import(self.xlsx([sample.row(3010)]), dry_run=False)
        report = LaporRecord.objects.get(tracking_id="3010").report
        actions = list(report.events.values_list("action", "from_status", "to_status"))
        self.assertEqual(
            actions,
            [
                ("submitted", "", "received"),
                ("lapor_synced", "received", "disposed"),
                ("lapor_disposed", "disposed", "disposed"),
            ],
        )
        self.assertTrue(report.tracking_number.startswith("BLT-"))

    def test_a_reimport_of_an_old_file_does_not_undo_work_done_in_aduan(self):
        path = self.xlsx([sample.row(3020, **{c.STATUS: "Terverifikasi", c.AGENCY_ID: "", c.AGENCY: ""})])
        run_import(path, dry_run=False)
        report = LaporRecord.objects.get(tracking_id="3020").report
        from reports import actions

        actions.dispose_report(report, actor=self.coordinator, lead_agency=self.public_works)
        outcome = run_import(path, dry_run=False)
        self.assertEqual(len(outcome.unchanged), 1)
        report.refresh_from_db()
        self.assertEqual(report.status, Status.DISPOSED)

    def test_a_reimport_keeps_the_coordinators_recategorisation(self):
        path = self.xlsx([sample.row(3025)])
        run_import(path, dry_run=False)
        report = LaporRecord.objects.get(tracking_id="3025").report
        self.assertEqual(report.category, self.category)
        from reports import actions

        actions.classify_report(report, actor=self.coordinator, category=self.other_category)
        outcome = run_import(path, dry_run=True)
        self.assertEqual(len(outcome.unchanged), 1)
        outcome = run_import(path, dry_run=False)
        self.assertEqual((len(outcome.unchanged), len(outcome.updated)), (1, 0))
        report.refresh_from_db()
        self.assertEqual(report.category, self.other_category)
        self.assertFalse(report.events.filter(action="lapor_updated").exists())

        # A category LAPOR! itself changes since the last import is taken, as any LAPOR! change.
        CategoryMapping.objects.create(key="id:102", lapor_id="102", lapor_name="Jalan", category=self.category)
        moved = sample.row(3025, **{c.CATEGORY_ID: "102", c.CATEGORY: "Jalan"})
        outcome = run_import(self.xlsx([moved]), dry_run=False)
        self.assertEqual(len(outcome.updated), 1)
        report.refresh_from_db()
        self.assertEqual(report.category, self.category)

    def test_a_reimport_keeps_title_text_and_region_corrected_in_aduan(self):
        run_import(self.xlsx([sample.row(3027)]), dry_run=False)
        report = LaporRecord.objects.get(tracking_id="3027").report
        self.assertEqual(report.region, self.kelurahan)
        from reports import actions

        # Staff correct the title and text (the admin) and the kelurahan (classification).
        Report.objects.filter(pk=report.pk).update(title="Lampu padam Jl. Merdeka", description="Teks dibetulkan.")
        actions.classify_report(report, actor=self.coordinator, region=self.other_kelurahan)
        # LAPOR! itself changes those cells (and the reporter's name) since the last import.
        factory.make_region("Sentul", parent=self.kecamatan)
        changed = sample.row(
            3027,
            **{c.TITLE: "Judul baru di LAPOR!", c.TEXT_FINAL: "Teks baru di LAPOR!", c.KELURAHAN: "Sentul"},
            **{c.REPORTER_NAME: "Budi Santoso"},
        )
        outcome = run_import(self.xlsx([changed]), dry_run=False)

        self.assertEqual(len(outcome.updated), 1)
        report.refresh_from_db()
        self.assertEqual(
            (report.title, report.description, report.region, report.reporter_name),
            ("Lampu padam Jl. Merdeka", "Teks dibetulkan.", self.other_kelurahan, "Budi Santoso"),
        )

    def test_a_reimport_still_updates_title_and_text_nobody_corrected(self):
        run_import(self.xlsx([sample.row(3028)]), dry_run=False)
        changed = sample.row(3028, **{c.TITLE: "Judul baru di LAPOR!", c.TEXT_FINAL: "Teks baru di LAPOR!"})
        run_import(self.xlsx([changed]), dry_run=False)
        report = LaporRecord.objects.get(tracking_id="3028").report
        self.assertEqual((report.title, report.description), ("Judul baru di LAPOR!", "Teks baru di LAPOR!"))

    def test_a_new_agency_in_lapor_becomes_the_active_lead(self):
        run_import(self.xlsx([sample.row(3030)]), dry_run=False)
        moved = sample.row(3030, **{c.AGENCY_ID: "9002", c.AGENCY: "DPUPR", c.STATUS: "Terdisposisi ke DPUPR"})
        run_import(self.xlsx([moved]), dry_run=False)
        report = LaporRecord.objects.get(tracking_id="3030").report
        self.assertEqual([d.agency for d in report.dispositions.filter(is_active=True)], [self.public_works])
        self.assertEqual(report.dispositions.count(), 2)


class SupersededRowTests(LaporImportCase):
    """LAPOR! lists a report again further down when its status changes: the last row wins."""

    def test_a_report_listed_again_further_down_takes_its_later_row(self):
        rows = [
            sample.row(3040, **{c.STATUS: "Terverifikasi", c.AGENCY_ID: "", c.AGENCY: ""}),
            sample.row(3041),
            sample.row(3040, **{c.STATUS: "Ditindaklanjuti oleh Instansi", c.TEXT_FINAL: "Sudah ditangani dinas."}),
        ]
        r0, r1, r2 = FIRST_ROW, FIRST_ROW + 1, FIRST_ROW + 2
        path = self.csv(rows)
        preview = run_import(path, dry_run=True)
        outcome = run_import(path, dry_run=False)
        for result in (preview, outcome):
            self.assertEqual(result.superseded, [(r0, "3040", r2)])
            self.assertEqual((result.created, result.rejected_count), ([r1, r2], 0))
        self.assertEqual(outcome.as_dict()["superseded_rows"], [[r0, "3040", r2]])
        self.assertEqual(Report.objects.count(), 2)
        record = LaporRecord.objects.select_related("report").get(tracking_id="3040")
        report = record.report
        self.assertEqual((report.status, report.description), (Status.IN_PROGRESS, "Sudah ditangani dinas."))
        self.assertEqual(report.dispositions.get(is_active=True).agency, self.transport)
        self.assertEqual(record.row_data[c.STATUS], "Ditindaklanjuti oleh Instansi")
        # Straight to its latest state: no detour through "Terverifikasi".
        self.assertEqual(
            list(report.events.values_list("action", "to_status")),
            [("submitted", "received"), ("lapor_synced", "in_progress"), ("lapor_disposed", "in_progress")],
        )
        again = run_import(path, dry_run=False)
        self.assertEqual((again.unchanged, again.superseded), ([r1, r2], [(r0, "3040", r2)]))

    @override_settings(ADUAN_LAPOR_IMPORT_BATCH_SIZE=2)
    def test_the_last_valid_row_wins_across_batches_over_a_known_report(self):
        run_import(self.csv([sample.row(3050, **{c.STATUS: "Belum Terverifikasi"})]), dry_run=False)
        report = LaporRecord.objects.get(tracking_id="3050").report
        events = report.events.count()
        rows = [
            sample.row(3050, **{c.STATUS: "Terverifikasi"}),
            sample.row(3051),
            sample.row(3050, **{c.STATUS: "Terdisposisi ke Dinas Perhubungan"}),
            sample.row(3052),
            sample.row(3050, **{c.DATE: "besok"}),  # rejected: it supersedes nothing
            sample.row(3050, **{c.STATUS: "Ditindaklanjuti oleh Instansi"}),
            sample.row(3053),
        ]
        r = [FIRST_ROW + i for i in range(len(rows))]
        path = self.csv(rows, name="later.csv")
        preview = run_import(path, dry_run=True)
        outcome = run_import(path, dry_run=False)
        for result in (preview, outcome):
            self.assertEqual(result.superseded, [(r[0], "3050", r[5]), (r[2], "3050", r[5])])
            self.assertEqual((result.created, result.updated), ([r[1], r[3], r[6]], [r[5]]))
            self.assertEqual([row for row, _tid, _reason in result.rejected], [r[4]])
        report.refresh_from_db()
        self.assertEqual(report.status, Status.IN_PROGRESS)
        new = list(report.events.order_by("pk").values_list("action", "from_status", "to_status"))[events:]
        self.assertEqual(
            new, [("lapor_synced", "received", "in_progress"), ("lapor_disposed", "in_progress", "in_progress")]
        )

    def test_a_repeat_the_preview_did_not_foresee_still_lets_the_later_row_win(self):
        """A later row rejected in the preview (status not mapped yet) and mapped before the
        confirmation: the confirmed import meets a repeat it was not told of."""
        for batch_size, tid in ((500, "3060"), (1, "3061")):  # in the same batch, in the next one
            rows = [sample.row(tid, **{c.STATUS: "Terverifikasi"}), sample.row(tid, **{c.STATUS: "Menunggu Khusus"})]
            path = self.csv(rows, name=f"{tid}.csv")
            preview = run_import(path, dry_run=True).as_dict()
            self.assertEqual((preview["superseded_rows"], preview["rejected"]), ([], 1))
            StatusMapping.objects.update_or_create(key="menunggu khusus", defaults={"status": Status.IN_PROGRESS})
            with override_settings(ADUAN_LAPOR_IMPORT_BATCH_SIZE=batch_size):
                outcome = run_import(path, dry_run=False, checked=preview)
            StatusMapping.objects.filter(key="menunggu khusus").delete()
            self.assertEqual(outcome.superseded, [(FIRST_ROW, tid, FIRST_ROW + 1)], batch_size)
            self.assertEqual(LaporRecord.objects.get(tracking_id=tid).report.status, Status.IN_PROGRESS)
        self.assertEqual(Report.objects.count(), 2)


class DryRunAndBatchTests(LaporImportCase):
    def test_dry_run_says_what_would_happen_and_stores_nothing(self):
        run_import(self.csv([sample.row(6001)]), dry_run=False)
        reports, events, mappings = Report.objects.count(), ReportEvent.objects.count(), CategoryMapping.objects.count()
        rows = [
            sample.row(6001, **{c.TEXT_FINAL: "Berubah"}),
            sample.row(6002),
            sample.row(6003, **{c.DATE: ""}),
            sample.row(6004, **{c.CATEGORY_ID: "999", c.CATEGORY: "Baru"}),
        ]
        outcome = run_import(self.xlsx(rows), dry_run=True)
        first = len(sample.INFO_ROWS) + 2
        self.assertEqual(outcome.updated, [first])
        self.assertEqual(outcome.created, [first + 1, first + 3])
        self.assertEqual(outcome.rejected, [(first + 2, "6003", "Tanggal Laporan Masuk kosong.")])
        self.assertEqual(outcome.unknown, {"category": {"Baru": 1}})
        self.assertEqual(outcome.as_dict()["created_rows"], f"{first + 1}, {first + 3}")
        self.assertEqual(
            (Report.objects.count(), ReportEvent.objects.count(), CategoryMapping.objects.count()),
            (reports, events, mappings),
        )
        self.assertEqual(LaporRecord.objects.get(tracking_id="6001").report.description, sample.row(6001)[c.TEXT_FINAL])

    @override_settings(ADUAN_LAPOR_IMPORT_BATCH_SIZE=2)
    def test_a_failed_batch_rolls_back_entirely_and_stops(self):
        rows = [sample.row(7000 + i) for i in range(5)]
        from lapor import actions

        real = actions.import_lapor_row

        def flaky(plan, record, **kwargs):
            if plan.parsed.tracking_id == "7003":
                raise RuntimeError("disk full")
            return real(plan, record, **kwargs)

        with mock.patch.object(actions, "import_lapor_row", side_effect=flaky):
            outcome = run_import(self.csv(rows), dry_run=False)
        # Batch 1 (7000, 7001) committed; batch 2 (7002, 7003) rolled back; batch 3 never ran.
        self.assertEqual(sorted(LaporRecord.objects.values_list("tracking_id", flat=True)), ["7000", "7001"])
        self.assertEqual(Report.objects.count(), 2)
        self.assertIn("dibatalkan", outcome.failed)
        self.assertEqual(len(outcome.created), 2)
        self.assertEqual(CategoryMapping.objects.get(key="id:101").seen_count, 2)
        # Importing again continues where it stopped.
        again = run_import(self.csv(rows, name="again.csv"), dry_run=False)
        self.assertEqual((len(again.created), len(again.unchanged)), (3, 2))


class BulkImportTests(LaporImportCase):
    """New rows of a batch are stored together (reports.actions.submit_external_reports):
    the same rows and events as one by one, a query count that does not grow with the
    rows, triage once per batch in the background, and no message to anyone."""

    def test_the_query_count_hardly_grows_with_the_rows(self):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        def queries(rows):
            path = self.csv(rows)
            with CaptureQueriesContext(connection) as captured:
                outcome = run_import(path, dry_run=False)
            self.assertEqual(len(outcome.created), len(rows))
            return len(captured)

        queries([sample.row(9000)])  # the first import also creates the year's tracking counter
        few = queries([sample.row(9100 + i) for i in range(3)])
        many = queries([sample.row(9200 + i, **{c.RATING: "4"}) for i in range(40)])
        # Only the database's limit on parameters per statement splits a bulk insert (SQLite:
        # about twenty reports per INSERT); one by one it was a dozen queries per row.
        self.assertLessEqual(many - few, 6)

    def test_new_reports_are_in_lapors_state_with_consecutive_tracking_numbers(self):
        rows = [
            sample.row(9300, **{c.STATUS: "Ditindaklanjuti oleh Instansi", c.RATING: "5"}),
            sample.row(9301, **{c.STATUS: "Belum Terverifikasi"}),
            sample.row(9302, **{c.STATUS: "Ditutup oleh Admin"}),
        ]
        run_import(self.csv(rows), dry_run=False)
        reports = [LaporRecord.objects.get(tracking_id=str(9300 + i)).report for i in range(3)]
        numbers = [int(report.tracking_number.rsplit("-", 1)[1]) for report in reports]
        self.assertEqual(numbers, [numbers[0], numbers[0] + 1, numbers[0] + 2])

        in_progress, received, closed = reports
        self.assertEqual((in_progress.status, in_progress.rating), (Status.IN_PROGRESS, 5))
        self.assertIsNotNone(in_progress.disposed_at)
        self.assertIsNone(in_progress.due_at)
        lead = in_progress.dispositions.get()
        self.assertEqual((lead.agency, lead.state, lead.is_active), (self.transport, "accepted", True))
        self.assertIsNotNone(lead.follow_up_due_at)
        event = in_progress.events.get(action="lapor_disposed")
        self.assertEqual((event.disposition, event.agency), (lead, self.transport))
        self.assertEqual(event.data, {"tracking_id": "9300", "agency": str(self.transport)})
        synced = in_progress.events.get(action="lapor_synced")
        self.assertEqual(synced.message, "Status di SP4N-LAPOR!: Ditindaklanjuti oleh Instansi")

        self.assertEqual(received.status, Status.RECEIVED)
        self.assertIsNotNone(received.due_at)
        self.assertEqual(list(received.events.values_list("action", flat=True)), ["submitted"])
        self.assertFalse(received.dispositions.exists())
        self.assertEqual((closed.status, closed.dispositions.get().state), (Status.CLOSED, "done"))
        self.assertIsNotNone(closed.closed_at)

    @override_settings(TASKS=IMMEDIATE)
    def test_imported_reports_are_triaged_once_per_batch_not_per_event(self):
        from triage.models import KeywordRule, ReportTriage, Suggestion

        KeywordRule.objects.create(category=self.other_category, keywords="parkir, jukir")
        rows = [
            sample.row(9400, **{c.TEXT_FINAL: "Pohon besar tumbang menimpa rumah warga di Jl. Mawar."}),
            sample.row(
                9401,
                **{c.CATEGORY_ID: "555", c.CATEGORY: "Lain-lain", c.TEXT_FINAL: "ada jukir liar", c.TITLE: "Jukir"},
            ),
        ]
        from triage import actions as triage_actions

        with (
            mock.patch("triage.actions.triage_report") as one_by_one,
            mock.patch("triage.tasks.triage_new_reports") as task,
        ):
            enqueue = task.enqueue
            enqueue.side_effect = triage_actions.triage_reports
            with self.captureOnCommitCallbacks(execute=True):
                run_import(self.csv(rows), dry_run=False)
        one_by_one.assert_not_called()
        self.assertEqual(enqueue.call_count, 1)
        urgent, unmapped = (LaporRecord.objects.get(tracking_id=t).report for t in ("9400", "9401"))
        # LAPOR! gave the category and the agency: urgency only, no suggestion to repeat them.
        self.assertEqual(ReportTriage.objects.get(report=urgent).urgency_reasons, ["fallen_tree"])
        self.assertFalse(Suggestion.objects.filter(report=urgent).exists())
        # No category from LAPOR!: suggested as any other report.
        self.assertFalse(ReportTriage.objects.get(report=unmapped).is_urgent)
        self.assertEqual(Suggestion.objects.get(report=unmapped, rank=1).category, self.other_category)
        # Running it again changes nothing.
        self.assertEqual(triage_actions.triage_reports([urgent.pk, unmapped.pk]), 0)

    @override_settings(TASKS=IMMEDIATE)
    def test_the_background_task_triages_the_batch(self):
        from triage.models import ReportTriage

        with self.captureOnCommitCallbacks(execute=True):
            run_import(self.csv([sample.row(9500), sample.row(9501)]), dry_run=False)
        self.assertEqual(ReportTriage.objects.filter(report__channel=Channel.LAPOR).count(), 2)

    def test_an_import_queues_no_message_for_anyone(self):

        rows = [sample.row(9600 + i, **{c.STATUS: s}) for i, s in enumerate(sample.STATUSES)]
        with self.captureOnCommitCallbacks(execute=True):
            run_import(self.csv(rows), dry_run=False)
            changed = [sample.row(9600, **{c.STATUS: "Ditutup oleh Admin", c.AGENCY_ID: "9002"})]
            run_import(self.csv(changed, name="again.csv"), dry_run=False)
        self.assertEqual(LaporRecord.objects.count(), len(rows))
        self.assertNothingQueued()
