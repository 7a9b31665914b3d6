"""Each action: it works, a wrong actor is refused, a wrong state is refused, the event row
is written, and the notification signal fires only after the commit."""

import datetime as dt
from unittest import mock

import time_machine
from django.db import transaction
from django.utils import timezone, translation

from core import workdays
from core.errors import DomainError, InvalidTransition, NotAllowed
from reports import actions
from reports.access import SYSTEM
from reports.models import Audience, Channel, Disposition, Report, ReportEvent, Status
from reports.signals import event_recorded
from tests import factory
from tests.base import AduanTestCase


class ActionTestCase(AduanTestCase):
    def verified(self, **kw):
        return actions.verify_report(self.make_report(**kw), actor=self.coordinator)

    def disposed(self, *, supporting=(), **kw):
        return actions.dispose_report(
            self.verified(**kw), actor=self.coordinator, lead_agency=self.public_works, supporting_agencies=supporting
        )

    def lead(self, report):
        return report.dispositions.get(role=Disposition.Role.LEAD, is_active=True)

    def resolved(self, **kw):
        report = self.disposed(**kw)
        actions.finish_disposition(self.lead(report), actor=self.pw_liaison, message="Sudah diperbaiki.")
        report.refresh_from_db()
        return report

    def last_event(self, report):
        return report.events.order_by("-pk").first()


class SubmitTests(ActionTestCase):
    def test_a_web_submission_takes_the_active_language_as_the_reporters(self):
        with translation.override("en"):
            self.assertEqual(self.make_report().language, "en")
            self.assertEqual(self.make_report(channel=Channel.ANDROID).language, "en")
        with translation.override("id"):
            self.assertEqual(self.make_report().language, "id")

    def test_other_channels_and_staff_entries_are_in_indonesian_whatever_the_active_language(self):
        with translation.override("en"):
            by_whatsapp = self.make_report(channel=Channel.WHATSAPP, actor=SYSTEM)
            by_phone = self.make_report(channel=Channel.CALL_CENTER, actor=self.coordinator)
            typed_as_web = self.make_report(channel=Channel.WEB, actor=self.coordinator)
        self.assertEqual((by_whatsapp.language, by_phone.language, typed_as_web.language), ("id", "id", "id"))

    def test_a_given_language_is_kept_and_an_unknown_one_falls_back_to_indonesian(self):
        self.assertEqual(self.make_report(channel=Channel.SMS, actor=SYSTEM, language="en").language, "en")
        with translation.override("en"):
            self.assertEqual(self.make_report(language="fr").language, "id")

    def test_submission_gets_a_tracking_number_a_deadline_and_an_event(self):
        report = self.make_report()
        self.assertEqual(report.status, Status.RECEIVED)
        self.assertEqual(workdays.working_days_between(report.received_at, report.due_at), 3)
        self.assertEqual(timezone.localtime(report.due_at).time(), dt.time(23, 59, 59))
        event = report.events.get()
        self.assertEqual((event.action, event.to_status, event.is_public), ("submitted", "received", True))

    def test_tracking_numbers_are_sequential_per_year(self):
        numbers = [self.make_report().tracking_number for _ in range(3)]
        year = timezone.localdate().year
        self.assertEqual(numbers, [f"BLT-{year}-{n:06d}" for n in (1, 2, 3)])

    def test_a_new_year_starts_a_new_sequence(self):
        with time_machine.travel(dt.datetime(2025, 12, 31, 12, tzinfo=dt.UTC), tick=False):
            self.assertEqual(self.make_report().tracking_number, "BLT-2025-000001")
        with time_machine.travel(dt.datetime(2026, 1, 2, 3, tzinfo=dt.UTC), tick=False):
            self.assertEqual(self.make_report().tracking_number, "BLT-2026-000001")

    def test_a_failed_submission_stores_nothing_and_leaves_no_gap(self):
        first = self.make_report()
        failing = mock.patch("reports.actions.intake._save_attachments", side_effect=OSError("disk full"))
        with failing, self.assertRaises(OSError):
            self.make_report(attachments=[mock.Mock()])
        self.assertEqual(Report.objects.count(), 1)
        second = self.make_report()
        self.assertEqual(int(second.tracking_number[-6:]), int(first.tracking_number[-6:]) + 1)

    def test_empty_description_is_refused(self):
        with self.assertRaises(DomainError):
            self.make_report(description="   ")
        self.assertFalse(Report.objects.exists())

    def test_reply_by_whatsapp_needs_a_phone_number(self):
        with self.assertRaises(DomainError):
            self.make_report(reply_channel="whatsapp", reporter_phone="")

    def test_manual_entry_records_channel_reference_and_received_at(self):
        received = timezone.now() - dt.timedelta(hours=3)
        report = self.make_report(
            actor=self.coordinator, channel="radio", channel_reference="Radio Mahardhika, 08.15", received_at=received
        )
        self.assertEqual((report.channel, report.received_at, report.created_by), ("radio", received, self.coordinator))
        self.assertEqual(report.events.get().actor, self.coordinator)

    def test_manual_entry_by_agency_staff_is_refused(self):
        with self.assertRaises(NotAllowed):
            self.make_report(actor=self.pw_liaison, channel="call_center")

    def test_received_at_in_the_future_is_refused(self):
        with self.assertRaises(DomainError):
            self.make_report(actor=self.coordinator, received_at=timezone.now() + dt.timedelta(days=1))

    def test_attachments_are_stored_with_the_report(self):
        from core.uploads import clean_bytes

        report = self.make_report(attachments=[clean_bytes("foto.jpg", factory.jpeg_bytes())])
        attachment = report.attachments.get()
        self.assertEqual((attachment.content_type, attachment.event.action), ("image/jpeg", "submitted"))

    def test_the_signal_fires_after_commit_only(self):
        received = []

        def handler(event, **kw):
            received.append(event.action)

        event_recorded.connect(handler)
        self.addCleanup(event_recorded.disconnect, handler)
        with self.captureOnCommitCallbacks(execute=False) as callbacks:
            self.make_report()
        self.assertEqual(received, [])
        for callback in callbacks:
            callback()
        self.assertEqual(received, ["submitted"])

    def test_a_rolled_back_action_sends_nothing(self):
        received = []
        event_recorded.connect(lambda event, **kw: received.append(event), weak=False, dispatch_uid="t")
        self.addCleanup(event_recorded.disconnect, dispatch_uid="t")
        with self.captureOnCommitCallbacks(execute=True):
            try:
                with transaction.atomic():
                    self.make_report()
                    raise RuntimeError
            except RuntimeError:
                pass
        self.assertEqual(received, [])


