"""Every change the SP4N-LAPOR! bridge makes, in one module.

- ``import_lapor_row``: create or update one report from an export row. A new report is
  stored through ``reports.actions.submit_external_reports`` (channel ``lapor``, tracking
  number, ``submitted`` event), with the batch's other new rows. Its state follows
  LAPOR!'s status: the national system is the authority for reports that live there, so
  the state is mirrored by reports/actions/ (not walked through the coordinator's
  workflow), each change with its event — ``lapor_synced`` with from/to status, a
  disposition to the mapped agency ``lapor_disposed``, content changes ``lapor_updated``
  (``mirror_external_state`` for a known report). The status is synchronised only when
  LAPOR!'s status changed since the last import, so work done in Aduan is not overwritten
  by a re-import of an old file.
- ``create_referral``: a report archived as outside the region's authority becomes a
  referral waiting to be entered into SP4N-LAPOR!.
- ``mark_referred``: the coordinator records the LAPOR! tracking id it got there
  (``referred_to_lapor`` event).
- ``accept_mappings``: the coordinator maps unmapped LAPOR! values in one go;
  ``fill_from_mappings`` then gives the reports already imported with them their category
  and disposition (``mirror_external_state``, filling only what is missing).

An uploaded file's way from upload to import (its ``ImportJob``) is in lapor/jobs.py.
"""

import logging
from collections.abc import Callable
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from agencies.roles import staff_profile
from core import fastinsert
from core.errors import DomainError, NotAllowed
from lapor import columns as c
from lapor.mapping import Mappings
from lapor.models import AgencyMapping, CategoryMapping, LaporRecord, Referral
from lapor.parsing import TRACKING_ID, description_of, entity_key, title_of
from lapor.signals import mappings_changed
from notify.muting import muted
from reports import actions as report_actions
from reports import workflow
from reports.access import SYSTEM
from reports.models import ArchiveReason, Channel, Report, Status

logger = logging.getLogger(__name__)


@dataclass
class RowPlan:
    parsed: object  # lapor.parsing.ParsedRow
    status: str  # the Aduan status LAPOR!'s status maps to
    category_id: int | None
    agency_id: int | None
    region: object  # agencies.models.Region or None
    # The importer's kelurahan lookup (kelurahan, kecamatan) -> Region or None, to tell which
    # region the last import wrote; None: that is not known, and LAPOR!'s region is taken.
    find_region: Callable | None = None


def _address(parsed, region):
    if region is not None or not (parsed.kelurahan or parsed.kecamatan):
        return ""
    parts = [parsed.kelurahan and f"Kel. {parsed.kelurahan}", parsed.kecamatan and f"Kec. {parsed.kecamatan}"]
    return ", ".join(p for p in parts if p)


def _lapor_category_changed(plan, previous) -> bool:
    """Whether LAPOR!'s category cells differ from the row imported last time (``previous``,
    its ``row_data``; None: never imported)."""
    if previous is None:
        return True
    raw = plan.parsed.raw
    return any(raw.get(name, "") != previous.get(name, "") for name in (c.CATEGORY_ID, c.CATEGORY))


def _content_changes(plan, report, previous=None) -> dict:
    """The report's fields that differ from the row. A field staff may correct in Aduan
    (title, text, region) only while it still holds what the last import wrote (from
    ``previous``, that row's ``row_data``); the category only when the report has none or
    LAPOR!'s category changed since the last import: a coordinator's correction or
    re-categorisation survives a re-import, as the status does."""
    parsed = plan.parsed
    wanted = {
        "kind": parsed.kind,
        "is_anonymous": parsed.is_anonymous,
        "is_confidential": parsed.is_confidential,
        "reporter_name": parsed.reporter_name,
        "received_at": parsed.received_at,
    }
    written = _last_written(plan, previous)
    corrigible = {"title": parsed.title, "description": parsed.description}
    if plan.region is not None:
        corrigible["region_id"] = plan.region.pk
    for name, value in corrigible.items():
        if name not in written or getattr(report, name) == written[name]:
            wanted[name] = value
    if plan.category_id is not None and (report.category_id is None or _lapor_category_changed(plan, previous)):
        wanted["category_id"] = plan.category_id
    if parsed.rating is not None and report.rating is None:
        wanted["rating"] = parsed.rating
    return {name: value for name, value in wanted.items() if getattr(report, name) != value}


