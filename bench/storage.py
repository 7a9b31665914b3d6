"""What serving a stored file costs the app server, local files against a bucket
(issue 21, object storage), and how fast backup copies a bucket.

Usage: .venv/bin/python bench/storage.py [--size-kb 1024] [--requests 200] [--objects 200]

In one process, no database: moto's S3 server (requirements-dev.txt) on a free local port
stands in for the bucket. For each storage it times ``core.uploads.serve_stored`` for one
photo as the view calls it after its access check, and the response's body consumed as
gunicorn would send it (local: the file's bytes; bucket: a 302 with a signed URL, the bytes
then go from the bucket to the browser). Then it times the download of the signed URL from
moto (a stand-in: a real service's speed is its own) and ``backup``'s copy of ``--objects``
objects into a tar.gz (core/backup.py's ``_archive_bucket``). Prints milliseconds per
request and the ratio; the machine is shared, so run it twice and compare ratios.
"""

import argparse
import io
import os
import statistics
import sys
import tarfile
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def timed(function, repeat):
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples), sorted(samples)[int(len(samples) * 0.99) - 1]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size-kb", type=int, default=1024, help="the photo's size (default 1024 KB)")
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--objects", type=int, default=200, help="objects in the backed-up bucket")
    args = parser.parse_args()

    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "aduan.settings")
    scratch = tempfile.mkdtemp(prefix="aduan-bench-storage-")
    os.environ["MEDIA_ROOT"] = scratch
    import django

    django.setup()
    import logging

    import httpx

    logging.getLogger("httpx").setLevel(logging.WARNING)
    from django.conf import settings
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage
    from django.test.utils import override_settings

    from core import backup, uploads
    from tests import s3

    body = os.urandom(args.size_kb * 1024)
    rows = {}

    def serve_once():
        response = uploads.serve_stored(default_storage, name, name="foto.jpg", content_type="image/jpeg")
        sent = b"".join(response) if response.status_code == 200 else response["Location"].encode()
        if hasattr(response, "close"):
            response.close()
        return sent

    name = default_storage.save("bench/foto.jpg", ContentFile(body))
    rows["local file"] = timed(serve_once, args.requests)

    server, url = s3.start_server()
    client = s3.client(url)
    client.create_bucket(Bucket="aduan-bench")
    values = s3.bucket_settings("aduan-bench", url)
    with override_settings(STORAGES={**settings.STORAGES, "default": values.pop("default")}, **values):
        name = default_storage.save("bench/foto.jpg", ContentFile(body))
        rows["bucket (302 + signed URL)"] = timed(serve_once, args.requests)
        location = serve_once().decode()
        rows["  then the download from moto"] = timed(lambda: httpx.get(location).content, max(10, args.requests // 10))
        for n in range(args.objects):
            client.put_object(Bucket="aduan-bench", Key=f"reports/b/{n}.jpg", Body=body[: 100 * 1024])
        objects = backup._bucket_objects(default_storage)
        start = time.perf_counter()
        with tarfile.open(fileobj=io.BytesIO(), mode="w:gz") as tar:
            backup._archive_bucket(tar, default_storage, objects)
        copy_seconds = time.perf_counter() - start
    server.stop()

    print(f"load: {os.getloadavg()[0]:.2f} {os.getloadavg()[1]:.2f} {os.getloadavg()[2]:.2f} (1, 5, 15 min)")
    print(f"one {args.size_kb} KB photo, {args.requests} requests, in process:")
    local = rows["local file"][0]
    for label, (p50, p99) in rows.items():
        print(f"  {label:32} p50 {p50:7.2f} ms   p99 {p99:7.2f} ms   {p50 / local:5.2f}× local")
    megabytes = sum(size for _, size in objects) / 1e6
    print(
        f"backup of the bucket: {len(objects)} objects, {megabytes:.1f} MB in {copy_seconds:.2f} s "
        f"({len(objects) / copy_seconds:.0f} objects/s, {megabytes / copy_seconds:.1f} MB/s, gzip included)"
    )


if __name__ == "__main__":
    main()
