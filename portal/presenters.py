"""What a report looks like to the reporter and to the public: status explanations,
deadlines in plain words, the timeline, and personal data scrubbed from public text.

The public pages must never show who reported (docs/architecture.md, "Access: one helper"), so public
text passes through ``scrub`` and only whitelisted event messages are shown there.
"""

from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.masking import mask_personal_data
from reports.models import ArchiveReason, Audience, Disposition, Kind, Status

STATUS_NEXT = {
    Status.RECEIVED: gettext_lazy(
        "Laporan sudah kami terima. Unit pengelola pengaduan akan memeriksanya lalu meneruskannya ke "
        "perangkat daerah yang berwenang."
    ),
    Status.ON_HOLD: gettext_lazy(
        "Unit pengelola pengaduan membutuhkan keterangan tambahan dari Anda. Jawab pertanyaan di bawah; "
        "waktu penanganan berhenti sampai Anda menjawab."
    ),
    Status.VERIFIED: gettext_lazy(
        "Laporan sudah diperiksa dan akan segera diteruskan ke perangkat daerah yang berwenang."
    ),
    Status.DISPOSED: gettext_lazy(
        "Laporan sudah diteruskan ke perangkat daerah. Mereka akan menindaklanjuti dan memberi tanggapan di sini."
    ),
    Status.IN_PROGRESS: gettext_lazy("Perangkat daerah sedang menindaklanjuti laporan ini."),
    Status.RESOLVED: gettext_lazy(
        "Perangkat daerah menyatakan laporan sudah selesai ditindaklanjuti. Periksa hasilnya: konfirmasi jika "
        "sudah beres, atau sampaikan jika belum. Tanpa tanggapan, laporan ditutup otomatis setelah 10 hari kerja."
    ),
    Status.CLOSED: gettext_lazy("Laporan sudah ditutup. Terima kasih sudah melapor."),
    Status.ARCHIVED: gettext_lazy("Laporan diarsipkan dan tidak ditindaklanjuti. Alasannya tertera di bawah."),
    Status.OBJECTION: gettext_lazy(
        "Keberatan sudah diterima dan akan ditanggapi paling lambat 30 hari kerja sejak diajukan."
    ),
}

EVENT_LABELS = {
    "submitted": gettext_lazy("Laporan diterima"),
    "verified": gettext_lazy("Laporan diverifikasi"),
    "held": gettext_lazy("Unit pengelola pengaduan meminta keterangan tambahan"),
    "reporter_replied": gettext_lazy("Pelapor memberi keterangan"),
    "reporter_message": gettext_lazy("Pelapor mengirim pesan"),
    "archived": gettext_lazy("Laporan diarsipkan"),
    "disposed": gettext_lazy("Laporan diteruskan ke perangkat daerah"),
    "follow_up": gettext_lazy("Tanggapan perangkat daerah"),
    "disposition_done": gettext_lazy("Perangkat daerah menyatakan selesai"),
    "resolved": gettext_lazy("Laporan selesai ditindaklanjuti"),
    "information_extended": gettext_lazy("Waktu menjawab permintaan informasi diperpanjang"),
    "confirmed": gettext_lazy("Pelapor mengonfirmasi hasilnya"),
    "disputed": gettext_lazy("Pelapor belum puas, laporan dibuka kembali"),
    "closed": gettext_lazy("Laporan ditutup"),
    "auto_closed": gettext_lazy("Laporan ditutup otomatis"),
    "rated": gettext_lazy("Pelapor memberi penilaian"),
    "objection_filed": gettext_lazy("Keberatan diajukan"),
    "objection_answered": gettext_lazy("Keberatan ditanggapi"),
    "referred": gettext_lazy("Laporan dirujuk ke pemerintah daerah yang berwenang"),
}

# Staff messages that may be published: only these actions, and only when their event's
# audience is public (a message to the reporter stays theirs); whatever the reporter wrote
# stays off public pages.
PUBLIC_MESSAGE_ACTIONS = {"follow_up", "information_extended", "objection_answered", "closed", "verified"}


def published(event) -> bool:
    """Whether the public pages (and Open311) print ``event``'s message."""
    return event.audience == Audience.PUBLIC and event.action in PUBLIC_MESSAGE_ACTIONS


# ---------------------------------------------------------------------------- personal data


def scrub(text, report=None) -> str:
    """``text`` with emails, NIK, phone numbers, vehicle plates and names masked (the
    reporter's own wherever it appears): the one masking rule set, core/masking.py. A
    report's own title, description and address are masked once, when saved
    (``Report.masked_*``); this is for the messages on it."""
    if not text:
        return ""
    return mask_personal_data(text, names=[report.reporter_name] if report is not None else ())


