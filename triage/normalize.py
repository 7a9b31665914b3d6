"""Text as residents write it, brought to one spelling before the classifier, the
duplicate finder and the urgency rules read it.

Lower case, links and repeated letters removed ("tolonggg" → "tolong"), and each word
looked up in ``WORDS``: chat abbreviations (``yg``, ``tdk``, ``udh``, ``gmn``), slang and
common Javanese words mapped to standard Indonesian, with the larger lexicon of
``triage/lexicon.py`` (more chat shorthand and typos, Javanese ngoko and krama, Madurese,
English of a code-mixed report, and a few phrases replaced before the words). A word
not found is tried without a Javanese/Madurese suffix (``-e``, ``-ne``, ``-ipun``,
``-nipun``, ``-na``) and without a reduplication ``2`` (``pecah2``); in an English
sentence (``_english``) it is kept as it is. The dictionary is
plain code on purpose: a developer extends it by adding a line, and the next
``train_triage`` uses it.

``stemmed`` brings normalized words to their root with the Sastrawi stemmer
(``perbaikan`` → ``baik``, ``kebanjiran`` → ``banjir``), each word stemmed once per
process (a cache), since a cold word costs about a millisecond.
"""

import re
import unicodedata
from functools import lru_cache

from triage import lexicon

# abbreviation / slang / Javanese → standard Indonesian (one or more words)
_WORD_TEXT = """
yg yang|yng yang|tdk tidak|tak tidak|gak tidak|ga tidak|gk tidak|ngga tidak|nggak tidak
enggak tidak|ndak tidak|nda tidak|kagak tidak|ora tidak|udh sudah|udah sudah|sdh sudah
dah sudah|wis sudah|uwis sudah|wes sudah|gmn bagaimana|gimana bagaimana|piye bagaimana
blm belum|blom belum|durung belum|krn karena|krna karena|soale karena|dgn dengan|dg dengan
karo dengan|utk untuk|untk untuk|jln jalan|jl jalan|jaln jalan|dalan jalan|ndalan jalan
dpn depan|ngarep depan|blkg belakang|mburi belakang|bgt banget|sy saya|aq saya|aku saya
gue saya|gw saya|tlg tolong|tulung tolong|mhn mohon|bnyk banyak|byk banyak|akeh banyak
sm sama|jg juga|lg lagi|maneh lagi|org orang|wong orang|uwong orang|rmh rumah|omah rumah
skrg sekarang|saiki sekarang|kmrn kemarin|wingi kemarin|pdhl padahal|trs terus|bs bisa
iso bisa|isa bisa|sgt sangat|dr dari|teko dari|kpd kepada|tp tapi|tpi tapi|lbh lebih
iki ini|kuwi itu|iku itu|opo apa|apa apa|sing yang|nang di|neng di|ning di|ndek di|nggon di
banyu air|peteng gelap|kobong terbakar|kebakar terbakar|wit pohon|uwit pohon|ambruk roboh
ambrol roboh|mlebu masuk|gawe buat|suwe lama|kudu harus|ndang segera|gek segera|cepet cepat
gede besar|cilik kecil|reget kotor|mambu bau|mampet tersumbat|buntu tersumbat|lampune lampu
dalane jalan|sampahe sampah|uwuh sampah|parkire parkir|pak bapak|bu ibu|kec kecamatan
kel kelurahan|pemkot pemerintah kota|pju pju|lpj pju|lampu2 lampu|anak2 anak|warga2 warga
rusak2 rusak|jalan2 jalan|bolong berlubang|lubang berlubang|growong berlubang|ledeng pdam
bpk bapak|ibu2 ibu|bbrp beberapa|msh masih|masi masih|jd jadi|dadi jadi|kalo kalau|klo kalau
klu kalau|sampe sampai|tgl tanggal|hr hari|mlm malam|bengi malam|esuk pagi|sore sore|ok oke
min admin|mimin admin|dishub dishub|damkar damkar|pln pln|wifi wifi|wi-fi wifi|hp handphone
knp kenapa|ngapa kenapa|ngopo kenapa|mosok masa|aja saja|ae saja|wae saja|thok saja|doang saja
"""
# The lines above win over the larger lexicon where both name a word.
WORDS = {
    **lexicon.WORDS,
    **dict(pair.split(" ", 1) for pair in _WORD_TEXT.replace("\n", "|").split("|") if pair.strip()),
}
_PHRASE = re.compile(r"\b(" + "|".join(re.escape(p) for p in sorted(lexicon.PHRASES, key=len, reverse=True)) + r")\b")
# Suffixes of Javanese (-e, -ne, -ipun, -nipun) and Madurese (-na) possession, longest first.
_SUFFIXES = ("nipun", "ipun", "ne", "na", "e")

