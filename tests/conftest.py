import datetime as dt
import os
from pathlib import Path
from types import SimpleNamespace

import pytest

# ADUAN_TEST_CLOCK=2027-12-06 (or a full ISO datetime) runs the whole session on a moved clock,
# ticking from that moment, so a test that only passes on the day it was written fails now
# instead of next year. A bare date keeps the real time of day. CI runs the suite on the first
# 29 February at least a year ahead (.ci/run).
_session_clock = None


def _clock_from_environment():
    value = os.environ.get("ADUAN_TEST_CLOCK", "").strip()
    if not value:
        return None
    try:
        moment = dt.datetime.fromisoformat(value)
    except ValueError as error:
        raise pytest.UsageError(f"ADUAN_TEST_CLOCK={value!r} is not an ISO date or datetime") from error
    if len(value) == 10:  # a bare date: that day, at the real time of day
        moment = dt.datetime.combine(moment.date(), dt.datetime.now().time())
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.datetime.now().astimezone().tzinfo)
    return moment


def pytest_configure(config):
    global _session_clock
    moment = _clock_from_environment()
    if moment is not None:
        import time_machine

        _session_clock = time_machine.travel(moment, tick=True)
        _session_clock.start()


def pytest_unconfigure(config):
    if _session_clock is not None:
        _session_clock.stop()


def pytest_report_header(config):
    if _session_clock is not None:
        return f"clock moved: the session starts at {dt.datetime.now().astimezone().isoformat()}"
    return None


@pytest.fixture(scope="session", autouse=True)
def _cheap_password_hasher():
    """The cheap hasher for the whole session, before any class's setUpTestData runs (a
    function-scoped setting comes too late for it): Django's default hasher takes about a
    quarter of a second per password, and every test class makes eight staff accounts."""
    from django.test import override_settings

    cheap = override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"])
    cheap.enable()
    yield
    cheap.disable()


@pytest.fixture(scope="session", autouse=True)
def _monev_rollup_inline():
    """The monev rollup refreshed inside each event's transaction, for the whole session
    (setUpTestData's events too): a TestCase's transaction never commits, so the task that
    production enqueues on commit would never run. tests/test_monev_rollup_queue.py turns
    it off to test the queue itself."""
    from django.test import override_settings

    inline = override_settings(ADUAN_MONEV_ROLLUP_INLINE=True)
    inline.enable()
    yield
    inline.disable()


@pytest.fixture(autouse=True)
def _fast_and_isolated(settings, tmp_path):
    """A cheap password hasher, a throw-away media folder, and two-factor authentication
    not required (tests log staff in with force_login; the 2FA tests turn it on)."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.ADUAN_REQUIRE_2FA = False
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(autouse=True)
def _empty_cache(settings, request):
    """An empty cache of its own for every test: rate-limit counters and cached figures
    from one test must not reach the next, and a developer's Redis is never touched."""
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": request.node.nodeid}
    }


@pytest.fixture(autouse=True)
def _fresh_calendar():
    """Calendar rows created by a test vanish with its rolled-back transaction (no signal
    fires), so the cached working-day calendar is reset around every test."""
    from core import workdays

    workdays.calendar_changed()
    yield
    workdays.calendar_changed()


