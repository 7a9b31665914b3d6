"""Issue 21's pages timed in process, one request at a time: what a request costs in
Python and SQL without gunicorn, wrk or the other requests waiting beside it.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/aduan_bench_20k \\
        .venv/bin/python bench/pages_profile.py [-n 20] [--profile "inbox, first page"]

For each page of bench/compare.py (the inbox, a filtered inbox, a word and a tracking
number searched, the report page with 20 events and 3 attachments, and the public submit
POSTed in a transaction rolled back afterwards, and Open311's requests.json: its 1,000-row
window, read whole) it prints the median and best
milliseconds of ``-n`` requests through django.test.Client (logged in as the demo
coordinator), the median CPU milliseconds this process spent on one (Python's share: the
number to read on a busy machine, where wall time swings with the load), and the queries
of one of them and the milliseconds they took.
``--profile NAME`` prints cProfile's 30 costliest functions of that page instead (and
saves the stats to the file ``PROFILE_DUMP`` names, when set, for pstats).
"""

import argparse
import cProfile
import os
import pstats
import statistics
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from bench import common  # noqa: E402

# As bench/compare.py runs gunicorn: no DEBUG, Redis as the cache, no limit on the submits.
common.setup(
    DEBUG="0",
    ALLOWED_HOSTS="testserver,127.0.0.1,localhost",
    REDIS_URL="redis://127.0.0.1:6379/9",
    ADUAN_PORTAL_RATE_SUBMIT="100000000/hour",
)

from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402

from agencies.models import Agency, Region  # noqa: E402
from governments.models import home_government  # noqa: E402
from reports.models import Category, Report  # noqa: E402


class Rollback(Exception):
    pass


def pages():
    """(name, method, path, data) as bench/compare.py requests them."""
    # The city's own DPUPR (the demo's province has one too).
    agency = Agency.objects.get(short_name="DPUPR", government=home_government())
    detail = (
        Report.objects.filter(attachments__size__gt=0).order_by("-pk").values_list("pk", flat=True).distinct().first()
    )
    closed = Report.objects.filter(status="closed").order_by("pk").values_list("tracking_number", flat=True).first()
    category = Category.objects.filter(parent__isnull=False).order_by("pk").first()
    region = Region.objects.filter(level=Region.Level.KELURAHAN).order_by("pk").first()
    submit = {
        "kind": "complaint",
        "description": "Uji beban: lampu jalan mati di depan pasar sejak tiga hari, gelap sekali.",
        "parent": category.parent_id,
        "category": category.pk,
        "kecamatan": region.parent_id,
        "region": region.pk,
        "address": "Jl. Merdeka 1",
        "reporter_name": "Uji Beban",
        "reporter_phone": "081200000000",
        "reply_channel": "none",
    }
    return [
        ("inbox, first page", "get", "/kerja/kotak-masuk/", None),
        (
            "inbox, filtered",
            "get",
            f"/kerja/kotak-masuk/?status=disposed&status=in_progress&agency={agency.pk}",
            None,
        ),
        ("search, a word", "get", "/kerja/kotak-masuk/?q=drainase", None),
        ("search, a tracking number", "get", f"/kerja/kotak-masuk/?q={closed}", None),
        ("report detail", "get", f"/kerja/laporan/{detail}/", None),
        ("public submit", "post", "/lapor/", submit),
        ("Open311 requests.json", "open311", "/open311/v2/requests.json", None),
    ]


def request(staff, public, method, path, data):
    if method == "open311":  # anonymous, as an Open311 client: its 1,000-row window
        response = public.get(path)
        assert response.status_code == 200, (path, response.status_code)
        b"".join(response.streaming_content) if response.streaming else response.content
        return
    if method == "get":
        response = staff.get(path)
        assert response.status_code == 200, (path, response.status_code)
        return
    try:
        # The submit's report (and its rollup cells, outbox rows) is not kept.
        with transaction.atomic():
            response = public.post(path, data)
            assert response.status_code == 302, (path, response.status_code)
            raise Rollback
    except Rollback:
        pass


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("-n", type=int, default=20, help="requests per page (default 20)")
    parser.add_argument("--profile", help="cProfile this page (its name as printed)")
    parser.add_argument("--only", help="time only the pages whose name contains this")
    args = parser.parse_args()
    staff, public = Client(), Client()
    staff.force_login(get_user_model().objects.get(username="koordinator"))
    print(f"{Report.objects.count():,} reports; load {common.loadavg()}")
    for name, method, path, data in pages():
        if args.only and args.only not in name:
            continue
        if args.profile and args.profile != name:
            continue
        request(staff, public, method, path, data)  # warm: templates, caches, connection
        if args.profile:
            profile = cProfile.Profile()
            profile.enable()
            for _ in range(args.n):
                request(staff, public, method, path, data)
            profile.disable()
            if os.environ.get("PROFILE_DUMP"):
                profile.dump_stats(os.environ["PROFILE_DUMP"])
            pstats.Stats(profile).sort_stats("cumulative").print_stats(40)
            pstats.Stats(profile).sort_stats("tottime").print_stats(30)
            continue
        queries = []

        def timed(execute, sql, params, many, context, queries=queries):
            started = time.perf_counter()
            try:
                return execute(sql, params, many, context)
            finally:
                queries.append(time.perf_counter() - started)

        with connection.execute_wrapper(timed):
            request(staff, public, method, path, data)
        sql_ms = sum(queries) * 1000
        times, cpu = [], []
        for _ in range(args.n):
            started, started_cpu = time.perf_counter(), time.process_time()
            request(staff, public, method, path, data)
            times.append((time.perf_counter() - started) * 1000)
            cpu.append((time.process_time() - started_cpu) * 1000)
        print(
            f"{name:28} median {statistics.median(times):6.1f} ms  best {min(times):6.1f} ms"
            f"  this process's CPU: median {statistics.median(cpu):6.1f} ms"
            f"  {len(queries):3} queries {sql_ms:5.1f} ms"
        )


if __name__ == "__main__":
    main()
