from django import forms, template
from django.core.exceptions import FieldDoesNotExist
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from workspace.menu import menu_for
from workspace.rows import ReportRows

register = template.Library()

# ReportEvent.action → what staff read in the timeline.
EVENT_LABELS = {
    "submitted": _("Laporan masuk"),
    "verified": _("Diverifikasi"),
    "classified": _("Klasifikasi diubah"),
    "held": _("Ditunda, pertanyaan ke pelapor"),
    "reporter_replied": _("Pelapor menjawab"),
    "reporter_message": _("Pesan dari pelapor"),
    "archived": _("Diarsipkan"),
    "duplicate_merged": _("Laporan duplikat digabungkan"),
    "disposed": _("Didisposisikan"),
    "follow_up": _("Tindak lanjut"),
    "internal_note": _("Catatan internal"),
    "media_lost": _("Foto pelapor tidak dapat diunduh"),
    "disposition_done": _("Disposisi selesai"),
    "disposition_returned": _("Dikembalikan (bukan wewenang)"),
    "forwarded_to_unit": _("Diteruskan ke unit"),
    "returned_to_agency": _("Dikembalikan ke perangkat daerah"),
    "resolved": _("Selesai ditindaklanjuti"),
    "information_extended": _("Tenggat informasi diperpanjang"),
    "confirmed": _("Dikonfirmasi pelapor"),
    "disputed": _("Pelapor belum puas, dibuka kembali"),
    "closed": _("Ditutup"),
    "auto_closed": _("Ditutup otomatis"),
    "rated": _("Dinilai pelapor"),
    "objection_filed": _("Keberatan diajukan"),
    "objection_answered": _("Keberatan ditanggapi"),
    "assigned": _("Penugasan petugas"),
    "handed_over": _("Dialihkan karena penunjukan berakhir"),
    "escalated": _("Eskalasi tenggat"),
    "lapor_synced": _("Status diselaraskan dari SP4N-LAPOR!"),
    "lapor_updated": _("Isi diperbarui dari SP4N-LAPOR!"),
    "lapor_disposed": _("Disposisi dari SP4N-LAPOR!"),
    "taken": _("Diambil koordinator"),
    "owner_assigned": _("Ditugaskan ke koordinator"),
    "owner_released": _("Dilepas, belum ada pemilik"),
    "referred": _("Dirujuk ke pemerintah daerah lain"),
    "referral_returned": _("Rujukan dikembalikan"),
}

ROLE_LABELS = {
    "citizen": _("Pelapor"),
    "coordinator": _("Koordinator"),
    "agency": _("Perangkat daerah"),
    "system": _("Sistem"),
    "admin": _("Admin sistem"),
}


@register.filter
def event_label(action):
    return EVENT_LABELS.get(action, action)


@register.filter
def actor_label(event):
    """Who did it: the staff member's name, else the role (the reporter is never named here)."""
    if event.actor_id and event.actor_role != "citizen":
        return event.actor.get_full_name() or event.actor.get_username()
    return ROLE_LABELS.get(event.actor_role, event.actor_role)


@register.filter
def is_past(moment):
    return bool(moment and moment < timezone.now())


@register.filter
def status_label(value):
    from reports.models import Status

    return Status(value).label if value in Status.values else value


@register.simple_tag(takes_context=True)
def staff_menu(context):
    """The staff menu's groups for this request (workspace/menu.py)."""
    return menu_for(context["request"], context["staff"])


@register.simple_tag(takes_context=True)
def report_rows(context, reports):
    """A report list's table rows (workspace/rows.py): a check box each when the page has the
    bulk form, the owner column for who sees every report."""
    staff = context.get("staff")
    rows = ReportRows(
        context["request"], bulk=bool(context.get("bulk_form")), owner_column=bool(staff and staff.sees_everything)
    )
    return rows.html(reports)


@register.filter
def event_changes(event):
    """An event's changed fields (``data["changes"]``: field → [before, after], as the
    classification actions write them) in words: the field's verbose name and, for a field
    with choices, the choices' labels (category and kelurahan are stored by name), in the
    reader's language. A key the Report model does not know is shown as it is."""
    from reports.models import Report

    rows = []
    for name, change in (event.data or {}).get("changes", {}).items():
        before, after = (list(change) + ["", ""])[:2] if isinstance(change, list | tuple) else ("", change)
        try:
            field = Report._meta.get_field(name)
        except FieldDoesNotExist:
            rows.append((name, before, after))
            continue
        labels = dict(field.flatchoices) if field.choices else {}
        rows.append((capfirst(field.verbose_name), labels.get(before, before), labels.get(after, after)))
    return rows


@register.filter
def changed_fields(event):
    """The fields an import changed (``data["fields"]``, the LAPOR! ``_updated`` events), in words."""
    from reports.models import Report

    names = []
    for name in (event.data or {}).get("fields", []):
        try:
            names.append(str(capfirst(Report._meta.get_field(name).verbose_name)))
        except FieldDoesNotExist:
            names.append(name)
    return names


@register.filter
def is_textarea(bound_field):
    return isinstance(bound_field.field.widget, forms.Textarea)
