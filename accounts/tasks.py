"""Background work of accounts (django-tasks), on the notify queue with every other message."""

from django_tasks import task

from accounts import reset
from core import queues


@task(queue_name=queues.NOTIFY)
def send_password_reset(user_id: int, language: str) -> bool:
    """Write and send one password-reset email (accounts/reset.py)."""
    return reset.send(user_id, language)
