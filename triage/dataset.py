"""Labeled files for training and evaluation: JSONL, a JSON array or CSV (``,``, ``;`` or
tab) rows with ``text``, ``category`` and ``agency`` (free strings, or the other names of
``COLUMNS``; optionally ``id``, and the place: ``region``
or ``kelurahan``, ``lat``, ``lon``, ``address``), and duplicate pairs either with
``text_a``, ``text_b`` and ``label`` (``same`` / ``different``) or with ``a``, ``b``
(ids of rows of the labeled files) and ``same_problem`` (true / false).

The development data in triage/data/ is self-written (examples.txt, pairs.txt, and the
duplicates set in other styles, ragam.txt, and the held-out unseen.txt for categories in
other styles); ``write_development_files`` turns it into train.jsonl / test.jsonl (every
third example of each category held out), unseen.jsonl, pairs.jsonl, and ragam.jsonl with
ragam_pairs.jsonl.
"""

import csv
import itertools
import json
import math
from pathlib import Path

from triage.classifier import Example
from triage.duplicate_score import Side

DATA_DIR = Path(__file__).resolve().parent / "data"

# Category key in examples.txt → (category name, lead agency) of the demo city's tree.
DEMO_LABELS = {
    "jalan": ("Jalan berlubang", "DPUPR"),
    "penerangan": ("Penerangan jalan", "DPUPR"),
    "drainase": ("Drainase dan saluran air", "DPUPR"),
    "trotoar": ("Trotoar", "DPUPR"),
    "taman": ("Taman kota", "Perkim"),
    "tpu": ("Tempat pemakaman umum (TPU)", "Perkim"),
    "pasar": ("Pasar", "Disperdagin"),
    "pju": ("Lampu penerangan jalan umum (PJU)", "Dishub"),
    "parkir": ("Parkir liar", "Dishub"),
    "lalin": ("Rambu dan lampu lalu lintas", "Dishub"),
    "sampah_liar": ("Sampah liar", "Satpol PP"),
    "ketertiban": ("Ketertiban umum", "Satpol PP"),
    "kebakaran": ("Pemadaman kebakaran", "Damkar"),
    "reklame": ("Reklame dan baliho liar", "Satpol PP"),
    "banjir": ("Banjir dan genangan", "DPUPR"),
    "sampah": ("Pengelolaan sampah", "DLH"),
    "sanitasi": ("Sanitasi", "DLH"),
    "pohon": ("Pohon tumbang dan perantingan pohon besar", "DLH"),
    "wifi": ("Jaringan internet dan wifi publik", "Diskominfotik"),
    "tiang": ("Tiang jaringan internet", "Diskominfotik"),
    "pdam": ("Layanan air minum (PDAM)", "PDAM"),
    "ktp": ("KTP elektronik", "Dispendukcapil"),
    "kk": ("Kartu keluarga dan akta", "Dispendukcapil"),
    "puskesmas": ("Pelayanan puskesmas", "Dinkes"),
    "rsud": ("Pelayanan rumah sakit", "RSUD Mardi Waluyo"),
    "dbd": ("Demam berdarah dan fogging", "Dinkes"),
    "spmb": ("Penerimaan murid baru (SPMB)", "Dindik"),
    "sekolah": ("Sarana dan prasarana sekolah", "Dindik"),
    "bansos": ("Bantuan sosial", "Dinsos"),
    "pmks": ("Orang terlantar dan ODGJ", "Dinsos"),
    "informasi": ("Permohonan informasi publik", "Diskominfotik"),
}


class DatasetError(ValueError):
    pass


# A spreadsheet saved as CSV in an Indonesian locale separates with ";": the header line
# says which separator the file uses.
CSV_DELIMITERS = ",;\t"


def _rows(path):
    """The file's rows as dicts: CSV (any of ``CSV_DELIMITERS``), JSON Lines, or one JSON
    array of objects."""
    path = Path(path)
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            if path.suffix.lower() == ".csv":
                header = handle.readline()
                handle.seek(0)
                return list(csv.DictReader(handle, delimiter=max(CSV_DELIMITERS, key=header.count)))
            content = handle.read()
    except OSError as error:
        raise DatasetError(f"{path}: {error.strerror}") from None
    except UnicodeDecodeError:
        raise DatasetError(f"{path}: not UTF-8 text") from None
    if content.lstrip().startswith("["):
        try:
            rows = json.loads(content)
        except json.JSONDecodeError as error:
            raise DatasetError(f"{path}:{error.lineno}: not JSON ({error.msg})") from None
        return rows
    rows = []
    for number, line in enumerate(content.splitlines(), 1):
        if line.strip():
            try:
                rows.append(json.loads(line))
            except json.JSONDecodeError as error:
                raise DatasetError(f"{path}:{number}: not JSON ({error.msg})") from None
    return rows