@pytest.fixture(autouse=True)
def _default_language():
    """Indonesian active at the start of every test: a request in English leaves English
    active in the thread (LocaleMiddleware never deactivates), and a report submitted
    from the portal takes the active language as its reporter's language."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


def _reseed_data_migrations():
    """Run each of Aduan's data migrations' forward functions again (they all use
    get_or_create). Django's and libraries' own migrations are left alone, and so is a
    RunPython marked hints={"reseed": False}: not a seed (a fill of existing rows, an index)."""
    from django.apps import apps
    from django.conf import settings
    from django.db import connection, migrations
    from django.db.migrations.loader import MigrationLoader

    ours = {c.label for c in apps.get_app_configs() if Path(c.path).parent == Path(settings.BASE_DIR)}
    loader = MigrationLoader(connection, ignore_no_migrations=True)
    # In dependency order, as migrate ran them: a later migration may rewrite an earlier one's rows.
    plan = []
    for leaf in loader.graph.leaf_nodes():
        plan += [key for key in loader.graph.forwards_plan(leaf) if key not in plan]
    for label, name in plan:
        if label not in ours:
            continue
        migration = loader.disk_migrations[(label, name)]
        for operation in migration.operations:
            if (
                isinstance(operation, migrations.RunPython)
                and operation.code is not migrations.RunPython.noop
                and operation.hints.get("reseed", True)  # not a seed: a fill of existing rows, an index
            ):
                # What a RunPython function may ask of its schema editor: the connection.
                operation.code(apps, SimpleNamespace(connection=connection))


@pytest.fixture(autouse=True)
def _seeded_after_flush(request, django_db_blocker):
    """A TransactionTestCase empties every table when it ends, taking the rows the data
    migrations seeded (message templates, escalation rules, LAPOR! status mappings) from
    the tests that run after it on the same database; put them back."""
    from django.test import TestCase, TransactionTestCase

    cls = getattr(request, "cls", None)
    yield
    if cls is not None and issubclass(cls, TransactionTestCase) and not issubclass(cls, TestCase):
        with django_db_blocker.unblock():
            _reseed_data_migrations()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_teardown(item, nextitem):
    """The same for pytest functions on a flushed database (``transactional_db``,
    ``live_server``, ``django_db(transaction=True)``: the browser and replica tests):
    pytest-django flushes in its own fixture's teardown, after every fixture of this file
    has ended, so the seeds (and the installation's government every row needs) go back
    once the whole teardown is done. A browser test's pages are closed first, before any
    fixture's teardown flushes the database under them (tests/browser.py)."""
    if item.get_closest_marker("browser") is not None:
        from tests.browser import close_opened_pages

        close_opened_pages()
    yield
    marker = item.get_closest_marker("django_db")
    transactional = {"transactional_db", "live_server"} & set(getattr(item, "fixturenames", ())) or (
        marker is not None and (marker.kwargs.get("transaction") or (marker.args and marker.args[0]))
    )
    # After the last test (nextitem None) the session's teardown has dropped the test
    # database: nothing follows to need the seeds.
    if nextitem is not None and getattr(item, "cls", None) is None and transactional:
        from pytest_django.plugin import blocking_manager_key

        with item.config.stash[blocking_manager_key].unblock():
            _reseed_data_migrations()


@pytest.fixture(autouse=True)
def _no_csp_violations(request):
    """A browser test fails if any page it opened broke the Content-Security-Policy
    (tests/browser.py collects the browser's reports), even when its own asserts passed."""
    if request.node.get_closest_marker("browser") is None:
        yield
        return
    from tests.browser import csp_violations_of_opened_pages

    csp_violations_of_opened_pages()
    yield
    violations = csp_violations_of_opened_pages()
    assert violations == [], "Content-Security-Policy violations:\n" + "\n".join(violations)


@pytest.fixture(scope="module")
def chromium():
    """Debian's Chromium through Playwright (tests/browser.py), one per test module."""
    from tests.browser import module_chromium

    yield from module_chromium()


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Behind PgBouncer (ADUAN_DB_POOLER=pgbouncer, as CI runs the PostgreSQL suite) the pooler
    keeps its server connections to the test database after the last test, and PostgreSQL
    refuses to drop a database in use: before pytest-django drops it, PgBouncer's console
    closes them (KILL, then RESUME so the name is usable again)."""
    yield
    from django.conf import settings
    from django.db import connection

    if settings.ADUAN_DB_POOLER != "pgbouncer":
        return
    import psycopg

    name = connection.settings_dict["NAME"]
    with django_db_blocker.unblock():
        connection.close()
    params = connection.settings_dict
    with psycopg.connect(
        host=params["HOST"], port=params["PORT"], user=params["USER"], dbname="pgbouncer", autocommit=True
    ) as console:
        console.execute(f"KILL {name}")
        console.execute(f"RESUME {name}")
