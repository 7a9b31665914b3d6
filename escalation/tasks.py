"""Scheduled work of the escalation ladder (settings.ADUAN_SCHEDULE)."""

from django_tasks import task

from escalation import ladder


@task()
def run_ladder() -> int:
    """Fire the rungs of the ladder that are due (working days only); the number fired."""
    return ladder.run_ladder()


@task()
def send_executive_digest() -> int:
    """The executives' daily digest of work escalated to the coordinator."""
    return ladder.send_executive_digest()
