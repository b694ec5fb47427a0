"""Indonesian text normalisation, similarity search and near-duplicate clustering.

Pure Python over PySastrawi, scikit-learn, numpy and scipy: no models, no database. Django's
settings are read only by :func:`index_path`, for the directory where saved indexes live.

Pipeline
--------
``normalize(text)`` turns free text into the value stored in an idea's ``search_text`` column
(searched by SQLite FTS5 and PostgreSQL alike): ASCII-folded, lower-cased, punctuation, pure
numbers and emoji dropped, a few English loan words mapped to their Indonesian equivalent
(``online`` -> ``daring``, ``one stop`` -> ``satu pintu``), Indonesian function words removed and
every remaining word reduced to its root by the Sastrawi stemmer (``pelayanan`` -> ``layan``,
``perizinan`` -> ``izin``). The result is deterministic for a given :data:`NORMALIZE_VERSION`
and PySastrawi version; when either changes, stored ``search_text`` values must be recomputed.
Applying ``normalize`` to its own output leaves it (almost always) unchanged, so normalising a
query twice is harmless.

Everything downstream takes *normalised* text:

* :class:`SimilarityIndex`: a TF-IDF (unigrams + bigrams, sublinear tf) matrix over many texts,
  queried by cosine similarity through its inverted (term -> documents) form, saved to and loaded
  from one ``.npz`` file without pickle.
* :func:`similar`: the same on a small on-the-fly candidate list.
* :func:`cluster` and :func:`cluster_title`: near-duplicate groups for the organiser's
  consolidation view (average-linkage agglomerative clustering on cosine distance).
"""

from __future__ import annotations

import functools
import hashlib
import json
import math
import os
import re
import tempfile
import threading
import unicodedata
from collections import Counter
from collections.abc import Hashable, Iterable, Sequence
from pathlib import Path
from typing import Any

import numpy as np
from scipy import sparse

__all__ = [
    "NORMALIZE_VERSION",
    "STOP_WORDS",
    "SimilarityIndex",
    "cluster",
    "cluster_matrix",
    "cluster_title",
    "index_path",
    "load_cached",
    "normalize",
    "similar",
    "warm_up",
]

# Bump when the stop words, the synonyms or the tokenisation below change: stored search_text
# values (and saved indexes) made with another version must then be recomputed.
NORMALIZE_VERSION = "1"

# --------------------------------------------------------------------------------------------
# Normalisation
# --------------------------------------------------------------------------------------------

# Indonesian function words (conjunctions, prepositions, pronouns, particles, auxiliaries,
# demonstratives, question words), common chat abbreviations of them, and a few English function
# words that show up in mixed titles. Deliberately our own short list rather than PySastrawi's
# 800-word one, which also drops content words that matter for innovation ideas ("dini" in
# "peringatan dini", "satu" in "satu pintu" / "satu data", "masalah", "kerja", "baru", "tempat").
STOP_WORDS: frozenset[str] = frozenset(
    """
    yang dan di ke dari untuk dengan pada dalam oleh atau serta juga ini itu tersebut adalah ialah
    merupakan yaitu yakni akan telah sudah sedang masih belum bisa dapat harus perlu agar supaya
    sehingga karena sebab jika apabila bila kalau maka namun tetapi tapi sedangkan melainkan
    bahwa sebagai secara para sang si pun lah kah tah nya mu ku se per antara terhadap tentang
    hingga sampai sejak bagi demi tanpa melalui lewat menuju kepada daripada seperti bagaikan
    ada adanya tidak tak bukan jangan saja hanya pula lagi lebih sangat paling amat sekali
    setiap tiap semua seluruh segala berbagai beberapa banyak sebuah suatu seorang sesuatu
    kami kita saya aku anda kamu mereka dia ia beliau sini situ sana begini begitu demikian
    apa siapa mana bagaimana mengapa kenapa kapan dimana kemana darimana sekaligus atas
    lainnya masing bahkan apalagi meskipun walaupun walau meski ketika saat selama setelah
    sebelum sesudah kemudian lalu sambil sementara ingin hendak mau via dll dsb dst yg dg dgn
    utk tsb sbg dr krn pd
    the of and for to in on at by with from an is are be as or
    """.split()
)

