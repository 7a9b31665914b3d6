"""Default rules for the report's own deadline steps: the coordinators are reminded one
working day before the verification (and objection answer) deadline; the executives'
digest lists it after two working days overdue. The administrator edits them in the admin."""

from django.db import migrations


def seed(apps, schema_editor):
    Rule = apps.get_model("escalation", "EscalationRule")
    for step in ("verification", "objection"):
        Rule.objects.get_or_create(step=step, defaults={"remind_days_before": 1, "escalate_after_days": 2})


def unseed(apps, schema_editor):
    apps.get_model("escalation", "EscalationRule").objects.filter(step__in=["verification", "objection"]).delete()


class Migration(migrations.Migration):
    dependencies = [("escalation", "0003_report_steps")]
    operations = [migrations.RunPython(seed, unseed)]
