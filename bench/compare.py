"""Issue 21's comparison in one go: a hello view through the full middleware stack and every
scenario against gunicorn (2 sync workers, CONN_MAX_AGE 60) under wrk's closed loop (16
connections, ``Connection: close``), with req/s, p50, p99 and the ratio to hello, printed
as a markdown table; then the monev dashboard cold and warm, the LAPOR! import's rows/s and
Open311's 1,000-row window. Prints its numbers; asserts nothing.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/aduan_bench_20k \\
        .venv/bin/python bench/compare.py --reports 20000        # fills (bench/fill.py), then runs
    DATABASE_URL=... .venv/bin/python bench/compare.py --reuse   # runs on the filled database
    ... --doc "20k, run 1"   # also writes the table into docs/performance.md under that label

Scenarios (every URL answered as a coordinator unless public):

- hello: ``/health/live/`` (a JSON answer that touches no database, through every middleware);
- public submit: the portal form POSTed with its CSRF cookie and token, no photo, no
  ``submission_key`` (each POST a new report); "accepted" = answers 302 (counted by the
  wrk script), checked against the reports stored meanwhile;
- coordinator inbox: the first page, and a filtered page (disposed + in progress, one
  agency);
- staff search: a word (``drainase``, in 1 report of 8) and a closed report's tracking number;
- report detail: the fill's report with 20 events and 3 attachments;
- monev: the dashboard for a filter no one asked for yet (cold: single requests, each a new
  agency × channel, the shared Redis cache otherwise warm as in production), then the same
  URL under wrk (warm);
- Open311 ``requests.json``: the default window (1,000 rows);
- LAPOR! import: a generated 2,000-row export imported in process (dry run + apply, in a
  transaction rolled back afterwards, so the database stays as filled).
"""

import argparse
import datetime as dt
import os
import random
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from bench import common  # noqa: E402

SUBMIT_LUA = """
wrk.method = "POST"
wrk.body = "{body}"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
wrk.headers["Cookie"] = "{cookie}"
wrk.headers["Referer"] = "{base}/lapor/"
local threads = {{}}
function setup(thread) table.insert(threads, thread) end
function init(args) accepted = 0 end
function response(status, headers, body) if status == 302 then accepted = accepted + 1 end end
function done(summary, latency, requests)
  local total = 0
  for _, t in ipairs(threads) do total = total + t:get("accepted") end
  io.write(string.format("accepted=%d\\n", total))
end
"""


def server_env(args):
    env = {
        **os.environ,
        "ADUAN_LOG_LEVEL": "WARNING",
        "DEBUG": "0",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "ADUAN_DB_CONN_MAX_AGE": "60",
        "WEB_CONCURRENCY": str(args.workers),
        "BIND": f"127.0.0.1:{args.port}",
        "MEDIA_ROOT": str(common.MEDIA),
        # The cache every worker shares (monev's boards, the rate limits), as in production.
        "REDIS_URL": os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/9"),
        # Every connection comes from 127.0.0.1: lift the per-address limit of the public form
        # so the bench measures the server, not the limit (core/throttle.py).
        "ADUAN_PORTAL_RATE_SUBMIT": "100000000/hour",
    }
    return env


def start_server(env):
    """gunicorn with the production settings file (sync workers), no access log."""
    gunicorn = str(common.ROOT / ".venv" / "bin" / "gunicorn")
    log = open(common.OUT / "compare-gunicorn.log", "w")  # noqa: SIM115
    return subprocess.Popen(
        [gunicorn, "-c", "gunicorn.conf.py", "--access-logfile", "/dev/null", "--log-level", "warning"],
        cwd=common.ROOT,
        env=env,
        stdout=log,
        stderr=log,
        start_new_session=True,
    )


def submit_script(base, ids):
    jar, _opener, token = common.csrf_form(base, "/lapor/")
    body = urllib.parse.urlencode(
        {
            "csrfmiddlewaretoken": token,
            "kind": "complaint",
            "description": "Uji beban: lampu jalan mati di depan pasar sejak tiga hari, gelap sekali.",
            "parent": ids["parent"],
            "category": ids["category"],
            "kecamatan": ids["kecamatan"],
            "region": ids["region"],
            "address": "Jl. Merdeka 1",
            "reporter_name": "Uji Beban",
            "reporter_phone": "081200000000",
            "reply_channel": "none",
        }
    )
    cookie = "; ".join(f"{c.name}={c.value}" for c in jar)
    script = common.OUT / "compare-submit.lua"
    script.write_text(SUBMIT_LUA.format(body=body, cookie=cookie, base=base))
    return script


