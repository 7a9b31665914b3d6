from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = "Inti"

    def ready(self):
        from core import audit, checks, scheduler, signals  # noqa: F401  (checks, scheduler: system checks)

        audit.register()