class CoordinatorActionTests(ActionTestCase):
    def test_verify_works_and_writes_a_public_event(self):
        report = actions.verify_report(self.make_report(), actor=self.coordinator, category=self.other_category)
        self.assertEqual((report.status, report.category), (Status.VERIFIED, self.other_category))
        event = self.last_event(report)
        self.assertEqual(
            (event.action, event.from_status, event.to_status, event.actor),
            ("verified", "received", "verified", self.coordinator),
        )
        self.assertIn("category", event.data["changes"])

    def test_verify_by_a_liaison_is_refused(self):
        with self.assertRaises(NotAllowed):
            actions.verify_report(self.make_report(), actor=self.pw_liaison)

    def test_verify_by_the_executive_is_refused(self):
        with self.assertRaises(NotAllowed):
            actions.verify_report(self.make_report(), actor=self.executive)

    def test_verify_twice_is_refused(self):
        with self.assertRaises(InvalidTransition):
            actions.verify_report(self.verified(), actor=self.coordinator)

    def test_classify_records_what_changed(self):
        report = actions.classify_report(
            self.make_report(), actor=self.coordinator, kind="aspiration", region=self.other_kelurahan
        )
        event = self.last_event(report)
        self.assertEqual(event.action, "classified")
        self.assertEqual(set(event.data["changes"]), {"kind", "region"})
        self.assertFalse(event.is_public)

    def test_classify_of_a_closed_report_is_refused(self):
        report = self.resolved()
        actions.close_report(report, actor=self.coordinator)
        with self.assertRaises(InvalidTransition):
            actions.classify_report(report, actor=self.coordinator, kind="aspiration")

    def test_hold_asks_the_reporter_and_reply_returns_it(self):
        report = actions.hold_report(self.make_report(), actor=self.coordinator, question="Di depan nomor berapa?")
        self.assertEqual((report.status, report.held_from), (Status.ON_HOLD, "received"))
        self.assertEqual(self.last_event(report).message, "Di depan nomor berapa?")
        report = actions.reply_as_reporter(report, actor=factory.reporter_of(report), message="Nomor 12")
        self.assertEqual(report.status, Status.RECEIVED)
        self.assertEqual(self.last_event(report).action, "reporter_replied")

    def test_a_verified_report_put_on_hold_returns_to_verified(self):
        report = actions.hold_report(self.verified(), actor=self.coordinator, question="Foto lebih jelas?")
        report = actions.reply_as_reporter(report, actor=factory.reporter_of(report), message="Terlampir")
        self.assertEqual(report.status, Status.VERIFIED)

    def test_hold_needs_a_question(self):
        with self.assertRaises(DomainError):
            actions.hold_report(self.make_report(), actor=self.coordinator, question="")

    def test_only_the_reporter_of_this_report_can_reply(self):
        report = actions.hold_report(self.make_report(), actor=self.coordinator, question="?")
        other = self.make_report()
        with self.assertRaises(NotAllowed):
            actions.reply_as_reporter(report, actor=factory.reporter_of(other), message="saya")
        with self.assertRaises(NotAllowed):
            actions.reply_as_reporter(report, actor=self.coordinator, message="saya")

    def test_reply_when_not_on_hold_is_refused(self):
        report = self.make_report()
        with self.assertRaises(InvalidTransition):
            actions.reply_as_reporter(report, actor=factory.reporter_of(report), message="halo")

    def test_archive_as_spam(self):
        report = actions.archive_report(self.make_report(), actor=self.coordinator, reason="spam")
        self.assertEqual((report.status, report.archive_reason), (Status.ARCHIVED, "spam"))
        self.assertIsNone(report.due_at)

    def test_archive_as_duplicate_merges_into_the_original(self):
        original = self.verified()
        report = actions.archive_report(
            self.make_report(), actor=self.coordinator, reason="duplicate", duplicate_of=original
        )
        self.assertEqual(report.duplicate_of, original)
        self.assertEqual(self.last_event(original).action, "duplicate_merged")

    def test_archive_as_duplicate_of_itself_is_refused(self):
        report = self.make_report()
        with self.assertRaises(DomainError):
            actions.archive_report(report, actor=self.coordinator, reason="duplicate", duplicate_of=report)

    def test_archive_outside_authority_needs_a_referral_note(self):
        with self.assertRaises(DomainError):
            actions.archive_report(self.make_report(), actor=self.coordinator, reason="outside_authority")
        report = actions.archive_report(
            self.make_report(),
            actor=self.coordinator,
            reason="outside_authority",
            referral_note="Jalan nasional: BBPJN",
        )
        self.assertEqual(report.referral_note, "Jalan nasional: BBPJN")

    def test_archive_by_a_liaison_or_of_a_disposed_report_is_refused(self):
        with self.assertRaises(NotAllowed):
            actions.archive_report(self.make_report(), actor=self.pw_liaison, reason="spam")
        with self.assertRaises(InvalidTransition):
            actions.archive_report(self.disposed(), actor=self.coordinator, reason="spam")

    def test_dispose_to_a_lead_and_supporting_agencies(self):
        report = self.disposed(supporting=[self.transport, self.public_works])
        self.assertEqual(report.status, Status.DISPOSED)
        roles = dict(report.dispositions.values_list("agency__short_name", "role"))
        self.assertEqual(roles, {"DPUPR": "lead", "Dishub": "support"})
        event = self.last_event(report)
        self.assertEqual((event.action, event.is_public), ("disposed", True))

    def test_dispose_of_a_received_report_is_refused(self):
        with self.assertRaises(InvalidTransition):
            actions.dispose_report(self.make_report(), actor=self.coordinator, lead_agency=self.public_works)

    def test_dispose_by_a_liaison_is_refused(self):
        with self.assertRaises(NotAllowed):
            actions.dispose_report(self.verified(), actor=self.pw_liaison, lead_agency=self.public_works)

    def test_close_a_resolved_report(self):
        report = actions.close_report(self.resolved(), actor=self.coordinator)
        self.assertEqual(report.status, Status.CLOSED)
        with self.assertRaises(InvalidTransition):
            actions.close_report(self.verified(), actor=self.coordinator)

    def test_internal_note_is_not_public(self):
        report = actions.add_internal_note(self.verified(), actor=self.coordinator, message="Cek ke lapangan dulu")
        self.assertFalse(self.last_event(report).is_public)


