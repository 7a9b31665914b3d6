"""Residents' "Saya juga mengalami ini" in monev: how many supports the period brought to
the reports in scope, and the most supported of them — what residents say matters most.

Plain values only (tracking number, category, kelurahan, count): the board is cached and
pickled, and a report's words or reporter never travel with it.
"""

from dataclasses import dataclass

from django.db.models import Count

from monev.figures import Filter, scope_q
from reports.models import Report, Support

MOST_SUPPORTED = 5


@dataclass
class Supported:
    pk: int
    tracking_number: str
    category: str
    kelurahan: str
    supports: int  # in the period
    status: str


def supports_in_period(flt: Filter) -> int:
    return Support.objects.filter(
        scope_q(flt, "report__"), created_at__gte=flt.start_at, created_at__lt=flt.end_at
    ).count()


def most_supported(flt: Filter, limit: int = MOST_SUPPORTED) -> list[Supported]:
    """The reports in scope with the most supports given in the period, counted from the
    period's supports (never a pass over every report in scope)."""
    top = list(
        Support.objects.filter(scope_q(flt, "report__"), created_at__gte=flt.start_at, created_at__lt=flt.end_at)
        .order_by()
        .values_list("report_id")
        .annotate(n=Count("pk"))
        .order_by("-n", "-report__support_count", "report_id")[:limit]
    )
    rows = {
        row["pk"]: row
        for row in Report.objects.filter(pk__in=[pk for pk, _n in top]).values(
            "pk", "tracking_number", "category__name", "region__name", "status"
        )
    }
    return [
        Supported(
            pk=pk,
            tracking_number=rows[pk]["tracking_number"],
            category=rows[pk]["category__name"] or "",
            kelurahan=rows[pk]["region__name"] or "",
            supports=n,
            status=rows[pk]["status"],
        )
        for pk, n in top
    ]
