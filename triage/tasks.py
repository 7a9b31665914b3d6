"""Background work of triage (django-tasks), enqueued by the scheduler
(settings.ADUAN_SCHEDULE) or by receivers.py after a report's commit, and run by the task
workers."""

import logging

from django.conf import settings
from django_tasks import task

from triage import actions, jobs

logger = logging.getLogger(__name__)


@task()
def retrain() -> int:
    """Retrain the suggestion model from the verified reports (nightly), so each day's
    decisions and overrides count from the next morning. Every process picks the new file
    up by itself. Returns the number of examples (0: too few, the old model stays)."""
    try:
        model, _path, _seconds = actions.train_model()
    except actions.TooFewExamples as error:
        logger.info("Triage model not trained: %d verified report(s)", error.found)
        return 0
    logger.info("Triage model trained from %d report(s)", model.n_examples)
    # The stored duplicate scores read the kind of problem through the model: score the open
    # reports again with the new one. Once a night only, not after each early retrain.
    refresh_open_duplicates.enqueue()
    return model.n_examples


@task()
def refresh_open_duplicates() -> int:
    """The likely duplicates of every open report, scored again (after the nightly retrain).
    Returns how many reports."""
    return actions.refresh_all_duplicates()


@task()
def triage_new_report(report_id: int) -> bool:
    """The first read of one report submitted through any channel (suggestions, urgency,
    likely duplicates), off the resident's request. Idempotent: what a page or a decision
    stored first is kept. Returns False when the report is gone."""
    return jobs.perform(report_id, jobs.Kind.READ)


@task()
def refresh_duplicates(report_id: int) -> int:
    """The likely duplicates of a report whose place or words changed, stored again.
    Returns how many pairs were stored (0 as well when the report is gone)."""
    return jobs.perform(report_id, jobs.Kind.DUPLICATES)


@task()
def run_stranded_jobs() -> int:
    """The sweep (settings.ADUAN_SCHEDULE): triage work an event wrote down whose task or
    after-commit run was lost (a database cut just after the commit, a dead process).
    Returns how many pieces of work were done."""
    return jobs.run_stranded()


@task()
def triage_new_reports(report_ids) -> int:
    """The first read of reports submitted in bulk (reports.signals.reports_submitted: one
    task per batch of the SP4N-LAPOR! import), off the importer's path. Returns how many
    were triaged (reports triaged already are skipped)."""
    return actions.triage_reports(report_ids)


@task()
def retrain_if_due() -> int:
    """Retrain as soon as ADUAN_TRIAGE_RETRAIN_DECISIONS new decisions have arrived since
    the current model (checked every few minutes by the scheduler), so a busy day's
    overrides count the same day, not only after the nightly run. Returns the number of
    examples of the new model, 0 when none was trained."""
    try:
        model = actions.retrain_if_due(decisions=settings.ADUAN_TRIAGE_RETRAIN_DECISIONS)
    except actions.TooFewExamples as error:
        logger.info("Triage model not retrained: %d verified report(s)", error.found)
        return 0
    if model is None:
        return 0
    logger.info("Triage model retrained early from %d report(s)", model.n_examples)
    return model.n_examples
