"""The monev figures computed the way they were before the rollup: straight from the
events, the dispositions and the reports (monev/figures.py before issue 21). Kept only
here, as the reference tests/test_monev_rollup.py compares monev/sums.py with; the shared
definitions (Filter, report_set, Figures, WorkdayIndex, …) are monev.figures' own."""

import datetime as dt

from django.db.models import Avg, Count, Exists, IntegerField, OuterRef, Q
from django.db.models.fields.json import KeyTextTransform
from django.db.models.functions import Cast, TruncMonth
from django.utils import timezone

from core import workdays
from monev.figures import (
    BACKLOG_BUCKETS,
    COUNT_METRICS,
    DIMENSION_FIELDS,
    STEPS,
    BreakdownRow,
    Figures,
    Filter,
    Share,
    WorkdayIndex,
    _first_of_kind,
    _labels,
    _ratio,
    analytic_queries,
    backlog_parts,
    median,
    month_of,
    percentile_90,
    report_set,
    scope_q,
)
from reports import deadlines
from reports.models import ArchiveReason, Disposition, Kind, ReportEvent


def _period_events(flt: Filter, actions):
    """Events of these actions in the period, on reports in the scope."""
    if isinstance(actions, str):
        actions = [actions]
    return ReportEvent.objects.filter(
        scope_q(flt, "report__"), action__in=actions, created_at__gte=flt.start_at, created_at__lt=flt.end_at
    )


def compute(flt: Filter) -> Figures:
    """Every figure for ``flt`` (see the module docstring)."""
    with analytic_queries():
        return _compute(flt)


def _compute(flt: Filter) -> Figures:
    fig = Figures()
    for metric in COUNT_METRICS:
        setattr(fig, metric, report_set(flt, metric).count())
    reasons = dict.fromkeys(ArchiveReason.values, 0)
    archived = _period_events(flt, "archived").order_by().values("report_id", "data__reason").distinct()
    for row in archived:
        reason = row["data__reason"]
        if reason in reasons:
            reasons[reason] += 1
    fig.archived_by_reason = reasons

    index = WorkdayIndex(flt.start - dt.timedelta(days=120), flt.end)
    fig.on_time = {step: Share() for step in STEPS}
    _verification(flt, fig, index)
    _dispositions(flt, fig, index)

    returns = _period_events(flt, "disposition_returned")
    if flt.agency:
        returns = returns.filter(agency_id=flt.agency)
    fig.returned = returns.count()
    fig.returns_per_report = _ratio(fig.returned, fig.disposed)
    fig.reopened = _period_events(flt, "disputed").count()
    fig.reopens_per_report = _ratio(fig.reopened, fig.resolved)

    ratings = _period_events(flt, "rated").aggregate(
        n=Count("pk"), mean=Avg(Cast(KeyTextTransform("rating", "data"), IntegerField()))
    )
    fig.rated = ratings["n"]
    fig.rating_mean = round(ratings["mean"], 2) if ratings["mean"] is not None else None
    rated_by_end = ReportEvent.objects.filter(report=OuterRef("pk"), action="rated", created_at__lt=flt.end_at)
    resolved = report_set(flt, "resolved")
    fig.share_rated = Share(resolved.filter(Exists(rated_by_end)).count(), fig.resolved)

    counts = dict.fromkeys(["total", *(name for name, *_rest in BACKLOG_BUCKETS)], 0)
    for part in backlog_parts(flt):
        for name, n in part.aggregate(**_backlog_aggregates(flt)).items():
            counts[name] += n
    fig.backlog = {name: counts[name] for name, *_rest in BACKLOG_BUCKETS}
    fig.backlog_total = counts["total"]

    fig.heard_back = Share(report_set(flt, "heard_back").count(), fig.received)
    return fig


def _backlog_aggregates(flt: Filter) -> dict:
    """Count("pk") in total and per age bucket, for a set of backlog reports (distinct: a
    grouped query may join a report more than once)."""
    end = flt.end_at
    aggregates = {"total": Count("pk", distinct=True)}
    for name, _label, low, high in BACKLOG_BUCKETS:
        condition = Q(received_at__lte=end - dt.timedelta(days=low))
        if high is not None:
            condition &= Q(received_at__gt=end - dt.timedelta(days=high + 1))
        aggregates[name] = Count("pk", filter=condition, distinct=True)
    return aggregates


