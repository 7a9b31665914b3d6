"""Work given to one person tells that person: a report assigned to a coordinator by a
colleague, a disposition assigned to a liaison or operator, or handed over to a successor.
Through the outbox, in the assignment's transaction, like the other staff messages."""

from django.db import transaction
from django.test import override_settings
from django.utils import timezone

from agencies.models import Appointment, EndKind, Role
from notify.models import StaffContact
from reports import actions as report_actions
from staffing import actions
from tests import factory
from tests.base import AduanTestCase


@override_settings(
    ADUAN_SITE_URL="https://aduan.blitarkota.go.id", ADUAN_WHATSAPP_ACCESS_TOKEN="", ADUAN_WHATSAPP_PHONE_NUMBER_ID=""
)
class AssignmentNotificationTests(AduanTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.colleague = factory.make_staff(Role.COORDINATOR, cls.unit, "koordinator2")
        cls.admin = factory.make_user("admin_sistem", is_staff=True, is_superuser=True)
        for user in (cls.coordinator, cls.colleague, cls.pw_liaison, cls.pw_operator):
            user.email = f"{user.username}@blitarkota.go.id"
            user.first_name = user.username.replace("_", " ").title()
            user.save(update_fields=["email", "first_name"])

    def disposition(self, **overrides):
        overrides.setdefault("category", self.category)
        return factory.make_disposed(self.coordinator, self.public_works, **overrides).dispositions.get()

    def test_a_disposition_assigned_to_an_operator_emails_them_in_indonesian(self):
        disposition = self.disposition()
        report = disposition.report

        actions.assign_disposition(disposition, actor=self.pw_liaison, person=self.pw_operator)

        [message] = self.assertQueued("operator_pupr@blitarkota.go.id", template="staff_assigned", channel="email")
        self.assertEqual((message.user, message.report, message.language), (self.pw_operator, report, "id"))
        self.assertEqual(message.subject, f"[{report.tracking_number}] Ditugaskan kepada Anda")
        self.assertIn(f"Penghubung Pupr menugaskan laporan {report.tracking_number}", message.body)
        self.assertIn("kepada Anda untuk DPUPR.", message.body)
        self.assertIn("Tenggat penyelesaian:", message.body)
        self.assertIn(f"/kerja/laporan/{report.pk}/", message.body)
        self.assertNotIn("Siti", message.body)  # never the reporter's identity
        self.assertNothingQueued(recipient="penghubung_pupr@blitarkota.go.id")

    def test_the_message_rolls_back_with_the_assignment(self):
        disposition = self.disposition()
        with self.assertRaises(ZeroDivisionError), transaction.atomic():
            actions.assign_disposition(disposition, actor=self.pw_liaison, person=self.pw_operator)
            self.assertQueued("operator_pupr@blitarkota.go.id", template="staff_assigned")
            raise ZeroDivisionError  # anything that undoes the transaction
        self.assertNothingQueued()

    def test_taking_work_oneself_or_returning_it_to_the_pool_tells_nobody(self):
        disposition = self.disposition()
        actions.assign_disposition(disposition, actor=self.pw_operator, person=self.pw_operator)
        actions.assign_disposition(disposition, actor=self.pw_liaison, person=None)
        report_actions.take_report(disposition.report, actor=self.coordinator)
        self.assertNothingQueued()

    def test_a_reassignment_tells_the_new_holder_once(self):
        disposition = self.disposition()
        actions.assign_disposition(disposition, actor=self.pw_liaison, person=self.pw_operator)
        actions.assign_disposition(disposition, actor=self.pw_operator, person=self.pw_liaison)
        self.assertQueued("operator_pupr@blitarkota.go.id", template="staff_assigned")
        self.assertQueued("penghubung_pupr@blitarkota.go.id", template="staff_assigned")

    def test_a_report_assigned_to_a_colleague_tells_the_colleague(self):
        report = self.make_report()
        report_actions.assign_report(report, actor=self.coordinator, owner=self.colleague)

        [message] = self.assertQueued("koordinator2@blitarkota.go.id", template="staff_assigned")
        self.assertIn(f"Koordinator menugaskan laporan {report.tracking_number}", message.body)
        self.assertNotIn("untuk", message.body)  # the unit's own work: no agency named
        self.assertNothingQueued(recipient="koordinator@blitarkota.go.id")

    def test_a_confidential_reports_text_stays_out(self):
        disposition = self.disposition(is_confidential=True, description="Pungutan liar oleh petugas parkir X.")
        actions.assign_disposition(disposition, actor=self.pw_liaison, person=self.pw_operator)
        [message] = self.assertQueued("operator_pupr@blitarkota.go.id", template="staff_assigned")
        self.assertIn("RAHASIA", message.body)
        self.assertNotIn("Pungutan", message.body)

    def test_work_handed_over_to_a_successor_tells_the_successor(self):
        leaving = factory.make_staff(Role.OPERATOR, self.public_works, "operator_pindah")
        disposition = self.disposition()
        actions.assign_disposition(disposition, actor=self.pw_liaison, person=leaving)

        appointment = Appointment.objects.get(person=leaving)
        actions.end_appointment(
            appointment, actor=self.admin, kind=EndKind.TRANSFER, at=timezone.now(), successor=self.pw_operator
        )

        [message] = self.assertQueued("operator_pupr@blitarkota.go.id", template="staff_assigned")
        self.assertIn(f"Laporan {disposition.report.tracking_number}", message.body)
        self.assertIn("dialihkan kepada Anda", message.body)

    @override_settings(ADUAN_WHATSAPP_ACCESS_TOKEN="token", ADUAN_WHATSAPP_PHONE_NUMBER_ID="123")
    def test_a_known_whatsapp_number_gets_it_on_whatsapp_too(self):
        StaffContact.objects.create(user=self.pw_operator, whatsapp_number="6281234500001")
        disposition = self.disposition()
        actions.assign_disposition(disposition, actor=self.pw_liaison, person=self.pw_operator)
        self.assertQueued("6281234500001", template="staff_assigned", channel="whatsapp")
        self.assertQueued("operator_pupr@blitarkota.go.id", template="staff_assigned", channel="email")

    def test_an_english_template_exists_too(self):
        from notify.models import MessageTemplate

        languages = set(MessageTemplate.objects.filter(code="staff_assigned").values_list("language", flat=True))
        self.assertEqual(languages, {"id", "en"})
