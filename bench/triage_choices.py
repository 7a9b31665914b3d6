"""How triage's tunable choices were made, reproducibly, without the held-out sets
(data/unseen.jsonl, data/ragam*.jsonl): the keyword blend's weight and gate on a 5-fold
cross-validation of the project's examples (data/all.jsonl) and on the validation set
written for it (data/validasi.jsonl, model trained on data/train.jsonl); the duplicate
score's weights, C and thresholds (triage/duplicate_fit.py) on data/pairs.jsonl and
the placed sets ``DUPLICATE_SETS`` (validasi_dup, validasi2_dup, validasi3_dup),
cross-validated by incident. Prints the grid, the fitted
constants of triage/duplicate_score.py and the thresholds; asserts nothing.

Usage: .venv/bin/python bench/triage_choices.py [--duplicates-only] [--without-gazetteer]
(the duplicate fit reads the gazetteer of the placed files' reports, triage/gazetteer.py;
``--without-gazetteer`` fits again without it, for comparison)
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


# The placed duplicate sets of the fit (data/README.md): written for it by three writers.
DUPLICATE_SETS = ("validasi_dup", "validasi2_dup", "validasi3_dup")


def duplicate_pairs(names=DUPLICATE_SETS):
    """(pairs, groups, n_plain, n_placed, sides): pairs.jsonl (each pair its own group), the
    placed pairs of ``names`` (one group per incident: the rows' ``incident``, else the
    first three letters of the id, "v01a" → "v01"), then the same placed pairs without
    pins; ``sides`` every report of the placed files (the gazetteer's reports)."""
    import json

    from triage import dataset, duplicate_fit

    plain = dataset.read_pairs(dataset.DATA_DIR / "pairs.jsonl")
    placed, incidents, every = [], [], []
    for name in names:
        path = dataset.DATA_DIR / f"{name}.jsonl"
        sides = dataset.read_sides(path)
        every += list(sides.values())
        rows = [json.loads(line) for line in path.read_text().splitlines() if line.strip()]
        incident = {str(row["id"]): str(row.get("incident") or str(row["id"])[:3]) for row in rows}
        path = dataset.DATA_DIR / f"{name}_pairs.jsonl"
        placed += dataset.read_pairs(path, sides)
        pairs_rows = [json.loads(line) for line in path.read_text().splitlines() if line.strip()]
        incidents += [f"{name}:{incident[str(row['a'])]}" for row in pairs_rows]
    pairs = plain + placed + duplicate_fit.without_pins(placed)
    groups = [f"pairs{i}" for i in range(len(plain))] + incidents + incidents
    return pairs, groups, len(plain), len(placed), every


def pair_rows(scorer_for, pairs, n_plain, n_placed, sides, gazetteer_on):
    """Feature rows of ``pairs``; the gazetteer (when on) learned from ``sides`` (their
    words, kelurahan and pins, no label), and for each pair copied without pins from the
    sides with that pair's two unpinned as well (its own pins must not place it)."""
    from dataclasses import replace

    import numpy as np

    from triage import duplicate_fit, gazetteer

    learned = gazetteer.learn(sides) if gazetteer_on else None
    rows, labels = duplicate_fit.feature_rows(scorer_for(learned), pairs[: n_plain + n_placed])
    rows, labels = list(rows), list(labels)
    for a, b, same in pairs[n_plain + n_placed :]:
        own = None
        if gazetteer_on:
            unpinned = {a.key, b.key}
            own = gazetteer.learn(
                [replace(s, latitude=None, longitude=None) if s.key in unpinned else s for s in sides]
            )
        found, label = duplicate_fit.feature_rows(scorer_for(own), [(a, b, same)])
        rows += list(found)
        labels += list(label)
    return np.array(rows), np.array(labels)


def fit_duplicates(model, gazetteer_on=True):
    import numpy as np

    from triage import duplicate_fit, evaluation
    from triage.duplicate_score import DuplicateScorer

    pairs, groups, n_plain, n_placed, sides = duplicate_pairs()
    for name, scorer_for in (
        ("with a model", lambda g: DuplicateScorer(model, gazetteer=g)),
        ("lexicon only", lambda g: DuplicateScorer(None, gazetteer=g)),
    ):
        rows, labels = pair_rows(scorer_for, pairs, n_plain, n_placed, sides, gazetteer_on)
        found = duplicate_fit.fit(rows, labels, groups)
        print(f"duplicate score, {name}, gazetteer {'on' if gazetteer_on else 'off'}: {len(labels)} pairs")
        for strength, f1 in found.cv.items():
            print(f"  strength {strength:g}: out-of-fold best F1 {f1:.3f} (mean of {duplicate_fit.REPEATS} dealings)")
        # Each part's F1 at the chosen threshold, the mean over the dealings.
        part_of = np.array(
            ["pairs.jsonl"] * n_plain
            + [g.split(":")[0] for g in groups[n_plain : n_plain + n_placed]]
            + [g.split(":")[0] + " without pins" for g in groups[n_plain + n_placed :]]
        )
        for part in dict.fromkeys(part_of.tolist()):
            rows_of = part_of == part
            reports = [
                evaluation.pair_report(
                    list(zip(out[rows_of].tolist(), labels[rows_of].tolist(), strict=True)), found.threshold
                )
                for out in found.out_of_fold
            ]
            figures = "  ".join(
                f"{k} {np.mean([getattr(r, a) for r in reports]):.3f}"
                for k, a in (("P", "precision"), ("R", "recall"), ("F1", "f1"))
            )
            print(f"  out-of-fold at {found.threshold:.2f}, {part}: {figures}")
        print(f"  chosen strength {found.strength:g}, threshold {found.threshold:.2f}")
        print(f"  weights = {found.weights}")
        print(f"  intercept = {found.intercept}")


def keyword_choices():
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
    for name in ("validasi", "validasi2"):
        counts = {}
        keyword_counts(model, dataset.read_examples(dataset.DATA_DIR / f"{name}.jsonl"), counts)
        print_counts(f"keyword blend, {name}.jsonl (trained on train.jsonl)", counts)


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "aduan.settings")
    import django

    django.setup()
    from triage import classifier, dataset

    if "--duplicates-only" not in sys.argv[1:]:
        keyword_choices()
    model = classifier.train(dataset.read_examples(dataset.DATA_DIR / "train.jsonl"))
    fit_duplicates(model, gazetteer_on=True)
    if "--without-gazetteer" in sys.argv[1:]:
        fit_duplicates(model, gazetteer_on=False)


if __name__ == "__main__":
    main()
