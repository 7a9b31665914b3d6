from django.apps import AppConfig


class TriageConfig(AppConfig):
    name = "triage"
    verbose_name = "Triase"

    def ready(self):
        from triage import receivers  # noqa: F401  (connects to reports.signals.event_written)
