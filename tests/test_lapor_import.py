"""Importing the SP4N-LAPOR! admin export, reading the file: header detection, columns,
dates, the mappings of LAPOR!'s names, and the command. Storing what was read (upsert,
later rows, dry run, batches, bulk writes): test_lapor_upsert.py."""

import datetime as dt

from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from lapor import columns as c
from lapor import sample
from lapor.importer import run_import
from lapor.models import AgencyMapping, CategoryMapping, LaporRecord, StatusMapping
from reports.models import Channel, Kind, Report, Status
from tests.lapor_base import LaporImportCase


class HeaderAndColumnsTests(LaporImportCase):
    def test_header_is_found_after_the_information_rows_in_xlsx(self):
        path = self.xlsx([sample.row(1001)])
        outcome = run_import(path, dry_run=False)
        self.assertEqual(outcome.header_row, len(sample.INFO_ROWS) + 1)
        self.assertEqual(outcome.created, [len(sample.INFO_ROWS) + 2])
        self.assertTrue(LaporRecord.objects.filter(tracking_id="1001").exists())

    def test_header_is_found_with_more_information_rows_and_a_semicolon_csv(self):
        info = [["Laporan SP4N-LAPOR!"], ["Periode", "Jan 2026"], ["Dibuat", "x"], [], ["Catatan", "y"], []]
        path = self.csv([sample.row(1002)], info_rows=info, delimiter=";")
        outcome = run_import(path, dry_run=False)
        self.assertEqual((outcome.format, outcome.header_row), ("csv", len(info) + 1))
        self.assertEqual(len(outcome.created), 1)

    def test_every_column_is_mapped(self):
        values = sample.row(
            1003,
            **{
                c.TYPE: "Anonim, Rahasia",
                c.CLASSIFICATION: "Permintaan Informasi",
                c.STATUS: "Ditindaklanjuti oleh Instansi",
                c.RATING: "4",
                c.HOLD_REASON: "",
            },
        )
        run_import(self.xlsx([values]), dry_run=False)
        record = LaporRecord.objects.select_related("report").get(tracking_id="1003")
        report = record.report
        # Columns Aduan holds
        self.assertEqual(report.channel, Channel.LAPOR)
        self.assertEqual(report.channel_reference, "SP4N-LAPOR! 1003")
        self.assertEqual(report.kind, Kind.INFORMATION_REQUEST)
        self.assertEqual(report.title, "Lampu jalan mati")
        self.assertEqual(report.description, values[c.TEXT_FINAL])
        self.assertEqual(report.reporter_name, "Budi Santoso")
        self.assertTrue(report.is_anonymous)
        self.assertTrue(report.is_confidential)
        self.assertEqual(report.category, self.category)
        self.assertEqual(report.region, self.kelurahan)
        self.assertEqual(report.status, Status.IN_PROGRESS)
        self.assertEqual(report.rating, 4)
        self.assertEqual(report.dispositions.get(is_active=True).agency, self.transport)
        local = timezone.localtime(report.received_at)
        self.assertEqual((local.date(), local.time()), (dt.date(2026, 1, 3), dt.time(14, 5, 33)))
        # Every column, Aduan's or not, is kept as the last imported row.
        self.assertEqual(set(record.row_data), set(c.COLUMNS))
        for name in c.COLUMNS:
            self.assertEqual(record.row_data[name], values[name], name)
        self.assertEqual(record.lapor_status, "Ditindaklanjuti oleh Instansi")

    def test_missing_optional_columns_are_tolerated_and_named(self):
        wanted = [c.TRACKING_ID, c.DATE, c.STATUS, c.TEXT_INITIAL]
        path = self.csv([sample.row(1004)], columns=wanted)
        outcome = run_import(path, dry_run=False)
        self.assertEqual(len(outcome.created), 1)
        self.assertTrue(any("Waktu Laporan Masuk" in note for note in outcome.notes))
        report = LaporRecord.objects.get(tracking_id="1004").report
        self.assertEqual(report.description, sample.row(1004)[c.TEXT_INITIAL])
        self.assertEqual(timezone.localtime(report.received_at).time(), dt.time(0, 0))
        self.assertIsNone(report.category)

    def test_an_unreadable_rating_is_ignored_with_a_note_never_a_crash(self):
        rows = [sample.row(1010 + i, **{c.RATING: value}) for i, value in enumerate(["inf", "baik", "6", "4,0"])]
        outcome = run_import(self.csv(rows), dry_run=False)
        self.assertEqual((len(outcome.created), outcome.rejected_count, outcome.warning_count), (4, 0, 3))
        ratings = dict(LaporRecord.objects.values_list("tracking_id", "report__rating"))
        self.assertEqual(ratings, {"1010": None, "1011": None, "1012": None, "1013": 4})

    def test_columns_in_another_order_and_unknown_columns(self):
        wanted = [c.STATUS, c.TEXT_FINAL, c.DATE, c.TIME]
        values = sample.row(1005)
        values["Kolom Baru"] = "x"
        path = self.xlsx([values], columns=[c.TRACKING_ID, *wanted, "Kolom Baru"])
        outcome = run_import(path, dry_run=True)
        self.assertEqual(len(outcome.created), 1)
        self.assertTrue(any("Kolom Baru" in note for note in outcome.notes))


