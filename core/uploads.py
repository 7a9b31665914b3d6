"""Checking uploads by their content, not their name.

Photos (JPEG, PNG, WebP, GIF, BMP, and HEIC/HEIF from phones) are re-encoded (JPEG, at
most 2560 px, no EXIF — so no location leaks); PDFs are kept as they are after their header
and trailer are checked and nothing in them acts on its own. Anything else is refused.

A photo's size is judged from its header before a single pixel is decoded: a 97 KB PNG
can declare 10000 × 10000 pixels and take seconds and most of a gigabyte to decode, so
anything that would decode to more than ``ADUAN_MAX_IMAGE_PIXELS`` is refused at once.
JPEGs are decoded at a reduced scale when they are larger than we keep (``draft``), and the
limit applies to what is decoded.
"""

import io
import re
import warnings
import zlib
from dataclasses import dataclass

import pillow_heif
from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponseRedirect
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

# HEIC/HEIF, the default of iPhones and many Android phones: opened like any other photo,
# then re-encoded as JPEG like the rest (so its EXIF and location go too). Thumbnails and
# depth maps inside the file are never decoded.
pillow_heif.register_heif_opener(thumbnails=False, depth_images=False, aux_images=False)

MAX_SIDE = 2560
# Pillow's own guard, for anything that reaches it: a warning above this, an error at twice it.
Image.ADUAN_MAX_IMAGE_PIXELS = 60_000_000
# The photo formats phones, cameras and messaging apps send; nothing more exotic is parsed.
PHOTO_FORMATS = ("JPEG", "PNG", "WEBP", "GIF", "BMP", "HEIF")  # JPEG includes MPO (multi-picture)


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
            % {"name": name, "mb": settings.ADUAN_MAX_UPLOAD_BYTES // (1024 * 1024)},
            code="too_large",
        )
    data = b"".join(uploaded.chunks())
    return clean_bytes(name, data)


def clean_bytes(name: str, data: bytes) -> CleanUpload:
    """``data`` as a CleanUpload, or ValidationError (``code``: too_large, too_many_pixels,
    unreadable) with a message for the user."""
    if len(data) > settings.ADUAN_MAX_UPLOAD_BYTES:
        raise ValidationError(_("Berkas %(name)s terlalu besar.") % {"name": name}, code="too_large")
    if data[:5] == b"%PDF-":
        if b"%%EOF" not in data[-1024:]:
            raise ValidationError(
                _("Berkas PDF %(name)s rusak atau tidak lengkap.") % {"name": name}, code="unreadable"
            )
        if pdf_active_content(data):
            raise ValidationError(
                _(
                    "Berkas PDF %(name)s berisi skrip, tindakan otomatis atau berkas sisipan, yang tidak kami "
                    "terima. Simpan ulang sebagai PDF biasa (mis. lewat Cetak → Simpan sebagai PDF) atau kirim "
                    "foto dokumennya."
                )
                % {"name": name},
                code="pdf_active_content",
            )
        stem = name.rsplit(".", 1)[0] or "dokumen"
        return CleanUpload(f"{stem}.pdf", data, "application/pdf")
    stem = name.rsplit(".", 1)[0] or "foto"
    return CleanUpload(f"{stem}.jpg", _reencoded_photo(name, data), "image/jpeg")


# ---------------------------------------------------------------------------- PDFs

# Keys that make a PDF do something when it is opened: run JavaScript (/JavaScript, /JS,
# XFA forms), start a program (/Launch), act on opening or on events (/OpenAction, /AA),
# carry other files (/EmbeddedFile(s)) or Flash (/RichMedia). A complaint's evidence needs
# none of them. /OpenAction with a plain destination array (open at page 1, fit width, as
# LaTeX writes) does nothing else and is allowed.
ACTIVE_PDF_KEYS = {"JavaScript", "JS", "Launch", "AA", "EmbeddedFile", "EmbeddedFiles", "RichMedia", "XFA"}
_PDF_NAME = re.compile(rb"/([^\s/<>\[\]()%{}]*)")
_STREAM_START = re.compile(rb">>\s*stream(?:\r\n|\n|\r)")
_NAME_ESCAPE = re.compile(rb"#([0-9A-Fa-f]{2})")
# Object streams (PDF 1.5+) hide dictionaries in compressed data: inflated up to this many
# bytes in all, so a zip bomb in a PDF costs no more than a large PDF.
MAX_INFLATED_PDF_BYTES = 50 * 1024 * 1024


