"""How triage's tunable choices were made, reproducibly, without the held-out sets
(data/unseen.jsonl, data/ragam*.jsonl): the keyword blend's weight and gate on a 5-fold
cross-validation of the project's examples (data/all.jsonl) and on the validation set
written for it (data/validasi.jsonl, model trained on data/train.jsonl); the duplicate
score's weights, C and thresholds (triage/duplicate_fit.py) on data/pairs.jsonl and
the placed sets ``DUPLICATE_SETS`` (validasi_dup, validasi2_dup, validasi3_dup,
validasi4_dup, validasi5_dup; the last three scored with a model trained on their own
trees, data/validasi3.jsonl, validasi4.jsonl and validasi5.jsonl),
cross-validated by incident. Prints the grid, the fitted
constants of triage/duplicate_score.py and the thresholds; asserts nothing.

Usage: .venv/bin/python bench/triage_choices.py [--duplicates-only] [--without-gazetteer]
[--demo-model-only] [--errors] [--by-set] [--sets-threshold] [--sets NAME,NAME,…]
(``--sets``: the placed duplicate sets of the fit instead of ``DUPLICATE_SETS``, e.g. every
choosing set validasi_dup … validasi9_dup: tried in the fourteenth session, not adopted,
triage/README.md)
(the duplicate fit reads the gazetteer of the placed files' reports, triage/gazetteer.py;
``--without-gazetteer`` fits again without it, for comparison). The pairs of a set that
comes with its own labeled category file (``OWN_TREE``) are scored with a model trained on
that file, as an installation's model is trained on its own tree; the others with a model
trained on data/train.jsonl (``--demo-model-only``: every set with that one, as before
round 6, for comparison). ``--errors`` prints the pairs the fit gets wrong out of fold,
with their features; ``--by-set`` leaves each set out in turn (fitted on the others, scored
at their threshold: the proxy for a stranger's set); ``--sets-threshold`` chooses the
threshold by the best mean of the sets' F1 instead of the best F1 of all pairs together
(tried in round 8, not adopted: triage/README.md).
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


# The placed duplicate sets of the fit (data/README.md), written for it by five writers
# (validasi4_dup joined in round 8, its fit printed, not written; validasi5_dup, measured
# only until then, in the tenth session — triage/README.md).
DUPLICATE_SETS = ("validasi_dup", "validasi2_dup", "validasi3_dup", "validasi4_dup", "validasi5_dup")
# A duplicate set written in its own category tree → the labeled file of that tree by the
# same writer (the installation's history): its pairs are scored with a model trained on
# it (round 6). The other sets are in the demo's tree (data/train.jsonl).
OWN_TREE = {f"validasi{n}_dup": f"validasi{n}.jsonl" for n in range(3, 10)}


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


def pair_rows(scorer_for, pairs, n_plain, n_placed, sides, gazetteer_on, sets=None):
    """Feature rows of ``pairs``; the gazetteer (when on) learned from ``sides`` (their
    words, kelurahan and pins, no label), and for each pair copied without pins from the
    sides with that pair's two unpinned as well (its own pins must not place it).
    ``scorer_for(gazetteer, set_name)`` gives the scorer of a pair of that set (``sets``:
    each pair's set name, "pairs.jsonl" for the plain ones)."""
    from dataclasses import replace

    import numpy as np

    from triage import duplicate_fit, gazetteer

    sets = sets or ["pairs.jsonl"] * len(pairs)
    learned = gazetteer.learn(sides) if gazetteer_on else None
    rows, labels = [], []
    for pair, name in zip(pairs[: n_plain + n_placed], sets, strict=False):
        found, label = duplicate_fit.feature_rows(scorer_for(learned, name), [pair])
        rows += list(found)
        labels += list(label)
    for (a, b, same), name in zip(pairs[n_plain + n_placed :], sets[n_plain + n_placed :], strict=True):
        own = None
        if gazetteer_on:
            unpinned = {a.key, b.key}
            own = gazetteer.learn(
                [replace(s, latitude=None, longitude=None) if s.key in unpinned else s for s in sides]
            )
        found, label = duplicate_fit.feature_rows(scorer_for(own, name), [(a, b, same)])
        rows += list(found)
        labels += list(label)
    return np.array(rows), np.array(labels)


def trained(name):
    """A model of the labeled file ``name`` (in triage/data/) trained as ``evaluate_triage``
    trains it: the rules of its labels' names join the examples (classifier.rule_documents),
    as an installation's rules join its reports in ``train_triage``."""
    from triage import classifier, dataset, keywords

    examples = dataset.read_examples(dataset.DATA_DIR / name)
    return classifier.train(examples, rules=keywords.rules_for_labels(sorted({e.category for e in examples})))


def set_models(model, own_tree=True, names=DUPLICATE_SETS):
    """Set name → the model its pairs are scored with: the set's own tree's model for
    the sets of ``names`` in ``OWN_TREE`` (trained here, once), ``model`` (data/train.jsonl's)
    for the rest."""
    from collections import defaultdict

    models = defaultdict(lambda: model)
    if own_tree:
        for name in names:
            if name in OWN_TREE:
                models[name] = trained(OWN_TREE[name])
    return models


def fit_duplicates(
    model, gazetteer_on=True, own_tree=True, errors=False, by_set=False, by_sets=False, names=DUPLICATE_SETS
):
    from triage.duplicate_score import DuplicateScorer, kelurahan_index

    pairs, groups, n_plain, n_placed, sides = duplicate_pairs(names)
    sets = ["pairs.jsonl"] * n_plain + [g.split(":")[0] for g in groups[n_plain:]]
    models = set_models(model, own_tree, names)
    # The files' kelurahan, as evaluate_triage reads them (fourteenth session: a row
    # without one is of the one its text names; the tenth session's fit read without).
    kelurahan = kelurahan_index((n, n) for n in sorted({side.region for side in sides if side.region}))
    for name, scorer_for in (
        ("with a model", lambda g, s: DuplicateScorer(models[s], gazetteer=g, kelurahan=kelurahan)),
        ("lexicon only", lambda g, s: DuplicateScorer(None, gazetteer=g, kelurahan=kelurahan)),
    ):
        rows, labels = pair_rows(scorer_for, pairs, n_plain, n_placed, sides, gazetteer_on, sets)
        own = ", ".join(n for n in names if n in OWN_TREE)
        trees = f"own-tree models for {own}" if own_tree else "train.jsonl's model for every set"
        print(f"duplicate score, {name}, gazetteer {'on' if gazetteer_on else 'off'}, {trees}: {len(labels)} pairs")
        part_of = _parts(sets, n_plain, n_placed)
        found = _report_fit(rows, labels, groups, part_of, by_sets)
        if errors:
            print_errors(found, rows, labels, pairs, part_of)
        if by_set:
            leave_one_set_out(rows, labels, groups, part_of, by_sets)


def _parts(sets, n_plain, n_placed):
    """Each row's part: its set, its set "without pins" for the copies without pins."""
    import numpy as np

    return np.array(
        ["pairs.jsonl"] * n_plain
        + sets[n_plain : n_plain + n_placed]
        + [s + " without pins" for s in sets[n_plain + n_placed :]]
    )


def _set_of(part_of):
    """Each row's set (its copy without pins in its set: one writer's pairs)."""
    import numpy as np

    return np.array([part.removesuffix(" without pins") for part in part_of.tolist()])


def _report_fit(rows, labels, groups, part_of, by_sets=False):
    import numpy as np

    from triage import duplicate_fit, evaluation

    found = duplicate_fit.fit(rows, labels, groups, sets=_set_of(part_of) if by_sets else None)
    for strength, f1 in found.cv.items():
        print(f"  strength {strength:g}: out-of-fold best F1 {f1:.3f} (mean of {duplicate_fit.REPEATS} dealings)")
    # Each part's F1 at the chosen threshold, the mean over the dealings.
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
    return found


def print_errors(found, rows, labels, pairs, part_of):
    """``--errors``: the pairs the fit gets wrong out of fold at its threshold (their
    score the mean of the dealings' out-of-fold scores), with their features — to see
    which kinds of pair the features miss."""
    import numpy as np

    from triage.duplicate_score import FEATURES

    mean = np.mean(found.out_of_fold, axis=0)
    for title, wrong in (
        ("false negatives (the same problem, scored below)", labels & (mean < found.threshold)),
        ("false positives (not the same, scored from)", ~labels & (mean >= found.threshold)),
    ):
        print(f"  {title}: {int(wrong.sum())}")
        for i in np.flatnonzero(wrong):
            a, b, _ = pairs[i]
            said = ", ".join(f"{n} {v:.2f}" for n, v in zip(FEATURES, rows[i], strict=True) if v)
            print(f"    [{part_of[i]}] {mean[i]:.2f}  {said}")
            for side in (a, b):
                if isinstance(side, str):  # pairs.jsonl: texts alone
                    print(f"      {side[:150]!r}")
                    continue
                pin = "pin" if side.latitude is not None else "no pin"
                print(f"      {side.region or '-'} / {pin} / {side.address or '-'}: {side.text[:150]!r}")


def leave_one_set_out(rows, labels, groups, part_of, by_sets=False):
    """``--by-set``: each set left out in turn, the weights, strength and threshold fitted
    on the others (duplicate_fit.fit, as the bench fits them), and the left-out set's
    pairs scored at that threshold — as a stranger's set is scored with constants fitted
    without it. The left-out set's pairs as they are (their pins), and its copies
    without pins."""
    import numpy as np

    from triage import duplicate_fit, evaluation

    sets = _set_of(part_of)
    results = {}
    for left in dict.fromkeys(sets.tolist()):
        kept = sets != left
        found = duplicate_fit.fit(
            rows[kept],
            labels[kept],
            [g for g, k in zip(groups, kept, strict=True) if k],
            sets=sets[kept] if by_sets else None,
        )
        weights = np.array(list(found.weights.values()))
        scores = 1 / (1 + np.exp(-(rows[~kept] @ weights + found.intercept)))
        figures = []
        for part in dict.fromkeys(part_of[~kept].tolist()):
            mine = part_of[~kept] == part
            scored = list(zip(scores[mine].tolist(), labels[~kept][mine].tolist(), strict=True))
            at = evaluation.pair_report(scored, found.threshold)
            best = evaluation.best_threshold(scored)
            results.setdefault(part == left, []).append(at.f1)
            figures.append(
                f"{part}: P {at.precision:.3f} R {at.recall:.3f} F1 {at.f1:.3f}"
                f" (best {best.f1:.3f} at {best.threshold:.2f})"
            )
        chosen = f"strength {found.strength:g}, threshold {found.threshold:.2f}"
        print(f"  left out {left} ({chosen}): " + "; ".join(figures))
    print(
        f"  leave-one-set-out F1, mean over the sets: {np.mean(results[True]):.3f} as they are"
        + (f", {np.mean(results[False]):.3f} without pins" if False in results else "")
    )


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

    if "--duplicates-only" not in sys.argv[1:]:
        keyword_choices()
    model = trained("train.jsonl")
    own_tree = "--demo-model-only" not in sys.argv[1:]
    options = {
        "errors": "--errors" in sys.argv[1:],
        "by_set": "--by-set" in sys.argv[1:],
        "by_sets": "--sets-threshold" in sys.argv[1:],
    }
    if "--sets" in sys.argv[1:]:
        options["names"] = tuple(sys.argv[sys.argv.index("--sets") + 1].split(","))
    fit_duplicates(model, gazetteer_on=True, own_tree=own_tree, **options)
    if "--without-gazetteer" in sys.argv[1:]:
        fit_duplicates(model, gazetteer_on=False, own_tree=own_tree, **options)


if __name__ == "__main__":
    main()
