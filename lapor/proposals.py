"""Proposed mappings for the LAPOR! categories and agencies nobody has mapped yet.

A first import maps only names spelled exactly as in Aduan, so most values land in the
queue and their reports arrive without a category or a disposition. This module proposes
a target for each; the coordinator accepts (``actions.accept_mappings``). Nothing here
writes.

- **Agencies**: LAPOR!'s name against every active agency's name and short name, compared
  as words: case and punctuation ignored (``P.U.P.R.`` is ``pupr``), the words every
  agency name carries dropped (Dinas, Badan, Kantor, Pemerintah; the region: ``Kota
  Blitar``, ``Kab. …``), and abbreviations read as the initials of two or more words in a
  row (``PUPR`` = Pekerjaan Umum [dan] Penataan Ruang), plus the known syllable
  abbreviations (``Dishub`` = Perhubungan, ``KNOWN_ABBREVIATIONS``). So "Dinas PUPR",
  "DPUPR" and "Dinas Pekerjaan Umum dan Penataan Ruang Kota Blitar" are one agency.
- **Categories**: by name the same way (``Lampu PJU`` = Lampu Penerangan Jalan Umum,
  ``Perhubungan > Parkir Liar``), else by what triage's classifier says of the texts of the
  reports imported with that value (``triage.actions.suggest``: the trained model when
  there is one, else the keyword rules): the category most of them get first, when that
  is more than half of them.
- Better evidence first (same name, then abbreviation, then a near spelling, then every
  word of one name in the other, then the texts); a value two targets match equally well
  gets no proposal, and the candidates are named.
"""

import difflib
import re
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from functools import cache

from django.db.models.fields.json import KT
from django.utils.translation import gettext as _

from agencies.models import Agency
from lapor import columns as c
from lapor.models import AgencyMapping, CategoryMapping, LaporRecord
from lapor.parsing import entity_key
from reports.models import Category, Report
from triage.actions import suggest
from triage.duplicates import report_text

CONNECTORS = frozenset({"dan", "serta", "atau"})
# Words most agency names carry, which tell one agency from another not at all.
AGENCY_NOISE = frozenset({"dinas", "badan", "kantor", "pemerintah", "pemkot", "pemkab", "pemprov"})
# A region word and the name after it ("Kota Blitar", "Kab. Blitar") are dropped.
REGION_WORDS = frozenset({"kota", "kabupaten", "kab", "provinsi", "prov"})
# Abbreviations of Indonesian regional agencies that are syllables, not initials (initials
# such as DPUPR, BPBD, DLH or PJU are read from the words themselves).
KNOWN_ABBREVIATIONS = {
    "dishub": "perhubungan",
    "dinkes": "kesehatan",
    "disdik": "pendidikan",
    "dindik": "pendidikan",
    "dinsos": "sosial",
    "diskominfo": "komunikasi dan informatika",
    "kominfo": "komunikasi dan informatika",
    "disnaker": "tenaga kerja",
    "disperkim": "perumahan dan kawasan permukiman",
    "perkim": "perumahan dan kawasan permukiman",
    "dispendukcapil": "kependudukan dan pencatatan sipil",
    "dukcapil": "kependudukan dan pencatatan sipil",
    "disperindag": "perindustrian dan perdagangan",
    "dispora": "pemuda dan olahraga",
    "disbudpar": "kebudayaan dan pariwisata",
    "dispar": "pariwisata",
    "satpol": "satuan polisi",
    "bappeda": "perencanaan pembangunan daerah",
    "bapenda": "pendapatan daerah",
    "setda": "sekretariat daerah",
    "kec": "kecamatan",
    "kel": "kelurahan",
}
SIMILAR = 0.88  # difflib ratio of two names' words for "a near spelling"
TEXT_SAMPLE = 10  # texts per LAPOR! category read by the classifier

# Kinds of evidence, best first; a proposal says which.
SAME_NAME, ABBREVIATION, SIMILAR_NAME, WORDS_WITHIN, TEXTS = 1, 2, 3, 4, 5


def words(text) -> tuple[str, ...]:
    """Lower-case ASCII words; a run of single letters is one word (``P.U.P.R.`` → pupr)."""
    text = unicodedata.normalize("NFKD", str(text or "")).casefold()
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    result, in_run = [], False
    for token in re.findall(r"[a-z0-9]+", text):
        letter = len(token) == 1 and token.isalpha()
        if letter and in_run:
            result[-1] += token
        else:
            result.append(token)
        in_run = letter
    return tuple(result)


