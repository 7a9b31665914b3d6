"""Prometheus metrics at /metrics: django-prometheus's request metrics plus Aduan's own.

django-prometheus's middleware counts requests and their latency per view. Aduan adds, read
from the database at scrape time (a few grouped counts, no report rows loaded):

- ``aduan_task_queue_depth``: tasks waiting to run, from the task backend in use;
- ``aduan_outbox_backlog``: messages still queued for sending;
- ``aduan_reports_overdue{agency=…}``: open dispositions past their deadline per agency, and
  the complaint unit's own (verification, on hold, objections) under its short name.

Under gunicorn every worker keeps its own request counters; with PROMETHEUS_MULTIPROC_DIR set
(gunicorn.conf.py sets it) the answering worker adds up every worker's files.
"""

import hmac
import os

from django.conf import settings
from django.db.models import Count
from django.http import Http404, HttpResponse
from django.utils import timezone
from prometheus_client import CONTENT_TYPE_LATEST, REGISTRY, CollectorRegistry, generate_latest, multiprocess
from prometheus_client.core import GaugeMetricFamily

from aduan import readiness
from agencies.models import Agency
from core.throttle import client_address
from reports.models import COORDINATOR_STATES, Disposition, Report


class AduanCollector:
    """Asked at every scrape; each figure is one query."""

    def collect(self):
        _, depth = readiness.queue_depth()
        queue = GaugeMetricFamily("aduan_task_queue_depth", "Tasks waiting to run.")
        if depth is not None:
            queue.add_metric([], depth)
        yield queue
        _, backlog = readiness.outbox_backlog()
        yield GaugeMetricFamily("aduan_outbox_backlog", "Messages still queued for sending.", value=backlog)
        overdue = GaugeMetricFamily(
            "aduan_reports_overdue", "Reports past the deadline of the agency holding them.", labels=["agency"]
        )
        for agency, count in overdue_per_agency():
            overdue.add_metric([agency], count)
        yield overdue


def overdue_per_agency():
    now = timezone.now()
    counts = dict(
        Disposition.objects.overdue(now)
        .values_list("agency__short_name")
        .annotate(n=Count("report", distinct=True))
        .values_list("agency__short_name", "n")
    )
    unit = Agency.objects.filter(is_complaint_unit=True).values_list("short_name", flat=True).first()
    if unit is not None:
        late_at_unit = Report.objects.filter(status__in=COORDINATOR_STATES, due_at__lt=now).count()
        late_at_unit += Report.objects.filter(status="objection", objection_due_at__lt=now).count()
        counts[unit] = counts.get(unit, 0) + late_at_unit
    return sorted(counts.items())


# Not described at registration: collecting queries the database, which import time must not.
_aduan_registry = CollectorRegistry()
_aduan_registry.register(AduanCollector())


def _allowed(request):
    token = settings.ADUAN_METRICS_TOKEN
    given = request.headers.get("Authorization", "").removeprefix("Bearer ").strip()
    if token and given and hmac.compare_digest(given.encode(), token.encode()):
        return True
    return client_address(request) in settings.ADUAN_METRICS_ALLOWED_IPS


def export(request):
    """The scrape: 404 for anyone not allowed, so the address tells a stranger nothing."""
    if not _allowed(request):
        raise Http404
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
    else:
        registry = REGISTRY
    body = generate_latest(registry) + generate_latest(_aduan_registry)
    return HttpResponse(body, content_type=CONTENT_TYPE_LATEST)
