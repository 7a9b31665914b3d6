"""Triage settings, each overridable in aduan/settings.py (defaults here, so the embedded
setup just works)."""

from pathlib import Path

from django.conf import settings


def model_path() -> Path:
    """Where ``train_triage`` writes the model and suggestions read it (local disk)."""
    default = Path(settings.MEDIA_ROOT) / "triage" / "model.joblib"
    return Path(getattr(settings, "TRIAGE_MODEL_PATH", default))


def keyword_weight() -> float:
    return getattr(settings, "TRIAGE_KEYWORD_WEIGHT", 0.3)


def duplicate_threshold(*, with_model=True) -> float:
    """Similarity from which two reports are likely the same problem (tuned on
    pairs.jsonl). Without a trained model the score is the text cosine alone, which needs
    its own bar."""
    if not with_model:
        return getattr(settings, "TRIAGE_DUPLICATE_THRESHOLD_NO_MODEL", 0.55)
    return getattr(settings, "TRIAGE_DUPLICATE_THRESHOLD", 0.6)


def typing_threshold() -> float:
    """Lower bar for the call-center panel: a half-typed text resembles less."""
    return getattr(settings, "TRIAGE_TYPING_THRESHOLD", 0.2)


def duplicate_days() -> int:
    return getattr(settings, "TRIAGE_DUPLICATE_DAYS", 30)


def duplicate_distance_m() -> float:
    return getattr(settings, "TRIAGE_DUPLICATE_DISTANCE_M", 300)