def _agency_words(text) -> tuple[str, ...]:
    """The words that tell an agency apart: no region, no noise words, no connectors."""
    kept, skip = [], False
    for word in words(text):
        if skip:
            skip = False
            continue
        if word in REGION_WORDS:
            skip = True
            continue
        kept.append(word)
    return tuple(w for w in kept if w not in AGENCY_NOISE and w not in CONNECTORS)


def _expanded(tokens) -> tuple[str, ...]:
    """Known syllable abbreviations written out."""
    out = []
    for token in tokens:
        out.extend(KNOWN_ABBREVIATIONS[token].split() if token in KNOWN_ABBREVIATIONS else [token])
    return tuple(w for w in out if w not in CONNECTORS)


def spells(short, full) -> bool:
    """Do the words ``short`` spell the words ``full``, each being a word of ``full`` or the
    initials of two or more of its words in a row? (``pu pr`` spells ``pekerjaan umum
    penataan ruang``; connectors are not counted.)"""
    short = tuple(w for w in short if w not in CONNECTORS)
    full = tuple(w for w in full if w not in CONNECTORS)
    if not short or not full or short == full:
        return False
    return _spells(short, full)


@cache
def _spells(short, full) -> bool:
    if not short:
        return not full
    word, rest = short[0], short[1:]
    if full and word == full[0] and _spells(rest, full[1:]):
        return True
    initials = ""
    for index, item in enumerate(full):
        initials += item[0]
        if not word.startswith(initials):
            return False
        if index >= 1 and initials == word and _spells(rest, full[index + 1 :]):
            return True
    return False


@dataclass
class Proposal:
    kind: str  # "category" or "agency"
    mapping: object  # the CategoryMapping / AgencyMapping without a target
    target_id: int | None = None
    evidence: int = 0
    votes: tuple = ()  # (votes, texts read) for TEXTS
    candidates: list = field(default_factory=list)  # names, when two or more match equally

    @property
    def reason(self) -> str:
        if self.target_id is None:
            if self.candidates:
                return _("Lebih dari satu yang cocok: %(names)s.") % {"names": ", ".join(self.candidates)}
            return _("Tidak ada usulan; pilih sendiri.")
        if self.evidence == TEXTS:
            return _("Isi laporan: %(votes)d dari %(read)d laporan contoh.") % {
                "votes": self.votes[0],
                "read": self.votes[1],
            }
        return {
            SAME_NAME: _("Nama sama."),
            ABBREVIATION: _("Singkatan."),
            SIMILAR_NAME: _("Nama mirip."),
            WORDS_WITHIN: _("Kata-katanya ada dalam nama ini."),
        }[self.evidence]


def _best(matches: dict):
    """{target pk: evidence} → (pk or None, evidence, the tied pks)."""
    if not matches:
        return None, 0, []
    best = min(matches.values())
    tied = [pk for pk, evidence in matches.items() if evidence == best]
    return (tied[0] if len(tied) == 1 else None), best, tied


@dataclass(frozen=True)
class Forms:
    """A name as words: ``names`` (the name itself), ``others`` (short name, abbreviations
    written out, with the noise words kept)."""

    names: tuple
    others: tuple = ()

    @property
    def every(self):
        return [form for form in self.names + self.others if form]


def evidence(value: Forms, target: Forms) -> int:
    """How well a LAPOR! value names a target: SAME_NAME (a name is the other's name),
    ABBREVIATION (a form equals or spells another, either way), SIMILAR_NAME (the names
    are near spellings), or 0."""
    if any(form and form in target.names for form in value.names):
        return SAME_NAME
    ours, theirs = value.every, target.every
    if any(a == b or spells(a, b) or spells(b, a) for a in ours for b in theirs):
        return ABBREVIATION
    names = [(a, b) for a in filter(None, value.names) for b in filter(None, target.names)]
    if any(difflib.SequenceMatcher(None, " ".join(a), " ".join(b)).ratio() >= SIMILAR for a, b in names):
        return SIMILAR_NAME
    # "Parkir Liar" and "Juru parkir liar": every word of the shorter name (two at least, so
    # that a lone "kesehatan" does not match every health unit) is in the longer one.
    for a, b in names:
        shorter, longer = sorted((set(a), set(b)), key=len)
        if len(shorter) >= 2 and shorter <= longer:
            return WORDS_WITHIN
    return 0


