"""SP4N-LAPOR! import benchmark: generate a 50,000-row admin export (XLSX and CSV), then
time the dry run, the import, the triage its tasks would do, and a second import of the
same file (every row unchanged), with peak memory. Prints its numbers; asserts nothing.

Usage: .venv/bin/python bench/lapor_import.py [--rows 50000] [--batch 500]
       .venv/bin/python bench/lapor_import.py --round-trip [--rows 5000]
``--round-trip``: instead, import ``sample.random_rows(varied=True)`` (LAPOR!'s many
spellings, reports listed again), export everything as XLSX and as CSV the way a
coordinator does, import each export, and count what changed (it should be nothing).
Uses a fresh SQLite file in bench/out/ unless DATABASE_URL is set (then that database is
migrated and used: give it an empty one).

Peak memory: ``tracemalloc`` peak of Python allocations during the dry run (the import
reads the file the same way; tracemalloc slows code down, so the timed runs go without
it), and the process's maximum resident set size (``ru_maxrss``) at the end.
"""

import argparse
import datetime as dt
import os
import resource
import sys
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.common import OUT, migrated  # noqa: E402


def setup():
    os.environ["DEBUG"] = "0"  # no query log kept in memory
    os.environ.setdefault("SECRET_KEY", "bench-secret-key-bench-secret-key-0123456789")
    # The generated texts are long; the benchmark is about speed, not the upload limit.
    os.environ.setdefault("ADUAN_LAPOR_IMPORT_MAX_BYTES", str(500 * 1024 * 1024))
    migrated("lapor")


def city():
    """The categories, agencies and kelurahan the generated rows name, mapped."""
    from agencies.models import Agency, Region
    from lapor import sample
    from lapor.models import AgencyMapping, CategoryMapping
    from reports.models import Category

    kecamatan = Region.objects.create(name="Sananwetan", level=Region.Level.KECAMATAN)
    Region.objects.create(name="Bendogerit", level=Region.Level.KELURAHAN, parent=kecamatan)
    parent = Category.objects.create(name="Pekerjaan Umum")
    for lapor_id, name in sample.CATEGORIES:
        category = Category.objects.create(name=f"{name} (Aduan)", parent=parent)
        CategoryMapping.objects.create(key=f"id:{lapor_id}", lapor_id=lapor_id, lapor_name=name, category=category)
    for lapor_id, name in sample.AGENCIES:
        agency = Agency.objects.create(name=f"{name} Kota", short_name=name[:50])
        AgencyMapping.objects.create(key=f"id:{lapor_id}", lapor_id=lapor_id, lapor_name=name, agency=agency)


def mib(n):
    return f"{n / 1024 / 1024:.1f} MiB"


def timed(label, rows, func):
    """Wall time and this process's CPU time (the machine may be shared: CPU time is the
    figure that does not depend on what else runs)."""
    cpu, started = time.process_time(), time.perf_counter()
    result = func()
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    print(f"{label:<34} wall {seconds:7.1f} s {rows / seconds:7.0f} rows/s | cpu {cpu:7.1f} s {rows / cpu:7.0f} rows/s",
          flush=True)  # fmt: skip
    return result


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=50_000)
    parser.add_argument("--batch", type=int, default=500)
    parser.add_argument("--no-tracemalloc", action="store_true", help="skip the (slow) heap-peak dry runs")
    parser.add_argument("--lean", action="store_true", help="only the XLSX import, with progress per batch")
    parser.add_argument("--xlsx", help="use this generated export instead of generating one")
    parser.add_argument("--round-trip", action="store_true", help="export, then import the export (varied rows)")
    args = parser.parse_args()
    os.environ["ADUAN_LAPOR_IMPORT_BATCH_SIZE"] = str(args.batch)
    setup()
    from django.db import connection

    from lapor import sample
    from lapor.importer import run_import
    from reports.models import Report, ReportEvent

    city()
    if args.round_trip:
        round_trip(args)
        return
    stem = f"lapor-{args.rows}-{connection.vendor}"  # two databases may run at once
    xlsx, csv_path = OUT / f"{stem}.xlsx", OUT / f"{stem}.csv"
    if args.xlsx:
        xlsx = Path(args.xlsx)  # an export generated earlier with the same --rows
    else:
        timed("generate XLSX", args.rows, lambda: sample.write_xlsx(xlsx, sample.random_rows(args.rows)))
    print(f"database {connection.vendor}; XLSX {mib(xlsx.stat().st_size)}; batch {args.batch} rows", flush=True)
    if args.lean:
        lean(args, xlsx)
        return
    timed("generate CSV", args.rows, lambda: sample.write_csv(csv_path, sample.random_rows(args.rows)))
    print(f"CSV {mib(csv_path.stat().st_size)}")

    outcome = timed("dry run XLSX", args.rows, lambda: run_import(xlsx, dry_run=True))
    print(f"  would create {len(outcome.created)}, rejected {outcome.rejected_count}")
    outcome = timed("dry run CSV", args.rows, lambda: run_import(csv_path, dry_run=True))
    print(f"  would create {len(outcome.created)}, rejected {outcome.rejected_count}")
    if not args.no_tracemalloc:
        for path in (xlsx, csv_path):
            tracemalloc.start()
            timed(f"dry run {path.suffix} (tracemalloc on)", args.rows, lambda p=path: run_import(p, dry_run=True))
            peak = tracemalloc.get_traced_memory()[1]
            tracemalloc.stop()
            print(f"  Python heap peak while reading {path.suffix}: {mib(peak)}")

    outcome = timed("import XLSX (dry run + apply)", args.rows, lambda: run_import(xlsx, dry_run=False))
    print(f"  created {len(outcome.created)}, rejected {outcome.rejected_count}, failed: {outcome.failed or 'no'}")
    print(f"  reports {Report.objects.count()}, events {ReportEvent.objects.count()}")
    timed("triage of the imported reports", args.rows, triage_imported)
    outcome = timed("re-import XLSX (all unchanged)", args.rows, lambda: run_import(xlsx, dry_run=False))
    print(f"  unchanged {len(outcome.unchanged)}, updated {len(outcome.updated)}, created {len(outcome.created)}")
    outcome = timed("re-import CSV (all unchanged)", args.rows, lambda: run_import(csv_path, dry_run=False))
    print(f"  unchanged {len(outcome.unchanged)}, updated {len(outcome.updated)}, created {len(outcome.created)}")
    print(f"process max RSS {mib(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024)}")


