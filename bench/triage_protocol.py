"""Issue 18's protocol on a labeled file: train on two thirds, test on the rest
(stratified 3-fold, two seeds), the labels renamed so no keyword rule matches them (the
strangers' sets have their own label names), the model alone. Prints top-1, top-3 and
agency per file and, with ``--confusion``, the categories most often taken for another
(by their own names; run it on the choosing sets, validasi + validasi2: reading the
held-out sets' confusions is tuning on them); asserts nothing. The figures of
triage/README.md's fourth and fifth sessions.

Usage: .venv/bin/python bench/triage_protocol.py [--confusion] validasi.jsonl+validasi2.jsonl [more …]
(file names in triage/data/; "+" joins files into one set)
"""

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def renamed(examples):
    from triage.classifier import Example

    names = {}
    return [Example(e.text, names.setdefault(e.category, f"kat{len(names):02d}"), e.agency) for e in examples]


def protocol(examples, seeds=(0, 1), confusion=None):
    """Mean (top-1, top-3, agency) over the folds; ``confusion`` (a Counter), when given,
    counts (true category, first suggestion) for every wrong first suggestion."""
    import numpy as np
    from sklearn.model_selection import StratifiedKFold

    from triage import classifier

    original = {new.category: old.category for old, new in zip(examples, renamed(examples), strict=True)}
    examples, figures = renamed(examples), []
    for seed in seeds:
        folds = StratifiedKFold(3, shuffle=True, random_state=seed)
        for fit, held in folds.split(examples, [e.category for e in examples]):
            model = classifier.train([examples[i] for i in fit])
            top1 = top3 = agency = 0
            for i in held:
                categories, agencies = model.suggest(examples[i].text)
                ranked = [label for label, _ in classifier.top(categories, 3)]
                top1 += ranked[0] == examples[i].category
                if confusion is not None and ranked[0] != examples[i].category:
                    confusion[original[examples[i].category], original[ranked[0]]] += 1
                top3 += examples[i].category in ranked
                agency += classifier.top(agencies, 1)[0][0] == examples[i].agency
            figures.append((top1 / len(held), top3 / len(held), agency / len(held)))
    return np.mean(figures, axis=0)


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "aduan.settings")
    import django

    django.setup()
    from collections import Counter

    from triage import dataset

    show = "--confusion" in sys.argv[1:]
    for spec in [a for a in sys.argv[1:] if a != "--confusion"]:
        examples = [e for name in spec.split("+") for e in dataset.read_examples(dataset.DATA_DIR / name)]
        confusion = Counter()
        top1, top3, agency = protocol(examples, confusion=confusion)
        print(f"{spec}: top-1 {top1:.3f}  top-3 {top3:.3f}  agency {agency:.3f}")
        for (truth, taken), count in confusion.most_common(15) if show else ():
            print(f"  {count}× {truth} → {taken}")


if __name__ == "__main__":
    main()
