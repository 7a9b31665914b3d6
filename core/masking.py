"""Personal data masked out of everything the public sees (the feed, the transparency
page, Open311 and open data) and out of what agency staff read of an anonymous report.
Those with the right still read the original text.

    mask_personal_data("Hubungi 081234567890") == "Hubungi [nomor telepon]"
    mask_personal_data("Saya Budi Santoso, NIK ...") == "Saya [nama], NIK ..."

Caught: email addresses; NIK (16 digits, also in groups of four; never starts with 0);
mobile numbers (``08…``, ``+62 8…``, ``62 8…``, with spaces, dots or dashes, 9–13 digits
after the prefix); vehicle plates by their region code (``AG 1234 XY``; lower case only
with three or more digits, since "l 2 m" is a width); a person's name where the writer
introduces themselves ("nama saya …", "atas nama …", "a.n. …", or "saya" followed by a
capitalised name of two to four words and a comma, NIK, HP, warga, …); and any names
passed in (the reporter's own, wherever it appears). Left alone: RT/RW, house and street
numbers, years, dates, money amounts and other ordinary numbers, and capitalised words
that introduce no one ("Saya Mohon bantuan").
"""

import functools
import re

from django.utils import translation
from django.utils.translation import gettext as _

_PLATE_REGIONS = [
    "A",
    "B",
    "D",
    "E",
    "F",
    "G",
    "H",
    "K",
    "L",
    "M",
    "N",
    "P",
    "R",
    "S",
    "T",
    "W",
    "Z",
    "AA",
    "AB",
    "AD",
    "AE",
    "AG",
    "BA",
    "BB",
    "BD",
    "BE",
    "BG",
    "BH",
    "BK",
    "BL",
    "BM",
    "BN",
    "BP",
    "BR",
    "DA",
    "DB",
    "DD",
    "DE",
    "DG",
    "DH",
    "DK",
    "DL",
    "DM",
    "DN",
    "DR",
    "DS",
    "DT",
    "DW",
    "EA",
    "EB",
    "ED",
    "KB",
    "KH",
    "KT",
    "KU",
    "KZ",
    "PA",
    "PB",
    "PG",
]
# Words that follow a number and are not a plate's series letters.
_NOT_SERIES = [
    "RT",
    "RW",
    "NO",
    "DAN",
    "DI",
    "KE",
    "YG",
    "KM",
    "CM",
    "MM",
    "M",
    "KG",
    "JAM",
    "MNT",
    "DLL",
    "LT",
    "GG",
    "BLOK",
    "HARI",
    "THN",
    "TH",
    "RB",
    "JT",
]

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_NIK = re.compile(r"(?<![\d+])[1-9]\d{3}(?:[ .-]?\d{4}){3}(?![\d])")
_PHONE = re.compile(r"(?<![\w+])(?:\+62|62|0)[\s.-]?(?:\(0?\)\s?)?8\d(?:[\s.-]?\d){6,12}(?![\d])")
_REGION_ALTERNATIVES = "|".join(sorted(_PLATE_REGIONS, key=len, reverse=True))
_PLATE = re.compile(
    rf"\b(?P<region>{_REGION_ALTERNATIVES})\s?(?P<digits>\d{{1,4}})\s?"
    rf"(?!(?:{'|'.join(_NOT_SERIES)})\b)(?P<series>[A-Za-z]{{1,3}})\b",
    re.IGNORECASE,
)


_NAME_WORD = r"[A-Z][a-z'’.-]+"
# "nama saya Budi", "nama: Budi Santoso", "atas nama Siti Aminah", "a.n. Siti": the intro in
# any case, the name capitalised.
_NAMED = re.compile(
    r"(?P<intro>\b(?i:nama\s+saya(?:\s+adalah)?|saya\s+bernama|nama\s*:|atas\s+nama|a\.\s?n\.?)\s*)"
    rf"(?P<name>{_NAME_WORD}(?:\s+{_NAME_WORD}){{0,3}})"
)
# Capitalised words after "Saya" that start a sentence, not a name ("Saya Mohon Bantuan,").
_NOT_A_NAME = (
    "Mohon|Minta|Ingin|Mau|Sangat|Selaku|Sebagai|Warga|Ketua|Melaporkan|Lapor|Sudah|Belum|Juga|Hanya|"
    "Tidak|Sedang|Akan|Berharap|Harap|Kecewa|Bingung|Khawatir|Kira|Rasa|Lihat|Dengar"
)
# "Saya Budi Santoso, NIK …": a self-introduction, told by what follows the name.
_SELF_INTRODUCED = re.compile(
    rf"(?P<intro>\b[Ss]aya\s+)(?!(?:{_NOT_A_NAME})\b)(?P<name>{_NAME_WORD}(?:\s+{_NAME_WORD}){{1,3}})"
    r"(?=\s*(?:,|\(|$|\b(?:NIK|nik|HP|hp|No|no|nomor|warga|dari|tinggal|beralamat|alamat|umur|usia)\b))"
)


def labels():
    """The labels in the active language (translated once per language: a bulk import masks
    three texts per report)."""
    return _labels(translation.get_language())


@functools.lru_cache(maxsize=16)
def _labels(language):
    return {
        "email": _("[alamat email]"),
        "nik": _("[NIK]"),
        "phone": _("[nomor telepon]"),
        "plate": _("[nomor kendaraan]"),
        "name": _("[nama]"),
    }


def _digits(text):
    return sum(c.isdigit() for c in text)


def _plate(match, label):
    text = match.group(0)
    written_upper = match.group("region").isupper() and match.group("series").isupper()
    if written_upper or len(match.group("digits")) >= 3:
        return label
    return text


@functools.lru_cache(maxsize=2048)
def _name_pattern(name):
    """A name (its words separated by one space) as a whole-words, any-case pattern: compiled
    once per name, not on every call (a bulk import masks three texts per reporter)."""
    pattern = r"\s+".join(re.escape(part) for part in name.split())
    return re.compile(rf"(?<!\w){pattern}(?!\w)", re.IGNORECASE)


def _may_contain(text, name) -> bool:
    """False only when ``name`` surely does not occur in ``text`` (most texts do not name
    their reporter): its first word is not in the text in any case. Non-ASCII texts go to
    the pattern, whose case rules are Unicode's."""
    if not (text.isascii() and name.isascii()):
        return True
    return name.split(" ", 1)[0].lower() in text.lower()


def mask_personal_data(text: str, names=()) -> str:
    """``text`` with personal data replaced by a label; ``names`` (e.g. the reporter's) are
    masked wherever they appear, whole words, in any case."""
    if not text:
        return text
    found = labels()
    text = _EMAIL.sub(found["email"], text)
    text = _NIK.sub(lambda m: found["nik"] if _digits(m.group(0)) == 16 else m.group(0), text)
    text = _PHONE.sub(lambda m: found["phone"] if 10 <= _digits(m.group(0)) <= 15 else m.group(0), text)
    text = _PLATE.sub(lambda m: _plate(m, found["plate"]), text)
    for name in names:
        name = " ".join((name or "").split())
        if len(name) >= 3 and _may_contain(text, name):
            text = _name_pattern(name).sub(found["name"], text)
    text = _NAMED.sub(lambda m: m.group("intro") + found["name"], text)
    return _SELF_INTRODUCED.sub(lambda m: m.group("intro") + found["name"], text)
