"""Settings read from the environment: the production guard and the database connection."""

import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from django.conf import global_settings, settings
from django.core.exceptions import ImproperlyConfigured
from django.db import connection, connections
from django.test import SimpleTestCase
from dotenv import dotenv_values

from aduan import databases
from aduan.env import OLD_NAMES
from tests.base import AduanTestCase

PROJECT = Path(__file__).resolve().parent.parent
# 50+ characters, more than 5 distinct: what `secrets.token_urlsafe(50)` gives.
REAL_KEY = "pK3v9-QxZr_7LmTw2sYbN8dHfJc4gAeU6oVqRiXy1nBtCkWz5uMp"
EXAMPLE_KEY = "change-me-to-50-random-characters-change-me-to-50-random-characters"
SHOW_SETTINGS = (
    "import django; django.setup(); from django.conf import settings; "
    "print(settings.DEBUG, settings.SESSION_COOKIE_SECURE, settings.ALLOWED_HOSTS)"
)


def start_django(code="import django; django.setup()", **env):
    """Start a fresh interpreter with Aduan's settings and only the given variables set."""
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=PROJECT,
        env=clean_environment(env),
        capture_output=True,
        text=True,
        timeout=60,
    )


def clean_environment(env):
    """This process's environment without any setting, a developer's .env out of reach, plus ``env``."""
    clean = {
        k: v
        for k, v in os.environ.items()
        if k not in _SETTINGS_VARIABLES and k not in OLD_NAMES and not k.startswith("ADUAN_")
    }
    clean.update({"DJANGO_SETTINGS_MODULE": "aduan.settings", "ADUAN_ENV_FILE": os.devnull, **env})
    return clean


def manage(*args, **env):
    """``manage.py`` in a fresh process, as an administrator would run it."""
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=PROJECT,
        env=clean_environment(env),
        capture_output=True,
        text=True,
        timeout=120,
    )


_SETTINGS_VARIABLES = {
    "ADUAN_PRODUCTION",
    "ADUAN_PLAIN_HTTP",
    "ADUAN_ENV_LOADED",
    "DEBUG",
    "SECRET_KEY",
    "SECRET_KEY_FILE",
    "SECRET_KEY_FALLBACKS",
    "ALLOWED_HOSTS",
    "ADUAN_LOG_LEVEL",
    "SECURE_COOKIES",
    "SECURE_SSL_REDIRECT",
    "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "SECURE_HSTS_PRELOAD",
    "DATABASE_URL",
    "ADUAN_DB_POOLER",
    "ADUAN_DB_DIRECT_URL",
    "ADUAN_DB_REPLICA_URL",
    "ADUAN_DB_REPLICA_MAX_LAG_SECONDS",
    "ADUAN_DB_REPLICA_CHECK_SECONDS",
    "ADUAN_DB_REPLICA_CONNECT_TIMEOUT",
    "ADUAN_DB_STICKY_SECONDS",
    "REDIS_URL",
    "ADUAN_TASKS_BACKEND",
    "ADUAN_CACHE_BACKEND",
    "ADUAN_REQUIRE_2FA",
}
# What production needs besides the variable under test; nothing connects to Redis at import.
PRODUCTION = {
    "ADUAN_PRODUCTION": "1",
    "SECRET_KEY": REAL_KEY,
    "ALLOWED_HOSTS": "aduan.example.go.id",
    "REDIS_URL": "redis://127.0.0.1:6379/0",
}
# Production needs a cache every worker shares; the tests of other production rules give it one.
SHARED_CACHE = {"REDIS_URL": "redis://127.0.0.1:6379/0"}
SHOW_CACHE = (
    "import django; django.setup(); from django.conf import settings; print(settings.CACHES['default']['BACKEND'])"
)


