"""A resident's submission does not wait for triage: the first read (suggestions, urgency,
likely duplicates) is a task for the worker, enqueued after the commit. A coordinator who
opens or decides on the report before the worker came still gets the suggestions."""

from unittest import mock

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from reports import actions
from reports.models import Report
from tests.base import AduanTestCase, temporary_triage_model
from tests.test_portal_submit import SubmitForm
from triage import actions as triage_actions
from triage.models import Decision, LikelyDuplicate, ReportTriage, Suggestion

TASK = "triage.tasks.triage_new_report"


class BackgroundTriageTests(SubmitForm, AduanTestCase):
    def setUp(self):
        self.model_dir = temporary_triage_model(self)
        triage_actions.forget_keyword_rules()  # rules cached by an earlier test name its categories

    def submitted(self):
        """The portal form posted and committed, the queries of the whole request kept."""
        with CaptureQueriesContext(connection) as queries, self.captureOnCommitCallbacks(execute=True):
            response = self.submit()
        self.assertEqual(response.status_code, 302)
        return Report.objects.latest("pk"), queries

    def queued_task(self, report):
        [queued] = [t for t in DBTaskResult.objects.filter(task_path=TASK) if t.args_kwargs["args"] == [report.pk]]
        return queued

    def test_the_submission_enqueues_triage_and_does_none_of_it(self):
        report, queries = self.submitted()
        # No query reads or writes triage's tables but the one row that writes the work
        # down with the report (triage/jobs.py); the task's row names the task, nothing more.
        triage_sql = [q["sql"] for q in queries if '"triage_' in q["sql"]]
        self.assertEqual(len(triage_sql), 1, triage_sql)
        self.assertTrue(triage_sql[0].startswith('INSERT INTO "triage_triagejob"'), triage_sql)
        self.assertFalse(ReportTriage.objects.filter(report=report).exists())
        self.assertEqual(self.queued_task(report).status, "READY")

    def test_the_task_row_is_written_with_the_report_not_after_its_commit(self):
        # The database queue: no commit of its own after the report's (a second WAL flush
        # the resident would wait for); rolled back with the report, committed with it.
        with self.captureOnCommitCallbacks(execute=False):
            response = self.submit()
        self.assertEqual(response.status_code, 302)
        self.assertEqual(self.queued_task(Report.objects.latest("pk")).status, "READY")

    def test_the_worker_reads_the_report_once(self):
        original = self.make_report(description="Lampu jalan di depan SDN Bendogerit 1 mati, gelap.")
        report, _ = self.submitted()
        queued = self.queued_task(report)
        self.assertIs(queued.task.call(*queued.args_kwargs["args"]), True)
        triage = ReportTriage.objects.get(report=report)
        self.assertIsNotNone(triage.duplicates_at)
        self.assertEqual(Suggestion.objects.get(report=report, rank=1).category, self.category)
        self.assertTrue(LikelyDuplicate.objects.filter(report=report, candidate=original).exists())
        # A second run (a retried task) keeps the first read.
        queued.task.call(*queued.args_kwargs["args"])
        self.assertEqual(ReportTriage.objects.get(report=report).suggested_at, triage.suggested_at)
        # A report deleted before the worker came is no error.
        self.assertIs(queued.task.call(999999), False)

    def test_the_coordinator_sees_suggestions_before_the_worker_came(self):
        report, _ = self.submitted()
        self.login(self.coordinator)
        response = self.client.get(reverse("workspace:report", args=[report.pk]))
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Dari aturan kata kunci")
        self.assertEqual([s.category for s in response.context["suggestions"]][:1], [self.category])
        # The worker, coming later, changes nothing.
        before = list(Suggestion.objects.filter(report=report).values_list("pk", flat=True))
        queued = self.queued_task(report)
        queued.task.call(*queued.args_kwargs["args"])
        self.assertEqual(list(Suggestion.objects.filter(report=report).values_list("pk", flat=True)), before)

    def test_a_decision_before_the_worker_came_is_measured_against_the_suggestion(self):
        report, _ = self.submitted()
        with self.captureOnCommitCallbacks(execute=True):
            actions.verify_report(report, actor=self.coordinator, category=self.other_category)
        triage = ReportTriage.objects.get(report=report)
        self.assertEqual(triage.category_decision, Decision.OVERRIDDEN)
        self.assertEqual(triage.final_category, self.other_category)

    def test_when_the_queue_refuses_the_report_is_read_at_once(self):
        refusing = mock.Mock(**{"name": "triage_new_report", "enqueue.side_effect": ConnectionError("queue down")})
        with mock.patch("triage.tasks.triage_new_report", refusing), self.assertLogs("triage.receivers", "ERROR"):
            report, _ = self.submitted()
        self.assertTrue(ReportTriage.objects.filter(report=report, duplicates_at__isnull=False).exists())
        self.assertFalse(DBTaskResult.objects.filter(task_path=TASK).exists())

    def test_a_new_kelurahan_enqueues_the_duplicates_again(self):
        report, _ = self.submitted()
        with self.captureOnCommitCallbacks(execute=True):
            actions.classify_report(report, actor=self.coordinator, region=self.other_kelurahan)
        [queued] = DBTaskResult.objects.filter(task_path="triage.tasks.refresh_duplicates")
        self.assertEqual(queued.args_kwargs["args"], [report.pk])
        # The kind alone does not change what the finder reads.
        with self.captureOnCommitCallbacks(execute=True):
            actions.classify_report(report, actor=self.coordinator, category=self.other_category)
        self.assertEqual(DBTaskResult.objects.filter(task_path="triage.tasks.refresh_duplicates").count(), 1)
