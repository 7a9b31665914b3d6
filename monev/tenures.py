"""A report's history split by the governments that held it (refer across governments,
reports/actions/referrals.py): monev/rollup.py ``contribution()`` counts each
government's own scope from its tenure only. A report never referred has one tenure with
every event, so its cells are what they were before referral existed."""

import datetime as dt

FIRST = dt.date(1, 1, 1)  # ref of a first occurrence: before any period (monev/rollup.py)

# Refer across governments (reports/actions/referrals.py): each event moves the report from
# ``data["from"]`` to ``data["to"]``, two governments of the installation.
HANDOVERS = ("referred", "referral_returned")
# The status a report has for the government that referred it away (or gave it back):
# none of BACKLOG_STATES, so its backlog ends there; the receiver's starts.
AWAY = "referred"
# The referral's own counts, in each government's scope: referred out to another
# government, received from one, and given back (the receiver's return up).
REFERRAL_MEASURES = ("referred_out", "referred_in", "referral_returned")


class Tenure:
    """What one government did with a report while it held it: its events, their
    status changes, when it received the report, and the referral's counts."""

    def __init__(self, government):
        self.government = government
        self.events = []
        self.pks = set()
        self.changes = []  # (day, status) of the government's timeline
        self.arrivals = []  # moments it received the report
        self.referral_cells = []
        self.status_now = AWAY
        self.by_action = {}
        self.entered = {}
        self.last = None  # the day of its last event (the handover that brought it, too)

    def see(self, day):
        self.last = day if self.last is None or day > self.last else self.last

    def add(self, event):
        self.see(event.day)
        self.events.append(event)
        self.pks.add(event.pk)
        self.by_action.setdefault(event.action, []).append(event)


def handover(event) -> bool:
    return event.action in HANDOVERS and bool((event.data or {}).get("to"))


def origin_of(report, events):
    first = next((e for e in events if handover(e)), None)
    return (first.data.get("from") or report.government_id) if first is not None else report.government_id


def holder_at(report, events):
    """moment → the government that held the report then."""
    moves = [(e.created_at, e.data["to"]) for e in events if handover(e)]
    origin = origin_of(report, events)

    def holder(moment):
        gov = origin
        for at, to in moves:
            if at > moment:
                break
            gov = to
        return gov

    return holder


def tenures_of(report, events) -> dict:
    """government → Tenure, the first government (the one it was sent to) first. A
    report never referred has one, with every event: the cells are what they were
    before referral existed."""
    origin = origin_of(report, events)
    tenures = {origin: Tenure(origin)}
    tenures[origin].arrivals.append(report.received_at)
    holder = tenures[origin]
    for event in events:
        holder.add(event)
        if not handover(event):
            if event.to_status:
                holder.changes.append((event.day, event.to_status))
            continue
        # The handover is the sender's act; from it on, the receiver holds the report.
        holder.changes.append((event.day, AWAY))
        if event.action == "referred":
            holder.referral_cells.append((event.day, "referred_out", FIRST, 0, 1))
        else:
            holder.referral_cells.append((event.day, "referral_returned", FIRST, 0, 1))
        to = event.data["to"]
        holder = tenures.setdefault(to, Tenure(to))
        holder.arrivals.append(event.created_at)
        holder.see(event.day)
        holder.changes.append((event.day, event.to_status or "received"))
        if event.action == "referred":
            holder.referral_cells.append((event.day, "referred_in", FIRST, 0, 1))
    holder.status_now = report.status
    for tenure in tenures.values():
        tenure.entered = {"resolved": [], "closed": [], "archived": []}
        for e in tenure.events:
            if e.to_status in tenure.entered and e.from_status != e.to_status:
                tenure.entered[e.to_status].append(e.day)
    return tenures
