"""The monev figures read from the rollup (monev/models.py, kept by monev/rollup.py): every
count, share, median and backlog of a period is a sum over ``DailyRollup`` rows of the
period's days, so no figure reads the reports or their events, whatever the filter.

The definitions are those of docs/panduan-monev.md, applied per report when its cells are
written; ``figures.report_set`` (the drill-down lists) keeps them as queries over the
reports, and the tests compare the two. Reading a period [s, e]:

- counts of reports: rows with ``s <= day <= e`` and ``ref < s`` (each report once);
- heard back, share rated: also ``value <= e`` (the day of the first answer or rating);
- medians: the histogram of working days in ``value``;
- backlog at the end of e: spans with ``day <= e < value``, aged by ``ref`` (received).
"""

import datetime as dt
from collections import Counter
from dataclasses import dataclass

from django.core.cache import cache
from django.db.models import Case, F, Q, Sum, Value, When

from agencies.models import Agency, Region
from core import workdays
from monev import figures
from monev.figures import BACKLOG_BUCKETS, COUNT_METRICS, STEPS, Figures, Filter, Share
from monev.models import DailyRollup
from monev.rollup import UNIT_MEASURES, government_scope
from reports.models import ArchiveReason, Category, Disposition

# Measures whose rows also carry the day of a later fact in ``value`` (an ordinal).
DATED = ["heard_back", "resolved_rated"]
HISTOGRAMS = {
    "follow_up": ("follow_up_hit", "follow_up_late"),
    "resolution": ("done_hit", "done_late"),
    "information": ("info_hit", "info_late"),
}


def _own_scope(flt: Filter) -> int:
    """The rollup scope of the filter: its agency, else its government as a whole."""
    return flt.agency or government_scope(flt.government_id)


def _scope(flt: Filter, agency) -> Q:
    """The filter's classification, and ``agency``: an id, a government's scope, a list of
    them (several governments' scopes: monev/tree.py), or None for every agency of the
    filter's government."""
    if agency is None:
        q = Q(agency__gt=0, agency__in=Agency.objects.filter(government_id=flt.government_id).values("pk"))
    elif isinstance(agency, list):
        q = Q(agency__in=agency)
    else:
        q = Q(agency=agency)
    if flt.category:
        q &= Q(category__in=_category_ids(flt.category))
    if flt.channel:
        q &= Q(channel=flt.channel)
    if flt.kind:
        q &= Q(kind=flt.kind)
    if flt.kelurahan:
        q &= Q(region=flt.kelurahan)
    if flt.kecamatan:
        q &= Q(region__in=_kelurahan_ids(flt.kecamatan))
    return q


def _category_ids(category: int) -> list[int]:
    return [category, *Category.objects.filter(parent_id=category).values_list("pk", flat=True)]


def _kelurahan_ids(kecamatan: int) -> list[int]:
    return list(Region.objects.filter(parent_id=kecamatan).values_list("pk", flat=True))


def _in_period(flt: Filter, agency) -> Q:
    """The rows a period counts (not the backlog's spans, not the scope markers)."""
    last = flt.end.toordinal()
    return (
        _scope(flt, agency)
        & Q(day__gte=flt.start, day__lte=flt.end, ref__lt=flt.start)
        & ~Q(measure__in=["backlog", "scope"])
        & (~Q(measure__in=DATED) | Q(value__lte=last))
    )


def _period_rows(flt: Filter, agency, *group):
    """(*group, measure, value, n): the period's sums; value only for the histograms."""
    value = Case(When(measure__in=DATED, then=Value(0)), default=F("value"))
    return (
        DailyRollup.objects.filter(_in_period(flt, agency))
        .annotate(v=value)
        .order_by()
        .values_list(*group, "measure", "v")
        .annotate(total=Sum("n"))
    )


def _backlog_rows(flt: Filter, agency, *group):
    """(*group, total, bucket counts…) of the reports in unfinished work at the end."""
    end = flt.end
    buckets = {}
    for name, _label, low, high in BACKLOG_BUCKETS:
        condition = Q(ref__lte=end - dt.timedelta(days=low))
        if high is not None:
            condition &= Q(ref__gte=end - dt.timedelta(days=high))
        buckets[f"b_{name}"] = Sum("n", filter=condition)
    spans = DailyRollup.objects.filter(_scope(flt, agency), measure="backlog", day__lte=end, value__gt=end.toordinal())
    if not group:
        return [tuple(spans.aggregate(total=Sum("n"), **buckets).values())]
    return spans.order_by().values_list(*group).annotate(total=Sum("n"), **buckets)


