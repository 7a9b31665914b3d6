"""Recaps for the monev meeting, as XLSX (one sheet per breakdown and a sheet with the list
of reports) and PDF (an official document: letterhead, period, tables, the trend chart and
a signature block; see the PDF section below), built from the same
dashboard.Dashboard as the page, so their numbers are the dashboard's."""

import io
from pathlib import Path

from django.conf import settings
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.formats import date_format, number_format
from django.utils.translation import get_language, pgettext
from django.utils.translation import gettext as _

from governments.models import Government, site_name
from monev import charts, figures, recap_levels
from monev.catalogue import INDICATORS

SHEET_TITLES = {
    "agency": "Perangkat daerah",
    "category": "Kategori",
    "channel": "Kanal",
    "kind": "Jenis",
    "kecamatan": "Kecamatan",
    "kelurahan": "Kelurahan",
}
MAX_LIST_ROWS = 200_000
LIST_HEADER_ROW = 3  # the list sheet: title, a blank row, the headings


def period_label(flt) -> str:
    return f"{date_format(flt.start, 'j F Y')} – {date_format(flt.end, 'j F Y')}"


def summary_rows(board) -> list[tuple[str, object]]:
    """(label, value) of every city figure, in the order the PDF and the XLSX show them."""
    fig = board.figures
    rows = [(str(label), getattr(fig, metric)) for metric, label in figures.COUNT_METRICS.items()]
    for reason, label in figures.ArchiveReason.choices:
        rows.append((_("Diarsipkan: %(reason)s") % {"reason": label}, fig.archived_by_reason.get(reason, 0)))
    for step, share in fig.on_time.items():
        rows.append(
            (_("Tepat waktu: %(step)s (%%)") % {"step": figures.STEPS[step]}, share.percent),
        )
        rows.append(
            (_("Tepat waktu: %(step)s (jumlah/total)") % {"step": figures.STEPS[step]}, f"{share.hits}/{share.total}")
        )
    rows += [
        (_("Median hari kerja ke tindak lanjut pertama"), fig.follow_up_days_median),
        (_("Persentil ke-90 hari kerja ke tindak lanjut pertama"), fig.follow_up_days_p90),
        (_("Median hari kerja ke penyelesaian"), fig.resolution_days_median),
        (_("Persentil ke-90 hari kerja ke penyelesaian"), fig.resolution_days_p90),
        (_("Pengembalian (bukan wewenang)"), fig.returned),
        (_("Pengembalian per laporan terdisposisi"), fig.returns_per_report),
        (_("Dibuka kembali"), fig.reopened),
        (_("Dibuka kembali per laporan selesai"), fig.reopens_per_report),
        (_("Rata-rata nilai kepuasan"), fig.rating_mean),
        (_("Laporan selesai yang dinilai (%)"), fig.share_rated.percent),
        (_("Pelapor mendapat jawaban (%)"), fig.heard_back.percent),
        (_("Tunggakan di akhir periode"), fig.backlog_total),
    ]
    for name, label, *_rest in figures.BACKLOG_BUCKETS:
        rows.append((_("Tunggakan berumur %(age)s") % {"age": label}, fig.backlog.get(name, 0)))
    return rows


def scorecard_rows(board):
    header = [_("Peringkat"), _("Perangkat daerah")] + [str(label) for _k, label, *_r in _indicators()]
    header += [_("Didisposisikan"), _("Selesai")]
    rows = []
    for row in board.scorecard:
        rows.append(
            [row.rank, str(row.agency), *[i.value for i in row.indicators], row.figures.disposed, row.figures.resolved]
        )
    if board.city:
        c = board.city
        rows.append(["", _("Rata-rata kota"), *[i.value for i in c.indicators], c.figures.disposed, c.figures.resolved])
    return header, rows, [[i.rag for i in r.indicators] for r in board.scorecard]


def _indicators():
    return INDICATORS


# ---------------------------------------------------------------------------- XLSX


