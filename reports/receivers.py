"""The reports app's answers to other apps' signals."""

import datetime as dt

from django.dispatch import receiver
from django.utils.translation import gettext as _

from core.backup import restored
from reports.actions.numbering import estimated_skip, skip_tracking_numbers


@receiver(restored)
def skip_numbers_given_since_the_backup(sender, manifest, skip_numbers=None, **kwargs) -> list[str]:
    """A restored installation must not give a resident a tracking number already given to
    another after the backup was made: every counter moves on (``skip_numbers``, or an
    estimate from the backup's own daily rate and the days since). Answers the lines the
    restore command prints."""
    since = dt.datetime.fromisoformat(manifest["created_at"])
    if skip_numbers is None:
        skip_numbers, per_day, days = estimated_skip(since)
        lines = [
            _(
                "Nomor pelacakan: %(per_day).1f laporan per hari sebelum cadangan × %(days)d hari sejak cadangan "
                "× 2, paling sedikit 100: %(skip)d nomor dilompati."
            )
            % {"per_day": per_day, "days": days, "skip": skip_numbers}
        ]
    else:
        lines = [_("Nomor pelacakan: %(skip)d nomor dilompati (--skip-numbers).") % {"skip": skip_numbers}]
    for prefix, year, before, after in skip_tracking_numbers(since=since, skip=skip_numbers):
        lines.append(
            _(
                "  %(prefix)s-%(year)d: nomor terakhir %(before)d → %(after)d; "
                "laporan berikutnya %(prefix)s-%(year)d-%(next)06d."
            )
            % {"prefix": prefix, "year": year, "before": before, "after": after, "next": after + 1}
        )
    return lines
