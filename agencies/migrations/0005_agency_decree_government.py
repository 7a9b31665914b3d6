"""Agencies and decrees belong to a government: the existing ones to the installation's
government (governments.0002), then the column becomes NOT NULL. An agency's name is
unique within its government now (every kota has its Dinas Perhubungan)."""

import django.db.models.deletion
from django.db import migrations, models

import governments.models


def assign_to_installation_government(apps, schema_editor):
    alias = schema_editor.connection.alias
    government = apps.get_model("governments", "Government").objects.using(alias).order_by("pk").first()
    for model in ("Agency", "Decree"):
        apps.get_model("agencies", model).objects.using(alias).filter(government__isnull=True).update(
            government=government
        )


def government_field(related_name, *, null):
    options = {"default": governments.models.installation_government} if not null else {"null": True}
    return models.ForeignKey(
        on_delete=django.db.models.deletion.PROTECT,
        related_name=related_name,
        to="governments.government",
        verbose_name="pemerintah daerah",
        **options,
    )


class Migration(migrations.Migration):
    dependencies = [
        ("agencies", "0004_region_centre"),
        ("governments", "0002_installation_government"),
    ]

    operations = [
        migrations.AddField("agency", "government", government_field("agencies", null=True)),
        migrations.AddField("decree", "government", government_field("decrees", null=True)),
        migrations.RunPython(assign_to_installation_government, migrations.RunPython.noop, hints={"reseed": False}),
    ]
