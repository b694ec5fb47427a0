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


def check_image(upload, *, max_bytes: int = MAX_LOGO_BYTES) -> str:
    """PNG or JPEG by content, at most `max_bytes`. SVG is refused (it can carry scripts)."""
    if upload.size > max_bytes:
        raise ValidationError(
            {"logo": _("The file is %(size)s KB; at most %(max)s KB is allowed.")
             % {"size": upload.size // 1024, "max": max_bytes // 1024}}
        )
    kind = sniff(read_head(upload))
    if kind not in ("png", "jpeg"):
        raise ValidationError({"logo": _("The logo must be a PNG or JPEG image.")})
    return kind
