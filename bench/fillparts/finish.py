"""bench/fill.py's last steps after the rows are in: what the actions would have left
(urgency, the monev rollup, stored deadlines, the detail scenario's report) and the
bulk session that writes without indexes and foreign-key triggers, checking them after.
Imported by fill.py after Django is set up."""

import contextlib
import datetime as dt
import sys
import time

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone

from bench import common
from governments.models import home_government
from reports.models import (
    Attachment,
    Disposition,
    Report,
    ReportEvent,
    TrackingCounter,
)
from triage.models import ReportTriage

TINY_PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8cfc0f01f0005"
    "0001ff89993d1d0000000049454e44ae426082"
)


def urgency():
    """Report.is_urgent, the copy of triage's flag the coordinator's queue sorts by."""
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE reports_report r SET is_urgent = true FROM triage_reporttriage t"
            " WHERE t.report_id = r.id AND t.is_urgent"
        )
        print(f"  is_urgent on {cursor.rowcount} reports", flush=True)


def monev_rollup():
    """The monev rollup from the events, as ``manage.py rebuild_monev_rollup`` builds it
    (the SQL fill writes no event through the receivers that keep it)."""
    from monev import rollup

    started = time.perf_counter()
    n = rollup.rebuild()
    print(f"  monev rollup of {n} reports in {time.perf_counter() - started:.0f} s", flush=True)


def current_deadline():
    """Report.current_deadline in one set-based UPDATE (before the indexes are built again,
    so no index entry is written per row), then checked against the model's own
    ``deadline_expression()`` (what the actions store) on a sample of open reports."""
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE reports_report r SET current_deadline = CASE"
            " WHEN r.status IN ('received', 'verified', 'on_hold') THEN r.due_at"
            " WHEN r.status = 'objection' THEN r.objection_due_at"
            " WHEN r.status IN ('disposed', 'in_progress') THEN d.next_due END"
            " FROM reports_report r2 LEFT JOIN (SELECT report_id, min(CASE WHEN state = 'pending'"
            " THEN follow_up_due_at ELSE resolution_due_at END) AS next_due FROM reports_disposition"
            " WHERE is_active AND state IN ('pending', 'accepted') GROUP BY report_id) d ON d.report_id = r2.id"
            " WHERE r.id = r2.id AND r2.status IN ('received', 'verified', 'on_hold', 'objection', 'disposed',"
            " 'in_progress')"
        )
        n = cursor.rowcount
    print(f"  current_deadline of {n} open reports in {time.perf_counter() - started:.0f} s", flush=True)


def check_deadlines(sample=5000):
    """The stored deadline is what with_deadline() computes, on a sample of open reports."""
    from django.db.models import Q

    ids = list(
        Report.objects.filter(status__in=["received", "verified", "disposed", "in_progress"])
        .order_by("?")
        .values_list("pk", flat=True)[:sample]
    )
    wrong = (
        Report.objects.filter(pk__in=ids)
        .with_deadline()
        .exclude(Q(deadline=F("current_deadline")) | Q(deadline__isnull=True, current_deadline__isnull=True))
        .count()
    )
    print(f"  current_deadline checked against deadline_expression() on {len(ids)} open reports: {wrong} differ")
    if wrong:
        sys.exit("the stored deadlines are wrong")


