"""Concept keywords mined from several writers' labelled reports (issue 18, tenth
session): a word that two writers, each in their own category tree, independently used
for the same kind of problem is likely to be used by a third.

1. Each (writer, category) is mapped to one entry of ``keywords.CONCEPT_KEYWORDS``: the
   entry whose concept tag most of its reports carry (at least ``MAP_SHARE`` of them),
   else the entry its name resembles (``keywords.borrowed_entry``), else none.
2. Each word root of a report (``normalize`` + ``stemmed``, as ``features.feature_text``
   reads it, landmarks' kind words and the report's place names left out) is a
   candidate; it occurs in a report where ``keywords.matches`` would find it (at the start
   of a word of the normalized text or of its roots). It is kept for entry k when at
   least ``WRITERS`` writers used it under k, in at least ``REPORTS`` reports, with at
   least ``SHARE`` of all the reports that contain it (every writer, every category)
   under k; and it is at least 4 letters, no stop word (Sastrawi's list, sklearn's
   English one, the lexicon's name and address words), not generic
   (``keywords.generic_words``), not a keyword or a word of a keyword phrase, not begun
   by a keyword of the lexicon nor the beginning of one (it would add nothing), not
   written with a capital in most of its occurrences (a person's or a place's name), and
   normalizes to itself. A report of a category of several topics ("Beasiswa &
   Pendaftaran Sekolah (PPDB)") counts for the topic whose tag it carries most.

Writers (each file of a set and its ``_dup`` twin is one writer): ``all`` (the project's
own), ``validasi``, ``validasi2``, ``validasi3``, ``validasi4``, ``validasi5``. Never the
held-out sets. The words reach the concept tags only (``use``: classifier.py's view of the
lexicon), for the measures below: measured and not adopted, so the application has no
mined words (triage/README.md, tenth session).

Usage:
  .venv/bin/python bench/triage_mine.py [--leave-out NAME] [--mapping]
      print the words per entry (mined from every writer but NAME) and the mapping
  .venv/bin/python bench/triage_mine.py --leave-one-out [--baseline] [SET ...]
      for each SET (default validasi3/4/5.jsonl) mine from every other writer and run the
      issue protocol (bench/triage_heldout.py's: 3-fold x 2 seeds, renamed and named) on
      it; ``--baseline``: also without mined words
  .venv/bin/python bench/triage_mine.py --heldout [--baseline] [SET ...]
      mine from every writer, run the protocol on each SET (default the held-out
      unseen, ragam, ketiga: aggregate figures only)
  --set WRITERS=2 --set REPORTS=2 --set SHARE=0.6 --set MAP_SHARE=0.5 --set BIGRAMS=0
      the thresholds (the best of --leave-one-out's grid)
"""

import os
import re
import sys
import warnings
from collections import defaultdict
from pathlib import Path

warnings.filterwarnings("ignore")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

WRITERS_FILES = {
    "all": ("all.jsonl",),
    "validasi": ("validasi.jsonl", "validasi_dup.jsonl"),
    "validasi2": ("validasi2.jsonl", "validasi2_dup.jsonl"),
    "validasi3": ("validasi3.jsonl", "validasi3_dup.jsonl"),
    "validasi4": ("validasi4.jsonl", "validasi4_dup.jsonl"),
    "validasi5": ("validasi5.jsonl", "validasi5_dup.jsonl"),
}
WRITERS = 2
REPORTS = 2
SHARE = 0.6
MAP_SHARE = 0.5
NAME_SHARE = 0.3
BIGRAMS = 0
MIN_LETTERS = 4

_RAW_WORD = re.compile(r"[A-Za-z]+")


def _setup():
    import django

    os.chdir(ROOT)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "aduan.settings")
    django.setup()


def read_writers(names):
    import json

    data = ROOT / "triage" / "data"
    rows = []
    for writer in names:
        for file in WRITERS_FILES[writer]:
            for line in (data / file).read_text().splitlines():
                if line.strip():
                    row = json.loads(line)
                    if row.get("text", "").strip() and row.get("category"):
                        rows.append((writer, row["category"], row["text"]))
    return rows


def _base_concepts():
    from triage import keywords

    return tuple(keywords.parse(words) for words in keywords.CONCEPT_KEYWORDS.values())


def entry_map(rows):
    """{(writer, category): entry name or None} (step 1)."""
    from triage import keywords
    from triage.features import feature_text

    names = list(keywords.CONCEPT_KEYWORDS)
    concepts = _base_concepts()
    carried = defaultdict(lambda: defaultdict(int))
    sizes = defaultdict(int)
    for writer, category, text in rows:
        sizes[writer, category] += 1
        tags = set(re.findall(r"kwtag(\d+)", feature_text(text, concepts)))
        for tag in tags:
            carried[writer, category][names[int(tag)]] += 1
    mapping = {}
    for key, size in sizes.items():
        leaf = keywords.leaf_name(key[1])
        if leaf in keywords.CONCEPT_KEYWORDS:
            mapping[key] = leaf
            continue
        counts = carried[key]
        # The entries its name borrows, where its reports carry the tag (a writer's
        # "Irigasi & Saluran Pertanian" is irrigation though farming words abound); else
        # the entry most of its reports carry; else the one its name resembles.
        named = [e for e in keywords.borrowed_entries(leaf) if counts.get(e, 0) >= NAME_SHARE * size]
        best = max(counts, key=counts.get) if counts else None
        if named:
            whole = keywords.borrowed_entry(leaf)
            mapping[key] = whole if whole in named else max(named, key=lambda e: counts[e])
        elif best is not None and counts[best] >= MAP_SHARE * size:
            mapping[key] = best
        else:
            mapping[key] = keywords.borrowed_entry(leaf)
    return mapping


