"""Monev up the tree on PostgreSQL: a province with 38 kabupaten/kota, its rows read from
the rollup, next to one city's figures over the same rollup.

Usage (from the project root; the rollup is emptied and refilled unless --reuse):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/aduan_bench_tree \\
        .venv/bin/python bench/monev_tree.py [--children 38] [--categories 20] [--reuse]

1. migrates the database and makes the province and its children (if missing);
2. fills ``DailyRollup`` with SQL (INSERT … SELECT over generate_series): for every
   government's own scope, every day of the last 365, every category, the measures a
   province row reads (received, completions on time and late with their working days,
   returns, ratings) — about 39 × 365 × 20 × 7 ≈ 2 M rows, the rollup of a province with
   a million reports;
3. times, for the last full month and the last year, cold (empty cache): one city's
   ``sums.compute`` (the city-sized run), the province's rows and whole
   (``tree.tree``), and the province's whole dashboard build; with the queries each took.

The numbers are printed; nothing is asserted.
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
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from bench.common import loadavg  # noqa: E402
from governments.models import Government  # noqa: E402
from monev import dashboard, figures, sums, tree  # noqa: E402
from monev.models import DailyRollup  # noqa: E402

MEASURES = ["received", "done_hit", "done_late", "returned", "rated", "rating_n", "rating_sum"]


def governments(children: int):
    province, _made = Government.objects.get_or_create(
        slug="bench-provinsi",
        defaults={"name": "Bench Provinsi", "kind": Government.Kind.PROVINCE, "tracking_prefix": "BPROV"},
    )
    for i in range(children):
        Government.objects.get_or_create(
            slug=f"bench-kab-{i}",
            defaults={
                "name": f"Bench Kabupaten {i:02d}",
                "kind": Government.Kind.REGENCY,
                "tracking_prefix": f"BK{i:02d}",
                "parent": province,
            },
        )
    return province, list(Government.objects.filter(parent=province).order_by("pk")[:children])


def fill(scopes, categories: int):
    DailyRollup.objects.all().delete()
    today = timezone.localdate()
    with connection.cursor() as cursor:
        cursor.execute(
            """
            INSERT INTO monev_dailyrollup (day, agency, category, channel, kind, region, measure, ref, value, n)
            SELECT %s::date - d, g, c, 'web', 'complaint', 0, m,
                   '0001-01-01'::date,
                   CASE WHEN m IN ('done_hit', 'done_late') THEN (d + c) %% 12
                        WHEN m = 'rating_sum' THEN 0 ELSE 0 END,
                   CASE WHEN m = 'received' THEN 1 + (d + c + g) %% 5
                        WHEN m = 'rating_sum' THEN 4
                        ELSE 1 END
            FROM unnest(%s::int[]) AS g, generate_series(0, 364) AS d, generate_series(1, %s) AS c,
                 unnest(%s::text[]) AS m
            """,
            [today, scopes, categories, MEASURES],
        )
        cursor.execute("ANALYZE monev_dailyrollup")


def timed(label, work, runs=3):
    times, queries = [], 0
    for _i in range(runs):
        cache.clear()
        with CaptureQueriesContext(connection) as ctx:
            start = time.perf_counter()
            work()
            times.append((time.perf_counter() - start) * 1000)
        queries = len(ctx.captured_queries)
    print(f"  {label:<52} {statistics.median(times):8.1f} ms  {queries:3d} queries")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--children", type=int, default=38)
    parser.add_argument("--categories", type=int, default=20)
    parser.add_argument("--reuse", action="store_true")
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    province, children = governments(args.children)
    scopes = [-province.pk, *(-g.pk for g in children)]
    if not args.reuse:
        start = time.perf_counter()
        fill(scopes, args.categories)
        print(f"filled {DailyRollup.objects.count():,} rollup rows in {time.perf_counter() - start:.1f} s")
    today = timezone.localdate()
    last_month = figures.Filter(*figures.period_bounds("month", today.replace(day=1) - dt.timedelta(days=1)))
    last_year = figures.Filter(today - dt.timedelta(days=364), today)
    city = children[0]
    print(f"province: {len(children)} children; load average {loadavg()}")
    for name, flt in (("last month", last_month), ("last 365 days", last_year)):
        print(name)
        timed("one city: sums.compute (city-sized)", lambda f=flt: sums.compute(f.with_(government=city.pk)))
        timed(
            "province: a row per child + the whole (tree.tree)",
            lambda f=flt: tree.tree(f.with_(government=province.pk)),
        )
        timed(
            "province: its dashboard, cold (dashboard.build)",
            lambda f=flt: dashboard.build(f.with_(government=province.pk)),
        )
        timed(
            "one city: its dashboard, cold (dashboard.build)",
            lambda f=flt: dashboard.build(f.with_(government=city.pk)),
        )


if __name__ == "__main__":
    main()
