"""Build the triage model from the verified reports in the database (or a labeled file)
and write it where every process picks it up without a restart."""

import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from triage import classifier, conf, store, training


class Command(BaseCommand):
    help = "Latih model saran kategori dan perangkat daerah dari laporan terverifikasi."

    def add_arguments(self, parser):
        parser.add_argument("--min-examples", type=int, default=20, help="Minimum laporan terverifikasi.")
        parser.add_argument("--output", help="Tulis model ke berkas ini (bawaan: TRIAGE_MODEL_PATH).")

    def handle(self, *args, **options):
        examples = list(training.examples_from_database())
        if len(examples) < options["min_examples"]:
            raise CommandError(
                f"Baru {len(examples)} laporan terverifikasi berkategori (minimum {options['min_examples']}); "
                "saran memakai aturan kata kunci sampai model dilatih."
            )
        started = time.perf_counter()
        try:
            model = classifier.train(examples)
        except ValueError as error:
            raise CommandError(str(error)) from None
        seconds = time.perf_counter() - started
        path = store.save(model, Path(options["output"]) if options["output"] else conf.model_path())
        self.stdout.write(
            f"Model dilatih dari {model.n_examples} laporan ({len(model.categories)} kategori, "
            f"{len(model.agencies)} perangkat daerah) dalam {seconds:.1f} detik: {path}"
        )
