"""Issue 18's protocol on a labeled file: train on two thirds, test on the rest
(stratified 3-fold, two seeds), the labels renamed so no keyword rule matches them (the
strangers' sets have their own label names), the model alone. Prints top-1, top-3 and
agency per file and, with ``--confusion``, the categories most often taken for another
(by their own names; run it on the choosing sets, validasi + validasi2: reading the
held-out sets' confusions is tuning on them); asserts nothing. The figures of
triage/README.md's fourth to eighth sessions.

``--named``: the same split with the labels kept, trained and suggested as
``evaluate_triage`` does with its default ``--keywords default``: the rules
``keywords.rules_for_labels`` makes from the training labels' names go to
``classifier.train`` (rule documents) and are blended into the suggestions with
``conf.keyword_weight()`` / ``conf.keyword_gate()``. On a set whose labels are the
lexicon's own names (validasi, validasi2, all) this is too kind; on one with its own
tree (validasi3) it checks the name path.

``--inverse``: train on one third, test on two thirds (one or two examples per category
on validasi + validasi2, where those sets are no longer saturated); not the issue's
protocol, a harder reading of the same choosing sets.

``--pool``: transductive, honestly: the held third is split in two halves and each
half's suggestions come from a model trained with the other half's texts (never their
labels, never the half's own texts) as its unlabeled reports (``classifier.train``'s
``unlabeled``), as an installation trains with its reports nobody has decided yet.
``--pool-extra FILE[+FILE]``: those files' texts join every pool (choosing sets only).

``--set NAME=VALUE`` (repeatable) sets a constant of triage/classifier.py,
triage/features.py or triage/keywords.py for the run
(``--set RULE_WEIGHT=0``), or the keyword blend (``--set KEYWORD_WEIGHT=0.5``,
``--set KEYWORD_GATE=0.4``): for comparing choices, nothing is written.

Usage: .venv/bin/python bench/triage_protocol.py [--confusion] [--named] [--inverse] [--set NAME=VALUE …]
       validasi.jsonl+validasi2.jsonl [more …]
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


def protocol(
    examples,
    seeds=(0, 1),
    confusion=None,
    named=False,
    keyword_weight=None,
    keyword_gate=None,
    inverse=False,
    pool=False,
    extra_pool=(),
    timings=None,
):
    """Mean (top-1, top-3, agency) over the folds; ``confusion`` (a Counter), when given,
    counts (true category, first suggestion) for every wrong first suggestion. ``named``:
    labels kept, rules from their names in training and in the suggestions (the module
    docstring). ``pool``: each half of the held part is suggested by a model given the
    other half's texts (and ``extra_pool``) as unlabeled reports. ``timings`` (a list),
    when given, gets every suggestion's time in ms."""
    import numpy as np
    from sklearn.model_selection import StratifiedKFold

    from triage import classifier, conf, keywords

    weight = conf.keyword_weight() if keyword_weight is None else keyword_weight
    gate = conf.keyword_gate() if keyword_gate is None else keyword_gate
    if named:
        original = {e.category: e.category for e in examples}
    else:
        original = {new.category: old.category for old, new in zip(examples, renamed(examples), strict=True)}
        examples = renamed(examples)
    figures = []
    for seed in seeds:
        folds = StratifiedKFold(3, shuffle=True, random_state=seed)
        for fit, held in folds.split(examples, [e.category for e in examples]):
            if inverse:
                fit, held = held, fit
            rules = keywords.rules_for_labels(sorted({examples[i].category for i in fit})) if named else None
            training = [examples[i] for i in fit]
            if pool:
                order = np.random.RandomState(seed).permutation(len(held))
                halves = [np.asarray(held)[order[: len(held) // 2]], np.asarray(held)[order[len(held) // 2 :]]]
                parts = [
                    (half, [examples[i].text for i in other] + list(extra_pool))
                    for half, other in (halves, halves[::-1])
                ]
            else:
                parts = [(held, [])]
            top1 = top3 = agency = 0
            for part, unlabeled in parts:
                model = classifier.train(training, rules=rules, unlabeled=unlabeled)
                hits = _read(model, [examples[i] for i in part], rules, weight, gate, original, confusion, timings)
                top1, top3, agency = top1 + hits[0], top3 + hits[1], agency + hits[2]
            figures.append((top1 / len(held), top3 / len(held), agency / len(held)))
    return np.mean(figures, axis=0)


def _read(model, held, rules, weight, gate, original, confusion, timings):
    """(top-1 hits, top-3 hits, agency hits) of ``model``'s suggestions for ``held``."""
    import time

    from triage import classifier

    top1 = top3 = agency = 0
    for example in held:
        started = time.perf_counter()
        categories, agencies = model.suggest(example.text, rules, weight, gate)
        if timings is not None:
            timings.append((time.perf_counter() - started) * 1000)
        ranked = [label for label, _ in classifier.top(categories, 3)]
        top1 += ranked[0] == example.category
        if confusion is not None and ranked[0] != example.category:
            confusion[original[example.category], original[ranked[0]]] += 1
        top3 += example.category in ranked
        agency += classifier.top(agencies, 1)[0][0] == example.agency
    return top1, top3, agency


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "aduan.settings")
    import django

    django.setup()
    from collections import Counter

    import numpy as np

    from triage import classifier, dataset, features, keywords

    args = sys.argv[1:]
    show, named, inverse, pool = (flag in args for flag in ("--confusion", "--named", "--inverse", "--pool"))
    extra_pool = []
    if "--pool-extra" in args:
        at = args.index("--pool-extra")
        extra_pool = [
            e.text for name in args[at + 1].split("+") for e in dataset.read_examples(dataset.DATA_DIR / name)
        ]
        del args[at : at + 2]
        pool = True
    blend = {}
    while "--set" in args:
        at = args.index("--set")
        name, value = args[at + 1].split("=", 1)
        del args[at : at + 2]
        if name in ("KEYWORD_WEIGHT", "KEYWORD_GATE"):
            blend[name] = float(value)
            continue
        module = next((m for m in (classifier, features, keywords) if hasattr(m, name)), None)
        if module is None:
            raise SystemExit(f"none of triage/classifier.py, features.py, keywords.py has {name}")
        current = getattr(module, name)
        setattr(module, name, value if isinstance(current, str) else type(current)(float(value)))
        print(f"{name} = {getattr(module, name)!r}")
    for spec in [a for a in args if a not in ("--confusion", "--named", "--inverse", "--pool")]:
        examples = [e for name in spec.split("+") for e in dataset.read_examples(dataset.DATA_DIR / name)]
        confusion, timings = Counter(), []
        top1, top3, agency = protocol(
            examples,
            confusion=confusion,
            named=named,
            keyword_weight=blend.get("KEYWORD_WEIGHT"),
            keyword_gate=blend.get("KEYWORD_GATE"),
            inverse=inverse,
            pool=pool,
            extra_pool=[text for text in extra_pool if text not in {e.text for e in examples}],
            timings=timings,
        )
        kind = ("named" if named else "renamed") + (", inverse" if inverse else "") + (", pool" if pool else "")
        print(
            f"{spec} ({kind}): top-1 {top1:.3f}  top-3 {top3:.3f}  agency {agency:.3f}"
            f"  suggestion {np.mean(timings):.2f} ms mean"
        )
        for (truth, taken), count in confusion.most_common(15) if show else ():
            print(f"  {count}× {truth} → {taken}")


if __name__ == "__main__":
    main()
