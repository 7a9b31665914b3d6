"""Checking uploads by their content, not their name.

Photos are re-encoded (JPEG, at most 2560 px, no EXIF — so no location leaks); PDFs are
kept as they are after their header and trailer are checked. Anything else is refused.
"""

import io
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

MAX_SIDE = 2560
Image.MAX_IMAGE_PIXELS = 60_000_000  # refuse decompression bombs


@dataclass
class CleanUpload:
    name: str
    content: bytes
    content_type: str


def clean_upload(uploaded) -> CleanUpload:
    """A Django UploadedFile → CleanUpload, or ValidationError with a message for the user."""
    name = (uploaded.name or "lampiran").rsplit("/", 1)[-1]
    if uploaded.size > settings.ADUAN_MAX_UPLOAD_BYTES:
        raise ValidationError(
            _("Berkas %(name)s terlalu besar (maksimal %(mb)d MB).")
            % {"name": name, "mb": settings.ADUAN_MAX_UPLOAD_BYTES // (1024 * 1024)}
        )
    data = b"".join(uploaded.chunks())
    return clean_bytes(name, data)


def clean_bytes(name: str, data: bytes) -> CleanUpload:
    if len(data) > settings.ADUAN_MAX_UPLOAD_BYTES:
        raise ValidationError(_("Berkas %(name)s terlalu besar.") % {"name": name})
    if data[:5] == b"%PDF-":
        if b"%%EOF" not in data[-1024:]:
            raise ValidationError(_("Berkas PDF %(name)s rusak atau tidak lengkap.") % {"name": name})
        stem = name.rsplit(".", 1)[0] or "dokumen"
        return CleanUpload(f"{stem}.pdf", data, "application/pdf")
    try:
        with Image.open(io.BytesIO(data)) as probe:
            probe.verify()
        with Image.open(io.BytesIO(data)) as image:
            image = ImageOps.exif_transpose(image)
            image = image.convert("RGB")
            image.thumbnail((MAX_SIDE, MAX_SIDE))
            out = io.BytesIO()
            image.save(out, "JPEG", quality=85, optimize=True)  # no exif= : metadata is dropped
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise ValidationError(_("Berkas %(name)s bukan foto atau PDF yang dapat dibaca.") % {"name": name}) from None
    stem = name.rsplit(".", 1)[0] or "foto"
    return CleanUpload(f"{stem}.jpg", out.getvalue(), "image/jpeg")
