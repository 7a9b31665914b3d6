"""What a report is filed under: its kind, channel, status and category, and the other choices
the report models share."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from agencies.models import Agency
from governments.models import installation_government


class Kind(models.TextChoices):
    COMPLAINT = "complaint", _("Pengaduan")
    ASPIRATION = "aspiration", _("Aspirasi")
    INFORMATION_REQUEST = "information_request", _("Permintaan informasi")


class Channel(models.TextChoices):
    WEB = "web", _("Situs web")
    ANDROID = "android", _("Aplikasi Android")
    WHATSAPP = "whatsapp", _("WhatsApp")
    INSTAGRAM = "instagram", _("Instagram")
    EMAIL = "email", _("Email")
    SMS = "sms", _("SMS")
    CALL_CENTER = "call_center", _("Call center")
    RADIO = "radio", _("Radio")
    WALK_IN = "walk_in", _("Datang langsung")
    SOCIAL_MEDIA = "social_media", _("Media sosial")
    LAPOR = "lapor", _("SP4N-LAPOR!")
    API = "api", _("API")


# Channels a staff member enters by hand, with the original reference and time.
MANUAL_CHANNELS = [
    Channel.CALL_CENTER,
    Channel.RADIO,
    Channel.WALK_IN,
    Channel.SOCIAL_MEDIA,
    Channel.WHATSAPP,
    Channel.INSTAGRAM,
    Channel.EMAIL,
    Channel.SMS,
]


class ReplyChannel(models.TextChoices):
    WHATSAPP = "whatsapp", _("WhatsApp")
    INSTAGRAM = "instagram", _("Instagram")
    EMAIL = "email", _("Email")
    SMS = "sms", _("SMS")
    NONE = "none", _("Tidak perlu, saya cek sendiri lewat tautan")


class Status(models.TextChoices):
    RECEIVED = "received", _("Diterima")
    ON_HOLD = "on_hold", _("Ditunda, menunggu jawaban pelapor")
    VERIFIED = "verified", _("Terverifikasi")
    DISPOSED = "disposed", _("Terdisposisi")
    IN_PROGRESS = "in_progress", _("Ditindaklanjuti")
    RESOLVED = "resolved", _("Selesai ditindaklanjuti")
    CLOSED = "closed", _("Ditutup")
    ARCHIVED = "archived", _("Diarsipkan")
    OBJECTION = "objection", _("Keberatan diajukan")


class ArchiveReason(models.TextChoices):
    SPAM = "spam", _("Spam / bukan laporan")
    UNCLEAR = "unclear", _("Tidak jelas / tidak lengkap")
    DUPLICATE = "duplicate", _("Duplikat laporan lain")
    OUTSIDE_AUTHORITY = "outside_authority", _("Di luar kewenangan daerah (dirujuk ke SP4N-LAPOR!)")


class Audience(models.TextChoices):
    """Who may read an event's message (and its attachments). Staff always do; the
    reporter from ``reporter`` on; anyone reading the public report page only at
    ``public`` (and never on a confidential report)."""

    STAFF = "staff", _("Hanya petugas")
    REPORTER = "reporter", _("Pelapor")
    PUBLIC = "public", _("Publik")


class ResolutionClass(models.TextChoices):
    SIMPLE = "simple", _("Sederhana (5 hari kerja)")
    COORDINATION = "coordination", _("Perlu koordinasi (14 hari kerja)")
    FIELD = "field", _("Perlu pemeriksaan lapangan (60 hari)")


class CategoryQuerySet(models.QuerySet):
    def of(self, government):
        return self.filter(government=government)

    def copy_to(self, government) -> int:
        """Copy these categories (parents with their children) to ``government``: a new
        government starts from a shared default set, then edits its own copy. Deadlines
        and classes are copied; the default agency is not (it is another government's).
        Answers the number of categories made."""
        rows = list(self.select_related("parent").order_by(models.F("parent").asc(nulls_first=True), "pk"))
        copies = {}
        for row in rows:
            if row.parent_id is not None and row.parent_id not in copies:
                continue  # a child whose parent is not copied
            copies[row.pk] = Category.objects.create(
                government=government,
                name=row.name,
                parent=copies.get(row.parent_id),
                resolution_class=row.resolution_class,
                verify_days=row.verify_days,
                follow_up_days=row.follow_up_days,
                resolution_days=row.resolution_days,
                is_active=row.is_active,
            )
        return len(copies)


class Category(models.Model):
    """A two-level category: a parent (e.g. Perhubungan) and its children (Parkir liar)."""

    government = models.ForeignKey(
        "governments.Government",
        verbose_name=_("pemerintah daerah"),
        on_delete=models.PROTECT,
        related_name="categories",
        default=installation_government,
    )
    name = models.CharField(_("nama"), max_length=120)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("kategori induk"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    default_agency = models.ForeignKey(
        Agency,
        verbose_name=_("perangkat daerah bawaan"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    resolution_class = models.CharField(
        _("kelas tenggat penyelesaian"),
        max_length=16,
        choices=ResolutionClass.choices,
        default=ResolutionClass.SIMPLE,
    )
    verify_days = models.PositiveSmallIntegerField(
        _("tenggat verifikasi (hari kerja)"),
        null=True,
        blank=True,
        help_text=_("Kosongkan untuk memakai bawaan (3 hari kerja)."),
    )
    follow_up_days = models.PositiveSmallIntegerField(
        _("tenggat tindak lanjut pertama (hari kerja)"),
        null=True,
        blank=True,
        help_text=_("Kosongkan untuk memakai bawaan (5 hari kerja)."),
    )
    resolution_days = models.PositiveSmallIntegerField(
        _("tenggat penyelesaian (hari kerja)"),
        null=True,
        blank=True,
        help_text=_("Kosongkan untuk memakai kelas tenggat."),
    )
    is_active = models.BooleanField(_("aktif"), default=True)

    objects = CategoryQuerySet.as_manager()

    class Meta:
        ordering = ["parent__name", "name"]
        verbose_name = _("kategori")
        verbose_name_plural = _("kategori")
        constraints = [models.UniqueConstraint(fields=["parent", "name"], name="category_unique_name")]

    def __str__(self):
        return f"{self.parent.name} › {self.name}" if self.parent_id else self.name
