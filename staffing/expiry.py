"""Reminders before a decree (SK) or an appointment expires: 30, 7 and 1 days before its
end, to the system administrators and to the heads of the agencies concerned.

A decree's reminder covers the appointments it made; an appointment gets its own reminder
only when it ends on another day than its decree (made by hand in the admin, or without a
decree). Nothing is sent for a decree that already has an issued renewal, nor for an
appointment whose person is already appointed again to the same role and agency after it.
Each (item, threshold, recipient) is queued once: the dedupe key carries all three.
"""

import datetime as dt

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import timezone

from agencies.models import Appointment, Decree, Role
from governments.models import site_name
from notify.actions import queue_safely
from notify.models import Channel

THRESHOLDS = (30, 7, 1)  # days before the end


def threshold_for(days_left: int) -> int | None:
    """The smallest threshold not below ``days_left`` (None beyond the first one)."""
    reached = [t for t in THRESHOLDS if days_left <= t]
    return min(reached) if reached else None


def administrators():
    return list(get_user_model().objects.filter(is_active=True).filter(is_staff=True).exclude(email="").order_by("pk"))


def heads_of(agency_ids, at):
    people = {}
    for appointment in (
        Appointment.objects.active(at)
        .filter(role=Role.AGENCY_HEAD, agency_id__in=agency_ids, person__is_active=True)
        .exclude(person__email="")
        .select_related("person")
    ):
        people[appointment.person.pk] = appointment.person
    return list(people.values())


def _last_day(valid_until):
    """The last day an end moment still covers (an end at midnight belongs to the day before)."""
    local = timezone.localtime(valid_until)
    return (local - dt.timedelta(microseconds=1)).date()


def _send(people, *, template, context, key):
    queued = 0
    for person in people:
        message = queue_safely(
            channel=Channel.EMAIL,
            recipient=person.email,
            template=template,
            context={**context, "name": person.get_full_name() or person.get_username()},
            user=person,
            dedupe_key=f"{key}:{person.pk}:email",
        )
        queued += message is not None
    return queued


def remind_expiring(now=None) -> int:
    """Queue today's expiry reminders; the number queued."""
    now = now or timezone.now()
    today = timezone.localtime(now).date()
    admins = administrators()
    admin_link = settings.ADUAN_SITE_URL + reverse("staffing:coverage")
    queued = 0

    renewed = Decree.objects.filter(renews=OuterRef("pk"), status=Decree.Status.ISSUED)
    decrees = (
        Decree.objects.issued()
        .filter(valid_until__gte=today, valid_until__lte=today + dt.timedelta(days=max(THRESHOLDS)))
        .exclude(Exists(renewed))
        .select_related("government")
        .order_by("pk")
    )
    for decree in decrees:
        days_left = (decree.valid_until - today).days
        threshold = threshold_for(days_left)
        agency_ids = set(decree.appointments.active(now).values_list("agency_id", flat=True))
        if threshold is None or not agency_ids:
            continue
        agencies = sorted({str(a.agency) for a in decree.appointments.active(now).select_related("agency")})
        context = {
            "site_name": site_name(decree.government),
            "number": decree.number,
            "last_day": decree.valid_until,
            "days_left": days_left,
            "agencies": ", ".join(agencies),
            "link": admin_link,
        }
        people = {p.pk: p for p in [*admins, *heads_of(agency_ids, now)]}.values()
        queued += _send(
            people, template="decree_expiring", context=context, key=f"decree-expiry:{decree.pk}:{threshold}"
        )

    horizon = now + dt.timedelta(days=max(THRESHOLDS) + 1)
    appointments = (
        Appointment.objects.active(now)
        .filter(valid_until__lte=horizon, person__is_active=True)
        .select_related("person", "agency__government", "decree")
        .order_by("pk")
    )
    for appointment in appointments:
        last_day = _last_day(appointment.valid_until)
        if appointment.decree_id and appointment.decree.valid_until == last_day:
            continue  # the decree's reminder covers it
        threshold = threshold_for((last_day - today).days)
        if threshold is None:
            continue
        again = Appointment.objects.filter(
            person_id=appointment.person_id,
            agency_id=appointment.agency_id,
            role=appointment.role,
            valid_from__lte=appointment.valid_until,
        ).exclude(pk=appointment.pk)
        if again.active(appointment.valid_until).exists():
            continue
        context = {
            "site_name": site_name(appointment.agency.government),
            "person": appointment.person.get_full_name() or appointment.person.get_username(),
            "role": appointment.get_role_display(),
            "agency": str(appointment.agency),
            "number": appointment.decree_number,
            "last_day": last_day,
            "days_left": (last_day - today).days,
            "link": admin_link,
        }
        people = {p.pk: p for p in [*admins, *heads_of([appointment.agency_id], now)]}.values()
        queued += _send(
            people,
            template="appointment_expiring",
            context=context,
            key=f"appointment-expiry:{appointment.pk}:{threshold}",
        )
    return queued
