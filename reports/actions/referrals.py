"""Refer a report to another government of the installation, and its return (issue 20,
"Refer across governments" and "Return up"; docs/architecture.md, "Tenancy").

A referral MOVES the report: ``report.government`` becomes the receiver's, the report goes
to the receiver's verification queue (received, 3 working days by the receiver's own
calendar from the referral), its category becomes the receiver's category of the same
name (else none), its kelurahan is dropped when it is not the receiver's, and the
referring government's open dispositions end. History and attachments are the report's
and go with it. The referring government reads it afterwards (reports/access.py
``referred_out_by``) and acts on nothing. The receiver may give it back with a reason:
the report returns to the referring government's verification queue in the same way.

A government outside the installation is still the SP4N-LAPOR! referral
(``archive_report`` with ``outside_authority``), untouched here.
"""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import DomainError, NotAllowed
from governments.models import Government
from reports import access, deadlines, workflow
from reports.actions.events import _lock, _require_text, _user, record_event
from reports.models import Category, Disposition, Referral, Report, Status, refresh_current_deadline


def _same_category(category, government_id):
    """The receiver's category named as ``category`` (under a parent of the same name when
    it has one), else None: a category is the government's own (its deadlines, its
    default agency)."""
    if category is None:
        return None
    theirs = Category.objects.filter(government_id=government_id, name__iexact=category.name, is_active=True)
    if category.parent_id:
        same_parent = theirs.filter(parent__name__iexact=category.parent.name).first()
        if same_parent is not None:
            return same_parent
    return theirs.order_by("parent_id", "pk").first()


def _move(report, government_id, now) -> tuple[dict, int]:
    """Hand the locked ``report`` to ``government_id``: its verification queue, its
    category, its calendar. Answers what changed (the event's ``changes``) and how many
    active dispositions ended."""
    changes = {}
    category = _same_category(report.category, government_id)
    if report.category_id != (category.pk if category else None):
        changes["category"] = [str(report.category or ""), str(category or "")]
    report.category = category
    if report.region_id and report.region.government_id != government_id:
        changes["region"] = [str(report.region), ""]
        report.region = None
    ended = list(Disposition.objects.filter(report=report, is_active=True).values_list("pk", flat=True))
    Disposition.objects.filter(pk__in=ended).update(is_active=False)
    report.government_id = government_id
    report.status = Status.RECEIVED
    report.held_from, report.hold_started_at, report.hold_question = "", None, ""
    report.owner = None
    report.due_at = deadlines.verify_due(report, now)
    report.save(
        update_fields=[
            "government",
            "category",
            "region",
            "status",
            "held_from",
            "hold_started_at",
            "hold_question",
            "owner",
            "due_at",
            "updated_at",
        ]
    )
    refresh_current_deadline([report.pk])
    return changes, len(ended)


def refer_report(report, *, actor, government, reason) -> Report:
    """A coordinator of the report's government refers it to ``government``, another active
    government of the installation, with a reason.

    1. the reason is required, the receiver must be active and not the report's own;
    2. lock the report; the actor must coordinate its government, the status allow it;
    3. move it (``_move``), record the Referral and the event ``referred`` (staff read
       the reason; the reporter reads where the report went).
    """
    reason = _require_text(reason, _("Tuliskan alasan rujukan."))
    if government is None:
        raise DomainError(_("Pilih pemerintah daerah tujuan."))
    with transaction.atomic():
        report = _lock(report)
        workflow.check("refer", report.status, access.actor_role(actor, report))
        receiver = Government.objects.filter(pk=government.pk, is_active=True).first()
        if receiver is None:
            raise DomainError(_("Pemerintah daerah tujuan tidak aktif di instalasi ini."))
        if receiver.pk == report.government_id:
            raise DomainError(_("Laporan ini sudah milik pemerintah daerah tersebut; pilih pemerintah daerah lain."))
        sender_id, from_status, now = report.government_id, report.status, timezone.now()
        sender = Government.objects.get(pk=sender_id)
        changes, ended = _move(report, receiver.pk, now)
        Referral.objects.create(
            report=report,
            from_government_id=sender_id,
            to_government=receiver,
            reason=reason,
            referred_by=_user(actor),
            referred_at=now,
        )
        record_event(
            report,
            "referred",
            actor=actor,
            role=workflow.COORDINATOR,
            from_status=from_status,
            message=reason,
            is_public=True,
            data={
                "from": sender_id,
                "to": receiver.pk,
                "from_name": sender.name,
                "to_name": receiver.name,
                "changes": changes,
                "dispositions_ended": ended,
            },
            at=now,
        )
    return report


def return_referral(report, *, actor, reason) -> Report:
    """The receiving government gives a referred report back, with a reason: it goes to
    the referring government's verification queue (3 working days by that government's
    calendar from now), the referral ends (returned), the event ``referral_returned``."""
    reason = _require_text(reason, _("Tuliskan alasan pengembalian rujukan."))
    with transaction.atomic():
        report = _lock(report)
        workflow.check("return_referral", report.status, access.actor_role(actor, report))
        referral = (
            Referral.objects.select_for_update()
            .active()
            .filter(report=report, to_government_id=report.government_id)
            .select_related("from_government", "to_government")
            .order_by("-referred_at", "-pk")
            .first()
        )
        if referral is None:
            raise NotAllowed(_("Laporan ini bukan rujukan dari pemerintah daerah lain."))
        from_status, now = report.status, timezone.now()
        changes, ended = _move(report, referral.from_government_id, now)
        referral.state = Referral.State.RETURNED
        referral.return_reason = reason
        referral.returned_by = _user(actor)
        referral.returned_at = now
        referral.save(update_fields=["state", "return_reason", "returned_by", "returned_at"])
        record_event(
            report,
            "referral_returned",
            actor=actor,
            role=workflow.COORDINATOR,
            from_status=from_status,
            message=reason,
            data={
                "from": referral.to_government_id,
                "to": referral.from_government_id,
                "from_name": referral.to_government.name,
                "to_name": referral.from_government.name,
                "referral": referral.pk,
                "changes": changes,
                "dispositions_ended": ended,
            },
            at=now,
        )
    return report
