"""The periodic jobs of Aduan's settings (aduan/settings.py reads them from here), enqueued
by the one scheduler process (`manage.py run_scheduler`), and the settings that time them.
Read from environment variables like the rest (see .env.example)."""

from aduan import env

# Periodic jobs, enqueued by the one scheduler process (`manage.py run_scheduler`).
# name -> {"task": dotted path of a django-tasks task taking no arguments,
#          and either "every": minutes, or "at": "HH:MM" (daily, local time)}.
# Apps add their own entries here.
ADUAN_SCHEDULE = {}
ADUAN_SCHEDULE["poll-mailbox"] = {"task": "intake.tasks.poll_mailbox", "every": 1}  # a no-op without ADUAN_IMAP_HOST
ADUAN_SCHEDULE["close-resolved-reports"] = {"task": "reports.tasks.close_resolved_reports", "at": "01:00"}
# Retries of failed sends, and messages whose delivery task was lost (the database cut
# just after the commit that wrote them, the queue unreachable).
ADUAN_SCHEDULE["deliver-outbox"] = {"task": "notify.tasks.deliver_due", "every": 1}
# Triage an event wrote down whose after-commit run was lost the same way.
ADUAN_SCHEDULE["triage-stranded-jobs"] = {"task": "triage.tasks.run_stranded_jobs", "every": 5}
# The escalation ladder replaces the old morning digest of due work (notify.reminders):
# a reminder before each deadline, then the agency head, then the coordinator, each once.
ADUAN_SCHEDULE["escalation-ladder"] = {"task": "escalation.tasks.run_ladder", "at": "07:00"}
ADUAN_SCHEDULE["escalation-digest"] = {"task": "escalation.tasks.send_executive_digest", "at": "07:30"}
ADUAN_SCHEDULE["decree-expiry-reminders"] = {"task": "staffing.tasks.remind_expiring", "at": "06:30"}
ADUAN_SCHEDULE["release-stranded-work"] = {"task": "staffing.tasks.release_stranded_work", "every": 5}
# Chat and SMS messages whose worker died before handling them get a new task.
ADUAN_SCHEDULE["requeue-stranded-messages"] = {"task": "intake.tasks.requeue_stranded_messages", "every": 5}
# Daily check; on the first day of a month it emails last month's monev recap to executives.
ADUAN_SCHEDULE["monev-monthly-recap"] = {"task": "monev.tasks.send_monthly_recap", "at": "06:00"}
# How often the scheduler rebuilds the most-opened monev boards before their cache entries
# run out (monev.dashboard.warm); keep it under ADUAN_MONEV_CACHE_SECONDS minus one cold build.
ADUAN_MONEV_WARM_MINUTES = env.integer("ADUAN_MONEV_WARM_MINUTES", 4)
ADUAN_SCHEDULE["monev-warm-dashboard"] = {"task": "monev.tasks.warm_dashboard", "every": ADUAN_MONEV_WARM_MINUTES}
# The monev rollup is refreshed by a task after each event's commit (monev/receivers.py);
# the catch-up refreshes reports whose task was lost, looking back this many hours, every
# this many minutes (events younger than that may still have their task in the queue).
ADUAN_MONEV_CATCH_UP_MINUTES = env.integer("ADUAN_MONEV_CATCH_UP_MINUTES", 5)
ADUAN_MONEV_CATCH_UP_HOURS = env.integer("ADUAN_MONEV_CATCH_UP_HOURS", 48)
ADUAN_SCHEDULE["monev-rollup-catch-up"] = {
    "task": "monev.tasks.refresh_stale_rollup",
    "every": ADUAN_MONEV_CATCH_UP_MINUTES,
}
# True: each event refreshes the rollup inside its own transaction instead (the tests).
ADUAN_MONEV_ROLLUP_INLINE = env.boolean("ADUAN_MONEV_ROLLUP_INLINE", False)
# The day's verifications and overrides become the next morning's suggestions.
ADUAN_SCHEDULE["triage-retrain"] = {"task": "triage.tasks.retrain", "at": "02:00"}
# ...and earlier, once this many reports have been decided (suggestion accepted or
# overridden) since the current model; checked every ADUAN_TRIAGE_RETRAIN_CHECK_MINUTES.
ADUAN_TRIAGE_RETRAIN_DECISIONS = env.integer("ADUAN_TRIAGE_RETRAIN_DECISIONS", 50)
ADUAN_TRIAGE_RETRAIN_CHECK_MINUTES = env.integer("ADUAN_TRIAGE_RETRAIN_CHECK_MINUTES", 15)
ADUAN_SCHEDULE["triage-retrain-when-due"] = {
    "task": "triage.tasks.retrain_if_due",
    "every": ADUAN_TRIAGE_RETRAIN_CHECK_MINUTES,
}
# A task still running after this long lost its worker (django-tasks-db has no heartbeat): the
# sweep puts it back in the queue (core/tasks.py). Longer than the longest task, an import.
ADUAN_TASK_ABANDONED_MINUTES = env.integer("ADUAN_TASK_ABANDONED_MINUTES", 120)
ADUAN_SCHEDULE["requeue-abandoned-tasks"] = {"task": "core.tasks.requeue_abandoned_tasks", "every": 10}
# The database queue's finished rows (core/tasks.py): successful ones kept this many days,
# failed ones longer, for looking into.
ADUAN_TASK_KEEP_DAYS = env.integer("ADUAN_TASK_KEEP_DAYS", 7)
ADUAN_TASK_KEEP_FAILED_DAYS = env.integer("ADUAN_TASK_KEEP_FAILED_DAYS", 30)
ADUAN_SCHEDULE["prune-finished-tasks"] = {"task": "core.tasks.prune_finished_tasks", "at": "03:15"}
# The API key use log (one row per request) keeps 180 days.
# Residents' alerts (alerts/): one digest a day per subscription, after office hours so it
# carries the day's updates.
ADUAN_SCHEDULE["alerts-daily-digest"] = {"task": "alerts.tasks.send_digests", "at": "18:00"}
ADUAN_SCHEDULE["prune-api-key-uses"] = {"task": "apikeys.tasks.prune_uses", "at": "03:00"}
