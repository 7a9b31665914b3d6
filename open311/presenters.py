"""A report as a GeoReport v2 ``request``, for anyone to read.

Only ``Report.objects.public()`` rows reach here (verified onward, not confidential, not
archived: the portal's public list). Nothing names a person: no reporter name, phone,
email, account or device; free text (description, status notes, address) passes through
``core.masking.mask_personal_data`` and the reporter's name is hidden as on the
portal; coordinates are rounded to about 100 m so a point cannot single out a
house.
"""

from decimal import Decimal

from django.conf import settings
from django.db.models import Prefetch
from django.urls import reverse
from django.utils import timezone

from core.masking import mask_personal_data
from portal.presenters import PUBLIC_MESSAGE_ACTIONS, shown_publicly
from reports.models import Attachment, Audience, Disposition, Report, ReportEvent, Status

# Aduan's states in GeoReport's two: the agency's work is done once a report is resolved
# (the reporter may still dispute it, which opens it again).
CLOSED_STATES = [Status.RESOLVED, Status.CLOSED]
OPEN_STATES = [Status.VERIFIED, Status.DISPOSED, Status.IN_PROGRESS, Status.OBJECTION]
COORDINATE_PLACES = Decimal("0.001")
# What a request shows is read, and no more (a report row is wide).
REQUEST_FIELDS = [
    "tracking_number",
    "status",
    "masked_description",
    "masked_address",
    "latitude",
    "longitude",
    "reporter_name",
    "received_at",
    "updated_at",
    "resolved_at",
    "closed_at",
    "category__id",
    "category__name",
    "region__id",
    "region__name",
    "region__code",
    "region__parent__id",
    "region__parent__name",
    "open311__id",
    "open311__media_url",
]


def public_requests():
    """The reports Open311 may show, with everything a page of them needs in 5 queries."""
    return (
        Report.objects.public()
        .select_related("category", "region__parent", "open311")
        .only(*REQUEST_FIELDS)
        .prefetch_related(
            Prefetch(
                "events",
                queryset=ReportEvent.objects.filter(audience=Audience.PUBLIC, action__in=PUBLIC_MESSAGE_ACTIONS)
                .exclude(message="")
                .order_by("created_at", "pk"),
                to_attr="public_replies",
            ),
            Prefetch(
                "dispositions",
                queryset=Disposition.objects.filter(is_active=True, role=Disposition.Role.LEAD).select_related(
                    "agency"
                ),
                to_attr="lead_dispositions",
            ),
            Prefetch(
                "attachments",
                queryset=Attachment.objects.filter(is_public=True).select_related("event").order_by("pk"),
                to_attr="public_attachments",
            ),
        )
    )


def public_text(text, report) -> str:
    """A message on ``report`` with personal data and the reporter's name masked (the
    report's own words are masked once, when saved: ``Report.masked_*``)."""
    return mask_personal_data(text or "", names=[report.reporter_name])


def iso(value):
    return timezone.localtime(value).isoformat(timespec="seconds") if value else None


def _coordinate(value):
    return float(Decimal(value).quantize(COORDINATE_PLACES)) if value is not None else None


def _media_url(report):
    for attachment in report.public_attachments:
        if attachment.is_image and shown_publicly(attachment):
            path = reverse("portal:public_attachment", args=[report.tracking_number, attachment.pk])
            return settings.ADUAN_SITE_URL + path
    submitted = getattr(report, "open311", None)
    # A link the client sent is passed on only when it carries nothing that looks personal.
    if submitted is not None and submitted.media_url and mask_personal_data(submitted.media_url) == submitted.media_url:
        return submitted.media_url
    return None


def _address(report):
    parts = [report.masked_address]
    if report.region_id:
        parts.append(report.region.name)
        if report.region.parent_id:
            parts.append(report.region.parent.name)
    return ", ".join(part for part in parts if part) or None


def _updated(report):
    if report.status == Status.CLOSED and report.closed_at:
        return report.closed_at
    if report.status == Status.RESOLVED and report.resolved_at:
        return report.resolved_at
    return report.updated_at


def as_request(report) -> dict:
    closed = report.status in CLOSED_STATES
    lead = report.lead_dispositions[0] if report.lead_dispositions else None
    replies = report.public_replies
    expected = None
    if lead is not None and not closed and lead.state in (Disposition.State.PENDING, Disposition.State.ACCEPTED):
        expected = lead.resolution_due_at
    return {
        "service_request_id": report.tracking_number,
        "status": "closed" if closed else "open",
        "status_notes": public_text(replies[-1].message, report)[:4000] if replies else None,
        "service_name": report.category.name if report.category_id else None,
        "service_code": str(report.category_id) if report.category_id else "",
        "description": report.masked_description[:4000],
        "agency_responsible": lead.agency.name if lead is not None else None,
        "service_notice": None,
        "requested_datetime": iso(report.received_at),
        "updated_datetime": iso(_updated(report)),
        "expected_datetime": iso(expected),
        "address": _address(report),
        "address_id": (report.region.code or None) if report.region_id else None,
        "zipcode": None,
        "lat": _coordinate(report.latitude),
        "long": _coordinate(report.longitude),
        "media_url": _media_url(report),
    }
