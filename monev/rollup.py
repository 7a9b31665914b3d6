"""Keeping the monev rollup (monev/models.py) in step with the events.

``contribution()`` turns one report — its classification, its dispositions and all its
events — into the cells it adds to ``DailyRollup``: a pure function of the history, with
each figure's definition (docs/panduan-monev.md) applied per scope (the city, and every
agency the report was disposed to). ``refresh(report_ids)`` takes a report's previous
cells out and puts the new ones in with ``INSERT … ON CONFLICT DO UPDATE SET n = n + …``;
it runs in a task on the ``monev`` queue enqueued when an event's transaction commits
(monev/receivers.py), so a rolled-back change never reaches the rollup; ``refresh_stale()``
(scheduled) refreshes the reports whose events outnumber what their row was computed from
(a task lost or failed). ``rebuild()`` (``manage.py rebuild_monev_rollup``)
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
from django.db.models import BooleanField, Count, ExpressionWrapper, Q
from django.utils import timezone

from core import workdays
from monev.figures import BACKLOG_STATES, HEARD_BACK_ROLES, WorkdayIndex
from monev.models import DailyRollup, RollupReport
from monev.tenures import FIRST, holder_at, tenures_of
from reports import deadlines
from reports.models import ArchiveReason, Disposition, Kind, Report, ReportEvent

OPEN = 10**8  # value of a backlog span that has not ended
CITY = 0  # no longer written: a government's own scope is government_scope(its id)


def government_scope(government_id: int) -> int:
    """The ``agency`` column of a government's own cells (every report of it): minus its id,
    so agencies (positive ids) and governments share one scope column and one index."""
    return -government_id


REPORT_FIELDS = (
    "pk",
    "received_at",
    "status",
    "category_id",
    "category__verify_days",
    "channel",
    "kind",
    "region_id",
    "government_id",
)
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
DISPOSITION_FIELDS = (
    "report_id",
    "pk",
    "agency_id",
    "created_at",
    "follow_up_due_at",
    "resolution_due_at",
    "parent_id",
)
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


def _once(out, measure, days, value=0):
    """A count of reports: each occurrence with the day of the one before (same-day
    repeats are left out: they never count)."""
    before = FIRST
    for day in sorted(days):
        if day != before:
            out.append((day, measure, before, value, 1))
        before = day


def contribution(report: ReportRow, events: list, dispositions: list, index: WorkdayIndex) -> Counter:
    """{(day, agency, measure, ref, value): n} for one report; ``events`` in order of
    (created_at, pk) with their local ``day``. What does not depend on the scope is worked
    out once per government that held the report (``tenures_of``, monev/tenures.py: one,
    unless it was referred to another government) and given to that government and to
    every agency it disposed the report to."""
    by_action = {}
    for event in events:
        by_action.setdefault(event.action, []).append(event)
    disposition_of = {d.pk: d for d in dispositions}
    tenures = tenures_of(report, events)

    # Per disposition (first follow-up, first completion), with the working days taken.
    step = "info" if report.kind == Kind.INFORMATION_REQUEST else "done"
    timed = []  # (agency of the event, day, measure, value, event pk)
    timed_dispositions = []  # the disposition of each
    for event, d in _firsts(_with_answers_above(by_action.get("follow_up", []), disposition_of), disposition_of):
        late = d.follow_up_due_at is not None and event.created_at > d.follow_up_due_at
        days = index.between(d.created_at, event.created_at)
        timed.append((event.agency_id, event.day, "follow_up_late" if late else "follow_up_hit", days, event.pk))
        timed_dispositions.append(d.pk)
    for event, d in _firsts(by_action.get("disposition_done", []), disposition_of):
        late = d.resolution_due_at is not None and event.created_at > d.resolution_due_at
        days = index.between(d.created_at, event.created_at)
        timed.append((event.agency_id, event.day, f"{step}_late" if late else f"{step}_hit", days, event.pk))
        timed_dispositions.append(d.pk)

    # Dispose down (issue 20): a unit's disposition is the unit's scope alone; the city's
    # timings are its agencies' (the coordinator's dispositions), never counted twice.
    below = {d.pk for d in dispositions if d.parent_id is not None}
    top_timed = [t for t, d in zip(timed, timed_dispositions, strict=True) if d not in below]
    unit_part = _unit_part(by_action, disposition_of)

    commons = {gov: _common(report, tenure, index) for gov, tenure in tenures.items()}
    holder_of = holder_at(report, events)
    agency_government = {}
    for d in sorted(dispositions, key=lambda d: (d.created_at, d.pk)):
        agency_government.setdefault(d.agency_id, holder_of(d.created_at))

    cells = Counter()
    scopes = [(government_scope(gov), gov) for gov in tenures]
    scopes += [(agency, agency_government[agency]) for agency in sorted(agency_government)]
    for scope, gov in scopes:
        tenure = tenures[gov]
        common, first_rated = commons[gov]
        own = common[:]
        if scope < 0:
            mine = [t for t in top_timed if t[4] in tenure.pks]
            _once(own, "disposed", [e.day for e in tenure.by_action.get("disposed", [])])
            resolved = tenure.entered["resolved"]
            returned = tenure.by_action.get("disposition_returned", [])
            own.extend(tenure.referral_cells)
        else:
            mine = [t for t in timed if t[0] == scope]
            if any(d.agency_id == scope and d.parent_id is None for d in dispositions):
                # Listed among the city's agencies (units are their agency's part instead).
                own.append((FIRST, "scope", FIRST, 0, 1))
            own.extend(cell for agency, cell in unit_part if agency == scope)
            _once(own, "disposed", [workdays.local_date(d.created_at) for d in dispositions if d.agency_id == scope])
            resolved = [e.day for e in by_action.get("disposition_done", []) if e.agency_id == scope]
            returned = [e for e in by_action.get("disposition_returned", []) if e.agency_id == scope]
        _once(own, "resolved", resolved)
        if first_rated is not None:
            _once(own, "resolved_rated", resolved, value=first_rated)
        _once(own, "followed_up", [day for _a, day, measure, _v, _pk in mine if measure.startswith("follow_up")])
        own.extend((day, measure, FIRST, value, 1) for _a, day, measure, value, _pk in mine)
        own.extend((e.day, "returned", FIRST, 0, 1) for e in returned)
        for day, measure, ref, value, n in own:
            cells[(day, scope, measure, ref, value)] += n
    return +cells


def _common(report, tenure, index):
    """(cells, first rating's ordinal) of one government's part that every scope of it
    shares: received (when it got the report), heard back, verified and on time, closed,
    archived, reopened, rated, backlog."""
    by_action = tenure.by_action
    received = workdays.local_date(tenure.arrivals[0])
    replies = [e.day for e in tenure.events if e.is_public and e.has_message and e.actor_role in HEARD_BACK_ROLES]
    common = [(received, "received", FIRST, 0, 1)]  # (day, measure, ref, value, n)
    if replies:
        common.append((received, "heard_back", FIRST, min(replies).toordinal(), 1))
    _once(common, "verified", [e.day for e in by_action.get("verified", [])])
    _verification(common, report, by_action, index, tenure)
    _once(common, "closed", tenure.entered["closed"])
    _once(common, "archived", tenure.entered["archived"])
    reasons = {}
    for event in by_action.get("archived", []):
        reasons.setdefault((event.data or {}).get("reason"), []).append(event.day)
    for reason in ArchiveReason.values:
        _once(common, f"archived:{reason}", reasons.get(reason, []))
    rated = by_action.get("rated", [])
    for event in by_action.get("disputed", []):
        common.append((event.day, "reopened", FIRST, 0, 1))
    for event in rated:
        common.append((event.day, "rated", FIRST, 0, 1))
        rating = (event.data or {}).get("rating")
        if rating is not None:
            common.append((event.day, "rating_n", FIRST, 0, 1))
            common.append((event.day, "rating_sum", FIRST, 0, int(rating)))
    for start, end in _backlog_spans(tenure, received):
        common.append((start, "backlog", received, end, 1))
    return common, (rated[0].day.toordinal() if rated else None)


# The units' part of an agency's work, counted in each unit's scope (monev/sums.py
# ``units_part`` reads them for the agency's page): forwarded to the unit, its done on
# time or late, returned up to the agency.
UNIT_MEASURES = ("unit_forwarded", "unit_done_hit", "unit_done_late", "unit_returned")


def _unit_part(by_action, disposition_of):
    """[(unit, (day, measure, ref, value, n))] for the unit dispositions of one report."""
    out = []
    for event in by_action.get("forwarded_to_unit", []):
        out.append((event.agency_id, (event.day, "unit_forwarded", FIRST, 0, 1)))
    for event, d in _firsts(by_action.get("disposition_done", []), disposition_of):
        if d.parent_id is not None:
            late = d.resolution_due_at is not None and event.created_at > d.resolution_due_at
            out.append((event.agency_id, (event.day, "unit_done_late" if late else "unit_done_hit", FIRST, 0, 1)))
    for event in by_action.get("returned_to_agency", []):
        out.append((event.agency_id, (event.day, "unit_returned", FIRST, 0, 1)))
    return out


def _with_answers_above(events, disposition_of):
    """The follow-ups, and a unit's follow-up once more for each disposition above it (its
    agency's first follow-up too: reports/actions/units.py ``answer_above``), in order."""
    out = []
    for event in events:
        out.append(event)
        d = disposition_of.get(event.disposition_id)
        while d is not None and d.parent_id is not None:
            d = disposition_of.get(d.parent_id)
            if d is not None:
                out.append(event._replace(disposition_id=d.pk, agency_id=d.agency_id))
    return sorted(out, key=lambda e: (e.created_at, e.pk))


def _firsts(events, disposition_of):
    """(event, disposition): the first events of this action of each disposition (events at
    the same first moment all count, as in the figures' definition)."""
    first = {}
    for event in events:
        if event.disposition_id in disposition_of:
            at = first.setdefault(event.disposition_id, event.created_at)
            if event.created_at == at:
                yield event, disposition_of[event.disposition_id]


def _verification(out, report, by_action, index, tenure):
    """On time or late: the first verification by this government, against 3 working days
    (or the category's) from when it received the report — a referred report's receiver
    from the referral, by its own calendar (reports/deadlines.py verify_due)."""
    verified = by_action.get("verified", [])
    if not verified:
        return
    at = verified[0].created_at
    paused = sum(
        int((e.data or {}).get("paused_working_days") or 0)
        for e in by_action.get("reporter_replied", [])
        if e.created_at <= at
    )
    days = (report.verify_days or deadlines.VERIFY_DAYS) + paused
    start = max((moment for moment in tenure.arrivals if moment <= at), default=tenure.arrivals[0])
    if start == report.received_at:
        due = index.add(report.received_at, days)
    else:
        due = workdays.local_date(workdays.add_working_days(start, days, tenure.government))
    ties = sum(1 for e in verified if e.created_at == at)
    out.append((verified[0].day, "verify_hit" if verified[0].day <= due else "verify_late", FIRST, 0, ties))


def _backlog_spans(tenure, received):
    """(first day, ordinal of the day after the last) of each stretch of days whose end
    found the report in unfinished work for this government: its last recorded status by
    then, or its status now (tenures.AWAY once it referred it elsewhere) from the day of
    its last event on."""
    changes = tenure.changes
    last = tenure.last
    days = sorted(
        {received, *(d for d, _s in changes if d >= received), *([last] if last and last >= received else [])}
    )
    spans, start = [], None
    for day in days:
        if last is None or day >= last:
            status = tenure.status_now
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


def _histories(*, ids=None, span=None, lock=False):
    """report id → (ReportRow, [EventRow], [DispositionRow]) for the reports with these
    ``ids`` or with an id in ``span`` (first, last); ``lock``: the report rows (not their
    categories) locked as they are read, in the reports' default order."""
    if ids is not None:
        on_report, where = Q(report_id__in=ids), Q(pk__in=ids)
    else:
        on_report, where = Q(report_id__gte=span[0], report_id__lte=span[1]), Q(pk__gte=span[0], pk__lte=span[1])
    read = Report.objects.filter(where)
    if lock:
        read = read.select_for_update(of=("self",)).order_by(*Report._meta.ordering)
    reports = {row[0]: ReportRow(*row) for row in read.values_list(*REPORT_FIELDS)}
    events, dispositions = {}, {}
    rows = (
        ReportEvent.objects.filter(on_report)
        .annotate(has_message=ExpressionWrapper(~Q(message=""), output_field=BooleanField()))
        .order_by("report_id", "created_at", "pk")
        .values_list(*EVENT_FIELDS)
    )
    zone = timezone.get_current_timezone()  # once, not per event (workdays.local_date)
    for row in rows:
        events.setdefault(row[0], []).append(EventRow(*row, row[3].astimezone(zone).date()))
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
        histories = _histories(ids=ids, lock=True)
        deltas = Counter()
        previous = {row.report_id: row for row in RollupReport.objects.filter(report_id__in=ids)}
        for row in previous.values():
            deltas.update(_cells(row.dims, row.cells, sign=-1))
        fresh = []
        for pk, (report, events, dispositions) in histories.items():
            stored = _stored(contribution(report, events, dispositions, index))
            deltas.update(_cells(dims(report), stored))
            fresh.append(RollupReport(report_id=pk, dims=dims(report), cells=stored, events=len(events)))
        # Only the cells that changed are written (an event that moves no figure: none).
        _apply(deltas)
        gone = [pk for pk in previous if pk not in histories]
        if gone:
            RollupReport.objects.filter(report_id__in=gone).delete()
        changed = [row for row in fresh if row.report_id not in previous or _differs(row, previous[row.report_id])]
        if changed:
            # One upsert for the reports' rows instead of a DELETE and an INSERT.
            RollupReport.objects.bulk_create(
                changed, update_conflicts=True, unique_fields=["report"], update_fields=["dims", "cells", "events"]
            )


def _differs(row, before) -> bool:
    if row.events != before.events or list(row.dims) != list(before.dims):
        return True
    return [list(c) for c in row.cells] != [list(c) for c in before.cells]


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


def stale(since, until) -> list[int]:
    """The reports with an event recorded in [since, until) whose rollup row was computed
    from fewer events than they have (or that have none): their refresh was lost."""
    recent = sorted(
        set(ReportEvent.objects.filter(created_at__gte=since, created_at__lt=until).values_list("report_id", flat=True))
    )
    out = []
    for start in range(0, len(recent), 1000):
        batch = recent[start : start + 1000]
        counts = dict(
            ReportEvent.objects.filter(report_id__in=batch)
            .order_by()
            .values("report_id")
            .annotate(n=Count("pk"))
            .values_list("report_id", "n")
        )
        applied = dict(RollupReport.objects.filter(report_id__in=batch).values_list("report_id", "events"))
        out.extend(pk for pk in batch if applied.get(pk) != counts.get(pk, 0))
    return out


def refresh_stale(since, until, *, batch: int = 500) -> int:
    """refresh() the ``stale`` reports, a batch per transaction. Returns how many."""
    ids = stale(since, until)
    for start in range(0, len(ids), batch):
        refresh(ids[start : start + batch])
    return len(ids)


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
    # TRUNCATE only in a transaction of its own (inside a caller's, with rows written and
    # their deferred foreign-key checks pending, PostgreSQL refuses it).
    own = not connection.in_atomic_block
    with transaction.atomic():
        writer = _CopyWriter(truncate=own) if connection.vendor == "postgresql" else _UpsertWriter()
        while True:
            ids = list(Report.objects.filter(pk__gt=last).order_by("pk").values_list("pk", flat=True)[:batch])
            if not ids:
                break
            cells, fresh = Counter(), []
            for pk, (report, events, dispositions) in _histories(span=(ids[0], ids[-1])).items():
                stored = _stored(contribution(report, events, dispositions, index))
                cells.update(_cells(dims(report), stored))
                fresh.append((pk, dims(report), stored, len(events)))
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
            [RollupReport(report_id=pk, dims=d, cells=c, events=e) for pk, d, c, e in fresh], batch_size=1000
        )

    def finish(self):
        pass