def _last_written(plan, previous) -> dict:
    """What the last import (its row, ``previous``) wrote into the fields staff may correct;
    a field left out is not known (never imported, or no region lookup at hand)."""
    if not previous:
        return {}
    written = {"title": title_of(previous.get(c.TITLE)), "description": description_of(previous)}
    if plan.find_region is not None:
        region = plan.find_region(previous.get(c.KELURAHAN, ""), previous.get(c.KECAMATAN, ""))
        written["region_id"] = region.pk if region is not None else None
    return written


def _needs_disposition(plan, report) -> bool:
    if plan.agency_id is None or plan.status not in report_actions.DISPOSITION_STATE:
        return False
    return not any(d.is_active and d.agency_id == plan.agency_id for d in report.dispositions.all())


def plan_changes(plan, record) -> str:
    """What ``import_lapor_row`` would do, without doing it: created, updated or unchanged."""
    if record is None:
        return "created"
    report = record.report
    status_changes = record.lapor_status != plan.parsed.status_value and report.status != plan.status
    if (
        record.row_data != plan.parsed.raw
        or record.lapor_status != plan.parsed.status_value
        or _content_changes(plan, report, record.row_data)
        or status_changes
        or _needs_disposition(plan, report)
    ):
        return "updated"
    return "unchanged"


def import_lapor_row(plan, record, *, actor=None, batch=None) -> str:
    """Create or update the report for one row (the caller holds the batch transaction).

    1. new Tracking ID: the report is stored through ``reports.actions.submit_external_reports``
       (channel lapor, ``submitted`` event; in LAPOR!'s state at once: ``lapor_synced``, and
       the mapped agency as active lead disposition, ``lapor_disposed``) with its
       LaporRecord — with ``batch``, later and together with the batch's other new rows
       (``Batch.flush``, in the same transaction);
    2. known Tracking ID: ``reports.actions.mirror_external_state`` applies changed content
       (``lapor_updated``), LAPOR!'s status when it changed since the last import
       (``lapor_synced``) and the disposition (``lapor_disposed``); then the row is stored
       on the LaporRecord.
    Answers "created", "updated" or "unchanged".
    """
    if record is None:
        if batch is not None:
            batch.plans.append(plan)
        else:
            create_lapor_reports([plan], actor=actor)
        return "created"

    result = plan_changes(plan, record)
    if result == "unchanged":
        return result  # the importer touches last_imported_at of a batch's unchanged rows at once
    parsed = plan.parsed
    report_actions.mirror_external_state(
        record.report,
        _external_state(plan),
        source="lapor",
        changes=_content_changes(plan, record.report, record.row_data),
        sync_status=record.lapor_status != parsed.status_value,
    )
    record.lapor_status = parsed.status_value
    record.row_data = parsed.raw
    record.last_imported_at = timezone.now()
    record.save(update_fields=["lapor_status", "row_data", "last_imported_at"])
    return "updated"


class Batch:
    """The new rows of one import batch, stored together by ``flush()`` inside the batch's
    transaction (a few queries for the whole batch instead of a dozen per row)."""

    def __init__(self, *, actor=None):
        self.actor = actor
        self.plans = []

    def flush(self):
        plans, self.plans = self.plans, []
        return create_lapor_reports(plans, actor=self.actor)


