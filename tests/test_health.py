"""The health endpoint that load balancers and monitoring poll."""

import datetime as dt
import uuid
from unittest import mock

import redis
from django.core.files.storage import default_storage
from django.db import OperationalError
from django.db.migrations.executor import MigrationExecutor
from django.test import override_settings
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from notify.models import OutboxMessage
from reports.models import Disposition, Report
from reports.tasks import close_resolved_reports
from tests import factory
from tests.base import AduanTestCase
from tests.test_tasks_backend import REDIS_URL, needs_redis


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
            mock.patch("aduan.readiness.connection.cursor", side_effect=OperationalError("connection refused")),
            self.assertLogs("aduan.readiness", "WARNING"),
        ):
            response = self.client.get("/health/")

        self.assertEqual(response.status_code, 503)
        self.assertEqual(response.json()["database"], "unreachable")
        self.assertNotIn(b"Traceback", response.content)
        self.assertNotIn(b"connection refused", response.content)


class ReadinessTests(AduanTestCase):
    """/readyz (and /health/, its first name) asks every part a request needs; /healthz only
    whether the process answers."""

    def test_liveness_answers_without_the_database(self):
        with mock.patch("aduan.readiness.connection.cursor", side_effect=OperationalError("down")):
            for url in ("/healthz", "/health/live/"):
                response = self.client.get(url)
                self.assertEqual((response.status_code, response.json()), (200, {"status": "ok"}), url)

    def test_ready_names_each_part_and_the_outbox_backlog(self):
        for n, state in enumerate([OutboxMessage.State.QUEUED, OutboxMessage.State.SENT]):
            OutboxMessage.objects.create(channel="email", recipient="w@example.id", body="-", state=state, dedupe_key=n)

        body = self.client.get("/readyz").json()

        self.assertEqual(
            body,
            {
                "status": "ok",
                "database": "ok",
                "pending_migrations": 0,
                "cache": "ok",
                "storage": "ok",
                "queue": "ok",
                "queue_depth": 0,
                "outbox_backlog": 1,
                "replica": "off",  # no ADUAN_DB_REPLICA_URL
                "replica_lag_seconds": None,
            },
        )

    def test_the_storage_probe_leaves_nothing_behind(self):
        self.client.get("/readyz")

        self.assertEqual(default_storage.listdir("readyz")[1], [])

    def test_media_storage_that_refuses_writes_is_not_ready(self):
        with (
            mock.patch.object(default_storage, "save", side_effect=PermissionError("read-only file system")),
            self.assertLogs("aduan.readiness", "WARNING"),
        ):
            response = self.client.get("/readyz")

        self.assertEqual(response.status_code, 503)
        self.assertEqual((response.json()["storage"], response.json()["status"]), ("unreachable", "fail"))
        self.assertNotIn(b"read-only", response.content)

    def test_a_shared_cache_that_is_gone_is_not_ready(self):
        gone = {
            "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": "redis://127.0.0.1:1/0"}
        }
        with override_settings(CACHES=gone), self.assertLogs("aduan.readiness", "WARNING"):
            response = self.client.get("/readyz")

        self.assertEqual(response.status_code, 503)
        self.assertEqual(response.json()["cache"], "unreachable")
        self.assertEqual(response.json()["database"], "ok")

    @needs_redis
    def test_queue_depth_is_read_from_redis_when_the_tasks_run_on_rq(self):
        queue = f"aduan-test-{uuid.uuid4().hex[:12]}"
        rq = {
            "TASKS": {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": [queue]}},
            "RQ_QUEUES": {queue: {"URL": REDIS_URL}, "default": {"URL": REDIS_URL}},
            "RQ": {"JOB_CLASS": "django_tasks_rq.Job"},
        }
        self.addCleanup(lambda: redis.Redis.from_url(REDIS_URL).delete(f"rq:queue:{queue}"))
        with override_settings(**rq):
            for _ in range(3):
                close_resolved_reports.using(queue_name=queue).enqueue()
            body = self.client.get("/readyz").json()

        self.assertEqual((body["queue"], body["queue_depth"]), ("ok", 3))
        self.assertEqual(DBTaskResult.objects.count(), 0)  # not the database's table

    def test_a_task_queue_that_is_gone_is_not_ready(self):
        queue = "aduan-test-gone"
        rq = {
            "TASKS": {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": [queue]}},
            "RQ_QUEUES": {queue: {"URL": "redis://127.0.0.1:1/0"}, "default": {"URL": "redis://127.0.0.1:1/0"}},
        }
        with override_settings(**rq), self.assertLogs("aduan.readiness", "WARNING"):
            response = self.client.get("/readyz")

        self.assertEqual(response.status_code, 503)
        self.assertEqual((response.json()["queue"], response.json()["queue_depth"]), ("unreachable", None))


class MetricsTests(AduanTestCase):
    """/metrics for Prometheus: django-prometheus's request metrics and Aduan's own gauges,
    only for the monitoring host or the token."""

    def test_the_scrape_has_request_latency_and_overdue_reports_per_agency(self):
        late = factory.make_disposed(self.coordinator, self.public_works)
        Disposition.objects.filter(report=late).update(follow_up_due_at=timezone.now() - dt.timedelta(hours=1))
        factory.make_disposed(self.coordinator, self.public_works)  # on time
        Report.objects.filter(pk=self.make_report().pk).update(due_at=timezone.now() - dt.timedelta(minutes=5))
        self.client.get("/healthz")

        response = self.client.get("/metrics")

        self.assertEqual(response.status_code, 200)
        self.assertTrue(response["Content-Type"].startswith("text/plain"))
        text = response.content.decode()
        self.assertIn('django_http_requests_latency_seconds_by_view_method_count{method="GET",view="healthz"}', text)
        self.assertIn('aduan_reports_overdue{agency="DPUPR"} 1.0', text)
        self.assertIn('aduan_reports_overdue{agency="ULPIM"} 1.0', text)
        self.assertNotIn('agency="Dishub"', text)
        self.assertIn("aduan_outbox_backlog ", text)
        # The three reports' triage tasks wait in the queue (written with each report).
        waiting = DBTaskResult.objects.filter(status="READY").count()
        self.assertEqual(waiting, 3)
        self.assertIn(f"aduan_task_queue_depth {float(waiting)}", text)

    def test_a_stranger_gets_404_and_the_token_opens_it_from_anywhere(self):
        elsewhere = {"REMOTE_ADDR": "203.0.113.9"}
        with override_settings(ADUAN_METRICS_TOKEN="rahasia-pemantauan-1234567890"):
            self.assertEqual(self.client.get("/metrics", **elsewhere).status_code, 404)
            wrong = self.client.get("/metrics", headers={"Authorization": "Bearer tebakan"}, **elsewhere)
            self.assertEqual(wrong.status_code, 404)
            right = self.client.get(
                "/metrics", headers={"Authorization": "Bearer rahasia-pemantauan-1234567890"}, **elsewhere
            )
            self.assertEqual(right.status_code, 200)
        with override_settings(ADUAN_METRICS_TOKEN=""):  # no token set: an empty bearer opens nothing
            self.assertEqual(
                self.client.get("/metrics", headers={"Authorization": "Bearer "}, **elsewhere).status_code, 404
            )
