"""A calendar entry is national (no government: every government's calendar) or one
government's own. The entries an installation made before governments were its own local
corrections, so they become its government's."""

import django.db.models.deletion
from django.db import migrations, models


def assign_to_installation_government(apps, schema_editor):
    alias = schema_editor.connection.alias
    government = apps.get_model("governments", "Government").objects.using(alias).order_by("pk").first()
    apps.get_model("core", "CalendarEntry").objects.using(alias).update(government=government)


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0003_scheduled_job"),
        ("governments", "0002_installation_government"),
    ]

    operations = [
        migrations.AddField(
            "calendarentry",
            "government",
            models.ForeignKey(
                blank=True,
                help_text="Kosongkan untuk semua pemerintah daerah (koreksi nasional).",
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="governments.government",
                verbose_name="pemerintah daerah",
            ),
        ),
        migrations.AlterField("calendarentry", "date", models.DateField(verbose_name="tanggal")),
        migrations.AddConstraint(
            "calendarentry",
            models.UniqueConstraint(
                condition=models.Q(government__isnull=True), fields=("date",), name="calendar_national_date"
            ),
        ),
        migrations.AddConstraint(
            "calendarentry",
            models.UniqueConstraint(fields=("government", "date"), name="calendar_government_date"),
        ),
        migrations.RunPython(assign_to_installation_government, migrations.RunPython.noop, hints={"reseed": False}),
    ]
