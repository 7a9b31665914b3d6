"""Export reports in the national file's layout (information rows, then the ``Tracking ID``
header and the same 26 columns), as XLSX or CSV.

- Reports imported from SP4N-LAPOR! keep their Tracking ID and the columns Aduan does not
  hold (IDs, SK, URLs, …) from the last imported row; everything Aduan holds (text,
  category, status, agency, region, rating) is written as it is now in Aduan. Other reports
  carry their Aduan tracking number in the Tracking ID column.
- Privacy: the caller passes reports already limited by reports/access.py; the reporter's
  name and the report's own words are written only where ``access.can_see_identity``
  allows (else the masked words), and each name written is an audited identity read.
- Formula injection: a text starting like a formula (= + - @ tab CR) never runs and reads
  back as written. XLSX: a string cell with Excel's quote prefix (the cell style's
  ``quotePrefix``), which Excel shows as the text itself and keeps as text when the cell
  is edited. CSV has no cell types: the text gets a leading apostrophe (see README).
  Either way the importer reads the text the resident wrote.
- Texts are written plain (``reader.plain_text``): \n line breaks, no control character an
  XLSX cannot hold (a pasted vertical tab made the XLSX export fail).
"""

import csv
import io
import itertools

from django.utils import timezone
from django.utils.translation import gettext as _

from agencies.roles import staff_profile
from governments.models import site_name_of
from lapor import columns as c
from lapor import parsing
from lapor.mapping import status_key
from lapor.models import AgencyMapping, CategoryMapping, StatusMapping
from lapor.parsing import entity_key, format_date, format_time
from lapor.reader import FORMULA_LIKE, plain_text
from reports import access
from reports.models import Disposition, IdentityRead, Kind, Status

KIND_LABELS = {
    Kind.COMPLAINT: "Pengaduan",
    Kind.ASPIRATION: "Aspirasi",
    Kind.INFORMATION_REQUEST: "Permintaan Informasi",
}
STATUS_LABELS = {
    Status.RECEIVED: "Belum Terverifikasi",
    Status.ON_HOLD: "Belum Terverifikasi",
    Status.VERIFIED: "Terverifikasi",
    Status.DISPOSED: "Terdisposisi ke {agency}",
    Status.IN_PROGRESS: "Ditindaklanjuti oleh Instansi",
    Status.RESOLVED: "Ditindaklanjuti oleh Instansi",
    Status.CLOSED: "Ditutup oleh Admin",
    Status.OBJECTION: "Ditindaklanjuti oleh Instansi",
    Status.ARCHIVED: "Diarsipkan oleh Admin",
}
CHUNK = 1000


def csv_cell(value):
    """A CSV cell: a formula-like text gets a leading apostrophe (the reader removes one)."""
    if isinstance(value, str):
        value = plain_text(value)
        if FORMULA_LIKE.match(value):
            return "'" + value
    return value


def xlsx_cell(sheet, value):
    """An XLSX cell: a formula-like text is a string cell with Excel's quote prefix (an
    apostrophe is added only before a text that starts with one itself, which the reader
    removes again); other values as they are."""
    if not isinstance(value, str):
        return value
    value = plain_text(value)
    if not FORMULA_LIKE.match(value):
        return value
    from openpyxl.cell import WriteOnlyCell

    cell = WriteOnlyCell(sheet, value="'" + value if value.startswith("'") else value)
    cell.data_type = "s"  # openpyxl made it a formula ("f") for the leading "="
    cell.quotePrefix = True
    return cell


def _type(report) -> str:
    parts = [label for flag, label in ((report.is_anonymous, "Anonim"), (report.is_confidential, "Rahasia")) if flag]
    return ", ".join(parts)


class _Maps:
    """The mapping tables, to tell whether LAPOR!'s own wording still describes the report."""

    def __init__(self):
        self.statuses = dict(StatusMapping.objects.values_list("key", "status"))
        self.category = dict(CategoryMapping.objects.values_list("key", "category_id"))
        self.agency = dict(AgencyMapping.objects.values_list("key", "agency_id"))


def _same_place(base, region) -> bool:
    """Do LAPOR!'s Kelurahan/Kecamatan cells name ``region`` (as the importer finds it)?"""

    def name(value):
        return " ".join(str(value or "").split()).casefold()

    kecamatan = name(base.get(c.KECAMATAN))
    parent = region.parent.name if region.parent_id else ""
    return name(base.get(c.KELURAHAN)) == name(region.name) and kecamatan in ("", name(parent))


def lapor_wording_holds(base, report, *, show_identity: bool) -> set:
    """The columns of the last imported row (``base``) that still say what the report is in
    Aduan: date and time naming the same instant, the same kind, privacy, rating, reporter,
    title, text and kelurahan. Those are written as LAPOR! wrote them, so an export imports
    back as the very row it came from (the round trip changes nothing)."""
    holds = set()
    if not base:
        return holds
    try:
        if parsing.received_at_of(base.get(c.DATE, ""), base.get(c.TIME, "")) == report.received_at:
            holds |= {c.DATE, c.TIME}
    except ValueError:
        pass
    if parsing.kind_of(base.get(c.CLASSIFICATION))[0] == report.kind:
        holds.add(c.CLASSIFICATION)
    if parsing.privacy_of(base.get(c.TYPE)) == (report.is_anonymous, report.is_confidential):
        holds.add(c.TYPE)
    if parsing.rating_of(base.get(c.RATING)) == report.rating:
        holds.add(c.RATING)
    if report.region_id is not None and _same_place(base, report.region):
        holds |= {c.KELURAHAN, c.KECAMATAN}
    if show_identity:  # else the masked words are written, whatever LAPOR! said
        if parsing.reporter_name_of(base.get(c.REPORTER_NAME)) == report.reporter_name:
            holds.add(c.REPORTER_NAME)
        if parsing.title_of(base.get(c.TITLE)) == report.title:
            holds.add(c.TITLE)
        if parsing.description_of(base) == report.description:
            holds |= {c.TEXT_FINAL, c.TEXT_INITIAL}
    return holds


