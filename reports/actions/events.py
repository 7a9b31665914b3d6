"""The seam every other module of reports.actions, and other apps' actions, build on:
row locking, the one writer of ReportEvent rows, attachments, tracking numbers."""

import logging

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import DomainError
from reports import workflow
from reports.access import SYSTEM, Reporter
from reports.models import (
    Attachment,
    Audience,
    Disposition,
    Report,
    ReportEvent,
    TrackingCounter,
)
from reports.signals import event_recorded, event_written

logger = logging.getLogger(__name__)

# ---------------------------------------------------------------------------- helpers


def _lock(report) -> Report:
    return Report.objects.select_for_update(of=("self",)).select_related("category").get(pk=report.pk)


def _lock_disposition(disposition) -> tuple[Report, Disposition]:
    report = _lock(disposition.report)
    return report, Disposition.objects.select_for_update(of=("self",)).select_related("agency").get(pk=disposition.pk)


def _user(actor):
    return None if actor is SYSTEM or isinstance(actor, Reporter) or actor is None else actor


def record_event(
    report,
    action,
    *,
    actor,
    role,
    from_status,
    message="",
    is_public=False,
    audience=None,
    disposition=None,
    data=None,
    at=None,
) -> ReportEvent:
    """Write one ``ReportEvent`` for a change the caller has just saved, let the work that
    must be stored with it write its rows in this transaction (``event_written``: the
    notification outbox), and announce it (``event_recorded``) once the transaction commits.

    This is the one writer of ReportEvent rows. Other apps' actions (staffing's
    hand-over, escalation's ladder, the LAPOR! import) call it from inside their own
    ``transaction.atomic()`` block, after locking and saving the report, to write their
    own event kinds: ``action`` is that kind (e.g. ``"handed_over"``), ``to_status`` is
    taken from ``report.status`` as saved, ``agency`` from ``disposition``. Nothing is
    announced for a change that rolls back.

    ``audience`` says who reads the message (reports.models.Audience); without it,
    ``is_public`` means the reporter does (never the public: publishing is a choice).
    """
    audience = _audience(audience, is_public)
    event = ReportEvent.objects.create(
        report=report,
        disposition=disposition,
        action=action,
        actor=_user(actor),
        actor_role=role,
        agency=disposition.agency if disposition is not None else None,
        from_status=from_status,
        to_status=report.status,
        message=message,
        is_public=audience != Audience.STAFF,
        audience=audience,
        data=data or {},
        created_at=at or timezone.now(),
    )
    event_written.send(sender=ReportEvent, event=event)
    transaction.on_commit(lambda: event_recorded.send(sender=ReportEvent, event=event))
    return event


def _audience(audience, is_public) -> str:
    if audience is None:
        return Audience.REPORTER if is_public else Audience.STAFF
    if audience not in Audience.values:
        raise DomainError(_("Pilih siapa yang dapat melihat pesan ini."))
    return audience


def _save_attachments(report, files, *, event=None, is_public=True, saved=None):
    """``files`` are cleaned uploads from core.uploads (name, content, content_type).

    A file the storage cannot write (a full disk, a lost network share) becomes a
    DomainError with a message for the resident, and whatever part of it reached the disk
    is removed: the caller's transaction rolls back, so neither a report without its files
    nor a file without its report is left."""
    for upload in files:
        attachment = Attachment(
            report=report,
            event=event,
            original_name=upload.name[:200],
            content_type=upload.content_type,
            size=len(upload.content),
            is_public=is_public,
        )
        storage = attachment.file.storage
        name = storage.get_available_name(attachment.file.field.generate_filename(attachment, upload.name))
        try:
            attachment.file.name = storage.save(name, ContentFile(upload.content))
        except OSError as error:
            logger.error("Attachment of %s could not be written: %s", report.tracking_number or "a new report", error)
            if storage.exists(name):
                storage.delete(name)  # the part written before the disk gave out
            raise DomainError(
                _(
                    "Lampiran tidak dapat disimpan karena gangguan penyimpanan di server. "
                    "Belum ada yang tersimpan; coba kirim lagi beberapa saat lagi."
                )
            ) from error
        if saved is not None:
            saved.append(attachment.file.name)
        attachment.save()


def _discard_files(names):
    from django.core.files.storage import default_storage

    for name in names:
        default_storage.delete(name)


def _next_tracking_number(government=None) -> str:
    return _next_tracking_numbers(1, government)[0]


def _next_tracking_numbers(count, government=None) -> list[str]:
    """The next ``count`` tracking numbers of the year with the government's prefix, taken
    at once (the counter row stays locked until the caller's transaction ends, so numbers
    have no gaps). Without a government: the installation's prefix setting."""
    prefix = government.tracking_prefix if government is not None else settings.ADUAN_TRACKING_PREFIX
    year = timezone.localdate().year
    last = _take_numbers(prefix, year, count)
    if last is None:  # the year's first number: its counter row is made first
        TrackingCounter.objects.get_or_create(prefix=prefix, year=year)
        last = _take_numbers(prefix, year, count)
    return [f"{prefix}-{year}-{number:06d}" for number in range(last - count + 1, last + 1)]


def _take_numbers(prefix, year, count):
    """The counter moved on by ``count`` and its new value, in one UPDATE … RETURNING (one
    query of the submit instead of three); None when the year has no counter row yet."""
    table = connection.ops.quote_name(TrackingCounter._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET last = last + %s WHERE prefix = %s AND year = %s RETURNING last",
            [count, prefix, year],
        )
        row = cursor.fetchone()
    return row[0] if row else None


def _require_text(value, message):
    value = (value or "").strip()
    if not value:
        raise DomainError(message)
    return value


def _event(report, action, *, from_status, disposition=None, message="", is_public=False, data=None, now, **kw):
    """An unsaved system event (for bulk_create): what ``record_event`` writes, minus the save."""
    # An empty relation is left to its default (None) rather than set: a bulk import
    # builds 120,000 events, and each relation set goes through its descriptor.
    related = {}
    if disposition is not None:
        related.update(disposition=disposition, agency_id=disposition.agency_id)
    if kw.get("actor") is not None:
        related["actor"] = kw["actor"]
    return ReportEvent(
        report=report,
        action=action,
        actor_role=kw.get("role", workflow.SYSTEM),
        from_status=from_status,
        to_status=report.status,
        message=message,
        is_public=is_public,
        audience=_audience(None, is_public),
        data=data or {},
        created_at=now,
        **related,
    )
