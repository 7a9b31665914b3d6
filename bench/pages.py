"""One request at a time, in process (django.test.Client, no server): queries and
milliseconds of the pages issue 21 profiles — the coordinator's report page, the inbox's
first page, the public report page and the portal submission — on the demo city. Prints
its numbers; asserts nothing. The server-side numbers under load are bench/load.py's.

Usage: .venv/bin/python bench/pages.py [--reports 300] [--repeat 20]
Uses a fresh SQLite file in bench/out/ unless DATABASE_URL is set (give it an empty one).
"""

import argparse
import os
import shutil
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.common import OUT, migrated  # noqa: E402


def setup():
    os.environ.setdefault("ADUAN_PORTAL_RATE_SUBMIT", "100000/hour")
    shutil.rmtree(OUT / "pages-media", ignore_errors=True)
    os.environ["MEDIA_ROOT"] = str(OUT / "pages-media")
    migrated("pages")


def measure(label, request, repeat):
    """Wall-clock and CPU milliseconds (mean, p50) and the query count of the last run (it
    does not vary). On a shared machine the CPU time of this process is the steadier
    figure: the wall clock also counts waiting for the cores."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    wall, cpu, queries = [], [], 0
    for i in range(repeat):
        with CaptureQueriesContext(connection) as captured:
            started, started_cpu = time.perf_counter(), time.process_time()
            status = request(i)
            cpu.append((time.process_time() - started_cpu) * 1000)
            wall.append((time.perf_counter() - started) * 1000)
        queries = len(captured)
        assert status in (200, 302), (label, status)
    wall_ms = f"wall mean {statistics.mean(wall):6.1f} p50 {statistics.median(wall):6.1f} ms"
    cpu_ms = f"cpu mean {statistics.mean(cpu):6.1f} p50 {statistics.median(cpu):6.1f} ms"
    print(f"{label:<36} {queries:3d} queries   {wall_ms}   {cpu_ms}")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--reports", type=int, default=300)
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    setup()

    from django.contrib.auth import get_user_model
    from django.test import Client
    from django.urls import reverse

    from demo import city
    from governments.models import home_government
    from reports.models import OPEN_STATES, Report

    started = time.perf_counter()
    city.load(reports=args.reports)
    print(f"demo city: {args.reports} reports in {time.perf_counter() - started:.1f} s")

    coordinator = Client()
    coordinator.force_login(get_user_model().objects.get(username="koordinator"))
    # Kota Blitar's: the coordinator's own, on the un-prefixed portal (the demo also has a
    # province and a second city).
    mine = Report.objects.filter(government=home_government())
    reports = list(mine.filter(status__in=OPEN_STATES).order_by("-pk")[: args.repeat])
    public = list(mine.public().order_by("-pk")[: args.repeat])
    # Every page seen once: what a first view stores (triage of a report no worker read yet)
    # is not what the next views pay.
    for report in reports:
        coordinator.get(reverse("workspace:report", args=[report.pk]))

    measure(
        "report page (coordinator)",
        lambda i: coordinator.get(reverse("workspace:report", args=[reports[i % len(reports)].pk])).status_code,
        args.repeat,
    )
    measure("inbox, first page", lambda i: coordinator.get(reverse("workspace:inbox")).status_code, args.repeat)
    resident = Client()
    measure(
        "public report page",
        lambda i: (
            resident.get(reverse("portal:public_detail", args=[public[i % len(public)].tracking_number])).status_code
        ),
        args.repeat,
    )
    located = mine.filter(category__parent__isnull=False, region__isnull=False)
    report = located.select_related("region").first()
    form = {
        "kind": "complaint",
        "title": "",
        "description": "Lampu jalan di depan SDN Bendogerit 1 mati sejak Senin, gelap sekali.",
        "parent": report.category.parent_id,
        "category": report.category_id,
        "kecamatan": report.region.parent_id,
        "region": report.region_id,
        "address": "Jl. Sudanco Supriadi depan SD",
        "reporter_name": "Budi Santoso",
        "reporter_phone": "0812 3456 7890",
        "reporter_email": "",
        "reply_channel": "whatsapp",
    }
    before = Report.objects.count()
    answer = resident.post(reverse("portal:submit"), form)
    if answer.status_code != 302:
        errors = [line for line in answer.content.decode().splitlines() if "error" in line]
        sys.exit(f"the submission was refused: {answer.status_code} {errors}")
    measure(
        "portal submission (POST, redirect)",
        lambda i: resident.post(reverse("portal:submit"), form).status_code == 302 and 302,
        args.repeat,
    )
    print(f"reports stored by the submissions: {Report.objects.count() - before}")


if __name__ == "__main__":
    main()
