from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = "Inti"

    def ready(self):
        from core import scheduler, signals  # noqa: F401  (scheduler: its system check)