@pytest.mark.own_process
class MapTileTests(SimpleTestCase):
    """A real installation shows OpenStreetMap's tiles with their attribution unless told
    otherwise; development and the tests fetch none (the maps draw the kelurahan centres)."""

    SHOW = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(repr(s.ADUAN_MAP_TILE_URL)); print('OpenStreetMap' in s.ADUAN_MAP_ATTRIBUTION)"
    )
    PRODUCTION = {"ADUAN_PRODUCTION": "1", "SECRET_KEY": REAL_KEY, "ALLOWED_HOSTS": "x", **SHARED_CACHE}

    def test_production_defaults_to_openstreetmap_and_may_turn_tiles_off(self):
        production = start_django(self.SHOW, **self.PRODUCTION)
        switched_off = start_django(self.SHOW, ADUAN_MAP_TILE_URL="", **self.PRODUCTION)
        development = start_django(self.SHOW)

        self.assertEqual(
            production.stdout.split("\n")[:2], ["'https://tile.openstreetmap.org/{z}/{x}/{y}.png'", "True"]
        )
        self.assertEqual(switched_off.stdout.split("\n")[0], "''", switched_off.stderr)
        self.assertEqual(development.stdout.split("\n")[0], "''", development.stderr)


@pytest.mark.own_process
class ProductionGuardTests(SimpleTestCase):
    def test_production_refuses_to_start_without_a_secret_key(self):
        result = start_django(ADUAN_PRODUCTION="1", ALLOWED_HOSTS="aduan.example.go.id")

        self.assertNotEqual(result.returncode, 0)
        self.assertIn("ImproperlyConfigured", result.stderr)
        self.assertIn("SECRET_KEY", result.stderr)

    def test_production_refuses_a_short_secret_key(self):
        result = start_django(ADUAN_PRODUCTION="1", SECRET_KEY="too-short", ALLOWED_HOSTS="aduan.example.go.id")

        self.assertNotEqual(result.returncode, 0)
        self.assertIn("SECRET_KEY", result.stderr)

    def test_production_refuses_the_placeholder_key_of_env_example(self):
        self.assertIn(f"SECRET_KEY={EXAMPLE_KEY}\n", (PROJECT / ".env.example").read_text())

        result = start_django(ADUAN_PRODUCTION="1", SECRET_KEY=EXAMPLE_KEY, ALLOWED_HOSTS="aduan.example.go.id")

        self.assertNotEqual(result.returncode, 0)
        self.assertIn("SECRET_KEY", result.stderr)

    def test_production_refuses_keys_that_djangos_deploy_check_calls_weak(self):
        # security.W009: shorter than 50 characters, fewer than 5 distinct ones, or startproject's.
        for weak in (REAL_KEY[:49], "abcd" * 20, "django-insecure-" + REAL_KEY):
            with self.subTest(weak=weak):
                result = start_django(ADUAN_PRODUCTION="1", SECRET_KEY=weak, ALLOWED_HOSTS="aduan.example.go.id")

                self.assertNotEqual(result.returncode, 0)
                self.assertIn("SECRET_KEY", result.stderr)

    def test_production_refuses_a_weak_old_key_among_the_fallbacks(self):
        result = start_django(
            ADUAN_PRODUCTION="1",
            SECRET_KEY=REAL_KEY,
            SECRET_KEY_FALLBACKS=f"{REAL_KEY[::-1]},too-short",
            ALLOWED_HOSTS="aduan.example.go.id",
        )

        self.assertNotEqual(result.returncode, 0)
        self.assertIn("SECRET_KEY_FALLBACKS", result.stderr)

    def test_log_level_is_read_case_insensitively(self):
        result = start_django(
            "import django, logging; django.setup(); print(logging.getLevelName(logging.getLogger().level))",
            ADUAN_LOG_LEVEL="info",
        )

        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual(result.stdout.strip(), "INFO")

    def test_production_refuses_to_start_without_allowed_hosts(self):
        result = start_django(ADUAN_PRODUCTION="1", SECRET_KEY=REAL_KEY)

        self.assertNotEqual(result.returncode, 0)
        self.assertIn("ImproperlyConfigured", result.stderr)
        self.assertIn("ALLOWED_HOSTS", result.stderr)

    def test_production_starts_with_key_and_hosts_and_turns_debug_off(self):
        result = start_django(SHOW_SETTINGS, **PRODUCTION)

        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual(result.stdout.strip(), "False True ['aduan.example.go.id']")

    def test_secret_key_can_come_from_a_file(self):
        key_file = Path(self.enterContext(tempfile.TemporaryDirectory())) / "secret_key"
        key_file.write_text(REAL_KEY + "\n")

        result = start_django(**{**PRODUCTION, "SECRET_KEY": "", "SECRET_KEY_FILE": str(key_file)})

        self.assertEqual(result.returncode, 0, result.stderr)

    def test_production_refuses_a_per_process_memory_cache(self):
        # Each gunicorn worker would keep its own rate-limit counts (25 failed lookups in a
        # row all answered 200 on a probed clone).
        result = start_django(**{**PRODUCTION, "REDIS_URL": ""})

        self.assertNotEqual(result.returncode, 0)
        self.assertIn("ImproperlyConfigured", result.stderr)
        self.assertIn("REDIS_URL", result.stderr)
        self.assertIn("ADUAN_CACHE_BACKEND=database", result.stderr)

    def test_production_refuses_the_memory_cache_even_when_asked_for_by_name(self):
        result = start_django(**{**PRODUCTION, "ADUAN_CACHE_BACKEND": "memory"})

        self.assertNotEqual(result.returncode, 0)
        self.assertIn("ImproperlyConfigured", result.stderr)

    def test_production_starts_with_redis_or_the_database_cache(self):
        redis = start_django(SHOW_CACHE, **PRODUCTION)
        database = start_django(SHOW_CACHE, **{**PRODUCTION, "REDIS_URL": "", "ADUAN_CACHE_BACKEND": "database"})

        self.assertEqual(redis.returncode, 0, redis.stderr)
        self.assertEqual(redis.stdout.strip(), "django.core.cache.backends.redis.RedisCache")
        self.assertEqual(database.returncode, 0, database.stderr)
        self.assertEqual(database.stdout.strip(), "django.core.cache.backends.db.DatabaseCache")

    def test_without_production_flag_it_starts_with_development_defaults(self):
        result = start_django(SHOW_SETTINGS)

        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertTrue(result.stdout.startswith("True False "), result.stdout)


