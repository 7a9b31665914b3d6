"""The morning escalation ladder over a city with many open deadlines.

Usage (from the project root, on an empty database of its own):

    ADUAN_SQLITE_PATH=/tmp/bench-escalation.sqlite3 .venv/bin/python bench/escalation.py [--reports 3000]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/aduan_bench_escalation .venv/bin/python bench/escalation.py

1. migrates, loads the demo city and adds N reports through the real actions (bench/seed.py:
   a third received, a third disposed, a third resolved);
2. jumps to a working day 30 working days later, when every open deadline is overdue by
   more than the ladder's last rung, and times ``run_ladder``: the first run fires every
   rung that is due (events written, staff messages queued in the outbox); the second run
   finds nothing left to fire, which is the cost of an ordinary morning;
3. prints the rungs fired, the messages queued and both times, with the load average.

Nothing is asserted (DESIGN: performance claims come from bench/, not from timed tests).
"""

import argparse
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from bench import common  # noqa: E402

common.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.utils import timezone  # noqa: E402

from core import workdays  # noqa: E402
from escalation.ladder import run_ladder  # noqa: E402
from escalation.models import Escalation  # noqa: E402
from notify.models import OutboxMessage  # noqa: E402
from reports.models import Report  # noqa: E402

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import seed  # noqa: E402


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, default=3000)
    args = parser.parse_args()

    call_command("migrate", verbosity=0)
    if Report.objects.exists():
        sys.exit("bench/escalation.py needs an empty database of its own (see its docstring)")
    call_command("load_demo", verbosity=0)
    seed.main(args.reports)

    later = workdays.add_working_days(timezone.now(), 30)
    rungs_before, queued_before = Escalation.objects.count(), OutboxMessage.objects.count()
    print(f"database: {connection.vendor}; reports: {Report.objects.count()}; load {_load()}")

    started = time.perf_counter()
    fired = run_ladder(later)
    first = time.perf_counter() - started
    queued = OutboxMessage.objects.count() - queued_before
    print(f"first run:  {fired} rungs fired, {queued} messages queued in {first:.2f} s")

    started = time.perf_counter()
    again = run_ladder(later)
    second = time.perf_counter() - started
    print(f"second run: {again} rungs fired in {second * 1000:.0f} ms (nothing left to fire)")
    print(f"rungs stored: {Escalation.objects.count() - rungs_before}; load {_load()}")


def _load():
    with open("/proc/loadavg") as f:
        return " ".join(f.read().split()[:3])


if __name__ == "__main__":
    main()
