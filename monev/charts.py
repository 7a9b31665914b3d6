"""Charts drawn on the server as SVG: no script, no CDN, printable, and the same on every
page (dashboard, public page)."""

from django.utils.formats import date_format
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

RECEIVED_COLOUR = "#1f6feb"
RESOLVED_COLOUR = "#2da44e"


def trend_svg(trend, *, width=640, height=220) -> str:
    """Grouped columns per month: received and resolved, with the values written on top."""
    if not trend:
        return ""
    pad_left, pad_bottom, pad_top = 8, 36, 18
    peak = max(max(r or 0, s or 0) for _m, r, s in trend) or 1
    slot = (width - pad_left) / len(trend)
    bar = max(4.0, slot * 0.36)
    usable = height - pad_bottom - pad_top
    title = _("Tren bulanan: diterima dan selesai")
    parts = [
        f'<svg class="monev-chart" viewBox="0 0 {width} {height}" role="img" aria-label="{escape(title)}"'
        f' xmlns="http://www.w3.org/2000/svg"><title>{escape(title)}</title>'
    ]
    for i, (month, received, resolved) in enumerate(trend):
        x = pad_left + i * slot + (slot - 2 * bar) / 2
        for j, (value, colour) in enumerate(((received, RECEIVED_COLOUR), (resolved, RESOLVED_COLOUR))):
            h = usable * (value or 0) / peak
            shown = "&lt;3" if value is None else value  # None: suppressed on the public page
            y = pad_top + usable - h
            bx = x + j * bar
            parts.append(f'<rect x="{bx:.1f}" y="{y:.1f}" width="{bar - 1:.1f}" height="{h:.1f}" fill="{colour}"/>')
            parts.append(
                f'<text x="{bx + bar / 2:.1f}" y="{y - 3:.1f}" font-size="10" text-anchor="middle">{shown}</text>'
            )
        label = escape(date_format(month, "M y"))
        parts.append(
            f'<text x="{x + bar:.1f}" y="{height - pad_bottom + 14}" font-size="11" text-anchor="middle">{label}</text>'
        )
    legend_y = height - 8
    parts.append(f'<rect x="{pad_left}" y="{legend_y - 9}" width="10" height="10" fill="{RECEIVED_COLOUR}"/>')
    parts.append(f'<text x="{pad_left + 14}" y="{legend_y}" font-size="11">{escape(_("Diterima"))}</text>')
    parts.append(f'<rect x="{pad_left + 90}" y="{legend_y - 9}" width="10" height="10" fill="{RESOLVED_COLOUR}"/>')
    parts.append(f'<text x="{pad_left + 104}" y="{legend_y}" font-size="11">{escape(_("Selesai"))}</text>')
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text above is escaped


def trend_rows_svg(trend, *, width=300, row=32) -> str:
    """The same trend for a phone: one row per month, read top to bottom, with the month
    on the left and a received and a resolved bar whose numbers sit at their ends. At 360
    px the columns of trend_svg shrink to unreadable text; rows drawn about as wide as a
    phone's card keep 11-12 px type. The pages show this one below 40rem (monev.css)."""
    if not trend:
        return ""
    label_w, value_w, top = 50, 32, 22
    usable = width - label_w - value_w
    peak = max(max(r or 0, s or 0) for _m, r, s in trend) or 1
    height = top + row * len(trend) + 4
    title = _("Tren bulanan: diterima dan selesai")
    parts = [
        f'<svg class="monev-trend-rows" viewBox="0 0 {width} {height}" role="img" aria-label="{escape(title)}"'
        f' xmlns="http://www.w3.org/2000/svg"><title>{escape(title)}</title>'
    ]
    parts.append(f'<rect x="0" y="4" width="10" height="10" fill="{RECEIVED_COLOUR}"/>')
    parts.append(f'<text x="14" y="13" font-size="12">{escape(_("Diterima"))}</text>')
    parts.append(f'<rect x="100" y="4" width="10" height="10" fill="{RESOLVED_COLOUR}"/>')
    parts.append(f'<text x="114" y="13" font-size="12">{escape(_("Selesai"))}</text>')
    for i, (month, received, resolved) in enumerate(trend):
        y = top + i * row
        parts.append(f'<text x="0" y="{y + 19}" font-size="12">{escape(date_format(month, "M y"))}</text>')
        for j, (value, colour) in enumerate(((received, RECEIVED_COLOUR), (resolved, RESOLVED_COLOUR))):
            w = usable * (value or 0) / peak
            by = y + 4 + j * 13
            shown = "&lt;3" if value is None else value
            parts.append(f'<rect x="{label_w}" y="{by}" width="{w:.1f}" height="11" fill="{colour}"/>')
            parts.append(f'<text x="{label_w + w + 4:.1f}" y="{by + 10}" font-size="11">{shown}</text>')
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text above is escaped


def bar_percent(value, peak) -> int:
    if not value or not peak:
        return 0
    return max(1, round(100 * value / peak))
