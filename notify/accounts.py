"""Which account a message goes out from: a government's own WhatsApp number, Instagram
account, SMS number or mailbox (``settings.ADUAN_CHANNEL_GOVERNMENTS``, read in
governments/channel_accounts.py), else the installation's own. The outbox stores it when it
queues a message (notify.actions.queue); the fallback asks it whether a channel can reach
a report's reporter at all (notify.fallback).
"""

from django.conf import settings

from governments.channel_accounts import account_for
from notify.models import OutboxMessage


def sending_account(channel, *, user=None, report=None, government=None, received_on=None) -> str:
    """The account a message goes out from (``""``: the installation's own, from settings).

    - an answer to a resident's message (``received_on`` not None): the account that
      message came to — on WhatsApp the only one whose 24-hour window is open;
    - to a staff member (``user``): the installation's;
    - to a resident about a report: the account of the last answer to their own message
      about it on this channel (they wrote to it; the report may since have been referred
      to another government), else the account the report's government has on this
      channel (``ADUAN_CHANNEL_GOVERNMENTS``), else the installation's;
    - to a resident about no report (an alert): ``government``'s account, else the
      installation's.
    """
    if received_on is not None:
        return str(received_on)
    if user is not None or not settings.ADUAN_CHANNEL_GOVERNMENTS:
        return ""  # one government's installation: no query
    if report is not None:
        answered = (
            OutboxMessage.objects.filter(report=report, channel=channel, user=None, answers_inbound=True)
            .order_by("-pk")
            .values_list("account", flat=True)
            .first()
        )
        if answered is not None:
            return answered
        government = report.government
    return account_for(channel, government) or ""
