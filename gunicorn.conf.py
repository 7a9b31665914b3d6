"""gunicorn settings for production, read from environment variables (see .env.example).

.venv/bin/gunicorn -c gunicorn.conf.py        (bin/run-production does this)
"""

import multiprocessing
import os

from aduan import envfile

# PORT, BIND, WEB_CONCURRENCY, … may come from .env (read without a shell; set variables win).
envfile.load()

wsgi_app = "aduan.wsgi:application"

# BIND wins (e.g. "unix:/run/aduan/gunicorn.sock" or "127.0.0.1:8000"); else all interfaces on PORT.
bind = [os.environ.get("BIND") or f"0.0.0.0:{os.environ.get('PORT', '8000')}"]

# The app is synchronous and stateless: scale with processes, the usual 2 × cores + 1.
workers = int(os.environ.get("WEB_CONCURRENCY") or multiprocessing.cpu_count() * 2 + 1)
threads = int(os.environ.get("GUNICORN_THREADS") or 1)
# Uploads of 5 × 10 MB over a slow phone connection need longer than gunicorn's 30 s default.
timeout = int(os.environ.get("GUNICORN_TIMEOUT") or 60)
graceful_timeout = 30
keepalive = 5
# SO_REUSEPORT: a master started while the workers of a master killed with -9 still hold
# the port binds anyway and serves (the orphans notice their parent is gone and exit); the
# systemd unit in deploy/systemd/ kills such orphans with the unit in the first place.
reuse_port = True
# Recycle workers now and then so a slow leak never takes a server down.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS") or 2000)
max_requests_jitter = max_requests // 10

# Trust X-Forwarded-* only from the load balancer in front (a comma-separated list of IPs).
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")

# Logs to stdout/stderr for the process manager. The access log is one JSON-like object per
# line next to Django's JSON logs (values are not escaped, so a quote in a user agent can
# break a line: parse leniently).
accesslog = "-"
errorlog = "-"
loglevel = os.environ.get("ADUAN_LOG_LEVEL", "info").lower()
access_log_format = (
    '{"time": "%(t)s", "logger": "gunicorn.access", "remote": "%(h)s", "method": "%(m)s", '
    '"path": "%(U)s", "query": "%(q)s", "status": %(s)s, "bytes": "%(b)s", "duration_ms": %(M)s, '
    '"referer": "%(f)s", "agent": "%(a)s"}'
)

# Prometheus (/metrics, aduan/metrics.py): each worker writes its request counters to files in
# PROMETHEUS_MULTIPROC_DIR and the worker answering a scrape adds them all up. The folder is
# emptied when the server starts (stale files would add old counts), one of our own under
# /tmp when the variable is not set; a worker that exits hands back its live gauges.
_metrics_dir_is_ours = not os.environ.get("PROMETHEUS_MULTIPROC_DIR")


def on_starting(server):
    import tempfile
    from pathlib import Path

    folder = Path(os.environ.get("PROMETHEUS_MULTIPROC_DIR") or tempfile.mkdtemp(prefix="aduan-metrics-"))
    folder.mkdir(parents=True, exist_ok=True)
    for stale in folder.glob("*.db"):  # only prometheus_client's own files
        stale.unlink()
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = str(folder)


def child_exit(server, worker):
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(worker.pid)


def on_exit(server):
    if _metrics_dir_is_ours:
        import shutil

        shutil.rmtree(os.environ.get("PROMETHEUS_MULTIPROC_DIR", ""), ignore_errors=True)
