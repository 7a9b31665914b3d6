"""Generate files shaped like the SP4N-LAPOR! admin export, for tests and bench/lapor_import.py."""

import csv
import datetime as dt
import random

from lapor import columns as c
from lapor.parsing import format_date

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


def random_rows(count, *, start_id=4_000_000, seed=7):
    """``count`` varied rows: every status, category and agency above, dates over 2025."""
    rng = random.Random(seed)
    first = dt.date(2025, 1, 1)
    for index in range(count):
        category_id, category = rng.choice(CATEGORIES)
        agency_id, agency = rng.choice(AGENCIES)
        status = rng.choice(STATUSES)
        day = first + dt.timedelta(days=rng.randrange(330))
        words = " ".join(rng.choice(["lampu", "jalan", "mati", "parkir", "rusak", "berlubang", "warga", "mohon"])
                         for _ in range(rng.randrange(20, 60)))  # fmt: skip
        yield row(
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


def write_xlsx(path, rows, *, columns=None, info_rows=INFO_ROWS):
    import openpyxl

    columns = columns or c.COLUMNS
    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet("Laporan")
    for info in info_rows:
        sheet.append(info)
    sheet.append(columns)
    for values in rows:
        sheet.append([values.get(name, "") for name in columns])
    workbook.save(path)
    return path


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