# Loan words and phrases mapped to the Indonesian form, so that "online" finds "daring" in FTS and
# in the similarity index alike. Keys are lower-case ASCII token tuples; keep this table short.
_SYNONYMS: dict[tuple[str, ...], tuple[str, ...]] = {
    ("online",): ("daring",),
    ("offline",): ("luring",),
    ("one", "stop"): ("satu", "pintu"),
    ("one-stop",): ("satu", "pintu"),
    ("onestop",): ("satu", "pintu"),
}
_MAX_PHRASE = max(len(k) for k in _SYNONYMS)

# Runs of ASCII letters and digits, hyphens inside a word kept (reduplication: "anak-anak").
_TOKEN_RE = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_APOSTROPHES_RE = re.compile(r"['\u2018\u2019\u02bc\u0060\u00b4]")
# Longer "words" are pasted identifiers, hashes or URLs: not worth stemming or indexing.
MAX_TOKEN_LEN = 40

_stemmer: Any = None
_stemmer_lock = threading.Lock()


def _get_stemmer():
    """The Sastrawi stemmer, created once per process (loading its dictionary takes a moment)."""
    global _stemmer
    if _stemmer is None:
        with _stemmer_lock:
            if _stemmer is None:
                from Sastrawi.Stemmer.StemmerFactory import StemmerFactory

                # The factory wraps the stemmer in an unbounded dict cache; we keep our own bounded
                # cache in _stem_token and call the underlying stemmer directly.
                created = StemmerFactory().create_stemmer()
                _stemmer = getattr(created, "delegatedStemmer", created)
    return _stemmer


@functools.lru_cache(maxsize=1 << 18)
def _stem_token(token: str) -> tuple[str, ...]:
    """Stems of one lower-case token; cached, since Sastrawi takes ~0.1-0.3 ms per word."""
    if token.isdigit():
        return ()
    if any(c.isdigit() for c in token):
        # Alphanumeric codes (covid19, 5g, p3k) are kept as they are, hyphen parts split.
        return tuple(p for p in token.split("-") if len(p) > 1 and not p.isdigit())
    stemmer = _get_stemmer()
    stem = stemmer.stem_word(token)
    if "-" in stem:
        # Not a reduplication Sastrawi could fold ("e-ktp", "sayur-mayur"): stem each part.
        parts = [stemmer.stem_word(p) for p in stem.split("-") if p]
        if len(set(parts)) == 1:  # an unfolded reduplication ("kupu-kupu")
            parts = parts[:1]
    else:
        parts = [stem]
    return tuple(p for p in parts if len(p) > 1 and p not in STOP_WORDS)


def _fold(text: str) -> str:
    text = _APOSTROPHES_RE.sub("", text)
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c))
    return text.casefold()


def _apply_synonyms(tokens: list[str]) -> list[str]:
    out: list[str] = []
    i = 0
    n = len(tokens)
    while i < n:
        for size in range(min(_MAX_PHRASE, n - i), 0, -1):
            replacement = _SYNONYMS.get(tuple(tokens[i : i + size]))
            if replacement is not None:
                out.extend(replacement)
                i += size
                break
        else:
            out.append(tokens[i])
            i += 1
    return out


def normalize(text: str | None) -> str:
    """Stemmed, stop-word-free, lower-case ASCII words joined by single spaces.

    ``None``, empty text and text without letters give ``""``. Deterministic: the value can be
    stored (``search_text``) and compared across processes and databases.
    """
    if not text:
        return ""
    if not isinstance(text, str):
        text = str(text)
    tokens = _apply_synonyms(_TOKEN_RE.findall(_fold(text)))
    words: list[str] = []
    for token in tokens:
        if len(token) > MAX_TOKEN_LEN or len(token) < 2 or token in STOP_WORDS:
            continue
        words.extend(_stem_token(token))
    return " ".join(words)


# --------------------------------------------------------------------------------------------
# TF-IDF
# --------------------------------------------------------------------------------------------

_FORMAT = "labinov-textsim-1"
_NGRAMS = (1, 2)


def _vectorizer():
    from sklearn.feature_extraction.text import TfidfVectorizer

    # Texts are already normalised: tokens are whitespace-separated, nothing to lower-case. norm=None
    # because we L2-normalise ourselves (the query side needs the raw weights, see _query_vector).
    return TfidfVectorizer(
        lowercase=False,
        token_pattern=r"\S+",
        ngram_range=_NGRAMS,
        sublinear_tf=True,
        min_df=1,
        smooth_idf=True,
        norm=None,
        dtype=np.float32,
    )


