"""Copy triage's urgency flag to Report.is_urgent for the reports that exist (issue 21),
in batches of report ids, each its own transaction (``atomic = False``), so a national
table is not locked in one go. Only urgent reports are written: the column's default is
the other answer."""

from django.db import migrations

BATCH = 10_000


def fill(apps, schema_editor):
    Report = apps.get_model("reports", "Report")
    ReportTriage = apps.get_model("triage", "ReportTriage")
    alias = schema_editor.connection.alias
    urgent = ReportTriage.objects.using(alias).filter(is_urgent=True)
    last = urgent.order_by("-report_id").values_list("report_id", flat=True).first() or 0
    for start in range(0, last + 1, BATCH):
        batch = urgent.filter(report_id__gte=start, report_id__lt=start + BATCH).values("report_id")
        Report.objects.using(alias).filter(pk__in=batch).update(is_urgent=True)


class Migration(migrations.Migration):
    atomic = False

    dependencies = [("reports", "0014_report_is_urgent"), ("triage", "0002_likely_duplicates")]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop, elidable=True, hints={"reseed": False})]
