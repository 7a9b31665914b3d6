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

The numbers of the 5-minute run, and how to read them: bench/README.md. One subject in one
file: a single benchmark run, from starting the processes to checking the invariants.
"""

import argparse
import contextlib
import email
import email.policy
import hashlib
import html.parser
import json
import os
import random
import re
import secrets
import signal
import socket
import subprocess
import sys
import threading
import time
import traceback
import urllib.parse
import uuid
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
PY = str(ROOT / ".venv" / "bin" / "python")
GUNICORN = str(ROOT / ".venv" / "bin" / "gunicorn")
HOST = "127.0.0.1"
PG_ADMIN_URL = os.environ.get("SOAK_PG_ADMIN_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
RESTART_SEC = 2  # deploy/systemd/*.service: RestartSec=2
GIVE_UP_SECONDS = 120  # a client retrying one action longer than this gives up (counted)
AGENCIES = ("DPUPR", "Dishub")  # the liaisons' agencies; the coordinator disposes to them
SEED_PER_AGENCY = 20
PASSWORD = "demo12345"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def body_digest(text: str) -> str:
    """The same body whether it came from the outbox row or out of the MIME message."""
    lines = [line.rstrip() for line in (text or "").strip().splitlines()]
    return hashlib.sha256("\n".join(lines).encode()).hexdigest()[:16]


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


# ---------------------------------------------------------------------------- SMTP sink


class Sink:
    """aiosmtpd in a thread: every mail the workers hand over, with when it came."""

    def __init__(self):
        self.mails = []
        self.lock = threading.Lock()
        self.port = free_port()

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        part = message.get_body(preferencelist=("plain",)) if message.is_multipart() else message
        body = part.get_content() if part is not None else ""
        with self.lock:
            for recipient in envelope.rcpt_tos:
                self.mails.append(
                    {
                        "to": recipient,
                        "subject": str(message.get("Subject", "")).strip(),
                        "body": body_digest(body),
                        "message_id": str(message.get("Message-ID", "")),
                        "at": time.time(),
                    }
                )
        return "250 OK"

    def start(self):
        import logging

        from aiosmtpd.controller import Controller

        logging.getLogger("mail.log").setLevel(logging.WARNING)
        self.controller = Controller(self, hostname=HOST, port=self.port)
        self.controller.start()

    def stop(self):
        self.controller.stop()


# ---------------------------------------------------------------------------- HTML forms


class FormParser(html.parser.HTMLParser):
    """The forms of a page as a browser would submit them: inputs (checked boxes only),
    selected options (else the first), textareas."""

    def __init__(self):
        super().__init__()
        self.forms = []
        self.form = None
        self.select = None
        self.textarea = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self.form = {"action": a.get("action", ""), "method": (a.get("method") or "get").lower(), "fields": []}
            self.forms.append(self.form)
        elif self.form is None:
            return
        elif tag == "input" and a.get("name"):
            kind = (a.get("type") or "text").lower()
            if kind in ("submit", "button", "file", "image", "reset"):
                return
            if kind in ("checkbox", "radio") and "checked" not in a:
                return
            self.form["fields"].append([a["name"], a.get("value", "on" if kind == "checkbox" else "")])
        elif tag == "select" and a.get("name"):
            self.select = {"name": a["name"], "first": None, "chosen": None}
        elif tag == "option" and self.select is not None:
            value = a.get("value", "")
            if self.select["first"] is None:
                self.select["first"] = value
            if "selected" in a:
                self.select["chosen"] = value
        elif tag == "textarea" and a.get("name"):
            self.textarea = [a["name"], ""]

    def handle_data(self, data):
        if self.textarea is not None:
            self.textarea[1] += data

    def handle_endtag(self, tag):
        if self.form is None:
            return
        if tag == "select" and self.select is not None:
            chosen = self.select["chosen"] if self.select["chosen"] is not None else self.select["first"]
            if chosen is not None:
                self.form["fields"].append([self.select["name"], chosen])
            self.select = None
        elif tag == "textarea" and self.textarea is not None:
            # A browser drops the one newline right after <textarea>.
            name, value = self.textarea
            self.form["fields"].append([name, value[1:] if value.startswith("\n") else value])
            self.textarea = None
        elif tag == "form":
            self.form = None


def forms_of(page):
    parser = FormParser()
    parser.feed(page)
    return parser.forms


def form_with_action(page, pattern):
    for form in forms_of(page):
        if re.search(pattern, form["action"]):
            return form
    return None


def set_field(fields, name, value):
    fields[:] = [f for f in fields if f[0] != name] + [[name, value]]


# ---------------------------------------------------------------------------- clients


class Bucket:
    """At most ``rate`` requests per second for all clients together."""

    def __init__(self, rate):
        self.interval = 1.0 / rate
        self.next = time.monotonic()
        self.lock = threading.Lock()

    def take(self):
        with self.lock:
            now = time.monotonic()
            wait = self.next - now
            self.next = max(self.next, now) + self.interval
        if wait > 0:
            time.sleep(wait)


class Recorder:
    """Every request: when, who, what, the answer (or the connection error), how long."""

    def __init__(self, started, log_path):
        self.started = started
        self.lock = threading.Lock()
        self.rows = []
        self.log = open(log_path, "w")  # noqa: SIM115 (closed in close())

    def add(self, row):
        with self.lock:
            self.rows.append(row)
            self.log.write(json.dumps(row) + "\n")

    def close(self):
        self.log.close()


class Client(threading.Thread):
    role = "client"

    def __init__(self, name, base, bucket, recorder, stop, rng_seed):
        super().__init__(daemon=True, name=name)
        import httpx

        self.base = base
        self.bucket = bucket
        self.recorder = recorder
        self.stop_event = stop
        self.rng = random.Random(rng_seed)
        self.http = httpx.Client(base_url=base, timeout=30.0, follow_redirects=False)
        self.errors = []
        self.counts = Counter()
        self.crashed = None

    def run(self):
        try:
            self.work()
        except Exception:  # reported as a failure of the bench, not swallowed with the thread
            self.crashed = traceback.format_exc()

    def request(self, label, method, url, **kwargs):
        """One request, recorded; None for a connection error (refused, reset, timeout)."""
        import httpx

        self.bucket.take()
        start = time.monotonic()
        row = {"t": round(start - self.recorder.started, 3), "client": self.name, "role": self.role, "label": label}
        row["method"] = method
        try:
            if "data" in kwargs:  # pairs, in order, a name possibly twice: as a browser sends a form
                kwargs["content"] = urllib.parse.urlencode(kwargs.pop("data"))
                kwargs["headers"] = {"Content-Type": "application/x-www-form-urlencoded"}
            response = self.http.request(method, url, **kwargs)
            response.read()
        except httpx.HTTPError as exc:
            row.update(status=None, error=type(exc).__name__, ms=round((time.monotonic() - start) * 1000))
            self.recorder.add(row)
            return None
        row.update(status=response.status_code, ms=round((time.monotonic() - start) * 1000))
        if response.status_code >= 500:
            row["path"] = str(response.request.url.path)
        self.recorder.add(row)
        return response

    def get_page(self, label, url):
        """GET until a 200 (or a redirect), retrying after errors; None when giving up."""
        deadline = time.monotonic() + GIVE_UP_SECONDS
        while True:
            response = self.request(label, "GET", url)
            if response is not None and response.status_code < 400:
                return response
            if response is not None and response.status_code < 500:
                self.errors.append(f"GET {url}: {response.status_code}")
                return None
            self.counts["get_retries"] += 1
            if time.monotonic() > deadline:
                self.counts["gave_up"] += 1
                return None
            time.sleep(self.backoff(response))

    def backoff(self, response):
        # A person reads the 503 page and presses "Kirim lagi" after a while; the Retry-After
        # of 30 s is a ceiling, not a wait, for the bench: 1–3 s keeps the outage's count honest.
        return self.rng.uniform(1.0, 3.0)

    def post_form(self, label, url, fields):
        """POST ``fields`` and send again until an answer below 500: after a 503 page with a
        form, its kept fields (the "Kirim lagi" button); after a lost connection or another
        5xx, the same fields. Answers (response, retries, mismatch) or (None, retries, …)."""
        deadline = time.monotonic() + GIVE_UP_SECONDS
        retries, mismatch = 0, False
        sending = list(fields)
        while True:
            response = self.request(label, "POST", url, data=_pairs(sending))
            if response is not None and response.status_code < 500:
                return response, retries, mismatch
            if response is not None and response.status_code == 503:
                self.counts["503"] += 1
                kept = form_with_action(response.text, re.escape(url.split("?")[0]) + "$")
                if kept is not None and kept["fields"]:
                    # What the 503 page kept must be what was sent (passwords excepted).
                    sent = sorted((n, v) for n, v in fields if "password" not in n)
                    if sorted(map(tuple, kept["fields"])) != sent:
                        mismatch = True
                    sending = kept["fields"] + [[n, v] for n, v in fields if "password" in n]
                else:
                    sending = list(fields)
            else:
                sending = list(fields)
            retries += 1
            if time.monotonic() > deadline:
                self.counts["gave_up"] += 1
                return None, retries, mismatch
            time.sleep(self.backoff(response))

    def login(self, username):
        while not self.stop_event.is_set():
            page = self.get_page("login_form", "/kerja/masuk/")
            if page is None:
                continue
            token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
            fields = [["csrfmiddlewaretoken", token.group(1) if token else ""]]
            fields += [["username", username], ["password", PASSWORD]]
            response, _retries, _ = self.post_form("login", "/kerja/masuk/", fields)
            if response is not None and response.status_code == 302:
                return True
            self.errors.append(f"login {username}: {response.status_code if response else 'gave up'}")
            time.sleep(2)
        return False

    def pause(self, low, high):
        self.stop_event.wait(self.rng.uniform(low, high))


def _pairs(fields):
    return [(n, v) for n, v in fields]


class Resident(Client):
    role = "resident"

    def __init__(self, *args, choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.choices = choices
        self.accepted = []  # {key, tracking_number, marker, retries}
        self.unanswered = []  # submissions given up on: stored or not, the client never knew
        self.refused = []
        self.kept_mismatch = 0

    def work(self):
        while not self.stop_event.is_set():
            self.submit_once()
            self.pause(1.5, 4.0)

    def submit_once(self):
        page = self.get_page("form", "/lapor/")
        if page is None:
            return
        form = form_with_action(page.text, r"^/lapor/$|^$") or form_with_action(page.text, r"lapor")
        hidden = {n: v for n, v in form["fields"]} if form else {}
        key = hidden.get("submission_key", "")
        marker = uuid.uuid4().hex[:12]
        parent, category = self.rng.choice(self.choices["categories"])
        kecamatan, region = self.rng.choice(self.choices["kelurahan"])
        fields = [
            ["csrfmiddlewaretoken", hidden.get("csrfmiddlewaretoken", "")],
            ["submission_key", key],
            ["kind", "complaint"],
            ["title", f"Uji ketahanan {marker}"],
            ["description", f"Uji ketahanan {self.name} {marker}: lampu jalan mati di depan pasar sejak kemarin."],
            ["parent", str(parent)],
            ["category", str(category)],
            ["kecamatan", str(kecamatan)],
            ["region", str(region)],
            ["address", "Jl. Merdeka depan Pasar Legi"],
            ["reporter_name", "Warga Uji"],
            ["reporter_email", f"warga.{marker}@soak.test"],
            ["reply_channel", "email"],
        ]
        self.counts["submissions"] += 1
        response, retries, mismatch = self.post_form("submit", "/lapor/", fields)
        self.counts["submit_retries"] += retries
        self.kept_mismatch += mismatch
        if response is None:
            self.unanswered.append({"key": key, "marker": marker})
            return
        if response.status_code != 302:
            self.refused.append({"key": key, "marker": marker, "status": response.status_code})
            return
        location = response.headers["location"]
        done = self.get_page("submitted", location)
        number = re.search(r'class="tracking-number">([^<]+)<', done.text) if done is not None else None
        if number is None:
            self.unanswered.append({"key": key, "marker": marker, "redirected": location})
            return
        self.accepted.append(
            {"key": key, "tracking_number": number.group(1).strip(), "marker": marker, "retries": retries}
        )


class Liaison(Client):
    role = "liaison"

    def __init__(self, *args, username, **kwargs):
        super().__init__(*args, **kwargs)
        self.username = username
        self.follow_ups = []  # {marker, report, retries}
        self.unanswered = []

    def work(self):
        if not self.login(self.username):
            return
        while not self.stop_event.is_set():
            self.follow_up_once()
            self.pause(3.0, 7.0)

    def follow_up_once(self):
        listing = self.get_page("dispositions", "/kerja/disposisi/")
        if listing is None:
            return
        reports = sorted(set(re.findall(r'href="/kerja/laporan/(\d+)/"', listing.text)))
        if not reports:
            return
        pk = self.rng.choice(reports)
        page = self.get_page("report", f"/kerja/laporan/{pk}/")
        if page is None:
            return
        form = form_with_action(page.text, r"/kerja/disposisi/\d+/tindak-lanjut/$")
        if form is None:
            return
        marker = uuid.uuid4().hex[:12]
        fields = [f for f in form["fields"] if f[0] != "message"]
        set_field(fields, "audience", "public")
        fields.append(["message", f"Tindak lanjut uji {marker}: petugas sudah meninjau lokasi."])
        self.counts["follow_ups"] += 1
        response, retries, _ = self.post_form("follow_up", form["action"], fields)
        self.counts["follow_up_retries"] += retries
        if response is None:
            self.unanswered.append({"marker": marker, "report": int(pk)})
        elif response.status_code == 302:
            self.follow_ups.append({"marker": marker, "report": int(pk), "retries": retries})
            self.get_page("report_after", response.headers["location"])
        else:
            self.errors.append(f"follow-up on {pk}: {response.status_code}")


class Coordinator(Client):
    role = "coordinator"

    def __init__(self, *args, username, agencies, **kwargs):
        super().__init__(*args, **kwargs)
        self.username = username
        self.agencies = agencies
        self.done = []  # {report, action, retries, already}

    def work(self):
        if not self.login(self.username):
            return
        while not self.stop_event.is_set():
            inbox = self.get_page("inbox", "/kerja/kotak-masuk/")
            self.counts["inbox_reads"] += 1
            if inbox is not None and self.rng.random() < 0.6:
                # The inbox's links carry the list they came from (?from=…).
                reports = re.findall(r'href="/kerja/laporan/(\d+)/[?"]', inbox.text)
                if reports:
                    self.handle(self.rng.choice(reports))
            if self.rng.random() < 0.1:
                self.get_page("deliveries", "/kerja/pengiriman/")
            self.pause(2.0, 4.0)

    def act(self, pk, slug, page, adjust):
        form = form_with_action(page, rf"/kerja/laporan/{pk}/{slug}/$")
        if form is None:
            return None
        fields = list(form["fields"])
        adjust(fields)
        response, retries, _ = self.post_form(slug, form["action"], fields)
        if response is None:
            return None
        # A 409 after a re-send: the first send was stored, its answer lost.
        already = response.status_code == 409 and retries > 0
        if response.status_code == 302 or already:
            self.done.append({"report": int(pk), "action": slug, "retries": retries, "already": already})
            return self.get_page(f"report_after_{slug}", f"/kerja/laporan/{pk}/")
        self.errors.append(f"{slug} {pk}: {response.status_code}")
        return None

    def handle(self, pk):
        page = self.get_page("report", f"/kerja/laporan/{pk}/")
        if page is None:
            return
        if "/verifikasi/" in page.text:
            page = self.act(pk, "verifikasi", page.text, lambda fields: None)
            if page is None:
                return
        agency = self.rng.choice(self.agencies)
        self.act(pk, "disposisi", page.text, lambda fields: set_field(fields, "lead_agency", str(agency)))


class Probe(threading.Thread):
    """GET /health/ every second (not rate-bounded): when the service answers again."""

    def __init__(self, base, started, stop):
        super().__init__(daemon=True, name="probe")
        import httpx

        self.http = httpx.Client(base_url=base, timeout=5.0)
        self.started = started
        self.stop_event = stop
        self.samples = []  # (t answered, ok)

    def run(self):
        import httpx

        while not self.stop_event.is_set():
            try:
                ok = self.http.get("/health/").status_code == 200
            except httpx.HTTPError:
                ok = False
            # When the answer came (or the 5 s timeout): what was known at that moment.
            self.samples.append((time.monotonic() - self.started, ok))
            self.stop_event.wait(1.0)


# ---------------------------------------------------------------------------- faults


@dataclass
class Fault:
    name: str
    at: float  # seconds since the start of the load
    ended: float = 0.0
    note: str = ""


def fault_kill_web_worker(soak):
    master = soak.supervisor.pid("web")
    workers = children(master)
    if not workers:
        return "no worker found"
    victim = soak.rng.choice(workers)
    os.kill(victim, signal.SIGKILL)
    return f"killed worker {victim} of master {master}"


def fault_kill_task_worker(soak):
    name = soak.rng.choice(["worker-1", "worker-2"])
    pid = soak.supervisor.kill9(name)
    return f"killed {name} (pid {pid}); started again after {RESTART_SEC} s"


def fault_database_outage(soak):
    killed = soak.db.outage(10)
    return f"sessions killed for 5 s, then connections refused for 5 s; {killed} sessions terminated"


def fault_kill_web_master(soak):
    master = soak.supervisor.pid("web")
    orphans = children(master)
    soak.supervisor.kill9("web")
    soak.orphans.extend(orphans)
    return f"killed master {master}; {len(orphans)} orphaned workers; new master after {RESTART_SEC} s"


FAULTS = [
    ("kill -9 gunicorn worker", fault_kill_web_worker),
    ("kill -9 task worker", fault_kill_task_worker),
    ("database cut 10 s", fault_database_outage),
    ("kill -9 gunicorn master", fault_kill_web_master),
]


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


# ---------------------------------------------------------------------------- the report


def percentile(values, p):
    if not values:
        return 0
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


def report(soak, drained, results):
    rows = soak.recorder.rows
    load_rows = [r for r in rows if soak.load_started <= r["t"]]
    seconds = soak.load_ended - soak.load_started
    statuses = Counter(r["status"] if r["status"] is not None else "conn" for r in load_rows)
    five_hundreds = [r for r in load_rows if r["status"] and r["status"] >= 500 and r["status"] != 503]
    retries = Counter()
    for client in soak.clients:
        retries.update(client.counts)
    print()
    print(f"Aduan soak — {datetime.now():%Y-%m-%d %H:%M}, {os.cpu_count()} cores (shared), PostgreSQL, ", end="")
    print(f"gunicorn {soak.args.web_workers} workers, 2 task workers, 1 scheduler")
    print(
        f"load: {seconds / 60:.1f} min, {len(load_rows)} requests ({len(load_rows) / seconds:.1f}/s, bounded "
        f"{soak.args.rate:g}/s), clients: {len(soak.residents)} residents, {len(soak.liaisons)} liaisons, 1 coordinator"
    )
    ok_ms = [r["ms"] for r in load_rows if r["status"] and r["status"] < 400]
    print(
        f"latency of answered requests: p50 {percentile(ok_ms, 50)} ms, p95 {percentile(ok_ms, 95)} ms, "
        f"p99 {percentile(ok_ms, 99)} ms"
    )
    print("answers: " + ", ".join(f"{k}: {v}" for k, v in sorted(statuses.items(), key=lambda kv: str(kv[0]))))
    print(
        f"503s seen: {statuses.get(503, 0)}; other 5xx: {len(five_hundreds)}; connection errors: "
        f"{statuses.get('conn', 0)}; client re-sends: submissions {retries['submit_retries']}, follow-ups "
        f"{retries['follow_up_retries']}, GETs {retries['get_retries']}; gave up: {retries['gave_up']}"
    )
    for row in five_hundreds[:10]:
        print(f"  5xx: +{row['t'] - soak.load_started:.1f} s {row['status']} {row['method']} {row.get('path')}")
    print()
    print("faults (recovery: first healthy /health/ after the fault's end; client errors: answers ≥ 500 or lost")
    print("connections from the fault until the next one, and the last of them after the fault's end)")
    samples = soak.probe.samples
    for i, fault in enumerate(soak.faults):
        until = soak.faults[i + 1].at if i + 1 < len(soak.faults) else soak.load_ended
        # By when the answer came (or the connection broke): a request sent just before the
        # fault may fail because of it.
        bad = [
            r
            for r in load_rows
            if fault.at <= r["t"] + r["ms"] / 1000 < until and (r["status"] is None or r["status"] >= 500)
        ]
        unhealthy = [t for t, ok in samples if fault.at <= t < until and not ok]
        after = unhealthy[-1] if unhealthy else fault.ended
        healthy_again = next((t for t, ok in samples if t >= after and ok), None)
        recovery = f"{healthy_again - fault.ended:.1f} s" if unhealthy and healthy_again else "never unhealthy"
        last_bad = f"{max(b['t'] + b['ms'] / 1000 for b in bad) - fault.ended:+.1f} s" if bad else "-"
        kinds = Counter(r["status"] or "conn" for r in bad)
        print(
            f"  +{fault.at - soak.load_started:5.0f} s {fault.name:34} lasted {fault.ended - fault.at:4.1f} s; "
            f"recovery {recovery}; client errors {len(bad)} {dict(kinds)}, last at {last_bad}"
        )
    restarts = {
        name: [(round(t - soak.load_started, 1), code, "ours" if ours else "on its own") for t, code, ours in s.exits]
        for name, s in soak.supervisor.services.items()
    }
    print("process exits (restarted after 2 s): " + "; ".join(f"{n}: {v or 'none'}" for n, v in restarts.items()))
    print()
    r = results
    print(
        f"submissions: {retries['submissions']} sent, {r['accepted']} accepted (tracking number seen), "
        f"{r['refused']} refused with a form error, {r['unanswered']} given up by the client "
        f"({r['unanswered_stored']} of them stored anyway)"
    )
    print(
        f"  stored for the accepted keys: {r['accepted_stored']}; missing: {len(r['lost'])}; "
        f"other tracking number: {len(r['wrong_number'])}; reports per marker > 1: {len(r['doubled'])}; "
        f"503 page kept a different form: {sum(c.kept_mismatch for c in soak.residents)}"
    )
    print(
        f"  reports in all: {r['reports']}; tracking numbers {r['numbers']}; gaps: {r['gaps']}; "
        f"counter {r['counter']}; without a 'submitted' event: {r['without_submitted_event']}"
    )
    print(
        f"follow-ups: {r['follow_ups_seen']} seen stored by the liaison, {r['follow_ups_missing']} missing, "
        f"{r['follow_ups_doubled']} stored twice; coordinator actions seen: {r['coordinator_seen']} "
        f"({r['coordinator_already']} answered 409 on the re-send), missing: {r['coordinator_missing']}"
    )
    print(
        f"outbox after {drained['seconds']} s of draining: {r['outbox_states']}; delivery attempts "
        f"{r['attempts']} ({r['attempts_ok']} ok); messages with >1 ok attempt: {r['double_ok']}"
    )
    print(
        f"  mails at the SMTP sink: {r['mails']}; mails beyond their sent message: {r['mails_doubled']}; "
        f"sent messages not at the sink: {r['sent_not_received']}; mails for no sent message: "
        f"{r['mails_unmatched']}"
    )
    lost_notes = r["notifications_never_queued"]
    print(
        f"notifications never queued (event committed, outbox row lost with the database): {len(lost_notes)}"
        + (f" e.g. {lost_notes[:3]}" if lost_notes else "")
        + f"; triage jobs not done yet (the sweep's): {r.get('triage_jobs_left', '-')}"
    )
    failures = []
    if lost_notes:
        # The outbox rows are written in the event's transaction: a committed event
        # without its messages is a loss.
        failures.append(f"{len(lost_notes)} notifications never queued: {lost_notes[:3]}")
    if r["lost"]:
        failures.append(f"{len(r['lost'])} accepted submissions not stored: {r['lost'][:5]}")
    if r["wrong_number"]:
        failures.append(f"{len(r['wrong_number'])} accepted submissions stored under another number")
    if r["doubled"]:
        failures.append(f"{len(r['doubled'])} submissions stored twice: {r['doubled'][:5]}")
    if r["gaps"]:
        failures.append(f"tracking numbers have gaps: {r['gaps']}")
    if r["without_submitted_event"]:
        failures.append(f"{r['without_submitted_event']} reports without their 'submitted' event")
    if r["follow_ups_missing"]:
        failures.append(f"{r['follow_ups_missing']} follow-ups seen stored are missing")
    if r["follow_ups_doubled"]:
        failures.append(f"{r['follow_ups_doubled']} follow-ups stored twice: {r['follow_ups_doubled_markers'][:5]}")
    if r["coordinator_missing"]:
        failures.append(f"{r['coordinator_missing']} coordinator actions seen done are missing")
    if r["double_ok"]:
        failures.append(f"{r['double_ok']} messages with more than one successful delivery")
    if r["mails_doubled"]:
        failures.append(f"{r['mails_doubled']} mails sent twice: {r['mails_doubled_examples'][:3]}")
    if r["mails_unmatched"]:
        failures.append(f"{r['mails_unmatched']} mails at the sink for no sent message (sent, not recorded)")
    if five_hundreds:
        failures.append(f"{len(five_hundreds)} answers 5xx other than 503")
    if retries["gave_up"]:
        failures.append(f"clients gave up {retries['gave_up']} times")
    if sum(c.kept_mismatch for c in soak.residents):
        failures.append("the 503 page kept other fields than were sent")
    for client in soak.clients:
        if client.crashed:
            failures.append(f"client {client.name} crashed: {client.crashed.strip().splitlines()[-1]}")
            (soak.dir / f"crash-{client.name}.txt").write_text(client.crashed)
    if not r["accepted"] or not r["follow_ups_seen"] or not r["coordinator_seen"]:
        failures.append("too little load to judge: no accepted submission, follow-up or coordinator action")
    errors = [e for c in soak.clients for e in c.errors]
    if errors:
        print(f"client notes ({len(errors)}): {errors[:8]}")
    print()
    print("INVARIANTS: " + ("all hold" if not failures else "FAILED"))
    for failure in failures:
        print(f"  - {failure}")
    (soak.dir / "summary.json").write_text(json.dumps({"results": r, "failures": failures}, indent=1, default=str))
    return failures


# ---------------------------------------------------------------------------- inside Django


def _django():
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "aduan.settings")
    import django

    django.setup()


def inside_seed(payload):
    """Disposed reports for the liaisons to follow up (reporters reachable by email), and
    the ids the clients need. Muted: the seed itself sends nothing."""
    _django()
    from django.db import transaction

    from agencies.models import Agency, Appointment, Region, Role
    from notify import muted
    from reports import actions
    from reports.models import Category, ReportEvent

    coordinator = Appointment.objects.active().filter(role=Role.COORDINATOR, person__username="koordinator").get()
    # The coordinator's government only: the demo also has a province and a second city.
    government = coordinator.agency.government
    categories = list(Category.objects.filter(parent__isnull=False, is_active=True, government=government))
    kelurahan = list(Region.objects.filter(level=Region.Level.KELURAHAN, government=government))
    agencies, liaisons = {}, {}
    with muted(), transaction.atomic():
        for short in AGENCIES:
            agency = Agency.objects.get(short_name=short, government=government)
            agencies[short] = agency.pk
            liaisons[short] = (
                Appointment.objects.active().filter(role=Role.LIAISON, agency=agency).get().person.username
            )
            for i in range(SEED_PER_AGENCY):
                report = actions.submit_report(
                    description=f"Laporan awal uji ketahanan {short} {i}: jalan berlubang.",
                    category=categories[i % len(categories)],
                    region=kelurahan[i % len(kelurahan)],
                    reporter_name="Warga Awal",
                    reporter_email=f"awal.{short.lower()}.{i}@soak.test",
                    reply_channel="email",
                )
                report = actions.verify_report(report, actor=coordinator.person)
                actions.dispose_report(report, actor=coordinator.person, lead_agency=agency)
    return {
        "last_seed_event": ReportEvent.objects.order_by("-pk").values_list("pk", flat=True).first(),
        "categories": [[c.parent_id, c.pk] for c in categories],
        "kelurahan": [[r.parent_id, r.pk] for r in kelurahan],
        "agencies": agencies,
        "liaisons": liaisons,
    }


def inside_outbox(payload):
    _django()
    from django_tasks_db.models import DBTaskResult

    from notify.models import OutboxMessage

    return {
        "queued": OutboxMessage.objects.filter(state="queued").count(),
        "tasks_ready": DBTaskResult.objects.filter(status="READY").count(),
        "states": dict(Counter(OutboxMessage.objects.values_list("state", flat=True))),
    }


def inside_check(obs):
    """Every invariant, from the database and what the clients saw."""
    _django()
    from django.conf import settings
    from django.db.models import Count, Q

    from notify.models import DeliveryAttempt, OutboxMessage
    from notify.receivers import REPORTER_TEMPLATES
    from reports.models import Report, ReportEvent, TrackingCounter

    r = {}
    accepted = obs["accepted"]
    # portal/forms.py stores the page's key as "web:<key>".
    by_key = {
        rep.submission_key.removeprefix("web:"): rep
        for rep in Report.objects.filter(submission_key__in=[f"web:{a['key']}" for a in accepted if a["key"]])
    }
    r["accepted"] = len(accepted)
    r["accepted_stored"] = sum(1 for a in accepted if a["key"] in by_key)
    r["lost"] = [a["tracking_number"] for a in accepted if a["key"] not in by_key]
    r["wrong_number"] = [
        (a["tracking_number"], by_key[a["key"]].tracking_number)
        for a in accepted
        if a["key"] in by_key and by_key[a["key"]].tracking_number != a["tracking_number"]
    ]
    r["refused"] = len(obs["refused"])
    markers = [a["marker"] for a in accepted] + [u["marker"] for u in obs["unanswered"]]
    per_marker = Counter()
    for title in Report.objects.filter(title__startswith="Uji ketahanan ").values_list("title", flat=True):
        per_marker[title.rsplit(" ", 1)[1]] += 1
    r["doubled"] = [m for m in markers if per_marker[m] > 1]
    r["unanswered"] = len(obs["unanswered"])
    r["unanswered_stored"] = sum(1 for u in obs["unanswered"] if per_marker[u["marker"]])

    numbers = sorted(
        int(n.rsplit("-", 1)[1])
        for n in Report.objects.filter(tracking_number__startswith=settings.ADUAN_TRACKING_PREFIX + "-").values_list(
            "tracking_number", flat=True
        )
    )
    r["reports"] = len(numbers)
    r["numbers"] = f"1..{numbers[-1]}" if numbers else "none"
    r["gaps"] = sorted(set(range(1, (numbers[-1] if numbers else 0) + 1)) - set(numbers))[:20]
    counters = list(TrackingCounter.objects.values_list("year", "last"))
    r["counter"] = counters
    if numbers and any(last != numbers[-1] for _, last in counters):
        r["gaps"].append("counter differs from the last number")
    r["without_submitted_event"] = Report.objects.exclude(
        pk__in=ReportEvent.objects.filter(action="submitted").values("report_id")
    ).count()

    seen = obs["follow_ups"]
    per_follow_up = Counter()
    for message in ReportEvent.objects.filter(action="follow_up", message__startswith="Tindak lanjut uji ").values_list(
        "message", flat=True
    ):
        per_follow_up[message.split()[3].rstrip(":")] += 1
    r["follow_ups_seen"] = len(seen)
    r["follow_ups_missing"] = sum(1 for f in seen if per_follow_up[f["marker"]] == 0)
    all_markers = [f["marker"] for f in seen] + [f["marker"] for f in obs["follow_ups_unanswered"]]
    r["follow_ups_doubled_markers"] = [m for m in all_markers if per_follow_up[m] > 1]
    r["follow_ups_doubled"] = len(r["follow_ups_doubled_markers"])

    actions = {"verifikasi": "verified", "disposisi": "disposed"}
    r["coordinator_seen"] = len(obs["coordinator"])
    r["coordinator_already"] = sum(1 for d in obs["coordinator"] if d["already"])
    r["coordinator_missing"] = sum(
        1
        for d in obs["coordinator"]
        if not ReportEvent.objects.filter(report_id=d["report"], action=actions[d["action"]]).exists()
    )

    # Every event of the run that tells the reporter (all reporters gave an email) or, when
    # disposed, the agency's staff, has its outbox message: written in the event's own
    # transaction, so none may be missing (before, they were queued after the commit and a
    # database gone right then lost them: "Notifications for event … failed").
    keys = set(OutboxMessage.objects.values_list("dedupe_key", flat=True))
    staff_told = {k.split(":")[1] for k in keys if ":user:" in k}
    missing = []
    for pk, action, created in ReportEvent.objects.filter(
        pk__gt=obs["last_seed_event"] or 0, is_public=True, action__in=list(REPORTER_TEMPLATES)
    ).values_list("pk", "action", "created_at"):
        if f"event:{pk}:reporter:email" not in keys or (action == "disposed" and str(pk) not in staff_told):
            missing.append((pk, action, created.isoformat(timespec="seconds")))
    r["notifications_never_queued"] = missing
    # Triage written down with its event and not done yet (the after-commit run lost; the
    # sweep triage-stranded-jobs does it within 5 minutes, after this check).
    from triage.models import TriageJob

    r["triage_jobs_left"] = TriageJob.objects.count()

    r["outbox_states"] = dict(Counter(OutboxMessage.objects.values_list("state", flat=True)))
    r["attempts"] = DeliveryAttempt.objects.count()
    r["attempts_ok"] = DeliveryAttempt.objects.filter(ok=True).count()
    r["double_ok"] = (
        OutboxMessage.objects.annotate(ok=Count("delivery_attempts", filter=Q(delivery_attempts__ok=True)))
        .filter(ok__gt=1)
        .count()
    )
    # Every mail at the sink belongs to one sent message (recipient, subject, body); more
    # mails than sent messages with that content is a double send.
    sent = Counter()
    unsettled = Counter()
    for message in OutboxMessage.objects.filter(channel="email"):
        key = (message.recipient, message.subject.replace("\n", " ").strip(), body_digest(message.body))
        if message.state == "sent":
            sent[key] += 1
        else:
            unsettled[key] += 1
    mails = Counter((m["to"], m["subject"], m["body"]) for m in obs["mails"])
    r["mails"] = len(obs["mails"])
    extra = {k: n - sent[k] for k, n in mails.items() if n > sent[k] and sent[k]}
    r["mails_doubled"] = sum(extra.values())
    r["mails_doubled_examples"] = [list(k[:2]) + [n] for k, n in list(extra.items())[:5]]
    r["mails_unmatched"] = sum(n for k, n in mails.items() if not sent[k])
    r["mails_unmatched_unsettled"] = sum(n for k, n in mails.items() if not sent[k] and unsettled[k])
    r["sent_not_received"] = sum(n - mails[k] for k, n in sent.items() if n > mails[k])
    return r


if __name__ == "__main__":
    sys.exit(main())
