"""Tracking numbers after a restore: a backup holds the counters as they were when it was
made; residents may have been given numbers after that, which the restored installation
would hand out again. ``skip_tracking_numbers`` moves every counter past them."""

import datetime as dt
import math

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from reports.models import Report, TrackingCounter

# Without a better figure, a restore leaves at least this many numbers unused per counter.
MIN_SKIP = 100
# The daily rate is read from this many days before the backup, then doubled for safety.
RATE_WINDOW_DAYS = 30
SAFETY_FACTOR = 2


def estimated_skip(backup_at: dt.datetime, *, now=None) -> tuple[int, float, int]:
    """(numbers to skip, reports numbered per day before the backup, whole days since it)."""
    now = now or timezone.now()
    numbered = Report.objects.filter(
        created_at__gt=backup_at - dt.timedelta(days=RATE_WINDOW_DAYS), created_at__lte=backup_at
    ).count()
    per_day = numbered / RATE_WINDOW_DAYS
    days = max(1, math.ceil((now - backup_at) / dt.timedelta(days=1)))
    return max(MIN_SKIP, math.ceil(SAFETY_FACTOR * per_day * days)), per_day, days


def skip_tracking_numbers(*, since: dt.datetime, skip: int, now=None) -> list[tuple[str, int, int, int]]:
    """Advance by ``skip`` the counter of every prefix for each year from ``since`` (the
    backup's time) to now, creating the missing ones (a year that began after the backup);
    answers (prefix, year, last before, last after) for each."""
    now = now or timezone.now()
    years = range(timezone.localtime(since).year, timezone.localtime(now).year + 1)
    changed = []
    with transaction.atomic():
        prefixes = {settings.ADUAN_TRACKING_PREFIX, *TrackingCounter.objects.values_list("prefix", flat=True)}
        for prefix in sorted(prefixes):
            for year in years:
                counter, _created = TrackingCounter.objects.select_for_update().get_or_create(prefix=prefix, year=year)
                before = counter.last
                counter.last = before + skip
                counter.save(update_fields=["last"])
                changed.append((prefix, year, before, counter.last))
    return changed
