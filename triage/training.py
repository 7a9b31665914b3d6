"""Training examples from the installation's own decisions: every report a coordinator
verified, with its final category (after any override) and the agency that took it as
lead (else the category's default agency)."""

from django.db.models import OuterRef, Q, Subquery

from reports.models import Disposition, Report
from triage import gazetteer
from triage.classifier import Example
from triage.duplicate_score import Side
from triage.duplicates import report_text


def examples_from_database():
    lead = (
        Disposition.objects.filter(report=OuterRef("pk"), role=Disposition.Role.LEAD, is_active=True)
        .order_by("-created_at")
        .values("agency_id")[:1]
    )
    reports = (
        Report.objects.filter(verified_at__isnull=False, category__isnull=False)
        .annotate(lead_agency=Subquery(lead))
        .select_related("category")
        .order_by("pk")
    )
    for report in reports.iterator(chunk_size=2000):
        agency = report.lead_agency or report.category.default_agency_id
        yield Example(report_text(report), str(report.category_id), str(agency) if agency else "")


def place_sides(limit=gazetteer.MAX_REPORTS):
    """The installation's newest ``limit`` reports with a pin or a kelurahan, oldest first,
    as the gazetteer reads them (words, address, kelurahan, pin; no label, any status: a
    place is where it is whatever became of the report). One query, only these columns."""
    rows = (
        Report.objects.filter(Q(latitude__isnull=False, longitude__isnull=False) | Q(region__isnull=False))
        .order_by("-pk")
        .values_list("pk", "title", "description", "address", "region_id", "latitude", "longitude")[:limit]
    )
    sides = [
        Side(
            f"{title}\n{description}" if title else description,
            region,
            float(latitude) if latitude is not None else None,
            float(longitude) if longitude is not None else None,
            address or "",
            pk,
        )
        for pk, title, description, address, region, latitude, longitude in rows
    ]
    sides.reverse()
    return sides
