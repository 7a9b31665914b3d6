"""Issue 18's figures for any checkout, old or new, on this checkout's data: the issue
protocol (stratified 3-fold x 2 seeds: train on 2/3 of a set, test on the rest), once with
the labels renamed and the model alone, once with the labels named and the keyword rules
from their names in training and in the suggestions, as ``evaluate_triage`` does by
default. Prints top-1 / top-3 / agency and the suggestion's mean / p95 ms per set. The
same code measures an older commit checked out elsewhere (``--root``), so old and new
run back to back on the same data (the closing notes' "old model" columns: bd0b603,
before issue 18). Asserts nothing.

Usage: .venv/bin/python bench/triage_heldout.py [--root DIR] SET [SET ...]
(SET: file names in triage/data/, "+" joins files into one set)
"""

import inspect
import os
import sys
import time
import warnings
from pathlib import Path

warnings.filterwarnings("ignore")
HERE = Path(__file__).resolve().parent.parent
# Imported (bench/triage_mine.py reads ``protocol``): this checkout, no sets of its own.
args = sys.argv[1:] if __name__ == "__main__" else []
root = str(HERE)
if args[:1] == ["--root"]:
    root, args = str(Path(args[1]).resolve()), args[2:]
sys.path.insert(0, root)
os.chdir(root)
os.environ["DJANGO_SETTINGS_MODULE"] = "aduan.settings"
import django  # noqa: E402

django.setup()
import numpy as np  # noqa: E402
from sklearn.model_selection import StratifiedKFold  # noqa: E402

from triage import classifier, conf, dataset, keywords  # noqa: E402

DATA = HERE / "triage" / "data"


def suggest(model, text, rules):
    """The suggestion as the checkout's evaluate_triage makes it (older ones had no gate)."""
    params = inspect.signature(model.suggest).parameters
    if rules is None:
        return model.suggest(text)
    kw = {"keyword_weight": conf.keyword_weight()}
    if "keyword_gate" in params:
        kw["keyword_gate"] = conf.keyword_gate()
    return model.suggest(text, rules, **kw)


def protocol(examples, named):
    if not named:
        names = {}
        examples = [
            classifier.Example(e.text, names.setdefault(e.category, f"kat{len(names):02d}"), e.agency) for e in examples
        ]
    figures, times = [], []
    train_params = inspect.signature(classifier.train).parameters
    for seed in (0, 1):
        for fit, held in StratifiedKFold(3, shuffle=True, random_state=seed).split(
            examples, [e.category for e in examples]
        ):
            part = [examples[i] for i in fit]
            rules = keywords.rules_for_labels(sorted({e.category for e in part})) if named else None
            if named and "rules" in train_params:
                model = classifier.train(part, rules=rules)
            else:
                model = classifier.train(part)
            if named:
                rules = keywords.rules_for_labels(model.categories)
            t1 = t3 = ag = 0
            for i in held:
                started = time.perf_counter()
                cats, agencies = suggest(model, examples[i].text, rules)
                times.append((time.perf_counter() - started) * 1000)
                ranked = [label for label, _ in classifier.top(cats, 3)]
                t1 += ranked[0] == examples[i].category
                t3 += examples[i].category in ranked
                ag += classifier.top(agencies, 1)[0][0] == examples[i].agency
            figures.append((t1 / len(held), t3 / len(held), ag / len(held)))
    return np.mean(figures, axis=0), np.mean(times), np.percentile(times, 95)


if __name__ == "__main__":
    for spec in args:
        examples = [e for n in spec.split("+") for e in dataset.read_examples(DATA / n)]
        for named in (False, True):
            (t1, t3, ag), mean, p95 = protocol(examples, named)
            print(
                f"{root} {spec} {'named ' if named else 'renamed'}: {t1:.3f} / {t3:.3f} / {ag:.3f}"
                f"  suggest {mean:.1f}/{p95:.1f} ms",
                flush=True,
            )
