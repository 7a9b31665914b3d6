"""The inbox and the staff search at size, on PostgreSQL (issue 21): every query of a
page, each timed by EXPLAIN (ANALYZE), and which index served it.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/aduan_bench \\
        .venv/bin/python bench/inbox_search.py fill 200000   # after load_demo + bench/seed.py
    DATABASE_URL=... .venv/bin/python bench/inbox_search.py explain

``fill`` copies the reports already there (and their dispositions) with INSERT … SELECT
until the table holds N reports: new tracking numbers and secrets, deadlines and
arrival times spread over weeks, one of eight extra words in each description so a word
search finds an eighth of them. Minutes for 200k, not the hours the actions would take.
``explain`` runs the pages through django.test.Client as the demo coordinator, captures
their queries and prints each one's execution time (best of three) and the indexes its
plan names. ``explain --no-jit`` runs them with ``SET jit = off``.
"""

import json
import os
import re
import sys
import time
from urllib.parse import urlencode

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from bench import common  # noqa: E402

common.setup()

from django.db import connection  # noqa: E402

WORDS = ["banjir", "sampah", "parkir", "macet", "pohon", "drainase", "trotoar", "pungli"]


def _columns(table, skip):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT column_name FROM information_schema.columns WHERE table_name = %s AND is_generated = 'NEVER'"
            " ORDER BY ordinal_position",
            [table],
        )
        return [name for (name,) in cursor.fetchall() if name not in skip]


def fill(total):
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*), max(id) FROM reports_report WHERE tracking_number NOT LIKE 'Z%%'")
        base, base_max = cursor.fetchone()
    special = {
        "tracking_number": "'Z' || k || '-' || r.id",
        "secret": "md5(k || '-' || r.id)",
        "submission_key": "NULL",
        "description": "r.description || ' ' || (%(words)s::text[])[1 + (k * 7 + r.id) %% 8]",
        "masked_description": "r.masked_description || ' ' || (%(words)s::text[])[1 + (k * 7 + r.id) %% 8]",
        "received_at": "r.received_at - (k || ' hours')::interval",
        "due_at": "r.due_at + ((k * 37 + r.id) %% 500 || ' hours')::interval",
        "current_deadline": "r.current_deadline + ((k * 37 + r.id) %% 500 || ' hours')::interval",
    }
    report_cols = _columns("reports_report", {"id"})
    disp_cols = _columns("reports_disposition", {"id", "report_id"})
    select = ", ".join(special.get(c, f"r.{c}") for c in report_cols)
    started = time.perf_counter()
    k = 1
    while True:
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM reports_report")
            (count,) = cursor.fetchone()
            if count >= total:
                break
            limit = min(base, total - count)
            cursor.execute(
                f"INSERT INTO reports_report ({', '.join(report_cols)}) "
                f"SELECT {select} FROM reports_report r, (SELECT %(k)s AS k) kk "
                "WHERE r.id <= %(base_max)s AND r.tracking_number NOT LIKE 'Z%%' ORDER BY r.id LIMIT %(limit)s",
                {"k": k, "base_max": base_max, "limit": limit, "words": WORDS},
            )
            shift = {
                "follow_up_due_at": "d.follow_up_due_at + ((%(k)s * 37 + d.report_id) %% 500 || ' hours')::interval",
                "resolution_due_at": "d.resolution_due_at + ((%(k)s * 37 + d.report_id) %% 500 || ' hours')::interval",
            }
            cursor.execute(
                f"INSERT INTO reports_disposition (report_id, {', '.join(disp_cols)}) "
                f"SELECT n.id, {', '.join(shift.get(c, f'd.{c}') for c in disp_cols)} "
                "FROM reports_disposition d JOIN reports_report n"
                " ON n.tracking_number = 'Z' || %(k)s || '-' || d.report_id",
                {"k": k},
            )
        if k % 10 == 0:
            print(f"copy {k}: {count + limit} reports, {time.perf_counter() - started:.0f} s", flush=True)
        k += 1
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE reports_report")
        cursor.execute("VACUUM ANALYZE reports_disposition")
    print(f"filled to {total} reports in {time.perf_counter() - started:.0f} s")


def explain():
    from django.contrib.auth import get_user_model
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from reports.models import Report

    if "--no-jit" in sys.argv:
        # PostgreSQL's JIT compiles any plan costed above jit_above_cost; see the README.
        with connection.cursor() as cursor:
            cursor.execute("SET jit = off")
    client = Client()
    client.force_login(get_user_model().objects.get(username="koordinator"))
    tracking = Report.objects.exclude(tracking_number__startswith="Z").order_by("pk").first().tracking_number
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*), count(*) FILTER (WHERE status IN ('received', 'verified')) FROM reports_report"
        )
        total, queued = cursor.fetchone()
    print(f"{total} reports, {queued} in the coordinator's queue; PostgreSQL {connection.pg_version}")
    pages = [
        ("inbox, first page", reverse("workspace:inbox"), {}),
        ("inbox, page 40", reverse("workspace:inbox"), {"page": 40}),
        ("inbox, all open statuses", reverse("workspace:inbox"), {"status": ["disposed", "in_progress"]}),
        ("search a word (inbox)", reverse("workspace:inbox"), {"q": "drainase"}),
        ("search a tracking number", reverse("workspace:inbox"), {"q": tracking.lower()}),
    ]
    for label, path, params in pages:
        url = f"{path}?{urlencode(params, doseq=True)}" if params else path
        client.get(url)  # warm the caches
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            status = client.get(url).status_code
            wall = (time.perf_counter() - started) * 1000
        print(f"\n{label}: {url} → {status}, {len(captured)} queries, {wall:.0f} ms wall")
        rows = []
        for query in captured.captured_queries:
            sql = query["sql"]
            if not sql.lstrip().upper().startswith("SELECT"):
                continue
            best, indexes = None, set()
            for _ in range(3):
                with connection.cursor() as cursor:
                    cursor.execute(f"EXPLAIN (ANALYZE, FORMAT JSON) {sql}")
                    plan = cursor.fetchone()[0]
                    plan = plan if isinstance(plan, list) else json.loads(plan)
                ms = plan[0]["Execution Time"]
                best = ms if best is None else min(best, ms)
                indexes |= set(re.findall(r'"Index Name": "([^"]+)"', json.dumps(plan)))
            rows.append((best, sql, indexes))
        for ms, sql, indexes in sorted(rows, key=lambda row: -row[0])[:4]:
            sql = re.sub(r"\s+", " ", sql)
            head = sql[:40] if sql.startswith("SELECT COUNT") else sql[:24]
            where = sql.find(" WHERE ")
            shown = f"{head}… {sql[where : where + 150] if where > 0 else ''}"
            print(f"  {ms:8.1f} ms  {shown}…\n               indexes: {', '.join(sorted(indexes)) or 'none'}")
        print(f"  {sum(row[0] for row in rows):8.1f} ms  in all {len(rows)} SELECTs")


if __name__ == "__main__":
    if len(sys.argv) > 2 and sys.argv[1] == "fill":
        fill(int(sys.argv[2]))
    elif len(sys.argv) > 1 and sys.argv[1] == "explain":
        explain()
    else:
        sys.exit(__doc__)