def _fold(rows, backlog) -> Figures:
    """Figures from (measure, value, n) rows and the backlog's (total, *buckets)."""
    sums, histograms = Counter(), {}
    for measure, value, n in rows:
        sums[measure] += n
        histograms.setdefault(measure, Counter())[value] += n
    fig = Figures()
    for metric in COUNT_METRICS:
        setattr(fig, metric, sums[metric])
    fig.archived_by_reason = {reason: sums[f"archived:{reason}"] for reason in ArchiveReason.values}
    fig.on_time = {step: Share() for step in STEPS}
    fig.on_time["verification"] = Share(sums["verify_hit"], sums["verify_hit"] + sums["verify_late"])
    for step, (hit, late) in HISTOGRAMS.items():
        fig.on_time[step] = Share(sums[hit], sums[hit] + sums[late])

    def days(*measures):
        values = []
        for measure in measures:
            for value, n in sorted(histograms.get(measure, {}).items()):
                values.extend([value] * n)
        return sorted(values)

    follow_up = days(*HISTOGRAMS["follow_up"])
    fig.follow_up_days_median, fig.follow_up_days_p90 = figures.median(follow_up), figures.percentile_90(follow_up)
    done = days(*HISTOGRAMS["resolution"], *HISTOGRAMS["information"])
    fig.resolution_days_median, fig.resolution_days_p90 = figures.median(done), figures.percentile_90(done)
    fig.returned, fig.reopened, fig.rated = sums["returned"], sums["reopened"], sums["rated"]
    fig.referred_out, fig.referred_in = sums["referred_out"], sums["referred_in"]
    fig.referral_returned = sums["referral_returned"]
    fig.returns_per_report = figures._ratio(fig.returned, fig.disposed)
    fig.reopens_per_report = figures._ratio(fig.reopened, fig.resolved)
    fig.rating_mean = round(sums["rating_sum"] / sums["rating_n"], 2) if sums["rating_n"] else None
    fig.share_rated = Share(sums["resolved_rated"], fig.resolved)
    fig.heard_back = Share(sums["heard_back"], fig.received)
    total, *buckets = backlog or (0,) * (1 + len(BACKLOG_BUCKETS))
    fig.backlog = {name: n or 0 for (name, *_rest), n in zip(BACKLOG_BUCKETS, buckets, strict=True)}
    fig.backlog_total = total or 0
    return fig


def compute(flt: Filter) -> Figures:
    """Every figure for ``flt`` (two queries over the rollup)."""
    with figures.analytic_queries():
        agency = _own_scope(flt)
        return _fold(_period_rows(flt, agency), _backlog_rows(flt, agency)[0])


def count(flt: Filter, metric: str) -> int:
    """One count of COUNT_METRICS (= figures.report_set(flt, metric).count())."""
    rows = _period_rows(flt, _own_scope(flt)).filter(measure=metric)
    return sum(n for _m, _v, n in rows)


def _cached(key, flt: Filter, work, *, refresh):
    """``work(flt)`` cached under ``key`` and the calendar's version (``refresh``: computed
    again and stored, as the warm-up does), for as long as ``flt``'s period allows."""
    key = f"{key}:{workdays.calendar_version()}"
    found = None if refresh else cache.get(key)
    if found is None:
        found = work(flt)
        cache.set(key, found, figures.cache_seconds(flt))
    return found


def cached_compute(flt: Filter, *, refresh=False) -> Figures:
    """compute(), cached (``refresh``: computed again and stored, as the warm-up does)."""
    return _cached(f"monev:figures:{flt.key()}", flt, compute, refresh=refresh)


def compute_by_agency(flt: Filter) -> dict[int, Figures]:
    """compute(flt.with_(agency=a)) for every agency a with a disposition on a report in the
    scope (the scorecard), in three grouped queries."""
    base = flt.with_(agency=None)
    with figures.analytic_queries():
        markers = (
            DailyRollup.objects.filter(_scope(base, None), measure="scope")
            .order_by()
            .values_list("agency")
            .annotate(total=Sum("n"))
        )
        agencies = [agency for agency, total in markers if total]
        rows, backlog = {}, {}
        for agency, measure, value, n in _period_rows(base, None, "agency"):
            rows.setdefault(agency, []).append((measure, value, n))
        for agency, *counts in _backlog_rows(base, None, "agency"):
            backlog[agency] = counts
        return {agency: _fold(rows.get(agency, []), backlog.get(agency)) for agency in agencies}


def cached_compute_by_agency(flt: Filter, *, refresh=False) -> dict[int, Figures]:
    """compute_by_agency(), cached like cached_compute."""
    return _cached(f"monev:agencies:{flt.with_(agency=None).key()}", flt, compute_by_agency, refresh=refresh)


# The rollup column a dimension groups by (kecamatan: the kelurahan's, then its parent).
GROUP_COLUMNS = {
    "category": "category",
    "channel": "channel",
    "kind": "kind",
    "kelurahan": "region",
    "kecamatan": "region",
}
NONE_VALUES = {"category": 0, "kelurahan": 0, "kecamatan": 0}


def breakdown(flt: Filter, dimension: str, metrics=tuple(COUNT_METRICS)) -> list[figures.BreakdownRow]:
    """Counts per value of ``dimension``; each equals ``figures.report_set(flt.with_(dimension=value),
    metric).count()``. Values with no report in any metric are left out."""
    return breakdowns(flt, [dimension], metrics)[dimension]


