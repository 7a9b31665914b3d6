"""The escalation ladder for the deadlines of dispositions and of the reports themselves.

For each deadline step an EscalationRule says how the ladder climbs. A disposition's steps
(first follow-up while it is pending; resolution while it is open — for an information
request that is its answer deadline) are the agency's work:

1. **reminder** — ``remind_days_before`` working days before the deadline, to the agency's
   liaisons and operators (only before the deadline: a missed reminder is not sent late);
2. **overdue** — once the deadline has passed, to the agency head;
3. **escalated** — once it is overdue by ``escalate_after_days`` working days, to the
   coordinators, and listed in the executives' daily digest.

A report's own steps have no agency: the coordinators hold them — **verification** (verify
and dispose a received or returned report: ``Report.due_at`` while it is received or
verified; paused on hold) and **objection** (answer an information requester's objection:
``Report.objection_due_at`` while the report is in objection). Their rungs: 1. a reminder
to the coordinators; 2. overdue, to the coordinators; 3. escalated, to the coordinators
and the executives' daily digest.

The ladder runs on working days only (core/workdays.py), so nobody is told on a Sunday or a
holiday; overdue rungs due meanwhile fire on the next working day, lower rungs first.

Each rung fired is an Escalation row (unique per disposition, step and level; per report,
step, round and level for a report's own steps), an internal ``escalated`` ReportEvent, and
outbox messages keyed by that event, in one transaction: a second worker running the ladder
at the same time fails on the unique row and sends nothing.
"""

import logging

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from agencies.models import Role
from core import workdays
from escalation.models import REPORT_STEPS, Escalation, EscalationRule, Level, Step
from governments.models import Government, site_name
from notify.actions import queue_safely
from notify.models import Channel
from notify.receivers import staff_context, staff_of, tell_staff
from reports.access import SYSTEM
from reports.actions import record_event  # the one writer of ReportEvent rows
from reports.models import COORDINATOR_STATES, OPEN_DISPOSITION_STATES, Disposition, Report, Status

logger = logging.getLogger(__name__)

ACTIVE_REPORT_STATES = ["verified", "disposed", "in_progress"]
TEMPLATES = {
    Level.REMINDER: "escalation_reminder",
    Level.OVERDUE: "escalation_overdue",
    Level.ESCALATED: "escalation_coordinator",
}
# The report's own steps (no agency): the coordinators' messages.
UNIT_TEMPLATES = {
    Level.REMINDER: "escalation_unit_reminder",
    Level.OVERDUE: "escalation_unit_overdue",
    Level.ESCALATED: "escalation_unit_escalated",
}
# Where each report step's deadline runs, and in which states its clock runs (not on hold).
REPORT_DEADLINES = {
    Step.VERIFICATION: ("due_at", COORDINATOR_STATES),
    Step.OBJECTION: ("objection_due_at", [Status.OBJECTION]),
}


def rules() -> dict:
    """The rule of each step: the administrator's row, or the defaults."""
    found = {rule.step: rule for rule in EscalationRule.objects.all()}
    return {step: found.get(step) or EscalationRule(step=step) for step in Step.values}


def deadline_of(disposition, step):
    if step == Step.FOLLOW_UP:
        return disposition.follow_up_due_at if disposition.state == Disposition.State.PENDING else None
    return disposition.resolution_due_at


def report_deadline_of(report, step):
    field, states = REPORT_DEADLINES[step]
    return getattr(report, field) if report.status in states else None


def round_of(report) -> int:
    """The times the report came back to the coordinator (returned by its lead agency,
    reopened by the reporter): each time the verification clock starts afresh, and so does
    its ladder. Neither count changes while the coordinator holds the report."""
    return report.return_count + report.reopen_count


def due_levels(rule, deadline, now) -> list[int]:
    """The rungs whose time has come, lowest first."""
    if deadline is None or not rule.is_active:
        return []
    if now <= deadline:
        if rule.remind_days_before and workdays.working_days_between(now, deadline) <= rule.remind_days_before:
            return [Level.REMINDER]
        return []
    levels = [Level.OVERDUE]
    if workdays.working_days_between(deadline, now) >= rule.escalate_after_days:
        levels.append(Level.ESCALATED)
    return levels


