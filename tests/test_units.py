"""Dispose down to an agency's units and return up (issue 20): the actions, their
deadlines and events, and the access rules of a unit's staff."""

import datetime as dt

import time_machine
from django.db import connection
from django.http import Http404
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from agencies.models import Agency, Role
from core.errors import DomainError, InvalidTransition, NotAllowed
from monev import sums
from monev.figures import Filter
from reports import access, actions
from reports.models import Disposition, ReportEvent, Status
from tests import factory
from tests.api_base import ApiClientMixin
from tests.base import AduanTestCase
from tests.rollup import rebuilt, rows


class UnitCase(AduanTestCase):
    """The public works agency with two staffed units (Bidang Bina Marga, UPT Jalan) and an
    unstaffed one."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        below = {"kind": Agency.Kind.UNIT, "parent": cls.public_works}
        cls.roads = factory.make_agency("Bidang Bina Marga", short_name="Bina Marga", **below)
        cls.upt = factory.make_agency("UPT Jalan dan Jembatan", short_name="UPT Jalan", **below)
        cls.empty = factory.make_agency("Bidang Tata Ruang", short_name="Tata Ruang", **below)
        cls.roads_liaison = factory.make_staff(Role.LIAISON, cls.roads, "penghubung_binamarga")
        cls.upt_operator = factory.make_staff(Role.OPERATOR, cls.upt, "operator_upt")

    def setUp(self):
        super().setUp()
        self.report = factory.make_disposed(self.coordinator, self.public_works, category=self.category)
        self.top = self.report.dispositions.get()

    def forward(self, unit=None, actor=None, **kwargs):
        return actions.forward_to_unit(
            self.top, actor=actor or self.pw_liaison, unit=unit or self.roads, instruction="Cek lokasi", **kwargs
        )


class ForwardTests(UnitCase):
    def test_agency_liaison_forwards_to_its_unit_with_an_event(self):
        child = self.forward()
        self.assertEqual((child.parent, child.level, child.agency, child.state), (self.top, 1, self.roads, "pending"))
        event = ReportEvent.objects.get(action="forwarded_to_unit")
        self.assertEqual((event.disposition, event.agency, event.actor), (child, self.roads, self.pw_liaison))
        self.assertFalse(event.is_public)
        self.report.refresh_from_db()
        self.assertEqual(self.report.status, Status.DISPOSED)

    def test_agency_head_may_forward_too(self):
        self.assertEqual(self.forward(actor=self.pw_head).agency, self.roads)

    def test_unit_deadlines_stay_inside_the_agencys(self):
        child = self.forward()
        self.assertLessEqual(child.follow_up_due_at, self.top.follow_up_due_at)
        self.assertLessEqual(child.resolution_due_at, self.top.resolution_due_at)

    def test_unit_deadlines_count_working_days_from_the_forward(self):
        # Forwarded on a Friday: the unit's 5 working days skip the weekend.
        with time_machine.travel(dt.datetime(2026, 3, 6, 9, tzinfo=dt.UTC), tick=False):
            report = factory.make_disposed(self.coordinator, self.public_works, category=self.category)
            child = actions.forward_to_unit(report.dispositions.get(), actor=self.pw_liaison, unit=self.roads)
            self.assertEqual(timezone.localdate(child.follow_up_due_at), dt.date(2026, 3, 13))

    def test_another_agency_or_a_unit_cannot_forward_the_agencys_disposition(self):
        for outsider in (self.transport_liaison, self.roads_liaison, self.executive):
            with self.assertRaises(NotAllowed):
                self.forward(actor=outsider)

    def test_only_an_active_staffed_child_unit_takes_work(self):
        for wrong in (self.empty, self.transport):
            with self.assertRaises(DomainError):
                self.forward(unit=wrong)
        self.upt.is_active = False
        self.upt.save()
        with self.assertRaises(DomainError):
            self.forward(unit=self.upt)

    def test_the_same_unit_gets_the_report_once(self):
        self.forward()
        with self.assertRaises(DomainError):
            self.forward()

    def test_a_finished_disposition_is_not_forwarded(self):
        actions.finish_disposition(self.top, actor=self.pw_liaison, message="Sudah diperbaiki.")
        with self.assertRaises(InvalidTransition):
            self.forward()


class UnitWorkTests(UnitCase):
    def test_unit_follows_up_and_its_done_does_not_resolve_the_report(self):
        child = self.forward()
        actions.post_follow_up(child, actor=self.roads_liaison, message="Tim survei berangkat.")
        actions.finish_disposition(child, actor=self.roads_liaison)
        child.refresh_from_db()
        self.top.refresh_from_db()
        self.report.refresh_from_db()
        self.assertEqual(child.state, Disposition.State.DONE)
        # The unit's reply is the agency's first follow-up; the agency still finishes.
        self.assertEqual(self.top.state, Disposition.State.ACCEPTED)
        self.assertIsNotNone(self.top.first_follow_up_at)
        self.assertEqual(self.report.status, Status.IN_PROGRESS)
        actions.finish_disposition(self.top, actor=self.pw_liaison, message="Jalan sudah ditambal.")
        self.report.refresh_from_db()
        self.assertEqual(self.report.status, Status.RESOLVED)

    def test_agency_finishing_closes_its_units_open_work(self):
        child = self.forward()
        actions.finish_disposition(self.top, actor=self.pw_liaison, message="Selesai.")
        child.refresh_from_db()
        self.assertEqual(child.state, Disposition.State.DONE)
        done = ReportEvent.objects.get(action="disposition_done", disposition=self.top)
        self.assertEqual(done.data["units_closed"], ["Bina Marga"])

    def test_unit_returns_up_to_its_agency_with_a_reason(self):
        child = self.forward()
        actions.return_to_agency(child, actor=self.roads_liaison, reason="Ini jalan provinsi")
        child.refresh_from_db()
        self.top.refresh_from_db()
        self.report.refresh_from_db()
        self.assertEqual((child.state, child.is_active), (Disposition.State.RETURNED, False))
        self.assertTrue(self.top.is_open)  # back in the agency's queue
        self.assertEqual((self.report.status, self.report.return_count), (Status.DISPOSED, 0))
        event = ReportEvent.objects.get(action="returned_to_agency")
        self.assertEqual((event.message, event.agency), ("Ini jalan provinsi", self.roads))

    def test_the_return_button_of_a_unit_goes_up_not_to_the_coordinator(self):
        child = self.forward()
        actions.return_disposition(child, actor=self.roads_liaison, reason="Bukan bidang kami")
        self.report.refresh_from_db()
        self.assertEqual(self.report.status, Status.DISPOSED)
        self.assertTrue(ReportEvent.objects.filter(action="returned_to_agency").exists())

    def test_return_up_needs_a_reason_and_the_units_staff(self):
        child = self.forward()
        with self.assertRaises(DomainError):
            actions.return_to_agency(child, actor=self.roads_liaison, reason=" ")
        with self.assertRaises(NotAllowed):
            actions.return_to_agency(child, actor=self.upt_operator, reason="Bukan kami")

    def test_agency_returning_to_the_coordinator_takes_the_report_from_its_units(self):
        child = self.forward()
        actions.return_disposition(self.top, actor=self.pw_liaison, reason="Bukan wewenang")
        child.refresh_from_db()
        self.assertFalse(child.is_active)
        with self.assertRaises(Http404):
            access.get_report_for(self.roads_liaison, self.report.pk)


class UnitAccessTests(UnitCase):
    def test_units_staff_see_only_their_units_reports(self):
        other = factory.make_disposed(self.coordinator, self.public_works, category=self.category)
        self.forward()
        actions.forward_to_unit(other.dispositions.get(), actor=self.pw_liaison, unit=self.upt)
        self.assertEqual(list(access.reports_visible_to(self.roads_liaison)), [self.report])
        self.assertEqual(list(access.reports_visible_to(self.upt_operator)), [other])

    def test_a_unit_sees_nothing_the_agency_did_not_forward(self):
        self.assertFalse(access.reports_visible_to(self.roads_liaison).exists())
        with self.assertRaises(Http404):
            access.get_disposition_for(self.roads_liaison, self.top.pk)

    def test_a_sibling_unit_cannot_act_on_the_units_disposition(self):
        child = self.forward()
        with self.assertRaises(Http404):
            access.get_report_for(self.upt_operator, self.report.pk)
        with self.assertRaises(Http404):
            access.get_disposition_to_act_on(self.upt_operator, child.pk)

    def test_unit_acts_on_its_own_disposition(self):
        child = self.forward()
        self.assertEqual(access.get_disposition_to_act_on(self.roads_liaison, child.pk), child)
        part = access.allowed_actions_for(self.roads_liaison, self.report, list(self.report.dispositions.all()))
        self.assertEqual(part.disposition, child)

    def test_the_agency_keeps_seeing_the_report_and_its_units_work(self):
        child = self.forward()
        actions.post_follow_up(child, actor=self.roads_liaison, message="Tim survei berangkat.")
        self.assertEqual(access.get_report_for(self.pw_head, self.report.pk), self.report)
        self.login(self.pw_head)
        page = self.client.get(reverse("workspace:report", args=[self.report.pk]))
        self.assertContains(page, "Tim survei berangkat.")
        self.assertContains(page, "Bina Marga")

    def test_a_returned_unit_stops_reading_and_keeps_its_own_history(self):
        child = self.forward()
        actions.return_to_agency(child, actor=self.roads_liaison, reason="Bukan bidang kami")
        with self.assertRaises(Http404):
            access.get_report_for(self.roads_liaison, self.report.pk)
        self.assertEqual(access.own_history_for(self.roads_liaison, self.report.pk), (self.report, [child]))

    def test_anonymous_reporter_stays_hidden_from_a_unit(self):
        report = factory.make_disposed(self.coordinator, self.public_works, category=self.category, is_anonymous=True)
        actions.forward_to_unit(report.dispositions.get(), actor=self.pw_liaison, unit=self.roads)
        report = access.get_report_for(self.roads_liaison, report.pk)
        self.assertFalse(access.can_see_identity(self.roads_liaison, report))
        self.assertTrue(access.reading_for(self.roads_liaison, report).masked)

    def test_units_staff_cannot_act_on_the_agencys_disposition(self):
        self.forward()
        with self.assertRaises(Http404):
            access.get_disposition_to_act_on(self.roads_liaison, self.top.pk)


class UnitPageTests(UnitCase):
    def page(self, user, report=None):
        self.login(user)
        return self.client.get(reverse("workspace:report", args=[(report or self.report).pk]))

    def test_forward_box_only_for_an_agency_with_active_units(self):
        self.assertContains(self.page(self.pw_liaison), "Teruskan ke unit")
        other = factory.make_disposed(self.coordinator, self.transport, category=self.category)
        self.assertNotContains(self.page(self.transport_liaison, other), "Teruskan ke unit")

    def test_forward_offers_only_the_agencys_staffed_units(self):
        form = self.page(self.pw_liaison).context["action_boxes"]
        box = next(b for b in form if b.slug == "teruskan-unit")
        self.assertEqual(list(box.form.fields["unit"].queryset), [self.roads, self.upt])

    def test_liaison_forwards_from_the_page_and_the_unit_returns_it(self):
        self.login(self.pw_liaison)
        url = reverse("workspace:disposition_action", args=[self.top.pk, "teruskan-unit"])
        response = self.client.post(url, {"unit": self.roads.pk, "instruction": "Cek lokasi"})
        self.assertEqual(response.status_code, 302)
        child = Disposition.objects.get(parent=self.top)
        page = self.page(self.roads_liaison)
        self.assertContains(page, "Kembalikan ke perangkat daerah")
        self.assertNotContains(page, "Kembalikan ke koordinator")
        self.assertNotContains(page, "Teruskan ke unit")  # Bina Marga has no units of its own
        url = reverse("workspace:disposition_action", args=[child.pk, "kembalikan-ke-opd"])
        self.assertEqual(self.client.post(url, {"reason": "Bukan bidang kami"}).status_code, 302)
        child.refresh_from_db()
        self.assertEqual(child.state, Disposition.State.RETURNED)

    def test_forward_without_a_unit_is_refused_in_the_users_language(self):
        self.login(self.pw_liaison)
        url = reverse("workspace:disposition_action", args=[self.top.pk, "teruskan-unit"])
        response = self.client.post(url, {"unit": ""})
        self.assertContains(response, "Pilih unit tujuan.", status_code=400)
        self.client.post("/i18n/setlang/", {"language": "en", "next": "/"})
        response = self.client.post(url, {"unit": ""})
        self.assertContains(response, "Choose the unit to forward to.", status_code=400)
        self.assertFalse(Disposition.objects.filter(parent=self.top).exists())

    def test_a_sibling_unit_cannot_post_on_the_units_disposition(self):
        child = self.forward()
        self.login(self.upt_operator)
        url = reverse("workspace:disposition_action", args=[child.pk, "kembalikan-ke-opd"])
        self.assertEqual(self.client.post(url, {"reason": "x"}).status_code, 404)

    def test_agencys_list_shows_where_it_forwarded(self):
        self.forward()
        self.login(self.pw_liaison)
        response = self.client.get(reverse("workspace:dispositions"))
        self.assertContains(response, "diteruskan ke")
        self.login(self.roads_liaison)
        response = self.client.get(reverse("workspace:dispositions"))
        self.assertEqual(len(response.context["page"].object_list), 1)
        self.assertContains(response, "dari DPUPR")

    def test_agencys_list_queries_do_not_grow_with_forwarded_rows(self):
        self.forward()
        self.login(self.pw_liaison)
        url = reverse("workspace:dispositions")
        self.client.get(url)
        with self.assertNumQueries(UNIT_LIST_QUERIES):
            self.client.get(url)
        for _ in range(3):
            report = factory.make_disposed(self.coordinator, self.public_works, category=self.category)
            actions.forward_to_unit(report.dispositions.get(), actor=self.pw_liaison, unit=self.upt)
        with self.assertNumQueries(UNIT_LIST_QUERIES):
            response = self.client.get(url)
        self.assertEqual(len(response.context["page"].object_list), 4)


# session, user, appointments; the page's count and rows; their units (one prefetch).
UNIT_LIST_QUERIES = 6


class UnitMonevTests(UnitCase):
    """The report counts for the agency; the agency's page shows its units' part, read from
    the rollup's unit measures."""

    def setUp(self):
        super().setUp()
        done = self.forward()
        actions.post_follow_up(done, actor=self.roads_liaison, message="Tim survei berangkat.")
        actions.finish_disposition(done, actor=self.roads_liaison)
        other = factory.make_disposed(self.coordinator, self.public_works, category=self.category)
        back = actions.forward_to_unit(other.dispositions.get(), actor=self.pw_liaison, unit=self.upt)
        actions.return_to_agency(back, actor=self.upt_operator, reason="Bukan UPT kami")
        today = timezone.localdate()
        self.period = Filter(today - dt.timedelta(days=1), today)

    def test_units_part_counts_forwards_done_on_time_and_returns(self):
        parts = {p.unit: p for p in sums.units_part(self.period, self.public_works.pk)}
        self.assertEqual(list(parts), [self.roads, self.empty, self.upt])
        roads, upt = parts[self.roads], parts[self.upt]
        self.assertEqual((roads.forwarded, roads.done_hit, roads.done_late, roads.returned), (1, 1, 0, 0))
        self.assertEqual((upt.forwarded, upt.done_hit, upt.returned), (1, 0, 1))
        self.assertEqual(roads.on_time.percent, 100.0)

    def test_the_report_counts_once_for_the_agency_and_the_city(self):
        agency = sums.compute(self.period.with_(agency=self.public_works.pk))
        city = sums.compute(self.period)
        # The unit's reply counts once, as the agency's first follow-up (on time).
        self.assertEqual((agency.disposed, agency.returned, agency.followed_up), (2, 0, 1))
        self.assertEqual((city.disposed, city.returned, city.followed_up), (2, 0, 1))
        self.assertEqual((agency.on_time["follow_up"].hits, city.on_time["follow_up"].total), (1, 1))

    def test_units_are_not_rows_of_the_citys_agency_table(self):
        self.assertEqual(set(sums.compute_by_agency(self.period)), {self.public_works.pk})

    def test_a_rebuild_gives_the_rows_the_events_left(self):
        self.assertEqual(rows(), rebuilt())

    def test_agencys_dashboard_shows_its_units_part_in_constant_queries(self):
        self.login(self.pw_liaison)
        url = reverse("monev:dashboard")
        query = {"start": self.period.start.isoformat(), "end": self.period.end.isoformat()}
        response = self.client.get(url, query)
        self.assertContains(response, "Bagian unit kerja")
        self.assertContains(response, "UPT Jalan")
        self.login(self.roads_liaison)
        self.assertNotContains(self.client.get(url, query), "Bagian unit kerja")


