import time

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from core.errors import DomainError
from demo import city as demo


class Command(BaseCommand):
    help = _(
        "Memuat provinsi contoh (Provinsi Jawa Timur) dengan dua kota (Kota Blitar, Kota Kediri): wilayah, "
        "perangkat daerah, kategori, akun untuk setiap peran dan laporan dalam setiap status. Hanya berjalan "
        "pada basis data yang belum berisi perangkat daerah."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--reports", type=int, default=300, help=_("Jumlah laporan contoh Kota Blitar (bawaan 300).")
        )
        parser.add_argument("--seed", type=int, default=2026, help=_("Benih acak, agar hasilnya dapat diulang."))

    def handle(self, *args, reports, seed, **options):
        if demo.has_city():
            self.stdout.write(_("Basis data sudah berisi perangkat daerah; tidak ada yang diubah."))
            self._print_logins(demo.demo_logins())
            return
        started = time.monotonic()
        try:
            result = demo.load(reports=max(0, reports), seed=seed)
        except DomainError as error:  # e.g. a government with the demo's slug or prefix exists
            raise CommandError(error.message) from error
        self.stdout.write(
            self.style.SUCCESS(
                _("Kota contoh dimuat: %(n)d laporan dalam %(s).1f detik.")
                % {"n": result.reports, "s": time.monotonic() - started}
            )
        )
        self._print_logins(result.users)

    def _print_logins(self, rows):
        if not rows:
            return
        header = (_("Nama pengguna"), _("Peran"), _("Perangkat daerah"))
        widths = [max(len(str(row[i])) for row in [header, *rows]) for i in range(3)]
        line = "  ".join(f"{{:<{w}}}" for w in widths)
        self.stdout.write("")
        self.stdout.write(_("Akun contoh (kata sandi untuk semua: %(password)s)") % {"password": demo.DEMO_PASSWORD})
        self.stdout.write(line.format(*header).rstrip())
        self.stdout.write(line.format(*("-" * w for w in widths)).rstrip())
        for row in rows:
            self.stdout.write(line.format(*row).rstrip())
