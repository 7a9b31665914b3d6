from django.db import models
from django.utils.translation import gettext_lazy as _


class CalendarEntry(models.Model):
    """A local correction to the national working-day calendar.

    National holidays and cuti bersama come from the ``holidays`` library; the administrator
    adds local holidays (``holiday``) or declares a day that the library calls a holiday a
    working day after all (``working_day``).
    """

    class Kind(models.TextChoices):
        HOLIDAY = "holiday", _("Hari libur")
        WORKING_DAY = "working_day", _("Hari kerja")

    # Empty: for every government (a national correction); else that government's own.
    government = models.ForeignKey(
        "governments.Government",
        verbose_name=_("pemerintah daerah"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        help_text=_("Kosongkan untuk semua pemerintah daerah (koreksi nasional)."),
    )
    date = models.DateField(_("tanggal"))
    kind = models.CharField(_("jenis"), max_length=16, choices=Kind.choices, default=Kind.HOLIDAY)
    name = models.CharField(_("keterangan"), max_length=200)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["date"]
        verbose_name = _("entri kalender")
        verbose_name_plural = _("kalender hari kerja")
        constraints = [
            models.UniqueConstraint(
                fields=["date"], condition=models.Q(government__isnull=True), name="calendar_national_date"
            ),
            models.UniqueConstraint(fields=["government", "date"], name="calendar_government_date"),
        ]

    def __str__(self):
        return f"{self.date:%Y-%m-%d} {self.name}"


class ScheduledJob(models.Model):
    """The state of one periodic job of ``settings.ADUAN_SCHEDULE`` (core/scheduler.py).

    ``next_run_at`` doubles as the claim: a scheduler enqueues a run only after moving it
    forward with a compare-and-swap update, so two scheduler processes never enqueue the same
    run twice. ``spec`` remembers the schedule the row was computed for, so an edited
    schedule takes effect at once.
    """

    name = models.CharField(_("nama"), max_length=100, unique=True)
    task_path = models.CharField(_("tugas"), max_length=200)
    spec = models.CharField(_("jadwal"), max_length=40)
    next_run_at = models.DateTimeField(_("jalan berikutnya"))
    last_run_at = models.DateTimeField(_("jalan terakhir"), null=True, blank=True)
    last_task_id = models.CharField(_("ID tugas terakhir"), max_length=64, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("tugas terjadwal")
        verbose_name_plural = _("tugas terjadwal")

    def __str__(self):
        return f"{self.name} ({self.spec})"
