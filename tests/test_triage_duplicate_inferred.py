"""Between a report with only a pin (a WhatsApp location share) and one with only a
kelurahan, the kelurahan whose centroid is nearest the pin chooses the candidates
(triage/duplicates.py, ``kelurahan_of_pin``): the same problem told in other words is
found and stored. The inferred kelurahan is never evidence in the score, only reaches,
within CENTROID_M, the report's own government's kelurahan, and costs no query per
report. Each test fails without it (issue 18), but for the one marked as a guard."""

import datetime as dt
from decimal import Decimal
from unittest import mock

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from core import choice_lists
from tests import factory
from tests.base import AduanTestCase, TwoGovernmentsBase, temporary_triage_model
from triage import actions as triage_actions
from triage.duplicate_score import DuplicateScorer
from triage.duplicates import duplicate_pairs, kelurahan_of_pin, likely_duplicates
from triage.models import LikelyDuplicate

# The same problem, no significant word in common.
NAMED = "Lampu PJU di Jl. Kenari padam, seminggu gelap"
PINNED = "pju dkt masjid Al-Ikhlas ora urup"

# Bendogerit's centroid; Klampok's about 1.3 km south of it.
BENDOGERIT = (Decimal("-8.098300"), Decimal("112.168100"))
KLAMPOK = (Decimal("-8.110000"), Decimal("112.168100"))


def pin(lat, lon):
    return {"latitude": Decimal(lat), "longitude": Decimal(lon), "region": None}


NEAR_BENDOGERIT = pin("-8.099000", "112.169000")  # about 125 m from its centroid
NEAR_KLAMPOK = pin("-8.108000", "112.168100")  # 1.1 km from Bendogerit's, 220 m from Klampok's
FAR_AWAY = pin("-8.160000", "112.168100")  # 5.6 km from Klampok's, 6.9 km from Bendogerit's


