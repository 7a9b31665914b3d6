"""Keyword rules: the cold start for a city without verified reports yet, and a blend
with the trained model afterwards.

``DEFAULT_KEYWORDS`` is a starting lexicon for a Blitar-like category tree, keyed by
category name; ``seed_triage_keywords`` copies it into KeywordRule rows, which the
administrator edits in the admin. ``CONCEPT_KEYWORDS`` adds to it the affairs of a
regional government that tree has no category for (``triage/domains.py``: agriculture,
livestock, labour, taxes, licensing, disasters, …): concepts for the classifier and
entries to borrow, never seeded. A keyword matches at the start of a word of the
normalized text ("lubang" also matches "lubangnya", not "berlubang"), a phrase its words
in order. (The classifier's concept tags also match the text's roots: features.feature_text.)

Whatever the category tree is called, each category also gets terms from its own name
(``name_terms``: the name, an abbreviation in brackets, and the name's words no other
category's name shares), and borrows the built-in lexicon entry its name resembles most
(``borrowed_entry``: the entry's name words and keywords against the category's name, a
word that many entries share counting less). So a city whose tree says "Lampu jalan mati"
instead of "Lampu penerangan jalan umum (PJU)" still starts with the PJU words.
"""

import math
import re
from functools import lru_cache

from triage.domains import DOMAIN_KEYWORDS
from triage.normalize import normalize, stemmed

