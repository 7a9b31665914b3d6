"""Where the public side puts a report on a map, and which public reports lie near a point.

The rule that matters: an anonymous report is shown at its kelurahan's centre (or its
kecamatan's), never at its own pin, so a map never points at a reporter's house. A named
report without a pin sits at the centre too. Distances ("near me", nearby reports on the
form) are measured from the same public point, so sorting by distance cannot reveal an
anonymous pin either. A report with no public point is listed but not drawn.
"""

import math
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from agencies.models import Region
from reports.models import Report

EARTH_KM = 6371.0


@dataclass(frozen=True)
class PublicPoint:
    latitude: float
    longitude: float
    coarse: bool  # the kelurahan/kecamatan centre, not the report's own pin


def public_point(report) -> PublicPoint | None:
    """The point the public may see for ``report`` (load it with ``region__parent``)."""
    if not report.is_anonymous and report.latitude is not None and report.longitude is not None:
        return PublicPoint(float(report.latitude), float(report.longitude), coarse=False)
    centre = report.region.centre if report.region_id else None
    return PublicPoint(*centre, coarse=True) if centre else None


def distance_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Great-circle distance (haversine)."""
    lat1, lng1, lat2, lng2 = map(math.radians, (*a, *b))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lng2 - lng1) / 2) ** 2
    return 2 * EARTH_KM * math.asin(math.sqrt(h))


def _box(point, radius_km):
    lat, lng = point
    dlat = math.degrees(radius_km / EARTH_KM)
    dlng = dlat / max(math.cos(math.radians(lat)), 0.01)
    return (lat - dlat, lat + dlat), (lng - dlng, lng + dlng)


def around(reports, point, radius_km):
    """``reports`` whose public point may lie within ``radius_km`` of ``point``: a bounding
    box in the database on each place a public point can come from (the pin of a named
    report, the kelurahan's centre, the kecamatan's); ``within`` measures exactly."""
    lats, lngs = _box(point, radius_km)
    own_pin = Q(is_anonymous=False, latitude__range=lats, longitude__range=lngs)
    kelurahan = Q(region__latitude__range=lats, region__longitude__range=lngs)
    kecamatan = Q(region__latitude__isnull=True, region__parent__latitude__range=lats)
    kecamatan &= Q(region__parent__longitude__range=lngs)
    return reports.filter(own_pin | kelurahan | kecamatan)


def within(reports, point, radius_km):
    """[(report, km)] of ``reports`` whose public point is within ``radius_km``, nearest first."""
    found = []
    for report in reports:
        at = public_point(report)
        if at is None:
            continue
        km = distance_km(point, (at.latitude, at.longitude))
        if km <= radius_km:
            found.append((report, km))
    found.sort(key=lambda pair: (pair[1], -pair[0].received_at.timestamp()))
    return found


def feature(report, *, title: str) -> dict | None:
    """One GeoJSON Feature of a public report, or None when it has no public point. Only
    what the public list shows: no reporter, no address, no pin of an anonymous report."""
    at = public_point(report)
    if at is None:
        return None
    return {
        "type": "Feature",
        # GeoJSON is longitude first; six decimals are about 10 cm, no more than stored.
        "geometry": {"type": "Point", "coordinates": [round(at.longitude, 6), round(at.latitude, 6)]},
        "properties": {
            "number": report.tracking_number,
            "title": title,
            "category": str(report.category) if report.category_id else "",
            "region": str(report.region) if report.region_id else "",
            "status": report.status,
            "status_label": str(report.get_status_display()),
            "received": timezone.localdate(report.received_at).isoformat(),
            "supports": report.support_count,
            "coarse": at.coarse,
            "url": reverse("portal:public_detail", args=[report.tracking_number]),
        },
    }


def public_reports(government):
    """The public reports of ``government`` (the portal's)."""
    return Report.objects.public().filter(government=government).select_related("category__parent", "region__parent")


def base_config(government) -> dict:
    """The ground of a resident map (static/js/map-base.js): the tiles and their attribution,
    the centre, and ``government``'s kelurahan with a known centre, drawn when no tiles are
    configured."""
    lat, lng = settings.ADUAN_MAP_CENTER
    regions = (
        []
        if settings.ADUAN_MAP_TILE_URL
        else Region.objects.filter(
            government=government, level=Region.Level.KELURAHAN, latitude__isnull=False, longitude__isnull=False
        ).order_by("name")
    )
    return {
        "tiles": settings.ADUAN_MAP_TILE_URL,
        "attribution": settings.ADUAN_MAP_ATTRIBUTION,
        "center": [lat, lng],
        "regions": [{"name": r.name, "lat": float(r.latitude), "lng": float(r.longitude)} for r in regions],
    }
