"""Soak benchmark, "Nothing lost, nothing doubled": a few minutes of bounded load against
gunicorn on PostgreSQL while the processes are killed and the database goes away, then a
check that every submission a client saw accepted is stored exactly once and no message
went out twice. Prints its numbers; exits non-zero when an invariant fails. Not a test.

Usage: .venv/bin/python bench/soak.py [--minutes 5] [--rate 10] [--drain 180]

Needs a PostgreSQL server on 127.0.0.1:5432 with trust authentication for the user
postgres (SOAK_PG_ADMIN_URL to change). It creates a throw-away database aduan_soak_<random>
and drops it at the end, whatever happens. Logs and the client's observations go to
bench/out/soak-<time>/.

What runs, like production (README.md, "Production"): ADUAN_PRODUCTION=1 with plain HTTP,
gunicorn.conf.py (3 workers, SO_REUSEPORT), two task workers (bin/worker) and the scheduler
(bin/scheduler), each restarted 2 s after it exits as systemd's units do (Restart=always,
RestartSec=2), email through Django's SMTP backend to an aiosmtpd sink in this process.

Load (bounded by --rate requests per second for all clients together): residents submit
the portal form with its one-time submission_key and re-send it as the 503 page's "Kirim
lagi" would (the fields the 503 page kept; the same POST after a lost connection or another
5xx); liaisons of two agencies post follow-ups on their dispositions; a coordinator reads
the inbox and verifies and disposes some of the new reports (to those two agencies).

Faults, spread over the run (one of each in a 5-minute run, repeated in longer ones):
kill -9 a gunicorn worker; kill -9 a task worker (another starts); the database cut for
10 s (its sessions terminated five times a second, then ALLOW_CONNECTIONS false as well);
kill -9 the gunicorn master (a new master starts beside its orphaned workers, as systemd
would).

The numbers of the 5-minute run, and how to read them: bench/README.md. This file is the run
itself, from starting the processes to checking the invariants; its parts live in
bench/soakparts/ (the database and processes, the mail sink and forms, the clients, the
faults, the report, and what runs inside Django).
"""

import argparse
import contextlib
import json
import os
import random
import secrets
import signal
import subprocess
import sys
import threading
import time
from datetime import datetime
from pathlib import Path

from soakparts.base import GIVE_UP_SECONDS, GUNICORN, HOST, OUT, PG_ADMIN_URL, PY, ROOT, free_port
from soakparts.clients import Bucket, Coordinator, Liaison, Probe, Recorder, Resident
from soakparts.faults import FAULTS, Fault
from soakparts.inside import inside_check, inside_outbox, inside_seed
from soakparts.processes import Postgres, Supervisor
from soakparts.report import report
from soakparts.web import Sink

# ---------------------------------------------------------------------------- the run


