import datetime as dt
import io
import shutil
import tempfile
from collections import Counter
from pathlib import Path

import time_machine
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import TestCase, override_settings

from agencies.models import Agency, Appointment, Decree, Region, Role
from demo import city as demo
from reports.models import ArchiveReason, Category, Kind, Report, ReportEvent, Status
from staffing.coverage import coverage
from triage.models import Decision, KeywordRule, ReportTriage, Suggestion

LOADED_AT = dt.datetime(2026, 5, 20, 10, 0, tzinfo=dt.UTC)


@time_machine.travel(LOADED_AT, tick=False)
class LoadDemoTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        # Class-level set-up runs before conftest's per-test settings: repeat them here, so the
        # photos stay out of the project and the passwords use the tests' hasher.
        cls.media = tempfile.mkdtemp()
        cls.output = io.StringIO()
        fast = ["django.contrib.auth.hashers.MD5PasswordHasher"]
        # The hooks that run when the demo commits (triage of every report, then training)
        # run here too, in the same order.
        with override_settings(MEDIA_ROOT=cls.media, PASSWORD_HASHERS=fast), cls.captureOnCommitCallbacks(execute=True):
            call_command("load_demo", reports=60, seed=7, stdout=cls.output)

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.media, ignore_errors=True)
        super().tearDownClass()

    def test_it_builds_three_kecamatan_and_twenty_one_kelurahan(self):
        self.assertEqual(Region.objects.filter(level=Region.Level.KECAMATAN).count(), 3)
        self.assertEqual(Region.objects.filter(level=Region.Level.KELURAHAN).count(), 21)
        self.assertEqual(Region.objects.get(name="Gedog").parent.name, "Sananwetan")

    def test_about_thirty_agencies_under_the_city_with_one_complaint_unit(self):
        self.assertGreaterEqual(Agency.objects.count(), 28)
        root = Agency.objects.get(parent__isnull=True)
        self.assertEqual(root.kind, Agency.Kind.GOVERNMENT)
        unit = Agency.objects.get(is_complaint_unit=True)
        self.assertEqual((unit.short_name, unit.parent.short_name), ("ULPIM", "Diskominfotik"))
        self.assertEqual(Agency.objects.get(short_name="PDAM").kind, Agency.Kind.ENTERPRISE)
        self.assertEqual(Agency.objects.filter(kind=Agency.Kind.KECAMATAN).count(), 3)

    def test_every_category_is_a_child_whose_default_agency_has_an_active_liaison(self):
        children = Category.objects.filter(parent__isnull=False).select_related("default_agency", "parent")
        self.assertGreaterEqual(children.count(), 20)
        self.assertFalse(Category.objects.filter(parent__parent__isnull=False).exists())
        staffed = set(Appointment.objects.active().filter(role=Role.LIAISON).values_list("agency_id", flat=True))
        for category in children:
            with self.subTest(category=str(category)):
                self.assertIn(category.default_agency_id, staffed)
        self.assertTrue(children.filter(name="Parkir liar", parent__name="Perhubungan").exists())

    def test_every_role_has_a_user_with_an_active_appointment_and_the_demo_password(self):
        User = get_user_model()
        active = Appointment.objects.active()
        self.assertEqual(set(active.values_list("role", flat=True)), set(Role.values))
        self.assertEqual(active.get(person__username="koordinator").agency.short_name, "ULPIM")
        self.assertEqual(active.get(person__username="penghubung_dpupr").role, Role.LIAISON)
        self.assertEqual(active.get(person__username="kepala_dishub").role, Role.AGENCY_HEAD)
        admin = User.objects.get(username="admin")
        self.assertTrue(admin.is_superuser and admin.is_staff)
        self.assertTrue(User.objects.get(username="operator_pdam").check_password(demo.DEMO_PASSWORD))

    def test_decrees_are_renewed_a_year_at_a_time(self):
        current = Appointment.objects.active().get(person__username="walikota")
        self.assertRegex(current.decree_number, r"^188/\d+/410\.010/\d{4}$")
        self.assertEqual((current.valid_until - current.valid_from).days, 365)
        previous = Appointment.objects.get(person__username="walikota", valid_until=current.valid_from)
        self.assertEqual(current.decree.renews, previous.decree)
        self.assertEqual(current.decree.status, Decree.Status.ISSUED)
        self.assertEqual(current.decree.issued_by.username, "admin")
        self.assertLess(current.decree.issued_at, current.valid_from)

    def test_every_appointment_comes_from_an_issued_decree_listing_its_person(self):
        appointments = Appointment.objects.select_related("decree")
        self.assertEqual(appointments.count(), 2 * len(demo.STAFF))
        self.assertFalse(appointments.filter(decree__isnull=True).exists())
        self.assertEqual(Decree.objects.count(), Decree.objects.issued().count())
        for appointment in appointments.filter(person__username__in=["koordinator", "operator_pdam"]):
            with self.subTest(appointment=str(appointment)):
                self.assertTrue(
                    appointment.decree.members.filter(
                        person=appointment.person, agency=appointment.agency, role=appointment.role
                    ).exists()
                )

    def test_coverage_warns_about_the_one_agency_whose_decree_ends_within_thirty_days(self):
        rows = {row.agency.short_name: row for row in coverage()}
        self.assertEqual(rows["PDAM"].status, "expiring")
        self.assertEqual(
            {short for short, row in rows.items() if row.status == "expiring"},
            {"PDAM"},
        )
        ends = rows["PDAM"].liaisons[0].valid_until
        self.assertLess(ends - LOADED_AT, dt.timedelta(days=30))
        for short in demo.STAFFED:
            if short != "PDAM":
                with self.subTest(agency=short):
                    self.assertEqual(rows[short].status, "ok")

    def test_triage_has_keyword_rules_a_trained_model_and_suggestions(self):
        self.assertGreaterEqual(KeywordRule.objects.count(), 20)
        self.assertTrue((Path(self.media) / "triage" / "model.joblib").is_file())
        waiting = Report.objects.filter(status__in=[Status.RECEIVED, Status.ON_HOLD])
        self.assertTrue(waiting.exists())
        for report in waiting:
            with self.subTest(report=report.tracking_number):
                sources = set(Suggestion.objects.filter(report=report, rank=1).values_list("source", flat=True))
                self.assertEqual(sources, {"model"})
        # Older reports were triaged on submission with the keyword rules, and the
        # coordinators' choices were measured against those suggestions.
        self.assertTrue(Suggestion.objects.filter(source="keywords", agency__isnull=False).exists())
        decided = ReportTriage.objects.exclude(category_decision=Decision.PENDING)
        self.assertTrue(decided.filter(category_decision=Decision.ACCEPTED).exists())

    def test_reports_reach_every_status_and_every_archive_reason(self):
        self.assertEqual(Report.objects.count(), 60)
        self.assertEqual(set(Report.objects.values_list("status", flat=True)), set(Status.values))
        reasons = set(Report.objects.filter(status=Status.ARCHIVED).values_list("archive_reason", flat=True))
        self.assertEqual(reasons, set(ArchiveReason.values))
        self.assertTrue(Report.objects.filter(return_count__gt=0).exists())
        self.assertTrue(Report.objects.filter(reopen_count__gt=0).exists())

    def test_reports_vary_in_kind_channel_privacy_and_timeliness(self):
        self.assertEqual(set(Report.objects.values_list("kind", flat=True)), set(Kind.values))
        self.assertGreaterEqual(len(set(Report.objects.values_list("channel", flat=True))), 7)
        self.assertTrue(Report.objects.filter(is_anonymous=True).exists())
        self.assertTrue(Report.objects.filter(is_confidential=True).exists())
        self.assertTrue(Report.objects.overdue().exists())
        oldest = Report.objects.earliest("received_at").received_at
        self.assertGreater(LOADED_AT - oldest, dt.timedelta(days=180))

    def test_tracking_numbers_are_unique_and_events_tell_each_story_in_order(self):
        numbers = list(Report.objects.values_list("tracking_number", flat=True))
        self.assertEqual(len(numbers), len(set(numbers)))
        events_by_report = {}
        for event in ReportEvent.objects.order_by("created_at", "pk"):
            events_by_report.setdefault(event.report_id, []).append(event)
        for report in Report.objects.all():
            with self.subTest(report=report.tracking_number):
                events = events_by_report[report.pk]
                self.assertEqual(events[0].action, "submitted")
                self.assertEqual(events[-1].to_status, report.status)
                self.assertLessEqual(events[-1].created_at, LOADED_AT)
                self.assertTrue(report.tracking_number.startswith("BLT-"))

    def test_every_step_was_an_action_by_the_right_people(self):
        actions = Counter(ReportEvent.objects.values_list("action", flat=True))
        for action in ["verified", "disposed", "follow_up", "disposition_done", "resolved", "confirmed", "rated"]:
            self.assertGreater(actions[action], 0, action)
        self.assertEqual(
            set(ReportEvent.objects.filter(action="disposed").values_list("actor__username", flat=True)),
            {"koordinator", "koordinator2"},
        )

    def test_running_it_again_changes_nothing_and_prints_the_logins(self):
        counts = (Report.objects.count(), ReportEvent.objects.count(), Agency.objects.count())
        output = io.StringIO()
        call_command("load_demo", stdout=output)
        self.assertEqual((Report.objects.count(), ReportEvent.objects.count(), Agency.objects.count()), counts)
        self.assertIn("tidak ada yang diubah", output.getvalue())
        self.assertIn("penghubung_dishub", output.getvalue())
        self.assertIn(demo.DEMO_PASSWORD, output.getvalue())

    def test_the_first_run_prints_every_demo_login(self):
        printed = self.output.getvalue()
        for username in ["admin", "koordinator", "koordinator2", "walikota", "sekda", "operator_dpupr"]:
            self.assertIn(username, printed)

    def test_nothing_is_left_for_the_auto_close_job(self):
        # Every report the job would have closed was closed on its day, inside the story.
        self.assertFalse(Report.objects.filter(status=Status.RESOLVED, autoclose_due_at__lte=LOADED_AT).exists())
        self.assertTrue(ReportEvent.objects.filter(action="auto_closed").exists())


