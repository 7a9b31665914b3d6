"""The audit log of settings (core/audit.py, django-auditlog): an admin edit of what moves
deadlines or routing keeps who, when, and each field before and after, and the admin shows it."""

from auditlog.models import LogEntry
from django.contrib import admin
from django.urls import reverse

from core.audit import AUDITED_MODELS, AuditedAdmin
from reports.models import Category, Report
from tests import factory
from tests.base import AduanTestCase


class AuditLogTests(AduanTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.sysadmin = factory.make_user("admin", is_staff=True, is_superuser=True)

    def setUp(self):
        self.login(self.sysadmin)

    def change_category(self, **changes):
        category = self.category
        url = reverse("admin:reports_category_change", args=[category.pk])
        form = {
            "name": category.name,
            "parent": category.parent_id,
            "default_agency": category.default_agency_id,
            "is_active": "on",
            "resolution_class": category.resolution_class,
            "verify_days": category.verify_days or "",
            "follow_up_days": category.follow_up_days or "",
            "resolution_days": category.resolution_days or "",
            **changes,
        }
        response = self.client.post(url, form, REMOTE_ADDR="10.1.2.3")
        self.assertRedirects(response, reverse("admin:reports_category_changelist"))

    def test_an_admin_edit_of_a_category_deadline_keeps_who_when_before_and_after(self):
        before = self.category.follow_up_days
        self.change_category(follow_up_days=2, default_agency=self.public_works.pk)

        entry = LogEntry.objects.get_for_object(self.category).get(action=LogEntry.Action.UPDATE)
        self.assertEqual(entry.actor, self.sysadmin)
        self.assertEqual(entry.remote_addr, "10.1.2.3")
        self.assertIsNotNone(entry.timestamp)
        self.assertEqual(entry.changes_dict["follow_up_days"], [str(before), "2"])
        self.assertEqual(entry.changes_dict["default_agency"], [str(self.transport.pk), str(self.public_works.pk)])

    def test_the_admin_history_shows_the_change_with_who_and_both_values(self):
        self.category.follow_up_days = 7
        self.category.save()
        LogEntry.objects.all().delete()
        self.change_category(follow_up_days=3, default_agency=self.public_works.pk)

        page = self.client.get(reverse("admin:reports_category_history", args=[self.category.pk]))

        self.assertContains(page, "Riwayat perubahan")
        self.assertContains(page, "admin")  # who
        self.assertContains(
            page,
            "<tr><td>Tenggat tindak lanjut pertama (hari kerja)</td><td>7</td><td>3</td></tr>",
            html=True,
        )
        self.assertContains(page, "<tr><td>Perangkat daerah bawaan</td><td>Dishub</td><td>DPUPR</td></tr>", html=True)
        self.assertContains(self.client.get(reverse("admin:reports_category_changelist")), "/auditlog/")

    def test_every_audited_model_has_its_history_in_the_admin_and_reports_are_not_audited(self):
        from django.apps import apps

        for label in AUDITED_MODELS:
            model = apps.get_model(label)
            with self.subTest(model=label):
                model_admin = admin.site._registry.get(model)
                if model_admin is None:  # an inline of an audited admin (the decree's members)
                    continue
                self.assertIsInstance(model_admin, AuditedAdmin)
        factory.make_report()
        self.assertFalse(LogEntry.objects.filter(content_type__model=Report._meta.model_name).exists())
        self.assertNotIn("reports.Report", AUDITED_MODELS)

    def test_the_audit_log_itself_cannot_be_edited_in_the_admin(self):
        self.change_category(follow_up_days=4)
        entry = LogEntry.objects.get_for_object(self.category).latest("timestamp")

        self.assertEqual(self.client.get(reverse("admin:auditlog_logentry_change", args=[entry.pk])).status_code, 200)
        self.client.post(reverse("admin:auditlog_logentry_delete", args=[entry.pk]), {"post": "yes"})
        self.assertTrue(LogEntry.objects.filter(pk=entry.pk).exists())
        self.assertEqual(Category.objects.get(pk=self.category.pk).follow_up_days, 4)
