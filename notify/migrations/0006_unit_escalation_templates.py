"""Message templates of the escalation ladder for a report's own deadlines (verification,
objection answer), which the coordinators hold: a reminder, overdue, escalated to the
executives. In Indonesian and English, for any channel; never the reporter's identity, and
for a confidential report only its tracking number and category. The executives' digest
now lists those too: its wording says "late work" instead of "dispositions" (rewritten
only where nobody edited it)."""

import importlib

from django.db import migrations

DATE = '|date:"j F Y"'
DATETIME = '|date:"j F Y H:i"'
EXCERPT_ID = (
    "{% if is_confidential %}Laporan ini RAHASIA: buka isinya hanya di ruang kerja.\n"
    "{% else %}Isi: {{ excerpt }}\n{% endif %}"
)
EXCERPT_EN = (
    "{% if is_confidential %}This report is CONFIDENTIAL: read it in the workspace only.\n"
    "{% else %}Text: {{ excerpt }}\n{% endif %}"
)

TEMPLATES = {
    "escalation_unit_reminder": {
        "id": (
            "[{{ tracking_number }}] Pengingat: tenggat {{ step|lower }} {{ deadline" + DATE + " }}",
            "Laporan {{ tracking_number }} ({{ category }}) mencapai tenggat {{ step|lower }} oleh koordinator "
            "pada {{ deadline" + DATETIME + " }}.\n" + EXCERPT_ID + "{{ link }}\n— {{ site_name }}",
        ),
        "en": (
            "[{{ tracking_number }}] Reminder: {{ step|lower }} due {{ deadline" + DATE + " }}",
            "Report {{ tracking_number }} ({{ category }}) is due for the coordinator ({{ step|lower }}) on "
            "{{ deadline" + DATETIME + " }}.\n" + EXCERPT_EN + "{{ link }}\n— {{ site_name }}",
        ),
    },
    "escalation_unit_overdue": {
        "id": (
            "[{{ tracking_number }}] Terlambat: {{ step|lower }} oleh koordinator",
            "Laporan {{ tracking_number }} ({{ category }}) TERLAMBAT: tenggat {{ step|lower }} oleh koordinator "
            "sudah lewat ({{ deadline"
            + DATETIME
            + " }}). Mohon segera diselesaikan; bila terlambat {{ escalate_after_days }} hari kerja, "
            "laporan ini masuk ringkasan harian pimpinan.\n" + EXCERPT_ID + "{{ link }}\n— {{ site_name }}",
        ),
        "en": (
            "[{{ tracking_number }}] Overdue: {{ step|lower }} by the coordinator",
            "Report {{ tracking_number }} ({{ category }}) is OVERDUE: the coordinator's deadline "
            "({{ step|lower }}, {{ deadline"
            + DATETIME
            + " }}) has passed. Please deal with it now; {{ escalate_after_days }} working days late, "
            "it goes into the executives' daily digest.\n" + EXCERPT_EN + "{{ link }}\n— {{ site_name }}",
        ),
    },
    "escalation_unit_escalated": {
        "id": (
            "[{{ tracking_number }}] Eskalasi: {{ step|lower }} terlambat {{ days_late }} hari kerja",
            "Laporan {{ tracking_number }} ({{ category }}) terlambat {{ days_late }} hari kerja dari tenggat "
            "{{ step|lower }} oleh koordinator ({{ deadline"
            + DATETIME
            + " }}) dan kini tercantum dalam ringkasan harian pimpinan.\n"
            + EXCERPT_ID
            + "{{ link }}\n— {{ site_name }}",
        ),
        "en": (
            "[{{ tracking_number }}] Escalation: {{ step|lower }} {{ days_late }} working days late",
            "Report {{ tracking_number }} ({{ category }}) is {{ days_late }} working days past the "
            "coordinator's deadline ({{ step|lower }}, {{ deadline"
            + DATETIME
            + " }}) and is now listed in the executives' daily digest.\n"
            + EXCERPT_EN
            + "{{ link }}\n— {{ site_name }}",
        ),
    },
}

# The digest's wording: it lists the coordinators' late reports too, not only dispositions.
DIGEST = {
    "id": (
        ("disposisi tereskalasi", "tenggat tereskalasi"),
        (
            "Disposisi yang terlambat dan sudah dieskalasi ke koordinator:",
            "Pekerjaan yang terlambat dan sudah dieskalasi:",
        ),
    ),
    "en": (
        ("escalated dispositions", "escalated deadlines"),
        ("Dispositions overdue and escalated to the coordinator:", "Work overdue and escalated:"),
    ),
}


def seed(apps, schema_editor):
    MessageTemplate = apps.get_model("notify", "MessageTemplate")
    for code, languages in TEMPLATES.items():
        for language, (subject, body) in languages.items():
            MessageTemplate.objects.get_or_create(
                code=code, language=language, channel="any", defaults={"subject": subject, "body": body}
            )
    seeded = importlib.import_module("notify.migrations.0004_escalation_templates").TEMPLATES["escalation_digest"]
    for language, ((old_subject, new_subject), (old_body, new_body)) in DIGEST.items():
        subject, body = seeded[language]
        MessageTemplate.objects.filter(
            code="escalation_digest", language=language, channel="any", subject=subject, body=body
        ).update(subject=subject.replace(old_subject, new_subject), body=body.replace(old_body, new_body))


def unseed(apps, schema_editor):
    apps.get_model("notify", "MessageTemplate").objects.filter(code__in=TEMPLATES, channel="any").delete()


class Migration(migrations.Migration):
    dependencies = [("notify", "0005_outbox_headers_and_order")]
    operations = [migrations.RunPython(seed, unseed)]
