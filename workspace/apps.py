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
