import time

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from monev import rollup


class Command(BaseCommand):
    help = _("Bangun ulang rekap harian monev dari riwayat semua laporan.")

    def add_arguments(self, parser):
        parser.add_argument("--batch", type=int, default=2000, help=_("Jumlah laporan per bacaan."))

    def handle(self, *args, batch, **options):
        if batch < 1:
            self.stderr.write(_("--batch harus 1 atau lebih."))
            return
        started = time.monotonic()
        count = rollup.rebuild(batch=batch, progress=lambda n: self.stdout.write(_("%(n)d laporan…") % {"n": n}))
        self.stdout.write(
            _("Rekap monev dibangun ulang dari %(n)d laporan dalam %(s).1f detik.")
            % {"n": count, "s": time.monotonic() - started}
        )
