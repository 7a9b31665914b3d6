"""Issue 18: concepts for the affairs of a regional government the demo city's lexicon has
no entry for (triage/domains.py), read with it by the concept tags and the borrowing."""

from django.test import SimpleTestCase

from triage import classifier, keywords
from triage.classifier import Example
from triage.domains import DOMAIN_KEYWORDS
from triage.normalize import normalize


class ConceptLexiconTests(SimpleTestCase):
    def test_the_demo_entries_come_first_so_their_tags_keep_their_numbers(self):
        names = list(keywords.CONCEPT_KEYWORDS)
        self.assertEqual(names[: len(keywords.DEFAULT_KEYWORDS)], list(keywords.DEFAULT_KEYWORDS))
        self.assertEqual(len(names), len(keywords.DEFAULT_KEYWORDS) + len(DOMAIN_KEYWORDS))

    def test_each_affair_has_enough_keywords_none_owned_twice(self):
        seen = {}
        for name, words in DOMAIN_KEYWORDS.items():
            parsed = keywords.parse(words)
            self.assertGreaterEqual(len(parsed), 15, name)
            for word in parsed:
                self.assertFalse(word in seen, f"{word!r} in {name} and {seen.get(word)}")
                seen[word] = name

    def test_no_keyword_matches_a_word_every_report_has(self):
        common = normalize(
            "tolong pak mohon izin lapor jalan air rumah warga desa kelurahan tapi sudah tidak ada "
            "lampu kurang gorong sarana tarif calon nilai keras pura pura kuat melanggar pipa"
        )
        for name, words in DOMAIN_KEYWORDS.items():
            self.assertEqual(keywords.matches(common, keywords.parse(words)), 0, name)

    def test_a_tree_with_other_affairs_borrows_their_words(self):
        self.assertEqual(keywords.borrowed_entry("Peternakan"), "Peternakan dan hewan ternak")
        self.assertEqual(keywords.borrowed_entry("Pajak daerah"), "Pajak daerah dan PBB")
        self.assertEqual(keywords.borrowed_entry("Tenaga kerja"), "Tenaga kerja dan PHK")
        self.assertIsNone(keywords.borrowed_entry("Kesehatan"))  # not the livestock entry's "kesehatan hewan"

    def test_words_of_governing_name_no_affair(self):
        # "Tata Kelola" is how a tree says governance: not "tata ruang", not "Pengelolaan sampah".
        village = "Pemerintahan desa dan dana desa"
        self.assertEqual(keywords.borrowed_entries("Tata Kelola Desa dan Dana Desa"), (village,))
        self.assertEqual(keywords.borrowed_entries("Pengelolaan Keuangan Desa"), (village,))
        self.assertEqual(keywords.borrowed_entries("Pengelolaan Sampah"), ("Pengelolaan sampah",))
        self.assertEqual(keywords.borrowed_entries("Tata Ruang"), ("Izin bangunan dan tata ruang",))

    def test_a_name_joining_two_affairs_borrows_both(self):
        self.assertEqual(keywords.borrowed_entries("Jalan dan jembatan"), ("Jembatan", "Jalan berlubang"))
        self.assertEqual(keywords.borrowed_entries("Drainase dan saluran air"), ("Drainase dan saluran air",))
        rules = keywords.rules_for_labels(["Jalan dan jembatan"])["Jalan dan jembatan"]
        self.assertIn("aspal", rules)
        self.assertIn("jembatan putus", rules)

    def test_a_livestock_synonym_never_seen_in_training_reaches_its_category(self):
        rows = [
            ("sapi tetangga mati mendadak", "Ternak"),
            ("kambing warga sakit semua", "Ternak"),
            ("lampu jalan mati sudah seminggu", "Lampu"),
            ("lampu pju padam di tikungan", "Lampu"),
            ("pupuk subsidi langka di kios", "Tani"),
            ("harga gabah anjlok petani rugi", "Tani"),
        ]
        model = classifier.train([Example(t, c) for t, c in rows], candidates=(classifier.DEFAULT_C,))
        self.assertEqual(len(model.concepts), len(keywords.CONCEPT_KEYWORDS))
        # "wedhus" and "kandang" are in the livestock entry, in no training text.
        probabilities = model.category_probabilities("wedhus e pak rt lepas, kandange jebol")
        self.assertEqual(max(probabilities, key=probabilities.get), "Ternak")


