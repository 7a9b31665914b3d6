"""Places named in a report's text, normalised so two residents' spellings meet.

``mentions(text)`` reads the normalised words (triage/normalize.py) and returns the
streets, alleys, landmarks and RT/RW the text names, each a ``Place(kind, words,
numbers)``: "perempatan Jl. Merdeka" → ``jalan merdeka``; "gg kenari", "gang Kenari" →
``gang kenari``; "depan SDN 2", "SD Negeri 2" → ``sd 2``; "dekat masjid Al-Ikhlas" →
``masjid al ikhlas``; "RT 03/RW 05", "rt3 rw5" → ``rt 3`` and ``rw 5``. Kind words have
their variants here (``KINDS``: jl/jln/jalan/dalan, gg/gang, sdn/sd negeri, langgar/
mushola, kreteg/jembatan, peken/pasar, …); names are compared by ``same_name`` within an
edit distance, a shorter word matching the start of a longer one ("cokro" and
"cokroaminoto"), one word in common enough ("sudanco" and "sudanco supriyadi"), house
numbers ignored.

``compare(a, b)`` says what two reports' places say about each other: for each kind both
name, whether some name matches (evidence of the same place) or none does (evidence of
another place: Jl. Kenari is not Jl. Mawar; SDN 2 is not SDN 5). A street in one text
and a landmark in the other say nothing either way: the kelurahan and the pin decide.
"""

import re
from dataclasses import dataclass, field
from functools import lru_cache

from triage.normalize import acronyms, normalize, roots

# Variant → kind. Kinds a text names as "<kind> <name>"; a kind of landmark (``LANDMARKS``)
# counts even without a name ("depan stasiun"). A factory, a beach, a harbour, a hotel, a
# sports hall and a campus are where residents say a problem is (fourteenth session):
# read as problem words, "pabrik" and "pantai" (keywords of pollution and of tourism) made
# the road in front of the fish-meal factory and the factory's waste one kind of problem.
_KIND_TEXT = """
jalan:jalan jl jln jaln dalan ndalan dalane jalane jalannya street road
gang:gang gg gng lorong
simpang:perempatan prapatan perapatan pertigaan pertelon simpang persimpangan bundaran crossroads intersection junction
sd:sd sdn mi
smp:smp smpn mts
sma:sma sman smk smkn ma
masjid:masjid mesjid masjide mosque
musala:musala musholla mushola musholla musalla langgar surau mushalla
gereja:gereja church
pasar:pasar peken market
taman:taman park
makam:makam tpu kuburan pemakaman sarean
puskesmas:puskesmas pustu
balai:balai
kantor:kantor office
perum:perum perumahan griya komplek kompleks
stasiun:stasiun
terminal:terminal
lapangan:lapangan stadion
jembatan:jembatan kreteg kretek bridge
underpass:underpass flyover terowongan
spbu:spbu pom
rs:rs rsud
alun:alun
minimarket:minimarket indomaret alfamart alfamidi
toko:toko
tps:tps tpa depo
pabrik:pabrik factory
pantai:pantai beach
pelabuhan:pelabuhan dermaga harbour port
pelelangan:pelelangan
hotel:hotel
gor:gor
kampus:kampus universitas
sekolah:sekolah
rt:rt
rw:rw
"""
KINDS = {
    variant: kind
    for line in _KIND_TEXT.split("\n")
    if line.strip()
    for kind, variants in [line.split(":")]
    for variant in variants.split()
}
LANDMARKS = frozenset(KINDS.values()) - {"jalan", "gang", "simpang", "rt", "rw"}
# A crossing names its streets: "perempatan Mastrip" is at Jl. Mastrip.
_AS_STREET = {"simpang": "jalan"}
# Kinds read without a name: "sekolah" (school, sakola, sekolahan after normalising) is
# any school — "depan sekolah", "the school fence" —, and the words after it are the
# problem's ("anak mau sekolah malah kejebak"); a school with a name is "SDN 2", "SMP 3".
UNNAMED = frozenset({"sekolah"})

