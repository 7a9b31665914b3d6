"""Labeled files for training and evaluation: JSONL or CSV rows with ``text``,
``category`` and ``agency`` (free strings), and duplicate pairs with ``text_a``,
``text_b`` and ``label`` (``same`` / ``different``).

The development data in triage/data/ is self-written (examples.txt, pairs.txt, and the
held-out unseen.txt in other styles); ``write_development_files`` turns it into
train.jsonl / test.jsonl (every third example of each category held out), unseen.jsonl
and pairs.jsonl.
"""

import csv
import json
from pathlib import Path

from triage.classifier import Example

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


def _rows(path):
    path = Path(path)
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            if path.suffix.lower() == ".csv":
                return list(csv.DictReader(handle))
            rows = []
            for number, line in enumerate(handle, 1):
                if line.strip():
                    try:
                        rows.append(json.loads(line))
                    except json.JSONDecodeError as error:
                        raise DatasetError(f"{path}:{number}: not JSON ({error.msg})") from None
            return rows
    except OSError as error:
        raise DatasetError(f"{path}: {error.strerror}") from None


def read_examples(path) -> list[Example]:
    examples = []
    for number, row in enumerate(_rows(path), 1):
        if not isinstance(row, dict) or not str(row.get("text") or "").strip() or not row.get("category"):
            raise DatasetError(f"{path}: row {number} needs 'text' and 'category'")
        examples.append(Example(str(row["text"]), str(row["category"]), str(row.get("agency") or "")))
    return examples


def read_pairs(path) -> list[tuple[str, str, bool]]:
    pairs = []
    for number, row in enumerate(_rows(path), 1):
        label = str((row or {}).get("label", "")).strip().lower()
        if label not in ("same", "different") or not row.get("text_a") or not row.get("text_b"):
            raise DatasetError(f"{path}: row {number} needs 'text_a', 'text_b' and label same/different")
        pairs.append((str(row["text_a"]), str(row["text_b"]), label == "same"))
    return pairs


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


def unseen_examples():
    """The second, held-out set (unseen.txt): other writers' styles, never used for tuning."""
    for key, text in _lines("unseen.txt"):
        category, agency = DEMO_LABELS[key]
        yield {"text": text, "category": category, "agency": agency}


def write_development_files():
    splits = {"train": [], "test": [], "all": [], "unseen": list(unseen_examples())}
    for split, row in development_examples():
        splits[split].append(row)
        splits["all"].append(row)
    for name, rows in splits.items():
        with (DATA_DIR / f"{name}.jsonl").open("w", encoding="utf-8") as out:
            out.writelines(json.dumps(row, ensure_ascii=False) + "\n" for row in rows)
    with (DATA_DIR / "pairs.jsonl").open("w", encoding="utf-8") as out:
        for label, a, b in _lines("pairs.txt"):
            out.write(json.dumps({"text_a": a, "text_b": b, "label": label}, ensure_ascii=False) + "\n")
    return {name: len(rows) for name, rows in splits.items()}
