"""RollupReport.events: how many events a report's cells were computed from, so the
catch-up (monev.tasks.refresh_stale_rollup) finds the reports whose refresh task was lost.
Rows from before start at 0: the first catch-up refreshes the reports with an event in its
look-back window once (idempotent), the rest keep 0 until their next event."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("monev", "0002_rollup_per_government"),
    ]

    operations = [
        migrations.AddField(
            model_name="rollupreport",
            name="events",
            field=models.IntegerField(default=0),
        ),
    ]