def _pdf_names(text: bytes):
    """(name, the bytes after it) for every PDF name in ``text``, #xx escapes decoded."""
    for match in _PDF_NAME.finditer(text):
        raw = _NAME_ESCAPE.sub(lambda m: bytes([int(m.group(1), 16)]), match.group(1))
        yield raw.decode("latin-1"), text[match.end() : match.end() + 32]


def _pdf_parts(data: bytes):
    """The PDF's text outside streams, then the inflated content of its object streams;
    None for an object stream that cannot be read (it could hide anything)."""
    position, budget = 0, MAX_INFLATED_PDF_BYTES
    while True:
        start = _STREAM_START.search(data, position)
        if start is None:
            yield data[position:]
            return
        header = data[position : start.start()]
        yield header
        end = data.find(b"endstream", start.end())
        end = len(data) if end < 0 else end
        dictionary = header[header.rfind(b"obj") :]
        if b"/ObjStm" in dictionary or b"#" in dictionary:
            if b"/FlateDecode" not in dictionary:
                yield None
            else:
                inflater = zlib.decompressobj()
                try:
                    body = inflater.decompress(data[start.end() : end], budget + 1)
                except zlib.error:
                    body = None
                if body is None or len(body) > budget:
                    yield None
                    return
                budget -= len(body)
                yield body
        position = end + len(b"endstream")


def pdf_active_content(data: bytes) -> str | None:
    """The first key that makes this PDF act on its own (see ACTIVE_PDF_KEYS), or None."""
    for part in _pdf_parts(data):
        if part is None:
            return "unreadable object stream"
        for name, after in _pdf_names(part):
            if name in ACTIVE_PDF_KEYS:
                return name
            if name == "OpenAction" and not after.lstrip().startswith(b"["):
                return name
    return None


# ---------------------------------------------------------------------------- serving

# What an uploaded file may be served as: clean_bytes stores only re-encoded JPEGs and
# checked PDFs. A JPEG (made by us) may show in the page; anything else is a download.
INLINE_TYPES = {"image/jpeg"}
SERVED_TYPES = {"image/jpeg", "application/pdf"}


def is_remote(storage) -> bool:
    """Whether ``storage`` keeps its files elsewhere (a bucket) rather than on this disk."""
    try:
        storage.path("probe")
    except NotImplementedError:
        return True
    return False


def serve_stored(storage, stored_name: str, *, name: str, content_type: str, inline: bool | None = None, sandbox=True):
    """A stored file, for someone the caller's access check has let through: every file view
    ends here, so none decides on its own how files leave.

    - Local files: the file itself (``file_response``); Http404 when it is gone.
    - A bucket: a 302 to a signed URL valid ``ADUAN_S3_URL_SECONDS``, naming the same type and
      Content-Disposition (the bucket answers with them), never cached on the way.

    ``inline``: shown in the browser (default: only a photo we re-encoded); ``sandbox``: the
    local response's CSP sandbox (off for a PDF meant to open in the browser's viewer).
    """
    if content_type not in SERVED_TYPES:
        content_type = "application/octet-stream"
    if inline is None:
        inline = content_type in INLINE_TYPES
    if not is_remote(storage):
        try:
            handle = storage.open(stored_name, "rb")
        except FileNotFoundError:
            raise Http404 from None
        return file_response(handle, name=name, content_type=content_type, inline=inline, sandbox=sandbox)
    parameters = {
        "ResponseContentType": content_type,
        "ResponseContentDisposition": content_disposition_header(not inline, name),
    }
    url = storage.url(stored_name, parameters=parameters, expire=settings.ADUAN_S3_URL_SECONDS)
    response = HttpResponseRedirect(url)
    response["Cache-Control"] = "private, no-store"  # the signed URL is this person's, for minutes
    response["Referrer-Policy"] = "no-referrer"
    return response


