"""Liveness, readiness and the Prometheus scrape: what load balancers and monitoring poll.

They sit in the project package, above every app, because readiness asks the outbox and the
metrics count overdue reports per agency.
"""

from django.contrib.auth.decorators import login_not_required
from django.http import JsonResponse
from django.views.decorators.cache import never_cache

from aduan import metrics, readiness


@login_not_required
@never_cache
def live(request):
    """Liveness (``/healthz``): the process answers, without touching the database."""
    return JsonResponse({"status": "ok"})


@login_not_required
@never_cache
def ready(request):
    """Readiness (``/readyz``) for load balancers and monitoring: 200 when the database
    answers, no migration is pending, and the shared cache, the media storage and the task
    queue work; 503 otherwise. Also reports the queue's depth (read from the task backend in
    use) and the outbox's backlog."""
    is_ready, body = readiness.report()
    body["status"] = "ok" if is_ready else "fail"
    return JsonResponse(body, status=200 if is_ready else 503)


@login_not_required
@never_cache
def metrics_export(request):
    """Prometheus's scrape (aduan/metrics.py): only from the allowed addresses or with the token."""
    return metrics.export(request)
