"""One dated archive holding everything a city needs to recover from a lost disk: the
database and the uploaded files (media), with a manifest that says what is inside.

    aduan-backup-20261206-020000.tar.gz
      manifest.json        engine, when, Aduan's row counts per table, files and sizes
      database.sqlite3     SQLite: a consistent copy through SQLite's online backup API
      database.pgdump      PostgreSQL: pg_dump's custom format (pg_restore reads it)
      media/…              every media file: under MEDIA_ROOT, or every object of the bucket
                           (ADUAN_S3_BUCKET, under ADUAN_S3_PREFIX) when media are in one

``create`` writes the archive next to a temporary name and renames it when complete, so a
half-written archive never looks like a backup; ``restore`` puts one back onto an empty
installation (the same Aduan version, i.e. the same migrations) and checks the row counts
against the manifest. Nothing here imports an app: tables are counted through the app
registry.

The media go back where this installation keeps them, whatever the backup's source was: an
archive taken with local files restores into a bucket and the other way round, which is also
how an installation moves its files to object storage (docs/scaling.md).
"""

import contextlib
import datetime as dt
import json
import mimetypes
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.files.storage import default_storage
from django.db import connection
from django.dispatch import Signal
from django.utils import timezone

from core.uploads import is_remote

PREFIX = "aduan-backup-"
SUFFIX = ".tar.gz"
MANIFEST = "manifest.json"
MEDIA = "media"


class BackupError(Exception):
    """A backup or restore that cannot be done; the message says why, for the operator."""


@dataclass
class Result:
    path: Path
    manifest: dict
    notes: list[str] = field(default_factory=list)


# Sent after a restore's rows are checked (arguments: ``manifest``, ``skip_numbers``), for
# an app whose state must move past what the backup holds (reports' tracking-number
# counters); a receiver answers the lines, already translated, the operator is shown.
restored = Signal()


def _own_models():
    """The models of Aduan's own apps (not Django's or libraries'), in a stable order."""
    base = Path(settings.BASE_DIR)
    return sorted(
        (m for m in apps.get_models() if Path(m._meta.app_config.path).parent == base),
        key=lambda m: m._meta.label,
    )


def row_counts() -> dict[str, int]:
    return {model._meta.label: model._base_manager.count() for model in _own_models()}


def _media_root() -> Path:
    return Path(settings.MEDIA_ROOT)


# ---------------------------------------------------------------------------- a bucket


@contextlib.contextmanager
def _bucket_errors(storage):
    """A bucket that cannot be reached or refuses us: said in one line, not a stack trace."""
    from botocore.exceptions import BotoCoreError, ClientError

    try:
        yield
    except (BotoCoreError, ClientError) as exc:
        raise BackupError(f"the media bucket {getattr(storage, 'bucket_name', '')!r} failed: {exc}") from exc


def _bucket_prefix(storage) -> str:
    location = (getattr(storage, "location", "") or "").strip("/")
    return f"{location}/" if location else ""


def _bucket_objects(storage) -> list[tuple[str, int]]:
    """(name inside the storage, size) of every object under the storage's prefix."""
    prefix = _bucket_prefix(storage)
    found = [(item.key[len(prefix) :], item.size) for item in storage.bucket.objects.filter(Prefix=prefix)]
    return sorted((name, size) for name, size in found if name and not name.endswith("/"))


def _archive_bucket(tar, storage, objects) -> None:
    """Each object streamed from the bucket into the archive under media/."""
    prefix = _bucket_prefix(storage)
    for name, _size in objects:
        body = storage.bucket.Object(prefix + name).get()
        info = tarfile.TarInfo(f"{MEDIA}/{name}")
        info.size = body["ContentLength"]
        info.mtime = int(body["LastModified"].timestamp())
        tar.addfile(info, body["Body"])


def _upload_to_bucket(storage, source: Path) -> None:
    """The archive's media files put back as the bucket's objects (replacing any of the same name)."""
    prefix = _bucket_prefix(storage)
    for path in sorted(p for p in source.rglob("*") if p.is_file()):
        name = path.relative_to(source).as_posix()
        content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
        storage.bucket.upload_file(str(path), prefix + name, ExtraArgs={"ContentType": content_type})