def _verification(flt, fig, index):
    """On time: the first ``verified`` event by the end of the day that is the category's
    verification limit (3 working days by default) after receipt, plus the working days
    spent waiting for the reporter before it."""
    share = fig.on_time["verification"]
    for _pk, hit in _verification_hits(flt, index):
        share.total += 1
        share.hits += hit


def _verification_hits(flt, index):
    """(report id, on time?) for each first ``verified`` event in the period."""
    rows = list(
        _first_of_kind(_period_events(flt, "verified"), "verified", "report").values_list(
            "report_id", "report__received_at", "created_at", "report__category__verify_days"
        )
    )
    paused = {}
    # Holds waiting for the reporter: the replies (which record the paused working days)
    # of the same reports, found without a list of ids in the query.
    replies = (
        ReportEvent.objects.filter(
            scope_q(flt, "report__"),
            action="reporter_replied",
            created_at__lt=flt.end_at,
            report__received_at__gte=flt.start_at - dt.timedelta(days=366),
        ).values_list("report_id", "created_at", "data")
        if rows
        else []
    )
    verified_at = {pk: first for pk, _received, first, _days in rows}
    for report_id, at, data in replies:
        if report_id in verified_at and at <= verified_at[report_id]:
            paused[report_id] = paused.get(report_id, 0) + int((data or {}).get("paused_working_days") or 0)
    out = []
    for pk, received_at, first, days in rows:
        due = index.add(received_at, (days or deadlines.VERIFY_DAYS) + paused.get(pk, 0))
        out.append((pk, workdays.local_date(first) <= due))
    return out


def _dispositions(flt, fig, index):
    """First follow-up and resolution, per disposition, against the deadlines the
    disposition was given when it was made."""
    follow_ups, done = _first_disposition_events(flt)
    _fold_follow_ups(fig, follow_ups.values_list(*FOLLOW_UP_COLUMNS), index)
    _fold_done(fig, done.values_list(*DONE_COLUMNS), index)


FOLLOW_UP_COLUMNS = ("disposition__created_at", "disposition__follow_up_due_at", "created_at")

DONE_COLUMNS = ("disposition__created_at", "disposition__resolution_due_at", "created_at", "report__kind")


def _first_disposition_events(flt):
    """The first follow-up and the first ``disposition_done`` of each disposition, in the period."""
    follow_ups = _first_of_kind(
        _period_events(flt, "follow_up").filter(disposition__isnull=False), "follow_up", "disposition"
    )
    done = _first_of_kind(
        _period_events(flt, "disposition_done").filter(disposition__isnull=False), "disposition_done", "disposition"
    )
    if flt.agency:
        follow_ups, done = follow_ups.filter(agency_id=flt.agency), done.filter(agency_id=flt.agency)
    return follow_ups, done


def _fold_follow_ups(fig, rows, index):
    days = []
    share = fig.on_time["follow_up"]
    for created_at, due, first in rows:
        days.append(index.between(created_at, first))
        share.total += 1
        share.hits += due is None or first <= due
    fig.follow_up_days_median, fig.follow_up_days_p90 = median(days), percentile_90(days)


def _fold_done(fig, rows, index):
    days = []
    for created_at, due, done_at, kind in rows:
        days.append(index.between(created_at, done_at))
        share = fig.on_time["information" if kind == Kind.INFORMATION_REQUEST else "resolution"]
        share.total += 1
        share.hits += due is None or done_at <= due
    fig.resolution_days_median, fig.resolution_days_p90 = median(days), percentile_90(days)


def _empty_figures() -> Figures:
    fig = Figures()
    fig.archived_by_reason = dict.fromkeys(ArchiveReason.values, 0)
    fig.on_time = {step: Share() for step in STEPS}
    fig.backlog = {name: 0 for name, *_rest in BACKLOG_BUCKETS}
    return fig


def _in_own_scope():
    """On an event: its report has a disposition to the event's agency (the agency scope,
    which an agency's event always meets unless its disposition is gone)."""
    return Exists(Disposition.objects.filter(report=OuterRef("report_id"), agency=OuterRef("agency_id")))


def _per_agency(reports) -> dict:
    """agency id → reports of this Report queryset that are in the agency's scope."""
    rows = reports.order_by().values_list("dispositions__agency_id").annotate(n=Count("pk", distinct=True))
    return {agency: n for agency, n in rows if agency is not None}


