from django import template
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from workspace.menu import menu_for

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
    "taken": _("Diambil koordinator"),
    "owner_assigned": _("Ditugaskan ke koordinator"),
    "owner_released": _("Dilepas, belum ada pemilik"),
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
