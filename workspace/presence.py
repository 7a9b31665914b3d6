"""Who else has a report open: a small record per report in the shared cache (user →
name and when they last had the page open), refreshed by the page's poll every 20
seconds. Lightweight on purpose: a lost entry only hides a notice for a moment."""

from django.core.cache import cache
from django.utils import timezone

# A viewer counts for this long after their page last asked (the page asks every 20 s).
VIEWING_SECONDS = 180


def _key(report_pk):
    return f"workspace:viewing:{report_pk}"


def note_viewer(report_pk, user) -> None:
    now = timezone.now().timestamp()
    viewers = {
        user_id: seen for user_id, seen in (cache.get(_key(report_pk)) or {}).items() if now - seen[1] < VIEWING_SECONDS
    }
    viewers[user.pk] = (user.get_full_name() or user.get_username(), now)
    cache.set(_key(report_pk), viewers, VIEWING_SECONDS)


def other_viewers(report_pk, user) -> list[str]:
    """Names of the other staff who had the report open in the last few minutes."""
    now = timezone.now().timestamp()
    viewers = cache.get(_key(report_pk)) or {}
    return sorted(
        name for user_id, (name, seen) in viewers.items() if user_id != user.pk and now - seen < VIEWING_SECONDS
    )
