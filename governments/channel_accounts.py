"""The channel accounts of the governments: ``settings.ADUAN_CHANNEL_GOVERNMENTS`` read both ways.

An installation with several governments may give each its own WhatsApp number, Instagram
account, SMS gateway number or mailbox address: ``{"whatsapp:<phone-number id>":
"kota-kediri", "sms:+62812…": …, "email:lapor@kedirikota.go.id": …, "instagram:<account
id>": …}`` (from the environment: ``whatsapp:109876543210=kota-kediri,…``). Inbound, a new
report is filed into the government of the account it was sent to (intake/accounts.py);
outbound, a message to a resident goes out from the account of its government
(notify.actions.queue). Here only the mapping: accounts are compared normalised (an SMS
number in E.164, a mailbox in lower case), and nothing is looked up in the database.

Kept low (beside the governments, under notify and intake) so that both sides read the
one mapping.
"""

import contextlib

from django.conf import settings

from core import phones


def normalise(channel, account) -> str:
    """``account`` as the mapping compares it: an SMS number in E.164 (``0812…`` and
    ``62812…`` are ``+62812…``), a mailbox address in lower case, anything else stripped."""
    account = str(account or "").strip()
    if channel == "email":
        account = account.lower()
    elif channel == "sms":
        with contextlib.suppress(ValueError):
            account = phones.e164(account)
    return account


def _mapping() -> dict[tuple[str, str], str]:
    """(channel, normalised account) → government slug, in the setting's order."""
    mapping = {}
    for key, slug in (settings.ADUAN_CHANNEL_GOVERNMENTS or {}).items():
        channel, _colon, account = key.partition(":")
        channel = channel.strip().lower()
        mapping[(channel, normalise(channel, account))] = slug
    return mapping


def listed_accounts() -> dict[tuple[str, str], str]:
    """Every listed (channel, normalised account) → its government's slug."""
    return dict(_mapping())


def slug_for(channel, account) -> str | None:
    """The slug of the government ``account`` of ``channel`` is listed for, or None."""
    if not account:
        return None
    return _mapping().get((channel, normalise(channel, account)))


def listed(channel, account) -> str | None:
    """``account`` normalised when it is one of the listed accounts of ``channel`` (of any
    government), else None."""
    account = normalise(channel, account)
    return account if account and (channel, account) in _mapping() else None


def account_for(channel, government) -> str | None:
    """The account ``government`` has on ``channel`` (normalised: the WhatsApp phone-number
    id, the Instagram account id, the SMS number in E.164, the mailbox address), or None
    when it has none there. A government listed with several accounts of one channel
    (two mail aliases) answers from the first one listed."""
    slug = getattr(government, "slug", None)
    if not slug:
        return None
    for (listed_channel, account), listed_slug in _mapping().items():
        if listed_channel == channel and listed_slug == slug:
            return account
    return None