def xlsx(board, *, visible, figures_only=False) -> bytes:
    """The recap workbook. ``visible``: the reports the user may see (for the list sheet;
    None for every report). ``figures_only``: a kabupaten/kota's recap read by its province,
    as its figures-only board: no list of reports (no tracking number, nothing of a
    resident), no units' part."""
    from openpyxl import Workbook
    from openpyxl.styles import Font, PatternFill

    bold = Font(bold=True)
    fills = {
        c: PatternFill("solid", fgColor=rgb) for c, rgb in (("green", "C6EFCE"), ("amber", "FFEB9C"), ("red", "FFC7CE"))
    }
    book = Workbook()
    sheet = book.active
    sheet.title = "Ringkasan"
    letterhead = recap_levels.letterhead_for(board.filter)
    sheet.append([letterhead["name"], letterhead["unit"]])
    sheet.append([_("Rekap monitoring dan evaluasi pengaduan"), period_label(board.filter)])
    sheet.append([])
    sheet.append([_("Ukuran"), pgettext("monev figure", "Nilai")])
    for cell in sheet[4]:
        cell.font = bold
    for label, value in summary_rows(board):
        sheet.append([label, value])
    sheet.column_dimensions["A"].width = 58

    metrics = list(figures.COUNT_METRICS)
    for dimension, rows in board.breakdowns.items():
        ws = book.create_sheet(SHEET_TITLES[dimension])
        ws.append([str(figures.DIMENSIONS[dimension]), *[str(figures.COUNT_METRICS[m]) for m in metrics]])
        for cell in ws[1]:
            cell.font = bold
        for row in rows:
            ws.append([str(row.label), *[row.counts[m] for m in metrics]])
        ws.column_dimensions["A"].width = 40

    if board.scorecard:
        ws = book.create_sheet("Rapor OPD")
        header, rows, rags = scorecard_rows(board)
        ws.append(header)
        for cell in ws[1]:
            cell.font = bold
        for i, row in enumerate(rows):
            ws.append(row)
            for j, rag in enumerate(rags[i] if i < len(rags) else []):
                if rag:
                    ws.cell(row=i + 2, column=3 + j).fill = fills[rag]
        ws.column_dimensions["B"].width = 40

    # The province's children, the agency's units.
    for table in recap_levels.tables(board, figures_only=figures_only):
        ws = book.create_sheet(table.sheet)
        ws.append([str(h) for h in table.header])
        for row in table.rows:
            ws.append(row)
        for cell in ws[1]:
            cell.font = bold
        if table.total_row:
            for cell in ws[ws.max_row]:
                cell.font = bold
        ws.column_dimensions["A"].width = 40

    ws = book.create_sheet("Tren")
    ws.append([_("Bulan"), _("Diterima"), _("Selesai")])
    for month, received, resolved in board.trend:
        ws.append([month.strftime("%Y-%m"), received, resolved])

    if not figures_only:
        _list_sheet(book.create_sheet("Daftar laporan"), board, visible=visible, bold=bold)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _list_sheet(ws, board, *, visible, bold):
    """The reports received in the period: a title row (title, period and scope), then one
    row per report with the agencies it was disposed to and that kept it (a return, "not
    our authority", drops the agency; a disputed report keeps the agency that resolved it),
    lead first."""
    from openpyxl.styles import Font

    from reports.models import Disposition

    title = _("Daftar laporan diterima, periode %(period)s") % {"period": period_label(board.filter)}
    scope = _scope_text(board.filter)
    ws.append([f"{title} ({scope})" if scope else title])
    ws["A1"].font = Font(bold=True, size=13)
    ws.append([])
    header = [_("Nomor pelacakan"), _("Diterima"), _("Jenis"), _("Kanal"), _("Kategori"), _("Kelurahan")]
    ws.append([*header, _("Perangkat daerah"), _("Status kini")])
    for cell in ws[LIST_HEADER_ROW]:
        cell.font = bold
    ws.freeze_panes = f"B{LIST_HEADER_ROW + 1}"  # (ws.cell() would create the row)
    reports = figures.report_set(board.filter, "received")
    if visible is not None:
        reports = reports.filter(pk__in=visible.values("pk"))
    kept = Disposition.objects.exclude(state=Disposition.State.RETURNED).select_related("agency")
    reports = (
        reports.select_related("category__parent", "region")
        .prefetch_related(Prefetch("dispositions", queryset=kept, to_attr="kept_dispositions"))
        .order_by("received_at", "pk")[:MAX_LIST_ROWS]
    )
    for report in reports.iterator(chunk_size=2000):
        lead_first = sorted(report.kept_dispositions, key=lambda d: (d.role != Disposition.Role.LEAD, d.created_at))
        agencies = list(dict.fromkeys(str(d.agency) for d in lead_first))
        ws.append(
            [
                report.tracking_number,
                timezone.localtime(report.received_at).replace(tzinfo=None),
                report.get_kind_display(),
                report.get_channel_display(),
                str(report.category or ""),
                report.region.name if report.region_id else "",
                ", ".join(agencies),
                report.get_status_display(),
            ]
        )
    ws.auto_filter.ref = f"A{LIST_HEADER_ROW}:H{max(ws.max_row, LIST_HEADER_ROW)}"
    for column, width in zip("ABCDEFGH", (20, 18, 18, 14, 40, 22, 28, 18), strict=True):
        ws.column_dimensions[column].width = width