def _l2_rows(matrix: sparse.csr_matrix) -> sparse.csr_matrix:
    from sklearn.preprocessing import normalize as l2_normalize

    return l2_normalize(matrix, norm="l2", axis=1, copy=False)


def _fit(texts: Sequence[str]):
    """(vectorizer, L2-normalised CSR document x term matrix) for the texts; empty vocabulary ok."""
    vectorizer = _vectorizer()
    try:
        matrix = vectorizer.fit_transform(texts)
    except ValueError:  # "empty vocabulary": every text is empty
        return None, sparse.csr_matrix((len(texts), 0), dtype=np.float32)
    return vectorizer, _l2_rows(matrix.tocsr()).astype(np.float32, copy=False)


def _content_version(keys: Sequence[Hashable], texts: Sequence[str]) -> str:
    digest = hashlib.sha256(f"{_FORMAT}|{NORMALIZE_VERSION}|{_NGRAMS}".encode())
    for key, text in zip(keys, texts, strict=True):
        digest.update(json.dumps([key, text], default=repr, ensure_ascii=False).encode())
        digest.update(b"\n")
    return digest.hexdigest()[:20]


class SimilarityIndex:
    """Cosine similarity search over many normalised texts.

    Example::

        index = SimilarityIndex((idea.pk, idea.search_text) for idea in ideas)
        index.query(normalize("Penjualan tiket daring wahana Taman Pintar"), k=5, exclude=[this.pk])
        # -> [(17, 0.55), (4, 0.31)]

    The TF-IDF matrix is held in CSC form (columns = terms), whose transpose is an inverted index:
    a query touches only the postings of its own terms, not every document. The vocabulary is kept
    as a sorted array of 64-bit term hashes rather than a dict of strings: with a real corpus it has
    millions of unigrams and bigrams, which as Python objects would cost each worker process
    hundreds of MB and a second or more to load. ``version`` is a hash of the keys and texts (and
    of the normalisation and index format), so processes holding a copy can tell whether the saved
    file is the same index (see :func:`load_cached`).
    """

    def __init__(self, items: Iterable[tuple[Hashable, str]] = ()):
        keys: list[Hashable] = []
        texts: list[str] = []
        for key, text in items:
            keys.append(key)
            texts.append(text or "")
        self._set_keys(keys)
        vectorizer, matrix = _fit(texts)
        if vectorizer is None:
            hashes = np.zeros(0, dtype=np.uint64)
            cols = np.zeros(0, dtype=np.int32)
            idf = np.zeros(0, dtype=np.float64)
        else:
            vocabulary = vectorizer.vocabulary_
            hashes = _hash_terms(vocabulary.keys())
            cols = np.fromiter(vocabulary.values(), dtype=np.int32, count=len(vocabulary))
            order = np.argsort(hashes, kind="stable")
            hashes, cols = hashes[order], cols[order]
            idf = np.asarray(vectorizer.idf_, dtype=np.float64)
            del vectorizer, vocabulary
        self._init_model(hashes, cols, idf, matrix.tocsc(), _content_version(keys, texts))

    # -- construction helpers ------------------------------------------------------------------
    def _set_keys(self, keys: list[Hashable]) -> None:
        self._keys = keys
        self._rows = {key: row for row, key in enumerate(keys)}
        if len(self._rows) != len(keys):
            dupes = [k for k, c in Counter(keys).items() if c > 1][:5]
            raise ValueError(f"duplicate keys in SimilarityIndex: {dupes}")

    def _init_model(self, hashes: np.ndarray, cols: np.ndarray, idf: np.ndarray, matrix_csc, version: str) -> None:
        self._term_hashes = hashes  # sorted uint64 hashes of the terms
        self._term_cols = cols  # the matrix column of each
        self._idf = idf
        self._matrix = matrix_csc  # documents x terms, CSC
        self._postings = matrix_csc.T  # terms x documents, CSR view of the same arrays
        self._analyzer = _vectorizer().build_analyzer()
        self.version = version
        # IDF of a term no stored document has (smooth idf with df = 0): an unknown query term
        # still counts in the query's norm, so that a long query sharing one word with a short
        # text does not score as if it were that text.
        self._idf_unknown = math.log(len(self._keys) + 1) + 1.0

    # -- queries -------------------------------------------------------------------------------
    def __len__(self) -> int:
        return len(self._keys)

    def __contains__(self, key: object) -> bool:
        return key in self._rows

    def __repr__(self) -> str:
        return f"<SimilarityIndex {len(self)} texts, {self.n_terms} terms, version {self.version}>"

    @property
    def keys(self) -> list[Hashable]:
        return list(self._keys)

    @property
    def n_terms(self) -> int:
        return len(self._term_hashes)

    @property
    def nbytes(self) -> int:
        """Bytes held by the arrays: the sparse matrix, the IDF weights and the term hashes."""
        m = self._matrix
        arrays = (m.data, m.indices, m.indptr, self._idf, self._term_hashes, self._term_cols)
        return int(sum(a.nbytes for a in arrays))

    def _columns(self, terms: Sequence[str]) -> np.ndarray:
        """Matrix column of each term, -1 for terms no stored text has."""
        if not len(self._term_hashes) or not terms:
            return np.full(len(terms), -1, dtype=np.int64)
        wanted = _hash_terms(terms)
        pos = np.searchsorted(self._term_hashes, wanted)
        pos[pos == len(self._term_hashes)] = 0
        found = self._term_hashes[pos] == wanted
        return np.where(found, self._term_cols[pos], -1).astype(np.int64)

    def _query_vector(self, normalized_text: str) -> sparse.csr_matrix | None:
        """1 x terms query vector, L2 norm taken over known *and* unknown terms; None if empty."""
        counts = Counter(self._analyzer(normalized_text or ""))
        if not counts:
            return None
        cols = self._columns(list(counts))
        known = cols >= 0
        if not known.any():
            return None
        tf = np.fromiter(counts.values(), dtype=np.float64, count=len(counts))
        idf = np.where(known, self._idf[np.where(known, cols, 0)], self._idf_unknown)
        weights = (1.0 + np.log(tf)) * idf  # sublinear_tf, as in TfidfVectorizer
        norm = math.sqrt(float(weights @ weights))
        cols, weights = cols[known], weights[known]
        order = np.argsort(cols)
        data = (weights[order] / norm).astype(np.float32)
        indices = cols[order].astype(np.int32)
        return sparse.csr_matrix((data, indices, np.array([0, len(indices)], dtype=np.int32)), shape=(1, self.n_terms))

    def scores(self, normalized_text: str) -> tuple[np.ndarray, np.ndarray]:
        """(rows, cosine scores) of every stored text sharing a term with the query, unsorted."""
        q = self._query_vector(normalized_text)
        if q is None or len(self) == 0:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32)
        result = (q @ self._postings).tocsr()
        return result.indices.astype(np.int64, copy=False), result.data

    def query(
        self,
        normalized_text: str,
        k: int = 5,
        min_score: float = 0.25,
        exclude: Iterable[Hashable] = (),
    ) -> list[tuple[Hashable, float]]:
        """The k stored texts most similar to ``normalized_text``: ``[(key, score), ...]``.

        Scores are cosine similarities in [0, 1], best first (ties by insertion order); texts
        scoring below ``min_score`` and keys in ``exclude`` (e.g. the idea itself) are left out.
        """
        if k <= 0:
            return []
        rows, values = self.scores(normalized_text)
        keep = values >= min_score
        if exclude:
            excluded = [self._rows[key] for key in exclude if key in self._rows]
            if excluded:
                keep &= ~np.isin(rows, excluded)
        rows, values = rows[keep], values[keep]
        return [(self._keys[r], s) for r, s in _top_k(rows, values, k)]

    # -- persistence ---------------------------------------------------------------------------
    def save(self, path: str | os.PathLike) -> Path:
        """Write the index to one ``.npz`` file, atomically (readers see the old or the new file).

        Keys must be ``str`` or ``int`` (they are stored as JSON). No pickle is involved: the file
        holds the sparse matrix in ``scipy.sparse.save_npz`` layout (so ``load_npz`` reads it too),
        the IDF weights, the vocabulary as term hashes, and the keys and metadata as UTF-8 JSON.
        The file is created with mode 0600 (readable by the app's own user only).
        """
        path = Path(path)
        for key in self._keys:
            if isinstance(key, bool) or not isinstance(key, (str, int)):
                raise TypeError(f"only str and int keys can be saved, not {type(key).__name__}")
        meta = {
            "format": _FORMAT,
            "normalize_version": NORMALIZE_VERSION,
            "version": self.version,
            "n_texts": len(self),
            "n_terms": self.n_terms,
        }
        m = self._matrix
        arrays = {
            # scipy.sparse.save_npz layout
            "format": np.array(m.format.encode("ascii")),
            "shape": np.array(m.shape),
            "data": m.data,
            "indices": m.indices,
            "indptr": m.indptr,
            # ours
            "idf": self._idf,
            "term_hashes": self._term_hashes,
            "term_cols": self._term_cols,
            "meta": _json_bytes(meta),
            "keys": _json_bytes(self._keys),
        }
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
        try:
            with os.fdopen(fd, "wb") as fh:
                np.savez(fh, **arrays)  # uncompressed: loads faster, the data barely compresses
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        return path

    @classmethod
    def load(cls, path: str | os.PathLike) -> SimilarityIndex:
        """Read a file written by :meth:`save` (only ever from the app's own data directory).

        The large arrays are memory-mapped, not copied: several worker processes that load the
        same file share its pages through the operating system's cache, so memory does not grow
        by the size of the index per process.
        """
        z = _npz_arrays(path)
        meta = _json_load(z["meta"])
        if meta.get("format") != _FORMAT:
            raise ValueError(f"{path}: not a {_FORMAT} file (format {meta.get('format')!r})")
        fmt = z["format"].item()
        fmt = fmt.decode("ascii") if isinstance(fmt, bytes) else str(fmt)
        if fmt != "csc":
            raise ValueError(f"{path}: expected a CSC matrix, found {fmt!r}")
        shape = tuple(int(x) for x in z["shape"])
        # Assigned, not passed to the constructor, which would copy the memory-mapped arrays.
        matrix = sparse.csc_matrix(shape, dtype=z["data"].dtype)
        matrix.data, matrix.indices, matrix.indptr = z["data"], z["indices"], z["indptr"]
        idf = z["idf"].astype(np.float64, copy=False)
        hashes = z["term_hashes"].astype(np.uint64, copy=False)
        cols = z["term_cols"].astype(np.int32, copy=False)
        keys = _json_load(z["keys"])
        if len(keys) != shape[0] or not len(idf) == len(hashes) == len(cols) == shape[1]:
            raise ValueError(f"{path}: inconsistent index file")
        self = cls.__new__(cls)
        self._set_keys(keys)
        self._init_model(hashes, cols, idf, matrix, meta["version"])
        return self

    @staticmethod
    def stored_version(path: str | os.PathLike) -> str | None:
        """The ``version`` of the index saved at ``path`` (reads only its metadata), None if absent."""
        try:
            with np.load(path, allow_pickle=False) as z:
                return _json_load(z["meta"]).get("version")
        except FileNotFoundError:
            return None


