"""Issue 18's protocol on a labeled file: train on two thirds, test on the rest
(stratified 3-fold, two seeds), the labels renamed so no keyword rule matches them (the
strangers' sets have their own label names), the model alone. Prints top-1, top-3 and
agency per file; asserts nothing. The figures of triage/README.md's fourth session.

Usage: .venv/bin/python bench/triage_protocol.py validasi.jsonl+validasi2.jsonl [more …]
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


def protocol(examples, seeds=(0, 1)):
    import numpy as np
    from sklearn.model_selection import StratifiedKFold

    from triage import classifier

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
                top3 += examples[i].category in ranked
                agency += classifier.top(agencies, 1)[0][0] == examples[i].agency
            figures.append((top1 / len(held), top3 / len(held), agency / len(held)))
    return np.mean(figures, axis=0)


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "aduan.settings")
    import django

    django.setup()
    from triage import dataset

    for spec in sys.argv[1:]:
        examples = [e for name in spec.split("+") for e in dataset.read_examples(dataset.DATA_DIR / name)]
        top1, top3, agency = protocol(examples)
        print(f"{spec}: top-1 {top1:.3f}  top-3 {top3:.3f}  agency {agency:.3f}")


if __name__ == "__main__":
    main()
