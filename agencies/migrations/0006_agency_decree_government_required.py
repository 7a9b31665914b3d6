"""The government column becomes NOT NULL, in its own migration (its own transaction:
PostgreSQL will not alter a table with the fill's pending foreign-key checks)."""


import django.db.models.deletion
from django.db import migrations, models

import governments.models


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
    dependencies = [("agencies", "0005_agency_decree_government")]

    operations = [
        migrations.AlterField("agency", "government", government_field("agencies", null=False)),
        migrations.AlterField("decree", "government", government_field("decrees", null=False)),
        migrations.AlterField("agency", "name", models.CharField(max_length=200, verbose_name="nama")),
        migrations.AddConstraint(
            "agency", models.UniqueConstraint(fields=("government", "name"), name="agency_unique_name")
        ),
    ]
