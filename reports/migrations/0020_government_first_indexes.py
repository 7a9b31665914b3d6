"""The government first in the indexes the staff pages and Open311 read (issue 20,
docs/performance.md "Province-sized"): in an installation of a province and its
kabupaten/kota every such query filters ``government_id = …`` (reports/access.py,
open311/params.py), and with the status first PostgreSQL read every government's entries
of the status and ANDed them with the government's: a city's inbox grew with the province.
Replaces the three status-first indexes (a single-government installation reads the same
entries through the new ones) and adds (government, received_at DESC) for Open311's window.
Plain CREATE INDEX, portable to SQLite: it holds off writes to the report table while it
builds (12 s for the four on 200,000 reports here), so at millions of rows run the
migration in a quiet hour.
"""

from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("agencies", "0008_region_government_required"),
        ("governments", "0002_installation_government"),
        ("reports", "0019_category_report_government_required"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name="report",
            name="reports_rep_status_70006c_idx",
        ),
        migrations.RemoveIndex(
            model_name="report",
            name="report_status_deadline",
        ),
        migrations.RemoveIndex(
            model_name="report",
            name="report_urgent_deadline",
        ),
        migrations.AddIndex(
            model_name="report",
            index=models.Index(fields=["government", "status", "due_at"], name="report_gov_status_due"),
        ),
        migrations.AddIndex(
            model_name="report",
            index=models.Index(fields=["government", "status", "current_deadline"], name="report_gov_status_deadline"),
        ),
        migrations.AddIndex(
            model_name="report",
            index=models.Index(
                condition=models.Q(
                    ("status__in", ["received", "verified", "on_hold", "objection", "disposed", "in_progress"])
                ),
                fields=["government", "-is_urgent", "current_deadline", "received_at", "id", "status"],
                name="report_gov_urgent_deadline",
            ),
        ),
        migrations.AddIndex(
            model_name="report",
            index=models.Index(fields=["government", "-received_at"], name="report_gov_received"),
        ),
    ]
