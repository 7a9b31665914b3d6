"""Triage settings, each overridable in aduan/settings.py (defaults here, so the embedded
setup just works). Named ADUAN_TRIAGE_* like every setting of Aduan's own; a settings file
that still says TRIAGE_* is honoured."""

from pathlib import Path

from django.conf import settings


def _setting(name, default):
    """``ADUAN_<name>``, else the name from before the ADUAN_ rule, else ``default``."""
    return getattr(settings, f"ADUAN_{name}", getattr(settings, name, default))


def model_path() -> Path:
    """Where ``train_triage`` writes the model and suggestions read it (local disk)."""
    default = Path(settings.MEDIA_ROOT) / "triage" / "model.joblib"
    return Path(_setting("TRIAGE_MODEL_PATH", default))


def keyword_weight() -> float:
    return _setting("TRIAGE_KEYWORD_WEIGHT", 0.3)


def keyword_gate() -> float:
    """The keyword rules blend in only when the model's top category probability is below
    this (a fallback where the model is unsure; 1.0: always). Chosen on the 5-fold
    cross-validation of the project's examples and on data/validasi.jsonl
    (triage/README.md, "Classifier"), never on the held-out unseen set."""
    return _setting("TRIAGE_KEYWORD_GATE", 0.3)


def duplicate_threshold(*, with_model=True) -> float:
    """Score (triage/duplicate_score.py) from which two reports are likely the same
    problem: the best-F1 threshold of ``evaluate_triage`` on the shipped development pairs
    (triage/README.md, "Duplicates"). Without a trained model the kind of problem comes
    from the lexicon alone, which has its own calibration."""
    if not with_model:
        return settings.ADUAN_TRIAGE_DUPLICATE_THRESHOLD_NO_MODEL
    return settings.ADUAN_TRIAGE_DUPLICATE_THRESHOLD


def typing_threshold() -> float:
    """Lower bar for the call-center panel: a half-typed text resembles less."""
    return _setting("TRIAGE_TYPING_THRESHOLD", 0.2)


def duplicate_days() -> int:
    return _setting("TRIAGE_DUPLICATE_DAYS", 30)


def duplicate_distance_m() -> float:
    return _setting("TRIAGE_DUPLICATE_DISTANCE_M", 300)
