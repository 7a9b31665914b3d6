"""Keeping the monev rollup (monev/models.py) in step with the events.

``contribution()`` turns one report — its classification, its dispositions and all its
events — into the cells it adds to ``DailyRollup``: a pure function of the history, with
each figure's definition (docs/panduan-monev.md) applied per scope (the city, and every
agency the report was disposed to). ``refresh(report_ids)`` takes a report's previous
cells out and puts the new ones in with ``INSERT … ON CONFLICT DO UPDATE SET n = n + …``;
it runs in the transaction that records an event (monev/receivers.py), so a rolled-back
change leaves the rollup as it was. ``rebuild()`` (``manage.py rebuild_monev_rollup``)
computes every report again from its events.

What needs the rollup refreshed: a new event (every action writes one, including a
reclassification and a new disposition); a report submitted in bulk (the LAPOR! import,
refreshed by a task on the ``monev`` queue); a change of the working-day calendar or of a
category's verification days (the on-time shares): rebuild.
"""

import datetime as dt
import json
from collections import Counter, namedtuple

from django.db import connection, transaction
from django.db.models import BooleanField, ExpressionWrapper, Q
from django.utils import timezone

from core import workdays
from monev.figures import BACKLOG_STATES, HEARD_BACK_ROLES, WorkdayIndex
from monev.models import DailyRollup, RollupReport
from reports import deadlines
from reports.models import ArchiveReason, Disposition, Kind, Report, ReportEvent

FIRST = dt.date(1, 1, 1)  # ref of a first occurrence: before any period
OPEN = 10**8  # value of a backlog span that has not ended
CITY = 0

REPORT_FIELDS = ("pk", "received_at", "status", "category_id", "category__verify_days", "channel", "kind", "region_id")
EVENT_FIELDS = (
    "report_id",
    "pk",
    "action",
    "created_at",
    "from_status",
    "to_status",
    "agency_id",
    "disposition_id",
    "is_public",
    "actor_role",
    "has_message",
    "data",
)
DISPOSITION_FIELDS = ("report_id", "pk", "agency_id", "created_at", "follow_up_due_at", "resolution_due_at")
ReportRow = namedtuple("ReportRow", REPORT_FIELDS[:4] + ("verify_days",) + REPORT_FIELDS[5:])
EventRow = namedtuple("EventRow", EVENT_FIELDS + ("day",))
DispositionRow = namedtuple("DispositionRow", DISPOSITION_FIELDS)
COLUMNS = ("day", "agency", "category", "channel", "kind", "region", "measure", "ref", "value", "n")

_indexes = {}


def workday_index() -> WorkdayIndex:
    """One working-day table per calendar version, two years back to a year ahead (dates
    outside it fall back to core.workdays: same answers, slower)."""
    version = workdays.calendar_version()
    today = timezone.localdate()
    index = _indexes.get(version)
    if index is None or index.last < today + dt.timedelta(days=30):
        _indexes.clear()
        index = _indexes[version] = WorkdayIndex(today - dt.timedelta(days=800), today)
    return index


# ---------------------------------------------------------------------------- one report


def dims(report: ReportRow) -> list:
    return [report.category_id or 0, report.channel or "", report.kind or "", report.region_id or 0]