DEFAULT_KEYWORDS = {
    "Jalan berlubang": "jalan rusak, berlubang, lubang, aspal, tambal, amblas, ambles, makadam, jalan hancur, "
    "jalan ancur, jalan retak, kerikil, jalan berlubang, perbaikan jalan, diaspal, "
    "kubangan, mengelupas, jeglongan, terperosok, bergelombang, retak, pecah pecah, tambal sulam, "
    "pengaspalan, aspal rusak, lubang jalan, ban pecah, ban bocor",
    "Penerangan jalan": "penerangan jalan, pengadaan penerangan, titik lampu, jalan gelap, gelap gulita, "
    "tiang lampu, penerangan, lampu jalan baru, pemasangan lampu, "
    "belum ada lampu, tidak ada lampu, pengadaan lampu, lampu baru, titik lampu baru, minim penerangan, "
    "kurang penerangan, sarana penerangan",
    "Drainase dan saluran air": "saluran, got, selokan, gorong, drainase, tersumbat, mampet, irigasi, "
    "normalisasi, lumpur, sedimen, saluran air, meluber, "
    "gorong gorong, endapan, parit, kalen, buntu, pengerukan, dikeruk, keruk, saluran mampet",
    "Trotoar": "trotoar, paving, pejalan kaki, guiding block, kanstin, ramp, kursi roda, "
    "jalur pejalan kaki, pedestrian, ubin, trotoar rusak, paving rusak, tempat pejalan kaki",
    "Taman kota": "taman, bangku taman, ayunan, taman bermain, rumput, air mancur, jogging track, rth, "
    "tanaman hias, fitness, "
    "perosotan, jungkat jungkit, taman kota, ruang terbuka hijau, lampu taman, alun alun",
    "Tempat pemakaman umum (TPU)": "tpu, makam, pemakaman, kuburan, kubur, nisan, ziarah, jenazah, "
    "liang lahat, lahan makam, makam penuh, penggali kubur, juru kunci, dimakamkan",
    "Pasar": "pasar, los, kios, pedagang pasar, retribusi pasar, lapak, pasar tradisional, timbangan, "
    "pasar rakyat, los pasar, atap pasar, pasar becek, revitalisasi pasar, pedagang",
    "Lampu penerangan jalan umum (PJU)": "pju, lampu jalan, lampu mati, lampu padam, bohlam, lampu redup, "
    "kedip, lampu penerangan jalan umum, lampu jalan mati, "
    "lampu jalan padam, lampu jalan rusak, lampu berkedip, lampu penerangan jalan mati",
    "Parkir liar": "parkir, jukir, juru parkir, tukang parkir, karcis parkir, tarif parkir, parkir liar, "
    "pungli parkir, peluit, parkir sembarangan, parkir di trotoar, tanpa karcis",
    "Rambu dan lampu lalu lintas": "rambu, lampu lalu lintas, traffic light, lampu merah, bangjo, apill, "
    "marka, zebra cross, polisi tidur, cermin cembung, batas kecepatan, lalu lintas, simpang, "
    "perempatan, pertigaan, bundaran, lampu kuning, penunjuk arah, rambu rusak, marka jalan, persimpangan",
    "Sampah liar": "buang sampah, membuang sampah, sampah liar, sampah sembarangan, pembuangan sampah, "
    "pelaku buang, sampah ke sungai, larangan buang, "
    "buang sampah sembarangan, tumpukan sampah, lahan kosong, kresek, dibuang ke sungai, membuang sampah, "
    "sampah ditumpuk, ditumpuk, karungan, buang sampah karungan, kantong sampah",
    "Ketertiban umum": "pkl, pedagang kaki lima, pengamen, anak punk, mabuk, miras, balap liar, knalpot, "
    "judi, onar, gepeng, pengemis, bangunan liar, berisik, musik keras, nongkrong, resah, maksiat, premanisme, "
    "pos kamling, minuman keras, tawuran, preman, keributan, berjudi, prostitusi, karaoke, kebut kebutan, penertiban, "
    "sabung ayam, taruhan, mesum, asusila, hiburan malam, gangster, senjata tajam, konvoi, sound horeg, horeg, "
    "sound system, speaker, layangan, layang layang",
    "Pemadaman kebakaran": "kebakaran, terbakar, api, damkar, pemadam, hidran, asap tebal, meledak, "
    "sarang tawon, evakuasi ular, ular, apar, "
    "pemadam kebakaran, mobil pemadam, si jago merah, hangus, korsleting, kobaran, asap hitam",
    "Reklame dan baliho liar": "baliho, reklame, spanduk, billboard, banner, poster, umbul, videotron, "
    "stiker iklan, papan iklan, iklan, "
    "alat peraga, stiker, pamflet, selebaran, dipaku, iklan sedot wc, baliho calon",
    "Banjir dan genangan": "banjir, genangan, tergenang, menggenang, kebanjiran, luapan, tanggul, "
    "air masuk rumah, setinggi lutut, selutut, surut, underpass, "
    "banjir bandang, air bah, rob, sungai meluap, kali meluap, pompa air, mengungsi, pengungsi, "
    "setinggi paha, sepinggang, tenggelam, tidak surut, air masuk, sebetis, betis",
    "Pengelolaan sampah": "tps, tpa, truk sampah, angkut sampah, diangkut, pengangkutan sampah, "
    "bank sampah, gerobak sampah, kontainer sampah, depo, iuran sampah, petugas sampah, tempat sampah, "
    "bak sampah, tong sampah, sampah tidak diangkut, belum diangkut, petugas kebersihan, dinas kebersihan, "
    "retribusi sampah, pengangkut sampah",
    "Sanitasi": "limbah, septic tank, septik, mck, jamban, wc umum, tinja, ipal, pencemaran, tercemar, "
    "polusi, bau menyengat, bab, "
    "air limbah, limbah pabrik, sumur tercemar, ikan mati, sedot wc, toilet umum, septic tank",
    "Pohon tumbang dan perantingan pohon besar": "pohon, tumbang, dahan, ranting, perantingan, "
    "pangkas, dipangkas, tebang, akar, mahoni, beringin, angsana, bambu, "
    "pohon tumbang, pohon roboh, dahan patah, ranting patah, pohon lapuk, pohon tua, trembesi, asem, randu",
    "Jaringan internet dan wifi publik": "wifi, hotspot, internet gratis, internet publik, konek, "
    "sinyal, login, router, smart city, jaringan internet, "
    "wifi gratis, wifi publik, koneksi, loading, lemot, jaringan lambat, internet",
    "Tiang jaringan internet": "tiang internet, tiang provider, tiang jaringan, kabel fiber, fiber optik, "
    "kabel optik, kabel internet, provider, kabel semrawut, menjuntai, tiang telkom, "
    "kabel menjuntai, kabel putus, kabel melintang, tiang miring, tiang doyong, penataan kabel, kabel provider",
    "Layanan air minum (PDAM)": "pdam, air pdam, pipa, meteran air, tagihan air, air keruh, air mati, "
    "air tidak mengalir, sambungan baru, ledeng, kran, keran, air bersih, tandon, "
    "air tidak keluar, keran kering, pasokan air, air macet, tagihan pdam, pipa bocor, pipa pecah, kaporit, "
    "rekening air, tagihan rekening",
    "KTP elektronik": "ktp, e ktp, ektp, ktp el, perekaman, rekam ktp, blangko, kia, kartu identitas, nik, "
    "ktp hilang, ktp rusak, cetak ktp, rekam data, ktp belum jadi, kartu tanda penduduk",
    "Kartu keluarga dan akta": "kartu keluarga, kk, akta, akte, kelahiran, kematian, pecah kk, "
    "surat pindah, catatan sipil, dukcapil, adminduk, perkawinan, "
    "akta kelahiran, akta kematian, pindah domisili, akta nikah, kk baru, "
    "kependudukan, administrasi kependudukan, pencatatan sipil, capil, disdukcapil, pindah datang, "
    "salah nama, beda nama, perbaikan data, perubahan data, nik tidak terdaftar, nik tidak aktif, nik ganda",
    "Pelayanan puskesmas": "puskesmas, pustu, posyandu, bidan, imunisasi, faskes, kis, dokter gigi, "
    "puskesmas pembantu, antrean, loket, dokter puskesmas, posbindu, pelayanan kesehatan",
    "Pelayanan rumah sakit": "rsud, rumah sakit, igd, rawat inap, poli, bangsal, perawat, pasien, "
    "spesialis, persalinan, rujukan, farmasi, "
    "rumah sakit daerah, kamar penuh, rawat jalan, ambulans, apotek, operasi",
    "Demam berdarah dan fogging": "dbd, demam berdarah, fogging, nyamuk, jentik, abate, pengasapan, "
    "jumantik, aedes, psn, "
    "trombosit, kasus dbd, pemberantasan sarang nyamuk, sarang nyamuk",
    "Penerimaan murid baru (SPMB)": "spmb, ppdb, zonasi, pendaftaran sekolah, murid baru, siswa baru, "
    "jalur prestasi, afirmasi, daftar ulang, seleksi, kuota, "
    "jalur zonasi, pendaftaran siswa, penerimaan siswa, daftar sekolah, sistem pendaftaran",
    "Sarana dan prasarana sekolah": "sekolah, kelas, ruang kelas, sd, smp, guru, siswa, plafon, "
    "lab sekolah, kantin sekolah, perpustakaan sekolah, "
    "ruang kelas rusak, atap sekolah, meja kursi, bangku sekolah, toilet sekolah, gedung sekolah, rehab sekolah",
    "Bantuan sosial": "bansos, bantuan, bpnt, pkh, blt, dtks, kks, sembako, penerima bantuan, "
    "pencairan, tidak mampu, miskin, rtlh, "
    "bantuan langsung tunai, kip, tidak tepat sasaran, salah sasaran, penerima manfaat",
    "Orang terlantar dan ODGJ": "odgj, gangguan jiwa, orang gila, terlantar, gelandangan, tuna wisma, "
    "lansia, sebatang kara, dipasung, anak jalanan, disabilitas, panti, "
    "orang dengan gangguan jiwa, mengemis, anak terlantar, tidur di emperan, telanjang, tidak berbusana, "
    "tidak terurus, tidur di halte, mengamuk, ngamuk, teriak teriak, terganggu jiwanya, hidup sendirian",
    "Permohonan informasi publik": "informasi, mohon data, minta data, permohonan informasi, salinan, "
    "dokumen, anggaran, realisasi, apbd, rekap, daftar, rincian, penelitian, "
    "keterbukaan informasi, ppid, data publik, minta salinan, skripsi",
}

