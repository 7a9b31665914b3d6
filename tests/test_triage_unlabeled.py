"""Issue 18, eighth session: undecided reports' texts at training time (classifier.train's
``unlabeled``) — measured with bench/triage_protocol.py --pool and not adopted, so both
knobs are off. The tests keep the knobs honest for the next measurement: off, the texts
change nothing; on, they do what they say; and the protocol's pool never holds the text
being suggested."""

import importlib.util
from pathlib import Path
from unittest import mock

import numpy as np
from django.test import SimpleTestCase

from tests.base import three_category_examples
from triage import classifier

# "zorkel" is a word no labeled example and no lexicon concept knows.
UNLABELED = ["aspal jalan rusak berlubang parah zorkel", "aspal jalan berlubang zorkel lagi"]


class UnlabeledTextsTests(SimpleTestCase):
    def train(self, **kwargs):
        return classifier.train(three_category_examples(3), candidates=(classifier.DEFAULT_C,), **kwargs)

    def test_with_the_knobs_off_the_texts_change_nothing(self):
        plain, given = self.train(), self.train(unlabeled=UNLABELED)
        self.assertNotIn("zorkel", given.features.transformer_list[0][1].vocabulary_)
        np.testing.assert_array_equal(plain.category_model.coef_, given.category_model.coef_)

    def test_the_pool_vocabulary_learns_their_words(self):
        with mock.patch.object(classifier, "POOL_VOCABULARY", True):
            model = self.train(unlabeled=UNLABELED)
        self.assertIn("zorkel", model.features.transformer_list[0][1].vocabulary_)
        # The IDF now counts the pool: "aspal" is in 3 of 9 labeled texts and both pool texts.
        words = model.features.transformer_list[0][1]
        self.assertAlmostEqual(words.idf_[words.vocabulary_["aspal"]], np.log((1 + 11) / (1 + 5)) + 1)

    def test_self_training_teaches_a_confident_texts_new_word_to_its_category(self):
        with mock.patch.object(classifier, "POOL_VOCABULARY", True):
            without = self.train(unlabeled=UNLABELED)
            with mock.patch.object(classifier, "SELF_TRAINING_WEIGHT", 1.0):
                with_self = self.train(unlabeled=UNLABELED)
        text = "zorkel di depan rumah"
        self.assertGreater(
            with_self.category_probabilities(text)["Jalan"], without.category_probabilities(text)["Jalan"] + 0.05
        )
        self.assertEqual(classifier.top(with_self.category_probabilities(text), 1)[0][0], "Jalan")

    def test_nothing_confident_enough_leaves_the_model_as_it_was(self):
        with mock.patch.object(classifier, "POOL_VOCABULARY", True):
            without = self.train(unlabeled=UNLABELED)
            with (
                mock.patch.object(classifier, "SELF_TRAINING_WEIGHT", 1.0),
                mock.patch.object(classifier, "SELF_TRAINING_CONFIDENCE", 1.01),
            ):
                with_self = self.train(unlabeled=UNLABELED)
        np.testing.assert_array_equal(without.category_model.coef_, with_self.category_model.coef_)


class ProtocolPoolTests(SimpleTestCase):
    def test_a_report_is_never_in_the_pool_of_the_model_that_suggests_it(self):
        path = Path(__file__).resolve().parent.parent / "bench" / "triage_protocol.py"
        spec = importlib.util.spec_from_file_location("triage_protocol_under_test", path)
        bench = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(bench)
        examples = three_category_examples(6)
        train, calls = classifier.train, []

        def spy(training, **kwargs):
            model = train(training, candidates=(classifier.DEFAULT_C,), **kwargs)
            suggest = model.suggest
            read = []
            model.suggest = lambda text, *args: read.append(text) or suggest(text, *args)
            calls.append((set(kwargs["unlabeled"]), {e.text for e in training}, read))
            return model

        with mock.patch.object(classifier, "train", spy):
            top1, _top3, _agency = bench.protocol(examples, seeds=(0,), pool=True, extra_pool=["kabel putus"])
        # Three folds, two halves each: every held report suggested once, by the model
        # whose pool is the other half's texts and the extra texts.
        self.assertEqual(len(calls), 6)
        suggested = [text for _pool, _training, read in calls for text in read]
        self.assertEqual(sorted(suggested), sorted(e.text for e in examples))
        for pool, training, read in calls:
            self.assertTrue(read)
            self.assertFalse(pool & set(read))
            self.assertFalse(pool & training)
            self.assertIn("kabel putus", pool)
            self.assertEqual(len(pool), len(read) + 1)
        self.assertGreater(top1, 0.5)
