"""The period a monev page shows when none is asked for.

This month, once it has run long enough to mean something; before that the last full
month. Early in a month nearly every on-time share is still empty (a first follow-up is
due after five working days), so the public agency table would be all "–" and the
dashboard a row of zeros. "Long enough" is two settings: at least
ADUAN_MONEV_MONTH_MIN_DAYS days (7) and at least ADUAN_MONEV_MONTH_MIN_REPORTS reports
received (20) in the city since the 1st. The page says which rule fell back.
"""

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from monev import figures, sums

COUNT_CACHE_SECONDS = 300


@dataclass(frozen=True)
class DefaultPeriod:
    start: dt.date
    end: dt.date
    fell_back: bool  # True: this month had too little, so the last full month is shown
    days_run: int  # days of this month so far, today included
    received: int | None  # reports received this month so far (None: not counted, too early)

    @property
    def note(self) -> str:
        """What the page says when it shows last month instead of this one."""
        if not self.fell_back:
            return ""
        days = ngettext(
            "Bulan ini baru berjalan %(days)d hari",
            "Bulan ini baru berjalan %(days)d hari",
            self.days_run,
        ) % {"days": self.days_run}
        if self.received is not None:
            days += ngettext(
                " dengan %(n)d laporan masuk",
                " dengan %(n)d laporan masuk",
                self.received,
            ) % {"n": self.received}
        return _("%(this_month)s; ditampilkan bulan lalu.") % {"this_month": days}


def received_this_month(today: dt.date) -> int:
    """Reports received in the city from the 1st to now (cached for a few minutes: the
    number only decides between two periods)."""
    key = f"monev:received-this-month:{today.isoformat()}"
    count = cache.get(key)
    if count is None:
        count = sums.count(figures.Filter(today.replace(day=1), today), "received")
        cache.set(key, count, COUNT_CACHE_SECONDS)
    return count


def default_period(today: dt.date) -> DefaultPeriod:
    this_start, this_end = figures.period_bounds("month", today)
    last_start, last_end = figures.period_bounds("month", this_start - dt.timedelta(days=1))
    days_run = today.day
    if days_run < settings.ADUAN_MONEV_MONTH_MIN_DAYS:
        return DefaultPeriod(last_start, last_end, True, days_run, None)
    received = received_this_month(today)
    if received < settings.ADUAN_MONEV_MONTH_MIN_REPORTS:
        return DefaultPeriod(last_start, last_end, True, days_run, received)
    return DefaultPeriod(this_start, this_end, False, days_run, received)
