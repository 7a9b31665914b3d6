"""The escalation ladder: its rules per deadline step (edited by the administrator) and one
row per rung fired. Nothing here changes state: escalation/ladder.py does."""

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Step(models.TextChoices):
    # A disposition's deadlines (the agency's work).
    FOLLOW_UP = "follow_up", _("Tindak lanjut pertama")
    RESOLUTION = "resolution", _("Penyelesaian")
    # A report's own deadlines, held by the coordinators (no agency).
    VERIFICATION = "verification", _("Verifikasi dan disposisi")
    OBJECTION = "objection", _("Tanggapan atas keberatan")


DISPOSITION_STEPS = [Step.FOLLOW_UP, Step.RESOLUTION]
REPORT_STEPS = [Step.VERIFICATION, Step.OBJECTION]


class Level(models.IntegerChoices):
    REMINDER = 1, _("Pengingat sebelum tenggat")
    OVERDUE = 2, _("Terlambat")
    ESCALATED = 3, _("Terlambat lebih lama (koordinator dan pimpinan)")


class EscalationRule(models.Model):
    """How the ladder climbs for one deadline step (of a disposition or of a report)."""

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
    """One rung of the ladder fired for one deadline step of one disposition, or of one
    report for the steps the coordinators hold (``REPORT_STEPS``: no disposition). A rung
    fires once, whatever runs at the same time: unique per (disposition, step, level), and
    per (report, step, round, level) for a report's own steps. ``round`` counts the times
    the report came back to the coordinator (returns + reopenings), so a report returned by
    an agency climbs the verification ladder afresh; it is 0 for a disposition's rungs."""

    report = models.ForeignKey(
        "reports.Report", verbose_name=_("laporan"), on_delete=models.CASCADE, related_name="escalations"
    )
    disposition = models.ForeignKey(
        "reports.Disposition",
        verbose_name=_("disposisi"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="escalations",
    )
    step = models.CharField(_("tahap tenggat"), max_length=16, choices=Step.choices)
    round = models.PositiveSmallIntegerField(_("putaran"), default=0)
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
            models.UniqueConstraint(
                fields=["disposition", "step", "level"],
                condition=Q(disposition__isnull=False),
                name="escalation_once_per_disposition_rung",
            ),
            models.UniqueConstraint(
                fields=["report", "step", "round", "level"],
                condition=Q(disposition__isnull=True),
                name="escalation_once_per_report_rung",
            ),
            # A disposition's steps need the disposition; a report's steps have none.
            models.CheckConstraint(
                condition=Q(step__in=DISPOSITION_STEPS, disposition__isnull=False)
                | Q(step__in=REPORT_STEPS, disposition__isnull=True),
                name="escalation_step_matches_item",
            ),
        ]

    def __str__(self):
        return f"{self.disposition or self.report} {self.step} L{self.level}"
