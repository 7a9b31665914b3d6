"""Background work of the SP4N-LAPOR! bridge: the dry run of an upload and a confirmed
import both run in a worker, so a large (or hostile) export never holds a web request open;
so does filling the reports of values just mapped (thousands after a first import)."""

from django.dispatch import receiver
from django_tasks import task

from core import queues
from lapor import actions, jobs
from lapor.signals import import_job_ready, mappings_changed


@task(queue_name=queues.LAPOR)
def run_import_job(job_id: int) -> str:
    """Import a confirmed upload; answers the job's final state."""
    return jobs.run_import_job(job_id)


@task(queue_name=queues.LAPOR)
def preview_import_job(job_id: int) -> str:
    """Dry-run an uploaded export; answers the job's state (previewed or failed)."""
    return jobs.preview_import_job(job_id)


@task(queue_name=queues.LAPOR)
def fill_from_mappings() -> int:
    """Give reports imported before their category or agency was mapped what the mappings
    say now; answers how many changed."""
    return actions.fill_from_mappings()


@receiver(import_job_ready, dispatch_uid="lapor.tasks.enqueue_job_step")
def enqueue_job_step(sender, job_id, step, **kwargs):
    (preview_import_job if step == "preview" else run_import_job).enqueue(job_id)


@receiver(mappings_changed, dispatch_uid="lapor.tasks.enqueue_fill")
def enqueue_fill(sender, **kwargs):
    fill_from_mappings.enqueue()
