"""The demo province's tables (demo/province.py builds it): Provinsi Jawa Timur with its
own agencies and staff, and Kota Kediri, a second, smaller city beside Kota Blitar (which
demo/data.py describes), with its kecamatan and kelurahan, a handful of agencies and
their staff, streets and landmarks."""

from agencies.models import Agency, Role
from reports.models import Channel, ResolutionClass

GOV, OPD, UNIT = Agency.Kind.GOVERNMENT, Agency.Kind.AGENCY, Agency.Kind.UNIT

# ---------------------------------------------------------------------------- the province

PROVINCE = {
    "name": "Pemerintah Provinsi Jawa Timur",
    "slug": "provinsi-jawa-timur",
    "prefix": "JTM",
    "unit_name": "Unit Layanan Pengaduan Provinsi Jawa Timur",
}
# (name, short name, kind, parent's short name); the complaint unit comes with the government.
PROVINCE_AGENCIES = [
    ("Dinas Pekerjaan Umum Bina Marga", "DPU Bina Marga", OPD, None),
    ("UPT Pengelolaan Jalan dan Jembatan Kediri", "UPT PJJ Kediri", UNIT, "DPU Bina Marga"),
    ("Dinas Pendidikan", "Dindik Jatim", OPD, None),
    ("Cabang Dinas Pendidikan Wilayah Kabupaten Blitar", "Cabdin Blitar", UNIT, "Dindik Jatim"),
    ("Dinas Perhubungan", "Dishub Jatim", OPD, None),
]
# The province's own categories, beside the copy of the default set:
# (parent in the default set, name, default agency, resolution class)
PROVINCE_CATEGORIES = {
    "jalan_provinsi": ("Pekerjaan Umum", "Jalan dan jembatan provinsi", "DPU Bina Marga", ResolutionClass.FIELD),
    "sma": ("Pendidikan", "SMA/SMK negeri", "Dindik Jatim", ResolutionClass.SIMPLE),
    "akdp": ("Perhubungan", "Angkutan antarkota dalam provinsi (AKDP)", "Dishub Jatim", ResolutionClass.SIMPLE),
}
# (username, full name, role, agency short name); "ULP" is the complaint unit.
PROVINCE_STAFF = [
    ("koordinator_jatim", "Nur Hidayah", Role.COORDINATOR, "ULP"),
    ("gubernur", "Gubernur Jawa Timur", Role.EXECUTIVE, "ULP"),
    ("penghubung_binamarga_jatim", "Penghubung DPU Bina Marga", Role.LIAISON, "DPU Bina Marga"),
    ("penghubung_upt_kediri", "Penghubung UPT PJJ Kediri", Role.LIAISON, "UPT PJJ Kediri"),
    ("penghubung_dindik_jatim", "Penghubung Dinas Pendidikan", Role.LIAISON, "Dindik Jatim"),
]
PROVINCE_DECREE = ("188/{n}/KPTS/013/{year}", "Tim Pengelola Pengaduan Pelayanan Publik Provinsi Jawa Timur")

