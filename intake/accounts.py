"""Which government a channel account files its new reports into, and which account
answers a resident's message.

An installation with several governments may give each its own WhatsApp number, Instagram
account, SMS gateway number or mailbox address. ``settings.ADUAN_CHANNEL_GOVERNMENTS``
names them: ``{"whatsapp:<phone-number id>": "kota-kediri", "sms:+62812…": …,
"email:lapor@kedirikota.go.id": …, "instagram:<account id>": …}`` (from the environment:
``whatsapp:109876543210=kota-kediri,…``; the mapping itself is read in
governments/channel_accounts.py, where notify reads it too). A message on an account not
listed, or with no account to go by, is filed into ``home_government()``, as before. A
listed account whose government does not exist is an error: the message stays ``failed``
for a human rather than go to the wrong government. Only new reports are filed this way; a
message about an existing report (a reply, STATUS) goes to that report, whatever its
government.

The answer to a message goes out from the account it came to (``answering``): a resident
who wrote to Kota Kediri's WhatsApp number hears back from that number, inside the 24-hour
window that number holds.
"""

from core.errors import DomainError
from governments import channel_accounts
from governments.models import Government, home_government


def government_for(channel: str, *accounts) -> Government:
    """The government of the first of ``accounts`` (the accounts the message was sent to)
    listed for ``channel``, else the default government."""
    for account in accounts:
        slug = channel_accounts.slug_for(channel, account)
        if slug is None:
            continue
        government = Government.objects.filter(slug=slug, is_active=True).first()
        if government is None:
            raise DomainError(
                f"ADUAN_CHANNEL_GOVERNMENTS: the {channel} account {account} names {slug!r}, "
                "which is no active government of this installation."
            )
        return government
    return home_government()


def answering(channel: str, *accounts) -> str | None:
    """The account an answer to a message sent to ``accounts`` goes out from — for
    ``notify.actions.queue(received_on=…)``: the first of them listed for ``channel``
    (normalised); ``""`` (the installation's own account) when the message names accounts
    but none is listed; None when it names none (then the report's government decides)."""
    given = [account for account in accounts if account]
    for account in given:
        if listed := channel_accounts.listed(channel, account):
            return listed
    return "" if given else None
