"""The duplicate score: places read from the text, the pin, and the ranking of the three
kinds of pair the issue names (same problem in other words; same words at another place;
another problem at the same corner)."""

import json
import shutil
import tempfile
from io import StringIO
from pathlib import Path

from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import SimpleTestCase

from triage import classifier, conf, dataset, evaluation, places
from triage.duplicate_score import (
    DuplicateScorer,
    Side,
    distance_m,
    kelurahan_index,
    named_kelurahan,
    place_features,
)

HERE = (-8.086100, 112.165500)


def moved(point, metres_north):
    """A point ``metres_north`` of ``point`` (one degree of latitude is about 111.2 km)."""
    return point[0] + metres_north / 111_195, point[1]


def side(text, metres=None, region="sentul"):
    lat, lon = moved(HERE, metres) if metres is not None else (None, None)
    return Side(text, region=region, latitude=lat, longitude=lon)


class PlaceNamesTests(SimpleTestCase):
    def assertOnePlace(self, texts, expected):
        for text in texts:
            with self.subTest(text=text):
                self.assertEqual({str(p) for p in places.mentions(text)}, expected)

    def test_street_spellings_are_one_street(self):
        self.assertOnePlace(
            [
                "Lampu mati di Jl. Merdeka",
                "lampu mati di jl.merdeka",
                "lampu mati jln merdeka",
                "LAMPU MATI DI JALAN MERDEKA",
                "lampu mati perempatan Jl. Merdeka",
                "lampu mati di perempatan merdeka, gelap",
            ],
            {"jalan merdeka"},
        )

    def test_alley_school_mosque_and_rt_rw_spellings(self):
        self.assertOnePlace(["got gg kenari mampet", "got Gang Kenari mampet", "got gg.kenari mampet"], {"gang kenari"})
        self.assertOnePlace(["got depan SDN 2 mampet", "got depan sd negeri 2 mampet", "got dpn sdn2"], {"sd 2"})
        self.assertOnePlace(["dekat masjid Al-Ikhlas", "cedak mesjid al ikhlas"], {"masjid al ikhlas"})
        self.assertOnePlace(["RT 03/RW 05 banjir", "rt3 rw5 banjir", "Rt.03 Rw.05 banjir"], {"rt 3", "rw 5"})

    def test_the_office_of_a_kecamatan_is_named_by_it_and_the_district_puskesmas_is_not(self):
        self.assertOnePlace(
            ["antre di kantor kecamatan Genteng", "antre di Kantor Kecamatan Genteng"], {"kantor genteng"}
        )
        self.assertOnePlace(["di puskesmas kecamatan baru dimulai jam 10"], {"puskesmas"})

    def test_a_tpi_in_capitals_is_the_fish_auction_and_in_a_chat_but(self):
        self.assertOnePlace(
            ["sampah di belakang TPI Lekok", "tempat pelelangan ikan Lekok kotor"], {"pelelangan lekok"}
        )
        self.assertEqual(places.mentions("udh lama tpi gk dibenerin"), frozenset())

    def test_a_common_word_after_jalan_is_not_a_street(self):
        self.assertEqual(places.mentions("jalan rusak parah, nutup jalan, mobil tidak bisa lewat"), frozenset())

    def test_a_word_with_a_clitic_or_a_javanese_preposition_is_no_name(self):
        # In a text all in small letters case cannot tell: "jalan kabelnya" named a street
        # "kabelnya" that another report's Jl. Jaksa Agung "conflicted" with.
        self.assertEqual(places.mentions("pohon roboh nutup jalan kabelnya juga putus"), frozenset())
        self.assertEqual({str(p) for p in places.mentions("lapor ke mandor pasar katanya nunggu")}, {"pasar"})
        self.assertEqual(places.mentions("trek-trekan nong dalan cedhek gudang iku"), frozenset())
        # A name that only looks like one ("Teuku" is no root with "-ku") stays a name.
        self.assertOnePlace(["banjir di jl. teuku umar", "banjir di Jl. Teuku Umar"], {"jalan teuku umar"})

    def test_titles_and_house_numbers_are_not_the_name(self):
        self.assertOnePlace(["tiang miring di Jl. Ir. Soekarno no 12", "jl soekarno depan no 3"], {"jalan soekarno"})
        self.assertOnePlace(["balap liar di Jl. Letkol Istiqlah", "balap liar jl istiqlah"], {"jalan istiqlah"})
        # "dr" is chat shorthand for "dari" too: after a street's kind word it is a title.
        self.assertOnePlace(
            ["PJU mati di Jl. dr. Soebandi", "Jl. Dr. Soebandi gelap", "jln prof dr soebandi"], {"jalan soebandi"}
        )

    def test_walking_is_no_street(self):
        self.assertEqual(places.mentions("pulang jaga malam jalan kaki ke kos, gelap sekali"), frozenset())

    def test_a_typo_or_a_shortened_name_is_the_same_place(self):
        for a, b in [
            ("jl merdeka", "jl merdka"),
            ("jl cokroaminoto", "jl cokro"),
            ("simpang Jl. Sudanco Supriyadi", "perempatan sudanco"),
            ("sdn sentul 2", "SD Negeri 2"),
        ]:
            with self.subTest(a=a, b=b):
                said = places.compare(places.mentions(a), places.mentions(b))
                self.assertTrue(said.matched and not said.conflicting, said)

    def test_another_name_of_the_same_kind_is_another_place(self):
        for a, b in [("jl kenari", "jl mawar"), ("depan sdn 2", "depan sdn 5"), ("gg melati 3", "gg melati 5")]:
            with self.subTest(a=a, b=b):
                said = places.compare(places.mentions(a), places.mentions(b))
                self.assertTrue(said.conflicting and not said.matched, said)

    def test_a_street_and_a_landmark_say_nothing_about_each_other(self):
        said = places.compare(places.mentions("di jl kenanga"), places.mentions("dekat SDN Sentul 3"))
        self.assertFalse(said)

    def test_a_factory_or_a_beach_named_as_the_place_is_not_the_problem(self):
        # "pabrik" and "pantai" are keywords of air pollution and of tourism: read as
        # problem words, the factory made the road it stands on and the waste it dumps one
        # kind of problem (validasi9: 0.57 for the two below, over the threshold).
        road = "Jalan di depan pabrik tepung ikan hancur dilindas truk kontainer, lubangnya dalam sekali"
        waste = "pabrik tepung ikan buang limbah ke got tiap malam, baunya menyengat sampai rumah"
        found, problem_words = places.read(road)
        self.assertEqual({str(p) for p in found}, {"pabrik tepung ikan"})
        self.assertNotIn("pabrik", problem_words)
        beach, sea_words = places.read("Di pantai cemara ombak tinggi menggerus tanggul")
        self.assertEqual({str(p) for p in beach}, {"pantai cemara"})
        self.assertIn("ombak", sea_words)
        scorer = DuplicateScorer(None)
        score = scorer.pair(Side(road, region="kedungrejo"), Side(waste, region="kedungrejo"))
        self.assertLess(score, conf.duplicate_threshold(with_model=False))
        # The same factory's waste told twice is still one problem.
        again = "Pabrik tepung ikan buang limbah cair ke selokan setiap malam, bau busuk sampai ke rumah warga"
        self.assertGreater(
            scorer.pair(Side(waste, region="kedungrejo"), Side(again, region="kedungrejo")),
            conf.duplicate_threshold(with_model=False),
        )

    def test_a_text_names_a_kelurahan_only_when_it_names_one(self):
        index = kelurahan_index([(1, "Kebalenan"), (2, "Genteng"), (3, "Genteng Kulon"), (4, "Tanggung"), (5, "Sobo")])
        # "Genteng" (a roof tile) and "Tanggung" (tanggung jawab) are words first.
        self.assertEqual(index, {"kebalenan": 1, "genteng kulon": 3, "sobo": 5})
        self.assertEqual(named_kelurahan("Isun warga Kebalenan, banyu mati", index), 1)
        self.assertEqual(named_kelurahan("sound horeg di lapangan GENTENG KULON", index), 3)
        self.assertIsNone(named_kelurahan("macet dari Sobo sampai Kebalenan", index))
        # A name that only begins another is another kelurahan: two named, none read.
        longer = kelurahan_index([(5, "Sobo"), (6, "Sobontoro")])
        self.assertIsNone(named_kelurahan("dari Sobo ke Sobontoro", longer))
        self.assertEqual(named_kelurahan("warga Sobontoro", longer), 6)
        self.assertIsNone(named_kelurahan("tanggung jawab siapa ini", index))

    def test_a_side_without_a_kelurahan_is_of_the_one_its_text_names(self):
        index = kelurahan_index([("sobo", "Sobo"), ("kebalenan", "Kebalenan")])
        named = Side("pipa pdam pecah, air muncrat ke jalan, warga Sobo", region=None)
        placed = Side("pipa pdam pecah di depan toko, air muncrat ke jalan", region="kebalenan")
        with_index = DuplicateScorer(None, kelurahan=index)
        first, second = with_index.read([named, placed])
        self.assertEqual(first.side.region, "sobo")
        self.assertIn("other_kelurahan", with_index.evidence(first, second))
        without = DuplicateScorer(None)
        self.assertNotIn("other_kelurahan", without.evidence(*without.read([named, placed])))
        self.assertLess(with_index.pair(named, placed), without.pair(named, placed))
        # A side with its own kelurahan keeps it whatever its text names.
        own = Side("banjir, warga Sobo", region="kebalenan")
        self.assertEqual(with_index.read([own])[0].side.region, "kebalenan")

    def test_edit_distance(self):
        self.assertEqual(places.edit_distance("merdeka", "merdka"), 1)
        self.assertEqual(places.edit_distance("kenari", "mawar", limit=2), 3)  # stops past the limit