def derived():
    """What the actions keep: the counters (per government's prefix and year), the sequences."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT g.tracking_prefix, extract(year FROM r.received_at AT TIME ZONE %s)::int, count(*)"
            " FROM reports_report r JOIN governments_government g ON g.id = r.government_id GROUP BY 1, 2",
            [settings.TIME_ZONE],
        )
        per_year = cursor.fetchall()
    TrackingCounter.objects.all().delete()
    TrackingCounter.objects.bulk_create(TrackingCounter(prefix=p, year=y, last=n) for p, y, n in per_year)
    with connection.cursor() as cursor:
        for model in (Report, Disposition, ReportEvent, Attachment, ReportTriage):
            table = model._meta.db_table
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), GREATEST(1, (SELECT max(id) FROM {table})))"
            )


def detail_report():
    """An in-progress report with 20 events and 3 attachments with their files."""
    report = (
        Report.objects.filter(government=home_government(), status="in_progress", is_confidential=False)
        .order_by("-pk")
        .first()
    )
    disposition = report.dispositions.get()
    events = report.events.count()
    now = timezone.now()
    with transaction.atomic():
        ReportEvent.objects.bulk_create(
            ReportEvent(
                report=report,
                disposition=disposition,
                action="follow_up",
                actor_role="agency",
                agency_id=disposition.agency_id,
                from_status="in_progress",
                to_status="in_progress",
                message=f"Tindak lanjut ke-{k}: petugas memeriksa lokasi dan mencatat kemajuan pekerjaan.",
                is_public=True,
                audience="public",
                created_at=now - dt.timedelta(hours=40 - k),
            )
            for k in range(20 - events)
        )
        report.attachments.all().delete()
        for k in range(3):
            attachment = Attachment(
                report=report, original_name=f"foto-{k}.png", content_type="image/png", size=len(TINY_PNG)
            )
            attachment.file.save(f"foto-{k}.png", ContentFile(TINY_PNG), save=False)
            attachment.save()
    print(f"detail report: {report.pk} ({report.events.count()} events, {report.attachments.count()} attachments)")
    return report


@contextlib.contextmanager
def bulk_session():
    """This connection's settings while the rows go in: no wait for the WAL flush at each
    statement's commit, room to sort in memory, and no foreign-key trigger per row
    (``session_replication_role = replica``, the setting logical replication's apply uses:
    the rows are made to match their foreign keys, and ``check_foreign_keys`` below proves it).
    The bench databases are throw-away; the application never runs with these."""
    with connection.cursor() as cursor:
        cursor.execute("SET synchronous_commit = off")
        cursor.execute("SET work_mem = '256MB'")
        cursor.execute("SET session_replication_role = replica")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("RESET session_replication_role")
            cursor.execute("RESET work_mem")
            cursor.execute("RESET synchronous_commit")


def check_foreign_keys(tables):
    """Every foreign key of the filled tables points at a row (the fill skipped the triggers)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.conrelid::regclass::text, a.attname, c.confrelid::regclass::text, fa.attname"
            " FROM pg_constraint c JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1]"
            " JOIN pg_attribute fa ON fa.attrelid = c.confrelid AND fa.attnum = c.confkey[1]"
            " WHERE c.contype = 'f' AND c.conrelid::regclass::text = ANY(%s)",
            [list(tables)],
        )
        keys = cursor.fetchall()
        for table, column, target, target_column in keys:
            cursor.execute(
                f'SELECT count(*) FROM {table} t WHERE t."{column}" IS NOT NULL AND NOT EXISTS'
                f' (SELECT 1 FROM {target} f WHERE f."{target_column}" = t."{column}")'
            )
            if missing := cursor.fetchone()[0]:
                sys.exit(f"{missing} rows of {table}.{column} point at no {target}")
    print(f"  {len(keys)} foreign keys checked", flush=True)


@contextlib.contextmanager
def without_indexes(tables, *, resume=False):
    """Drop the tables' indexes that back no constraint while the rows go in, and build them
    again afterwards from their own definitions: one sort per index instead of an insert
    into every index (the GIN search indexes above all) per row. The definitions are kept
    in bench/out/ first, so a run stopped half-way can be resumed (``resume``)."""
    saved = common.OUT / f"indexes-{connection.settings_dict['NAME']}.sql"
    if resume:
        indexes = [line.split("\t", 1) for line in saved.read_text().splitlines() if line]
    else:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT i.indexname, i.indexdef FROM pg_indexes i WHERE i.tablename = ANY(%s)"
                " AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)",
                [list(tables)],
            )
            indexes = cursor.fetchall()
        saved.write_text("".join(f"{name}\t{definition}\n" for name, definition in indexes))
        with connection.cursor() as cursor:
            for name, _definition in indexes:
                cursor.execute(f'DROP INDEX "{name}"')
    yield
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("SET maintenance_work_mem = '512MB'")
        for _name, definition in indexes:
            cursor.execute(definition.replace("CREATE INDEX ", "CREATE INDEX IF NOT EXISTS ", 1))
    print(f"  {len(indexes)} indexes built again in {time.perf_counter() - started:.0f} s", flush=True)
