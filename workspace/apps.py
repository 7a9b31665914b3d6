from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkspaceConfig(AppConfig):
    name = "workspace"
    verbose_name = _("Ruang kerja petugas")

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from core import choice_lists

        # The workspace's selects are drawn from lists kept in memory (core/choice_lists.py):
        # a change to one of their tables makes every process read them again.
        for model in ("reports.Category", "agencies.Agency", "agencies.Region"):
            for name, signal in (("save", post_save), ("delete", post_delete)):
                signal.connect(choice_lists.changed, sender=model, dispatch_uid=f"choice_lists:{model}:{name}")

        from reports.signals import event_written, reports_written
        from workspace import inbox_views

        # The inbox views' kept counts (workspace/inbox_views.py) go stale with any change
        # to a report of their government.
        post_save.connect(inbox_views.on_report_saved, sender="reports.Report", dispatch_uid="inbox_views:report")
        event_written.connect(inbox_views.on_event_written, dispatch_uid="inbox_views:event")
        reports_written.connect(inbox_views.on_reports_written, dispatch_uid="inbox_views:bulk")
