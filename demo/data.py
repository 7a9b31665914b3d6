"""The demo city's tables: Kota Blitar's kecamatan and kelurahan, its agencies and
categories, the staff and their decrees' holders, the names, streets and landmarks, and
the canned replies (demo/city.py builds the city). The texts the demo reports and their
answers are written from are in demo/texts.py."""

from agencies.models import Agency, Role
from reports.models import ResolutionClass

DEMO_PASSWORD = "demo12345"

# ---------------------------------------------------------------------------- the city

KECAMATAN = {
    "Kepanjenkidul": ["Bendo", "Kauman", "Kepanjenkidul", "Kepanjenlor", "Ngadirejo", "Sentul", "Tanggung"],
    "Sananwetan": ["Bendogerit", "Gedog", "Karangtengah", "Klampok", "Plosokerep", "Rembang", "Sananwetan"],
    "Sukorejo": ["Blitar", "Karangsari", "Pakunden", "Sukorejo", "Tanjungsari", "Tlumpu", "Turi"],
}
# Rough centres, for map pins.
KECAMATAN_CENTRE = {
    "Kepanjenkidul": (-8.0880, 112.1700),
    "Sananwetan": (-8.1000, 112.1880),
    "Sukorejo": (-8.0950, 112.1500),
}

ROOT = "Pemkot Blitar"
GOV, OPD, UNIT, KEC, BUMD = (
    Agency.Kind.GOVERNMENT,
    Agency.Kind.AGENCY,
    Agency.Kind.UNIT,
    Agency.Kind.KECAMATAN,
    Agency.Kind.ENTERPRISE,
)
# (name, short name, kind, parent's short name)
AGENCIES = [
    ("Pemerintah Kota Blitar", ROOT, GOV, None),
    ("Sekretariat Daerah", "Setda", OPD, ROOT),
    ("Bagian Umum Sekretariat Daerah", "Bagian Umum", UNIT, "Setda"),
    ("Dinas Komunikasi, Informatika dan Statistik", "Diskominfotik", OPD, ROOT),
    ("Unit Layanan Pengaduan dan Informasi Masyarakat", "ULPIM", UNIT, "Diskominfotik"),
    ("Dinas Pekerjaan Umum dan Penataan Ruang", "DPUPR", OPD, ROOT),
    # DPUPR's units, with staff of their own: the agency forwards road and drainage work
    # down to them (docs/panduan-penghubung.md, "Unit kerja").
    ("Bidang Bina Marga", "Bina Marga", UNIT, "DPUPR"),
    ("Bidang Sumber Daya Air", "Bidang SDA", UNIT, "DPUPR"),
    ("Dinas Perhubungan", "Dishub", OPD, ROOT),
    ("Satuan Polisi Pamong Praja", "Satpol PP", OPD, ROOT),
    ("Bidang Pemadam Kebakaran dan Penyelamatan", "Damkar", UNIT, "Satpol PP"),
    ("Dinas Lingkungan Hidup", "DLH", OPD, ROOT),
    ("Dinas Kesehatan", "Dinkes", OPD, ROOT),
    ("Dinas Pendidikan", "Dindik", OPD, ROOT),
    ("Dinas Sosial", "Dinsos", OPD, ROOT),
    ("Dinas Kependudukan dan Pencatatan Sipil", "Dispendukcapil", OPD, ROOT),
    ("Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu", "DPMPTSP", OPD, ROOT),
    ("Dinas Perumahan dan Kawasan Permukiman", "Perkim", OPD, ROOT),
    ("Badan Penanggulangan Bencana Daerah", "BPBD", OPD, ROOT),
    ("Dinas Koperasi, Usaha Mikro dan Tenaga Kerja", "Diskopumnaker", OPD, ROOT),
    ("Dinas Perdagangan dan Perindustrian", "Disperdagin", OPD, ROOT),
    ("Dinas Pertanian dan Pangan", "Dispertapa", OPD, ROOT),
    ("Dinas Pariwisata dan Kebudayaan", "Disbudpar", OPD, ROOT),
    ("Dinas Kepemudaan dan Olahraga", "Dispora", OPD, ROOT),
    (
        "Dinas Pemberdayaan Perempuan, Perlindungan Anak, Pengendalian Penduduk dan Keluarga Berencana",
        "DP3AP2KB",
        OPD,
        ROOT,
    ),
    ("Dinas Perpustakaan dan Kearsipan", "Dispersip", OPD, ROOT),
    ("Badan Perencanaan Pembangunan Daerah", "Bappeda", OPD, ROOT),
    ("Badan Pengelolaan Keuangan dan Aset Daerah", "BPKAD", OPD, ROOT),
    ("Badan Pendapatan Daerah", "Bapenda", OPD, ROOT),
    ("Badan Kepegawaian dan Pengembangan Sumber Daya Manusia", "BKPSDM", OPD, ROOT),
    ("Badan Kesatuan Bangsa dan Politik", "Bakesbangpol", OPD, ROOT),
    ("Inspektorat Daerah", "Inspektorat", OPD, ROOT),
    ("Rumah Sakit Umum Daerah Mardi Waluyo", "RSUD Mardi Waluyo", OPD, ROOT),
    ("Perumda Air Minum Tirta Penataran", "PDAM", BUMD, ROOT),
    ("Kecamatan Kepanjenkidul", "Kec. Kepanjenkidul", KEC, ROOT),
    ("Kecamatan Sananwetan", "Kec. Sananwetan", KEC, ROOT),
    ("Kecamatan Sukorejo", "Kec. Sukorejo", KEC, ROOT),
]
COMPLAINT_UNIT = "ULPIM"