# ---------------------------------------------------------------------------- database


def _postgres_straight() -> dict:
    """Where pg_dump and pg_restore connect: PostgreSQL itself, never PgBouncer. They keep
    session state (pg_dump's output empties search_path for the session), which transaction
    pooling would hand on to the site's next queries. Behind PgBouncer ADUAN_DB_DIRECT_URL gives
    the server's own host, port and user; the database's name stays the site's."""
    db = dict(connection.settings_dict)
    if settings.ADUAN_DB_DIRECT:
        db.update({key: settings.ADUAN_DB_DIRECT[key] for key in ("HOST", "PORT", "USER", "PASSWORD")})
    elif settings.ADUAN_DB_POOLER:
        raise BackupError(
            "pg_dump and pg_restore must reach PostgreSQL directly, not through PgBouncer: "
            "set ADUAN_DB_DIRECT_URL (postgres://USER:PASSWORD@HOST:5432/NAME)"
        )
    return db


def _pg_env(db) -> dict:
    env = dict(os.environ)
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = str(db["PASSWORD"])
    return env


def _pg_args(db) -> list[str]:
    args = []
    for flag, key in (("-h", "HOST"), ("-p", "PORT"), ("-U", "USER")):
        if db.get(key):
            args += [flag, str(db[key])]
    return args


def _run(command, db):
    try:
        done = subprocess.run(command, env=_pg_env(db), capture_output=True, text=True, check=False)
    except FileNotFoundError as exc:
        raise BackupError(f"{command[0]} is not installed (Debian: apt-get install postgresql-client)") from exc
    if done.returncode != 0:
        raise BackupError(f"{command[0]} failed: {done.stderr.strip()[-2000:]}")


def _dump_database(folder: Path) -> str:
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        target = folder / "database.sqlite3"
        connection.ensure_connection()
        with sqlite3.connect(target) as copy:
            connection.connection.backup(copy)  # a consistent snapshot while the site runs
        copy.close()
        return target.name
    if connection.vendor == "postgresql":
        target = folder / "database.pgdump"
        db = _postgres_straight()
        _run(["pg_dump", "-Fc", "--no-owner", "--no-privileges", "-f", str(target), *_pg_args(db), db["NAME"]], db)
        return target.name
    raise BackupError(f"database engine {connection.vendor} is not supported")


def _load_database(folder: Path, manifest: dict) -> None:
    db = connection.settings_dict
    name = manifest["database"]
    if manifest["engine"] != connection.vendor:
        raise BackupError(
            f"the backup is of a {manifest['engine']} database, this installation uses {connection.vendor}"
        )
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        with sqlite3.connect(folder / name) as source:
            source.backup(connection.connection)
        source.close()
        return
    connection.close()  # pg_restore --clean drops the tables: hold no lock on them
    db = _postgres_straight()
    _run(
        [
            "pg_restore",
            "--clean",
            "--if-exists",
            "--no-owner",
            "--no-privileges",
            "--single-transaction",
            "-d",
            db["NAME"],
            *_pg_args(db),
            str(folder / name),
        ],
        db,
    )


# ---------------------------------------------------------------------------- archives


def archive_name(at: dt.datetime) -> str:
    return f"{PREFIX}{timezone.localtime(at):%Y%m%d-%H%M%S}{SUFFIX}"


def archives_in(folder: Path) -> list[Path]:
    """The backups in ``folder``, oldest first (their names sort by time)."""
    return sorted(p for p in folder.glob(f"{PREFIX}*{SUFFIX}") if p.is_file())


