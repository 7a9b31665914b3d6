"""The inbox and the staff search at size, on PostgreSQL (issue 21): every query of a
page, each timed by EXPLAIN (ANALYZE), and which index served it.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/aduan_bench \\
        .venv/bin/python bench/inbox_search.py fill 200000   # after load_demo + bench/seed.py
    DATABASE_URL=... .venv/bin/python bench/inbox_search.py explain

``fill`` copies the reports already there (and their dispositions) with INSERT … SELECT
until the table holds N reports: new tracking numbers and secrets, deadlines and
arrival times spread over weeks, one of eight extra words in each description so a word
search finds an eighth of them. Minutes for 200k, not the hours the actions would take.
``explain`` runs the pages (the inbox, the staff search, the report page, Open311's
window) through django.test.Client as the demo coordinator, captures their queries and
prints each one's execution time by EXPLAIN (ANALYZE, BUFFERS) (best of three), the
indexes its plan names, the sequential scans of more than 10,000 rows and the shared
buffers (the four slowest; ``--all``: every SELECT). ``explain --no-jit`` runs them
with ``SET jit = off``; ``--markdown PATH`` also writes a table of them
(docs/performance.md's 10 M run, on bench/fill.py's rows).
"""

import json
import os
import re
import sys
import time

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
    with connection.cursor() as cursor:
        # Filling further (200k, then 1 M): the copies go on after the last one made.
        cursor.execute(
            "SELECT max(split_part(substr(tracking_number, 2), '-', 1)::int) FROM reports_report"
            " WHERE tracking_number LIKE 'Z%%'"
        )
        k = (cursor.fetchone()[0] or 0) + 1
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


def _walk(node):
    yield node
    for child in node.get("Plans", []):
        yield from _walk(child)


def _plan(sql):
    """EXPLAIN (ANALYZE, BUFFERS) of ``sql``, best of three: (ms, indexes, sequential scans
    of tables over 10,000 rows, shared buffers hit, shared buffers read)."""
    best = None
    for _ in range(3):
        with connection.cursor() as cursor:
            cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) {sql}")
            plan = cursor.fetchone()[0]
            plan = plan if isinstance(plan, list) else json.loads(plan)
        top = plan[0]["Plan"]
        nodes = list(_walk(top))
        ms = plan[0]["Execution Time"]
        if best is None or ms < best[0]:
            indexes = {n["Index Name"] for n in nodes if "Index Name" in n}
            seq = {
                n["Relation Name"]
                for n in nodes
                if n["Node Type"] == "Seq Scan" and max(n.get("Plan Rows", 0), n.get("Actual Rows", 0)) > 10_000
            }
            best = (ms, indexes, seq, top.get("Shared Hit Blocks", 0), top.get("Shared Read Blocks", 0))
    return best


def _pages():
    """(label, client, url) of every page issue 21 measures, over this database's rows."""
    from django.contrib.auth import get_user_model
    from django.test import Client
    from django.urls import reverse

    from agencies.models import Agency
    from reports.models import Report

    staff = Client()
    staff.force_login(get_user_model().objects.get(username="koordinator"))
    from governments.models import home_government

    # The coordinator's own (the first government's): the demo also has a province and a second city.
    mine = Report.objects.filter(government=home_government())
    tracking = mine.exclude(tracking_number__startswith="Z").order_by("pk").first().tracking_number
    detail = mine.filter(status="in_progress").order_by("-pk").values_list("pk", flat=True).first()
    agency = (
        Agency.objects.filter(short_name="DPUPR", government=home_government()).values_list("pk", flat=True).first()
    )
    inbox = reverse("workspace:inbox")
    return [
        ("inbox, first page", staff, inbox),
        ("inbox, page 40", staff, f"{inbox}?page=40"),
        ("inbox, disposed + in progress", staff, f"{inbox}?status=disposed&status=in_progress"),
        (
            "inbox, disposed + in progress, one agency",
            staff,
            f"{inbox}?status=disposed&status=in_progress&agency={agency}",
        ),  # fmt: skip
        ("search a word (inbox)", staff, f"{inbox}?q=drainase"),
        ("inbox, returned by an agency", staff, f"{inbox}?returned=on"),
        ("search a tracking number", staff, f"{inbox}?q={tracking.lower()}"),
        ("search a tracking number without its prefix", staff, f"{inbox}?q={tracking.split('-', 1)[1]}"),
        ("report detail", staff, reverse("workspace:report", args=[detail])),
        ("Open311 requests.json (1,000 rows)", Client(), "/open311/v2/requests.json"),
    ]


