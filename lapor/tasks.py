"""Background work of the SP4N-LAPOR! import: a confirmed import runs in a worker, so a
large export does not hold a web request open."""

from django_tasks import task

from lapor import actions


@task()
def run_import_job(job_id: int) -> str:
    """Import a confirmed upload; answers the job's final state."""
    return actions.run_import_job(job_id)
