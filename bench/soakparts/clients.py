"""The soak's clients: residents, liaisons, a coordinator and a probe, each a thread
that records what it saw accepted."""

import json
import random
import re
import threading
import time
import traceback
import urllib.parse
import uuid
from collections import Counter

from soakparts.base import GIVE_UP_SECONDS, PASSWORD
from soakparts.web import form_with_action, set_field

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
