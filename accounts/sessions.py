"""Ending a user's other sessions: when the account's sign-in changes (two-factor turned
on), a session opened elsewhere before it, perhaps by whoever knew the password alone,
must not live on.

The session store (``SESSION_ENGINE``, the database by default) keeps no index by user:
the live sessions are read and decoded, as Zulip does (``delete_user_sessions``). It runs
on a rare step (enrolling), never on a page view. Each found session is deleted through the
engine's own store, so a cached store forgets it too."""

from importlib import import_module

from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.utils import timezone


def end_other_sessions(user, *, keep: str | None) -> int:
    """Delete every live session of ``user`` but the one keyed ``keep``; answers how many."""
    store = import_module(settings.SESSION_ENGINE).SessionStore
    live = store.get_model_class().objects.filter(expire_date__gt=timezone.now())
    if keep:
        live = live.exclude(session_key=keep)
    user_id = str(user.pk)
    ended = [row.session_key for row in live.iterator() if row.get_decoded().get(SESSION_KEY) == user_id]
    for key in ended:
        store(session_key=key).delete()
    return len(ended)
