"""The monev figures, computed from ReportEvent history (and the Disposition rows whose
creation time and deadlines are fixed when they are made).

A figure for a period only reads events (and receipts) that happened inside the period, or
the history up to its end, so a figure for last March does not change when a report
changes today. The definitions are in docs/panduan-monev.md; the shape is:

- ``Filter``: the period (local dates, both ends included) and the scope (agency,
  category, channel, kind, kecamatan, kelurahan);
- ``report_set(flt, metric)``: the reports behind a count; every count on the dashboard,
  the public page and the recaps is ``report_set(...).count()`` or a grouped count of the
  same query, so a number and the list its link opens always agree;
- ``compute(flt)``: every figure for one filter (``cached_compute`` caches it);
- ``breakdown(flt, dimension)``: the counts per channel, category, kind, kecamatan,
  kelurahan or agency, each row clicking through with its value added to the filter.

One subject, kept in one module on purpose: every figure shares the filter, the event
queries and the working-day index, and splitting them would scatter one definition of
"on time" over several files (about 850 lines).
"""

import bisect
import contextlib
import datetime as dt
import hashlib
import math
import statistics
from dataclasses import asdict, dataclass, field, replace

from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction
from django.db.models import Avg, Count, Exists, IntegerField, OuterRef, Q, Subquery
from django.db.models.fields.json import KeyTextTransform
from django.db.models.functions import Cast, TruncMonth
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from agencies.models import Agency, Region
from core import workdays
from reports import deadlines
from reports.models import OPEN_STATES, ArchiveReason, Category, Channel, Disposition, Kind, Report, ReportEvent

# A reply written by a person (coordinator or agency) that the reporter sees.
HEARD_BACK_ROLES = ["coordinator", "agency"]

COUNT_METRICS = {
    "received": _("Diterima"),
    "verified": _("Diverifikasi"),
    "disposed": _("Didisposisikan"),
    "followed_up": _("Ditindaklanjuti"),
    "resolved": _("Selesai"),
    "closed": _("Ditutup"),
    "archived": _("Diarsipkan"),
}
EXTRA_METRICS = {
    "returned": _("Dikembalikan (bukan wewenang)"),
    "reopened": _("Dibuka kembali"),
    "rated": _("Dinilai"),
    "heard_back": _("Pelapor mendapat jawaban"),
    "backlog": _("Tunggakan"),
}
METRICS = {**COUNT_METRICS, **EXTRA_METRICS}

STEPS = {
    "verification": _("Verifikasi"),
    "follow_up": _("Tindak lanjut pertama"),
    "resolution": _("Penyelesaian"),
    "information": _("Jawaban permintaan informasi"),
}

# Work not yet done: open, but not resolved (a resolved report waits only for the reporter).
BACKLOG_STATES = [s for s in OPEN_STATES if s != "resolved"]
# Backlog age buckets, in calendar days since receipt at the end of the period.
BACKLOG_BUCKETS = [
    ("0-7", _("0–7 hari"), 0, 7),
    ("8-30", _("8–30 hari"), 8, 30),
    ("31-90", _("31–90 hari"), 31, 90),
    ("90+", _("> 90 hari"), 91, None),
]

DIMENSIONS = {
    "agency": _("Perangkat daerah"),
    "category": _("Kategori"),
    "channel": _("Kanal"),
    "kind": _("Jenis"),
    "kecamatan": _("Kecamatan"),
    "kelurahan": _("Kelurahan"),
}
# The Report field a dimension groups by (agency is grouped through its dispositions).
DIMENSION_FIELDS = {
    "category": "category_id",
    "channel": "channel",
    "kind": "kind",
    "kecamatan": "region__parent_id",
    "kelurahan": "region_id",
}


# ---------------------------------------------------------------------------- the filter


@dataclass(frozen=True)
class Filter:
    start: dt.date
    end: dt.date  # included
    agency: int | None = None
    category: int | None = None
    channel: str = ""
    kind: str = ""
    kecamatan: int | None = None
    kelurahan: int | None = None

    @property
    def start_at(self) -> dt.datetime:
        return timezone.make_aware(dt.datetime.combine(self.start, dt.time.min))

    @property
    def end_at(self) -> dt.datetime:
        """The first moment after the period (exclusive bound)."""
        return timezone.make_aware(dt.datetime.combine(self.end + dt.timedelta(days=1), dt.time.min))

    def with_(self, **changes) -> "Filter":
        return replace(self, **changes)

    def scope_params(self) -> dict:
        """The filter as query parameters (what the dashboard, the drill-down and the recap
        downloads accept)."""
        params = {"start": self.start.isoformat(), "end": self.end.isoformat()}
        for name in ("agency", "category", "channel", "kind", "kecamatan", "kelurahan"):
            value = getattr(self, name)
            if value:
                params[name] = value
        return params

    def key(self) -> str:
        raw = "|".join(f"{k}={v}" for k, v in sorted(self.scope_params().items()))
        return hashlib.sha1(raw.encode()).hexdigest()


