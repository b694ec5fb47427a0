"""Uploaded files are judged by their content, never by their name."""

from __future__ import annotations

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
                raise ValidationError({field: _("The image is too large; at most 4096 × 4096 pixels.")})
            img.load()
            out = io.BytesIO()
            if kind == "png":
                img.save(out, "PNG", optimize=True)
            else:
                img.convert("RGB").save(out, "JPEG", quality=90)
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise ValidationError({field: _("The file is not a readable PNG or JPEG image.")}) from None
    return kind, out.getvalue()
