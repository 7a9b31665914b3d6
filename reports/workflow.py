"""The life cycle of a report, in one table (docs/architecture.md, "The workflow table").

Each action names the report states it may start from, the state it leads to (``SAME``:
unchanged; ``HELD_FROM``: back to where the report was put on hold; ``COMPUTED``: decided
by the action from the dispositions), and who may do it. reports/actions/ checks every
change against this table and nothing else changes a report's status.
"""

from dataclasses import dataclass

from core.errors import InvalidTransition, NotAllowed
from reports.models import OPEN_DISPOSITION_STATES, Disposition, Status

CITIZEN = "citizen"
COORDINATOR = "coordinator"
AGENCY = "agency"  # a liaison or operator of the disposed agency
SYSTEM = "system"
NOBODY = "nobody"  # anyone with no part in the report: may do nothing to it

SAME = "same"
HELD_FROM = "held_from"
COMPUTED = "computed"


@dataclass(frozen=True)
class Transition:
    sources: frozenset
    target: str
    actors: frozenset


def _t(sources, target, *actors):
    return Transition(frozenset(sources), target, frozenset(actors))


R, H, V, D, P = Status.RECEIVED, Status.ON_HOLD, Status.VERIFIED, Status.DISPOSED, Status.IN_PROGRESS
RES, C, OBJ = Status.RESOLVED, Status.CLOSED, Status.OBJECTION

TRANSITIONS = {
    "verify": _t({R, H}, V, COORDINATOR),
    "classify": _t({R, H, V, D, P}, SAME, COORDINATOR),
    "hold": _t({R, V}, H, COORDINATOR),
    "reporter_reply": _t({H}, HELD_FROM, CITIZEN),
    # A later message from the reporter on a chat channel, attached to the open report.
    "reporter_message": _t({R, V, D, P, RES, OBJ}, SAME, CITIZEN),
    "archive": _t({R, H, V}, Status.ARCHIVED, COORDINATOR),
    "dispose": _t({V}, D, COORDINATOR),
    # Agency work: the disposition's own state is checked as well (DISPOSITION_TRANSITIONS).
    "follow_up": _t({V, D, P}, COMPUTED, AGENCY),
    "internal_note": _t({V, D, P, RES}, SAME, AGENCY, COORDINATOR),
    "finish_disposition": _t({V, D, P}, COMPUTED, AGENCY),
    "return_disposition": _t({D, P}, COMPUTED, AGENCY),
    # Dispose down and return up inside the government (reports/actions/units.py): the
    # report's status stays; the agency's and the unit's dispositions carry the change.
    "forward_to_unit": _t({D, P}, SAME, AGENCY),
    "return_to_agency": _t({D, P}, SAME, AGENCY),
    "extend_information": _t({V, D, P}, SAME, AGENCY, COORDINATOR),
    "confirm": _t({RES}, C, CITIZEN),
    "dispute": _t({RES}, V, CITIZEN),
    "close": _t({RES}, C, COORDINATOR),
    "auto_close": _t({RES}, C, SYSTEM),
    "rate": _t({RES, C}, SAME, CITIZEN),
    "file_objection": _t({RES, C}, OBJ, CITIZEN),
    "answer_objection": _t({OBJ}, C, COORDINATOR),
    # Who in the unit is on an open report (take, assign to a colleague, let go): a claim
    # beside the state, never a change of it.
    # Refer to another government of the installation, and its return (reports/actions/
    # referrals.py): the report moves to the other government's verification queue.
    "refer": _t({R, H, V, D, P}, R, COORDINATOR),
    "return_referral": _t({R, H, V, D, P}, R, COORDINATOR),
    "assign": _t({R, H, V, D, P, RES, OBJ}, SAME, COORDINATOR),
}

# Two actions taken as one step (reports.actions.verify_and_dispose, the workspace's
# "Verifikasi & teruskan"): open where the first is open now and the second is open, for
# the same actor, from the state the first leads to. Each step is still checked on its own.
CHAINS = {
    "verify_dispose": ("verify", "dispose"),
}

DISPOSITION_TRANSITIONS = {
    "follow_up": (set(OPEN_DISPOSITION_STATES), Disposition.State.ACCEPTED),
    "finish_disposition": (set(OPEN_DISPOSITION_STATES), Disposition.State.DONE),
    "return_disposition": (set(OPEN_DISPOSITION_STATES), Disposition.State.RETURNED),
}


def check(action: str, status: str, actor_role: str) -> Transition:
    """The transition for ``action`` from ``status`` by ``actor_role``, or a domain error."""
    transition = TRANSITIONS[action]
    if actor_role not in transition.actors:
        raise NotAllowed()
    if status not in transition.sources:
        raise InvalidTransition()
    return transition


def check_disposition(action: str, state: str) -> str:
    sources, target = DISPOSITION_TRANSITIONS[action]
    if state not in sources:
        raise InvalidTransition()
    return target


def allowed_actions(status: str, actor_role: str) -> set[str]:
    return {name for name, t in TRANSITIONS.items() if status in t.sources and actor_role in t.actors}


def allowed_chains(status: str, actor_role: str) -> set[str]:
    """The CHAINS ``actor_role`` may take from ``status``."""
    allowed = set()
    for name, (first, second) in CHAINS.items():
        step = TRANSITIONS[first]
        if status not in step.sources or actor_role not in step.actors:
            continue
        then = TRANSITIONS[second]
        if step.target in then.sources and actor_role in then.actors:
            allowed.add(name)
    return allowed