class UnitNotificationTests(UnitCase):
    def setUp(self):
        super().setUp()
        for user in (self.roads_liaison, self.pw_liaison, self.pw_head, self.upt_operator):
            user.email = f"{user.username}@aduan.test"
            user.save(update_fields=["email"])

    def test_the_unit_hears_of_work_forwarded_to_it_and_the_sibling_does_not(self):
        self.forward()
        (message,) = self.assertQueued("penghubung_binamarga@aduan.test", template="staff_disposition_new")
        self.assertIn("Bina Marga", message.subject)
        self.assertNothingQueued(recipient="operator_upt@aduan.test")

    def test_the_agency_hears_of_a_return_up(self):
        child = self.forward()
        actions.return_to_agency(child, actor=self.roads_liaison, reason="Bukan bidang kami")
        self.assertQueued("penghubung_pupr@aduan.test", template="staff_disposition_returned")
        self.assertQueued("kepala_pupr@aduan.test", template="staff_disposition_returned")
        self.assertNothingQueued(recipient="koordinator@aduan.test")


class AllowedActionsTests(UnitCase):
    """The workspace's boxes and the staff API's ``allowed_actions`` name only the steps
    that apply to this disposition."""

    def allowed(self, user):
        return access.allowed_actions_for(user, self.report, list(self.report.dispositions.all())).actions

    def test_agency_may_forward_and_return_to_the_coordinator_not_up(self):
        allowed = self.allowed(self.pw_liaison)
        self.assertIn("forward_to_unit", allowed)
        self.assertIn("return_disposition", allowed)
        self.assertNotIn("return_to_agency", allowed)

    def test_unit_returns_up_and_forwards_only_with_units_of_its_own(self):
        self.forward()
        allowed = self.allowed(self.roads_liaison)
        self.assertIn("return_to_agency", allowed)
        self.assertNotIn("return_disposition", allowed)
        self.assertNotIn("forward_to_unit", allowed)

    def test_an_agency_without_units_is_not_offered_the_forward(self):
        report = factory.make_disposed(self.coordinator, self.transport, category=self.category)
        part = access.allowed_actions_for(self.transport_liaison, report, list(report.dispositions.all()))
        self.assertNotIn("forward_to_unit", part.actions)


