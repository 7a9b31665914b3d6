"""The bridge to SP4N-LAPOR!: which Aduan report is which LAPOR! report, the mapping
tables the administrator edits, the uploaded import files, and referrals of reports
outside the region's authority."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from agencies.models import Agency
from reports.models import Category, Report, Status


class LaporRecord(models.Model):
    """An Aduan report that came from (or is known to) SP4N-LAPOR!, with the last row imported."""

    report = models.OneToOneField(Report, on_delete=models.CASCADE, related_name="lapor_record")
    tracking_id = models.CharField(_("Tracking ID SP4N-LAPOR!"), max_length=40, unique=True)
    lapor_status = models.CharField(_("status di SP4N-LAPOR!"), max_length=300, blank=True)
    # Every column of the last imported row, as text (column name -> value).
    row_data = models.JSONField(_("baris terakhir yang diimpor"), default=dict, blank=True)
    first_imported_at = models.DateTimeField(default=timezone.now)
    last_imported_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("laporan SP4N-LAPOR!")
        verbose_name_plural = _("laporan SP4N-LAPOR!")

    def __str__(self):
        return f"LAPOR! {self.tracking_id} → {self.report_id}"


class MappingQuerySet(models.QuerySet):
    def unmapped(self):
        return self.filter(**{f"{self.model.target_field}__isnull": True})


class Mapping(models.Model):
    """A value seen in LAPOR! exports and what it means in Aduan. A row without a target is
    in the queue: the importer met the value and the administrator still has to map it."""

    key = models.CharField(_("kunci"), max_length=320, unique=True, editable=False)
    lapor_id = models.CharField(_("ID di SP4N-LAPOR!"), max_length=40, blank=True)
    lapor_name = models.CharField(_("nilai di SP4N-LAPOR!"), max_length=300)
    seen_count = models.PositiveIntegerField(_("jumlah baris"), default=0)
    first_seen_at = models.DateTimeField(_("pertama terlihat"), default=timezone.now)
    last_seen_at = models.DateTimeField(_("terakhir terlihat"), default=timezone.now)
    # Who gave the value its target (the unmapped-values page or the admin), and when.
    mapped_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("dipetakan oleh"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    mapped_at = models.DateTimeField(_("dipetakan pada"), null=True, blank=True, editable=False)

    objects = MappingQuerySet.as_manager()
    target_field = ""

    class Meta:
        abstract = True
        ordering = ["lapor_name"]

    def __str__(self):
        return self.lapor_name

    @property
    def target(self):
        return getattr(self, self.target_field)


class StatusMapping(Mapping):
    status = models.CharField(_("status Aduan"), max_length=16, choices=Status.choices, null=True, blank=True)
    target_field = "status"

    class Meta(Mapping.Meta):
        verbose_name = _("pemetaan status")
        verbose_name_plural = _("pemetaan status")


class CategoryMapping(Mapping):
    category = models.ForeignKey(
        Category, verbose_name=_("kategori Aduan"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    target_field = "category"

    class Meta(Mapping.Meta):
        verbose_name = _("pemetaan kategori")
        verbose_name_plural = _("pemetaan kategori")


class AgencyMapping(Mapping):
    agency = models.ForeignKey(
        Agency,
        verbose_name=_("perangkat daerah Aduan"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    target_field = "agency"

    class Meta(Mapping.Meta):
        verbose_name = _("pemetaan instansi")
        verbose_name_plural = _("pemetaan instansi")


def import_path(instance, filename):
    return f"lapor/imports/{timezone.localdate():%Y/%m}/{timezone.now():%H%M%S}-{instance.uploaded_by_id or 0}.bin"


class ImportJob(models.Model):
    """An uploaded export kept until the coordinator confirms it after the dry run; the dry
    run and the import both run in the task worker (checking → previewed → importing)."""

    class State(models.TextChoices):
        CHECKING = "checking", _("Sedang diuji coba")
        PREVIEWED = "previewed", _("Menunggu konfirmasi")
        IMPORTING = "importing", _("Sedang diimpor")
        IMPORTED = "imported", _("Diimpor")
        FAILED = "failed", _("Gagal")
        DISCARDED = "discarded", _("Dibatalkan")

    file = models.FileField(upload_to=import_path, blank=True)
    original_name = models.CharField(_("nama berkas"), max_length=200)
    size = models.PositiveBigIntegerField(_("ukuran"), default=0)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    state = models.CharField(_("status"), max_length=12, choices=State.choices, default=State.CHECKING)
    # Rows read so far by the dry run or the import running in the worker (the job page shows it).
    rows_read = models.PositiveIntegerField(_("baris terbaca"), default=0)
    preview = models.JSONField(default=dict, blank=True)
    result = models.JSONField(default=dict, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("impor SP4N-LAPOR!")
        verbose_name_plural = _("impor SP4N-LAPOR!")

    def __str__(self):
        return f"{self.original_name} ({self.get_state_display()})"


class Referral(models.Model):
    """A report archived as outside the region's authority, to be entered into SP4N-LAPOR!."""

    class State(models.TextChoices):
        PENDING = "pending", _("Belum dirujuk")
        REFERRED = "referred", _("Sudah dirujuk")

    report = models.OneToOneField(Report, on_delete=models.CASCADE, related_name="lapor_referral")
    note = models.TextField(_("catatan rujukan"), blank=True)
    state = models.CharField(_("status"), max_length=10, choices=State.choices, default=State.PENDING)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    lapor_tracking_id = models.CharField(
        _("Tracking ID SP4N-LAPOR!"), max_length=40, null=True, blank=True, unique=True
    )
    referred_at = models.DateTimeField(null=True, blank=True)
    referred_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["state", "-created_at"]
        verbose_name = _("rujukan ke SP4N-LAPOR!")
        verbose_name_plural = _("rujukan ke SP4N-LAPOR!")

    def __str__(self):
        return f"{self.report} ({self.get_state_display()})"
