"""Fitting the duplicate score's weights (triage/duplicate_score.py ``WEIGHTS``) on
labelled pairs: a logistic regression over the pair features whose weights are pulled
towards the weights set by reasoning (``PRIOR``), not towards zero — a few hundred pairs
cannot teach every case (two texts alike but for the street named, unpinned, are rare in
them), and there the reasoned weight should stand. The pull's strength and the threshold
are chosen by a cross-validation that keeps each incident (the reports of one problem
and its decoys) in one fold, so a fold never scores pairs of an incident it was fitted on.

``bench/triage_choices.py`` runs it on the project's pairs and prints the constants the
module carries; nothing here runs at request time.
"""

from dataclasses import dataclass, replace

import numpy as np

from triage import evaluation
from triage.duplicate_score import FEATURES, features

# The weights set by reasoning before any fit (the first duplicate score of issue 18,
# made linear): kind 5·(kind − 0.45) when sure, words 8·(cos − 0.3), a pin's log-odds as
# they are, another kelurahan −2.5, a place named in both +1, another street or landmark
# named −5, another RT/RW −1.5.
PRIOR = {
    "kind": 5.0,
    "sure": -2.25,
    "words": 8.0,
    "pin_near": 1.0,
    "pin_far": 1.0,
    "other_kelurahan": -2.5,
    "place_match": 1.0,
    "place_conflict": -5.0,
    "rt_rw_conflict": -1.5,
    # Where the gazetteer places an unpinned report: a pin read second-hand (the mean of
    # other reports naming the place), so weaker than a pin; a link between a landmark
    # and a street, as a place named in both.
    "place_near": 0.7,
    "place_far": 0.7,
    "place_linked": 1.0,
}
PRIOR_INTERCEPT = -2.4
# How hard the weights are pulled towards PRIOR: λ/2·‖w − prior‖² beside the log-loss summed
# over the pairs; chosen by cross-validation (0.3 added in round 5: with 700 pairs the data
# may say more).
STRENGTHS = (0.3, 1.0, 3.0, 10.0, 30.0, 100.0)
FOLDS = 7
# The cross-validation is repeated with the incidents dealt into folds in this many ways:
# one dealing's best-F1 threshold moved from 0.27 to 0.41 when the same pairs were only
# renamed (round 5). The strength is chosen by the mean of the repeats' best F1, the
# threshold by the best F1 of all repeats' out-of-fold scores together.
REPEATS = 5
# Out-of-fold F1s this close are a tie (one pair of a hundred true ones moves F1 by about
# 0.01): the tie goes to the stronger pull towards the reasoned weights.
NEAR_TIE = 0.01


def without_pins(pairs):
    """The same pairs as if neither resident had pinned (the kelurahan and the text stay):
    many do not, and the weights of the places named should learn from those too."""
    return [(replace(a, latitude=None, longitude=None), replace(b, latitude=None, longitude=None), same)
            for a, b, same in pairs]  # fmt: skip


def feature_rows(scorer, pairs) -> tuple[np.ndarray, np.ndarray]:
    """(features matrix in ``FEATURES`` order, labels) of ``pairs`` as ``scorer`` reads them."""
    rows, labels = [], []
    for a, b, same in pairs:
        first, second = scorer.read([a, b])
        found = features(first, second, gazetteer=scorer.gazetteer)
        rows.append([found[name] for name in FEATURES])
        labels.append(bool(same))
    return np.array(rows, dtype=float).reshape(-1, len(FEATURES)), np.array(labels)


@dataclass
class Fit:
    weights: dict
    intercept: float
    strength: float
    threshold: float
    # candidate strength → the mean of its repeats' best out-of-fold F1
    cv: dict
    # out-of-fold scores of the chosen strength, one array per repeat, in the order of the rows
    out_of_fold: list


