"""Webhook benchmark: how fast the WhatsApp and SMS webhooks acknowledge messages under
concurrent load (the heavy work runs later in tasks; target p95 under 50 ms), and whether
every message was stored, and queued, exactly once. Prints its numbers; asserts nothing
but says when a count is off.

Usage: .venv/bin/python bench/webhooks.py [--seconds 10] [--connections 8] [--workers 4]
Uses a fresh SQLite file in bench/out/ unless DATABASE_URL is set (then that database is
migrated and filled: give it an empty one). Needs `wrk` (installed when missing and running
as root). No task worker runs during the measurement: the queue only grows.

Every request carries a message id of its own: the bodies are made (and WhatsApp's signed
with X-Hub-Signature-256, as Meta does) beforehand, one per line of a file that a wrk Lua
script walks through, each wrk thread in its own slice, so signing costs the client nothing.
SMS replies go to a local fake gateway.
"""

import argparse
import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import common  # noqa: E402

common.setup()  # intake.meta imports reports' models: Django first

from bench.common import OUT, PY, demo_database, ensure_wrk, gunicorn  # noqa: E402
from intake.meta import sign  # noqa: E402
from tests.fakes.server import FakeServer  # noqa: E402

APP_SECRET = "bench-meta-app-secret"
SMS_SECRET = "bench-sms-secret"
WRK_THREADS = 2

LUA = r"""
-- Walk through pre-made requests, one line each: <header value>\t<body>. Thread n of N
-- takes lines n, n+N, n+2N, ... so no two requests share a message id.
local threads = {}
local counter = 0

function setup(thread)
  thread:set("id", counter)
  counter = counter + 1
  table.insert(threads, thread)
end

function init(args)
  lines = {}
  local i = 0
  for line in io.lines("%(file)s") do
    if i %% %(threads)d == id then table.insert(lines, line) end
    i = i + 1
  end
  sent = 0
  wrk.method = "POST"
  wrk.headers["Content-Type"] = "application/json"
end

function request()
  sent = sent + 1
  local line = lines[sent]
  if line == nil then
    sent = sent - 1
    error("out of pre-made requests: raise --requests")
  end
  local tab = line:find("\t", 1, true)
  wrk.headers["%(header)s"] = line:sub(1, tab - 1)
  return wrk.format(nil, "%(path)s", nil, line:sub(tab + 1))
end

function done(summary, latency, requests)
  local sent_total = 0
  for _, thread in ipairs(threads) do sent_total = sent_total + thread:get("sent") end
  io.write(string.format("RESULT requests=%%d sent=%%d non2xx=%%d errors=%%d p50=%%d p95=%%d p99=%%d max=%%d\n",
    summary.requests, sent_total, summary.errors.status,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    latency:percentile(50), latency:percentile(95), latency:percentile(99), latency.max))
end
"""


def whatsapp_lines(count):
    for i in range(count):
        sender = f"62812{i % 100000:07d}"
        body = json.dumps(
            {
                "object": "whatsapp_business_account",
                "entry": [
                    {
                        "id": "102290129340398",
                        "changes": [
                            {
                                "field": "messages",
                                "value": {
                                    "messaging_product": "whatsapp",
                                    "metadata": {"display_phone_number": "15550783881", "phone_number_id": "1"},
                                    "contacts": [{"profile": {"name": "Warga Uji"}, "wa_id": sender}],
                                    "messages": [
                                        {
                                            "from": sender,
                                            "timestamp": str(int(time.time())),
                                            "id": f"wamid.bench{i:09d}",
                                            "type": "text",
                                            "text": {"body": "Lampu jalan di depan pasar mati sejak kemarin."},
                                        }
                                    ],
                                },
                            }
                        ],
                    }
                ],
            },
            separators=(",", ":"),
        )
        yield sign(body.encode(), APP_SECRET), body


def sms_lines(count):
    for i in range(count):
        body = json.dumps(
            {
                "id": f"bench-sms-{i:09d}",
                "from": f"0813{i % 100000:08d}",
                "text": f"LAPOR Uji beban {i}: jalan berlubang di Jl. Merdeka depan pasar, mohon segera diperbaiki.",
            },
            separators=(",", ":"),
        )
        yield SMS_SECRET, body


def write_script(name, lines, path, header):
    data = OUT / f"{name}.requests"
    with data.open("w") as out:
        for value, body in lines:
            out.write(f"{value}\t{body}\n")
    script = OUT / f"{name}.lua"
    script.write_text(LUA % {"file": data, "threads": WRK_THREADS, "path": path, "header": header})
    return script