S, C, F = ResolutionClass.SIMPLE, ResolutionClass.COORDINATION, ResolutionClass.FIELD
# parent → [(key, name, default agency, resolution class, usual supporting agency)]
CATEGORIES = {
    "Pekerjaan Umum": [
        ("jalan", "Jalan berlubang", "DPUPR", F, None),
        ("penerangan", "Penerangan jalan", "DPUPR", S, None),
        ("drainase", "Drainase dan saluran air", "DPUPR", C, None),
        ("trotoar", "Trotoar", "DPUPR", F, None),
        ("taman", "Taman kota", "Perkim", S, None),
        ("tpu", "Tempat pemakaman umum (TPU)", "Perkim", S, None),
        ("pasar", "Pasar", "Disperdagin", C, "Satpol PP"),
    ],
    "Perhubungan": [
        ("pju", "Lampu penerangan jalan umum (PJU)", "Dishub", S, None),
        ("parkir", "Parkir liar", "Dishub", S, "Satpol PP"),
        ("lalin", "Rambu dan lampu lalu lintas", "Dishub", S, None),
    ],
    "Ketenteraman dan Ketertiban": [
        ("sampah_liar", "Sampah liar", "Satpol PP", S, "DLH"),
        ("ketertiban", "Ketertiban umum", "Satpol PP", S, None),
        ("kebakaran", "Pemadaman kebakaran", "Damkar", S, None),
        ("reklame", "Reklame dan baliho liar", "Satpol PP", C, None),
    ],
    "Lingkungan Hidup": [
        ("banjir", "Banjir dan genangan", "DPUPR", C, "BPBD"),
        ("sampah", "Pengelolaan sampah", "DLH", S, None),
        ("sanitasi", "Sanitasi", "DLH", C, None),
        ("pohon", "Pohon tumbang dan perantingan pohon besar", "DLH", S, "Damkar"),
    ],
    "Teknologi Informasi dan Komunikasi": [
        ("wifi", "Jaringan internet dan wifi publik", "Diskominfotik", S, None),
        ("tiang", "Tiang jaringan internet", "Diskominfotik", C, "DPUPR"),
    ],
    "Energi dan Air Minum": [
        ("pdam", "Layanan air minum (PDAM)", "PDAM", S, None),
    ],
    "Kependudukan": [
        ("ktp", "KTP elektronik", "Dispendukcapil", S, None),
        ("kk", "Kartu keluarga dan akta", "Dispendukcapil", S, None),
    ],
    "Kesehatan": [
        ("puskesmas", "Pelayanan puskesmas", "Dinkes", S, None),
        ("rsud", "Pelayanan rumah sakit", "RSUD Mardi Waluyo", S, None),
        ("dbd", "Demam berdarah dan fogging", "Dinkes", C, None),
    ],
    "Pendidikan": [
        ("spmb", "Penerimaan murid baru (SPMB)", "Dindik", S, None),
        ("sekolah", "Sarana dan prasarana sekolah", "Dindik", F, None),
    ],
    "Sosial": [
        ("bansos", "Bantuan sosial", "Dinsos", C, None),
        ("pmks", "Orang terlantar dan ODGJ", "Dinsos", S, None),
    ],
    "Informasi Publik": [
        ("informasi", "Permohonan informasi publik", "Diskominfotik", S, None),
    ],
}
# Where a report is wrongly sent first, and bounced back as "bukan wewenang".
CONFUSED_WITH = {
    "penerangan": "Dishub",
    "pju": "DPUPR",
    "banjir": "BPBD",
    "sampah_liar": "DLH",
    "pohon": "DPUPR",
    "taman": "DLH",
    "tiang": "DPUPR",
    "drainase": "Perkim",
    "parkir": "Satpol PP",
    "reklame": "Diskominfotik",
    "pasar": "Satpol PP",
    "sanitasi": "Dinkes",
}