# ---------------------------------------------------------------------------- PDF
#
# An official document for the monev meeting: the letterhead (kop surat), title and period,
# the figures as tables that wrap their text and repeat their headings on every page (fpdf2's
# own table()), the page's trend chart (the same SVG, placed by fpdf2), the signature block,
# and "Halaman N dari M" on every page. DejaVu Sans (TrueType) prints every character the
# screens do; numbers and dates follow the active language, as the screens do.

MARGINS = {"left": 18, "top": 15, "right": 15}  # mm of an A4 page, 210 wide
CELL_PADDING = 1.2
CHART_WIDTH = 210 - MARGINS["left"] - MARGINS["right"]
CHART_HEIGHT = CHART_WIDTH * 220 / 640  # charts.trend_svg's viewBox
RAG_RGB = {"green": (198, 239, 206), "amber": (255, 235, 156), "red": (255, 199, 206)}
HEADING_FILL = (226, 232, 240)
FONT_FILES = {
    ("DejaVu", ""): "DejaVuSans.ttf",
    ("DejaVu", "B"): "DejaVuSans-Bold.ttf",
    ("DejaVu", "I"): "DejaVuSans-Oblique.ttf",
    ("DejaVuCondensed", ""): "DejaVuSansCondensed.ttf",
    ("DejaVuCondensed", "B"): "DejaVuSansCondensed-Bold.ttf",
}
MAX_BREAKDOWN_ROWS = 300  # a kelurahan table of a province still fits in a few pages


def number(value, unit="") -> str:
    """A figure as the screens write it in the active language (1.234 and 87,5 in
    Indonesian), with thousands grouped; "–" for no value."""
    if value is None:
        return "–"
    if isinstance(value, str):
        return value
    text = number_format(value, force_grouping=True)
    return f"{text} {unit}" if unit else text


def share_text(share) -> str:
    """An on-time or answered share: "87,5 % (7 dari 8)"."""
    if share.percent is None:
        return "–"
    counts = _("%(hits)s dari %(total)s") % {"hits": number(share.hits), "total": number(share.total)}
    return f"{number(share.percent, '%')} ({counts})"


