"""Text as residents write it, brought to one spelling before the classifier, the
duplicate finder and the urgency rules read it.

Lower case, links and repeated letters removed ("tolonggg" → "tolong"), and each word
looked up in ``WORDS``: chat abbreviations (``yg``, ``tdk``, ``udh``, ``gmn``), slang and
common Javanese words mapped to standard Indonesian. The dictionary is plain code on
purpose: a developer extends it by adding a line, and the next ``train_triage`` uses it.
"""

import re
import unicodedata

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
WORDS = dict(pair.split(" ", 1) for pair in _WORD_TEXT.replace("\n", "|").split("|") if pair.strip())

_URL = re.compile(r"https?://\S+|www\.\S+")
_REPEAT = re.compile(r"([a-z])\1{2,}")
_TOKEN = re.compile(r"[a-z0-9]+")


def normalize(text: str) -> str:
    """One spelling: lower case, no accents, slang and Javanese words replaced."""
    text = unicodedata.normalize("NFKD", text or "").encode("ascii", "ignore").decode("ascii").lower()
    text = _URL.sub(" ", text)
    text = _REPEAT.sub(r"\1", text)
    return " ".join(WORDS.get(token, token) for token in _TOKEN.findall(text))
