"""What the bench scripts share: the Django preamble, the load average, the HTTP helpers
for a bench run against gunicorn (wrk, a login cookie, waiting for the server).

A script starts with::

    sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    from bench import common

    common.setup()   # django.setup() with the bench's quiet defaults
"""

import contextlib
import os
import re
import shutil
import signal
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from http.cookiejar import CookieJar
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
PY = str(ROOT / ".venv" / "bin" / "python")
# Where the bench databases' files live (the detail scenario's attachments), for every process.
MEDIA = OUT / "media"


def setup(**env):
    """django.setup() for a bench script run from anywhere, with ``env`` as defaults."""
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    defaults = {"DJANGO_SETTINGS_MODULE": "aduan.settings", "ADUAN_LOG_LEVEL": "WARNING", "MEDIA_ROOT": str(MEDIA)}
    for name, value in {**defaults, **env}.items():
        os.environ.setdefault(name, value)
    OUT.mkdir(parents=True, exist_ok=True)
    import django

    django.setup()


def fresh_sqlite(name, env=None):
    """Unless ``env`` (os.environ by default) names a DATABASE_URL: a new, empty SQLite file
    bench/out/<name>.sqlite3 (an earlier run's, with its -wal and -shm, removed) as its
    ADUAN_SQLITE_PATH."""
    env = os.environ if env is None else env
    OUT.mkdir(parents=True, exist_ok=True)
    if env.get("DATABASE_URL"):
        return
    database = OUT / f"{name}.sqlite3"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{database}{suffix}").unlink(missing_ok=True)
    env["ADUAN_SQLITE_PATH"] = str(database)


def demo_database(name, env):
    """For servers run with ``env``: fresh_sqlite(name, env), migrated, with the demo city's
    staff and lists (no reports); answers the database engine's name for the printout."""
    fresh_sqlite(name, env)
    sh(PY, "manage.py", "migrate", "-v0", env=env)
    sh(PY, "manage.py", "load_demo", "--reports", "0", env=env, stdout=subprocess.DEVNULL)
    return "PostgreSQL" if env.get("DATABASE_URL") else "SQLite (WAL)"


def migrated(name):
    """For a script that measures in its own process (its own environment set first):
    fresh_sqlite(name), the log at WARNING, django.setup() and every migration applied."""
    fresh_sqlite(name)
    os.environ["ADUAN_LOG_LEVEL"] = "WARNING"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "aduan.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, skip_checks=True)


@contextlib.contextmanager
def gunicorn(port, workers, env):
    """gunicorn serving aduan.wsgi on 127.0.0.1:``port`` (``workers`` sync workers, no access
    log) with ``env``, for the block; answers its base URL once /health/live/ answers. Its
    whole process group is stopped when the block ends."""
    server = subprocess.Popen(
        [
            str(ROOT / ".venv" / "bin" / "gunicorn"),
            "aduan.wsgi",
            "-b",
            f"127.0.0.1:{port}",
            "-w",
            str(workers),
            "--access-logfile",
            "/dev/null",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
        start_new_session=True,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        wait_for(f"{base}/health/live/")
        yield base
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=20)


def loadavg():
    with open("/proc/loadavg") as f:
        return " ".join(f.read().split()[:3])


def sh(*args, env=None, **kw):
    return subprocess.run(args, cwd=ROOT, env=env, check=True, **kw)


def ensure_wrk():
    if shutil.which("wrk"):
        return
    if os.geteuid() == 0 and shutil.which("apt-get"):
        # Not check=True: a failed install (no package list, no network) ends in the
        # message below rather than in a traceback.
        subprocess.run(["apt-get", "install", "-y", "-qq", "wrk"], stdout=subprocess.DEVNULL, check=False)
    if not shutil.which("wrk"):
        sys.exit("wrk is needed and could not be installed: apt-get install wrk (as root)")


def wait_for(url, seconds=30):
    deadline = time.time() + seconds
    while time.time() < deadline:
        try:
            urllib.request.urlopen(url, timeout=2)
            return
        except Exception:
            time.sleep(0.3)
    sys.exit(f"server did not answer at {url}")


def csrf_form(base, path):
    """The CSRF cookie and the form's token of ``path`` (a GET through a cookie jar)."""
    jar = CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    page = opener.open(f"{base}{path}").read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    return jar, opener, token


def login_cookie(base, username, password):
    jar, opener, token = csrf_form(base, "/kerja/masuk/")
    data = urllib.parse.urlencode({"username": username, "password": password, "csrfmiddlewaretoken": token})
    opener.open(urllib.request.Request(f"{base}/kerja/masuk/", data=data.encode(), headers={"Referer": base + "/"}))
    return "; ".join(f"{c.name}={c.value}" for c in jar)


def django_eval(code, env):
    """Run ``code`` in the project's Django shell against the benchmark database."""
    return subprocess.run(
        [PY, "manage.py", "shell", "-v0", "-c", code], cwd=ROOT, env=env, check=True, capture_output=True, text=True
    ).stdout


def _ms(text):
    """wrk's latency ("812.00us", "1.20ms", "2.31s") in milliseconds."""
    value, unit = re.fullmatch(r"([\d.]+)(\w+)", text).groups()
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}[unit]


