"""Background work of the outbox (django-tasks). ``deliver_message`` is enqueued after the
commit that queued a message; the scheduler (settings.ADUAN_SCHEDULE) runs the sweep every
minute. Reminders of due and overdue work are the escalation ladder's (escalation/)."""

from django.dispatch import receiver
from django_tasks import task

from core import queues
from notify import actions
from notify.signals import message_ready


@task(queue_name=queues.NOTIFY)
def deliver_message(message_id: int) -> str | None:
    """Deliver one message (a no-op when another worker has it or it was sent)."""
    return actions.deliver(message_id)


@task(queue_name=queues.NOTIFY)
def deliver_due() -> int:
    """Retries whose time has come, and messages whose delivery task was lost."""
    return actions.deliver_due()


@receiver(message_ready, dispatch_uid="notify.tasks.deliver_when_ready")
def deliver_when_ready(sender, message_id, **kwargs):
    deliver_message.enqueue(message_id)
