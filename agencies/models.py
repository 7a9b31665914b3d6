from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from agencies.storage import decree_documents
from governments.models import installation_government


class Region(models.Model):
    """A kecamatan or a kelurahan (kelurahan rows point at their kecamatan), in one
    government's territory: its portal offers and maps only its own."""

    class Level(models.TextChoices):
        KECAMATAN = "kecamatan", _("Kecamatan")
        KELURAHAN = "kelurahan", _("Kelurahan")

    government = models.ForeignKey(
        "governments.Government",
        verbose_name=_("pemerintah daerah"),
        on_delete=models.PROTECT,
        related_name="regions",
        default=installation_government,
    )

    name = models.CharField(_("nama"), max_length=100)
    level = models.CharField(_("tingkat"), max_length=16, choices=Level.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("kecamatan"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    code = models.CharField(_("kode wilayah"), max_length=20, blank=True)
    # The region's centre, for maps: where the public map shows an anonymous report (never
    # its own pin) and the plain base layer drawn when no map tiles are configured.
    latitude = models.DecimalField(_("lintang pusat"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("bujur pusat"), max_digits=9, decimal_places=6, null=True, blank=True)

    class Meta:
        ordering = ["level", "name"]
        verbose_name = _("wilayah")
        verbose_name_plural = _("wilayah")
        constraints = [models.UniqueConstraint(fields=["parent", "name"], name="region_unique_name")]

    def __str__(self):
        return self.name

    @property
    def centre(self) -> tuple[float, float] | None:
        """(latitude, longitude) of the region, else of its kecamatan, else None."""
        if self.latitude is not None and self.longitude is not None:
            return float(self.latitude), float(self.longitude)
        if self.parent_id and self.parent.latitude is not None and self.parent.longitude is not None:
            return float(self.parent.latitude), float(self.parent.longitude)
        return None


class Agency(models.Model):
    """An organisation in the tree: the city, its agencies (OPD), their units."""

    class Kind(models.TextChoices):
        GOVERNMENT = "government", _("Pemerintah daerah")
        AGENCY = "agency", _("Perangkat daerah (OPD)")
        UNIT = "unit", _("Unit / bidang")
        KECAMATAN = "kecamatan", _("Kecamatan")
        KELURAHAN = "kelurahan", _("Kelurahan")
        ENTERPRISE = "enterprise", _("BUMD")

    government = models.ForeignKey(
        "governments.Government",
        verbose_name=_("pemerintah daerah"),
        on_delete=models.PROTECT,
        related_name="agencies",
        default=installation_government,
    )
    name = models.CharField(_("nama"), max_length=200)
    short_name = models.CharField(_("singkatan"), max_length=50, blank=True)
    kind = models.CharField(_("jenis"), max_length=16, choices=Kind.choices, default=Kind.AGENCY)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("induk"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    is_complaint_unit = models.BooleanField(
        _("unit pengelola pengaduan"),
        default=False,
        help_text=_("Unit koordinator (mis. ULPIM) yang memverifikasi dan mendisposisikan laporan."),
    )
    is_active = models.BooleanField(_("aktif"), default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("perangkat daerah")
        verbose_name_plural = _("perangkat daerah")
        # Every government has its Dinas Perhubungan: names are unique within one.
        constraints = [models.UniqueConstraint(fields=["government", "name"], name="agency_unique_name")]

    def __str__(self):
        return self.short_name or self.name


class Role(models.TextChoices):
    COORDINATOR = "coordinator", _("Admin koordinator")
    LIAISON = "liaison", _("Admin/pejabat penghubung")
    OPERATOR = "operator", _("Admin operator")
    AGENCY_HEAD = "agency_head", _("Kepala perangkat daerah")
    EXECUTIVE = "executive", _("Pimpinan daerah")


class EndKind(models.TextChoices):
    TRANSFER = "transfer", _("Mutasi / pindah tugas")
    RETIREMENT = "retirement", _("Pensiun")
    OTHER = "other", _("Lainnya")


class AppointmentQuerySet(models.QuerySet):
    def active(self, at=None):
        """Appointments in force at ``at`` (now by default): started, not yet ended."""
        at = at or timezone.now()
        return self.filter(valid_from__lte=at).filter(Q(valid_until__isnull=True) | Q(valid_until__gt=at))


class Appointment(models.Model):
    """A person named in a decree (SK) to a role in an agency, for a period.

    Staff access comes only from an active appointment: when ``valid_until`` passes, access
    ends at that moment.
    """

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("orang"),
        on_delete=models.PROTECT,
        related_name="appointments",
    )
    agency = models.ForeignKey(
        Agency, verbose_name=_("perangkat daerah"), on_delete=models.PROTECT, related_name="appointments"
    )
    role = models.CharField(_("peran"), max_length=16, choices=Role.choices)
    decree_number = models.CharField(_("nomor SK"), max_length=100)
    decree_date = models.DateField(_("tanggal SK"))
    decree_document = models.FileField(_("dokumen SK"), upload_to="decrees/%Y/", storage=decree_documents, blank=True)
    valid_from = models.DateTimeField(_("berlaku mulai"))
    valid_until = models.DateTimeField(_("berlaku sampai"), null=True, blank=True)
    end_reason = models.CharField(_("alasan berakhir"), max_length=200, blank=True)
    decree = models.ForeignKey(
        "Decree",
        verbose_name=_("SK"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="appointments",
    )
    # Set when the appointment is ended early (staffing.actions.end_appointment): why, by
    # whom, and who takes over the person's open work (empty: back to the agency's pool).
    end_kind = models.CharField(_("jenis berakhir"), max_length=12, choices=EndKind.choices, blank=True)
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    successor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("pengganti"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = AppointmentQuerySet.as_manager()

    class Meta:
        ordering = ["agency__name", "role", "person__username"]
        verbose_name = _("penunjukan (SK)")
        verbose_name_plural = _("penunjukan (SK)")
        indexes = [models.Index(fields=["person", "valid_from", "valid_until"])]

    def __str__(self):
        return f"{self.person} — {self.get_role_display()} {self.agency}"

    def is_active(self, at=None):
        at = at or timezone.now()
        return self.valid_from <= at and (self.valid_until is None or self.valid_until > at)


def default_decree_end(start):
    """A decree's default last day: one year after its first day, minus a day."""
    import datetime as dt

    try:
        return start.replace(year=start.year + 1) - dt.timedelta(days=1)
    except ValueError:  # 29 February
        return start.replace(year=start.year + 1, day=28)


class DecreeQuerySet(models.QuerySet):
    def issued(self):
        return self.filter(status=Decree.Status.ISSUED)


class Decree(models.Model):
    """A decree (Surat Keputusan, SK) naming people to roles in agencies for a period.

    Drafted with its list of members (DecreeMember), then issued once
    (agencies.actions.issue_decree): issuing creates one Appointment per member, valid from
    the first day to the end of the last day. A renewal starts as a draft copied from the
    decree it renews (agencies.actions.start_renewal).
    """

    class Status(models.TextChoices):
        DRAFT = "draft", _("Konsep")
        ISSUED = "issued", _("Terbit")

    government = models.ForeignKey(
        "governments.Government",
        verbose_name=_("pemerintah daerah"),
        on_delete=models.PROTECT,
        related_name="decrees",
        default=installation_government,
    )
    number = models.CharField(_("nomor SK"), max_length=100)
    date = models.DateField(_("tanggal SK"))
    title = models.CharField(_("tentang"), max_length=300, blank=True)
    document = models.FileField(_("dokumen SK (PDF)"), upload_to="decrees/%Y/", storage=decree_documents, blank=True)
    valid_from = models.DateField(_("berlaku mulai"))
    valid_until = models.DateField(_("berlaku sampai"), help_text=_("Hari terakhir berlakunya SK."))
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.DRAFT)
    renews = models.ForeignKey(
        "self",
        verbose_name=_("memperbarui SK"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="renewals",
    )
    issued_at = models.DateTimeField(_("diterbitkan pada"), null=True, blank=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    objects = DecreeQuerySet.as_manager()

    class Meta:
        ordering = ["-valid_from", "number"]
        verbose_name = _("surat keputusan (SK)")
        verbose_name_plural = _("surat keputusan (SK)")
        constraints = [
            models.CheckConstraint(condition=Q(valid_until__gte=models.F("valid_from")), name="decree_period_order"),
        ]

    def __str__(self):
        return self.number

    @property
    def is_draft(self):
        return self.status == self.Status.DRAFT


class DecreeMember(models.Model):
    """One line of a decree: a person, the agency and the role it appoints them to."""

    decree = models.ForeignKey(Decree, verbose_name=_("SK"), on_delete=models.CASCADE, related_name="members")
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("orang"), on_delete=models.PROTECT, related_name="+"
    )
    agency = models.ForeignKey(Agency, verbose_name=_("perangkat daerah"), on_delete=models.PROTECT, related_name="+")
    role = models.CharField(_("peran"), max_length=16, choices=Role.choices)

    class Meta:
        ordering = ["agency__name", "role", "pk"]
        verbose_name = _("orang yang ditunjuk")
        verbose_name_plural = _("orang yang ditunjuk")
        constraints = [
            models.UniqueConstraint(fields=["decree", "person", "agency", "role"], name="decree_member_unique"),
        ]

    def __str__(self):
        return f"{self.person} — {self.get_role_display()} {self.agency}"
