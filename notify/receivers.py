"""From report events to outbox messages, written in the event's own transaction
(reports.signals.event_written): the change and its messages are stored together or not at
all. The delivery runs after the commit (notify.actions.queue enqueues it then; the
scheduler's sweep, ``deliver_due``, sends a message whose enqueue was lost).

- The reporter hears of verification, a question (hold), disposition, an agency's public
  reply, resolution and closing, on the reply channel they chose; never of staff-only
  events (internal notes, returns), and nothing when they chose no channel.
- The lead and supporting agencies' liaisons and operators hear of a new disposition, the
  coordinators of a returned one, a staff member of work assigned to them: by email, and on
  WhatsApp when their number is known and WhatsApp is configured. Staff messages never
  carry the reporter's identity, and for a confidential report nothing of its text: the
  tracking number and category only.
"""

import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.dispatch import receiver
from django.urls import reverse

from agencies.models import Appointment, Role
from governments.models import site_name
from notify.actions import queue_safely
from notify.models import Channel, Language, StaffContact
from notify.muting import is_muted
from reports.models import ReplyChannel, Status
from reports.signals import contained, event_written

logger = logging.getLogger(__name__)

# Event action → the template that tells the reporter.
REPORTER_TEMPLATES = {
    "verified": "report_verified",
    "held": "report_on_hold",
    "disposed": "report_disposed",
    "follow_up": "report_followed_up",
    "resolved": "report_resolved",
    "closed": "report_closed",
    "auto_closed": "report_closed",
    "objection_answered": "report_closed",
}
STAFF_ONLY = {"internal_note"}
# Events that give work to one person: staffing's assignment and hand-over of a disposition
# (``data["to"]``: the username), the report's owner given to a colleague (``report.owner``).
ASSIGNING = {"assigned", "handed_over", "owner_assigned"}
# Events staff hear of (the reporter's are REPORTER_TEMPLATES).
# Dispose down, return up (reports/actions/units.py): the unit hears of work forwarded to
# it, the agency of work its unit gave back, in the messages of a disposition and a return.
UNIT_EVENTS = {"forwarded_to_unit", "returned_to_agency"}
# Refer across governments (reports/actions/referrals.py): the other side's coordinators.
REFERRAL_EVENTS = {"referred", "referral_returned"}
STAFF_EVENTS = {"disposed", "disposition_returned"} | ASSIGNING | UNIT_EVENTS | REFERRAL_EVENTS
EXCERPT_LENGTH = 300


@receiver(event_written, dispatch_uid="notify.on_event_written")
def on_event_written(sender, event, **kwargs):
    """Inside the event's transaction. A failure of its own (a bug, a bad template) is
    rolled back to a savepoint and logged, never raised: it must not undo the change. A
    lost database fails the whole transaction, the change with its messages (contained)."""
    if is_muted() or (event.action not in REPORTER_TEMPLATES and event.action not in STAFF_EVENTS):
        return  # nobody hears of it: no savepoint, no query (a bulk import writes thousands)
    with contained(logger, "Notifications for event %s failed", event.pk):
        notify_reporter(event)
        if event.action == "disposed":
            notify_disposed(event)
        elif event.action == "disposition_returned":
            notify_returned(event)
        elif event.action in ASSIGNING:
            notify_assigned(event)
        elif event.action in UNIT_EVENTS:
            notify_unit_step(event)
        elif event.action in REFERRAL_EVENTS:
            notify_referral(event)


# ---------------------------------------------------------------------------- reporter


def reporter_address(report) -> str:
    return {
        ReplyChannel.EMAIL: report.reporter_email,
        ReplyChannel.SMS: report.reporter_phone,
        ReplyChannel.WHATSAPP: report.reporter_phone,
        ReplyChannel.INSTAGRAM: report.reporter_account,
    }.get(report.reply_channel, "")


def reporter_language(report) -> str:
    """The reporter's language (Report.language, set at submission); a language without
    templates of its own falls back to Indonesian."""
    return report.language if report.language in Language.values else Language.INDONESIAN


def tracking_link(report) -> str:
    return settings.ADUAN_SITE_URL + reverse("portal:track_detail", args=[report.secret])


