"""Read an SP4N-LAPOR! admin export (XLSX or CSV) row by row.

The file is judged by its content, not its name: an XLSX is a zip archive (read with
lapor/xlsx.py, streaming), anything else must be CSV text. The table starts
at the row whose first cell is ``Tracking ID``; the information rows above it are skipped.
Every problem with the file as a whole raises ``LaporFileError`` with a message for the
user, before anything is stored.
"""

import codecs
import csv
import datetime as dt
import io
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from lapor import columns

HEADER_SCAN_ROWS = 50
# What makes a spreadsheet take a text for a formula (OWASP's list for CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_STARTS = re.escape("".join(FORMULA_STARTS))
# A text that starts like a formula, after any apostrophes already in front of it. A writer
# puts one more apostrophe in front of such a text (CSV; XLSX only when the text itself
# starts with an apostrophe), and the reader takes exactly one away: every text reads back
# as it was written, "'=1" included.
FORMULA_LIKE = re.compile(f"^'*[{_STARTS}]")
_ESCAPED_FORMULA = re.compile(f"^'+[{_STARTS}]")
# A carriage return (a line break is \n once read: XLSX keeps no \r\n), or a control
# character XML 1.0 cannot hold, so neither can an XLSX cell (Word's line break \v, …).
_UNUSUAL = re.compile("[\x00-\x08\x0b-\x1f]")
_LINE_BREAKS = re.compile("\r\n?|[\x0b\x0c]")
_CONTROL = re.compile("[\x00-\x08\x0e-\x1f]")


class LaporFileError(Exception):
    """The file cannot be imported at all; ``message`` is shown to the user as it is."""

    def __init__(self, message):
        self.message = message
        super().__init__(str(message))


@dataclass
class Sheet:
    format: str  # "xlsx" or "csv"
    header_row: int
    columns: list  # canonical column names present, in file order
    notes: list = field(default_factory=list)  # things the user should know (encoding, columns)
    rows: Iterator = None  # (row_number, {column: value})


def check_size(path) -> int:
    size = os.path.getsize(path)
    limit = settings.ADUAN_LAPOR_IMPORT_MAX_BYTES
    if size > limit:
        raise LaporFileError(
            _("Berkas terlalu besar (%(size)s). Batas impor %(limit)s; pecah ekspor per periode.")
            % {"size": filesizeformat(size), "limit": filesizeformat(limit)}
        )
    if size == 0:
        raise LaporFileError(_("Berkas kosong."))
    return size


def open_export(path) -> Sheet:
    """Check the size, detect the format, find the header row. ``rows`` is a generator;
    it raises LaporFileError too if the file turns out broken further down."""
    check_size(path)
    with open(path, "rb") as handle:
        head = handle.read(8)
    if head.startswith(b"PK\x03\x04"):
        return _open_xlsx(path)
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        raise LaporFileError(
            _("Berkas ini berformat Excel lama (.xls). Simpan ulang sebagai .xlsx atau CSV, lalu unggah lagi.")
        )
    if head.startswith(b"%PDF"):
        raise LaporFileError(_("Berkas ini PDF, bukan ekspor SP4N-LAPOR! (XLSX atau CSV)."))
    return _open_csv(path)


def check_export(path) -> None:
    """The checks of ``open_export`` that need no more than the start of the file (size,
    format, an XLSX's inflated size, the header row), with the file closed again:
    LaporFileError for a file that is no export at all. Cheap enough for a web request;
    reading every row is the worker's job."""
    sheet = open_export(path)
    # Started, so that closing runs the reader's cleanup (a generator never started skips it).
    next(sheet.rows, None)
    sheet.rows.close()


# ---------------------------------------------------------------------------- header


def _header(cells, row_number, fmt, notes) -> tuple[dict, list]:
    """Map column positions to canonical names; refuse a table without the required ones."""
    positions, present, unknown = {}, [], []
    for index, cell in enumerate(cells):
        key = columns.normalise_header(cell)
        if not key:
            continue
        name = columns.BY_NORMALISED.get(key)
        if name is None:
            unknown.append(str(cell).strip())
        elif name not in positions.values():
            positions[index] = name
            present.append(name)
    missing_required = [name for name in columns.REQUIRED if name not in present]
    if missing_required:
        raise LaporFileError(
            _("Baris judul tabel (baris %(row)d) tidak memuat kolom wajib: %(columns)s.")
            % {"row": row_number, "columns": ", ".join(missing_required)}
        )
    if not any(name in present for name in columns.TEXT_COLUMNS):
        raise LaporFileError(
            _("Baris judul tabel tidak memuat kolom isi laporan (%(columns)s).")
            % {"columns": " / ".join(columns.TEXT_COLUMNS)}
        )
    missing = [name for name in columns.COLUMNS if name not in present]
    if missing:
        notes.append(
            _("Kolom yang tidak ada di berkas (dibiarkan kosong): %(columns)s.") % {"columns": ", ".join(missing)}
        )
    if unknown:
        notes.append(_("Kolom yang tidak dikenal dan diabaikan: %(columns)s.") % {"columns": ", ".join(unknown)})
    return positions, present


