import base64
import hashlib
import logging
import re
import sys
import threading
import time

from csp.decorators import csp_update
from django.conf import settings
from django.db import DatabaseError, InterfaceError, OperationalError, connection
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy

log = logging.getLogger(__name__)


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
    error = sys.exc_info()[1]  # Django calls this handler inside its except block
    if isinstance(error, (OperationalError, InterfaceError)) or _is_lost_connection(error):
        return database_unavailable(request, error)
    return render(request, "errors/500.html", status=500)


# ---------------------------------------------------------------------------- database outage

RETRY_AFTER_SECONDS = 30
# The typed fields shown as text boxes on the 503 page (the rest travel as hidden fields).
_SHOWN = {
    "title": gettext_lazy("Judul"),
    "description": gettext_lazy("Isi laporan"),
    "address": gettext_lazy("Alamat / patokan"),
    "message": gettext_lazy("Pesan"),
}
_outage_log = {"last": 0.0, "suppressed": 0}
_outage_lock = threading.Lock()
OUTAGE_LOG_EVERY = 60  # seconds: one log line per minute of outage, not one per request


def _is_lost_connection(error) -> bool:
    # psycopg raises its own errors when the server goes away mid-query; Django wraps most
    # in OperationalError, but not every one: closing a server-side cursor (a form's
    # ModelChoiceField iterates one on PostgreSQL) lets the driver's own error through.
    driver = connection.Database
    if isinstance(error, (driver.OperationalError, driver.InterfaceError)):
        return True
    return isinstance(error, (DatabaseError, driver.DatabaseError)) and "connection" in str(error).lower()


def _log_outage(error):
    with _outage_lock:
        now = time.monotonic()
        if now - _outage_log["last"] < OUTAGE_LOG_EVERY:
            _outage_log["suppressed"] += 1
            return
        suppressed, _outage_log["suppressed"], _outage_log["last"] = _outage_log["suppressed"], 0, now
    log.error(
        "Database unreachable; answering 503 (%d more in the last minute): %s",
        suppressed,
        error,
        extra={"error": str(error), "suppressed": suppressed},
    )


def database_unavailable(request, error=None):
    """503 with Retry-After while the database cannot be reached: a page that needs no
    database, says to wait, and on a form keeps what was typed, ready to send again (the
    form's one-time key makes a second send of a stored report return the same one)."""
    _log_outage(error)
    message = translation.gettext("Sistem sedang sibuk sebentar. Coba lagi dalam setengah menit.")
    if request.path.startswith(("/api/", "/open311/")):
        # Each API answers in its own error format (REST: api/errors.py; GeoReport v2).
        if request.path.startswith("/api/"):
            body = {"errors": [{"field": None, "code": "unavailable", "message": message}]}
        else:
            body = [{"code": 503, "description": message}]
        response = JsonResponse(body, status=503, safe=False)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        response._has_been_logged = True
        return response
    kept = []
    if request.method == "POST":
        try:
            # Everything typed, the form's token included (the same token is still good),
            # never a password.
            kept = [
                (name, value)
                for name, values in request.POST.lists()
                for value in values
                if "password" not in name.lower() and len(value) <= 20000
            ]
        except Exception:  # an unreadable body: nothing to keep, the page still answers
            kept = []
    # Rendered without the request: its context processors would ask the database (the
    # session, the staff profile) and fail again.
    page = loader.render_to_string(
        "errors/503.html",
        {
            "kept": [(name, value, _SHOWN.get(name)) for name, value in kept],
            "had_files": bool(request.method == "POST" and getattr(request, "_files", None)),
            "action": request.get_full_path(),
            "retry_after": RETRY_AFTER_SECONDS,
            # The installation's name, never a government's: naming one may ask the database
            # (or the cache behind it) that is down, and core sits below governments/.
            "site_name": settings.ADUAN_SITE_NAME,
            "LANGUAGE_CODE": translation.get_language(),
        },
    )
    response = HttpResponse(page, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response._has_been_logged = True  # logged above, once a minute; not once per request
    return response
