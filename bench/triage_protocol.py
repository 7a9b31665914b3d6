"""Issue 18's protocol on a labeled file: train on two thirds, test on the rest
(stratified 3-fold, two seeds), the labels renamed so no keyword rule matches them (the
strangers' sets have their own label names), the model alone. Prints top-1, top-3 and
agency per file and, with ``--confusion``, the categories most often taken for another
(by their own names; run it on the choosing sets, validasi + validasi2: reading the
held-out sets' confusions is tuning on them); asserts nothing. The figures of
triage/README.md's fourth to seventh sessions.

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

``--set NAME=VALUE`` (repeatable) sets a constant of triage/classifier.py or
triage/keywords.py for the run
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
    examples, seeds=(0, 1), confusion=None, named=False, keyword_weight=None, keyword_gate=None, inverse=False
):
    """Mean (top-1, top-3, agency) over the folds; ``confusion`` (a Counter), when given,
    counts (true category, first suggestion) for every wrong first suggestion. ``named``:
    labels kept, rules from their names in training and in the suggestions (the module
    docstring)."""
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
            model = classifier.train([examples[i] for i in fit], rules=rules)
            top1 = top3 = agency = 0
            for i in held:
                categories, agencies = model.suggest(examples[i].text, rules, weight, gate)
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

    from triage import classifier, dataset, keywords

    args = sys.argv[1:]
    show, named, inverse = "--confusion" in args, "--named" in args, "--inverse" in args
    blend = {}
    while "--set" in args:
        at = args.index("--set")
        name, value = args[at + 1].split("=", 1)
        del args[at : at + 2]
        if name in ("KEYWORD_WEIGHT", "KEYWORD_GATE"):
            blend[name] = float(value)
            continue
        module = next((m for m in (classifier, keywords) if hasattr(m, name)), None)
        if module is None:
            raise SystemExit(f"neither triage/classifier.py nor triage/keywords.py has {name}")
        current = getattr(module, name)
        setattr(module, name, value if isinstance(current, str) else type(current)(float(value)))
        print(f"{name} = {getattr(module, name)!r}")
    for spec in [a for a in args if a not in ("--confusion", "--named", "--inverse")]:
        examples = [e for name in spec.split("+") for e in dataset.read_examples(dataset.DATA_DIR / name)]
        confusion = Counter()
        top1, top3, agency = protocol(
            examples,
            confusion=confusion,
            named=named,
            keyword_weight=blend.get("KEYWORD_WEIGHT"),
            keyword_gate=blend.get("KEYWORD_GATE"),
            inverse=inverse,
        )
        kind = ("named" if named else "renamed") + (", inverse" if inverse else "")
        print(f"{spec} ({kind}): top-1 {top1:.3f}  top-3 {top3:.3f}  agency {agency:.3f}")
        for (truth, taken), count in confusion.most_common(15) if show else ():
            print(f"  {count}× {truth} → {taken}")


if __name__ == "__main__":
    main()