class AgencyActionTests(ActionTestCase):
    def test_first_public_follow_up_starts_the_work(self):
        report = self.disposed()
        disposition = actions.post_follow_up(self.lead(report), actor=self.pw_liaison, message="Petugas meluncur.")
        report.refresh_from_db()
        self.assertEqual((report.status, disposition.state), (Status.IN_PROGRESS, "accepted"))
        self.assertIsNotNone(disposition.first_follow_up_at)
        event = self.last_event(report)
        self.assertEqual((event.action, event.is_public, event.agency), ("follow_up", True, self.public_works))

    def test_an_internal_note_changes_no_state(self):
        report = self.disposed()
        disposition = actions.post_follow_up(
            self.lead(report), actor=self.pw_operator, message="Draf", audience=Audience.STAFF
        )
        report.refresh_from_db()
        self.assertEqual((report.status, disposition.state), (Status.DISPOSED, "pending"))
        self.assertFalse(self.last_event(report).is_public)

    def test_another_agency_cannot_follow_up(self):
        report = self.disposed()
        with self.assertRaises(NotAllowed):
            actions.post_follow_up(self.lead(report), actor=self.transport_liaison, message="Bukan kami")

    def test_the_agency_head_reads_but_cannot_follow_up(self):
        report = self.disposed()
        with self.assertRaises(NotAllowed):
            actions.post_follow_up(self.lead(report), actor=self.pw_head, message="x")

    def test_finish_needs_something_said_to_the_reporter(self):
        report = self.disposed()
        with self.assertRaises(DomainError):
            actions.finish_disposition(self.lead(report), actor=self.pw_liaison)

    def test_report_is_resolved_only_when_every_active_disposition_is_done(self):
        report = self.disposed(supporting=[self.transport])
        actions.finish_disposition(self.lead(report), actor=self.pw_liaison, message="Bagian kami selesai.")
        report.refresh_from_db()
        self.assertEqual(report.status, Status.IN_PROGRESS)
        support = report.dispositions.get(agency=self.transport)
        actions.finish_disposition(support, actor=self.transport_liaison, message="Rambu dipasang.")
        report.refresh_from_db()
        self.assertEqual(report.status, Status.RESOLVED)
        self.assertEqual(workdays.working_days_between(report.resolved_at, report.autoclose_due_at), 10)
        self.assertEqual(self.last_event(report).action, "resolved")

    def test_finishing_twice_is_refused(self):
        report = self.resolved()
        with self.assertRaises(InvalidTransition):
            actions.finish_disposition(report.dispositions.get(), actor=self.pw_liaison, message="lagi")

    def test_returning_the_lead_sends_the_report_back_and_is_counted(self):
        report = self.disposed()
        disposition = actions.return_disposition(self.lead(report), actor=self.pw_liaison, reason="Ini wewenang Dishub")
        report.refresh_from_db()
        self.assertEqual((report.status, report.return_count), (Status.VERIFIED, 1))
        self.assertFalse(disposition.is_active)
        # Back in the coordinator's queue with a fresh three working days to dispose again.
        self.assertEqual(workdays.working_days_between(disposition.returned_at, report.due_at), 3)
        self.assertEqual(self.last_event(report).action, "disposition_returned")
        report = actions.dispose_report(report, actor=self.coordinator, lead_agency=self.transport)
        self.assertEqual(report.status, Status.DISPOSED)
        self.assertEqual(report.dispositions.active().get().agency, self.transport)

    def test_returning_a_supporting_disposition_keeps_the_report_with_the_lead(self):
        report = self.disposed(supporting=[self.transport])
        actions.return_disposition(
            report.dispositions.get(agency=self.transport), actor=self.transport_liaison, reason="Bukan wewenang"
        )
        report.refresh_from_db()
        self.assertEqual((report.status, report.return_count), (Status.DISPOSED, 1))

    def test_return_needs_a_reason(self):
        with self.assertRaises(DomainError):
            actions.return_disposition(self.lead(self.disposed()), actor=self.pw_liaison, reason="")

    def test_return_after_done_is_refused(self):
        report = self.resolved()
        with self.assertRaises(InvalidTransition):
            actions.return_disposition(report.dispositions.get(), actor=self.pw_liaison, reason="x")

    def test_extension_only_once_and_only_for_information_requests(self):
        report = self.disposed(kind="information_request")
        actions.extend_information_request(report, actor=self.pw_liaison, reason="Dokumen di arsip")
        with self.assertRaises(InvalidTransition):
            actions.extend_information_request(report, actor=self.pw_liaison, reason="lagi")
        with self.assertRaises(InvalidTransition):
            actions.extend_information_request(self.disposed(), actor=self.coordinator, reason="x")
        self.assertTrue(report.events.filter(action="information_extended", is_public=True).exists())

    def test_extension_by_an_unrelated_agency_is_refused(self):
        report = self.disposed(kind="information_request")
        with self.assertRaises(NotAllowed):
            actions.extend_information_request(report, actor=self.transport_liaison, reason="x")


