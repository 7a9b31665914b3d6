"""Issuing and revoking API keys: the only places that change an ApiKey's state; pruning
their use log."""

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apikeys.models import ApiKey, ApiKeyUse, hash_key, new_key
from apikeys.scopes import SCOPES
from core.errors import DomainError


def issue_key(*, name, organisation, scopes=None, rate_limit_per_minute=None, contact_email="", notes="", actor=None):
    """A new key: returns (the ApiKey row, the key text to show once).

    1. check the name, organisation and scopes (every registered scope when none given);
    2. draw a random key, store its prefix and SHA-256 only.
    """
    name = (name or "").strip()
    organisation = (organisation or "").strip()
    if not name or not organisation:
        raise DomainError(_("Nama aplikasi dan pemilik/organisasi wajib diisi."))
    scopes = list(SCOPES) if scopes is None else list(scopes)
    unknown = [scope for scope in scopes if scope not in SCOPES]
    if unknown:
        raise DomainError(_("Izin tidak dikenal: %(scopes)s") % {"scopes": ", ".join(unknown)})
    prefix, key = new_key()
    with transaction.atomic():
        api_key = ApiKey.objects.create(
            name=name[:120],
            organisation=organisation[:200],
            contact_email=contact_email,
            scopes=scopes,
            rate_limit_per_minute=rate_limit_per_minute or None,
            notes=notes,
            prefix=prefix,
            key_hash=hash_key(key),
            created_by=actor,
        )
    return api_key, key


def revoke_key(api_key) -> bool:
    """Revoke ``api_key`` at once; False when it was already revoked."""
    return bool(ApiKey.objects.filter(pk=api_key.pk, revoked_at__isnull=True).update(revoked_at=timezone.now()))


USE_LOG_DAYS = 180


def prune_uses(*, days=USE_LOG_DAYS, now=None) -> int:
    """Delete the use log rows older than ``days`` (one row per request: the log would
    grow without end). Rows younger than that stay. Answers how many were deleted."""
    cutoff = (now or timezone.now()) - dt.timedelta(days=days)
    deleted, _by_model = ApiKeyUse.objects.filter(at__lt=cutoff).delete()
    return deleted
