"""The health endpoint that load balancers and monitoring poll."""

from unittest import mock

from django.db import OperationalError
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from tests.base import AduanTestCase


class HealthTests(AduanTestCase):
    def test_healthy_system_answers_200_with_database_migrations_and_queue(self):
        response = self.client.get("/health/")

        self.assertEqual(response.status_code, 200)
        self.assertEqual(response["Content-Type"], "application/json")
        body = response.json()
        self.assertEqual(body["status"], "ok")
        self.assertEqual(body["database"], "ok")
        self.assertEqual(body["pending_migrations"], 0)
        self.assertEqual(body["queue_depth"], 0)

    def test_health_is_never_cached(self):
        response = self.client.get("/health/")

        self.assertIn("no-cache", response["Cache-Control"])

    def test_queue_depth_counts_tasks_waiting_to_run(self):
        for _ in range(2):
            DBTaskResult.objects.create(
                status="READY",
                task_path="tests.test_health.nothing",
                args_kwargs={"args": [], "kwargs": {}},
                priority=0,
                queue_name="default",
                backend_name="default",
                enqueued_at=timezone.now(),
            )

        body = self.client.get("/health/").json()

        self.assertEqual(body["queue_depth"], 2)

    def test_pending_migration_answers_503_without_a_stack_trace(self):
        plan = [(mock.Mock(name="reports.0099_future"), False)]
        with mock.patch.object(MigrationExecutor, "migration_plan", return_value=plan):
            response = self.client.get("/health/")

        self.assertEqual(response.status_code, 503)
        body = response.json()
        self.assertEqual(body["status"], "fail")
        self.assertEqual(body["database"], "ok")
        self.assertEqual(body["pending_migrations"], 1)
        self.assertNotIn(b"Traceback", response.content)

    def test_unreachable_database_answers_503_without_a_stack_trace(self):
        with (
            mock.patch("core.views.connection.cursor", side_effect=OperationalError("connection refused")),
            self.assertLogs("core.views", "WARNING"),
        ):
            response = self.client.get("/health/")

        self.assertEqual(response.status_code, 503)
        self.assertEqual(response.json()["database"], "unreachable")
        self.assertNotIn(b"Traceback", response.content)
        self.assertNotIn(b"connection refused", response.content)
