"""Reports about danger to people or homes, flagged on intake and put at the top of the
coordinator's inbox. Phrase rules over the normalized text (slang and Javanese already
mapped: "omah kobong" reads "rumah terbakar"); each rule names its reason."""

import re

from django.utils.translation import gettext_lazy as _

from triage.normalize import normalize

W = r"(?:\w+ ){0,%d}"  # up to N words in between


def _near(a, b, gap=6, *, ordered=False):
    """``a`` and ``b`` within ``gap`` words of each other (``a`` first when ``ordered``)."""
    forward = rf"\b(?:{a})\w* {W % gap}(?:{b})"
    return forward if ordered else rf"(?:{forward}|\b(?:{b})\w* {W % gap}(?:{a}))"


FIRE_PLACES = "rumah|gudang|warung|toko|pabrik|lahan|kabel"
FLOOD_HOMES = "masuk rumah|masuk ke rumah|rumah warga|permukiman|merendam|setinggi|selutut|sepinggang|sepaha"
CABLE_DANGER = "putus|terkelupas|mengelupas|terbuka|menjuntai|nyetrum|setrum|tersengat|percikan|korslet|konslet"
TREE_DOWN = "tumbang|roboh|patah|miring|menimpa|nimpa|jatuh|condong"
STRUCTURES = "jembatan|jalan|tanah|tebing|plafon|atap|dinding|baliho|billboard|reklame"
COLLAPSING = "ambrol|longsor|runtuh|roboh|ambruk|amblas|ambles|hampir jatuh|jebol"

RULES = [
    (
        "fire",
        _("Kebakaran"),
        r"\bkebakaran|\bterbakar|\bapi (?:besar|merambat|menjalar)|\bmeledak|" + _near("api|asap", FIRE_PLACES),
    ),
    ("fallen_tree", _("Pohon tumbang atau hampir roboh"), _near("pohon|dahan|ranting|bambu", TREE_DOWN)),
    (
        "flood_home",
        _("Banjir masuk rumah"),
        _near("banjir|air", FLOOD_HOMES) + r"|\bkebanjiran|\btanggul \w* ?jebol|\bevakuasi",
    ),
    (
        "live_cable",
        _("Kabel listrik terbuka atau putus"),
        _near("kabel listrik|kabel pln|listrik|kabel", CABLE_DANGER)
        + r"|\btiang listrik \w* ?(?:roboh|tumbang|miring)",
    ),
    (
        "collapse",
        _("Bangunan, jalan atau jembatan runtuh"),
        _near(STRUCTURES, COLLAPSING, 3, ordered=True) + r"|\bjembatan \w* ?putus|\blongsor",
    ),
    ("gas", _("Kebocoran gas"), r"\bgas \w* ?bocor|\bbocor gas|\bbau gas"),
]
_COMPILED = [(code, label, re.compile(pattern)) for code, label, pattern in RULES]
LABELS = {code: label for code, label, _pattern in RULES}


def urgency_reasons(text: str) -> list[str]:
    """The codes of the danger rules ``text`` matches, in rule order ([] when none)."""
    normalized = normalize(text)
    return [code for code, _label, pattern in _COMPILED if pattern.search(normalized)]