class Soak:
    def __init__(self, args):
        self.args = args
        self.rng = random.Random(args.seed)
        self.stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
        self.dir = OUT / f"soak-{self.stamp}"
        self.dir.mkdir(parents=True, exist_ok=True)
        self.db = Postgres(PG_ADMIN_URL)
        self.sink = Sink()
        self.port = free_port()
        self.base = f"http://{HOST}:{self.port}"
        self.started = time.monotonic()
        self.supervisor = None
        self.orphans = []
        self.faults: list[Fault] = []
        self.timings = {}

    def env(self):
        env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "ADUAN_", "DATABASE_"))}
        env.update(
            {
                "ADUAN_PRODUCTION": "1",
                "ADUAN_PLAIN_HTTP": "1",
                # No .env file of whoever runs this: the bench sets everything.
                "ADUAN_ENV_FILE": str(self.dir / "no.env"),
                "ADUAN_ENV_LOADED": "1",
                "SECRET_KEY": secrets.token_urlsafe(50),
                "ALLOWED_HOSTS": f"{HOST},localhost",
                "DATABASE_URL": self.db.url,
                "MEDIA_ROOT": str(self.dir / "media"),
                "BIND": f"{HOST}:{self.port}",
                "WEB_CONCURRENCY": str(self.args.web_workers),
                "ADUAN_SITE_URL": self.base,
                "ADUAN_TASKS_BACKEND": "database",
                "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
                "EMAIL_HOST": HOST,
                "EMAIL_PORT": str(self.sink.port),
                "EMAIL_USE_TLS": "0",
                "EMAIL_USE_SSL": "0",
                "ADUAN_LOG_LEVEL": "INFO",
                # Every client is 127.0.0.1: lift the per-address limit of the public form.
                "ADUAN_PORTAL_RATE_SUBMIT": "1000000/hour",
                # What production now requires: a cache shared by the processes (in the
                # soak's own database, so no other run shares it), and two-factor logins for
                # coordinators, which the bench's coordinator (no authenticator) skips: without
                # it every inbox request is sent to the 2FA setup and the coordinator never acts.
                "ADUAN_CACHE_BACKEND": "database",
                "ADUAN_REQUIRE_2FA": "0",
            }
        )
        return env

    def manage(self, *args, env):
        started = time.monotonic()
        log = self.dir / "setup.log"
        with open(log, "ab") as out:
            subprocess.run([PY, "manage.py", *args], cwd=ROOT, env=env, check=True, stdout=out, stderr=out)
        return time.monotonic() - started

    def own(self, mode, env, payload=None):
        """Run this file again in ``mode`` (seed, check) inside Django with the soak's env."""
        path = self.dir / f"{mode}-input.json"
        path.write_text(json.dumps(payload or {}))
        result = subprocess.run(
            [PY, __file__, "--inside", mode, str(path)], cwd=ROOT, env=env, capture_output=True, text=True
        )
        with open(self.dir / f"{mode}.log", "a") as log:
            log.write(result.stderr)
        if result.returncode:
            raise RuntimeError(f"--inside {mode} failed ({self.dir / mode}.log):\n{result.stderr[-2000:]}")
        return json.loads(result.stdout)

    def setup(self):
        env = self.env()
        self.db.create()
        print(f"database {self.db.name}; logs in {self.dir.relative_to(ROOT)}", flush=True)
        self.timings["migrate"] = self.manage("migrate", "--noinput", "-v0", env=env)
        self.timings["createcachetable"] = self.manage("createcachetable", env=env)
        self.timings["collectstatic"] = self.manage("collectstatic", "--noinput", "-v0", env=env)
        self.timings["load_demo"] = self.manage("load_demo", "--reports", "0", env=env)
        self.choices = self.own("seed", env)
        self.sink.start()
        self.supervisor = Supervisor(env, self.started)
        # gunicorn 27's control socket defaults to ~/.gunicorn/gunicorn.ctl, shared by every
        # gunicorn of the same user on the machine: this one keeps its own.
        web = [GUNICORN, "--config", "gunicorn.conf.py", "--control-socket", str(self.dir / "gunicorn.ctl")]
        self.supervisor.add("web", web, self.dir / "web.log")
        self.supervisor.add("worker-1", [str(ROOT / "bin" / "worker")], self.dir / "worker-1.log")
        self.supervisor.add("worker-2", [str(ROOT / "bin" / "worker")], self.dir / "worker-2.log")
        self.supervisor.add("scheduler", [str(ROOT / "bin" / "scheduler")], self.dir / "scheduler.log")
        self.supervisor.watch()
        self.wait_healthy(90)

    def wait_healthy(self, seconds):
        import httpx

        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"{self.base}/health/", timeout=3).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.5)
        raise RuntimeError(f"gunicorn did not answer /health/ within {seconds} s (see {self.dir}/web.log)")

    def run_load(self):
        duration = self.args.minutes * 60
        stop = threading.Event()
        self.recorder = Recorder(self.started, self.dir / "requests.jsonl")
        bucket = Bucket(self.args.rate)
        common = {"base": self.base, "bucket": bucket, "recorder": self.recorder, "stop": stop}
        self.residents = [
            Resident(f"resident-{i}", rng_seed=self.rng.random(), choices=self.choices, **common)
            for i in range(self.args.residents)
        ]
        self.liaisons = [
            Liaison(f"liaison-{slug}", rng_seed=self.rng.random(), username=username, **common)
            for slug, username in self.choices["liaisons"].items()
        ]
        self.coordinators = [
            Coordinator(
                "coordinator",
                rng_seed=self.rng.random(),
                username="koordinator",
                agencies=list(self.choices["agencies"].values()),
                **common,
            )
        ]
        self.clients = [*self.residents, *self.liaisons, *self.coordinators]
        self.probe = Probe(self.base, self.started, stop)
        self.load_started = time.monotonic() - self.started
        for client in [*self.clients, self.probe]:
            client.start()
        every = self.args.fault_every or duration / (len(FAULTS) + 1)
        plan = []
        at = every
        index = 0
        while at < duration - 10:
            plan.append((at, *FAULTS[index % len(FAULTS)]))
            at += every
            index += 1
        print(f"load for {self.args.minutes} min; faults at {[round(p[0]) for p in plan]} s", flush=True)
        for at, name, inject in plan:
            self.sleep_until(self.load_started + at)
            fault = Fault(name, time.monotonic() - self.started)
            try:
                fault.note = inject(self)
            except Exception as exc:  # a fault that could not be injected is reported, not fatal
                fault.note = f"not injected: {exc}"
            fault.ended = time.monotonic() - self.started
            self.faults.append(fault)
            print(f"  +{fault.at - self.load_started:5.0f} s  {name}: {fault.note}", flush=True)
        self.sleep_until(self.load_started + duration)
        stop.set()
        for client in self.clients:
            client.join(timeout=GIVE_UP_SECONDS + 40)
        self.probe.join(timeout=10)
        self.load_ended = time.monotonic() - self.started
        self.recorder.close()

    def sleep_until(self, moment):
        while (left := moment - (time.monotonic() - self.started)) > 0:
            time.sleep(min(left, 1.0))

    def drain(self, env):
        """Wait until the workers have sent what is due (or ``--drain`` seconds pass)."""
        started = time.monotonic()
        while True:
            state = self.own("outbox", env)
            if state["queued"] == 0 and state["tasks_ready"] == 0:
                break
            if time.monotonic() - started > self.args.drain:
                break
            time.sleep(3)
        state["seconds"] = round(time.monotonic() - started, 1)
        return state

    def observations(self):
        return {
            "accepted": [a for r in self.residents for a in r.accepted],
            "unanswered": [a for r in self.residents for a in r.unanswered],
            "refused": [a for r in self.residents for a in r.refused],
            "follow_ups": [f for c in self.liaisons for f in c.follow_ups],
            "follow_ups_unanswered": [f for c in self.liaisons for f in c.unanswered],
            "coordinator": [d for c in self.coordinators for d in c.done],
            "mails": list(self.sink.mails),
            "last_seed_event": self.choices["last_seed_event"],
        }


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--minutes", type=float, default=5)
    parser.add_argument("--rate", type=float, default=10, help="requests per second, all clients together")
    parser.add_argument("--residents", type=int, default=5)
    parser.add_argument("--web-workers", type=int, default=3)
    parser.add_argument("--fault-every", type=float, default=0, help="seconds (default: the run / 5)")
    parser.add_argument("--drain", type=float, default=180, help="seconds to wait for the outbox at the end")
    parser.add_argument("--seed", type=int, default=2026)
    # --inside MODE FILE: run inside Django, in a child process with the soak's environment.
    parser.add_argument("--inside", nargs=2, metavar=("MODE", "FILE"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.inside:
        mode, path = args.inside
        func = {"seed": inside_seed, "outbox": inside_outbox, "check": inside_check}[mode]
        print(json.dumps(func(json.loads(Path(path).read_text()))))
        return 0

    soak = Soak(args)

    def interrupted(signum, frame):
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, interrupted)
    failures = ["interrupted before the end"]
    try:
        soak.setup()
        soak.run_load()
        env = soak.env()
        drained = soak.drain(env)
        soak.supervisor.stop()
        results = soak.own("check", env, soak.observations())
        failures = report(soak, drained, results)
    finally:
        if soak.supervisor is not None:
            soak.supervisor.stop()
        with contextlib.suppress(Exception):
            soak.sink.stop()
        soak.db.drop()
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