_URL = re.compile(r"https?://\S+|www\.\S+")
_REPEAT = re.compile(r"([a-z])\1{2,}")
_TOKEN = re.compile(r"[a-z0-9]+")


def normalize(text: str) -> str:
    """One spelling: lower case, no accents, hashtags split into their words, slang and
    Javanese words replaced."""
    text = unicodedata.normalize("NFKD", text or "").encode("ascii", "ignore").decode("ascii")
    text = _HASHTAG.sub(lambda match: f" {hashtag_words(match.group(1))} ", text)
    text = acronyms(text).lower()
    text = _URL.sub(" ", text)
    text = _REPEAT.sub(r"\1", text)
    text = _PHRASE.sub(lambda match: lexicon.PHRASES[match.group(1)], " ".join(_TOKEN.findall(text)))
    tokens = text.split()
    english = _english(tokens)
    return " ".join(_SAMPAI if _until(tokens, i) else _word(token, english) for i, token in enumerate(tokens))


_CAPITAL = re.compile(r"\b(?:" + "|".join(map(re.escape, lexicon.CAPITALS)) + r")\b")


def acronyms(text: str) -> str:
    """``text`` with the acronyms written in capitals spelt out (lexicon.CAPITALS: "TPI"
    the fish auction, not the chat's "tpi", tapi), before anything lowers its case."""
    return _CAPITAL.sub(lambda match: lexicon.CAPITALS[match.group(0)], text)


# Words only an English sentence is made of. A report written in English ("the sea wall
# along the beach has collapsed") keeps the words the lexicon does not know as they are:
# read as a Javanese word with a suffix or as a chat abbreviation they became Indonesian
# words of other problems ("orange" → "orang", "late" → "lat", "path" → "patah", "turn"
# → "tawuran"). An Indonesian report with a few English words is read as before.
_FUNCTION_WORDS = """the and is are was were to of in on at for from with my our we they their this that
these there it its has have had been be an not no your you who what when where why which will would can
could should very but or if because after before since"""
_ENGLISH_WORDS = frozenset(_FUNCTION_WORDS.split())
_ENGLISH_SHARE = 0.15
_ENGLISH_MIN = 3


def _english(tokens) -> bool:
    """Whether ``tokens`` (a lowered text's words) are an English sentence."""
    found = sum(token in _ENGLISH_WORDS for token in tokens)
    return found >= _ENGLISH_MIN and found >= _ENGLISH_SHARE * len(tokens)


# "smp" is the junior high school (SMP) and, in a chat, "sampai" ("antri smp siang"): the
# school is named with a number or its kind ("SMP 2", "SMPN", "SMP Negeri") or where
# something is ("depan SMP", "nang SMP"), or whose ("siswa SMP", "daftar SMP").
_SAMPAI = "sampai"
_AFTER = "n negeri swasta islam it muhammadiyah terbuka pgri kristen katolik plus maarif"
_BEFORE = """siswa murid anak guru sekolah kelas lulusan lulus masuk daftar pendaftaran ppdb spmb sd sma
smk tk jenjang tingkat depan dekat di ke nang dari samping belakang sebelah pintu gerbang halaman public
cedhak sekitar kepala komite"""
_SCHOOL_AFTER = frozenset(_AFTER.split())
_SCHOOL_BEFORE = frozenset(_BEFORE.split())


def _until(tokens, i) -> bool:
    """Whether ``tokens[i]`` is the chat's "smp" for "sampai", not a school."""
    if tokens[i] != "smp":
        return False
    after = tokens[i + 1] if i + 1 < len(tokens) else ""
    before = tokens[i - 1] if i else ""
    if not (before or after):  # a keyword or a category's name: the school
        return False
    return not (after.isdigit() or after in _SCHOOL_AFTER or before in _SCHOOL_BEFORE)