def documented_production_environment(**overrides):
    """The variables of .env.example, read as the scripts read .env, with a real secret key."""
    values = {k: v for k, v in dotenv_values(PROJECT / ".env.example", interpolate=False).items() if v is not None}
    values.update(SECRET_KEY=REAL_KEY, **overrides)
    return values


SHOW_HTTPS = (
    "import django; django.setup(); from django.conf import settings as s; "
    "print(s.SECURE_SSL_REDIRECT, s.SECURE_HSTS_SECONDS, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE)"
)


@pytest.mark.own_process
class HttpsTests(SimpleTestCase):
    def test_check_deploy_passes_with_the_documented_production_settings(self):
        # What bin/run-production runs before gunicorn, with .env.example as the README says.
        result = manage("check", "--deploy", "--fail-level", "WARNING", **documented_production_environment())

        self.assertEqual(result.returncode, 0, result.stdout + result.stderr)
        self.assertIn("System check identified no issues", result.stdout)
        self.assertNotIn("WARNING", result.stdout + result.stderr)

    def test_production_redirects_to_https_and_sends_hsts_behind_the_proxy(self):
        code = (
            "import django; django.setup(); from django.test import Client; c = Client(); "
            "r = c.get('/transparansi/'); print(r.status_code, r['Location']); "
            "r = c.get('/health/live/'); print(r.status_code, r.has_header('Strict-Transport-Security')); "
            "r = c.get('/healthz'); print(r.status_code, r.has_header('Strict-Transport-Security')); "
            "r = c.get('/health/live/', headers={'X-Forwarded-Proto': 'https'}); "
            "print(r.status_code, r['Strict-Transport-Security'])"
        )
        result = start_django(
            code, ADUAN_PRODUCTION="1", SECRET_KEY=REAL_KEY, ALLOWED_HOSTS="testserver", **SHARED_CACHE
        )

        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual(
            result.stdout.splitlines(),
            [
                "301 https://testserver/transparansi/",
                "200 False",  # the load balancer's health check may use plain HTTP
                "200 False",
                "200 max-age=31536000; includeSubDomains",
            ],
        )
        self.assertEqual(
            start_django(
                SHOW_HTTPS, ADUAN_PRODUCTION="1", SECRET_KEY=REAL_KEY, ALLOWED_HOSTS="x", **SHARED_CACHE
            ).stdout.split(),
            ["True", "31536000", "True", "True"],
        )

    def test_plain_http_is_one_switch_and_check_deploy_says_so(self):
        env = {
            "ADUAN_PRODUCTION": "1",
            "ADUAN_PLAIN_HTTP": "1",
            "SECRET_KEY": REAL_KEY,
            "ALLOWED_HOSTS": "x",
            **SHARED_CACHE,
        }

        self.assertEqual(start_django(SHOW_HTTPS, **env).stdout.split(), ["False", "0", "False", "False"])
        result = manage("check", "--deploy", **env)
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertIn("core.W001", result.stderr)
        self.assertIn("ADUAN_PLAIN_HTTP=1", result.stderr)

    def test_a_retired_https_variable_is_named_by_check_deploy(self):
        result = manage("check", "--deploy", **documented_production_environment(SECURE_COOKIES="0"))

        self.assertIn("core.W002", result.stderr)
        self.assertIn("SECURE_COOKIES", result.stderr)


