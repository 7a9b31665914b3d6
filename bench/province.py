"""Issue 20's "Performance": does the per-government filter cost? The same pages, as the demo
city's coordinator, on a province-sized database (39 governments, the city one of them)
and on a city-sized one (the city alone with its share of the reports), side by side.

    # the two databases (bench/fill.py): N reports over 39 governments, and N / 39 alone
    DATABASE_URL=postgres://…/aduan_bench_prov .venv/bin/python bench/fill.py 200000 --governments 39
    DATABASE_URL=postgres://…/aduan_bench_city .venv/bin/python bench/fill.py 5128
    # each measured in process (one request at a time, median of -n), saved as JSON
    DATABASE_URL=postgres://…/aduan_bench_prov .venv/bin/python bench/province.py run prov [-n 9]
    DATABASE_URL=postgres://…/aduan_bench_city .venv/bin/python bench/province.py run city
    # the table, and the plans of the pages' reads of the report table
    .venv/bin/python bench/province.py compare prov city [--markdown bench/out/province.md]

For each page: the queries one request makes, the median wall, CPU (this process) and SQL
milliseconds, and for the inbox and search pages the EXPLAIN (ANALYZE, BUFFERS) of their
reads of the report table: execution time, the indexes read, the rows an index or scan read
and then dropped by a filter (``Rows Removed by Filter``: a government filter applied after
an index scan of every government's rows shows up there). The monev board is measured
cold (the cache emptied before each request) and warm.
"""

import json
import os
import re
import statistics
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from bench import common  # noqa: E402

OUT = common.OUT


def pages():
    from django.contrib.auth import get_user_model
    from django.test import Client
    from django.urls import reverse

    from agencies.models import Agency
    from governments.models import home_government
    from reports.models import Report

    home = home_government()
    staff = Client()
    staff.force_login(get_user_model().objects.get(username="koordinator"))
    mine = Report.objects.filter(government=home)
    tracking = mine.filter(status="closed").order_by("pk").values_list("tracking_number", flat=True).first()
    agency = Agency.objects.filter(government=home, short_name="DPUPR").values_list("pk", flat=True).first()
    inbox = reverse("workspace:inbox")
    return [
        ("inbox, first page", staff, inbox),
        (
            "inbox, disposed + in progress, one agency",
            staff,
            f"{inbox}?status=disposed&status=in_progress&agency={agency}",
        ),  # noqa: E501
        ("search a word", staff, f"{inbox}?q=drainase"),
        ("search a tracking number", staff, f"{inbox}?q={tracking.lower()}"),
        ("monev board, cold", staff, "/kerja/monev/"),
        ("monev board, warm", staff, "/kerja/monev/"),
        ("Open311 requests.json (1,000 rows)", Client(), "/open311/v2/requests.json?page_size=1000"),
    ]


EXPLAINED = ("inbox", "search", "Open311")


def _key(sql):
    """A query's text without its numbers (ids, cursor names): the same query on both databases."""
    sql = re.sub(r'^DECLARE "[^"]*" NO SCROLL CURSOR WITH HOLD FOR ', "", " ".join(sql.split()))
    return re.sub(r"\d+", "N", sql)


def _walk(node):
    yield node
    for child in node.get("Plans", []):
        yield from _walk(child)


def explain(sql, params):
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) {sql}", params)
        plan = cursor.fetchone()[0]
        plan = plan if isinstance(plan, list) else json.loads(plan)
        cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS, FORMAT TEXT) {sql}", params)
        text = "\n".join(row[0] for row in cursor.fetchall())
    nodes = list(_walk(plan[0]["Plan"]))
    return {
        "ms": plan[0]["Execution Time"],
        "indexes": sorted({n["Index Name"] for n in nodes if "Index Name" in n}),
        "removed": sum(int(n.get("Rows Removed by Filter", 0)) * int(n.get("Actual Loops", 1)) for n in nodes),
        "government_filter": any("government_id" in str(n.get("Filter", "")) for n in nodes),
        "text": text,
    }


