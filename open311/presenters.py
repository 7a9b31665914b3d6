"""A report as a GeoReport v2 ``request``, for anyone to read.

Only ``Report.objects.public()`` rows reach here (verified onward, not confidential, not
archived: the portal's public list). Nothing names a person: no reporter name, phone,
email, account or device; free text (description, status notes, address) passes through
``core.masking.mask_personal_data`` and the reporter's name is hidden as on the
portal; coordinates are rounded to about 100 m so a point cannot single out a
house.
"""

import functools
import itertools
import re
from decimal import Decimal

from django.conf import settings
from django.db import connections
from django.db.models import Q
from django.db.models.query import ValuesIterable
from django.urls import reverse
from django.utils import timezone, translation

from core.masking import mask_personal_data
from portal.presenters import PUBLIC_MESSAGE_ACTIONS
from reports.models import Attachment, Audience, Disposition, Report, ReportEvent, Status

# Aduan's states in GeoReport's two: the agency's work is done once a report is resolved
# (the reporter may still dispute it, which opens it again).
CLOSED_STATES = [Status.RESOLVED, Status.CLOSED]
OPEN_STATES = [Status.VERIFIED, Status.DISPOSED, Status.IN_PROGRESS, Status.OBJECTION]
COORDINATE_PLACES = Decimal("0.001")
# What a request shows is read, and no more (a report row is wide): one row per report,
# columns only (no model instances); its latest public reply, lead disposition and first
# public photo are read per chunk of rows (public_requests).
REQUEST_FIELDS = [
    "pk",
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
    "category_id",
    "category__name",
    "region_id",
    "region__name",
    "region__code",
    "region__parent_id",
    "region__parent__name",
    "open311__media_url",
]


def public_requests():
    """The reports Open311 may show, as ``values()`` rows for ``as_request``: each row
    with its latest public reply, its lead disposition and its first public photo, read
    for a chunk of rows at a time by three queries keyed on the chunk's report ids
    (``_WithRelated``), so a window of any size takes a fixed number of queries and can be
    streamed. (They were correlated subqueries run once per row of the window: most of
    the window's SQL time.)"""
    rows = Report.objects.public().values(*REQUEST_FIELDS)
    rows._iterable_class = _WithRelated
    return rows


# Rows per chunk whose replies, lead dispositions and photos are read together (a
# 1,000-row window: three queries per chunk).
RELATED_CHUNK = 1000


class _WithRelated(ValuesIterable):
    """``values()`` rows of reports, each given ``last_reply``, ``lead_agency``,
    ``lead_state``, ``lead_due`` and ``photo_id`` (None when it has none), chunk by chunk.
    Kept across ``filter()``, ``order_by()``, slicing and ``iterator()``."""

    def __iter__(self):
        rows = super().__iter__()
        using = self.queryset.db
        while batch := list(itertools.islice(rows, RELATED_CHUNK)):
            _attach(batch, using)
            yield from batch


def _firsts(rows) -> dict:
    """{report id: the rest of its first row}, rows ordered by report id first."""
    out = {}
    for report_id, *rest in rows:
        out.setdefault(report_id, rest)
    return out


def _attach(rows, using):
    ids = [row["pk"] for row in rows]
    on_postgresql = connections[using].features.can_distinct_on_fields

    def first_per_report(query):
        if on_postgresql:
            # DISTINCT ON, and the ids as one array literal (a thousand-value IN list took
            # longer to send than to run: the driver quotes each value in Python).
            column = f"{connections[using].ops.quote_name(query.model._meta.db_table)}.report_id"
            array = "{" + ",".join(str(int(pk)) for pk in ids) + "}"
            query = query.extra(where=[f"{column} = ANY(%s::bigint[])"], params=[array])  # noqa: S610
            query = query.distinct("report_id")
        else:
            query = query.filter(report_id__in=ids)
        return _firsts(query)

    # Latest public reply: public audience, a message action, a message written.
    replies = first_per_report(
        ReportEvent.objects.using(using)
        .filter(audience=Audience.PUBLIC, action__in=PUBLIC_MESSAGE_ACTIONS)
        .exclude(message="")
        .order_by("report_id", "-created_at", "-pk")
        .values_list("report_id", "message")
    )
    # The active lead disposition (the first made, should there be two).
    leads = first_per_report(
        Disposition.objects.using(using)
        .filter(is_active=True, role=Disposition.Role.LEAD)
        .order_by("report_id", "created_at", "pk")
        .values_list("report_id", "agency__name", "state", "resolution_due_at")
    )
    # portal.presenters.shown_publicly for images: a reporter's (or one without its event),
    # or staff's with a message published to the public.
    photos = first_per_report(
        Attachment.objects.using(using)
        .filter(is_public=True, content_type__startswith="image/")
        .filter(Q(event__isnull=True) | Q(event__actor_role="citizen") | Q(event__audience=Audience.PUBLIC))
        .order_by("report_id", "pk")
        .values_list("report_id", "pk")
    )
    no_lead = (None, None, None)
    for row in rows:
        pk = row["pk"]
        reply = replies.get(pk)
        row["last_reply"] = reply[0] if reply else None
        row["lead_agency"], row["lead_state"], row["lead_due"] = leads.get(pk, no_lead)
        photo = photos.get(pk)
        row["photo_id"] = photo[0] if photo else None


