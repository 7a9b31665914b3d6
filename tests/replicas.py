"""A real PostgreSQL streaming replica of the tests' cluster, on 127.0.0.1, for the read-replica
tests (tests/test_read_replica.py).

``StreamingReplica(primary).start()`` takes a base backup of the running primary with
``pg_basebackup`` (``-R``: it starts as a standby streaming from it) into a temporary folder,
writes a configuration of its own there (a free port, its own socket folder, trust on
127.0.0.1, the primary's limits a hot standby needs) and starts it with Debian's ``pg_ctl``
of the primary's major version. PostgreSQL refuses to run as root: as root, every command runs
as the ``postgres`` user (runuser), which owns the folder. ``stop()`` stops it and deletes the
folder.

The base backup needs a replication connection to the primary: over TCP with the tests'
credentials, or, as root or postgres, over the primary's Unix socket as the ``postgres`` user
(Debian's stock ``local replication all peer``). ``bin/pg-allow-replication`` (run by
.ci/run) adds that rule to a cluster whose pg_hba.conf has neither. When no way works,
``start()`` raises ``ReplicaUnavailable`` saying so.
"""

import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

import psycopg

HOST = "127.0.0.1"
# How long a starting replica may take to replay the WAL written during its base backup.
STARTUP_TIMEOUT = float(os.environ.get("ADUAN_TEST_REPLICA_STARTUP_SECONDS", 600))
SLOT_PREFIX = "aduan_test_replica_"  # then the pid of the test process and the replica's port
# What a hot standby needs at least at the primary's value, or it refuses to start.
_PRIMARY_LIMITS = (
    "max_connections",
    "max_worker_processes",
    "max_wal_senders",
    "max_prepared_transactions",
    "max_locks_per_transaction",
)


class ReplicaUnavailable(RuntimeError):
    pass


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def _as_postgres() -> list[str]:
    """The prefix that runs a command as the user PostgreSQL's processes may run as."""
    if os.getuid() != 0:
        return []
    runuser = shutil.which("runuser") or "/usr/sbin/runuser"
    return [runuser, "-u", "postgres", "--"]


