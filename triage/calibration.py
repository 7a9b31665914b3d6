"""The likely-duplicate threshold this installation has earned: calibrated on its
coordinators' decisions (DuplicateDecision) once there are enough of them.

Once the last ``WINDOW_DAYS`` days hold at least ``ADUAN_TRIAGE_DUPLICATE_CALIBRATE_MIN``
decisions of each kind (merged: the same problem; "Bukan masalah yang sama": not), the
threshold in use with a trained model is the best-F1 threshold of their scores
(``evaluation.best_threshold``: the sweep ``evaluate_triage`` prints, ties → the middle of
the tie), clamped to [``LOWEST``, ``HIGHEST``]; until then the setting
(``conf.duplicate_threshold``). The lexicon-only threshold (no model) stays the setting:
the decisions' scores were made with a model.

Kept in the cache (one query per ``TIMEOUT`` at most), computed again when a decision is
recorded (``refresh``) and when it expires, so the window moves on by itself."""

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone

from triage import conf
from triage.duplicate_score import SCALE

CACHE_KEY = "triage:duplicate_threshold:v1"
TIMEOUT = 3600
WINDOW_DAYS = 365
LOWEST, HIGHEST = 0.10, 0.90


@dataclass(frozen=True)
class Calibration:
    calibrated_threshold: float | None  # None: too few decisions, the setting is in use
    same: int
    not_same: int

    @property
    def decisions(self):
        """How many decisions it was calibrated on; 0: the setting (bawaan)."""
        return self.same + self.not_same if self.calibrated_threshold is not None else 0

    @property
    def calibrated(self):
        return self.calibrated_threshold is not None

    @property
    def threshold(self):
        if self.calibrated_threshold is None:
            return conf.duplicate_threshold()
        return self.calibrated_threshold


def minimum() -> int:
    return settings.ADUAN_TRIAGE_DUPLICATE_CALIBRATE_MIN


def compute(*, now=None) -> Calibration:
    """The calibration from the decisions of the last WINDOW_DAYS days (one query)."""
    from triage.evaluation import best_threshold
    from triage.models import DuplicateDecision

    since = (now or timezone.now()) - dt.timedelta(days=WINDOW_DAYS)
    # Only scores of the weights in use: a refit moves every score (actions.rescore_decisions).
    scored = list(DuplicateDecision.objects.filter(decided_at__gte=since, scale=SCALE).values_list("score", "same"))
    same = sum(1 for _score, is_same in scored if is_same)
    not_same = len(scored) - same
    if same < minimum() or not_same < minimum():
        return Calibration(None, same, not_same)
    best = best_threshold(scored).threshold
    return Calibration(min(HIGHEST, max(LOWEST, best)), same, not_same)


def refresh(*, now=None) -> Calibration:
    """Compute again and keep it (after a decision is recorded)."""
    calibration = compute(now=now)
    cache.set(CACHE_KEY, calibration, TIMEOUT)
    return calibration


def current() -> Calibration:
    calibration = cache.get(CACHE_KEY)
    if calibration is None:
        calibration = refresh()
    return calibration


def threshold(*, with_model=True) -> float:
    """The threshold in use: calibrated with a model when there are enough decisions, else
    the setting; without a model always the setting."""
    if not with_model:
        return conf.duplicate_threshold(with_model=False)
    return current().threshold