def run_ladder(now=None) -> int:
    """Fire every rung that is due and not yet fired; the number fired. Nothing on a day
    that is not a working day."""
    now = now or timezone.now()
    if not workdays.is_working_day(workdays.local_date(now)):
        return 0
    step_rules = rules()
    return _run_dispositions(step_rules, now) + _run_reports(step_rules, now)


def _run_dispositions(step_rules, now) -> int:
    fired_before = set(
        Escalation.objects.filter(
            disposition__is_active=True, disposition__state__in=OPEN_DISPOSITION_STATES
        ).values_list("disposition_id", "step", "level")
    )
    dispositions = (
        Disposition.objects.open()
        .filter(report__status__in=ACTIVE_REPORT_STATES)
        .select_related("report__category__parent", "agency")
        .order_by("pk")
    )
    fired = 0
    for disposition in dispositions:
        for step in (Step.FOLLOW_UP, Step.RESOLUTION):
            rule = step_rules[step]
            deadline = deadline_of(disposition, step)
            for level in due_levels(rule, deadline, now):
                if (disposition.pk, step, level) in fired_before:
                    continue
                fired += fire(disposition, step, level, deadline, now=now) is not None
    return fired


def _run_reports(step_rules, now) -> int:
    """The report's own steps, held by the coordinators."""
    states = {state for step in REPORT_STEPS for state in REPORT_DEADLINES[step][1]}
    fired_before = set(
        Escalation.objects.filter(disposition__isnull=True, report__status__in=states).values_list(
            "report_id", "step", "round", "level"
        )
    )
    reports = Report.objects.filter(status__in=states).select_related("category__parent").order_by("pk")
    fired = 0
    for report in reports:
        for step in REPORT_STEPS:
            deadline = report_deadline_of(report, step)
            for level in due_levels(step_rules[step], deadline, now):
                if (report.pk, step, round_of(report), level) in fired_before:
                    continue
                fired += fire_for_report(report, step, level, deadline, now=now, rule=step_rules[step]) is not None
    return fired


def fire(disposition, step, level, deadline, *, now=None) -> Escalation | None:
    """One rung of a disposition's step: the row, the event and the messages, or nothing
    when it already fired."""
    now = now or timezone.now()
    with transaction.atomic():
        try:
            with transaction.atomic():
                escalation = Escalation.objects.create(
                    report_id=disposition.report_id,
                    disposition=disposition,
                    step=step,
                    level=level,
                    deadline=deadline,
                    fired_at=now,
                )
        except IntegrityError:
            return None  # fired already, by an earlier run or another worker right now
        report = disposition.report
        message = _("%(level)s — %(step)s, tenggat %(deadline)s (%(agency)s).") % {
            "level": Level(level).label,
            "step": Step(step).label,
            "deadline": timezone.localtime(deadline).strftime("%d-%m-%Y %H:%M"),
            "agency": disposition.agency,
        }
        event = record_event(
            report,
            "escalated",
            actor=SYSTEM,
            role="system",
            from_status=report.status,
            message=message,
            disposition=disposition,
            data={"step": step, "level": level, "deadline": deadline.isoformat()},
            at=now,
        )
        escalation.event = event
        escalation.save(update_fields=["event"])
        people = recipients(disposition, level)
        context = {
            **staff_context(report),
            "agency": str(disposition.agency),
            "step": Step(step).label,
            "deadline": deadline,
            "days_late": workdays.working_days_between(deadline, now) if now > deadline else 0,
        }
        tell_staff(event, people, TEMPLATES[level], context)
    return escalation