def _npz_arrays(path: str | os.PathLike) -> dict[str, np.ndarray]:
    """The arrays of an uncompressed ``.npz`` (as ``np.savez`` writes it), memory-mapped read-only.

    ``np.load`` cannot memory-map the members of an ``.npz``; but ``np.savez`` stores them
    uncompressed, so each member's ``.npy`` data sits at a fixed offset of the file. Members that
    are compressed, or not plain arrays, are read normally.
    """
    import zipfile

    arrays: dict[str, np.ndarray] = {}
    with zipfile.ZipFile(path) as archive, open(path, "rb") as fh:
        for info in archive.infolist():
            name = info.filename[:-4] if info.filename.endswith(".npy") else info.filename
            if info.compress_type != zipfile.ZIP_STORED:
                arrays[name] = np.load(archive.open(info), allow_pickle=False)
                continue
            fh.seek(info.header_offset)
            local = fh.read(30)
            start = info.header_offset + 30 + int.from_bytes(local[26:28], "little") + int.from_bytes(local[28:30], "little")
            fh.seek(start)
            version = np.lib.format.read_magic(fh)
            read_header = np.lib.format.read_array_header_1_0 if version == (1, 0) else np.lib.format.read_array_header_2_0
            shape, fortran, dtype = read_header(fh)
            if dtype.hasobject:
                raise ValueError(f"{path}: {name} holds Python objects")
            offset = fh.tell()
            if not shape or int(np.prod(shape)) == 0 or offset + dtype.itemsize * int(np.prod(shape)) > start + info.file_size:
                fh.seek(start)
                arrays[name] = np.lib.format.read_array(fh, allow_pickle=False)
                continue
            arrays[name] = np.memmap(path, dtype=dtype, mode="r", offset=offset, shape=shape,
                                     order="F" if fortran else "C")
    return arrays