def shown_publicly(attachment) -> bool:
    """Public pages show reporters' photos (re-encoded, without metadata), never a
    reporter's PDF: a letter or an ID card scan would carry their identity; and staff
    documents only with a message published to the public (not one to the reporter)."""
    if not attachment.is_public:
        return False
    if attachment.event is None or attachment.event.actor_role == "citizen":
        return attachment.is_image
    return attachment.event.audience == Audience.PUBLIC


# ---------------------------------------------------------------------------- timeline


@dataclass
class Entry:
    at: object
    action: str
    label: str
    who: str
    message: str = ""
    detail: str = ""
    attachments: list = field(default_factory=list)


def _who(event) -> str:
    if event.actor_role == "agency":
        return str(event.agency) if event.agency_id else _("Perangkat daerah")
    return {
        "coordinator": _("Unit pengelola pengaduan"),
        "citizen": _("Pelapor"),
        "system": _("Sistem"),
    }.get(event.actor_role, "")


def _detail(event) -> str:
    data = event.data or {}
    if event.action == "disposed":
        # Only who got the work; the coordinator's instruction is internal.
        lead = data.get("lead", "")
        names = [_("%(agency)s (utama)") % {"agency": lead}] if lead else []
        names += [name for name in data.get("agencies", []) if name != lead]
        return _("Diteruskan ke: %(agencies)s") % {"agencies": ", ".join(names)} if names else ""
    if event.action == "rated" and data.get("rating"):
        return _("Nilai %(n)s dari 5") % {"n": data["rating"]}
    if event.action == "archived" and data.get("reason") in ArchiveReason.values:
        return ArchiveReason(data["reason"]).label
    return ""


def timeline(report, events, attachments, *, public) -> list[Entry]:
    """``events`` are the report's public events (agency selected), ``attachments`` its
    public attachments; the submission's own files are shown with the content, not here."""
    by_event: dict = {}
    for attachment in attachments:
        by_event.setdefault(attachment.event_id, []).append(attachment)
    entries = []
    for event in events:
        if event.action == "disposed":
            message = ""
        elif public:
            message = scrub(event.message, report) if published(event) else ""
        else:
            message = event.message
        entries.append(
            Entry(
                at=event.created_at,
                action=event.action,
                label=EVENT_LABELS.get(event.action, event.action),
                who=_who(event),
                message=message,
                detail=_detail(event),
                attachments=[] if event.action == "submitted" else by_event.get(event.pk, []),
            )
        )
    return entries


# ---------------------------------------------------------------------------- deadlines


def _date(value) -> str:
    return date_format(timezone.localtime(value), "j F Y")


def deadlines(report, dispositions) -> list[tuple[str, bool]]:
    """Plain sentences about the deadlines that matter now, each with an overdue flag."""
    now = timezone.now()
    lines = []

    def add(text, due):
        lines.append((text % {"date": _date(due)}, due < now))

    if report.status == Status.ON_HOLD:
        lines.append((_("Tenggat penanganan berhenti sementara sampai Anda menjawab pertanyaan."), False))
    elif report.status in (Status.RECEIVED, Status.VERIFIED) and report.due_at:
        add(
            _("Unit pengelola pengaduan menargetkan memeriksa dan meneruskan laporan ini paling lambat %(date)s."),
            report.due_at,
        )
    if report.status in (Status.DISPOSED, Status.IN_PROGRESS):
        for disposition in dispositions:
            if (
                disposition.state in (Disposition.State.PENDING, Disposition.State.ACCEPTED)
                and disposition.resolution_due_at
            ):
                lines.append(
                    (
                        _("%(agency)s menargetkan selesai paling lambat %(date)s.")
                        % {"agency": disposition.agency, "date": _date(disposition.resolution_due_at)},
                        disposition.resolution_due_at < now,
                    )
                )
    if (
        report.kind == Kind.INFORMATION_REQUEST
        and report.is_open
        and report.status not in (Status.RESOLVED, Status.OBJECTION)
        and report.info_answer_due_at
    ):
        add(_("Permintaan informasi dijawab paling lambat %(date)s."), report.info_answer_due_at)
        if report.info_extended_at:
            lines.append(
                (_("Waktu menjawab diperpanjang: %(reason)s") % {"reason": report.info_extension_reason}, False)
            )
    if report.status == Status.RESOLVED and report.autoclose_due_at:
        add(_("Jika tidak ada tanggapan dari Anda, laporan ditutup otomatis pada %(date)s."), report.autoclose_due_at)
    if report.status == Status.OBJECTION and report.objection_due_at:
        add(_("Keberatan ditanggapi paling lambat %(date)s."), report.objection_due_at)
    return lines
