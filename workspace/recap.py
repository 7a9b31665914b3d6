"""The recap by channel: reports received in a period, per channel and status group.

One grouped query over the reports the user may see, so a count and the list behind its
link (the report list filtered by channel, status and the same period) always agree.
"""

from dataclasses import dataclass

from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from reports.models import Channel, Status

# Status group → (label, the statuses it holds). Every status is in exactly one group.
STATUS_GROUPS = {
    "received": (_("Diterima"), [Status.RECEIVED, Status.ON_HOLD, Status.VERIFIED]),
    "in_progress": (_("Diproses"), [Status.DISPOSED, Status.IN_PROGRESS, Status.OBJECTION]),
    "resolved": (_("Selesai ditindaklanjuti"), [Status.RESOLVED]),
    "closed": (_("Ditutup"), [Status.CLOSED]),
    "archived": (_("Diarsipkan"), [Status.ARCHIVED]),
}


@dataclass
class Cell:
    count: int
    statuses: list  # empty for a row's total (every status)


@dataclass
class Row:
    channel: str
    label: str
    cells: list
    total: Cell


def channel_recap(reports):
    """Rows per channel (every channel, zeros included, in the Channel order) and a total
    row, from ``reports`` already narrowed to the user and the period."""
    aggregates = {
        group: Count("pk", filter=Q(status__in=statuses)) for group, (_label, statuses) in STATUS_GROUPS.items()
    }
    counts = {row["channel"]: row for row in reports.order_by().values("channel").annotate(**aggregates, n=Count("pk"))}
    rows = []
    sums = dict.fromkeys(STATUS_GROUPS, 0)
    grand_total = 0
    for channel in Channel:
        found = counts.get(channel.value, {})
        cells = []
        for group, (_label, statuses) in STATUS_GROUPS.items():
            n = found.get(group, 0)
            sums[group] += n
            cells.append(Cell(n, [s.value for s in statuses]))
        total = found.get("n", 0)
        grand_total += total
        rows.append(Row(channel.value, channel.label, cells, Cell(total, [])))
    totals = Row(
        "",
        _("Jumlah"),
        [Cell(sums[group], [s.value for s in statuses]) for group, (_label, statuses) in STATUS_GROUPS.items()],
        Cell(grand_total, []),
    )
    return rows, totals