def file_response(
    handle, *, name: str, content_type: str, inline: bool | None = None, sandbox: bool = True
) -> FileResponse:
    """An uploaded file as a response: a download (Content-Disposition: attachment) unless
    it is a photo we re-encoded, never under a type a browser would run (HTML, SVG, …),
    with ``nosniff`` so the browser does not guess another, and a sandbox for good measure."""
    if content_type not in SERVED_TYPES:
        content_type = "application/octet-stream"
    if inline is None:
        inline = content_type in INLINE_TYPES
    response = FileResponse(handle, content_type=content_type, as_attachment=not inline, filename=name)
    response["X-Content-Type-Options"] = "nosniff"
    if sandbox:
        response["Content-Security-Policy"] = "sandbox; default-src 'none'"
    return response


# ---------------------------------------------------------------------------- messages


def chat_refusal(error: ValidationError) -> str:
    """The answer in a chat (WhatsApp, Instagram) for a file clean_bytes refused: its own
    message when it says what to change (too many pixels, a PDF with scripts), otherwise
    a plain "not a photo we can read"."""
    if error.code in (None, "unreadable"):
        return _("Maaf, berkas ini bukan foto yang dapat kami baca. Kirim foto (JPG atau PNG) saja.")
    return " ".join(error.messages)


def _unreadable(name):
    message = _("Berkas %(name)s bukan foto atau PDF yang dapat dibaca.") % {"name": name}
    return ValidationError(message, code="unreadable")


def _too_many_pixels(name, width=None, height=None):
    limit = settings.ADUAN_MAX_IMAGE_PIXELS
    values = {"name": name, "mp": max(1, limit // 1_000_000)}
    if width and height:
        message = _(
            "Foto %(name)s terlalu besar: %(width)d × %(height)d piksel (paling banyak %(mp)d megapiksel). "
            "Kirim foto dengan resolusi lebih kecil."
        ) % {**values, "width": width, "height": height}
    else:
        message = (
            _("Foto %(name)s terlalu besar (paling banyak %(mp)d megapiksel). Kirim foto dengan resolusi lebih kecil.")
            % values
        )
    return ValidationError(message, code="too_many_pixels")


def open_photo(name: str, data: bytes) -> Image.Image:
    """The photo in ``data``, opened but not decoded (Pillow reads only the header), set to
    decode at most ADUAN_MAX_IMAGE_PIXELS; ValidationError otherwise."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)  # our own limit decides
            image = Image.open(io.BytesIO(data), formats=PHOTO_FORMATS)
    except Image.DecompressionBombError:
        raise _too_many_pixels(name) from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise _unreadable(name) from None
    width, height = image.size
    if not width or not height:
        image.close()
        raise _unreadable(name)
    ratio = min(MAX_SIDE / width, MAX_SIDE / height)
    if image.format in ("JPEG", "MPO") and ratio < 1:
        # Decoded at 1/2, 1/4 or 1/8 scale when that still covers the size we keep.
        image.draft("RGB", (max(1, int(width * ratio)), max(1, int(height * ratio))))
    decoded_width, decoded_height = image.size
    if decoded_width * decoded_height > settings.ADUAN_MAX_IMAGE_PIXELS:
        image.close()
        raise _too_many_pixels(name, width, height)
    return image


def _reencoded_photo(name: str, data: bytes) -> bytes:
    open_photo(name, data).close()  # the header checks, before anything is decoded
    try:
        with Image.open(io.BytesIO(data), formats=PHOTO_FORMATS) as probe:
            probe.verify()
        with open_photo(name, data) as image:
            image = ImageOps.exif_transpose(image)
            image = image.convert("RGB")
            image.thumbnail((MAX_SIDE, MAX_SIDE))
            out = io.BytesIO()
            image.save(out, "JPEG", quality=85, optimize=True)  # no exif= : metadata is dropped
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise _unreadable(name) from None
    return out.getvalue()
