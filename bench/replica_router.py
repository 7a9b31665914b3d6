"""What the read-replica routing (core/dbrouter.py) costs: the router's answer per query, the
middleware's decision per request with the replica's health cached, and, given a replica
(ADUAN_DB_REPLICA_URL with DATABASE_URL), one health check asked of it. Prints its numbers;
asserts nothing.

Usage: .venv/bin/python bench/replica_router.py [--calls 200000] [--repeat 5]
       DATABASE_URL=postgres://… ADUAN_DB_REPLICA_URL=postgres://…:PORT/… .venv/bin/python bench/replica_router.py
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def best_of(repeat, calls, func):
    runs = []
    for _ in range(repeat):
        start = time.perf_counter()
        for _ in range(calls):
            func()
        runs.append((time.perf_counter() - start) / calls)
    return min(runs), statistics.median(runs)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--calls", type=int, default=200_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    os.environ["ADUAN_LOG_LEVEL"] = "WARNING"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "aduan.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.test import RequestFactory
    from django.urls import resolve

    from core import dbrouter
    from reports.models import Category

    print(f"load: {os.getloadavg()[0]:.2f} (1 min), {os.cpu_count()} cores")
    router = dbrouter.ReplicaRouter()
    token = dbrouter._routing.set(dbrouter._Routing(use_replica=True))
    best, median = best_of(args.repeat, args.calls, lambda: router.db_for_read(Category))
    dbrouter._routing.reset(token)
    print(f"router.db_for_read in a replica request: {best * 1e9:.0f} ns best, {median * 1e9:.0f} ns median")
    best, median = best_of(args.repeat, args.calls, lambda: router.db_for_read(Category))
    print(f"router.db_for_read outside a request:    {best * 1e9:.0f} ns best, {median * 1e9:.0f} ns median")

    # The per-request decision with the health answer cached (as between two checks).
    request = RequestFactory().get("/transparansi/")
    request.resolver_match = match = resolve("/transparansi/")
    real = dbrouter.replica_configured() and dbrouter.replica_state(fresh=True)
    if not real:
        settings.ADUAN_DB_REPLICA_URL = "postgres://bench@127.0.0.1:1/none"
        settings.ADUAN_DB_REPLICA_CHECK_SECONDS = 3600
        dbrouter._cached = (time.monotonic(), dbrouter.ReplicaState("ok", 0.0))

    def decide():
        routing = dbrouter._Routing()
        dbrouter._routing.set(routing)
        if dbrouter._eligible(request, match.func):
            routing.use_replica = dbrouter.replica_state().usable
        dbrouter._routing.set(None)

    calls = max(args.calls // 10, 1)
    best, median = best_of(args.repeat, calls, decide)
    print(f"per-request decision, health cached:    {best * 1e6:.2f} µs best, {median * 1e6:.2f} µs median")

    if real:
        best, median = best_of(args.repeat, 50, lambda: dbrouter.replica_state(fresh=True))
        print(f"health check asked of the replica:       {best * 1e3:.2f} ms best, {median * 1e3:.2f} ms median")
        print(f"replica now: {dbrouter.replica_state(fresh=True)}")
    else:
        print("(no ADUAN_DB_REPLICA_URL: the health check itself is not measured)")


if __name__ == "__main__":
    main()