def run_wrk(url, seconds, connections, script=None, headers=(), threads=2):
    """wrk's closed loop against ``url``: req/s, p50/p90/p99 in ms, answers not 2xx/3xx,
    and socket errors."""
    args = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--latency", "--timeout", "30s"]
    for header in headers:
        args += ["-H", header]
    if script:
        args += ["-s", str(script)]
    out = subprocess.run([*args, url], capture_output=True, text=True, check=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    pct = dict(re.findall(r"\s+(50|90|99)%\s+([\d.]+\w+)", out))
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    sockets = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    return {
        "rps": rps,
        "requests": int(re.search(r"(\d+) requests in", out).group(1)),
        "p50": _ms(pct["50"]) if "50" in pct else None,
        "p90": _ms(pct["90"]) if "90" in pct else None,
        "p99": _ms(pct["99"]) if "99" in pct else None,
        "non_2xx_3xx": int(errors.group(1)) if errors else 0,
        # With "Connection: close" wrk counts each closed connection as a read error: only
        # connect errors and timeouts are failures.
        "socket_errors": int(sockets.group(1)) + int(sockets.group(4)) if sockets else 0,
        # What a script's done() writes as name=number (the submit script's "accepted").
        **{name: int(value) for name, value in re.findall(r"^(\w+)=(\d+)$", out, flags=re.M)},
    }


# SQL fills (bench/fill.py, bench/monev_dashboard.py): INSERT … SELECT of every column.


def _literal(field):
    """SQL for a column the generator does not set: its default, '' or NULL."""
    from django.db import models

    if field.has_default() and not callable(field.default):
        value = field.default
        if isinstance(value, bool):
            return "TRUE" if value else "FALSE"
        if isinstance(value, (int, float)):
            return str(value)
        return "'" + str(value).replace("'", "''") + "'"
    if field.null:
        return "NULL"
    if isinstance(field, models.JSONField):
        return "'{}'::jsonb" if not callable(field.default) or field.default is dict else "'[]'::jsonb"
    if isinstance(field, (models.CharField, models.TextField)):
        return "''"
    if isinstance(field, models.BooleanField):
        return "FALSE"
    if isinstance(field, (models.IntegerField, models.FloatField, models.DecimalField)):
        return "0"
    if isinstance(field, models.DateTimeField):
        return "now()"
    raise ValueError(f"bench cannot fill {field.model.__name__}.{field.name}")


def insert(model, expressions, source):
    """INSERT INTO model's table every concrete column, from ``expressions`` (column →
    SQL) or a default, selecting from ``source``; the number of rows."""
    from django.db import connection

    columns, values = [], []
    with connection.cursor() as cursor:
        existing = {c.name for c in connection.introspection.get_table_description(cursor, model._meta.db_table)}
    for field in model._meta.concrete_fields:
        if field.primary_key and field.column not in expressions:
            continue  # the sequence numbers it
        if field.column not in existing:
            continue  # a field whose migration is not applied here yet
        columns.append(f'"{field.column}"')
        values.append(expressions.get(field.column) or _literal(field))
    sql = f"INSERT INTO {model._meta.db_table} ({', '.join(columns)}) SELECT {', '.join(values)} {source}"
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return cursor.rowcount
