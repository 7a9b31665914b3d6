"""The monev dashboard over a large city on PostgreSQL, cold and warm.

Usage (from the project root; the database is emptied and refilled unless --reuse):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/aduan_bench_monev \\
        .venv/bin/python bench/monev_dashboard.py [--reports 1000000] [--reuse]

1. migrates the database and, unless --reuse, fills it with SQL (INSERT … SELECT over
   generate_series, no Python per row): 6 kecamatan × 8 kelurahan, 30 agencies, 40
   categories, N reports received evenly over the two years before today, and the events
   and dispositions of their life cycles (10% archived, 5% left received, 5% verified,
   10% disposed or in progress, 20% resolved, 50% closed, a quarter of the closed rated);
2. rebuilds the monev rollup from the events (``rebuild_monev_rollup``, timed), unless
   --reuse --keep-rollup;
3. times, for the last full month and a coordinator: ``compute`` (every figure, no
   cache), the whole dashboard (figures, trend, breakdowns, scorecard of every agency,
   map) cold (empty cache) and warm (the cache filled by the cold run), and the page
   itself through the test client, warm; and the scheduled warm-up (dashboard.warm) from an
   empty cache, which is what keeps coordinators from ever meeting a cold build; then
   boards for filters nobody built before (an agency, a category, a channel, a kecamatan, a
   quarter, kind × channel), cold.

The numbers are printed; nothing is asserted (DESIGN: performance claims come from
bench/, not from timed tests).
"""

import argparse
import datetime as dt
import os
import statistics
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from bench import common  # noqa: E402

common.setup()

from django.core.cache import cache  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.utils import timezone  # noqa: E402

from agencies.models import Agency, Appointment, Region, Role  # noqa: E402
from bench.common import insert as _insert  # noqa: E402
from bench.common import loadavg  # noqa: E402
from monev import dashboard, figures, rollup, sums  # noqa: E402
from monev.models import DailyRollup  # noqa: E402
from reports.models import Category, Disposition, Report, ReportEvent  # noqa: E402

AGENCIES, KECAMATAN, KELURAHAN_PER, CATEGORIES = 30, 6, 8, 40
DIMS = [d for d in figures.DIMENSIONS if d != "agency"]
CHANNELS = ["web", "whatsapp", "sms", "email", "call_center", "instagram", "android", "walk_in"]


