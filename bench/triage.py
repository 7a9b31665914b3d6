"""Triage benchmark: on the demo city, time training (``train_triage``) and the
suggestion for a new report (model + keyword rules, as on intake), and print the
development-set figures of ``evaluate_triage``. Prints its numbers; asserts nothing.

Usage: .venv/bin/python bench/triage.py [--reports 300] [--repeat 3]
Uses a fresh SQLite file in bench/out/ unless DATABASE_URL is set (give it an empty one).
"""

import argparse
import os
import shutil
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.common import OUT, migrated  # noqa: E402


def setup():
    if "MEDIA_ROOT" not in os.environ:
        shutil.rmtree(OUT / "triage-media", ignore_errors=True)  # no model from an earlier run
        os.environ["MEDIA_ROOT"] = str(OUT / "triage-media")
    migrated("triage")


def percentile(values, p):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def timings(label, func, items, repeat):
    times = []
    for _ in range(repeat):
        for item in items:
            started = time.perf_counter()
            func(item)
            times.append((time.perf_counter() - started) * 1000)
    print(f"{label:<44} mean {statistics.mean(times):6.2f} ms   p95 {percentile(times, 95):6.2f} ms   n={len(times)}")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--reports", type=int, default=300)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    setup()
    from django.core.management import call_command

    from demo import city as demo
    from reports.models import Report
    from triage import actions, classifier, conf, dataset, evaluation, keywords, store
    from triage.duplicates import likely_duplicates, report_text

    started = time.perf_counter()
    demo.load(reports=args.reports, seed=2026)  # seeds the keyword rules and trains a model
    print(f"demo city loaded: {Report.objects.count()} reports in {time.perf_counter() - started:.1f} s")
    print(f"load average: {Path('/proc/loadavg').read_text().strip()}")
    conf.model_path().unlink(missing_ok=True)  # back to a city without a model
    reports = list(Report.objects.order_by("pk"))
    texts = [report_text(r) for r in reports]

    timings("suggestion, keyword rules only (cold start)", actions.suggest, texts, args.repeat)

    started = time.perf_counter()
    call_command("train_triage", min_examples=1)
    print(f"train_triage on the demo database: {time.perf_counter() - started:.2f} s (incl. reading reports)")
    store.current_model()  # first load from disk, as a fresh process would
    timings("suggestion, model + keyword rules", actions.suggest, texts, args.repeat)
    timings("triage_report (suggest + urgency + store)", actions.triage_report, reports, 1)
    timings("likely_duplicates of one report", likely_duplicates, reports[:100], 1)

    train = dataset.read_examples(dataset.DATA_DIR / "train.jsonl")
    test = dataset.read_examples(dataset.DATA_DIR / "test.jsonl")
    started = time.perf_counter()
    model = classifier.train(train)
    print(f"training on triage/data/train.jsonl ({len(train)} examples): {time.perf_counter() - started:.2f} s")
    rules = keywords.rules_for_labels(model.categories)
    result = evaluation.evaluate_classifier(
        model, test, rules=rules, keyword_weight=conf.keyword_weight(), keyword_gate=conf.keyword_gate()
    )
    print(
        f"development test set ({result.n}): top-1 {result.top1:.3f}  top-3 {result.top3:.3f}  "
        f"agency {result.agency:.3f}  mean {result.mean_ms:.2f} ms  p95 {result.p95_ms:.2f} ms"
    )


if __name__ == "__main__":
    main()