def run_wrk(base, script, seconds, connections):
    args = ["wrk", f"-t{WRK_THREADS}", f"-c{connections}", f"-d{seconds}s", "-s", str(script), base]
    out = subprocess.run(args, capture_output=True, text=True, check=True)
    found = re.search(r"RESULT (.*)", out.stdout)
    if not found:
        sys.exit(f"wrk printed no result:\n{out.stdout}\n{out.stderr}")
    result = {key: int(value) for key, value in re.findall(r"(\w+)=(-?\d+)", found.group(1))}
    result["rps"] = float(re.search(r"Requests/sec:\s+([\d.]+)", out.stdout).group(1))
    return result


def counts(channel, task_path, env):
    code = (
        "import json; from intake.models import InboundMessage as M; from reports.models import Report as R; "
        "from django_tasks_db.models import DBTaskResult as T; "
        f"m = M.objects.filter(channel={channel!r}); "
        "print(json.dumps({"
        "'stored': m.count(), 'distinct': m.values('provider_id').distinct().count(), "
        "'pending': m.filter(outcome='pending').count(), "
        f"'tasks': T.objects.filter(task_path={task_path!r}).count(), "
        f"'reports': R.objects.filter(channel={channel!r}).count()}}))"
    )
    out = subprocess.run([PY, "manage.py", "shell", "-c", code], cwd=ROOT, env=env, check=True, capture_output=True)
    return json.loads(out.stdout.decode().strip().splitlines()[-1])


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--requests", type=int, default=30000, help="pre-made requests per webhook")
    parser.add_argument("--port", type=int, default=8766)
    args = parser.parse_args()
    ensure_wrk()
    OUT.mkdir(parents=True, exist_ok=True)
    env = {
        **os.environ,
        "ADUAN_LOG_LEVEL": "WARNING",
        "DEBUG": "0",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "ADUAN_TASKS_BACKEND": "database",
        "ADUAN_META_APP_SECRET": APP_SECRET,
        "ADUAN_SMS_WEBHOOK_SECRET": SMS_SECRET,
        "ADUAN_SMS_GATEWAY_TOKEN": "bench",
    }
    engine = demo_database("webhooks", env)

    scripts = {
        "whatsapp": write_script(
            "whatsapp", whatsapp_lines(args.requests), "/webhooks/whatsapp/", "X-Hub-Signature-256"
        ),
        "sms": write_script("sms", sms_lines(args.requests), "/webhooks/sms/", "X-Aduan-Secret"),
    }
    tasks = {"whatsapp": "intake.tasks.process_whatsapp_message", "sms": "intake.tasks.process_sms_message"}
    results = {}
    with FakeServer(respond=lambda r: (200, {}, {"id": "bench"})) as gateway:
        env["ADUAN_SMS_GATEWAY_URL"] = gateway.url
        with gunicorn(args.port, args.workers, env) as base:
            for name, script in scripts.items():
                results[name] = run_wrk(base, script, args.seconds, args.connections)
            sms_replies = len(gateway.requests)

    print(
        f"\nAduan webhook benchmark — {engine}, gunicorn {args.workers} sync workers, "
        f"wrk {WRK_THREADS} threads × {args.connections} connections × {args.seconds} s, {os.cpu_count()} cores, "
        "no task worker running"
    )
    columns = ("req/s", "p50 ms", "p95 ms", "p99 ms", "max ms", "non-2xx")
    print(f"{'webhook':10} " + " ".join(f"{c:>8}" for c in columns) + f" {'errors':>7}")
    for name, r in results.items():
        print(
            f"{name:10} {r['rps']:8.1f} {r['p50'] / 1000:8.1f} {r['p95'] / 1000:8.1f} {r['p99'] / 1000:8.1f} "
            f"{r['max'] / 1000:8.1f} {r['non2xx']:8d} {r['errors']:7d}"
        )
    print()
    for name, r in results.items():
        c = counts(name, tasks[name], env)
        # A request still in flight when wrk stopped may have been stored without its answer
        # being counted: stored lies between the answered and the sent requests.
        once = c["stored"] == c["distinct"] and r["requests"] - r["non2xx"] <= c["stored"] <= r["sent"]
        queued = c["tasks"] == c["stored"] or (c["tasks"] == 0 and c["pending"] == 0)
        print(
            f"{name:10} sent {r['sent']}, answered {r['requests']}, stored {c['stored']} "
            f"({c['distinct']} distinct ids), tasks queued {c['tasks']}, still pending {c['pending']}, "
            f"reports {c['reports']} -> {'stored exactly once' if once else 'COUNT MISMATCH'}"
            f"{'' if queued else ', TASK COUNT MISMATCH'}; p95 {'within' if r['p95'] < 50000 else 'ABOVE'} 50 ms"
        )
    print(f"SMS replies received by the fake gateway during the run: {sms_replies}")


if __name__ == "__main__":
    main()