def public_text(text, reporter_name) -> str:
    """A message on a report with personal data and the reporter's name masked (the
    report's own words are masked once, when saved: ``Report.masked_*``)."""
    return _masked(text or "", reporter_name, translation.get_language())


@functools.lru_cache(maxsize=1024)
def _masked(text, reporter_name, language):
    # The same reply (a canned one) on many reports of a window is masked once; the
    # language is in the key because the labels are translated.
    return mask_personal_data(text, names=[reporter_name])


def iso(value):
    return timezone.localtime(value).isoformat(timespec="seconds") if value else None


def _coordinate(value):
    return float(Decimal(value).quantize(COORDINATE_PLACES)) if value is not None else None


def _address(row):
    parts = [row["masked_address"]]
    if row["region_id"]:
        parts.append(row["region__name"])
        if row["region__parent_id"]:
            parts.append(row["region__parent__name"])
    return ", ".join(part for part in parts if part) or None


def _updated(row):
    if row["status"] == Status.CLOSED and row["closed_at"]:
        return row["closed_at"]
    if row["status"] == Status.RESOLVED and row["resolved_at"]:
        return row["resolved_at"]
    return row["updated_at"]


WAITING = (Disposition.State.PENDING, Disposition.State.ACCEPTED)
# Stand-ins reversed once per window (the photo URL of every row is this one with the
# row's tracking number and attachment id put in).
_NUMBER_MARK, _PK_MARK = "TRACKINGNUMBERMARK", 987654321987654321


class Presenter:
    """``public_requests()`` rows as GeoReport requests, for one response: what is the
    same for every row (the time zone, the language's labels, the photo URL's pattern) is
    looked up once, not per row (a 1,000-row window called ``reverse()`` and
    ``timezone.localtime`` thousands of times)."""

    def __init__(self):
        self.zone = timezone.get_current_timezone()
        self.language = translation.get_language()
        path = reverse("portal:public_attachment", args=[_NUMBER_MARK, _PK_MARK])
        self.photo_head, rest = (settings.ADUAN_SITE_URL + path).split(_NUMBER_MARK)
        self.photo_middle, self.photo_tail = rest.split(str(_PK_MARK))

    def iso(self, value):
        return value.astimezone(self.zone).isoformat(timespec="seconds") if value else None

    def media_url(self, row):
        if row["photo_id"] is not None:
            number = row["tracking_number"]
            if not _URL_SAFE.fullmatch(number):  # as reverse() would quote it
                return settings.ADUAN_SITE_URL + reverse("portal:public_attachment", args=[number, row["photo_id"]])
            return f"{self.photo_head}{number}{self.photo_middle}{row['photo_id']}{self.photo_tail}"
        link = row["open311__media_url"]
        # A link the client sent is passed on only when it carries nothing that looks personal.
        if link and mask_personal_data(link) == link:
            return link
        return None

    def __call__(self, row) -> dict:
        """A ``public_requests()`` row as a GeoReport request."""
        status = row["status"]
        closed = status in CLOSED_STATES
        lead_state = row["lead_state"]
        has_lead = lead_state is not None
        expected = row["lead_due"] if has_lead and not closed and lead_state in WAITING else None
        reply = row["last_reply"]
        category = row["category_id"]
        latitude, longitude = row["latitude"], row["longitude"]
        return {
            "service_request_id": row["tracking_number"],
            "status": "closed" if closed else "open",
            "status_notes": _masked(reply, row["reporter_name"], self.language)[:4000] if reply else None,
            "service_name": row["category__name"] if category else None,
            "service_code": str(category) if category else "",
            "description": row["masked_description"][:4000],
            "agency_responsible": row["lead_agency"] if has_lead else None,
            "service_notice": None,
            "requested_datetime": self.iso(row["received_at"]),
            "updated_datetime": self.iso(_updated(row)),
            "expected_datetime": self.iso(expected),
            "address": _address(row),
            "address_id": (row["region__code"] or None) if row["region_id"] else None,
            "zipcode": None,
            "lat": _coordinate(latitude),
            "long": _coordinate(longitude),
            "media_url": self.media_url(row),
        }


# What reverse() leaves as it is in a path segment (tracking numbers are A-Z, 0-9 and "-").
_URL_SAFE = re.compile(r"[A-Za-z0-9_.~-]+")


def as_request(row) -> dict:
    """One ``public_requests()`` row as a GeoReport request (a window: ``Presenter``)."""
    return Presenter()(row)
