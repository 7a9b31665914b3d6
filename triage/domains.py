"""Concepts for the affairs of a regional government that the demo city's lexicon
(``keywords.DEFAULT_KEYWORDS``, one entry per category of Kota Blitar) has no entry for.

Why a dict of its own: ``DEFAULT_KEYWORDS`` is also the demo's seed
(``seed_triage_keywords`` copies it into KeywordRule rows by category name); these
entries are not anyone's category names, only knowledge. They are read together with
``DEFAULT_KEYWORDS`` (``keywords.CONCEPT_KEYWORDS``, the demo's entries first, so their
concept tags keep their numbers) by the classifier's concept tags
(``features.feature_text``), by ``keywords.borrowed_entry`` (a city whose tree says
"Peternakan" starts with the livestock words) and by the normaliser's chat-abbreviation
guesses (``normalize._spellings``), and (round 6 of the duplicates) by the duplicate
score's shared-concept feature, its weights refitted with them.

The list follows UU 23/2014's urusan pemerintahan — wajib pelayanan dasar, wajib non
pelayanan dasar, pilihan — leaving out what ``DEFAULT_KEYWORDS`` covers (roads,
lighting, drainage, parks, PDAM, KTP/KK, puskesmas, hospitals, schools' buildings and
admissions, social aid, public order, fire) and the affairs residents do not write
about (statistik, persandian); then the supporting affairs residents complain about
(pajak daerah, kepegawaian, pungli and the conduct of officials, the village
government and its funds) and the national bodies residents write to the city anyway
(PLN, BPJS Kesehatan, BPN, the police's narkoba and theft, religious affairs).

Written by hand from general knowledge (no data set read): each entry is named as a
typical category name, with the standard words, residents' everyday words and the
Javanese, Madurese and English words East Java residents use. A keyword matches at the
start of a word of the normalized text or of its roots (``keywords.matches``), so short
words that begin common ones are left out or written as phrases ("bus" would match
"busuk", "kir" "kiri", "kur" "kurang", "gor" "gorong", "tari" "tarif", "sara"
"sarana", "tebu" "tebus"); so are words every report has ("air", "jalan", "tanah",
"izin" of "mohon izin", "lapangan", "desa" and "lurah", which the roots of an address's
"kelurahan" name) and words another entry owns.
"""

