"""Scheduled work of staffing (settings.ADUAN_SCHEDULE)."""

from django_tasks import task

from staffing import actions, expiry


@task()
def remind_expiring() -> int:
    """Reminders 30, 7 and 1 days before a decree or an appointment ends."""
    return expiry.remind_expiring()


@task()
def release_stranded_work() -> int:
    """Hand over open work held by people whose appointment has ended."""
    return actions.release_stranded_work()
