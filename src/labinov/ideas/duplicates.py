"""Duplicate detection for ideas: the calibrated settings in words, and the grouping itself.

Similarity of two ideas is the mix of core/semantic.py: a multilingual sentence encoder's cosine
(stored vectors, one per idea) and the stemmed TF-IDF cosine of core/textsim.py; TF-IDF alone when
no encoder is installed. Groups are average-linkage clusters cut at the setting's threshold.

The thresholds below were calibrated on the labelled set in bench/data (bench/bench_duplicates.py,
docs/benchmarks.md): "mirip" is the cut that agrees best with the groups coaches would make
(adjusted Rand index), "sangat mirip" proposes fewer, surer groups, "agak mirip" casts a wider net.
The mixed similarity and TF-IDF alone live on different scales, so each has its own cuts.

Any program size: up to DENSE_LIMIT ideas the whole similarity matrix is computed; above it, each
idea's nearest neighbours are found block by block (memory stays bounded), the pairs above the cut
form a graph, and only its connected components are clustered exactly. Pairs a coach marked as
"not duplicates" are never grouped together.
"""

from __future__ import annotations

import hashlib
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

import numpy as np
from django.utils.translation import gettext_lazy as _

VERY_SIMILAR, SIMILAR, SOMEWHAT_SIMILAR = "very", "similar", "somewhat"
DEFAULT_LEVEL = SIMILAR
LEVELS = (VERY_SIMILAR, SIMILAR, SOMEWHAT_SIMILAR)
LEVEL_LABELS = {
    VERY_SIMILAR: _("very similar"),
    SIMILAR: _("similar"),
    SOMEWHAT_SIMILAR: _("somewhat similar"),
}
LEVEL_HELP = {
    VERY_SIMILAR: _("fewer groups, each almost certainly one innovation"),
    SIMILAR: _("the groups a coach would usually make (recommended)"),
    SOMEWHAT_SIMILAR: _("more and larger groups: check each before merging"),
}
_MIXED = {VERY_SIMILAR: 0.75, SIMILAR: 0.72, SOMEWHAT_SIMILAR: 0.70}
_TFIDF = {VERY_SIMILAR: 0.14, SIMILAR: 0.10, SOMEWHAT_SIMILAR: 0.07}
# Below this share of ideas with a stored vector, a program is grouped by TF-IDF alone (the vectors
# are still being computed); above it, the few missing ones are compared by TF-IDF on the mixed scale.
MIN_VECTOR_SHARE = 0.9
DENSE_LIMIT = 3000  # the whole n x n similarity matrix (72 MB at 3,000 ideas)
NEIGHBOURS = 20  # candidate neighbours per idea above DENSE_LIMIT
BLOCK = 256  # rows per block of the neighbour search
COMPONENT_LIMIT = 3000  # a connected component larger than this is split by a stricter cut first
ENGINE_VERSION = "1"


def thresholds(*, semantic_available: bool) -> dict[str, float]:
    """Level -> similarity cut, for the mixed similarity or for TF-IDF alone."""
    return dict(_MIXED if semantic_available else _TFIDF)


def level_or_default(value) -> str:
    return value if value in LEVELS else DEFAULT_LEVEL


@dataclass
class Item:
    key: int
    text: str  # normalised (textsim.normalize), the idea's search_text
    vector: np.ndarray | None = None  # stored sentence vector, None if not (yet) computed
    words: str = ""  # the original title and texts, for naming the shared phrases


def fingerprint(items: Sequence[Item], level: str, not_pairs: Iterable[tuple[int, int]]) -> str:
    """Identifies what a grouping was computed from: ideas, their texts and vectors, setting, exclusions."""
    digest = hashlib.sha256(f"{ENGINE_VERSION}|{level}".encode())
    for item in sorted(items, key=lambda i: i.key):
        digest.update(f"{item.key}|{item.text}|{0 if item.vector is None else 1}\n".encode())
    for a, b in sorted(not_pairs):
        digest.update(f"x{a},{b}\n".encode())
    return digest.hexdigest()[:32]


class _Similarity:
    """Mixed (or TF-IDF-only) similarity of rows of a program's ideas, computed a block at a time."""

    def __init__(self, items: Sequence[Item], level: str):
        from labinov.core import semantic, textsim

        _, self.tfidf = textsim._fit([i.text or "" for i in items])
        dims = semantic.DIM
        have = np.array([i.vector is not None and i.vector.shape == (dims,) for i in items], dtype=bool)
        self.semantic = bool(len(items)) and have.mean() >= MIN_VECTOR_SHARE
        self.cut = thresholds(semantic_available=self.semantic)[level]
        self.have = have
        if self.semantic:
            vectors = np.zeros((len(items), dims), dtype=np.float32)
            vectors[have] = np.stack([i.vector for i in items if i.vector is not None and i.vector.shape == (dims,)])
            self.vectors = vectors
            # A pair with a missing vector is compared by TF-IDF, put on the mixed scale cut for cut.
            self.tfidf_scale = self.cut / thresholds(semantic_available=False)[level]
            self.weight = semantic.SEMANTIC_WEIGHT

    def block(self, rows: np.ndarray, cols: np.ndarray | None = None) -> np.ndarray:
        """Similarities of the given rows to the given columns (all columns by default)."""
        t = self.tfidf[rows] @ (self.tfidf if cols is None else self.tfidf[cols]).T
        t = np.asarray(t.toarray(), dtype=np.float32)
        if not self.semantic:
            return t
        v = self.vectors[rows] @ (self.vectors if cols is None else self.vectors[cols]).T
        both = np.outer(self.have[rows], self.have if cols is None else self.have[cols])
        return np.where(both, self.weight * v + (1.0 - self.weight) * t, t * self.tfidf_scale).astype(np.float32)


