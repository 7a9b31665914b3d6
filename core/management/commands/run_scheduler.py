"""``manage.py run_scheduler [--once]``: the one process that enqueues the periodic jobs of
settings.ADUAN_SCHEDULE (core/scheduler.py); the task workers run them.

1. load and check the schedule: a bad entry stops it at once with an error naming it;
2. run a pass: enqueue every due job exactly once, even beside another scheduler;
3. with ``--once`` exit (for tests and cron); otherwise sleep until the next due job (at
   most 30 s) and repeat until SIGTERM or SIGINT, which end it between two passes.
"""

import logging
import signal
import threading

from django.core.management.base import BaseCommand, CommandError
from django.db import close_old_connections
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core import scheduler

logger = logging.getLogger("core.scheduler")


class Command(BaseCommand):
    help = _("Memasukkan tugas berkala (ADUAN_SCHEDULE) ke antrean saat waktunya tiba. Jalankan tepat satu.")

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help=_("Satu putaran lalu berhenti."))

    def handle(self, *args, once=False, **options):
        try:
            jobs = scheduler.load()
        except scheduler.ScheduleError as exc:
            raise CommandError(str(exc)) from None
        if once:
            enqueued = scheduler.run_pending(jobs)
            self.stdout.write(
                ngettext(
                    "%(n)d tugas terjadwal dimasukkan ke antrean.",
                    "%(n)d tugas terjadwal dimasukkan ke antrean.",
                    len(enqueued),
                )
                % {"n": len(enqueued)}
            )
            for item in enqueued:
                self.stdout.write(f"  {item.job}: {item.task_id}")
            return
        self.loop(jobs)

    def loop(self, jobs):
        stop = threading.Event()

        def request_stop(signum, frame):
            logger.info("Scheduler: %s received, stopping", signal.Signals(signum).name)
            stop.set()

        previous = {sig: signal.signal(sig, request_stop) for sig in (signal.SIGTERM, signal.SIGINT)}
        logger.info("Scheduler: started with %d job(s): %s", len(jobs), ", ".join(f"{j.name} ({j.spec})" for j in jobs))
        try:
            while not stop.is_set():
                # A long-lived process: drop connections past ADUAN_DB_CONN_MAX_AGE or broken ones,
                # as Django does around each request.
                close_old_connections()
                try:
                    scheduler.run_pending(jobs)
                    pause = scheduler.seconds_until_next(jobs)
                except Exception:
                    # The database or Redis is away for a moment: keep going, retry soon.
                    logger.exception("Scheduler: pass failed, retrying in %d s", scheduler.MAX_SLEEP)
                    pause = scheduler.MAX_SLEEP
                stop.wait(max(pause, 0.5))
        finally:
            for sig, handler in previous.items():
                signal.signal(sig, handler)
            close_old_connections()
        logger.info("Scheduler: stopped")
