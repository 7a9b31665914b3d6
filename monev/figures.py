"""What the monev figures mean, as queries over the reports and their events.

A figure for a period only counts what happened inside the period, or the history up to
its end, so a figure for last March does not change when a report changes today. The
definitions are in docs/panduan-monev.md; this module holds:

- ``Filter``: the period (local dates, both ends included) and the scope (agency,
  category, channel, kind, kecamatan, kelurahan);
- ``report_set(flt, metric)``: the reports behind a count, the drill-down list each number
  opens;
- ``Figures``, ``Share``, ``WorkdayIndex`` and the constants the figures share.

The numbers themselves are sums over the rollup (monev/sums.py, kept from the events by
monev/rollup.py), which applies the same definitions report by report; the tests compare
each count with ``report_set(...).count()`` and every figure with the computation from the
events that came before the rollup (tests/monev_reference.py).
"""

import bisect
import contextlib
import datetime as dt
import hashlib
import math
import statistics
from dataclasses import asdict, dataclass, field, replace

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Exists, OuterRef, Q, Subquery
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from agencies.models import Agency, Region
from core import workdays
from governments.models import home_government
from reports.models import OPEN_STATES, ArchiveReason, Category, Channel, Disposition, Kind, Report, ReportEvent  # noqa: F401  (ArchiveReason: read by the views and recaps as figures.ArchiveReason)

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
    "referred_out": _("Dirujuk ke pemerintah lain"),
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
    # The government whose figures these are (the tenancy rule); None: the installation's
    # home government (the public pages, before portals are per government).
    government: int | None = None

    @property
    def government_id(self) -> int:
        if self.government is not None:
            return self.government
        home = home_government()
        return home.pk if home is not None else 0

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
        params = {**self.scope_params(), "government": self.government or ""}
        raw = "|".join(f"{k}={v}" for k, v in sorted(params.items()))
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
    q = Q(**{f"{prefix}government_id": flt.government_id})
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
    if metric == "referred_out":
        # Referred by the government to another one of the installation: the report is
        # the receiver's now (outside scope_reports), the referral event the sender's.
        if flt.agency:
            return Report.objects.none()  # a government's act, no agency's
        return Report.objects.filter(Exists(_events(flt, "referred", data__from=flt.government_id)))
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
    # Refer across governments (monev/rollup.py REFERRAL_MEASURES): referred to another
    # government of the installation (counted as passed on, never as late afterwards),
    # received from one, and given back to the one that referred it.
    referred_out: int = 0
    referred_in: int = 0
    referral_returned: int = 0
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


def cache_seconds(flt: Filter) -> int:
    """How long computed figures of ``flt`` are cached: a period that ended before today
    rarely changes (only a report entered late with an earlier receipt time), so it is kept
    12 times longer than the current one."""
    closed = flt.end < timezone.localdate()
    return settings.ADUAN_MONEV_CACHE_SECONDS * (12 if closed else 1)


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
