"""Triage's keyword rules and model are the installation's; a report's suggestions are
only ever its own government's categories and agencies."""

from reports import actions
from reports.models import Channel, ReplyChannel
from tests.test_tenancy import TwoGovernmentsCase
from triage import actions as triage
from triage.models import KeywordRule, Suggestion


class TriageGovernmentTests(TwoGovernmentsCase):
    def setUp(self):
        super().setUp()
        KeywordRule.objects.create(category=self.category, keywords="lampu jalan, pju, lampu mati")

    def suggested(self, report):
        """The categories suggested for ``report`` (names match too: Kediri's "Lampu jalan")."""
        rows = Suggestion.objects.filter(report=report)
        self.assertFalse(rows.exclude(agency__isnull=True).exclude(agency__government=report.government).exists())
        return set(rows.exclude(category__isnull=True).values_list("category", flat=True))

    def submit(self, government):
        report = actions.submit_report(
            government=government,
            channel=Channel.WEB,
            description="Lampu jalan di depan rumah saya mati sejak tiga hari.",
            reporter_name="Budi",
            reply_channel=ReplyChannel.NONE,
        )
        return report

    def test_another_governments_category_is_never_suggested(self):
        blitar, kediri = self.submit(self.blitar), self.submit(self.kediri)
        triage.triage_report(blitar)
        triage.triage_report(kediri)
        self.assertEqual(Suggestion.objects.get(report=blitar, rank=1).category, self.category)
        self.assertNotIn(self.category.pk, self.suggested(kediri))
        self.assertLessEqual(self.suggested(kediri), {self.kediri_category.pk})

    def test_nor_in_a_bulk_triage(self):
        blitar, kediri = self.submit(self.blitar), self.submit(self.kediri)
        self.assertEqual(triage.triage_reports([blitar.pk, kediri.pk]), 2)
        self.assertEqual(Suggestion.objects.get(report=blitar, rank=1).category, self.category)
        self.assertNotIn(self.category.pk, self.suggested(kediri))
        self.assertLessEqual(self.suggested(kediri), {self.kediri_category.pk})

    def test_a_governments_own_rule_suggests_its_own_category(self):
        KeywordRule.objects.create(category=self.kediri_category, keywords="lampu jalan, lampu mati")
        kediri = self.submit(self.kediri)
        triage.triage_report(kediri)
        self.assertEqual(
            set(Suggestion.objects.filter(report=kediri).values_list("category__government", flat=True)),
            {self.kediri.pk},
        )