def fit_weights(rows, labels, strength, prior=None, prior_intercept=PRIOR_INTERCEPT):
    """(weights, intercept) minimising the log-loss + strength/2·‖w − prior‖² (the
    intercept free, starting from ``prior_intercept``), each weight kept on the side of
    zero its reasoned weight is on: a feature never turns against its reason (in the
    choosing pairs the "other problem, same spot" decoys name the place the true pairs
    name differently, which a free fit read as "the same place named is evidence of
    another problem")."""
    from scipy.optimize import minimize

    prior = np.array([(prior or PRIOR)[name] for name in FEATURES])
    y = labels.astype(float)

    def loss(theta):
        w, b = theta[:-1], theta[-1]
        z = rows @ w + b
        p = 1 / (1 + np.exp(-z))
        value = np.sum(np.logaddexp(0, z) - y * z) + strength / 2 * np.sum((w - prior) ** 2)
        gradient = np.append(rows.T @ (p - y) + strength * (w - prior), np.sum(p - y))
        return value, gradient

    bounds = [(0.0, None) if p > 0 else (None, 0.0) for p in prior] + [(None, None)]
    found = minimize(loss, np.append(prior, prior_intercept), jac=True, method="L-BFGS-B", bounds=bounds)
    return found.x[:-1], float(found.x[-1])


def _scores(rows, weights, intercept):
    return 1 / (1 + np.exp(-(rows @ weights + intercept)))


def folds_by_incident(groups, folds=FOLDS, repeats=REPEATS):
    """``repeats`` ways of dealing the incidents into ``folds`` folds (seeded, so a run
    repeats): a list of per-row fold numbers."""
    groups = np.asarray(groups)
    incidents = np.unique(groups)
    folds = min(folds, len(incidents))
    dealt = []
    for seed in range(repeats):
        order = np.random.default_rng(seed).permutation(len(incidents)) % folds
        fold_of = dict(zip(incidents.tolist(), order.tolist(), strict=True))
        dealt.append(np.array([fold_of[g] for g in groups.tolist()]))
    return dealt


def fit(rows, labels, groups, strengths=STRENGTHS, folds=FOLDS, repeats=REPEATS, sets=None) -> Fit:
    """Weights on all rows with the strongest pull whose out-of-fold scores reach the best
    mean F1 within NEAR_TIE, and that strength's threshold over them: the one of the best
    mean of the sets' F1 (``sets``: each row's set, its writer's; ``set_threshold``), or
    without ``sets`` the best-F1 threshold of all the rows together."""
    dealt = folds_by_incident(groups, folds, repeats)
    cv, scores = {}, {}
    for strength in strengths:
        outs = []
        for fold_of in dealt:
            out = np.zeros(len(labels))
            for fold in np.unique(fold_of):
                held = fold_of == fold
                weights, intercept = fit_weights(rows[~held], labels[~held], strength)
                out[held] = _scores(rows[held], weights, intercept)
            outs.append(out)
        scores[strength] = outs
        cv[strength] = float(np.mean([evaluation.best_threshold(_pairs(out, labels)).f1 for out in outs]))
    top = max(cv.values())
    best = max(strength for strength in strengths if cv[strength] >= top - NEAR_TIE)
    if sets is None:
        threshold = evaluation.best_threshold([pair for out in scores[best] for pair in _pairs(out, labels)]).threshold
    else:
        threshold = set_threshold(scores[best], labels, sets)
    weights, intercept = fit_weights(rows, labels, best)
    rounded = {name: round(float(w), 2) for name, w in zip(FEATURES, weights, strict=True)}
    return Fit(rounded, round(intercept, 2), best, threshold, cv, scores[best])


def set_threshold(outs, labels, sets, thresholds=evaluation.FINE):
    """The threshold of the best mean over the sets of each set's F1 (its rows' scores of
    every dealing together; ties → the middle, as ``evaluation.best_threshold``): each set
    counts once, whatever its number of pairs. Tried in round 8, not the default
    (``bench/triage_choices.py --sets-threshold``): on four sets it raised the
    leave-one-set-out F1 0.776 → 0.800 with a model (fitted without validasi_dup, the
    pooled pairs chose 0.14, the sets' mean 0.28), on five (validasi4_dup added) only
    0.811 → 0.815, and 0.764 → 0.746 for the lexicon alone (triage/README.md)."""
    sets = np.asarray(sets)
    names = list(dict.fromkeys(sets.tolist()))
    scored = {
        name: [pair for out in outs for pair in _pairs(out[sets == name], labels[sets == name])] for name in names
    }
    means = [float(np.mean([evaluation.pair_report(scored[n], t).f1 for n in names])) for t in thresholds]
    plateau = [t for t, mean in zip(thresholds, means, strict=True) if mean == max(means)]
    return plateau[(len(plateau) - 1) // 2]


def _pairs(scores, labels):
    return list(zip(scores.tolist(), labels.tolist(), strict=True))
