"""Store again the likely duplicates of every open report (triage.actions.refresh_all_duplicates):
after a new model or a new threshold, or once after an upgrade to fill the rows of reports
read before duplicates were stored; and score again the coordinators' duplicate decisions
scored before a refit of the weights (triage.actions.rescore_decisions), which the
threshold's calibration reads. The report page finds a missing set on its first view
anyway; this spares that view the wait."""

import time

from django.core.management.base import BaseCommand

from triage.actions import refresh_all_duplicates, rescore_decisions


class Command(BaseCommand):
    help = "Hitung ulang kemungkinan duplikat setiap laporan terbuka."

    def handle(self, *args, **options):
        started = time.perf_counter()
        count = refresh_all_duplicates()
        rescored = rescore_decisions()
        seconds = time.perf_counter() - started
        self.stdout.write(
            f"Kemungkinan duplikat {count} laporan terbuka dihitung ulang, skor {rescored} keputusan duplikat "
            f"diperbarui ({seconds:.1f} detik)."
        )
