from reports import actions
from reports.models import Status
from tests import factory
from tests.base import AduanTestCase


class LifeCycleTests(AduanTestCase):
    def test_a_report_walks_its_whole_life(self):
        report = self.make_report()
        self.assertRegex(report.tracking_number, r"^BLT-\d{4}-000001$")
        report = actions.verify_report(report, actor=self.coordinator)
        report = actions.dispose_report(report, actor=self.coordinator, lead_agency=self.public_works)
        disposition = report.dispositions.get()
        actions.post_follow_up(disposition, actor=self.pw_liaison, message="Sedang kami cek.")
        actions.finish_disposition(disposition, actor=self.pw_liaison, message="Sudah diperbaiki.")
        report.refresh_from_db()
        self.assertEqual(report.status, Status.RESOLVED)
        actions.confirm_resolution(report, actor=factory.reporter_of(report))
        actions.rate_report(report, actor=factory.reporter_of(report), rating=5, comment="Cepat")
        report.refresh_from_db()
        self.assertEqual((report.status, report.rating), (Status.CLOSED, 5))
        self.assertEqual(
            list(report.events.values_list("action", flat=True)),
            [
                "submitted",
                "verified",
                "disposed",
                "follow_up",
                "follow_up",
                "disposition_done",
                "resolved",
                "confirmed",
                "rated",
            ],
        )
