"""Triage's work after a report's event, kept in TriageJob rows written in the event's own
transaction, so a change is never stored without the triage it calls for (issue: "work
queued after commit can be lost on a DB cut").

- ``kinds_for(event)``: what an event calls for;
- ``write(event)``: the rows, inside the event's transaction;
- ``perform(report_id, kind)``: do the work and delete the jobs it answers (the tasks and
  the request after the commit call it); the work is idempotent (a second first read keeps
  the first, a decision and a set of duplicates are read from the report as it is, a
  merge is recorded with the time of the archive), so work done twice does no harm;
- ``run_stranded(now)``: the sweep, for jobs older than STRANDED_MINUTES (their task or
  after-commit run was lost); a job that keeps failing is dropped after MAX_ATTEMPTS.
"""

import datetime as dt
import logging

from django.db.models import F
from django.utils import timezone

from reports.models import Report
from triage import actions
from triage.models import ReportTriage, Suggestion, TriageJob

logger = logging.getLogger(__name__)

Kind = TriageJob.Kind

# What the duplicate finder reads of a report (duplicate_score.Side): its words and place.
DUPLICATE_FIELDS = {"title", "description", "address", "region", "latitude", "longitude"}
# Jobs the request does itself after the commit (cheap, and the coordinator's next page
# reads them); the others go to the task worker.
IN_REQUEST = {Kind.CATEGORY, Kind.AGENCY, Kind.MERGED}
STRANDED_MINUTES = 5
MAX_ATTEMPTS = 5


def changes_duplicates(event) -> bool:
    """Whether ``event`` changed what the duplicate finder reads of its report, or made
    it open again."""
    data = event.data or {}
    if event.action in ("verified", "classified"):
        return "region" in (data.get("changes") or {})
    if event.action.endswith("_updated"):
        return bool(DUPLICATE_FIELDS & set(data.get("fields") or ()))
    return event.action == "objection_filed"


def kinds_for(event) -> list[str]:
    kinds = []
    if event.action == "submitted":
        if not (event.data or {}).get("bulk"):  # a bulk submission is read per batch
            kinds.append(Kind.READ)
    elif event.action in MOVED:
        kinds.append(Kind.READ)  # a new first read: write() forgot the last one
    elif event.action in ("verified", "classified"):
        kinds.append(Kind.CATEGORY)
    elif event.action == "disposed":
        kinds.append(Kind.AGENCY)
    elif event.action == "archived" and (event.data or {}).get("duplicate_of"):
        # Archived as a duplicate, from any page or the API: the coordinator's word that
        # the pair is the same problem (actions.record_merge).
        kinds.append(Kind.MERGED)
    if changes_duplicates(event):
        kinds.append(Kind.DUPLICATES)
    return kinds


# Events after which another government holds the report: its suggestions, urgency and
# likely duplicates are read again, among that government's categories and agencies.
MOVED = ("referred", "referral_returned")


def write(event) -> list[TriageJob]:
    kinds = kinds_for(event)
    if not kinds:
        return []
    if event.action in MOVED:
        # The first read of the government it came from is forgotten with the move (in the
        # same transaction), so the READ job reads it again instead of finding it done.
        Suggestion.objects.filter(report_id=event.report_id).delete()
        ReportTriage.objects.filter(report_id=event.report_id).delete()
    return TriageJob.objects.bulk_create(
        [TriageJob(report_id=event.report_id, kind=kind, actor_id=event.actor_id) for kind in kinds]
    )


def perform(report_id, kind, *, actor=None):
    """Do the ``kind`` of work for the report, then delete its jobs of that kind written
    before the work began (the work reads the report as it is now, so it answers them all;
    a job written meanwhile stays for its own run). Answers the work's result: for a first
    read whether the report exists, for the duplicates how many pairs were stored."""
    started = timezone.now()
    report = Report.objects.filter(pk=report_id).first()
    result = _work(report, kind, actor) if report is not None else (0 if kind == Kind.DUPLICATES else False)
    TriageJob.objects.filter(report_id=report_id, kind=kind, created_at__lte=started).delete()
    return result


def _work(report, kind, actor):
    if kind == Kind.READ:
        return actions.read_new_report(report.pk)
    if kind == Kind.DUPLICATES:
        return actions.refresh_duplicates(report)
    if kind == Kind.MERGED:
        return actions.record_merge(report, actor=actor)
    # The decision is measured against the suggestions: read the report first if no
    # worker has yet.
    actions.ensure_triaged(report)
    if kind == Kind.CATEGORY:
        return actions.record_category_decision(report, actor=actor)
    return actions.record_agency_decision(report, actor=actor)


def run_stranded(now=None, limit=200) -> int:
    """The sweep: the work of every job older than STRANDED_MINUTES (its task or its
    after-commit run was lost), oldest first. Answers how many pieces of work were done."""
    now = now or timezone.now()
    cutoff = now - dt.timedelta(minutes=STRANDED_MINUTES)
    stranded = TriageJob.objects.filter(created_at__lt=cutoff).select_related("actor").order_by("pk")[:limit]
    seen, done = set(), 0
    for job in stranded:
        key = (job.report_id, job.kind)
        if key in seen:
            continue
        seen.add(key)
        TriageJob.objects.filter(report_id=job.report_id, kind=job.kind).update(attempts=F("attempts") + 1)
        try:
            perform(job.report_id, job.kind, actor=job.actor)
        except Exception:
            logger.exception("Triage job %s (%s of report %s) failed", job.pk, job.kind, job.report_id)
            dropped, _ = TriageJob.objects.filter(pk=job.pk, attempts__gte=MAX_ATTEMPTS).delete()
            if dropped:
                logger.error("Triage job %s dropped after %s attempts", job.pk, MAX_ATTEMPTS)
        else:
            done += 1
    return done