# Every concept the triage knows: the demo city's entries (first, so their concept tags
# keep their numbers) and the affairs of a regional government they do not cover
# (triage/domains.py). The classifier's concept tags and ``borrowed_entry`` read these;
# the demo's seed (``seed_triage_keywords``) reads ``DEFAULT_KEYWORDS`` alone.
CONCEPT_KEYWORDS = {**DEFAULT_KEYWORDS, **{k: v for k, v in DOMAIN_KEYWORDS.items() if k not in DEFAULT_KEYWORDS}}

# The affairs of government the lexicon's entries belong to, as a city's coarse tree of
# ~18 categories groups them (one service, one agency: UU 23/2014's urusan). A category
# that borrows one entry of an affair also takes the affair's entries no category of its
# tree borrows (``affair_siblings``): "Layanan Kesehatan dan Puskesmas" of such a tree is
# where DBD and stunting go; where the tree has a "Demam Berdarah" category, that one
# keeps them. Entries of affairs a tree often splits between agencies (trade and
# licensing, jobs) are in none.
AFFAIRS = (
    ("Penerangan jalan", "Lampu penerangan jalan umum (PJU)"),
    ("Jalan berlubang", "Trotoar", "Jembatan"),
    ("Drainase dan saluran air", "Banjir dan genangan"),
    ("Sampah liar", "Pengelolaan sampah"),
    ("Sanitasi", "Pencemaran udara dan kebisingan"),
    ("Taman kota", "Pohon tumbang dan perantingan pohon besar"),
    ("Parkir liar", "Rambu dan lampu lalu lintas", "Angkutan umum dan terminal"),
    ("Ketertiban umum", "Reklame dan baliho liar"),
    ("Narkoba", "Keamanan, pencurian dan kriminalitas"),
    ("Bencana alam", "Pemadaman kebakaran"),
    ("Pasar", "Perdagangan, elpiji dan BBM", "Ketahanan pangan"),
    ("KTP elektronik", "Kartu keluarga dan akta"),
    (
        "Pelayanan puskesmas",
        "Pelayanan rumah sakit",
        "Demam berdarah dan fogging",
        "Gizi, stunting dan penyakit menular",
        "BPJS dan JKN",
    ),
    ("Penerimaan murid baru (SPMB)", "Sarana dan prasarana sekolah", "Biaya dan layanan pendidikan"),
    ("Bantuan sosial", "Orang terlantar dan ODGJ"),
    (
        "Pertanian dan tanaman pangan",
        "Peternakan dan hewan ternak",
        "Irigasi dan pengairan",
        "Perikanan dan kelautan",
        "Kehutanan",
    ),
    ("Izin bangunan dan tata ruang", "Perumahan dan permukiman kumuh"),
    ("Kepegawaian, ASN dan honorer", "Pungutan liar dan pelayanan aparat", "Pemerintahan desa dan dana desa"),
    ("Jaringan internet dan wifi publik", "Tiang jaringan internet", "Aplikasi dan layanan daring pemerintah"),
    ("Pariwisata", "Kebudayaan dan cagar budaya", "Kepemudaan dan olahraga"),
    ("Perlindungan perempuan dan anak", "Keluarga berencana (KB)"),
)


