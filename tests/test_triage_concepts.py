"""Issue 18, fourth session: the lexicon's concepts as a feature block of their own, the
larger normalisation lexicon (krama, Madurese passive e-, English), and the second
validation set in other styles."""

from collections import Counter

import numpy as np
from django.test import SimpleTestCase

from triage import classifier, dataset, features, keywords
from triage.classifier import Example
from triage.normalize import normalize


class LexiconTests(SimpleTestCase):
    def test_madurese_passive_e_becomes_di_only_before_an_indonesian_root(self):
        self.assertEqual(normalize("lampuna epasang, jhalan ebantu"), "lampu dipasang jalan dibantu")
        # "email" and "ekonomi" are not e- + a root: left alone.
        self.assertEqual(normalize("email ekonomi"), "email ekonomi")

    def test_krama_words_of_a_polite_report(self):
        self.assertEqual(
            normalize("Lampu margi pejah, toyanipun mboten saged mili, celak griya kula"),
            "lampu jalan mati air tidak bisa mengalir dekat rumah saya",
        )

    def test_english_phrases_in_indonesian_order(self):
        self.assertEqual(normalize("garbage truck skipped us"), "truk sampah skipped us")
        self.assertEqual(normalize("emergency room queue"), "igd antri")

    def test_pirsa_does_not_become_tofu(self):
        # "tahu" is also tofu (the tofu factories of the sanitation reports).
        self.assertNotIn("tahu", normalize("kula nyuwun pirsa").split())


def _few_examples():
    """Two examples per category, none with the words the test texts use."""
    rows = [
        ("aspal jalan rusak parah di depan pasar", "Jalan", "DPUPR"),
        ("jalan kampung hancur belum diperbaiki", "Jalan", "DPUPR"),
        ("lampu jalan mati sudah seminggu", "Lampu", "Dishub"),
        ("lampu pju padam di tikungan", "Lampu", "Dishub"),
        ("truk sampah tidak datang ke tps", "Sampah", "DLH"),
        ("sampah belum diangkut petugas", "Sampah", "DLH"),
    ]
    return [Example(text, category, agency) for text, category, agency in rows]


