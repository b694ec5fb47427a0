"""The similar-ideas panel's view of a program: what an idea being typed is compared with.

A small program (up to ON_THE_FLY_LIMIT submitted ideas) is compared on the fly: TF-IDF over its
ideas' stored ``search_text`` and, when the encoder is installed, the ideas' stored vectors (one
query). A large program (a province with all its schools: 20,000-50,000 ideas) is compared through
a stored index that the `refresh_idea_vectors` task rebuilds after the program's ideas change:

- ``program-<id>.npz``: the TF-IDF index (core/textsim.py), memory-mapped by every worker;
- ``program-<id>-vectors.npy``: the ideas' vectors in the index's key order, memory-mapped too.

Ideas written or changed after the index was built are few; they are compared on the fly and
merged in, so the panel never misses a new idea while the index is being rebuilt. Scores are the
mixed similarity of core/semantic.py (or TF-IDF alone without an encoder), on the same scale as
the consolidation view's settings.
"""

from __future__ import annotations

import datetime
import os
import tempfile
import threading
from pathlib import Path

import numpy as np

from labinov.core import semantic, textsim

from .models import Idea, IdeaStatus

ON_THE_FLY_LIMIT = 1500
QUERY_WORDS = 16
_vectors_cache: dict[str, tuple[float, np.ndarray]] = {}
_vectors_lock = threading.Lock()


def _name(program_id: int) -> str:
    return f"program-{int(program_id)}"


def _vectors_path(program_id: int) -> Path:
    return textsim.index_path(_name(program_id)).with_name(f"{_name(program_id)}-vectors.npy")


def _rows(program_id: int):
    return (Idea.objects.filter(program_id=program_id).exclude(status=IdeaStatus.DRAFT)
            .values_list("pk", "search_text", "vector__vector", "vector__model", "updated_at").order_by("pk"))


def index_rebuild(program_id: int) -> int:
    """Saves the program's TF-IDF index and vectors (atomically: readers see the old or the new)."""
    encoder = semantic.get_encoder()
    keys, texts, vectors = [], [], []
    for pk, text, blob, model, _updated in _rows(program_id).iterator(chunk_size=2000):
        keys.append(pk)
        texts.append(text or "")
        vector = semantic.from_bytes(blob) if encoder is not None and model == encoder.code else None
        vectors.append(vector if vector is not None else np.zeros(semantic.DIM, dtype=np.float32))
    index = textsim.SimilarityIndex(zip(keys, texts, strict=True))
    path = textsim.index_path(_name(program_id))
    index.save(path)
    matrix = np.stack(vectors).astype(np.float32) if vectors else np.zeros((0, semantic.DIM), dtype=np.float32)
    target = _vectors_path(program_id)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            np.save(fh, matrix)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return len(keys)


def _stored(program_id: int):
    """(TF-IDF index, vectors memory-mapped, time the index file was written) or None."""
    path = textsim.index_path(_name(program_id))
    try:
        index = textsim.load_cached(path)
        built = path.stat().st_mtime
    except (OSError, ValueError):
        return None
    if index is None:
        return None
    vpath = _vectors_path(program_id)
    try:
        mtime = vpath.stat().st_mtime
    except OSError:
        return index, None, built
    key = str(vpath)
    with _vectors_lock:
        cached = _vectors_cache.get(key)
        if cached is None or cached[0] != mtime:
            cached = (mtime, np.load(vpath, mmap_mode="r", allow_pickle=False))
            _vectors_cache[key] = cached
    vectors = cached[1]
    return index, (vectors if len(vectors) == len(index) else None), built


