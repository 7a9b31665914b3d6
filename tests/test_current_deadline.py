"""Report.current_deadline, the stored copy of with_deadline() the inbox sorts by (issue
21): every action that changes one of its inputs keeps it equal to the annotation."""

from django.db.models import F

from reports import actions
from reports.actions import ExternalState
from reports.models import Disposition, Report, Status, refresh_current_deadline
from tests import factory
from tests.base import AduanTestCase


class CurrentDeadlineTests(AduanTestCase):
    def assertKept(self, report, status, *, empty=False):
        row = Report.objects.with_deadline().values("status", "current_deadline", "deadline").get(pk=report.pk)
        self.assertEqual(row["status"], status)
        self.assertEqual(row["current_deadline"], row["deadline"], f"after the step to {status}")
        self.assertEqual(row["current_deadline"] is None, empty, f"a deadline after the step to {status}")
        return row["current_deadline"]

    def test_a_complaint_keeps_it_through_its_whole_life(self):
        report = self.make_report()
        received = self.assertKept(report, Status.RECEIVED)
        self.assertEqual(received, Report.objects.get(pk=report.pk).due_at)
        report = actions.hold_report(report, actor=self.coordinator, question="Di sebelah mana tepatnya?")
        self.assertKept(report, Status.ON_HOLD)
        report = actions.reply_as_reporter(report, actor=factory.reporter_of(report), message="Depan pasar.")
        self.assertKept(report, Status.RECEIVED)
        report = actions.verify_report(report, actor=self.coordinator)
        self.assertKept(report, Status.VERIFIED)
        report = actions.dispose_report(
            report, actor=self.coordinator, lead_agency=self.public_works, supporting_agencies=[self.transport]
        )
        disposed = self.assertKept(report, Status.DISPOSED)
        lead = report.dispositions.get(agency=self.public_works)
        self.assertEqual(disposed, lead.follow_up_due_at)

        actions.post_follow_up(lead, actor=self.pw_liaison, message="Kami cek besok.")
        # The lead answered: the support's first follow-up is now the nearest deadline.
        self.assertKept(report, Status.IN_PROGRESS)
        support = report.dispositions.get(agency=self.transport)
        actions.return_disposition(support, actor=self.transport_liaison, reason="Bukan wewenang kami.")
        followed_up = self.assertKept(report, Status.IN_PROGRESS)
        lead.refresh_from_db()
        self.assertEqual(followed_up, lead.resolution_due_at)
        actions.finish_disposition(lead, actor=self.pw_liaison, message="Lampu sudah diganti.")
        self.assertKept(report, Status.RESOLVED, empty=True)

        report = actions.dispute_resolution(report, actor=factory.reporter_of(report), reason="Masih mati.")
        self.assertKept(report, Status.VERIFIED)
        report = actions.dispose_report(report, actor=self.coordinator, lead_agency=self.transport)
        self.assertKept(report, Status.DISPOSED)
        actions.return_disposition(
            report.dispositions.get(is_active=True), actor=self.transport_liaison, reason="Bukan wewenang kami."
        )
        self.assertKept(report, Status.VERIFIED)
        report = actions.dispose_report(
            Report.objects.get(pk=report.pk), actor=self.coordinator, lead_agency=self.public_works
        )
        self.assertKept(report, Status.DISPOSED)
        actions.finish_disposition(
            report.dispositions.get(is_active=True), actor=self.pw_liaison, message="Sudah diganti lagi."
        )
        self.assertKept(report, Status.RESOLVED, empty=True)
        actions.close_report(Report.objects.get(pk=report.pk), actor=self.coordinator)
        self.assertKept(report, Status.CLOSED, empty=True)

    def test_an_information_request_keeps_it_through_extension_and_objection(self):
        report = self.make_report(kind="information_request")
        self.assertKept(report, Status.RECEIVED)
        report = actions.verify_and_dispose(report, actor=self.coordinator, lead_agency=self.public_works)
        self.assertKept(report, Status.DISPOSED)
        disposition = report.dispositions.get()
        actions.post_follow_up(disposition, actor=self.pw_liaison, message="Sedang kami siapkan.")
        before = self.assertKept(report, Status.IN_PROGRESS)
        report = actions.extend_information_request(
            Report.objects.get(pk=report.pk), actor=self.coordinator, reason="Data tersebar di tiga bidang."
        )
        self.assertGreater(self.assertKept(report, Status.IN_PROGRESS), before)
        actions.finish_disposition(disposition, actor=self.pw_liaison, message="Data terlampir.")
        self.assertKept(report, Status.RESOLVED, empty=True)
        report = actions.file_objection(
            Report.objects.get(pk=report.pk), actor=factory.reporter_of(report), reason="Tidak lengkap."
        )
        self.assertEqual(self.assertKept(report, Status.OBJECTION), Report.objects.get(pk=report.pk).objection_due_at)
        report = actions.answer_objection(report, actor=self.coordinator, answer="Data lengkap terlampir.")
        self.assertKept(report, Status.CLOSED, empty=True)

    def test_archiving_and_the_reporters_confirmation_clear_it(self):
        spam = self.make_report()
        actions.archive_report(spam, actor=self.coordinator, reason="spam")
        self.assertKept(spam, Status.ARCHIVED, empty=True)
        report = factory.make_resolved(self.coordinator, self.public_works, self.pw_liaison)
        self.assertKept(report, Status.RESOLVED, empty=True)
        actions.confirm_resolution(report, actor=factory.reporter_of(report))
        self.assertKept(report, Status.CLOSED, empty=True)

    def test_reports_from_another_system_keep_it_in_bulk_and_when_mirrored(self):
        fields = {"description": "Jalan berlubang di depan sekolah.", "reporter_name": "Budi"}
        received, disposed = actions.submit_external_reports(
            [
                (fields, ExternalState(), None),
                (fields, ExternalState(status=Status.DISPOSED, agency_id=self.public_works.pk), None),
            ],
            source="lapor",
        )
        self.assertKept(received, Status.RECEIVED)
        self.assertKept(disposed, Status.DISPOSED)
        actions.mirror_external_state(
            received, ExternalState(status=Status.IN_PROGRESS, agency_id=self.transport.pk), source="lapor"
        )
        self.assertKept(received, Status.IN_PROGRESS)
        actions.mirror_external_state(
            disposed, ExternalState(status=Status.RESOLVED, agency_id=self.public_works.pk), source="lapor"
        )
        self.assertKept(disposed, Status.RESOLVED, empty=True)

    def test_refresh_puts_back_what_a_raw_update_left_behind(self):
        report = factory.make_disposed(self.coordinator, self.public_works)
        Disposition.objects.filter(report=report).update(
            follow_up_due_at=F("follow_up_due_at") - F("follow_up_due_at") + F("created_at")
        )
        refresh_current_deadline([report.pk])
        self.assertKept(report, Status.DISPOSED)