def _agency_forms(agency) -> Forms:
    name, short = _agency_words(agency.name), _agency_words(agency.short_name)
    others = (short, _expanded(name), _expanded(short), words(agency.name), words(agency.short_name))
    return Forms((name,), others)


def _value_agency_forms(value) -> Forms:
    core = _agency_words(value)
    return Forms((core,), (_expanded(core), words(value)))


def _plain(text) -> tuple:
    return tuple(w for w in words(text) if w not in CONNECTORS)


def _category_forms(category) -> Forms:
    own = _plain(category.name)
    return Forms((own, _plain(category.parent.name) + own) if category.parent_id else (own,))


def _proposals(kind, mappings, targets, target_forms, value_forms) -> list:
    forms = {target.pk: target_forms(target) for target in targets}
    labels = {target.pk: str(target) for target in targets}
    proposals = []
    for mapping in mappings:
        value = value_forms(mapping.lapor_name)
        found = {pk: level for pk, form in forms.items() if (level := evidence(value, form))}
        target, level, tied = _best(found)
        candidates = sorted(labels[pk] for pk in tied) if target is None else []
        proposals.append(Proposal(kind, mapping, target, level if target else 0, candidates=candidates))
    return proposals


def agency_proposals(mappings, agencies=None) -> list:
    if agencies is None:
        agencies = Agency.objects.filter(is_active=True)
    return _proposals("agency", mappings, agencies, _agency_forms, _value_agency_forms)


def category_proposals(mappings, categories=None) -> list:
    """By name; for a value no category name matches (nor two equally), by the texts."""
    if categories is None:
        categories = Category.objects.filter(is_active=True).select_related("parent")
    categories = list(categories)
    proposals = _proposals("category", mappings, categories, _category_forms, lambda v: Forms((_plain(v),)))
    by_texts = [p for p in proposals if p.target_id is None and not p.candidates]
    if by_texts:
        active = {category.pk for category in categories}
        answers = _text_votes([p.mapping for p in by_texts], active)
        for proposal, (target, votes, read) in zip(by_texts, answers, strict=True):
            if target is not None:
                proposal.target_id, proposal.evidence, proposal.votes = target, TEXTS, (votes, read)
    return proposals


def _text_votes(mappings, active) -> list:
    """For each LAPOR! category: (the category triage's classifier puts first for most of
    the texts of reports imported with it and still without a category, votes, texts
    read), the category None unless more than half agree. At most TEXT_SAMPLE texts each."""

    wanted = {mapping.key for mapping in mappings}
    sample = defaultdict(list)
    rows = (
        LaporRecord.objects.filter(report__category__isnull=True)
        .annotate(lapor_id=KT(f"row_data__{c.CATEGORY_ID}"), lapor_name=KT(f"row_data__{c.CATEGORY}"))
        .values_list("report_id", "lapor_id", "lapor_name")
        .order_by("-report_id")
    )
    for report_id, lapor_id, lapor_name in rows.iterator(chunk_size=2000):
        key = entity_key(lapor_id, lapor_name)
        if key in wanted and len(sample[key]) < TEXT_SAMPLE:
            sample[key].append(report_id)
    reports = Report.objects.only("title", "description").in_bulk([pk for ids in sample.values() for pk in ids])
    answers = []
    for mapping in mappings:
        votes = Counter()
        texts = [reports[pk] for pk in sample.get(mapping.key, []) if pk in reports]
        for report in texts:
            categories, _agencies, _source = suggest(report_text(report))
            first = next((pk for pk, _p in categories if pk in active), None)
            if first is not None:
                votes[first] += 1
        best = votes.most_common(1)
        if best and best[0][1] * 2 > len(texts):
            answers.append((best[0][0], best[0][1], len(texts)))
        else:
            answers.append((None, 0, len(texts)))
    return answers


def unmapped(*, categories=None, agencies=None) -> dict:
    """The page's rows: {"category": [Proposal…], "agency": [Proposal…]}, most rows first;
    ``categories``/``agencies``: the active ones, when the caller has them already."""
    order = ["-seen_count", "lapor_name"]
    return {
        "category": category_proposals(list(CategoryMapping.objects.unmapped().order_by(*order)), categories),
        "agency": agency_proposals(list(AgencyMapping.objects.unmapped().order_by(*order)), agencies),
    }
