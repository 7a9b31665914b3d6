"""A government's own cells of the rollup are keyed by minus its id instead of 0 (one
scope per government, monev/rollup.py): the rollup is emptied here and ``migrate`` builds
it again at its end (monev.apps.fill_rollup_after_migrate), with no step by hand."""

from django.db import migrations


def empty_rollup(apps, schema_editor):
    alias = schema_editor.connection.alias
    apps.get_model("monev", "DailyRollup").objects.using(alias).all().delete()
    apps.get_model("monev", "RollupReport").objects.using(alias).all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("monev", "0001_rollup"),
        ("reports", "0019_category_report_government_required"),
    ]

    operations = [migrations.RunPython(empty_rollup, migrations.RunPython.noop, hints={"reseed": False})]