# Words that end a name: function words, problem words, directions. A name is at most
# MAX_NAME words, titles skipped ("Jl. Ir. Soekarno" → soekarno).
_STOP_TEXT = """
di ke dari yang dan atau tapi juga sudah belum tidak ada ini itu dengan untuk pada
sejak sampai mohon tolong segera depan belakang samping dekat sebelah seberang ujung
utara selatan timur barat sisi arah sekitar kelurahan kecamatan kota blitar rumah warga
mati rusak berlubang roboh tumbang bocor banjir sampah lampu air pdam macet parkir
tersumbat meluap keruh gelap padam nyala kedip miring penuh kotor bau liar lagi terus
saya kami kita pak bu bapak ibu min admin nya pun lah kah sangat banget sekali
hari minggu malam pagi siang sore kemarin sekarang jam no nomor blok sana sini
nang nek ning neng teng kaliyan caket cedak celak ngajeng wingking sing ingkang niki
menutup nutup tutup ketutup jatuh nyungsep kena the in on at of near front and is to
mobil motor truk kendaraan orang anak lewat ora iso bisa kaki santai pulang pelan
sampun mboten dipun kula kulo ingkang nggih sami sanget saking dateng menika punika
wonten enten bedeh e se ta reng
the a an in on at of near front to from since for by is are was it its this that and
or but my our your turns turn can cant not no dead broken full so very lol pls please
jadi masuk semua sedaya pecah patah bolong becek licin sempit minta mintak gelar bulan
ambles amblas retak tergenang menggenang genangan macet kecil dalam utama tembus poros
rusak parah lubang berlubang bocor mampet buntu pejah mate murup padhang peteng gelap
kabeh kabbhi sampe sampai tiap setiap jg juga udah udh sdh belum blm kok lho sih
mt putus merasa karatan kebakar kbakar terbakar mbludak numpuk
next along behind beside opposite across corner end light lights lamp
cedhek cedek cerak parek iku kuwi kae kono kene kunu nong ring isun riko
ombak gelombang abrasi tergerus terkikis limbah asap debu bising bau busuk amis
"""
_STOP = frozenset(_STOP_TEXT.split())
_TITLES = frozenset(
    {"ir", "dr", "h", "hj", "kh", "kyai", "raya", "prof", "haji", "mayor", "letjen", "jend", "letkol", "kol", "kolonel"}
    | {"mayjen", "brigjen", "kapten", "sersan"}
)
_NAME_BEFORE = frozenset({"street", "road"})
_PARTICLES = frozenset({"al", "an", "ar", "as", "at", "ad", "el", "kota", "umum", "baru", "lama", "besar"})
_RT_RW = re.compile(r"^(rt|rw)0*(\d{1,3})$")
_NUMBER = re.compile(r"^\d{1,3}$")
MAX_NAME = 2
# A root word with a possessive or pronoun clitic ("jalan kabelnya", "pasar katanya",
# "gang rumahku") is a common word of the problem, never a place's name ("Teuku" is
# no root with "-ku").
_CLITIC = re.compile(r"^([a-z]{3,})(?:nya|ku|mu)$")


def _clitic(token) -> bool:
    match = _CLITIC.match(token)
    return bool(match) and match.group(1) in roots()


@dataclass(frozen=True)
class Place:
    kind: str
    words: tuple = ()
    numbers: tuple = ()
    # Whether the name is surely a name: in a text written in mixed case, a name the
    # resident capitalised ("Jl. Sultan Agung"), not the words after a kind used as a
    # common noun ("jalan kaki", "jembatan bambu"). Only sure names tell two places apart
    # (``compare``); any name can match. Not part of the place's identity.
    sure: bool = field(default=True, compare=False)

    def __str__(self):
        return " ".join((self.kind, *self.words, *self.numbers))