def contribution(report: ReportRow, events: list, dispositions: list, index: WorkdayIndex) -> Counter:
    """{(day, agency, measure, ref, value): n} for one report; ``events`` in order of
    (created_at, pk) with their local ``day``."""
    cells = Counter()
    received = workdays.local_date(report.received_at)
    by_action = {}
    for event in events:
        by_action.setdefault(event.action, []).append(event)
    rated = by_action.get("rated", [])
    first_rated = rated[0].day.toordinal() if rated else None
    replies = [e.day for e in events if e.is_public and e.actor_role in HEARD_BACK_ROLES and e.has_message]
    disposition_of = {d.pk: d for d in dispositions}
    follow_ups = list(_firsts(by_action.get("follow_up", []), disposition_of))
    done = list(_firsts(by_action.get("disposition_done", []), disposition_of))
    entered = {
        status: [e.day for e in events if e.to_status == status and e.from_status != status]
        for status in ("resolved", "closed", "archived")
    }
    agencies = sorted({d.agency_id for d in dispositions})

    for scope in [CITY, *agencies]:

        def put(measure, day, ref=FIRST, value=0, n=1, scope=scope):
            cells[(day, scope, measure, ref, value)] += n

        def once(measure, days, value=0, put=put):
            """A count of reports: each occurrence with the day of the one before."""
            before = FIRST
            for day in sorted(days):
                if day != before:
                    put(measure, day, ref=before, value=value)
                before = day

        own = (lambda e: True) if scope == CITY else (lambda e, scope=scope: e.agency_id == scope)
        if scope != CITY:
            put("scope", FIRST)
        put("received", received)
        if replies:
            put("heard_back", received, value=min(replies).toordinal())
        once("verified", [e.day for e in by_action.get("verified", [])])
        _verification(put, report, by_action, index)
        if scope == CITY:
            once("disposed", [e.day for e in by_action.get("disposed", [])])
            resolved = entered["resolved"]
        else:
            once("disposed", [workdays.local_date(d.created_at) for d in dispositions if d.agency_id == scope])
            resolved = [e.day for e in by_action.get("disposition_done", []) if own(e)]
        once("resolved", resolved)
        if first_rated is not None:
            once("resolved_rated", resolved, value=first_rated)
        once("closed", entered["closed"])
        once("archived", entered["archived"])
        for reason in ArchiveReason.values:
            once(
                f"archived:{reason}",
                [e.day for e in by_action.get("archived", []) if (e.data or {}).get("reason") == reason],
            )
        mine = [(e, d) for e, d in follow_ups if own(e)]
        once("followed_up", [e.day for e, _d in mine])
        for event, disposition in mine:
            late = disposition.follow_up_due_at is not None and event.created_at > disposition.follow_up_due_at
            put(
                "follow_up_late" if late else "follow_up_hit",
                event.day,
                value=index.between(disposition.created_at, event.created_at),
            )
        step = "info" if report.kind == Kind.INFORMATION_REQUEST else "done"
        for event, disposition in ((e, d) for e, d in done if own(e)):
            late = disposition.resolution_due_at is not None and event.created_at > disposition.resolution_due_at
            put(
                f"{step}_late" if late else f"{step}_hit",
                event.day,
                value=index.between(disposition.created_at, event.created_at),
            )
        for event in by_action.get("disposition_returned", []):
            if own(event):
                put("returned", event.day)
        for event in by_action.get("disputed", []):
            put("reopened", event.day)
        for event in rated:
            put("rated", event.day)
            rating = (event.data or {}).get("rating")
            if rating is not None:
                put("rating_n", event.day)
                put("rating_sum", event.day, n=int(rating))
        for start, end in _backlog_spans(report, events, received):
            put("backlog", start, ref=received, value=end)
    return +cells


def _firsts(events, disposition_of):
    """(event, disposition): the first events of this action of each disposition (events at
    the same first moment all count, as in the figures' definition)."""
    first = {}
    for event in events:
        if event.disposition_id in disposition_of:
            at = first.setdefault(event.disposition_id, event.created_at)
            if event.created_at == at:
                yield event, disposition_of[event.disposition_id]


def _verification(put, report, by_action, index):
    verified = by_action.get("verified", [])
    if not verified:
        return
    at = verified[0].created_at
    paused = sum(
        int((e.data or {}).get("paused_working_days") or 0)
        for e in by_action.get("reporter_replied", [])
        if e.created_at <= at
    )
    due = index.add(report.received_at, (report.verify_days or deadlines.VERIFY_DAYS) + paused)
    ties = [e for e in verified if e.created_at == at]
    put("verify_hit" if verified[0].day <= due else "verify_late", verified[0].day, n=len(ties))


