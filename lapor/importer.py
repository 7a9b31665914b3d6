"""Import an SP4N-LAPOR! export: a dry run that says what would happen, then the real run.

``run_import(path, dry_run=True)`` reads the whole file and answers an ``Outcome``: the
rows that would be created, updated, left unchanged and rejected (with row numbers and
reasons), the warnings, and the LAPOR! values that have no mapping yet. Nothing is stored.

``run_import(path, dry_run=False)`` first does that same full read, so a file that is
broken anywhere stores nothing; then it reads the file again and applies the rows in
batches of ``ADUAN_LAPOR_IMPORT_BATCH_SIZE``, one transaction per batch. A batch that fails
rolls back completely and the import stops there; the earlier batches stay imported, and
importing the same file again continues idempotently (upsert on the Tracking ID).

A report is listed again further down the national file when its status changes (the
file is in time order), so the last valid row of a Tracking ID wins: the dry run finds
the earlier ones (``Outcome.superseded``: row, Tracking ID, the row that wins), and the
real run skips them — one report, in its latest state, with no detour through the
states in between. A later row that is rejected supersedes nothing.
"""

import logging
import pickle
import tempfile
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from agencies.models import Region
from lapor import actions
from lapor.mapping import Mappings
from lapor.models import LaporRecord
from lapor.parsing import ParsedRow, RowRejected, parse_row
from lapor.reader import LaporFileError, open_export
from notify.muting import muted

logger = logging.getLogger(__name__)

MAX_LISTED = 500  # rejected rows and warnings kept for the preview page


@dataclass
class Outcome:
    dry_run: bool
    format: str = ""
    header_row: int = 0
    rows: int = 0
    created: list = field(default_factory=list)
    updated: list = field(default_factory=list)
    unchanged: list = field(default_factory=list)
    rejected: list = field(default_factory=list)  # (row, tracking id, reason)
    warnings: list = field(default_factory=list)  # (row, tracking id, message)
    superseded: list = field(default_factory=list)  # (row, tracking id, row that wins), every one
    rejected_count: int = 0
    warning_count: int = 0
    unknown: dict = field(default_factory=dict)  # kind -> {value: rows}
    notes: list = field(default_factory=list)
    failed: str = ""  # why the import stopped at a batch (real run only)

    def reject(self, row, tracking_id, reason):
        self.rejected_count += 1
        if len(self.rejected) < MAX_LISTED:
            self.rejected.append((row, tracking_id, str(reason)))

    def warn(self, row, tracking_id, message):
        self.warning_count += 1
        if len(self.warnings) < MAX_LISTED:
            self.warnings.append((row, tracking_id, str(message)))

    def drop_superseded(self, warned):
        """The dry run tallied rows before a later row of their Tracking ID showed up: take
        the superseded ones out of the counts (``warned``: row -> its number of warnings)."""
        gone = {row for row, _tracking_id, _by in self.superseded}
        if not gone:
            return
        for name in ("created", "updated", "unchanged"):
            setattr(self, name, [row for row in getattr(self, name) if row not in gone])
        self.warning_count -= sum(warned.get(row, 0) for row in gone)
        self.warnings = [item for item in self.warnings if item[0] not in gone]

    def superseded_rows(self) -> dict:
        """{superseded row: the row that wins}, for the real run that skips them."""
        return {row: by for row, _tracking_id, by in self.superseded}

    def as_dict(self) -> dict:
        return {
            "dry_run": self.dry_run,
            "format": self.format,
            "header_row": self.header_row,
            "rows": self.rows,
            "created": len(self.created),
            "updated": len(self.updated),
            "unchanged": len(self.unchanged),
            "rejected": self.rejected_count,
            "warning_count": self.warning_count,
            "created_rows": ranges(self.created),
            "updated_rows": ranges(self.updated),
            "unchanged_rows": ranges(self.unchanged),
            "rejected_rows": [list(item) for item in self.rejected],
            "warnings": [list(item) for item in self.warnings],
            "superseded": len(self.superseded),
            # Every one, not the first MAX_LISTED: a confirmed import skips exactly these.
            "superseded_rows": [list(item) for item in self.superseded],
            "unknown": self.unknown,
            "notes": [str(note) for note in self.notes],
            "failed": str(self.failed),
        }


def ranges(numbers) -> str:
    """``[5, 6, 7, 9]`` → ``"5–7, 9"``."""
    parts, start, previous = [], None, None
    for number in sorted(numbers):
        if start is None:
            start = previous = number
        elif number == previous + 1:
            previous = number
        else:
            parts.append(f"{start}" if start == previous else f"{start}–{previous}")
            start = previous = number
    if start is not None:
        parts.append(f"{start}" if start == previous else f"{start}–{previous}")
    return ", ".join(parts)


