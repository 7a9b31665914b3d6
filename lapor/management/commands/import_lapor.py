"""``manage.py import_lapor <file> [--dry-run]``: import an SP4N-LAPOR! admin export."""

from django.core.management.base import BaseCommand, CommandError

from lapor.importer import run_import
from lapor.reader import LaporFileError


class Command(BaseCommand):
    help = "Impor ekspor admin SP4N-LAPOR! (XLSX atau CSV). --dry-run hanya menampilkan hasilnya."

    def add_arguments(self, parser):
        parser.add_argument("path")
        parser.add_argument("--dry-run", action="store_true", help="tampilkan hasil tanpa menyimpan apa pun")

    def handle(self, path, dry_run=False, **options):
        try:
            outcome = run_import(path, dry_run=dry_run)
        except FileNotFoundError:
            raise CommandError(f"Berkas tidak ditemukan: {path}") from None
        except LaporFileError as error:
            raise CommandError(str(error.message)) from None
        summary = outcome.as_dict()
        out = self.stdout
        out.write(("UJI COBA (tidak ada yang disimpan)" if dry_run else "IMPOR") + f": {path}")
        out.write(f"format {summary['format']}, baris judul {summary['header_row']}, {summary['rows']} baris data")
        for note in summary["notes"]:
            out.write(f"catatan: {note}")
        verb = "akan " if dry_run else ""
        out.write(f"{verb}dibuat: {summary['created']}  {verb}diperbarui: {summary['updated']}  "
                  f"tidak berubah: {summary['unchanged']}  ditolak: {summary['rejected']}  "
                  f"digantikan baris berikutnya: {summary['superseded']}")  # fmt: skip
        for row, tracking_id, reason in summary["rejected_rows"]:
            out.write(f"  baris {row} ({tracking_id or '-'}): ditolak — {reason}")
        for row, tracking_id, by in summary["superseded_rows"]:
            out.write(f"  baris {row} ({tracking_id}): digantikan baris {by}")
        for row, tracking_id, message in summary["warnings"]:
            out.write(f"  baris {row} ({tracking_id}): {message}")
        for kind, values in summary["unknown"].items():
            for value, count in values.items():
                out.write(f"  belum dipetakan ({kind}): {value} — {count} baris")
        if summary["failed"]:
            raise CommandError(summary["failed"])
