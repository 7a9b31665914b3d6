"""The region's government becomes NOT NULL, in its own migration (its own transaction:
PostgreSQL will not alter a table with the fill's pending foreign-key checks)."""

import django.db.models.deletion
from django.db import migrations, models

import governments.models


class Migration(migrations.Migration):
    dependencies = [("agencies", "0007_region_government")]

    operations = [
        migrations.AlterField(
            "region",
            "government",
            models.ForeignKey(
                default=governments.models.installation_government,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="regions",
                to="governments.government",
                verbose_name="pemerintah daerah",
            ),
        ),
    ]
