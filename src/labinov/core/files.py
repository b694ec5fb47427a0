"""Uploaded files are judged by their content, never by their name, and served back in one way.

- Every upload point (a model or form file field people upload into) is registered in
  `UPLOAD_POINTS` with the check it runs; `check_upload(name, upload, field=...)` is the one entry
  point. A test enumerates every FileField of every model and form and fails when one is not
  registered (or listed in `GENERATED_FILE_FIELDS`, files Labinov writes itself), and runs one
  hostile corpus against every point.
- A PDF is refused when it carries active content: JavaScript, launch actions, embedded files, XFA,
  rich media, URI (web link) and SubmitForm/ImportData actions, encryption, HTML before or around
  it (a polyglot), or the EICAR test signature (ADR 0014).
- `file_response` serves every stored file: inline only for PNG/JPEG images, with a sandboxing
  Content-Security-Policy; everything else (PDFs included: Chrome's viewer does not run in a
  sandbox) as an attachment; always `X-Content-Type-Options: nosniff`.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from typing import Callable

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

MAX_LOGO_BYTES = 1024 * 1024

_IMAGE_MAGIC = {
    b"\x89PNG\r\n\x1a\n": "png",
    b"\xff\xd8\xff": "jpeg",
}


def sniff(head: bytes) -> str | None:
    for magic, kind in _IMAGE_MAGIC.items():
        if head.startswith(magic):
            return kind
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"PK\x03\x04"):
        return "zip"
    return None


def read_head(upload, n: int = 16) -> bytes:
    upload.seek(0)
    head = upload.read(n)
    upload.seek(0)
    return head


def _upright(img):
    """A phone photo turned the way its EXIF orientation says: re-encoding drops EXIF, so the turn must be
    applied to the pixels or the photo is stored lying on its side."""
    from PIL import ImageOps

    try:
        if img.getexif().get(0x0112, 1) in (None, 1):  # 0x0112: Orientation
            return img
        return ImageOps.exif_transpose(img) or img
    except Exception:  # a damaged EXIF block: keep the pixels as they are
        return img


def _refuse_eicar(data: bytes, field: str) -> None:
    """The EICAR anti-virus test signature, anywhere in the bytes: refused as a virus would be."""
    if EICAR_MARK in data:
        raise ValidationError({field: _("The file carries the EICAR anti-virus test signature and is refused, "
                                        "as a virus would be.")})


EICAR_MARK = b"EICAR-STANDARD-ANTIVIRUS-TEST-FILE"


def clean_image(upload, *, field: str, max_bytes: int = MAX_LOGO_BYTES, max_pixels: int = 4096 * 4096):
    """A PNG or JPEG judged by decoding it, re-encoded so nothing but pixels is kept.

    Returns (kind, bytes). SVG and anything that only starts like an image are refused.
    """
    import io

    from PIL import Image, UnidentifiedImageError

    if upload.size > max_bytes:
        raise ValidationError(
            {field: _("The file is %(size)s KB; at most %(max)s KB is allowed.")
             % {"size": upload.size // 1024, "max": max_bytes // 1024}}
        )
    upload.seek(0)
    _refuse_eicar(upload.read(max_bytes + 1), field)
    upload.seek(0)
    kind = sniff(read_head(upload))
    if kind not in ("png", "jpeg"):
        raise ValidationError({field: _("The image must be a PNG or JPEG file.")})
    try:
        upload.seek(0)
        with Image.open(upload) as probe:
            probe.verify()
        upload.seek(0)
        with Image.open(upload) as img:
            if img.width * img.height > max_pixels:
                raise ValidationError({field: _("The image is too large; at most %(mp)s megapixels.")
                                       % {"mp": max_pixels // 1_000_000}})
            img.load()
            img = _upright(img)
            out = io.BytesIO()
            if kind == "png":
                img.save(out, "PNG", optimize=True)
            else:
                img.convert("RGB").save(out, "JPEG", quality=90)
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise ValidationError({field: _("The file is not a readable PNG or JPEG image.")}) from None
    return kind, out.getvalue()


# --------------------------------------------------------------------------- evidence and signed documents

MAX_EVIDENCE_BYTES = 10 * 1024 * 1024
MAX_PHOTO_PIXELS = 50_000_000  # a 48-megapixel phone photo is evidence too
MAX_SIGNED_DOCUMENT_BYTES = 20 * 1024 * 1024
MAX_VIDEO_URL_LENGTH = 500
_MB = 1024 * 1024
_ORIGINAL_NAME_MAX = 120


@dataclass(frozen=True)
class CleanFile:
    kind: str  # "pdf", "png" or "jpeg"
    content: bytes  # what to store: a PDF as uploaded, an image decoded and re-encoded
    content_type: str  # "application/pdf", "image/png", "image/jpeg"
    extension: str  # ".pdf", ".png", ".jpg"
    original_name: str  # the uploaded base name, without path or control characters, at most 120 characters


_CONTENT_TYPES = {"pdf": "application/pdf", "png": "image/png", "jpeg": "image/jpeg"}
_EXTENSIONS = {"pdf": ".pdf", "png": ".png", "jpeg": ".jpg"}
# What a name claims: only the accepted types count, any other extension (or none) leaves it to the content.
_CLAIMED = {".pdf": "pdf", ".png": "png", ".jpg": "jpeg", ".jpeg": "jpeg", ".jpe": "jpeg", ".jfif": "jpeg"}

# Executables: Windows (MZ), Linux (ELF), macOS (Mach-O, 32/64 bit, both byte orders, and universal binaries).
_EXECUTABLE_MAGIC = (
    b"MZ", b"\x7fELF",
    b"\xfe\xed\xfa\xce", b"\xfe\xed\xfa\xcf", b"\xce\xfa\xed\xfe", b"\xcf\xfa\xed\xfe", b"\xca\xfe\xba\xbe",
    b"#!",
)
# The tags a browser takes as HTML when it sniffs (WHATWG MIME sniffing, and a few more), each followed by
# whitespace, ">" or "/".
_HTML_TAGS = (
    b"<!doctype html", b"<html", b"<head", b"<script", b"<iframe", b"<h1", b"<div", b"<font", b"<table",
    b"<a", b"<style", b"<title", b"<b", b"<body", b"<br", b"<p", b"<!--", b"<meta", b"<link", b"<img",
    b"<object", b"<embed", b"<form",
)
_TAG_END = b" \t\n\r\x0c>/"


def _format_mb(n_bytes: int, *, above: float | None = None) -> str:
    """A size in MB for a message: whole MBs without decimals, else one decimal (more if one decimal would
    show a too large file as exactly the limit)."""
    from django.utils.formats import number_format

    value = n_bytes / _MB
    if value == int(value):
        return number_format(int(value))
    for places in (1, 2):
        shown = round(value, places)
        if above is None or shown > above:
            break
    return number_format(shown, decimal_pos=places)


def _too_large(size: int, max_bytes: int, field: str) -> ValidationError:
    return ValidationError(
        {field: _("The file is %(size)s MB; at most %(max)s MB is allowed.")
         % {"size": _format_mb(size, above=max_bytes / _MB), "max": _format_mb(max_bytes)}}
    )


def _looks_like(data: bytes) -> str | None:
    """What a refused file looks like: "executable", "html", "svg", "xml", "zip" or None (unknown)."""
    if data.startswith(_EXECUTABLE_MAGIC):
        return "executable"
    if data.startswith(b"PK\x03\x04") or data.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):  # ZIP/OOXML, old Office
        return "zip"
    head = data[:4096]
    if head.startswith(b"\xef\xbb\xbf"):  # a UTF-8 byte order mark
        head = head[3:]
    head = head.lstrip(b" \t\n\r\x0c").lower()
    if head.startswith(b"<?xml") or head.startswith(b"<!doctype svg"):
        if b"<svg" in head:
            return "svg"
        if b"<html" in head or b"<!doctype html" in head:
            return "html"
        return "xml"
    if head.startswith(b"<svg") and (len(head) == 4 or head[4:5] in _TAG_END):
        return "svg"
    for tag in _HTML_TAGS:
        if head.startswith(tag) and (len(head) == len(tag) or head[len(tag):len(tag) + 1] in _TAG_END):
            return "html"
    return None


def _refused_type(looks: str | None) -> str:
    if looks == "executable":
        return _("The file looks like an executable program, which is not accepted. Accepted: PDF, PNG or JPEG.")
    if looks == "html":
        return _("The file looks like a web page (HTML), which is not accepted. Accepted: PDF, PNG or JPEG.")
    if looks == "svg":
        return _("The file looks like an SVG drawing, which is not accepted. Accepted: PDF, PNG or JPEG.")
    if looks == "xml":
        return _("The file looks like an XML document, which is not accepted. Accepted: PDF, PNG or JPEG.")
    if looks == "zip":
        return _("The file looks like a ZIP archive or an Office document, which is not accepted. "
                 "Accepted: PDF, PNG or JPEG; save a document as PDF first.")
    return _("The type of this file is not recognised. Accepted: PDF, PNG or JPEG.")


def _kind_label(kind: str) -> str:
    return {"pdf": _("a PDF document"), "png": _("a PNG image"), "jpeg": _("a JPEG image")}[kind]


def safe_original_name(name, extension: str = "") -> str:
    """The uploaded base name as shown to people: no folders, no control or bidirectional-override
    characters, at most 120 characters (the extension kept when shortened)."""
    import os
    import unicodedata

    name = str(name or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(c for c in name if unicodedata.category(c) not in ("Cc", "Cf", "Cs", "Co", "Zl", "Zp"))
    name = " ".join(name.split()).strip(" .")
    if not name:
        name = "file" + extension
    if len(name) > _ORIGINAL_NAME_MAX:
        stem, ext = os.path.splitext(name)
        ext = ext if len(ext) <= 10 else ""
        name = stem[: _ORIGINAL_NAME_MAX - len(ext)].rstrip(" .") + ext
    return name


def _claimed_kind(name: str) -> tuple[str, str] | None:
    import os

    ext = os.path.splitext(name.rstrip(" ."))[1].lower()
    return (ext, _CLAIMED[ext]) if ext in _CLAIMED else None


# ----- active content in a PDF

# Name tokens that make a PDF more than a document: scripts, programs started, files carried inside,
# Flash/video players, XFA forms. /EF and /JS are short; see _pdf_active_content.
_PDF_ACTIVE_LONG = ("JavaScript", "Launch", "EmbeddedFile", "EmbeddedFiles", "FileAttachment", "RichMedia", "XFA",
                    "SubmitForm", "ImportData")
# URI actions (web links) are refused too: a link in an official document can lead anywhere, and a
# plain scan or "Print to PDF" copy has none (ADR 0014).
_PDF_ACTIVE_SHORT = ("JS", "EF", "URI")
# Delimiters and whitespace end a PDF name (ISO 32000-1, 7.2.2).
_PDF_NAME_END = rb"(?=[\x00\t\n\x0c\r ()<>\[\]{}/%]|\Z)"


def _pdf_name_pattern(names) -> re.Pattern[bytes]:
    """A regex for the PDF names given, also when written with #xx escapes (/J#61vaScript is /JavaScript),
    only as whole names (/JS, not /JSomething)."""

    def char(c: str) -> bytes:
        hex_ = f"{ord(c):02x}"
        hex_class = b"".join(b"[" + h.encode() + h.upper().encode() + b"]" if h.isalpha() else h.encode() for h in hex_)
        return b"(?:" + re.escape(c.encode()) + b"|#" + hex_class + b")"

    alternatives = b"|".join(b"".join(char(c) for c in n) for n in sorted(names, key=len, reverse=True))
    return re.compile(b"/(" + alternatives + b")" + _PDF_NAME_END)


_PDF_LONG_NAMES = _pdf_name_pattern(_PDF_ACTIVE_LONG)
_PDF_ALL_NAMES = _pdf_name_pattern(_PDF_ACTIVE_LONG + _PDF_ACTIVE_SHORT)
# stream data follows a stream's dictionary: ">>", optional whitespace, "stream", an end of line (a
# "stream" anywhere else, e.g. in a %comment, must not hide the bytes after it from the scan)
_PDF_STREAM_START = re.compile(rb">>[\x00\t\n\x0c\r ]*stream(?:\r\n|\n|\r)")


def _pdf_outside_streams(data: bytes) -> bytes:
    """The raw bytes without stream data (from "stream" to "endstream"), in one pass."""
    kept, pos = [], 0
    while (start := _PDF_STREAM_START.search(data, pos)) is not None:
        end = data.find(b"endstream", start.end())
        if end < 0:
            break  # no end: the rest stays in (refusing too much, never too little)
        kept.append(data[pos:start.start()])
        pos = end + len(b"endstream")
    kept.append(data[pos:])
    return b" ".join(kept)


def _pdf_name(raw: bytes) -> str:
    return re.sub(rb"#([0-9a-fA-F]{2})", lambda m: bytes([int(m.group(1), 16)]), raw).decode("latin-1")


def _pdf_active_content(data: bytes) -> str | None:
    """The first active-content name found in the raw bytes of a PDF, else None.

    The long names are looked for everywhere. The short ones (/JS, /EF) would turn up by chance in a few MB
    of compressed image data, so they are looked for outside stream data only; a script still needs
    /S /JavaScript and an embedded file /EmbeddedFile(s), which the full scan sees. Dictionaries hidden in
    compressed object streams are searched by _check_pdf once pypdf has decoded them.
    """
    found = _PDF_LONG_NAMES.search(data) or _PDF_ALL_NAMES.search(_pdf_outside_streams(data))
    return _pdf_name(found.group(1)) if found else None


def _pdf_active_in_object_stream(decoded: bytes) -> str | None:
    """An object stream holds dictionaries only (never stream data): every name is looked for."""
    found = _PDF_ALL_NAMES.search(decoded)
    return _pdf_name(found.group(1)) if found else None


def _active_label(name: str) -> str:
    if name == "URI":
        return _("web links (URI actions)")
    if name in ("SubmitForm", "ImportData"):
        return _("a form that sends or loads data (SubmitForm)")
    if name in ("JavaScript", "JS"):
        return _("scripts (JavaScript)")
    if name == "Launch":
        return _("a command that starts a program")
    if name in ("EmbeddedFile", "EmbeddedFiles", "EF", "FileAttachment"):
        return _("files embedded in it")
    if name == "RichMedia":
        return _("embedded media (Flash or video)")
    return _("an XFA form")


def _check_pdf(data: bytes, field: str) -> None:
    """A PDF that pypdf reads, with at least one page, not encrypted, without active content."""

    def active_content(name):
        return ValidationError({field: _(
            "The PDF contains %(what)s, which is not accepted. Save it again as a plain PDF "
            "(for example with \"Print to PDF\") and upload that.") % {"what": _active_label(name)}})

    active = _pdf_active_content(data)
    if active:
        raise active_content(active)
    if _pdf_html(data):
        raise ValidationError({field: _(
            "The PDF also contains a web page (HTML), which is not accepted. Save it again as a plain PDF "
            "(for example with \"Print to PDF\") and upload that.")})
    from pypdf import PdfReader
    from pypdf.generic import StreamObject

    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        encrypted = reader.is_encrypted
        pages = 0 if encrypted else len(reader.pages)
    except Exception:  # pypdf raises many kinds of errors on hostile or broken input
        encrypted, pages = False, None
    if encrypted:
        # Encrypted streams cannot be searched, and the file may not open for those who need to see it.
        raise ValidationError({field: _("The PDF is protected with a password or encrypted; upload an unprotected copy.")})
    if pages is None:
        raise ValidationError({field: _(
            "The PDF file cannot be read; it may be damaged. Export or save it again and upload the new file.")})
    if pages < 1:
        raise ValidationError({field: _("The PDF has no pages.")})
    try:
        for number in sorted({stm for stm, _idx in reader.xref_objStm.values()}):
            stream = reader.get_object(number)
            active = _pdf_active_in_object_stream(stream.get_data()) if isinstance(stream, StreamObject) else None
            if active:
                break
    except Exception:  # an object stream that does not decode: nothing in it can be vouched for
        raise ValidationError({field: _(
            "The PDF file cannot be read; it may be damaged. Export or save it again and upload the new file.")}) from None
    if active:
        raise active_content(active)
    try:
        active = _pdf_active_in_objects(reader)
    except Exception:  # an object that does not parse: nothing in it can be vouched for
        raise ValidationError({field: _(
            "The PDF file cannot be read; it may be damaged. Export or save it again and upload the new file.")}) from None
    if active:
        raise active_content(active)


_ACTIVE_KEYS = {"/JS", "/JavaScript", "/Launch", "/EF", "/EmbeddedFile", "/EmbeddedFiles", "/RichMedia", "/XFA", "/URI",
                "/SubmitForm", "/ImportData"}
_ACTIVE_VALUES = {"/JavaScript", "/Launch", "/EmbeddedFile", "/FileAttachment", "/RichMedia", "/URI", "/SubmitForm",
                  "/ImportData"}
# HTML a browser would run, in a PDF's first kilobyte or outside its streams (a PDF/HTML polyglot)
_PDF_HTML = re.compile(rb"<(?:!doctype\s+html|html|head|body|script|iframe|svg|object|embed|meta|form|img|style|title|link|frameset)"
                       rb"[\s>/]", re.IGNORECASE)


def _pdf_html(data: bytes) -> bool:
    return bool(_PDF_HTML.search(data[:1024]) or _PDF_HTML.search(_pdf_outside_streams(data)))
MAX_PDF_OBJECTS = 200_000


def _pdf_active_in_objects(reader) -> str | None:
    """Every object pypdf parsed, walked as data (not as bytes): what comments or fake stream markers hide
    from a byte scan is still a dictionary here. Finds active keys (/JS, /EF, ...) and active values
    (/S /JavaScript, /Subtype /FileAttachment, /Type /EmbeddedFile)."""
    from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

    numbers = {(num, gen) for gen, table in reader.xref.items() for num in table}
    numbers |= {(num, 0) for num in reader.xref_objStm}
    if len(numbers) > MAX_PDF_OBJECTS:
        raise ValueError("too many objects")
    for num, gen in sorted(numbers):
        todo = [reader.get_object(IndirectObject(num, gen, reader))]
        while todo:
            obj = todo.pop()
            if isinstance(obj, DictionaryObject):
                for key, value in obj.items():
                    if key in _ACTIVE_KEYS:
                        return key[1:]
                    if not isinstance(value, IndirectObject):
                        if str(value) in _ACTIVE_VALUES and key in ("/S", "/Subtype", "/Type"):
                            return str(value)[1:]
                        todo.append(value)
            elif isinstance(obj, ArrayObject):
                todo.extend(v for v in obj if not isinstance(v, IndirectObject))
    return None


def _clean_document(upload, *, field: str, max_bytes: int, accept: tuple[str, ...] = ("pdf", "png", "jpeg")) -> CleanFile:
    size = getattr(upload, "size", None)
    if size is not None and size > max_bytes:
        raise _too_large(size, max_bytes, field)
    upload.seek(0)
    data = upload.read(max_bytes + 1)
    upload.seek(0)
    if len(data) > max_bytes:  # the declared size was wrong
        raise _too_large(max(len(data), size or 0), max_bytes, field)
    if not data:
        raise ValidationError({field: _("The file is empty.")})
    _refuse_eicar(data, field)
    kind = sniff(data[:16])
    if accept == ("pdf",) and kind != "pdf":
        raise ValidationError({field: _("The decree must be a PDF file of at most 10 MB.")})
    if kind not in _CONTENT_TYPES:
        raise ValidationError({field: _refused_type(_looks_like(data))})
    original_name = safe_original_name(getattr(upload, "name", ""), _EXTENSIONS[kind])
    claimed = _claimed_kind(original_name)
    if claimed and claimed[1] != kind:
        raise ValidationError(
            {field: _("The file is named %(ext)s but its content is %(content)s.")
             % {"ext": claimed[0], "content": _kind_label(kind)}}
        )
    if kind == "pdf":
        _check_pdf(data, field)
        content = data
    else:
        kind, content = clean_image(upload, field=field, max_bytes=max_bytes, max_pixels=MAX_PHOTO_PIXELS)
    return CleanFile(kind=kind, content=content, content_type=_CONTENT_TYPES[kind], extension=_EXTENSIONS[kind],
                     original_name=original_name)


def clean_evidence(upload, *, field: str = "file", max_bytes: int = MAX_EVIDENCE_BYTES) -> CleanFile:
    """Evidence of progress: a PDF (kept as uploaded once checked) or a photo as PNG/JPEG (re-encoded, so
    only pixels are kept). Judged by content; a name only matters when it claims another accepted type."""
    return _clean_document(upload, field=field, max_bytes=max_bytes)


def clean_signed_document(upload, *, field: str = "file", max_bytes: int = MAX_SIGNED_DOCUMENT_BYTES) -> CleanFile:
    """A signed commitment: a PDF (kept byte for byte: re-encoding would break an electronic signature)
    or a scan as PNG/JPEG. Same checks as evidence."""
    return _clean_document(upload, field=field, max_bytes=max_bytes)


MAX_DECREE_BYTES = 10 * 1024 * 1024


def clean_pdf(upload, *, field: str = "file", max_bytes: int = MAX_DECREE_BYTES) -> CleanFile:
    """A PDF only (the decree of an innovation): the same content check as evidence and signed documents,
    kept as uploaded."""
    return _clean_document(upload, field=field, max_bytes=max_bytes, accept=("pdf",))


def clean_video_link(url: str, *, field: str = "video_url") -> str:
    """An http(s) URL with a host, at most 500 characters, no credentials in it, no javascript:/data: scheme;
    returns it stripped."""
    from urllib.parse import urlsplit

    from django.core.validators import URLValidator

    url = (url or "").strip()
    if not url:
        raise ValidationError({field: _("Enter the link to the video.")})
    if len(url) > MAX_VIDEO_URL_LENGTH:
        raise ValidationError(
            {field: _("The link is %(length)s characters long; at most %(max)s are allowed.")
             % {"length": len(url), "max": MAX_VIDEO_URL_LENGTH}}
        )
    if any(c.isspace() or ord(c) < 32 or ord(c) == 127 for c in url):
        raise ValidationError({field: _("The link must not contain spaces or control characters.")})
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError on a port that is not a number
    except ValueError:
        raise ValidationError({field: _("Enter a valid web address for the video.")}) from None
    if parts.scheme.lower() not in ("http", "https"):
        raise ValidationError({field: _("The link must start with http:// or https://.")})
    if "@" in parts.netloc:
        raise ValidationError({field: _("The link must not contain a user name or password.")})
    if not parts.hostname:
        raise ValidationError({field: _("The link has no web address (host) after http:// or https://.")})
    try:
        URLValidator(schemes=["http", "https"])(url)
    except ValidationError:
        raise ValidationError({field: _("Enter a valid web address for the video.")}) from None
    return url


# --------------------------------------------------------------------------- every upload point, one entry


@dataclass(frozen=True)
class UploadPoint:
    name: str
    check: Callable  # check(upload, *, field) -> cleaned result; ValidationError when refused
    fields: tuple[str, ...]  # "app_label.Model.field" of the model, "module.Form.field" of the form


UPLOAD_POINTS: dict[str, UploadPoint] = {}
#: file fields whose files Labinov writes itself (never an upload)
GENERATED_FILE_FIELDS = frozenset({"delivery.Commitment.document"})


def register_upload_point(name: str, *, check: Callable, fields: tuple[str, ...]) -> UploadPoint:
    point = UploadPoint(name=name, check=check, fields=tuple(fields))
    UPLOAD_POINTS[name] = point
    return point


def check_upload(name: str, upload, *, field: str = "file"):
    """The content check of the upload point `name` (a KeyError for an unregistered point)."""
    return UPLOAD_POINTS[name].check(upload, field=field)


def _check_xlsx(upload, *, field: str = "file"):
    """The XLSX imports (units, ideas) read the bytes and call core.xlsx.check_archive themselves."""
    from django.conf import settings

    from .xlsx import check_archive

    upload.seek(0)
    data = upload.read(settings.LABINOV_MAX_IMPORT_BYTES + 1)
    upload.seek(0)
    _refuse_eicar(data, field)
    check_archive(data).close()
    return data


register_upload_point("innovation_decree", check=clean_pdf,
                      fields=("innovations.InnovationProfile.decree_file", "labinov.innovations.forms.ProfileForm.decree_file"))
register_upload_point("progress_evidence", check=clean_evidence,
                      fields=("delivery.Evidence.file", "labinov.delivery.forms.ReportForm.files"))
register_upload_point("signed_commitment", check=clean_signed_document,
                      fields=("delivery.Commitment.signed_file", "labinov.delivery.forms.UploadForm.file"))
register_upload_point("pemda_logo", check=clean_image,
                      fields=("regions.Pemda.logo", "labinov.regions.forms.PemdaForm.logo"))
register_upload_point("unit_import", check=_check_xlsx, fields=("labinov.regions.unit_import_views.UploadForm.file",))
register_upload_point("idea_import", check=_check_xlsx, fields=("labinov.ideas.transfer_views.UploadForm.file",))


# --------------------------------------------------------------------------- serving stored files

INLINE_TYPES = frozenset({"image/png", "image/jpeg"})
#: what an image shown in the browser may do: nothing (no script, no plugin, no request, its own origin)
INLINE_CSP = "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox"
ATTACHMENT_CSP = "default-src 'none'; sandbox"


def file_response(handle, *, content_type: str, filename: str, inline: bool = False):
    """Every stored file goes out through here: inline only for a PNG or JPEG image, under a sandboxing
    CSP; anything else as an attachment (a PDF opens in the reader of the user's choice: Chrome's own
    viewer does not run under a sandbox); never sniffed."""
    from django.http import FileResponse

    inline = inline and content_type in INLINE_TYPES
    response = FileResponse(handle, content_type=content_type, as_attachment=not inline, filename=filename)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = INLINE_CSP if inline else ATTACHMENT_CSP
    return response
