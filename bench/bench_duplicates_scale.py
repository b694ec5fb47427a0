"""Duplicate detection at program and national size (issue 11): grouping time and panel latency.

    .venv/bin/python bench/bench_duplicates_scale.py                  # 5,000 and 20,000 ideas; panel at 50,000 / 300,000
    .venv/bin/python bench/bench_duplicates_scale.py --group 50000    # also group 50,000 ideas (minutes)

Ideas are synthetic: titles and texts drawn from the vocabulary of the labelled set (bench/data),
vectors random unit vectors (timing does not depend on their content). It prints:

- the time to group a program's ideas (the background scan above consolidation.INLINE_LIMIT),
  with the dense path (every pair) where it still fits, and the neighbour-search path above it;
- the similar-ideas panel's latency, p50 and p95 over 200 typed texts, against a stored program
  index of 50,000 ideas and the catalogue index of 300,000 published innovations: encoding the
  typed text, TF-IDF scores from the memory-mapped index, the vector product, the mix and top-k;
- the ratio of each p95 to the 100 ms target.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))


def vocabulary() -> list[str]:
    from bench_duplicates import load

    ideas, _hard = load()
    words = []
    for i in ideas:
        words.extend(f"{i['title']} {i['problem']} {i['change']}".split())
    return words


def synthetic_texts(n: int, words: list[str], rng: random.Random) -> list[str]:
    return [" ".join(rng.choice(words) for _ in range(rng.randint(25, 60))) for _ in range(n)]


def unit_vectors(n: int, rng: np.random.Generator) -> np.ndarray:
    v = rng.standard_normal((n, 384)).astype(np.float32)
    return v / np.linalg.norm(v, axis=1, keepdims=True)


def percentiles(samples: list[float]) -> tuple[float, float]:
    return float(np.percentile(samples, 50)), float(np.percentile(samples, 95))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--group", type=int, nargs="*", default=[5000, 20000], help="program sizes to group")
    parser.add_argument("--panel", type=int, default=50000, help="ideas in the program the panel searches")
    parser.add_argument("--catalogue", type=int, default=300000, help="published innovations in the catalogue index")
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "labinov.settings")
    os.environ.setdefault("LABINOV_DEV", "1")
    import django

    django.setup()
    from labinov.core import semantic, textsim
    from labinov.ideas import duplicates, program_index

    rng = random.Random(7)
    nrng = np.random.default_rng(7)
    words = vocabulary()
    print(f"vocabulary: {len(set(words))} distinct words from the labelled set; load average {os.getloadavg()[0]:.1f}")

    print("\ngrouping a program (the background scan; target: a progress bar, never an error)")
    for n in args.group:
        texts = [textsim.normalize(t) for t in synthetic_texts(n, words, rng)]
        vectors = unit_vectors(n, nrng)
        items = [duplicates.Item(key=i, text=t, vector=vectors[i]) for i, t in enumerate(texts)]
        path = "dense (every pair)" if n <= duplicates.DENSE_LIMIT else "neighbour search"
        t0 = time.perf_counter()
        groups = duplicates.group(items)
        elapsed = time.perf_counter() - t0
        print(f"  {n:>7,} ideas  {path:20s} {elapsed:8.1f} s   ({len(groups)} groups of random text)")

    print("\nthe similar-ideas panel (p95 target: 100 ms)")
    encoder = semantic.get_encoder()
    queries = synthetic_texts(200, words, rng)
    with tempfile.TemporaryDirectory() as tmp:
        texts = [textsim.normalize(t) for t in synthetic_texts(args.panel, words, rng)]
        t0 = time.perf_counter()
        textsim.SimilarityIndex(enumerate(texts)).save(Path(tmp) / "program.npz")
        np.save(Path(tmp) / "vectors.npy", unit_vectors(args.panel, nrng))
        build = time.perf_counter() - t0
        index = textsim.SimilarityIndex.load(Path(tmp) / "program.npz")
        vectors = np.load(Path(tmp) / "vectors.npy", mmap_mode="r")
        have = np.ones(len(vectors), dtype=bool)
        print(f"  program index of {args.panel:,} ideas built and saved in {build:.1f} s (by the task, not the page)")

        timings = {"encode the typed text": [], f"search {args.panel:,} ideas (TF-IDF + vectors + mix)": []}
        for q in queries:
            t0 = time.perf_counter()
            qv = encoder.encode([" ".join(q.split()[:program_index.QUERY_WORDS])])[0] if encoder is not None else None
            t1 = time.perf_counter()
            rows, tfidf = index.scores(textsim.normalize(q))
            if qv is not None:
                mixed = program_index._mix(np.asarray(vectors @ qv), np.zeros(len(vectors), dtype=np.float32), rows, tfidf, have)
                np.argpartition(-mixed, 15)[:15]
            t2 = time.perf_counter()
            timings["encode the typed text"].append(t1 - t0)
            timings[f"search {args.panel:,} ideas (TF-IDF + vectors + mix)"].append(t2 - t1)

        textsim.SimilarityIndex(enumerate(textsim.normalize(t) for t in synthetic_texts(args.catalogue, words, rng))).save(
            Path(tmp) / "catalogue.npz")
        catalogue = textsim.SimilarityIndex.load(Path(tmp) / "catalogue.npz")
        key = f"search {args.catalogue:,} published innovations (ATM, TF-IDF)"
        timings[key] = []
        for q in queries:
            t0 = time.perf_counter()
            catalogue.query(textsim.normalize(q), k=5, min_score=0.1)
            timings[key].append(time.perf_counter() - t0)
        total = [sum(parts) for parts in zip(*timings.values(), strict=True)]
        timings["the whole panel"] = total
        for name, samples in timings.items():
            p50, p95 = percentiles(samples)
            print(f"  {name:58s} p50 {p50 * 1000:7.1f} ms  p95 {p95 * 1000:7.1f} ms  ratio {p95 / 0.1:5.2f}")
        if encoder is None:
            print("  (no sentence encoder installed: TF-IDF only)")


if __name__ == "__main__":
    main()
