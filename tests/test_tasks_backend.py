"""The two task backends: the database queue (default, ``db_worker``) and Redis Queue
(ADUAN_TASKS_BACKEND=rq, ``rqworker``) against the local Redis, each running a real task."""

import datetime as dt
import importlib
import io
import json
import os
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
import unittest
import uuid
from contextlib import closing
from pathlib import Path

import pytest
import redis
from django.core.management import call_command
from django.test import TransactionTestCase, override_settings
from django.utils import timezone
from django_tasks import TaskResultStatus, task_backends
from django_tasks_rq import RQBackend

from core import queues
from core.models import CalendarEntry
from reports.models import Report, Status
from reports.tasks import close_resolved_reports
from tests import factory
from tests.background_tasks import mark_holiday
from tests.base import AduanTestCase

PROJECT = Path(__file__).resolve().parent.parent
# Redis databases of their own (15, and 14, 13, … for further pytest-xdist workers), emptied
# after each test, so a developer's Redis data and parallel test processes are left alone.
_XDIST_WORKER = int(os.environ.get("PYTEST_XDIST_WORKER", "gw0").removeprefix("gw") or 0)
REDIS_URL = f"redis://127.0.0.1:6379/{15 - _XDIST_WORKER % 8}"


def redis_is_up() -> bool:
    try:
        return bool(redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping())
    except redis.RedisError:
        return False


# CI starts Redis (.ci/run), so there a missing Redis is a failure, not a skip.
needs_redis = unittest.skipUnless(redis_is_up() or os.environ.get("CI"), "Redis is not running on 127.0.0.1:6379")


def keeping_signal_handlers(test):
    """Workers install their own SIGINT/SIGTERM handlers; give pytest its own back."""

    def wrapper(self, *args, **kwargs):
        saved = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGQUIT)}
        try:
            return test(self, *args, **kwargs)
        finally:
            for sig, handler in saved.items():
                signal.signal(sig, handler)

    wrapper.__name__ = test.__name__
    return wrapper


@needs_redis
class RedisQueueTests(AduanTestCase):
    def setUp(self):
        self.queue = f"aduan-test-{uuid.uuid4().hex[:12]}"
        self.enterContext(
            override_settings(
                TASKS={"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": [self.queue]}},
                # django-tasks-rq reads results through the "default" connection.
                RQ_QUEUES={self.queue: {"URL": REDIS_URL}, "default": {"URL": REDIS_URL}},
                RQ={"JOB_CLASS": "django_tasks_rq.Job"},
            )
        )
        self.addCleanup(lambda: redis.Redis.from_url(REDIS_URL).flushdb())

    @keeping_signal_handlers
    def work(self):
        import django_rq
        from rq import SimpleWorker

        # In this process (no fork), so the task sees the test's database transaction.
        worker = django_rq.get_worker(self.queue, worker_class=SimpleWorker)
        return worker.work(burst=True)

    def test_the_nightly_close_runs_on_an_rq_worker_and_its_result_is_successful(self):
        report = factory.make_resolved(self.coordinator, self.public_works, self.pw_liaison)
        Report.objects.filter(pk=report.pk).update(autoclose_due_at=timezone.now() - dt.timedelta(days=1))

        result = close_resolved_reports.using(queue_name=self.queue).enqueue()
        self.assertEqual(result.status, TaskResultStatus.READY)
        self.assertEqual(result.backend, "default")
        self.assertIsInstance(task_backends["default"], RQBackend)
        self.assertEqual(redis.Redis.from_url(REDIS_URL).llen(f"rq:queue:{self.queue}"), 1)
        report.refresh_from_db()
        self.assertEqual(report.status, Status.RESOLVED)  # nothing ran at enqueue time

        self.assertTrue(self.work())

        report.refresh_from_db()
        self.assertEqual(report.status, Status.CLOSED)
        result.refresh()
        self.assertEqual(result.status, TaskResultStatus.SUCCESSFUL)
        self.assertEqual(result.return_value, 1)

    def test_a_failing_task_is_recorded_as_failed(self):
        result = mark_holiday.using(queue_name=self.queue).enqueue("not-a-date", "Libur")

        self.work()

        result.refresh()
        self.assertEqual(result.status, TaskResultStatus.FAILED)
        self.assertIn("ValueError", result.errors[0].traceback)
        self.assertFalse(CalendarEntry.objects.exists())