# The province's reports, told step by step (demo/province.py): (days ago, how far the
# story gets, category key, title, description). Stories: received, verified, disposed,
# in_progress, forwarded (to the agency's unit, which follows up), returned (the agency
# sends it back as not its own), resolved, closed (confirmed and rated by the reporter).
PROVINCE_REPORTS = [
    (150, "closed", "jalan_provinsi", "Jalan provinsi Kediri–Kertosono berlubang",
     "Di ruas jalan provinsi Kediri–Kertosono dekat Jembatan Papar banyak lubang; dua pengendara jatuh minggu ini."),
    (90, "closed", "sma", "Pungutan seragam di SMA negeri",
     "Wali murid kelas X sebuah SMA negeri di Kota Blitar diminta membayar seragam Rp1,2 juta tanpa rincian."),
    (70, "closed", "jalan_provinsi", "Drainase jalan provinsi tersumbat",
     "Saluran di tepi jalan provinsi Blitar–Srengat tersumbat, air meluap ke badan jalan tiap hujan."),
    (5, "resolved", "jalan_provinsi", "Marka jalan provinsi pudar",
     "Marka di ruas jalan provinsi Blitar–Kediri sudah pudar; malam hari sangat berbahaya."),
    (25, "forwarded", "jalan_provinsi", "Sambungan jembatan retak",
     "Sambungan jembatan di ruas provinsi Kediri–Pare retak dan berbunyi keras setiap dilewati truk."),
    (14, "in_progress", "sma", "Atap kelas SMA bocor",
     "Atap dua ruang kelas di sebuah SMA negeri di Kota Kediri bocor saat hujan; siswa dipindah ke aula."),
    (10, "returned", "sma", "Anak tidak diterima di SMP terdekat",
     "Anak saya tidak diterima di SMP negeri terdekat di Kota Kediri padahal jarak rumah hanya 500 meter."),
    (6, "disposed", "jalan_provinsi", "Pohon tumbang di bahu jalan provinsi",
     "Pohon besar tumbang di bahu jalan provinsi Kediri–Nganjuk, separuh lajur tertutup."),
    (3, "verified", "akdp", "Bus AKDP menaikkan tarif",
     "Kondektur bus antarkota Blitar–Kediri menarik ongkos di atas tarif resmi."),
    (0.4, "received", None, "Lampu jalan provinsi mati",
     "Lampu penerangan di ruas jalan provinsi Blitar–Kediri dekat perbatasan kota mati sepanjang 1 km."),
]  # fmt: skip
PROVINCE_RETURN_REASON = (
    "SMP negeri kewenangan pemerintah kabupaten/kota, bukan provinsi; mohon dirujuk ke Pemerintah Kota Kediri."
)

# ---------------------------------------------------------------------------- Kota Kediri