def _per_event_agency(events, count="report_id") -> dict:
    """agency id → distinct ``count`` of these events, by the event's own agency."""
    rows = events.filter(_in_own_scope()).order_by().values_list("agency_id").annotate(n=Count(count, distinct=True))
    return {agency: n for agency, n in rows if agency is not None}


def _agency_pairs(events):
    """(agency id, event) pairs: each event of this ReportEvent queryset once per agency in
    whose scope its report is, as (agency id, *columns) tuples."""
    return events.order_by().values_list("report__dispositions__agency_id", "pk").distinct()


def compute_by_agency(flt: Filter) -> dict[int, Figures]:
    """compute(flt.with_(agency=a)) for every agency a with a disposition in the scope,
    from one grouped query per figure instead of one compute per agency (the scorecard).
    Each figure keeps its agency-scope definition; tests compare the two."""
    base = flt.with_(agency=None)
    with analytic_queries():
        ids = Disposition.objects.filter(scope_q(base, "report__")).order_by().values_list("agency_id", flat=True)
        ids = ids.distinct()
        figs = {agency: _empty_figures() for agency in ids}
        if figs:
            _compute_by_agency(base, figs)
    return figs


def _compute_by_agency(base: Filter, figs: dict) -> None:
    start, end = base.start_at, base.end_at

    def put(name, counts):
        for agency, n in counts.items():
            if agency in figs:
                setattr(figs[agency], name, n)

    for metric in ("received", "verified", "closed", "archived"):
        put(metric, _per_agency(report_set(base, metric)))
    made = Disposition.objects.filter(scope_q(base, "report__"), created_at__gte=start, created_at__lt=end)
    put("disposed", dict(made.order_by().values_list("agency_id").annotate(n=Count("report_id", distinct=True))))
    follow_ups, done = _first_disposition_events(base)
    put("followed_up", _per_event_agency(follow_ups))
    finished = _period_events(base, "disposition_done")
    put("resolved", _per_event_agency(finished))
    rated_by_end = ReportEvent.objects.filter(report=OuterRef("report_id"), action="rated", created_at__lt=end)
    rated_resolved = _per_event_agency(finished.filter(Exists(rated_by_end)))

    for agency, _report, reason in (
        _period_events(base, "archived")
        .order_by()
        .values_list("report__dispositions__agency_id", "report_id", "data__reason")
    ).distinct():
        if agency in figs and reason in figs[agency].archived_by_reason:
            figs[agency].archived_by_reason[reason] += 1

    index = WorkdayIndex(base.start - dt.timedelta(days=120), base.end)
    hits = {}
    for report_id, hit in _verification_hits(base, index):
        hits.setdefault(report_id, []).append(hit)
    verified_pairs = (
        Disposition.objects.filter(
            report__in=_first_of_kind(_period_events(base, "verified"), "verified", "report").values("report_id")
        )
        .order_by()
        .values_list("report_id", "agency_id")
        .distinct()
    )
    for report_id, agency in verified_pairs:
        if agency in figs:
            share = figs[agency].on_time["verification"]
            for hit in hits.get(report_id, []):
                share.total += 1
                share.hits += hit
    rows = {}
    for agency, *row in follow_ups.filter(_in_own_scope()).values_list("agency_id", *FOLLOW_UP_COLUMNS):
        rows.setdefault(agency, []).append(row)
    for agency, fig in figs.items():
        _fold_follow_ups(fig, rows.get(agency, []), index)
    rows = {}
    for agency, *row in done.filter(_in_own_scope()).values_list("agency_id", *DONE_COLUMNS):
        rows.setdefault(agency, []).append(row)
    for agency, fig in figs.items():
        _fold_done(fig, rows.get(agency, []), index)

    put("returned", _per_event_agency(_period_events(base, "disposition_returned"), count="pk"))
    reopened = _agency_pairs(_period_events(base, "disputed"))
    put("reopened", _tally(agency for agency, _pk in reopened))
    ratings = {}
    rated = _period_events(base, "rated").annotate(value=Cast(KeyTextTransform("rating", "data"), IntegerField()))
    for agency, _pk, value in rated.order_by().values_list("report__dispositions__agency_id", "pk", "value").distinct():
        ratings.setdefault(agency, []).append(value)

    backlog = {}
    for part in backlog_parts(base):
        grouped = part.order_by().values_list("dispositions__agency_id").annotate(**_backlog_aggregates(base))
        for agency, *counts in grouped:
            total = backlog.setdefault(agency, dict.fromkeys(["total", *(b for b, *_r in BACKLOG_BUCKETS)], 0))
            for name, n in zip(total, counts, strict=True):
                total[name] += n
    heard_back = _per_agency(report_set(base, "heard_back"))

    for agency, fig in figs.items():
        fig.returns_per_report = _ratio(fig.returned, fig.disposed)
        fig.reopens_per_report = _ratio(fig.reopened, fig.resolved)
        values = [v for v in ratings.get(agency, []) if v is not None]
        fig.rated = len(ratings.get(agency, []))
        fig.rating_mean = round(sum(values) / len(values), 2) if values else None
        fig.share_rated = Share(rated_resolved.get(agency, 0), fig.resolved)
        counts = backlog.get(agency)
        if counts:
            fig.backlog = {name: counts[name] for name, *_rest in BACKLOG_BUCKETS}
            fig.backlog_total = counts["total"]
        fig.heard_back = Share(heard_back.get(agency, 0), fig.received)


