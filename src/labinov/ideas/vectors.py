"""Stored sentence vectors of ideas: computed once per idea by a background task, reused by every page.

`vectors_refresh(program_id)` computes the vectors an encoder can give for the program's ideas that
have none or an outdated one (text or model changed), in batches, each batch saved on its own, so a
crash loses at most one batch and a re-run continues. It is enqueued by `refresh_idea_vectors`
after an idea is written (services) or an import is saved (tasks), and by the consolidation page
when it finds vectors missing; for a large program it then rebuilds the similar-ideas panel's stored
index (program_index.py). With no encoder installed there are no vectors: pages use TF-IDF alone.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable

from django.db import transaction

from labinov.core import semantic

from .models import Idea, IdeaVector

log = logging.getLogger("labinov.vectors")
BATCH = 32


def text_hash(idea_or_values) -> str:
    get = idea_or_values.get if isinstance(idea_or_values, dict) else (lambda f: getattr(idea_or_values, f))
    text = semantic.idea_text(get("title"), get("problem"), get("proposed_change"))
    return hashlib.blake2b(text.encode(), digest_size=8).hexdigest()


def stale_ids(program_id: int, model: str) -> list[int]:
    """Ideas of the program whose vector is missing or was made from other text or by another model."""
    rows = (Idea.objects.filter(program_id=program_id).exclude(status="draft")
            .values("pk", "title", "problem", "proposed_change", "vector__text_hash", "vector__model"))
    return [r["pk"] for r in rows if r["vector__model"] != model or r["vector__text_hash"] != text_hash(r)]


def vectors_refresh(program_id: int, progress: Callable[[int, int], None] | None = None) -> int:
    """Computes the missing and outdated vectors of the program's submitted ideas; returns how many."""
    encoder = semantic.get_encoder()
    if encoder is None:
        return 0
    ids = stale_ids(program_id, encoder.code)
    for start in range(0, len(ids), BATCH):
        chunk = list(Idea.objects.filter(pk__in=ids[start:start + BATCH]).only("pk", "title", "problem", "proposed_change"))
        vectors = encoder.encode([semantic.idea_text(i.title, i.problem, i.proposed_change) for i in chunk])
        with transaction.atomic():
            for idea, vector in zip(chunk, vectors, strict=True):
                IdeaVector.objects.update_or_create(idea_id=idea.pk, defaults={
                    "model": encoder.code, "text_hash": text_hash(idea), "vector": semantic.to_bytes(vector)})
        if progress:
            progress(min(start + BATCH, len(ids)), len(ids))
    return len(ids)


def refresh_program(program_id: int) -> int:
    """The `refresh_idea_vectors` task: the missing vectors, then (large programs) the panel's index."""
    from .program_index import ON_THE_FLY_LIMIT, index_rebuild

    made = vectors_refresh(program_id)
    if Idea.objects.filter(program_id=program_id).exclude(status="draft").count() > ON_THE_FLY_LIMIT:
        index_rebuild(program_id)
    return made


def enqueue_refresh(program_id: int) -> None:
    """After the current transaction commits, ask a worker to refresh the program's vectors and index."""

    def send():
        from .tasks import refresh_idea_vectors

        try:
            refresh_idea_vectors.enqueue(program_id)
        except Exception:  # the page still works on TF-IDF; the next write or page view asks again
            log.exception("could not enqueue the vector refresh of program %s", program_id)

    transaction.on_commit(send)
