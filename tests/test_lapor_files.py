"""Bad files for the SP4N-LAPOR! import: each gets a clear message and stores nothing."""

import io
import zipfile

from django.test import override_settings

from lapor import columns as c
from lapor import sample
from lapor.importer import run_import
from lapor.models import CategoryMapping, LaporRecord, StatusMapping
from lapor.reader import LaporFileError
from reports.models import Report
from tests.lapor_base import LaporImportCase


class BadFileTests(LaporImportCase):
    def assertRefused(self, path, text):
        mappings = CategoryMapping.objects.count() + StatusMapping.objects.count()
        with self.assertRaises(LaporFileError) as caught:
            run_import(path, dry_run=False)
        self.assertIn(text, str(caught.exception.message))
        self.assertEqual(Report.objects.count(), 0)
        self.assertEqual(LaporRecord.objects.count(), 0)
        self.assertEqual(CategoryMapping.objects.count() + StatusMapping.objects.count(), mappings)
        return caught.exception.message

    def test_a_spreadsheet_that_is_not_a_lapor_export(self):
        import openpyxl

        path = self.tmp("anggaran.xlsx")
        workbook = openpyxl.Workbook()
        workbook.active.append(["Kode", "Uraian", "Pagu"])
        workbook.active.append(["5.1", "Belanja pegawai", 100])
        workbook.save(path)
        self.assertRefused(path, "bukan ekspor admin SP4N-LAPOR!")

    def test_a_csv_that_is_not_a_lapor_export(self):
        path = self.tmp("x.csv")
        path.write_text("nama,alamat\nBudi,Jl. Merdeka\n")
        self.assertRefused(path, "Tracking ID")

    def test_a_header_without_the_required_columns(self):
        path = sample.write_csv(self.tmp("x.csv"), [sample.row(1)], columns=[c.TRACKING_ID, c.TEXT_FINAL])
        message = self.assertRefused(path, "kolom wajib")
        self.assertIn(c.DATE, message)
        self.assertIn(c.STATUS, message)

    def test_a_corrupt_xlsx(self):
        good = sample.write_xlsx(self.tmp("good.xlsx"), [sample.row(i) for i in range(1, 50)])
        data = good.read_bytes()
        broken = self.tmp("rusak.xlsx")
        broken.write_bytes(data[: len(data) // 2])
        self.assertRefused(broken, "rusak")

    def test_a_zip_that_is_not_a_workbook(self):
        path = self.tmp("arsip.xlsx")
        with zipfile.ZipFile(path, "w") as archive:
            archive.writestr("hello.txt", "hi")
        self.assertRefused(path, "rusak")

    def test_a_corrupt_sheet_inside_a_valid_zip_stores_nothing_even_after_good_rows(self):
        good = sample.write_xlsx(self.tmp("good.xlsx"), [sample.row(i) for i in range(1, 30)])
        out = io.BytesIO()
        with zipfile.ZipFile(good) as source, zipfile.ZipFile(out, "w") as target:
            for item in source.infolist():
                data = source.read(item.filename)
                if item.filename.startswith("xl/worksheets/sheet"):
                    data = data[: int(len(data) * 0.8)]  # cut the XML off after some rows
                target.writestr(item, data)
        path = self.tmp("terpotong.xlsx")
        path.write_bytes(out.getvalue())
        self.assertRefused(path, "rusak")

    def test_an_old_xls_file(self):
        path = self.tmp("lama.xls")
        path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600)
        self.assertRefused(path, ".xls")

    def test_a_binary_file(self):
        path = self.tmp("foto.csv")
        path.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00\x01\x02" * 100)
        self.assertRefused(path, "encoding tidak dikenali")

    def test_an_empty_file(self):
        path = self.tmp("kosong.csv")
        path.write_bytes(b"")
        self.assertRefused(path, "kosong")

    @override_settings(ADUAN_LAPOR_IMPORT_MAX_BYTES=20 * 1024 * 1024)
    def test_a_100_mb_file_is_refused_before_parsing(self):
        path = self.tmp("besar.csv")
        with open(path, "wb") as handle:
            handle.truncate(100 * 1024 * 1024)  # sparse: 100 MB without writing them
        from unittest import mock

        with mock.patch("lapor.reader._open_csv") as parse:
            self.assertRefused(path, "terlalu besar")
        parse.assert_not_called()

    @override_settings(ADUAN_LAPOR_IMPORT_MAX_ROWS=3)
    def test_too_many_rows_stores_nothing(self):
        path = sample.write_csv(self.tmp("x.csv"), [sample.row(i) for i in range(1, 6)])
        self.assertRefused(path, "lebih dari 3 baris")


class EncodingTests(LaporImportCase):
    def test_utf8_with_and_without_bom(self):
        name = "Siti Nur’aini — Kelurahan Bendogerit"
        for index, encoding in enumerate(["utf-8-sig", "utf-8"]):
            path = sample.write_csv(
                self.tmp(f"{encoding}.csv"), [sample.row(9100 + index, **{c.REPORTER_NAME: name})], encoding=encoding
            )
            outcome = run_import(path, dry_run=False)
            self.assertEqual(outcome.notes, [])
            self.assertEqual(LaporRecord.objects.get(tracking_id=str(9100 + index)).report.reporter_name, name)

    def test_windows_1252_is_read_with_a_note(self):
        path = sample.write_csv(
            self.tmp("win.csv"), [sample.row(9110, **{c.REPORTER_NAME: "José Müller"})], encoding="cp1252"
        )
        outcome = run_import(path, dry_run=False)
        self.assertTrue(any("Windows-1252" in note for note in outcome.notes))
        self.assertEqual(LaporRecord.objects.get(tracking_id="9110").report.reporter_name, "José Müller")

    def test_utf16_with_bom_and_tabs(self):
        path = sample.write_csv(
            self.tmp("u16.csv"), [sample.row(9120, **{c.REPORTER_NAME: "Ñoño"})], encoding="utf-16", delimiter="\t"
        )
        run_import(path, dry_run=False)
        self.assertEqual(LaporRecord.objects.get(tracking_id="9120").report.reporter_name, "Ñoño")

    def test_utf16_without_bom_is_refused_clearly(self):
        path = sample.write_csv(self.tmp("u16le.csv"), [sample.row(9130)], encoding="utf-16-le")
        with self.assertRaises(LaporFileError) as caught:
            run_import(path, dry_run=False)
        self.assertIn("encoding", str(caught.exception.message))
        self.assertEqual(Report.objects.count(), 0)
