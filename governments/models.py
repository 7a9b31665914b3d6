"""The governments of one installation: the tenants (docs/architecture.md, "Tenancy").

Every row that belongs to one government (its agencies, decrees, reports, categories and
regional holidays) carries a ``government`` foreign key, set when the row is made; the one
access helper (reports/access.py, agencies/roles.py) filters by it.
"""

import re

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.urls import Resolver404, resolve
from django.utils.translation import gettext_lazy as _

# A tracking number reads PREFIX-YEAR-NUMBER: letters and digits, no dash.
prefix_validator = RegexValidator(r"^[A-Z0-9]{2,12}$", _("Gunakan 2–12 huruf kapital atau angka, tanpa tanda hubung."))


# A host name as a browser sends it, without the port: labels of letters, digits and dashes.
# Capitals are accepted here and stored in lower case (clean, save).
host_validator = RegexValidator(
    r"^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)+$",
    _("Tulis nama host tanpa http:// dan tanpa port, mis. lapor.kedirikota.go.id."),
    flags=re.IGNORECASE,
)


class GovernmentQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)


class Government(models.Model):
    """A provincial, regency (kabupaten) or city (kota) government using the installation."""

    class Kind(models.TextChoices):
        PROVINCE = "provinsi", _("Provinsi")
        REGENCY = "kabupaten", _("Kabupaten")
        CITY = "kota", _("Kota")

    name = models.CharField(_("nama"), max_length=200, unique=True)
    # The path of the government's portal (``/kota-blitar/``) once portals are per government.
    slug = models.SlugField(_("slug"), max_length=60, unique=True)
    kind = models.CharField(_("jenis"), max_length=12, choices=Kind.choices, default=Kind.CITY)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("provinsi"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    # The portal's own host name (``lapor.kedirikota.go.id``): a request on it is this
    # government's (governments/middleware.py), before any ``/<slug>/`` path. Lower case,
    # no port; it must also be in ALLOWED_HOSTS.
    host = models.CharField(
        _("nama host portal"),
        max_length=253,
        unique=True,
        null=True,
        blank=True,
        validators=[host_validator],
        help_text=_("Mis. lapor.kedirikota.go.id; kosongkan bila portal hanya di /<slug>/."),
    )
    tracking_prefix = models.CharField(
        _("awalan nomor pelacakan"), max_length=12, unique=True, validators=[prefix_validator]
    )
    letterhead_name = models.CharField(_("kop surat: nama"), max_length=200, blank=True)
    letterhead_unit = models.CharField(_("kop surat: unit"), max_length=200, blank=True)
    letterhead_address = models.CharField(_("kop surat: alamat"), max_length=300, blank=True)
    # A path on the server (like ADUAN_LETTERHEAD_LOGO); empty: the installation's logo.
    letterhead_logo = models.CharField(_("kop surat: berkas logo"), max_length=300, blank=True)
    is_active = models.BooleanField(_("aktif"), default=True)

    objects = GovernmentQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("pemerintah daerah")
        verbose_name_plural = _("pemerintah daerah")

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.host = (self.host or "").strip().lower() or None
        super().save(*args, **kwargs)
        cache.delete(SEVERAL_KEY)

    def delete(self, *args, **kwargs):
        result = super().delete(*args, **kwargs)
        cache.delete(SEVERAL_KEY)
        return result

    def clean(self):
        self.host = (self.host or "").strip().lower() or None
        # The portal lives at /<slug>/ (governments/middleware.py): a slug that is already a
        # path of the site (lapor, laporan, kerja, admin…) would never reach it.
        if self.slug:
            try:
                resolve(f"/{self.slug}/")
            except Resolver404:
                return
            raise ValidationError(
                {"slug": _("Slug %(slug)s sudah dipakai oleh alamat situs ini.") % {"slug": self.slug}}
            )

    # The letterhead of the government's recaps: its own fields, else the installation's.
    @property
    def letterhead(self) -> dict:
        return {
            "name": self.letterhead_name or self.name,
            "unit": self.letterhead_unit or settings.ADUAN_LETTERHEAD_UNIT,
            "address": self.letterhead_address or settings.ADUAN_LETTERHEAD_ADDRESS,
            "logo": self.letterhead_logo or str(settings.ADUAN_LETTERHEAD_LOGO),
        }


def installation_government():
    """The default of every ``government`` column: the installation's government when it
    has exactly one (a single-government installation needs no change anywhere), else
    None — with several, a row made without naming its government is refused by the
    database (the columns are NOT NULL), never silently given to the wrong one."""
    ids = list(Government.objects.values_list("pk", flat=True)[:2])
    return ids[0] if len(ids) == 1 else None


SEVERAL_KEY = "governments:several"


def several_governments() -> bool:
    """Whether the installation has more than one active government: referral between
    governments (and the coordinator's "referred out" list) exists only then. Kept in the
    cache until a government is saved or deleted, so the inbox asks the database once."""
    several = cache.get(SEVERAL_KEY)
    if several is None:
        several = Government.objects.active().count() > 1
        cache.set(SEVERAL_KEY, several, None)
    return several


def home_government() -> Government:
    """The government a report with nothing else to go by belongs to (a public channel
    before portals are per government): the only one, else the oldest active one."""
    return Government.objects.active().order_by("pk").first()