class _Regions:
    def __init__(self):
        self.kelurahan = {}
        for region in Region.objects.filter(level=Region.Level.KELURAHAN).select_related("parent"):
            kecamatan = region.parent.name.casefold() if region.parent_id else ""
            self.kelurahan.setdefault((region.name.casefold(), kecamatan), region)
            self.kelurahan.setdefault((region.name.casefold(), ""), region)

    def find(self, kelurahan, kecamatan):
        if not kelurahan:
            return None
        name = " ".join(kelurahan.split()).casefold()
        return self.kelurahan.get((name, " ".join(kecamatan.split()).casefold())) or self.kelurahan.get((name, ""))


def _batches(rows, size):
    batch = []
    for item in rows:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def run_import(path, *, dry_run=True, actor=None, checked=None, progress=None) -> Outcome:
    """Dry run, or dry run then the real import (see the module docstring). Raises
    LaporFileError for a file that cannot be imported at all. ``checked``: the dry run of
    this very file (a confirmed upload's preview, ``Outcome.as_dict()``), so the first pass
    is skipped and its superseded rows are skipped. ``progress(rows_read)`` is called after
    each batch, checked or committed (the job page shows it; benchmarks time it)."""
    if dry_run or not checked:
        # Before a real run only the rows superseded are wanted: no row planned against the
        # database (the apply pass plans each batch again anyway).
        if dry_run:
            return _run(path, dry_run=True, progress=progress)
        # Before a real run only the rows superseded are wanted: no row planned against the
        # database (the apply pass plans each batch again), and the rows read and parsed
        # are kept in a spool the apply pass reads instead of the file.
        with _Spool() as spool:
            preview = _run(path, dry_run=True, plan=False, spool=spool)
            with muted():
                return _run(path, dry_run=False, actor=actor, progress=progress,
                            superseded=preview.superseded_rows(), source=spool)  # fmt: skip
    superseded = {row: by for row, _tracking_id, by in checked.get("superseded_rows", [])}
    with muted():
        return _run(path, dry_run=False, actor=actor, progress=progress, superseded=superseded)


class _Spool:
    """A pass's rows as read and parsed, batch by batch, in a temporary file (memory stays
    flat whatever the file's size): the apply pass neither reads the export nor parses a
    row a second time (the XLSX read and the parsing were a third of an import)."""

    def __enter__(self):
        self.file = tempfile.TemporaryFile()
        self.sheet = None  # format, header_row, notes of the file read
        return self

    def __exit__(self, *exc):
        self.file.close()

    def write(self, items):
        pickle.dump(items, self.file, protocol=pickle.HIGHEST_PROTOCOL)

    def batches(self):
        self.file.seek(0)
        while True:
            try:
                yield pickle.load(self.file)  # noqa: S301 (written by this process just before)
            except EOFError:
                return


def _parsed_batches(rows, size):
    """The rows in batches of ``size``, each row (row number, ParsedRow) or (row number,
    (Tracking ID as written, why it is rejected))."""
    for batch in _batches(rows, size):
        items = []
        for row_number, values in batch:
            try:
                items.append((row_number, parse_row(row_number, values)))
            except RowRejected as rejection:
                items.append((row_number, (str(values.get("Tracking ID", ""))[:40], str(rejection.reason))))
        yield items