class SeveralLevelsTests(UnitCase):
    def test_a_unit_forwards_again_to_its_own_unit_inside_its_deadlines(self):
        below = factory.make_agency(
            "Seksi Jalan Kota", short_name="Seksi Jalan", kind=Agency.Kind.UNIT, parent=self.roads
        )
        section_staff = factory.make_staff(Role.OPERATOR, below, "operator_seksi")
        child = self.forward()
        grandchild = actions.forward_to_unit(child, actor=self.roads_liaison, unit=below)
        self.assertEqual((grandchild.level, grandchild.parent), (2, child))
        self.assertLessEqual(grandchild.resolution_due_at, child.resolution_due_at)
        self.assertEqual(list(access.reports_visible_to(section_staff)), [self.report])
        # The agency's return to the coordinator takes the report from every level below.
        actions.return_disposition(self.top, actor=self.pw_liaison, reason="Bukan wewenang")
        self.assertFalse(access.reports_visible_to(section_staff).exists())
        self.assertFalse(access.reports_visible_to(self.roads_liaison).exists())


class UnitEscalationTests(UnitCase):
    def test_a_units_overdue_work_reaches_the_agency_above(self):
        from escalation.ladder import recipients
        from escalation.models import Level

        child = self.forward()
        overdue = {u.username for u in recipients(child, Level.OVERDUE)}
        self.assertEqual(overdue, {"penghubung_pupr", "operator_pupr", "kepala_pupr"})
        self.assertEqual({u.username for u in recipients(self.top, Level.OVERDUE)}, {"kepala_pupr"})
        self.assertEqual({u.username for u in recipients(child, Level.REMINDER)}, {"penghubung_binamarga"})