class DateTests(LaporImportCase):
    def test_dates_and_times_in_the_forms_seen(self):
        cases = {
            "2001": ("3 Jan 2026", "14:05", dt.datetime(2026, 1, 3, 14, 5)),
            "2002": ("17 Agustus 2025", "08.30.15", dt.datetime(2025, 8, 17, 8, 30, 15)),
            "2003": ("5 Mei 2025", "07:00 WIB", dt.datetime(2025, 5, 5, 7, 0)),
            "2004": ("2025-12-31", "23:59:59", dt.datetime(2025, 12, 31, 23, 59, 59)),
            "2005": ("01/02/2025", "", dt.datetime(2025, 2, 1, 0, 0)),
            "2006": ("9 Des 2025", "9:07", dt.datetime(2025, 12, 9, 9, 7)),
        }
        rows = [sample.row(tid, **{c.DATE: d, c.TIME: t}) for tid, (d, t, _) in cases.items()]
        run_import(self.csv(rows), dry_run=False)
        for tid, (_d, _t, expected) in cases.items():
            report = LaporRecord.objects.get(tracking_id=tid).report
            self.assertEqual(timezone.localtime(report.received_at).replace(tzinfo=None), expected, tid)

    def test_wita_and_wit_times_are_read_in_their_zone_even_when_the_day_changes(self):
        # Local time is WIB (UTC+7): WITA is an hour ahead of it, WIT two.
        cases = {
            "2030": ("1 Jan 2026", "00:30 WITA", dt.datetime(2025, 12, 31, 23, 30), "00:30:00 WITA"),
            "2031": ("3 Jan 2026", "00:15:20 WIT", dt.datetime(2026, 1, 2, 22, 15, 20), "00:15:20 WIT"),
            "2032": ("1 Mar 2025", "01.59 wit", dt.datetime(2025, 2, 28, 23, 59), "01:59:00 WIT"),
            "2033": ("3 Jan 2026", "23:30 WIB", dt.datetime(2026, 1, 3, 23, 30), "23:30:00"),
            "2034": ("3 Jan 2026", "23:30 WITA", dt.datetime(2026, 1, 3, 22, 30), "23:30:00 WITA"),
        }
        rows = [sample.row(tid, **{c.DATE: d, c.TIME: t}) for tid, (d, t, _at, _raw) in cases.items()]
        path = self.csv(rows)
        run_import(path, dry_run=False)
        for tid, (day, _t, expected, raw_time) in cases.items():
            record = LaporRecord.objects.select_related("report").get(tracking_id=tid)
            self.assertEqual(timezone.localtime(record.report.received_at).replace(tzinfo=None), expected, tid)
            # The row keeps the zone it was written in (one spelling), so it is the same row next time.
            self.assertEqual((record.row_data[c.DATE], record.row_data[c.TIME]), (day, raw_time), tid)
        again = run_import(path, dry_run=False)
        self.assertEqual((len(again.unchanged), len(again.updated)), (len(cases), 0))

    def test_spreadsheet_date_and_time_cells(self):
        row = sample.row(2010, **{c.DATE: dt.datetime(2026, 1, 3), c.TIME: dt.time(9, 15)})
        run_import(self.xlsx([row]), dry_run=False)
        report = LaporRecord.objects.get(tracking_id="2010").report
        self.assertEqual(timezone.localtime(report.received_at).replace(tzinfo=None), dt.datetime(2026, 1, 3, 9, 15))

    def test_unreadable_and_future_dates_are_rejected_with_reasons(self):
        rows = [
            sample.row(2020, **{c.DATE: "31 Foo 2026"}),
            sample.row(2021, **{c.TIME: "jam 3"}),
            sample.row(2022, **{c.DATE: "3 Jan 2099"}),
            sample.row(2023, **{c.DATE: "30 Feb 2026"}),
        ]
        outcome = run_import(self.csv(rows), dry_run=False)
        reasons = {tid: reason for _row, tid, reason in outcome.rejected}
        self.assertIn("3 Jan 2026", reasons["2020"])
        self.assertIn("jam 3", reasons["2021"])
        self.assertIn("masa depan", reasons["2022"])
        self.assertIn("30 Feb 2026", reasons["2023"])
        self.assertEqual(LaporRecord.objects.count(), 0)