def _external_state(plan):
    parsed = plan.parsed
    return report_actions.ExternalState(
        status=plan.status,
        agency_id=plan.agency_id,
        agency_name=_agency_name(plan.agency_id) if plan.agency_id is not None else "",
        message=_("Status di SP4N-LAPOR!: %(status)s") % {"status": parsed.status_value},
        data={"tracking_id": parsed.tracking_id},
        status_data={"lapor_status": parsed.status_value},
    )


def create_lapor_reports(plans, *, actor=None) -> list:
    """Store new LAPOR! rows: their reports (``submit_external_reports``) and LaporRecords."""
    if not plans:
        return []
    entries = []
    for plan in plans:
        parsed = plan.parsed
        fields = {
            "kind": parsed.kind,
            "description": parsed.description,
            "channel": Channel.LAPOR,
            "title": parsed.title,
            "category": _category(plan.category_id),
            "region": plan.region,
            "address": _address(parsed, plan.region),
            "is_anonymous": parsed.is_anonymous,
            "is_confidential": parsed.is_confidential,
            "reporter_name": parsed.reporter_name,
            "channel_reference": f"SP4N-LAPOR! {parsed.tracking_id}",
            "received_at": parsed.received_at,
        }
        extra = {"rating": parsed.rating} if parsed.rating is not None else {}
        entries.append((fields, _external_state(plan), extra))
    reports = report_actions.submit_external_reports(entries, source="lapor", actor=actor or SYSTEM)
    now = timezone.now()
    fastinsert.insert(
        LaporRecord(
            report=report,
            tracking_id=plan.parsed.tracking_id,
            lapor_status=plan.parsed.status_value,
            row_data=plan.parsed.raw,
            first_imported_at=now,
            last_imported_at=now,
        )
        for plan, report in zip(plans, reports, strict=True)
    )
    return reports


_categories = {}


def _category(pk):
    """Categories by id, cached for the length of an import (rows share a few)."""
    if pk is None:
        return None
    from reports.models import Category

    category = _categories.get(pk)
    if category is None:
        category = _categories[pk] = Category.objects.get(pk=pk)
    return category


def forget_cached():
    _categories.clear()
    _agency_names.clear()


_agency_names = {}


def _agency_name(pk):
    from agencies.models import Agency

    if pk not in _agency_names:
        _agency_names[pk] = str(Agency.objects.get(pk=pk))
    return _agency_names[pk]


# ---------------------------------------------------------------------------- referrals


def referral_text(report) -> str:
    """The report as the coordinator enters it into SP4N-LAPOR! (identity included: only
    coordinators open a referral)."""
    lines = [
        _("Judul: %(v)s") % {"v": report.headline(masked=False)},
        _("Isi laporan: %(v)s") % {"v": report.description},
        _("Tanggal diterima: %(v)s") % {"v": timezone.localtime(report.received_at).strftime("%d-%m-%Y %H:%M")},
        _("Lokasi: %(v)s") % {"v": ", ".join(p for p in [report.address, str(report.region or "")] if p) or "-"},
        _("Kategori: %(v)s") % {"v": report.category or "-"},
        _("Pelapor: %(v)s") % {"v": report.reporter_name or "-"},
        _("Kontak: %(v)s") % {"v": ", ".join(p for p in [report.reporter_phone, report.reporter_email] if p) or "-"},
        _("Anonim: %(v)s · Rahasia: %(v2)s")
        % {
            "v": _("ya") if report.is_anonymous else _("tidak"),
            "v2": _("ya") if report.is_confidential else _("tidak"),
        },
        _("Nomor Aduan: %(v)s") % {"v": report.tracking_number},
        _("Catatan rujukan: %(v)s") % {"v": report.referral_note or "-"},
    ]
    return "\n".join(lines)


def create_referral(report, *, actor=None) -> Referral | None:
    """Called when a report is archived as outside the region's authority (idempotent)."""
    if report.status != Status.ARCHIVED or report.archive_reason != ArchiveReason.OUTSIDE_AUTHORITY:
        return None
    referral, _created = Referral.objects.get_or_create(
        report=report, defaults={"note": report.referral_note, "created_by": actor}
    )
    return referral


