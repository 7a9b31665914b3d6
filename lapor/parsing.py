"""Turn one row of the export (column -> cell) into checked values, or a rejection reason.

Dates look like ``3 Jan 2026`` (English or Indonesian month names, short or long); spreadsheet
date cells, ``2026-01-03`` and ``03/01/2026`` (day first) are accepted too. Times look like
``14:05`` or ``14.05.33``, optionally followed by one of Indonesia's three zones: WIB
(UTC+7), WITA (UTC+8), WIT (UTC+9). A time without a zone is local time (TIME_ZONE).

The small readers of single columns (``received_at_of``, ``kind_of``, ``privacy_of``,
``rating_of``, ``description_of``) are shared with the exporter, which keeps LAPOR!'s own
wording of a column while it still means what the report is in Aduan.
"""

import datetime as dt
import re
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import gettext as _

from lapor import columns as c
from reports.models import Kind

MONTHS = {
    "jan": 1, "januari": 1, "january": 1,
    "feb": 2, "februari": 2, "february": 2, "peb": 2, "pebruari": 2,
    "mar": 3, "maret": 3, "march": 3,
    "apr": 4, "april": 4,
    "mei": 5, "may": 5,
    "jun": 6, "juni": 6, "june": 6,
    "jul": 7, "juli": 7, "july": 7,
    "agu": 8, "agt": 8, "ags": 8, "agustus": 8, "aug": 8, "august": 8,
    "sep": 9, "sept": 9, "september": 9,
    "okt": 10, "oktober": 10, "oct": 10, "october": 10,
    "nov": 11, "nopember": 11, "november": 11,
    "des": 12, "desember": 12, "dec": 12, "december": 12,
}  # fmt: skip
EXPORT_MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

_WORDY = re.compile(r"^(\d{1,2})[\s\-]+([A-Za-z]+)\.?[\s\-]+(\d{4})$")
_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T].*)?$")
_DMY = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})$")
_TIME = re.compile(r"^(\d{1,2})[:.](\d{2})(?:[:.](\d{2}))?(?:\s*(WIB|WITA|WIT))?$", re.IGNORECASE)
# Indonesia's time zones as LAPOR! writes them after a time (no daylight saving).
ZONES = {
    "WIB": dt.timezone(dt.timedelta(hours=7), "WIB"),
    "WITA": dt.timezone(dt.timedelta(hours=8), "WITA"),
    "WIT": dt.timezone(dt.timedelta(hours=9), "WIT"),
}
TITLE_MAX = 200  # Report.title
NAME_MAX = 120  # Report.reporter_name
TRACKING_ID = re.compile(r"^\d{1,20}$")

KINDS = {
    "pengaduan": Kind.COMPLAINT,
    "aspirasi": Kind.ASPIRATION,
    "permintaan informasi": Kind.INFORMATION_REQUEST,
}


class RowRejected(Exception):
    def __init__(self, reason):
        self.reason = reason
        super().__init__(str(reason))


@dataclass
class ParsedRow:
    row_number: int
    tracking_id: str
    received_at: dt.datetime
    kind: str
    title: str
    description: str
    is_anonymous: bool
    is_confidential: bool
    reporter_name: str
    status_value: str
    category_key: str
    category_id: str
    category_name: str
    agency_key: str
    agency_id: str
    agency_name: str
    kecamatan: str
    kelurahan: str
    rating: int | None
    raw: dict  # every column as text, as stored on LaporRecord.row_data
    warnings: list = field(default_factory=list)


def parse_date(value) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = " ".join(str(value or "").split())
    if match := _WORDY.match(text):
        day, month_name, year = match.groups()
        month = MONTHS.get(month_name.casefold())
        if month:
            return dt.date(int(year), month, int(day))
    elif match := _ISO.match(text):
        year, month, day = match.groups()
        return dt.date(int(year), int(month), int(day))
    elif match := _DMY.match(text):
        day, month, year = match.groups()
        return dt.date(int(year), int(month), int(day))
    raise ValueError(text)


def parse_time(value) -> tuple[dt.time | None, str]:
    """(time of day, zone name: "" for local time, else "WIB", "WITA" or "WIT")."""
    if isinstance(value, dt.datetime):
        return value.time(), ""
    if isinstance(value, dt.time):
        return value, ""
    text = str(value or "").strip()
    if not text:
        return None, ""
    if match := _TIME.match(text):
        hour, minute, second, zone = match.groups()
        return dt.time(int(hour), int(minute), int(second or 0)), (zone or "").upper()
    raise ValueError(text)


def moment(day: dt.date, at: dt.time | None, zone: str = "") -> dt.datetime:
    """The instant a LAPOR! date, time and zone name: midnight without a time, local
    time (TIME_ZONE) without a zone."""
    naive = dt.datetime.combine(day, at or dt.time(0, 0))
    if zone:
        return naive.replace(tzinfo=ZONES[zone])
    return timezone.make_aware(naive)


def received_at_of(date_value, time_value) -> dt.datetime:
    """The instant the Tanggal/Waktu Laporan Masuk cells name; ValueError if unreadable."""
    at, zone = parse_time(time_value)
    return moment(parse_date(date_value), at, zone)


def format_date(value: dt.date) -> str:
    """The national file's own style: ``3 Jan 2026``."""
    return f"{value.day} {EXPORT_MONTHS[value.month - 1]} {value.year}"


def format_time(value: dt.time, zone: str = "") -> str:
    """``14:05:33``, with the zone's name when it is given (``00:30:00 WITA``)."""
    return f"{value:%H:%M:%S} {zone}" if zone else f"{value:%H:%M:%S}"


