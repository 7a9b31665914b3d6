"""A PDF as a person reads it: each page as a PNG (poppler's pdftoppm) in
tests/screenshots/recap-pdf/ (ignored by git) to look at, and its text layer (pdftotext).
bin/setup --dev installs poppler-utils."""

import re
import shutil
import subprocess
from pathlib import Path

ARTEFACTS = Path(__file__).resolve().parent / "screenshots" / "recap-pdf"


def pages_of(pdf: bytes, name: str) -> tuple[list[str], list[Path]]:
    """The text of each page (as laid out) and the PNG of each page (written to ARTEFACTS)."""
    for tool in ("pdftotext", "pdftoppm"):
        assert shutil.which(tool), f"{tool} is missing: apt-get install poppler-utils (bin/setup --dev does)"
    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    for old in ARTEFACTS.glob(f"{name}-*.png"):
        old.unlink()
    source = ARTEFACTS / f"{name}.pdf"
    source.write_bytes(pdf)
    subprocess.run(["pdftoppm", "-r", "90", "-png", str(source), str(ARTEFACTS / name)], check=True, timeout=60)
    pages = _text(source, "-layout").split("\f")
    if pages and not pages[-1].strip():
        pages.pop()
    return pages, sorted(ARTEFACTS.glob(f"{name}-*.png"))


def flat_text(name: str) -> str:
    """The PDF's words in the order they were written, on one line: a table cell's wrapped
    lines come out one after the other."""
    return re.sub(r"\s+", " ", _text(ARTEFACTS / f"{name}.pdf", "-raw"))


def _text(source: Path, mode: str) -> str:
    done = subprocess.run(["pdftotext", mode, str(source), "-"], check=True, capture_output=True, timeout=60)
    return done.stdout.decode()
