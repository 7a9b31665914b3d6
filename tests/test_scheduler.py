"""The scheduler (core/scheduler.py, manage.py run_scheduler): each due run is enqueued once."""

import datetime as dt
import io
import os
import signal
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import unittest
from contextlib import closing
from pathlib import Path
from unittest import mock
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import connection, connections
from django.test import TestCase, TransactionTestCase, override_settings
from django_tasks_db.backend import DatabaseBackend
from django_tasks_db.models import DBTaskResult

from core import queues, scheduler
from core.models import ScheduledJob

JAKARTA = ZoneInfo("Asia/Jakarta")
TICK = "tests.background_tasks.tick"
DB_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": queues.ALL}}
PROJECT = Path(__file__).resolve().parent.parent


def at(year, month, day, hour, minute=0, second=0):
    return dt.datetime(year, month, day, hour, minute, second, tzinfo=JAKARTA)


def enqueued(path=TICK):
    return DBTaskResult.objects.filter(task_path=path).count()


@override_settings(TASKS=DB_TASKS, ADUAN_SCHEDULE={"tick": {"task": TICK, "every": 15}})
class IntervalJobTests(TestCase):
    def pass_at(self, moment, schedule=None):
        with time_machine.travel(moment, tick=False):
            return scheduler.run_pending(scheduler.load(schedule))

    def test_a_new_interval_job_is_enqueued_at_once_and_then_not_again_until_its_next_time(self):
        first = self.pass_at(at(2026, 9, 1, 10))
        self.assertEqual([e.job for e in first], ["tick"])
        self.assertEqual(enqueued(), 1)

        self.assertEqual(self.pass_at(at(2026, 9, 1, 10, 0, 1)), [])
        self.assertEqual(self.pass_at(at(2026, 9, 1, 10, 14, 59)), [])
        self.assertEqual(enqueued(), 1)

        self.assertEqual(len(self.pass_at(at(2026, 9, 1, 10, 15))), 1)
        self.assertEqual(enqueued(), 2)

    def test_the_row_records_the_run_and_the_task_it_enqueued(self):
        [item] = self.pass_at(at(2026, 9, 1, 10))
        row = ScheduledJob.objects.get(name="tick")
        self.assertEqual(row.last_run_at, at(2026, 9, 1, 10))
        self.assertEqual(row.next_run_at, at(2026, 9, 1, 10, 15))
        self.assertEqual(row.last_task_id, item.task_id)
        self.assertEqual(str(DBTaskResult.objects.get().pk), item.task_id)

    def test_runs_missed_while_no_scheduler_ran_are_made_up_once(self):
        self.pass_at(at(2026, 9, 1, 10))
        self.assertEqual(len(self.pass_at(at(2026, 9, 1, 18))), 1)  # 32 periods later
        self.assertEqual(enqueued(), 2)
        self.assertEqual(ScheduledJob.objects.get().next_run_at, at(2026, 9, 1, 18, 15))

    def test_an_edited_interval_takes_effect_at_once(self):
        self.pass_at(at(2026, 9, 1, 10), {"tick": {"task": TICK, "every": 60}})
        self.assertEqual(self.pass_at(at(2026, 9, 1, 10, 1), {"tick": {"task": TICK, "every": 60}}), [])

        self.assertEqual(len(self.pass_at(at(2026, 9, 1, 10, 2), {"tick": {"task": TICK, "every": 5}})), 1)
        self.assertEqual(ScheduledJob.objects.get().next_run_at, at(2026, 9, 1, 10, 7))

    def test_a_scheduler_that_read_the_row_before_another_claimed_the_run_enqueues_nothing(self):
        # The compare-and-swap itself: the second pass works from the stale row it read.
        jobs = scheduler.load()
        with time_machine.travel(at(2026, 9, 1, 10), tick=False):
            stale = scheduler._rows(jobs, scheduler.timezone.now())
            self.assertEqual(len(scheduler.run_pending(jobs)), 1)
            with mock.patch.object(scheduler, "_rows", return_value=stale):
                self.assertEqual(scheduler.run_pending(jobs), [])
        self.assertEqual(enqueued(), 1)

    def test_a_failed_enqueue_leaves_the_run_due_for_the_next_pass(self):
        jobs = scheduler.load()
        with time_machine.travel(at(2026, 9, 1, 10), tick=False):
            broken = mock.patch.object(DatabaseBackend, "enqueue", side_effect=ConnectionError("queue away"))
            with broken, self.assertLogs("core.scheduler", "ERROR") as logs:
                self.assertEqual(scheduler.run_pending(jobs), [])
            self.assertIn("enqueuing tick (tests.background_tasks.tick) failed", logs.output[0])
            self.assertEqual(ScheduledJob.objects.get().next_run_at, at(2026, 9, 1, 10))
            self.assertEqual(len(scheduler.run_pending(jobs)), 1)

    def test_the_loop_sleeps_until_the_next_run_but_never_more_than_30_seconds(self):
        jobs = scheduler.load({"tick": {"task": TICK, "every": 1}})
        now = at(2026, 9, 1, 10)
        self.assertEqual(scheduler.seconds_until_next(jobs, now), 30.0)  # no row yet
        with time_machine.travel(now, tick=False):
            scheduler.run_pending(jobs)
        self.assertEqual(scheduler.seconds_until_next(jobs, now + dt.timedelta(seconds=50)), 10.0)
        self.assertEqual(scheduler.seconds_until_next(jobs, now + dt.timedelta(seconds=10)), 30.0)

    def test_each_enqueue_is_logged(self):
        with self.assertLogs("core.scheduler", "INFO") as logs:
            self.pass_at(at(2026, 9, 1, 10))
        self.assertIn("enqueued tick (tests.background_tasks.tick, every 15 min)", logs.output[0])


