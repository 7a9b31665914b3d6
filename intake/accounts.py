"""Which government a channel account files its new reports into.

An installation with several governments may give each its own WhatsApp number, Instagram
account, SMS gateway number or mailbox address. ``settings.ADUAN_CHANNEL_GOVERNMENTS``
names them: ``{"whatsapp:<phone-number id>": "kota-kediri", "sms:+62812…": …,
"email:lapor@kedirikota.go.id": …, "instagram:<account id>": …}`` (from the environment:
``whatsapp:109876543210=kota-kediri,…``). A message on an account not listed, or with no
account to go by, is filed into ``home_government()``, as before. A listed account whose
government does not exist is an error: the message stays ``failed`` for a human rather
than go to the wrong government. Only new reports are filed this way; a message about an
existing report (a reply, STATUS) goes to that report, whatever its government.
"""

import contextlib

from django.conf import settings

from core import phones
from core.errors import DomainError
from governments.models import Government, home_government


def _key(channel, account) -> str:
    account = str(account or "").strip()
    if channel == "email":
        account = account.lower()
    elif channel == "sms":
        with contextlib.suppress(ValueError):
            account = phones.e164(account)
    return f"{channel}:{account}"


def _mapping() -> dict:
    """The configured accounts, their keys normalised as incoming ones are."""
    mapping = {}
    for key, slug in (settings.ADUAN_CHANNEL_GOVERNMENTS or {}).items():
        channel, _colon, account = key.partition(":")
        mapping[_key(channel.lower(), account)] = slug
    return mapping


def government_for(channel: str, *accounts) -> Government:
    """The government of the first of ``accounts`` (the accounts the message was sent to)
    listed for ``channel``, else the default government."""
    mapping = _mapping()
    for account in accounts:
        if not account:
            continue
        slug = mapping.get(_key(channel, account))
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
