"""How triage's tunable choices were made, reproducibly, without the held-out sets
(data/unseen.jsonl, data/ragam*.jsonl): the keyword blend's weight and gate on a 5-fold
cross-validation of the project's examples (data/all.jsonl) and on the validation set
written for it (data/validasi.jsonl, model trained on data/train.jsonl). Prints the grid;
asserts nothing.

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


if __name__ == "__main__":
    main()
