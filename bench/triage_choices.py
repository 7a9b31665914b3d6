"""How triage's tunable choices were made, reproducibly, without the held-out sets
(data/unseen.jsonl, data/ragam*.jsonl): the keyword blend's weight and gate on a 5-fold
cross-validation of the project's examples (data/all.jsonl) and on the validation set
written for it (data/validasi.jsonl, model trained on data/train.jsonl); the duplicate
score's weights, C and thresholds (triage/duplicate_fit.py) on data/pairs.jsonl and
data/validasi_dup_pairs.jsonl, cross-validated by incident. Prints the grid, the fitted
constants of triage/duplicate_score.py and the thresholds; asserts nothing.

Usage: .venv/bin/python bench/triage_choices.py
"""

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

# (weight, gate): gate 1.0 blends always; weight 0 is the model alone.
KEYWORD_GRID = [(0.0, 1.0)] + [(w, g) for w in (0.1, 0.3, 0.5) for g in (0.3, 0.4, 0.5, 0.6, 1.0)]


def keyword_counts(model, examples, counts):
    """Adds (top-1, top-3, agency, n) hits per (weight, gate) of ``model`` on ``examples``."""
    from triage import classifier, keywords

    rules = keywords.rules_for_labels(model.categories)
    for example in examples:
        for weight, gate in KEYWORD_GRID:
            categories, agencies = model.suggest(example.text, rules, weight, gate)
            ranked = [label for label, _ in classifier.top(categories, 3)]
            hits = counts.setdefault((weight, gate), [0, 0, 0, 0])
            hits[0] += ranked[0] == example.category
            hits[1] += example.category in ranked
            hits[2] += classifier.top(agencies, 1)[0][0] == example.agency
            hits[3] += 1


def print_counts(title, counts):
    print(title)
    for (weight, gate), (top1, top3, agency, n) in counts.items():
        figures = f"top-1 {top1 / n:.3f}  top-3 {top3 / n:.3f}  agency {agency / n:.3f}"
        print(f"  weight {weight:.1f}  gate {gate:.1f}:  {figures}")


def duplicate_pairs():
    """(pairs, groups, n_plain, n_placed): pairs.jsonl (each pair its own group), the
    placed pairs of validasi_dup and validasi2_dup (one group per incident), then the same
    placed pairs without pins."""
    import json

    from triage import dataset, duplicate_fit

    plain = dataset.read_pairs(dataset.DATA_DIR / "pairs.jsonl")
    placed, incidents = [], []
    for name in ("validasi_dup", "validasi2_dup"):
        sides = dataset.read_sides(dataset.DATA_DIR / f"{name}.jsonl")
        path = dataset.DATA_DIR / f"{name}_pairs.jsonl"
        placed += dataset.read_pairs(path, sides)
        incidents += [json.loads(line)["a"][:3] for line in path.read_text().splitlines() if line.strip()]
    pairs = plain + placed + duplicate_fit.without_pins(placed)
    groups = [f"pairs{i}" for i in range(len(plain))] + incidents + incidents
    return pairs, groups, len(plain), len(placed)


def fit_duplicates(model):
    from triage import duplicate_fit, evaluation
    from triage.duplicate_score import DuplicateScorer

    pairs, groups, n_plain, n_placed = duplicate_pairs()
    for name, scorer in (("with a model", DuplicateScorer(model)), ("lexicon only", DuplicateScorer(None))):
        rows, labels = duplicate_fit.feature_rows(scorer, pairs)
        found = duplicate_fit.fit(rows, labels, groups)
        print(f"duplicate score, {name}: {len(labels)} pairs")
        for strength, report in found.cv.items():
            print(f"  strength {strength:g}: out-of-fold best F1 {report.f1:.3f} at {report.threshold:.2f}")
        scored = list(zip(found.out_of_fold.tolist(), labels.tolist(), strict=True))
        for part, rows_of in (
            ("pairs.jsonl", slice(0, n_plain)),
            ("validasi_dup + validasi2_dup", slice(n_plain, n_plain + n_placed)),
            ("the same without pins", slice(n_plain + n_placed, None)),
        ):
            report = evaluation.pair_report(scored[rows_of], found.threshold)
            figures = f"P {report.precision:.3f}  R {report.recall:.3f}  F1 {report.f1:.3f}"
            print(f"  out-of-fold at {found.threshold:.2f}, {part}: {figures}")
        print(f"  chosen strength {found.strength:g}, threshold {found.threshold:.2f}")
        print(f"  weights = {found.weights}")
        print(f"  intercept = {found.intercept}")


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "aduan.settings")
    import django

    django.setup()
    from sklearn.model_selection import StratifiedKFold

    from triage import classifier, dataset

    every = dataset.read_examples(dataset.DATA_DIR / "all.jsonl")
    counts = {}
    folds = StratifiedKFold(5, shuffle=True, random_state=0)
    for fit, held in folds.split(every, [e.category for e in every]):
        model = classifier.train([every[i] for i in fit], candidates=(classifier.DEFAULT_C,))
        keyword_counts(model, [every[i] for i in held], counts)
    print_counts("keyword blend, 5-fold cross-validation of all.jsonl (C fixed at the default)", counts)
    model = classifier.train(dataset.read_examples(dataset.DATA_DIR / "train.jsonl"))
    counts = {}
    keyword_counts(model, dataset.read_examples(dataset.DATA_DIR / "validasi.jsonl"), counts)
    print_counts("keyword blend, validasi.jsonl (trained on train.jsonl)", counts)
    counts = {}
    keyword_counts(model, dataset.read_examples(dataset.DATA_DIR / "validasi2.jsonl"), counts)
    print_counts("keyword blend, validasi2.jsonl (trained on train.jsonl)", counts)
    fit_duplicates(model)


if __name__ == "__main__":
    main()
