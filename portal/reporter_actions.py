"""What the reporter may do on their own report, in one table: the portal's tracking page
and the resident API (api/views_resident.py) both build on it. Each entry: the URL slug on
the portal, the form, the action called as ``access.Reporter`` (the form's cleaned data
as its arguments), the portal's message when done, and the API's summary."""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from portal import forms
from reports import actions


@dataclass(frozen=True)
class ReporterAction:
    slug: str
    form: type
    perform: object  # (report, actor, cleaned_data) -> report
    done: str
    summary: str


REPORTER_ACTIONS = {
    "reply": ReporterAction(
        "jawab",
        forms.ReplyForm,
        lambda report, actor, data: actions.reply_as_reporter(
            report, actor=actor, message=data["message"], attachments=data["attachments"]
        ),
        _("Terima kasih, jawaban Anda sudah kami terima."),
        "Jawab pertanyaan unit (laporan ditunda)",
    ),
    "confirm": ReporterAction(
        "konfirmasi",
        forms.ConfirmForm,
        lambda report, actor, data: actions.confirm_resolution(report, actor=actor, message=data["message"]),
        _("Terima kasih, laporan ditutup."),
        "Konfirmasi laporan sudah selesai",
    ),
    "dispute": ReporterAction(
        "sanggah",
        forms.DisputeForm,
        lambda report, actor, data: actions.dispute_resolution(report, actor=actor, reason=data["reason"]),
        _("Laporan dibuka kembali dan akan ditindaklanjuti lagi."),
        "Sanggah: belum selesai, buka kembali",
    ),
    "rate": ReporterAction(
        "nilai",
        forms.RateForm,
        lambda report, actor, data: actions.rate_report(
            report, actor=actor, rating=data["rating"], comment=data["comment"]
        ),
        _("Terima kasih atas penilaian Anda."),
        "Beri penilaian 1-5",
    ),
    "objection": ReporterAction(
        "keberatan",
        forms.ObjectionForm,
        lambda report, actor, data: actions.file_objection(report, actor=actor, reason=data["reason"]),
        _("Keberatan Anda sudah diterima."),
        "Ajukan keberatan (permintaan informasi)",
    ),
}
