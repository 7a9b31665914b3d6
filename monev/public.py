"""The public transparency page and its open data: aggregates only, never a report, a name
or a text; a count of 1 or 2 (below settings.ADUAN_MONEV_PUBLIC_MIN_CELL) is suppressed,
and so is a share, median or mean resting on fewer reports than that.

The page is rendered from the same dictionary that the CSV and JSON downloads serialise,
so what the public reads and what it downloads are the same numbers.
"""

import csv
import io

from django.conf import settings
from django.utils import timezone

from governments.models import Government, site_name
from monev import charts, figures
from monev.catalogue import INDICATORS, PUBLIC_DIMENSIONS
from monev.forms import MonevFilterForm

DIMENSIONS = PUBLIC_DIMENSIONS


class PublicPeriodForm(MonevFilterForm):
    """Only the period: the public page has no scope filters."""

    def __init__(self, data=None, **kwargs):
        super().__init__(data, **kwargs)
        for name in ("agency", "category", "channel", "kind", "kecamatan", "kelurahan"):
            self.fields.pop(name, None)


def min_cell():
    return settings.ADUAN_MONEV_PUBLIC_MIN_CELL


def cell(n):
    """A count as published: None (suppressed) for 1 or 2 reports."""
    return None if n and n < min_cell() else n


def guarded(value, base):
    """A share, median or mean as published: None when it rests on fewer than 3 reports."""
    return value if base >= min_cell() else None


def _figures(fig: figures.Figures) -> dict:
    follow_up_n = fig.on_time["follow_up"].total
    resolution_n = fig.on_time["resolution"].total + fig.on_time["information"].total
    return {
        **{metric: cell(getattr(fig, metric)) for metric in figures.COUNT_METRICS},
        "archived_by_reason": {reason: cell(n) for reason, n in fig.archived_by_reason.items()},
        "on_time_percent": {step: guarded(share.percent, share.total) for step, share in fig.on_time.items()},
        "follow_up_days_median": guarded(fig.follow_up_days_median, follow_up_n),
        "follow_up_days_p90": guarded(fig.follow_up_days_p90, follow_up_n),
        "resolution_days_median": guarded(fig.resolution_days_median, resolution_n),
        "resolution_days_p90": guarded(fig.resolution_days_p90, resolution_n),
        "returns_per_report": guarded(fig.returns_per_report, fig.disposed),
        "reopens_per_report": guarded(fig.reopens_per_report, fig.resolved),
        "rating_mean": guarded(fig.rating_mean, fig.rated),
        "share_rated_percent": guarded(fig.share_rated.percent, fig.share_rated.total),
        "heard_back_percent": guarded(fig.heard_back.percent, fig.heard_back.total),
        "backlog": {bucket: cell(n) for bucket, n in fig.backlog.items()},
        "backlog_total": cell(fig.backlog_total),
    }


def _indicator_bases(fig):
    return {
        "on_time_follow_up": fig.on_time["follow_up"].total,
        "on_time_resolution": fig.on_time["resolution"].total,
        "median_follow_up_days": fig.on_time["follow_up"].total,
        "share_rated": fig.share_rated.total,
    }


def _government_figures(row) -> dict:
    """A government's row of a province (monev/tree.py), as published."""
    done_n = row.on_time.total
    return {
        "received": cell(row.received),
        "on_time_resolution_percent": guarded(row.on_time.percent, done_n),
        "resolution_days_mean": guarded(row.resolution_days_mean, done_n),
        "returned": cell(row.returned),
        "rating_mean": guarded(row.rating_mean, row.figures.rated),
    }


def province_data(board) -> dict | None:
    """The province as a whole (its own reports plus its kabupaten/kota's) and a row per
    kabupaten/kota; None for a government without children."""
    if not board.tree:
        return None
    return {
        "whole": _government_figures(board.tree.whole),
        "children": [{"government": str(r.government), **_government_figures(r)} for r in board.tree.rows],
    }


