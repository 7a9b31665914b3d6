"""Staff tokens for the REST API: only a SHA-256 hash is stored; the token itself is shown
once, when a staff member obtains it with their username and password."""

import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

PREFIX = "adn_"


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


class StaffTokenQuerySet(models.QuerySet):
    def issue(self, user, name=""):
        """A new token for ``user``: (the StaffToken row, the token text shown once)."""
        key = PREFIX + secrets.token_urlsafe(32)
        token = self.create(user=user, key_hash=hash_key(key), prefix=key[: len(PREFIX) + 6], name=name[:100])
        return token, key

    def find(self, key):
        return self.select_related("user").filter(key_hash=hash_key(key), revoked_at__isnull=True).first()


class StaffToken(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("pengguna"), on_delete=models.CASCADE, related_name="api_tokens"
    )
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    prefix = models.CharField(_("awalan"), max_length=16, editable=False)
    name = models.CharField(_("nama perangkat"), max_length=100, blank=True)
    created_at = models.DateTimeField(_("dibuat"), default=timezone.now)
    last_used_at = models.DateTimeField(_("terakhir dipakai"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("dicabut"), null=True, blank=True)

    objects = StaffTokenQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("token API petugas")
        verbose_name_plural = _("token API petugas")

    def __str__(self):
        return f"{self.user} {self.prefix}…"
