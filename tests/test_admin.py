import datetime as dt

from django.contrib import admin
from django.contrib.auth.models import Group
from django.urls import reverse

from core.models import CalendarEntry
from reports.models import Disposition, IdentityRead, Report, ReportEvent, Status
from tests import factory
from tests.base import AduanTestCase


def _url(model, view, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


class AdminTests(AduanTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.sysadmin = factory.make_user("admin", is_staff=True, is_superuser=True)
        cls.report = factory.make_resolved(cls.coordinator, cls.public_works, cls.pw_liaison)
        Group.objects.create(name="Contoh")
        CalendarEntry.objects.create(date=dt.date(2026, 7, 1), name="Hari jadi Kota Blitar")
        IdentityRead.objects.create(user=cls.coordinator, report=cls.report)

    def setUp(self):
        self.login(self.sysadmin)

    def test_every_registered_model_lists_and_opens_for_the_system_administrator(self):
        for model in admin.site._registry:
            with self.subTest(model=model.__name__):
                self.assertEqual(self.client.get(_url(model, "changelist")).status_code, 200)
                obj = model._default_manager.first()
                if obj is not None:
                    self.assertEqual(self.client.get(_url(model, "change", obj.pk)).status_code, 200)

    def test_the_sysadmin_models_are_registered_and_have_rows_to_open(self):
        from agencies.models import Agency, Appointment, Region
        from reports.models import Category

        for model in [Region, Agency, Appointment, Category, Report, Disposition, ReportEvent, IdentityRead]:
            with self.subTest(model=model.__name__):
                self.assertIn(model, admin.site._registry)
                self.assertTrue(model._default_manager.exists())

    def test_add_pages_open_for_the_editable_models(self):
        from agencies.models import Agency, Appointment, Region
        from reports.models import Category

        for model in [Region, Agency, Appointment, Category]:
            with self.subTest(model=model.__name__):
                self.assertEqual(self.client.get(_url(model, "add")).status_code, 200)

    def test_the_site_header_is_indonesian(self):
        response = self.client.get(reverse("admin:index"))
        self.assertContains(response, "Administrasi Sistem Aduan")

    def test_reports_cannot_be_added_or_deleted_in_the_admin(self):
        self.assertEqual(self.client.get(_url(Report, "add")).status_code, 403)
        self.assertEqual(self.client.get(_url(Report, "delete", self.report.pk)).status_code, 403)
        response = self.client.post(_url(Report, "delete", self.report.pk), {"post": "yes"})
        self.assertEqual(response.status_code, 403)
        self.assertTrue(Report.objects.filter(pk=self.report.pk).exists())
        changelist = self.client.get(_url(Report, "changelist"))
        self.assertIsNone(changelist.context["action_form"])  # no bulk actions, so no "delete selected"

    def test_a_report_cannot_be_changed_in_the_admin(self):
        response = self.client.post(
            _url(Report, "change", self.report.pk), {"status": Status.CLOSED, "description": "diubah", "title": "x"}
        )
        self.assertEqual(response.status_code, 403)
        self.report.refresh_from_db()
        self.assertEqual(self.report.status, Status.RESOLVED)
        self.assertNotEqual(self.report.description, "diubah")

    def test_the_report_page_shows_its_events_and_dispositions_but_never_the_secret(self):
        response = self.client.get(_url(Report, "change", self.report.pk))
        self.assertContains(response, self.report.tracking_number)
        self.assertContains(response, "disposition_done")
        self.assertContains(response, "DPUPR")
        self.assertNotContains(response, self.report.secret)
        self.assertNotContains(response, 'name="_save"')

    def test_reading_a_report_in_the_admin_is_audited(self):
        before = IdentityRead.objects.filter(user=self.sysadmin, report=self.report).count()
        self.client.get(_url(Report, "change", self.report.pk))
        self.assertEqual(IdentityRead.objects.filter(user=self.sysadmin, report=self.report).count(), before + 1)

    def test_dispositions_and_events_are_read_only_too(self):
        disposition = self.report.dispositions.get()
        event = self.report.events.first()
        for model, obj in [(Disposition, disposition), (ReportEvent, event)]:
            with self.subTest(model=model.__name__):
                self.assertEqual(self.client.get(_url(model, "add")).status_code, 403)
                self.assertEqual(self.client.post(_url(model, "change", obj.pk), {}).status_code, 403)
                self.assertEqual(self.client.post(_url(model, "delete", obj.pk), {"post": "yes"}).status_code, 403)

    def test_appointments_filter_by_active_now(self):
        from agencies.models import Appointment

        ended = Appointment.objects.get(person=self.pw_head)
        Appointment.objects.filter(pk=ended.pk).update(valid_until=ended.valid_from + dt.timedelta(hours=1))
        response = self.client.get(_url(Appointment, "changelist"), {"berlaku": "ya"})
        shown = {a.pk for a in response.context["cl"].result_list}
        self.assertNotIn(ended.pk, shown)
        self.assertIn(Appointment.objects.get(person=self.coordinator).pk, shown)
        response = self.client.get(_url(Appointment, "changelist"), {"berlaku": "berakhir"})
        self.assertEqual([a.pk for a in response.context["cl"].result_list], [ended.pk])

    def test_appointments_search_by_decree_number_and_person(self):
        from agencies.models import Appointment

        Appointment.objects.filter(person=self.transport_liaison).update(decree_number="188/777/410.010/2026")
        response = self.client.get(_url(Appointment, "changelist"), {"q": "188/777"})
        self.assertEqual([a.person for a in response.context["cl"].result_list], [self.transport_liaison])
        response = self.client.get(_url(Appointment, "changelist"), {"q": "operator_pupr"})
        self.assertEqual([a.person for a in response.context["cl"].result_list], [self.pw_operator])

    def test_the_person_and_agency_fields_autocomplete(self):
        from agencies.models import Appointment

        url = reverse("admin:autocomplete")
        params = {"app_label": "agencies", "model_name": "appointment", "field_name": "agency", "term": "DPU"}
        response = self.client.get(url, params)
        self.assertEqual([r["text"] for r in response.json()["results"]], ["DPUPR"])
        params.update(field_name="person", term="koordinator")
        self.assertEqual(self.client.get(url, params).status_code, 200)
        self.assertTrue(Appointment.objects.exists())