def get(url, cookie):
    """One GET read to its end: (status, milliseconds); status None when it failed (a
    timeout, or gunicorn's worker timeout cutting the connection)."""
    started = time.perf_counter()
    request = urllib.request.Request(url, headers={"Cookie": cookie, "Connection": "close"})
    try:
        with urllib.request.urlopen(request, timeout=90) as response:
            response.read()
            status = response.status
            if "/kerja/masuk/" in response.url:
                sys.exit(f"{url} sent the coordinator to the login page")
    except (OSError, urllib.error.HTTPError) as error:
        print(f"  {url}: {error!r}", flush=True)
        status = getattr(error, "code", None)
    ms = (time.perf_counter() - started) * 1000
    print(f"  GET {url}: {status} in {ms:.0f} ms", flush=True)
    return status, ms


def lapor_import(rows):
    """rows/s of the LAPOR! import of a generated export, rolled back afterwards."""
    from django.db import transaction

    from agencies.models import Agency
    from lapor import sample
    from lapor.importer import run_import
    from lapor.models import AgencyMapping, CategoryMapping
    from reports.models import Category

    path = common.OUT / f"compare-lapor-{rows}.csv"
    sample.write_csv(path, sample.random_rows(rows, start_id=9_000_000))
    from governments.models import home_government

    home = home_government()
    categories = list(Category.objects.filter(government=home, parent__isnull=False).order_by("pk")[:3])
    agencies = list(Agency.objects.filter(government=home, short_name__in=["Dishub", "DPUPR"]).order_by("pk"))

    class Rollback(Exception):
        pass

    seconds = created = 0
    try:
        with transaction.atomic():
            for (lapor_id, name), category in zip(sample.CATEGORIES, categories, strict=False):
                CategoryMapping.objects.update_or_create(
                    key=f"id:{lapor_id}", defaults={"lapor_id": lapor_id, "lapor_name": name, "category": category}
                )
            for (lapor_id, name), agency in zip(sample.AGENCIES, agencies, strict=False):
                AgencyMapping.objects.update_or_create(
                    key=f"id:{lapor_id}", defaults={"lapor_id": lapor_id, "lapor_name": name, "agency": agency}
                )
            started = time.perf_counter()
            outcome = run_import(path, dry_run=False)
            seconds = time.perf_counter() - started
            created = len(outcome.created)
            raise Rollback
    except Rollback:
        pass
    return rows / seconds, created, seconds


def row(name, result, hello, aim="", met=None):
    if not result["requests"] or result["p50"] is None:
        return f"| {name} | {result['rps']:.1f} | — | — | — | {aim} ✗ (no answer within the run) |"
    ratio = result["rps"] / hello if hello else 0
    verdict = "" if met is None else (" ✓" if met(result, ratio) else " ✗")
    return (
        f"| {name} | {result['rps']:.1f} | {result['p50']:.0f} | {result['p99']:.0f} | {ratio:.1%} | {aim}{verdict} |"
    )