class PinTests(SimpleTestCase):
    def test_distance_in_metres(self):
        self.assertAlmostEqual(distance_m(*HERE, *moved(HERE, 100)), 100, delta=0.5)
        self.assertAlmostEqual(distance_m(-8.0, 112.0, -8.0, 112.001), 110.1, delta=0.5)

    def pin(self, metres):
        found = place_features(side("x", 0), side("x", metres), (), ())
        return found["pin_near"] + found["pin_far"]

    def test_a_near_pin_adds_a_far_one_pulls_down_harder_with_distance(self):
        pins = [self.pin(metres) for metres in (20, 150, 400, 1000)]
        self.assertGreater(pins[0], 1.5)
        self.assertEqual(pins, sorted(pins, reverse=True))
        self.assertLess(pins[2], 0)
        self.assertEqual(pins[3], -4.0)

    def test_the_fitted_weights_keep_their_sense(self):
        # Fitted, not set by hand (triage/duplicate_fit.py): a refit that turned a sign
        # around (a far pin or another street adding) would be a fault of the data.
        from triage.duplicate_score import WEIGHTS, WEIGHTS_NO_MODEL

        for weights in (WEIGHTS, WEIGHTS_NO_MODEL):
            self.assertGreater(weights["kind"], 0)
            self.assertGreater(weights["pin_far"], 0)  # the feature is negative: it pulls down
            self.assertLess(weights["other_kelurahan"], 0)
            self.assertLess(weights["place_conflict"], 0)

    def test_naming_no_place_is_not_evidence_of_another_place(self):
        # Round 5: a resident who names no place ("the school fence" aside, "air mati 3
        # hari") in the same kelurahan, neither pinned: only the kind of problem and its
        # words speak — nothing pulls the pair down for the place not matching, and nothing
        # lifts it for the kelurahan the candidates come from anyway.
        scorer = DuplicateScorer(None)
        a, b = scorer.read(
            [Side("air pdam mati sudah 3 hari", "turi"), Side("No running water for three days", "turi")]
        )
        evidence = scorer.evidence(a, b)
        self.assertLessEqual(set(evidence), {"base", "kind", "sure", "words"})
        self.assertGreater(evidence["kind"] + evidence["sure"], 0)

    def test_near_pins_across_a_kelurahan_border_are_one_place(self):
        across = place_features(side("x", 0), side("x", 50, region="klampok"), (), ())
        self.assertEqual(across["other_kelurahan"], 0)
        self.assertGreater(across["pin_near"], 0)
        without_pin = place_features(side("x", 0), side("x", None, region="klampok"), (), ())
        self.assertEqual(without_pin["other_kelurahan"], 1)


