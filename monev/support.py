"""Residents' "Saya juga mengalami ini" in monev: how many supports the period brought to
the reports in scope, and the most supported of them — what residents say matters most.

Plain values only (tracking number, category, kelurahan, count): the board is cached and
pickled, and a report's words or reporter never travel with it.
"""

from dataclasses import dataclass

from django.db.models import Count, Q

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
    in_period = Q(supports__created_at__gte=flt.start_at, supports__created_at__lt=flt.end_at)
    rows = (
        Report.objects.filter(scope_q(flt))
        .annotate(period_supports=Count("supports", filter=in_period))
        .filter(period_supports__gt=0)
        .order_by("-period_supports", "-support_count", "pk")
        .values("pk", "tracking_number", "category__name", "region__name", "period_supports", "status")[:limit]
    )
    return [
        Supported(
            pk=row["pk"],
            tracking_number=row["tracking_number"],
            category=row["category__name"] or "",
            kelurahan=row["region__name"] or "",
            supports=row["period_supports"],
            status=row["status"],
        )
        for row in rows
    ]
