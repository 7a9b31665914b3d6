"""Message templates of the escalation ladder (escalation/) and of the reminders before a
decree or an appointment expires (staffing/), in Indonesian and English, for any channel.
Never overwrites an edited row. Staff messages name the tracking number and category;
the text of a confidential report stays in the workspace."""

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
    "escalation_reminder": {
        "id": (
            "[{{ tracking_number }}] Pengingat: tenggat {{ step|lower }} {{ deadline" + DATE + " }}",
            "Disposisi laporan {{ tracking_number }} ({{ category }}) untuk {{ agency }} mencapai tenggat "
            "{{ step|lower }} pada {{ deadline" + DATETIME + " }}.\n" + EXCERPT_ID + "{{ link }}\n— {{ site_name }}",
        ),
        "en": (
            "[{{ tracking_number }}] Reminder: {{ step|lower }} due {{ deadline" + DATE + " }}",
            "The disposition of report {{ tracking_number }} ({{ category }}) to {{ agency }} is due "
            "({{ step|lower }}) on {{ deadline" + DATETIME + " }}.\n" + EXCERPT_EN + "{{ link }}\n— {{ site_name }}",
        ),
    },
    "escalation_overdue": {
        "id": (
            "[{{ tracking_number }}] Terlambat: {{ step|lower }} oleh {{ agency }}",
            "Disposisi laporan {{ tracking_number }} ({{ category }}) untuk {{ agency }} melewati tenggat "
            "{{ step|lower }} ({{ deadline"
            + DATETIME
            + " }}). Mohon pastikan segera ditindaklanjuti.\n"
            + EXCERPT_ID
            + "{{ link }}\n— {{ site_name }}",
        ),
        "en": (
            "[{{ tracking_number }}] Overdue: {{ step|lower }} by {{ agency }}",
            "The disposition of report {{ tracking_number }} ({{ category }}) to {{ agency }} is past its "
            "deadline ({{ step|lower }}, {{ deadline"
            + DATETIME
            + " }}). Please make sure it is followed up.\n"
            + EXCERPT_EN
            + "{{ link }}\n— {{ site_name }}",
        ),
    },
    "escalation_coordinator": {
        "id": (
            "[{{ tracking_number }}] Eskalasi: {{ agency }} terlambat {{ days_late }} hari kerja",
            "Disposisi laporan {{ tracking_number }} ({{ category }}) untuk {{ agency }} terlambat "
            "{{ days_late }} hari kerja dari tenggat {{ step|lower }} ({{ deadline"
            + DATETIME
            + " }}).\n"
            + EXCERPT_ID
            + "{{ link }}\n— {{ site_name }}",
        ),
        "en": (
            "[{{ tracking_number }}] Escalation: {{ agency }} {{ days_late }} working days late",
            "The disposition of report {{ tracking_number }} ({{ category }}) to {{ agency }} is "
            "{{ days_late }} working days past its deadline ({{ step|lower }}, {{ deadline"
            + DATETIME
            + " }}).\n"
            + EXCERPT_EN
            + "{{ link }}\n— {{ site_name }}",
        ),
    },
    "escalation_digest": {
        "id": (
            "[{{ site_name }}] {{ items|length }} disposisi tereskalasi ({{ date" + DATE + " }})",
            "Yth. {{ name }},\n\nDisposisi yang terlambat dan sudah dieskalasi ke koordinator:\n"
            "{% for item in items %}- {{ item.tracking_number }} ({{ item.category }}, {{ item.agency }}): "
            "{{ item.step|lower }}, tenggat {{ item.deadline" + DATE + " }}, terlambat {{ item.days_late }} "
            "hari kerja. {{ item.link }}\n{% endfor %}\n"
            "Beban kerja per perangkat daerah: {{ link }}\n— {{ site_name }}",
        ),
        "en": (
            "[{{ site_name }}] {{ items|length }} escalated dispositions ({{ date" + DATE + " }})",
            "Dear {{ name }},\n\nDispositions overdue and escalated to the coordinator:\n"
            "{% for item in items %}- {{ item.tracking_number }} ({{ item.category }}, {{ item.agency }}): "
            "{{ item.step|lower }}, due {{ item.deadline" + DATE + " }}, {{ item.days_late }} working days late. "
            "{{ item.link }}\n{% endfor %}\nWorkload per agency: {{ link }}\n— {{ site_name }}",
        ),
    },
    "decree_expiring": {
        "id": (
            "[{{ site_name }}] SK {{ number }} berakhir dalam {{ days_left }} hari",
            "Yth. {{ name }},\n\nSK {{ number }} berlaku sampai {{ last_day" + DATE + " }} "
            "({{ days_left }} hari lagi) untuk: {{ agencies }}.\nSetelah itu para petugas yang ditunjuk "
            "kehilangan akses. Siapkan dan terbitkan SK pembaruan.\nCakupan SK: {{ link }}\n— {{ site_name }}",
        ),
        "en": (
            "[{{ site_name }}] Decree {{ number }} ends in {{ days_left }} days",
            "Dear {{ name }},\n\nDecree {{ number }} is valid until {{ last_day" + DATE + " }} "
            "({{ days_left }} days left) for: {{ agencies }}.\nAfter that the staff it appoints lose access. "
            "Prepare and issue the renewal.\nDecree coverage: {{ link }}\n— {{ site_name }}",
        ),
    },
    "appointment_expiring": {
        "id": (
            "[{{ site_name }}] Penunjukan {{ person }} berakhir dalam {{ days_left }} hari",
            "Yth. {{ name }},\n\nPenunjukan {{ person }} sebagai {{ role|lower }} di {{ agency }} "
            "(SK {{ number }}) berakhir {{ last_day" + DATE + " }} ({{ days_left }} hari lagi).\n"
            "Cakupan SK: {{ link }}\n— {{ site_name }}",
        ),
        "en": (
            "[{{ site_name }}] Appointment of {{ person }} ends in {{ days_left }} days",
            "Dear {{ name }},\n\nThe appointment of {{ person }} as {{ role|lower }} at {{ agency }} "
            "(decree {{ number }}) ends on {{ last_day" + DATE + " }} ({{ days_left }} days left).\n"
            "Decree coverage: {{ link }}\n— {{ site_name }}",
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
    dependencies = [("notify", "0002_default_templates")]
    operations = [migrations.RunPython(seed, unseed)]
