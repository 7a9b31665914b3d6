"""API keys issued by the administrator to third-party apps, and the log of their use.

Only a hash of a key is stored: a key reads ``adk_<prefix>_<secret>``; the prefix (public,
indexed) finds the row, and the SHA-256 of the whole key is compared in constant time.
The key text itself is shown once, when it is issued (admin or ``issue_api_key``).
"""

import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

KEY_START = "adk_"
PREFIX_LENGTH = 8


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def split_key(key: str) -> str | None:
    """The lookup prefix of a key written ``adk_<prefix>_<secret>``, else None."""
    if not key.startswith(KEY_START):
        return None
    prefix, sep, rest = key[len(KEY_START) :].partition("_")
    if not sep or len(prefix) != PREFIX_LENGTH or not rest:
        return None
    return prefix


def new_key() -> tuple[str, str]:
    """(prefix, key): a fresh key text and its lookup prefix."""
    prefix = secrets.token_hex(PREFIX_LENGTH // 2)
    return prefix, f"{KEY_START}{prefix}_{secrets.token_urlsafe(32)}"


class ApiKeyQuerySet(models.QuerySet):
    def active(self):
        return self.filter(revoked_at__isnull=True)


class ApiKey(models.Model):
    name = models.CharField(_("nama aplikasi"), max_length=120)
    organisation = models.CharField(_("pemilik / organisasi"), max_length=200)
    contact_email = models.EmailField(_("email kontak pemilik"), blank=True)
    scopes = models.JSONField(_("izin"), default=list, blank=True)
    rate_limit_per_minute = models.PositiveIntegerField(
        _("batas permintaan per menit"),
        null=True,
        blank=True,
        help_text=_("Kosongkan untuk memakai bawaan (ADUAN_API_KEY_RATE_LIMIT)."),
    )
    prefix = models.CharField(_("awalan"), max_length=16, unique=True, editable=False)
    key_hash = models.CharField(max_length=64, editable=False)
    notes = models.TextField(_("catatan"), blank=True)
    created_at = models.DateTimeField(_("dibuat"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    revoked_at = models.DateTimeField(_("dicabut"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("terakhir dipakai"), null=True, blank=True)

    objects = ApiKeyQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("kunci API")
        verbose_name_plural = _("kunci API")

    def __str__(self):
        return f"{self.name} ({KEY_START}{self.prefix}_…)"

    @property
    def is_active(self):
        return self.revoked_at is None

    @property
    def rate_limit(self) -> int:
        return self.rate_limit_per_minute or settings.ADUAN_API_KEY_RATE_LIMIT

    def has_scope(self, scope) -> bool:
        return scope in (self.scopes or [])


class ApiKeyUse(models.Model):
    """One request made with a key: one INSERT per request, nothing else."""

    key = models.ForeignKey(ApiKey, verbose_name=_("kunci API"), on_delete=models.CASCADE, related_name="uses")
    at = models.DateTimeField(_("waktu"), default=timezone.now)
    method = models.CharField(_("metode"), max_length=8)
    path = models.CharField(_("alamat"), max_length=300)
    status_code = models.PositiveSmallIntegerField(_("kode status"))
    remote_addr = models.GenericIPAddressField(_("alamat IP"), null=True, blank=True)

    class Meta:
        ordering = ["-at"]
        verbose_name = _("pemakaian kunci API")
        verbose_name_plural = _("pemakaian kunci API")
        indexes = [models.Index(fields=["key", "at"])]

    def __str__(self):
        return f"{self.key_id} {self.method} {self.path} {self.status_code}"
