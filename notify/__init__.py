"""The notification outbox: every message to a reporter or a staff member is a row here
first, delivered by a worker with retries (notify/actions.py)."""

from notify.muting import muted

__all__ = ["muted"]