@time_machine.travel(LOADED_AT, tick=False)
class DemoUnitsTests(TestCase):
    """DPUPR has two units with their own staff, and forwarded one report down (issue 20)."""

    @classmethod
    def setUpTestData(cls):
        cls.media = tempfile.mkdtemp()
        fast = ["django.contrib.auth.hashers.MD5PasswordHasher"]
        with override_settings(MEDIA_ROOT=cls.media, PASSWORD_HASHERS=fast):
            call_command("load_demo", reports=60, seed=7, stdout=io.StringIO())

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.media, ignore_errors=True)
        super().tearDownClass()

    def test_dpupr_has_two_staffed_units_and_one_report_forwarded_to_bina_marga(self):
        from agencies.tree import active_units
        from reports.models import Disposition

        dpupr = Agency.objects.get(short_name="DPUPR")
        self.assertEqual([u.short_name for u in active_units(dpupr)], ["Bina Marga", "Bidang SDA"])
        forwarded = Disposition.objects.get(parent__isnull=False)
        self.assertEqual((forwarded.agency.short_name, forwarded.parent.agency_id), ("Bina Marga", dpupr.pk))
        self.assertTrue(forwarded.is_open and forwarded.parent.is_open)
        self.assertTrue(ReportEvent.objects.filter(action="forwarded_to_unit", disposition=forwarded).exists())
