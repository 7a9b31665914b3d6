"""Switching the outbox off for bulk work (the demo city creates thousands of events)."""

from contextlib import contextmanager
from contextvars import ContextVar

_muted: ContextVar[bool] = ContextVar("notify_muted", default=False)


@contextmanager
def muted():
    """Inside this block ``notify.actions.queue`` queues nothing (an event's messages are
    written with the event, in its transaction: wrap the action)."""
    token = _muted.set(True)
    try:
        yield
    finally:
        _muted.reset(token)


def is_muted() -> bool:
    return _muted.get()
