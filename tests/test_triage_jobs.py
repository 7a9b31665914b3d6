"""Triage an event calls for is written down in the event's own transaction (TriageJob),
so a database cut right after the commit loses none of it: the scheduler's sweep does what
the lost after-commit run or task would have done."""

import datetime as dt
from unittest import mock

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from reports import actions
from tests.base import AduanTestCase, temporary_triage_model
from triage import actions as triage_actions
from triage import jobs
from triage.models import Decision, ReportTriage, TriageJob

LATER = dt.timedelta(minutes=jobs.STRANDED_MINUTES + 1)


class TriageJobTests(AduanTestCase):
    def setUp(self):
        self.model_dir = temporary_triage_model(self)
        triage_actions.forget_keyword_rules()

    def test_the_job_is_written_with_the_report_and_rolls_back_with_it(self):
        with self.assertRaises(ZeroDivisionError), transaction.atomic():
            report = self.make_report()
            self.assertEqual(list(TriageJob.objects.filter(report=report).values_list("kind", flat=True)), ["read"])
            raise ZeroDivisionError  # anything that undoes the transaction
        self.assertFalse(TriageJob.objects.exists())

    def test_a_submission_whose_after_commit_work_was_lost_is_read_by_the_sweep_once(self):
        with self.captureOnCommitCallbacks(execute=False):  # the process dies after the commit
            report = self.make_report()
        self.assertFalse(ReportTriage.objects.filter(report=report).exists())

        self.assertEqual(jobs.run_stranded(), 0)  # too fresh: its task may still come
        self.assertEqual(jobs.run_stranded(now=timezone.now() + LATER), 1)

        triage = ReportTriage.objects.get(report=report)
        self.assertIsNotNone(triage.duplicates_at)
        self.assertFalse(TriageJob.objects.exists())
        self.assertEqual(jobs.run_stranded(now=timezone.now() + LATER), 0)

    def test_a_lost_decision_is_recorded_by_the_sweep_with_its_coordinator(self):
        with self.captureOnCommitCallbacks(execute=True):
            report = self.make_report()
        self.assertIs(jobs.perform(report.pk, "read"), True)  # what the worker's task does
        self.assertFalse(TriageJob.objects.exists())
        with self.captureOnCommitCallbacks(execute=False):
            actions.verify_report(report, actor=self.coordinator, category=self.other_category)
        self.assertEqual(ReportTriage.objects.get(report=report).category_decision, Decision.PENDING)

        self.assertEqual(jobs.run_stranded(now=timezone.now() + LATER), 1)

        triage = ReportTriage.objects.get(report=report)
        self.assertEqual((triage.category_decision, triage.final_category), (Decision.OVERRIDDEN, self.other_category))
        self.assertEqual(triage.decided_by, self.coordinator)
        self.assertFalse(TriageJob.objects.exists())

    def test_work_done_after_the_commit_leaves_no_job_for_the_sweep(self):
        with self.captureOnCommitCallbacks(execute=True):
            report = self.make_report()
            actions.verify_report(report, actor=self.coordinator)
        # The read is the worker's (its task is queued); the decision was done at once.
        self.assertEqual(list(TriageJob.objects.values_list("kind", flat=True)), ["read"])
        self.assertEqual(ReportTriage.objects.get(report=report).category_decision, Decision.ACCEPTED)

    def test_a_job_that_keeps_failing_is_dropped_after_its_attempts(self):
        with self.captureOnCommitCallbacks(execute=False):
            self.make_report()
        later = timezone.now() + LATER
        with mock.patch("triage.actions.read_new_report", side_effect=RuntimeError("bug")):
            with self.assertLogs("triage.jobs", "ERROR"):
                for _ in range(jobs.MAX_ATTEMPTS - 1):
                    self.assertEqual(jobs.run_stranded(now=later), 0)
            self.assertEqual(TriageJob.objects.get().attempts, jobs.MAX_ATTEMPTS - 1)
            with self.assertLogs("triage.jobs", "ERROR") as logs:
                jobs.run_stranded(now=later)
        self.assertIn("dropped", "\n".join(logs.output))
        self.assertFalse(TriageJob.objects.exists())

    def test_the_sweep_is_scheduled(self):
        entry = settings.ADUAN_SCHEDULE["triage-stranded-jobs"]
        self.assertEqual(type(import_string(entry["task"])).__name__, "Task")
        self.assertLessEqual(entry["every"], jobs.STRANDED_MINUTES)
