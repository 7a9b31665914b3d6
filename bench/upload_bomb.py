"""What a pixel bomb costs: a 97 KB PNG declaring 10000 × 10000 pixels, refused by
core.uploads from its header (the default), or decoded as it used to be (``--decode``:
the pixel limit lifted, so the photo goes through Pillow's full decode and re-encode).
With ``--xlsx``: what a zip bomb costs the LAPOR! upload request — an export of ~400 KB
whose sheet inflates to 400 MB, refused by lapor.reader.check_export before openpyxl.

Usage: .venv/bin/python bench/upload_bomb.py [--decode] [--files 5] [--side 10000]
       .venv/bin/python bench/upload_bomb.py --xlsx [--inflated-mb 400]

Each run happens in a fresh child process, so its peak memory (ru_maxrss) is its own;
the numbers printed are the wall time and the growth of the peak resident memory over the
process's size before the upload, for one file and for a form's worth (``--files``).
"""

import argparse
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def child(files, side, decode):
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "aduan.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.core.exceptions import ValidationError

    from core.uploads import clean_bytes
    from tests.factory import png_bomb

    if decode:
        settings.ADUAN_MAX_IMAGE_PIXELS = side * side
        from PIL import Image

        Image.ADUAN_MAX_IMAGE_PIXELS = None
    bomb = png_bomb(side, side)
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    start = time.perf_counter()
    outcome = "accepted"
    for n in range(files):
        try:
            clean_bytes(f"bom-{n}.png", bomb)
        except ValidationError as error:
            outcome = f"refused: {error.messages[0]}"
    elapsed = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(
        f"{files} file(s) of {len(bomb) / 1024:.0f} KB, {side} × {side} px: "
        f"{elapsed * 1000:.1f} ms, peak memory +{(peak - before) / 1024:.1f} MB — {outcome}"
    )


def xlsx_child(inflated_mb):
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "aduan.settings")
    import tempfile
    import zipfile

    import django

    django.setup()
    from lapor import sample
    from lapor.reader import LaporFileError, check_export

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "bom.xlsx"
        sample.write_xlsx(path, [sample.row(1)])
        block = b"<r/>" * (1 << 18)  # 1 MB
        with (
            zipfile.ZipFile(path, "a", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as archive,
            archive.open("xl/media/padding.xml", "w", force_zip64=True) as member,
        ):
            for _ in range(inflated_mb):
                member.write(block)
        before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        start = time.perf_counter()
        try:
            check_export(path)
            outcome = "accepted"
        except LaporFileError as error:
            outcome = f"refused: {error.message}"
        elapsed = time.perf_counter() - start
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        print(
            f"XLSX of {path.stat().st_size / 1024:.0f} KB inflating to {inflated_mb} MB: "
            f"{elapsed * 1000:.1f} ms, peak memory +{(peak - before) / 1024:.1f} MB — {outcome}"
        )


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--decode", action="store_true", help="lift the pixel limit: the old behaviour")
    parser.add_argument("--files", type=int, default=5)
    parser.add_argument("--side", type=int, default=10_000)
    parser.add_argument("--xlsx", action="store_true", help="a zip bomb for the LAPOR! import instead")
    parser.add_argument("--inflated-mb", type=int, default=400)
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.xlsx:
        xlsx_child(args.inflated_mb)
        return
    if args.child is not None:
        child(args.child, args.side, args.decode)
        return
    for files in sorted({1, args.files}):
        command = [sys.executable, __file__, "--child", str(files), "--side", str(args.side)]
        subprocess.run(command + (["--decode"] if args.decode else []), check=True, cwd=ROOT)


if __name__ == "__main__":
    main()
