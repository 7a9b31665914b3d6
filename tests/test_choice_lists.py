"""The selects of categories, agencies and kelurahan are kept in memory between requests
(core/choice_lists.py): a change to those tables shows on the next page, the kept list
never replaces a narrowed one, and a submitted value is still checked in the database."""

from django.urls import reverse

from agencies.models import Agency
from core import choice_lists
from tests import factory
from tests.base import AduanTestCase
from workspace import action_forms, forms


class KeptListsTests(AduanTestCase):
    def inbox(self, query=""):
        self.client.force_login(self.coordinator)
        return self.client.get(reverse("workspace:inbox") + query, headers={"HX-Request": "true"} if query else {})

    def test_a_second_inbox_reads_no_list_again(self):
        self.inbox()
        form = forms.ReportFilterForm(user=self.coordinator)
        with self.assertNumQueries(0):
            choices = list(form.fields["category"].choices)
        self.assertIn(str(self.category), [label for _value, label in choices])

    def test_a_new_category_shows_on_the_next_page(self):
        self.assertNotContains(self.inbox(), "Pohon tumbang")
        factory.make_category("Pohon tumbang", parent=self.category.parent, default_agency=self.public_works)
        self.assertContains(self.inbox(), "Pohon tumbang")

    def test_a_renamed_added_or_deleted_agency_shows_on_the_next_page(self):
        self.assertContains(self.inbox(), ">Dishub<")  # an agency's short name is its label
        self.transport.short_name = "Dishub Kota"
        self.transport.save()
        self.assertContains(self.inbox(), ">Dishub Kota<")
        unused = factory.make_agency("Dinas Arsip", short_name="Disarpus")
        self.assertContains(self.inbox(), ">Disarpus<")
        unused.delete()
        self.assertNotContains(self.inbox(), ">Disarpus<")

    def test_a_changed_version_in_another_process_is_seen(self):
        # Another worker's save bumps the shared version: this process reads the list again.
        self.inbox()
        choice_lists.changed()
        form = forms.ReportFilterForm(user=self.coordinator)
        with self.assertNumQueries(1):
            list(form.fields["agency"].choices)

    def test_the_kelurahan_narrowed_to_a_kecamatan_is_not_the_kept_list(self):
        elsewhere = factory.make_region("Kepanjenkidul", parent=factory.make_region("Kepanjenkidul Kec"))
        self.assertContains(self.inbox(), elsewhere.name)  # the whole list is kept now
        response = self.inbox(f"?kecamatan={self.kecamatan.pk}")
        self.assertContains(response, self.kelurahan.name)
        self.assertNotContains(response, "Kepanjenkidul")
        # ...and the kept list is still the whole one.
        self.assertContains(self.inbox(), elsewhere.name)

    def test_a_submitted_agency_is_checked_in_the_database(self):
        form = action_forms.DisposeForm({"lead_agency": self.transport.pk})
        list(form.fields["lead_agency"].choices)  # the list is kept
        Agency.objects.filter(pk=self.transport.pk).update(is_active=False)  # sends no signal
        self.assertFalse(action_forms.DisposeForm({"lead_agency": self.transport.pk}).is_valid())