def _prefixes(tokens, bigrams):
    """Every string a keyword may be to match these tokens at a word's start."""
    found = set()
    for token in tokens:
        found.update(token[:n] for n in range(MIN_LETTERS, len(token) + 1))
    if bigrams:
        for a, b in zip(tokens, tokens[1:], strict=False):
            found.update(f"{a} {b[:n]}" for n in range(1, len(b) + 1))
    return found


def _stopwords():
    from Sastrawi.StopWordRemover.StopWordRemoverFactory import StopWordRemoverFactory
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

    from triage import keywords

    return (
        frozenset(StopWordRemoverFactory().get_stop_words())
        | ENGLISH_STOP_WORDS
        | keywords.NAME_STOPWORDS
        | keywords.ADDRESS_WORDS
        | keywords.generic_words()
    )


def mine(rows, writers=None, reports=None, share=None, bigrams=None):
    """{entry name: [words]} mined from ``rows`` ((writer, category, text))."""
    from triage import keywords, places
    from triage.features import feature_text
    from triage.normalize import normalize, stem, stemmed

    writers = WRITERS if writers is None else writers
    reports = REPORTS if reports is None else reports
    share = SHARE if share is None else share
    bigrams = BIGRAMS if bigrams is None else bigrams
    mapping = entry_map(rows)
    stop = _stopwords()
    lexicon_words = set()
    for words in _base_concepts():
        for word in words:
            lexicon_words.add(word)
            lexicon_words.add(stem(word))
            # A word of a keyword phrase ("gulita" of "gelap gulita") is the phrase's.
            for part in word.split():
                lexicon_words.update((part, stem(part)))
    lexicon_prefixes = [w for w in lexicon_words if len(w) > keywords.SHORT_KEYWORD and " " not in w]

    names = list(keywords.CONCEPT_KEYWORDS)
    base = _base_concepts()
    occurs = []  # per report: (writer, entry, prefixes, candidates)
    capital = defaultdict(lambda: [0, 0])  # lower-case raw word → [title-case, all] (not first)
    for writer, category, text in rows:
        entry = mapping[writer, category]
        # A category of several topics ("Beasiswa & Pendaftaran Sekolah (PPDB)"): the
        # report goes to the topic whose tag it carries most, else to the category's entry.
        topics = [e for e in keywords.borrowed_entries(keywords.leaf_name(category)) if e != entry]
        if entry is not None and topics:
            tags = re.findall(r"kwtag(\d+)", feature_text(text, base))
            counts = {e: tags.count(str(names.index(e))) for e in [entry, *topics]}
            if max(counts.values()) > counts[entry]:
                entry = max(counts, key=counts.get)
        normalized = feature_text(text, ())
        roots = stemmed(normalized)
        found, _rest = places.read(text)
        place_words = {w for place in found for w in place.words}
        tokens, root_tokens = normalized.split(), roots.split()
        prefixes = _prefixes(tokens, bigrams) | _prefixes(root_tokens, bigrams)
        candidates = set()
        if entry is not None:
            for seq in (tokens, root_tokens):
                for word in seq:
                    if len(word) >= MIN_LETTERS and word.isalpha() and word not in place_words:
                        candidates.add(word)
                if bigrams:
                    for a, b in zip(seq, seq[1:], strict=False):
                        usable = a.isalpha() and b.isalpha() and not {a, b} & place_words
                        if usable and len(a) >= 3 and len(b) >= 3 and not (a in stop and b in stop):
                            candidates.add(f"{a} {b}")
        occurs.append((writer, entry, prefixes, candidates))
        for sentence in re.split(r"[.!?\n]+", text):
            raw = _RAW_WORD.findall(sentence)
            for word in raw[1:]:
                counts = capital[word.lower()]
                counts[0] += word[:1].isupper() and word[1:].islower()
                counts[1] += 1

    candidates = set().union(*(c for *_x, c in occurs))
    per_entry = defaultdict(lambda: defaultdict(int))
    per_writer = defaultdict(lambda: defaultdict(set))
    total = defaultdict(int)
    for writer, entry, prefixes, _c in occurs:
        for word in candidates & prefixes:
            total[word] += 1
            if entry is not None:
                per_entry[word][entry] += 1
                per_writer[word][entry].add(writer)

    def named(word):
        title = all_ = 0
        for raw, (t, n) in capital.items():
            if raw.startswith(word):
                title, all_ = title + t, all_ + n
        return all_ >= 2 and title > all_ / 2

    mined = defaultdict(list)
    for word in sorted(candidates):
        counts = per_entry[word]
        if not counts:
            continue
        entry = max(counts, key=counts.get)
        if counts[entry] < reports or counts[entry] < share * total[word]:
            continue
        if len(per_writer[word][entry]) < writers:
            continue
        parts = word.split()
        if " " not in word:
            if word in stop or stem(word) in stop:
                continue
        elif all(p in stop for p in parts):
            continue
        if word in lexicon_words or normalize(word) != word:
            continue
        if any(word.startswith(k) or (k.startswith(word) and " " not in word) for k in lexicon_prefixes):
            continue
        if " " not in word and named(word):
            continue
        mined[entry].append(word)
    # A word begun by another word kept for the same entry adds nothing; a phrase with a
    # word kept (or a keyword) of its entry neither.
    result = {}
    for entry, words in mined.items():
        singles = [w for w in words if " " not in w]
        kept = [w for w in singles if not any(w != o and (w.startswith(o) or stem(w) == o) for o in singles)]
        own = set(kept) | {w for w in lexicon_words}
        kept += [w for w in words if " " in w and not any(p in own for p in w.split())]
        if kept:
            result[entry] = sorted(kept)
    return result, mapping


