"""Governments as tenants: the access probes of tests/test_access.py replayed with two
governments (Kota Blitar, the installation's, and Kota Kediri beside it). Each test fails
without the government rule in reports/access.py and agencies/roles.py."""

import datetime as dt
import io

from django.core.management import CommandError, call_command
from django.db import IntegrityError, transaction
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from agencies.models import Agency, Role
from agencies.roles import staff_profile
from api.models import StaffToken
from core.errors import DomainError, NotAllowed
from governments.models import Government, installation_government
from monev import figures, sums
from reports import access, actions
from reports.models import Category, Status
from tests import factory
from tests.base import AduanTestCase, TwoGovernmentsBase


class TwoGovernmentsCase(TwoGovernmentsBase):
    """The base personas work for the installation's government (Kota Blitar); Kota Kediri
    has its own complaint unit, agency, category, coordinator and liaison (tests/base.py),
    an executive, and each government a disposed report."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.kediri_executive = factory.make_staff(Role.EXECUTIVE, cls.kediri_unit, "walikota_kediri")

    def setUp(self):
        super().setUp()
        self.blitar_report = factory.make_disposed(self.coordinator, self.transport, category=self.category)
        self.kediri_report = factory.make_disposed(
            self.kediri_coordinator, self.kediri_transport, category=self.kediri_category
        )


class GovernmentIsolationTests(TwoGovernmentsCase):
    def test_profile_knows_the_government_of_each_appointment(self):
        self.assertEqual(staff_profile(self.kediri_coordinator).overseen_government_ids, {self.kediri.pk})
        self.assertEqual(staff_profile(self.coordinator).coordinated_government_ids, {self.blitar.pk})

    def test_coordinator_sees_only_their_governments_reports(self):
        self.assertEqual(list(access.reports_visible_to(self.coordinator)), [self.blitar_report])
        self.assertEqual(list(access.reports_visible_to(self.kediri_coordinator)), [self.kediri_report])

    def test_executive_sees_only_their_governments_reports_and_figures(self):
        self.assertEqual(list(access.reports_visible_to(self.kediri_executive)), [self.kediri_report])
        self.assertEqual(list(access.reports_counted_for(self.executive)), [self.blitar_report])
        self.assertEqual(list(access.reports_counted_for(self.kediri_executive)), [self.kediri_report])

    def test_coordinator_cannot_open_another_governments_report(self):
        with self.assertRaises(Http404):
            access.get_report_for(self.kediri_coordinator, self.blitar_report.pk)
        with self.assertRaises(Http404):
            access.get_report_for(self.executive, self.kediri_report.pk)

    def test_coordinator_cannot_open_another_governments_disposition(self):
        blitar_disposition = self.blitar_report.dispositions.get()
        self.assertNotIn(blitar_disposition, access.dispositions_visible_to(self.kediri_coordinator))
        self.assertEqual(
            list(access.dispositions_visible_to(self.kediri_executive)), [self.kediri_report.dispositions.get()]
        )
        with self.assertRaises(Http404):
            access.get_disposition_for(self.kediri_executive, blitar_disposition.pk)

    def test_coordinator_cannot_act_on_or_read_the_identity_of_another_governments_report(self):
        self.assertFalse(access.can_act(self.kediri_coordinator, self.blitar_report))
        self.assertFalse(access.can_see_identity(self.kediri_coordinator, self.blitar_report))
        self.assertTrue(access.can_see_identity(self.coordinator, self.blitar_report))
        received = self.make_report()
        with self.assertRaises(NotAllowed):  # the transition table refuses NOBODY
            actions.archive_report(received, actor=self.kediri_coordinator, reason="spam")

    def test_agency_liaison_of_another_government_sees_nothing_of_ours(self):
        self.assertEqual(list(access.reports_visible_to(self.kediri_liaison)), [self.kediri_report])


class GovernmentPagesTests(TwoGovernmentsCase):
    def test_inbox_and_search_list_only_the_governments_reports(self):
        blitar_new = self.make_report()
        kediri_new = factory.make_report(category=self.kediri_category)
        self.login(self.kediri_coordinator)
        body = self.client.get(reverse("workspace:inbox")).content.decode()
        self.assertIn(kediri_new.tracking_number, body)
        self.assertNotIn(blitar_new.tracking_number, body)
        body = self.client.get(reverse("workspace:reports"), {"q": "lampu"}).content.decode()
        self.assertIn(self.kediri_report.tracking_number, body)
        self.assertNotIn(self.blitar_report.tracking_number, body)

    def test_filters_offer_only_the_governments_agencies_categories_and_coordinators(self):
        self.login(self.kediri_coordinator)
        body = self.client.get(reverse("workspace:reports")).content.decode()
        self.assertIn("koordinator_kediri", body)
        for name in ("DPUPR", "Lampu penerangan jalan umum", ">koordinator<"):
            self.assertNotIn(name, body)

    def test_a_kept_choice_list_is_never_drawn_for_another_government(self):
        # The first page keeps the agency and category lists in the process
        # (core/choice_lists.py); the other government's page must not be drawn from them.
        kecamatan = factory.make_region("Mojoroto", government=self.kediri)
        factory.make_region("Bandar Lor", parent=kecamatan, government=self.kediri)
        self.login(self.coordinator)
        body = self.client.get(reverse("workspace:reports")).content.decode()
        self.assertIn("DPUPR", body)
        self.assertIn("Bendogerit", body)
        self.assertNotIn("Bandar Lor", body)
        self.login(self.kediri_coordinator)
        body = self.client.get(reverse("workspace:reports")).content.decode()
        self.assertIn("Dinas Perhubungan", body)
        self.assertIn("Bandar Lor", body)
        for name in ("DPUPR", "Lampu penerangan jalan umum", "Bendogerit", "Sananwetan"):
            self.assertNotIn(name, body)

    def test_report_page_of_another_government_is_not_found(self):
        self.login(self.kediri_coordinator)
        response = self.client.get(reverse("workspace:report", args=[self.blitar_report.pk]))
        self.assertEqual(response.status_code, 404)

    def test_staff_api_lists_only_the_governments_reports(self):
        token = StaffToken.objects.issue(self.kediri_coordinator)[1]
        body = self.client.get(
            reverse("api:staff-reports"), headers={"Authorization": f"Token {token}"}
        ).content.decode()
        self.assertIn(self.kediri_report.tracking_number, body)
        self.assertNotIn(self.blitar_report.tracking_number, body)


class GovernmentRowsTests(TwoGovernmentsCase):
    def test_tracking_numbers_carry_the_governments_prefix(self):
        self.assertTrue(self.kediri_report.tracking_number.startswith("KDR-"))
        self.assertTrue(self.blitar_report.tracking_number.startswith(self.blitar.tracking_prefix + "-"))

    def test_report_takes_its_categorys_government(self):
        self.assertEqual(self.kediri_report.government, self.kediri)
        self.assertEqual(self.blitar_report.government, self.blitar)

    def test_coordinator_cannot_enter_a_report_for_another_government(self):
        with self.assertRaises(NotAllowed):
            factory.make_report(actor=self.kediri_coordinator, channel="call_center", category=self.category)

    def test_a_report_is_not_disposed_to_another_governments_agency(self):
        report = factory.make_verified(self.coordinator, category=self.category)
        with self.assertRaises(DomainError):
            actions.dispose_report(report, actor=self.coordinator, lead_agency=self.kediri_transport)

    def test_a_report_is_not_classified_with_another_governments_category_or_kelurahan(self):
        kediri_kelurahan = factory.make_region(
            "Bandar Lor", parent=factory.make_region("Mojoroto", government=self.kediri)
        )
        report = factory.make_report(category=self.category)
        for change in ({"category": self.kediri_category}, {"region": kediri_kelurahan}):
            with self.subTest(change=list(change)), self.assertRaises(DomainError):
                actions.verify_report(report, actor=self.coordinator, **change)
        report.refresh_from_db()
        self.assertEqual((report.status, report.category, report.region), (Status.RECEIVED, self.category, None))

    def test_the_staff_api_refuses_another_governments_category(self):
        token = StaffToken.objects.issue(self.coordinator)[1]
        report = factory.make_report(category=self.category)
        response = self.client.post(
            reverse("api:staff-report-classify", args=[report.pk]),
            {"category": self.kediri_category.pk},
            headers={"Authorization": f"Token {token}"},
        )
        self.assertEqual(response.status_code, 400, response.content)
        report.refresh_from_db()
        self.assertEqual(report.category, self.category)

    def test_with_two_governments_a_row_made_without_its_government_is_refused(self):
        self.assertIsNone(installation_government())
        for make in (
            lambda: Agency.objects.create(name="Dinas Tanpa Pemda"),
            lambda: Category.objects.create(name="Kategori Tanpa Pemda"),
        ):
            with self.assertRaises(IntegrityError), transaction.atomic():
                make()

    def test_agency_names_repeat_across_governments_but_not_within_one(self):
        self.assertEqual(Agency.objects.filter(name="Dinas Perhubungan").count(), 2)
        with self.assertRaises(IntegrityError), transaction.atomic():
            factory.make_agency("Dinas Perhubungan", government=self.kediri)


class GovernmentFiguresTests(TwoGovernmentsCase):
    def test_monev_counts_each_governments_reports_apart(self):
        today = timezone.localdate()
        month = figures.Filter(today.replace(day=1), today)
        self.assertEqual(sums.count(month.with_(government=self.kediri.pk), "received"), 1)
        self.assertEqual(sums.count(month.with_(government=self.blitar.pk), "received"), 1)
        self.assertEqual(figures.scope_reports(month.with_(government=self.kediri.pk)).get(), self.kediri_report)

    def test_monev_scorecard_lists_only_the_governments_agencies(self):
        today = timezone.localdate()
        month = figures.Filter(today.replace(day=1), today, government=self.kediri.pk)
        self.assertEqual(set(sums.compute_by_agency(month)), {self.kediri_transport.pk})

    def test_monev_drilldown_lists_only_the_governments_reports(self):
        self.login(self.kediri_executive)
        today = timezone.localdate()
        params = {"metric": "received", "start": today.replace(day=1).isoformat(), "end": today.isoformat()}
        body = self.client.get(reverse("monev:reports"), params).content.decode()
        self.assertIn(self.kediri_report.tracking_number, body[-20000:])
        self.assertNotIn(self.blitar_report.tracking_number, body)


class GovernmentCalendarTests(TwoGovernmentsCase):
    def test_a_regional_holiday_counts_only_for_its_government_and_a_national_one_for_all(self):
        from core import workdays
        from core.models import CalendarEntry

        monday = dt.date(2031, 3, 3)  # an ordinary Monday
        tuesday = monday + dt.timedelta(days=1)
        CalendarEntry.objects.create(government=self.kediri, date=monday, name="Hari Jadi Kota Kediri")
        CalendarEntry.objects.create(government=None, date=tuesday, name="Libur nasional tambahan")
        workdays.calendar_changed()
        self.assertFalse(workdays.is_working_day(monday, self.kediri.pk))
        self.assertTrue(workdays.is_working_day(monday, self.blitar.pk))
        self.assertFalse(workdays.is_working_day(tuesday, self.blitar.pk))
        self.assertEqual(workdays.holiday_name(monday, self.kediri.pk), "Hari Jadi Kota Kediri")
        self.assertIsNone(workdays.holiday_name(monday, self.blitar.pk))


class AddGovernmentCommandTests(AduanTestCase):
    def test_add_government_makes_its_unit_and_copies_the_default_categories(self):
        out = io.StringIO()
        call_command("add_government", "Kota Kediri", kind="kota", slug="kota-kediri", prefix="KDR", stdout=out)
        kediri = Government.objects.get(slug="kota-kediri")
        unit = Agency.objects.get(government=kediri)
        self.assertTrue(unit.is_complaint_unit)
        blitar = Government.objects.exclude(pk=kediri.pk).get()
        names = sorted(Category.objects.of(kediri).values_list("name", flat=True))
        self.assertEqual(names, sorted(Category.objects.of(blitar).values_list("name", flat=True)))
        copied = Category.objects.of(kediri).get(name="Parkir liar")
        self.assertEqual((copied.parent.name, copied.parent.government), ("Perhubungan", kediri))
        self.assertIsNone(copied.default_agency)  # Blitar's agency is not Kediri's
        self.assertIn("KDR", out.getvalue())

    def test_add_government_refuses_a_prefix_in_use(self):
        prefix = Government.objects.get().tracking_prefix
        with self.assertRaisesMessage(CommandError, "sudah dipakai"):
            call_command("add_government", "Kota Lain", kind="kota", slug="kota-lain", prefix=prefix)
        self.assertEqual(Government.objects.count(), 1)


class GovernmentNotificationTests(TwoGovernmentsCase):
    def test_a_returned_disposition_tells_only_its_governments_coordinators(self):
        for user in (self.coordinator, self.kediri_coordinator):
            user.email = f"{user.username}@example.go.id"
            user.save(update_fields=["email"])
        with self.captureOnCommitCallbacks(execute=True):
            actions.return_disposition(
                self.kediri_report.dispositions.get(), actor=self.kediri_liaison, reason="Jalan provinsi."
            )
        [returned] = self.assertQueued(template="staff_disposition_returned")
        self.assertEqual(returned.user, self.kediri_coordinator)


class GovernmentPeopleTests(TwoGovernmentsCase):
    def test_workload_and_decree_coverage_show_only_the_governments_agencies_and_people(self):
        self.login(self.kediri_coordinator)
        for name in ("staffing:workload", "staffing:coverage"):
            body = self.client.get(reverse(name)).content.decode()
            self.assertIn("Dinas Perhubungan", body, name)  # Kediri's own
            for theirs in ("DPUPR", "penghubung_pupr", "Dishub"):
                self.assertNotIn(theirs, body, name)

    def test_coordinator_cannot_assign_another_governments_disposition(self):
        from staffing.actions import may_assign

        self.assertFalse(may_assign(self.kediri_coordinator, self.transport.pk))
        self.assertTrue(may_assign(self.kediri_coordinator, self.kediri_transport.pk))