@pytest.mark.own_process
class EnvFileTests(SimpleTestCase):
    """.env is read by python-dotenv, never by a shell: "$" and "$(…)" stay as written."""

    def setUp(self):
        self.folder = Path(self.enterContext(tempfile.TemporaryDirectory()))
        self.markers = [self.folder / f"pwned{i}" for i in range(3)]
        # Verbatim this key is 60+ characters; a shell would cut "$cd" and run the "$(…)".
        self.key = f"ab$cd$(touch {self.markers[0]})efGHijKLmnOPqrSTuvWXyz0123456789"
        self.others = (f"x$y$(touch {self.markers[1]})z", f"q$(touch {self.markers[2]})${{HOME}}`id`")

    def write_env(self, **extra):
        lines = [
            f"SECRET_KEY='{self.key}'",
            f"ADUAN_META_APP_SECRET={self.others[0]}",
            f'ADUAN_SMS_WEBHOOK_SECRET="{self.others[1]}"',
            f"ADUAN_SQLITE_PATH={self.folder / 'db.sqlite3'}",
            *(f"{k}={v}" for k, v in extra.items()),
        ]
        env_file = self.folder / ".env"
        env_file.write_text("\n".join(lines) + "\n")
        return str(env_file)

    def assertNothingRan(self):
        self.assertEqual([m for m in self.markers if m.exists()], [])

    def test_manage_py_reads_values_with_dollars_verbatim_and_runs_nothing(self):
        env_file = self.write_env(ADUAN_PRODUCTION="1", ALLOWED_HOSTS="aduan.example.go.id", **SHARED_CACHE)
        show = (
            "from django.conf import settings as s; "
            "print(s.SECRET_KEY, s.ADUAN_META_APP_SECRET, s.ADUAN_SMS_WEBHOOK_SECRET, sep='\\n')"
        )

        result = manage("shell", "-v", "0", "-c", show, ADUAN_ENV_FILE=env_file)

        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual(result.stdout.splitlines(), [self.key, *self.others])
        self.assertNothingRan()

    def test_variables_already_set_win_over_the_file(self):
        env_file = self.write_env()

        result = manage(
            "shell",
            "-v",
            "0",
            "-c",
            "from django.conf import settings as s; print(s.SECRET_KEY)",
            ADUAN_ENV_FILE=env_file,
            SECRET_KEY="from-the-environment",
        )

        self.assertEqual(result.stdout.strip(), "from-the-environment")

    def test_the_scripts_start_with_such_a_file_and_run_nothing_from_it(self):
        env_file = self.write_env(ADUAN_PRODUCTION="1", SETUP="0", ADUAN_TASKS_BACKEND="neither")

        def run(script, *args):
            return subprocess.run(
                [str(PROJECT / "bin" / script), *args],
                env=clean_environment({"ADUAN_ENV_FILE": env_file}),
                capture_output=True,
                text=True,
                timeout=120,
            )

        # bin/worker reaches its own check of ADUAN_TASKS_BACKEND, read from the file.
        worker = run("worker")
        self.assertEqual(worker.returncode, 2, worker.stderr)
        self.assertIn("ADUAN_TASKS_BACKEND must be", worker.stderr)
        # bin/run-production reaches check --deploy, which stops it: no ALLOWED_HOSTS in the file.
        production = run("run-production")
        self.assertIn("==> Checking the deployment settings", production.stdout)
        self.assertNotEqual(production.returncode, 0)
        self.assertIn("ALLOWED_HOSTS", production.stderr)
        self.assertNotIn("SECRET_KEY", production.stderr)  # the key arrived whole
        # bin/scheduler starts Django with the file's key.
        scheduler = run("scheduler", "--help")
        self.assertIn("ALLOWED_HOSTS", scheduler.stderr)
        self.assertNothingRan()