@lru_cache(maxsize=2048)
def parse(keywords: str) -> tuple[str, ...]:
    """The keywords of one rule: comma or line separated, normalized, no blanks."""
    parts = re.split(r"[,\n;]", keywords or "")
    return tuple(n for n in (normalize(p) for p in parts) if n)


# A keyword of at most this many letters ("rob", "got", "nik", "bab", "sd", "api") matches a
# whole word only, or the word with an ending of ``SHORT_ENDINGS`` ("sdn", "apinya"): at the
# start of a word it matched "roboh", "gotong", "nikah", "babi", "sdri", "apik", so a tree
# that fell ("pohon roboh") was tagged a tidal flood. 0: every keyword matches at the start
# of a word. Issue 18, ninth session, on top of its lexicon lines (top-1 / top-3):
# validasi3 named 0.838 / 0.952 → 0.836 / 0.955, renamed 0.750 → 0.758 / 0.934 =;
# validasi4 named 0.736 / 0.908 → 0.753 / 0.914, renamed 0.686 / 0.878 → 0.683 / 0.881.
SHORT_KEYWORD = 3
SHORT_ENDINGS = (" ", "n ", "nya ", "ne ", "e ")


def matches(normalized_text: str, keywords) -> int:
    """How many of ``keywords`` occur in the (already normalized) text. Normalized text is
    words joined by single spaces, so " " + keyword found in " " + text is a match at the
    start of a word; a short keyword (``SHORT_KEYWORD``) must end the word or be followed
    by one of ``SHORT_ENDINGS``."""
    text = " " + normalized_text + " "
    count = 0
    for keyword in keywords:
        if len(keyword) > SHORT_KEYWORD:
            count += " " + keyword in text
        else:
            count += any(" " + keyword + ending in text for ending in SHORT_ENDINGS)
    return count


