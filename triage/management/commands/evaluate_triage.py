"""Train on one labeled file, evaluate on another, print the figures; optionally score
duplicate pairs and print their precision/recall sweep. Files: JSONL or CSV with text,
category, agency (free strings; id and the place — region or kelurahan, lat, lon,
address — when pairs name rows by id); pairs with text_a, text_b, label (same/different)
or a, b (row ids of --test or --train), same_problem (true/false)."""

import time

from django.core.management.base import BaseCommand, CommandError

from triage import classifier, conf, dataset, evaluation, gazetteer, keywords
from triage.duplicate_score import DuplicateScorer, kelurahan_index
from triage.similarity import TextSimilarity


class Command(BaseCommand):
    help = "Latih pada berkas berlabel lalu ukur akurasi saran dan deteksi duplikat."

    def add_arguments(self, parser):
        parser.add_argument("--train", required=True, help="Berkas latih (JSONL atau CSV).")
        parser.add_argument("--test", required=True, help="Berkas uji (JSONL atau CSV).")
        parser.add_argument("--pairs", help="Pasangan teks berlabel same/different (JSONL atau CSV).")
        parser.add_argument(
            "--keywords",
            choices=["default", "none"],
            default="default",
            help="default: campur dengan kata kunci bawaan (dicocokkan dengan nama kategori); none: model saja.",
        )
        parser.add_argument(
            "--threshold", type=float, help="Ambang duplikat (bawaan: ADUAN_TRIAGE_DUPLICATE_THRESHOLD)."
        )
        parser.add_argument(
            "--duplicates",
            choices=["place", "text"],
            default="place",
            help="place: skor tempat + masalah (bawaan); text: kemiripan teks saja (pembanding lama).",
        )
        parser.add_argument(
            "--gazetteer",
            choices=["rows", "none"],
            default="rows",
            help="rows: gazetir tempat dari baris berkas latih dan uji yang punya tempat (tanpa label); "
            "none: tanpa gazetir.",
        )

    def handle(self, *args, **options):
        try:
            train = dataset.read_examples(options["train"])
            test = dataset.read_examples(options["test"])
            pairs = None
            sides = {**dataset.read_sides(options["train"]), **dataset.read_sides(options["test"])}
            if options["pairs"]:
                pairs = dataset.read_pairs(options["pairs"], sides)
        except dataset.DatasetError as error:
            raise CommandError(str(error)) from None
        if pairs is not None and not pairs:
            raise CommandError("Berkas pasangan kosong.")
        if not test:
            raise CommandError("Berkas uji kosong.")
        # The rules the suggestions blend are also the model's prior knowledge in training
        # (classifier.rule_documents), as train_model gives it the installation's rules.
        rules = None
        if options["keywords"] == "default":
            rules = keywords.rules_for_labels(sorted({e.category for e in train if e.text.strip() and e.category}))
        started = time.perf_counter()
        try:
            model = classifier.train(train, rules=rules)
        except ValueError:
            raise CommandError("Berkas latih tidak memuat contoh berlabel.") from None
        if options["gazetteer"] == "rows":
            # The installation's reports with a place, as train_model reads them: their
            # words, kelurahan and pin, never their labels; each side's own pin is left
            # out when it is placed (Side.key).
            model.gazetteer = gazetteer.learn(sides.values())
        train_seconds = time.perf_counter() - started
        report = evaluation.evaluate_classifier(
            model, test, rules=rules, keyword_weight=conf.keyword_weight(), keyword_gate=conf.keyword_gate()
        )
        write = self.stdout.write
        write(f"train examples: {model.n_examples}  categories: {len(model.categories)}  time: {train_seconds:.2f} s")
        if model.choice is not None:
            scores = "  ".join(f"C={c:g}: {score:.4f}" for c, score in model.choice.scores.items())
            write(f"C chosen by cross-validation: {model.choice.c:g}" + (f"  ({scores})" if scores else ""))
        if model.gazetteer is not None:
            write(f"gazetteer: {len(model.gazetteer)} places, {len(model.gazetteer.links)} links")
        write(f"nearest-centroid weight (by examples per category): {model.centroid_weight:g}")
        if rules is not None:
            write(
                f"keyword rules matched to {len(rules)} of {len(model.categories)} categories"
                f"  (weight {conf.keyword_weight():g}, when the model's top probability < {conf.keyword_gate():g})"
            )
        write(f"test examples: {report.n}")
        write(f"category top-1 accuracy: {report.top1:.4f}")
        write(f"category top-3 accuracy: {report.top3:.4f}")
        write(f"agency accuracy: {report.agency:.4f}")
        write(f"agency wrong although the first category was right: {report.agency_overturned}")
        write(f"suggestion time: mean {report.mean_ms:.2f} ms  p95 {report.p95_ms:.2f} ms")
        write("per-class precision / recall (support):")
        width = max(len(label) for label in report.per_class)
        for label, (precision, recall, support) in report.per_class.items():
            write(f"  {label:<{width}}  {precision:.4f}  {recall:.4f}  ({support})")
        if pairs is not None:
            # The files' kelurahan are the government's: a row without one whose text names
            # one of them is read as of it, as a report is (duplicates.kelurahan_names).
            names = {side.region for side in sides.values() if side.region}
            self.write_pairs(model, pairs, options, kelurahan_index((name, name) for name in sorted(names)))

    def write_pairs(self, model, pairs, options, kelurahan=None):
        write = self.stdout.write
        if options["duplicates"] == "place":
            scorer = DuplicateScorer(model, kelurahan=kelurahan)
        else:
            scorer = TextSimilarity(model)
        threshold = options["threshold"] if options["threshold"] is not None else conf.duplicate_threshold()
        started = time.perf_counter()
        scored = evaluation.score_pairs(scorer, pairs)
        mean_ms = (time.perf_counter() - started) * 1000 / len(pairs)
        result = evaluation.pair_report(scored, threshold)
        write(f"duplicate pairs: {result.n}  threshold: {result.threshold:.2f}  scorer: {options['duplicates']}")
        write(
            f"duplicate precision: {result.precision:.4f}  recall: {result.recall:.4f}  f1: {result.f1:.4f}"
            f"  (tp {result.true_positive}, fp {result.false_positive}, fn {result.false_negative})"
        )
        write(f"duplicate scoring time: mean {mean_ms:.2f} ms per pair")
        write("threshold sweep (threshold  precision  recall  f1  tp fp fn):")
        for row in evaluation.sweep(scored):
            write(
                f"  {row.threshold:.2f}  {row.precision:.4f}  {row.recall:.4f}  {row.f1:.4f}"
                f"  {row.true_positive} {row.false_positive} {row.false_negative}"
            )
        best = evaluation.best_threshold(scored)
        write(
            f"best f1 threshold: {best.threshold:.2f}  precision: {best.precision:.4f}"
            f"  recall: {best.recall:.4f}  f1: {best.f1:.4f}"
        )
