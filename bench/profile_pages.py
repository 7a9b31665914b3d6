"""Where one request's time goes, in process, on a filled bench database (issue 21's pages
whose aims are missed): for each page the wall, CPU and SQL milliseconds of single
requests (median of ``--repeat``), then one request under cProfile, its own time added up
by where the code lives (the database driver, the ORM, templates, forms and widgets, the
project's own modules, the rest of Django, other), and the project's functions that cost
the most (cumulative). Prints its numbers; asserts nothing.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/aduan_bench_1m \\
        .venv/bin/python bench/profile_pages.py [--repeat 5] [--only inbox] [--markdown PATH]

Uses bench/inbox_search.py's pages (the demo coordinator, the fill's rows) plus the
portal submission and the monev dashboard. ``--markdown`` writes a table of the split.
"""

import cProfile
import os
import pstats
import statistics
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from bench import common  # noqa: E402

common.setup(ADUAN_PORTAL_RATE_SUBMIT="100000000/hour")

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from bench.inbox_search import _pages  # noqa: E402

ROOT = str(common.ROOT)
GROUPS = ["database driver", "ORM", "templates", "forms and widgets", "Aduan's modules", "other Django", "other"]


def group(filename, name):
    where = f"{filename} {name}"
    if "psycopg" in where:
        return "database driver"
    if "/django/db/" in filename:
        return "ORM"
    if "/django/template" in filename:
        return "templates"
    if "/django/forms/" in filename:
        return "forms and widgets"
    if "/django/" in filename:
        return "other Django"
    if filename.startswith(ROOT) and "/.venv/" not in filename and "/site-packages/" not in filename:
        return "Aduan's modules"
    return "other"


def submit_request():
    from agencies.models import Region
    from reports.models import Category

    category = Category.objects.filter(parent__isnull=False).order_by("pk").first()
    region = Region.objects.filter(level=Region.Level.KELURAHAN).order_by("pk").first()
    data = {
        "kind": "complaint",
        "description": "Uji profil: lampu jalan mati di depan pasar sejak tiga hari, gelap sekali.",
        "parent": category.parent_id,
        "category": category.pk,
        "kecamatan": region.parent_id,
        "region": region.pk,
        "address": "Jl. Merdeka 1",
        "reporter_name": "Uji Profil",
        "reporter_phone": "081200000000",
        "reply_channel": "none",
    }
    client = Client()
    return client, lambda: client.post("/lapor/", data)


def run(request):
    answer = request()
    if getattr(answer, "streaming", False):
        b"".join(answer.streaming_content)
    assert answer.status_code in (200, 302), answer.status_code
    return answer


def measure(label, request, repeat):
    run(request)  # warm: caches, the first connection
    wall, cpu, sql, queries, slowest = [], [], [], 0, []
    for _ in range(repeat):
        with CaptureQueriesContext(connection) as captured:
            started, started_cpu = time.perf_counter(), time.process_time()
            run(request)
            cpu.append((time.process_time() - started_cpu) * 1000)
            wall.append((time.perf_counter() - started) * 1000)
        sql.append(sum(float(q["time"]) for q in captured.captured_queries) * 1000)
        queries = len(captured)
        slowest = sorted(((float(q["time"]) * 1000, q["sql"]) for q in captured.captured_queries), reverse=True)
    profiler = cProfile.Profile()
    profiler.enable()
    run(request)
    profiler.disable()
    stats = pstats.Stats(profiler)
    total = sum(tt for (_cc, _nc, tt, _ct, _callers) in stats.stats.values())
    split = dict.fromkeys(GROUPS, 0.0)
    ours = []
    whole = max((ct for (_cc, _nc, _tt, ct, _callers) in stats.stats.values()), default=0)
    for (filename, _line, name), (_cc, _nc, tt, ct, _callers) in stats.stats.items():
        split[group(filename, name)] += tt
        # Aduan's functions, less the bench and the middleware around the whole request
        if group(filename, name) == "Aduan's modules" and "/bench/" not in filename and ct < 0.8 * whole:
            ours.append((ct, f"{os.path.relpath(filename, ROOT)}:{name}"))
    ours.sort(reverse=True)
    result = {
        "label": label,
        "queries": queries,
        "wall": statistics.median(wall),
        "cpu": statistics.median(cpu),
        "sql": statistics.median(sql),
        "split": {k: v / total if total else 0 for k, v in split.items()},
        "ours": ours[:6],
    }
    print(
        f"\n{label}: {queries} queries, wall {result['wall']:.0f} ms, CPU {result['cpu']:.0f} ms,"
        f" SQL {result['sql']:.0f} ms (median of {repeat})"
    )
    print("  profiled self time: " + ", ".join(f"{k} {v:.0%}" for k, v in result["split"].items() if v >= 0.005))
    for ct, where in result["ours"]:
        print(f"  {ct * 1000:7.1f} ms cumulative  {where}")
    for ms, query in slowest[:3]:
        print(f"  {ms:7.1f} ms SQL  {' '.join(query.split())[:160]}")
    return result


def main():
    repeat = int(sys.argv[sys.argv.index("--repeat") + 1]) if "--repeat" in sys.argv else 5
    only = sys.argv[sys.argv.index("--only") + 1] if "--only" in sys.argv else ""
    pages = [(label, client, url) for label, client, url in _pages() if "page 40" not in label]
    staff = pages[0][1]
    pages.append(("monev dashboard, warm", staff, "/kerja/monev/"))
    results = []
    for label, client, url in pages:
        if only in label:
            results.append(measure(label, lambda client=client, url=url: client.get(url), repeat))
    if only in "public submit":
        _client, post = submit_request()
        results.append(measure("public submit (POST /lapor/)", post, repeat))
    if "--markdown" in sys.argv:
        lines = [
            f"{common.loadavg()} load average; single requests in process, median of {repeat}; split of one"
            " profiled request's own time",
            "",
            "| page | queries | wall ms | CPU ms | SQL ms | "
            + " | ".join(GROUPS)
            + " | costliest of Aduan's (cumulative) |",
            "|---|---:|---:|---:|---:|" + "---:|" * len(GROUPS) + "---|",
        ]
        for r in results:
            top = "; ".join(f"`{where.split('/')[-1]}` {ct * 1000:.0f}" for ct, where in r["ours"][:2])
            lines.append(
                f"| {r['label']} | {r['queries']} | {r['wall']:.0f} | {r['cpu']:.0f} | {r['sql']:.0f} | "
                + " | ".join(f"{r['split'][g]:.0%}" for g in GROUPS)
                + f" | {top} |"
            )
        with open(sys.argv[sys.argv.index("--markdown") + 1], "w") as out:
            out.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