def month_of(day: dt.date) -> Filter:
    first = day.replace(day=1)
    last = (first + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)
    return Filter(first, last)


def period_bounds(kind: str, day: dt.date) -> tuple[dt.date, dt.date]:
    """The month, quarter or year holding ``day``."""
    if kind == "year":
        return dt.date(day.year, 1, 1), dt.date(day.year, 12, 31)
    if kind == "quarter":
        first_month = 3 * ((day.month - 1) // 3) + 1
        start = dt.date(day.year, first_month, 1)
        end = (dt.date(day.year, first_month + 2, 1) + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)
        return start, end
    start = day.replace(day=1)
    return start, (start + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)


def scope_q(flt: Filter, prefix: str = "") -> Q:
    """The scope as conditions on a Report (``prefix`` ""), or on a row pointing at one
    (``prefix`` "report__"), joined rather than as a subquery over every report."""
    q = Q()
    if flt.agency:
        report = OuterRef(f"{prefix}pk" if prefix == "" else prefix.rstrip("_") + "_id")
        q &= Q(Exists(Disposition.objects.filter(report=report, agency_id=flt.agency)))
    if flt.category:
        q &= Q(**{f"{prefix}category_id": flt.category}) | Q(**{f"{prefix}category__parent_id": flt.category})
    if flt.channel:
        q &= Q(**{f"{prefix}channel": flt.channel})
    if flt.kind:
        q &= Q(**{f"{prefix}kind": flt.kind})
    if flt.kecamatan:
        q &= Q(**{f"{prefix}region__parent_id": flt.kecamatan})
    if flt.kelurahan:
        q &= Q(**{f"{prefix}region_id": flt.kelurahan})
    return q


def scope_reports(flt: Filter):
    """The reports in the filter's scope (not yet narrowed by time)."""
    return Report.objects.filter(scope_q(flt))


def _period_events(flt: Filter, actions):
    """Events of these actions in the period, on reports in the scope."""
    if isinstance(actions, str):
        actions = [actions]
    return ReportEvent.objects.filter(
        scope_q(flt, "report__"), action__in=actions, created_at__gte=flt.start_at, created_at__lt=flt.end_at
    )


def _entered(flt: Filter, status: str):
    """Events in the period that moved a report into ``status`` (from any action, so
    changes imported from SP4N-LAPOR! count as well), on a report (OuterRef)."""
    return ReportEvent.objects.filter(
        report=OuterRef("pk"), to_status=status, created_at__gte=flt.start_at, created_at__lt=flt.end_at
    ).exclude(from_status=status)


def _first_of_kind(events, action, per):
    """``events`` that are the first ``action`` event of their disposition or report (``per``)."""
    earlier = ReportEvent.objects.filter(**{per: OuterRef(per)}, action=action, created_at__lt=OuterRef("created_at"))
    return events.exclude(Exists(earlier))


def _events(flt: Filter, actions, **more):
    """Events of these actions inside the period, on a report (not yet tied to the scope)."""
    if isinstance(actions, str):
        actions = [actions]
    return ReportEvent.objects.filter(
        report=OuterRef("pk"), action__in=actions, created_at__gte=flt.start_at, created_at__lt=flt.end_at, **more
    )


def _status_at(moment):
    """The report's status just before ``moment``, from its events."""
    return Subquery(
        ReportEvent.objects.filter(report=OuterRef("pk"), created_at__lt=moment)
        .exclude(to_status="")
        .order_by("-created_at", "-pk")
        .values("to_status")[:1]
    )


def _backlog_changed_since(end):
    """Reports changed after ``end`` whose status just before it was unfinished work."""
    changed = ReportEvent.objects.filter(created_at__gte=end).values("report_id")
    return (
        Report.objects.filter(pk__in=changed, received_at__lt=end)
        .annotate(status_then=_status_at(end))
        .filter(status_then__in=BACKLOG_STATES)
        .values("pk")
    )


def backlog_parts(flt: Filter):
    """The backlog at the period's end as two disjoint report sets, each cheap to count
    (counting their union makes the database scan every report received before the end):

    - unchanged: nothing happened to the report since the end, so its status then is its
      status now (an index on status and receipt time finds these);
    - changed: an event since the end, so its status then is the last status its events
      recorded before the end (looked up per report changed since)."""
    end = flt.end_at
    reports = scope_reports(flt)
    later = ReportEvent.objects.filter(report=OuterRef("pk"), created_at__gte=end)
    unchanged = reports.filter(status__in=BACKLOG_STATES, received_at__lt=end).filter(~Exists(later))
    changed = reports.filter(pk__in=_backlog_changed_since(end))
    return unchanged, changed


def report_set(flt: Filter, metric: str, *, reason: str = "", bucket: str = ""):
    """The reports behind one count (see docs/panduan-monev.md for each definition)."""
    reports = scope_reports(flt)
    start, end = flt.start_at, flt.end_at
    if metric == "received":
        return reports.filter(received_at__gte=start, received_at__lt=end)
    if metric == "verified":
        return reports.filter(Exists(_events(flt, "verified")))
    if metric == "disposed":
        if flt.agency:
            made = Disposition.objects.filter(
                report=OuterRef("pk"), agency_id=flt.agency, created_at__gte=start, created_at__lt=end
            )
            return reports.filter(Exists(made))
        return reports.filter(Exists(_events(flt, "disposed")))
    if metric == "followed_up":
        firsts = _first_of_kind(_events(flt, "follow_up", disposition__isnull=False), "follow_up", "disposition")
        if flt.agency:
            firsts = firsts.filter(agency_id=flt.agency)
        return reports.filter(Exists(firsts))
    if metric == "resolved":
        if flt.agency:
            return reports.filter(Exists(_events(flt, "disposition_done", agency_id=flt.agency)))
        return reports.filter(Exists(_entered(flt, "resolved")))
    if metric == "closed":
        return reports.filter(Exists(_entered(flt, "closed")))
    if metric == "archived":
        events = _entered(flt, "archived")
        if reason:
            events = events.filter(data__reason=reason)
        return reports.filter(Exists(events))
    if metric == "returned":
        more = {"agency_id": flt.agency} if flt.agency else {}
        return reports.filter(Exists(_events(flt, "disposition_returned", **more)))
    if metric == "reopened":
        return reports.filter(Exists(_events(flt, "disputed")))
    if metric == "rated":
        return reports.filter(Exists(_events(flt, "rated")))
    if metric == "heard_back":
        replied = ReportEvent.objects.filter(
            report=OuterRef("pk"), is_public=True, actor_role__in=HEARD_BACK_ROLES, created_at__lt=end
        ).exclude(message="")
        return report_set(flt, "received").filter(Exists(replied))
    if metric == "backlog":
        unchanged, changed = backlog_parts(flt)
        backlog = unchanged | changed
        for name, _label, low, high in BACKLOG_BUCKETS:
            if bucket == name:
                backlog = backlog.filter(received_at__lte=end - dt.timedelta(days=low))
                if high is not None:
                    backlog = backlog.filter(received_at__gt=end - dt.timedelta(days=high + 1))
        return backlog
    raise ValueError(f"unknown metric {metric!r}")


# ---------------------------------------------------------------------------- working days


class WorkdayIndex:
    """Working days counted and added by table look-up instead of a loop per report, with
    the same meaning as core.workdays (the calendar's holidays and corrections)."""

    def __init__(self, first: dt.date, last: dt.date):
        self.first = first - dt.timedelta(days=7)
        self.last = last + dt.timedelta(days=400)
        self.ordinal = {}
        self.days = []
        n = 0
        day = self.first
        while day <= self.last:
            if workdays.is_working_day(day):
                n += 1
                self.days.append(day)
            self.ordinal[day] = n
            day += dt.timedelta(days=1)

    def between(self, start: dt.datetime, end: dt.datetime) -> int:
        """Working days d with start's day < d <= end's day (core.workdays.working_days_between)."""
        a, b = workdays.local_date(start), workdays.local_date(end)
        if b <= a:
            return 0
        if a < self.first or b > self.last:
            return workdays.working_days_between(a, b)
        return self.ordinal[b] - self.ordinal[a]

    def add(self, start: dt.datetime, days: int) -> dt.date:
        """The date of the ``days``-th working day after start's day."""
        a = workdays.local_date(start)
        if a < self.first or a > self.last:
            return workdays.local_date(workdays.add_working_days(a, days))
        i = bisect.bisect_right(self.days, a) + days - 1
        if i >= len(self.days):
            return workdays.local_date(workdays.add_working_days(a, days))
        return self.days[i]


def median(values):
    return statistics.median(values) if values else None


def percentile_90(values):
    """Nearest rank: the smallest value with at least 90% of the values at or below it."""
    if not values:
        return None
    ordered = sorted(values)
    return ordered[max(0, math.ceil(0.9 * len(ordered)) - 1)]


# ---------------------------------------------------------------------------- figures


@dataclass
class Share:
    hits: int = 0
    total: int = 0

    @property
    def percent(self):
        return round(100 * self.hits / self.total, 1) if self.total else None


@dataclass
class Figures:
    received: int = 0
    verified: int = 0
    disposed: int = 0
    followed_up: int = 0
    resolved: int = 0
    closed: int = 0
    archived: int = 0
    archived_by_reason: dict = field(default_factory=dict)
    on_time: dict = field(default_factory=dict)  # step → Share
    follow_up_days_median: float | None = None
    follow_up_days_p90: float | None = None
    resolution_days_median: float | None = None
    resolution_days_p90: float | None = None
    returned: int = 0  # return events (a report returned twice counts twice)
    returns_per_report: float | None = None
    reopened: int = 0  # reopen events
    reopens_per_report: float | None = None
    rated: int = 0
    rating_mean: float | None = None
    share_rated: Share = field(default_factory=Share)
    backlog: dict = field(default_factory=dict)  # bucket → count
    backlog_total: int = 0
    heard_back: Share = field(default_factory=Share)

    def as_dict(self) -> dict:
        data = asdict(self)
        data["on_time"] = {step: {**asdict(s), "percent": s.percent} for step, s in self.on_time.items()}
        data["share_rated"]["percent"] = self.share_rated.percent
        data["heard_back"]["percent"] = self.heard_back.percent
        return data


def _ratio(a, b):
    return round(a / b, 2) if b else None


@contextlib.contextmanager
def analytic_queries():
    """One transaction for a batch of monev queries; on PostgreSQL with JIT compilation off,
    which costs these short aggregate queries more than it saves (measured: 1.5 s of a
    1.9 s backlog query at 100,000 reports)."""
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL jit = off")
        yield


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


def cache_seconds(flt: Filter) -> int:
    """How long computed figures of ``flt`` are cached: a period that ended before today
    rarely changes (only a report entered late with an earlier receipt time), so it is kept
    12 times longer than the current one."""
    closed = flt.end < timezone.localdate()
    return settings.ADUAN_MONEV_CACHE_SECONDS * (12 if closed else 1)


def cached_compute(flt: Filter, *, refresh=False) -> Figures:
    """compute(), cached (``refresh``: computed again and stored, as the warm-up does)."""
    key = f"monev:figures:{flt.key()}:{workdays.calendar_version()}"
    found = None if refresh else cache.get(key)
    if found is not None:
        return found
    fig = compute(flt)
    cache.set(key, fig, cache_seconds(flt))
    return fig


# ---------------------------------------------------------------------------- every agency at once


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


def cached_compute_by_agency(flt: Filter, *, refresh=False) -> dict[int, Figures]:
    """compute_by_agency(), cached like cached_compute."""
    key = f"monev:agencies:{flt.with_(agency=None).key()}:{workdays.calendar_version()}"
    found = None if refresh else cache.get(key)
    if found is not None:
        return found
    figs = compute_by_agency(flt)
    cache.set(key, figs, cache_seconds(flt))
    return figs


# ---------------------------------------------------------------------------- breakdowns


@dataclass
class BreakdownRow:
    value: object
    label: str  # or a lazy translation (channel, kind), read in the language of the page
    counts: dict  # metric → count


def _labels(dimension, values):
    values = [v for v in values if v not in (None, "")]
    if dimension == "channel":
        return dict(Channel.choices)
    if dimension == "kind":
        return dict(Kind.choices)
    if dimension == "category":
        return {c.pk: str(c) for c in Category.objects.select_related("parent").filter(pk__in=values)}
    if dimension in ("kecamatan", "kelurahan"):
        return {r.pk: r.name for r in Region.objects.filter(pk__in=values)}
    return {a.pk: str(a) for a in Agency.objects.filter(pk__in=values)}


def breakdown(flt: Filter, dimension: str, metrics=tuple(COUNT_METRICS)) -> list[BreakdownRow]:
    """Counts per value of ``dimension``; each equals ``report_set(flt.with_(dimension=value),
    metric).count()``. Values with no report in any metric are left out."""
    return breakdowns(flt, [dimension], metrics)[dimension]


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
            per_agency = {
                a: cached_compute(flt.with_(agency=a), refresh=refresh) for a in agencies.order_by().distinct()
            }
        else:
            per_agency = cached_compute_by_agency(flt, refresh=refresh)
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