@override_settings(TASKS=DB_TASKS)
class DailyJobTests(TestCase):
    schedule = {"nightly": {"task": TICK, "at": "00:10"}}

    def pass_at(self, moment):
        with time_machine.travel(moment, tick=False):
            return scheduler.run_pending(scheduler.load(self.schedule))

    def test_a_daily_job_runs_at_its_local_time_across_midnight_and_then_the_next_day(self):
        self.assertEqual(self.pass_at(at(2026, 9, 1, 23, 55)), [])
        self.assertEqual(ScheduledJob.objects.get().next_run_at, at(2026, 9, 2, 0, 10))
        self.assertEqual(self.pass_at(at(2026, 9, 2, 0, 9, 59)), [])

        self.assertEqual(len(self.pass_at(at(2026, 9, 2, 0, 10))), 1)
        self.assertEqual(ScheduledJob.objects.get().next_run_at, at(2026, 9, 3, 0, 10))
        self.assertEqual(self.pass_at(at(2026, 9, 2, 23, 59)), [])
        self.assertEqual(len(self.pass_at(at(2026, 9, 3, 0, 11))), 1)
        self.assertEqual(enqueued(), 2)

    def test_the_time_is_local_time_not_utc(self):
        self.pass_at(at(2026, 9, 1, 12))
        # 00:10 in Jakarta (UTC+7) is 17:10 UTC the day before.
        self.assertEqual(ScheduledJob.objects.get().next_run_at, dt.datetime(2026, 9, 1, 17, 10, tzinfo=dt.UTC))

    def test_a_daily_job_first_seen_after_its_time_waits_for_tomorrow(self):
        self.assertEqual(self.pass_at(at(2026, 9, 1, 9)), [])
        self.assertEqual(ScheduledJob.objects.get().next_run_at, at(2026, 9, 2, 0, 10))

    def test_the_close_of_resolved_reports_is_scheduled_nightly(self):
        self.assertEqual(
            settings.ADUAN_SCHEDULE["close-resolved-reports"],
            {"task": "reports.tasks.close_resolved_reports", "at": "01:00"},
        )
        with time_machine.travel(at(2026, 9, 1, 0, 30), tick=False):
            jobs = scheduler.load({"close": settings.ADUAN_SCHEDULE["close-resolved-reports"]})
            scheduler.run_pending(jobs)
        with time_machine.travel(at(2026, 9, 1, 1, 0), tick=False):
            scheduler.run_pending(jobs)
        self.assertEqual(enqueued("reports.tasks.close_resolved_reports"), 1)

    def test_the_api_key_use_log_is_pruned_daily(self):
        entry = settings.ADUAN_SCHEDULE["prune-api-key-uses"]
        self.assertEqual(entry, {"task": "apikeys.tasks.prune_uses", "at": "03:00"})
        with time_machine.travel(at(2026, 9, 1, 2, 0), tick=False):
            jobs = scheduler.load({"prune": entry})
            scheduler.run_pending(jobs)
        for day in (1, 2):
            with time_machine.travel(at(2026, 9, day, 3, 0), tick=False):
                scheduler.run_pending(jobs)
        self.assertEqual(enqueued("apikeys.tasks.prune_uses"), 2)