class ReporterActionTests(ActionTestCase):
    def test_confirm_closes(self):
        report = self.resolved()
        report = actions.confirm_resolution(report, actor=factory.reporter_of(report))
        self.assertEqual(report.status, Status.CLOSED)
        self.assertEqual(self.last_event(report).actor_role, "citizen")

    def test_confirm_by_staff_is_refused(self):
        with self.assertRaises(NotAllowed):
            actions.confirm_resolution(self.resolved(), actor=self.coordinator)

    def test_confirm_before_resolution_is_refused(self):
        report = self.disposed()
        with self.assertRaises(InvalidTransition):
            actions.confirm_resolution(report, actor=factory.reporter_of(report))

    def test_dispute_reopens_to_the_coordinator_and_is_counted(self):
        report = self.resolved()
        report = actions.dispute_resolution(report, actor=factory.reporter_of(report), reason="Lampu mati lagi")
        self.assertEqual((report.status, report.reopen_count), (Status.VERIFIED, 1))
        self.assertFalse(report.dispositions.active().exists())
        report = actions.dispose_report(report, actor=self.coordinator, lead_agency=self.public_works)
        self.assertEqual(report.dispositions.active().count(), 1)
        self.assertEqual(report.dispositions.count(), 2)

    def test_rate_once_between_one_and_five(self):
        report = self.resolved()
        reporter = factory.reporter_of(report)
        with self.assertRaises(DomainError):
            actions.rate_report(report, actor=reporter, rating=6)
        report = actions.rate_report(report, actor=reporter, rating=4, comment="Cukup cepat")
        self.assertEqual((report.rating, self.last_event(report).data["rating"]), (4, 4))
        with self.assertRaises(InvalidTransition):
            actions.rate_report(report, actor=reporter, rating=5)

    def test_rating_an_open_report_is_refused(self):
        report = self.disposed()
        with self.assertRaises(InvalidTransition):
            actions.rate_report(report, actor=factory.reporter_of(report), rating=5)

    def test_objection_to_an_information_answer_and_its_answer(self):
        report = self.resolved(kind="information_request")
        report = actions.file_objection(report, actor=factory.reporter_of(report), reason="Informasi tidak lengkap")
        self.assertEqual(report.status, Status.OBJECTION)
        # The boundaries, with dates counted by hand, are in test_workdays.py.
        self.assertEqual(workdays.working_days_between(report.objection_filed_at, report.objection_due_at), 30)
        report = actions.answer_objection(report, actor=self.coordinator, answer="Data lengkap terlampir")
        self.assertEqual(report.status, Status.CLOSED)
        self.assertEqual(self.last_event(report).action, "objection_answered")

    def test_objection_to_a_complaint_is_refused(self):
        report = self.resolved()
        with self.assertRaises(InvalidTransition):
            actions.file_objection(report, actor=factory.reporter_of(report), reason="x")

    def test_objection_after_thirty_working_days_is_refused(self):
        report = self.resolved(kind="information_request")
        with time_machine.travel(timezone.now() + dt.timedelta(days=60)), self.assertRaises(InvalidTransition):
            actions.file_objection(report, actor=factory.reporter_of(report), reason="terlambat")