class UnitQueryCountTests(UnitCase):
    def test_agencys_report_page_does_not_grow_with_its_units_work(self):
        child = self.forward()
        url = reverse("workspace:report", args=[self.report.pk])
        self.login(self.pw_liaison)
        self.client.get(url)
        with CaptureQueriesContext(connection) as first:
            self.client.get(url)
        first = len(first.captured_queries)
        actions.post_follow_up(child, actor=self.roads_liaison, message="Tim survei berangkat.")
        actions.return_to_agency(child, actor=self.roads_liaison, reason="Bukan bidang kami")
        actions.forward_to_unit(self.top, actor=self.pw_liaison, unit=self.upt)
        actions.forward_to_unit(self.top, actor=self.pw_liaison, unit=self.roads)
        self.client.get(url)  # drawn again for the new version, then kept (workspace/fragments.py)
        with self.assertNumQueries(first):
            response = self.client.get(url)
        self.assertEqual(len(response.context["dispositions"]), 4)


class UnitApiTests(ApiClientMixin, UnitCase):
    """Forward to a unit and return to the agency through the staff REST API."""

    def test_forward_to_a_unit_and_its_return_through_the_api(self):
        forward = f"/api/v1/staff/dispositions/{self.top.pk}/forward-to-unit/"
        missing = self.post(forward, {"instruction": "Cek"}, self.pw_liaison)
        self.assertEqual(missing.status_code, 400)
        self.assertIn("Pilih unit tujuan.", missing.content.decode())
        # Another agency's unit is not among the choices: refused, nothing stored.
        other_unit = factory.make_agency("Bidang Lalu Lintas", kind=Agency.Kind.UNIT, parent=self.transport)
        factory.make_staff(Role.LIAISON, other_unit, "penghubung_lalin")
        refused = self.post(forward, {"unit": other_unit.pk}, self.pw_liaison)
        self.assertEqual(refused.status_code, 400)
        self.assertFalse(Disposition.objects.filter(parent=self.top).exists())
        # Only the agency's own staff forward its disposition.
        self.assertEqual(self.post(forward, {"unit": self.roads.pk}, self.transport_liaison).status_code, 404)
        response = self.post(forward, {"unit": self.roads.pk, "instruction": "Cek lokasi"}, self.pw_liaison)
        self.assertEqual(response.status_code, 200, response.content)
        child = Disposition.objects.get(parent=self.top)
        self.assertEqual((response.json()["id"], response.json()["agency"]["id"]), (child.pk, self.roads.pk))
        self.assertEqual(response.json()["instruction"], "Cek lokasi")
        back = f"/api/v1/staff/dispositions/{child.pk}/return-to-agency/"
        no_reason = self.post(back, {}, self.roads_liaison)
        self.assertEqual(no_reason.status_code, 400)
        child.refresh_from_db()
        self.assertTrue(child.is_active)
        self.assertEqual(self.post(back, {"reason": "Bukan bidang kami."}, self.pw_liaison).status_code, 404)
        response = self.post(back, {"reason": "Bukan bidang kami."}, self.roads_liaison)
        self.assertEqual(response.status_code, 200, response.content)
        self.assertEqual(
            (response.json()["return_reason"], response.json()["is_active"]), ("Bukan bidang kami.", False)
        )
        self.assertTrue(ReportEvent.objects.filter(action="returned_to_agency", disposition=child).exists())
        # A disposition from the coordinator goes back to the coordinator, not "to the agency".
        self.assertEqual(
            self.post(
                f"/api/v1/staff/dispositions/{self.top.pk}/return-to-agency/", {"reason": "x"}, self.pw_liaison
            ).status_code,
            409,
        )
