"""Rotation (mutasi): ending an appointment ends access at that moment and hands every
open item to the successor or back to the agency's pool, losing none; the history keeps
who had what. The workload view lists open work oldest first and reassigns inside an
agency."""

import datetime as dt

import time_machine
from django.urls import reverse
from django.utils import timezone

from agencies.models import Appointment, EndKind, Role
from agencies.roles import staff_profile
from core.errors import DomainError, NotAllowed
from reports import actions as report_actions
from reports.models import Disposition
from staffing import actions
from staffing.models import Assignment
from tests import factory
from tests.base import AduanTestCase

NOW = dt.datetime(2026, 5, 4, 2, 0, tzinfo=dt.UTC)  # Monday 4 May 2026, 09:00 WIB


@time_machine.travel(NOW, tick=False)
class RotationTests(AduanTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.admin = factory.make_user("admin_sistem", is_staff=True, is_superuser=True)
        cls.leaving = factory.make_staff(Role.OPERATOR, cls.public_works, "operator_pindah")

    def open_items(self, count=3):
        """``count`` open dispositions of public works assigned to the leaving operator, one
        of them already followed up, plus one finished item and one of another agency."""
        items = []
        for _ in range(count):
            report = factory.make_disposed(self.coordinator, self.public_works, category=self.category)
            disposition = report.dispositions.get()
            actions.assign_disposition(disposition, actor=self.pw_liaison, person=self.leaving)
            items.append(disposition)
        report_actions.post_follow_up(items[0], actor=self.leaving, message="Tim sudah ke lokasi.")
        done = factory.make_disposed(self.coordinator, self.public_works, category=self.category).dispositions.get()
        actions.assign_disposition(done, actor=self.pw_liaison, person=self.leaving)
        report_actions.finish_disposition(done, actor=self.leaving, message="Selesai.")
        return items, done

    def appointment(self, user=None):
        return Appointment.objects.get(person=user or self.leaving)

    def test_access_ends_exactly_when_the_appointment_is_ended(self):
        report = factory.make_disposed(self.coordinator, self.public_works, category=self.category)
        ends = NOW + dt.timedelta(hours=3)
        actions.end_appointment(self.appointment(), actor=self.admin, kind=EndKind.TRANSFER, at=ends)
        for moment, expected in [(ends - dt.timedelta(seconds=1), True), (ends, False)]:
            with time_machine.travel(moment, tick=False):
                user = type(self.leaving).objects.get(pk=self.leaving.pk)
                self.assertEqual(staff_profile(user).is_staff_member, expected)
                self.client.force_login(user)
                response = self.client.get(reverse("workspace:report", args=[report.pk]))
                self.assertEqual(response.status_code, 200 if expected else 403)

    def test_handover_moves_every_open_item_to_the_successor_and_loses_none(self):
        items, done = self.open_items(4)
        actions.end_appointment(
            self.appointment(), actor=self.admin, kind=EndKind.RETIREMENT, successor=self.pw_operator
        )
        self.assertEqual(
            set(Assignment.objects.filter(person=self.pw_operator).values_list("disposition_id", flat=True)),
            {d.pk for d in items},
        )
        # Only the finished item stays in the history of the person who did it.
        self.assertEqual(
            list(Assignment.objects.filter(person=self.leaving).values_list("disposition", flat=True)), [done.pk]
        )
        for disposition in items:
            event = disposition.report.events.get(action="handed_over")
            self.assertEqual(event.data["from"], "operator_pindah")
            self.assertEqual(event.data["to"], "operator_pupr")
            self.assertEqual(event.actor, self.admin)
            self.assertFalse(event.is_public)
        # Who did what stays: the follow-up is still the leaving operator's.
        self.assertEqual(items[0].report.events.get(action="follow_up").actor, self.leaving)
        appointment = self.appointment()
        self.assertEqual(
            (appointment.end_kind, appointment.ended_by, appointment.successor),
            ("retirement", self.admin, self.pw_operator),
        )

    def test_the_report_history_shows_the_handover_to_staff_and_never_to_the_public(self):
        items, _done = self.open_items(1)
        actions.end_appointment(self.appointment(), actor=self.admin, kind=EndKind.TRANSFER, successor=self.pw_operator)
        report = items[0].report
        self.client.force_login(self.coordinator)
        page = self.client.get(reverse("workspace:report", args=[report.pk]))
        self.assertContains(page, "Dialihkan karena penunjukan berakhir")
        self.assertContains(page, "Penugasan petugas")
        self.client.logout()
        public = self.client.get(reverse("portal:track_detail", args=[report.secret]))
        self.assertEqual(public.status_code, 200)
        self.assertNotContains(public, "operator_pindah")
        self.assertNotContains(public, "Dialihkan")

    def test_without_a_successor_the_work_goes_back_to_the_agencys_pool(self):
        items, _done = self.open_items(2)
        actions.end_appointment(self.appointment(), actor=self.admin, kind=EndKind.OTHER, note="Cuti panjang")
        self.assertFalse(Assignment.objects.filter(disposition__in=items).exists())
        self.assertEqual(Disposition.objects.open().filter(pk__in=[d.pk for d in items]).count(), 2)
        event = items[1].report.events.get(action="handed_over")
        self.assertIsNone(event.data["to"])
        self.assertEqual(event.data["reason"], "Cuti panjang")

    def test_an_end_in_the_future_is_handed_over_by_the_sweep_once_it_passes(self):
        items, _done = self.open_items(2)
        ends = NOW + dt.timedelta(days=2)
        actions.end_appointment(
            self.appointment(), actor=self.admin, kind=EndKind.TRANSFER, at=ends, successor=self.pw_liaison
        )
        self.assertEqual(actions.release_stranded_work(), 0)  # still at work today
        self.assertEqual(Assignment.objects.filter(person=self.leaving, disposition__in=items).count(), 2)
        with time_machine.travel(ends, tick=False):
            self.assertEqual(actions.release_stranded_work(), 2)
            self.assertEqual(actions.release_stranded_work(), 0)
        self.assertEqual(Assignment.objects.filter(person=self.pw_liaison, disposition__in=items).count(), 2)
        self.assertEqual(items[0].report.events.get(action="handed_over").actor_role, "system")

    def test_an_appointment_that_simply_expires_leaves_no_work_behind(self):
        items, _done = self.open_items(1)
        Appointment.objects.filter(person=self.leaving).update(valid_until=NOW + dt.timedelta(hours=1))
        with time_machine.travel(NOW + dt.timedelta(hours=1), tick=False):
            self.assertEqual(actions.release_stranded_work(), 1)
        self.assertFalse(Assignment.objects.filter(disposition=items[0]).exists())

    def test_a_successor_must_be_able_to_act_for_the_same_agency(self):
        for successor in (self.transport_liaison, self.pw_head, self.leaving):
            with self.assertRaises(DomainError):
                actions.end_appointment(
                    self.appointment(), actor=self.admin, kind=EndKind.TRANSFER, successor=successor
                )
        self.assertTrue(self.appointment().is_active())

    def test_only_the_administrator_ends_an_appointment_and_only_once(self):
        with self.assertRaises(NotAllowed):
            actions.end_appointment(self.appointment(), actor=self.coordinator, kind=EndKind.TRANSFER)
        actions.end_appointment(self.appointment(), actor=self.admin, kind=EndKind.TRANSFER)
        with self.assertRaises(DomainError):
            actions.end_appointment(self.appointment(), actor=self.admin, kind=EndKind.TRANSFER)

    def test_the_admin_form_ends_an_appointment_with_a_successor(self):
        items, _done = self.open_items(2)
        self.client.force_login(self.admin)
        url = reverse("admin:agencies_appointment_end", args=[self.appointment().pk])
        page = self.client.get(url)
        self.assertContains(page, "2 disposisi terbuka")
        self.assertContains(page, "operator_pupr")
        self.assertNotContains(page, "penghubung_dishub")  # another agency's staff is no successor
        response = self.client.post(
            url, {"kind": "transfer", "note": "", "successor": self.pw_operator.pk, "ends_at": ""}
        )
        self.assertRedirects(response, reverse("admin:agencies_appointment_changelist"))
        self.assertEqual(Assignment.objects.filter(person=self.pw_operator).count(), 2)
        liaison_appointment = Appointment.objects.get(person=self.pw_liaison)
        before_it_began = timezone.localtime(liaison_appointment.valid_from) - dt.timedelta(days=1)
        bad = self.client.post(
            reverse("admin:agencies_appointment_end", args=[liaison_appointment.pk]),
            {"kind": "transfer", "ends_at": before_it_began.strftime("%Y-%m-%dT%H:%M")},
        )
        self.assertContains(bad, "sebelum penunjukan mulai berlaku")


@time_machine.travel(NOW, tick=False)
class AssignmentTests(AduanTestCase):
    def disposition(self, agency=None):
        return factory.make_disposed(
            self.coordinator, agency or self.public_works, category=self.category
        ).dispositions.get()

    def test_an_agencys_staff_assign_inside_their_agency_only(self):
        disposition = self.disposition()
        actions.assign_disposition(disposition, actor=self.pw_head, person=self.pw_operator)
        self.assertEqual(disposition.assignment.person, self.pw_operator)
        event = disposition.report.events.get(action="assigned")
        self.assertEqual((event.data["from"], event.data["to"]), (None, "operator_pupr"))
        with self.assertRaises(NotAllowed):
            actions.assign_disposition(disposition, actor=self.transport_liaison, person=self.pw_liaison)
        with self.assertRaises(NotAllowed):
            actions.assign_disposition(disposition, actor=self.executive, person=self.pw_liaison)
        with self.assertRaises(DomainError):  # not a doer of public works
            actions.assign_disposition(disposition, actor=self.coordinator, person=self.transport_liaison)
        actions.assign_disposition(disposition, actor=self.coordinator, person=None)
        self.assertFalse(Assignment.objects.filter(disposition=disposition).exists())

    def test_finished_work_cannot_be_assigned(self):
        disposition = self.disposition()
        report_actions.finish_disposition(disposition, actor=self.pw_liaison, message="Selesai.")
        with self.assertRaises(DomainError):
            actions.assign_disposition(disposition, actor=self.pw_liaison, person=self.pw_operator)


@time_machine.travel(NOW, tick=False)
class WorkloadPageTests(AduanTestCase):
    def test_open_work_per_agency_and_person_oldest_first(self):
        older = factory.make_disposed(self.coordinator, self.public_works, category=self.category)
        with time_machine.travel(NOW + dt.timedelta(hours=1), tick=False):
            newer = factory.make_disposed(self.coordinator, self.public_works, category=self.category)
        factory.make_disposed(self.coordinator, self.transport, category=self.category)
        actions.assign_disposition(newer.dispositions.get(), actor=self.pw_liaison, person=self.pw_operator)
        self.client.force_login(self.pw_liaison)
        response = self.client.get(reverse("staffing:workload"))
        self.assertEqual(response.status_code, 200)
        items = response.context["items"]
        self.assertEqual([d.report_id for d in items], [older.pk, newer.pk])  # own agency only
        self.assertEqual(response.context["per_agency"][0]["unassigned"], 1)
        self.assertEqual(response.context["per_person"][0]["assignment__person__username"], "operator_pupr")
        self.assertContains(response, older.tracking_number)

    def test_the_page_query_count_does_not_grow_with_its_rows(self):
        self.client.force_login(self.coordinator)
        factory.make_disposed(self.coordinator, self.public_works, category=self.category)
        self._queries()  # the caches warm (the home government's id: the page's name)
        baseline = self._queries()
        for agency in (self.public_works, self.transport, self.public_works):
            report = factory.make_disposed(self.coordinator, agency, category=self.category)
            if agency == self.public_works:
                actions.assign_disposition(report.dispositions.get(), actor=self.coordinator, person=self.pw_liaison)
        with self.assertNumQueries(baseline):
            response = self.client.get(reverse("staffing:workload"))
        self.assertEqual(len(response.context["items"]), 4)

    def _queries(self):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as captured:
            self.client.get(reverse("staffing:workload"))
        return len(captured.captured_queries)

    def test_reassign_through_the_page(self):
        report = factory.make_disposed(self.coordinator, self.public_works, category=self.category)
        disposition = report.dispositions.get()
        self.client.force_login(self.pw_liaison)
        url = reverse("staffing:assign", args=[disposition.pk])
        response = self.client.post(url, {"person": self.pw_operator.pk})
        self.assertRedirects(response, reverse("staffing:workload"))
        self.assertEqual(Assignment.objects.get(disposition=disposition).person, self.pw_operator)
        refused = self.client.post(url, {"person": self.transport_liaison.pk}, follow=True)
        self.assertContains(refused, "bukan admin penghubung atau operator aktif")
        self.assertEqual(Assignment.objects.get(disposition=disposition).person, self.pw_operator)

    def test_other_agencies_and_executives_cannot_reassign(self):
        disposition = factory.make_disposed(
            self.coordinator, self.public_works, category=self.category
        ).dispositions.get()
        url = reverse("staffing:assign", args=[disposition.pk])
        self.client.force_login(self.transport_liaison)
        self.assertEqual(self.client.post(url, {"person": self.pw_operator.pk}).status_code, 404)
        self.client.force_login(self.executive)
        self.client.post(url, {"person": self.pw_operator.pk})
        self.assertFalse(Assignment.objects.exists())
        page = self.client.get(reverse("staffing:workload"))
        self.assertNotContains(page, url)  # no form for a reader
        self.client.force_login(self.outsider)
        self.assertEqual(self.client.get(reverse("staffing:workload")).status_code, 403)