def scores(text: str, rules: dict) -> dict:
    """{label: share of keyword matches} for ``rules`` ({label: [keywords]}); {} if none match."""
    # Compared as written (normalized), not as roots: on the project's data matching roots
    # too made no gain (466 reports, 5-fold: 0.914 against 0.916 top-1) and roots such as
    # "terang" of "penerangan" match more than the keyword meant.
    normalized = normalize(text)
    counts = {label: matches(normalized, keywords) for label, keywords in rules.items()}
    total = sum(counts.values())
    return {label: count / total for label, count in counts.items() if count} if total else {}


def _key(name):
    return normalize(name)


# Words of a category name that say nothing about which category it is.
_NAME_STOPWORDS = """dan atau yang di ke dari untuk dengan serta umum pelayanan layanan publik kota lain
lainnya lain-lain masalah pengaduan permohonan urusan bidang tidak belum sudah ada bukan"""
NAME_STOPWORDS = frozenset(_NAME_STOPWORDS.split())
# Words of managing and governing, which name no affair: "Tata Kelola Desa" is the village
# government, not spatial planning ("tata ruang"); "Pengelolaan Keuangan Desa" not waste
# ("Pengelolaan sampah").
_GOVERNING = re.compile(r"\btata (?:kelola|laksana)\b|\b(?:pengelolaan|kelola|pengelola)\b")


def name_roots(name: str) -> set:
    """The roots of a category or lexicon entry name's words that say which affair it is."""
    name = _GOVERNING.sub(" ", normalize(_BRACKETS.sub(" ", name)))
    return set(stemmed(name).split()) - NAME_STOPWORDS


# Words of an address, which most reports carry ("Jl. Mawar", "RT 3"): never a keyword
# alone, though they still help find the lexicon entry a name resembles.
ADDRESS_WORDS = frozenset({"jalan", "gang", "kelurahan", "kecamatan", "desa", "dusun", "kampung", "perumahan"})
ADDRESS_WORDS |= {"depan", "dekat", "warga"}
_BRACKETS = re.compile(r"\(([^)]*)\)")


def leaf_name(label) -> str:
    """The category's own name: the part after the last "›" of "Parent › Child"."""
    return re.split(r"[›>/]", str(label))[-1].strip()


# What joins the topics of a category named for several ("Pohon & Taman Kota", "Bansos
# (PKH, BPNT, PBI)", "Sekolah/Madrasah").
_PARTS = re.compile(r"\s*(?:[&,;/+]|\bdan\b|\bserta\b|\batau\b)\s*", re.IGNORECASE)


def name_parts(name: str) -> tuple[str, ...]:
    """The topics a category's name joins: the pieces between "&", ",", "/", "dan",
    "serta", "atau", outside and inside brackets ("Pohon & Taman Kota" → "Pohon",
    "Taman Kota"; "Adminduk (KTP-el, KK, Akta)" → "Adminduk", "KTP-el", "KK", "Akta");
    a name of one topic gives just itself, a bracketed abbreviation of it included
    ("Lampu Penerangan Jalan (PJU)")."""
    outside = [p.strip() for p in _PARTS.split(_BRACKETS.sub(" ", name)) if p.strip()]
    inside = [[p.strip() for p in _PARTS.split(part) if p.strip()] for part in _BRACKETS.findall(name)]
    if len(outside) <= 1 and all(len(pieces) <= 1 for pieces in inside):
        return (name.strip(),)
    return tuple(dict.fromkeys(outside + [p for pieces in inside for p in pieces]))