def write_doc(label, text):
    """Replace (or append) the block between the label's markers in docs/performance.md."""
    doc = common.ROOT / "docs" / "performance.md"
    current = doc.read_text() if doc.exists() else "# Performance\n"
    begin, end = f"<!-- compare: {label} -->", f"<!-- /compare: {label} -->"
    block = f"{begin}\n{text}\n{end}"
    if begin in current:
        current = re.sub(re.escape(begin) + r".*?" + re.escape(end), lambda _m: block, current, flags=re.S)
    else:
        current = current.rstrip("\n") + f"\n\n{block}\n"
    doc.write_text(current)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--reports", type=int, default=20_000, help="fill this many first (bench/fill.py)")
    parser.add_argument("--reuse", action="store_true", help="run against the database as already filled")
    parser.add_argument("--seconds", type=int, default=10, help="wrk's duration per scenario")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--port", type=int, default=18799)
    parser.add_argument("--lapor-rows", type=int, default=2000)
    parser.add_argument("--doc", help="write the result into docs/performance.md under this label")
    args = parser.parse_args()
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        sys.exit("Run this on PostgreSQL: set DATABASE_URL (see the docstring).")
    common.ensure_wrk()
    env = server_env(args)
    os.environ["REDIS_URL"] = env["REDIS_URL"]
    if not args.reuse:
        common.sh(common.PY, "bench/fill.py", str(args.reports), env=env)
    common.sh(common.PY, "manage.py", "collectstatic", "--noinput", "-v0", env=env)
    common.setup()

    from django.db import connection
    from django.utils import timezone

    from agencies.models import Agency, Region
    from governments.models import Government, home_government
    from reports.models import Category, Report

    # Every pick is the demo city's (the coordinator's government): on a province-sized
    # database (bench/fill.py --governments N) the other governments hold copies of its
    # agencies, categories and kelurahan.
    home = home_government()
    governments = Government.objects.count()
    total = Report.objects.count()
    own = Report.objects.filter(government=home)
    home_total = own.count()
    detail = own.filter(attachments__size__gt=0).order_by("-pk").values_list("pk", flat=True).distinct().first()
    closed = own.filter(status="closed").order_by("pk").values_list("tracking_number", flat=True).first()
    category = Category.objects.filter(government=home, parent__isnull=False).order_by("pk").first()
    region = Region.objects.filter(government=home, level=Region.Level.KELURAHAN).order_by("pk").first()
    agency = Agency.objects.get(government=home, short_name="DPUPR")
    ids = {"parent": category.parent_id, "category": category.pk, "kecamatan": region.parent_id, "region": region.pk}
    connection.close()

    load_before = common.loadavg()
    base = f"http://127.0.0.1:{args.port}"
    # gunicorn.conf.py binds with SO_REUSEPORT: a server already on the port would silently
    # share the connections (and take them away when it stops).
    with socket.socket() as probe:
        if probe.connect_ex(("127.0.0.1", args.port)) == 0:
            sys.exit(f"port {args.port} is in use: pass another --port")
    server = start_server(env)
    close = ["Connection: close"]
    results, notes = {}, []
    try:
        common.wait_for(f"{base}/health/live/", seconds=60)
        cookie = common.login_cookie(base, "koordinator", "demo12345")
        staff = [*close, f"Cookie: {cookie}"]
        urls = {
            "inbox, first page": "/kerja/kotak-masuk/",
            "inbox, filtered (disposed + in progress, one agency)": (
                f"/kerja/kotak-masuk/?status=disposed&status=in_progress&agency={agency.pk}"
            ),
            "search, a word": "/kerja/kotak-masuk/?q=drainase",
            "search, a tracking number": f"/kerja/kotak-masuk/?q={closed}",
            "report detail (20 events, 3 attachments)": f"/kerja/laporan/{detail}/",
        }
        for name, path in urls.items():  # each page answers, and its first view is not timed
            status, ms = get(base + path, cookie)
            if status != 200:
                notes.append(f"{name}: the first GET answered {status} after {ms:.0f} ms")

        def wrk(path, headers, **kw):
            print(f"  wrk {path}", flush=True)
            result = common.run_wrk(base + path, args.seconds, args.connections, headers=headers, **kw)
            # wrk leaves up to 16 requests the workers still serve after it stops: wait for
            # them (a hello answered behind them), so the next scenario starts on an idle server.
            get(f"{base}/health/live/", "")
            return result

        results["hello (/health/live/)"] = wrk("/health/live/", close)
        script = submit_script(base, ids)
        before = Report.objects.count()
        submitted = wrk("/lapor/", close, script=script)
        stored = Report.objects.count() - before
        connection.close()
        accepted = submitted["accepted"]
        results["public submit (POST /lapor/)"] = submitted
        notes.append(
            f"public submit: {accepted} answered 302 (accepted), {stored} reports stored"
            f" ({'every accepted report stored' if stored >= accepted else 'ACCEPTED REPORTS MISSING'};"
            f" a request cut by wrk's end may be stored unanswered), {submitted['non_2xx_3xx']} errors"
        )
        for name, path in urls.items():
            results[name] = wrk(path, staff)

        # monev cold: single requests for filters no board is cached for (an agency × channel
        # over 30 days ending on a day drawn at random in the last year).
        rng = random.Random()
        cold = []
        agencies = list(Agency.objects.filter(government=home, short_name__in=["DPUPR", "Dishub"]).order_by("pk"))
        for n, one in enumerate(agencies):
            end = timezone.localdate() - dt.timedelta(days=rng.randint(1, 365))
            start = end - dt.timedelta(days=30)
            path = (
                f"/kerja/monev/?start={start.isoformat()}&end={end.isoformat()}&agency={one.pk}"
                f"&channel={['web', 'whatsapp'][n]}"
            )
            status, ms = get(base + path, cookie)
            cold.append(f"{ms:.0f} ms" if status == 200 else f"failed ({status}) after {ms:.0f} ms")
        notes.append(
            "monev dashboard cold (a filter not yet cached: 30 days, agency × channel), aim < 1 s: " + ", ".join(cold)
        )
        # monev warm: the boards the scheduler keeps warm (dashboard.warm), then the page.
        from monev import dashboard

        started = time.perf_counter()
        dashboard.warm()
        notes.append(
            f"monev: the scheduled warm-up (dashboard.warm) built its boards in {time.perf_counter() - started:.0f} s"
        )
        connection.close()
        results["monev dashboard, warm (the scheduler's boards)"] = wrk("/kerja/monev/", staff)
        results["Open311 requests.json (1,000-row window)"] = wrk("/open311/v2/requests.json", close)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:  # a worker still in a long request
            os.killpg(server.pid, signal.SIGKILL)
            server.wait(timeout=30)

    rate, created, seconds = lapor_import(args.lapor_rows)
    notes.append(
        f"LAPOR! import: {args.lapor_rows} rows (CSV, dry run + apply) in {seconds:.1f} s = {rate:.0f} rows/s,"
        f" {created} reports created (rolled back); aim ≥ 2,000 rows/s {'✓' if rate >= 2000 else '✗'}"
    )
    load_after = common.loadavg()

    hello = results["hello (/health/live/)"]["rps"]
    aims = {
        "hello (/health/live/)": ("—", None),
        "public submit (POST /lapor/)": ("≥ 15% of hello", lambda r, q: q >= 0.15),
        "inbox, first page": ("≥ 10%, p99 < 150 ms", lambda r, q: q >= 0.10 and r["p99"] < 150),
        "inbox, filtered (disposed + in progress, one agency)": (
            "≥ 10%, p99 < 150 ms",
            lambda r, q: q >= 0.10 and r["p99"] < 150,
        ),
        "search, a word": ("≥ 5%, p99 < 300 ms", lambda r, q: q >= 0.05 and r["p99"] < 300),
        "search, a tracking number": ("≥ 5%, p99 < 300 ms", lambda r, q: q >= 0.05 and r["p99"] < 300),
        "report detail (20 events, 3 attachments)": ("≥ 15% of hello", lambda r, q: q >= 0.15),
        "monev dashboard, warm (the scheduler's boards)": ("p50 < 50 ms", lambda r, q: r["p50"] < 50),
        "Open311 requests.json (1,000-row window)": ("< 100 ms (p50)", lambda r, q: r["p50"] < 100),
    }
    lines = [
        f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, {total:,} reports"
        + (f" over {governments} governments ({home_total:,} the coordinator's city's)" if governments > 1 else "")
        + f", PostgreSQL "
        f"{connection.pg_version // 10000}, gunicorn {args.workers} sync workers, CONN_MAX_AGE 60, wrk 2 threads × "
        f"{args.connections} connections × {args.seconds} s, `Connection: close`; {os.cpu_count()} cores shared, "
        f"load average {load_before} before, {load_after} after",
        "",
        "| scenario | req/s | p50 ms | p99 ms | of hello | aim |",
        "|---|---:|---:|---:|---:|---|",
    ]
    for name, result in results.items():
        aim, met = aims[name]
        lines.append(row(name, result, hello, aim, met))
    lines.append("")
    lines += [f"- {note}" for note in notes]
    failed = sum(r["non_2xx_3xx"] + r["socket_errors"] for r in results.values())
    lines.append(f"- answers not 2xx/3xx or failed connections over all scenarios: {failed}")
    text = "\n".join(lines)
    print("\n" + text)
    name = re.sub(r"[^a-z0-9]+", "-", (args.doc or str(total)).lower()).strip("-")
    (common.OUT / f"compare-{name}.md").write_text(text + "\n")
    if args.doc:
        write_doc(args.doc, text)


if __name__ == "__main__":
    main()
