"""Working days: Monday–Friday minus Indonesian national holidays and cuti bersama (from
the maintained ``holidays`` library, categories public + government), corrected by the
administrator's CalendarEntry rows: the national ones (no government) and the government's
own, which win on the same date. Each function takes the ``government_id`` whose calendar
it reads; None reads the installation's first government's (a single-government
installation, and callers with no report at hand).

Deadlines are the end (23:59:59 local time) of the Nth working day after the start day.
"""

import datetime as dt
import time
from functools import lru_cache

import holidays
from django.core.cache import cache
from django.utils import timezone

_VERSION_KEY = "workdays:calendar-version"
# How long a process may use its cached calendar before it checks the database again; the
# process where the administrator edits the calendar reloads at once.
VERSION_TTL = 60


_local = {"version": None, "checked": 0.0}
LOCAL_TTL = 5  # seconds a process trusts its own copy of the version without asking the cache


def calendar_version() -> str:
    """A value that changes whenever the administrator edits the calendar: a cache key of
    anything computed in working days (monev's figures) includes it."""
    now = time.monotonic()
    if _local["version"] is not None and now - _local["checked"] < LOCAL_TTL:
        return _local["version"]
    version = cache.get(_VERSION_KEY)
    if version is None:
        from django.db.models import Count, Max

        from core.models import CalendarEntry

        stats = CalendarEntry.objects.aggregate(n=Count("pk"), last=Max("updated_at"))
        version = f"{stats['n']}:{stats['last']}"
        cache.set(_VERSION_KEY, version, VERSION_TTL)
    _local.update(version=version, checked=now)
    return version


def calendar_changed() -> None:
    """Called when the administrator edits the calendar: reload it here now; other
    processes notice within VERSION_TTL seconds (at once when they share a Redis cache)."""
    cache.delete(_VERSION_KEY)
    _local.update(version=None, checked=0.0)
    _days_off.cache_clear()
    _add_working_days.cache_clear()


def _entries(government_id):
    """The CalendarEntry rows of ``government_id``'s calendar, national ones first (so the
    government's own entry for a date is applied last)."""
    from django.db.models import F, Q

    from core.models import CalendarEntry

    if government_id is None:
        first = CalendarEntry._meta.get_field("government").related_model.objects.order_by("pk").first()
        government_id = first.pk if first is not None else 0
    return CalendarEntry.objects.filter(Q(government__isnull=True) | Q(government_id=government_id)).order_by(
        F("government").asc(nulls_first=True), "date"
    )


@lru_cache(maxsize=64)
def _days_off(year: int, version: str, government_id=None) -> tuple[frozenset, frozenset]:
    from core.models import CalendarEntry

    national = holidays.country_holidays("ID", years=year, categories=("public", "government"))
    off = set(national.keys())
    extra_working = set()
    for entry in _entries(government_id).filter(date__year=year):
        if entry.kind == CalendarEntry.Kind.HOLIDAY:
            extra_working.discard(entry.date)
            off.add(entry.date)
        else:
            extra_working.add(entry.date)
            off.discard(entry.date)
    return frozenset(off), frozenset(extra_working)


def is_working_day(day: dt.date, government_id=None) -> bool:
    off, extra_working = _days_off(day.year, calendar_version(), government_id)
    if day in extra_working:
        return True
    return day.weekday() < 5 and day not in off


def holiday_name(day: dt.date, government_id=None) -> str | None:
    entry = _entries(government_id).filter(date=day).last()
    if entry:
        return entry.name
    return holidays.country_holidays("ID", years=day.year, categories=("public", "government")).get(day)


def local_date(moment: dt.datetime | dt.date) -> dt.date:
    if isinstance(moment, dt.datetime):
        return timezone.localtime(moment).date()
    return moment


def end_of_day(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(23, 59, 59)))


def add_working_days(start: dt.datetime | dt.date, days: int, government_id=None) -> dt.datetime:
    """The end of the ``days``-th working day after ``start``'s day."""
    zone = timezone.get_current_timezone()  # looked up once (a bulk import asks 100,000 times)
    day = timezone.localtime(start, zone).date() if isinstance(start, dt.datetime) else start
    # The zone's name as timezone.get_current_timezone_name() gives it.
    return _add_working_days(day, days, calendar_version(), zone.tzname(None) or str(zone), government_id)


@lru_cache(maxsize=4096)
def _add_working_days(day: dt.date, days: int, version: str, zone: str, government_id=None) -> dt.datetime:
    """Remembered per start day, calendar version and time zone: a bulk import asks the
    same few deadlines for thousands of reports started at the same moment."""
    remaining = days
    while remaining > 0:
        day += dt.timedelta(days=1)
        if is_working_day(day, government_id):
            remaining -= 1
    return end_of_day(day)


def working_days_between(start: dt.datetime | dt.date, end: dt.datetime | dt.date, government_id=None) -> int:
    """Working days d with start's day < d <= end's day (0 if end is not after start)."""
    first, last = local_date(start), local_date(end)
    count = 0
    day = first
    while day < last:
        day += dt.timedelta(days=1)
        if is_working_day(day, government_id):
            count += 1
    return count


def shift_by_working_days(moment: dt.datetime, days: int, government_id=None) -> dt.datetime:
    """Move a deadline later by ``days`` working days (used when a hold ends)."""
    if days <= 0:
        return moment
    return add_working_days(moment, days, government_id)
