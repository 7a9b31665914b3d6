"""Where the places residents name are, learned from the installation's own reports.

One resident names the street, another the school beside it: the texts share no place
name, and without both pins the duplicate score could not tell that they are one spot.
The installation's earlier reports can: "SDN Sentul 3" was pinned there before, "Jl.
Kenanga" there, and one report named both. ``learn(sides)`` reads, at training time, the
places (triage/places.py) each report names in its words and address, and keeps

- **pins per place** — where reports naming it were pinned (the newest ``PER_PLACE``),
  with their kelurahan: a place's position is the mean of them; an unnamed landmark
  ("depan SD") is only looked up in the report's own kelurahan;
- **links** — two places named in one report (a landmark and the street it is on).

It is stored in the model (``TriageModel.gazetteer``), so scoring a pair reads no
database. ``locate(side, places)`` answers a report's positions (its pin, else where its
places were pinned) and ``linked(a, b)`` whether two reports' places were named together
by another report; each leaves the report's own contribution out (``Side.key``), so a
report never vouches for itself.
"""

import math
from collections import defaultdict
from dataclasses import dataclass, field

from triage import places

# Pins kept per place, and reports that named two places together per link: enough to
# place a landmark, small enough for the model file of a large city.
PER_PLACE = 20
PER_LINK = 5
# Reports read at training time (the newest, with a pin or a kelurahan).
MAX_REPORTS = 20000
# Places looked up per process before the lookup cache starts again.
CACHE_SIZE = 20000
# An unnamed landmark ("depan SD", "the school") places a report only when the pins of
# its kind in the kelurahan are one place: spread wider than this (a kelurahan with two
# schools at its two ends) it could be either, and says nothing. The finder's own "same
# place" radius (ADUAN_TRIAGE_DUPLICATE_DISTANCE_M's default).
ONE_PLACE_M = 300
# Unnamed kinds that stand for several named ones: "the school" is an SD, SMP or SMA.
GENERIC = {"sekolah": ("sekolah", "sd", "smp", "sma")}


def place_key(place) -> tuple:
    return (place.kind, place.words, place.numbers)


def _place(key):
    return places.Place(*key)


