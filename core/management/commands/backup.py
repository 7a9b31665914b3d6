"""``manage.py backup [--dir DIR] [--keep N]``: one dated archive of the database and the
uploaded files (core/backup.py), then all but the newest N archives deleted."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from core import backup


class Command(BaseCommand):
    help = _("Mencadangkan basis data dan berkas unggahan ke satu arsip bertanggal.")

    def add_arguments(self, parser):
        parser.add_argument("--dir", default=None, help=_("Folder arsip (bawaan: ADUAN_BACKUP_DIR)."))
        parser.add_argument(
            "--keep",
            type=int,
            default=None,
            help=_("Simpan N arsip terbaru, hapus yang lebih lama (bawaan: ADUAN_BACKUP_KEEP)."),
        )
        parser.add_argument(
            "--no-media",
            action="store_true",
            help=_("Basis data saja, tanpa berkas unggahan (mis. bucket yang dilindungi versioning dan replikasinya)."),
        )

    def handle(self, *args, dir=None, keep=None, no_media=False, **options):
        folder = dir or settings.ADUAN_BACKUP_DIR
        keep = settings.ADUAN_BACKUP_KEEP if keep is None else keep
        if keep < 1:
            raise CommandError(_("--keep harus paling sedikit 1."))
        try:
            result = backup.create(folder, keep=keep, with_media=not no_media)
        except backup.BackupError as exc:
            raise CommandError(str(exc)) from exc
        rows = result.manifest["rows"]
        self.stdout.write(
            _("Cadangan tersimpan: %(path)s (%(reports)d laporan, %(files)d berkas, %(size).1f MB)")
            % {
                "path": result.path,
                "reports": rows.get("reports.Report", 0),
                "files": result.manifest["media_files"],
                "size": result.path.stat().st_size / 1e6,
            }
        )