NEW = "lampu pju jl kenanga mati 3 hari min, peteng"
SAME_PLACE_OTHER_WORDS = "Penerangan jalan di depan SDN Sentul 3 tidak menyala sejak Senin, gelap gulita"
SAME_WORDS_OTHER_PLACE = "lampu pju jl melati mati 3 hari min, gelap"
OTHER_PROBLEM_SAME_CORNER = "jl kenanga depan sdn sentul 3 ada lubang besar, aspal rusak, motor jatuh"


class RankingTests(SimpleTestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.model = classifier.train(dataset.read_examples(dataset.DATA_DIR / "train.jsonl"))

    def scores(self, scorer, with_pins):
        pins = (0, 25, 600, 10) if with_pins else (None,) * 4
        new, same, other_place, other_problem = scorer.read(
            [
                side(NEW, pins[0]),
                side(SAME_PLACE_OTHER_WORDS, pins[1]),
                side(SAME_WORDS_OTHER_PLACE, pins[2]),
                side(OTHER_PROBLEM_SAME_CORNER, pins[3]),
            ]
        )
        return scorer.score(new, same), scorer.score(new, other_place), scorer.score(new, other_problem)

    def test_same_place_in_other_words_ranks_above_same_words_elsewhere_and_another_problem_here(self):
        for name, scorer in (("model", DuplicateScorer(self.model)), ("lexicon", DuplicateScorer(None))):
            with self.subTest(scorer=name):
                threshold = conf.duplicate_threshold(with_model=scorer.model is not None)
                same, other_place, other_problem = self.scores(scorer, with_pins=True)
                self.assertGreater(same, other_place)
                self.assertGreater(same, other_problem)
                self.assertLess(max(other_place, other_problem), threshold)
                # The fitted weights (triage/duplicate_fit.py) trust the kind of problem
                # more than the first, hand-set ones did: the model reads "penerangan jalan
                # … tidak menyala" as the other lighting category, and since the fourth
                # round's refit (a lower intercept) the lexicon's reading with two pins
                # 25 m apart also stays just below its threshold; a gazetteer that knows
                # the school is on Jl. Kenanga lifts it (next test).

    def test_without_pins_the_gazetteer_puts_the_school_beside_the_street_first(self):
        from triage import gazetteer

        earlier = Side("jl kenanga depan sdn sentul 3 berlubang", "sentul", *moved(HERE, 10), key="earlier")
        learned = gazetteer.learn([earlier])
        for name, model in (("model", self.model), ("lexicon", None)):
            with self.subTest(scorer=name):
                # The words alone once ranked the other street first; the weights of round 5
                # (lexicon: 0.06 against 0.22) and round 6 (with a model: 0.11 against 0.08,
                # refitted with every affair's concepts and validasi3_dup read by its own
                # tree's model) let the other street's name pull it below already, so only
                # the gazetteer's lift is asserted.
                same, other_place, other_problem = self.scores(
                    DuplicateScorer(model, gazetteer=learned), with_pins=False
                )
                self.assertGreater(same, max(other_place, other_problem))
                if model is None:
                    self.assertGreaterEqual(same, conf.duplicate_threshold(with_model=False))

    def test_the_batch_scores_of_the_report_page_equal_the_pair_scores(self):
        for scorer in (DuplicateScorer(self.model), DuplicateScorer(None)):
            rows = scorer.read([side(NEW, 0), side(SAME_PLACE_OTHER_WORDS, 25), side(SAME_WORDS_OTHER_PLACE, 600)])
            batch = scorer.scores_against(rows[0], rows[1:])
            for got, row in zip(batch, rows[1:], strict=True):
                self.assertAlmostEqual(got, scorer.score(rows[0], row), places=9)

    def test_without_pins_the_streets_named_still_keep_the_other_place_low(self):
        scorer = DuplicateScorer(self.model)
        same_street = scorer.pair(Side(NEW), Side("lampu jalan di jalan kenanga padam, gelap sekali"))
        other_street = scorer.pair(Side(NEW), Side(SAME_WORDS_OTHER_PLACE))
        self.assertGreater(same_street, conf.duplicate_threshold())
        self.assertLess(other_street, conf.duplicate_threshold())


class PlaceAsTopicTests(SimpleTestCase):
    """Two texts naming one factory, one about the road in front of it, the other about its
    waste (validasi9_dup, Banyuwangi's tree): read from the whole texts alone, both are
    "the fish-meal factory" and one kind of problem; half of the kind is read from the
    words without the place, so the pair falls below the threshold, and the waste told
    again in other words (an RT's letter, an SMS) stays above it."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.model = classifier.train(dataset.read_examples(dataset.DATA_DIR / "validasi9.jsonl"))
        sides = dataset.read_sides(dataset.DATA_DIR / "validasi9_dup.jsonl")
        cls.road, cls.waste, cls.letter = (sides[f"validasi9-{key}"] for key in ("y03", "d03a", "d03e"))

    def test_a_factory_both_name_does_not_make_the_road_and_the_waste_one_problem(self):
        scorer = DuplicateScorer(self.model)
        road, waste, letter = scorer.read([self.road, self.waste, self.letter])
        self.assertEqual({str(p) for p in road.places} & {str(p) for p in waste.places}, {"pabrik tepung ikan"})
        self.assertLess(scorer.score(road, waste), conf.duplicate_threshold())
        self.assertLess(scorer.score(road, letter), conf.duplicate_threshold())
        self.assertGreater(scorer.score(waste, letter), conf.duplicate_threshold())


class SweepTests(SimpleTestCase):
    # By hand: at 0.5 said same = the 0.9, 0.7 and 0.6 pairs: tp 2, fp 1, fn 0 → P 2/3,
    # R 1, F1 0.8; at 0.65: tp 1 (0.9), fp 1 (0.7), fn 1 (0.6) → 0.5 / 0.5 / 0.5; at 0.8:
    # tp 1, fp 0, fn 1 → 1 / 0.5 / 2/3. Best F1 0.8 for every threshold in (0.2, 0.6]:
    # 0.21 … 0.60, forty thresholds, the middle one (20th) 0.40.
    SCORED = [(0.9, True), (0.7, False), (0.6, True), (0.2, False)]

    def test_the_sweep_equals_the_hand_computed_figures(self):
        rows = {r.threshold: r for r in evaluation.sweep(self.SCORED, (0.5, 0.65, 0.8))}
        self.assertEqual((rows[0.5].true_positive, rows[0.5].false_positive, rows[0.5].false_negative), (2, 1, 0))
        self.assertAlmostEqual(rows[0.5].precision, 2 / 3)
        self.assertAlmostEqual(rows[0.5].f1, 0.8)
        self.assertEqual((rows[0.65].precision, rows[0.65].recall, rows[0.65].f1), (0.5, 0.5, 0.5))
        self.assertEqual((rows[0.8].precision, rows[0.8].recall), (1.0, 0.5))
        self.assertAlmostEqual(rows[0.8].f1, 2 / 3)

    def test_the_best_threshold_is_the_middle_of_the_best_plateau(self):
        best = evaluation.best_threshold(self.SCORED)
        self.assertEqual(best.threshold, 0.40)
        self.assertAlmostEqual(best.f1, 0.8)


LAMP = {"category": "Lampu", "kelurahan": "Sentul"}
ROWS = [
    {"id": "r1", "text": "lampu pju jl kenanga mati", **LAMP, "lat": -8.0861, "lon": 112.1655},
    # another spelling of the kelurahan: still the same one
    {"id": "r2", "text": "penerangan dkt sdn 3 padam", **LAMP, "kelurahan": "sentul", "lat": -8.0862, "lon": 112.1656},
    {"id": "r3", "text": "lampu pju jl melati mati", **LAMP, "address": "Jl. Melati"},
    {"id": "r4", "text": "sampah tps penuh", "category": "Sampah", "region": "Klampok"},
]  # fmt: skip
PAIRS = [{"a": "r1", "b": "r2", "same_problem": True}, {"a": "r1", "b": "r3", "same_problem": "false"}]


def write_jsonl(path, rows):
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return str(path)


class PairsFileTests(SimpleTestCase):
    def setUp(self):
        self.dir = Path(tempfile.mkdtemp())
        self.addCleanup(shutil.rmtree, self.dir, ignore_errors=True)
        self.rows = write_jsonl(self.dir / "rows.jsonl", ROWS)

    def test_pairs_by_id_carry_the_rows_text_kelurahan_pin_and_address(self):
        sides = dataset.read_sides(self.rows)
        pairs = dataset.read_pairs(write_jsonl(self.dir / "pairs.jsonl", PAIRS), sides)
        (a, b, same), (_, c, other) = pairs
        self.assertEqual(
            (a.text, a.region, a.latitude, a.longitude), ("lampu pju jl kenanga mati", "sentul", -8.0861, 112.1655)
        )
        self.assertEqual(b.region, "sentul")  # case does not make another kelurahan
        self.assertEqual((c.address, c.latitude), ("Jl. Melati", None))
        self.assertEqual(dataset.read_sides(self.rows)["r4"].region, "klampok")
        self.assertEqual((same, other), (True, False))

    def test_text_pairs_still_work_beside_id_pairs(self):
        mixed = PAIRS + [{"text_a": "lampu mati", "text_b": "lampu padam", "label": "same"}]
        pairs = dataset.read_pairs(write_jsonl(self.dir / "pairs.jsonl", mixed), dataset.read_sides(self.rows))
        self.assertEqual(pairs[2], ("lampu mati", "lampu padam", True))

    def test_the_command_scores_pairs_by_id_and_prints_the_sweep(self):
        pairs = write_jsonl(self.dir / "pairs.jsonl", PAIRS)
        out = StringIO()
        call_command("evaluate_triage", train=self.rows, test=self.rows, pairs=pairs, threshold=0.25, stdout=out)
        text = out.getvalue()
        self.assertIn("duplicate pairs: 2  threshold: 0.25  scorer: place", text)
        self.assertIn("duplicate precision: 1.0000  recall: 1.0000  f1: 1.0000", text)
        self.assertRegex(text, r"\n  0\.25  1\.0000  1\.0000  1\.0000  1 0 0\n")
        self.assertIn("gazetteer: ", text)
        self.assertRegex(text, r"best f1 threshold: 0\.\d\d  precision: 1\.0000  recall: 1\.0000  f1: 1\.0000")

    def test_a_bad_pairs_file_is_a_clear_error_in_indonesian(self):
        no_ids = write_jsonl(self.dir / "no_ids.jsonl", [{k: v for k, v in r.items() if k != "id"} for r in ROWS])
        for name, rows, pairs, message in [
            (
                "unknown id",
                self.rows,
                [{"a": "r1", "b": "r9", "same_problem": True}],
                "id 'r9' tidak ada di berkas berlabel",
            ),
            (
                "rows without ids",
                no_ids,
                PAIRS,
                "id 'r1' tidak ada di berkas berlabel (--test/--train perlu kolom 'id')",
            ),
            (
                "no label",
                self.rows,
                [{"a": "r1", "b": "r2", "same_problem": "mungkin"}],
                "same_problem harus true atau false",
            ),
            ("missing b", self.rows, [{"a": "r1", "same_problem": True}], "perlu 'a' dan 'b'"),
            ("neither shape", self.rows, [{"text_a": "x"}], "perlu 'text_a', 'text_b' dan label same/different"),
            ("not an object", self.rows, [["r1", "r2"]], "bukan objek JSON"),
            ("empty", self.rows, [], "Berkas pasangan kosong."),
        ]:
            with self.subTest(name):
                path = write_jsonl(self.dir / "pairs.jsonl", pairs)
                with self.assertRaisesMessage(CommandError, message):
                    call_command("evaluate_triage", train=rows, test=rows, pairs=path, stdout=StringIO())

    def test_a_bad_pin_or_a_repeated_id_is_a_clear_error(self):
        for name, rows, message in [
            ("pin", [{**ROWS[0], "lat": "utara"}], "'lat' bukan angka"),
            ("repeated", [ROWS[0], ROWS[0]], "id 'r1' dipakai dua kali"),
        ]:
            with self.subTest(name):
                path = write_jsonl(self.dir / "bad.jsonl", rows)
                pairs = write_jsonl(self.dir / "pairs.jsonl", PAIRS[:1])
                with self.assertRaisesMessage(CommandError, message):
                    call_command("evaluate_triage", train=self.rows, test=path, pairs=pairs, stdout=StringIO())


class DevelopmentSetTests(SimpleTestCase):
    def test_the_second_set_is_shipped_as_written_with_many_hard_negatives(self):
        rows, pairs = dataset.ragam_reports(), dataset.ragam_pairs()
        self.assertEqual(dataset.read_sides(dataset.DATA_DIR / "ragam.jsonl").keys(), {r["id"] for r in rows})
        shipped = [json.loads(line) for line in (dataset.DATA_DIR / "ragam_pairs.jsonl").read_text().splitlines()]
        self.assertEqual(shipped, pairs)
        self.assertGreaterEqual(len(pairs), 150)
        negatives = [p for p in pairs if not p["same_problem"]]
        self.assertGreater(len(negatives), len(pairs) / 2)


class FitTests(SimpleTestCase):
    def test_a_strong_pull_keeps_the_reasoned_weights_and_a_weak_one_follows_the_data(self):
        import numpy as np

        from triage import duplicate_fit
        from triage.duplicate_score import FEATURES

        rng = np.random.default_rng(0)
        rows = rng.normal(size=(200, len(FEATURES)))
        labels = rows[:, FEATURES.index("words")] > 0  # only the words decide
        prior = np.array([duplicate_fit.PRIOR[name] for name in FEATURES])
        pulled, _ = duplicate_fit.fit_weights(rows, labels, strength=1e6)
        np.testing.assert_allclose(pulled, prior, atol=0.01)
        free, _ = duplicate_fit.fit_weights(rows, labels, strength=0.01)
        self.assertEqual(int(np.argmax(np.abs(free))), FEATURES.index("words"))
