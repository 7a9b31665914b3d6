"""Background work of accounts (django-tasks), on the notify queue with every other message."""

import datetime as dt
import logging

from django.utils import timezone
from django_tasks import task

from accounts import reset
from core import queues

logger = logging.getLogger(__name__)

# Minutes to wait after the 1st, 2nd, ... failed send, as the notify outbox backs off
# (notify/actions.py), but shorter: a reset is wanted now, and after about twenty minutes
# the person has likely asked again. After the last one the task fails for good.
RETRY_MINUTES = [1, 4, 15]


@task(queue_name=queues.NOTIFY)
def send_password_reset(user_id: int, language: str, attempt: int = 1) -> bool:
    """Write and send one password-reset email (accounts/reset.py).

    1. write and send it (False, nothing sent, when the account can no longer reset);
    2. when the mail server fails for a while (unreachable, a 4xx answer), enqueue this task
       again after the next wait of ``RETRY_MINUTES``, with the same arguments and nothing
       more (the link is made afresh then), and answer False;
    3. a refusal (5xx), the last attempt, or a backend that cannot wait: raise, and the task
       is recorded as failed.

    Whether the account exists shows nowhere but here: the page that queued it answered
    the same for any address."""
    try:
        return reset.send(user_id, language)
    except Exception as exc:
        if not reset.is_transient(exc) or attempt > len(RETRY_MINUTES):
            raise
        later = send_password_reset.using(run_after=timezone.now() + dt.timedelta(minutes=RETRY_MINUTES[attempt - 1]))
        if not later.get_backend().supports_defer:
            raise
        later.enqueue(user_id, language, attempt + 1)
        logger.warning("Password-reset email not sent (attempt %d, %s): retried later", attempt, type(exc).__name__)
        return False