def mark_referred(referral, *, actor, lapor_tracking_id) -> Referral:
    """The coordinator entered the report into SP4N-LAPOR! and got ``lapor_tracking_id``.

    1. coordinators only; the id must be a LAPOR! tracking id (digits) not used before;
    2. lock the referral, refuse if it is already referred;
    3. store the id, who and when; write a ``referred_to_lapor`` event on the report.
    """
    if not staff_profile(actor).is_coordinator:
        raise NotAllowed()
    lapor_tracking_id = (lapor_tracking_id or "").strip()
    if not TRACKING_ID.match(lapor_tracking_id):
        raise DomainError(_("Isi Tracking ID SP4N-LAPOR! (angka) yang didapat saat merujuk laporan."))
    try:
        with transaction.atomic():
            referral = Referral.objects.select_for_update().select_related("report").get(pk=referral.pk)
            if referral.state == Referral.State.REFERRED:
                raise DomainError(_("Laporan ini sudah ditandai dirujuk."))
            referral.state = Referral.State.REFERRED
            referral.lapor_tracking_id = lapor_tracking_id
            referral.referred_at = timezone.now()
            referral.referred_by = actor
            referral.save(update_fields=["state", "lapor_tracking_id", "referred_at", "referred_by"])
            report_actions.record_event(
                referral.report,
                "referred_to_lapor",
                actor=actor,
                role=workflow.COORDINATOR,
                from_status=referral.report.status,
                message=_("Dirujuk ke SP4N-LAPOR! dengan Tracking ID %(id)s.") % {"id": lapor_tracking_id},
                is_public=True,
                data={"lapor_tracking_id": lapor_tracking_id},
            )
    except IntegrityError:
        raise DomainError(_("Tracking ID ini sudah dipakai untuk rujukan lain.")) from None
    return referral


def backfill_referrals() -> int:
    """Referrals for reports archived as outside authority whose referral is missing (archived
    before this app existed, or the receiver failed after the archive committed)."""
    missing = Report.objects.filter(
        status=Status.ARCHIVED, archive_reason=ArchiveReason.OUTSIDE_AUTHORITY, lapor_referral__isnull=True
    )
    created = 0
    for report in missing.iterator():
        if create_referral(report) is not None:
            created += 1
    return created


# ---------------------------------------------------------------------------- mappings


def accept_mappings(*, actor, choices) -> int:
    """The coordinator maps LAPOR! values in one go (the unmapped-values page).

    ``choices``: (kind "category"/"agency", mapping pk, target pk) per value.
    1. coordinators only;
    2. in one transaction, for each value: the target must exist and be active, and the
       value must still be unmapped — the update is a compare-and-swap, so a value someone
       else mapped meanwhile keeps their mapping — else DomainError and nothing is stored;
    3. each value gets its target, who and when;
    4. on commit, ``lapor.tasks.fill_from_mappings``: the reports already imported with
       these values get their category and disposition.
    Answers how many values were mapped.
    """
    from agencies.models import Agency
    from reports.models import Category

    if not staff_profile(actor).is_coordinator:
        raise NotAllowed()
    tables = {"category": (CategoryMapping, Category), "agency": (AgencyMapping, Agency)}
    now = timezone.now()
    with transaction.atomic():
        for kind, mapping_pk, target_pk in choices:
            model, target_model = tables[kind]
            mapping = model.objects.filter(pk=mapping_pk).first()
            if mapping is None:
                raise DomainError(_("Nilai SP4N-LAPOR! yang dipilih sudah tidak ada; muat ulang halaman."))
            if not target_model.objects.filter(pk=target_pk, is_active=True).exists():
                raise DomainError(
                    _("Tujuan pemetaan “%(value)s” tidak ada atau tidak aktif.") % {"value": mapping.lapor_name}
                )
            claimed = model.objects.filter(pk=mapping_pk, **{f"{model.target_field}__isnull": True}).update(
                **{f"{model.target_field}_id": target_pk, "mapped_by": actor, "mapped_at": now}
            )
            if not claimed:
                raise DomainError(
                    _("“%(value)s” sudah dipetakan orang lain; muat ulang halaman.") % {"value": mapping.lapor_name}
                )
        if choices:
            transaction.on_commit(_enqueue_fill)
    return len(choices)


