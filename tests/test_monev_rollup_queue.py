"""The monev rollup refreshed by a task on the monev queue, not in the request (issue 21:
the public submit waited for it). With the database task backend the task's row is
written in the event's own transaction, one per report; with another backend the task is
enqueued after the commit (or the refresh done at once when the queue refuses it); the
scheduled catch-up refreshes the reports whose task was lost. Every path ends with the
cells a rebuild from the events gives.

The rest of the suite runs with ADUAN_MONEV_ROLLUP_INLINE (tests/conftest.py); these tests
turn it off."""

import datetime as dt
from unittest import mock

import time_machine
from django.conf import settings
from django.db import transaction
from django.test import override_settings
from django.utils import timezone
from django_tasks.backends.immediate import ImmediateBackend
from django_tasks_db.models import DBTaskResult

from core import queues
from monev import rollup, tasks
from monev.models import RollupReport
from reports import actions
from tests import factory
from tests.base import IMMEDIATE, AduanTestCase, TwoGovernmentsBase
from tests.rollup import rebuilt, rows

QUEUED = override_settings(ADUAN_MONEV_ROLLUP_INLINE=False)
REFRESH = "monev.tasks.refresh_reports"


def refresh_tasks():
    return list(DBTaskResult.objects.filter(task_path=REFRESH).values_list("args_kwargs", flat=True))


@QUEUED
class QueuedRefreshTest(AduanTestCase):
    def test_a_submission_writes_its_refresh_task_and_no_cell(self):
        with self.captureOnCommitCallbacks(execute=True):
            report = factory.make_report()
        self.assertFalse(RollupReport.objects.filter(report=report).exists())
        self.assertEqual(rows(), [])
        self.assertEqual(refresh_tasks(), [{"args": [[report.pk]], "kwargs": {}}])
        task = DBTaskResult.objects.get(task_path=REFRESH)
        self.assertEqual(task.queue_name, queues.MONEV)
        # The worker runs it: the cells a rebuild gives.
        tasks.refresh_reports.call(*task.args_kwargs["args"])
        self.assertTrue(rows())
        self.assertEqual(rows(), rebuilt())
        self.assertEqual(RollupReport.objects.get(report=report).events, report.events.count())

    def test_one_task_per_report_however_many_events_its_transaction_saved(self):
        with self.captureOnCommitCallbacks(execute=True), transaction.atomic():
            report = factory.make_report()
            actions.verify_report(report, actor=self.coordinator)
            other = factory.make_report()
        self.assertEqual(report.events.count(), 2)
        self.assertEqual(
            sorted(refresh_tasks(), key=str),
            [{"args": [[report.pk]], "kwargs": {}}, {"args": [[other.pk]], "kwargs": {}}],
        )

    def test_a_rolled_back_change_leaves_no_task(self):
        report = factory.make_report()
        before = refresh_tasks()
        with self.assertRaises(RuntimeError), transaction.atomic():
            actions.verify_report(report, actor=self.coordinator)
            raise RuntimeError("cut")
        self.assertEqual(refresh_tasks(), before)

    def test_a_report_refreshed_twice_or_late_has_the_same_cells(self):
        report = factory.make_report()
        tasks.refresh_reports.call([report.pk])
        report = actions.verify_report(report, actor=self.coordinator)
        actions.dispose_report(report, actor=self.coordinator, lead_agency=self.public_works)
        # The tasks run after the last action, in any order, twice.
        for _ in range(2):
            tasks.refresh_reports.call([report.pk])
            once = rows()
        self.assertEqual(once, rebuilt())
        self.assertEqual(RollupReport.objects.get(report=report).events, report.events.count())

    def test_the_catch_up_refreshes_a_report_whose_task_was_lost(self):
        kept, lost = factory.make_report(), factory.make_report()
        tasks.refresh_reports.call([kept.pk, lost.pk])
        actions.verify_report(kept, actor=self.coordinator)
        lost = actions.verify_report(lost, actor=self.coordinator)
        tasks.refresh_reports.call([kept.pk])  # the other one's task never ran
        self.assertNotEqual(rows(), rebuilt())
        now = timezone.now()
        # Events younger than the grace may still have their task in the queue: left alone.
        self.assertEqual(rollup.stale(now - dt.timedelta(hours=1), now - dt.timedelta(minutes=5)), [])
        later = now + dt.timedelta(minutes=settings.ADUAN_MONEV_CATCH_UP_MINUTES + 1)
        with time_machine.travel(later, tick=False):
            self.assertEqual(tasks.refresh_stale_rollup.call(), 1)
            self.assertEqual(rows(), rebuilt())
            self.assertEqual(tasks.refresh_stale_rollup.call(), 0)
        # Past the look-back: left to rebuild_monev_rollup.
        actions.dispose_report(lost, actor=self.coordinator, lead_agency=self.public_works)
        much_later = now + dt.timedelta(hours=settings.ADUAN_MONEV_CATCH_UP_HOURS + 1)
        with time_machine.travel(much_later, tick=False):
            self.assertEqual(tasks.refresh_stale_rollup.call(), 0)

    def test_the_catch_up_is_scheduled(self):
        self.assertEqual(
            settings.ADUAN_SCHEDULE["monev-rollup-catch-up"],
            {"task": "monev.tasks.refresh_stale_rollup", "every": settings.ADUAN_MONEV_CATCH_UP_MINUTES},
        )