def _tally(values) -> dict:
    counts = {}
    for value in values:
        counts[value] = counts.get(value, 0) + 1
    return counts


def breakdowns(
    flt: Filter, dimensions, metrics=tuple(COUNT_METRICS), *, refresh=False
) -> dict[str, list[BreakdownRow]]:
    """breakdown() for several dimensions at once: each metric's reports are read once (with
    the fields every dimension groups by) and counted per value here; the agency rows come
    from compute_by_agency (the scorecard's figures)."""
    counts = {dimension: {} for dimension in dimensions}
    grouped = [d for d in dimensions if d != "agency"]
    if grouped:
        fields = [DIMENSION_FIELDS[d] for d in grouped]
        for metric in metrics:
            for values in report_set(flt, metric).order_by().values_list(*fields):
                for dimension, value in zip(grouped, values, strict=True):
                    if value is not None:
                        row = counts[dimension].setdefault(value, dict.fromkeys(metrics, 0))
                        row[metric] += 1
    if "agency" in dimensions:
        if flt.agency:
            agencies = Disposition.objects.filter(scope_q(flt, "report__")).values_list("agency_id", flat=True)
            per_agency = {a: compute(flt.with_(agency=a)) for a in agencies.order_by().distinct()}
        else:
            per_agency = compute_by_agency(flt)
        counts["agency"] = {a: {m: getattr(fig, m) for m in metrics} for a, fig in per_agency.items()}
    out = {}
    for dimension in dimensions:
        labels = _labels(dimension, list(counts[dimension]))
        # Channel and kind labels stay lazy: the board is cached once for every language.
        rows = [
            BreakdownRow(value, labels.get(value, str(value)), c)
            for value, c in counts[dimension].items()
            if any(c.values())
        ]
        rows.sort(key=lambda r: (-r.counts.get("received", 0), str(r.label)))
        out[dimension] = rows
    return out


def trend(flt: Filter, months: int = 12) -> list[tuple[dt.date, int, int]]:
    """(month, received, resolved) for the ``months`` months ending with the filter's end:
    each equals report_set(the month, metric).count(), grouped by month in two queries."""
    first = flt.end.replace(day=1)
    for _i in range(months - 1):
        first = (first - dt.timedelta(days=1)).replace(day=1)
    span = flt.with_(start=first, end=month_of(flt.end).end)
    zone = timezone.get_current_timezone()
    received = dict(
        report_set(span, "received")
        .order_by()
        .annotate(month=TruncMonth("received_at", tzinfo=zone))
        .values_list("month")
        .annotate(n=Count("pk"))
    )
    if flt.agency:
        events = _period_events(span, "disposition_done").filter(agency_id=flt.agency)
    else:
        events = ReportEvent.objects.filter(
            scope_q(span, "report__"), to_status="resolved", created_at__gte=span.start_at, created_at__lt=span.end_at
        ).exclude(from_status="resolved")
    resolved = dict(
        events.order_by()
        .annotate(month=TruncMonth("created_at", tzinfo=zone))
        .values_list("month")
        .annotate(n=Count("report_id", distinct=True))
    )
    received = {timezone.localtime(k, zone).date() if isinstance(k, dt.datetime) else k: n for k, n in received.items()}
    resolved = {timezone.localtime(k, zone).date() if isinstance(k, dt.datetime) else k: n for k, n in resolved.items()}
    out = []
    for _i in range(months):
        out.append((first, received.get(first, 0), resolved.get(first, 0)))
        first = month_of(first).end + dt.timedelta(days=1)
    return out