# Agencies that get a liaison and an operator (every default agency has them).
STAFFED = {
    "DPUPR": "dpupr",
    "Dishub": "dishub",
    "Satpol PP": "satpolpp",
    "DLH": "dlh",
    "Diskominfotik": "diskominfotik",
    "PDAM": "pdam",
    "Dinkes": "dinkes",
    "Perkim": "perkim",
    "Damkar": "damkar",
    "Disperdagin": "disperdagin",
    "Dispendukcapil": "dispendukcapil",
    "Dindik": "dindik",
    "Dinsos": "dinsos",
    "BPBD": "bpbd",
    "RSUD Mardi Waluyo": "rsud",
}

FIRST_NAMES = [
    "Siti", "Budi", "Sri", "Agus", "Dwi", "Eko", "Rina", "Hadi", "Yuli", "Joko", "Wahyu", "Nur", "Bambang",
    "Endang", "Teguh", "Ratna", "Ahmad", "Dewi", "Fitri", "Rudi", "Anik", "Rizal", "Lilis", "Heru", "Tri",
    "Andik", "Puji", "Imam", "Ninik", "Yudi", "Sulastri", "Mochamad", "Erna", "Dedi", "Winarti", "Gunawan",
]  # fmt: skip
LAST_NAMES = [
    "Santoso", "Wahyuni", "Setiawan", "Lestari", "Prasetyo", "Kurniawati", "Susanto", "Astuti", "Purnomo",
    "Hidayat", "Hidayah", "Sutrisno", "Sulistyowati", "Widodo", "Sari", "Fauzi", "Anggraini", "Handayani",
    "Hartono", "Rahayu", "Saputra", "Suryani", "Cahyono", "Wulandari", "Kurniawan", "Astutik", "Syafii",
    "Sumarni", "Firmansyah", "Maulana", "Pratama", "Utomo", "Nugroho", "Rahmawati",
]  # fmt: skip

STREETS = [
    "Jl. Merdeka", "Jl. Anggrek", "Jl. Kenanga", "Jl. Mastrip", "Jl. Sudanco Supriyadi", "Jl. Cemara",
    "Jl. Kalimantan", "Jl. Sumatera", "Jl. Ciliwung", "Jl. Tanjung", "Jl. Ir. Soekarno", "Jl. Veteran",
    "Jl. Diponegoro", "Jl. Kartini", "Jl. Lawu", "Jl. Kelud", "Jl. Bali", "Jl. Jawa", "Jl. Mayang",
    "Jl. Melati", "Jl. Sultan Agung", "Jl. Ahmad Yani", "Jl. Kalasan", "Jl. Borobudur", "Jl. Cokroaminoto",
    "Jl. Musi", "Jl. Bengawan Solo", "Jl. Dr. Wahidin", "Jl. Tanjung Priok", "Jl. Slamet Riyadi",
]  # fmt: skip
LANDMARKS = [
    "alun-alun", "Makam Bung Karno", "Istana Gebang", "Pasar Legi", "Pasar Templek", "Stasiun Blitar",
    "Terminal Patria", "Kebon Rojo", "Taman Pecut", "Perpustakaan Bung Karno", "Stadion Soepriadi",
    "RSUD Mardi Waluyo", "Monumen PETA", "masjid agung", "SMPN 1", "kantor kelurahan", "pertigaan lampu merah",
]  # fmt: skip


