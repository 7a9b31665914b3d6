"""Deadline rules (docs/architecture.md, "Deadlines"), each configurable per category.

All limits are in working days (core/workdays.py) except field inspections (calendar days).
"""

import datetime as dt

from core import workdays
from reports.models import Kind, ResolutionClass

VERIFY_DAYS = 3
FOLLOW_UP_DAYS = 5
RESOLUTION_DAYS = {ResolutionClass.SIMPLE: 5, ResolutionClass.COORDINATION: 14}
FIELD_CALENDAR_DAYS = 60
AUTOCLOSE_DAYS = 10
INFO_ANSWER_DAYS = 10
INFO_EXTENSION_DAYS = 7
OBJECTION_WINDOW_DAYS = 30
OBJECTION_ANSWER_DAYS = 30


def verify_due(report, start) -> dt.datetime:
    days = report.category.verify_days if report.category and report.category.verify_days else VERIFY_DAYS
    return workdays.add_working_days(start, days, report.government_id)


def follow_up_due(report, start) -> dt.datetime:
    category = report.category
    days = category.follow_up_days if category and category.follow_up_days else FOLLOW_UP_DAYS
    return workdays.add_working_days(start, days, report.government_id)


def resolution_due(report, start) -> dt.datetime:
    if report.kind == Kind.INFORMATION_REQUEST and report.info_answer_due_at:
        return report.info_answer_due_at
    category = report.category
    if category and category.resolution_days:
        return workdays.add_working_days(start, category.resolution_days, report.government_id)
    if report.resolution_class == ResolutionClass.FIELD:
        return workdays.end_of_day(workdays.local_date(start) + dt.timedelta(days=FIELD_CALENDAR_DAYS))
    return workdays.add_working_days(start, RESOLUTION_DAYS.get(report.resolution_class, 5), report.government_id)


def info_answer_due(start, government_id=None) -> dt.datetime:
    return workdays.add_working_days(start, INFO_ANSWER_DAYS, government_id)


def autoclose_due(resolved_at, government_id=None) -> dt.datetime:
    return workdays.add_working_days(resolved_at, AUTOCLOSE_DAYS, government_id)


def objection_window_ends(answered_at, government_id=None) -> dt.datetime:
    return workdays.add_working_days(answered_at, OBJECTION_WINDOW_DAYS, government_id)


def objection_answer_due(filed_at, government_id=None) -> dt.datetime:
    return workdays.add_working_days(filed_at, OBJECTION_ANSWER_DAYS, government_id)


def resume_after_hold(report, now) -> int:
    """A hold ends at ``now``: the clock stopped while the report waited for the reporter, so
    each running deadline (the coordinator's, an information request's answer) moves later
    by the working days spent on hold. Answers those days; the caller saves."""
    paused = (
        workdays.working_days_between(report.hold_started_at, now, report.government_id)
        if report.hold_started_at
        else 0
    )
    if report.due_at:
        report.due_at = workdays.shift_by_working_days(report.due_at, paused, report.government_id)
    if report.info_answer_due_at:
        report.info_answer_due_at = workdays.shift_by_working_days(
            report.info_answer_due_at, paused, report.government_id
        )
    return paused


def extended_info_answer_due(report, now) -> dt.datetime:
    """An information request's answer deadline after its one extension (UU 14/2008)."""
    return workdays.add_working_days(report.info_answer_due_at or now, INFO_EXTENSION_DAYS, report.government_id)