def _run(path, *, dry_run, actor=None, progress=None, superseded=None, plan=True, spool=None, source=None):
    """One pass over the file. Dry run: every row planned against the database (unless
    ``plan`` is False: then only read, checked and its superseded rows found), the rows
    superseded by a later one found and taken out of the counts at the end. Real run: the
    rows ``superseded`` (row -> row that wins) skipped, the others applied batch by batch.
    ``spool``: keep the parsed rows there; ``source``: a spool to read instead of the file."""
    size = max(1, settings.ADUAN_LAPOR_IMPORT_BATCH_SIZE)
    if source is not None:
        sheet, batches = source.sheet, source.batches()
    else:
        sheet = open_export(path)
        batches = _parsed_batches(sheet.rows, size)
    actions.forget_cached()
    outcome = Outcome(dry_run=dry_run, format=sheet.format, header_row=sheet.header_row, notes=list(sheet.notes))
    if spool is not None:
        spool.sheet = outcome
    mappings = Mappings()
    regions = _Regions()
    superseded = superseded or {}
    latest = {}  # tracking id -> its last valid row so far
    warned = {}  # dry run: row -> number of warnings tallied
    for batch in batches:
        if spool is not None:
            spool.write(batch)  # as parsed, before this pass adds its warnings
        plans = {}  # tracking id -> plan: a later row of the batch replaces an earlier one
        for row_number, parsed in batch:
            outcome.rows += 1
            if not isinstance(parsed, ParsedRow):
                outcome.reject(row_number, *parsed)
                continue
            status = mappings.resolve_status(parsed.status_value)
            category_id = mappings.resolve_category(parsed.category_key, parsed.category_id, parsed.category_name)
            agency_id = mappings.resolve_agency(parsed.agency_key, parsed.agency_id, parsed.agency_name)
            if status is None:
                outcome.reject(
                    row_number,
                    parsed.tracking_id,
                    _("Status “%(value)s” belum dipetakan ke status Aduan (masuk antrean pemetaan).")
                    % {"value": parsed.status_value},
                )
                continue
            tracking_id = parsed.tracking_id
            if row_number in superseded:
                outcome.superseded.append((row_number, tracking_id, superseded[row_number]))
                continue
            earlier = latest.get(tracking_id)
            latest[tracking_id] = row_number
            if earlier is not None:
                # Dry run: the earlier row is superseded (its tally dropped at the end). Real
                # run: a repeat the dry run did not foresee (a status mapped since the
                # preview): the later row wins all the same — in place of the earlier one
                # in this batch, else as an update of what the earlier one stored.
                outcome.superseded.append((earlier, tracking_id, row_number))
            if parsed.category_key and category_id is None:
                parsed.warnings.append(
                    _("Kategori “%(value)s” belum dipetakan; laporan disimpan tanpa kategori.")
                    % {"value": parsed.category_name or parsed.category_id}
                )
            if parsed.agency_key and agency_id is None:
                parsed.warnings.append(
                    _("Instansi “%(value)s” belum dipetakan; laporan disimpan tanpa disposisi.")
                    % {"value": parsed.agency_name or parsed.agency_id}
                )
            region = regions.find(parsed.kelurahan, parsed.kecamatan)
            if parsed.kelurahan and region is None:
                parsed.warnings.append(
                    _("Kelurahan “%(value)s” tidak ditemukan; ditulis pada alamat.") % {"value": parsed.kelurahan}
                )
            plans.pop(tracking_id, None)  # in row order, so the tallies are too
            plans[tracking_id] = actions.RowPlan(parsed, status, category_id, agency_id, region, regions.find)
        plans = list(plans.values())
        if dry_run and not plan:
            continue
        if dry_run:
            records = _records(plans)
            for plan in plans:
                _tally(outcome, plan, actions.plan_changes(plan, records.get(plan.parsed.tracking_id)))
                if plan.parsed.warnings:
                    warned[plan.parsed.row_number] = len(plan.parsed.warnings)
            if progress is not None:
                progress(outcome.rows)
            continue
        done = []
        try:
            with transaction.atomic():
                records = _records(plans)
                new_rows = actions.Batch(actor=actor)
                for plan in plans:
                    record = records.get(plan.parsed.tracking_id)
                    done.append((plan, actions.import_lapor_row(plan, record, actor=actor, batch=new_rows)))
                new_rows.flush()
                unchanged = [records[p.parsed.tracking_id].pk for p, result in done if result == "unchanged"]
                LaporRecord.objects.filter(pk__in=unchanged).update(last_imported_at=timezone.now())
                mappings.store_seen()
        except Exception as error:
            logger.exception("LAPOR! import batch failed")
            mappings.forget_batch()
            first, last = batch[0][0], batch[-1][0]
            outcome.failed = _(
                "Impor berhenti: kelompok baris %(first)d–%(last)d gagal disimpan (%(error)s) dan dibatalkan "
                "seluruhnya. Baris sebelumnya sudah tersimpan; impor ulang berkas yang sama akan melanjutkan."
            ) % {"first": first, "last": last, "error": error.__class__.__name__}
            break
        for plan, result in done:
            _tally(outcome, plan, result)
        if progress is not None:
            progress(outcome.rows)
    if dry_run:
        # Each superseded row names the row that finally wins (a report listed three times).
        outcome.superseded = sorted((row, tid, latest[tid]) for row, tid, _by in outcome.superseded)
        outcome.drop_superseded(warned)
    outcome.unknown = {kind: dict(counter.most_common()) for kind, counter in mappings.unknown.items() if counter}
    return outcome


def _records(plans):
    """The LaporRecords of a batch's Tracking IDs, with their reports and dispositions."""
    return {
        record.tracking_id: record
        for record in LaporRecord.objects.filter(tracking_id__in=[p.parsed.tracking_id for p in plans])
        .select_related("report__category")
        .prefetch_related("report__dispositions")
    }


def _tally(outcome, plan, result):
    parsed = plan.parsed
    getattr(outcome, result).append(parsed.row_number)
    for message in parsed.warnings:
        outcome.warn(parsed.row_number, parsed.tracking_id, message)


__all__ = ["LaporFileError", "Outcome", "run_import"]