def name_terms(name: str, shared=frozenset()) -> tuple[str, ...]:
    """Keywords from a category's name: the whole name, the words in brackets ("(PJU)"),
    each topic the name joins (``name_parts``: "KK" of "(KTP-el, KK, Akta)", "rumah
    sakit" of "Puskesmas & Rumah Sakit"), and each word of the name that is not a stop
    word or an address word, at least 3 letters long and not in ``shared`` (the words
    several categories' names use: "jalan", "lampu")."""
    generic = generic_words()
    terms = [normalize(_BRACKETS.sub(" ", name))]
    terms += [normalize(inside) for inside in _BRACKETS.findall(name)]
    parts = name_parts(name)
    if len(parts) > 1:
        terms += [
            normalize(part)
            for part in parts
            if normalize(part) not in NAME_STOPWORDS | ADDRESS_WORDS and stemmed(normalize(part)) not in generic
        ]
    for word in normalize(_BRACKETS.sub(" ", name)).split():
        if (
            len(word) >= 3
            and word not in NAME_STOPWORDS | ADDRESS_WORDS
            and stemmed(word) not in shared
            and stemmed(word) not in generic
        ):
            terms.append(word)
    return tuple(dict.fromkeys(t for t in terms if t))


# A word of the built-in lexicon's entries (their names, keywords or keyword phrases) in
# at least this many of them says too little to be a keyword alone ("air": drainage,
# floods, drinking water, sanitation, parks).
GENERIC_ENTRIES = 4


def generic_words() -> frozenset:
    """The roots found in at least GENERIC_ENTRIES entries of CONCEPT_KEYWORDS."""
    if not GENERIC_ENTRIES:
        return frozenset()
    return _generic_words(GENERIC_ENTRIES)


@lru_cache(maxsize=4)
def _generic_words(minimum) -> frozenset:
    seen = {}
    for _name, named, whole, part in _entry_words(tuple(CONCEPT_KEYWORDS.items())):
        for root in named | whole | part:
            seen[root] = seen.get(root, 0) + 1
    return frozenset(root for root, count in seen.items() if count >= minimum)


def shared_name_words(names) -> frozenset:
    """The roots of words that occur in more than one of ``names``."""
    seen = {}
    for name in names:
        for word in set(stemmed(normalize(name)).split()):
            seen[word] = seen.get(word, 0) + 1
    return frozenset(word for word, count in seen.items() if count > 1)


@lru_cache(maxsize=8)
def _entry_words(lexicon_items: tuple) -> tuple:
    """Per lexicon entry: (name, the roots of its name's words, of its one-word keywords,
    of the words of its phrases)."""
    rows = []
    for name, words in lexicon_items:
        roots = name_roots(name)
        roots |= {normalize(inside) for inside in _BRACKETS.findall(name)}
        keywords = parse(words)
        whole = {stemmed(k) for k in keywords if " " not in k}
        part = set(stemmed(" ".join(k for k in keywords if " " in k)).split()) - whole
        rows.append((name, roots, whole, part))
    return tuple(rows)


def borrowed_entry(name: str, lexicon=None):
    """The name of the built-in lexicon entry (``CONCEPT_KEYWORDS`` unless ``lexicon``
    says) that ``name`` resembles most, or None: each
    root of ``name`` found among an entry's name words counts 2, as one of its one-word
    keywords 1, as a word of one of its phrases ½ ("bersih" of "air bersih" says little),
    each divided by log(1 + how many entries have that root), so "jalan" (in many entries)
    counts less than "parkir"."""
    lexicon = CONCEPT_KEYWORDS if lexicon is None else lexicon
    key = _key(name)
    for entry in lexicon:
        entry_key = _key(entry)
        if key == entry_key or key.endswith(" " + entry_key):
            return entry
    entries = _entry_words(tuple(lexicon.items()))
    roots = name_roots(name)
    roots |= {normalize(inside) for inside in _BRACKETS.findall(name)}
    best, best_score = None, 0.0
    for entry, named, whole, part in entries:
        score = 0.0
        for root in roots:
            spread = sum(1 for _e, n, w, p in entries if root in n or root in w or root in p)
            weight = 1 / math.log(1 + spread) if spread else 0.0
            score += weight * (2 * (root in named) + (root in whole) + 0.5 * (root in part))
        if score > best_score:
            best, best_score = entry, score
    # One word found only inside another entry's phrase is too little to borrow on.
    return best if best_score >= 1.0 else None


