"""Who in an agency is working on a disposition. Work belongs to the agency: a
disposition without an Assignment is in the agency's pool, and any liaison or operator of
the agency may act on it either way. Nothing here changes state: staffing/actions.py does."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Assignment(models.Model):
    """A disposition handed to one person of its agency (at most one at a time)."""

    disposition = models.OneToOneField(
        "reports.Disposition", verbose_name=_("disposisi"), on_delete=models.CASCADE, related_name="assignment"
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("petugas"), on_delete=models.PROTECT, related_name="assignments"
    )
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    assigned_at = models.DateTimeField(_("ditugaskan pada"), default=timezone.now)

    class Meta:
        ordering = ["assigned_at", "pk"]
        verbose_name = _("penugasan disposisi")
        verbose_name_plural = _("penugasan disposisi")

    def __str__(self):
        return f"{self.disposition} → {self.person}"