# The columns a labeled file names its fields with, the documented name first: files
# exported from other tools say "kategori", "instansi", "isi laporan"…
COLUMNS = {
    "text": ("text", "teks", "isi", "isi laporan", "isi_laporan", "laporan", "description", "deskripsi"),
    "category": ("category", "kategori", "label"),
    "agency": ("agency", "instansi", "opd", "dinas", "skpd"),
}


def field(row: dict, name: str) -> str:
    """The row's ``name`` (``COLUMNS``: the first of its column names the row fills), its
    spaces tidied ("Jalan  Rusak " and "Jalan Rusak" are one label); "" when none."""
    keys = {str(key).strip().lower(): value for key, value in row.items() if key is not None}
    for column in COLUMNS[name]:
        value = keys.get(column)
        if value is not None and str(value).strip():
            return str(value) if name == "text" else " ".join(str(value).split())
    return ""


def read_examples(path) -> list[Example]:
    examples = []
    for number, row in enumerate(_rows(path), 1):
        if not isinstance(row, dict) or not field(row, "text").strip() or not field(row, "category"):
            raise DatasetError(f"{path}: row {number} needs 'text' and 'category'")
        examples.append(Example(field(row, "text"), field(row, "category"), field(row, "agency")))
    return examples


_TRUE = {"true", "1", "yes", "ya", "same", "sama"}
_FALSE = {"false", "0", "no", "tidak", "different", "beda"}


def _number(value, path, number, name):
    if value in (None, ""):
        return None
    if isinstance(value, str) and "," in value and "." not in value:
        value = value.replace(",", ".")  # a decimal comma, as an Indonesian spreadsheet writes it
    try:
        found = float(value)
    except (TypeError, ValueError):
        raise DatasetError(f"{path}: baris {number}: '{name}' bukan angka ({value!r})") from None
    if not math.isfinite(found):
        raise DatasetError(f"{path}: baris {number}: '{name}' bukan angka ({value!r})")
    return found


def read_sides(path) -> dict:
    """{id: Side} for the rows of a labeled file that have an ``id`` (their place too)."""
    sides = {}
    for number, row in enumerate(_rows(path), 1):
        if not isinstance(row, dict) or row.get("id") in (None, ""):
            continue
        key = str(row["id"]).strip()
        if key in sides:
            raise DatasetError(f"{path}: baris {number}: id {key!r} dipakai dua kali")
        region = row.get("region") or row.get("kelurahan") or None
        sides[key] = Side(
            field(row, "text"),
            region=str(region).strip().lower() if region else None,
            latitude=_number(row.get("lat"), path, number, "lat"),
            longitude=_number(row.get("lon"), path, number, "lon"),
            address=str(row.get("address") or ""),
            key=key,
        )
    return sides


def read_pairs(path, sides=None) -> list[tuple]:
    """(a, b, same) per pair: texts for text_a/text_b rows, ``Side`` for a/b rows (looked
    up in ``sides``, from ``read_sides`` of the labeled files). Errors in Indonesian: the
    command prints them as they are."""
    pairs = []
    for number, row in enumerate(_rows(path), 1):
        if not isinstance(row, dict):
            raise DatasetError(f"{path}: baris {number} bukan objek JSON")
        if "a" in row or "b" in row or "same_problem" in row:
            pairs.append(_pair_by_id(row, path, number, sides or {}))
            continue
        label = str(row.get("label", "")).strip().lower()
        if label not in ("same", "different") or not row.get("text_a") or not row.get("text_b"):
            raise DatasetError(
                f"{path}: baris {number} perlu 'text_a', 'text_b' dan label same/different, "
                "atau 'a', 'b' (id baris berkas berlabel) dan same_problem"
            )
        pairs.append((str(row["text_a"]), str(row["text_b"]), label == "same"))
    return pairs


