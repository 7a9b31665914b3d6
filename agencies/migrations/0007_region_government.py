"""Regions belong to a government: the existing ones (one city's kecamatan and kelurahan)
to the installation's government; the column becomes NOT NULL in 0008."""

import django.db.models.deletion
from django.db import migrations, models


def assign_to_installation_government(apps, schema_editor):
    alias = schema_editor.connection.alias
    government = apps.get_model("governments", "Government").objects.using(alias).order_by("pk").first()
    apps.get_model("agencies", "Region").objects.using(alias).filter(government__isnull=True).update(
        government=government
    )


class Migration(migrations.Migration):
    dependencies = [("agencies", "0006_agency_decree_government_required")]

    operations = [
        migrations.AddField(
            "region",
            "government",
            models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="regions",
                to="governments.government",
                verbose_name="pemerintah daerah",
            ),
        ),
        migrations.RunPython(assign_to_installation_government, migrations.RunPython.noop, hints={"reseed": False}),
    ]