class DatabaseQueueTests(TransactionTestCase):
    # A TransactionTestCase: the worker claims tasks in transactions of its own (BEGIN
    # EXCLUSIVE on SQLite), which cannot nest inside a TestCase's transaction.

    @keeping_signal_handlers
    def run_db_worker(self):
        output = io.StringIO()
        call_command("db_worker", "--batch", "--no-reload", "--no-startup-delay", "--interval=0", stdout=output)
        return output.getvalue()

    @override_settings(TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": queues.ALL}})
    def test_db_worker_runs_what_was_enqueued_and_then_exits_in_batch_mode(self):
        first = mark_holiday.enqueue("2026-06-01", "Hari Lahir Pancasila (uji)")
        second = mark_holiday.enqueue("2026-08-17", "Hari Kemerdekaan (uji)")
        self.assertEqual(first.status, TaskResultStatus.READY)
        self.assertFalse(CalendarEntry.objects.exists())

        self.run_db_worker()

        self.assertEqual(
            sorted(CalendarEntry.objects.values_list("date", flat=True)), [dt.date(2026, 6, 1), dt.date(2026, 8, 17)]
        )
        for result in (first, second):
            result.refresh()
            self.assertEqual(result.status, TaskResultStatus.SUCCESSFUL)
        self.assertEqual(first.return_value, CalendarEntry.objects.get(date=dt.date(2026, 6, 1)).pk)

        # Nothing is left: a second batch runs nothing and creates nothing.
        self.run_db_worker()
        self.assertEqual(CalendarEntry.objects.count(), 2)


@pytest.mark.own_process
@needs_redis
class WorkerScriptTests(unittest.TestCase):
    """The switch end to end, as production runs it: settings from the environment,
    ``bin/worker`` starting ``rqworker`` with ADUAN_TASKS_BACKEND=rq or ``db_worker`` without."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # One migrated SQLite file for the class: migrating takes seconds.
        cls.db = Path(cls.enterClassContext(tempfile.TemporaryDirectory())) / "aduan.sqlite3"
        # Empty rather than unset, so a developer's .env (read by bin/worker) cannot fill them.
        cls.env = {
            **os.environ,
            "DATABASE_URL": "",
            "ADUAN_TASKS_BACKEND": "database",
            "ADUAN_SQLITE_PATH": str(cls.db),
        }
        cls.env.update(REDIS_URL=REDIS_URL, ADUAN_LOG_FORMAT="text", DEBUG="0")
        cls.manage("migrate", "-v0")

    def setUp(self):
        self.addCleanup(lambda: redis.Redis.from_url(REDIS_URL).flushdb())

    @classmethod
    def manage(cls, *args, **env):
        return subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=PROJECT,
            env={**cls.env, **env},
            capture_output=True,
            text=True,
            timeout=120,
            check=True,
        )

    def enqueue(self, day, **env):
        code = f"from tests.background_tasks import mark_holiday; print(mark_holiday.enqueue({day!r}, 'uji').id)"
        return self.manage("shell", "-v0", "-c", code, **env).stdout.strip()

    def worker(self, *args, **env):
        return subprocess.run(
            [str(PROJECT / "bin" / "worker"), *args],
            cwd=PROJECT,
            env={**self.env, **env},
            capture_output=True,
            text=True,
            timeout=120,
        )

    def holidays(self):
        with closing(sqlite3.connect(self.db)) as db:
            return [row[0] for row in db.execute("SELECT date FROM core_calendarentry ORDER BY date")]

    def test_with_tasks_backend_rq_the_task_waits_in_redis_until_an_rq_worker_runs_it(self):
        task_id = self.enqueue("2026-06-01", ADUAN_TASKS_BACKEND="rq")
        self.assertTrue(redis.Redis.from_url(REDIS_URL).exists(f"rq:job:{task_id}"))
        self.assertNotIn("2026-06-01", self.holidays())

        finished = self.worker("--burst", ADUAN_TASKS_BACKEND="rq")

        self.assertEqual(finished.returncode, 0, finished.stderr)
        self.assertIn("2026-06-01", self.holidays())

    def enqueue_on(self, queue, day, **env):
        code = (
            "from tests.background_tasks import mark_holiday; "
            f"print(mark_holiday.using(queue_name={queue!r}).enqueue({day!r}, 'uji').id)"
        )
        return self.manage("shell", "-v0", "-c", code, **env).stdout.strip()

    def test_a_worker_given_some_queues_leaves_the_others_waiting(self):
        for backend, run_once in (("database", "--batch"), ("rq", "--burst")):
            with self.subTest(backend):
                lapor_day, notify_day = (
                    ("2026-05-11", "2026-05-12") if backend == "database" else ("2026-05-13", "2026-05-14")
                )
                self.enqueue_on(queues.LAPOR, lapor_day, ADUAN_TASKS_BACKEND=backend)
                self.enqueue_on(queues.NOTIFY, notify_day, ADUAN_TASKS_BACKEND=backend)

                finished = self.worker(run_once, ADUAN_TASKS_BACKEND=backend, ADUAN_WORKER_QUEUES="intake,notify")

                self.assertEqual(finished.returncode, 0, finished.stderr)
                self.assertIn(notify_day, self.holidays())
                self.assertNotIn(lapor_day, self.holidays())  # still waiting for a worker of its kind
                finished = self.worker(run_once, ADUAN_TASKS_BACKEND=backend, ADUAN_WORKER_QUEUES="lapor")
                self.assertEqual(finished.returncode, 0, finished.stderr)
                self.assertIn(lapor_day, self.holidays())

    def test_two_workers_at_once_run_each_task_once(self):
        days = [f"2027-03-{n:02d}" for n in range(1, 21)]
        code = f"from tests.background_tasks import mark_holiday\nfor day in {days!r}: mark_holiday.enqueue(day, 'uji')"
        self.manage("shell", "-v0", "-c", code)

        both = [self.start_worker("--batch") for _ in range(2)]
        for worker in both:
            self.assertEqual(worker.wait(timeout=120), 0, worker.stderr.read())

        self.assertEqual(sorted(d for d in self.holidays() if d.startswith("2027-03")), days)
        with closing(sqlite3.connect(self.db)) as db:
            runs = db.execute(
                "SELECT status, worker_ids FROM django_tasks_database_dbtaskresult WHERE args_kwargs LIKE '%2027-03-%'"
            ).fetchall()
        self.assertEqual({status for status, _ in runs}, {"SUCCESSFUL"})
        self.assertEqual([len(json.loads(ids)) for _, ids in runs], [1] * 20)  # each claimed once

    def test_a_task_whose_worker_was_killed_is_run_again_by_another(self):
        self.manage(
            "shell",
            "-v0",
            "-c",
            "from tests.background_tasks import slow_holiday; slow_holiday.enqueue('2027-04-01', 'uji', 3)",
        )
        doomed = self.start_worker("--no-startup-delay")
        self.addCleanup(doomed.kill)
        deadline = time.monotonic() + 60  # a worker starts in about 2 s; much longer on a busy machine
        while self.task_statuses("2027-04-01") != ["RUNNING"] and time.monotonic() < deadline:
            time.sleep(0.1)
        doomed.kill()  # SIGKILL: no clean-up, the task stays "running"
        doomed.wait(timeout=10)
        self.assertEqual(self.task_statuses("2027-04-01"), ["RUNNING"])
        self.assertNotIn("2027-04-01", self.holidays())

        sweep = (
            "import datetime as dt; from django.utils import timezone; from core.tasks import requeue_abandoned; "
            "print(requeue_abandoned(), requeue_abandoned(now=timezone.now() + dt.timedelta(hours=3)))"
        )
        self.assertEqual(self.manage("shell", "-v0", "-c", sweep).stdout.split(), ["0", "1"])  # not before its time
        finished = self.worker("--batch")

        self.assertEqual(finished.returncode, 0, finished.stderr)
        self.assertIn("2027-04-01", self.holidays())
        self.assertEqual(self.task_statuses("2027-04-01"), ["SUCCESSFUL"])

    def start_worker(self, *args):
        return subprocess.Popen(
            [str(PROJECT / "bin" / "worker"), *args],
            cwd=PROJECT,
            env=self.env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )

    def task_statuses(self, day):
        """The statuses of the tasks enqueued for ``day`` (the class's tests share a database)."""
        query = "SELECT status FROM django_tasks_database_dbtaskresult WHERE args_kwargs LIKE ?"
        with closing(sqlite3.connect(self.db)) as db:
            return [row[0] for row in db.execute(query, (f"%{day}%",))]

    def test_an_unknown_queue_is_refused_with_the_names_it_could_be(self):
        finished = self.worker("--batch", ADUAN_WORKER_QUEUES="notify,laporan")

        self.assertEqual(finished.returncode, 2)
        self.assertIn("no queue named 'laporan'", finished.stderr)
        self.assertIn("intake,notify,default,lapor,monev", finished.stderr)

    def test_by_default_the_task_waits_in_the_database_until_db_worker_runs_it(self):
        self.enqueue("2026-08-17")
        # Redis also holds the cache (REDIS_URL), so look for queue keys only.
        self.assertEqual(redis.Redis.from_url(REDIS_URL).keys("rq:*"), [])
        self.assertNotIn("2026-08-17", self.holidays())

        finished = self.worker("--batch")

        self.assertEqual(finished.returncode, 0, finished.stderr)
        self.assertIn("2026-08-17", self.holidays())


class QueueByKindTests(unittest.TestCase):
    """Each kind of work has its queue, so a worker can be given some of them."""

    def test_every_task_is_on_the_queue_of_its_kind(self):
        from django_tasks.base import Task

        expected = {
            "intake": queues.INTAKE,
            "notify": queues.NOTIFY,
            "lapor": queues.LAPOR,
            "monev": queues.MONEV,
            "reports": queues.DEFAULT,
            "staffing": queues.DEFAULT,
            "escalation": queues.DEFAULT,
            "triage": queues.DEFAULT,
            "apikeys": queues.DEFAULT,
            "core": queues.DEFAULT,
            "alerts": queues.DEFAULT,
        }
        for app, queue in expected.items():
            module = importlib.import_module(f"{app}.tasks")
            tasks = [value for value in vars(module).values() if isinstance(value, Task)]
            self.assertTrue(tasks, app)
            for found in tasks:
                with self.subTest(task=found.name):
                    self.assertEqual(found.queue_name, queue)

    def test_the_backend_in_use_accepts_every_queue(self):
        self.assertEqual(set(task_backends["default"].queues), set(queues.ALL))


@override_settings(TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": queues.ALL}})
class PruneFinishedTasksTests(AduanTestCase):
    """Every action enqueues tasks, so the database queue's finished rows are pruned daily."""

    def row(self, status, finished_days_ago):
        from django_tasks_db.models import DBTaskResult

        now = timezone.now()
        finished = None if finished_days_ago is None else now - dt.timedelta(days=finished_days_ago)
        return DBTaskResult.objects.create(
            status=status,
            task_path="monev.tasks.refresh_reports",
            args_kwargs={"args": [[1]], "kwargs": {}},
            priority=0,
            queue_name=queues.MONEV,
            backend_name="default",
            enqueued_at=now - dt.timedelta(days=(finished_days_ago or 0) + 1),
            finished_at=finished,
        )

    def test_old_successful_and_very_old_failed_rows_go_the_rest_stay(self):
        from django_tasks_db.models import DBTaskResult

        from core.tasks import prune_finished

        keep = [
            self.row("SUCCESSFUL", 2),
            self.row("FAILED", 10),  # failed rows are kept longer, for looking into
            self.row("READY", None),
            self.row("RUNNING", None),
        ]
        self.row("SUCCESSFUL", 8)
        self.row("FAILED", 31)

        self.assertEqual(prune_finished(), 2)
        self.assertEqual(set(DBTaskResult.objects.values_list("pk", flat=True)), {row.pk for row in keep})

    def test_the_prune_is_scheduled_daily(self):
        from django.conf import settings

        self.assertEqual(settings.ADUAN_SCHEDULE["prune-finished-tasks"]["task"], "core.tasks.prune_finished_tasks")
        self.assertIn("at", settings.ADUAN_SCHEDULE["prune-finished-tasks"])
