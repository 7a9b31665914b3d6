"""The default message templates, in Indonesian and English, for any channel (the subject
is used by email only). The administrator edits them in the admin site; this migration
never overwrites an edited row."""

from django.db import migrations

DATE = '|date:"j F Y"'
TEMPLATES = {
    "report_verified": {
        "id": (
            "[{{ tracking_number }}] Laporan Anda terverifikasi",
            "Laporan {{ tracking_number }} telah diverifikasi dan akan segera diteruskan ke perangkat daerah "
            "yang berwenang. — {{ site_name }}",
        ),
        "en": (
            "[{{ tracking_number }}] Your report has been verified",
            "Report {{ tracking_number }} has been verified and will soon be forwarded to the responsible "
            "agency. — {{ site_name }}",
        ),
    },
    "report_on_hold": {
        "id": (
            "[{{ tracking_number }}] Petugas membutuhkan keterangan Anda",
            "Petugas membutuhkan keterangan tambahan untuk laporan {{ tracking_number }}: {{ question }}\n"
            "Balas pesan ini atau jawab lewat {{ link }} (jangan bagikan tautan ini). — {{ site_name }}",
        ),
        "en": (
            "[{{ tracking_number }}] We need more information",
            "Our staff need more information about report {{ tracking_number }}: {{ question }}\n"
            "Reply to this message or answer at {{ link }} (do not share this link). — {{ site_name }}",
        ),
    },
    "report_disposed": {
        "id": (
            "[{{ tracking_number }}] Laporan Anda diteruskan ke {{ agencies }}",
            "Laporan {{ tracking_number }} telah diteruskan ke {{ agencies }} untuk ditindaklanjuti. "
            "— {{ site_name }}",
        ),
        "en": (
            "[{{ tracking_number }}] Your report was forwarded to {{ agencies }}",
            "Report {{ tracking_number }} has been forwarded to {{ agencies }} for follow-up. — {{ site_name }}",
        ),
    },
    "report_followed_up": {
        "id": (
            "[{{ tracking_number }}] Tanggapan dari {{ agency }}",
            "Tanggapan {{ agency }} atas laporan {{ tracking_number }}:\n{{ reply }}\n— {{ site_name }}",
        ),
        "en": (
            "[{{ tracking_number }}] A reply from {{ agency }}",
            "{{ agency }} replied to report {{ tracking_number }}:\n{{ reply }}\n— {{ site_name }}",
        ),
    },
    "report_resolved": {
        "id": (
            "[{{ tracking_number }}] Laporan Anda selesai ditindaklanjuti",
            "Laporan {{ tracking_number }} telah selesai ditindaklanjuti. Mohon konfirmasi apakah masalahnya "
            "sudah beres dan beri penilaian lewat {{ link }} (jangan bagikan tautan ini). Tanpa tanggapan, "
            "laporan ditutup otomatis setelah 10 hari kerja. — {{ site_name }}",
        ),
        "en": (
            "[{{ tracking_number }}] Your report has been resolved",
            "Report {{ tracking_number }} has been resolved. Please confirm whether the problem is fixed and "
            "rate our service at {{ link }} (do not share this link). Without an answer the report closes "
            "automatically after 10 working days. — {{ site_name }}",
        ),
    },
    "report_closed": {
        "id": (
            "[{{ tracking_number }}] Laporan Anda ditutup",
            "Laporan {{ tracking_number }} telah ditutup.{% if message %} Catatan: {{ message }}{% endif %} "
            "Terima kasih telah melapor. — {{ site_name }}",
        ),
        "en": (
            "[{{ tracking_number }}] Your report has been closed",
            "Report {{ tracking_number }} has been closed.{% if message %} Note: {{ message }}{% endif %} "
            "Thank you for reporting. — {{ site_name }}",
        ),
    },
    "staff_disposition_new": {
        "id": (
            "[{{ tracking_number }}] Disposisi baru untuk {{ agency }}",
            "Laporan {{ tracking_number }} ({{ category }}) didisposisikan ke {{ agency }} sebagai "
            "{{ role|lower }}.\n"
            "{% if is_confidential %}Laporan ini RAHASIA: buka isinya hanya di ruang kerja.\n"
            "{% else %}Isi: {{ excerpt }}\n{% endif %}"
            "{% if instruction %}Instruksi: {{ instruction }}\n{% endif %}"
            "Tindak lanjut pertama paling lambat {{ follow_up_due" + DATE + " }}.\n{{ link }}",
        ),
        "en": (
            "[{{ tracking_number }}] New disposition for {{ agency }}",
            "Report {{ tracking_number }} ({{ category }}) was disposed to {{ agency }} ({{ role|lower }}).\n"
            "{% if is_confidential %}This report is CONFIDENTIAL: read it in the workspace only.\n"
            "{% else %}Text: {{ excerpt }}\n{% endif %}"
            "{% if instruction %}Instruction: {{ instruction }}\n{% endif %}"
            "First follow-up due by {{ follow_up_due" + DATE + " }}.\n{{ link }}",
        ),
    },
    "staff_disposition_returned": {
        "id": (
            "[{{ tracking_number }}] Disposisi dikembalikan oleh {{ agency }}",
            "{{ agency }} mengembalikan disposisi laporan {{ tracking_number }} ({{ category }}) sebagai bukan "
            "wewenangnya. Alasan: {{ reason }}\nStatus laporan: {{ status }}.\n{{ link }}",
        ),
        "en": (
            "[{{ tracking_number }}] Disposition returned by {{ agency }}",
            "{{ agency }} returned the disposition of report {{ tracking_number }} ({{ category }}) as outside "
            "its authority. Reason: {{ reason }}\nReport status: {{ status }}.\n{{ link }}",
        ),
    },
}