def _backlog_spans(report, events, received):
    """(first day, ordinal of the day after the last) of each stretch of days whose end
    found the report in unfinished work: its last recorded status by then, or its status
    now from the day of its last event on."""
    if not events:
        changes = []
        last = None
    else:
        changes = [(e.day, e.to_status) for e in events if e.to_status]
        last = max(e.day for e in events)
    days = sorted(
        {received, *(d for d, _s in changes if d >= received), *([last] if last and last >= received else [])}
    )
    spans, start = [], None
    for day in days:
        if last is None or day >= last:
            status = report.status
        else:
            status = None
            for changed, to in changes:
                if changed > day:
                    break
                status = to
        if status in BACKLOG_STATES and start is None:
            start = day
        elif status not in BACKLOG_STATES and start is not None:
            spans.append((start, day.toordinal()))
            start = None
    if start is not None:
        spans.append((start, OPEN))
    return spans


# ---------------------------------------------------------------------------- reading and writing


def _histories(*, ids=None, span=None):
    """report id → (ReportRow, [EventRow], [DispositionRow]) for the reports with these
    ``ids`` or with an id in ``span`` (first, last)."""
    if ids is not None:
        on_report, where = Q(report_id__in=ids), Q(pk__in=ids)
    else:
        on_report, where = Q(report_id__gte=span[0], report_id__lte=span[1]), Q(pk__gte=span[0], pk__lte=span[1])
    reports = {row[0]: ReportRow(*row) for row in Report.objects.filter(where).values_list(*REPORT_FIELDS)}
    events, dispositions = {}, {}
    rows = (
        ReportEvent.objects.filter(on_report)
        .annotate(has_message=ExpressionWrapper(~Q(message=""), output_field=BooleanField()))
        .order_by("report_id", "created_at", "pk")
        .values_list(*EVENT_FIELDS)
    )
    for row in rows:
        events.setdefault(row[0], []).append(EventRow(*row, workdays.local_date(row[3])))
    for row in Disposition.objects.filter(on_report).order_by().values_list(*DISPOSITION_FIELDS):
        dispositions.setdefault(row[0], []).append(DispositionRow(*row))
    return {pk: (report, events.get(pk, []), dispositions.get(pk, [])) for pk, report in reports.items()}


def _stored(cells):
    return [
        [d.toordinal(), agency, measure, ref.toordinal(), value, n]
        for (d, agency, measure, ref, value), n in cells.items()
    ]


def _cells(dimensions, stored, sign=1) -> Counter:
    category, channel, kind, region = dimensions
    out = Counter()
    for day, agency, measure, ref, value, n in stored:
        key = (
            dt.date.fromordinal(day),
            agency,
            category,
            channel,
            kind,
            region,
            measure,
            dt.date.fromordinal(ref),
            value,
        )
        out[key] += sign * n
    return out


def _apply(deltas: Counter) -> None:
    """Add each delta to its cell (created when missing), in a fixed order so that two
    transactions touching the same cells never wait for each other in a circle."""
    table = DailyRollup._meta.db_table
    keys = ", ".join(COLUMNS[:-1])
    sql = (
        f"INSERT INTO {table} ({', '.join(COLUMNS)}) VALUES ({', '.join(['%s'] * len(COLUMNS))}) "
        f"ON CONFLICT ({keys}) DO UPDATE SET n = {table}.n + excluded.n"
    )
    adapt = connection.ops.adapt_datefield_value
    rows = [
        (adapt(key[0]), *key[1:7], adapt(key[7]), key[8], n)
        for key, n in sorted(deltas.items(), key=lambda item: (item[0][0], item[0][1:]))
        if n
    ]
    if rows:
        with connection.cursor() as cursor:
            cursor.executemany(sql, rows)


def refresh(report_ids) -> None:
    """Bring these reports' part of the rollup in line with their history (any order, any
    number of times: the result is the same)."""
    ids = sorted(set(report_ids))
    if not ids:
        return
    index = workday_index()
    with transaction.atomic():
        list(Report.objects.select_for_update().filter(pk__in=ids).values_list("pk"))
        histories = _histories(ids=ids)
        deltas = Counter()
        previous = {row.report_id: row for row in RollupReport.objects.filter(report_id__in=ids)}
        for row in previous.values():
            deltas.update(_cells(row.dims, row.cells, sign=-1))
        fresh = []
        for pk, (report, events, dispositions) in histories.items():
            stored = _stored(contribution(report, events, dispositions, index))
            deltas.update(_cells(dims(report), stored))
            fresh.append(RollupReport(report_id=pk, dims=dims(report), cells=stored))
        _apply(deltas)
        RollupReport.objects.filter(report_id__in=ids).delete()
        RollupReport.objects.bulk_create(fresh)


