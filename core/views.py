import base64
import hashlib
import logging
import re

from csp.decorators import csp_update
from django.conf import settings
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache

log = logging.getLogger(__name__)


@never_cache
def live(request):
    """Liveness: the process answers, without touching the database."""
    return JsonResponse({"status": "ok"})


@never_cache
def health(request):
    """For load balancers and monitoring: 200 when the database answers and no migration is
    pending, 503 otherwise; also reports the task queue's depth."""
    body = {"database": "ok", "pending_migrations": 0, "queue_depth": None}
    status = 200
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        executor = MigrationExecutor(connection)
        plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
        body["pending_migrations"] = len(plan)
        if plan:
            status = 503
        else:
            from django_tasks_db.models import DBTaskResult

            body["queue_depth"] = DBTaskResult.objects.filter(status="READY").count()
    except Exception as exc:  # the point of this view is to report, never to crash
        log.warning("health check failed", extra={"error": str(exc)})
        body["database"] = "unreachable"
        status = 503
    body["status"] = "ok" if status == 200 else "fail"
    return JsonResponse(body, status=status)


def bad_request(request, exception=None):
    return render(request, "errors/400.html", status=400)


def permission_denied(request, exception=None):
    return render(request, "errors/403.html", status=403)


def csrf_failure(request, reason=""):
    """A stale or missing form token: say so plainly instead of Django's technical page."""
    referer = request.headers.get("Referer", "")
    safe = url_has_allowed_host_and_scheme(referer, {request.get_host()}, require_https=request.is_secure())
    return render(request, "errors/csrf.html", {"back_url": referer if safe else None}, status=403)


def page_not_found(request, exception=None):
    return render(request, "errors/404.html", status=404)


def _inline_style_hash(template):
    """The CSP source allowing the one <style> of a self-contained template."""
    source = (settings.BASE_DIR / "templates" / template).read_text()
    style = re.search(r"<style>(.*?)</style>", source, re.S).group(1)
    return "'sha256-" + base64.b64encode(hashlib.sha256(style.encode()).digest()).decode() + "'"


# The 500 page needs no static file (they may be what is broken); its <style> is allowed by
# its hash, on that page only.
@csp_update({"style-src": [_inline_style_hash("errors/500.html")]})
def server_error(request):
    return render(request, "errors/500.html", status=500)
