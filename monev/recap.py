"""Recaps for the monev meeting, as XLSX (one sheet per breakdown and a sheet with the list
of reports) and PDF (the city's name and period, charts and tables), built from the same
dashboard.Dashboard as the page, so their numbers are the dashboard's."""

import io

from django.conf import settings
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from monev import figures
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


def xlsx(board, *, visible) -> bytes:
    """The recap workbook. ``visible``: the reports the user may see (for the list sheet;
    None for every report)."""
    from openpyxl import Workbook
    from openpyxl.styles import Font, PatternFill

    bold = Font(bold=True)
    fills = {
        c: PatternFill("solid", fgColor=rgb) for c, rgb in (("green", "C6EFCE"), ("amber", "FFEB9C"), ("red", "FFC7CE"))
    }
    book = Workbook()
    sheet = book.active
    sheet.title = "Ringkasan"
    sheet.append([settings.ADUAN_SITE_NAME])
    sheet.append([_("Rekap monitoring dan evaluasi pengaduan"), period_label(board.filter)])
    sheet.append([])
    sheet.append([_("Ukuran"), _("Nilai")])
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
            ws.append([row.label, *[row.counts[m] for m in metrics]])
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

    ws = book.create_sheet("Tren")
    ws.append([_("Bulan"), _("Diterima"), _("Selesai")])
    for month, received, resolved in board.trend:
        ws.append([month.strftime("%Y-%m"), received, resolved])

    ws = book.create_sheet("Daftar laporan")
    ws.append(
        [_("Nomor pelacakan"), _("Diterima"), _("Jenis"), _("Kanal"), _("Kategori"), _("Kelurahan"), _("Status kini")]
    )
    for cell in ws[1]:
        cell.font = bold
    reports = figures.report_set(board.filter, "received")
    if visible is not None:
        reports = reports.filter(pk__in=visible.values("pk"))
    reports = reports.select_related("category__parent", "region").order_by("received_at", "pk")[:MAX_LIST_ROWS]
    for report in reports.iterator(chunk_size=2000):
        ws.append(
            [
                report.tracking_number,
                timezone.localtime(report.received_at).replace(tzinfo=None),
                report.get_kind_display(),
                report.get_channel_display(),
                str(report.category or ""),
                report.region.name if report.region_id else "",
                report.get_status_display(),
            ]
        )
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


# ---------------------------------------------------------------------------- PDF


def _latin(text) -> str:
    """The PDF's core fonts speak Latin-1; a few typographic characters are mapped."""
    text = str("" if text is None else text)
    for a, b in (("›", ">"), ("–", "-"), ("—", "-"), ("“", '"'), ("”", '"'), ("’", "'"), ("…", "...")):
        text = text.replace(a, b)
    return text.encode("latin-1", "replace").decode("latin-1")


def _fmt(value) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:.2f}".rstrip("0").rstrip(".")
    return str(value)


