"""The statuses seen in SP4N-LAPOR! exports, mapped to Aduan's (the administrator may change them)."""

from django.db import migrations

DEFAULTS = [
    ("belum terverifikasi", "Belum Terverifikasi", "received"),
    ("terverifikasi", "Terverifikasi", "verified"),
    ("terdisposisi ke *", "Terdisposisi ke …", "disposed"),
    ("ditindaklanjuti oleh instansi", "Ditindaklanjuti oleh Instansi", "in_progress"),
    ("ditanggapi oleh pelapor", "Ditanggapi oleh Pelapor", "in_progress"),
    ("selesai otomatis dalam 10 hari", "Selesai otomatis dalam 10 hari", "closed"),
    ("ditutup oleh admin", "Ditutup oleh Admin", "closed"),
    ("ditutup oleh sistem", "Ditutup oleh Sistem", "closed"),
    ("diarsipkan oleh admin", "Diarsipkan oleh Admin", "archived"),
    ("diarsipkan oleh sistem", "Diarsipkan oleh Sistem", "archived"),
]


def add_defaults(apps, schema_editor):
    StatusMapping = apps.get_model("lapor", "StatusMapping")
    for key, name, status in DEFAULTS:
        StatusMapping.objects.get_or_create(key=key, defaults={"lapor_name": name, "status": status})


def remove_defaults(apps, schema_editor):
    StatusMapping = apps.get_model("lapor", "StatusMapping")
    StatusMapping.objects.filter(key__in=[key for key, _name, _status in DEFAULTS], seen_count=0).delete()


class Migration(migrations.Migration):
    dependencies = [("lapor", "0001_initial")]
    operations = [migrations.RunPython(add_defaults, remove_defaults)]