@pytest.mark.own_process
class OldVariableNameTests(SimpleTestCase):
    """Variables named before the ADUAN_ rule keep working, and `manage.py check` names them."""

    SHOW = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.ADUAN_SITE_URL, s.ADUAN_TASKS_BACKEND, s.ADUAN_LAPOR_IMPORT_MAX_ROWS, "
        "s.ADUAN_META_APP_SECRET, sep='|')"
    )

    def test_an_old_name_still_sets_its_setting(self):
        result = start_django(
            self.SHOW, SITE_URL="https://lama.example.go.id", TASKS_BACKEND="rq", LAPOR_IMPORT_MAX_ROWS="7"
        )

        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual(result.stdout.strip().split("|"), ["https://lama.example.go.id", "rq", "7", ""])

    def test_the_new_name_wins_over_the_old_one(self):
        result = start_django(
            self.SHOW, SITE_URL="https://lama.example.go.id", ADUAN_SITE_URL="https://baru.example.go.id"
        )

        self.assertEqual(result.stdout.split("|")[0], "https://baru.example.go.id")

    def test_an_old_secret_file_name_still_reads_the_file(self):
        with tempfile.NamedTemporaryFile("w", suffix=".secret") as secret:
            secret.write("rahasia-dari-berkas\n")
            secret.flush()
            result = start_django(self.SHOW, ADUAN_META_APP_SECRET_FILE=secret.name)

        self.assertEqual(result.stdout.strip().split("|")[-1], "rahasia-dari-berkas")

    def test_check_names_each_old_name_and_its_new_one(self):
        result = manage("check", SITE_URL="https://lama.example.go.id", NUM_PROXIES="1")

        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual(result.stderr.count("core.W003"), 2, result.stderr)
        self.assertIn("SITE_URL is an old name: rename it to ADUAN_SITE_URL", result.stderr)
        self.assertIn("rename it to ADUAN_NUM_PROXIES", result.stderr)
        self.assertNotIn("core.W003", manage("check", ADUAN_SITE_URL="https://baru.example.go.id").stderr)

    def test_the_scripts_see_an_old_name_under_the_new_one(self):
        worker = subprocess.run(
            [str(PROJECT / "bin" / "worker")],
            env=clean_environment({"TASKS_BACKEND": "neither", "ADUAN_ENV_FILE": os.devnull}),
            capture_output=True,
            text=True,
            timeout=60,
        )

        self.assertEqual(worker.returncode, 2, worker.stderr)
        self.assertIn("ADUAN_TASKS_BACKEND must be", worker.stderr)