class AutoCloseTests(ActionTestCase):
    def test_resolved_reports_close_after_ten_working_days(self):
        report = self.resolved()
        self.assertEqual(actions.auto_close_due_reports(), 0)
        later = report.autoclose_due_at + dt.timedelta(seconds=1)
        self.assertEqual(actions.auto_close_due_reports(now=later), 1)
        report.refresh_from_db()
        self.assertEqual(report.status, Status.CLOSED)
        event = self.last_event(report)
        self.assertEqual((event.action, event.actor_role, event.actor), ("auto_closed", "system", None))
        self.assertEqual(actions.auto_close_due_reports(now=later), 0)

    def test_the_system_cannot_verify(self):
        with self.assertRaises(NotAllowed):
            actions.verify_report(self.make_report(), actor=SYSTEM)


class EventTrailTests(ActionTestCase):
    def test_every_change_of_status_has_its_event(self):
        report = self.resolved()
        events = list(report.events.all())
        for before, after in zip(events, events[1:], strict=False):
            if after.from_status:
                self.assertEqual(after.from_status, before.to_status)
        self.assertEqual(events[-1].to_status, Report.objects.get(pk=report.pk).status)

    def test_no_code_outside_actions_assigns_a_status(self):
        import pathlib
        import re

        root = pathlib.Path(__file__).resolve().parent.parent
        offenders = []
        for path in root.glob("*/**/*.py"):
            # bench/ fills benchmark databases in SQL on purpose (bench/fill.py), outside the app.
            if any(part in {".venv", "node_modules", "migrations", "tests", "bench"} for part in path.parts):
                continue
            if path.name == "actions.py" or path.parent.name == "actions":  # an app's actions module or package
                continue
            if re.search(r"\.(status|state)\s*=[^=]", path.read_text()):
                offenders.append(str(path.relative_to(root)))
        self.assertEqual(offenders, [])

    def test_events_count_every_action(self):
        self.resolved()
        self.assertEqual(ReportEvent.objects.filter(action="disposition_done").count(), 1)


class ReporterMessageTests(ActionTestCase):
    def test_a_later_message_is_attached_without_changing_the_state(self):
        report = self.disposed()
        actions.add_reporter_message(report, actor=factory.reporter_of(report), message="Sekarang makin parah")
        report.refresh_from_db()
        self.assertEqual(report.status, Status.DISPOSED)
        event = self.last_event(report)
        self.assertEqual(
            (event.action, event.actor_role, event.message), ("reporter_message", "citizen", "Sekarang makin parah")
        )

    def test_staff_cannot_write_as_the_reporter(self):
        with self.assertRaises(NotAllowed):
            actions.add_reporter_message(self.make_report(), actor=self.coordinator, message="x")

    def test_a_closed_report_takes_no_more_messages(self):
        report = actions.close_report(self.resolved(), actor=self.coordinator)
        with self.assertRaises(InvalidTransition):
            actions.add_reporter_message(report, actor=factory.reporter_of(report), message="halo")