def _not_an_export():
    return LaporFileError(
        _(
            "Berkas ini bukan ekspor admin SP4N-LAPOR!: tidak ada baris judul tabel yang diawali kolom "
            "“Tracking ID” dalam %(n)d baris pertama."
        )
        % {"n": HEADER_SCAN_ROWS}
    )


def _is_header(first_cell) -> bool:
    return columns.normalise_header(first_cell) == columns.normalise_header(columns.TRACKING_ID)


def plain_text(text: str) -> str:
    """Line breaks as ``\n``; no control character an XLSX cannot hold (so an export of
    it cannot fail, and XLSX and CSV read back the same)."""
    if not _UNUSUAL.search(text):
        return text
    return _CONTROL.sub("", _LINE_BREAKS.sub("\n", text))


def clean_text(value) -> str:
    """A cell as text: numbers without a trailing .0, plain (``plain_text``), trimmed, and
    one apostrophe put before a formula-like text by a writer (ours or LAPOR!'s) removed."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = plain_text(value if isinstance(value, str) else str(value)).strip()
    if text.startswith("'") and _ESCAPED_FORMULA.match(text):
        text = text[1:]
    return text


def _row_values(cells, positions) -> dict:
    values = {}
    for index, name in positions.items():
        value = cells[index] if index < len(cells) else None
        if name in (columns.DATE, columns.TIME) and isinstance(value, dt.date | dt.time):
            values[name] = value
        else:
            values[name] = clean_text(value)
    return values


def _limited(rows):
    limit = settings.ADUAN_LAPOR_IMPORT_MAX_ROWS
    for count, row in enumerate(rows, start=1):
        if count > limit:
            raise LaporFileError(
                _("Berkas memuat lebih dari %(n)d baris laporan. Pecah ekspor per periode.") % {"n": limit}
            )
        yield row


# ---------------------------------------------------------------------------- XLSX


def _corrupt():
    return LaporFileError(_("Berkas XLSX rusak atau tidak dapat dibaca. Unduh ulang ekspornya dari SP4N-LAPOR!."))


# An XLSX is a zip archive: a few hundred KB can inflate to gigabytes, which openpyxl would
# read inside whoever opens it. The members' declared sizes (zipfile refuses to inflate a
# member past its declared size) are checked first: in all at most
# ADUAN_LAPOR_IMPORT_MAX_INFLATED_BYTES, and at most MAX_INFLATION_RATIO times the file (a real
# export inflates about 12 times; a zip bomb a thousand).
MAX_INFLATION_RATIO = 100
MAX_ZIP_MEMBERS = 1000


def check_archive(path) -> None:
    """LaporFileError when the XLSX at ``path`` would inflate too far (or is no zip)."""
    import zipfile

    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as error:
        raise _corrupt() from error
    inflated = sum(member.file_size for member in members)
    limit = min(settings.ADUAN_LAPOR_IMPORT_MAX_INFLATED_BYTES, MAX_INFLATION_RATIO * os.path.getsize(path))
    if len(members) > MAX_ZIP_MEMBERS or inflated > limit:
        raise LaporFileError(
            _(
                "Berkas XLSX ini mengembang menjadi %(inflated)s saat dibuka (batas %(limit)s), jauh lebih "
                "besar dari ekspor SP4N-LAPOR! biasa. Unduh ulang ekspornya, atau simpan sebagai CSV."
            )
            % {"inflated": filesizeformat(inflated), "limit": filesizeformat(limit)}
        )


def _open_xlsx(path) -> Sheet:
    from lapor.xlsx import Workbook

    check_archive(path)

    # A file object, not the path: openpyxl refuses paths without an .xlsx extension and
    # stored uploads have none.
    handle = open(path, "rb")  # noqa: SIM115  (closed with the workbook)
    workbook = None
    try:
        workbook = Workbook(handle)
        rows = workbook.rows()
        for row_number, cells in rows:
            if row_number > HEADER_SCAN_ROWS:
                break
            if cells and _is_header(cells[0]):
                notes = []
                positions, present = _header(cells, row_number, "xlsx", notes)
                rows = _xlsx_rows(workbook, handle, rows, positions)
                return Sheet("xlsx", row_number, present, notes, _limited(rows))
    except LaporFileError:
        _close(workbook, handle)
        raise
    except Exception as error:  # zipfile, openpyxl and the XML parser raise many kinds
        _close(workbook, handle)
        raise _corrupt() from error
    _close(workbook, handle)
    raise _not_an_export()


def _close(workbook, handle):
    if workbook is not None:
        workbook.close()
    handle.close()


def _xlsx_rows(workbook, handle, rows, positions):
    try:
        for row_number, cells in rows:
            if not cells or all(cell is None or (isinstance(cell, str) and not cell.strip()) for cell in cells):
                continue
            yield row_number, _row_values(cells, positions)
    except LaporFileError:
        raise
    except Exception as error:
        raise _corrupt() from error
    finally:
        _close(workbook, handle)


# ---------------------------------------------------------------------------- CSV


def _valid(path, encoding, skip=0) -> bool:
    """Does the whole file decode? Read in chunks, so memory stays small."""
    decoder = codecs.getincrementaldecoder(encoding)()
    with open(path, "rb") as handle:
        handle.seek(skip)
        try:
            while chunk := handle.read(1 << 20):
                decoder.decode(chunk)
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            return False
    return True


def _encoding(path, notes) -> str:
    with open(path, "rb") as handle:
        head = handle.read(4096)
    if head.startswith(codecs.BOM_UTF8):
        if not _valid(path, "utf-8", skip=len(codecs.BOM_UTF8)):
            raise LaporFileError(
                _("Berkas bertanda UTF-8 tetapi isinya bukan UTF-8 yang sah. Simpan ulang sebagai CSV UTF-8.")
            )
        return "utf-8-sig"
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        if not _valid(path, "utf-16"):
            raise LaporFileError(_("Berkas UTF-16 ini rusak. Simpan ulang sebagai CSV UTF-8."))
        return "utf-16"
    if b"\x00" in head:
        raise LaporFileError(
            _(
                "Berkas ini bukan XLSX dan bukan teks CSV yang dapat dibaca (encoding tidak dikenali). "
                "Simpan ulang sebagai XLSX atau “CSV UTF-8”."
            )
        )
    if _valid(path, "utf-8"):
        return "utf-8"
    if _valid(path, "cp1252"):
        notes.append(
            _("Berkas tidak ber-encoding UTF-8; dibaca sebagai Windows-1252. Periksa huruf khusus pada pratinjau.")
        )
        return "cp1252"
    notes.append(_("Berkas tidak ber-encoding UTF-8; dibaca sebagai Latin-1. Periksa huruf khusus pada pratinjau."))
    return "latin-1"


SNIFF_CHARS = 1 << 18


def _open_csv(path) -> Sheet:
    """Stream the CSV: the encoding is checked chunk by chunk, the delimiter is chosen from
    the start of the file (the one giving the widest ``Tracking ID`` header row)."""
    notes = []
    encoding = _encoding(path, notes)
    handle = open(path, encoding=encoding, newline="")  # noqa: SIM115  (closed by _csv_rows)
    try:
        start = handle.read(SNIFF_CHARS)
        best = None
        for delimiter in (",", ";", "\t"):
            reader = csv.reader(io.StringIO(start), delimiter=delimiter)
            try:
                for index, cells in enumerate(reader, start=1):
                    if index > HEADER_SCAN_ROWS:
                        break
                    if cells and _is_header(cells[0]):
                        if best is None or len(cells) > best[1]:
                            best = (delimiter, len(cells))
                        break
            except csv.Error:
                continue
        if best is None:
            raise _not_an_export()
        handle.seek(0)
        reader = csv.reader(handle, delimiter=best[0])
        for cells in reader:
            if cells and _is_header(cells[0]):
                header_row = reader.line_num
                positions, present = _header(cells, header_row, "csv", notes)
                return Sheet("csv", header_row, present, notes, _limited(_csv_rows(handle, reader, positions)))
        raise _not_an_export()  # pragma: no cover - found above
    except BaseException:
        handle.close()
        raise


def _csv_rows(handle, reader, positions):
    try:
        while True:
            try:
                cells = next(reader)
            except StopIteration:
                return
            if not any(cell.strip() for cell in cells):
                continue
            yield reader.line_num, _row_values(cells, positions)
    except csv.Error as error:
        raise LaporFileError(
            _("CSV rusak di sekitar baris %(row)d: %(error)s") % {"row": reader.line_num, "error": error}
        )
    finally:
        handle.close()