class ConceptBlockTests(SimpleTestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.model = classifier.train(_few_examples(), candidates=(classifier.DEFAULT_C,))

    def test_the_concepts_are_a_weighted_block_of_their_own(self):
        names = [name for name, _v in self.model.features.transformer_list]
        self.assertEqual(names, ["words", "chars", "concepts"])
        self.assertEqual(self.model.features.transformer_weights["concepts"], features.CONCEPT_WEIGHT)
        vocabulary = self.model.features.transformer_list[2][1].vocabulary_
        self.assertEqual(len(vocabulary), len(keywords.CONCEPT_KEYWORDS))

    def test_hand_built_rows_equal_sklearns_with_the_block_weight(self):
        texts = ["ada kubangan di gang", "sampah numpuk bau", "tidak ada kata yang dikenal"]
        concepts_texts = [features.feature_text(t, self.model.concepts) for t in texts]
        expected = self.model.features.transform(concepts_texts).toarray()
        np.testing.assert_allclose(self.model.vectorize(texts).toarray(), expected, atol=1e-12)

    def test_a_synonym_never_seen_in_training_reaches_its_category_through_its_concept(self):
        # "kubangan" and "mengelupas" are in the lexicon's road entry, in no training text.
        probabilities = self.model.category_probabilities("ada kubangan, aspalnya mengelupas")
        self.assertEqual(max(probabilities, key=probabilities.get), "Jalan")
        probabilities = self.model.category_probabilities("bak sampah penuh, belum diangkut seminggu")
        self.assertEqual(max(probabilities, key=probabilities.get), "Sampah")

    def test_the_duplicate_scores_word_cosine_leaves_the_concept_block_out(self):
        words, chars, concepts = (v for _n, v in self.model.features.transformer_list)
        self.assertEqual(self.model.text_columns, len(words.vocabulary_) + len(chars.vocabulary_))
        row = self.model.vectorize(["lampu jalan mati"])
        self.assertGreater(row[:, self.model.text_columns :].nnz, 0)  # the tag is there, after the text columns

    def test_a_model_with_texts_that_match_no_concept_still_trains(self):
        rows = [Example("qwerty uiop", "A", "X"), Example("asdf ghjk", "B", "Y")] * 3
        model = classifier.train(rows, candidates=(classifier.DEFAULT_C,))
        self.assertEqual(sorted(model.categories), ["A", "B"])


class SecondValidationSetTests(SimpleTestCase):
    def test_two_reports_per_category_with_the_demo_labels(self):
        rows = list(dataset.unseen_examples("validasi2.txt"))
        self.assertEqual(len(rows), 62)
        self.assertEqual(set(Counter(r["category"] for r in rows).values()), {2})

    def test_pairs_have_hard_negatives_of_both_kinds(self):
        pairs = dataset.ragam_pairs("validasi2_dup.txt")
        same = [p for p in pairs if p["same_problem"]]
        self.assertEqual((len(pairs), len(same)), (81, 27))
        decoys = Counter(p["b"][-1] for p in pairs if not p["same_problem"])
        self.assertEqual(decoys, {"x": 27, "y": 27})


class LocativeLandmarkTests(SimpleTestCase):
    """Issue 18, eighth session: a landmark named as where the problem is says where, not
    what (features.LOCATIVE_LANDMARKS)."""

    def test_the_kind_word_after_a_locative_preposition_is_left_out(self):
        text = features.feature_text("Zebra cross di depan SDN 1 Kepatihan sudah pudar", [])
        self.assertNotIn("sdn", text.split())
        self.assertIn("depan", text.split())
        # Where the landmark is the topic, it stays.
        self.assertIn("sekolah", features.feature_text("Atap sekolah bocor di dekat kelas", []).split())

    def test_a_crossing_in_front_of_a_school_is_read_as_traffic(self):
        rows = [
            ("atap sekolah bocor kalau hujan", "Sekolah"),
            ("ruang kelas sekolah rusak berat", "Sekolah"),
            ("guru sekolah sering tidak datang", "Sekolah"),
            ("sekolah kekurangan bangku dan meja", "Sekolah"),
            ("marka jalan sudah pudar", "Lalu lintas"),
            ("rambu lalu lintas hilang dicuri", "Lalu lintas"),
            ("lampu merah perempatan mati", "Lalu lintas"),
            ("zebra cross tidak kelihatan lagi", "Lalu lintas"),
        ]
        model = classifier.train([Example(text, label, "") for text, label in rows])
        # Its only word of either category is the school where it is.
        categories, _agencies = model.suggest("tolong dicat di depan sekolah sudah pudar")
        self.assertEqual(classifier.top(categories, 1)[0][0], "Lalu lintas")


class MentionTests(SimpleTestCase):
    """Issue 18, ninth session: a landmark named as a destination or origin, as a group of
    people or as an area is not the topic either (features.MENTIONS)."""

    def test_destinations_people_and_areas_lose_the_kind_word(self):
        for text in (
            "anak saya pergi sekolah tanpa mandi, kran kering",
            "pulang dari pasar jalannya gelap",
            "mengantar anak ke sekolah lewat jembatan goyang",
            "anak anak sekolah naik pikap bergelantungan",
            "rambu kawasan sekolah sudah hilang",
            "pkl berjualan di depan gerbang sekolah",
        ):
            words = features.feature_text(text, []).split()
            self.assertNotIn("sekolah", words, text)
            self.assertNotIn("pasar", words, text)

    def test_the_topic_keeps_it(self):
        for text in ("sekolah rusak atapnya bocor", "guru sekolah sering bolos", "jalan sekolah rusak", "bus sekolah"):
            self.assertTrue({"sekolah"} & set(features.feature_text(text, []).split()), text)

    def test_a_child_going_to_school_without_water_is_read_as_water(self):
        rows = [
            ("atap sekolah bocor kalau hujan", "Sekolah"),
            ("ruang kelas sekolah rusak berat", "Sekolah"),
            ("guru sekolah sering tidak datang", "Sekolah"),
            ("sekolah kekurangan bangku dan meja", "Sekolah"),
            ("kran di rumah tidak keluar", "Air"),
            ("air pdam mati tiga hari", "Air"),
            ("kran kering sejak pagi", "Air"),
            ("pdam tidak mengalir", "Air"),
        ]
        model = classifier.train([Example(text, label, "") for text, label in rows])
        # Its school is named twice, both times as where the child goes or comes from.
        text = "anak berangkat sekolah dan pulang sekolah belum mandi, kran kering"
        categories, _agencies = model.suggest(text)
        self.assertEqual(classifier.top(categories, 1)[0][0], "Air")
