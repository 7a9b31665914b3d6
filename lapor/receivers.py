"""A report archived as outside the region's authority becomes a referral for SP4N-LAPOR!,
written in the archive's own transaction (reports.signals.event_written): a database cut
right after the commit cannot leave the archive without its referral."""

import logging

from django.dispatch import receiver

from reports.models import ArchiveReason
from reports.signals import contained, event_written

logger = logging.getLogger(__name__)


@receiver(event_written, dispatch_uid="lapor.referral_on_archive")
def referral_on_archive(sender, event, **kwargs):
    if event.action != "archived" or (event.data or {}).get("reason") != ArchiveReason.OUTSIDE_AUTHORITY:
        return
    from lapor import actions

    # A failure of its own is rolled back alone and logged (the archive stands); a lost
    # database fails the archive with it.
    with contained(logger, "could not create the SP4N-LAPOR! referral for report %s", event.report_id):
        actions.create_referral(event.report, actor=event.actor)