def kind_of(value) -> tuple[str, bool]:
    """(the report kind a Klasifikasi Laporan names, whether it was recognised); an
    unknown classification counts as a complaint."""
    kind = KINDS.get(" ".join(str(value or "").split()).casefold())
    return (kind, True) if kind is not None else (Kind.COMPLAINT, False)


def privacy_of(value) -> tuple[bool, bool]:
    """(anonymous, confidential) from the Tipe Laporan (Anonim/Rahasia) cell."""
    words = str(value or "").casefold()
    return "anonim" in words, "rahasia" in words


def rating_of(value) -> int | None:
    """The rating 1–5, or None (empty, unreadable or out of range)."""
    text = str(value or "").strip()
    if not text:
        return None
    try:
        rating = int(float(text.replace(",", ".")))
    except (ValueError, OverflowError):  # "baik", "inf"
        return None
    return rating if 1 <= rating <= 5 else None


def title_of(value) -> str:
    """The title as a report stores it (cut to its length, no space left at the cut)."""
    return str(value or "")[:TITLE_MAX].strip()


def reporter_name_of(value) -> str:
    return str(value or "")[:NAME_MAX].strip()


def description_of(values) -> str:
    """The report's text: the final text, else the initial one."""
    return str(values.get(c.TEXT_FINAL) or "") or str(values.get(c.TEXT_INITIAL) or "")


def entity_key(ident, name) -> str:
    """The mapping key of a category or agency: its LAPOR! ID, else its name."""
    ident, name = str(ident or "").strip(), " ".join(str(name or "").split())
    return f"id:{ident}" if ident else ("name:" + " ".join(name.split()).casefold() if name else "")


def parse_row(row_number, values) -> ParsedRow:
    """Check one row; raise RowRejected with the reason the user sees."""

    def get(name) -> str:
        value = values.get(name, "")
        return value if isinstance(value, str) else str(value)

    tracking_id = str(get(c.TRACKING_ID)).strip()
    if not tracking_id:
        raise RowRejected(_("Tracking ID kosong."))
    if not TRACKING_ID.match(tracking_id):
        raise RowRejected(
            _("Tracking ID “%(value)s” bukan nomor SP4N-LAPOR! (harus angka).") % {"value": tracking_id[:40]}
        )
    raw_date = values.get(c.DATE)
    if raw_date in (None, ""):
        raise RowRejected(_("Tanggal Laporan Masuk kosong."))
    try:
        day = parse_date(raw_date)
    except ValueError:
        raise RowRejected(
            _("Tanggal Laporan Masuk “%(value)s” tidak dapat dibaca (contoh yang benar: 3 Jan 2026).")
            % {"value": str(raw_date)[:40]}
        )
    warnings = []
    try:
        at, zone = parse_time(values.get(c.TIME))
    except ValueError:
        raise RowRejected(
            _("Waktu Laporan Masuk “%(value)s” tidak dapat dibaca (contoh yang benar: 14:05).")
            % {"value": str(values.get(c.TIME))[:40]}
        )
    received_at = moment(day, at, zone)
    if zone and received_at.utcoffset() == timezone.localtime(received_at).utcoffset():
        zone = ""  # the local zone named: the time is written as any local time
    if received_at > timezone.now() + dt.timedelta(minutes=5):
        raise RowRejected(_("Tanggal Laporan Masuk berada di masa depan."))
    description = description_of(values)
    if not description:
        raise RowRejected(_("Isi laporan kosong."))
    status_value = " ".join(str(get(c.STATUS)).split())
    if not status_value:
        raise RowRejected(_("Status Laporan kosong."))
    kind, known = kind_of(get(c.CLASSIFICATION))
    if not known and get(c.CLASSIFICATION).strip():
        warnings.append(
            _("Klasifikasi “%(value)s” tidak dikenal; dicatat sebagai pengaduan.") % {"value": get(c.CLASSIFICATION)}
        )
    rating = None
    if raw_rating := str(get(c.RATING)).strip():
        rating = rating_of(raw_rating)
        if rating is None:
            warnings.append(_("Rating “%(value)s” diabaikan (harus 1–5).") % {"value": raw_rating[:10]})
    is_anonymous, is_confidential = privacy_of(get(c.TYPE))
    category_id, category_name = str(get(c.CATEGORY_ID)), " ".join(str(get(c.CATEGORY)).split())
    agency_id, agency_name = str(get(c.AGENCY_ID)), " ".join(str(get(c.AGENCY)).split())
    # Every column as text; the date and time in one spelling (a zone other than the local
    # one is kept), so the same row written another way is the same row.
    raw = {}
    for name in c.COLUMNS:
        value = values.get(name, "")
        if name == c.DATE:
            value = format_date(day)
        elif name == c.TIME and value not in ("", None):
            value = format_time(at, zone)
        raw[name] = value if isinstance(value, str) else str(value)
    return ParsedRow(
        row_number=row_number,
        tracking_id=tracking_id,
        received_at=received_at,
        kind=kind,
        title=title_of(get(c.TITLE)),
        description=description,
        is_anonymous=is_anonymous,
        is_confidential=is_confidential,
        reporter_name=reporter_name_of(get(c.REPORTER_NAME)),
        status_value=status_value,
        category_key=entity_key(category_id, category_name),
        category_id=category_id[:40],
        category_name=category_name[:200],
        agency_key=entity_key(agency_id, agency_name),
        agency_id=agency_id[:40],
        agency_name=agency_name[:300],
        kecamatan=get(c.KECAMATAN),
        kelurahan=get(c.KELURAHAN),
        rating=rating,
        raw=raw,
        warnings=warnings,
    )
