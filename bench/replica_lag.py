"""How far a streaming replica falls behind while the primary writes as hard as it can (the
capacity line "replica lag" of docs/scaling.md). Prints its numbers; asserts nothing.

    createdb -h 127.0.0.1 -U postgres aduan_bench_lag
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/aduan_bench_lag \\
        .venv/bin/python bench/replica_lag.py [--reports 200000]
    dropdb -h 127.0.0.1 -U postgres aduan_bench_lag

Starts a real hot standby of the running cluster on this machine (tests/replicas.py: a
``pg_basebackup`` of the *whole* cluster, so run it when no multi-gigabyte bench database is
on it), then runs ``bench/fill.py N --no-events`` into DATABASE_URL's database — bulk
``INSERT … SELECT``, index builds and ``VACUUM``: far more WAL per second than any number of
people submitting reports — and samples every 0.5 s, on the primary, the WAL written and how
far the standby's replay is behind (bytes, and ``pg_stat_replication.replay_lag``). The
standby runs on the same 2 cores with ``fsync = off`` (the tests' settings): a standby on a
machine of its own replays at least as fast.
"""

import argparse
import os
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from bench import common  # noqa: E402

common.setup()

import psycopg  # noqa: E402

from tests.replicas import StreamingReplica  # noqa: E402


def sample(primary, slot, stop, rows):
    with psycopg.connect(**primary, dbname="postgres", autocommit=True) as db:
        while not stop.is_set():
            row = db.execute(
                "SELECT pg_current_wal_lsn() - '0/0'::pg_lsn, pg_current_wal_lsn() - r.replay_lsn,"
                " extract(epoch FROM r.replay_lag) FROM pg_stat_replication r JOIN pg_replication_slots s"
                " ON s.active_pid = r.pid WHERE s.slot_name = %s",
                [slot],
            ).fetchone()
            if row:
                rows.append((time.monotonic(), float(row[0]), float(row[1] or 0), float(row[2] or 0)))
            time.sleep(0.5)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--reports", type=int, default=200_000)
    args = parser.parse_args()
    url = urllib.parse.urlparse(os.environ["DATABASE_URL"])
    primary = {"host": url.hostname, "port": url.port or 5432, "user": url.username or "postgres"}
    replica = StreamingReplica({"HOST": url.hostname, "PORT": url.port, "USER": url.username}).start()
    print(f"standby streaming on port {replica.port} (slot {replica.slot}); load {common.loadavg()}", flush=True)
    rows, stop = [], threading.Event()
    sampler = threading.Thread(target=sample, args=(primary, replica.slot, stop, rows))
    try:
        sampler.start()
        started = time.monotonic()
        subprocess.run([common.PY, "bench/fill.py", str(args.reports), "--no-events"], cwd=common.ROOT, check=True)
        seconds = time.monotonic() - started
        # until the standby has replayed everything the fill wrote
        replica.wait_for(replica.primary_lsn(), timeout=600)
        caught_up = time.monotonic() - started - seconds
    finally:
        stop.set()
        sampler.join()
        replica.stop()
    wal = (rows[-1][1] - rows[0][1]) / 2**20
    lag_bytes = [r[2] / 2**20 for r in rows]
    lag_seconds = [r[3] for r in rows]
    print(
        f"fill of {args.reports:,} reports (no events): {seconds:.0f} s, {wal:,.0f} MiB of WAL"
        f" ({wal / seconds:.1f} MiB/s on average); load {common.loadavg()}\n"
        f"standby behind the primary, sampled every 0.5 s ({len(rows)} samples): replay lag p50"
        f" {statistics.median(lag_seconds):.2f} s, max {max(lag_seconds):.2f} s; bytes p50"
        f" {statistics.median(lag_bytes):.1f} MiB, max {max(lag_bytes):.1f} MiB; caught up"
        f" {caught_up:.1f} s after the fill ended"
    )


if __name__ == "__main__":
    main()
