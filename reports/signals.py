from django.dispatch import Signal

# Sent after the transaction that wrote a ReportEvent commits (argument: ``event``).
# The notification outbox subscribes to it; nothing is sent for a rolled-back change.
event_recorded = Signal()

# Sent once after the commit of a bulk submission (reports.actions.submit_external_reports),
# with ``reports``, the list of new reports. Their ``submitted`` events are announced through
# ``event_recorded`` as well, with ``data["bulk"]`` true: a receiver whose work on a new
# report is costly does it here for the whole list instead.
reports_submitted = Signal()

# Sent inside the transaction of a bulk submission, once its rows are written (argument:
# ``reports``), for a receiver that must change in the same transaction (the monev rollup).
# The events' post_save signals of that batch carry ``bulk=True``.
reports_written = Signal()
