"""Settings read from the environment: the production guard and the database connection."""

import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

from django.db import connection, connections
from django.test import SimpleTestCase

from tests.base import AduanTestCase

PROJECT = Path(__file__).resolve().parent.parent
REAL_KEY = "k" * 50
SHOW_SETTINGS = (
    "import django; django.setup(); from django.conf import settings; "
    "print(settings.DEBUG, settings.SESSION_COOKIE_SECURE, settings.ALLOWED_HOSTS)"
)


def start_django(code="import django; django.setup()", **env):
    """Start a fresh interpreter with Aduan's settings and only the given variables set."""
    clean = {k: v for k, v in os.environ.items() if k not in _SETTINGS_VARIABLES}
    clean.update(DJANGO_SETTINGS_MODULE="aduan.settings", **env)
    return subprocess.run(
        [sys.executable, "-c", code], cwd=PROJECT, env=clean, capture_output=True, text=True, timeout=60
    )


_SETTINGS_VARIABLES = {
    "ADUAN_PRODUCTION",
    "DEBUG",
    "SECRET_KEY",
    "SECRET_KEY_FILE",
    "ALLOWED_HOSTS",
    "SECURE_COOKIES",
    "REDIS_URL",
    "CACHE_BACKEND",
    "REQUIRE_2FA",
}
# What production needs besides the variable under test; nothing connects to Redis at import.
PRODUCTION = {
    "ADUAN_PRODUCTION": "1",
    "SECRET_KEY": REAL_KEY,
    "ALLOWED_HOSTS": "aduan.example.go.id",
    "REDIS_URL": "redis://127.0.0.1:6379/0",
}
SHOW_CACHE = (
    "import django; django.setup(); from django.conf import settings; print(settings.CACHES['default']['BACKEND'])"
)


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
        self.assertIn("CACHE_BACKEND=database", result.stderr)

    def test_production_refuses_the_memory_cache_even_when_asked_for_by_name(self):
        result = start_django(**{**PRODUCTION, "CACHE_BACKEND": "memory"})

        self.assertNotEqual(result.returncode, 0)
        self.assertIn("ImproperlyConfigured", result.stderr)

    def test_production_starts_with_redis_or_the_database_cache(self):
        redis = start_django(SHOW_CACHE, **PRODUCTION)
        database = start_django(SHOW_CACHE, **{**PRODUCTION, "REDIS_URL": "", "CACHE_BACKEND": "database"})

        self.assertEqual(redis.returncode, 0, redis.stderr)
        self.assertEqual(redis.stdout.strip(), "django.core.cache.backends.redis.RedisCache")
        self.assertEqual(database.returncode, 0, database.stderr)
        self.assertEqual(database.stdout.strip(), "django.core.cache.backends.db.DatabaseCache")

    def test_without_production_flag_it_starts_with_development_defaults(self):
        result = start_django(SHOW_SETTINGS)

        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertTrue(result.stdout.startswith("True False "), result.stdout)


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


class EnvExampleTests(SimpleTestCase):
    def test_env_example_lists_every_variable_the_settings_and_gunicorn_read(self):
        settings_source = (PROJECT / "aduan" / "settings.py").read_text()
        read = set(re.findall(r'env\.\w+\(\s*"([A-Z_]+)"', settings_source))
        read |= {f"{name}_FILE" for name in re.findall(r'env\.secret\(\s*"([A-Z_]+)"', settings_source)}
        read |= set(re.findall(r'os\.environ\.get\(\s*"([A-Z_]+)"', (PROJECT / "gunicorn.conf.py").read_text()))
        listed = set(re.findall(r"^#? ?([A-Z_]+)=", (PROJECT / ".env.example").read_text(), re.MULTILINE))

        self.assertGreater(len(read), 20)
        self.assertEqual(read - listed, set())
