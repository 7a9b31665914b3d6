"""manage.py import_holidays FILE.csv: regional holidays of the governments (governments/holidays.py)."""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from core.errors import DomainError
from governments.holidays import import_holidays


class Command(BaseCommand):
    help = _("Impor hari libur daerah dari berkas CSV: tanggal,nama,slug pemerintah daerah per baris.")

    def add_arguments(self, parser):
        parser.add_argument("path", help=_("Berkas CSV (UTF-8)."))

    def handle(self, *args, path, **options):
        try:
            with open(path, encoding="utf-8") as handle:
                text = handle.read()
        except OSError as error:
            raise CommandError(
                _("Berkas %(path)s tidak dapat dibaca: %(error)s") % {"path": path, "error": error.strerror}
            ) from None
        except UnicodeDecodeError:
            raise CommandError(_("Berkas %(path)s bukan teks UTF-8.") % {"path": path}) from None
        try:
            added, updated = import_holidays(text)
        except DomainError as error:
            raise CommandError(error.message) from error
        self.stdout.write(
            self.style.SUCCESS(
                _("Hari libur daerah: %(added)d ditambahkan, %(updated)d diperbarui.")
                % {"added": added, "updated": updated}
            )
        )
