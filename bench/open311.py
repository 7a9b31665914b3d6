"""Open311 GET requests latency over N public reports.

Usage (from the project root; the database is emptied and refilled unless --reuse):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/aduan_bench_open311 \\
        .venv/bin/python bench/open311.py [--reports 1000] [--runs 20] [--reuse]

1. migrates the database and, unless --reuse, fills it through the real actions with N
   reports received over the last 80 days: all verified, two thirds disposed to the lead
   agency, a third of those with a public follow-up, a sixth resolved; each with a point,
   an address and an answer to the service's question;
2. times, through the test client, GET requests.json (the default window: every report,
   up to 1,000), the same in XML, a filtered page (status=open, one service_code,
   page_size=100), and GET requests/{id}.json (a streamed answer read to its end); prints
   the median and 95th percentile and the number of SQL queries per answer.

Nothing is asserted (DESIGN: performance claims come from bench/, not from timed tests).
"""

import argparse
import datetime as dt
import os
import random
import statistics
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from bench import common  # noqa: E402

common.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

import notify  # noqa: E402
from agencies.models import Role  # noqa: E402
from open311.models import AttributeAnswer, AttributeValue, Datatype, ServiceAttribute  # noqa: E402
from reports import actions  # noqa: E402
from reports.models import Report  # noqa: E402
from tests import factory  # noqa: E402


def seed(total):
    rng = random.Random(311)
    unit = factory.make_agency("Unit Layanan Pengaduan", short_name="ULPIM", is_complaint_unit=True)
    agency = factory.make_agency("Dinas Perhubungan", short_name="Dishub")
    coordinator = factory.make_staff(Role.COORDINATOR, unit, "bench_koordinator")
    liaison = factory.make_staff(Role.LIAISON, agency, "bench_dishub")
    kecamatan = factory.make_region("Sananwetan")
    regions = [factory.make_region(f"Kelurahan {n}", parent=kecamatan) for n in range(7)]
    parent = factory.make_category("Perhubungan", parent=None)
    categories = [factory.make_category(f"Layanan {n}", parent=parent, default_agency=agency) for n in range(10)]
    attribute = ServiceAttribute.objects.create(
        category=categories[0], code="kerusakan", description="Jenis kerusakan", datatype=Datatype.SINGLE
    )
    AttributeValue.objects.create(attribute=attribute, key="mati", name="Mati total")
    now = timezone.now()
    with notify.muted():
        for n in range(total):
            report = actions.submit_report(
                description=f"Laporan {n}: lampu mati di jalan, hubungi 0812345678{n % 10}{n % 7}.",
                category=rng.choice(categories),
                region=rng.choice(regions),
                address=f"Jl. Contoh {n}",
                latitude=-8.09 - rng.random() / 100,
                longitude=112.16 + rng.random() / 100,
                reporter_name="Pelapor Bench",
                reporter_phone="081234567890",
                received_at=now - dt.timedelta(days=80 * n / total),
            )
            AttributeAnswer.objects.create(report=report, attribute=attribute, value="mati")
            report = actions.verify_report(report, actor=coordinator)
            if n % 3 == 0:
                continue
            report = actions.dispose_report(report, actor=coordinator, lead_agency=agency)
            disposition = report.dispositions.get()
            if n % 3 == 1:
                actions.post_follow_up(disposition, actor=liaison, message="Petugas sudah dijadwalkan.")
            if n % 6 == 1:
                actions.finish_disposition(disposition, actor=liaison, message="Lampu sudah diganti.")
    return categories[0]


def fetch(client, url, params):
    """The response and its whole body (a streamed one read to the end, inside the timing)."""
    response = client.get(url, params)
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return response, body


def measure(client, url, params, runs):
    fetch(client, url, params)  # warm up
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fetch(client, url, params)
        times.append((time.perf_counter() - start) * 1000)
    with CaptureQueriesContext(connection) as queries:
        response, body = fetch(client, url, params)
    times.sort()
    p95 = times[max(0, round(len(times) * 0.95) - 1)]
    return statistics.median(times), p95, len(queries), len(body), response.status_code


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--reports", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--reuse", action="store_true")
    args = parser.parse_args()

    call_command("migrate", verbosity=0)
    if not args.reuse:
        call_command("flush", interactive=False, verbosity=0)
        # flush empties the governments table too: the installation's one, as migrate made it.
        from importlib import import_module

        from django.apps import apps
        from django.db import connection as db

        migration = import_module("governments.migrations.0002_installation_government")
        migration.build_installation_government(apps, type("Editor", (), {"connection": db})())
        started = time.perf_counter()
        seed(args.reports)
        print(f"seeded {args.reports} reports in {time.perf_counter() - started:.1f} s")
    code = str(ServiceAttribute.objects.values_list("category_id", flat=True).first())
    one = Report.objects.public().values_list("tracking_number", flat=True).first()
    print(f"database: {connection.vendor}; public reports: {Report.objects.public().count()}")

    client = Client()
    rows = [
        ("GET requests.json (default window)", "/open311/v2/requests.json", {}),
        ("GET requests.xml (default window)", "/open311/v2/requests.xml", {}),
        (
            "GET requests.json status=open, 1 service, 100/page",
            "/open311/v2/requests.json",
            {"status": "open", "service_code": code, "page_size": "100"},
        ),
        ("GET requests/{id}.json", f"/open311/v2/requests/{one}.json", {}),
    ]
    print(f"{'answer':55} {'median ms':>10} {'p95 ms':>8} {'queries':>8} {'bytes':>9}")
    for label, url, params in rows:
        median, p95, queries, size, status = measure(client, url, params, args.runs)
        assert status == 200, status
        print(f"{label:55} {median:10.1f} {p95:8.1f} {queries:8d} {size:9d}")


if __name__ == "__main__":
    main()
