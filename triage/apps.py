from django.apps import AppConfig


class TriageConfig(AppConfig):
    name = "triage"
    verbose_name = "Triase"

    def ready(self):
        from triage import checks, receivers  # noqa: F401  (registers the checks; connects to reports.signals.event_written)