class SettingsNameRuleTests(SimpleTestCase):
    """One rule: Aduan's own settings are ADUAN_<NAME>, read from the variable of the same name."""

    # Django's and the libraries' settings, and their usual variables, keep their names.
    NOT_ADUANS = {
        "DEBUG", "SECRET_KEY", "SECRET_KEY_FALLBACKS", "ALLOWED_HOSTS", "CSRF_TRUSTED_ORIGINS",
        "SECURE_HSTS_SECONDS", "SECURE_HSTS_INCLUDE_SUBDOMAINS", "SECURE_HSTS_PRELOAD", "DATABASE_URL",
        "REDIS_URL", "TIME_ZONE", "MEDIA_ROOT", "EMAIL_BACKEND", "EMAIL_HOST", "EMAIL_PORT",
        "EMAIL_HOST_USER", "EMAIL_HOST_PASSWORD", "EMAIL_USE_TLS", "EMAIL_USE_SSL", "DEFAULT_FROM_EMAIL",
        "FORWARDED_ALLOW_IPS",
    }  # fmt: skip

    def test_every_variable_the_settings_read_is_djangos_or_prefixed(self):
        source = (PROJECT / "aduan" / "settings.py").read_text()
        read = set(re.findall(r'env\.\w+\(\s*"([A-Z_0-9]+)"', source))

        self.assertGreater(len(read), 60)
        self.assertEqual({name for name in read if not name.startswith("ADUAN_")} - self.NOT_ADUANS, set())

    def test_a_setting_read_from_an_aduan_variable_has_the_variables_name(self):
        source = (PROJECT / "aduan" / "settings.py").read_text()
        pairs = re.findall(r'^([A-Z_0-9]+) = (?:Path\()?(?:float\()?env\.\w+\("(ADUAN_[A-Z_0-9]+)"', source, re.M)

        # A Django setting may be fed by an Aduan variable in other units (PASSWORD_RESET_TIMEOUT
        # in seconds from ADUAN_PASSWORD_RESET_MINUTES); any other setting has the variable's name.
        own = [(setting, name) for setting, name in pairs if not hasattr(global_settings, setting)]

        self.assertGreater(len(own), 40)
        self.assertEqual([(setting, name) for setting, name in own if setting != name], [])

    def test_code_reads_aduans_own_settings_by_their_aduan_name(self):
        """Settings read with getattr (an optional setting with a default) follow the rule too."""
        files = subprocess.run(["git", "ls-files", "*.py"], cwd=PROJECT, capture_output=True, text=True).stdout
        found = []
        for name in files.split():
            source = (PROJECT / name).read_text(encoding="utf-8")
            for setting in re.findall(r'getattr\(settings, "([A-Z_0-9]+)"', source):
                if not setting.startswith("ADUAN_") and not hasattr(global_settings, setting):
                    found.append(f"{name}: {setting}")

        self.assertGreater(len(files.split()), 300)
        self.assertEqual(found, [])

    def test_a_triage_setting_under_its_old_name_is_still_honoured(self):
        from triage import conf

        with self.settings(TRIAGE_KEYWORD_WEIGHT=0.9):
            self.assertEqual(conf.keyword_weight(), 0.9)
            with self.settings(ADUAN_TRIAGE_KEYWORD_WEIGHT=0.1):
                self.assertEqual(conf.keyword_weight(), 0.1)

    def test_no_code_reads_an_old_setting_name(self):
        from django.conf import settings

        old_settings = [name for name in OLD_NAMES if hasattr(settings, name)]

        self.assertEqual(old_settings, [])


class DatabaseConnectionTests(AduanTestCase):
    def test_sqlite_runs_in_wal_mode_with_a_busy_timeout(self):
        if connection.vendor != "sqlite":
            self.skipTest("SQLite only")
        # The test database lives in memory, where WAL does not apply: open a file database
        # with the very same connection settings instead.
        path = Path(self.enterContext(tempfile.TemporaryDirectory())) / "probe.sqlite3"
        wrapper = type(connections["default"])
        probe = wrapper({**connection.settings_dict, "NAME": str(path)}, alias="probe")
        self.addCleanup(probe.close)

        with probe.cursor() as cursor:
            journal_mode = cursor.execute("PRAGMA journal_mode").fetchone()[0]
            busy_timeout = cursor.execute("PRAGMA busy_timeout").fetchone()[0]

        self.assertEqual(journal_mode, "wal")
        self.assertGreaterEqual(busy_timeout, 5000)

    def test_postgresql_connections_are_persistent_and_health_checked(self):
        if connection.vendor != "postgresql":
            self.skipTest("PostgreSQL only")

        self.assertGreater(connection.settings_dict["CONN_MAX_AGE"], 0)
        self.assertTrue(connection.settings_dict["CONN_HEALTH_CHECKS"])

    @pytest.mark.own_process
    def test_behind_pgbouncer_server_side_cursors_are_off_and_a_wrong_pooler_is_named(self):
        show = "import django; django.setup(); from django.conf import settings as s; "
        show += "print(s.DATABASES['default'].get('DISABLE_SERVER_SIDE_CURSORS', False))"
        url = "postgres://aduan@127.0.0.1:6432/aduan"

        pooled = start_django(show, DATABASE_URL=url, ADUAN_DB_POOLER="pgbouncer")
        direct = start_django(show, DATABASE_URL=url)
        wrong = start_django(show, DATABASE_URL=url, ADUAN_DB_POOLER="pgpool")

        self.assertEqual((pooled.returncode, pooled.stdout.strip()), (0, "True"), pooled.stderr)
        self.assertEqual((direct.returncode, direct.stdout.strip()), (0, "False"), direct.stderr)
        self.assertNotEqual(wrong.returncode, 0)
        self.assertIn("ADUAN_DB_POOLER must be 'pgbouncer' or empty, not 'pgpool'", wrong.stderr)

    def test_this_run_behind_pgbouncer_keeps_no_server_side_cursor(self):
        if connection.vendor != "postgresql" or settings.ADUAN_DB_POOLER != "pgbouncer":
            self.skipTest("PostgreSQL behind PgBouncer only (CI's PostgreSQL run)")

        self.assertTrue(connection.settings_dict["DISABLE_SERVER_SIDE_CURSORS"])

    @pytest.mark.own_process
    def test_a_replica_url_adds_a_replica_database_that_mirrors_the_primary_in_tests(self):
        show = "import django; django.setup(); from django.conf import settings as s; "
        show += "r = s.DATABASES.get('replica'); print(sorted(s.DATABASES)); "
        show += "print(r and (r['HOST'], r['PORT'], r['TEST']['MIRROR'], r['OPTIONS']['connect_timeout']))"
        url = "postgres://aduan@127.0.0.1:5432/aduan"

        without = start_django(show, DATABASE_URL=url)
        replica = start_django(show, DATABASE_URL=url, ADUAN_DB_REPLICA_URL="postgres://aduan@10.0.0.12:5433/aduan")
        on_sqlite = start_django(show, ADUAN_DB_REPLICA_URL="postgres://aduan@10.0.0.12:5433/aduan")

        self.assertEqual(without.stdout.split("\n")[:2], ["['default']", "None"], without.stderr)
        self.assertEqual(
            replica.stdout.split("\n")[:2],
            ["['default', 'replica']", "('10.0.0.12', 5433, 'default', 2)"],
            replica.stderr,
        )
        self.assertNotEqual(on_sqlite.returncode, 0)
        self.assertIn("ADUAN_DB_REPLICA_URL needs DATABASE_URL", on_sqlite.stderr)


