"""SK coverage: which agencies have someone answering now, and which will not soon.

An agency is
- ``missing`` when it has no active liaison and no active operator;
- ``expiring`` when it has some, but none of them is still appointed ``HORIZON_DAYS`` from
  now (so the only appointees expire within that time and nobody new is appointed yet);
- ``incomplete`` when it lacks a liaison or an operator;
- ``ok`` otherwise.
"""

import datetime as dt
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from agencies.models import Agency, Appointment, Role

HORIZON_DAYS = 30
DOERS = (Role.LIAISON, Role.OPERATOR)

STATUS_LABELS = {
    "missing": _("Tanpa penghubung/operator"),
    "expiring": _("Penunjukan segera berakhir"),
    "incomplete": _("Belum lengkap"),
    "ok": _("Lengkap"),
}
STATUS_ORDER = {"missing": 0, "expiring": 1, "incomplete": 2, "ok": 3}


@dataclass
class CoverageRow:
    agency: Agency
    liaisons: list = field(default_factory=list)
    operators: list = field(default_factory=list)
    heads: list = field(default_factory=list)
    covered_later: bool = False

    @property
    def status(self) -> str:
        if not self.liaisons and not self.operators:
            return "missing"
        if not self.covered_later:
            return "expiring"
        if not self.liaisons or not self.operators:
            return "incomplete"
        return "ok"

    @property
    def status_label(self):
        return STATUS_LABELS[self.status]

    @property
    def needs_attention(self) -> bool:
        return self.status in ("missing", "expiring")


def agencies_covered(government_ids=None):
    """The agencies that receive dispositions: active, not the coordinating unit, not the
    government as a whole (of ``government_ids`` when given)."""
    agencies = Agency.objects.filter(is_active=True, is_complaint_unit=False).exclude(kind=Agency.Kind.GOVERNMENT)
    if government_ids is not None:
        agencies = agencies.filter(government_id__in=government_ids)
    return agencies


def coverage(now=None, *, government_ids=None) -> list[CoverageRow]:
    """One row per agency (of ``government_ids`` when given), those needing attention first
    (three queries)."""
    now = now or timezone.now()
    horizon = now + dt.timedelta(days=HORIZON_DAYS)
    rows = {agency.pk: CoverageRow(agency) for agency in agencies_covered(government_ids).select_related("parent")}
    appointments = (
        Appointment.objects.active(now)
        .filter(agency_id__in=rows, role__in=[*DOERS, Role.AGENCY_HEAD], person__is_active=True)
        .select_related("person")
        .order_by("valid_until", "person__username")
    )
    for appointment in appointments:
        row = rows[appointment.agency_id]
        {Role.LIAISON: row.liaisons, Role.OPERATOR: row.operators, Role.AGENCY_HEAD: row.heads}[
            appointment.role
        ].append(appointment)
    later = set(
        Appointment.objects.active(horizon)
        .filter(agency_id__in=rows, role__in=DOERS, person__is_active=True)
        .values_list("agency_id", flat=True)
    )
    for agency_id in later:
        rows[agency_id].covered_later = True
    return sorted(rows.values(), key=lambda row: (STATUS_ORDER[row.status], row.agency.name))
