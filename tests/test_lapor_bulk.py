"""Reports written in bulk by the LAPOR! import (core.fastinsert under
reports.actions.submit_external_reports) carry every derived column a report submitted one
by one gets."""

from lapor import columns as c
from lapor import sample
from lapor.importer import run_import
from reports.models import Report
from tests.lapor_base import LaporImportCase


class BulkWrittenReportTests(LaporImportCase):
    def test_bulk_written_reports_carry_what_a_submitted_report_gets(self):
        from core.masking import mask_personal_data

        text = "Budi Santoso (HP 081234567890) melapor: lampu jalan Jl. Merdeka mati sejak minggu lalu."
        rows = [
            sample.row(9700, **{c.TEXT_FINAL: text, c.STATUS: "Belum Terverifikasi"}),
            sample.row(9701, **{c.TEXT_FINAL: text}),  # disposed: the disposition's deadline
            sample.row(9702, **{c.TEXT_FINAL: text, c.STATUS: "Ditutup oleh Admin"}),
        ]
        run_import(self.csv(rows), dry_run=False)
        reports = Report.objects.filter(lapor_record__tracking_id__in=["9700", "9701", "9702"]).with_deadline()
        self.assertEqual(len(reports), 3)
        for report in reports:
            # The masked twins Report.save() keeps, the reporter's name masked too.
            self.assertEqual(report.masked_description, mask_personal_data(text, names=["Budi Santoso"]))
            self.assertNotIn("081234567890", report.masked_description)
            self.assertNotIn("Budi", report.masked_description)
            # The stored deadline the inbox sorts by, as the actions keep it.
            self.assertEqual(report.current_deadline, report.deadline)
            self.assertIsNotNone(report.created_at)
            self.assertIsNotNone(report.secret)
            # Found by the staff search (PostgreSQL: the GIN-indexed tsvector expression).
            self.assertIn(report, Report.objects.search("Merdeka"))
            self.assertNotIn(report, Report.objects.search("Santoso"))  # masked words only
        received, disposed, closed = sorted(reports, key=lambda r: r.lapor_record.tracking_id)
        self.assertIsNotNone(received.current_deadline)
        self.assertEqual(disposed.current_deadline, disposed.dispositions.get().follow_up_due_at)
        self.assertIsNone(closed.current_deadline)
        # A report stored the ordinary way afterwards gets the next id and tracking number.
        later = self.make_report()
        self.assertGreater(later.pk, max(r.pk for r in reports))
        self.assertEqual(Report.objects.filter(tracking_number=later.tracking_number).count(), 1)
