"""The governments of one installation: the tenants (docs/architecture.md, "Tenancy").

Every row that belongs to one government (its agencies, decrees, reports, categories and
regional holidays) carries a ``government`` foreign key, set when the row is made; the one
access helper (reports/access.py, agencies/roles.py) filters by it.
"""

import re

from django import forms
from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.urls import Resolver404, resolve
from django.utils.translation import gettext
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


# An official's NIP (Nomor Induk Pegawai): 18 digits, usually written 19700101 199003 1 001.
nip_validator = RegexValidator(r"^[0-9]{18}$", _("NIP harus 18 angka (spasi boleh), mis. 19700101 199003 1 001."))


def without_spaces(value: str) -> str:
    return re.sub(r"\s+", "", value or "")


class NipFormField(forms.CharField):
    """A NIP as typed, with or without its spaces; cleaned without them."""

    def to_python(self, value):
        return without_spaces(super().to_python(value))

    def widget_attrs(self, widget):
        return {**super().widget_attrs(widget), "inputmode": "numeric", "autocomplete": "off"}


class NipField(models.CharField):
    """A NIP, stored as its 18 digits: spaces typed in it (the admin's form, full_clean)
    are dropped before it is validated."""

    def __init__(self, *args, **kwargs):
        kwargs["max_length"] = 18
        super().__init__(*args, **kwargs)

    def to_python(self, value):
        return without_spaces(super().to_python(value))

    def formfield(self, **kwargs):
        # No maxlength on the input: "19700101 199003 1 001" is 21 characters as typed.
        return super().formfield(**{"form_class": NipFormField, "max_length": None, **kwargs})


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
    # The signature block of the government's recaps: the place before the date, and the
    # official who signs. Empty place: ADUAN_SIGNATORY_PLACE; no title, name nor NIP: the
    # ADUAN_SIGNATORY_* official (a single-government installation changes nothing).
    signatory_place = models.CharField(
        _("penanda tangan: tempat"),
        max_length=100,
        blank=True,
        help_text=_("Tempat di depan tanggal tanda tangan, mis. Kediri; kosong: dari pengaturan."),
    )
    signatory_title = models.CharField(
        _("penanda tangan: jabatan"),
        max_length=200,
        blank=True,
        help_text=_("Kosongkan jabatan, nama dan NIP untuk memakai penanda tangan dari pengaturan."),
    )
    signatory_name = models.CharField(
        _("penanda tangan: nama"),
        max_length=200,
        blank=True,
        help_text=_("Nama lengkap dengan gelar; kosong: garis titik untuk ditulis tangan."),
    )
    signatory_nip = NipField(
        _("penanda tangan: NIP"),
        blank=True,
        validators=[nip_validator],
        help_text=_("18 angka, boleh dengan spasi (mis. 19700101 199003 1 001); kosong: garis titik."),
    )
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
        self.signatory_nip = without_spaces(self.signatory_nip)
        super().save(*args, **kwargs)
        cache.delete_many([SEVERAL_KEY, HOME_KEY])

    def delete(self, *args, **kwargs):
        result = super().delete(*args, **kwargs)
        cache.delete_many([SEVERAL_KEY, HOME_KEY])
        return result

    def clean(self):
        self.host = (self.host or "").strip().lower() or None
        # One official signs: a name or NIP without the title would print under the
        # installation's title (ADUAN_SIGNATORY_TITLE), someone else's office.
        if (self.signatory_name or self.signatory_nip) and not self.signatory_title:
            raise ValidationError({"signatory_title": _("Isi jabatan penanda tangan bila nama atau NIP-nya diisi.")})
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

    # The signature block of the government's recaps: its place, else the installation's;
    # its official (title, name, NIP) when it names one, else the installation's — never
    # one person's name beside another's NIP. A blank name or NIP prints a dotted line.
    @property
    def signatory(self) -> dict:
        place = self.signatory_place or settings.ADUAN_SIGNATORY_PLACE
        if not (self.signatory_title or self.signatory_name or self.signatory_nip):
            return {**installation_signatory(), "place": place}
        nip = self.signatory_nip
        if len(nip) == 18:  # as it is written on paper: 19700101 199003 1 001
            nip = f"{nip[:8]} {nip[8:14]} {nip[14]} {nip[15:]}"
        return {"place": place, "title": self.signatory_title, "name": self.signatory_name, "nip": nip}


def installation_signatory() -> dict:
    """The ADUAN_SIGNATORY_* settings' signature block (a recap of no government)."""
    return {
        "place": settings.ADUAN_SIGNATORY_PLACE,
        "title": settings.ADUAN_SIGNATORY_TITLE,
        "name": settings.ADUAN_SIGNATORY_NAME,
        "nip": settings.ADUAN_SIGNATORY_NIP,
    }


def installation_government():
    """The default of every ``government`` column: the installation's government when it
    has exactly one (a single-government installation needs no change anywhere), else
    None — with several, a row made without naming its government is refused by the
    database (the columns are NOT NULL), never silently given to the wrong one."""
    ids = list(Government.objects.values_list("pk", flat=True)[:2])
    return ids[0] if len(ids) == 1 else None


SEVERAL_KEY = "governments:several"
HOME_KEY = "governments:home"
# Seconds the home government's id (and whether there are several) is kept: a bulk
# ``Government.objects.update(...)`` (no save, so no delete of the keys) is read at the
# latest this long after.
HOME_TIMEOUT = 60


def several_governments() -> bool:
    """Whether the installation has more than one active government: referral between
    governments (and the coordinator's "referred out" list) exists only then. Kept in the
    cache until a government is saved or deleted, so the inbox asks the database once a
    minute at most (HOME_TIMEOUT, as ``home_government_id``)."""
    several = cache.get(SEVERAL_KEY)
    if several is None:
        several = Government.objects.active().count() > 1
        cache.set(SEVERAL_KEY, several, HOME_TIMEOUT)
    return several


def home_government() -> Government:
    """The government a report with nothing else to go by belongs to (a public channel
    before portals are per government): the only one, else the oldest active one."""
    return Government.objects.active().order_by("pk").first()


def home_government_id() -> int | None:
    """``home_government()``'s id, kept in the cache until a government is saved or deleted
    (as ``several_governments``), so naming the site on a portal page or in a message asks
    the database nothing — and for HOME_TIMEOUT seconds at most: a change that saves no
    Government (a bulk ``Government.objects.update(is_active=False)``, a data migration,
    SQL) clears nothing, and is read once the entry has expired, without anyone clearing it."""
    pk = cache.get(HOME_KEY)
    if pk is None:
        pk = Government.objects.active().order_by("pk").values_list("pk", flat=True).first()
        cache.set(HOME_KEY, pk, HOME_TIMEOUT)
    return pk


def site_name(government) -> str:
    """The name a message or document about ``government`` signs with: the installation's
    (settings.ADUAN_SITE_NAME) for its home government and for no government (the
    installation's own pages and messages), "Aduan <name>" for any other, so a Kota Kediri
    resident's update and Kediri's recap do not say "Aduan Kota Blitar". The portal's top
    bar (aduan/context_processors.py) reads the same."""
    if government is None or government.pk == home_government_id():
        return settings.ADUAN_SITE_NAME
    return gettext("Aduan %(government)s") % {"government": government.name}


def site_name_of(government_id: int | None) -> str:
    """``site_name`` of the government with this id (None: the installation's), asking the
    database only for a government other than the home one: the staff site names its
    user's government on every page (aduan/context_processors.py)."""
    if government_id is None or government_id == home_government_id():
        return settings.ADUAN_SITE_NAME
    return site_name(Government.objects.filter(pk=government_id).first())
