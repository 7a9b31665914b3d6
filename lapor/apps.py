from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LaporConfig(AppConfig):
    name = "lapor"
    verbose_name = _("Jembatan SP4N-LAPOR!")

    def ready(self):
        from lapor import (
            receivers,  # noqa: F401  (connects event_written)
            tasks,  # noqa: F401  (enqueues the work the bridge announces)
        )
