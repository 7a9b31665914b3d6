"""Fill a benchmark database with N reports through the real actions.

Usage (from the project root): .venv/bin/python bench/seed.py N
Reports are spread over states: a third received, a third disposed, a third resolved.
"""

import os
import random
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from bench import common  # noqa: E402

common.setup()

from django.db import transaction  # noqa: E402

from agencies.models import Agency, Appointment, Region, Role  # noqa: E402
from governments.models import home_government  # noqa: E402
from reports import actions  # noqa: E402
from reports.models import Category  # noqa: E402


def main(total):
    rng = random.Random(7)
    # The demo city's (the first government's): the demo also has a province and a second city.
    government = home_government()
    appointments = Appointment.objects.active().filter(agency__government=government)
    coordinator = appointments.filter(role=Role.COORDINATOR).order_by("pk").first().person
    liaisons = {a.agency_id: a.person for a in appointments.filter(role=Role.LIAISON)}
    agencies = list(Agency.objects.filter(pk__in=liaisons))
    categories = list(Category.objects.filter(parent__isnull=False, government=government))
    kelurahan = list(Region.objects.filter(level=Region.Level.KELURAHAN, government=government))
    started = time.perf_counter()
    batch = 500
    for offset in range(0, total, batch):
        with transaction.atomic():
            for i in range(offset, min(total, offset + batch)):
                report = actions.submit_report(
                    description=f"Laporan uji beban nomor {i}: lampu jalan mati dan jalan berlubang.",
                    category=rng.choice(categories),
                    region=rng.choice(kelurahan),
                    reporter_name="Pelapor Uji",
                    reporter_phone="081200000000",
                )
                if i % 3 == 0:
                    continue
                report = actions.verify_report(report, actor=coordinator)
                agency = rng.choice(agencies)
                report = actions.dispose_report(report, actor=coordinator, lead_agency=agency)
                if i % 3 == 2:
                    actions.finish_disposition(report.dispositions.get(), actor=liaisons[agency.pk], message="Selesai.")
    elapsed = time.perf_counter() - started
    print(f"seeded {total} reports in {elapsed:.1f} s ({total / elapsed:.0f} reports/s through the actions)")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 5000)
