"""Who may read each event's message: staff, the reporter, or the public as well.

Existing rows: a staff-only event stays with staff; a reporter's event with the reporter;
the messages the public pages used to print (a follow-up, an extension's reason, an
objection's answer, a closing word) stay public. The coordinator's verify message, which
the public page also printed, becomes the reporter's only: it was written to them.
"""

from django.db import migrations, models

PUBLISHED_BEFORE = ["follow_up", "information_extended", "objection_answered", "closed"]


def fill_audience(apps, schema_editor):
    ReportEvent = apps.get_model("reports", "ReportEvent")
    ReportEvent.objects.filter(is_public=True).update(audience="reporter")
    ReportEvent.objects.filter(is_public=True, action__in=PUBLISHED_BEFORE).update(audience="public")


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0007_report_owner"),
    ]

    operations = [
        migrations.AddField(
            model_name="reportevent",
            name="audience",
            field=models.CharField(
                choices=[("staff", "Hanya petugas"), ("reporter", "Pelapor"), ("public", "Publik")],
                default="staff",
                max_length=8,
                verbose_name="terlihat oleh",
            ),
        ),
        migrations.RunPython(fill_audience, migrations.RunPython.noop),
    ]
