"""The duplicate finder reads only the report's own government's reports (tenancy,
docs/architecture.md): two pinned reports across the border of two governments of the
installation are never candidates of each other, nor stored as a pair."""

from decimal import Decimal

from tests.base import TwoGovernmentsBase, temporary_triage_model
from triage import actions as triage_actions
from triage.duplicates import likely_duplicates
from triage.models import LikelyDuplicate

PIN = {"latitude": Decimal("-8.099000"), "longitude": Decimal("112.169000")}


class DuplicateTenancyTests(TwoGovernmentsBase):
    def setUp(self):
        self.model_dir = temporary_triage_model(self)

    def test_a_pin_of_another_government_is_never_a_candidate(self):
        ours = self.make_report(description="Lampu PJU di Jl. Kenari padam, seminggu gelap", **PIN)
        theirs = self.make_report(
            description="lampu pju jl kenari padam, gelap seminggu",
            government=self.kediri,
            category=self.kediri_category,
            region=None,
            **PIN,
        )
        self.assertEqual(likely_duplicates(ours), [])
        self.assertEqual(likely_duplicates(theirs), [])
        triage_actions.refresh_duplicates(theirs)
        triage_actions.refresh_duplicates(ours)
        self.assertFalse(LikelyDuplicate.objects.exists())

    def test_a_placeless_report_of_another_government_is_never_a_candidate(self):
        ours = self.make_report(description="Pohon tumbang menutup jalan Mawar setelah angin kencang", region=None)
        theirs = self.make_report(
            description="ada pohon tumbang di jl mawar, jalan ketutup total",
            government=self.kediri,
            category=self.kediri_category,
            region=None,
        )
        self.assertEqual(likely_duplicates(ours), [])
        triage_actions.refresh_duplicates(theirs)
        self.assertFalse(LikelyDuplicate.objects.exists())
