"""``manage.py restore ARCHIVE [--force]``: put a backup made by ``manage.py backup`` back
onto an empty installation of the same Aduan version, and check it (core/backup.py)."""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from core import backup


class Command(BaseCommand):
    help = _("Memulihkan cadangan (basis data dan berkas unggahan) ke instalasi yang masih kosong.")

    def add_arguments(self, parser):
        parser.add_argument("archive", help=_("Berkas aduan-backup-….tar.gz"))
        parser.add_argument(
            "--force", action="store_true", help=_("Timpa instalasi yang sudah berisi laporan (hati-hati).")
        )

    def handle(self, *args, archive, force=False, **options):
        try:
            result = backup.restore(archive, force=force)
        except backup.BackupError as exc:
            raise CommandError(str(exc)) from exc
        rows = result.manifest["rows"]
        self.stdout.write(
            _("Dipulihkan dari %(path)s: %(reports)d laporan, %(events)d peristiwa, %(files)d berkas; jumlah cocok.")
            % {
                "path": result.path,
                "reports": rows.get("reports.Report", 0),
                "events": rows.get("reports.ReportEvent", 0),
                "files": result.manifest["media_files"],
            }
        )