def notify_reporter(event):
    template = REPORTER_TEMPLATES.get(event.action)
    report = event.report
    if template is None or event.action in STAFF_ONLY or not event.is_public:
        return None
    notify_merged_reporters(event, template)
    if report.reply_channel == ReplyChannel.NONE or report.reply_channel not in Channel.values:
        return None
    data = event.data or {}
    context = {
        # The report's government's name: a Kota Kediri resident hears from Aduan Kota Kediri.
        "site_name": site_name(report.government),
        "tracking_number": report.tracking_number,
        "status": Status(report.status).label,
        "message": event.message,
        "question": event.message or report.hold_question,
        "reply": event.message,
        "agency": str(event.agency) if event.agency_id else "",
        "agencies": ", ".join(data.get("agencies", [])),
        "link": tracking_link(report),
    }
    return queue_safely(
        channel=report.reply_channel,
        recipient=reporter_address(report),
        template=template,
        context=context,
        language=reporter_language(report),
        report=report,
        dedupe_key=f"event:{event.pk}:reporter:{report.reply_channel}",
    )


# Not for the reporters of merged duplicates: a question is for the original's reporter.
NOT_FOR_MERGED = {"held"}


def notify_merged_reporters(event, template):
    """The reporters of duplicates merged into this report (triage's merge: archived as
    a duplicate of it) hear its updates too, on their own reply channel, with their own
    tracking link. Of a confidential original they get the status change only."""
    report = event.report
    if event.action in NOT_FOR_MERGED:
        return
    merged = report.duplicates.filter(status=Status.ARCHIVED, archive_reason="duplicate").exclude(
        reply_channel=ReplyChannel.NONE
    )
    data = event.data or {}
    for duplicate in merged:
        if duplicate.reply_channel not in Channel.values:
            continue
        message = "" if report.is_confidential else event.message
        context = {
            "site_name": site_name(duplicate.government),
            "tracking_number": duplicate.tracking_number,
            "status": Status(report.status).label,
            "message": message,
            "question": message,
            "reply": message,
            "agency": str(event.agency) if event.agency_id else "",
            "agencies": ", ".join(data.get("agencies", [])),
            "link": tracking_link(duplicate),
        }
        queue_safely(
            channel=duplicate.reply_channel,
            recipient=reporter_address(duplicate),
            template=template,
            context=context,
            language=reporter_language(duplicate),
            report=duplicate,
            dedupe_key=f"event:{event.pk}:merged:{duplicate.pk}:{duplicate.reply_channel}",
        )


# ---------------------------------------------------------------------------- staff


def whatsapp_configured() -> bool:
    return bool(settings.ADUAN_WHATSAPP_ACCESS_TOKEN and settings.ADUAN_WHATSAPP_PHONE_NUMBER_ID)


def staff_of(roles, agency_ids=None, *, government_id=None):
    """The people with an active appointment in one of ``roles`` (at one of the agencies;
    of the government ``government_id``: a coordinator hears of their own government's
    reports only)."""
    appointments = Appointment.objects.active().filter(role__in=roles)
    if agency_ids is not None:
        appointments = appointments.filter(agency_id__in=agency_ids)
    if government_id is not None:
        appointments = appointments.filter(agency__government_id=government_id)
    people = {}
    for appointment in appointments.select_related("person"):
        if appointment.person.is_active:
            people[appointment.person.pk] = appointment.person
    return list(people.values())


def staff_context(report):
    """What staff messages may say about a report: never the reporter's identity, so the
    excerpt is of the masked description (a message leaves the system by email or
    WhatsApp); for a confidential report only its tracking number and category."""
    excerpt = ""
    if not report.is_confidential:
        excerpt = report.masked_description
        if len(excerpt) > EXCERPT_LENGTH:
            excerpt = excerpt[:EXCERPT_LENGTH] + "…"
    return {
        "site_name": site_name(report.government),
        "tracking_number": report.tracking_number,
        "category": str(report.category) if report.category_id else "-",
        "is_confidential": report.is_confidential,
        "excerpt": excerpt,
        "link": settings.ADUAN_SITE_URL + reverse("workspace:report", args=[report.pk]),
    }


def tell_staff(event, people, template, context):
    """Queue ``template`` for each of ``people`` about ``event``'s report: by email when
    they have an address, by WhatsApp when it is configured and they gave a number. One
    message per event, person and channel (the dedupe key), so a replayed event sends
    nothing twice. Escalation's ladder uses it too."""
    numbers = {}
    if whatsapp_configured():
        numbers = dict(
            StaffContact.objects.filter(user__in=people)
            .exclude(whatsapp_number="")
            .values_list("user_id", "whatsapp_number")
        )
    for person in people:
        if person.email:
            queue_safely(
                channel=Channel.EMAIL,
                recipient=person.email,
                template=template,
                context=context,
                user=person,
                report=event.report,
                dedupe_key=f"event:{event.pk}:user:{person.pk}:email",
            )
        if person.pk in numbers:
            queue_safely(
                channel=Channel.WHATSAPP,
                recipient=numbers[person.pk],
                template=template,
                context=context,
                user=person,
                report=event.report,
                dedupe_key=f"event:{event.pk}:user:{person.pk}:whatsapp",
            )


