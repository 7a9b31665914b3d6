"""The first worksheet of an XLSX, row by row, read the way openpyxl reads it, faster.

openpyxl's read-only worksheet builds an element tree and a descriptor object per cell
(≈ 1 ms of CPU per 26-cell row), and opening a sheet without a ``<dimension>`` element
(openpyxl's own write-only files, our exports) parses the whole sheet once more to size
it. The workbook parts (shared strings, styles, which sheet is first, the 1904 calendar)
are still read by openpyxl; only the sheet's cells are read here, by expat callbacks:
about ten times less CPU per row.

The values are openpyxl's (``data_only=False``): shared and inline strings (rich text
runs joined, phonetic runs left out), numbers as int or float, a number in a date or
time style as ``datetime``/``time``/``timedelta`` (``openpyxl.utils.datetime.from_excel``),
booleans, error codes as text, a formula as ``"=…"`` text (a shared formula translated
to its cell). Each row comes as (row number, cells) with ``None`` for a missing cell.
"""

import re
from collections.abc import Iterator
from xml.parsers import expat

from openpyxl.formula.translate import Translator
from openpyxl.reader.excel import ExcelReader
from openpyxl.styles.stylesheet import apply_stylesheet
from openpyxl.utils.datetime import from_excel, from_ISO8601
from openpyxl.xml.constants import SHEET_MAIN_NS

_NS = SHEET_MAIN_NS + "}"
_ROW, _CELL, _VALUE, _FORMULA = _NS + "row", _NS + "c", _NS + "v", _NS + "f"
_INLINE, _TEXT, _RUN, _PHONETIC = _NS + "is", _NS + "t", _NS + "r", _NS + "rPh"
_COLUMN = re.compile(r"^\$?([A-Za-z]{1,3})")
CHUNK = 1 << 16


class Workbook:
    """An open XLSX: ``rows()`` streams its first worksheet; ``close()`` closes the archive."""

    def __init__(self, handle):
        reader = ExcelReader(handle, read_only=True, keep_vba=False, data_only=False, keep_links=False)
        reader.read_manifest()
        reader.read_strings()
        reader.read_workbook()
        apply_stylesheet(reader.archive, reader.wb)
        self.archive = reader.archive
        self.shared_strings = reader.shared_strings
        self.date_formats = reader.wb._date_formats
        self.timedelta_formats = reader.wb._timedelta_formats
        self.epoch = reader.wb.epoch
        self.sheet_path = None
        for _sheet, rel in reader.parser.find_sheets():
            if rel.target in reader.valid_files and "chartsheet" not in rel.Type:
                self.sheet_path = rel.target
                break
        if self.sheet_path is None:
            raise ValueError("the workbook has no worksheet")

    def close(self):
        self.archive.close()

    def rows(self) -> Iterator[tuple[int, list]]:
        parser = _SheetParser(self)
        with self.archive.open(self.sheet_path) as source:
            while chunk := source.read(CHUNK):
                parser.feed(chunk)
                yield from parser.take()
            parser.feed(b"", final=True)
            yield from parser.take()


def _column_index(reference) -> int:
    letters = _COLUMN.match(reference).group(1).upper()
    index = 0
    for letter in letters:
        index = index * 26 + ord(letter) - 64
    return index


def _number(text):
    if "." in text or "E" in text or "e" in text:
        return float(text)
    return int(text)


class _SheetParser:
    def __init__(self, book):
        self.book = book
        self.done = []  # rows finished since the last take()
        self.row_number = 0
        self.cells = None  # {column: value} of the row being read
        self.column = 0
        self.cell = None  # (type, style, reference) of the cell being read
        self.text = None  # character data being collected, or None
        self.value = None  # <v> text
        self.formula = None  # (<f> attributes, text)
        self.inline = None  # inline string pieces
        self.depth_phonetic = 0
        self.shared_formulae = {}
        parser = expat.ParserCreate(namespace_separator="}")
        parser.buffer_text = True
        parser.StartElementHandler = self.start
        parser.EndElementHandler = self.end
        parser.CharacterDataHandler = self.characters
        self.parser = parser

    def feed(self, data, final=False):
        self.parser.Parse(data, final)

    def take(self):
        done, self.done = self.done, []
        return done

    def characters(self, data):
        if self.text is not None:
            self.text.append(data)

    def start(self, name, attrs):
        if name == _CELL:
            reference = attrs.get("r")
            self.column = _column_index(reference) if reference else self.column + 1
            self.cell = (attrs.get("t", "n"), attrs.get("s"), reference)
            self.value = self.formula = self.inline = None
        elif name == _VALUE and self.cell is not None:
            self.text = []
        elif name == _FORMULA and self.cell is not None:
            self.formula = (attrs, None)
            self.text = []
        elif name == _INLINE and self.cell is not None:
            self.inline = []
        elif name == _PHONETIC:
            self.depth_phonetic += 1
        elif name == _TEXT and self.inline is not None and not self.depth_phonetic:
            self.text = []
        elif name == _ROW:
            number = attrs.get("r")
            self.row_number = int(float(number)) if number else self.row_number + 1
            self.cells = {}
            self.column = 0

    def end(self, name):
        if name == _CELL:
            if self.cell is not None and self.cells is not None:
                self.cells[self.column] = self._cell_value()
            self.cell = None
        elif name == _VALUE and self.text is not None:
            self.value = "".join(self.text)
            self.text = None
        elif name == _FORMULA and self.text is not None:
            self.formula = (self.formula[0], "".join(self.text))
            self.text = None
        elif name == _TEXT and self.text is not None:
            self.inline.append("".join(self.text))
            self.text = None
        elif name == _PHONETIC:
            self.depth_phonetic -= 1
        elif name == _ROW:
            cells = self.cells or {}
            width = max(cells, default=0)
            row = [None] * width
            for column, value in cells.items():
                row[column - 1] = value
            self.done.append((self.row_number, row))
            self.cells = None

    def _cell_value(self):
        data_type, style, reference = self.cell
        if self.formula is not None:
            return self._formula(reference)
        if data_type == "inlineStr":
            return "".join(self.inline) if self.inline is not None else None
        value = self.value or None
        if value is None:
            return None
        if data_type == "n":
            value = _number(value)
            style_id = int(style) if style else 0
            if style_id in self.book.date_formats:
                try:
                    return from_excel(value, self.book.epoch, timedelta=style_id in self.book.timedelta_formats)
                except (OverflowError, ValueError):
                    return "#VALUE!"
            return value
        if data_type == "s":
            return self.book.shared_strings[int(value)]
        if data_type == "b":
            return bool(int(value))
        if data_type == "d":
            return from_ISO8601(value)
        return value  # "str" (a formula's text result), "e" (an error code)

    def _formula(self, reference):
        attrs, text = self.formula
        value = "=" + (text or "")
        if attrs.get("t") == "shared":
            index = attrs.get("si")
            if index in self.shared_formulae:
                return self.shared_formulae[index].translate_formula(reference)
            if value != "=":
                self.shared_formulae[index] = Translator(value, reference)
        return value
