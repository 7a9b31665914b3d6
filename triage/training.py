"""Training examples from the installation's own decisions: every report a coordinator
verified, with its final category (after any override) and the agency that took it as
lead (else the category's default agency)."""

from django.db.models import OuterRef, Subquery

from reports.models import Disposition, Report
from triage.classifier import Example
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
