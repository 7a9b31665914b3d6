"""How good the suggestions have been: the coordinator's decisions of the last days,
accepted against overridden, per suggested category, so a coordinator knows which
suggestions to trust; and how many decisions arrived since the model was trained, which
decides an early retrain (actions.retrain_if_due); and the likely duplicates merged
against those said not the same problem."""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Q
from django.utils import timezone

from reports.models import Category
from triage.models import Decision, DuplicateDecision, ReportTriage, Suggestion

DAYS = 30


@dataclass
class Row:
    category: object  # the suggested (rank-1) Category, None when the suggestion had none
    accepted: int
    overridden: int

    @property
    def decided(self):
        return self.accepted + self.overridden

    @property
    def share(self):
        """Share of decisions that kept the suggestion (0–1)."""
        return self.accepted / self.decided if self.decided else 0.0


@dataclass
class Quality:
    since: dt.datetime
    categories: list  # Row per suggested category, most decided first
    category_total: Row
    agency_total: Row


def _counts(queryset, field):
    return queryset.aggregate(
        accepted=Count("pk", filter=Q(**{field: Decision.ACCEPTED})),
        overridden=Count("pk", filter=Q(**{field: Decision.OVERRIDDEN})),
    )


def suggestion_quality(reports, *, days=DAYS, now=None) -> Quality:
    """Decisions on ``reports`` (a queryset the viewer may see) made in the last ``days``
    days: per rank-1 suggested category (one grouped query) and in total for categories
    and agencies."""
    since = (now or timezone.now()) - dt.timedelta(days=days)
    decided = ReportTriage.objects.filter(report__in=reports, decided_at__gte=since)
    grouped = (
        Suggestion.objects.filter(rank=1, report__in=reports, report__triage__decided_at__gte=since)
        .values("category_id")
        .annotate(
            accepted=Count("pk", filter=Q(report__triage__category_decision=Decision.ACCEPTED)),
            overridden=Count("pk", filter=Q(report__triage__category_decision=Decision.OVERRIDDEN)),
        )
        .filter(Q(accepted__gt=0) | Q(overridden__gt=0))
    )
    grouped = list(grouped)
    names = Category.objects.select_related("parent").in_bulk([g["category_id"] for g in grouped if g["category_id"]])
    rows = [Row(names.get(g["category_id"]), g["accepted"], g["overridden"]) for g in grouped]
    rows.sort(key=lambda row: (-row.decided, str(row.category or "")))
    return Quality(
        since=since,
        categories=rows,
        category_total=Row(None, **_counts(decided, "category_decision")),
        agency_total=Row(None, **_counts(decided, "agency_decision")),
    )


def decisions_since(moment) -> int:
    """Reports decided (category or agency) after ``moment`` (None: ever)."""
    decided = ReportTriage.objects.exclude(category_decision=Decision.PENDING, agency_decision=Decision.PENDING)
    if moment is not None:
        decided = decided.filter(decided_at__gt=moment)
    return decided.count()


def duplicate_decisions(reports, *, days=DAYS, now=None) -> dict:
    """{"merged": merged, "not_same": said not the same problem}: the coordinators' decisions
    on pairs of ``reports`` (a queryset the viewer may see: either report of the pair) in
    the last ``days`` days, one query."""
    since = (now or timezone.now()) - dt.timedelta(days=days)
    seen = Q(report__in=reports) | Q(candidate__in=reports)
    return DuplicateDecision.objects.filter(seen, decided_at__gte=since).aggregate(
        merged=Count("pk", filter=Q(same=True)), not_same=Count("pk", filter=Q(same=False))
    )
