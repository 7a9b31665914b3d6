"""A report forwarded to one agency, with its own deadlines."""

from django.conf import settings
from django.db import models
from django.db.models import Case, F, Q, Value, When
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from agencies.models import Agency


class DispositionQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)

    def top_level(self):
        """The coordinator's dispositions, not those an agency forwarded to its units."""
        return self.filter(parent__isnull=True)

    def open(self):
        """Active and still to be worked on (pending or accepted): the agency's open work."""
        return self.filter(is_active=True, state__in=OPEN_DISPOSITION_STATES)

    def open_first(self):
        """Annotate ``closed_rank`` (0 for open work, 1 for the rest), for lists that show
        what is still to do before what is finished, returned or superseded."""
        return self.annotate(
            closed_rank=Case(
                When(is_active=True, state__in=OPEN_DISPOSITION_STATES, then=Value(0)),
                default=Value(1),
                output_field=models.IntegerField(),
            )
        )

    def with_next_due(self):
        """Annotate the deadline that matters now: first follow-up while pending, else resolution."""
        return self.annotate(
            next_due=Case(
                When(state=Disposition.State.PENDING, then=F("follow_up_due_at")),
                default=F("resolution_due_at"),
            )
        )

    def overdue(self, at=None):
        at = at or timezone.now()
        return self.open().filter(
            Q(state=Disposition.State.PENDING, follow_up_due_at__lt=at) | Q(resolution_due_at__lt=at)
        )


class Disposition(models.Model):
    """A report forwarded to one agency, as lead or in support, with its own deadlines."""

    class Role(models.TextChoices):
        LEAD = "lead", _("Utama")
        SUPPORT = "support", _("Pendukung")

    class State(models.TextChoices):
        PENDING = "pending", _("Menunggu tindak lanjut")
        ACCEPTED = "accepted", _("Ditindaklanjuti")
        RETURNED = "returned", _("Dikembalikan (bukan wewenang)")
        DONE = "done", _("Selesai")

    report = models.ForeignKey("reports.Report", on_delete=models.CASCADE, related_name="dispositions")
    # Dispose down: an agency forwards its disposition to one of its units (bidang, UPT,
    # kecamatan, kelurahan), which may forward again. None for a disposition made by the
    # coordinator; the unit's disposition stays inside its agency's (deadlines, closing).
    parent = models.ForeignKey(
        "self",
        verbose_name=_("disposisi induk"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="children",
    )
    level = models.PositiveSmallIntegerField(_("tingkat"), default=0)
    agency = models.ForeignKey(
        Agency, verbose_name=_("perangkat daerah"), on_delete=models.PROTECT, related_name="dispositions"
    )
    role = models.CharField(_("peran"), max_length=8, choices=Role.choices, default=Role.LEAD)
    state = models.CharField(_("status"), max_length=10, choices=State.choices, default=State.PENDING)
    # False once returned, or superseded by a later disposition after a dispute.
    is_active = models.BooleanField(default=True)
    instruction = models.TextField(_("instruksi"), blank=True)
    disposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    follow_up_due_at = models.DateTimeField(_("tenggat tindak lanjut pertama"), null=True)
    resolution_due_at = models.DateTimeField(_("tenggat penyelesaian"), null=True)
    first_follow_up_at = models.DateTimeField(null=True, blank=True)
    done_at = models.DateTimeField(null=True, blank=True)
    returned_at = models.DateTimeField(null=True, blank=True)
    return_reason = models.TextField(_("alasan pengembalian"), blank=True)

    objects = DispositionQuerySet.as_manager()

    class Meta:
        ordering = ["created_at"]
        verbose_name = _("disposisi")
        verbose_name_plural = _("disposisi")
        indexes = [
            models.Index(fields=["agency", "is_active", "state"]),
            # The open dispositions past a deadline (DispositionQuerySet.overdue, the inbox's
            # "Lewat tenggat" count on every page): two small ranges instead of a scan of
            # every disposition ever made (issue 21).
            models.Index(
                fields=["follow_up_due_at"],
                name="disposition_open_follow_up",
                condition=Q(is_active=True, state="pending"),
            ),
            models.Index(
                fields=["resolution_due_at"],
                name="disposition_open_resolution",
                condition=Q(is_active=True, state__in=["pending", "accepted"]),
            ),
        ]

    def __str__(self):
        return f"{self.report} → {self.agency}"

    @property
    def next_due_at(self):
        return self.follow_up_due_at if self.state == self.State.PENDING else self.resolution_due_at

    @property
    def is_open(self):
        return self.is_active and self.state in OPEN_DISPOSITION_STATES

    @property
    def is_forwarded(self) -> bool:
        """A unit's disposition: forwarded by an agency, returned up to it, not to the coordinator."""
        return self.parent_id is not None

    @property
    def is_overdue(self):
        if not self.is_open:
            return False
        due = self.next_due_at
        return bool(due and due < timezone.now())


# A disposition still to be worked on: the agency has not finished or returned it yet.
OPEN_DISPOSITION_STATES = (Disposition.State.PENDING, Disposition.State.ACCEPTED)