def open_data(board) -> dict:
    flt = board.filter
    agencies = []
    for row in board.scorecard:
        bases = _indicator_bases(row.figures)
        agencies.append(
            {
                "agency": str(row.agency),
                "disposed": cell(row.figures.disposed),
                "resolved": cell(row.figures.resolved),
                **{ind.key: guarded(ind.value, bases[ind.key]) for ind in row.indicators},
            }
        )
    return {
        # The figures' government: a government's own portal's data is signed with its name.
        "site": site_name(Government.objects.filter(pk=flt.government_id).first()),
        "period": {"start": flt.start.isoformat(), "end": flt.end.isoformat()},
        "generated_at": timezone.now().isoformat(timespec="seconds"),
        "suppressed_below": min_cell(),
        "figures": _figures(board.figures),
        "trend": [
            {"month": month.strftime("%Y-%m"), "received": cell(received), "resolved": cell(resolved)}
            for month, received, resolved in board.trend
        ],
        "breakdowns": {
            dimension: [
                {"label": str(row.label), **{m: cell(n) for m, n in row.counts.items()}}
                for row in board.breakdowns.get(dimension, [])
            ]
            for dimension in DIMENSIONS
        },
        "agencies": agencies,
        "province": province_data(board),
    }


def as_csv(data) -> str:
    """One row per published number: section, group, label, measure, value (empty when
    suppressed)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["periode_awal", "periode_akhir", "bagian", "kelompok", "label", "ukuran", "nilai"])
    period = [data["period"]["start"], data["period"]["end"]]

    def row(section, group, label, measure, value):
        writer.writerow([*period, section, group, label, measure, "" if value is None else value])

    for key, value in data["figures"].items():
        if isinstance(value, dict):
            for sub, v in value.items():
                row("kota", key, "", sub, v)
        else:
            row("kota", "", "", key, value)
    for point in data["trend"]:
        row("tren", "bulan", point["month"], "received", point["received"])
        row("tren", "bulan", point["month"], "resolved", point["resolved"])
    for dimension, rows in data["breakdowns"].items():
        for r in rows:
            for measure, value in r.items():
                if measure != "label":
                    row("rincian", dimension, r["label"], measure, value)
    if data.get("province"):
        for measure, value in data["province"]["whole"].items():
            row("provinsi", "seluruh", "", measure, value)
        for child in data["province"]["children"]:
            for measure, value in child.items():
                if measure != "government":
                    row("kabupaten_kota", "government", child["government"], measure, value)
    for agency in data["agencies"]:
        for measure, value in agency.items():
            if measure != "agency":
                row("perangkat_daerah", "agency", agency["agency"], measure, value)
    return out.getvalue()


def page_context(board) -> dict:

    data = open_data(board)
    labels = {key: label for key, label, *_rest in INDICATORS}
    breakdowns = []
    for dimension in DIMENSIONS:
        rows = data["breakdowns"][dimension]
        peak = max((r["received"] or 0 for r in rows), default=0)
        breakdowns.append(
            {
                "label": figures.DIMENSIONS[dimension],
                "rows": [
                    {
                        **r,
                        "cells": [r[m] for m in figures.COUNT_METRICS],
                        "bar": charts.bar_percent(r["received"], peak),
                    }
                    for r in rows
                ],
            }
        )
    trend = [(m, cell(r), cell(s)) for m, r, s in board.trend]
    return {
        "data": data,
        "fig": data["figures"],
        "headline": [(label, data["figures"][m]) for m, label in figures.COUNT_METRICS.items()],
        "metrics": list(figures.COUNT_METRICS.values()),
        "steps": [(figures.STEPS[s], data["figures"]["on_time_percent"][s]) for s in figures.STEPS],
        "backlog": [(label, data["figures"]["backlog"][name]) for name, label, *_r in figures.BACKLOG_BUCKETS],
        "breakdowns": breakdowns,
        "agencies": data["agencies"],
        "province": data["province"],
        "indicator_labels": [labels[key] for key, *_r in INDICATORS],
        "indicator_keys": [key for key, *_r in INDICATORS],
        "trend_svg": charts.trend_svg(trend),
        "trend_rows_svg": charts.trend_rows_svg(trend),
    }
