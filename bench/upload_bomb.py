"""What a pixel bomb costs: a 97 KB PNG declaring 10000 × 10000 pixels, refused by
core.uploads from its header (the default), or decoded as it used to be (``--decode``:
the pixel limit lifted, so the photo goes through Pillow's full decode and re-encode).

Usage: .venv/bin/python bench/upload_bomb.py [--decode] [--files 5] [--side 10000]

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

        Image.MAX_IMAGE_PIXELS = None
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


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--decode", action="store_true", help="lift the pixel limit: the old behaviour")
    parser.add_argument("--files", type=int, default=5)
    parser.add_argument("--side", type=int, default=10_000)
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child is not None:
        child(args.child, args.side, args.decode)
        return
    for files in sorted({1, args.files}):
        command = [sys.executable, __file__, "--child", str(files), "--side", str(args.side)]
        subprocess.run(command + (["--decode"] if args.decode else []), check=True, cwd=ROOT)


if __name__ == "__main__":
    main()
