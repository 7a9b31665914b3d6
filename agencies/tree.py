"""The agency tree below a government: an agency (OPD) and its units (bidang, UPT,
kecamatan, kelurahan). A unit takes work from its agency only while it is active and has
appointed staff to do it (an active liaison or operator)."""

from django.db.models import Exists, OuterRef
from django.utils import timezone

from agencies.models import Agency, Appointment, Role

# Who works a unit's disposition: the same roles that act for an agency.
UNIT_WORKERS = (Role.LIAISON, Role.OPERATOR)


def active_units(agency, at=None):
    """The active child agencies of ``agency`` with an active liaison or operator, by name."""
    agency_id = getattr(agency, "pk", agency)
    staffed = Appointment.objects.active(at or timezone.now()).filter(agency=OuterRef("pk"), role__in=UNIT_WORKERS)
    return Agency.objects.filter(parent_id=agency_id, is_active=True).filter(Exists(staffed)).order_by("name")


def has_active_units(agency, at=None) -> bool:
    return active_units(agency, at).exists()
