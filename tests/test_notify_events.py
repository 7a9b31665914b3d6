"""From report events to outbox rows: who is told what, on which channel, once."""

from django.test import TestCase, override_settings
from django.urls import reverse

from notify import actions as outbox
from notify.models import MessageTemplate, OutboxMessage, StaffContact
from reports import actions
from reports.models import Audience, Report, ReportEvent
from reports.signals import event_written
from tests import factory
from tests.base import AduanTestCase, OutboxAssertions

ADUAN_SITE_URL = "https://aduan.blitarkota.go.id"


@override_settings(ADUAN_SITE_URL=ADUAN_SITE_URL, ADUAN_WHATSAPP_ACCESS_TOKEN="", ADUAN_WHATSAPP_PHONE_NUMBER_ID="")
class NotifyTestCase(AduanTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        for user in (cls.coordinator, cls.pw_liaison, cls.pw_operator, cls.pw_head, cls.transport_liaison):
            user.email = f"{user.username}@blitarkota.go.id"
            user.save(update_fields=["email"])

    def committed(self):
        """Run on-commit callbacks: the event signal (and so the receiver) fires after the commit."""
        return self.captureOnCommitCallbacks(execute=True)

    def reporter_messages(self):
        return OutboxMessage.objects.filter(user__isnull=True).order_by("pk")


class ReporterNotificationTests(NotifyTestCase):
    def test_verification_queues_one_email_in_indonesian_with_the_tracking_number_in_the_subject(self):
        report = self.make_report(reply_channel="email")

        with self.committed():
            actions.verify_report(report, actor=self.coordinator)

        message = self.reporter_messages().get()
        self.assertEqual((message.channel, message.recipient), ("email", "siti@example.org"))
        self.assertEqual((message.template_code, message.language), ("report_verified", "id"))
        self.assertIn(report.tracking_number, message.subject)
        self.assertIn("telah diverifikasi", message.body)
        self.assertEqual(message.report, report)
        self.assertEqual(message.state, "queued")

    def test_each_reporter_event_queues_exactly_one_message_with_its_template(self):
        report = self.make_report(reply_channel="sms")
        steps = [
            ("report_on_hold", lambda r: actions.hold_report(r, actor=self.coordinator, question="Di RT berapa?")),
            ("report_verified", lambda r: actions.verify_report(r, actor=self.coordinator)),
            (
                "report_disposed",
                lambda r: actions.dispose_report(r, actor=self.coordinator, lead_agency=self.public_works),
            ),
            (
                "report_followed_up",
                lambda r: actions.post_follow_up(
                    r.dispositions.get(), actor=self.pw_liaison, message="Petugas kami sudah meninjau lokasi."
                ),
            ),
            ("report_closed", None),  # below: finish, then close
        ]
        for template, step in steps[:-1]:
            with self.subTest(template=template):
                before = self.reporter_messages().count()
                with self.committed():
                    step(report)
                report.refresh_from_db()
                new = list(self.reporter_messages()[before:])
                self.assertEqual([m.template_code for m in new], [template])
                self.assertEqual((new[0].channel, new[0].recipient), ("sms", "081234567890"))

        with self.committed():
            actions.finish_disposition(report.dispositions.get(), actor=self.pw_liaison, message="Lampu diganti.")
        self.assertEqual(
            list(self.reporter_messages().values_list("template_code", flat=True))[-2:],
            ["report_followed_up", "report_resolved"],
        )
        with self.committed():
            actions.close_report(report, actor=self.coordinator)
        self.assertEqual(self.reporter_messages().last().template_code, "report_closed")
        self.assertEqual(self.reporter_messages().count(), 7)

    def test_the_question_and_the_public_reply_are_in_the_messages(self):
        report = self.make_report(reply_channel="whatsapp")
        with self.committed():
            actions.hold_report(report, actor=self.coordinator, question="Di depan rumah nomor berapa?")
        held = self.reporter_messages().get(template_code="report_on_hold")
        self.assertEqual((held.channel, held.recipient), ("whatsapp", "081234567890"))
        self.assertIn("Di depan rumah nomor berapa?", held.body)

    def test_the_resolved_message_carries_the_private_tracking_link(self):
        report = factory.make_disposed(self.coordinator, self.public_works, reply_channel="email")
        with self.committed():
            actions.finish_disposition(report.dispositions.get(), actor=self.pw_liaison, message="Sudah diperbaiki.")

        resolved = self.reporter_messages().get(template_code="report_resolved")
        self.assertIn(ADUAN_SITE_URL + reverse("portal:track_detail", args=[report.secret]), resolved.body)
        reply = self.reporter_messages().get(template_code="report_followed_up")
        self.assertIn("Sudah diperbaiki.", reply.body)
        self.assertIn("DPUPR", reply.body)

    def test_an_instagram_reporter_is_answered_on_their_instagram_account(self):
        report = self.make_report(reply_channel="instagram", reporter_account="17841400000001")
        with self.committed():
            actions.verify_report(report, actor=self.coordinator)
        message = self.reporter_messages().get()
        self.assertEqual((message.channel, message.recipient), ("instagram", "17841400000001"))

    def test_a_reporter_who_chose_no_channel_is_sent_nothing(self):
        report = self.make_report(reply_channel="none")
        with self.committed():
            actions.verify_report(report, actor=self.coordinator)
            actions.dispose_report(report, actor=self.coordinator, lead_agency=self.public_works)
        self.assertFalse(self.reporter_messages().exists())
        self.assertTrue(OutboxMessage.objects.filter(user=self.pw_liaison).exists())  # staff still are

    def test_a_reporter_who_wrote_in_english_hears_back_in_english(self):
        report = self.make_report(reply_channel="sms", language="en")
        with self.committed():
            actions.verify_report(report, actor=self.coordinator)
            actions.hold_report(report, actor=self.coordinator, question="Which street lamp?")

        verified, held = self.reporter_messages()
        self.assertEqual((verified.language, held.language), ("en", "en"))
        self.assertIn("has been verified", verified.body)
        self.assertIn("Which street lamp?", held.body)
        self.assertNotIn("telah diverifikasi", verified.body)

    def test_staff_messages_stay_in_indonesian_for_an_english_report(self):
        report = factory.make_verified(self.coordinator, reply_channel="none", language="en")
        with self.committed():
            actions.dispose_report(report, actor=self.coordinator, lead_agency=self.public_works)
        staff = OutboxMessage.objects.filter(user=self.pw_liaison).get()
        self.assertEqual(staff.language, "id")

    def test_internal_notes_and_returns_tell_the_reporter_nothing(self):
        report = factory.make_disposed(self.coordinator, self.public_works, reply_channel="sms")
        with self.committed():
            actions.add_internal_note(report, actor=self.coordinator, message="Cek dengan PLN dulu.")
            actions.post_follow_up(
                report.dispositions.get(), actor=self.pw_liaison, message="Catatan internal.", audience=Audience.STAFF
            )
            actions.return_disposition(report.dispositions.get(), actor=self.pw_liaison, reason="Wewenang PLN.")
        self.assertFalse(self.reporter_messages().exists())

    def test_the_same_event_announced_twice_queues_one_message(self):
        report = self.make_report(reply_channel="email")
        with self.committed():
            actions.verify_report(report, actor=self.coordinator)
        event = ReportEvent.objects.get(report=report, action="verified")

        with self.committed():
            event_written.send(sender=ReportEvent, event=event)
            event_written.send(sender=ReportEvent, event=event)

        self.assertEqual(self.reporter_messages().count(), 1)

    def test_a_missing_template_is_logged_and_the_action_still_succeeds(self):
        MessageTemplate.objects.filter(code="report_verified").delete()
        report = self.make_report(reply_channel="email")
        with self.assertLogs("notify.actions", "ERROR"), self.committed():
            actions.verify_report(report, actor=self.coordinator)
        report.refresh_from_db()
        self.assertEqual(report.status, "verified")
        self.assertNothingQueued()


class StaffNotificationTests(NotifyTestCase):
    def test_a_disposition_emails_the_liaisons_and_operators_of_the_lead_and_supporting_agencies(self):
        report = factory.make_verified(self.coordinator, reply_channel="none")
        with self.committed():
            actions.dispose_report(
                report, actor=self.coordinator, lead_agency=self.public_works, supporting_agencies=[self.transport]
            )

        staff = OutboxMessage.objects.filter(template_code="staff_disposition_new")
        self.assertEqual(
            set(staff.values_list("user__username", "channel")),
            {("penghubung_pupr", "email"), ("operator_pupr", "email"), ("penghubung_dishub", "email")},
        )
        liaison = staff.get(user=self.pw_liaison)
        self.assertEqual(liaison.recipient, "penghubung_pupr@blitarkota.go.id")
        self.assertIn(report.tracking_number, liaison.subject)
        self.assertIn(report.description, liaison.body)
        self.assertIn(ADUAN_SITE_URL + reverse("workspace:report", args=[report.pk]), liaison.body)
        self.assertIn("pendukung", staff.get(user=self.transport_liaison).body)

    def test_a_returned_disposition_emails_the_coordinators_only(self):
        report = factory.make_disposed(self.coordinator, self.public_works, reply_channel="none")
        with self.committed():
            actions.return_disposition(report.dispositions.get(), actor=self.pw_liaison, reason="Wewenang PLN.")

        [returned] = self.assertQueued(template="staff_disposition_returned")
        self.assertEqual((returned.user, returned.channel), (self.coordinator, "email"))
        self.assertIn("Wewenang PLN.", returned.body)
        self.assertIn("DPUPR", returned.body)

    def test_a_confidential_reports_text_never_reaches_staff_messages(self):
        report = factory.make_verified(
            self.coordinator,
            is_confidential=True,
            category=self.category,
            description="Pungutan liar oleh oknum petugas parkir pasar.",
        )
        with self.committed():
            actions.dispose_report(
                report, actor=self.coordinator, lead_agency=self.public_works, instruction="Periksa oknum parkir."
            )
            actions.return_disposition(report.dispositions.get(), actor=self.pw_liaison, reason="Bukan wewenang.")

        staff = OutboxMessage.objects.filter(user__isnull=False)
        self.assertEqual(staff.count(), 3)  # two at the agency, then the coordinator
        for message in staff:
            with self.subTest(to=message.user.username):
                self.assertNotIn("Pungutan liar", message.subject + message.body)
                self.assertNotIn("oknum", message.subject + message.body)
                self.assertIn(report.tracking_number, message.body)
                self.assertIn(self.category.name, message.body)

    def test_an_anonymous_reporters_identity_never_reaches_staff_messages(self):
        report = factory.make_verified(
            self.coordinator,
            is_anonymous=True,
            reporter_name="Budi Rahasia",
            reporter_phone="085799990000",
            reporter_email="budi.rahasia@example.org",
            reply_channel="email",
        )
        with self.committed():
            actions.dispose_report(report, actor=self.coordinator, lead_agency=self.public_works)
            actions.return_disposition(report.dispositions.get(), actor=self.pw_liaison, reason="Bukan wewenang.")

        staff = OutboxMessage.objects.filter(user__isnull=False)
        self.assertEqual(staff.count(), 3)
        for message in staff:
            text = message.subject + message.body + message.recipient
            for secret in ("Budi Rahasia", "085799990000", "budi.rahasia"):
                self.assertNotIn(secret, text)
        # ... while the reporter is still answered at the address they gave.
        self.assertEqual(self.reporter_messages().get().recipient, "budi.rahasia@example.org")

    @override_settings(ADUAN_WHATSAPP_ACCESS_TOKEN="token", ADUAN_WHATSAPP_PHONE_NUMBER_ID="106540352242922")
    def test_staff_with_a_known_number_also_get_whatsapp_when_it_is_configured(self):
        StaffContact.objects.create(user=self.pw_liaison, whatsapp_number="081311112222")
        report = factory.make_verified(self.coordinator)
        with self.committed():
            actions.dispose_report(report, actor=self.coordinator, lead_agency=self.public_works)

        liaison = OutboxMessage.objects.filter(user=self.pw_liaison)
        self.assertEqual(set(liaison.values_list("channel", flat=True)), {"email", "whatsapp"})
        self.assertEqual(liaison.get(channel="whatsapp").recipient, "081311112222")
        self.assertNothingQueued(user=self.pw_operator, channel="whatsapp")

    def test_without_whatsapp_configured_staff_get_email_only(self):
        StaffContact.objects.create(user=self.pw_liaison, whatsapp_number="081311112222")
        report = factory.make_verified(self.coordinator)
        with self.committed():
            actions.dispose_report(report, actor=self.coordinator, lead_agency=self.public_works)
        self.assertEqual(
            list(OutboxMessage.objects.filter(user=self.pw_liaison).values_list("channel", flat=True)), ["email"]
        )

    def test_staff_whose_appointment_ended_are_not_told(self):
        from django.utils import timezone

        self.pw_operator.appointments.update(valid_until=timezone.now())
        report = factory.make_verified(self.coordinator)
        with self.committed():
            actions.dispose_report(report, actor=self.coordinator, lead_agency=self.public_works)
        self.assertEqual(
            list(OutboxMessage.objects.filter(user__isnull=False).values_list("user__username", flat=True)),
            ["penghubung_pupr"],
        )


class TemplateTests(NotifyTestCase):
    def test_every_default_template_exists_in_both_languages_and_its_subject_names_the_report(self):
        report = self.make_report()
        codes = [
            "report_verified",
            "report_on_hold",
            "report_disposed",
            "report_followed_up",
            "report_resolved",
            "report_closed",
            "staff_disposition_new",
            "staff_disposition_returned",
        ]
        for code in codes:
            for language in ("id", "en"):
                with self.subTest(code=code, language=language):
                    template = outbox.find_template(code, language, "email")
                    self.assertEqual(template.language, language)
                    subject = outbox.render(template.subject, {"tracking_number": report.tracking_number})
                    self.assertIn(report.tracking_number, subject)
        for code in ("staff_work_due_soon", "staff_work_overdue"):
            self.assertEqual(MessageTemplate.objects.filter(code=code).count(), 2)

    def test_english_is_rendered_from_the_english_template(self):
        report = self.make_report()
        message = outbox.queue(
            channel="email",
            recipient="visitor@example.org",
            template="report_verified",
            context={"tracking_number": report.tracking_number, "site_name": "Aduan"},
            language="en",
            report=report,
            dedupe_key="test:en",
        )
        self.assertEqual(message.subject, f"[{report.tracking_number}] Your report has been verified")
        self.assertIn("has been verified", message.body)

    def test_a_channel_template_wins_over_the_any_channel_one_and_indonesian_is_the_fallback(self):
        MessageTemplate.objects.create(
            code="report_verified", language="id", channel="sms", body="SMS {{ tracking_number }}"
        )
        MessageTemplate.objects.filter(code="report_verified", language="en").delete()

        self.assertEqual(outbox.find_template("report_verified", "id", "sms").body, "SMS {{ tracking_number }}")
        self.assertEqual(outbox.find_template("report_verified", "en", "sms").body, "SMS {{ tracking_number }}")
        self.assertEqual(outbox.find_template("report_verified", "id", "email").channel, "any")

    def test_an_email_subject_edited_without_the_number_still_carries_it(self):
        MessageTemplate.objects.filter(code="report_verified", language="id").update(subject="Terverifikasi")
        report = self.make_report(reply_channel="email")
        with self.committed():
            actions.verify_report(report, actor=self.coordinator)
        self.assertEqual(OutboxMessage.objects.get().subject, f"[{report.tracking_number}] Terverifikasi")

    def test_a_template_with_broken_syntax_is_refused_by_the_admin_form(self):
        from django.core.exceptions import ValidationError

        template = MessageTemplate(code="x", language="id", channel="any", body="{% if %}")
        with self.assertRaises(ValidationError):
            template.full_clean()

    def test_text_is_not_html_escaped(self):
        self.assertEqual(outbox.render("{{ reply }}", {"reply": "Jl. A & B <depan>"}), "Jl. A & B <depan>")


class MutedTests(NotifyTestCase):
    def test_nothing_is_queued_while_muted_and_queueing_resumes_after(self):
        import notify

        report = self.make_report(reply_channel="email")
        with notify.muted(), self.committed():
            actions.verify_report(report, actor=self.coordinator)
        self.assertNothingQueued()

        with self.committed():
            actions.dispose_report(report, actor=self.coordinator, lead_agency=self.public_works)
        self.assertTrue(OutboxMessage.objects.filter(template_code="report_disposed").exists())


class DemoMutedTests(OutboxAssertions, TestCase):
    def test_the_demo_city_loads_without_queueing_a_single_message(self):
        from demo import city as demo

        with self.captureOnCommitCallbacks(execute=True) as callbacks:
            demo.load(reports=25, seed=3)

        self.assertGreater(len(callbacks), 25)  # the events were announced ...
        self.assertTrue(Report.objects.exclude(reply_channel="none").exists())
        self.assertTrue(ReportEvent.objects.filter(action="disposed").exists())
        self.assertNothingQueued()  # ... and nobody was told