def fill(total):
    started = time.perf_counter()
    with connection.cursor() as cursor:
        for model in (ReportEvent, Disposition, Report):
            cursor.execute(f"TRUNCATE {model._meta.db_table} CASCADE")
    agencies = [
        Agency.objects.get_or_create(name=f"Bench Dinas {i:02d}", defaults={"short_name": f"D{i:02d}"})[0]
        for i in range(AGENCIES)
    ]
    kelurahan = []
    for k in range(KECAMATAN):
        kec = Region.objects.get_or_create(name=f"Kecamatan {k}", level=Region.Level.KECAMATAN, parent=None)[0]
        kelurahan += [
            Region.objects.get_or_create(name=f"Kelurahan {k}-{j}", level=Region.Level.KELURAHAN, parent=kec)[0]
            for j in range(KELURAHAN_PER)
        ]
    parents = [Category.objects.get_or_create(name=f"Induk {p}", parent=None)[0] for p in range(8)]
    categories = [
        Category.objects.get_or_create(
            name=f"Kategori {c}", parent=parents[c % 8], defaults={"default_agency": agencies[c % AGENCIES]}
        )[0]
        for c in range(CATEGORIES)
    ]
    agency_ids = "ARRAY[" + ",".join(str(a.pk) for a in agencies) + "]"
    region_ids = "ARRAY[" + ",".join(str(r.pk) for r in kelurahan) + "]"
    category_ids = "ARRAY[" + ",".join(str(c.pk) for c in categories) + "]"
    channels = "ARRAY[" + ",".join(f"'{c}'" for c in CHANNELS) + "]"
    first_day = timezone.now() - dt.timedelta(days=730)

    # The life cycle of report i is chosen by i % 20 (see the module docstring); every
    # moment is the receipt plus a few days, chosen from i.
    received = f"(TIMESTAMPTZ '{first_day.isoformat()}' + (i::float8 / {total}) * INTERVAL '730 days')"
    verified = f"({received} + ((i % 5) * INTERVAL '1 day') + INTERVAL '2 hours')"
    disposed = f"({verified} + INTERVAL '1 day')"
    follow_up = f"({disposed} + ((i % 7) * INTERVAL '1 day') + INTERVAL '1 hour')"
    done = f"({follow_up} + ((i % 9) * INTERVAL '1 day') + INTERVAL '1 hour')"
    closed = f"({done} + INTERVAL '14 days')"
    status = (
        "CASE WHEN i % 20 < 2 THEN 'archived' WHEN i % 20 = 2 THEN 'received' WHEN i % 20 = 3 THEN 'verified'"
        " WHEN i % 20 = 4 THEN 'disposed' WHEN i % 20 = 5 THEN 'in_progress' WHEN i % 20 < 10 THEN 'resolved'"
        " ELSE 'closed' END"
    )
    series = f"FROM generate_series(1, {total}) AS i"
    n = _insert(
        Report,
        {
            "id": "i",
            "tracking_number": "'BEN-' || i",
            "secret": "md5(i::text)",
            "kind": "CASE WHEN i % 10 = 0 THEN 'information_request' ELSE 'complaint' END",
            "channel": f"({channels})[1 + i % {len(CHANNELS)}]",
            "status": status,
            "description": "'Laporan uji monev nomor ' || i",
            "category_id": f"({category_ids})[1 + i % {CATEGORIES}]",
            "resolution_class": "'simple'",
            "region_id": f"({region_ids})[1 + (i / 7) % {len(kelurahan)}]",
            "latitude": "-8.1 + ((i / 7) % 48) * 0.001",
            "longitude": "112.16 + ((i / 7) % 48) * 0.0005",
            "reply_channel": "'none'",
            "received_at": received,
            "created_at": received,
            "updated_at": received,
            "rating": "CASE WHEN i % 20 BETWEEN 10 AND 14 THEN 1 + i % 5 END",
        },
        series,
    )
    print(f"  reports: {n}")
    n = _insert(
        Disposition,
        {
            "id": "i",
            "report_id": "i",
            "agency_id": f"({agency_ids})[1 + i % {AGENCIES}]",
            "role": "'lead'",
            "state": "CASE WHEN i % 20 < 5 THEN 'pending' WHEN i % 20 = 5 THEN 'accepted' ELSE 'done' END",
            "is_active": "TRUE",
            "created_at": disposed,
            "follow_up_due_at": f"({disposed} + INTERVAL '7 days')",
            "resolution_due_at": f"({disposed} + INTERVAL '9 days')",
            "first_follow_up_at": f"CASE WHEN i % 20 >= 5 THEN {follow_up} END",
            "done_at": f"CASE WHEN i % 20 >= 6 THEN {done} END",
        },
        f"{series} WHERE i % 20 >= 4",
    )
    print(f"  dispositions: {n}")
    agency = f"({agency_ids})[1 + i % {AGENCIES}]"
    steps = [
        ("submitted", "''", "'received'", received, "TRUE", "NULL", "NULL", "citizen", "'{}'", "TRUE"),
        (
            "verified",
            "'received'",
            "'verified'",
            verified,
            "i % 20 >= 3",
            "NULL",
            "NULL",
            "coordinator",
            "'{}'",
            "TRUE",
        ),
        (
            "archived",
            "'received'",
            "'archived'",
            verified,
            "i % 20 < 2",
            "NULL",
            "NULL",
            "coordinator",
            "jsonb_build_object('reason', (ARRAY['spam','unclear','duplicate','outside_authority'])[1 + i % 4])",
            "TRUE",
        ),
        (
            "disposed",
            "'verified'",
            "'disposed'",
            disposed,
            "i % 20 >= 4",
            "NULL",
            "NULL",
            "coordinator",
            "'{}'",
            "TRUE",
        ),
        ("follow_up", "'disposed'", "'in_progress'", follow_up, "i % 20 >= 5", "i", agency, "agency", "'{}'", "TRUE"),
        (
            "disposition_done",
            "'in_progress'",
            "'in_progress'",
            done,
            "i % 20 >= 6",
            "i",
            agency,
            "agency",
            "'{}'",
            "TRUE",
        ),
        ("resolved", "'in_progress'", "'resolved'", done, "i % 20 >= 6", "NULL", "NULL", "system", "'{}'", "TRUE"),
        ("auto_closed", "'resolved'", "'closed'", closed, "i % 20 >= 10", "NULL", "NULL", "system", "'{}'", "TRUE"),
        (
            "rated",
            "'closed'",
            "'closed'",
            closed,
            "i % 20 BETWEEN 10 AND 14",
            "NULL",
            "NULL",
            "citizen",
            "jsonb_build_object('rating', 1 + i % 5)",
            "TRUE",
        ),
    ]
    for action, from_status, to_status, at, where, disposition, agency_sql, role, data, public in steps:
        message = "'Tindak lanjut uji'" if action == "follow_up" else "''"
        n = _insert(
            ReportEvent,
            {
                "report_id": "i",
                "disposition_id": disposition,
                "action": f"'{action}'",
                "actor_role": f"'{role}'",
                "agency_id": agency_sql,
                "from_status": from_status,
                "to_status": to_status,
                "message": message,
                "is_public": public,
                "data": f"{data}::jsonb",
                "created_at": at,
            },
            f"{series} WHERE {where} AND {at} < now()",
        )
        print(f"  events {action}: {n}")
    with connection.cursor() as cursor:
        for model in (Report, Disposition):
            table = model._meta.db_table
            cursor.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))")
        cursor.execute("ANALYZE")
    print(f"filled {total} reports in {time.perf_counter() - started:.1f} s")