class ScheduleValidationTests(TestCase):
    def assertRefused(self, entry, *fragments):
        with self.assertRaises(scheduler.ScheduleError) as raised:
            scheduler.load({"bad-job": entry})
        message = str(raised.exception)
        self.assertIn("ADUAN_SCHEDULE['bad-job']", message)
        for fragment in fragments:
            self.assertIn(fragment, message)

    def test_the_projects_own_schedule_is_valid(self):
        names = [job.name for job in scheduler.load()]
        self.assertIn("close-resolved-reports", names)

    def test_an_unknown_task_path_is_refused_by_name(self):
        self.assertRefused({"task": "reports.tasks.no_such_task", "every": 5}, "reports.tasks.no_such_task")
        self.assertRefused({"task": "no_such_module.task", "at": "01:00"}, "cannot be imported")

    def test_a_function_that_is_not_a_task_or_needs_arguments_is_refused(self):
        self.assertRefused({"task": "tests.background_tasks.not_a_task", "every": 5}, "is not a task")
        self.assertRefused({"task": "tests.background_tasks.needs_an_argument", "every": 5}, "report_id")

    def test_a_bad_time_is_refused(self):
        for bad in ("25:00", "1:0", "01:60", "0100", 100, "01:00:00"):
            with self.subTest(at=bad):
                self.assertRefused({"task": TICK, "at": bad}, "'HH:MM'")

    def test_a_bad_interval_or_both_or_neither_is_refused(self):
        for bad in (0, -5, 1.5, "5", True):
            with self.subTest(every=bad):
                self.assertRefused({"task": TICK, "every": bad}, "'every'")
        self.assertRefused({"task": TICK, "every": 5, "at": "01:00"}, "exactly one")
        self.assertRefused({"task": TICK}, "exactly one")
        self.assertRefused({"task": TICK, "every": 5, "cron": "* * * * *"}, "unknown key(s) cron")

    def test_the_command_stops_with_a_clear_error_before_enqueuing_anything(self):
        schedule = {"good": {"task": TICK, "every": 1}, "typo": {"task": "reports.tasks.close_resolved", "at": "01:00"}}
        with override_settings(ADUAN_SCHEDULE=schedule), self.assertRaises(CommandError) as raised:
            call_command("run_scheduler", "--once", stdout=io.StringIO())
        self.assertIn(
            "ADUAN_SCHEDULE['typo']: task 'reports.tasks.close_resolved' cannot be imported", str(raised.exception)
        )
        self.assertFalse(ScheduledJob.objects.exists())

    def test_manage_py_check_reports_a_bad_schedule(self):
        self.assertEqual(scheduler.check_schedule(), [])
        with override_settings(ADUAN_SCHEDULE={"late": {"task": TICK, "at": "24:00"}}):
            [error] = scheduler.check_schedule()
        self.assertEqual(error.id, "core.E001")
        self.assertIn("ADUAN_SCHEDULE['late']: 'at' must be", error.msg)