def pdf_summary_rows(board) -> list[tuple[str, str]]:
    """(label, formatted value) of the city figures, grouped as the dashboard groups them."""
    fig = board.figures
    rows = [(str(label), number(getattr(fig, metric))) for metric, label in figures.COUNT_METRICS.items()]
    for reason, label in figures.ArchiveReason.choices:
        rows.append((_("Diarsipkan: %(reason)s") % {"reason": label}, number(fig.archived_by_reason.get(reason, 0))))
    for step, share in fig.on_time.items():
        rows.append((_("Tepat waktu: %(step)s") % {"step": figures.STEPS[step]}, share_text(share)))
    rows += [
        (_("Median hari kerja ke tindak lanjut pertama"), number(fig.follow_up_days_median)),
        (_("Persentil ke-90 hari kerja ke tindak lanjut pertama"), number(fig.follow_up_days_p90)),
        (_("Median hari kerja ke penyelesaian"), number(fig.resolution_days_median)),
        (_("Persentil ke-90 hari kerja ke penyelesaian"), number(fig.resolution_days_p90)),
        (_("Pengembalian (bukan wewenang)"), number(fig.returned)),
        (_("Pengembalian per laporan terdisposisi"), number(fig.returns_per_report)),
        (_("Dibuka kembali"), number(fig.reopened)),
        (_("Dibuka kembali per laporan selesai"), number(fig.reopens_per_report)),
        (_("Rata-rata nilai kepuasan (1–5)"), number(fig.rating_mean)),
        (_("Laporan selesai yang dinilai"), share_text(fig.share_rated)),
        (_("Pelapor mendapat jawaban"), share_text(fig.heard_back)),
        (_("Tunggakan di akhir periode"), number(fig.backlog_total)),
    ]
    for name, label, *_rest in figures.BACKLOG_BUCKETS:
        rows.append((_("Tunggakan berumur %(age)s") % {"age": label}, number(fig.backlog.get(name, 0))))
    return rows


def _font_path(name: str) -> str:
    path = settings.ADUAN_PDF_FONT_DIR / name
    if not path.exists():
        raise FileNotFoundError(
            f"{path} is missing: the PDF recap needs DejaVu Sans (Debian: apt-get install fonts-dejavu-core, "
            "or set ADUAN_PDF_FONT_DIR)"
        )
    return str(path)


def _recap_document_class():
    from fpdf import FPDF

    class RecapDocument(FPDF):
        """A4 portrait; the footer names the document and numbers its pages."""

        footer_text = ""

        def footer(self):
            self.set_y(-12)
            self.set_draw_color(160, 160, 160)
            self.line(self.l_margin, self.get_y() - 1, self.w - self.r_margin, self.get_y() - 1)
            self.set_font("DejaVu", "", 7)
            self.set_text_color(90, 90, 90)
            self.cell(self.epw * 0.7, 5, self.footer_text)
            self.cell(
                self.epw * 0.3,
                5,
                _("Halaman %(page)s dari %(pages)s") % {"page": self.page_no(), "pages": "{nb}"},
                align="R",
            )
            self.set_text_color(0, 0, 0)

    return RecapDocument


