"""The escalation ladder: its rules per deadline step (edited by the administrator) and one
row per rung fired. Nothing here changes state: escalation/ladder.py does."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Step(models.TextChoices):
    FOLLOW_UP = "follow_up", _("Tindak lanjut pertama")
    RESOLUTION = "resolution", _("Penyelesaian")


class Level(models.IntegerChoices):
    REMINDER = 1, _("Pengingat sebelum tenggat (petugas perangkat daerah)")
    OVERDUE = 2, _("Terlambat (kepala perangkat daerah)")
    ESCALATED = 3, _("Terlambat lebih lama (koordinator dan pimpinan)")


class EscalationRule(models.Model):
    """How the ladder climbs for one deadline step of a disposition."""

    step = models.CharField(_("tahap tenggat"), max_length=16, choices=Step.choices, unique=True)
    remind_days_before = models.PositiveSmallIntegerField(
        _("pengingat (hari kerja sebelum tenggat)"),
        default=1,
        help_text=_("0 = tanpa pengingat sebelum tenggat."),
    )
    escalate_after_days = models.PositiveSmallIntegerField(
        _("ke koordinator dan pimpinan setelah terlambat (hari kerja)"), default=2
    )
    is_active = models.BooleanField(_("aktif"), default=True)

    class Meta:
        ordering = ["step"]
        verbose_name = _("aturan eskalasi")
        verbose_name_plural = _("aturan eskalasi")

    def __str__(self):
        return self.get_step_display()


class Escalation(models.Model):
    """One rung of the ladder fired for one deadline step of one disposition. Unique per
    (disposition, step, level): a rung fires once, whatever runs at the same time."""

    disposition = models.ForeignKey(
        "reports.Disposition", verbose_name=_("disposisi"), on_delete=models.CASCADE, related_name="escalations"
    )
    step = models.CharField(_("tahap tenggat"), max_length=16, choices=Step.choices)
    level = models.PositiveSmallIntegerField(_("tingkat"), choices=Level.choices)
    deadline = models.DateTimeField(_("tenggat"))
    fired_at = models.DateTimeField(_("dikirim pada"), default=timezone.now, db_index=True)
    event = models.ForeignKey("reports.ReportEvent", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    # Level 3 only: when the executives' daily digest listed it.
    digested_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["fired_at", "pk"]
        verbose_name = _("eskalasi")
        verbose_name_plural = _("eskalasi")
        constraints = [
            models.UniqueConstraint(fields=["disposition", "step", "level"], name="escalation_once_per_rung"),
        ]

    def __str__(self):
        return f"{self.disposition} {self.step} L{self.level}"
