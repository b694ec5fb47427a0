"""What every PDF Labinov prints shares: WeasyPrint never reaches the network or the disk, and the
pemda's logo is embedded as a data: URI."""

from __future__ import annotations

import base64


def logo_data_uri(pemda) -> str:
    """The pemda's logo (a PNG or JPEG checked at upload) as a data: URI, read through its storage."""
    if not pemda.logo:
        return ""
    from labinov.core.files import sniff

    try:
        with pemda.logo.storage.open(pemda.logo.name, "rb") as handle:
            data = handle.read(2 * 1024 * 1024 + 1)
    except OSError:
        return ""
    kind = sniff(data[:16])
    if kind not in ("png", "jpeg") or len(data) > 2 * 1024 * 1024:
        return ""
    return f"data:image/{kind};base64,{base64.b64encode(data).decode('ascii')}"


def url_fetcher():
    """WeasyPrint may read data: URIs only (the logo): a booklet never reaches the network or the disk."""
    try:
        from weasyprint.urls import URLFetcher
    except ImportError:  # WeasyPrint before 68 took a function
        from weasyprint import default_url_fetcher

        def fetch(url, *args, **kwargs):
            if not url.startswith("data:"):
                raise ValueError(f"not fetched: {url[:40]}")
            return default_url_fetcher(url, *args, **kwargs)

        return fetch
    return URLFetcher(allowed_protocols={"data"})