def _name(tokens, start):
    """(words, numbers, next index) of the name starting at ``tokens[start]``."""
    words, numbers = [], []
    i = start
    while i < len(tokens) and len(words) < MAX_NAME:
        token = tokens[i]
        if token is None:  # a comma or a full stop ends the name
            break
        if token in _TITLES and not words:
            i += 1
            continue
        if _NUMBER.match(token):
            if token.lstrip("0") and len(numbers) < 1:
                numbers.append(token.lstrip("0"))
            i += 1
            if words or numbers:
                break
            continue
        if token in _STOP or token in KINDS or len(token) < 2 or _RT_RW.match(token) or _clitic(token):
            break
        words.append(token)
        i += 1
    # One number right after the name belongs to it ("gang melati 3", "sdn sentul 2").
    if i < len(tokens) and not numbers and tokens[i] and _NUMBER.match(tokens[i]) and tokens[i].lstrip("0"):
        numbers.append(tokens[i].lstrip("0"))
        i += 1
    return tuple(words), tuple(numbers), i


def _scan(tokens, capitals=None):
    """(places, indexes of the tokens they used). ``capitals``: the words the text
    capitalised, when it is written in mixed case (else None: every name is sure)."""
    found, used = [], set()
    i = 0
    while i < len(tokens):
        token = tokens[i]
        if token is None:
            i += 1
            continue
        rt_rw = _RT_RW.match(token)
        if rt_rw:
            found.append(Place(rt_rw.group(1), (), (rt_rw.group(2),)))
            used.add(i)
            i += 1
            continue
        kind = KINDS.get(token)
        if kind is None:
            i += 1
            continue
        if token in _NAME_BEFORE:
            # English puts the name first: "Kalimantan street" (not "the street light").
            before = tokens[i - 1] if i else None
            if before and before not in _STOP and not _NUMBER.match(before) and before not in KINDS:
                found.append(Place(kind, (before,)))
                used.update((i - 1, i))
            i += 1
            continue
        # "sd negeri 2", "balai rw", "alun alun", "kantor kelurahan": the filler after the
        # kind; "kantor kecamatan Genteng" is the office at Genteng ("puskesmas kecamatan" is
        # the district's, and names none).
        j = i + 1
        # … and another word of the same kind ("perumahan griya", "perempatan simpang").
        while j < len(tokens) and (
            tokens[j] in ("negeri", "n", "alun", "umum", "desa", "kelurahan", "besar", "daerah")
            or (tokens[j] == "kecamatan" and kind in ("kantor", "balai"))
            or (tokens[j] in KINDS and KINDS[tokens[j]] == kind and tokens[j] not in _NAME_BEFORE)
            or (kind == "perum" and tokens[j] == "rumah")  # "perum griya …" (griya: rumah)
        ):
            j += 1
        if kind in ("jalan", "gang") and j < len(tokens) and KINDS.get(tokens[j]) in LANDMARKS:
            # "Jl. Masjid", "Jl. Stasiun": a street named after a landmark.
            found.append(Place(kind, (tokens[j],)))
            used.update(range(i, j + 1))
            i = j + 1
            continue
        if kind in ("rt", "rw"):
            if j < len(tokens) and tokens[j] and _NUMBER.match(tokens[j]) and tokens[j].lstrip("0"):
                found.append(Place(kind, (), (tokens[j].lstrip("0"),)))
                used.update(range(i, j + 1))
                i = j + 1
            else:
                i = j
            continue
        if kind in UNNAMED:
            found.append(Place(kind))
            used.update(range(i, j))
            i = j
            continue
        words, numbers, end = _name(tokens, j)
        if kind == "simpang" and end < len(tokens) and KINDS.get(tokens[end]) == "jalan":
            i = end  # "perempatan jalan merdeka": the street says it
            used.add(i - 1)
            continue
        kind = _AS_STREET.get(kind, kind)
        sure = True
        if capitals is not None and words:
            if words[0] in capitals:
                # "Pasar Mangli kalo hujan", "Jl. Karimata membuat macet": the name is the
                # capitalised words; the rest is the problem's.
                run = 0
                while run < len(words) and words[run] in capitals:
                    run += 1
                if run < len(words):
                    end -= len(words) - run
                    words, numbers = words[:run], ()
            else:
                sure = False  # "jalan kaki", "jembatan bambu": a common noun, or a name written small
        if words or numbers or kind in LANDMARKS:
            found.append(Place(kind, words, numbers, sure))
            used.update(range(i, end))
        i = max(end, i + 1)
    return found, used