def pdf(board) -> bytes:
    from fpdf import FPDF

    doc = FPDF(orientation="P", unit="mm", format="A4")
    doc.set_auto_page_break(auto=True, margin=15)
    doc.set_title(_latin(f"{settings.ADUAN_SITE_NAME} - {_('Rekap monev')}"))
    doc.add_page()
    doc.set_font("Helvetica", "B", 15)
    doc.cell(0, 8, _latin(settings.ADUAN_SITE_NAME), new_x="LMARGIN", new_y="NEXT")
    doc.set_font("Helvetica", "", 11)
    doc.cell(0, 6, _latin(_("Rekap monitoring dan evaluasi pengaduan")), new_x="LMARGIN", new_y="NEXT")
    doc.cell(
        0, 6, _latin(_("Periode: %(period)s") % {"period": period_label(board.filter)}), new_x="LMARGIN", new_y="NEXT"
    )
    doc.ln(3)

    _trend_chart(doc, board.trend)
    _heading(doc, _("Ringkasan"))
    _table(doc, [_("Ukuran"), _("Nilai")], [[label, _fmt(v)] for label, v in summary_rows(board)], widths=[130, 50])

    if board.scorecard:
        doc.add_page()
        _heading(doc, _("Rapor perangkat daerah"))
        header, rows, rags = scorecard_rows(board)
        short = [_("No."), _("Perangkat daerah"), _("TL tepat %"), _("Selesai tepat %"), _("Median TL"), _("Dinilai %")]
        short += [_("Disp."), _("Selesai")]
        _table(doc, short, [[_fmt(v) for v in row] for row in rows], widths=[10, 60, 20, 22, 18, 18, 16, 16], rags=rags)

    for dimension, rows in board.breakdowns.items():
        if not rows:
            continue
        _heading(doc, _("Menurut %(dimension)s") % {"dimension": str(figures.DIMENSIONS[dimension]).lower()})
        _bars(doc, [(row.label, row.counts["received"]) for row in rows[:12]])
        metrics = list(figures.COUNT_METRICS)
        _table(
            doc,
            [str(figures.DIMENSIONS[dimension]), *[str(figures.COUNT_METRICS[m]) for m in metrics]],
            [[row.label, *[str(row.counts[m]) for m in metrics]] for row in rows[:40]],
            widths=[54] + [19] * len(metrics),
        )
    doc.set_font("Helvetica", "I", 8)
    doc.cell(0, 6, _latin(_("Dibuat %(at)s") % {"at": date_format(timezone.localtime(), "j F Y H:i")}))
    return bytes(doc.output())


def _heading(doc, text):
    doc.ln(2)
    doc.set_font("Helvetica", "B", 12)
    doc.cell(0, 7, _latin(text), new_x="LMARGIN", new_y="NEXT")


RAG_RGB = {"green": (198, 239, 206), "amber": (255, 235, 156), "red": (255, 199, 206)}


def _table(doc, header, rows, *, widths, rags=None):
    doc.set_font("Helvetica", "B", 8)
    for text, w in zip(header, widths, strict=False):
        doc.cell(w, 6, _latin(text)[:40], border=1)
    doc.ln()
    doc.set_font("Helvetica", "", 8)
    for i, row in enumerate(rows):
        if doc.get_y() > 275:
            doc.add_page()
        for j, (text, w) in enumerate(zip(row, widths, strict=False)):
            rag = rags[i][j - 2] if rags and i < len(rags) and 2 <= j < 2 + len(rags[i]) else ""
            if rag:
                doc.set_fill_color(*RAG_RGB[rag])
            doc.cell(w, 5, _latin(text)[: int(w / 1.6)], border=1, fill=bool(rag))
        doc.ln()


def _trend_chart(doc, trend):
    if not trend:
        return
    _heading(doc, _("Tren bulanan: diterima dan selesai"))
    x0, y0, width, height = doc.l_margin, doc.get_y() + 2, 180, 45
    peak = max(max(r, s) for _m, r, s in trend) or 1
    slot = width / len(trend)
    bar = slot * 0.35
    doc.set_font("Helvetica", "", 6)
    for i, (month, received, resolved) in enumerate(trend):
        x = x0 + i * slot + slot * 0.15
        for j, (value, rgb) in enumerate(((received, (31, 111, 235)), (resolved, (45, 164, 78)))):
            h = height * value / peak
            doc.set_fill_color(*rgb)
            if h > 0:
                doc.rect(x + j * bar, y0 + height - h, bar - 0.5, h, style="F")
            doc.text(x + j * bar, y0 + height - h - 1, str(value))
        doc.text(x, y0 + height + 4, month.strftime("%m/%y"))
    doc.set_y(y0 + height + 8)


def _bars(doc, items):
    if not items:
        return
    peak = max(n for _l, n in items) or 1
    doc.set_font("Helvetica", "", 7)
    for label, n in items:
        y = doc.get_y()
        doc.cell(54, 4, _latin(label)[:34])
        doc.set_fill_color(31, 111, 235)
        if n:
            doc.rect(doc.l_margin + 55, y + 0.7, 110 * n / peak, 2.6, style="F")
        doc.set_x(doc.l_margin + 168)
        doc.cell(15, 4, str(n), new_x="LMARGIN", new_y="NEXT")
    doc.ln(1)