def notify_disposed(event):
    """Each agency the report was just disposed to: its liaisons and operators."""
    report = event.report
    names = set((event.data or {}).get("agencies", []))
    # The dispositions this event made (by what they were when it was recorded: one may
    # have been returned since).
    made = {}
    for disposition in report.dispositions.filter(created_at__lte=event.created_at).select_related("agency"):
        if str(disposition.agency) in names:
            made[disposition.agency_id] = disposition
    for disposition in sorted(made.values(), key=lambda d: d.pk):
        people = staff_of([Role.LIAISON, Role.OPERATOR], [disposition.agency_id])
        context = {
            **staff_context(report),
            "agency": str(disposition.agency),
            "role": disposition.get_role_display(),
            "instruction": "" if report.is_confidential else disposition.instruction,
            "follow_up_due": disposition.follow_up_due_at,
            "resolution_due": disposition.resolution_due_at,
        }
        tell_staff(event, people, "staff_disposition_new", context)


def notify_returned(event):
    """The coordinators: an agency returned a disposition as not its authority."""
    people = staff_of([Role.COORDINATOR], government_id=event.report.government_id)
    context = {
        **staff_context(event.report),
        "agency": str(event.agency) if event.agency_id else "",
        "reason": event.message,
        "status": Status(event.report.status).label,
    }
    tell_staff(event, people, "staff_disposition_returned", context)


def notify_referral(event):
    """Referred: the receiving government's coordinators (the report is in their queue now).
    Returned: the referring government's, whose queue it is back in. The report's
    government is already the receiver's in both cases."""
    data = event.data or {}
    people = staff_of([Role.COORDINATOR], government_id=data.get("to"))
    context = {
        **staff_context(event.report),
        "from_government": data.get("from_name", ""),
        "to_government": data.get("to_name", ""),
        "reason": event.message,
    }
    template = "staff_referral_new" if event.action == "referred" else "staff_referral_returned"
    tell_staff(event, people, template, context)


def notify_unit_step(event):
    """Forwarded: the unit's liaisons and operators, as of a new disposition. Returned up:
    the agency's liaisons, operators and head, as of a return."""
    report, disposition = event.report, event.disposition
    if event.action == "forwarded_to_unit":
        people = staff_of([Role.LIAISON, Role.OPERATOR], [disposition.agency_id])
        context = {
            **staff_context(report),
            "agency": str(disposition.agency),
            "role": disposition.get_role_display(),
            "instruction": "" if report.is_confidential else disposition.instruction,
            "follow_up_due": disposition.follow_up_due_at,
            "resolution_due": disposition.resolution_due_at,
        }
        tell_staff(event, people, "staff_disposition_new", context)
        return
    people = staff_of([Role.LIAISON, Role.OPERATOR, Role.AGENCY_HEAD], [disposition.parent.agency_id])
    context = {
        **staff_context(report),
        "agency": str(disposition.agency),
        "reason": event.message,
        "status": Status(report.status).label,
    }
    tell_staff(event, people, "staff_disposition_returned", context)


def assignee(event):
    """Who ``event`` gave work to, or None (back to the pool, or nobody active)."""
    if event.action == "owner_assigned":
        return event.report.owner
    username = (event.data or {}).get("to")
    if not username:
        return None
    return get_user_model().objects.filter(**{get_user_model().USERNAME_FIELD: username}).first()


def notify_assigned(event):
    """The person work was given to, unless they took it themselves: by email (and
    WhatsApp), like the other staff messages."""
    person = assignee(event)
    if person is None or not person.is_active or person.pk == event.actor_id:
        return
    disposition = event.disposition
    actor = event.actor
    context = {
        **staff_context(event.report),
        "assigned_by": (actor.get_full_name() or actor.get_username()) if actor is not None else "",
        "handed_over": event.action == "handed_over",
        "agency": str(event.agency) if event.agency_id else "",
        "resolution_due": disposition.resolution_due_at if disposition is not None else None,
    }
    tell_staff(event, [person], "staff_assigned", context)
