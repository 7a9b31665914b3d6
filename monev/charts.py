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


def bar_percent(value, peak) -> int:
    if not value or not peak:
        return 0
    return max(1, round(100 * value / peak))
