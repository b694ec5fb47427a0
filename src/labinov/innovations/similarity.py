"""The ATM catalogue index: published innovations of every pemda, for "similar innovations" lookups.

Built by `catalogue_index_rebuild` (a background task after a publication, or `labinov
rebuild_index`), saved under LABINOV_DATA_DIR/index/, and loaded lazily by each process, which
reloads it when the saved copy is newer. No process holds the only copy.
"""

from __future__ import annotations

import threading
from pathlib import Path

from django.conf import settings

_lock = threading.Lock()
_loaded: dict = {"mtime": None, "index": None}


def index_path() -> Path:
    return Path(settings.DATA_DIR) / "index" / "catalogue"


def _stamp(path: Path) -> Path:
    return path.parent / (path.name + ".stamp")


def catalogue_index():
    from labinov.core.textsim import SimilarityIndex

    path = index_path()
    stamp = _stamp(path)
    try:
        mtime = stamp.stat().st_mtime_ns
    except FileNotFoundError:
        return None
    if _loaded["mtime"] != mtime:
        with _lock:
            if _loaded["mtime"] != mtime:
                _loaded["index"] = SimilarityIndex.load(path)
                _loaded["mtime"] = mtime
    return _loaded["index"]


def catalogue_index_rebuild() -> int:
    """Rebuilds the index from every published innovation; returns how many it holds."""
    from labinov.core.textsim import SimilarityIndex

    from .models import Innovation

    rows = Innovation.objects.filter(published_at__isnull=False).exclude(search_text="").values_list("pk", "search_text").iterator(chunk_size=5000)
    index = SimilarityIndex(rows)
    path = index_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    index.save(path)
    _stamp(path).write_text(index.version)
    return len(index)