# ---------------------------------------------------------------------------- staff

# (username, full name, role, agency short name)
STAFF = [
    ("koordinator", "Rina Kurniawati", Role.COORDINATOR, COMPLAINT_UNIT),
    ("koordinator2", "Andik Prasetyo", Role.COORDINATOR, COMPLAINT_UNIT),
    ("kepala_dpupr", "Ir. Hadi Sutrisno", Role.AGENCY_HEAD, "DPUPR"),
    ("kepala_dishub", "Drs. Bambang Widodo", Role.AGENCY_HEAD, "Dishub"),
    ("walikota", "Wali Kota Blitar", Role.EXECUTIVE, ROOT),
    ("sekda", "Sekretaris Daerah", Role.EXECUTIVE, "Setda"),
]
for _short, _slug in STAFFED.items():
    STAFF.append((f"penghubung_{_slug}", f"Penghubung {_short}", Role.LIAISON, _short))
    STAFF.append((f"operator_{_slug}", f"Operator {_short}", Role.OPERATOR, _short))
# DPUPR's units: work reaches them only when DPUPR forwards it (demo/city.py _forward_to_units).
UNIT_STAFF = [
    ("penghubung_binamarga", "Penghubung Bina Marga", Role.LIAISON, "Bina Marga"),
    ("operator_binamarga", "Operator Bina Marga", Role.OPERATOR, "Bina Marga"),
    ("penghubung_sda", "Penghubung Bidang SDA", Role.LIAISON, "Bidang SDA"),
]
STAFF += UNIT_STAFF
# The report DPUPR forwards to its unit in the demo.
FORWARD_INSTRUCTION = "Mohon cek lokasi dan tangani; laporkan hasilnya ke DPUPR."
UNIT_FOLLOW_UP = "Tim Bidang Bina Marga sudah meninjau lokasi; perbaikan dijadwalkan minggu ini."

# Canned replies (notify.CannedReply): title, text, who uses it ("all", "coordinator",
# "agency"). {nomor}, {opd} and {tenggat} are filled for the report in the message box.
CANNED_REPLIES = [
    (
        "Diteruskan ke OPD",
        "Terima kasih. Laporan {nomor} sudah kami periksa dan kami teruskan ke {opd}, "
        "yang menargetkan penyelesaian paling lambat {tenggat}.",
        "coordinator",
    ),
    (
        "Mohon lengkapi lokasi",
        "Mohon lengkapi lokasi laporan {nomor}: nama jalan, nomor rumah atau patokan terdekat "
        "(mis. masjid, sekolah, tiang listrik bernomor), agar petugas mudah menemukannya.",
        "coordinator",
    ),
    (
        "Mohon kirim foto",
        "Mohon kirimkan foto kondisi di lokasi untuk laporan {nomor}, agar dapat segera kami tindak lanjuti.",
        "all",
    ),
    (
        "Petugas dijadwalkan ke lokasi",
        "Laporan {nomor} sudah kami terima. Petugas {opd} dijadwalkan meninjau lokasi; "
        "penanganan ditargetkan selesai paling lambat {tenggat}.",
        "agency",
    ),
    (
        "Selesai ditangani",
        "Laporan {nomor} sudah selesai ditangani oleh {opd}. Mohon konfirmasi melalui tautan pelacakan "
        "bila hasilnya sudah sesuai, atau sampaikan bila belum.",
        "agency",
    ),
]
