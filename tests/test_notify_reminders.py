"""The outbox's entries in the schedule. (The morning digest of due work that lived here was
replaced by the escalation ladder: tests/test_escalation_ladder.py.)"""

from django.conf import settings
from django.utils.module_loading import import_string

from tests.base import AduanTestCase


class ScheduleTests(AduanTestCase):
    def test_the_outbox_sweep_runs_every_minute(self):
        self.assertEqual(settings.ADUAN_SCHEDULE["deliver-outbox"], {"task": "notify.tasks.deliver_due", "every": 1})
        self.assertEqual(type(import_string(settings.ADUAN_SCHEDULE["deliver-outbox"]["task"])).__name__, "Task")

    def test_the_escalation_ladder_replaces_the_old_morning_digest(self):
        # Reminders before a deadline and notices of overdue work come from the ladder
        # (tests/test_escalation_ladder.py), once per rung, instead of a daily digest.
        self.assertNotIn("remind-due-work", settings.ADUAN_SCHEDULE)
        self.assertEqual(
            settings.ADUAN_SCHEDULE["escalation-ladder"], {"task": "escalation.tasks.run_ladder", "at": "07:00"}
        )
        self.assertEqual(type(import_string(settings.ADUAN_SCHEDULE["escalation-ladder"]["task"])).__name__, "Task")