_HASHTAG = re.compile(r"#([A-Za-z0-9_]{2,60})")
_CAMEL = re.compile(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|[0-9]+")
# Indonesian prefixes and the first letter a nasal prefix swallows (menumpuk ← tumpuk),
# and suffixes: a hashtag's words are often derived ones ("sampahmenumpuk").
_PREFIXES = (
    ("meng", "k"), ("meny", "s"), ("mem", "p"), ("men", "t"), ("peng", "k"), ("peny", "s"), ("pem", "p"),
    ("pen", "t"), ("me", ""), ("mem", ""), ("men", ""), ("meng", ""), ("pe", ""), ("pem", ""), ("pen", ""),
    ("peng", ""), ("di", ""), ("ter", ""), ("ber", ""), ("be", ""), ("ke", ""), ("se", ""), ("", ""),
)  # fmt: skip
_ENDINGS = ("kan", "an", "i", "nya", "")
# Two-letter words a piece of a hashtag may be (a prefix joined to its word, "digang",
# is read whole: ``_known``).
_SHORT_WORDS = frozenset({"di", "ke", "rt", "rw", "sd"})


def hashtag_words(tag: str) -> str:
    """The words of a hashtag: ``LampuMati`` by its capitals when each part is a known
    word, else ``jalanrusak`` / ``PJUmati`` by the words it reads as (``segment``)."""
    pieces = [piece.lower() for piece in _CAMEL.findall(tag)]
    if len(pieces) > 1 and all(_known(piece) or piece.isdigit() for piece in pieces):
        return " ".join(pieces)
    return " ".join(segment(run) for run in re.findall(r"[a-z]+|[0-9]+", tag.lower()))


# What a piece of a hashtag costs in ``segment``: a known word 1, an unknown stretch (a
# place's or a person's name) more the longer it is, so the fewest known words win and a
# name is kept whole rather than cut into unknown bits.
UNKNOWN_COST = 0.5
UNKNOWN_COST_PER_LETTER = 0.35


@lru_cache(maxsize=10_000)
def segment(run: str) -> str:
    """``run`` (letters, lower case) read as the cheapest sequence of known words and
    unknown stretches (``UNKNOWN_COST``): "jalanrusaksidoarjo" → "jalan rusak sidoarjo";
    ``run`` itself when it is one word already or reads no better ("disidoarjo" stays:
    "di" and a name cost more than the unknown whole)."""
    if len(run) > 40 or not run.isalpha() or _known(run):
        return run
    # best[i]: (cost, −Σ length²) of the cheapest reading of run[:i], and where its last piece starts.
    best = [(0.0, 0, 0)] + [None] * len(run)
    for end in range(1, len(run) + 1):
        for start in range(end):
            if best[start] is None:
                continue
            piece = run[start:end]
            if _known(piece) and (len(piece) >= 4 or piece in _SHORT_WORDS or piece in _vocabulary()):
                cost = 1.0
            elif len(piece) >= 4:
                cost = UNKNOWN_COST + UNKNOWN_COST_PER_LETTER * len(piece)
            else:
                continue
            candidate = (best[start][0] + cost, best[start][1] - len(piece) ** 2, start)
            if best[end] is None or candidate[:2] < best[end][:2]:
                best[end] = candidate
    if best[-1] is None:
        return run
    words, end = [], len(run)
    while end:
        start = best[end][2]
        words.append(run[start:end])
        end = start
    return " ".join(reversed(words))


@lru_cache(maxsize=100_000)
def _known(word: str) -> bool:
    """A root, a word of the lexicons (a slang or Javanese one of five letters or more:
    "pemkab", "banyu"), or a root with an Indonesian prefix and suffix."""
    if word in roots() or word in _vocabulary() or (len(word) >= 5 and word in WORDS):
        return True
    for prefix, restored in _PREFIXES:
        if not word.startswith(prefix):
            continue
        rest = restored + word[len(prefix) :]
        for ending in _ENDINGS:
            if rest.endswith(ending) and len(rest) - len(ending) >= 3 and rest[: len(rest) - len(ending)] in roots():
                return True
    return False


@lru_cache(maxsize=1)
def _vocabulary() -> frozenset:
    """The words the lexicons write in standard Indonesian (the concept keywords, the
    replacements), not the slang and Javanese words they replace: "bojo" (spouse) must
    not be read out of "#bojonegoro"."""
    from triage.keywords import CONCEPT_KEYWORDS

    words = set()
    for text in (*CONCEPT_KEYWORDS.values(), *WORDS.values(), *lexicon.PHRASES.values()):
        words.update(w for w in _TOKEN.findall(text.lower()) if w.isalpha() and len(w) >= 3)
    return frozenset(words)


@lru_cache(maxsize=50_000)
def _word(token: str, english: bool = False) -> str:
    if token in WORDS:
        return WORDS[token]
    plural = _english_plural(token, english)
    if plural:
        return plural
    if token.endswith("nya") and " " not in WORDS.get(token[:-3], " ") and token[:-3] not in roots():
        return WORDS[token[:-3]] + "nya"  # jlnnya, ijinnya; a root's own (lubangnya) stays
    if len(token) > 3 and token.endswith("2") and token[:-1].isalpha():  # pecah2, anak2
        return _word(token[:-1], english)
    if token.isalpha() and token not in roots() and not english:
        # Madurese passive e- (epasang, ebantu): di- in Indonesian.
        if token.startswith("e") and len(token) >= 6 and token[1:] in roots():
            return "di" + token[1:]
        for suffix in _SUFFIXES:
            base = token[: -len(suffix)]
            if token.endswith(suffix) and len(base) >= 3:
                if base in WORDS:
                    return WORDS[base]
                if base in roots():
                    return base
        spelled = _unabbreviated(token)
        if spelled:
            return spelled
    return token


def _english_plural(token: str, english: bool) -> str:
    """The English lexicon's word of an English plural the lexicon does not list
    ("factories" → factory, "drains" → drain, "boxes" → box) in an English sentence, else
    "". A token that is an Indonesian root stays."""
    if not english or not token.endswith("s") or token in roots():
        return ""
    for cut, add in (("ies", "y"), ("es", ""), ("s", "")):
        singular = token[: -len(cut)] + add
        if token.endswith(cut) and len(singular) >= 3 and singular in lexicon.ENGLISH:
            return lexicon.ENGLISH[singular]
    return ""


_VOWELS = re.compile(r"[aeiou]")


def _skeleton(word: str) -> str:
    return _VOWELS.sub("", word)


@lru_cache(maxsize=1)
def _spellings() -> dict:
    """{first letter: words} the triage lexicons know (the concept keywords, the
    replacements of ``WORDS``), five letters or more: what a chat abbreviation that drops
    vowels may stand for."""
    by_letter = {}
    for word in sorted(w for w in _vocabulary() if len(w) >= 5):
        by_letter.setdefault(word[0], []).append(word)
    return by_letter


def _abbreviates(short: str, word: str) -> bool:
    """``short`` is ``word`` with letters left out, keeping its first and last consonant
    and all but at most one of its consonants (``pskms`` / puskesmas, ``sklh`` / sekolah)."""
    if _skeleton(short)[-1] != _skeleton(word)[-1] or len(_skeleton(word)) > len(_skeleton(short)) + 1:
        return False
    letters = iter(word)
    return all(letter in letters for letter in short)


def _unabbreviated(token: str):
    """The one lexicon word ``token`` abbreviates by dropping (nearly) all its vowels, a
    ``di-`` prefix kept (``dipsng`` → dipasang); None when it is none or several: a wrong
    guess costs more than a missing one."""
    for prefix in ("", "di"):
        if not token.startswith(prefix):
            continue
        rest = token[len(prefix) :]
        if len(rest) < 4 or len(_VOWELS.findall(rest)) > 1 or len(_skeleton(rest)) < 3:
            continue
        found = [w for w in _spellings().get(rest[0], ()) if w != rest and _abbreviates(rest, w)]
        if len(found) == 1:
            return prefix + found[0]
    return None


@lru_cache(maxsize=1)
def _stemmer():
    from Sastrawi.Stemmer.StemmerFactory import StemmerFactory

    factory = StemmerFactory()
    return factory, factory.create_stemmer().delegatedStemmer  # uncached: we cache below


@lru_cache(maxsize=1)
def roots() -> frozenset:
    """The stemmer's dictionary of Indonesian root words."""
    return frozenset(w for w in _stemmer()[0].get_words() if w)


@lru_cache(maxsize=100_000)
def stem(word: str) -> str:
    """The root of one normalized word (Sastrawi); words with digits and short words as
    they are."""
    if len(word) < 4 or not word.isalpha():
        return word
    return _stemmer()[1].stem(word) or word


def stemmed(normalized_text: str) -> str:
    """Every word of an already normalized text brought to its root."""
    return " ".join(stem(word) for word in normalized_text.split())
