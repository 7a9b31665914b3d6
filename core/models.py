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

    date = models.DateField(_("tanggal"), unique=True)
    kind = models.CharField(_("jenis"), max_length=16, choices=Kind.choices, default=Kind.HOLIDAY)
    name = models.CharField(_("keterangan"), max_length=200)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["date"]
        verbose_name = _("entri kalender")
        verbose_name_plural = _("kalender hari kerja")

    def __str__(self):
        return f"{self.date:%Y-%m-%d} {self.name}"
