"""One action on many reports (the inbox's bulk actions): each report through the same
action, in its own transaction, writing its own event; a refusal is noted and the next
report goes on."""

from dataclasses import dataclass

from django.db import transaction

from core.errors import DomainError
from reports.models import Report


@dataclass(frozen=True)
class Outcome:
    """What became of one report: done, or refused with the action's reason."""

    report: Report
    done: bool
    reason: str = ""


def apply_to_each(reports, perform, *, actor, **arguments) -> list[Outcome]:
    """Call ``perform(report, actor=actor, **arguments)`` for each report, in order.

    1. each call runs in its own ``transaction.atomic()`` (the action opens its own inside,
       locks the row, checks the workflow table, saves and writes its event);
    2. a ``DomainError`` (not in this state, not this actor, a bad argument for this
       report) rolls that report back and is kept as its reason;
    3. any other error is not a refusal and stops the loop (what was done stays done).
    """
    outcomes = []
    for report in reports:
        try:
            with transaction.atomic():
                done = perform(report, actor=actor, **arguments)
        except DomainError as error:
            outcomes.append(Outcome(report, done=False, reason=str(error.message)))
        else:
            outcomes.append(Outcome(done if isinstance(done, Report) else report, done=True))
    return outcomes