DIGEST_BODY = {
    "id": (
        "Yth. {{ name }},\n\n"
        "{% if overdue %}Disposisi yang sudah melewati tenggat:\n"
        "{% for item in overdue %}- {{ item.tracking_number }} ({{ item.category }}, {{ item.agency }}), "
        'tenggat {{ item.due|date:"j F Y" }}: {{ item.link }}\n{% endfor %}\n{% endif %}'
        "{% if due_soon %}Disposisi yang jatuh tempo dalam satu hari kerja:\n"
        "{% for item in due_soon %}- {{ item.tracking_number }} ({{ item.category }}, {{ item.agency }}), "
        'tenggat {{ item.due|date:"j F Y H:i" }}: {{ item.link }}\n{% endfor %}\n{% endif %}'
        "— {{ site_name }}"
    ),
    "en": (
        "Dear {{ name }},\n\n"
        "{% if overdue %}Dispositions past their deadline:\n"
        "{% for item in overdue %}- {{ item.tracking_number }} ({{ item.category }}, {{ item.agency }}), "
        'due {{ item.due|date:"j F Y" }}: {{ item.link }}\n{% endfor %}\n{% endif %}'
        "{% if due_soon %}Dispositions due within one working day:\n"
        "{% for item in due_soon %}- {{ item.tracking_number }} ({{ item.category }}, {{ item.agency }}), "
        'due {{ item.due|date:"j F Y H:i" }}: {{ item.link }}\n{% endfor %}\n{% endif %}'
        "— {{ site_name }}"
    ),
}
TEMPLATES["staff_work_due_soon"] = {
    "id": ("[{{ site_name }}] {{ due_soon|length }} disposisi segera jatuh tempo ({{ date" + DATE + " }})", ""),
    "en": ("[{{ site_name }}] {{ due_soon|length }} dispositions due soon ({{ date" + DATE + " }})", ""),
}
TEMPLATES["staff_work_overdue"] = {
    "id": (
        "[{{ site_name }}] {{ overdue|length }} disposisi terlambat, {{ due_soon|length }} segera jatuh tempo",
        "",
    ),
    "en": ("[{{ site_name }}] {{ overdue|length }} dispositions overdue, {{ due_soon|length }} due soon", ""),
}


def seed(apps, schema_editor):
    MessageTemplate = apps.get_model("notify", "MessageTemplate")
    for code, languages in TEMPLATES.items():
        for language, (subject, body) in languages.items():
            MessageTemplate.objects.get_or_create(
                code=code,
                language=language,
                channel="any",
                defaults={"subject": subject, "body": body or DIGEST_BODY[language]},
            )


def unseed(apps, schema_editor):
    apps.get_model("notify", "MessageTemplate").objects.filter(code__in=TEMPLATES, channel="any").delete()


class Migration(migrations.Migration):
    dependencies = [("notify", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