def group(
    items: Sequence[Item],
    level: str = DEFAULT_LEVEL,
    *,
    not_pairs: Iterable[tuple[int, int]] = (),
    progress: Callable[[int, int], None] | None = None,
) -> list[dict]:
    """Proposed groups: ``[{"ideas": [key, ...], "phrases": [...]}, ...]``, largest first.

    Within a group the most central idea comes first. ``progress(done, total)`` is called as the
    neighbour search advances (large programs only).
    """
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components

    from labinov.core.textsim import cluster_matrix

    items = list(items)
    n = len(items)
    if n < 2:
        return []
    level = level_or_default(level)
    sim = _Similarity(items, level)
    index = {item.key: row for row, item in enumerate(items)}
    excluded = defaultdict(set)
    for a, b in not_pairs:
        if a in index and b in index:
            excluded[index[a]].add(index[b])
            excluded[index[b]].add(index[a])

    def exact(rows: list[int]) -> list[list[int]]:
        block = sim.block(np.array(rows))[:, rows]
        local = {r: j for j, r in enumerate(rows)}
        for r in rows:
            for other in excluded.get(r, ()):
                if other in local:
                    block[local[r], local[other]] = block[local[other], local[r]] = -1.0
        return [[rows[j] for j in g] for g in cluster_matrix(block, sim.cut)]

    if n <= DENSE_LIMIT:
        groups = exact(list(range(n)))
    else:
        sources, targets = [], []
        k = min(NEIGHBOURS, n - 1)
        for start in range(0, n, BLOCK):
            rows = np.arange(start, min(n, start + BLOCK))
            block = sim.block(rows)
            block[np.arange(len(rows)), rows] = -np.inf
            top = np.argpartition(-block, k - 1, axis=1)[:, :k]
            scores = np.take_along_axis(block, top, axis=1)
            keep = scores >= sim.cut
            sources.append(np.repeat(rows, k)[keep.ravel()])
            targets.append(top.ravel()[keep.ravel()])
            if progress:
                progress(int(rows[-1]) + 1, n)
        src, dst = np.concatenate(sources), np.concatenate(targets)
        graph = coo_matrix((np.ones(len(src)), (src, dst)), shape=(n, n))
        _, labels = connected_components(graph, directed=False)
        components = defaultdict(list)
        for row, label in enumerate(labels):
            components[int(label)].append(row)
        groups = []
        for rows in components.values():
            if len(rows) < 2:
                continue
            if len(rows) > COMPONENT_LIMIT:  # a chain of near-neighbours: keep only its strongest links
                rows = rows[:COMPONENT_LIMIT]
            groups.extend(exact(rows))
        groups.sort(key=lambda g: (-len(g), min(g)))
    df = Counter(stem for item in items for stem in set((item.text or "").split()))
    return [{"ideas": [items[r].key for r in g], "phrases": shared_phrases([items[r] for r in g], df=df)} for g in groups]


def shared_phrases(members: Sequence[Item], limit: int = 4, df: Counter | None = None) -> list[str]:
    """Why a group was proposed: the words (as written) whose stems most members share."""
    from labinov.core.textsim import _TOKEN_RE, STOP_WORDS, _fold, _stem_token

    stems_per_member = [set((m.text or "").split()) for m in members]
    counts = Counter(stem for stems in stems_per_member for stem in stems)
    need = 2 if len(members) <= 3 else (len(members) + 1) // 2
    shared = [s for s, c in counts.items() if c >= need and len(s) > 2]
    if not shared:
        return []
    surface: dict[str, Counter] = defaultdict(Counter)
    for m in members:
        for token in _TOKEN_RE.findall(_fold(m.words or "")):
            if token in STOP_WORDS or len(token) < 3:
                continue
            for stem in _stem_token(token):
                if stem in counts:
                    surface[stem][token] += 1
    # Rarer words say more about the group than common ones ("jentik" over "warga"): order by how
    # many members share the stem, then by how few ideas of the program have it (``df``).
    df = df or Counter()
    shared.sort(key=lambda s: (-counts[s], df.get(s, 0), s))
    return [surface[s].most_common(1)[0][0] if surface.get(s) else s for s in shared[:limit]]