def explain():
    """Every page's queries, each timed by EXPLAIN (ANALYZE, BUFFERS); with ``--markdown
    PATH`` also a table of them (the 10 M run of docs/performance.md)."""
    from django.test.utils import CaptureQueriesContext

    if "--no-jit" in sys.argv:
        # PostgreSQL's JIT compiles any plan costed above jit_above_cost; see the README.
        with connection.cursor() as cursor:
            cursor.execute("SET jit = off")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*), count(*) FILTER (WHERE status IN ('received', 'verified')) FROM reports_report"
        )
        total, queued = cursor.fetchone()
    head = f"{total:,} reports, {queued:,} in the coordinator's queue; PostgreSQL {connection.pg_version}"
    print(head)
    table = [
        head,
        "",
        "| page | SELECTs | slowest query | its plan's indexes | seq scans (> 10k rows) | all SELECTs"
        " | buffers hit / read |",
        "|---|---:|---|---|---|---:|---:|",
    ]
    for label, client, url in _pages():
        answer = client.get(url)  # warm the caches
        if getattr(answer, "streaming", False):
            b"".join(answer.streaming_content)
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            answer = client.get(url)
            if getattr(answer, "streaming", False):
                b"".join(answer.streaming_content)
            wall = (time.perf_counter() - started) * 1000
        print(f"\n{label}: {url} → {answer.status_code}, {len(captured)} queries, {wall:.0f} ms wall")
        rows = []
        for query in captured.captured_queries:
            # A streamed answer's rows come through a server-side cursor: explain its SELECT.
            sql = re.sub(r"^DECLARE \S+ NO SCROLL CURSOR WITH(OUT)? HOLD FOR ", "", query["sql"].lstrip())
            if not sql.upper().startswith("SELECT"):
                continue
            rows.append((*_plan(sql), sql))
        rows.sort(key=lambda row: -row[0])
        for ms, indexes, seq, hit, read, sql in rows if "--all" in sys.argv else rows[:4]:
            sql = re.sub(r"\s+", " ", sql)
            head = sql[:40] if sql.startswith("SELECT COUNT") else sql[:24]
            where = sql.find(" WHERE ")
            shown = f"{head}… {sql[where : where + 150] if where > 0 else ''}"
            print(f"  {ms:8.1f} ms  {shown}…\n               indexes: {', '.join(sorted(indexes)) or 'none'}"
                  f"; seq scans: {', '.join(sorted(seq)) or 'none'}; buffers hit {hit}, read {read}")  # fmt: skip
        every = sum(row[0] for row in rows)
        print(f"  {every:8.1f} ms  in all {len(rows)} SELECTs")
        if rows:
            ms, indexes, seq, _hit, _read, _sql = rows[0]
            hit, read = sum(row[3] for row in rows), sum(row[4] for row in rows)
            table.append(
                f"| {label} | {len(rows)} | {ms:.1f} ms | {', '.join(sorted(indexes)) or '—'} |"
                f" {', '.join(sorted(seq)) or 'none'} | {every:.1f} ms | {hit:,} / {read:,} |"
            )
    if "--markdown" in sys.argv:
        path = sys.argv[sys.argv.index("--markdown") + 1]
        with open(path, "w") as out:
            out.write("\n".join(table) + "\n")


if __name__ == "__main__":
    if len(sys.argv) > 2 and sys.argv[1] == "fill":
        fill(int(sys.argv[2]))
    elif len(sys.argv) > 1 and sys.argv[1] == "explain":
        explain()
    else:
        sys.exit(__doc__)
