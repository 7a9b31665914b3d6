"""The import job: an uploaded SP4N-LAPOR! export from upload to import.

``create_import_job`` (in the request: cheap checks, the file stored, the dry run
enqueued) → ``preview_import_job`` (worker: the dry run, ``previewed`` or ``failed``) →
``confirm_import_job`` (compare-and-swap, the import enqueued) or ``discard_import_job`` →
``run_import_job`` (worker: the import, ``imported`` or ``failed``; the file deleted).
The job page polls the state with htmx while the worker runs.
"""

import logging
import os
import shutil
import tempfile
from functools import partial

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from agencies.roles import staff_profile
from core.errors import NotAllowed
from lapor.importer import run_import
from lapor.models import ImportJob
from lapor.reader import LaporFileError, check_export
from lapor.signals import import_job_ready

logger = logging.getLogger(__name__)


def create_import_job(*, actor, upload):
    """Store an uploaded export and leave its dry run to the worker.

    1. refuse what cannot be an export at all, cheaply and here (size, an XLSX that would
       inflate too far, no header row): LaporFileError, nothing stored;
    2. store the job (state ``checking``) and its file;
    3. on commit, enqueue ``lapor.tasks.preview_import_job``; the job page follows it.
    """

    if not staff_profile(actor).is_coordinator:
        raise NotAllowed()
    job = ImportJob(original_name=(upload.name or "ekspor")[:200], size=upload.size, uploaded_by=actor)
    job.file.save(upload.name or "ekspor", upload, save=False)
    try:
        with local_copy(job.file) as path:
            check_export(path)
        job.save()
    except Exception:
        job.file.delete(save=False)
        raise
    transaction.on_commit(partial(_announce, "preview", job.pk))
    return job


def _announce(step, job_id):
    """After the commit: lapor/tasks.py hears it and enqueues the step."""
    import_job_ready.send(sender=ImportJob, job_id=job_id, step=step)


def _progress(job_id):

    def report(rows):
        ImportJob.objects.filter(pk=job_id).update(rows_read=rows)

    return report


def preview_import_job(job_id) -> str:
    """The worker's dry run of a stored upload: the preview (``previewed``), or the reason
    it cannot be imported (``failed``, the file deleted). A job discarded meanwhile stays so."""

    job = ImportJob.objects.get(pk=job_id)
    if job.state != ImportJob.State.CHECKING:
        return job.state
    state, preview, result = ImportJob.State.PREVIEWED, {}, {}
    try:
        with local_copy(job.file) as path:
            preview = run_import(path, dry_run=True, progress=_progress(job.pk)).as_dict()
    except LaporFileError as error:
        state, result = ImportJob.State.FAILED, {"error": str(error.message)}
    except Exception as error:  # noqa: BLE001  the job page must say what happened
        logger.exception("LAPOR! dry run failed")
        state = ImportJob.State.FAILED
        message = _("Uji coba gagal karena kesalahan sistem (%(error)s).") % {"error": error.__class__.__name__}
        result = {"error": message}
    fields = {"state": state, "preview": preview, "result": result}
    if state == ImportJob.State.FAILED:
        fields["finished_at"] = timezone.now()
    if not ImportJob.objects.filter(pk=job.pk, state=ImportJob.State.CHECKING).update(**fields):
        return ImportJob.objects.get(pk=job.pk).state  # discarded while it ran
    if state == ImportJob.State.FAILED:
        job.file.delete(save=False)
        ImportJob.objects.filter(pk=job.pk).update(file="")
    return state


def confirm_import_job(job, *, actor) -> bool:
    """Claim a previewed job for import (compare-and-swap, so a double click imports once)
    and enqueue it after the commit. False when it was not waiting any more."""

    if not staff_profile(actor).is_coordinator:
        raise NotAllowed()
    claimed = ImportJob.objects.filter(pk=job.pk, state=ImportJob.State.PREVIEWED).update(
        state=ImportJob.State.IMPORTING
    )
    if not claimed:
        return False

    transaction.on_commit(partial(_announce, "run", job.pk))
    return True


def discard_import_job(job, *, actor) -> bool:

    if not staff_profile(actor).is_coordinator:
        raise NotAllowed()
    waiting = (ImportJob.State.CHECKING, ImportJob.State.PREVIEWED)
    claimed = ImportJob.objects.filter(pk=job.pk, state__in=waiting).update(
        state=ImportJob.State.DISCARDED, finished_at=timezone.now()
    )
    if claimed:
        job.file.delete(save=False)
        ImportJob.objects.filter(pk=job.pk).update(file="")
    return bool(claimed)


def run_import_job(job_id) -> str:
    """The worker's part: import the stored file, keep the outcome, delete the file."""

    job = ImportJob.objects.select_related("uploaded_by").get(pk=job_id)
    if job.state != ImportJob.State.IMPORTING:
        return job.state
    try:
        with local_copy(job.file) as path:
            outcome = run_import(
                path, dry_run=False, actor=job.uploaded_by, checked=job.preview, progress=_progress(job.pk)
            )
        result = outcome.as_dict()
        state = ImportJob.State.FAILED if outcome.failed else ImportJob.State.IMPORTED
    except LaporFileError as error:
        result, state = {"error": str(error.message)}, ImportJob.State.FAILED
    except Exception as error:  # noqa: BLE001  the job page must say what happened
        message = _("Impor gagal karena kesalahan sistem (%(error)s).") % {"error": error.__class__.__name__}
        result, state = {"error": message}, ImportJob.State.FAILED
    if job.file:
        job.file.delete(save=False)
    # The job was claimed (importing) by confirm_import_job; only this worker finishes it.
    ImportJob.objects.filter(pk=job.pk, state=ImportJob.State.IMPORTING).update(
        result=result, state=state, finished_at=timezone.now(), file=""
    )
    return state


class local_copy:  # noqa: N801  (used as a context manager)
    """A path on local disk for a stored file (storage may be remote, e.g. S3)."""

    def __init__(self, field_file):
        self.field_file = field_file
        self.path = None

    def __enter__(self):

        try:
            return self.field_file.path
        except NotImplementedError:
            pass
        handle, self.path = tempfile.mkstemp(prefix="lapor-", suffix=".bin")
        with os.fdopen(handle, "wb") as out, self.field_file.open("rb") as source:
            shutil.copyfileobj(source, out)
        return self.path

    def __exit__(self, *exc):

        if self.path:
            os.unlink(self.path)
        return False