class MappingTests(LaporImportCase):
    def test_unknown_values_are_queued_and_reported_never_dropped(self):
        rows = [
            sample.row(4001, **{c.STATUS: "Menunggu Tanggapan Khusus"}),
            sample.row(4002, **{c.CATEGORY_ID: "555", c.CATEGORY: "Pohon Tumbang"}),
            sample.row(4003, **{c.AGENCY_ID: "777", c.AGENCY: "Badan Penanggulangan Bencana"}),
            sample.row(4004, **{c.CATEGORY_ID: "555", c.CATEGORY: "Pohon Tumbang"}),
        ]
        outcome = run_import(self.csv(rows), dry_run=False)
        # A row with an unknown status is rejected (with the reason), the others are stored.
        self.assertEqual([r[1] for r in outcome.rejected], ["4001"])
        self.assertIn("belum dipetakan", outcome.rejected[0][2])
        self.assertEqual(len(outcome.created), 3)
        self.assertEqual(outcome.unknown["status"], {"Menunggu Tanggapan Khusus": 1})
        self.assertEqual(outcome.unknown["category"], {"Pohon Tumbang": 2})
        self.assertEqual(outcome.unknown["agency"], {"Badan Penanggulangan Bencana": 1})
        self.assertTrue(any("Pohon Tumbang" in w[2] for w in outcome.warnings))
        # The queue: mapping rows without a target, with counts.
        self.assertEqual(StatusMapping.objects.unmapped().get().lapor_name, "Menunggu Tanggapan Khusus")
        queued = CategoryMapping.objects.unmapped().get()
        self.assertEqual((queued.key, queued.lapor_name, queued.seen_count), ("id:555", "Pohon Tumbang", 2))
        self.assertEqual(AgencyMapping.objects.unmapped().get().lapor_id, "777")
        report = LaporRecord.objects.get(tracking_id="4002").report
        self.assertIsNone(report.category)

        # The administrator maps them; the same file imported again fills them in.
        StatusMapping.objects.filter(key="menunggu tanggapan khusus").update(status=Status.VERIFIED)
        CategoryMapping.objects.filter(key="id:555").update(category=self.other_category)
        AgencyMapping.objects.filter(key="id:777").update(agency=self.public_works)
        again = run_import(self.csv(rows, name="again.csv"), dry_run=False)
        self.assertEqual((len(again.created), again.rejected_count, again.unknown), (1, 0, {}))
        self.assertEqual(LaporRecord.objects.get(tracking_id="4002").report.category, self.other_category)
        self.assertEqual(LaporRecord.objects.get(tracking_id="4001").report.status, Status.VERIFIED)
        third = LaporRecord.objects.get(tracking_id="4003").report
        self.assertTrue(third.dispositions.filter(agency=self.public_works, is_active=True).exists())

    def test_a_category_with_the_same_name_is_mapped_at_once(self):
        row = sample.row(4010, **{c.CATEGORY_ID: "", c.CATEGORY: "parkir  LIAR"})
        outcome = run_import(self.csv([row]), dry_run=False)
        self.assertEqual(outcome.unknown, {})
        self.assertEqual(LaporRecord.objects.get(tracking_id="4010").report.category, self.other_category)
        self.assertEqual(CategoryMapping.objects.get(key="name:parkir liar").category, self.other_category)

    def test_a_lapor_id_is_matched_by_name_once_whatever_spelling_follows(self):
        rows = [
            sample.row(4020, **{c.CATEGORY_ID: "556", c.CATEGORY: "Baliho"}),
            sample.row(4021, **{c.CATEGORY_ID: "556", c.CATEGORY: "Parkir Liar"}),
        ]
        run_import(self.csv(rows), dry_run=False)
        self.assertEqual(set(LaporRecord.objects.values_list("report__category", flat=True)), {None})
        self.assertEqual(CategoryMapping.objects.unmapped().get().key, "id:556")

    def test_every_lapor_status_seen_has_a_default_mapping(self):
        expected = {
            "Belum Terverifikasi": Status.RECEIVED,
            "Terverifikasi": Status.VERIFIED,
            "Terdisposisi ke Dinas Perhubungan": Status.DISPOSED,
            "Ditindaklanjuti oleh Instansi": Status.IN_PROGRESS,
            "Ditanggapi oleh Pelapor": Status.IN_PROGRESS,
            "Selesai otomatis dalam 10 hari": Status.CLOSED,
            "Ditutup oleh Admin": Status.CLOSED,
            "Ditutup oleh Sistem": Status.CLOSED,
            "Diarsipkan oleh Admin": Status.ARCHIVED,
            "Diarsipkan oleh Sistem": Status.ARCHIVED,
        }
        rows = [sample.row(5000 + i, **{c.STATUS: s}) for i, s in enumerate(expected)]
        outcome = run_import(self.xlsx(rows), dry_run=False)
        self.assertEqual(outcome.rejected_count, 0)
        for i, (status, aduan) in enumerate(expected.items()):
            self.assertEqual(LaporRecord.objects.get(tracking_id=str(5000 + i)).report.status, aduan, status)


class CommandTests(LaporImportCase):
    def test_command_dry_run_prints_and_stores_nothing(self):
        from io import StringIO

        out = StringIO()
        call_command(
            "import_lapor",
            str(self.csv([sample.row(8001), sample.row(8002, **{c.DATE: "x"})])),
            "--dry-run",
            stdout=out,
        )
        text = out.getvalue()
        self.assertIn("akan dibuat: 1", text)
        self.assertIn("ditolak: 1", text)
        self.assertIn("Tanggal Laporan Masuk “x”", text)
        self.assertEqual(Report.objects.count(), 0)

    def test_command_imports(self):
        from io import StringIO

        call_command("import_lapor", str(self.xlsx([sample.row(8003)])), stdout=StringIO())
        self.assertTrue(LaporRecord.objects.filter(tracking_id="8003").exists())

    def test_command_refuses_a_file_that_is_not_an_export(self):
        path = self.tmp("x.csv")
        path.write_text("a,b\n1,2\n")
        with self.assertRaisesMessage(CommandError, "bukan ekspor admin SP4N-LAPOR!"):
            call_command("import_lapor", str(path))