def refresh_all(*, batch: int = 500) -> int:
    """refresh() every report, a batch per transaction (after a change of the working-day
    calendar or of a category's deadlines: the on-time shares and the working days). Unlike
    rebuild() it holds no lock on the whole rollup, so events go on being recorded."""
    done, last = 0, 0
    while True:
        ids = list(Report.objects.filter(pk__gt=last).order_by("pk").values_list("pk", flat=True)[:batch])
        if not ids:
            return done
        refresh(ids)
        done, last = done + len(ids), ids[-1]


def forget(report_id) -> None:
    """Take a report that is being deleted out of the rollup."""
    row = RollupReport.objects.filter(report_id=report_id).first()
    if row is not None:
        _apply(_cells(row.dims, row.cells, sign=-1))


def rebuild(*, batch: int = 2000, progress=None) -> int:
    """Every report's part again from its events (``manage.py rebuild_monev_rollup``), in
    one transaction, reading the reports in batches of ``batch`` ids. On PostgreSQL the
    cells are copied into a staging table and summed once at the end (COPY, not one upsert
    per cell). Returns the number of reports."""
    index = workday_index()
    done, last = 0, 0
    with transaction.atomic():
        writer = _CopyWriter() if connection.vendor == "postgresql" else _UpsertWriter()
        while True:
            ids = list(Report.objects.filter(pk__gt=last).order_by("pk").values_list("pk", flat=True)[:batch])
            if not ids:
                break
            cells, fresh = Counter(), []
            for pk, (report, events, dispositions) in _histories(span=(ids[0], ids[-1])).items():
                stored = _stored(contribution(report, events, dispositions, index))
                cells.update(_cells(dims(report), stored))
                fresh.append((pk, dims(report), stored))
            writer.write(cells, fresh)
            done, last = done + len(fresh), ids[-1]
            if progress:
                progress(done)
        writer.finish()
    return done


class _UpsertWriter:
    def __init__(self):
        DailyRollup.objects.all().delete()
        RollupReport.objects.all().delete()

    def write(self, cells, fresh):
        _apply(cells)
        RollupReport.objects.bulk_create(
            [RollupReport(report_id=pk, dims=d, cells=c) for pk, d, c in fresh], batch_size=1000
        )

    def finish(self):
        pass


class _CopyWriter:
    STAGE = "monev_rollup_stage"

    def __init__(self):
        self.cursor = connection.cursor()
        self.cursor.execute(f"TRUNCATE {DailyRollup._meta.db_table}, {RollupReport._meta.db_table}")
        self.cursor.execute(
            f"CREATE TEMP TABLE {self.STAGE} (day date, agency integer, category integer, channel varchar(16), "
            "kind varchar(24), region integer, measure varchar(24), ref date, value integer, n integer) ON COMMIT DROP"
        )

    def write(self, cells, fresh):
        raw = self.cursor.cursor
        with raw.copy(f"COPY {self.STAGE} ({', '.join(COLUMNS)}) FROM STDIN") as copy:
            for key, n in cells.items():
                copy.write_row((*key, n))
        with raw.copy(f"COPY {RollupReport._meta.db_table} (report_id, dims, cells) FROM STDIN") as copy:
            for pk, d, c in fresh:
                copy.write_row((pk, json.dumps(d), json.dumps(c)))

    def finish(self):
        keys = ", ".join(COLUMNS[:-1])
        self.cursor.execute(
            f"INSERT INTO {DailyRollup._meta.db_table} ({', '.join(COLUMNS)}) "
            f"SELECT {keys}, SUM(n) FROM {self.STAGE} GROUP BY {keys} HAVING SUM(n) <> 0"
        )
        self.cursor.execute(f"ANALYZE {DailyRollup._meta.db_table}")
        self.cursor.close()
