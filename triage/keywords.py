"""Keyword rules: the cold start for a city without verified reports yet, and a blend
with the trained model afterwards.

``DEFAULT_KEYWORDS`` is a starting lexicon for a Blitar-like category tree, keyed by
category name; ``seed_triage_keywords`` copies it into KeywordRule rows, which the
administrator edits in the admin. A keyword matches at the start of a word of the
normalized text ("lubang" also matches "lubangnya", not "berlubang"), a phrase its words
in order.
"""

import re
from functools import lru_cache

from triage.normalize import normalize

DEFAULT_KEYWORDS = {
    "Jalan berlubang": "jalan rusak, berlubang, lubang, aspal, tambal, amblas, ambles, makadam, jalan hancur, "
    "jalan ancur, jalan retak, kerikil, jalan berlubang, perbaikan jalan, diaspal",
    "Penerangan jalan": "penerangan jalan, pengadaan penerangan, titik lampu, jalan gelap, gelap gulita, "
    "tiang lampu, penerangan, lampu jalan baru, pemasangan lampu",
    "Drainase dan saluran air": "saluran, got, selokan, gorong, drainase, tersumbat, mampet, irigasi, "
    "normalisasi, lumpur, sedimen, saluran air, meluber",
    "Trotoar": "trotoar, paving, pejalan kaki, guiding block, kanstin, ramp, kursi roda",
    "Taman kota": "taman, bangku taman, ayunan, taman bermain, rumput, air mancur, jogging track, rth, "
    "tanaman hias, fitness",
    "Tempat pemakaman umum (TPU)": "tpu, makam, pemakaman, kuburan, kubur, nisan, ziarah, jenazah",
    "Pasar": "pasar, los, kios, pedagang pasar, retribusi pasar, lapak, pasar tradisional, timbangan",
    "Lampu penerangan jalan umum (PJU)": "pju, lampu jalan, lampu mati, lampu padam, bohlam, lampu redup, "
    "kedip, lampu penerangan jalan umum, lampu jalan mati",
    "Parkir liar": "parkir, jukir, juru parkir, tukang parkir, karcis parkir, tarif parkir, parkir liar",
    "Rambu dan lampu lalu lintas": "rambu, lampu lalu lintas, traffic light, lampu merah, bangjo, apill, "
    "marka, zebra cross, polisi tidur, cermin cembung, batas kecepatan, lalu lintas, simpang",
    "Sampah liar": "buang sampah, membuang sampah, sampah liar, sampah sembarangan, pembuangan sampah, "
    "pelaku buang, sampah ke sungai, larangan buang",
    "Ketertiban umum": "pkl, pedagang kaki lima, pengamen, anak punk, mabuk, miras, balap liar, knalpot, "
    "judi, onar, gepeng, pengemis, bangunan liar, berisik, musik keras, nongkrong, resah, maksiat, premanisme",
    "Pemadaman kebakaran": "kebakaran, terbakar, api, damkar, pemadam, hidran, asap tebal, meledak, "
    "sarang tawon, evakuasi ular, ular, apar",
    "Reklame dan baliho liar": "baliho, reklame, spanduk, billboard, banner, poster, umbul, videotron, "
    "stiker iklan, papan iklan, iklan",
    "Banjir dan genangan": "banjir, genangan, tergenang, menggenang, kebanjiran, luapan, tanggul, "
    "air masuk rumah, setinggi lutut, selutut, surut, underpass",
    "Pengelolaan sampah": "tps, tpa, truk sampah, angkut sampah, diangkut, pengangkutan sampah, "
    "bank sampah, gerobak sampah, kontainer sampah, depo, iuran sampah, petugas sampah, tempat sampah",
    "Sanitasi": "limbah, septic tank, septik, mck, jamban, wc umum, tinja, ipal, pencemaran, tercemar, "
    "polusi, bau menyengat, bab",
    "Pohon tumbang dan perantingan pohon besar": "pohon, tumbang, dahan, ranting, perantingan, "
    "pangkas, dipangkas, tebang, akar, mahoni, beringin, angsana, bambu",
    "Jaringan internet dan wifi publik": "wifi, hotspot, internet gratis, internet publik, konek, "
    "sinyal, login, router, smart city, jaringan internet",
    "Tiang jaringan internet": "tiang internet, tiang provider, tiang jaringan, kabel fiber, fiber optik, "
    "kabel optik, kabel internet, provider, kabel semrawut, menjuntai, tiang telkom",
    "Layanan air minum (PDAM)": "pdam, air pdam, pipa, meteran air, tagihan air, air keruh, air mati, "
    "air tidak mengalir, sambungan baru, ledeng, kran, keran, air bersih, tandon",
    "KTP elektronik": "ktp, e ktp, ektp, ktp el, perekaman, rekam ktp, blangko, kia, kartu identitas, nik",
    "Kartu keluarga dan akta": "kartu keluarga, kk, akta, akte, kelahiran, kematian, pecah kk, "
    "surat pindah, catatan sipil, dukcapil, adminduk, perkawinan",
    "Pelayanan puskesmas": "puskesmas, pustu, posyandu, bidan, imunisasi, faskes, kis, dokter gigi",
    "Pelayanan rumah sakit": "rsud, rumah sakit, igd, rawat inap, poli, bangsal, perawat, pasien, "
    "spesialis, persalinan, rujukan, farmasi",
    "Demam berdarah dan fogging": "dbd, demam berdarah, fogging, nyamuk, jentik, abate, pengasapan, "
    "jumantik, aedes, psn",
    "Penerimaan murid baru (SPMB)": "spmb, ppdb, zonasi, pendaftaran sekolah, murid baru, siswa baru, "
    "jalur prestasi, afirmasi, daftar ulang, seleksi, kuota",
    "Sarana dan prasarana sekolah": "sekolah, kelas, ruang kelas, sd, smp, guru, siswa, plafon, "
    "lab sekolah, kantin sekolah, perpustakaan sekolah",
    "Bantuan sosial": "bansos, bantuan, bpnt, pkh, blt, dtks, kks, sembako, penerima bantuan, "
    "pencairan, tidak mampu, miskin, rtlh",
    "Orang terlantar dan ODGJ": "odgj, gangguan jiwa, orang gila, terlantar, gelandangan, tuna wisma, "
    "lansia, sebatang kara, dipasung, anak jalanan, disabilitas, panti",
    "Permohonan informasi publik": "informasi, mohon data, minta data, permohonan informasi, salinan, "
    "dokumen, anggaran, realisasi, apbd, rekap, daftar, rincian, penelitian",
}