class StreamingReplica:
    """``primary``: HOST, PORT, USER, PASSWORD of the primary itself (not a pooler)."""

    def __init__(self, primary: dict):
        self.primary = primary
        self.dir = None
        self.port = None
        self.bindir = None
        self.log_path = None
        self.slot = None
        self.started = False

    # -------------------------------------------------------------- life cycle

    def start(self):
        settings = self._primary_settings()
        major = int(settings["server_version_num"]) // 10000
        self.bindir = Path(f"/usr/lib/postgresql/{major}/bin")
        if not (self.bindir / "pg_ctl").exists():
            raise ReplicaUnavailable(f"{self.bindir}/pg_ctl is missing (Debian's postgresql-{major}).")
        self.dir = Path(tempfile.mkdtemp(prefix="aduan-replica-"))
        if os.getuid() == 0:
            postgres = pwd.getpwnam("postgres")
            os.chown(self.dir, postgres.pw_uid, postgres.pw_gid)
        self.port = free_port()
        self.log_path = self.dir / "postgresql.log"
        try:
            source = self._replication_source(settings)
            data = self.dir / "data"
            self._drop_abandoned_slots()
            # A replication slot of its own keeps on the primary the WAL it has not received yet
            # (a busy primary with wal_keep_size 0 would otherwise remove it before it streams).
            self.slot = f"{SLOT_PREFIX}{os.getpid()}_{self.port}"
            backup = self._run(
                [self.bindir / "pg_basebackup", "-D", data, "-X", "stream", "-R", "-C", "-S", self.slot]
                + ["-c", "fast", "-N", "-d", source],
                timeout=300,
            )
            if backup.returncode != 0:
                raise ReplicaUnavailable(f"pg_basebackup failed: {backup.stderr.strip()}")
            self._configure(data, settings)
            self._start_server(ReplicaUnavailable)
        except BaseException:
            self.stop()
            raise
        return self

    def stop(self):
        """Stops the server (fast, it holds nothing worth keeping) and deletes its folder."""
        if self.started:
            self.halt()
        if self.slot is not None:
            self._drop_slot(self.slot)
            self.slot = None
        if self.dir is not None:
            shutil.rmtree(self.dir, ignore_errors=True)
            self.dir = None

    def halt(self):
        """Stops the server and keeps its folder (the tests of a replica that went down)."""
        self._run([self.bindir / "pg_ctl", "-D", self.dir / "data", "-m", "immediate", "-w", "stop"], timeout=60)
        self.started = False

    def resume(self):
        self._start_server(RuntimeError)

    def _start_server(self, error_class):
        """Starts the server and waits until it streams. Not pg_ctl's -w: a standby answers
        only once it has replayed the WAL written during the base backup, which on a busy
        primary takes longer than pg_ctl's wait (STARTUP_TIMEOUT, seconds)."""
        started = self._run([self.bindir / "pg_ctl", "-D", self.dir / "data", "-l", self.log_path, "-W", "start"], 60)
        if started.returncode != 0:
            raise error_class(f"the replica did not start: {started.stderr.strip()}\n{self.log_tail()}")
        self.started = True
        try:
            self.wait_until_streaming(timeout=STARTUP_TIMEOUT)
        except RuntimeError as error:
            raise error_class(str(error)) from error

    # -------------------------------------------------------------- talking to it

    def url(self, dbname: str) -> str:
        return f"postgres://postgres@{HOST}:{self.port}/{dbname}"

    def sql(self, query, params=None, dbname="postgres"):
        with psycopg.connect(host=HOST, port=self.port, user="postgres", dbname=dbname, autocommit=True) as db:
            return db.execute(query, params).fetchone()

    def pause_replay(self):
        self.sql("SELECT pg_wal_replay_pause()")

    def resume_replay(self):
        self.sql("SELECT pg_wal_replay_resume()")

    def wait_until_streaming(self, timeout=60.0):
        deadline = time.monotonic() + timeout
        down_since = None
        while time.monotonic() < deadline:
            try:
                if self.sql("SELECT count(*) FROM pg_stat_wal_receiver WHERE status = 'streaming'")[0]:
                    return
            except psycopg.OperationalError:
                # Not running for 10 s (pg_ctl start -W returns before the pid file exists): it stopped.
                status = self._run([self.bindir / "pg_ctl", "-D", self.dir / "data", "status"], 30)
                if status.returncode != 3:
                    down_since = None
                elif down_since is None:
                    down_since = time.monotonic()
                elif time.monotonic() - down_since > 10:
                    raise RuntimeError(f"the replica stopped while starting:\n{self.log_tail()}") from None
            time.sleep(0.5)
        raise RuntimeError(f"the replica did not stream from the primary within {timeout} s:\n{self.log_tail()}")

    def primary_lsn(self) -> str:
        """Where the primary's WAL is now."""
        with self._connect_primary() as db:
            return db.execute("SELECT pg_current_wal_lsn()::text").fetchone()[0]

    def wait_for(self, lsn: str, timeout=120.0):
        """Until the replica has replayed the primary's WAL up to ``lsn``."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.sql("SELECT pg_last_wal_replay_lsn() >= %s::pg_lsn", [lsn])[0]:
                return
            time.sleep(0.05)
        raise RuntimeError(f"the replica did not replay up to {lsn} within {timeout} s")

    def log_tail(self, lines=30) -> str:
        try:
            return "\n".join(Path(self.log_path).read_text(errors="replace").splitlines()[-lines:])
        except (OSError, TypeError):
            return "(no log)"

    # -------------------------------------------------------------- set-up

    def _connect_primary(self, **extra):
        params = {
            "host": self.primary.get("HOST") or HOST,
            "port": self.primary.get("PORT") or 5432,
            "user": self.primary.get("USER") or "postgres",
            "dbname": "postgres",
            "autocommit": True,
            "connect_timeout": 5,
        }
        if self.primary.get("PASSWORD"):
            params["password"] = self.primary["PASSWORD"]
        return psycopg.connect(**params, **extra)

    def _drop_slot(self, name, timeout=15.0):
        """The slot is dropped once the replica's sender on the primary has gone."""
        deadline = time.monotonic() + timeout
        while True:
            try:
                with self._connect_primary() as db:
                    db.execute(
                        "SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE slot_name = %s",
                        [name],
                    )
                return
            except psycopg.Error:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.2)

    def _drop_abandoned_slots(self):
        """Slots of test processes that are gone (killed before they could drop theirs): they
        would keep the primary's WAL for ever."""
        with self._connect_primary() as db:
            names = db.execute(
                "SELECT slot_name FROM pg_replication_slots WHERE NOT active AND slot_name LIKE %s",
                [SLOT_PREFIX + "%"],
            ).fetchall()
        for (name,) in names:
            pid = int(name[len(SLOT_PREFIX) :].split("_")[0])
            try:
                os.kill(pid, 0)
            except ProcessLookupError:
                self._drop_slot(name)
            except PermissionError:
                pass  # alive, another user's

    def _primary_settings(self) -> dict:
        names = (*_PRIMARY_LIMITS, "server_version_num", "unix_socket_directories", "port")
        try:
            with self._connect_primary() as db:
                rows = db.execute("SELECT name, setting FROM pg_settings WHERE name = ANY(%s)", [list(names)])
                return dict(rows.fetchall())
        except psycopg.Error as error:
            raise ReplicaUnavailable(f"the primary does not answer: {error}") from error

    def _replication_source(self, settings) -> str:
        """A connection string on which the primary accepts a replication connection."""
        host = self.primary.get("HOST") or HOST
        port = self.primary.get("PORT") or settings["port"]
        candidates = [f"host={host} port={port} user={self.primary.get('USER') or 'postgres'}"]
        if os.getuid() == 0 or pwd.getpwuid(os.getuid()).pw_name == "postgres":
            for folder in settings["unix_socket_directories"].split(","):
                if folder.strip():
                    candidates.append(f"host={folder.strip()} port={settings['port']} user=postgres")
        refusals = []
        for candidate in candidates:
            probe = self._run(
                ["psql", "-X", "-q", "-tA", "-c", "IDENTIFY_SYSTEM", f"{candidate} replication=true"],
                timeout=15,
            )
            if probe.returncode == 0:
                return candidate
            refusals.append(f"{candidate}: {probe.stderr.strip()}")
        raise ReplicaUnavailable(
            "the primary refuses replication connections (pg_hba.conf has no 'replication' rule that "
            "matches; as root, bin/pg-allow-replication adds 'local replication postgres peer'):\n"
            + "\n".join(refusals)
        )

    def _configure(self, data: Path, settings: dict):
        limits = "\n".join(f"{name} = {settings[name]}" for name in _PRIMARY_LIMITS)
        self._write(
            data / "postgresql.conf",
            f"""
port = {self.port}
listen_addresses = '{HOST}'
unix_socket_directories = '{self.dir}'
hot_standby = on
hot_standby_feedback = on
wal_receiver_status_interval = 1s
max_standby_streaming_delay = 5s
{limits}
shared_buffers = 32MB
fsync = off
synchronous_commit = off
ssl = off
logging_collector = off
log_min_messages = warning
""",
        )
        self._write(data / "pg_hba.conf", f"local all all trust\nhost all all {HOST}/32 trust\n")
        self._write(data / "pg_ident.conf", "")

    def _write(self, path: Path, text: str):
        if os.getuid() == 0:  # the folder is postgres's: write through tee as postgres
            subprocess.run([*_as_postgres(), "tee", str(path)], input=text, text=True, check=True, capture_output=True)
        else:
            path.write_text(text)

    def _run(self, command, timeout):
        env = {**os.environ, "PGCONNECT_TIMEOUT": "5"}
        if self.primary.get("PASSWORD"):
            env["PGPASSWORD"] = self.primary["PASSWORD"]
        return subprocess.run(
            [*_as_postgres(), *map(str, command)],
            cwd=self.dir or tempfile.gettempdir(),
            env=env,
            capture_output=True,
            text=True,
            timeout=timeout,
        )