class DatabasesModuleTests(SimpleTestCase):
    """aduan/databases.py builds DATABASES from what settings.py read from the environment."""

    def test_behind_pgbouncer_the_primary_and_the_replica_keep_no_server_side_cursor(self):
        found = databases.databases(
            "postgres://a@db:5432/aduan",
            sqlite_path="unused",
            pooler="pgbouncer",
            replica_url="postgres://a@replica:5432/aduan",
            replica_connect_timeout=3,
        )
        self.assertEqual(set(found), {"default", "replica"})
        self.assertTrue(all(alias["DISABLE_SERVER_SIDE_CURSORS"] for alias in found.values()))
        self.assertEqual(found["replica"]["OPTIONS"]["connect_timeout"], 3)
        self.assertEqual(found["replica"]["TEST"], {"MIRROR": "default"})
        self.assertEqual(found["default"]["CONN_MAX_AGE"], 600)

    def test_without_a_url_it_is_sqlite_and_refuses_a_replica_or_an_unknown_pooler(self):
        self.assertEqual(databases.databases("", sqlite_path="/tmp/x.db")["default"]["NAME"], "/tmp/x.db")
        with self.assertRaisesMessage(ImproperlyConfigured, "needs DATABASE_URL"):
            databases.databases("", sqlite_path="x", replica_url="postgres://a@replica/aduan")
        with self.assertRaisesMessage(ImproperlyConfigured, "must be 'pgbouncer' or empty"):
            databases.databases("postgres://a@db/aduan", sqlite_path="x", pooler="pgpool")

    def test_the_settings_take_their_databases_from_it(self):
        source = (PROJECT / "aduan" / "settings.py").read_text()
        self.assertIn("DATABASES = databases.databases(", source)
        self.assertNotIn("dj_database_url", source)


class EnvExampleTests(SimpleTestCase):
    def test_env_example_lists_every_variable_the_settings_and_gunicorn_read(self):
        settings_source = "\n".join(path.read_text() for path in sorted((PROJECT / "aduan").glob("settings*.py")))
        read = set(re.findall(r'env\.\w+\(\s*"([A-Z_]+)"', settings_source))
        read |= {f"{name}_FILE" for name in re.findall(r'env\.secret\(\s*"([A-Z_]+)"', settings_source)}
        read |= set(re.findall(r'os\.environ\.get\(\s*"([A-Z_]+)"', (PROJECT / "gunicorn.conf.py").read_text()))
        listed = set(re.findall(r"^#? ?([A-Z_]+)=", (PROJECT / ".env.example").read_text(), re.MULTILINE))

        self.assertGreater(len(read), 20)
        self.assertEqual(read - listed, set())