def _hash_terms(terms: Iterable[str]) -> np.ndarray:
    """64-bit BLAKE2b of each term: stable across processes and platforms, unlike hash().

    With a few million terms the chance of any collision is ~1e-7; one would only merge two terms.
    """
    terms = list(terms)
    return np.fromiter(
        (int.from_bytes(hashlib.blake2b(t.encode(), digest_size=8).digest(), "little") for t in terms),
        dtype=np.uint64,
        count=len(terms),
    )


def _json_bytes(value: Any) -> np.ndarray:
    return np.frombuffer(json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode(), dtype=np.uint8)


def _json_load(array: np.ndarray) -> Any:
    return json.loads(array.tobytes().decode())


def _top_k(rows: np.ndarray, values: np.ndarray, k: int) -> list[tuple[int, float]]:
    """Best k (row, score) pairs, score descending then row ascending (deterministic on ties)."""
    if len(values) > k:
        # argpartition finds the k-th best score; keep every row tying with it, then sort exactly.
        kth = values[np.argpartition(-values, k - 1)[k - 1]]
        keep = values >= kth
        rows, values = rows[keep], values[keep]
    order = np.lexsort((rows, -values))[:k]
    return [(int(rows[i]), float(values[i])) for i in order]


# --------------------------------------------------------------------------------------------
# Saved indexes shared by processes
# --------------------------------------------------------------------------------------------