def triage_imported():
    """What the triage tasks the import enqueued (one per batch) do, run here in batches of
    500 (the benchmark runs no task worker)."""
    from reports.models import Channel, Report
    from triage.actions import triage_reports

    ids = list(Report.objects.filter(channel=Channel.LAPOR).order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(ids), 500):
        triage_reports(ids[start : start + 500])


def round_trip(args):
    """Import varied rows, export them (XLSX, CSV) as a coordinator, import each export."""
    from django.contrib.auth import get_user_model

    from agencies.models import Agency, Appointment, Role
    from lapor import exporter, sample
    from lapor.importer import run_import
    from reports.models import Report, ReportEvent

    unit = Agency.objects.create(name="Unit Layanan Pengaduan", short_name="ULPIM", is_complaint_unit=True)
    user = get_user_model().objects.create_user(username="koordinator-bench")
    Appointment.objects.create(
        person=user, agency=unit, role=Role.COORDINATOR, decree_number="bench", decree_date=dt.date(2020, 1, 1),
        valid_from=dt.datetime(2020, 1, 1, tzinfo=dt.UTC), valid_until=dt.datetime(2100, 1, 1, tzinfo=dt.UTC),
    )  # fmt: skip
    source = OUT / f"lapor-varied-{args.rows}.csv"
    sample.write_csv(source, sample.random_rows(args.rows, varied=True))
    first = timed("import varied CSV", args.rows, lambda: run_import(source, dry_run=False))
    print(f"  rows {first.rows}: created {len(first.created)}, superseded {len(first.superseded)}, "
          f"rejected {first.rejected_count}", flush=True)  # fmt: skip
    for fmt, write in (("xlsx", exporter.write_xlsx), ("csv", exporter.write_csv)):
        path = OUT / f"lapor-varied-{args.rows}-back.{fmt}"
        body = timed(f"export {fmt.upper()}", args.rows, lambda w=write: w(user, Report.objects.all(), agency_name="-",
                                                                              period_text="-"))  # fmt: skip
        path.write_bytes(body)
        events = ReportEvent.objects.count()
        again = timed(f"import the {fmt.upper()} export", args.rows, lambda p=path: run_import(p, dry_run=False))
        changed = ReportEvent.objects.count() - events
        print(f"  created {len(again.created)}, updated {len(again.updated)}, unchanged {len(again.unchanged)}, "
              f"rejected {again.rejected_count}; new events {changed}", flush=True)  # fmt: skip


def lean(args, xlsx):
    """Only the import of the XLSX (its full dry-run pass, then the batches), printing the
    rate every 10 batches, so even a run stopped early has measured numbers."""
    from lapor.importer import run_import
    from reports.models import Report

    cpu0, wall0 = time.process_time(), time.perf_counter()
    marks = {"batches": 0}

    def progress(rows):
        marks["batches"] += 1
        if marks["batches"] % 10 == 0:
            wall, cpu = time.perf_counter() - wall0, time.process_time() - cpu0
            print(f"  {rows:6d} rows applied  wall {wall:7.1f} s  cpu {cpu:7.1f} s  "
                  f"max RSS {mib(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024)}", flush=True)  # fmt: skip

    outcome = timed(
        "import XLSX (dry run + apply)", args.rows, lambda: run_import(xlsx, dry_run=False, progress=progress)
    )
    print(f"  created {len(outcome.created)}, rejected {outcome.rejected_count}, failed: {outcome.failed or 'no'}")
    print(f"  reports {Report.objects.count()}")
    print(f"process max RSS {mib(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024)}", flush=True)


if __name__ == "__main__":
    main()
