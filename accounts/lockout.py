"""Login lockout: django-axes' database handler with one limit per lockout parameter, and
the page (or API answer) a locked-out login gets.

settings.ADUAN_LOGIN_LIMITS pairs each of axes' lockout parameters with its own limit (an
account from one address, an account from anywhere, an address across every account). Axes
compares one number with one limit, so ``get_failures`` answers each group's failures
scaled to the first limit: it reaches ``AXES_FAILURE_LIMIT`` exactly when some group
reached its own limit.

The counts live in the database (``axes.models.AccessAttempt``), shared by every worker and
app server. The system administrator unlocks an account by deleting its rows in the admin
(Axes › Kegagalan akses, or the user list's "Buka kunci login") or with ``manage.py axes_reset_username <username>``.
"""

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username, get_cool_off, get_failure_limit
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Sum
from django.shortcuts import render


def lockout_parameters(request_or_attempt=None, credentials=None) -> list:
    return [list(parameters) for parameters, _limit in settings.ADUAN_LOGIN_LIMITS]


def failure_limit(request=None, credentials=None) -> int:
    return settings.ADUAN_LOGIN_LIMITS[0][1]


class LoginLockoutHandler(AxesDatabaseHandler):
    def get_failures(self, request, credentials=None) -> int:
        limit = get_failure_limit(request, credentials)
        worst = 0
        groups = zip(settings.ADUAN_LOGIN_LIMITS, self.get_user_attempts(request, credentials), strict=True)
        for (_parameters, group_limit), attempts in groups:
            failures = attempts.aggregate(n=Sum("failures_since_start"))["n"] or 0
            worst = max(worst, failures * limit // max(group_limit, 1))
        return worst

    def reset_user_attempts(self, request, credentials=None) -> int:
        """A successful login clears only that account's failures from that address: clearing
        the address's count would let someone who owns one account keep guessing others."""
        username = get_client_username(request, credentials)
        deleted, _ = AccessAttempt.objects.filter(username=username, ip_address=request.axes_ip_address).delete()
        return deleted


def cool_off_minutes(request=None) -> int:
    return max(1, int(get_cool_off(request).total_seconds() // 60))


def lockout_response(request, original_response=None, credentials=None):
    """The answer to a locked-out login: the API has already answered in its own JSON format
    (api/views_staff.py), a page gets a friendly explanation in the visitor's language. 429
    with Retry-After, as the other rate limits answer; never a stack trace."""
    if original_response is not None and original_response.get("Content-Type", "").startswith("application/json"):
        return original_response
    minutes = cool_off_minutes(request)
    response = render(request, "accounts/locked_out.html", {"minutes": minutes}, status=429)
    response["Retry-After"] = str(minutes * 60)
    return response
