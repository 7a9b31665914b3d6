from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from reports.actions import auto_close_due_reports


class Command(BaseCommand):
    help = _("Menutup laporan berstatus selesai yang tidak ditanggapi pelapor selama 10 hari kerja.")

    def handle(self, *args, **options):
        closed = auto_close_due_reports()
        self.stdout.write(
            ngettext("%(n)d laporan ditutup otomatis.", "%(n)d laporan ditutup otomatis.", closed) % {"n": closed}
        )
