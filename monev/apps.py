from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class MonevConfig(AppConfig):
    name = "monev"
    verbose_name = _("Monitoring dan evaluasi")

    def ready(self):
        from monev import receivers  # noqa: F401  (keeps the rollup in step with the events)

        post_migrate.connect(fill_rollup_after_migrate, sender=self)


def fill_rollup_after_migrate(sender, using="default", verbosity=1, stdout=None, **kwargs):
    """An installation that had reports before the rollup existed gets it built by its
    ``migrate``, with no step by hand: when there are reports and none of them is in the
    rollup yet. Afterwards the events keep it (monev/receivers.py); a rollup left behind
    (an edit made outside the actions) is rebuilt by ``manage.py rebuild_monev_rollup``."""
    from django.db import connections

    from monev import rollup
    from monev.models import RollupReport
    from reports.models import Report

    if RollupReport._meta.db_table not in connections[using].introspection.table_names():
        return  # monev migrated backwards
    if RollupReport.objects.using(using).exists() or not Report.objects.using(using).exists():
        return
    done = rollup.rebuild()  # on the default database, which migrate just brought up
    if verbosity and stdout is not None:
        stdout.write(f"  Monev rollup built from {done} reports.\n")
