"""``manage.py restore ARCHIVE [--force] [--skip-numbers N]``: put a backup made by
``manage.py backup`` back onto an empty installation of the same Aduan version, check it,
and move the tracking numbers past those issued since the backup (core/backup.py)."""

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
        parser.add_argument(
            "--skip-numbers",
            type=int,
            metavar="N",
            help=_(
                "Lompati N nomor pelacakan (yang mungkin sudah diberikan setelah cadangan dibuat); "
                "bawaan: perkiraan dari laju harian × hari sejak cadangan × 2, paling sedikit 100."
            ),
        )

    def handle(self, *args, archive, force=False, skip_numbers=None, **options):
        if skip_numbers is not None and skip_numbers < 0:
            raise CommandError(_("--skip-numbers tidak boleh negatif."))
        try:
            result = backup.restore(archive, force=force, skip_numbers=skip_numbers)
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
        for line in result.notes:
            self.stdout.write(line)
