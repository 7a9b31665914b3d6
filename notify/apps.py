from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotifyConfig(AppConfig):
    name = "notify"
    verbose_name = _("Notifikasi")

    def ready(self):
        from notify import (
            receivers,  # noqa: F401  (connects to reports.signals.event_written)
            tasks,  # noqa: F401  (enqueues the delivery of a message ready to go)
        )
