"""Store again the likely duplicates of every open report (triage.actions.refresh_all_duplicates):
after a new model or a new threshold, or once after an upgrade to fill the rows of reports
read before duplicates were stored. The report page finds a missing set on its first view
anyway; this spares that view the wait."""

import time

from django.core.management.base import BaseCommand

from triage.actions import refresh_all_duplicates


class Command(BaseCommand):
    help = "Hitung ulang kemungkinan duplikat setiap laporan terbuka."

    def handle(self, *args, **options):
        started = time.perf_counter()
        count = refresh_all_duplicates()
        seconds = time.perf_counter() - started
        self.stdout.write(f"Kemungkinan duplikat {count} laporan terbuka dihitung ulang ({seconds:.1f} detik).")
