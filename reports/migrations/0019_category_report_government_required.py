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
    dependencies = [("reports", "0018_category_report_government")]

    operations = [
        migrations.AlterField("category", "government", government_field("categories", null=False)),
        migrations.AlterField("report", "government", government_field("reports", null=False)),
    ]
