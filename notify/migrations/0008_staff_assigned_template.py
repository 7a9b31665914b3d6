"""The message a staff member gets when work is given to them: a report assigned to a
coordinator by a colleague, a disposition assigned to a liaison or operator, or handed over
to them when its holder's appointment ended. In Indonesian and English, for any channel;
never the reporter's identity, and for a confidential report only its tracking number and
category."""

from django.db import migrations

DATE = '|date:"j F Y"'
EXCERPT_ID = (
    "{% if is_confidential %}Laporan ini RAHASIA: buka isinya hanya di ruang kerja.\n"
    "{% else %}Isi: {{ excerpt }}\n{% endif %}"
)
EXCERPT_EN = (
    "{% if is_confidential %}This report is CONFIDENTIAL: read it in the workspace only.\n"
    "{% else %}Text: {{ excerpt }}\n{% endif %}"
)

TEMPLATES = {
    "staff_assigned": {
        "id": (
            "[{{ tracking_number }}] Ditugaskan kepada Anda",
            "{% if handed_over %}Laporan {{ tracking_number }} ({{ category }}) dialihkan kepada Anda"
            "{% elif assigned_by %}{{ assigned_by }} menugaskan laporan {{ tracking_number }} ({{ category }}) "
            "kepada Anda{% else %}Laporan {{ tracking_number }} ({{ category }}) ditugaskan kepada Anda{% endif %}{% if agency %} untuk {{ agency }}{% endif %}.\n"
            + EXCERPT_ID
            + "{% if resolution_due %}Tenggat penyelesaian: {{ resolution_due"
            + DATE
            + " }}.\n{% endif %}{{ link }}\n— {{ site_name }}",
        ),
        "en": (
            "[{{ tracking_number }}] Assigned to you",
            "{% if handed_over %}Report {{ tracking_number }} ({{ category }}) was handed over to you"
            "{% elif assigned_by %}{{ assigned_by }} assigned report {{ tracking_number }} ({{ category }}) to you"
            "{% else %}Report {{ tracking_number }} ({{ category }}) was assigned to you{% endif %}{% if agency %} for {{ agency }}{% endif %}.\n"
            + EXCERPT_EN
            + "{% if resolution_due %}Resolution due by {{ resolution_due"
            + DATE
            + " }}.\n{% endif %}{{ link }}\n— {{ site_name }}",
        ),
    },
}


def seed(apps, schema_editor):
    MessageTemplate = apps.get_model("notify", "MessageTemplate")
    for code, languages in TEMPLATES.items():
        for language, (subject, body) in languages.items():
            MessageTemplate.objects.get_or_create(
                code=code, language=language, channel="any", defaults={"subject": subject, "body": body}
            )


def unseed(apps, schema_editor):
    apps.get_model("notify", "MessageTemplate").objects.filter(code__in=TEMPLATES, channel="any").delete()


class Migration(migrations.Migration):
    dependencies = [("notify", "0007_canned_reply")]
    operations = [migrations.RunPython(seed, unseed)]