def _pair_by_id(row, path, number, sides):
    raw = row.get("same_problem")
    same = raw if isinstance(raw, bool) else str(raw).strip().lower()
    if same not in (True, False) and same not in _TRUE | _FALSE:
        raise DatasetError(f"{path}: baris {number}: same_problem harus true atau false, bukan {raw!r}")
    found = []
    for name in ("a", "b"):
        key = str(row.get(name) if row.get(name) is not None else "").strip()
        if not key:
            raise DatasetError(f"{path}: baris {number} perlu 'a' dan 'b' (id baris berkas berlabel)")
        if key not in sides:
            raise DatasetError(
                f"{path}: baris {number}: id {key!r} tidak ada di berkas berlabel (--test/--train perlu kolom 'id')"
            )
        found.append(sides[key])
    return found[0], found[1], same is True or same in _TRUE


def _lines(name):
    for line in (DATA_DIR / name).read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            yield [part.strip() for part in line.split("|")]


def development_examples():
    """(split, row) for every self-written example: every third one of a category is 'test'."""
    seen = {}
    for key, text in _lines("examples.txt"):
        category, agency = DEMO_LABELS[key]
        index = seen[key] = seen.get(key, -1) + 1
        yield ("test" if index % 3 == 2 else "train"), {"text": text, "category": category, "agency": agency}


def unseen_examples(name="unseen.txt"):
    """The second, held-out set (unseen.txt): other writers' styles, never used for tuning;
    or, with ``name="validasi.txt"``, the validation set that weights are chosen on."""
    for key, text in _lines(name):
        category, agency = DEMO_LABELS[key]
        yield {"text": text, "category": category, "agency": agency}


def write_development_files():
    splits = {
        "train": [],
        "test": [],
        "all": [],
        "unseen": list(unseen_examples()),
        "validasi": list(unseen_examples("validasi.txt")),
        "validasi2": list(unseen_examples("validasi2.txt")),
    }
    for split, row in development_examples():
        splits[split].append(row)
        splits["all"].append(row)
    for name, rows in splits.items():
        with (DATA_DIR / f"{name}.jsonl").open("w", encoding="utf-8") as out:
            out.writelines(json.dumps(row, ensure_ascii=False) + "\n" for row in rows)
    with (DATA_DIR / "pairs.jsonl").open("w", encoding="utf-8") as out:
        for label, a, b in _lines("pairs.txt"):
            out.write(json.dumps({"text_a": a, "text_b": b, "label": label}, ensure_ascii=False) + "\n")
    counts = {name: len(rows) for name, rows in splits.items()}
    for name in ("ragam", "validasi_dup", "validasi2_dup"):
        rows, pairs = ragam_reports(f"{name}.txt"), ragam_pairs(f"{name}.txt")
        _write_jsonl(DATA_DIR / f"{name}.jsonl", rows)
        _write_jsonl(DATA_DIR / f"{name}_pairs.jsonl", pairs)
        counts.update({name: len(rows), f"{name}_pairs": len(pairs)})
    return counts


def _write_jsonl(path, rows):
    with path.open("w", encoding="utf-8") as out:
        out.writelines(json.dumps(row, ensure_ascii=False) + "\n" for row in rows)


def ragam_reports(name="ragam.txt"):
    """The reports of ragam.txt (or of validasi_dup.txt, in its format): one row per
    report, with its id (incident + role), the demo city's category and agency, its
    kelurahan, pin and address when it has them."""
    rows, incident, kelurahan = [], None, None
    for line in (DATA_DIR / name).read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        if line.startswith("@"):
            incident, kelurahan = line[1:].split()
            continue
        role, pin, key, address, text = (part.strip() for part in line.split("|", 4))
        role, _, own_kelurahan = role.partition("@")
        category, agency = DEMO_LABELS[key]
        row = {"id": f"{incident}{role}", "text": text, "category": category, "agency": agency}
        place = own_kelurahan or kelurahan
        if place != "-":
            row["kelurahan"] = place
        if pin != "-":
            row["lat"], row["lon"] = (float(v) for v in pin.split())
        if address != "-":
            row["address"] = address
        rows.append(row)
    return rows


def ragam_pairs(name="ragam.txt"):
    """Within an incident, each two of a/b/c are the same problem; each of a/b/c against
    x (same kind, other place) and y (other problem, same place) is not."""
    by_incident = {}
    for row in ragam_reports(name):
        by_incident.setdefault(row["id"][:-1], []).append(row["id"])
    pairs = []
    for ids in by_incident.values():
        told = [i for i in ids if i[-1] in "abc"]
        decoys = [i for i in ids if i[-1] in "xy"]
        pairs += [{"a": a, "b": b, "same_problem": True} for a, b in itertools.combinations(told, 2)]
        pairs += [{"a": a, "b": d, "same_problem": False} for a in told for d in decoys]
    return pairs
