"""Background work of triage (django-tasks), enqueued by the scheduler
(settings.ADUAN_SCHEDULE) and run by the task workers."""

import logging

from django_tasks import task

from triage import actions, classifier, store, training

logger = logging.getLogger(__name__)

MIN_EXAMPLES = 20


@task()
def retrain() -> int:
    """Retrain the suggestion model from the verified reports (nightly), so each day's
    decisions and overrides count from the next morning. Every process picks the new file
    up by itself. Returns the number of examples (0: too few, the old model stays)."""
    examples = list(training.examples_from_database())
    if len(examples) < MIN_EXAMPLES:
        logger.info("Triage model not trained: %d verified report(s)", len(examples))
        return 0
    store.save(classifier.train(examples))
    logger.info("Triage model trained from %d report(s)", len(examples))
    return len(examples)


@task()
def triage_new_reports(report_ids) -> int:
    """The first read of reports submitted in bulk (reports.signals.reports_submitted: one
    task per batch of the SP4N-LAPOR! import), off the importer's path. Returns how many
    were triaged (reports triaged already are skipped)."""
    return actions.triage_reports(report_ids)
