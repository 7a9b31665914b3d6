"""The report page's history says what changed in words: the fields' names and the
values' labels, in Indonesian and in English, never the stored keys."""

from django.urls import reverse

from reports import actions
from reports.models import Kind, ResolutionClass
from tests import factory
from tests.base import AduanTestCase
from triage import actions as triage_actions
from triage.models import Suggestion


class HistoryInWordsTests(AduanTestCase):
    def setUp(self):
        self.login(self.coordinator)
        self.report = self.make_report(category=self.category)
        self.inspection = factory.make_category(
            "Jalan berlubang", parent=self.category.parent, resolution_class=ResolutionClass.FIELD
        )
        # Applying triage's suggestion (a reclassification), then the kind and the class by hand.
        suggestion = Suggestion.objects.create(report=self.report, rank=1, category=self.inspection)
        triage_actions.accept_suggestion(suggestion, actor=self.coordinator)
        actions.classify_report(
            self.report,
            actor=self.coordinator,
            kind=Kind.ASPIRATION,
            resolution_class=ResolutionClass.COORDINATION,
            region=self.other_kelurahan,
        )

    def history(self, language=None):
        if language:
            self.client.post(reverse("set_language"), {"language": language, "next": "/"})
        response = self.client.get(reverse("workspace:report", args=[self.report.pk]))
        self.assertEqual(response.status_code, 200)
        page = response.content.decode()
        # The history alone (the forms' options carry the stored keys as their values).
        return page[page.index('<ol class="timeline ws-timeline">') : page.index("</ol>", page.index("ws-timeline"))]

    def test_indonesian_names_and_labels(self):
        page = self.history()
        self.assertIn("Kategori: Perhubungan › Lampu penerangan jalan umum → Perhubungan › Jalan berlubang", page)
        self.assertIn("Kelas tenggat: Sederhana (5 hari kerja) → Perlu pemeriksaan lapangan (60 hari)", page)
        self.assertIn("Jenis: Pengaduan → Aspirasi", page)
        self.assertIn("Kelas tenggat: Perlu pemeriksaan lapangan (60 hari) → Perlu koordinasi (14 hari kerja)", page)
        self.assertIn("Kelurahan: Bendogerit → Klampok", page)

    def test_english_names_and_labels(self):
        page = self.history("en")
        self.assertIn("Category: Perhubungan › Lampu penerangan jalan umum → Perhubungan › Jalan berlubang", page)
        self.assertIn("Deadline class: Simple (5 working days) → Needs field inspection (60 days)", page)
        self.assertIn("Type: Complaint → Aspiration", page)
        self.assertIn("Deadline class: Needs field inspection (60 days) → Needs coordination (14 working days)", page)

    def test_no_stored_key_is_shown(self):
        for language in (None, "en"):
            page = self.history(language)
            for key in (
                "resolution_class:",
                "category:",
                "kind:",
                "region:",
                "→ field",
                "coordination →",
                "aspiration",
            ):
                self.assertNotIn(key, page)

    def test_a_key_the_report_does_not_have_is_shown_as_it_is(self):
        event = self.report.events.filter(action="classified").last()
        event.data = {"changes": {"old_field": ["a", "b"]}}
        event.save(update_fields=["data"])
        self.assertIn("old_field: a → b", self.history())