# Whether a name of several topics also borrows each topic's entry (``borrowed_entries``).
BORROW_PARTS = True


def borrowed_entries(name: str, lexicon=None) -> tuple:
    """The lexicon entries a category named ``name`` borrows: the one the whole name
    resembles most (``borrowed_entry``) and, unless the name is an entry's own, the one
    each topic it joins resembles (``name_parts``, inside brackets too: "Jalan dan
    jembatan": the road entry and the bridge entry; "Pohon & Taman Kota": the fallen-trees
    and the parks entries; the lexicon has one entry per affair, a city's category may
    hold two)."""
    lexicon = CONCEPT_KEYWORDS if lexicon is None else lexicon
    whole = borrowed_entry(name, lexicon)
    if whole is not None and _key(name) == _key(whole):
        return (whole,)
    found = [whole] if whole else []
    parts = name_parts(name)
    if BORROW_PARTS and len(parts) > 1:
        found += [borrowed_entry(part, lexicon) for part in parts]
    return tuple(dict.fromkeys(entry for entry in found if entry))


def rules_for_categories(categories: dict, lexicon=None) -> dict:
    """{label: keywords} for ``categories`` ({label: (name, administrator's keywords or
    "")}): the administrator's keywords, the name's own terms, and the lexicon entries the
    name resembles (``borrowed_entries``; only when the administrator wrote none)."""
    lexicon = CONCEPT_KEYWORDS if lexicon is None else lexicon
    shared = shared_name_words(leaf_name(name) for name, _words in categories.values())
    borrowed = {label: borrowed_entries(leaf_name(name), lexicon) for label, (name, _words) in categories.items()}
    siblings = affair_siblings(borrowed, lexicon)
    rules = {}
    for label, (name, words) in categories.items():
        terms = list(parse(words)) if words else []
        if not words:
            for entry in borrowed[label] + siblings[label]:
                terms += parse(lexicon[entry])
        terms += name_terms(leaf_name(name), shared)
        rules[label] = tuple(dict.fromkeys(terms))
    return rules


# Whether a category also takes its affair's entries no other category borrows (AFFAIRS).
AFFAIR_SIBLINGS = True


def affair_siblings(borrowed: dict, lexicon=None) -> dict:
    """{label: the entries of ``AFFAIRS`` that share an affair with an entry the label
    borrows (``borrowed``: {label: entries}) and that no label borrows}. Where several
    labels borrow from one affair, those that borrow its first entry (its core: the
    puskesmas of health, not BPJS, which "Bansos dan Jaminan Kesehatan" borrows) take
    them; where none does, all of them."""
    lexicon = CONCEPT_KEYWORDS if lexicon is None else lexicon
    claimed = {entry for entries in borrowed.values() for entry in entries}
    siblings = {label: [] for label in borrowed}
    for affair in AFFAIRS if AFFAIR_SIBLINGS else ():
        left = [entry for entry in affair if entry not in claimed and entry in lexicon]
        takers = [label for label, entries in borrowed.items() if set(entries) & set(affair)]
        core = [label for label in takers if affair[0] in borrowed[label]]
        for label in core or takers if left else ():
            siblings[label] += left
    return {label: tuple(dict.fromkeys(found)) for label, found in siblings.items()}


def rules_for_labels(labels, lexicon=None) -> dict:
    """Rules for free-string category labels (the evaluation command): each label's name
    terms and the built-in lexicon entry its name resembles (``rules_for_categories``)."""
    return rules_for_categories({label: (str(label), "") for label in labels}, lexicon)