def similar_in_program(program, *, text: str, normalized: str, k: int, exclude: int | None = None,
                       min_score: float | None = None) -> list[tuple[int, float]]:
    """The k ideas of the program (not drafts) most similar to the typed ``text``: [(pk, score)].

    ``min_score`` defaults to the loosest setting of the consolidation view ("agak mirip"), so the
    panel warns about what a coach could group, and stays quiet about the rest.
    """
    from . import duplicates

    encoder = semantic.get_encoder()
    # The typed text's first words carry its meaning (title, then the problem); encoding is linear in
    # length (~20 ms for 10 words, ~100 ms for 50 on one core), and the panel answers while typing.
    # On the labelled set the first 16 words find a true duplicate in the top 5 for 96 % of the
    # ideas that have one (all words: 98 %).
    words = text.split()[:QUERY_WORDS]
    query_vector = encoder.encode([" ".join(words)])[0] if encoder is not None and words else None
    semantic_used = query_vector is not None
    if min_score is None:
        min_score = duplicates.thresholds(semantic_available=semantic_used)[duplicates.SOMEWHAT_SIMILAR]
    count = Idea.objects.filter(program=program, status__in=[s for s in IdeaStatus.values if s != IdeaStatus.DRAFT]).count()
    stored = _stored(program.pk) if count > ON_THE_FLY_LIMIT else None
    scores: dict[int, float] = {}
    if stored is not None:
        index, vectors, built = stored
        rows, tfidf = index.scores(normalized)
        keys = index.keys
        if semantic_used and vectors is not None:
            sem = np.asarray(vectors @ query_vector, dtype=np.float32)
            mixed = _mix(sem, np.zeros(len(keys), dtype=np.float32), rows, tfidf, np.linalg.norm(vectors, axis=1) > 0)
            top = np.argpartition(-mixed, min(len(mixed) - 1, k * 4))[: k * 4] if len(mixed) else []
            scores = {keys[i]: float(mixed[i]) for i in top}
        else:
            scores = {keys[r]: float(s) for r, s in zip(rows, tfidf, strict=True)}
        since = datetime.datetime.fromtimestamp(built, tz=datetime.UTC)
        recent = list(_rows(program.pk).filter(updated_at__gte=since))
        scores.update(_on_the_fly(recent, normalized, query_vector))
    else:
        scores = _on_the_fly(list(_rows(program.pk)), normalized, query_vector)
    if exclude:
        scores.pop(exclude, None)
    ranked = sorted(((pk, s) for pk, s in scores.items() if s >= min_score), key=lambda r: (-r[1], r[0]))
    return ranked[:k]


def _mix(sem, base, rows, tfidf, have):
    mixed = base.copy()
    mixed[rows] = tfidf
    w = semantic.SEMANTIC_WEIGHT
    return np.where(have, w * sem + (1 - w) * mixed, mixed * _tfidf_scale()).astype(np.float32)


def _tfidf_scale() -> float:
    from . import duplicates

    return (duplicates.thresholds(semantic_available=True)[duplicates.DEFAULT_LEVEL]
            / duplicates.thresholds(semantic_available=False)[duplicates.DEFAULT_LEVEL])


def _on_the_fly(rows, normalized: str, query_vector) -> dict[int, float]:
    """Scores of a few ideas (rows of _rows) computed now: TF-IDF among them, plus their vectors."""
    if not rows:
        return {}
    keys = [r[0] for r in rows]
    index = textsim.SimilarityIndex((r[0], r[1] or "") for r in rows)
    hit_rows, tfidf = index.scores(normalized)
    encoder = semantic.get_encoder()
    if query_vector is None:
        return {keys[r]: float(s) for r, s in zip(hit_rows, tfidf, strict=True)}
    vectors = np.zeros((len(rows), semantic.DIM), dtype=np.float32)
    have = np.zeros(len(rows), dtype=bool)
    for i, r in enumerate(rows):
        vector = semantic.from_bytes(r[2]) if r[3] == encoder.code else None
        if vector is not None:
            vectors[i], have[i] = vector, True
    mixed = _mix(vectors @ query_vector, np.zeros(len(rows), dtype=np.float32), hit_rows, tfidf, have)
    return {keys[i]: float(mixed[i]) for i in range(len(rows))}
