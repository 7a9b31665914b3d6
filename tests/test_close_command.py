import datetime as dt
import io

import time_machine
from django.core.management import call_command

from reports.models import ReportEvent, Status
from tests import factory
from tests.base import AduanTestCase

JAKARTA = dt.timezone(dt.timedelta(hours=7))


def _at(day, hour=10):
    return dt.datetime.combine(day, dt.time(hour), tzinfo=JAKARTA)


class CloseResolvedReportsCommandTests(AduanTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        # Staff whose decrees cover the fixed dates below, whenever the tests run.
        decree = {"valid_from": _at(dt.date(2026, 1, 1)), "valid_until": _at(dt.date(2027, 1, 1))}
        cls.coordinator_2026 = factory.make_user("koordinator_2026")
        factory.appoint(cls.coordinator_2026, cls.unit, factory.Role.COORDINATOR, **decree)
        cls.liaison_2026 = factory.make_user("penghubung_2026")
        factory.appoint(cls.liaison_2026, cls.public_works, factory.Role.LIAISON, **decree)

    def _resolved_on(self, day):
        with time_machine.travel(_at(day), tick=False):
            return factory.make_resolved(self.coordinator_2026, self.public_works, self.liaison_2026)

    def _run(self, day):
        output = io.StringIO()
        with time_machine.travel(_at(day, hour=2), tick=False):
            call_command("close_resolved_reports", stdout=output)
        return output.getvalue()

    def test_it_closes_a_report_resolved_more_than_ten_working_days_ago_and_leaves_a_recent_one(self):
        # Tuesday 1 September 2026: ten working days end on Tuesday 15 September.
        old = self._resolved_on(dt.date(2026, 9, 1))
        recent = self._resolved_on(dt.date(2026, 9, 14))
        output = self._run(dt.date(2026, 9, 16))
        old.refresh_from_db()
        recent.refresh_from_db()
        self.assertEqual((old.status, recent.status), (Status.CLOSED, Status.RESOLVED))
        self.assertIn("1 laporan ditutup otomatis", output)
        event = old.events.last()
        self.assertEqual((event.action, event.actor_role, event.to_status), ("auto_closed", "system", Status.CLOSED))

    def test_a_report_is_not_closed_on_its_last_day(self):
        report = self._resolved_on(dt.date(2026, 9, 1))
        output = self._run(dt.date(2026, 9, 15))
        report.refresh_from_db()
        self.assertEqual(report.status, Status.RESOLVED)
        self.assertIn("0 laporan", output)

    def test_running_it_twice_closes_a_report_once(self):
        self._resolved_on(dt.date(2026, 9, 1))
        self._run(dt.date(2026, 9, 20))
        self.assertIn("0 laporan", self._run(dt.date(2026, 9, 21)))
        self.assertEqual(ReportEvent.objects.filter(action="auto_closed").count(), 1)
