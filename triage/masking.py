"""Personal data masked out of everything the public sees: the feed, the transparency
page, Open311 and open data. Staff with the right still read the original text.

    mask_personal_data("Hubungi 081234567890") == "Hubungi [nomor telepon]"

Caught: email addresses; NIK (16 digits, also in groups of four; never starts with 0);
mobile numbers (``08…``, ``+62 8…``, ``62 8…``, with spaces, dots or dashes, 9–13 digits
after the prefix); vehicle plates by their region code (``AG 1234 XY``; lower case only
with three or more digits, since "l 2 m" is a width). Left alone: RT/RW, house and
street numbers, years, dates, money amounts and other ordinary numbers.
"""

import re

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


def labels():
    return {
        "email": _("[alamat email]"),
        "nik": _("[NIK]"),
        "phone": _("[nomor telepon]"),
        "plate": _("[nomor kendaraan]"),
    }


def _digits(text):
    return sum(c.isdigit() for c in text)


def _plate(match, label):
    text = match.group(0)
    written_upper = match.group("region").isupper() and match.group("series").isupper()
    if written_upper or len(match.group("digits")) >= 3:
        return label
    return text


def mask_personal_data(text: str) -> str:
    if not text:
        return text
    names = labels()
    text = _EMAIL.sub(names["email"], text)
    text = _NIK.sub(lambda m: names["nik"] if _digits(m.group(0)) == 16 else m.group(0), text)
    text = _PHONE.sub(lambda m: names["phone"] if 10 <= _digits(m.group(0)) <= 15 else m.group(0), text)
    return _PLATE.sub(lambda m: _plate(m, names["plate"]), text)
