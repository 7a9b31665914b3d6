"""How long the demo city takes to load (``load_demo``, which bin/setup runs on an empty
database): the whole load, and the part spent in the hooks that run after its commit
(triage of every report, then training the triage model). Prints its numbers and the
load average; asserts nothing.

Usage: .venv/bin/python bench/demo_load.py [--reports 300] [--repeat 2]
Each run uses a fresh SQLite file and media folder in bench/out/ (DATABASE_URL is ignored).
"""

import argparse
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"

CHILD = """
import time
from django.db.backends.base.base import BaseDatabaseWrapper
from demo import city as demo

hooks = [0.0]
run_hooks = BaseDatabaseWrapper.run_and_clear_commit_hooks


def timed(self):
    started = time.perf_counter()
    run_hooks(self)
    hooks[0] += time.perf_counter() - started


BaseDatabaseWrapper.run_and_clear_commit_hooks = timed
started = time.perf_counter()
demo.load(reports={reports}, seed=2026)
print(f"{{time.perf_counter() - started:.2f}} {{hooks[0]:.2f}}")
"""


def one_run(reports):
    database = OUT / "demo_load.sqlite3"
    media = OUT / "demo_load-media"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{database}{suffix}").unlink(missing_ok=True)
    shutil.rmtree(media, ignore_errors=True)
    env = {**os.environ, "ADUAN_SQLITE_PATH": str(database), "MEDIA_ROOT": str(media), "ADUAN_LOG_LEVEL": "WARNING"}
    env.pop("DATABASE_URL", None)
    python = str(ROOT / ".venv" / "bin" / "python")
    subprocess.run([python, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True)
    code = "import django; django.setup()\n" + CHILD.format(reports=reports)
    env["DJANGO_SETTINGS_MODULE"] = "aduan.settings"
    env["PYTHONPATH"] = str(ROOT)
    result = subprocess.run([python, "-c", code], cwd=ROOT, env=env, check=True, capture_output=True, text=True)
    total, hooks = (float(x) for x in result.stdout.split()[-2:])
    return total, hooks


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--reports", type=int, default=300)
    parser.add_argument("--repeat", type=int, default=2)
    args = parser.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    for run in range(1, args.repeat + 1):
        before = Path("/proc/loadavg").read_text().split()[:3]
        started = time.perf_counter()
        total, hooks = one_run(args.reports)
        print(
            f"run {run}: demo.load({args.reports} reports) {total:5.1f} s, of which after-commit hooks {hooks:4.1f} s"
            f"  (with migrate and start-up {time.perf_counter() - started:5.1f} s; load average {' '.join(before)})"
        )


if __name__ == "__main__":
    sys.exit(main())
