"""Triage's keyword rules and model are the installation's; a report's suggestions are
only ever its own government's categories and agencies."""

from io import StringIO

from django.core.management import call_command
from django.utils import timezone

from reports import actions
from reports.models import Channel, ReplyChannel, Report
from tests import factory
from tests.base import TwoGovernmentsBase, temporary_triage_model
from tests.test_tenancy import TwoGovernmentsCase
from tests.test_triage_suggestions import LAMP_TEXTS, PARKING_TEXTS, ROAD_TEXTS
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


class GovernmentRankingTests(TwoGovernmentsBase):
    """One model learns both governments' reports, whose trees name the same problems: a
    report's three suggestions are ranked among its own government's categories, not cut
    out of the installation's three (which would leave Kediri one or none)."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.road = factory.make_category("Jalan berlubang", government=cls.blitar, default_agency=cls.public_works)
        cls.kediri_works = factory.make_agency("Dinas PUPR", government=cls.kediri)
        cls.kediri_parking = factory.make_category(
            "Parkir liar", government=cls.kediri, default_agency=cls.kediri_transport
        )
        cls.kediri_road = factory.make_category("Jalan rusak", government=cls.kediri, default_agency=cls.kediri_works)
        cls.kediri_category.default_agency = cls.kediri_transport
        cls.kediri_category.save(update_fields=["default_agency"])
        trees = {
            cls.blitar: ((cls.category, LAMP_TEXTS), (cls.other_category, PARKING_TEXTS), (cls.road, ROAD_TEXTS)),
            cls.kediri: (
                (cls.kediri_category, LAMP_TEXTS),
                (cls.kediri_parking, PARKING_TEXTS),
                (cls.kediri_road, ROAD_TEXTS),
            ),
        }
        verified = []
        for government, tree in trees.items():
            for category, texts in tree:
                for text in texts:
                    verified.append(factory.make_report(government=government, category=category, description=text).pk)
        Report.objects.filter(pk__in=verified).update(verified_at=timezone.now())

    def setUp(self):
        super().setUp()
        temporary_triage_model(self)
        triage.forget_keyword_rules()
        call_command("train_triage", min_examples=1, stdout=StringIO())

    def new_report(self, government):
        return factory.make_report(
            government=government, category=None, description="lampu jalan di gang kami mati, gelap sekali tiap malam"
        )

    def assert_ranked_among_its_own(self, report, lamp):
        rows = list(Suggestion.objects.filter(report=report).order_by("rank"))
        self.assertEqual(len(rows), 3)
        self.assertEqual(rows[0].category, lamp)
        self.assertGreater(rows[0].category_confidence, 0.5)
        self.assertEqual({row.category.government_id for row in rows}, {report.government_id})
        self.assertEqual({row.agency.government_id for row in rows if row.agency}, {report.government_id})
        self.assertEqual(rows[0].agency, lamp.default_agency)

    def test_each_government_gets_three_of_its_own(self):
        blitar, kediri = self.new_report(self.blitar), self.new_report(self.kediri)
        triage.triage_report(blitar)
        triage.triage_report(kediri)
        self.assert_ranked_among_its_own(blitar, self.category)
        self.assert_ranked_among_its_own(kediri, self.kediri_category)

    def test_and_in_a_bulk_triage(self):
        blitar, kediri = self.new_report(self.blitar), self.new_report(self.kediri)
        self.assertEqual(triage.triage_reports([blitar.pk, kediri.pk]), 2)
        self.assert_ranked_among_its_own(blitar, self.category)
        self.assert_ranked_among_its_own(kediri, self.kediri_category)
