"""Build the triage model from the verified reports in the database and write it where
every process picks it up without a restart."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from triage import actions


class Command(BaseCommand):
    help = "Latih model saran kategori dan perangkat daerah dari laporan terverifikasi."

    def add_arguments(self, parser):
        parser.add_argument(
            "--min-examples", type=int, default=actions.MIN_TRAINING_EXAMPLES, help="Minimum laporan terverifikasi."
        )
        parser.add_argument("--output", help="Tulis model ke berkas ini (bawaan: ADUAN_TRIAGE_MODEL_PATH).")

    def handle(self, *args, **options):
        try:
            model, path, seconds = actions.train_model(
                min_examples=options["min_examples"], path=Path(options["output"]) if options["output"] else None
            )
        except actions.TooFewExamples as error:
            raise CommandError(
                f"Baru {error.found} laporan terverifikasi berkategori (minimum {error.minimum}); "
                "saran memakai aturan kata kunci sampai model dilatih."
            ) from None
        except ValueError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(
            f"Model dilatih dari {model.n_examples} laporan ({len(model.categories)} kategori, "
            f"{len(model.agencies)} perangkat daerah) dalam {seconds:.1f} detik: {path}"
        )
