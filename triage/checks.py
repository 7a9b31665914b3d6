"""System checks of triage's settings."""

from django.conf import settings
from django.core import checks

# The duplicate thresholds' defaults before the weights were refitted in December 2026
# (duplicate_score.SCALE 1): an .env copied from the .env.example of then still sets them,
# and on the new weights' scale 0.24 lets through many pairs that are not the same problem.
RETIRED_THRESHOLDS = {
    "ADUAN_TRIAGE_DUPLICATE_THRESHOLD": (0.24, "0.45"),
    "ADUAN_TRIAGE_DUPLICATE_THRESHOLD_NO_MODEL": (0.39, "0.40"),
}


@checks.register()
def check_retired_duplicate_thresholds(app_configs=None, **kwargs):
    return [
        checks.Warning(
            f"{name}={old}: the default of the duplicate score's weights before December 2026.",
            hint=f"Remove the line from .env (the default is now {new}) or choose one with "
            "manage.py evaluate_triage --pairs; then run manage.py refresh_duplicates.",
            id="triage.W001",
        )
        for name, (old, new) in RETIRED_THRESHOLDS.items()
        if getattr(settings, name) == old
    ]
