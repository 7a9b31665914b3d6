"""What a subscription or a feed may tell: public reports only (``Report.objects.public()``:
never a confidential or unverified one), and of each only what its public page shows —
the masked headline, category, kelurahan and status. Never the reporter's identity, never
an address (an anonymous report's would point at the reporter), never a supporter.

The digests (alerts/actions.py) and the RSS/Atom feeds (portal/feeds.py) both read here,
so the rule is written once.
"""

from dataclasses import dataclass

from django.conf import settings
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils.translation import gettext as _

from agencies.models import Region
from reports.models import Report, ReportEvent, Status


def reports_of(*, report=None, region=None, category=None):
    """The public reports a subscription to ``report``, or to ``region`` (a kelurahan, or a
    kecamatan with its kelurahan) and optionally a top-level ``category``, is about."""
    reports = Report.objects.public()
    if report is not None:
        return reports.filter(pk=report.pk)
    if region.level == Region.Level.KECAMATAN:
        reports = reports.filter(Q(region=region) | Q(region__parent=region))
    else:
        reports = reports.filter(region=region)
    if category is not None:
        reports = reports.filter(Q(category=category) | Q(category__parent=category))
    return reports


def updated_between(reports, start, end):
    """Those of ``reports`` with a public event (verified, disposed, an agency's public
    reply, resolved, …) after ``start`` up to ``end``: what a digest reports."""
    events = ReportEvent.objects.filter(
        report=OuterRef("pk"), is_public=True, created_at__gt=start, created_at__lte=end
    )
    return reports.filter(Exists(events))


def describe(*, report=None, region=None, category=None) -> str:
    """What is followed, in the active language: "laporan BLT-2026-000001",
    "Kelurahan Bendogerit", "Perhubungan di Kecamatan Sananwetan"."""
    if report is not None:
        return _("laporan %(number)s") % {"number": report.tracking_number}
    if region.level == Region.Level.KECAMATAN:
        area = _("Kecamatan %(name)s") % {"name": region.name}
    else:
        area = _("Kelurahan %(name)s") % {"name": region.name}
    if category is None:
        return area
    return _("%(category)s di %(area)s") % {"category": category.name, "area": area}


@dataclass(frozen=True)
class Item:
    """One report as a digest or a feed shows it."""

    tracking_number: str
    title: str
    status: str
    category: str
    area: str
    link: str
    received_at: object


def item(report) -> Item:
    """``report`` (with category and region selected) as the public may read it."""
    return Item(
        tracking_number=report.tracking_number,
        title=report.headline(masked=True),
        status=str(Status(report.status).label),
        category=str(report.category) if report.category_id else "",
        area=report.region.name if report.region_id else "",
        link=settings.ADUAN_SITE_URL + reverse("portal:public_detail", args=[report.tracking_number]),
        received_at=report.received_at,
    )