@override_settings(
    TASKS=DB_TASKS,
    ADUAN_SCHEDULE={"tick": {"task": TICK, "every": 5}, "nightly": {"task": TICK, "at": "01:00"}},
)
class OnceCommandTests(TestCase):
    def run_once(self, moment):
        output = io.StringIO()
        with time_machine.travel(moment, tick=False):
            call_command("run_scheduler", "--once", stdout=output)
        return output.getvalue()

    def test_once_runs_one_pass_and_reports_what_it_enqueued(self):
        output = self.run_once(at(2026, 9, 1, 0, 30))
        self.assertIn("1 tugas terjadwal dimasukkan ke antrean", output)
        self.assertIn("tick: ", output)
        self.assertNotIn("nightly", output)

        output = self.run_once(at(2026, 9, 1, 1, 0))
        self.assertIn("2 tugas terjadwal", output)
        self.assertIn("nightly: ", output)
        self.assertEqual(enqueued(), 3)

        self.assertIn("0 tugas terjadwal", self.run_once(at(2026, 9, 1, 1, 1)))


@unittest.skipUnless(connection.vendor == "postgresql", "two connections racing need PostgreSQL")
@override_settings(TASKS=DB_TASKS, ADUAN_SCHEDULE={"tick": {"task": TICK, "every": 5}})
class RacingSchedulersTests(TransactionTestCase):
    def test_two_schedulers_passing_at_the_same_moment_enqueue_a_due_run_once(self):
        jobs = scheduler.load()
        moment = at(2026, 9, 1, 10)
        with time_machine.travel(moment, tick=False):
            scheduler.run_pending(jobs)  # the row exists; its next run is at 10:05
        both_have_read = threading.Barrier(2, timeout=10)
        read_rows = scheduler._rows

        def read_then_wait(*args):
            rows = read_rows(*args)
            both_have_read.wait()  # both saw next_run_at = 10:05 before either claims
            return rows

        results, errors = [], []

        def one_scheduler():
            try:
                results.append(scheduler.run_pending(jobs, now=moment + dt.timedelta(minutes=5)))
            except Exception as exc:  # pragma: no cover - reported below
                errors.append(exc)
            finally:
                connections.close_all()

        with mock.patch.object(scheduler, "_rows", read_then_wait):
            threads = [threading.Thread(target=one_scheduler) for _ in range(2)]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join(timeout=30)
        self.assertEqual(errors, [])
        self.assertEqual(sorted(len(r) for r in results), [0, 1])
        self.assertEqual(enqueued(), 2)  # the first run and the 10:05 run, once


@pytest.mark.own_process
class LoopTests(unittest.TestCase):
    """The long-running mode in a real process: it enqueues, then stops on SIGTERM."""

    def enqueued_rows(self, db):
        with closing(sqlite3.connect(db, timeout=10)) as conn:
            return conn.execute("SELECT count(*) FROM core_scheduledjob WHERE last_task_id != ''").fetchone()[0]

    def test_the_scheduler_process_stops_cleanly_on_sigterm(self):
        db = Path(self.enterContext(tempfile.TemporaryDirectory())) / "s.sqlite3"
        env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
        env.update(
            ADUAN_SQLITE_PATH=str(db), ADUAN_LOG_FORMAT="text", ADUAN_LOG_LEVEL="INFO", ADUAN_TASKS_BACKEND="database"
        )
        python = sys.executable
        subprocess.run([python, "manage.py", "migrate", "-v0"], cwd=PROJECT, env=env, check=True, timeout=120)
        process = subprocess.Popen(
            [python, "manage.py", "run_scheduler"],
            cwd=PROJECT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        try:
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline and not self.enqueued_rows(db):
                time.sleep(0.3)
            process.send_signal(signal.SIGTERM)
            output, _ = process.communicate(timeout=20)
        finally:
            if process.poll() is None:
                process.kill()
                process.communicate()
        self.assertEqual(process.returncode, 0, output)
        self.assertIn("Scheduler: enqueued ", output)
        self.assertIn("SIGTERM received, stopping", output)
        self.assertIn("Scheduler: stopped", output)
