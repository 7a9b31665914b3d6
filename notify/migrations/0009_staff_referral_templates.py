"""The messages of a referral between governments of the installation (reports/actions/
referrals.py): the receiving government's coordinators hear of a report referred to them,
the referring government's of one given back. In Indonesian and English, for any channel;
never the reporter's identity, and for a confidential report only its tracking number and
category."""

from django.db import migrations

EXCERPT_ID = (
    "{% if is_confidential %}Laporan ini RAHASIA: buka isinya hanya di ruang kerja.\n"
    "{% else %}Isi: {{ excerpt }}\n{% endif %}"
)
EXCERPT_EN = (
    "{% if is_confidential %}This report is CONFIDENTIAL: read it in the workspace only.\n"
    "{% else %}Text: {{ excerpt }}\n{% endif %}"
)

TEMPLATES = {
    "staff_referral_new": {
        "id": (
            "[{{ tracking_number }}] Rujukan dari {{ from_government }}",
            "{{ from_government }} merujuk laporan {{ tracking_number }} kepada {{ to_government }}. "
            "Alasan: {{ reason }}\n" + EXCERPT_ID + "Laporan menunggu verifikasi Anda.\n{{ link }}\n— {{ site_name }}",
        ),
        "en": (
            "[{{ tracking_number }}] Referred by {{ from_government }}",
            "{{ from_government }} referred report {{ tracking_number }} to {{ to_government }}. "
            "Reason: {{ reason }}\n" + EXCERPT_EN + "The report awaits your verification.\n{{ link }}\n— {{ site_name }}",
        ),
    },
    "staff_referral_returned": {
        "id": (
            "[{{ tracking_number }}] Rujukan dikembalikan oleh {{ from_government }}",
            "{{ from_government }} mengembalikan laporan {{ tracking_number }} yang Anda rujuk. "
            "Alasan: {{ reason }}\nLaporan kembali menunggu verifikasi Anda.\n{{ link }}\n— {{ site_name }}",
        ),
        "en": (
            "[{{ tracking_number }}] Referral returned by {{ from_government }}",
            "{{ from_government }} returned report {{ tracking_number }}, which you referred to it. "
            "Reason: {{ reason }}\nThe report awaits your verification again.\n{{ link }}\n— {{ site_name }}",
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
    dependencies = [("notify", "0008_staff_assigned_template")]
    operations = [migrations.RunPython(seed, unseed)]