class InferredKelurahanCase(AduanTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        for region, (lat, lon) in ((cls.kelurahan, BENDOGERIT), (cls.other_kelurahan, KLAMPOK)):
            region.latitude, region.longitude = lat, lon
            region.save()  # the save tells the kept lists to read the regions again

    def setUp(self):
        self.model_dir = temporary_triage_model(self)
        choice_lists.forget()

    def pairs(self):
        return set(LikelyDuplicate.objects.values_list("report", "candidate"))


class PinOnlyAndKelurahanOnlyTests(InferredKelurahanCase):
    def test_the_pair_is_found_and_stored_when_the_pin_comes_second(self):
        named = self.make_report(description=NAMED)  # Bendogerit, no pin
        pinned = self.make_report(description=PINNED, **NEAR_BENDOGERIT)
        self.assertEqual(triage_actions.refresh_duplicates(pinned), 2)
        self.assertEqual(self.pairs(), {(pinned.pk, named.pk), (named.pk, pinned.pk)})
        self.assertEqual([r.pk for r in likely_duplicates(pinned)], [named.pk])
        self.assertEqual([r.pk for r in likely_duplicates(named)], [pinned.pk])

    def test_the_pair_is_found_and_stored_when_the_kelurahan_comes_second(self):
        pinned = self.make_report(description=PINNED, **NEAR_BENDOGERIT)
        named = self.make_report(description=NAMED)
        self.assertEqual(triage_actions.refresh_duplicates(named), 2)
        self.assertEqual(self.pairs(), {(pinned.pk, named.pk), (named.pk, pinned.pk)})

    def test_the_nearest_centroid_decides_which_kelurahan(self):
        named_here = self.make_report(description=NAMED)
        named_there = self.make_report(description=NAMED, region=self.other_kelurahan)
        pinned = self.make_report(description=PINNED, **NEAR_KLAMPOK)
        self.assertEqual(kelurahan_of_pin(pinned.latitude, pinned.longitude, _centroids(self)), self.other_kelurahan.pk)
        self.assertEqual([r.pk for r in likely_duplicates(pinned)], [named_there.pk])
        self.assertEqual([r.pk for r in likely_duplicates(named_there)], [pinned.pk])
        self.assertEqual(likely_duplicates(named_here), [])

    def test_a_pin_far_from_every_centroid_takes_no_kelurahan(self):
        named = self.make_report(description=NAMED)
        near = self.make_report(description=PINNED, **NEAR_BENDOGERIT)
        far = self.make_report(description=PINNED, **FAR_AWAY)
        self.assertIsNone(kelurahan_of_pin(far.latitude, far.longitude, _centroids(self)))
        self.assertEqual(likely_duplicates(far), [])
        self.assertEqual([r.pk for r in likely_duplicates(named)], [near.pk])
        triage_actions.refresh_duplicates(far)
        self.assertFalse(LikelyDuplicate.objects.filter(report=far).exists())
        self.assertFalse(LikelyDuplicate.objects.filter(candidate=far).exists())

    def test_the_inferred_kelurahan_is_no_evidence_in_the_score(self):
        # The scorer reads the pinned report as the resident sent it: no kelurahan.
        named = self.make_report(description=NAMED)
        pinned = self.make_report(description=PINNED, **NEAR_BENDOGERIT)
        read, sides = DuplicateScorer.read, []

        def spy(scorer, given):
            sides.extend(given)
            return read(scorer, given)

        with mock.patch.object(DuplicateScorer, "read", autospec=True, side_effect=spy):
            found = likely_duplicates(pinned)
        self.assertEqual([r.pk for r in found], [named.pk])
        self.assertEqual([(s.key, s.region) for s in sides], [(pinned.pk, None), (named.pk, self.kelurahan.pk)])
        pinned.refresh_from_db()
        self.assertIsNone(pinned.region_id)  # nothing written to the report

    def test_pinned_reports_around_the_centroid_do_not_crowd_out_the_kelurahans_own(self):
        own = self.make_report(description=NAMED, received_at=timezone.now() - dt.timedelta(days=2))
        for _ in range(3):  # newer, in the box around Bendogerit's centroid, nearest Klampok's
            self.make_report(description="Parkir liar di depan pasar setiap sore", **NEAR_KLAMPOK)
        new = self.make_report(description="lampu pju jl kenari padam, gelap seminggu")
        with mock.patch("triage.duplicates.MAX_CANDIDATES", 3):
            self.assertEqual([r.pk for r in likely_duplicates(new)], [own.pk])


def _centroids(case):
    from triage.duplicates import kelurahan_centroids

    return kelurahan_centroids(case.kelurahan.government_id)


class AnotherGovernmentTests(InferredKelurahanCase, TwoGovernmentsBase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        kecamatan = factory.make_region("Mojoroto", government=cls.kediri)
        # Kediri's kelurahan has its centroid right on the pin: nearer than Bendogerit's.
        cls.kediri_kelurahan = factory.make_region("Bandar", parent=kecamatan)
        cls.kediri_kelurahan.latitude = NEAR_BENDOGERIT["latitude"]
        cls.kediri_kelurahan.longitude = NEAR_BENDOGERIT["longitude"]
        cls.kediri_kelurahan.save()

    def kediri_report(self):
        return self.make_report(
            description=NAMED, government=self.kediri, region=self.kediri_kelurahan, category=self.kediri_category
        )

    def test_another_governments_nearer_kelurahan_is_never_used(self):
        theirs = self.kediri_report()
        ours = self.make_report(description=NAMED)
        pinned = self.make_report(description=PINNED, **NEAR_BENDOGERIT)
        self.assertEqual([r.pk for r in likely_duplicates(pinned)], [ours.pk])
        self.assertEqual(likely_duplicates(theirs), [])
        triage_actions.refresh_duplicates(pinned)
        triage_actions.refresh_duplicates(theirs)
        self.assertEqual(self.pairs(), {(pinned.pk, ours.pk), (ours.pk, pinned.pk)})

    def test_with_only_another_governments_kelurahan_near_the_pin_there_are_none(self):
        # Guards the two checks together (the centroids and the candidates of one
        # government): passes without the inferred kelurahan too.
        for region in (self.kelurahan, self.other_kelurahan):
            region.latitude, region.longitude = FAR_AWAY["latitude"], FAR_AWAY["longitude"]
            region.save()
        theirs = self.kediri_report()
        self.make_report(description=NAMED)
        pinned = self.make_report(description=PINNED, **NEAR_BENDOGERIT)
        self.assertIsNone(kelurahan_of_pin(pinned.latitude, pinned.longitude, _centroids(self)))
        self.assertEqual(likely_duplicates(pinned), [])
        triage_actions.refresh_duplicates(theirs)
        triage_actions.refresh_duplicates(pinned)
        self.assertEqual(self.pairs(), set())


class QueryCountTests(InferredKelurahanCase):
    def queries(self, func, report):
        choice_lists.forget()  # the kelurahan read again: the count with their query
        with CaptureQueriesContext(connection) as captured:
            found = func(report)
        return len(captured), found

    def test_the_queries_do_not_grow_with_the_reports(self):
        named = self.make_report(description=NAMED)
        pinned = self.make_report(description=PINNED, **NEAR_BENDOGERIT)
        counts = []
        for extra in (1, 12):
            for _ in range(extra):
                self.make_report(description="Parkir liar di depan pasar setiap sore")
                self.make_report(description="Parkir liar di depan pasar setiap sore", **NEAR_BENDOGERIT)
            for func, report in ((likely_duplicates, pinned), (likely_duplicates, named)):
                count, found = self.queries(func, report)
                self.assertEqual([r.pk for r in found], [named.pk if report is pinned else pinned.pk])
                counts.append(count)
            count, found = self.queries(duplicate_pairs, pinned)
            self.assertIn((pinned.pk, named.pk), [(a, b) for a, b, _ in found])
            counts.append(count)
        self.assertEqual(counts[:3], counts[3:])
        # The kelurahan (their centroids, and their names: a text naming one places a report
        # without one) are read in one query per government and kept (core/choice_lists.py).
        with self.assertNumQueries(counts[0] - 1):
            likely_duplicates(pinned)
