"""The access rules, tested once here: agency isolation, identity, appointments."""

import datetime as dt

import time_machine
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from agencies.models import Role
from agencies.roles import staff_profile
from reports import access, actions
from reports.models import IdentityRead, Report
from tests import factory
from tests.base import AduanTestCase


class AgencyIsolationTests(AduanTestCase):
    def setUp(self):
        self.pw_report = factory.make_disposed(self.coordinator, self.public_works, category=self.category)
        self.transport_report = factory.make_disposed(self.coordinator, self.transport, category=self.category)
        self.undisposed = self.make_report()

    def test_agency_sees_only_reports_disposed_to_it(self):
        self.assertEqual(list(access.reports_visible_to(self.pw_liaison)), [self.pw_report])
        self.assertEqual(list(access.reports_visible_to(self.pw_head)), [self.pw_report])

    def test_agency_cannot_open_another_agencys_report(self):
        with self.assertRaises(Http404):
            access.get_report_for(self.pw_liaison, self.transport_report.pk)
        with self.assertRaises(Http404):
            access.get_disposition_for(self.pw_liaison, self.transport_report.dispositions.get().pk, write=True)

    def test_coordinator_and_executive_see_everything(self):
        self.assertEqual(access.reports_visible_to(self.coordinator).count(), 3)
        self.assertEqual(access.reports_visible_to(self.executive).count(), 3)

    def test_executive_and_agency_head_are_read_only(self):
        with self.assertRaises(PermissionDenied):
            access.get_report_for(self.executive, self.pw_report.pk, write=True)
        with self.assertRaises(PermissionDenied):
            access.get_report_for(self.pw_head, self.pw_report.pk, write=True)
        self.assertEqual(access.get_report_for(self.pw_liaison, self.pw_report.pk, write=True), self.pw_report)

    def test_an_account_without_appointment_sees_nothing(self):
        self.assertFalse(access.reports_visible_to(self.outsider).exists())

    def test_an_agency_that_returned_a_report_keeps_only_its_own_history(self):
        disposition = self.pw_report.dispositions.get()
        actions.return_disposition(disposition, actor=self.pw_liaison, reason="Bukan wewenang")
        with self.assertRaises(Http404):
            access.get_report_for(self.pw_liaison, self.pw_report.pk)
        self.assertEqual(access.own_history_for(self.pw_liaison, self.pw_report.pk), (self.pw_report, [disposition]))
        with self.assertRaises(Http404):  # the history is the agency's own, nobody else's
            access.own_history_for(self.transport_liaison, self.pw_report.pk)


class IdentityTests(AduanTestCase):
    def test_anonymous_reporter_is_hidden_from_agencies_but_not_the_coordinator(self):
        report = factory.make_disposed(self.coordinator, self.public_works, is_anonymous=True)
        self.assertFalse(access.can_see_identity(self.pw_liaison, report))
        self.assertFalse(access.can_see_identity(self.pw_head, report))
        self.assertTrue(access.can_see_identity(self.coordinator, report))

    def test_named_reporter_is_visible_to_the_disposed_agency(self):
        report = factory.make_disposed(self.coordinator, self.public_works)
        self.assertTrue(access.can_see_identity(self.pw_liaison, report))

    def test_the_public_never_sees_identity(self):
        from django.contrib.auth.models import AnonymousUser

        report = self.make_report()
        self.assertFalse(access.can_see_identity(AnonymousUser(), report))
        self.assertFalse(access.can_see_identity(self.outsider, report))

    def test_every_reveal_of_an_anonymous_identity_is_recorded_once_per_read(self):
        report = self.make_report(is_anonymous=True, reporter_name="Bambang Rahasia")
        self.login(self.coordinator)
        for _ in range(2):
            response = self.client.post(reverse("workspace:reveal_identity", args=[report.pk]))
            self.assertContains(response, "Bambang Rahasia")
        reads = list(IdentityRead.objects.values_list("user", "report"))
        self.assertEqual(reads, [(self.coordinator.pk, report.pk)] * 2)


class PublicVisibilityTests(AduanTestCase):
    def test_public_list_holds_verified_non_confidential_reports_only(self):
        received = self.make_report()
        confidential = factory.make_verified(self.coordinator, is_confidential=True)
        public = factory.make_verified(self.coordinator)
        archived = actions.archive_report(self.make_report(), actor=self.coordinator, reason="spam")
        self.assertEqual(set(Report.objects.public()), {public})
        self.assertNotIn(received, Report.objects.public())
        self.assertNotIn(confidential, Report.objects.public())
        self.assertNotIn(archived, Report.objects.public())


class ReporterLookupTests(AduanTestCase):
    def test_tracking_number_with_phone_or_email_finds_the_report(self):
        report = self.make_report(reporter_phone="0812-3456-7890", reporter_email="Siti@Example.org")
        self.assertEqual(access.find_report_for_reporter(report.tracking_number, "+6281234567890"), report)
        self.assertEqual(access.find_report_for_reporter(report.tracking_number, "siti@example.org"), report)

    def test_tracking_number_alone_or_with_wrong_contact_reveals_nothing(self):
        report = self.make_report()
        self.assertIsNone(access.find_report_for_reporter(report.tracking_number, ""))
        self.assertIsNone(access.find_report_for_reporter(report.tracking_number, "089999999999"))
        self.assertIsNone(access.find_report_for_reporter("BLT-1999-000001", "081234567890"))


class AppointmentTests(AduanTestCase):
    def test_access_ends_exactly_when_the_appointment_ends(self):
        end = timezone.now() + dt.timedelta(days=2)
        user = factory.make_user()
        factory.appoint(user, self.public_works, Role.LIAISON, valid_until=end)
        report = factory.make_disposed(self.coordinator, self.public_works)
        with time_machine.travel(end - dt.timedelta(seconds=1)):
            self.assertTrue(access.reports_visible_to(type(user).objects.get(pk=user.pk)).exists())
        with time_machine.travel(end):
            fresh = type(user).objects.get(pk=user.pk)
            self.assertFalse(access.reports_visible_to(fresh).exists())
            with self.assertRaises(Http404):
                access.get_report_for(fresh, report.pk)

    def test_access_starts_when_the_appointment_starts(self):
        start = timezone.now() + dt.timedelta(days=1)
        user = factory.make_user()
        factory.appoint(user, self.public_works, Role.LIAISON, valid_from=start)
        self.assertEqual(staff_profile(user).roles, frozenset())
        with time_machine.travel(start):
            fresh = type(user).objects.get(pk=user.pk)
            self.assertIn(Role.LIAISON, staff_profile(fresh).roles)

    def test_an_inactive_account_has_no_role(self):
        self.pw_liaison.is_active = False
        self.assertFalse(staff_profile(self.pw_liaison).is_staff_member)
