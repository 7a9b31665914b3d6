"""The figures the evaluation command prints, as plain functions so a test can compare
them with hand-computed ones."""

import time
from dataclasses import dataclass, field

import numpy as np

from triage.classifier import top


@dataclass
class ClassifierReport:
    n: int
    top1: float
    top3: float
    agency: float
    # Examples whose first category was right but whose first agency was not: where
    # categories decide agencies this should be 0 (issue: agency below category).
    agency_overturned: int
    per_class: dict  # label → (precision, recall, support)
    mean_ms: float
    p95_ms: float
    timings: list = field(default_factory=list, repr=False)


def evaluate_classifier(model, examples, *, rules=None, keyword_weight=0.0, keyword_gate=1.0) -> ClassifierReport:
    top1 = top3 = agency_hits = agency_n = overturned = 0
    predicted, timings = [], []
    for example in examples:
        started = time.perf_counter()
        categories, agencies = model.suggest(example.text, rules, keyword_weight, keyword_gate)
        timings.append((time.perf_counter() - started) * 1000)
        ranked = [label for label, _ in top(categories, 3)]
        predicted.append(ranked[0])
        top1 += ranked[0] == example.category
        top3 += example.category in ranked
        if example.agency:
            agency_n += 1
            agency_right = bool(agencies) and top(agencies, 1)[0][0] == example.agency
            agency_hits += agency_right
            overturned += ranked[0] == example.category and not agency_right
    labels = sorted({e.category for e in examples} | set(predicted))
    per_class = {}
    for label in labels:
        tp = sum(p == label and e.category == label for p, e in zip(predicted, examples, strict=True))
        n_predicted = predicted.count(label)
        support = sum(e.category == label for e in examples)
        per_class[label] = (tp / n_predicted if n_predicted else 0.0, tp / support if support else 0.0, support)
    n = len(examples)
    return ClassifierReport(
        n=n,
        top1=top1 / n if n else 0.0,
        top3=top3 / n if n else 0.0,
        agency=agency_hits / agency_n if agency_n else 0.0,
        agency_overturned=overturned,
        per_class=per_class,
        mean_ms=float(np.mean(timings)) if timings else 0.0,
        p95_ms=float(np.percentile(timings, 95)) if timings else 0.0,
        timings=timings,
    )


@dataclass
class PairReport:
    n: int
    threshold: float
    precision: float
    recall: float
    f1: float
    true_positive: int
    false_positive: int
    false_negative: int


def score_pairs(scorer, pairs) -> list[tuple[float, bool]]:
    """(score, same) per pair. ``scorer.pair(a, b)`` takes texts or ``Side`` rows; a
    text-only scorer (the old TextSimilarity) gets the sides' texts."""
    text_only = not hasattr(scorer, "read")
    scored = []
    for a, b, same in pairs:
        if text_only:
            a, b = getattr(a, "text", a), getattr(b, "text", b)
        scored.append((scorer.pair(a, b), bool(same)))
    return scored


def pair_report(scored, threshold) -> PairReport:
    tp = fp = fn = 0
    for score, same in scored:
        said_same = score >= threshold
        tp += said_same and same
        fp += said_same and not same
        fn += same and not said_same
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return PairReport(len(scored), threshold, precision, recall, f1, tp, fp, fn)


def evaluate_pairs(scorer, pairs, threshold) -> PairReport:
    return pair_report(score_pairs(scorer, pairs), threshold)


SWEEP = tuple(round(0.05 * i, 2) for i in range(1, 20))  # 0.05 … 0.95
FINE = tuple(round(0.01 * i, 2) for i in range(1, 100))  # 0.01 … 0.99


def sweep(scored, thresholds=SWEEP) -> list[PairReport]:
    """Precision, recall and F1 at each threshold (the precision/recall curve)."""
    return [pair_report(scored, t) for t in thresholds]


def best_threshold(scored, thresholds=FINE) -> PairReport:
    """The threshold of best F1; where several tie (a plateau between two scores), the
    middle one, so the choice does not sit on the edge of one pair's score."""
    reports = sweep(scored, thresholds)
    best = max(r.f1 for r in reports)
    plateau = [r for r in reports if r.f1 == best]
    return plateau[(len(plateau) - 1) // 2]
