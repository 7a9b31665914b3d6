"""The task queues, by kind of work, so a worker (bin/worker, ADUAN_WORKER_QUEUES) can take
one or more of them and a slow kind never holds up another: a 50,000-row LAPOR! import or a
monthly recap must not delay a resident's WhatsApp answer.

Plain names, no Django: the settings read them too.
"""

INTAKE = "intake"  # residents' messages from WhatsApp, Instagram, SMS and email
NOTIFY = "notify"  # the outbox: every message Aduan sends
DEFAULT = "default"  # the life cycle's own work: closing, reminders, escalation, triage, keys
LAPOR = "lapor"  # SP4N-LAPOR! imports and previews
MONEV = "monev"  # recaps and the dashboard's warm-up

# In the order an RQ worker taking all of them serves them: residents first.
ALL = [INTAKE, NOTIFY, DEFAULT, LAPOR, MONEV]
