"""The texts the demo reports are written from (demo/stories.py): the residents' complaints
per category, spam, reports from outside the city, aspirations and information requests,
and what staff and residents write as a report moves on (follow-ups, questions, replies,
instructions, disputes, ratings, objections)."""

# key → complaints [(title, description)], with {jalan}, {patokan}, {kel} filled in.
COMPLAINTS = {
    "jalan": [
        (
            "Jalan berlubang di {jalan}",
            "Jalan di {jalan} dekat {patokan} berlubang cukup dalam, sudah dua "
            "pengendara motor jatuh minggu ini. Kalau hujan lubangnya tertutup air dan tidak kelihatan.",
        ),
        (
            "Aspal {jalan} rusak parah",
            "Aspal di {jalan} Kelurahan {kel} mengelupas sepanjang kira-kira 50 meter. "
            "Mohon segera diperbaiki sebelum musim hujan.",
        ),
        (
            "Lubang besar di tikungan",
            "Ada lubang besar di tikungan {jalan} arah {patokan}. Warga sudah menaruh "
            "ban bekas sebagai tanda tapi tetap berbahaya malam hari.",
        ),
    ],
    "penerangan": [
        (
            "Penerangan jalan kurang di {jalan}",
            "Sepanjang {jalan} dekat {patokan} gelap sekali di malam hari, "
            "hanya satu lampu yang menyala. Rawan kejahatan, mohon ditambah lampu penerangan.",
        ),
        ("Lampu jalan mati di {jalan}", "Lampu jalan di {jalan} Kelurahan {kel} mati sudah lebih dari seminggu."),
    ],
    "drainase": [
        (
            "Saluran air tersumbat di {jalan}",
            "Saluran air di {jalan} tersumbat lumpur dan sampah, airnya meluber "
            "ke jalan setiap hujan. Baunya juga menyengat.",
        ),
        ("Gorong-gorong ambrol", "Gorong-gorong di depan {patokan} ambrol, sebagian jalan ikut amblas."),
    ],
    "trotoar": [
        (
            "Trotoar rusak di {jalan}",
            "Paving trotoar di {jalan} dekat {patokan} banyak yang lepas dan berlubang, "
            "membahayakan pejalan kaki terutama lansia.",
        ),
        ("Trotoar dipakai berjualan", "Trotoar di {jalan} penuh lapak sehingga pejalan kaki harus turun ke jalan."),
    ],
    "taman": [
        (
            "Taman tidak terawat",
            "Taman di dekat {patokan} rumputnya tinggi, lampu taman mati dan ayunan anak rusak. Mohon dirawat kembali.",
        ),
        ("Bangku taman rusak", "Beberapa bangku di taman {jalan} patah dan bautnya menonjol, bisa melukai anak."),
    ],
    "tpu": [
        ("Akses TPU becek", "Jalan masuk ke TPU di Kelurahan {kel} becek dan licin, sulit dilewati saat pemakaman."),
        ("Pagar TPU roboh", "Pagar TPU dekat {jalan} roboh sebagian sejak hujan deras kemarin."),
    ],
    "pasar": [
        (
            "Atap Pasar Legi bocor",
            "Atap los sayur di Pasar Legi bocor di banyak titik, pedagang kehujanan dan dagangan rusak.",
        ),
        ("Pasar Templek kotor", "Sampah di belakang Pasar Templek menumpuk dan saluran air pasar mampet."),
    ],
    "pju": [
        (
            "Lampu PJU mati di {jalan}",
            "Lampu PJU di {jalan} depan {patokan} mati sudah sekitar dua minggu. "
            "Malam hari jalan jadi gelap dan rawan kecelakaan.",
        ),
        (
            "PJU berkedip-kedip",
            "Lampu PJU di {jalan} Kelurahan {kel} berkedip terus sepanjang malam, sepertinya rusak.",
        ),
        ("Tiga lampu PJU padam", "Tiga lampu PJU berurutan di {jalan} padam semua, mohon segera diperbaiki."),
    ],
    "parkir": [
        (
            "Parkir liar di alun-alun",
            "Di sekitar alun-alun Kota Blitar ada juru parkir tanpa rompi dan karcis "
            "yang menarik Rp5.000 untuk motor. Mohon ditertibkan.",
        ),
        (
            "Parkir liar di {jalan}",
            "Mobil parkir di kedua sisi {jalan} dekat {patokan} sampai jalan hanya muat "
            "satu kendaraan. Jukirnya tidak resmi.",
        ),
        (
            "Tarif parkir tidak sesuai",
            "Parkir di depan {patokan} ditarik Rp3.000 tanpa karcis, padahal tarif resmi Rp2.000.",
        ),
    ],
    "lalin": [
        ("Lampu lalu lintas mati", "Lampu lalu lintas di pertigaan {jalan} mati sejak pagi, kendaraan saling serobot."),
        ("Rambu tertutup pohon", "Rambu dilarang parkir di {jalan} tertutup dahan pohon sehingga tidak terlihat."),
    ],
    "sampah_liar": [
        (
            "Pembuangan sampah liar di {jalan}",
            "Ada tumpukan sampah liar di lahan kosong {jalan} dekat {patokan}. "
            "Orang membuang sampah malam hari, baunya sampai ke rumah warga.",
        ),
        ("Sampah dibuang ke sungai", "Warga melihat orang membuang sampah karung ke sungai di Kelurahan {kel}."),
    ],
    "ketertiban": [
        (
            "Balap liar tiap malam Minggu",
            "Setiap malam Minggu ada balap liar di {jalan}, suara knalpot brong sampai jam 2 pagi. Mohon patroli.",
        ),
        ("PKL menutup jalan", "Pedagang kaki lima di dekat {patokan} berjualan sampai ke badan jalan."),
        ("Anak punk mengamen di lampu merah", "Di lampu merah {jalan} banyak pengamen yang memaksa meminta uang."),
    ],
    "kebakaran": [
        ("Hidran tidak berfungsi", "Hidran di dekat {patokan} tidak keluar air saat dicoba warga."),
        ("Kabel terbakar di tiang", "Ada kabel terbakar di tiang dekat {jalan}, sempat keluar api kecil."),
    ],
    "reklame": [
        (
            "Reklame liar di {jalan}",
            "Banyak spanduk dan baliho liar dipaku di pohon sepanjang {jalan}. "
            "Merusak pohon dan mengganggu pemandangan.",
        ),
        (
            "Baliho miring hampir roboh",
            "Baliho besar di dekat {patokan} miring setelah angin kencang, khawatir roboh menimpa pengendara.",
        ),
    ],
    "banjir": [
        (
            "Genangan banjir di {jalan}",
            "Setiap hujan deras {jalan} depan {patokan} tergenang setinggi lutut, air masuk ke rumah warga.",
        ),
        (
            "Banjir di permukiman {kel}",
            "Permukiman di Kelurahan {kel} kebanjiran semalam, air dari saluran "
            "meluap. Mohon bantuan dan normalisasi saluran.",
        ),
    ],
    "sampah": [
        (
            "Sampah menumpuk di TPS {kel}",
            "Sampah di TPS Kelurahan {kel} sudah tiga hari tidak diangkut, menumpuk sampai ke jalan.",
        ),
        ("Jadwal angkut sampah tidak jelas", "Truk sampah di {jalan} sekarang jarang lewat, sampah warga menumpuk."),
    ],
    "sanitasi": [
        ("Septic tank meluap", "Septic tank umum di dekat {patokan} meluap dan mencemari sumur warga."),
        ("Saluran limbah usaha tahu", "Limbah usaha tahu di Kelurahan {kel} dibuang ke selokan, baunya menyengat."),
    ],
    "pohon": [
        (
            "Pohon besar rawan tumbang di {jalan}",
            "Pohon trembesi besar di {jalan} dekat {patokan} sudah miring "
            "dan dahannya lapuk. Mohon dilakukan perantingan sebelum tumbang.",
        ),
        (
            "Pohon tumbang menutup jalan",
            "Pohon tumbang karena angin kencang menutup {jalan}, kendaraan tidak bisa lewat.",
        ),
        ("Dahan pohon mengenai kabel", "Dahan pohon di {jalan} sudah menyentuh kabel listrik, mohon dipangkas."),
    ],
    "wifi": [
        (
            "Wifi publik mati di {patokan}",
            "Wifi publik gratis di {patokan} tidak bisa dipakai sejak beberapa hari, "
            "tersambung tapi tidak ada internet.",
        ),
        (
            "Wifi RW lambat",
            "Wifi publik di balai RW Kelurahan {kel} sangat lambat, anak-anak tidak bisa belajar daring.",
        ),
    ],
    "tiang": [
        (
            "Tiang internet miring di {jalan}",
            "Tiang kabel internet di {jalan} miring dan kabelnya menjuntai rendah, hampir mengenai kepala pengendara.",
        ),
        ("Kabel fiber semrawut", "Kabel fiber optik di {jalan} semrawut dan banyak yang putus tergeletak."),
    ],
    "pdam": [
        ("Air PDAM keruh", "Air PDAM di rumah kami di {jalan} Kelurahan {kel} keruh kecokelatan sejak tiga hari."),
        ("Air PDAM tidak mengalir", "Air PDAM tidak mengalir sejak kemarin pagi di {jalan}, tidak ada pemberitahuan."),
        ("Pipa PDAM bocor", "Pipa PDAM bocor di depan {patokan}, air muncrat ke jalan dan terbuang."),
    ],
    "ktp": [
        (
            "KTP belum jadi",
            "Saya rekam KTP elektronik di Dispendukcapil dua bulan lalu tapi sampai sekarang "
            "belum jadi, katanya blanko habis.",
        ),
        ("Antrean KTP terlalu lama", "Antrean perekaman KTP sangat panjang, sudah datang jam 7 tidak kebagian nomor."),
    ],
    "kk": [
        (
            "Kartu keluarga salah nama",
            "Nama anak saya di kartu keluarga salah ketik, sudah mengajukan perbaikan tapi belum ada kabar.",
        ),
        ("Akta kelahiran belum terbit", "Pengajuan akta kelahiran anak sudah sebulan lebih belum selesai."),
    ],
    "puskesmas": [
        ("Pelayanan puskesmas lambat", "Antrean di puskesmas Kelurahan {kel} sangat lama, dokter baru datang jam 10."),
        ("Obat di puskesmas kosong", "Obat hipertensi untuk ibu saya kosong di puskesmas sudah dua minggu."),
    ],
    "rsud": [
        (
            "Antrean poli RSUD panjang",
            "Antrean poli dalam RSUD Mardi Waluyo sangat panjang, pasien lansia menunggu sampai siang.",
        ),
        ("Parkir RSUD penuh", "Parkir RSUD Mardi Waluyo penuh, pengantar pasien parkir di bahu jalan."),
    ],
    "dbd": [
        (
            "Kasus DBD di {kel}",
            "Sudah ada tiga warga di RT kami Kelurahan {kel} yang dirawat karena DBD. Mohon dilakukan fogging.",
        ),
        ("Genangan jentik nyamuk", "Banyak genangan berjentik di rumah kosong dekat {jalan}."),
    ],
    "spmb": [
        ("Sistem SPMB error", "Situs pendaftaran SPMB SMP tidak bisa dibuka saat hari terakhir pendaftaran."),
        ("Zonasi tidak sesuai", "Anak saya tidak diterima di sekolah terdekat padahal jaraknya kurang dari 1 km."),
    ],
    "sekolah": [
        ("Atap kelas SD rusak", "Atap ruang kelas di SD dekat {patokan} bocor dan plafon hampir jatuh."),
        ("Toilet sekolah rusak", "Toilet siswa di sekolah Kelurahan {kel} rusak semua, siswa numpang ke rumah warga."),
    ],
    "bansos": [
        (
            "Bansos tidak tepat sasaran",
            "Ada warga mampu di RT kami yang menerima bansos, sementara tetangga saya "
            "yang lansia dan janda tidak terdata.",
        ),
        ("BPNT belum cair", "Bantuan pangan non tunai bulan ini belum cair untuk beberapa warga Kelurahan {kel}."),
    ],
    "pmks": [
        ("ODGJ berkeliaran", "Ada ODGJ berkeliaran di sekitar {patokan}, kadang melempari kendaraan."),
        ("Lansia terlantar", "Ada lansia tinggal sendiri di {jalan} dalam kondisi sakit dan tidak terurus."),
    ],
    "informasi": [
        ("Jadwal pelayanan perizinan", "Di mana saya bisa melihat jadwal dan syarat pelayanan perizinan?"),
    ],
}
SPAM = [
    "Pinjaman cepat tanpa jaminan cair 1 jam, hubungi admin kami sekarang juga!!!",
    "tes tes",
    "Halo min",
    "Promo pulsa murah, kirim nomor HP Anda.",
]
OUTSIDE = [
    ("Jalan nasional rusak di Garum", "Jalan raya Blitar–Malang di Kecamatan Garum banyak lubang.",
     "Lokasi di Kabupaten Blitar (jalan nasional, kewenangan BBPJN Jawa Timur); dirujuk melalui SP4N-LAPOR!."),
    ("Jembatan di Kanigoro retak", "Jembatan di Kecamatan Kanigoro retak dan bergetar saat dilewati truk.",
     "Lokasi di wilayah Kabupaten Blitar; dirujuk ke Pemerintah Kabupaten Blitar melalui SP4N-LAPOR!."),
    ("Layanan BPJS Kesehatan", "Kartu BPJS Kesehatan saya tiba-tiba nonaktif padahal iuran lancar.",
     "Kewenangan BPJS Kesehatan; dirujuk melalui SP4N-LAPOR! ke BPJS Kesehatan Cabang Blitar."),
]  # fmt: skip
ASPIRATIONS = [
    ("taman", "Usul taman bermain anak", "Mohon dibangun taman bermain anak di lahan kosong dekat {patokan}, "
     "anak-anak di Kelurahan {kel} tidak punya tempat bermain yang aman."),
    ("pju", "Usul penambahan PJU", "Kami mengusulkan penambahan lampu PJU di gang-gang {jalan} karena gelap."),
    ("wifi", "Usul wifi publik di balai RW", "Mohon dipasang wifi publik di balai RW Kelurahan {kel} untuk "
     "anak sekolah."),
    ("sampah", "Usul bank sampah", "Kami ingin membentuk bank sampah di Kelurahan {kel}, mohon pendampingan DLH."),
    ("lalin", "Usul zebra cross di depan sekolah", "Mohon dibuatkan zebra cross dan rambu sekolah di {jalan} "
     "depan {patokan}."),
    ("trotoar", "Usul trotoar ramah disabilitas", "Trotoar di {jalan} sebaiknya dilengkapi guiding block dan "
     "ram untuk kursi roda."),
]  # fmt: skip
INFO_REQUESTS = [
    ("informasi", "Permohonan data anggaran perbaikan jalan", "Saya mohon informasi anggaran dan daftar ruas "
     "jalan yang diperbaiki tahun ini di Kota Blitar, untuk keperluan penelitian skripsi."),
    ("informasi", "Permohonan data wifi publik", "Mohon informasi jumlah dan lokasi titik wifi publik di Kota "
     "Blitar beserta anggarannya."),
    ("pju", "Permohonan data PJU", "Mohon informasi jumlah lampu PJU di Kota Blitar dan jadwal pemeliharaannya."),
    ("sampah", "Permohonan data volume sampah", "Saya meminta data volume sampah harian Kota Blitar per "
     "kecamatan tahun lalu."),
    ("bansos", "Permohonan data penerima bansos", "Mohon informasi jumlah penerima bantuan sosial per "
     "kelurahan di Kecamatan Sananwetan."),
]  # fmt: skip
PROGRESS = {
    "jalan": [
        "Tim DPUPR sudah mengecek lokasi, perbaikan dijadwalkan minggu ini.",
        "Lubang sudah ditambal sementara dengan aspal dingin, pengaspalan menunggu material.",
    ],
    "pju": [
        "Laporan diterima, tim PJU Dishub akan ke lokasi malam ini.",
        "Sudah dicek, lampu dan fotosel perlu diganti; menunggu suku cadang.",
    ],
    "parkir": [
        "Petugas Dishub bersama Satpol PP akan melakukan penertiban di lokasi.",
        "Jukir sudah didata dan diberi teguran.",
    ],
    "pohon": ["Tim DLH sudah survei, perantingan dijadwalkan hari Sabtu pagi."],
    "wifi": ["Perangkat access point sedang diperiksa teknisi Diskominfotik."],
    "pdam": ["Petugas PDAM sedang melakukan pengurasan pipa distribusi di wilayah tersebut."],
    "banjir": ["Tim DPUPR dan BPBD sudah meninjau lokasi; normalisasi saluran dijadwalkan."],
    "ktp": ["Data Bapak/Ibu sudah kami cek, KTP masuk antrean cetak."],
}
PROGRESS_ANY = [
    "Laporan sudah kami terima dan diteruskan ke bidang terkait untuk dicek di lapangan.",
    "Petugas sudah meninjau lokasi, tindak lanjut sedang dijadwalkan.",
    "Sedang kami koordinasikan dengan pihak terkait.",
]
DONE = {
    "jalan": [
        "Lubang jalan sudah ditambal dan diaspal ulang. Terima kasih atas laporannya.",
        "Perbaikan ruas jalan selesai dikerjakan tim DPUPR.",
    ],
    "pju": [
        "Lampu PJU sudah diganti dan menyala normal kembali.",
        "Kabel yang putus sudah disambung, PJU sudah menyala.",
    ],
    "parkir": ["Penertiban sudah dilakukan, jukir liar dilarang beroperasi dan lokasi diawasi berkala."],
    "pohon": [
        "Perantingan pohon sudah dilakukan, dahan lapuk sudah dipotong.",
        "Pohon tumbang sudah dipotong dan dibersihkan, jalan bisa dilewati kembali.",
    ],
    "wifi": ["Access point sudah diganti, wifi publik normal kembali."],
    "reklame": ["Reklame liar sudah dibongkar petugas Satpol PP."],
    "sampah": ["Sampah di TPS sudah diangkut dan jadwal pengangkutan ditambah."],
    "sampah_liar": ["Tumpukan sampah sudah dibersihkan dan dipasang papan larangan membuang sampah."],
    "pdam": [
        "Pengurasan selesai, air sudah jernih kembali. Mohon kabari jika masih keruh.",
        "Pipa yang bocor sudah diperbaiki.",
    ],
    "banjir": ["Saluran sudah dinormalisasi dan sedimen diangkut; genangan sudah surut."],
    "ktp": ["KTP elektronik sudah tercetak dan dapat diambil di kantor Dispendukcapil dengan membawa bukti rekam."],
    "informasi": ["Informasi yang diminta kami kirimkan terlampir; dokumen lengkap tersedia di layanan PPID."],
}
DONE_ANY = [
    "Sudah ditindaklanjuti di lapangan dan masalah telah diselesaikan.",
    "Tindak lanjut selesai. Terima kasih atas partisipasi Bapak/Ibu.",
    "Permasalahan sudah ditangani sesuai kewenangan kami.",
]
HOLD_QUESTIONS = [
    "Mohon sebutkan nama jalan atau patokan terdekat agar petugas mudah menemukan lokasinya.",
    "Mohon kirimkan foto kondisi di lokasi.",
    "Sejak kapan masalah ini terjadi dan pada jam berapa biasanya?",
    "Mohon sebutkan nomor tiang atau nomor rumah terdekat.",
]
REPLIES = [
    "Lokasinya di depan toko bangunan, sebelah barat masjid.",
    "Sudah sejak seminggu lalu, biasanya malam hari.",
    "Foto sudah saya kirim, nomor rumah terdekat 27.",
    "Dekat gang masuk SD, sebelah warung kopi.",
]
INSTRUCTIONS = [
    "Mohon segera ditindaklanjuti dan hasilnya dilaporkan melalui aplikasi.",
    "Mohon dicek ke lokasi dan diberikan tanggapan kepada pelapor.",
    "Prioritas: menyangkut keselamatan pengguna jalan.",
    "",
]
DISPUTES = [
    "Belum ada perbaikan di lokasi, mohon dicek kembali.",
    "Lampunya sempat menyala dua hari, sekarang mati lagi.",
    "Hanya ditambal sebagian, lubang di sebelahnya belum.",
]
RATING_COMMENTS = {
    5: ["Cepat sekali, terima kasih!", "Mantap, pelayanan Pemkot Blitar top.", ""],
    4: ["Sudah beres, terima kasih.", "Cukup cepat.", ""],
    3: ["Lumayan, tapi agak lama.", ""],
    2: ["Terlalu lama ditanggapi.", "Perbaikannya seadanya."],
    1: ["Kecewa, tidak ada perubahan.", "Laporan saya dioper-oper."],
}
OBJECTIONS = [
    "Informasi yang diberikan tidak lengkap, rincian per kegiatan tidak dilampirkan.",
    "Jawaban tidak sesuai dengan informasi yang saya minta.",
]
