"""The ATM catalogue index: published innovations of every pemda, for "similar innovations" lookups.

Built by `catalogue_index_rebuild` (the `rebuild_catalogue_index` task after a publication, or
`labinov rebuild_index`), saved under LABINOV_DATA_DIR/textsim/, and loaded lazily by each
process through `textsim.load_cached`, which reloads it when the saved version changes. No
process holds the only copy, and nothing unpublished is ever in it.
"""

from __future__ import annotations

import logging

from labinov.core import textsim

log = logging.getLogger("labinov.similarity")
NAME = "catalogue"


def catalogue_index():
    try:
        return textsim.load_cached(textsim.index_path(NAME))
    except Exception:  # an unreadable or older-format file is treated as missing until it is rebuilt
        log.exception("the catalogue index cannot be read; run `labinov rebuild_index`")
        return None


def catalogue_index_rebuild() -> int:
    """Rebuilds the index from every published innovation; returns how many it holds."""
    from .models import Innovation

    rows = (
        Innovation.objects.filter(published_at__isnull=False).exclude(search_text="")
        .values_list("pk", "search_text").iterator(chunk_size=5000)
    )
    index = textsim.SimilarityIndex(rows)
    path = textsim.index_path(NAME)
    path.parent.mkdir(parents=True, exist_ok=True)
    index.save(path)
    return len(index)