def pdf(board, *, figures_only=False) -> bytes:
    """The recap as an official PDF document (see above). It lists no report; with
    ``figures_only`` (a kabupaten/kota's recap read by its province) it leaves out the
    units' part too, as the figures-only board does."""
    doc = _recap_document_class()(orientation="P", unit="mm", format="A4")
    for (family, style), name in FONT_FILES.items():
        doc.add_font(family, style, _font_path(name))
    # The trend chart's SVG names no font ("sans-serif" by default): let it print in DejaVu too.
    doc.add_font("sans-serif", "", _font_path("DejaVuSans.ttf"))
    doc.set_margins(**MARGINS)
    doc.set_auto_page_break(auto=True, margin=18)
    title = _("Rekap monitoring dan evaluasi pengaduan")
    period = period_label(board.filter)
    doc.set_title(f"{title} · {period}")
    # The letterhead of the level whose figures these are (recap_levels.letterhead_for).
    letterhead = recap_levels.letterhead_for(board.filter)
    doc.set_author(letterhead["name"])
    # Signed with the name of the government whose figures these are (none: the installation's).
    name = site_name(Government.objects.filter(pk=board.filter.government_id).first())
    doc.set_creator(name)
    doc.set_lang(get_language() or settings.LANGUAGE_CODE)
    now = timezone.localtime()
    doc.footer_text = f"{title} · {period} · {name}"
    doc.add_page()
    _letterhead(doc, letterhead)
    _title(doc, title, period, _scope_text(board.filter))

    _heading(doc, _("A. Ringkasan"))
    header = [_("Ukuran"), pgettext("monev figure", "Nilai")]
    _simple_table(doc, header, pdf_summary_rows(board), align=("LEFT", "RIGHT"), first_share=0.6)

    if board.trend:
        _heading(doc, _("B. Tren bulanan: diterima dan selesai"), keep_with=CHART_HEIGHT)
        _chart(doc, charts.trend_svg(board.trend))

    section = iter("CDEFGHIJKL")
    # The province's children, the agency's units.
    for table in recap_levels.tables(board, figures_only=figures_only):
        _heading(doc, f"{next(section)}. {table.heading}")
        _simple_table(
            doc,
            table.header,
            [[str(row[0]), *[number(v) for v in row[1:]]] for row in table.rows],
            align=("LEFT", *["RIGHT"] * (len(table.header) - 1)),
            condensed=True,
            first_share=0.36,
            bold_last=table.total_row,
        )
    if board.scorecard:
        _heading(doc, _("%(n)s. Rapor perangkat daerah") % {"n": next(section)})
        _scorecard(doc, board)

    metrics = list(figures.COUNT_METRICS)
    for dimension, rows in board.breakdowns.items():
        if not rows:
            continue
        label = str(figures.DIMENSIONS[dimension])
        _heading(doc, _("%(n)s. Menurut %(dimension)s") % {"n": next(section), "dimension": label.lower()})
        shown = rows[:MAX_BREAKDOWN_ROWS]
        _simple_table(
            doc,
            [label, *[str(figures.COUNT_METRICS[m]) for m in metrics]],
            [[row.label, *[number(row.counts[m]) for m in metrics]] for row in shown],
            align=("LEFT", *["RIGHT"] * len(metrics)),
            condensed=True,
        )
        if len(rows) > len(shown):
            _note(
                doc,
                _("%(shown)s baris pertama dari %(all)s; semuanya ada di rekap XLSX.")
                % {"shown": number(len(shown)), "all": number(len(rows))},
            )

    _signature(doc, now, recap_levels.signatory_for(board.filter))
    return bytes(doc.output())


def _scope_text(flt) -> str:
    """The filters besides the period, in words ("" for the whole city)."""
    from agencies.models import Agency, Region
    from reports.models import Category, Channel, Kind

    parts = []
    if flt.agency:
        parts.append(str(Agency.objects.get(pk=flt.agency)))
    if flt.category:
        parts.append(str(Category.objects.get(pk=flt.category)))
    if flt.channel:
        parts.append(str(Channel(flt.channel).label))
    if flt.kind:
        parts.append(str(Kind(flt.kind).label))
    for pk in (flt.kecamatan, flt.kelurahan):
        if pk:
            parts.append(Region.objects.get(pk=pk).name)
    return ", ".join(parts)