@lru_cache(maxsize=2048)
def parse(keywords: str) -> tuple[str, ...]:
    """The keywords of one rule: comma or line separated, normalized, no blanks."""
    parts = re.split(r"[,\n;]", keywords or "")
    return tuple(n for n in (normalize(p) for p in parts) if n)


def matches(normalized_text: str, keywords) -> int:
    """How many of ``keywords`` occur in the (already normalized) text. Normalized text is
    words joined by single spaces, so " " + keyword found in " " + text is a match at the
    start of a word."""
    text = " " + normalized_text
    return sum(1 for keyword in keywords if " " + keyword in text)


def scores(text: str, rules: dict) -> dict:
    """{label: share of keyword matches} for ``rules`` ({label: [keywords]}); {} if none match."""
    normalized = normalize(text)
    counts = {label: matches(normalized, keywords) for label, keywords in rules.items()}
    total = sum(counts.values())
    return {label: count / total for label, count in counts.items() if count} if total else {}


def _key(name):
    return normalize(name)


def rules_for_labels(labels, lexicon=None) -> dict:
    """The built-in lexicon keyed by the given free-string category labels: a label takes a
    lexicon entry whose name it equals or ends with ("Perhubungan › Parkir liar" takes
    "Parkir liar"), compared after normalization. Labels with no entry get no rule."""
    lexicon = DEFAULT_KEYWORDS if lexicon is None else lexicon
    names = {_key(name): words for name, words in lexicon.items()}
    rules = {}
    for label in labels:
        key = _key(str(label))
        for name, words in names.items():
            if key == name or key.endswith(" " + name):
                rules[label] = parse(words)
                break
    return rules
