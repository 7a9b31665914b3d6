"""Sent after the commit that leaves background work for the SP4N-LAPOR! bridge; the
listeners in lapor/tasks.py enqueue it (the work never imports the tasks module)."""

from django.dispatch import Signal

# sender=ImportJob, job_id=int, step="preview" | "run"
import_job_ready = Signal()
# sender=None: the reports imported before their values were mapped can be filled in now
mappings_changed = Signal()