class NinthSessionLexiconTests(SimpleTestCase):
    """Issue 18, ninth session: short keywords match whole words, and the words residents
    use for water shares, cliffs, overloaded trucks, cockfights and wrong population data."""

    def entry(self, name):
        return keywords.parse(keywords.CONCEPT_KEYWORDS[name])

    def test_a_short_keyword_no_longer_matches_the_start_of_a_longer_word(self):
        # "rob" (a tidal flood) began "roboh", "got" "gotong", "nik" "nikah", "sd" "sdri".
        self.assertEqual(keywords.matches(normalize("pohon besar roboh menimpa rumah"), ("rob",)), 0)
        self.assertEqual(keywords.matches(normalize("kerja bakti gotong royong"), ("got",)), 0)
        self.assertEqual(keywords.matches(normalize("mau nikah di kua"), ("nik",)), 0)
        # The word itself, with "-nya" or a school's "N" (negeri), still matches.
        self.assertEqual(keywords.matches(normalize("banjir rob lagi"), ("rob",)), 1)
        self.assertEqual(keywords.matches(normalize("gotnya mampet"), ("got",)), 1)
        self.assertEqual(keywords.matches(normalize("atap SDN 3 bocor"), ("sd",)), 1)
        # Longer keywords still match at the start of a word.
        self.assertEqual(keywords.matches(normalize("lubangnya dalam"), ("lubang",)), 1)

    def test_a_sound_system_played_all_night_is_a_matter_of_public_order(self):
        # The letter-style twin of "SOUND HOREG DI LAPANGAN" reached only "retak" (a road).
        order = self.entry("Ketertiban umum")
        letter = normalize("kegiatan hiburan dengan sound system berdaya besar berlangsung hingga pukul 03.00")
        self.assertGreater(keywords.matches(letter, order), 0)
        self.assertGreater(keywords.matches(normalize("a huge sound system truck played until 3am"), order), 0)
        self.assertGreater(keywords.matches(normalize("speaker gede banget sampai jam 2"), order), 0)

    def test_an_official_letters_sdri_is_no_school(self):
        self.assertEqual(normalize("Sdri. L menyampaikan"), "saudari l menyampaikan")
        school = self.entry("Sarana dan prasarana sekolah")
        self.assertEqual(keywords.matches(normalize("pelapor sdr. M warga RT 2"), school), 0)

    def test_the_new_words_reach_their_affairs(self):
        cases = {
            "Irigasi dan pengairan": "pembagian air ke sawah tidak adil, kami tidak kebagian air",
            "Bencana alam": "tebing di belakang rumah mulai ada rekahan tanah",
            "Angkutan umum dan terminal": "truk kelebihan muatan lewat jalan kelas tiga",
            "Ketertiban umum": "tiap malam ada sabung ayam dan taruhan",
            "Kartu keluarga dan akta": "ada salah nama di kartu, minta perbaikan data",
            "Tenaga kerja dan PHK": "majikan di luar negeri tidak membayar",
        }
        for name, text in cases.items():
            self.assertGreaterEqual(keywords.matches(normalize(text), self.entry(name)), 2, name)


class AffairTests(SimpleTestCase):
    """Issue 18, eleventh session: a coarse tree's category takes the entries of its affair
    that no category of the tree borrows (keywords.AFFAIRS)."""

    HEALTH = "Layanan Kesehatan dan Puskesmas"

    def rules(self, labels):
        return keywords.rules_for_labels(labels)

    def test_a_coarse_trees_health_category_reads_dengue_and_stunting(self):
        rules = self.rules([self.HEALTH, "Sampah dan Kebersihan", "Bantuan Sosial"])
        self.assertIn("fogging", rules[self.HEALTH])
        self.assertIn("stunting", rules[self.HEALTH])
        self.assertNotIn("fogging", rules["Bantuan Sosial"])
        text = normalize("oreng e kampong bannyak se sakek DBD, ta' ada fogging")
        scores = keywords.scores(text, rules)
        self.assertEqual(max(scores, key=scores.get), self.HEALTH)

    def test_without_the_affairs_the_same_report_matches_nothing(self):
        text = normalize("oreng e kampong bannyak se sakek DBD, ta' ada fogging")
        with self.settings():  # the flag is a module constant
            old, keywords.AFFAIR_SIBLINGS = keywords.AFFAIR_SIBLINGS, False
            try:
                rules = self.rules([self.HEALTH, "Sampah dan Kebersihan", "Bantuan Sosial"])
            finally:
                keywords.AFFAIR_SIBLINGS = old
        self.assertEqual(keywords.scores(text, rules), {})

    def test_a_tree_with_a_dengue_category_keeps_dengue_there(self):
        rules = self.rules([self.HEALTH, "Demam Berdarah dan Fogging"])
        self.assertNotIn("fogging", rules[self.HEALTH])
        self.assertIn("fogging", rules["Demam Berdarah dan Fogging"])
        self.assertIn("stunting", rules[self.HEALTH])  # still nobody else's

    def test_the_affairs_core_decides_between_two_categories_that_borrow_from_it(self):
        # "Jaminan Kesehatan" borrows BPJS (health); the puskesmas category holds the core.
        social = "Bantuan Sosial dan Jaminan Kesehatan"
        rules = self.rules([social, "Puskesmas dan Layanan Kesehatan"])
        self.assertIn("fogging", rules["Puskesmas dan Layanan Kesehatan"])
        self.assertNotIn("fogging", rules[social])

    def test_every_affairs_entry_is_a_lexicon_entry_in_one_affair_only(self):
        entries = [entry for affair in keywords.AFFAIRS for entry in affair]
        self.assertEqual(len(entries), len(set(entries)))
        self.assertTrue(set(entries) <= set(keywords.CONCEPT_KEYWORDS))