def row_for(report, *, show_identity: bool, maps: _Maps) -> list:
    """One report's line; its words are the reporter's own only with ``show_identity``
    (an audited read), else masked as every other reader reads them."""
    record = getattr(report, "lapor_record", None)
    base = dict(record.row_data) if record is not None else {}
    leads = [d for d in report.dispositions.all() if d.is_active and d.role == Disposition.Role.LEAD]
    lead = leads[0] if leads else None
    received = timezone.localtime(report.received_at)
    words = report.words(masked=not show_identity)
    aduan = {
        c.DATE: format_date(received.date()),
        c.TIME: format_time(received.time().replace(microsecond=0)),
        c.REPORTER_NAME: report.reporter_name if show_identity else ("Anonim" if report.is_anonymous else ""),
        c.CLASSIFICATION: KIND_LABELS.get(report.kind, report.kind),
        c.TITLE: words.title,
        c.TEXT_FINAL: words.description,
        c.TEXT_INITIAL: base.get(c.TEXT_INITIAL) if base.get(c.TEXT_INITIAL) and show_identity else words.description,
        c.TYPE: _type(report),
        c.RATING: "" if report.rating is None else str(report.rating),
    }
    if report.region_id is not None:
        aduan[c.KELURAHAN] = report.region.name
        aduan[c.KECAMATAN] = report.region.parent.name if report.region.parent_id else ""
    holds = lapor_wording_holds(base, report, show_identity=show_identity)
    values = dict(base)
    values.update({name: value for name, value in aduan.items() if name not in holds})
    values[c.TRACKING_ID] = record.tracking_id if record is not None else report.tracking_number
    # Status, category and agency: LAPOR!'s own wording while it still maps to what the
    # report is in Aduan, else Aduan's.
    lapor_status = base.get(c.STATUS, "")
    if not (lapor_status and maps.statuses.get(status_key(lapor_status)) == report.status):
        label = STATUS_LABELS.get(report.status, report.status)
        values[c.STATUS] = label.format(agency=lead.agency.name if lead else "-")
    if report.category_id is None:
        if record is None:
            values[c.CATEGORY_ID] = values[c.CATEGORY] = ""
    elif maps.category.get(entity_key(base.get(c.CATEGORY_ID, ""), base.get(c.CATEGORY, ""))) != report.category_id:
        values[c.CATEGORY_ID], values[c.CATEGORY] = "", report.category.name
    if lead is None:
        if record is None:
            values[c.AGENCY_ID] = values[c.AGENCY] = ""
    elif maps.agency.get(entity_key(base.get(c.AGENCY_ID, ""), base.get(c.AGENCY, ""))) != lead.agency_id:
        values[c.AGENCY_ID], values[c.AGENCY] = "", lead.agency.name
    if report.status == Status.ARCHIVED and report.referral_note:
        values[c.HOLD_REASON] = report.referral_note
    if not show_identity:
        values[c.HOLD_REASON] = access.Reading(masked=True, names=(report.reporter_name,)).text(
            values.get(c.HOLD_REASON, "")
        )
    if record is None:
        values[c.SOURCE] = "Aduan"
    return [values.get(name, "") for name in c.COLUMNS]


def info_rows(*, agency_name, period_text) -> list:
    return [
        [_("Daftar Laporan SP4N-LAPOR!")],
        [_("Instansi"), agency_name],
        [_("Periode"), period_text],
        [_("Tanggal Unduh"), format_date(timezone.localdate()) + " " + timezone.localtime().strftime("%H:%M")],
        [],
    ]


def iter_rows(user, reports):
    """Header, then one list per report; names only where the user may see them (audited)."""
    yield list(c.COLUMNS)
    reports = access.with_first_referrer(
        reports.select_related("category", "region__parent", "lapor_record").prefetch_related("dispositions__agency")
    )
    maps = _Maps()
    last = 0
    while True:
        chunk = list(reports.filter(pk__gt=last).order_by("pk")[:CHUNK])
        if not chunk:
            return
        reads = []
        for report in chunk:
            show = access.can_see_identity(user, report)
            if show and report.reporter_name:
                reads.append(IdentityRead(user=user, report=report))
            yield row_for(report, show_identity=show, maps=maps)
        IdentityRead.objects.bulk_create(reads)
        last = chunk[-1].pk


def write_csv(user, reports, *, agency_name, period_text) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    for row in itertools.chain(info_rows(agency_name=agency_name, period_text=period_text), iter_rows(user, reports)):
        writer.writerow([csv_cell(value) for value in row])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def write_xlsx(user, reports, *, agency_name, period_text) -> bytes:
    import openpyxl

    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Laporan"))
    for row in itertools.chain(info_rows(agency_name=agency_name, period_text=period_text), iter_rows(user, reports)):
        sheet.append([xlsx_cell(sheet, value) for value in row])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def default_agency_name(user) -> str:
    """The "Instansi" of an export of every report ``user`` may see: their government's
    name (Kota Kediri's coordinator exports Aduan Kota Kediri's reports), the
    installation's for someone of several governments or none."""
    return site_name_of(staff_profile(user).government_id)