_NAME_RE = re.compile(r"^[a-z0-9][a-z0-9_.-]{0,80}$")
_cache: dict[str, SimilarityIndex] = {}
_cache_lock = threading.Lock()


def index_path(name: str) -> Path:
    """Where the index called ``name`` is saved: ``<DATA_DIR>/textsim/<name>.npz``."""
    from django.conf import settings

    if not _NAME_RE.match(name) or ".." in name:
        raise ValueError(f"invalid index name {name!r}")
    return Path(settings.DATA_DIR) / "textsim" / f"{name}.npz"


def load_cached(path: str | os.PathLike) -> SimilarityIndex | None:
    """The index saved at ``path``, loaded once per process and reloaded when the file changes.

    Another process (a task rebuilding the index) replaces the file atomically with
    :meth:`SimilarityIndex.save`; each worker notices the new ``version`` on its next call.
    Returns None when no index has been saved yet.
    """
    key = str(Path(path).resolve())
    version = SimilarityIndex.stored_version(key)
    if version is None:
        return None
    with _cache_lock:
        cached = _cache.get(key)
        if cached is not None and cached.version == version:
            return cached
        index = SimilarityIndex.load(key)
        _cache[key] = index
        return index


# --------------------------------------------------------------------------------------------
# Small sets: similar() and cluster()
# --------------------------------------------------------------------------------------------


def similar(
    query_text: str,
    candidates: Iterable[tuple[Hashable, str]],
    k: int = 5,
    min_score: float = 0.25,
    exclude: Iterable[Hashable] = (),
) -> list[tuple[Hashable, float]]:
    """Top matches of ``query_text`` among a small candidate list (e.g. one program's ideas).

    Both the query and the candidates' texts are *normalised* text (see :func:`normalize`). Builds
    a throw-away :class:`SimilarityIndex`, so IDF weights come from the candidates themselves.
    """
    candidates = list(candidates)
    if not candidates or not query_text:
        return []
    return SimilarityIndex(candidates).query(query_text, k=k, min_score=min_score, exclude=exclude)


# Clustering holds a few n x n float64 matrices: ~0.5 GB at 5,000 items. The consolidation view
# works on one program's ideas (hundreds).
MAX_CLUSTER_ITEMS = 5_000
DEFAULT_CLUSTER_THRESHOLD = 0.25


