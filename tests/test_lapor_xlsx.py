"""lapor/xlsx.py reads a worksheet's cells as openpyxl's read-only mode does (the
importer's values must not change with the faster reader)."""

import datetime as dt
import tempfile
from pathlib import Path

import openpyxl
from django.test import SimpleTestCase
from openpyxl.cell.rich_text import CellRichText, TextBlock
from openpyxl.cell.text import InlineFont

from lapor.xlsx import Workbook


def openpyxl_rows(path):
    with open(path, "rb") as handle:
        book = openpyxl.load_workbook(handle, read_only=True, data_only=False)
        rows = [list(row) for row in book.worksheets[0].iter_rows(values_only=True)]
        book.close()
    return rows


def fast_rows(path):
    with open(path, "rb") as handle:
        book = Workbook(handle)
        rows = dict(book.rows())
        book.close()
    return rows


def trimmed(cells):
    cells = list(cells)
    while cells and cells[-1] is None:
        cells.pop()
    return cells


class XlsxReaderTests(SimpleTestCase):
    def assertSameAsOpenpyxl(self, path):
        theirs, mine = openpyxl_rows(path), fast_rows(path)
        for number, row in enumerate(theirs, start=1):
            self.assertEqual(trimmed(mine.get(number, [])), trimmed(row), f"row {number}")
        self.assertLessEqual(max(mine, default=0), len(theirs))

    def test_shared_strings_styles_dates_times_formulas_rich_text_and_gaps(self):
        book = openpyxl.Workbook()  # shared strings, styles, a <dimension>
        sheet = book.active
        sheet.append(["Ekspor SP4N-LAPOR!"])
        sheet.append([])
        sheet.append(["Tracking ID", "Tanggal", "Jam", "Angka", "Rumus", "Ya/Tidak", "Teks"])
        for n in range(12):
            sheet.append([f"{4000 + n}", dt.date(2026, 1, 1) + dt.timedelta(days=n), dt.time(14, 5, n),
                          n * 1.5 if n % 2 else n, None, n % 3 == 0, "  spasi  \n baris"])  # fmt: skip
        sheet["E4"] = "=SUM(D4:D5)"
        sheet["E5"] = "'=HYPERLINK(1)"
        sheet["E6"] = "=1+"
        sheet["E6"].data_type, sheet["E6"].quotePrefix = "s", True
        sheet["G7"] = CellRichText(["ab", TextBlock(InlineFont(b=True), "cd")])
        sheet["D8"] = dt.datetime(2026, 3, 4, 5, 6, 7)
        sheet["D9"] = dt.timedelta(hours=30)
        sheet["D10"] = 1e20
        sheet.cell(row=40, column=3, value="setelah baris kosong")
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "ekspor.xlsx"
            book.save(path)
            self.assertSameAsOpenpyxl(path)

    def test_write_only_inline_strings_without_a_dimension(self):
        book = openpyxl.Workbook(write_only=True)
        sheet = book.create_sheet("Laporan")
        sheet.append(["Tracking ID", "Isi"])
        sheet.append(["1234", "Jalan rusak\ndi depan pasar"])
        sheet.append([5678, None, "kolom lebih"])
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "ekspor.xlsx"
            book.save(path)
            self.assertSameAsOpenpyxl(path)
