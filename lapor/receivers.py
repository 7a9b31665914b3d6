"""A report archived as outside the region's authority becomes a referral for SP4N-LAPOR!
(reports.signals.event_recorded, after the archive commits)."""

import logging

from django.dispatch import receiver

from reports.models import ArchiveReason
from reports.signals import event_recorded

logger = logging.getLogger(__name__)


@receiver(event_recorded, dispatch_uid="lapor.referral_on_archive")
def referral_on_archive(sender, event, **kwargs):
    if event.action != "archived" or (event.data or {}).get("reason") != ArchiveReason.OUTSIDE_AUTHORITY:
        return
    from lapor import actions

    try:
        actions.create_referral(event.report, actor=event.actor)
    except Exception:  # the archive is committed; a missing referral is logged, not raised
        logger.exception("could not create the SP4N-LAPOR! referral for report %s", event.report_id)
