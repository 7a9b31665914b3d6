"""The agency suggestion follows a category that decides its agency: the direct agency
classifier may reorder the rest, never overturn it (issue 18, "agency below category")."""

from django.test import SimpleTestCase

from tests.test_triage_suggestions import LAMP_TEXTS, PARKING_TEXTS, ROAD_TEXTS, TriageCase
from triage import actions as triage_actions
from triage import classifier, store
from triage.classifier import Example, lead_with


class LeadWithTests(SimpleTestCase):
    def test_the_label_trades_places_with_the_first(self):
        self.assertEqual(lead_with({"a": 0.6, "b": 0.3, "c": 0.1}, "c"), {"a": 0.1, "b": 0.3, "c": 0.6})

    def test_a_label_already_first_is_left_alone(self):
        probabilities = {"a": 0.6, "b": 0.4}
        self.assertIs(lead_with(probabilities, "a"), probabilities)

    def test_an_unknown_label_comes_in_first(self):
        self.assertEqual(classifier.top(lead_with({"a": 0.7, "b": 0.3}, "z"), 1), [("z", 0.7)])


class DecidedAgencyTests(SimpleTestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        examples = [Example(t, "lamp", "transport") for t in LAMP_TEXTS]
        examples += [Example(t, "road", "works") for t in ROAD_TEXTS]
        # Parking goes to transport and to the police alike: it decides nothing.
        examples += [Example(t, "parking", "transport" if i % 2 else "police") for i, t in enumerate(PARKING_TEXTS)]
        cls.model = classifier.train(examples)

    def test_a_category_whose_examples_all_went_to_one_agency_decides_it(self):
        self.assertEqual(self.model.decided_agency("lamp"), "transport")
        self.assertEqual(self.model.decided_agency("road"), "works")

    def test_a_shared_or_unknown_category_decides_nothing(self):
        self.assertIsNone(self.model.decided_agency("parking"))
        self.assertIsNone(self.model.decided_agency("no-such-category"))

    def test_the_direct_classifier_cannot_overturn_the_first_categorys_agency(self):
        # Road words all over the text (the direct classifier says "works"), but the
        # categories say lamp first: the agency follows the lamp.
        row = self.model.vectorize(["jalan berlubang aspal rusak lubang besar"])
        direct_only = dict(
            zip(self.model.agency_model.classes_, self.model.agency_model.predict_proba(row)[0], strict=True)
        )
        self.assertEqual(max(direct_only, key=direct_only.get), "works")

        agencies = self.model._agency_probabilities(row, {"lamp": 0.55, "road": 0.45, "parking": 0.0})

        self.assertEqual(classifier.top(agencies, 1)[0][0], "transport")
        self.assertAlmostEqual(sum(agencies.values()), 1.0, places=6)


class DefaultAgencyTests(TriageCase):
    def setUp(self):
        super().setUp()
        # The model knows lamps (transport) and roads (public works) from its history.
        for text in LAMP_TEXTS:
            self.verified(text, self.category)
        for text in ROAD_TEXTS:
            self.verified(text, self.road)
        self.train()
        self.model = store.current_model()
        self.agencies = {str(self.transport.pk): 0.7, str(self.public_works.pk): 0.3}

    def test_a_category_the_model_never_learned_brings_its_default_agency(self):
        # Parking (default agency: public works here) ranks first from its keyword rule.
        self.other_category.default_agency = self.public_works
        self.other_category.save(update_fields=["default_agency"])
        categories = {str(self.other_category.pk): 0.6, str(self.category.pk): 0.4}

        agencies = triage_actions._led_by_default_agency(self.model, categories, self.agencies)

        self.assertEqual(classifier.top(agencies, 1)[0][0], str(self.public_works.pk))

    def test_the_history_of_a_learned_category_wins_over_its_default(self):
        # Lamps went to transport in every example; a default agency set later does not
        # overturn what the history decides.
        self.category.default_agency = self.public_works
        self.category.save(update_fields=["default_agency"])
        categories = {str(self.category.pk): 0.9, str(self.road.pk): 0.1}

        agencies = triage_actions._led_by_default_agency(self.model, categories, self.agencies)

        self.assertEqual(classifier.top(agencies, 1)[0][0], str(self.transport.pk))
