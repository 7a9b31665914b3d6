"""Issue 18, seventh session: a category's keyword rule (its name's terms, the
administrator's keywords, the lexicon entry its name resembles) as prior knowledge in
training — one weighted rule document per category — given by the evaluation command and
by train_triage exactly as the suggestions blend them."""

from io import StringIO
from unittest import mock

from django.core.management import call_command
from django.test import SimpleTestCase

from tests.base import three_category_examples
from triage import classifier, features, keywords

# Words no example uses and no lexicon concept knows: only a rule can teach them.
RULES = {"Jalan": ("zorkel", "jalan"), "Sampah": ("brindle",), "Lainnya": ("lainnya",), "Unused": ("zorkel",)}


class RuleDocumentTests(SimpleTestCase):
    def test_one_document_per_category_the_examples_have(self):
        texts, labels, weights = classifier.rule_documents(RULES, ["Jalan", "Sampah", "Jalan"], ())
        self.assertEqual(labels, ["Jalan", "Sampah"])
        self.assertEqual(texts, ["zorkel jalan", "brindle"])
        self.assertEqual(weights, [classifier.RULE_WEIGHT] * 2)
        self.assertEqual(classifier.rule_documents(None, ["Jalan"], ()), ([], [], []))

    def test_a_rule_teaches_words_the_examples_never_used(self):
        without = classifier.train(three_category_examples(3), candidates=(classifier.DEFAULT_C,))
        with_rules = classifier.train(three_category_examples(3), candidates=(classifier.DEFAULT_C,), rules=RULES)
        # No rule for a category without examples: it has no agency history.
        self.assertEqual(with_rules.categories, ["Jalan", "Lainnya", "Sampah"])
        self.assertEqual(with_rules.n_examples, 9)
        for text, label in (("zorkel di depan rumah", "Jalan"), ("brindle di depan rumah", "Sampah")):
            learned = with_rules.category_probabilities(text)
            self.assertEqual(classifier.top(learned, 1)[0][0], label)
            self.assertGreater(learned[label], without.category_probabilities(text)[label])

    def test_the_fast_path_still_equals_sklearn(self):
        import numpy as np

        model = classifier.train(three_category_examples(3), candidates=(classifier.DEFAULT_C,), rules=RULES)
        texts = ["zorkel rusak", "sampah brindle", ""]
        ours = model.vectorize(texts)
        theirs = model.features.transform([features.feature_text(t, model.concepts) for t in texts])
        self.assertLess(abs(ours - theirs).max(), 1e-12)
        np.testing.assert_allclose(
            classifier.predict_proba(model.category_model, ours),
            model.category_model.predict_proba(theirs),
            atol=1e-12,
        )


class EvaluationPassesTheBlendedRulesTests(SimpleTestCase):
    def test_evaluate_triage_trains_with_the_rules_of_the_labels_names(self):
        import json
        import tempfile
        from pathlib import Path

        directory = Path(tempfile.mkdtemp())
        rows = [{"text": e.text, "category": e.category, "agency": e.agency} for e in three_category_examples(3)]
        path = directory / "rows.jsonl"
        path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
        train = classifier.train
        given = []

        def spy(examples, **kwargs):
            given.append(kwargs.get("rules"))
            return train(examples, **kwargs)

        with mock.patch.object(classifier, "train", spy):
            call_command("evaluate_triage", train=str(path), test=str(path), stdout=StringIO())
            call_command("evaluate_triage", train=str(path), test=str(path), keywords="none", stdout=StringIO())
        self.assertEqual(given[0], keywords.rules_for_labels(["Jalan", "Lainnya", "Sampah"]))
        self.assertIsNone(given[1])


class NamePartsTests(SimpleTestCase):
    def test_a_name_of_several_topics_is_split_into_them(self):
        self.assertEqual(keywords.name_parts("Pohon & Taman Kota"), ("Pohon", "Taman Kota"))
        self.assertEqual(keywords.name_parts("Adminduk (KTP-el, KK, Akta)"), ("Adminduk", "KTP-el", "KK", "Akta"))
        self.assertEqual(keywords.name_parts("Drainase dan saluran air"), ("Drainase", "saluran air"))
        # One topic, a bracketed abbreviation of it included: the name itself.
        self.assertEqual(keywords.name_parts("Lampu Penerangan Jalan (PJU)"), ("Lampu Penerangan Jalan (PJU)",))
        self.assertEqual(keywords.name_parts("Jalan rusak"), ("Jalan rusak",))

    def test_each_topic_borrows_its_lexicon_entry_and_is_a_term(self):
        self.assertEqual(
            set(keywords.borrowed_entries("Pohon & Taman Kota")),
            {"Taman kota", "Pohon tumbang dan perantingan pohon besar"},
        )
        # A lexicon entry's own name borrows that entry only.
        self.assertEqual(keywords.borrowed_entries("Drainase dan saluran air"), ("Drainase dan saluran air",))
        rules = keywords.rules_for_labels(["Adminduk (KTP-el, KK, Akta)", "Lalu Lintas & Parkir"])
        self.assertIn("kk", rules["Adminduk (KTP-el, KK, Akta)"])
        self.assertIn("rekam ktp", rules["Adminduk (KTP-el, KK, Akta)"])
        self.assertIn("jukir", rules["Lalu Lintas & Parkir"])
        self.assertIn("lalu lintas", rules["Lalu Lintas & Parkir"])

    def test_a_word_many_lexicon_entries_use_is_no_name_term_alone(self):
        self.assertIn("air", keywords.generic_words())
        self.assertEqual(keywords.name_terms("Air PDAM"), ("air pdam", "pdam"))
        self.assertNotIn("pdam", keywords.generic_words())