def _letterhead(doc, letterhead):
    """Kop surat: the logo on the left, the government, unit and address centred beside it,
    and a thick and a thin rule under them."""
    top, logo_h = doc.t_margin, 24
    logo = Path(letterhead["logo"]) if letterhead["logo"] else None
    if logo and logo.exists():
        doc.image(str(logo), x=doc.l_margin, y=top, h=logo_h)
    text_x = doc.l_margin + 24
    width = doc.epw - 24 * 2  # centred on the page, not on what is right of the logo
    doc.set_xy(text_x, top + 1)
    doc.set_font("DejaVu", "B", 14)
    doc.multi_cell(width, 7, letterhead["name"].upper(), align="C", new_x="LEFT", new_y="NEXT")
    if letterhead["unit"]:
        doc.set_font("DejaVu", "B", 10)
        doc.multi_cell(width, 6, letterhead["unit"].upper(), align="C", new_x="LEFT", new_y="NEXT")
    if letterhead["address"]:
        doc.set_font("DejaVu", "", 8.5)
        doc.multi_cell(width, 4.5, letterhead["address"], align="C", new_x="LEFT", new_y="NEXT")
    y = max(doc.get_y(), top + logo_h) + 2
    doc.set_draw_color(0, 0, 0)
    doc.set_line_width(0.8)
    doc.line(doc.l_margin, y, doc.w - doc.r_margin, y)
    doc.set_line_width(0.2)
    doc.line(doc.l_margin, y + 1.2, doc.w - doc.r_margin, y + 1.2)
    doc.set_xy(doc.l_margin, y + 5)


def _title(doc, title, period, scope):
    doc.set_font("DejaVu", "B", 12)
    doc.multi_cell(0, 6, title.upper(), align="C", new_x="LMARGIN", new_y="NEXT")
    doc.set_font("DejaVu", "", 10)
    doc.multi_cell(0, 5.5, _("Periode %(period)s") % {"period": period}, align="C", new_x="LMARGIN", new_y="NEXT")
    if scope:
        doc.multi_cell(0, 5.5, _("Lingkup: %(scope)s") % {"scope": scope}, align="C", new_x="LMARGIN", new_y="NEXT")
    doc.ln(3)


def _heading(doc, text, *, keep_with=25):
    """A section heading, on a new page unless ``keep_with`` mm of what follows fit under it
    (a heading never sits alone at the foot of a page)."""
    if doc.get_y() + 12 + keep_with > doc.h - doc.b_margin:
        doc.add_page()
    doc.ln(3)
    doc.set_font("DejaVu", "B", 11)
    doc.multi_cell(0, 6, text, new_x="LMARGIN", new_y="NEXT")
    doc.ln(1)


def _note(doc, text):
    doc.set_font("DejaVu", "I", 7.5)
    doc.multi_cell(0, 4, text, align="L", new_x="LMARGIN", new_y="NEXT")


def _table_options(widths, align, *, condensed):
    from fpdf.enums import TableHeadingsDisplay
    from fpdf.fonts import FontFace

    family = "DejaVuCondensed" if condensed else "DejaVu"
    return {
        "col_widths": widths,
        "align": "LEFT",  # centred would be on the page, and the margins differ
        "text_align": align,
        "line_height": 3.6,
        "padding": (0.9, CELL_PADDING),
        "headings_style": FontFace(family=family, emphasis="BOLD", size_pt=7.5, fill_color=HEADING_FILL),
        "repeat_headings": TableHeadingsDisplay.ON_TOP_OF_EVERY_PAGE,
        "v_align": "MIDDLE",
    }


def _fit_widths(doc, header, rows, *, condensed, first_share=None):
    """Column widths in mm across the page: every column but the first as wide as its
    longest word (heading or value), so no word is broken; the first takes the rest."""
    family = "DejaVuCondensed" if condensed else "DejaVu"
    widths = []
    for j, title in enumerate(header[1:], 1):
        doc.set_font(family, "B", 7.5)
        widest = max(doc.get_string_width(word) for word in str(title).split() or [""])
        doc.set_font(family, "", 8)
        widest = max([widest, *[doc.get_string_width(str(row[j])) for row in rows]])
        widths.append(widest + 2 * CELL_PADDING + 1.5)
    rest = doc.epw - sum(widths)
    if first_share and rest > doc.epw * first_share:  # a few narrow columns: spread them out
        extra = (rest - doc.epw * first_share) / len(widths)
        widths = [w + extra for w in widths]
        rest = doc.epw * first_share
    return (rest, *widths)


