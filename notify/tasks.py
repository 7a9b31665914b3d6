"""Background work of the outbox (django-tasks). ``deliver_message`` is enqueued after the
commit that queued a message; the scheduler (settings.ADUAN_SCHEDULE) runs the sweep every
minute and the reminders every morning."""

from django_tasks import task

from notify import actions, reminders


@task()
def deliver_message(message_id: int) -> str | None:
    """Deliver one message (a no-op when another worker has it or it was sent)."""
    return actions.deliver(message_id)


@task()
def deliver_due() -> int:
    """Retries whose time has come, and messages whose delivery task was lost."""
    return actions.deliver_due()


@task()
def remind_due_work() -> int:
    """One email per agency staff member listing work due within a working day and work
    overdue; the number of messages queued."""
    return reminders.remind_due_work()
