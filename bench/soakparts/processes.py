"""The soak's throw-away PostgreSQL database and the supervised processes (gunicorn,
task workers, scheduler), restarted as systemd would."""

import contextlib
import os
import secrets
import signal
import subprocess
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from soakparts.base import RESTART_SEC, ROOT

# ---------------------------------------------------------------------------- PostgreSQL


class Postgres:
    """The admin side of the throw-away database: create, cut off, drop."""

    def __init__(self, admin_url):
        import psycopg

        self.psycopg = psycopg
        self.admin_url = admin_url
        self.name = f"aduan_soak_{secrets.token_hex(4)}"
        self.created = False

    def connect(self):
        return self.psycopg.connect(self.admin_url, autocommit=True, connect_timeout=5)

    @property
    def url(self):
        base = self.admin_url.rsplit("/", 1)[0]
        return f"{base}/{self.name}"

    def create(self):
        with self.connect() as conn:
            conn.execute(f'CREATE DATABASE "{self.name}"')
        self.created = True

    def drop(self):
        if not self.created:
            return
        with self.connect() as conn:
            conn.execute(f'ALTER DATABASE "{self.name}" ALLOW_CONNECTIONS true')
            conn.execute(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')
        self.created = False

    def terminate(self, conn) -> int:
        rows = conn.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()",
            (self.name,),
        ).fetchall()
        return len(rows)

    def outage(self, seconds):
        """The database away for ``seconds``: for the first half every session is killed
        five times a second (requests lose their connection mid-query, mid-transaction, at
        the commit), for the second half new connections are refused as well."""
        killed = 0
        with self.connect() as conn:
            try:
                half = time.monotonic() + seconds / 2
                while time.monotonic() < half:
                    killed += self.terminate(conn)
                    time.sleep(0.2)
                conn.execute(f'ALTER DATABASE "{self.name}" ALLOW_CONNECTIONS false')
                deadline = time.monotonic() + seconds / 2
                while time.monotonic() < deadline:
                    killed += self.terminate(conn)
                    time.sleep(0.5)
            finally:
                conn.execute(f'ALTER DATABASE "{self.name}" ALLOW_CONNECTIONS true')
        return killed


# ---------------------------------------------------------------------------- processes


def children(pid) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        # The command name is in parentheses and may hold spaces: the fields after it.
        fields = stat.rsplit(")", 1)[1].split()
        if int(fields[1]) == pid:
            found.append(int(entry.name))
    return found


@dataclass
class Service:
    name: str
    args: list
    log: Path
    process: subprocess.Popen | None = None
    starts: int = 0
    exits: list = field(default_factory=list)  # (time, returncode, killed_by_us)
    expect_kill: bool = False


class Supervisor:
    """What systemd's units do for these processes: start them, and start one again
    RESTART_SEC after it exits (Restart=always). Every process group ever started is
    remembered, so the end kills orphans too."""

    def __init__(self, env, started):
        self.env = env
        self.started = started
        self.services: dict[str, Service] = {}
        self.groups: set[int] = set()
        self.lock = threading.Lock()
        self.stopping = threading.Event()
        self.thread = threading.Thread(target=self._watch, daemon=True)

    def add(self, name, args, log):
        self.services[name] = Service(name, args, log)
        self._start(self.services[name])

    def _start(self, service):
        with open(service.log, "ab") as log:
            service.process = subprocess.Popen(
                service.args, cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
            )
        service.starts += 1
        self.groups.add(service.process.pid)

    def watch(self):
        self.thread.start()

    def _watch(self):
        while not self.stopping.is_set():
            for service in list(self.services.values()):
                code = service.process.poll()
                if code is None:
                    continue
                with self.lock:
                    service.exits.append((time.monotonic() - self.started, code, service.expect_kill))
                    service.expect_kill = False
                if self.stopping.wait(RESTART_SEC):
                    return
                self._start(service)
            self.stopping.wait(0.2)

    def pid(self, name):
        return self.services[name].process.pid

    def kill9(self, name) -> int:
        service = self.services[name]
        with self.lock:
            service.expect_kill = True
        pid = service.process.pid
        os.kill(pid, signal.SIGKILL)
        return pid

    def stop(self):
        """SIGTERM to each service (a task worker finishes its task), then SIGKILL to every
        process group ever started (orphaned gunicorn workers included)."""
        self.stopping.set()
        if self.thread.is_alive():
            self.thread.join(timeout=5)
        for service in self.services.values():
            if service.process and service.process.poll() is None:
                with contextlib.suppress(ProcessLookupError):
                    service.process.terminate()
        for service in self.services.values():
            if service.process:
                with contextlib.suppress(subprocess.TimeoutExpired):
                    service.process.wait(timeout=20)
        for group in self.groups:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(group, signal.SIGKILL)
        for service in self.services.values():
            if service.process:
                with contextlib.suppress(subprocess.TimeoutExpired):
                    service.process.wait(timeout=5)
