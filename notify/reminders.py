"""The morning reminder: one email per agency staff member per day listing the
dispositions of their agencies that are overdue or due within one working day."""

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from agencies.models import Appointment, Role
from core import workdays
from notify.actions import queue_safely
from notify.models import Channel
from reports.models import Disposition

# Liaisons and operators do the work: they hear of both lists. The agency head hears of
# overdue work only (the escalation).
DOERS = {Role.LIAISON, Role.OPERATOR}
ACTIVE_REPORT_STATES = ["verified", "disposed", "in_progress"]


def _item(disposition, due):
    report = disposition.report
    return {
        "tracking_number": report.tracking_number,
        "category": str(report.category) if report.category_id else "-",
        "agency": str(disposition.agency),
        "state": disposition.get_state_display(),
        "due": due,
        "link": settings.SITE_URL + reverse("workspace:report", args=[report.pk]),
    }


def due_work(now):
    """(overdue, due soon) open dispositions of reports still being worked on."""
    soon_until = workdays.add_working_days(now, 1)
    base = (
        Disposition.objects.filter(report__status__in=ACTIVE_REPORT_STATES)
        .select_related("report__category__parent", "agency")
        .order_by("pk")
    )
    overdue = list(base.overdue(now))
    late = {d.pk for d in overdue}
    soon = [
        d for d in base.open().with_next_due().filter(next_due__gte=now, next_due__lte=soon_until) if d.pk not in late
    ]
    return overdue, soon


def remind_due_work(now=None) -> int:
    """Queue today's digests; the number queued. The dedupe key carries the local date, so
    a second run on the same day queues nothing new."""
    now = now or timezone.now()
    today = workdays.local_date(now)
    overdue, soon = due_work(now)
    if not overdue and not soon:
        return 0
    agency_ids = {d.agency_id for d in [*overdue, *soon]}
    appointments = (
        Appointment.objects.active(now)
        .filter(agency_id__in=agency_ids, role__in=[*DOERS, Role.AGENCY_HEAD])
        .select_related("person")
    )
    digests = {}  # user id -> (user, {disposition pk: item} overdue, ... soon)
    for appointment in appointments:
        person = appointment.person
        if not person.is_active or not person.email:
            continue
        _, late_items, soon_items = digests.setdefault(person.pk, (person, {}, {}))
        for disposition in overdue:
            if disposition.agency_id == appointment.agency_id:
                late_items[disposition.pk] = _item(disposition, _overdue_deadline(disposition, now))
        if appointment.role in DOERS:
            for disposition in soon:
                if disposition.agency_id == appointment.agency_id:
                    soon_items[disposition.pk] = _item(disposition, disposition.next_due)
    queued = 0
    for person, late_items, soon_items in digests.values():
        if not late_items and not soon_items:
            continue
        message = queue_safely(
            channel=Channel.EMAIL,
            recipient=person.email,
            template="staff_work_overdue" if late_items else "staff_work_due_soon",
            context={
                "site_name": settings.ADUAN_SITE_NAME,
                "name": person.get_full_name() or person.get_username(),
                "date": today,
                "overdue": list(late_items.values()),
                "due_soon": list(soon_items.values()),
            },
            user=person,
            dedupe_key=f"due-digest:{today.isoformat()}:{person.pk}:email",
        )
        queued += message is not None
    return queued


def _overdue_deadline(disposition, now):
    """The deadline that was missed: the first follow-up's while pending, else resolution."""
    if (
        disposition.state == Disposition.State.PENDING
        and disposition.follow_up_due_at
        and (disposition.follow_up_due_at < now)
    ):
        return disposition.follow_up_due_at
    return disposition.resolution_due_at