def measure(label, client, url, repeat):
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    cold = "cold" in label

    def one():
        if cold:
            cache.clear()
        answer = client.get(url)
        if getattr(answer, "streaming", False):
            b"".join(answer.streaming_content)
        assert answer.status_code == 200, (label, answer.status_code)

    one()
    wall, cpu, sql = [], [], []
    for _ in range(repeat):
        with CaptureQueriesContext(connection) as captured:
            started, started_cpu = time.perf_counter(), time.process_time()
            one()
            cpu.append((time.process_time() - started_cpu) * 1000)
            wall.append((time.perf_counter() - started) * 1000)
        sql.append(sum(float(q["time"]) for q in captured.captured_queries) * 1000)
    result = {
        "label": label,
        "queries": len(captured),
        "wall": statistics.median(wall),
        "cpu": statistics.median(cpu),
        "sql": statistics.median(sql),
        "plans": [],
    }
    if label.startswith(EXPLAINED):
        # Every read of the report table in one more request, costliest first, again with their parameters.
        from django.db.backends.utils import CursorWrapper

        raw, real_execute = [], CursorWrapper.execute

        def keep(self, sql, params=None):
            raw.append((sql, params))
            return real_execute(self, sql, params)

        CursorWrapper.execute = keep
        try:
            with CaptureQueriesContext(connection) as timed:
                one()
        finally:
            CursorWrapper.execute = real_execute
        timed_ms = [float(q["time"]) for q in timed.captured_queries]
        costliest = sorted(range(min(len(raw), len(timed_ms))), key=lambda k: -timed_ms[k])
        for k in costliest:
            sql_text, params = raw[k]
            if not sql_text.lstrip().upper().startswith(("SELECT", "DECLARE")) or '"reports_report"' not in sql_text:
                continue  # the report table's reads: where a government filter could cost
            plan = explain(sql_text, params)
            plan["sql"] = " ".join(timed.captured_queries[k]["sql"].split())[:400]
            plan["key"] = _key(timed.captured_queries[k]["sql"])
            result["plans"].append(plan)
    print(
        f"{label}: {result['queries']} queries, wall {result['wall']:.0f} ms, CPU {result['cpu']:.0f} ms,"
        f" SQL {result['sql']:.0f} ms",
        flush=True,
    )
    for plan in result["plans"]:
        print(
            f"    EXPLAIN {plan['ms']:.1f} ms, removed by filter {plan['removed']},"
            f" government filter {plan['government_filter']}, indexes {', '.join(plan['indexes'])}: {plan['sql'][:120]}"
        )
    return result


def run(name, repeat):
    common.setup(ADUAN_PORTAL_RATE_SUBMIT="100000000/hour", ADUAN_OPEN311_RATE="100000000/hour")
    from django.db import connection

    from governments.models import Government, home_government
    from reports.models import Report

    home = home_government()
    facts = {
        "name": name,
        "database": connection.settings_dict["NAME"],
        "governments": Government.objects.count(),
        "reports": Report.objects.count(),
        "city_reports": Report.objects.filter(government=home).count(),
        "load": common.loadavg(),
        "at": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
    }
    print(facts, flush=True)
    facts["pages"] = [measure(label, client, url, repeat) for label, client, url in pages()]
    facts["load_after"] = common.loadavg()
    (OUT / f"province-{name}.json").write_text(json.dumps(facts, indent=1, default=str))


def compare(names, markdown=None):
    runs = [json.loads((OUT / f"province-{name}.json").read_text()) for name in names]
    for r in runs:
        for page in r["pages"]:
            for plan in page["plans"]:
                plan["key"] = _key(plan["key"])
    head = " | ".join(
        f"{r['name']}: {r['governments']} gov., {r['reports']:,} reports ({r['city_reports']:,} the city's)"
        for r in runs
    )
    lines = [
        f"Runs: {head}; load {', '.join(r['load'] + ' → ' + r['load_after'] for r in runs)}.",
        "",
        "| page | " + " | ".join(f"{r['name']}: queries / wall / CPU / SQL ms" for r in runs) + " |",
        "|---|" + "---:|" * len(runs),
    ]
    for k, page in enumerate(runs[0]["pages"]):
        cells = []
        for r in runs:
            p = r["pages"][k]
            cells.append(f"{p['queries']} / {p['wall']:.0f} / {p['cpu']:.0f} / {p['sql']:.0f}")
        lines.append(f"| {page['label']} | " + " | ".join(cells) + " |")
    lines += [
        "",
        "Plans: every read of the report table of each page, by EXPLAIN (ANALYZE, BUFFERS), those over 1 ms on"
        " either database (execution ms; rows an index or scan read and a filter then dropped; the indexes read):",
        "",
        "| page, query | " + " | ".join(f"{r['name']}: ms, rows removed by filter, indexes" for r in runs) + " |",
        "|---|" + "---|" * len(runs),
    ]
    for k, page in enumerate(runs[0]["pages"]):
        keys = list(dict.fromkeys(p["key"] for r in runs for p in r["pages"][k]["plans"]))
        for key in keys:
            found = [next((p for p in r["pages"][k]["plans"] if p["key"] == key), None) for r in runs]
            if max((p["ms"] for p in found if p), default=0) < 1:
                continue
            cells = [
                f"{p['ms']:.1f}, {p['removed']:,}, {' '.join(p['indexes']) or 'no index'}" if p else "—" for p in found
            ]
            lines.append(f"| {page['label']}: `{key[:90]}…` | " + " | ".join(cells) + " |")
    text = "\n".join(lines) + "\n"
    print(text)
    if markdown:
        with open(markdown, "w") as out:
            out.write(text)
            for r in runs:
                for p in r["pages"]:
                    for plan in p["plans"]:
                        out.write(f"\n<!-- {r['name']}, {p['label']} -->\n```\n{plan['sql']}\n{plan['text']}\n```\n")


def main():
    if len(sys.argv) >= 3 and sys.argv[1] == "run":
        repeat = int(sys.argv[sys.argv.index("-n") + 1]) if "-n" in sys.argv else 9
        run(sys.argv[2], repeat)
    elif len(sys.argv) >= 3 and sys.argv[1] == "compare":
        markdown = sys.argv[sys.argv.index("--markdown") + 1] if "--markdown" in sys.argv else None
        names = [a for a in sys.argv[2:] if not a.startswith("--") and a != markdown]
        compare(names, markdown)
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()