def fire_for_report(report, step, level, deadline, *, now=None, rule=None) -> Escalation | None:
    """One rung of a report's own step (verification, objection): the row, the event and
    the coordinators' messages, or nothing when it already fired in this round."""
    now = now or timezone.now()
    rule = rule or rules()[step]
    round_ = round_of(report)
    with transaction.atomic():
        try:
            with transaction.atomic():
                escalation = Escalation.objects.create(
                    report=report, step=step, round=round_, level=level, deadline=deadline, fired_at=now
                )
        except IntegrityError:
            return None  # fired already, by an earlier run or another worker right now
        message = _("%(level)s — %(step)s, tenggat %(deadline)s (%(agency)s).") % {
            "level": Level(level).label,
            "step": Step(step).label,
            "deadline": timezone.localtime(deadline).strftime("%d-%m-%Y %H:%M"),
            "agency": _("koordinator"),
        }
        event = record_event(
            report,
            "escalated",
            actor=SYSTEM,
            role="system",
            from_status=report.status,
            message=message,
            data={"step": step, "level": level, "round": round_, "deadline": deadline.isoformat()},
            at=now,
        )
        escalation.event = event
        escalation.save(update_fields=["event"])
        context = {
            **staff_context(report),
            "step": Step(step).label,
            "deadline": deadline,
            "days_late": workdays.working_days_between(deadline, now) if now > deadline else 0,
            "escalate_after_days": rule.escalate_after_days,
        }
        # Every rung of a report's own step goes to the coordinators, who hold it; level 3
        # also reaches the executives, in their daily digest.
        coordinators = staff_of([Role.COORDINATOR], government_id=report.government_id)
        tell_staff(event, coordinators, UNIT_TEMPLATES[level], context)
    return escalation


def recipients(disposition, level):
    if level == Level.REMINDER:
        return staff_of([Role.LIAISON, Role.OPERATOR], [disposition.agency_id])
    if level == Level.OVERDUE:
        if disposition.parent_id is not None:
            # A unit's overdue work: its head, and the agency above that forwarded it and
            # stays answerable for it (reports/actions/units.py).
            above = Disposition.objects.filter(pk=disposition.parent_id).values("agency_id")
            people = staff_of([Role.AGENCY_HEAD], [disposition.agency_id])
            people += staff_of([Role.LIAISON, Role.OPERATOR, Role.AGENCY_HEAD], above)
            return list({person.pk: person for person in people}.values())
        return staff_of([Role.AGENCY_HEAD], [disposition.agency_id])
    return staff_of([Role.COORDINATOR], government_id=disposition.report.government_id)


def send_executive_digest(now=None) -> int:
    """The executives' daily digest of work escalated since the last digest (an agency's
    late disposition, or a report late with the coordinators); the number of messages
    queued. Each executive gets at most one a day (the dedupe key carries the date)."""
    now = now or timezone.now()
    today = workdays.local_date(now)
    pending = list(
        Escalation.objects.filter(level=Level.ESCALATED, digested_at__isnull=True)
        .select_related("report__category__parent", "disposition__agency")
        .order_by("deadline", "pk")
    )
    if not pending:
        return 0
    items = [
        {
            "government": e.report.government_id,
            "tracking_number": e.report.tracking_number,
            "category": str(e.report.category) if e.report.category_id else "-",
            # Who holds the late work: the agency, or the coordinator for a report's own step.
            "agency": str(e.disposition.agency) if e.disposition_id else _("koordinator"),
            "step": e.get_step_display(),
            "deadline": e.deadline,
            "days_late": workdays.working_days_between(e.deadline, now),
            "link": settings.ADUAN_SITE_URL + reverse("workspace:report", args=[e.report_id]),
        }
        for e in pending
    ]
    queued = 0
    with transaction.atomic():
        for government_id in sorted({item["government"] for item in items}):
            # Each government's executives read their own government's late work only.
            mine = [
                {k: v for k, v in item.items() if k != "government"}
                for item in items
                if item["government"] == government_id
            ]
            people = staff_of([Role.EXECUTIVE], government_id=government_id)
            queued += _send_digest(people, mine, today, Government.objects.filter(pk=government_id).first())
        Escalation.objects.filter(pk__in=[e.pk for e in pending], digested_at__isnull=True).update(digested_at=now)
    return queued


def _send_digest(people, items, today, government) -> int:
    """One digest email per person of ``people`` (``government``'s executives) with an email
    address; the number queued."""
    queued = 0
    for person in people:
        if not person.email:
            continue
        message = queue_safely(
            channel=Channel.EMAIL,
            recipient=person.email,
            template="escalation_digest",
            context={
                "site_name": site_name(government),
                "name": person.get_full_name() or person.get_username(),
                "date": today,
                "items": items,
                "link": settings.ADUAN_SITE_URL + reverse("staffing:workload"),
            },
            user=person,
            dedupe_key=f"escalation-digest:{today.isoformat()}:{person.pk}:email",
        )
        queued += message is not None
    return queued