@QUEUED
@override_settings(TASKS=IMMEDIATE)
class AfterCommitRefreshTest(AduanTestCase):
    """A backend other than the database's (RQ in production): enqueued after the commit."""

    def test_the_refresh_runs_after_the_commit_not_before(self):
        with self.captureOnCommitCallbacks(execute=False) as callbacks:
            report = factory.make_report()
            actions.verify_report(report, actor=self.coordinator)
        self.assertEqual(rows(), [])
        with mock.patch.object(rollup, "refresh", wraps=rollup.refresh) as refresh:
            for callback in callbacks:
                callback()
        refresh.assert_called_once_with([report.pk])
        self.assertEqual(rows(), rebuilt())

    def test_a_refused_enqueue_refreshes_at_once(self):
        with (
            mock.patch.object(ImmediateBackend, "enqueue", side_effect=ConnectionError("redis down")),
            self.assertLogs("monev.receivers", "ERROR") as logs,
            self.captureOnCommitCallbacks(execute=True),
        ):
            report = factory.make_report()
        self.assertIn("refreshing now", logs.output[0])
        self.assertEqual(RollupReport.objects.get(report=report).events, 1)
        self.assertEqual(rows(), rebuilt())


class KelurahanCentresTest(TwoGovernmentsBase):
    """The monev map's kelurahan centres (monev/dashboard.py) read one government's reports:
    in a province's installation a city's cold board is the city's size (issue 20)."""

    def test_each_government_reads_only_its_own_reports_once(self):
        from decimal import Decimal

        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        from monev import dashboard

        other = self.kediri
        kelurahan = factory.make_region("Bandar Lor", parent=factory.make_region("Kota", government=other))
        mine, theirs = factory.make_report(), factory.make_report()
        point = {"latitude": Decimal("-8.100000"), "longitude": Decimal("112.150000")}
        type(mine).objects.filter(pk=mine.pk).update(region=self.kelurahan, **point)
        type(theirs).objects.filter(pk=theirs.pk).update(government=other, region=kelurahan, **point)
        home = mine.government_id
        self.assertEqual(list(dashboard.kelurahan_centres(home)), [self.kelurahan.pk])
        self.assertEqual(list(dashboard.kelurahan_centres(other.pk)), [kelurahan.pk])
        with CaptureQueriesContext(connection) as queries:
            dashboard.kelurahan_centres(home)  # cached for its government
        self.assertEqual(len(queries), 0)
