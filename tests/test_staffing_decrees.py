"""Decrees (SK): recorded once with their list of people, issued into appointments whose
access starts and ends exactly with the decree's period, renewed from last year's list."""

import datetime as dt

import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from agencies import actions
from agencies.models import Appointment, Decree, DecreeMember, EndKind, Role
from agencies.roles import staff_profile
from core.errors import DomainError, NotAllowed
from reports import access
from tests import factory
from tests.base import AduanTestCase


def wib(year, month, day, hour=0, minute=0, second=0):
    return dt.datetime(year, month, day, hour, minute, second, tzinfo=dt.timezone(dt.timedelta(hours=7)))


@time_machine.travel(wib(2026, 1, 5, 9), tick=False)
class DecreeTests(AduanTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.admin = factory.make_user("admin_sistem", is_staff=True, is_superuser=True)
        cls.new_liaison = factory.make_user("penghubung_baru", first_name="Dewi", last_name="Lestari")
        cls.new_operator = factory.make_user("operator_baru")

    def draft(self, **overrides):
        values = {
            "number": "188.45/12/410.010/2026",
            "date": dt.date(2026, 1, 2),
            "valid_from": dt.date(2026, 1, 6),
            "valid_until": dt.date(2026, 12, 31),
        }
        values.update(overrides)
        decree = Decree.objects.create(**values)
        DecreeMember.objects.create(decree=decree, person=self.new_liaison, agency=self.public_works, role=Role.LIAISON)
        DecreeMember.objects.create(decree=decree, person=self.new_operator, agency=self.transport, role=Role.OPERATOR)
        return decree

    def test_issuing_makes_one_appointment_per_member_for_the_decrees_period(self):
        decree = self.draft()
        made = actions.issue_decree(decree, actor=self.admin)
        self.assertEqual(len(made), 2)
        decree.refresh_from_db()
        self.assertEqual(decree.status, Decree.Status.ISSUED)
        self.assertEqual(decree.issued_by, self.admin)
        appointment = Appointment.objects.get(person=self.new_liaison)
        self.assertEqual(appointment.decree, decree)
        self.assertEqual(appointment.decree_number, decree.number)
        self.assertEqual(appointment.valid_from, wib(2026, 1, 6))
        self.assertEqual(appointment.valid_until, wib(2027, 1, 1))  # the end of 31 December

    def test_access_starts_exactly_when_the_decree_starts_and_ends_exactly_when_it_ends(self):
        actions.issue_decree(self.draft(), actor=self.admin)
        report = factory.make_disposed(self.coordinator, self.public_works, category=self.category)
        for moment, expected in [
            (wib(2026, 1, 5, 23, 59, 59), False),
            (wib(2026, 1, 6, 0, 0, 0), True),
            (wib(2026, 12, 31, 23, 59, 59), True),
            (wib(2027, 1, 1, 0, 0, 0), False),
        ]:
            with time_machine.travel(moment, tick=False):
                user = type(self.new_liaison).objects.get(pk=self.new_liaison.pk)  # no cached profile
                self.assertEqual(self.public_works.pk in staff_profile(user).acting_agency_ids, expected, moment)
                self.assertEqual(access.reports_visible_to(user).filter(pk=report.pk).exists(), expected, moment)

    def test_only_an_administrator_issues_and_only_once(self):
        decree = self.draft()
        with self.assertRaises(NotAllowed):
            actions.issue_decree(decree, actor=self.coordinator)
        actions.issue_decree(decree, actor=self.admin)
        with self.assertRaises(DomainError):
            actions.issue_decree(decree, actor=self.admin)
        self.assertEqual(Appointment.objects.filter(decree=decree).count(), 2)

    def test_an_empty_decree_is_refused_and_stores_nothing(self):
        decree = Decree.objects.create(
            number="1/2026", date=dt.date(2026, 1, 2), valid_from=dt.date(2026, 1, 6), valid_until=dt.date(2026, 12, 31)
        )
        with self.assertRaisesMessage(DomainError, "belum memuat"):
            actions.issue_decree(decree, actor=self.admin)
        decree.refresh_from_db()
        self.assertTrue(decree.is_draft)

    def test_renewal_starts_from_this_years_list_without_the_people_who_left(self):
        decree = self.draft()
        actions.issue_decree(decree, actor=self.admin)
        Appointment.objects.filter(person=self.new_operator).update(end_kind=EndKind.TRANSFER)
        renewal = actions.start_renewal(decree, actor=self.admin)
        self.assertTrue(renewal.is_draft)
        self.assertEqual(renewal.renews, decree)
        self.assertEqual((renewal.valid_from, renewal.valid_until), (dt.date(2027, 1, 1), dt.date(2027, 12, 31)))
        self.assertEqual(
            list(renewal.members.values_list("person__username", "agency__short_name", "role")),
            [("penghubung_baru", "DPUPR", "liaison")],
        )
        with self.assertRaisesMessage(DomainError, "sudah ada"):
            actions.start_renewal(decree, actor=self.admin)
        # Edited (someone added), then issued: the new period follows the old one without a gap.
        DecreeMember.objects.create(decree=renewal, person=self.pw_operator, agency=self.transport, role=Role.OPERATOR)
        renewal.number = "188.45/3/410.010/2027"
        renewal.save()
        actions.issue_decree(renewal, actor=self.admin)
        old = Appointment.objects.get(decree=decree, person=self.new_liaison)
        new = Appointment.objects.get(decree=renewal, person=self.new_liaison)
        self.assertEqual(old.valid_until, new.valid_from)

    def test_a_draft_cannot_be_renewed(self):
        with self.assertRaises(DomainError):
            actions.start_renewal(self.draft(), actor=self.admin)


@time_machine.travel(wib(2026, 1, 5, 9), tick=False)
class DecreeAdminTests(AduanTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.admin = factory.make_user("admin_sistem", is_staff=True, is_superuser=True)
        cls.person = factory.make_user("penghubung_baru")

    def post_decree(self, document):
        self.client.force_login(self.admin)
        return self.client.post(
            reverse("admin:agencies_decree_add"),
            {
                "number": "188.45/1/2026",
                "date": "2026-01-02",
                "title": "Penunjukan admin penghubung",
                "document": document,
                "valid_from": "2026-01-06",
                "valid_until": "",
                "members-TOTAL_FORMS": "1",
                "members-INITIAL_FORMS": "0",
                "members-0-person": self.person.pk,
                "members-0-agency": self.public_works.pk,
                "members-0-role": "liaison",
            },
        )

    def test_a_decree_is_entered_with_its_signed_pdf_and_a_years_validity_by_default(self):
        response = self.post_decree(SimpleUploadedFile("sk.pdf", factory.PDF_BYTES, "application/pdf"))
        self.assertEqual(
            response.status_code, 302, getattr(response, "context", None) and response.context.get("errors")
        )
        decree = Decree.objects.get()
        self.assertEqual(decree.valid_until, dt.date(2027, 1, 5))
        self.assertTrue(decree.document.name.endswith(".pdf"))
        self.assertEqual(decree.members.count(), 1)

    def test_the_signed_pdf_opens_for_the_coordinator_through_a_checked_link_only(self):
        self.post_decree(SimpleUploadedFile("sk.pdf", factory.PDF_BYTES, "application/pdf"))
        decree = Decree.objects.get()
        link = decree.document.url
        self.assertFalse(link.startswith("/media/"))
        self.assertContains(self.client.get(reverse("admin:agencies_decree_change", args=[decree.pk])), link)

        for user, expected in ((self.admin, 200), (self.coordinator, 200), (self.pw_liaison, 403)):
            self.client.force_login(user)
            response = self.client.get(link)
            self.assertEqual(response.status_code, expected, user)
            if expected == 200:
                self.assertEqual(b"".join(response.streaming_content), factory.PDF_BYTES)
                self.assertEqual(response["Content-Type"], "application/pdf")
        self.client.logout()
        self.assertEqual(self.client.get(link).status_code, 302)  # to the log-in page

    def test_only_recorded_decree_documents_are_served(self):
        self.client.force_login(self.coordinator)
        for name in ("decrees/2026/tidak-ada.pdf", "../aduan/settings.py", "reports/2026/foto.jpg"):
            self.assertEqual(self.client.get(reverse("staffing:decree_document", args=[name])).status_code, 404)

    def test_a_document_that_is_not_a_pdf_is_refused_in_indonesian(self):
        response = self.post_decree(SimpleUploadedFile("sk.pdf", b"bukan pdf", "application/pdf"))
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Dokumen SK harus berkas PDF")
        self.assertFalse(Decree.objects.exists())

    def test_issue_and_renew_are_admin_actions(self):
        self.post_decree("")
        decree = Decree.objects.get()
        changelist = reverse("admin:agencies_decree_changelist")
        self.client.post(changelist, {"action": "issue", "_selected_action": [decree.pk]})
        self.assertEqual(Appointment.objects.filter(decree=decree).count(), 1)
        response = self.client.post(changelist, {"action": "renew", "_selected_action": [decree.pk]})
        renewal = Decree.objects.get(renews=decree)
        self.assertRedirects(response, reverse("admin:agencies_decree_change", args=[renewal.pk]))
        self.assertEqual(renewal.members.count(), 1)