def breakdowns(
    flt: Filter, dimensions, metrics=tuple(COUNT_METRICS), *, refresh=False
) -> dict[str, list[figures.BreakdownRow]]:
    """breakdown() for several dimensions: one grouped query per column; the agency rows
    are the scorecard's figures."""
    counts = {dimension: {} for dimension in dimensions}
    agency = _own_scope(flt)
    by_column = {}
    for dimension in dimensions:
        if dimension == "agency":
            continue
        column = GROUP_COLUMNS[dimension]
        if column not in by_column:
            rows = _period_rows(flt, agency, column).filter(measure__in=list(metrics))
            by_column[column] = [(value, measure, n) for value, measure, _v, n in rows]
        parents = {}
        if dimension == "kecamatan":
            ids = {value for value, _m, _n in by_column[column]}
            parents = dict(Region.objects.filter(pk__in=ids).values_list("pk", "parent_id"))
        for value, measure, n in by_column[column]:
            if dimension == "kecamatan":
                value = parents.get(value) or 0
            if value == NONE_VALUES.get(dimension):
                continue
            counts[dimension].setdefault(value, dict.fromkeys(metrics, 0))[measure] += n
    if "agency" in dimensions:
        if flt.agency:
            agencies = Disposition.objects.filter(figures.scope_q(flt, "report__")).values_list("agency_id", flat=True)
            per_agency = {
                a: cached_compute(flt.with_(agency=a), refresh=refresh) for a in agencies.order_by().distinct()
            }
        else:
            per_agency = cached_compute_by_agency(flt, refresh=refresh)
        counts["agency"] = {a: {m: getattr(fig, m) for m in metrics} for a, fig in per_agency.items()}
    out = {}
    for dimension in dimensions:
        labels = figures._labels(dimension, list(counts[dimension]))
        # Channel and kind labels stay lazy: the board is cached once for every language.
        rows = [
            figures.BreakdownRow(value, labels.get(value, str(value)), c)
            for value, c in counts[dimension].items()
            if any(c.values())
        ]
        rows.sort(key=lambda r: (-r.counts.get("received", 0), str(r.label)))
        out[dimension] = rows
    return out


def trend(flt: Filter, months: int = 12) -> list[tuple[dt.date, int, int]]:
    """(month, received, resolved) for the ``months`` months ending with the filter's end:
    each equals report_set(the month, metric).count(), from one grouped query."""
    first = flt.end.replace(day=1)
    for _i in range(months - 1):
        first = (first - dt.timedelta(days=1)).replace(day=1)
    span = flt.with_(start=first, end=figures.month_of(flt.end).end)
    rows = (
        DailyRollup.objects.filter(
            _scope(span, _own_scope(flt)),
            measure__in=["received", "resolved"],
            day__gte=span.start,
            day__lte=span.end,
        )
        .order_by()
        .values_list("measure", "day", "ref")
        .annotate(total=Sum("n"))
    )
    sums = Counter()
    for measure, day, ref, n in rows:
        month = day.replace(day=1)
        if ref < month:
            sums[(month, measure)] += n
    out = []
    for _i in range(months):
        out.append((first, sums[(first, "received")], sums[(first, "resolved")]))
        first = figures.month_of(first).end + dt.timedelta(days=1)
    return out


def received_per_kelurahan(flt: Filter) -> dict[int, int]:
    """Reports received in the period per kelurahan (the map)."""
    rows = _period_rows(flt, _own_scope(flt), "region").filter(measure="received")
    counts = Counter()
    for region, _measure, _value, n in rows:
        if region:
            counts[region] += n
    return {region: n for region, n in counts.items() if n}


# ---------------------------------------------------------------------------- the units' part


@dataclass(frozen=True)
class UnitPart:
    """What one unit did with the work its agency forwarded, in a period."""

    unit: Agency
    forwarded: int
    done_hit: int
    done_late: int
    returned: int

    @property
    def on_time(self) -> Share:
        return Share(self.done_hit, self.done_hit + self.done_late)


def units_part(flt: Filter, agency_id: int) -> list[UnitPart]:
    """The agency's units (its children) with their part of its work in the filter's
    period: forwarded to them, done on time or late, returned up. Two queries, whatever
    the number of units or reports (the rollup's unit measures, monev/rollup.py)."""
    units = list(Agency.objects.filter(parent_id=agency_id).order_by("name"))
    if not units:
        return []
    rows = (
        DailyRollup.objects.filter(_in_period(flt, None), agency__in=[u.pk for u in units], measure__in=UNIT_MEASURES)
        .order_by()
        .values_list("agency", "measure")
        .annotate(total=Sum("n"))
    )
    counts = {(agency, measure): total for agency, measure, total in rows}
    return [UnitPart(u, *(counts.get((u.pk, measure), 0) for measure in UNIT_MEASURES)) for u in units]
