"""Sent after the commit that made an outbox message ready to go (queued, released by the
one it waited for, or retried by a coordinator). notify/tasks.py listens and enqueues its
delivery: the work announces, the worker's module acts, and the work never imports it."""

from django.dispatch import Signal

# sender=OutboxMessage, message_id=int
message_ready = Signal()