KEDIRI = {
    "name": "Pemerintah Kota Kediri",
    "slug": "kota-kediri",
    "prefix": "KDR",
    "unit_name": "Unit Layanan Pengaduan Kota Kediri",
}
KEDIRI_KECAMATAN = {
    "Kota": ["Balowerti", "Kemasan", "Ngronggo", "Semampir", "Setono Pande"],
    "Mojoroto": ["Bandar Lor", "Campurejo", "Mojoroto", "Pojok", "Sukorame"],
    "Pesantren": ["Bangsal", "Burengan", "Pesantren", "Singonegaran", "Tinalan"],
}
KEDIRI_CENTRE = {
    "Kota": (-7.8170, 112.0180),
    "Mojoroto": (-7.8150, 111.9950),
    "Pesantren": (-7.8300, 112.0350),
}
KEDIRI_AGENCIES = [
    ("Dinas Komunikasi dan Informatika", "Diskominfo", OPD, None),
    ("Dinas Pekerjaan Umum dan Penataan Ruang", "DPUPR", OPD, None),
    ("Bidang Bina Marga", "Bina Marga", UNIT, "DPUPR"),
    ("Dinas Perhubungan", "Dishub", OPD, None),
    ("Satuan Polisi Pamong Praja", "Satpol PP", OPD, None),
    ("Dinas Lingkungan Hidup", "DLH", OPD, None),
]
# Kota Blitar's agency (demo/data.py) → Kediri's that handles the same categories; the
# categories of the other agencies are copied without a default agency.
KEDIRI_AGENCY_FOR = {
    "DPUPR": "DPUPR",
    "Perkim": "DLH",
    "Dishub": "Dishub",
    "Satpol PP": "Satpol PP",
    "Damkar": "Satpol PP",
    "DLH": "DLH",
    "Diskominfotik": "Diskominfo",
}
# Agencies whose liaison handles the demo's reports: short name → username suffix.
KEDIRI_STAFFED = {
    "DPUPR": "dpupr_kediri",
    "Dishub": "dishub_kediri",
    "Satpol PP": "satpolpp_kediri",
    "DLH": "dlh_kediri",
    "Diskominfo": "diskominfo_kediri",
}
KEDIRI_STAFF = [
    ("koordinator_kediri", "Lilis Handayani", Role.COORDINATOR, "ULP"),
    ("walikota_kediri", "Wali Kota Kediri", Role.EXECUTIVE, "ULP"),
    *[(f"penghubung_{slug}", f"Penghubung {short} Kediri", Role.LIAISON, short)
      for short, slug in KEDIRI_STAFFED.items()],
    ("penghubung_binamarga_kediri", "Penghubung Bina Marga Kediri", Role.LIAISON, "Bina Marga"),
]  # fmt: skip
KEDIRI_DECREE = ("188.45/{n}/419.033/{year}", "Tim Pengelola Pengaduan Pelayanan Publik Pemerintah Kota Kediri")
KEDIRI_STREETS = [
    "Jl. Dhoho", "Jl. Brawijaya", "Jl. Hayam Wuruk", "Jl. Pattimura", "Jl. Mayor Bismo", "Jl. Joyoboyo",
    "Jl. Ahmad Yani", "Jl. Veteran", "Jl. Kilisuci", "Jl. Semeru", "Jl. Erlangga", "Jl. Penanggungan",
    "Jl. Sersan Bahrun", "Jl. Letjen Suprapto", "Jl. Imam Bonjol", "Jl. Trunojoyo",
]  # fmt: skip
KEDIRI_LANDMARKS = [
    "alun-alun", "Pasar Setonobetek", "Stasiun Kediri", "Jembatan Brawijaya", "Taman Sekartaji",
    "GOR Jayabaya", "Stadion Brawijaya", "masjid agung", "kantor kelurahan", "Kelenteng Tjoe Hwie Kiong",
    "Goa Selomangleng", "RSUD Gambiran",
]  # fmt: skip
KEDIRI_TYPED_IN = {
    Channel.CALL_CENTER: "Call center 112 Kota Kediri, penelepon pukul {time}",
    Channel.RADIO: "Radio Andika FM, sesi interaktif {time}",
    Channel.WALK_IN: "Datang langsung ke ULP Kota Kediri, {time}",
    Channel.SOCIAL_MEDIA: "Komentar di akun Instagram resmi Pemkot Kediri, {time}",
}
KEDIRI_RENAMES = (("Kota Blitar", "Kota Kediri"), ("Pemkot Blitar", "Pemkot Kediri"))
# A Kediri report about a provincial road, left for the coordinator (a referral to the
# province, once referral between governments is in: demo/province.py _referrals).
KEDIRI_PROVINCIAL_ROAD = (
    "Jalan provinsi di Mojoroto ambles",
    "Badan jalan provinsi Kediri–Pare dekat Sukorame ambles separuh lajur; truk harus bergantian lewat.",
)
KEDIRI_FORWARD_INSTRUCTION = "Mohon Bidang Bina Marga meninjau dan menangani; laporkan hasilnya ke DPUPR."
KEDIRI_UNIT_FOLLOW_UP = "Bidang Bina Marga sudah meninjau lokasi; penambalan dijadwalkan pekan ini."

# Referral between governments (demo/province.py _referrals): why each report went to the
# other government.
KEDIRI_REFERRAL_REASON = (
    "Jl. Kapten Tendean adalah ruas jalan provinsi (Kediri–Tulungagung), kewenangan DPU Bina "
    "Marga Provinsi Jawa Timur. Mohon ditindaklanjuti oleh UPT PJJ Kediri."
)
PROVINCE_REFERRAL_REASON = (
    "SMP negeri dikelola pemerintah kota (UU 23/2014, lampiran bidang pendidikan). Kami rujuk "
    "ke Pemerintah Kota Kediri agar ditangani Dinas Pendidikan kota."
)
# A Kota Blitar resident reporting a street of Kota Kediri (he works there): Blitar refers it.
BLITAR_REPORT_FOR_KEDIRI = (
    "Lampu penerangan Jl. Dhoho Kediri mati",
    "Saya kerja di Kediri, lampu PJU di Jl. Dhoho depan pertokoan mati semua sejak tiga malam, "
    "rawan jambret waktu pulang kerja.",
)
BLITAR_REFERRAL_REASON = (
    "Lokasi di Jl. Dhoho, Kota Kediri: di luar wilayah Kota Blitar. Kami rujuk ke Pemerintah Kota Kediri."
)
