from django.dispatch import Signal

# Sent inside the transaction that writes a ReportEvent, right after the row (argument:
# ``event``). For work that must be stored together with the change or not at all: the
# notification outbox writes its rows here, so a database lost between the commit and
# ``event_recorded`` loses no message. A receiver only writes rows (the slow part, the
# delivery, runs after the commit from what it wrote); it keeps its own failures out of
# the change (a savepoint, logged), while a lost database fails the whole transaction.
event_written = Signal()

# Sent after the transaction that wrote a ReportEvent commits (argument: ``event``).
# The notification outbox subscribes to it; nothing is sent for a rolled-back change.
event_recorded = Signal()

# Sent once after the commit of a bulk submission (reports.actions.submit_external_reports),
# with ``reports``, the list of new reports. Their ``submitted`` events are announced through
# ``event_recorded`` as well, with ``data["bulk"]`` true: a receiver whose work on a new
# report is costly does it here for the whole list instead.
reports_submitted = Signal()
