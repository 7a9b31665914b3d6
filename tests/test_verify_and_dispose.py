"""Verify and dispose in one step: reports.actions.verify_and_dispose, the workspace's
"Verifikasi & teruskan" box and the staff API's verify-dispose."""

from unittest import mock

from django.core.cache import cache
from django.urls import reverse

from api.models import StaffToken
from core.errors import DomainError, InvalidTransition, NotAllowed
from reports import actions
from reports.access import allowed_actions_for
from reports.models import Disposition, Status
from tests import factory
from tests.base import AduanTestCase
from triage.models import Suggestion


class VerifyAndDisposeActionTests(AduanTestCase):
    def test_writes_the_verified_and_the_disposed_event_as_the_two_actions_would(self):
        report = self.make_report(reply_channel="email")
        with self.captureOnCommitCallbacks(execute=True):
            report = actions.verify_and_dispose(
                report,
                actor=self.coordinator,
                lead_agency=self.public_works,
                instruction="Cek ke lokasi.",
                message="Terima kasih, laporan Anda kami teruskan.",
                category=self.other_category,
            )
        report.refresh_from_db()
        self.assertEqual(report.status, Status.DISPOSED)
        self.assertEqual(report.category, self.other_category)
        verified, disposed = report.events.filter(action__in=["verified", "disposed"]).order_by("pk")
        self.assertEqual((verified.from_status, verified.to_status), ("received", "verified"))
        self.assertEqual(verified.message, "Terima kasih, laporan Anda kami teruskan.")
        self.assertEqual(verified.audience, "reporter")
        self.assertIn("category", verified.data["changes"])
        self.assertEqual((disposed.from_status, disposed.to_status), ("verified", "disposed"))
        self.assertEqual(disposed.data["instruction"], "Cek ke lokasi.")
        disposition = report.dispositions.get()
        self.assertEqual((disposition.agency, disposition.role), (self.public_works, "lead"))
        self.assertIsNotNone(report.verified_at)
        # The reporter hears of both, as when done separately.
        self.assertQueued("siti@example.org", template="report_verified")
        self.assertQueued("siti@example.org", template="report_disposed")

    def test_a_refused_dispose_stores_nothing_and_announces_nothing(self):
        report = self.make_report()
        refused = mock.patch("reports.actions.dispositions.dispose_report", side_effect=InvalidTransition())
        with refused, self.captureOnCommitCallbacks(execute=False) as callbacks, self.assertRaises(InvalidTransition):
            actions.verify_and_dispose(report, actor=self.coordinator, lead_agency=self.public_works, message="Halo")
        report.refresh_from_db()
        self.assertEqual((report.status, report.verified_at), (Status.RECEIVED, None))
        self.assertEqual(list(report.events.values_list("action", flat=True)), ["submitted"])
        self.assertEqual(callbacks, [])

    def test_without_an_agency_nothing_is_verified(self):
        report = self.make_report()
        with self.assertRaises(DomainError):
            actions.verify_and_dispose(report, actor=self.coordinator, lead_agency=None)
        report.refresh_from_db()
        self.assertEqual(report.status, Status.RECEIVED)

    def test_a_liaison_or_a_verified_report_is_refused(self):
        with self.assertRaises(NotAllowed):
            actions.verify_and_dispose(self.make_report(), actor=self.pw_liaison, lead_agency=self.public_works)
        verified = factory.make_verified(self.coordinator, category=self.category)
        with self.assertRaises(InvalidTransition):
            actions.verify_and_dispose(verified, actor=self.coordinator, lead_agency=self.public_works)
        self.assertFalse(Disposition.objects.exists())

    def test_offered_only_where_verify_and_then_dispose_are_allowed(self):
        def allowed(user, report):
            return allowed_actions_for(user, report, list(report.dispositions.all())).actions

        received = self.make_report()
        self.assertIn("verify_dispose", allowed(self.coordinator, received))
        self.assertNotIn("verify_dispose", allowed(self.executive, received))
        verified = factory.make_verified(self.coordinator, category=self.category)
        self.assertNotIn("verify_dispose", allowed(self.coordinator, verified))
        disposed = factory.make_disposed(self.coordinator, self.public_works, category=self.category)
        self.assertNotIn("verify_dispose", allowed(self.pw_liaison, disposed))


class VerifyAndDisposeBoxTests(AduanTestCase):
    def setUp(self):
        self.login(self.coordinator)

    def test_the_box_comes_first_with_triages_agency_chosen(self):
        report = self.make_report()
        Suggestion.objects.create(report=report, rank=1, category=self.category, agency=self.public_works)
        response = self.client.get(reverse("workspace:report", args=[report.pk]))
        boxes = response.context["action_boxes"]
        self.assertEqual(boxes[0].slug, "verifikasi-teruskan")
        self.assertEqual(boxes[0].form["lead_agency"].value(), self.public_works.pk)
        self.assertContains(response, 'id="aksi-verifikasi-teruskan" open')

    def test_one_submit_verifies_and_disposes(self):
        report = self.make_report()
        response = self.client.post(
            reverse("workspace:report_action", args=[report.pk, "verifikasi-teruskan"]),
            {"lead_agency": self.transport.pk, "instruction": "Segera.", "category": self.category.pk},
            follow=True,
        )
        self.assertContains(response, "Laporan diverifikasi dan didisposisikan.")
        report.refresh_from_db()
        self.assertEqual(report.status, Status.DISPOSED)
        self.assertEqual(list(report.events.values_list("action", flat=True)), ["submitted", "verified", "disposed"])

    def test_a_refused_one_keeps_the_form_and_stores_nothing(self):
        report = self.make_report()
        response = self.client.post(
            reverse("workspace:report_action", args=[report.pk, "verifikasi-teruskan"]),
            {"lead_agency": "", "instruction": "Cek bersama lurah.", "message": "Terima kasih."},
        )
        self.assertEqual(response.status_code, 400)
        self.assertEqual(response.context["rejected_box"].slug, "verifikasi-teruskan")
        self.assertContains(response, "Cek bersama lurah.", status_code=400)
        report.refresh_from_db()
        self.assertEqual(report.status, Status.RECEIVED)

    def test_the_staff_api_takes_the_same_step(self):
        report = self.make_report()
        cache.clear()  # the API's throttles count in the cache
        _token, key = StaffToken.objects.issue(self.coordinator)
        response = self.client.post(
            f"/api/v1/staff/reports/{report.pk}/verify-dispose/",
            {"lead_agency": self.public_works.pk},
            headers={"Authorization": f"Token {key}"},
        )
        self.assertEqual(response.status_code, 200, response.content)
        self.assertEqual(response.json()["status"], "disposed")