def _similarity_matrix(texts: Sequence[str]) -> np.ndarray:
    _, matrix = _fit(texts)
    sim = (matrix @ matrix.T).toarray().astype(np.float64)
    np.clip(sim, 0.0, 1.0, out=sim)
    sim = (sim + sim.T) / 2.0
    np.fill_diagonal(sim, 1.0)
    return sim


def cluster(
    items: Sequence[tuple[Hashable, str]],
    threshold: float = DEFAULT_CLUSTER_THRESHOLD,
) -> list[list[Hashable]]:
    """Groups of near-duplicate texts: ``[[key, ...], ...]``, only groups of two or more.

    ``items`` are ``(key, normalised text)``. ``threshold`` is the *similarity* two groups need on
    average (cosine, 0..1) to be merged: average-linkage agglomerative clustering is cut at cosine
    distance ``1 - threshold``. Groups come largest first (ties: earliest member first); within a
    group, keys are ordered by their mean similarity to the other members, most central first
    (ties: input order). Deterministic for the same input.
    """
    items = list(items)
    if not 0.0 < threshold <= 1.0:
        raise ValueError("threshold is a cosine similarity in (0, 1]")
    if len(items) > MAX_CLUSTER_ITEMS:
        raise ValueError(f"cluster() takes at most {MAX_CLUSTER_ITEMS} items, got {len(items)}")
    if len(items) < 2:
        return []
    keys = [key for key, _ in items]
    if len(set(keys)) != len(keys):
        raise ValueError("duplicate keys in cluster()")
    sim = _similarity_matrix([text or "" for _, text in items])
    return [[keys[i] for i in g] for g in cluster_matrix(sim, threshold)]


def cluster_matrix(sim: np.ndarray, threshold: float) -> list[list[int]]:
    """Average-linkage groups (row indices, two or more) of a symmetric similarity matrix.

    The same cut and ordering as :func:`cluster`, for callers that mix similarities themselves.
    """
    from scipy.cluster.hierarchy import fcluster, linkage
    from scipy.spatial.distance import squareform

    n = len(sim)
    if n < 2:
        return []
    sim = np.clip((np.asarray(sim, dtype=np.float64) + np.asarray(sim, dtype=np.float64).T) / 2.0, -1.0, 1.0)
    np.fill_diagonal(sim, 1.0)
    distance = 1.0 - sim
    np.fill_diagonal(distance, 0.0)
    tree = linkage(squareform(distance, checks=False), method="average")
    # A hair of tolerance so that a pair exactly at the threshold is merged, whatever the rounding.
    labels = fcluster(tree, t=(1.0 - threshold) + 1e-9, criterion="distance")

    members: dict[int, list[int]] = {}
    for i, label in enumerate(labels):
        members.setdefault(int(label), []).append(i)
    groups: list[list[int]] = []
    for rows in members.values():
        if len(rows) < 2:
            continue
        block = sim[np.ix_(rows, rows)]
        centrality = (block.sum(axis=1) - 1.0) / (len(rows) - 1)
        order = sorted(range(len(rows)), key=lambda j: (-round(float(centrality[j]), 12), rows[j]))
        groups.append([rows[j] for j in order])
    groups.sort(key=lambda g: (-len(g), min(g)))
    return groups


def warm_up() -> None:
    """Pay the one-off costs now rather than in the first request that needs them.

    Importing scikit-learn and scipy.cluster takes 1-4 s on a small server and loading the
    Sastrawi dictionary ~50 ms; call this from a worker's start-up hook to spare the first
    consolidation view or "similar ideas" lookup that wait.
    """
    import scipy.cluster.hierarchy  # noqa: F401
    import scipy.spatial.distance  # noqa: F401
    import sklearn.feature_extraction.text  # noqa: F401
    import sklearn.preprocessing  # noqa: F401

    _get_stemmer()


def cluster_title(texts: Sequence[str]) -> str:
    """A title for a cluster: the original title of its most central member.

    ``texts`` are the members' original (un-normalised) titles in the order :func:`cluster`
    returned the keys, most central first; blank titles are skipped and whitespace is tidied.
    """
    for text in texts:
        title = " ".join((text or "").split())
        if title:
            return title
    return ""