def _simple_table(doc, header, rows, *, align, condensed=False, first_share=0.45, bold_last=False):
    from fpdf.fonts import FontFace

    rows = [[str(c) for c in row] for row in rows]
    widths = _fit_widths(doc, header, rows, condensed=condensed, first_share=first_share)
    doc.set_font("DejaVuCondensed" if condensed else "DejaVu", "", 8)
    with doc.table(**_table_options(widths, align, condensed=condensed)) as table:
        table.row([str(h) for h in header])
        for i, row in enumerate(rows):
            total = bold_last and i == len(rows) - 1  # a total row (the whole province)
            table.row(row, style=FontFace(emphasis="BOLD") if total else None)
    doc.ln(2)


def _scorecard(doc, board):
    from fpdf.fonts import FontFace

    header, rows, rags = scorecard_rows(board)
    units = ["%" if key != "median_follow_up_days" else "" for key, *_r in INDICATORS]
    texts = [["" if c is None else number(c) for c in row[2:]] for row in rows]
    rank = _fit_widths(doc, [header[0], header[0]], [["", "99"]], condensed=True)[1]
    agency, *others = _fit_widths(
        doc, header[1:], [[str(r[1]), *t] for r, t in zip(rows, texts, strict=True)], condensed=True, first_share=0.36
    )
    widths = (rank, agency - rank, *others)
    doc.set_font("DejaVuCondensed", "", 8)
    align = ("CENTER", "LEFT", *["RIGHT"] * (len(header) - 2))
    with doc.table(**_table_options(widths, align, condensed=True)) as table:
        table.row(header)
        for i, (rank, agency, *values) in enumerate(rows):
            row = table.row()
            row.cell("" if rank is None else str(rank))
            row.cell(str(agency), style=FontFace(emphasis="BOLD") if i >= len(rags) else None)
            indicators, counts = values[: len(units)], values[len(units) :]
            for j, value in enumerate(indicators):
                rag = rags[i][j] if i < len(rags) else ""
                row.cell(number(value), style=FontFace(fill_color=RAG_RGB[rag]) if rag else None)
            for value in counts:
                row.cell(number(value))
    _note(
        doc,
        _(
            "Hijau, kuning, merah: dibanding target yang diatur admin sistem (ADUAN_MONEV_TARGETS). "
            "Peringkat menurut rata-rata ketepatan waktu tindak lanjut dan penyelesaian."
        ),
    )


def _chart(doc, svg):
    """The dashboard's own SVG trend chart, placed as a vector image across the page."""
    if not svg:
        return
    doc.image(io.BytesIO(str(svg).encode()), x=doc.l_margin, y=doc.get_y(), w=CHART_WIDTH)
    doc.set_y(doc.get_y() + CHART_HEIGHT + 2)


def _signature(doc, now, signatory):
    """Place and date, the official's title, room to sign, name and NIP, on the right; kept
    together on one page. ``signatory``: the government's (recap_levels.signatory_for)."""
    block = 52
    if doc.get_y() + block > doc.h - doc.b_margin:
        doc.add_page()
    doc.ln(8)
    x, width = doc.l_margin + doc.epw * 0.52, doc.epw * 0.48
    doc.set_font("DejaVu", "", 9.5)
    place_date = f"{signatory['place']}, {date_format(now, 'j F Y')}"
    for text in (place_date, signatory["title"]):
        doc.set_x(x)
        doc.multi_cell(width, 5, text, align="C", new_x="LMARGIN", new_y="NEXT")
    doc.ln(20)
    doc.set_x(x)
    doc.set_font("DejaVu", "BU" if signatory["name"] else "B", 9.5)
    name = signatory["name"] or "(" + "." * 40 + ")"
    doc.multi_cell(width, 5, name, align="C", new_x="LMARGIN", new_y="NEXT")
    doc.set_font("DejaVu", "", 9.5)
    doc.set_x(x)
    doc.multi_cell(
        width,
        5,
        _("NIP. %(nip)s") % {"nip": signatory["nip"] or "." * 30},
        align="C",
        new_x="LMARGIN",
        new_y="NEXT",
    )
