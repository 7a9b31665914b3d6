"""Fill Report.current_deadline for the reports that exist (issue 21): what
ReportQuerySet.with_deadline() computes, written in batches of report ids, each its own
transaction (``atomic = False``), so a national table is not locked in one go."""

from django.db import migrations
from django.db.models import Case, F, OuterRef, Subquery, Value, When

BATCH = 10_000
# Only these states have a deadline; every other report keeps NULL.
WITH_DEADLINE = ["received", "verified", "on_hold", "objection", "disposed", "in_progress"]


def fill(apps, schema_editor):
    Report = apps.get_model("reports", "Report")
    Disposition = apps.get_model("reports", "Disposition")
    # The expression of reports.models.deadline_expression, frozen here as migrations must.
    disposition_due = (
        Disposition.objects.filter(report=OuterRef("pk"), is_active=True, state__in=["pending", "accepted"])
        .annotate(next_due=Case(When(state="pending", then=F("follow_up_due_at")), default=F("resolution_due_at")))
        .order_by(F("next_due").asc(nulls_last=True))
        .values("next_due")[:1]
    )
    deadline = Case(
        When(status__in=["received", "verified", "on_hold"], then=F("due_at")),
        When(status="objection", then=F("objection_due_at")),
        When(status__in=["disposed", "in_progress"], then=Subquery(disposition_due)),
        default=Value(None),
    )
    reports = Report.objects.using(schema_editor.connection.alias).filter(status__in=WITH_DEADLINE)
    last = reports.order_by("-pk").values_list("pk", flat=True).first() or 0
    for start in range(0, last + 1, BATCH):
        reports.filter(pk__gte=start, pk__lt=start + BATCH).update(current_deadline=deadline)


class Migration(migrations.Migration):
    atomic = False

    dependencies = [("reports", "0011_report_current_deadline")]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop, elidable=True, hints={"reseed": False})]
