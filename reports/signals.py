from django.dispatch import Signal

# Sent after the transaction that wrote a ReportEvent commits (argument: ``event``).
# The notification outbox subscribes to it; nothing is sent for a rolled-back change.
event_recorded = Signal()