DOMAIN_KEYWORDS = {
    # --- pilihan: pertanian, peternakan, perikanan, kehutanan ---
    "Pertanian dan tanaman pangan": (
        "petani, tani, pertanian, sawah, padi, gabah, harga gabah, jagung, pupuk, pupuk subsidi, pupuk "
        "langka, kartu tani, hama, wereng, tikus sawah, gagal panen, panen, kelompok tani, gapoktan, poktan, "
        "penyuluh pertanian, ppl, benih, bibit, traktor, alsintan, tembakau, mbako, tegalan, ladang, "
        "perkebunan, kebun"
    ),
    "Peternakan dan hewan ternak": (
        "ternak, peternak, peternakan, hewan ternak, sapi, kambing, domba, kerbau, ayam mati, unggas, "
        "kandang, kandang sapi, kotoran sapi, pmk, penyakit mulut dan kuku, lumpy skin, lsd, antraks, "
        "anthrax, flu burung, rabies, anjing liar, anjing galak, digigit anjing, gigitan anjing, kucing liar, "
        "monyet liar, serangan monyet, dokter hewan, puskeswan, rumah potong hewan, rph, hewan kurban, "
        "wedhus, wedus, embi, pitik, pedhet, livestock, inseminasi, inseminasi buatan, kawin suntik, "
        "sapi perah, susu sapi, dairy"
    ),
    "Perikanan dan kelautan": (
        "nelayan, ikan, kolam ikan, budidaya ikan, benih ikan, bibit ikan, pakan ikan, tambak, keramba, "
        "karamba, ikan lele, kolam lele, ikan nila, mujair, perahu, kapal nelayan, tempat pelelangan ikan, "
        "setrum ikan, potas, mancing, memancing, pemancingan, jaring ikan, iwak, udang, vaname, vannamei, benur, "
        "bandeng, petani tambak, pakan udang, white spot, lele, kusuka, kartu kusuka, hasil tangkapan, "
        "pelelangan, lelang ikan, melaut"
    ),
    "Kehutanan": (
        "kawasan hutan, hutan lindung, hutan jati, hutan rakyat, tepi hutan, pinggir hutan, perhutani, "
        "penebangan liar, pembalakan, illegal logging, kayu ilegal, hutan gundul, reboisasi, penghijauan, "
        "kebakaran hutan, kebakaran lahan, satwa liar, perburuan, burung dilindungi, lahan hutan, forest"
    ),
    # --- wajib non pelayanan dasar: pangan, perdagangan, koperasi, penanaman modal ---
    "Ketahanan pangan": (
        "pangan, ketahanan pangan, keamanan pangan, beras, harga beras, beras mahal, beras oplosan, stok "
        "beras, operasi pasar, bulog, cadangan pangan, makanan kedaluwarsa, kedaluwarsa, kadaluarsa, expired, "
        "formalin, boraks, pewarna tekstil, keracunan makanan, makan bergizi gratis, mbg, dapur mbg, menu "
        "mbg, food safety"
    ),
    "Perdagangan, elpiji dan BBM": (
        "elpiji, lpg, gas melon, gas 3 kg, tabung gas, gas langka, pangkalan gas, pengecer gas, harga gas, "
        "minyak goreng, minyakita, harga naik, kenaikan harga, harga cabai, cabai, bbm, solar, pertalite, "
        "bensin, spbu, pom bensin, minimarket, indomaret, alfamart, toko modern, het, harga eceran tertinggi, "
        "penimbunan, gas"
    ),
    "Koperasi dan UMKM": (
        "koperasi, koperasi simpan pinjam, ksp, umkm, ukm, usaha mikro, pelaku usaha, modal usaha, bantuan "
        "modal, kredit usaha rakyat, pinjol, pinjaman online, rentenir, bank plecit, bank titil, bank emok, "
        "pirt, sertifikat halal, pelatihan usaha, bazar, pameran, produk lokal"
    ),
    "Perizinan dan penanaman modal": (
        "perizinan, izin usaha, surat izin, mengurus izin, pengurusan izin, dpmptsp, ptsp, mal pelayanan "
        "publik, mpp, oss, nib, siup, izin keramaian, izin gangguan, izin operasional, izin praktik, "
        "investasi, investor, penanaman modal, usaha tanpa izin, tidak berizin, izinnya, permit, license"
    ),
    "Izin bangunan dan tata ruang": (
        "pbg, tanpa imb, izin imb, punya imb, izin mendirikan bangunan, persetujuan bangunan gedung, slf, "
        "tata ruang, rtrw, rdtr, kkpr, sempadan, sempadan sungai, garis sempadan, bangunan tanpa izin, "
        "bangunan melanggar, bangunan di atas saluran, alih fungsi lahan, menutup saluran, pagar melebihi, "
        "tembok tetangga, bangunan tetangga, building permit, menara telekomunikasi, menara bts, tower bts"
    ),
    # --- wajib non pelayanan dasar: tenaga kerja, transmigrasi, perempuan dan anak, KB ---
    "Tenaga kerja dan PHK": (
        "ketenagakerjaan, buruh, karyawan, phk, dipecat, pesangon, upah, upah minimum, gaji tidak dibayar, "
        "gaji telat, gaji dipotong, thr, lembur, kontrak kerja, outsourcing, bpjs ketenagakerjaan, jamsostek, "
        "majikan, mandor, luar negeri, belum gajian, belum digaji, "
        "pengangguran, lowongan kerja, loker, pencari kerja, kartu kuning, ak1, balai latihan kerja, blk, "
        "disnaker, pekerja migran, tki, tkw, mogok kerja, salary"
    ),
    "Transmigrasi": (
        "transmigrasi, transmigran, program transmigrasi, pendaftaran transmigrasi, peserta transmigrasi, "
        "daftar transmigrasi, lokasi transmigrasi, lahan transmigrasi, kawasan transmigrasi, jatah hidup, "
        "jadup, rumah transmigran, lahan usaha transmigran, disnakertrans, berangkat transmigrasi"
    ),
    "Perlindungan perempuan dan anak": (
        "kdrt, kekerasan dalam rumah tangga, kekerasan, kekerasan anak, kekerasan seksual, pelecehan, "
        "pelecehan seksual, pencabulan, dicabuli, pemerkosaan, diperkosa, pernikahan dini, nikah dini, "
        "perkawinan anak, eksploitasi anak, pekerja anak, perdagangan orang, trafficking, dipukuli, dianiaya "
        "suami, p2tp2a, uptd ppa, dp3a, perlindungan anak, hak anak"
    ),
    "Keluarga berencana (KB)": (
        "kb, keluarga berencana, alat kontrasepsi, kontrasepsi, pil kb, suntik kb, implan, susuk kb, iud, "
        "spiral, vasektomi, tubektomi, steril, bkkbn, plkb, kampung kb, akseptor, kader kb, contraception"
    ),
    # --- urusan penunjang residents write about ---
    "Pajak daerah dan PBB": (
        "pajak, pbb, pajak bumi dan bangunan, sppt, njop, bapenda, bpprd, dispenda, tagihan pbb, denda pbb, "
        "bayar pbb, bphtb, pajak restoran, pajak hotel, pajak daerah, pajak kendaraan, samsat, pajak motor, "
        "tunggakan pajak, wajib pajak, objek pajak, pemutihan, keringanan pajak, retribusi, tax"
    ),
    "Kepegawaian, ASN dan honorer": (
        "asn, pns, p3k, honorer, tenaga honorer, guru honorer, gaji honorer, cpns, seleksi cpns, bkd, bkpsdm, "
        "mutasi, kenaikan pangkat, tpp, tunjangan, pensiun, pensiunan, taspen, pegawai bolos, pegawai "
        "keluyuran, jam kerja, apel, absensi, titipan, nepotisme, netralitas asn, outsourcing pemda"
    ),
    "Pungutan liar dan pelayanan aparat": (
        "pungli, pungutan liar, uang pelicin, pelicin, suap, sogok, nyogok, gratifikasi, lewat calo, jasa "
        "calo, oknum calo, percaloan, dimintai uang, minta uang, uang rokok, uang administrasi, biaya "
        "tambahan, tanpa kuitansi, korupsi, petugas tidak ramah, judes, petugas kasar, dipersulit, berbelit, "
        "dilempar lempar, dipingpong, tidak ada di tempat, saber pungli"
    ),
    "Pemerintahan desa dan dana desa": (
        "kepala desa, kades, pak kades, pak lurah, bu lurah, perangkat desa, sekdes, carik, kasun, kepala "
        "dusun, kamituwo, klebun, petinggi, pamong, dana desa, alokasi dana desa, add, apbdes, bumdes, "
        "musdes, musrenbang, bpd, pilkades, tanah bengkok, bengkok, tanah kas desa, surat pengantar, surat "
        "keterangan, pengantar rt"
    ),
    # --- national bodies residents write to the city anyway ---
    "Listrik (PLN)": (
        "pln, listrik, listrik padam, mati listrik, pemadaman listrik, listrik mati, mati lampu, byar pet, "
        "token, token listrik, pulsa listrik, meteran listrik, kwh, tagihan listrik, tiang listrik, kabel "
        "listrik, trafo, travo, gardu, tegangan, voltase, sambungan listrik, pasang listrik, ulp"
    ),
    "BPJS dan JKN": (
        "bpjs, bpjs kesehatan, jkn, kartu bpjs, iuran bpjs, tunggakan bpjs, denda bpjs, bpjs nonaktif, bpjs "
        "tidak aktif, bpjs mati, pbi, peserta pbi, jaminan kesehatan, kartu indonesia sehat, pindah faskes, "
        "mobile jkn, ditolak bpjs, pasien bpjs, pasien umum, health insurance"
    ),
    "Pertanahan dan sertifikat tanah": (
        "sertifikat tanah, sertipikat, sertifikat, badan pertanahan, kantor pertanahan, pertanahan, ptsl, "
        "sengketa tanah, batas tanah, patok, girik, letter c, petok d, akta jual beli, ajb, ukur tanah, "
        "pengukuran tanah, mafia tanah, penyerobotan, diserobot, balik nama, pembebasan lahan, ganti rugi "
        "lahan, tanah warisan, warisan, hak milik"
    ),
    "Narkoba": (
        "narkoba, narkotika, sabu sabu, paket sabu, nyabu, daun ganja, linting ganja, pil koplo, pil double, "
        "obat terlarang, obat keras, tramadol, pengedar, bandar narkoba, bnn, pesta sabu, nge fly, teler"
    ),
    "Keamanan, pencurian dan kriminalitas": (
        "pencurian, maling, curanmor, motor hilang, dicuri, kecurian, nyolong, colong, dicolong, begal, "
        "dibegal, jambret, copet, rampok, perampokan, penipuan, ditipu, kantor polisi, polsek, polres, lapor "
        "polisi, kriminal, kejahatan, penganiayaan, theft"
    ),
    # --- wajib pelayanan dasar not in the demo's lexicon ---
    "Bencana alam": (
        "bencana, bencana alam, tanah longsor, longsor, longsoran, gempa, gempa bumi, puting beliung, angin "
        "puting beliung, angin kencang, angin ribut, atap terbang, rumah roboh, erupsi, gunung meletus, abu "
        "vulkanik, lahar, kekeringan, kemarau, krisis air bersih, dropping air, droping air, bpbd, tanah "
        "gerak, tanah retak, earthquake, disaster, banjir bandang, banjir besar, evakuasi, "
        "mengungsi, pengungsi, pengungsian, hanyut, terseret arus, tsunami, jalur evakuasi, tanggap darurat, "
        "korban bencana, siaga bencana, tebing, rekahan tanah, retakan tanah, tanah bergerak, "
        "pergerakan tanah, tertimbun, material longsor, banjir lumpur, flood"
    ),
    "Angkutan umum dan terminal": (
        "angkot, angkutan umum, angkutan kota, mikrolet, bus kota, naik bus, bus sekolah, terminal, halte, "
        "ojek, ojol, ojek online, becak, trayek, sopir angkot, tarif angkot, uji kir, truk odol, overdimensi, "
        "kereta api, perlintasan kereta, palang pintu kereta, travel gelap, taksi, transportasi, kemacetan, "
        "macet total, ngetem, muatan berlebih, kelebihan muatan, tonase, jalan kelas, pikap, "
        "pick up, bak terbuka, pelabuhan, public transport"
    ),
    "Jembatan": (
        "jembatan, jembatan rusak, jembatan putus, jembatan ambrol, jembatan gantung, jembatan bambu, "
        "jembatan kayu, pagar jembatan, railing jembatan, sandaran jembatan, lantai jembatan, "
        "jembatan retak, jembatan penyeberangan, jpo, sasak, titian"
    ),
    "Perumahan dan permukiman kumuh": (
        "rusunawa, rusun, rumah susun, sewa rusun, bedah rumah, rumah tidak layak huni, kumuh, permukiman "
        "kumuh, kawasan kumuh, pengembang, developer, fasum, fasos, psu, serah terima fasum, rumah subsidi, "
        "kpr, bantuan stimulan perumahan, bsps, housing"
    ),
    "Pencemaran udara dan kebisingan": (
        "asap pabrik, pabrik, cerobong, debu, berdebu, bakar sampah, pembakaran sampah, membakar sampah, "
        "kebisingan, bising, getaran, mesin pabrik, bau pabrik, amdal, izin lingkungan, limbah b3, oli bekas, "
        "sesak napas, polusi udara, asap pembakaran, pembakaran bata, tobong, bakar ban, "
        "membakar ban, air pollution"
    ),
    "Pertambangan dan galian": (
        "tambang, penambangan, pertambangan, tambang liar, tambang ilegal, galian c, tambang pasir, pasir "
        "ilegal, truk pasir, penambang, sirtu, batu kapur, tambang batu, bekas tambang, pengerukan pasir, "
        "ekskavator, mining"
    ),
    "Pariwisata": (
        "wisata, pariwisata, tempat wisata, objek wisata, destinasi, wisatawan, turis, tiket masuk, karcis "
        "wisata, retribusi wisata, pantai, air terjun, coban, kebun binatang, desa wisata, homestay, hotel, "
        "penginapan, villa, pemandu wisata, kuliner, tourism, pemandian, jeep wisata, e ticket"
    ),
    "Kebudayaan dan cagar budaya": (
        "cagar budaya, benda cagar budaya, situs purbakala, candi, museum, prasasti, petilasan, kesenian, "
        "sanggar, sanggar tari, tarian, reog, jaranan, kuda lumping, wayang, gamelan, karawitan, pentas seni, "
        "bersih desa, sedekah bumi, kebudayaan, budaya, heritage"
    ),
    "Kepemudaan dan olahraga": (
        "olahraga, gelanggang olahraga, gedung olahraga, stadion, lapangan sepak bola, lapangan bola, "
        "lapangan voli, lapangan futsal, lapangan basket, lapangan olahraga, kolam renang, sepak bola, atlet, "
        "bonus atlet, karang taruna, pemuda, kepemudaan, porprov, turnamen, senam, sport center, tribun, "
        "sport"
    ),
    "Perpustakaan dan kearsipan": (
        "perpustakaan, perpustakaan daerah, perpusda, perpus, pinjam buku, koleksi buku, taman baca, taman "
        "bacaan, perpustakaan keliling, mobil perpustakaan, kartu anggota perpustakaan, ruang baca, arsip, "
        "kearsipan, arsip daerah, library"
    ),
    "Biaya dan layanan pendidikan": (
        "pungutan sekolah, uang gedung, sumbangan sekolah, iuran sekolah, seragam, lks, buku lks, jual buku, "
        "ijazah, ijazah ditahan, spp, study tour, wisuda, perpisahan, beasiswa, program indonesia pintar, "
        "dana bos, paud, perundungan, bullying, putus sekolah, kepala sekolah, komite sekolah, madrasah, "
        "tuition"
    ),
    "Gizi, stunting dan penyakit menular": (
        "stunting, gizi buruk, kurang gizi, gizi, balita, tbc, tuberkulosis, hiv, aids, diare, muntaber, "
        "wabah, kejadian luar biasa, klb, campak, difteri, hepatitis, kusta, cacar, covid, chikungunya, "
        "leptospirosis, penyakit menular, malnutrition"
    ),
    "Aplikasi dan layanan daring pemerintah": (
        "aplikasi, website, situs web, web, server, error, eror, down, otp, kode otp, akun, lupa password, "
        "kata sandi, tidak bisa diakses, hoaks, hoax, berita bohong, cctv, call center, command center, app"
    ),
    "Keagamaan dan rumah ibadah": (
        "masjid, musala, mushola, gereja, klenteng, vihara, rumah ibadah, pengeras suara, toa, toa masjid, "
        "kantor urusan agama, kua kecamatan, penghulu, nikah di kua, haji, umroh, pondok pesantren, "
        "pesantren, ponpes, tpq, guru ngaji, ngaji, takmir, mosque, church"
    ),
    "Kesatuan bangsa, ormas dan pemilu": (
        "ormas, pemilu, pilkada, pileg, pilpres, politik uang, serangan fajar, money politic, kampanye, "
        "radikal, radikalisme, intoleransi, konflik sara, aliran sesat, demo, unjuk rasa, kpu, bawaslu, tps "
        "pemilu, politik, election"
    ),
    # --- eighth session: irrigation (PU, SDA) had no entry; the demo files it under drainage ---
    "Irigasi dan pengairan": (
        "irigasi, saluran irigasi, jaringan irigasi, pengairan, pengairan sawah, air irigasi, air sawah, "
        "pintu air, bendung, bendungan, dam jebol, pintu dam, embung, waduk, hippa, p3a, juru air, ulu ulu, "
        "jogotirto, giliran air, jatah air, saluran tersier, saluran sekunder, saluran primer, tanggul "
        "irigasi, sawah kering, sawah kekeringan, pembagian air, kebagian air, mengairi, air ke sawah, dam rusak, "
        "dam bocor, saluran sawah"
    ),
}