@dataclass
class Gazetteer:
    # place key → [(report key, latitude, longitude, region)], newest last
    pins: dict = field(default_factory=dict)
    # frozenset of two place keys → report keys that named both
    links: dict = field(default_factory=dict)
    # kind → keys of that kind (the fuzzy lookup's candidates)
    by_kind: dict = field(default_factory=dict)

    def __post_init__(self):
        self._cache = {}

    def __getstate__(self):
        state = dict(self.__dict__)
        state.pop("_cache", None)
        state.pop("_by_initial", None)
        return state

    def __setstate__(self, state):
        self.__dict__.update(state)
        self._cache = {}

    def __len__(self):
        return sum(len(keys) for keys in self.by_kind.values())

    def keys_for(self, place) -> tuple:
        """The gazetteer's keys naming ``place``: its own, and those ``places.same_name``
        says are the same (Jl. Kenanga / jln kenanga; SD Negeri 2 / SDN 2). An unnamed
        landmark answers the keys of its kind (the caller keeps its kelurahan's pins)."""
        key = place_key(place)
        found = self._cache.get(key)
        if found is None:
            if not place.words and not place.numbers:
                found = tuple(k for kind in GENERIC.get(place.kind, (place.kind,)) for k in self.by_kind.get(kind, ()))
            else:
                # Names that match share a word's first letter (a typo there is rare):
                # a city's thousands of streets are not all compared.
                initials = self._initials()
                candidates = {k for w in place.words for k in initials.get((place.kind, w[:1]), ())}
                candidates |= {k for k in initials.get((place.kind, ""), ())}  # names of numbers only
                found = tuple(k for k in candidates if k == key or places.same_name(place, _place(k)) is True)
            if len(self._cache) > CACHE_SIZE:
                self._cache.clear()
            self._cache[key] = found
        return found

    def _initials(self):
        """(kind, first letter of a name word) → keys: built once per process."""
        initials = self.__dict__.get("_by_initial")
        if initials is None:
            initials = defaultdict(set)
            for kind, keys in self.by_kind.items():
                for key in keys:
                    for word in key[1] or ("",):
                        initials[kind, word[:1]].add(key)
            self._by_initial = initials
        return initials

    def positions(self, side, found) -> list:
        """(latitude, longitude) of the pins of other reports naming ``found`` (a side's
        places): a street is long, and the nearest of its pins is where it passes closest.
        With a kelurahan, only the pins in it (Jl. Kalimantan of another kelurahan is
        another street, or far along this one); without one, only named places."""
        own = getattr(side, "key", None)
        region = side.region
        located = set()
        for place in found:
            if place.kind in ("rt", "rw"):
                continue  # RT 2 is in every kelurahan
            unnamed = not (place.words or place.numbers)
            if region is None and unnamed:
                continue
            here = {
                (pin[1], pin[2])
                for key in self.keys_for(place)
                for pin in self.pins.get(key, ())
                if pin[0] != own and (region is None or pin[3] == region)
            }
            if unnamed and _span_m(here) > ONE_PLACE_M:
                continue  # several of its kind in the kelurahan: which one?
            located |= here
        return sorted(located)

    def linked(self, a_side, a_places, b_side, b_places) -> bool:
        """Whether another report named a place of ``a`` together with a place of ``b``
        (a street and the landmark on it) while the two texts name no place in common."""
        if not self.links:
            return False
        own = {getattr(a_side, "key", None), getattr(b_side, "key", None)} - {None}
        keys_a = {k for p in a_places if p.kind not in ("rt", "rw") for k in self._named_keys(p)}
        keys_b = {k for p in b_places if p.kind not in ("rt", "rw") for k in self._named_keys(p)}
        for ka in keys_a:
            for kb in keys_b:
                if ka != kb and any(r not in own for r in self.links.get(frozenset((ka, kb)), ())):
                    return True
        return False

    def _named_keys(self, place):
        if not place.words and not place.numbers:
            return ()
        return self.keys_for(place)


def _span_m(points) -> float:
    """The diagonal of the points' bounding box in metres (a flat-earth approximation: a
    kelurahan is a few kilometres across)."""
    if len(points) < 2:
        return 0.0
    lats = [p[0] for p in points]
    lons = [p[1] for p in points]
    north_south = (max(lats) - min(lats)) * 111_320
    east_west = (max(lons) - min(lons)) * 111_320 * math.cos(math.radians(sum(lats) / len(lats)))
    return math.hypot(north_south, east_west)


def learn(sides) -> Gazetteer:
    """A gazetteer from ``sides`` (``duplicate_score.Side`` rows, oldest first, each with
    its ``key``): the places each names, where it was pinned, what it names together."""
    pins = defaultdict(list)
    links = defaultdict(list)
    for side in sides:
        found = places.mentions(side.text)
        if side.address:
            found = found | places.mentions(side.address)
        found = [p for p in found if p.kind not in ("rt", "rw")]
        if not found:
            continue
        pinned = side.latitude is not None and side.longitude is not None
        for place in found:
            entry = pins[place_key(place)]
            if pinned:
                entry.append((side.key, float(side.latitude), float(side.longitude), side.region))
                del entry[:-PER_PLACE]
        named = sorted({place_key(p) for p in found if p.words or p.numbers})
        for i, first in enumerate(named):
            for second in named[i + 1 :]:
                if first[0] == second[0]:
                    continue  # two streets in one report: a crossing, not one place
                entry = links[frozenset((first, second))]
                entry.append(side.key)
                del entry[:-PER_LINK]
    by_kind = defaultdict(list)
    for key in pins:
        by_kind[key[0]].append(key)
    return Gazetteer(
        {k: v for k, v in pins.items() if v},
        dict(links),
        {kind: tuple(keys) for kind, keys in by_kind.items()},
    )
