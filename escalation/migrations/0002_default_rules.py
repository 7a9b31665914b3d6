"""The ladder's default rules: a reminder one working day before each deadline, the
coordinator after two working days overdue. The administrator edits them in the admin."""

from django.db import migrations


def seed(apps, schema_editor):
    Rule = apps.get_model("escalation", "EscalationRule")
    for step in ("follow_up", "resolution"):
        Rule.objects.get_or_create(step=step, defaults={"remind_days_before": 1, "escalate_after_days": 2})


class Migration(migrations.Migration):
    dependencies = [("escalation", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