class _CopyWriter:
    STAGE = "monev_rollup_stage"

    def __init__(self, *, truncate):
        self.cursor = connection.cursor()
        for table in (DailyRollup._meta.db_table, RollupReport._meta.db_table):
            self.cursor.execute(f"{'TRUNCATE' if truncate else 'DELETE FROM'} {table}")
        self.cursor.execute(
            f"CREATE TEMP TABLE {self.STAGE} (day date, agency integer, category integer, channel varchar(16), "
            "kind varchar(24), region integer, measure varchar(40), ref date, value integer, n integer) ON COMMIT DROP"
        )

    def write(self, cells, fresh):
        raw = self.cursor.cursor
        with raw.copy(f"COPY {self.STAGE} ({', '.join(COLUMNS)}) FROM STDIN") as copy:
            for key, n in cells.items():
                copy.write_row((*key, n))
        with raw.copy(f"COPY {RollupReport._meta.db_table} (report_id, dims, cells, events) FROM STDIN") as copy:
            for pk, d, c, e in fresh:
                copy.write_row((pk, json.dumps(d), json.dumps(c), e))

    def finish(self):
        keys = ", ".join(COLUMNS[:-1])
        self.cursor.execute(
            f"INSERT INTO {DailyRollup._meta.db_table} ({', '.join(COLUMNS)}) "
            f"SELECT {keys}, SUM(n) FROM {self.STAGE} GROUP BY {keys} HAVING SUM(n) <> 0 "
            "ORDER BY agency, measure, day"
        )
        self.cursor.execute(f"ANALYZE {DailyRollup._meta.db_table}")
        self.cursor.close()
