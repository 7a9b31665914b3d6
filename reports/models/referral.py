"""A report referred to another government of the installation (issue 20, "Refer across
governments"): the report moves to the receiver; the row keeps who referred it, why, and
whether the receiver gave it back. The referring government reads the report while the
referral is active (reports/access.py ``referred_out_by``); nobody there acts on it."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ReferralQuerySet(models.QuerySet):
    def active(self):
        return self.filter(state=Referral.State.ACTIVE)


class Referral(models.Model):
    class State(models.TextChoices):
        ACTIVE = "active", _("Dirujuk")
        RETURNED = "returned", _("Dikembalikan")

    report = models.ForeignKey("reports.Report", on_delete=models.CASCADE, related_name="referrals")
    from_government = models.ForeignKey(
        "governments.Government",
        verbose_name=_("dari pemerintah daerah"),
        on_delete=models.PROTECT,
        related_name="referrals_out",
    )
    to_government = models.ForeignKey(
        "governments.Government",
        verbose_name=_("ke pemerintah daerah"),
        on_delete=models.PROTECT,
        related_name="referrals_in",
    )
    reason = models.TextField(_("alasan rujukan"))
    referred_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    referred_at = models.DateTimeField(_("dirujuk pada"), default=timezone.now)
    state = models.CharField(_("status"), max_length=10, choices=State.choices, default=State.ACTIVE)
    return_reason = models.TextField(_("alasan pengembalian"), blank=True)
    returned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    returned_at = models.DateTimeField(_("dikembalikan pada"), null=True, blank=True)

    objects = ReferralQuerySet.as_manager()

    class Meta:
        ordering = ["referred_at", "pk"]
        verbose_name = _("rujukan antarpemerintah")
        verbose_name_plural = _("rujukan antarpemerintah")
        indexes = [
            # The referring government's list "Dirujuk ke pemerintah lain" and its reading.
            models.Index(
                fields=["from_government", "-referred_at"], name="referral_out_active", condition=Q(state="active")
            ),
        ]
        constraints = [
            models.CheckConstraint(condition=~Q(from_government=models.F("to_government")), name="referral_elsewhere"),
        ]

    def __str__(self):
        return f"{self.report} → {self.to_government}"
