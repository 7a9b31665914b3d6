"""Who in the unit is on a report: take, assign to a colleague, release (reports/actions/ownership.py)."""

from agencies.models import Role
from core.errors import DomainError, InvalidTransition, NotAllowed
from reports import actions
from tests import factory
from tests.base import AduanTestCase


class OwnershipTests(AduanTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.colleague = factory.make_staff(Role.COORDINATOR, cls.unit, "koordinator2")

    def test_a_coordinator_takes_a_report_and_an_internal_event_says_so(self):
        report = actions.take_report(self.make_report(), actor=self.coordinator)
        report.refresh_from_db()
        self.assertEqual(report.owner, self.coordinator)
        event = report.events.get(action="taken")
        self.assertEqual(event.actor, self.coordinator)
        self.assertEqual(event.actor_role, "coordinator")
        self.assertFalse(event.is_public)
        self.assertEqual(event.data, {"owner": "koordinator", "previous_owner": ""})
        self.assertEqual(event.from_status, event.to_status)
        self.assertNothingQueued()

    def test_taking_it_again_writes_nothing(self):
        report = actions.take_report(self.make_report(), actor=self.coordinator)
        actions.take_report(report, actor=self.coordinator)
        self.assertEqual(report.events.filter(action="taken").count(), 1)

    def test_a_coordinator_assigns_a_report_to_a_colleague(self):
        report = actions.take_report(self.make_report(), actor=self.coordinator)
        report = actions.assign_report(report, actor=self.coordinator, owner=self.colleague)
        report.refresh_from_db()
        self.assertEqual(report.owner, self.colleague)
        event = report.events.get(action="owner_assigned")
        self.assertEqual(event.data, {"owner": "koordinator2", "previous_owner": "koordinator"})

    def test_the_owner_is_a_claim_not_a_lock(self):
        report = actions.assign_report(self.make_report(), actor=self.coordinator, owner=self.colleague)
        # The other coordinator still acts on it, and may take it over.
        actions.verify_report(report, actor=self.coordinator)
        report = actions.take_report(report, actor=self.coordinator)
        self.assertEqual(report.owner, self.coordinator)

    def test_release_leaves_the_report_without_an_owner(self):
        report = actions.take_report(self.make_report(), actor=self.coordinator)
        report = actions.release_report(report, actor=self.coordinator)
        report.refresh_from_db()
        self.assertIsNone(report.owner)
        self.assertEqual(report.events.get(action="owner_released").data["previous_owner"], "koordinator")

    def test_assigning_to_someone_who_is_not_a_coordinator_is_refused(self):
        report = self.make_report()
        for target in (self.pw_liaison, self.executive, self.outsider):
            with self.subTest(target=target.username), self.assertRaises(DomainError) as refused:
                actions.assign_report(report, actor=self.coordinator, owner=target)
            self.assertIn("bukan koordinator dengan SK aktif", str(refused.exception.message))
        report.refresh_from_db()
        self.assertIsNone(report.owner)
        self.assertFalse(report.events.filter(action__in=["taken", "owner_assigned"]).exists())

    def test_assigning_to_a_coordinator_whose_appointment_ended_is_refused(self):
        former = factory.make_user("mantan")
        factory.appoint(
            former,
            self.unit,
            Role.COORDINATOR,
            valid_from=factory.APPOINTED_FROM,
            valid_until=factory.APPOINTED_FROM.replace(year=2001),
        )
        with self.assertRaises(DomainError):
            actions.assign_report(self.make_report(), actor=self.coordinator, owner=former)

    def test_an_agency_liaison_may_not_take_or_assign(self):
        report = factory.make_disposed(self.coordinator, self.public_works, category=self.category)
        with self.assertRaises(NotAllowed):
            actions.take_report(report, actor=self.pw_liaison)
        with self.assertRaises(NotAllowed):
            actions.assign_report(report, actor=self.pw_liaison, owner=self.coordinator)
        with self.assertRaises(NotAllowed):
            actions.assign_report(report, actor=self.executive, owner=self.coordinator)
        report.refresh_from_db()
        self.assertIsNone(report.owner)

    def test_an_archived_report_has_no_owner_to_change(self):
        report = actions.archive_report(self.make_report(), actor=self.coordinator, reason="spam")
        with self.assertRaises(InvalidTransition):
            actions.take_report(report, actor=self.coordinator)
