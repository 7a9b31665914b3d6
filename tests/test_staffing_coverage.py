"""SK coverage: agencies without an active liaison or operator, or whose only appointee
expires within 30 days, stand out; reminders 30, 7 and 1 days before a decree or an
appointment ends go to the administrator and the agency head, once each."""

import datetime as dt

import time_machine
from django.urls import reverse

from agencies import actions as agency_actions
from agencies.models import Appointment, Decree, DecreeMember, Role
from notify.models import OutboxMessage
from staffing import coverage, expiry
from tests import factory
from tests.base import AduanTestCase

NOW = dt.datetime(2026, 6, 1, 0, 0, tzinfo=dt.UTC)  # 1 June 2026, 07:00 WIB


def status_of(agency):
    return next(row for row in coverage.coverage() if row.agency == agency)


@time_machine.travel(NOW, tick=False)
class CoverageTests(AduanTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.environment = factory.make_agency("Dinas Lingkungan Hidup", short_name="DLH")
        cls.health = factory.make_agency("Dinas Kesehatan", short_name="Dinkes")
        cls.health_liaison = factory.make_staff(Role.LIAISON, cls.health, "penghubung_dinkes")
        cls.admin = factory.make_user("admin_sistem", is_staff=True, is_superuser=True)

    def test_an_agency_without_a_liaison_or_operator_stands_out(self):
        self.assertEqual(status_of(self.environment).status, "missing")
        self.assertEqual(status_of(self.public_works).status, "ok")
        self.assertEqual(status_of(self.transport).status, "incomplete")  # a liaison, no operator
        self.assertNotIn(self.unit, [row.agency for row in coverage.coverage()])  # the coordinating unit

    def test_an_agency_whose_only_appointee_expires_within_30_days_is_flagged(self):
        Appointment.objects.filter(person=self.health_liaison).update(valid_until=NOW + dt.timedelta(days=20))
        row = status_of(self.health)
        self.assertEqual(row.status, "expiring")
        self.assertTrue(row.needs_attention)
        self.assertEqual(coverage.coverage()[0].status, "missing")  # problems first
        # A successor appointed already (from next month) clears the flag.
        factory.appoint(factory.make_user(), self.health, Role.OPERATOR, valid_from=NOW + dt.timedelta(days=20))
        self.assertEqual(status_of(self.health).status, "incomplete")

    def test_an_ended_appointment_no_longer_covers_its_agency(self):
        Appointment.objects.filter(person=self.health_liaison).update(valid_until=NOW - dt.timedelta(seconds=1))
        self.assertEqual(status_of(self.health).status, "missing")

    def test_the_page_is_for_coordinators_executives_and_the_administrator(self):
        Appointment.objects.filter(person=self.health_liaison).update(valid_until=NOW + dt.timedelta(days=20))
        for user in (self.coordinator, self.executive, self.admin):
            self.client.force_login(user)
            response = self.client.get(reverse("staffing:coverage"))
            self.assertEqual(response.status_code, 200, user)
            self.assertContains(response, "Dinas Lingkungan Hidup")
            self.assertContains(response, "Penunjukan segera berakhir")
        for user in (self.pw_liaison, self.pw_head, self.outsider):
            self.client.force_login(user)
            self.assertEqual(self.client.get(reverse("staffing:coverage")).status_code, 403, user)

    def test_the_page_query_count_does_not_grow_with_its_agencies(self):
        self.client.force_login(self.coordinator)
        self.client.get(reverse("staffing:coverage"))
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as first:
            self.client.get(reverse("staffing:coverage"))
        for n in range(4):
            agency = factory.make_agency(f"Kelurahan {n}")
            factory.make_staff(Role.OPERATOR, agency)
        with self.assertNumQueries(len(first.captured_queries)):
            self.client.get(reverse("staffing:coverage"))


@time_machine.travel(NOW, tick=False)
class ExpiryReminderTests(AduanTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.admin = factory.make_user("admin_sistem", is_staff=True, email="admin@blitarkota.go.id")
        cls.pw_head.email = "kepala@blitarkota.go.id"
        cls.pw_head.save()
        cls.person = factory.make_user("penghubung_baru")
        decree = Decree.objects.create(
            number="188.45/7/2025",
            date=dt.date(2025, 6, 20),
            valid_from=dt.date(2025, 7, 1),
            valid_until=dt.date(2026, 6, 30),
        )
        DecreeMember.objects.create(decree=decree, person=cls.person, agency=cls.public_works, role=Role.LIAISON)
        agency_actions.issue_decree(decree, actor=cls.admin)
        cls.decree = decree

    def run_on(self, day):
        with time_machine.travel(dt.datetime(day.year, day.month, day.day, 0, 0, tzinfo=dt.UTC), tick=False):
            return expiry.remind_expiring()

    def reminders(self):
        return list(
            OutboxMessage.objects.filter(template_code="decree_expiring")
            .order_by("created_at", "user__username")
            .values_list("user__username", "subject")
        )

    def test_a_decree_is_reminded_30_7_and_1_days_before_to_the_admin_and_the_head_once_each(self):
        sent_on = {}
        day = dt.date(2026, 5, 25)
        while day <= dt.date(2026, 7, 2):
            before = len(self.reminders())
            self.run_on(day)
            if len(self.reminders()) > before:
                sent_on[day] = self.reminders()[before:]
            day += dt.timedelta(days=1)
        self.assertEqual(list(sent_on), [dt.date(2026, 5, 31), dt.date(2026, 6, 23), dt.date(2026, 6, 29)])
        self.assertEqual([u for u, _s in sent_on[dt.date(2026, 5, 31)]], ["admin_sistem", "kepala_pupr"])
        self.assertIn("SK 188.45/7/2025 berakhir dalam 30 hari", sent_on[dt.date(2026, 5, 31)][0][1])
        self.assertIn("dalam 1 hari", sent_on[dt.date(2026, 6, 29)][0][1])

    def test_a_renewed_decree_is_not_reminded(self):
        renewal = agency_actions.start_renewal(self.decree, actor=self.admin)
        agency_actions.issue_decree(renewal, actor=self.admin)
        self.run_on(dt.date(2026, 6, 23))
        self.assertEqual(self.reminders(), [])

    def test_an_appointment_ending_on_its_own_date_is_reminded_to_the_head(self):
        Appointment.objects.filter(person=self.pw_operator).update(
            valid_until=dt.datetime(2026, 6, 7, 17, 0, tzinfo=dt.UTC)  # 8 June 00:00 WIB: last day 7 June
        )
        self.run_on(dt.date(2026, 6, 1))
        [message] = self.assertQueued(template="appointment_expiring", user=self.pw_head)
        self.assertIn("operator_pupr", message.subject)
        self.assertIn("berakhir dalam 6 hari", message.subject)
        self.assertTrue(OutboxMessage.objects.filter(template_code="appointment_expiring", user=self.admin).exists())
        self.run_on(dt.date(2026, 6, 2))
        self.assertEqual(OutboxMessage.objects.filter(template_code="appointment_expiring").count(), 2)