def protocol(examples, named):
    """The issue protocol as bench/triage_heldout.py runs it (imported after Django's setup)."""
    sys.path.insert(0, str(ROOT / "bench"))
    from triage_heldout import protocol as heldout_protocol

    return heldout_protocol(examples, named)


class _Lexicon:
    """``triage.keywords`` as classifier.py reads it, each entry of ``CONCEPT_KEYWORDS``
    with its mined words added: the concept tags read them, nothing else does (the rules,
    ``borrowed_entry``, the duplicate score read ``triage.keywords`` itself)."""

    def __init__(self, words):
        from triage import keywords

        self._keywords = keywords
        self.CONCEPT_KEYWORDS = {
            name: entry + (", " + ", ".join(words[name]) if words.get(name) else "")
            for name, entry in keywords.CONCEPT_KEYWORDS.items()
        }

    def __getattr__(self, name):
        return getattr(self._keywords, name)


def use(words):
    """Train the next models with ``words`` ({entry: [words]}) in the concept tags."""
    from triage import classifier, keywords

    classifier.keywords = _Lexicon(words) if words else keywords


def measure(sets, mined_from, baseline):
    """The protocol on each of ``sets`` with the words mined from ``mined_from(set)``'s
    writers (and, with ``baseline``, without)."""
    from triage import dataset

    for spec in sets:
        examples = [e for n in spec.split("+") for e in dataset.read_examples(ROOT / "triage" / "data" / n)]
        result, _mapping = mine(read_writers(mined_from(spec)))
        runs = [("mined", result)]
        if baseline:
            runs.insert(0, ("none", {}))
        for label, words in runs:
            use(words)
            n = sum(len(ws) for ws in words.values())
            for named in (False, True):
                (t1, t3, ag), mean, p95 = protocol(examples, named)
                print(
                    f"{spec} {label:5} ({n:3} words) {'named ' if named else 'renamed'}: {t1:.3f} / {t3:.3f} / {ag:.3f}"
                    f"  suggest {mean:.1f}/{p95:.1f} ms",
                    flush=True,
                )


def main():
    args = sys.argv[1:]
    while "--set" in args:
        i = args.index("--set")
        name, value = args[i + 1].split("=", 1)
        globals()[name] = type(globals()[name])(float(value))
        del args[i : i + 2]
    _setup()
    baseline = "--baseline" in args
    sets = [a for a in args if not a.startswith("--")]
    print(f"WRITERS={WRITERS} REPORTS={REPORTS} SHARE={SHARE} MAP_SHARE={MAP_SHARE} BIGRAMS={BIGRAMS}")
    if "--leave-one-out" in args:
        sets = sets or ["validasi3.jsonl", "validasi4.jsonl", "validasi5.jsonl"]
        measure(sets, lambda spec: [w for w in WRITERS_FILES if f"{w}.jsonl" != spec], baseline)
        return
    if "--heldout" in args:
        measure(sets or ["unseen.jsonl", "ragam.jsonl", "ketiga.jsonl"], lambda _spec: list(WRITERS_FILES), baseline)
        return
    left = None
    if "--leave-out" in args:
        left = args[args.index("--leave-out") + 1]
    result, mapping = mine(read_writers([w for w in WRITERS_FILES if w != left]))
    if "--mapping" in args:
        for (writer, category), entry in sorted(mapping.items()):
            print(f"{writer:10} {category[:50]:50} → {entry}")
    for entry, words in result.items():
        print(f"{len(words):3} {entry}: {', '.join(words)}")
    print(sum(len(w) for w in result.values()), "words,", len(result), "entries")


if __name__ == "__main__":
    main()