# Landmarks named in several words, read as their kind's one word before the scan.
_PHRASES = [
    (re.compile(pattern), kind)
    for pattern, kind in (
        (r"\b(?:pom bensin|gas station|petrol station)\b", "spbu"),
        (r"\b(?:elementary school|primary school|sekolah dasar)\b", "sd"),
        (r"\b(?:junior high school|junior high|sekolah menengah pertama)\b", "smp"),
        (r"\b(?:senior high school|high school)\b", "sma"),
        (r"\b(?:rumah sakit|hospital)\b", "rs"),
        (r"\btempat penampungan sementara\b", "tps"),
        (r"\btempat pelelangan ikan\b", "pelelangan"),
        (r"\b(?:housing estate|housing complex|residential complex)\b", "perum"),
    )
]
# English names the place first: "Kerinci intersection", "the Sukorejo field", "along
# Ciliwung road" are read as "perempatan kerinci", "lapangan sukorejo", "jalan ciliwung".
_ENGLISH_KIND = {
    "street": "jalan",
    "road": "jalan",
    "avenue": "jalan",
    "intersection": "perempatan",
    "junction": "perempatan",
    "crossroads": "perempatan",
    "park": "taman",
    "field": "lapangan",
    "market": "pasar",
    "mosque": "masjid",
    "bridge": "jembatan",
}
_ENGLISH_NAME_FIRST = re.compile(r"\b([a-z]+) (" + "|".join(_ENGLISH_KIND) + r")\b")
_NOT_A_NAME_TEXT = """
the a an this that main big small old new traffic gas bus side dark busy our my local public city
whole same every each broken flooded
"""
_NOT_A_NAME = frozenset(_NOT_A_NAME_TEXT.split())


def _english_name_first(match):
    name, kind = match.groups()
    if name in _STOP or name in _NOT_A_NAME or name in KINDS:
        return match.group(0)
    return f"{_ENGLISH_KIND[kind]} {name}"


_ABBREVIATION_DOT = re.compile(r"\b(jl|jln|gg|no|ir|dr|drs|h|hj|kh|rt|rw|kel|kec|sd|smp|prof)\.", re.I)
_CLAUSE = re.compile(r"[,;:!?()\"\n/]+|\.(?:\s|$)")


# Titles right after a street's or a landmark's kind word go before normalize() reads
# them: its chat shorthand makes "dr" "dari" ("Jl. dr. Soebandi", "Jl. Dr. Sutomo", "RSD
# dr. Soebandi" lost their names).
_TITLES_AFTER_KIND = re.compile(
    r"\b(jalan|jl|jln|jaln|gang|gg|rsd|rsud|rs|rumah sakit|puskesmas)((?:\s+(?:prof|dr|drs|ir|kh|hj|h))+)\b"
)


def _tokens(text):
    """normalize()'s words, clause by clause, with None between clauses (a name never
    runs over a comma or a full stop; the dot of "Jl." or "Gg." is not one)."""
    # "TPI Lekok" is the fish auction before the case goes ("tpi" is a chat's "tapi").
    text = _ABBREVIATION_DOT.sub(r"\1 ", acronyms(text or "").lower())
    text = _TITLES_AFTER_KIND.sub(r"\1", text)
    for pattern, kind in _PHRASES:
        text = pattern.sub(kind, text)
    text = _ENGLISH_NAME_FIRST.sub(_english_name_first, text)
    # "sdn2" and "rt03" come apart as "sdn 2" and "rt3".
    text = re.sub(r"(?<=[a-z])(?=\d)", " ", text)
    text = re.sub(r"\b(rt|rw) (\d)", r"\1\2", text)
    tokens = []
    for clause in _CLAUSE.split(text):
        # The phrases again after normalising: krama's "griya sakit" is "rumah sakit".
        normalized = normalize(clause)
        for pattern, kind in _PHRASES:
            normalized = pattern.sub(kind, normalized)
        words = normalized.split()
        if words:
            tokens.extend(words)
            tokens.append(None)
    return tokens


