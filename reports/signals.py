import contextlib

from django.db import DatabaseError, InterfaceError, OperationalError, transaction
from django.dispatch import Signal

# Sent inside the transaction that writes a ReportEvent, right after the row (argument:
# ``event``). For work that must be stored together with the change or not at all: the
# notification outbox writes its rows here, so a database lost between the commit and
# ``event_recorded`` loses no message. A receiver only writes rows (the slow part, the
# delivery, runs after the commit from what it wrote), inside ``contained()``.
event_written = Signal()

# Sent after the transaction that wrote a ReportEvent commits (argument: ``event``).
# Nothing is announced for a rolled-back change.
event_recorded = Signal()

# Sent once after the commit of a bulk submission (reports.actions.submit_external_reports),
# with ``reports``, the list of new reports. Their ``submitted`` events are announced through
# ``event_recorded`` as well, with ``data["bulk"]`` true: a receiver whose work on a new
# report is costly does it here for the whole list instead.
reports_submitted = Signal()

# Sent inside the transaction of a bulk submission, once its rows are written (argument:
# ``reports``), for a receiver that must change in the same transaction (the monev rollup).
# The events' post_save and event_written signals of that batch carry ``bulk=True``
# (a receiver with per-report bookkeeping does it once here instead).
reports_written = Signal()


@contextlib.contextmanager
def contained(logger, message, *args, savepoint=True):
    """For an ``event_written`` receiver's work: a failure of its own (a bug, a bad
    template, a value the database refused) is logged (``message`` % ``args``) and kept out
    of the change, rolled back to a savepoint. A lost database (or a transaction the
    savepoint could not save) is raised, and the change fails with it: swallowed, the
    action's block would end without an error while its transaction was rolled back or
    gone, and the caller would report a change that was never stored. Without
    ``savepoint`` (work that is one INSERT), only a failure before any query may be kept
    out, so any database error is raised."""
    connection = transaction.get_connection()
    try:
        if savepoint:
            with transaction.atomic():
                yield
        else:
            yield
    except Exception as error:
        driver = connection.Database
        database = isinstance(error, (DatabaseError, getattr(driver, "Error", DatabaseError)))
        lost = isinstance(
            error,
            (
                OperationalError,
                InterfaceError,
                getattr(driver, "OperationalError", OperationalError),
                getattr(driver, "InterfaceError", InterfaceError),
            ),
        )
        broken = connection.needs_rollback or connection.closed_in_transaction or connection.connection is None
        if broken or lost or (database and not savepoint):
            raise
        logger.exception(message, *args)
