"""Small builders with defaults, in the manner of djangoproject.com's checklists factory.

Reports are always made through reports.actions, so their events and deadlines are real.
The builders of a report's state queue no message (notify.muted()): a test's own actions
do, in the event's transaction, so its outbox holds only what it did itself.
"""

import datetime as dt
import io
import itertools

from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.text import slugify
from PIL import Image

from agencies.models import Agency, Appointment, Region, Role
from governments.models import Government
from notify.muting import muted
from reports import actions
from reports.access import Reporter
from reports.models import Category, Channel, Kind

_seq = itertools.count(1)


def make_region(name=None, parent=None, government=None):
    """A kecamatan, or with ``parent`` one of its kelurahan (in the kecamatan's government)."""
    if parent is None:
        extra = {"government": government} if government else {}
        return Region.objects.create(name=name or f"Kecamatan {next(_seq)}", level=Region.Level.KECAMATAN, **extra)
    return Region.objects.create(
        name=name or f"Kelurahan {next(_seq)}",
        level=Region.Level.KELURAHAN,
        parent=parent,
        government=government or parent.government,
    )


def make_agency(name=None, **overrides):
    name = name or f"Dinas {next(_seq)}"
    return Agency.objects.create(name=name, short_name=overrides.pop("short_name", name[:50]), **overrides)


def make_category(name=None, parent=None, **overrides):
    if parent is None:
        government = overrides.get("government")
        parent = Category.objects.create(
            name=f"Induk {next(_seq)}", **({"government": government} if government else {})
        )
    return Category.objects.create(name=name or f"Kategori {next(_seq)}", parent=parent, **overrides)


def make_government(name, *, prefix, kind=Government.Kind.CITY, parent=None):
    """A second (third…) government of the installation, with its complaint unit."""
    government = Government.objects.create(
        name=name, slug=slugify(name), kind=kind, parent=parent, tracking_prefix=prefix
    )
    unit = Agency.objects.create(
        government=government, name=f"Unit Pengaduan {name}", short_name=f"UP {prefix}", is_complaint_unit=True
    )
    return government, unit


def make_user(username=None, password="rahasia-demo-123", **overrides):
    username = username or f"user{next(_seq)}"
    return get_user_model().objects.create_user(username=username, password=password, **overrides)


# A default appointment covers every moment a test may travel to (the suite also runs with
# the whole clock moved a year ahead, see conftest.py), so a persona made in setUpTestData
# on the real clock still holds office at the frozen time of any test.
APPOINTED_FROM = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)
APPOINTED_UNTIL = dt.datetime(2100, 1, 1, tzinfo=dt.UTC)


def appoint(user, agency, role, *, valid_from=None, valid_until=None, decree_number="188/1/410.010/2026"):
    valid_from = valid_from or APPOINTED_FROM
    return Appointment.objects.create(
        person=user,
        agency=agency,
        role=role,
        decree_number=decree_number,
        decree_date=timezone.localdate(valid_from),
        valid_from=valid_from,
        valid_until=valid_until if valid_until is not None else APPOINTED_UNTIL,
    )


def make_staff(role, agency, username=None):
    user = make_user(username)
    appoint(user, agency, role)
    return user


def jpeg_bytes(size=(64, 48), color=(200, 30, 30), exif=None):
    out = io.BytesIO()
    image = Image.new("RGB", size, color)
    if exif is not None:
        image.save(out, "JPEG", exif=exif)
    else:
        image.save(out, "JPEG")
    return out.getvalue()


def heic_bytes(size=(64, 48), color=(20, 140, 60), gps=True):
    """A real HEIC photo (encoded by pillow-heif, as an iPhone would send it) whose EXIF
    carries a camera model and, with ``gps``, a location."""
    import pillow_heif

    pillow_heif.register_heif_opener()
    image = Image.new("RGB", size, color)
    exif = image.getexif()
    exif[0x0110] = "iPhone Rahasia"  # camera model
    if gps:
        exif[0x8825] = {1: "S", 2: (8.0, 5.0, 54.0), 3: "E", 4: (112.0, 10.0, 5.0)}  # GPS IFD
    out = io.BytesIO()
    image.save(out, "HEIF", exif=exif.tobytes(), quality=80)
    return out.getvalue()


def png_bomb(width=10_000, height=10_000):
    """A valid greyscale PNG of ``width`` × ``height`` black pixels in a few kilobytes to
    ~100 KB (10000 × 10000: 97 KB): written row by row, so making it costs no memory."""
    import struct
    import zlib

    def chunk(kind, body):
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    compressor = zlib.compressobj(9)
    row = b"\0" * (width + 1)  # filter byte 0, then one byte per pixel
    idat = b"".join(compressor.compress(row) for _ in range(height)) + compressor.flush()
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)  # 8-bit greyscale
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")


PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def make_report(**overrides):
    values = {
        "kind": Kind.COMPLAINT,
        "description": "Lampu penerangan jalan di depan pasar mati sejak seminggu.",
        "channel": Channel.WEB,
        "reporter_name": "Siti Aminah",
        "reporter_phone": "081234567890",
        "reporter_email": "siti@example.org",
    }
    values.update(overrides)
    with muted():
        return actions.submit_report(**values)


def reporter_of(report):
    return Reporter(report.pk)


def make_verified(coordinator, **overrides):
    report = make_report(**overrides)
    with muted():
        return actions.verify_report(report, actor=coordinator)


def make_disposed(coordinator, agency, *, supporting=(), **overrides):
    report = make_verified(coordinator, **overrides)
    with muted():
        return actions.dispose_report(report, actor=coordinator, lead_agency=agency, supporting_agencies=supporting)


def make_resolved(coordinator, agency, liaison, **overrides):
    report = make_disposed(coordinator, agency, **overrides)
    disposition = report.dispositions.get(agency=agency)
    with muted():
        actions.finish_disposition(disposition, actor=liaison, message="Lampu sudah diganti.")
    report.refresh_from_db()
    return report


__all__ = ["Role"]