def timed(label, fn, repeat=1):
    times = []
    result = None
    for _i in range(repeat):
        t = time.perf_counter()
        result = fn()
        times.append((time.perf_counter() - t) * 1000)
    shown = f"{times[0]:.0f} ms" if repeat == 1 else f"median {statistics.median(times):.1f} ms of {repeat}"
    print(f"{label:<58} {shown}")
    return result


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--reports", type=int, default=1_000_000)
    parser.add_argument("--reuse", action="store_true", help="keep the data already in the database")
    parser.add_argument("--keep-rollup", action="store_true", help="with --reuse: do not rebuild the monev rollup")
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        sys.exit("Run this on PostgreSQL: set DATABASE_URL.")
    call_command("migrate", verbosity=0)
    if not args.reuse:
        fill(args.reports)
    print(f"reports: {Report.objects.count()}, events: {ReportEvent.objects.count()}")
    print(f"loadavg before: {loadavg()}")
    if not (args.reuse and args.keep_rollup):
        timed("rebuild_monev_rollup: the rollup from every report's events", rollup.rebuild)
    print(f"rollup rows: {DailyRollup.objects.count()}, loadavg: {loadavg()}")

    today = timezone.localdate()
    last_month = figures.Filter(*figures.period_bounds("month", today.replace(day=1) - dt.timedelta(days=1)))
    cache.clear()
    timed("compute(): every figure for the city, last month, no cache", lambda: sums.compute(last_month))
    timed(
        "compute(): one agency, last month, no cache",
        lambda: sums.compute(last_month.with_(agency=Agency.objects.filter(name__startswith="Bench ").first().pk)),
    )
    timed("compute_by_agency(): every agency, grouped, no cache", lambda: sums.compute_by_agency(last_month))
    timed("breakdowns(): 5 dimensions × 7 counts, no cache", lambda: sums.breakdowns(last_month, DIMS))
    timed("trend(): 12 months, no cache", lambda: sums.trend(last_month))
    cache.clear()
    timed("dashboard.build(): city + scorecard of 30 agencies, cold", lambda: dashboard.build(last_month))
    timed("dashboard.build(): warm", lambda: dashboard.build(last_month), repeat=5)
    cache.clear()
    timed("dashboard.warm(): this month, last month, public page, cold", dashboard.warm)
    # Any filter, cold: each a board nobody built before (a new filter used to mean a cold
    # build from the events).
    bench_agency = Agency.objects.filter(name__startswith="Bench ").order_by("pk")[3].pk
    bench_category = Category.objects.filter(name="Kategori 7").first().pk
    bench_parent = Category.objects.filter(name="Induk 2").first().pk
    kecamatan = Region.objects.filter(name="Kecamatan 1").first().pk
    quarter = figures.Filter(*figures.period_bounds("quarter", last_month.start))
    for label, flt in [
        ("an agency", last_month.with_(agency=bench_agency)),
        ("a category", last_month.with_(category=bench_category)),
        ("a parent category + a channel", last_month.with_(category=bench_parent, channel="whatsapp")),
        ("a kecamatan", last_month.with_(kecamatan=kecamatan)),
        ("an agency + a channel, a quarter", quarter.with_(agency=bench_agency, channel="sms")),
        ("the city, the last 90 days", figures.Filter(today - dt.timedelta(days=89), today)),
    ]:
        timed(f"dashboard.build() cold: {label}", lambda flt=flt: dashboard.build(flt))
    cold = []
    for kind in ("information_request", "complaint"):
        for channel in CHANNELS[:4]:
            t = time.perf_counter()
            dashboard.build(last_month.with_(kind=kind, channel=channel))
            cold.append((time.perf_counter() - t) * 1000)
    label = "dashboard.build() cold: 8 more filters (kind × channel)"
    print(f"{label:<58} median {statistics.median(cold):.0f} ms, max {max(cold):.0f} ms")

    from agencies.models import Agency as A

    user = Appointment.objects.filter(role__in=[Role.COORDINATOR, Role.EXECUTIVE]).select_related("person").first()
    if user is None:
        from django.contrib.auth import get_user_model

        person, _created = get_user_model().objects.get_or_create(username="bench-executive")
        unit = A.objects.filter(name__startswith="Bench ").first()
        now = timezone.now()
        Appointment.objects.create(
            person=person,
            agency=unit,
            role=Role.EXECUTIVE,
            decree_number="BENCH",
            decree_date=now.date(),
            valid_from=now - dt.timedelta(days=1),
            valid_until=now + dt.timedelta(days=365),
        )
    else:
        person = user.person
    client = Client()
    client.force_login(person)
    query = {"start": last_month.start.isoformat(), "end": last_month.end.isoformat()}
    timed("GET /kerja/monev/ (page, warm cache)", lambda: client.get("/kerja/monev/", query), repeat=5)
    print(f"loadavg after: {loadavg()}")


if __name__ == "__main__":
    main()
