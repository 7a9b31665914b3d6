"""A report archived as outside the region's authority becomes a referral for SP4N-LAPOR!,
written in the archive's own transaction (reports.signals.event_written): a database cut
right after the commit cannot leave the archive without its referral."""

import logging

from django.db import transaction
from django.dispatch import receiver

from reports.models import ArchiveReason
from reports.signals import event_written

logger = logging.getLogger(__name__)


@receiver(event_written, dispatch_uid="lapor.referral_on_archive")
def referral_on_archive(sender, event, **kwargs):
    if event.action != "archived" or (event.data or {}).get("reason") != ArchiveReason.OUTSIDE_AUTHORITY:
        return
    from lapor import actions

    try:
        with transaction.atomic():  # a failure of its own is rolled back alone, and logged
            actions.create_referral(event.report, actor=event.actor)
    except Exception:  # the archive stands; a missing referral is logged, not raised
        logger.exception("could not create the SP4N-LAPOR! referral for report %s", event.report_id)