def _enqueue_fill():
    """After the commit: lapor/tasks.py hears it and enqueues the fill."""
    mappings_changed.send(sender=None)


def schedule_fill(*, actor) -> None:
    """The coordinator asks for ``fill_from_mappings`` (after mapping values in the admin):
    enqueued on commit."""
    if not staff_profile(actor).is_coordinator:
        raise NotAllowed()
    transaction.on_commit(_enqueue_fill)


def fill_from_mappings() -> int:
    """Re-apply the import to the LAPOR! reports stored while their category or agency was
    unmapped: give them what the mappings say now.

    1. candidates: LAPOR! reports without a category, or in a state that is with an agency
       (``reports.actions.DISPOSITION_STATE``) without an active disposition;
    2. each one's last imported row (``LaporRecord.row_data``) is looked up in today's
       mappings;
    3. with the report locked and still missing it, ``reports.actions.mirror_external_state``
       gives it the category (``lapor_updated``) and the agency as active lead disposition
       (``lapor_disposed``), never the status (``sync_status=False``): only what is
       missing is filled, nothing set in Aduan since is overwritten.
    Inside ``notify.muted()``, as the import. Answers how many reports changed.
    """
    from django.db.models import Exists, OuterRef, Q
    from django.db.models.fields.json import KT

    from reports.models import Disposition

    mappings = Mappings()
    active = Disposition.objects.filter(report=OuterRef("report_id"), is_active=True)
    missing = Q(report__category__isnull=True) | (
        Q(report__status__in=list(report_actions.DISPOSITION_STATE)) & ~Exists(active)
    )
    # Only the four cells that name the category and the agency, and the whole list read
    # before anything is written (the writes change what the query selects).
    cells = {name: KT(f"row_data__{column}") for name, column in
             (("cid", c.CATEGORY_ID), ("cname", c.CATEGORY), ("aid", c.AGENCY_ID), ("aname", c.AGENCY))}  # fmt: skip
    rows = (
        LaporRecord.objects.filter(missing, report__channel=Channel.LAPOR)
        .annotate(**cells)
        .values_list("report_id", "tracking_id", *cells)
        .order_by("report_id")
    )
    work = []
    for report_id, tracking_id, category_id, category_name, agency_id, agency_name in rows:
        category = mappings.category.get(entity_key(category_id, category_name))
        agency = mappings.agency.get(entity_key(agency_id, agency_name))
        if category is not None or agency is not None:
            work.append((report_id, tracking_id, category, agency))
    changed = 0
    with muted():
        for item in work:
            changed += _fill(*item)
    return changed


def _fill(report_id, tracking_id, category_id, agency_id) -> bool:
    with transaction.atomic():
        report = Report.objects.select_for_update().get(pk=report_id)
        changes = {"category_id": category_id} if category_id is not None and report.category_id is None else {}
        if not (
            agency_id is not None
            and report.status in report_actions.DISPOSITION_STATE
            and not report.dispositions.filter(is_active=True).exists()
        ):
            agency_id = None
        if not changes and agency_id is None:
            return False
        state = report_actions.ExternalState(
            agency_id=agency_id,
            agency_name=_agency_name(agency_id) if agency_id is not None else "",
            data={"tracking_id": tracking_id, "mapping": True},
        )
        report_actions.mirror_external_state(report, state, source="lapor", changes=changes, sync_status=False)
    return True