_CAPITAL = re.compile(r"\b[A-Z][a-z]+\b")
_AFTER_ABBREVIATION = re.compile(r"\b(?:jl|jln|jaln|gg|gng)\b\.?\s*([a-z]+)")


def _capitals(text):
    """The words ``text`` capitalised (lower-cased, as normalised), and the words after a
    street's abbreviation ("jl kenari": written small, still a name), when it is written
    in mixed case; None when it is all small letters or all capitals (then case says
    nothing)."""
    text = text or ""
    if not re.search(r"[a-z]", text) or not re.search(r"[A-Z]", text):
        return None
    found = set(_AFTER_ABBREVIATION.findall(text.lower()))
    for word in _CAPITAL.findall(text):
        found.add(word.lower())
        found.update(normalize(word).split())
    return frozenset(found)


@lru_cache(maxsize=4096)
def read(text):
    """(places, the problem words: the text's words without the places' words)."""
    tokens = _tokens(text)
    found, used = _scan(tokens, _capitals(text))
    rest = " ".join(t for i, t in enumerate(tokens) if i not in used and t is not None)
    return frozenset(found), rest


def mentions(text) -> frozenset:
    return read(text)[0]


def _close(a, b):
    """Two words of a name are one: equal, one starting the other (at least 4 letters),
    or within 1 edit (2 from 8 letters)."""
    if a == b:
        return True
    short, long_ = sorted((a, b), key=len)
    if len(short) >= 4 and long_.startswith(short):
        return True
    allowed = 2 if len(short) >= 8 else 1 if len(short) >= 4 else 0
    return allowed > 0 and len(long_) - len(short) <= allowed and edit_distance(a, b, allowed) <= allowed


def edit_distance(a, b, limit=3):
    """Levenshtein distance, stopping early once it exceeds ``limit`` (names are short)."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        if min(current) > limit:
            return limit + 1
        previous = current
    return previous[-1]


def same_name(a: Place, b: Place) -> bool | None:
    """True: the same place; False: another one of the kind; None: cannot tell (a
    landmark named in one text and not in the other)."""
    if a.numbers and b.numbers and a.numbers != b.numbers:
        return False
    if not a.words or not b.words:
        if a.kind in ("rt", "rw") or (a.numbers and b.numbers):
            return a.numbers == b.numbers
        return None
    # A name runs on into the next words now and then ("jalan kawi tergenang"): one word
    # in common is the same name; particles ("al", "kota") do not count.
    words_a = [w for w in a.words if w not in _PARTICLES] or list(a.words)
    words_b = [w for w in b.words if w not in _PARTICLES] or list(b.words)
    common = sum(1 for w in words_a if any(_close(w, v) for v in words_b))
    # Two names of two words each need both ("Turi Asri" is not "Turi Permai").
    return common >= (2 if len(words_a) >= 2 and len(words_b) >= 2 else 1)


@dataclass
class Comparison:
    matched: set  # kinds with a name in common
    conflicting: set  # kinds both name, with no name in common

    def __bool__(self):
        return bool(self.matched or self.conflicting)


def compare(a, b) -> Comparison:
    """What the places of two texts (``mentions`` of each) say about each other."""
    matched, conflicting = set(), set()
    for kind in {p.kind for p in a} & {p.kind for p in b}:
        verdicts = [(same_name(p, q), p.sure and q.sure) for p in a if p.kind == kind for q in b if q.kind == kind]
        if any(v is True for v, _sure in verdicts):
            matched.add(kind)
        elif any(sure for _v, sure in verdicts) and all(v is False for v, sure in verdicts if sure):
            conflicting.add(kind)
    return Comparison(matched, conflicting)
