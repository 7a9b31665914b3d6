"""Load benchmark: public submissions per second and the coordinator inbox's latency under
gunicorn, next to a trivial view on the same server. Prints its numbers; asserts nothing.

Usage: .venv/bin/python bench/load.py [--reports 5000] [--seconds 15] [--connections 8]
Uses a fresh SQLite file in bench/out/ unless DATABASE_URL is set (then that database is
migrated and filled: give it an empty one). Needs `wrk` (apt-get install wrk; installed
here when missing and running as root).
"""

import argparse
import json
import os
import re
import sys
import urllib.parse
import urllib.request
from http.cookiejar import CookieJar
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.common import (  # noqa: E402
    OUT,
    PY,
    demo_database,
    django_eval,
    ensure_wrk,
    gunicorn,
    login_cookie,
    run_wrk,
    sh,
)


def submission_script(base, env):
    """A wrk Lua script POSTing the public form (CSRF cookie and token taken from the page)."""
    jar = CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    page = opener.open(f"{base}/lapor/").read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    ids = json.loads(
        django_eval(
            "from reports.models import Category; from agencies.models import Region; import json; "
            "from governments.models import home_government; g = home_government(); "
            "c = Category.objects.filter(parent__isnull=False, government=g).first(); "
            "r = Region.objects.filter(level='kelurahan', government=g).first(); "
            "print(json.dumps([c.parent_id, c.pk, r.parent_id, r.pk]))",
            env,
        )
    )
    body = urllib.parse.urlencode(
        {
            "csrfmiddlewaretoken": token,
            "kind": "complaint",
            "description": "Uji beban: lampu jalan mati di depan pasar.",
            "parent": ids[0],
            "category": ids[1],
            "kecamatan": ids[2],
            "region": ids[3],
            "address": "Jl. Merdeka 1",
            "reporter_name": "Uji",
            "reporter_phone": "081200000000",
            "reply_channel": "none",
        }
    )
    cookie = "; ".join(f"{c.name}={c.value}" for c in jar)
    script = OUT / "submit.lua"
    script.write_text(
        'wrk.method = "POST"\n'
        f'wrk.body = "{body}"\n'
        'wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"\n'
        f'wrk.headers["Cookie"] = "{cookie}"\n'
        f'wrk.headers["Referer"] = "{base}/lapor/"\n'
        "done = function(summary, latency, requests)\n"
        '  io.write(string.format("non2xx3xx=%d\\n", summary.errors.status))\n'
        "end\n"
    )
    return script


def count_reports(env):
    return int(django_eval("from reports.models import Report; print(Report.objects.count())", env))


def check_inbox(base, cookie):
    """The cookie must really open the inbox (not a redirect to the login page)."""
    request = urllib.request.Request(f"{base}/kerja/kotak-masuk/", headers={"Cookie": cookie})
    response = urllib.request.urlopen(request)
    if "/kerja/masuk/" in response.url or response.status != 200:
        sys.exit("could not log in as the coordinator")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--reports", type=int, default=5000)
    parser.add_argument("--seconds", type=int, default=15)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--port", type=int, default=8765)
    args = parser.parse_args()
    ensure_wrk()
    OUT.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "ADUAN_LOG_LEVEL": "WARNING", "DEBUG": "0", "ALLOWED_HOSTS": "127.0.0.1,localhost"}
    # Every connection comes from 127.0.0.1: lift the per-address limit of the public form,
    # so the bench measures the server rather than the limit (core/throttle.py).
    env["ADUAN_PORTAL_RATE_SUBMIT"] = "1000000/hour"
    engine = demo_database("bench", env)
    sh(PY, "bench/seed.py", str(args.reports), env=env)
    sh(PY, "manage.py", "collectstatic", "--noinput", "-v0", env=env)

    with gunicorn(args.port, args.workers, env) as base:
        cookie = login_cookie(base, "koordinator", "demo12345")
        check_inbox(base, cookie)
        script = submission_script(base, env)
        results = {
            "trivial view (GET /health/live/)": run_wrk(f"{base}/health/live/", args.seconds, args.connections),
            "coordinator inbox (GET /kerja/kotak-masuk/)": run_wrk(
                f"{base}/kerja/kotak-masuk/", args.seconds, args.connections, headers=[f"Cookie: {cookie}"]
            ),
        }
        before = count_reports(env)
        submissions = run_wrk(f"{base}/lapor/", args.seconds, args.connections, script=script)
        stored = count_reports(env) - before
        # A form error would answer 200 and look like success to wrk: count what was stored.
        submissions["stored"] = stored
        submissions["rps_stored"] = stored / args.seconds
        results["public submission (POST /lapor/)"] = submissions
    print(
        f"\nAduan load benchmark — {engine}, {args.reports} reports seeded, gunicorn {args.workers} workers, "
        f"wrk 2 threads × {args.connections} connections × {args.seconds} s, {os.cpu_count()} cores"
    )
    print(f"{'endpoint':48} {'req/s':>9} {'p50 ms':>9} {'p90 ms':>9} {'p99 ms':>9} {'errors':>7}")
    for name, r in results.items():
        print(f"{name:48} {r['rps']:9.1f} {r['p50']:9.1f} {r['p90']:9.1f} {r['p99']:9.1f} {r['non_2xx_3xx']:7d}")
    sub = results["public submission (POST /lapor/)"]
    print(f"submissions stored: {sub['stored']} ({sub['rps_stored']:.1f} per second, tracking numbers gapless)")


if __name__ == "__main__":
    main()