def create(folder, *, keep: int | None = None, with_media: bool = True) -> Result:
    """Write one archive into ``folder``; with ``keep``, delete all but the newest ``keep``;
    without ``with_media``, the database only (a bucket too large to archive nightly, protected
    by its own versioning and replication: docs/scaling.md).

    1. dump the database into a temporary folder (a consistent snapshot);
    2. count Aduan's rows and list the media files (or the bucket's objects) into the manifest;
    3. write the tar.gz under a temporary name, then rename it into place (the bucket's
       objects streamed into it one by one);
    4. prune older archives.
    """
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    now = timezone.now()
    target = folder / archive_name(now)
    media = _media_root()
    storage = default_storage
    remote = is_remote(storage)
    with tempfile.TemporaryDirectory(prefix="aduan-backup-") as scratch:
        scratch = Path(scratch)
        database = _dump_database(scratch)
        if not with_media:
            files, objects, sizes, remote = [], [], [], False
        elif remote:
            with _bucket_errors(storage):
                files, objects = [], _bucket_objects(storage)
            sizes = [size for _, size in objects]
        else:
            files, objects = sorted(p for p in media.rglob("*") if p.is_file()) if media.exists() else [], []
            sizes = [p.stat().st_size for p in files]
        manifest = {
            "format": 1,
            "created_at": now.isoformat(),
            "engine": connection.vendor,
            "database": database,
            "rows": row_counts(),
            "media_storage": ("bucket" if remote else "files") if with_media else "not included",
            "media_files": len(sizes),
            "media_bytes": sum(sizes),
        }
        (scratch / MANIFEST).write_text(json.dumps(manifest, indent=2, ensure_ascii=False))
        partial = folder / (target.name + ".partial")
        try:
            with tarfile.open(partial, "w:gz") as tar:
                tar.add(scratch / MANIFEST, arcname=MANIFEST)
                tar.add(scratch / database, arcname=database)
                for path in files:
                    tar.add(path, arcname=f"{MEDIA}/{path.relative_to(media).as_posix()}")
                if remote:
                    with _bucket_errors(storage):
                        _archive_bucket(tar, storage, objects)
        except BaseException:
            partial.unlink(missing_ok=True)  # no half archive left beside the good ones
            raise
        partial.rename(target)
    if keep is not None:
        for old in archives_in(folder)[:-keep] if keep > 0 else []:
            old.unlink()
    return Result(target, manifest)


def read_manifest(archive) -> dict:
    try:
        with tarfile.open(archive, "r:gz") as tar:
            member = tar.extractfile(MANIFEST)
            if member is None:
                raise KeyError(MANIFEST)
            return json.loads(member.read())
    except (OSError, tarfile.TarError, KeyError, ValueError) as exc:
        raise BackupError(f"{archive} is not an Aduan backup ({exc})") from exc


def restore(archive, *, force=False, skip_numbers=None) -> Result:
    """Put ``archive`` back onto this installation.

    1. read the manifest; refuse an installation that already holds reports (unless
       ``force``) or another database engine;
    2. load the database (SQLite's backup API; pg_restore --clean);
    3. put the media files back under MEDIA_ROOT, or into the bucket when media are kept in
       one (only the archive's own ``media/`` members, never a path that climbs out of it);
    4. compare Aduan's row counts with the manifest;
    5. let the apps move past the backup (``restored``: the tracking numbers skip
       ``skip_numbers``, or an estimate of those issued since the backup).
    """
    archive = Path(archive)
    manifest = read_manifest(archive)
    if not force:
        held = {label: n for label, n in row_counts().items() if label == "reports.Report" and n}
        if held:
            raise BackupError("this installation already holds reports; restore onto an empty one (or --force)")
    media = _media_root()
    with tempfile.TemporaryDirectory(prefix="aduan-restore-") as scratch:
        scratch = Path(scratch)
        with tarfile.open(archive, "r:gz") as tar:
            tar.extractall(scratch, filter="data")  # refuses absolute paths and ../ escapes
        _load_database(scratch, manifest)
        source = scratch / MEDIA
        if source.exists() and is_remote(default_storage):
            with _bucket_errors(default_storage):
                _upload_to_bucket(default_storage, source)
        elif source.exists():
            media.mkdir(parents=True, exist_ok=True)
            shutil.copytree(source, media, dirs_exist_ok=True)
    found = row_counts()
    missing = {label: (n, found.get(label)) for label, n in manifest["rows"].items() if found.get(label) != n}
    if missing:
        raise BackupError(f"restored, but the row counts differ from the backup's: {missing}")
    answers = restored.send(sender=Result, manifest=manifest, skip_numbers=skip_numbers)
    return Result(archive, manifest, [line for _receiver, lines in answers for line in lines or ()])
