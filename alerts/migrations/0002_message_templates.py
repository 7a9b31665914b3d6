"""Message templates of residents' alerts, in Indonesian and English, for any channel: the
confirmation link and the daily digest. Never a reporter's identity: a digest lists the
public reports' masked headlines, category, kelurahan and status (alerts/scope.py)."""

from django.db import migrations

ITEMS = (
    "{% for item in items %}\n"
    "- {{ item.tracking_number }} · {{ item.status }}\n"
    "  {{ item.title }}\n"
    "  {% if item.category %}{{ item.category }}{% endif %}{% if item.area %} · {{ item.area }}{% endif %}\n"
    "  {{ item.link }}\n"
    "{% endfor %}"
)

TEMPLATES = {
    "alert_confirm": {
        "id": (
            "Konfirmasi: ikuti {{ target }}",
            "Seseorang (semoga Anda) meminta kabar harian tentang {{ target }} dari {{ site_name }}.\n\n"
            "Untuk mulai menerima kabar, buka tautan ini lalu tekan tombol Konfirmasi:\n{{ confirm_link }}\n\n"
            "Bukan Anda? Abaikan pesan ini: tanpa konfirmasi kami tidak mengirim apa pun lagi.\n"
            "— {{ site_name }}",
        ),
        "en": (
            "Confirm: follow {{ target }}",
            "Someone (we hope you) asked {{ site_name }} for daily updates on {{ target }}.\n\n"
            "To start receiving them, open this link and press Confirm:\n{{ confirm_link }}\n\n"
            "Not you? Ignore this message: without a confirmation we send nothing more.\n"
            "— {{ site_name }}",
        ),
    },
    "alert_digest": {
        "id": (
            'Kabar {{ date|date:"j F Y" }}: {{ target }}',
            'Perkembangan laporan warga untuk {{ target }} pada {{ date|date:"j F Y" }}:\n'
            + ITEMS
            + "{% if more %}\n…dan {{ more }} laporan lain.\n{% endif %}\n"
            "Berhenti menerima kabar ini (satu klik): {{ unsubscribe_link }}\n"
            "— {{ site_name }}",
        ),
        "en": (
            'Updates {{ date|date:"j F Y" }}: {{ target }}',
            'Residents\' reports for {{ target }} on {{ date|date:"j F Y" }}:\n'
            + ITEMS
            + "{% if more %}\n…and {{ more }} more.\n{% endif %}\n"
            "Stop these updates (one click): {{ unsubscribe_link }}\n"
            "— {{ site_name }}",
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
    dependencies = [("alerts", "0001_initial"), ("notify", "0007_canned_reply")]
    operations = [migrations.RunPython(seed, unseed)]
