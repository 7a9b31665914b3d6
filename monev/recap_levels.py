"""What a recap adds at each level of the tree (issue 20), as plain tables that
monev/recap.py writes into the XLSX and the PDF:

- a province: a row per kabupaten/kota and the province as a whole (monev/tree.py);
- a city: a row per agency (the scorecard, in recap.py itself);
- an agency (the filter's agency): its units' part of its work (sums.units_part).

And the letterhead and the signature block of the level: the government's
(Government.letterhead, Government.signatory); an agency's recap names the agency on the
unit line of its government's letterhead, as a dinas's own kop surat does, and is signed
as its government's.
"""

from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext as _

from agencies.models import Agency
from governments.models import Government, installation_signatory
from monev import sums


@dataclass
class LevelTable:
    sheet: str  # the XLSX sheet's title (31 characters at most, no "/")
    heading: str  # the PDF section's heading
    header: list
    rows: list  # raw values; the last row may be a total (``total_row``)
    total_row: bool = False


def letterhead_for(flt) -> dict:
    """The letterhead of the level whose figures these are: the government's (its fields,
    else the settings'), with the agency on the unit line for an agency's recap."""
    government = Government.objects.filter(pk=flt.government_id).first()
    if government is not None:
        letterhead = government.letterhead
    else:
        letterhead = {
            "name": settings.ADUAN_LETTERHEAD_NAME,
            "unit": settings.ADUAN_LETTERHEAD_UNIT,
            "address": settings.ADUAN_LETTERHEAD_ADDRESS,
            "logo": str(settings.ADUAN_LETTERHEAD_LOGO or ""),
        }
    if flt.agency:
        agency = Agency.objects.filter(pk=flt.agency).first()
        if agency is not None:
            letterhead = {**letterhead, "unit": agency.name}
    return letterhead


def signatory_for(flt) -> dict:
    """The signature block of the government whose figures these are (its fields, else the
    settings'): place, title, name and NIP."""
    government = Government.objects.filter(pk=flt.government_id).first()
    return government.signatory if government is not None else installation_signatory()


def _government_values(row):
    return [
        row.received,
        row.on_time.percent,
        row.resolution_days_mean,
        row.returned,
        row.referred,
        row.referral_returned,
        row.rating_mean,
    ]


def children_table(board) -> LevelTable | None:
    if not board.tree:
        return None
    header = [
        _("Kabupaten/kota"),
        _("Diterima"),
        _("Penyelesaian tepat waktu (%)"),
        _("Rata-rata hari kerja ke penyelesaian"),
        _("Dikembalikan"),
        _("Dirujuk ke pemerintah lain"),
        _("Rujukan dikembalikan"),
        _("Kepuasan (1–5)"),
    ]
    rows = [[str(row.government), *_government_values(row)] for row in board.tree.rows]
    rows.append([_("Seluruh provinsi"), *_government_values(board.tree.whole)])
    return LevelTable("Kabupaten-kota", _("Kabupaten/kota"), header, rows, total_row=True)


def units_table(board) -> LevelTable | None:
    """The agency's units and their part of its work (none for a government's recap or an
    agency without units)."""
    if not board.filter.agency:
        return None
    parts = sums.units_part(board.filter, board.filter.agency)
    if not parts:
        return None
    header = [
        _("Unit"),
        _("Diteruskan"),
        _("Selesai tepat waktu"),
        _("Selesai terlambat"),
        _("Tepat waktu (%)"),
        _("Dikembalikan unit"),
    ]
    rows = [[str(p.unit), p.forwarded, p.done_hit, p.done_late, p.on_time.percent, p.returned] for p in parts]
    return LevelTable("Unit kerja", _("Bagian unit kerja"), header, rows)


def tables(board, *, figures_only=False) -> list[LevelTable]:
    """The level's tables; ``figures_only`` (a kabupaten/kota's recap read by its province):
    what its figures-only board shows, so no units' part."""
    units = None if figures_only else units_table(board)
    return [t for t in (children_table(board), units) if t is not None]
