"""The columns of the SP4N-LAPOR! admin export, in the national file's order.

Import and export use this one list, so an exported file has the same layout as the
national one and imports back unchanged.
"""

TRACKING_ID = "Tracking ID"
DATE = "Tanggal Laporan Masuk"
TIME = "Waktu Laporan Masuk"
REPORTER_NAME = "Nama Pelapor"
CLASSIFICATION = "Klasifikasi Laporan"
CATEGORY_ID = "ID Kategori"
CATEGORY = "Kategori"
TITLE = "Judul Laporan"
TEXT_INITIAL = "Isi Laporan Awal"
TEXT_FINAL = "Isi Laporan Akhir"
TYPE = "Tipe Laporan (Anonim/Rahasia)"
SOURCE = "Sumber Laporan"
PARENT_AGENCY = "Instansi Induk"
AGENCY_ID = "ID Instansi Terdisposisi"
AGENCY = "Instansi Terdisposisi"
STATUS = "Status Laporan"
HOLD_REASON = "Alasan Tunda/Arsip"
PROVINCE = "Provinsi"
CITY = "Kota/Kabupaten"
KECAMATAN = "Kecamatan"
KELURAHAN = "Kelurahan"
DECREE_NUMBER = "Nomor SK"
DECREE_URL = "Url SK"
ANNUAL_REPORT_URL = "Url Dokumen Laporan Tahunan"
SETWAPRES = "Laporan yang Masuk melalui Kanal Aduan Setwapres"
RATING = "Rating"

COLUMNS = [
    TRACKING_ID,
    DATE,
    TIME,
    REPORTER_NAME,
    CLASSIFICATION,
    CATEGORY_ID,
    CATEGORY,
    TITLE,
    TEXT_INITIAL,
    TEXT_FINAL,
    TYPE,
    SOURCE,
    PARENT_AGENCY,
    AGENCY_ID,
    AGENCY,
    STATUS,
    HOLD_REASON,
    PROVINCE,
    CITY,
    KECAMATAN,
    KELURAHAN,
    DECREE_NUMBER,
    DECREE_URL,
    ANNUAL_REPORT_URL,
    SETWAPRES,
    RATING,
]

# Without these a row cannot become a report; every other column may be missing.
REQUIRED = [TRACKING_ID, DATE, STATUS]
# At least one of these carries the report's text.
TEXT_COLUMNS = [TEXT_FINAL, TEXT_INITIAL]


def normalise_header(value) -> str:
    return " ".join(str(value or "").split()).casefold()


BY_NORMALISED = {normalise_header(name): name for name in COLUMNS}
