"""The demo's simulated clock: every action of the demo runs at the moment its story has
reached (``simulated_time`` makes ``timezone.now()`` answer it), never past the real now;
staff act in office hours."""

import datetime as dt
from contextlib import contextmanager
from dataclasses import dataclass
from unittest import mock

from django.utils import timezone

from core import workdays


@dataclass
class Clock:
    """The simulated "now"; it only moves forward and never past ``limit`` (the real now)."""

    moment: dt.datetime
    limit: dt.datetime

    def set(self, moment):
        self.moment = min(max(moment, self.moment), self.limit)

    def advance(self, hours):
        self.set(self.moment + dt.timedelta(hours=hours))


@contextmanager
def simulated_time(clock: Clock):
    """Make ``timezone.now()`` (used by every action) return ``clock.moment``."""
    with mock.patch("django.utils.timezone.now", new=lambda: clock.moment):
        yield clock


def _office_hours(moment, rng):
    """Staff act on working days between 08:00 and 16:00 local time."""
    local = timezone.localtime(moment)
    day = local.date()
    if local.hour >= 16 or not workdays.is_working_day(day):
        day += dt.timedelta(days=1)
        while not workdays.is_working_day(day):
            day += dt.timedelta(days=1)
    elif local.hour >= 8:
        return moment
    start = timezone.make_aware(dt.datetime.combine(day, dt.time(8, 0)))
    return start + dt.timedelta(minutes=rng.randint(0, 150))
