"""Benchmark of the IID scoring engine: 552 pemda × 100 innovations each, under the 2023 ruleset
(run: `python bench/bench_iid.py`; target: under 10 s on the 2-core reference machine, issue 13).

Builds random but reproducible assessments (every SPD indicator and every SID indicator of every innovation at a
random level 0–3, yandas coverage 0–6), then times `labinov.iid.scoring.score` over all of them: 552 × 100 × 20
indicator scores plus the SPD, SID, index and category of each pemda, all in Decimal. Prints the time, the rate and
the ratio to the target; exits 1 when the target is missed. Building the inputs is not timed.

Options: ``--pemda N`` (default 552), ``--innovations N`` (default 100), ``--ruleset CODE`` (default 2023),
``--seed N``, ``--simulate K`` (also time the ranked improvements for the first K pemda, default 5).
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
os.environ.setdefault("LABINOV_DEV", "1")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "labinov.settings")

import django  # noqa: E402

django.setup()

from labinov.iid.rulesets import load_ruleset  # noqa: E402
from labinov.iid.scoring import AssessmentInput, InnovationInput, ranked_improvements, score  # noqa: E402

TARGET_S = 10.0


def build(ruleset, pemda: int, innovations: int, seed: int) -> list[AssessmentInput]:
    rnd = random.Random(seed)
    spd_codes = [i.code for i in ruleset.spd_indicators]
    sid_codes = [i.code for i in ruleset.sid_indicators]
    out = []
    for p in range(pemda):
        inns = tuple(InnovationInput(id=f"{p}-{k}", levels={c: rnd.randint(0, 3) for c in sid_codes})
                     for k in range(innovations))
        out.append(AssessmentInput(spd={c: rnd.randint(0, 3) for c in spd_codes}, innovations=inns,
                                   yandas_covered=rnd.randint(0, 6)))
    return out


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pemda", type=int, default=552)
    parser.add_argument("--innovations", type=int, default=100)
    parser.add_argument("--ruleset", default="2023")
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--simulate", type=int, default=5)
    args = parser.parse_args()

    ruleset = load_ruleset(args.ruleset)
    t0 = time.perf_counter()
    assessments = build(ruleset, args.pemda, args.innovations, args.seed)
    built = time.perf_counter() - t0

    t0 = time.perf_counter()
    results = [score(ruleset, a) for a in assessments]
    elapsed = time.perf_counter() - t0

    n_inn = args.pemda * args.innovations
    categories = Counter(r.category.label for r in results)
    print(f"IID scoring, ruleset {ruleset.code}: {args.pemda} pemda × {args.innovations} innovations "
          f"= {n_inn:,} innovations, {n_inn * len(ruleset.sid_indicators):,} indicator scores (inputs built in {built:.2f} s)")
    print(f"  scored in {elapsed:.2f} s ({n_inn / elapsed:,.0f} innovations/s); target < {TARGET_S:.0f} s; "
          f"ratio to target {elapsed / TARGET_S:.2f}")
    print("  categories: " + ", ".join(f"{k} {v}" for k, v in sorted(categories.items())))
    if args.simulate:
        t0 = time.perf_counter()
        for a in assessments[:args.simulate]:
            ranked_improvements(ruleset, a)
        sim = (time.perf_counter() - t0) / args.simulate
        print(f"  ranked improvements ({args.innovations} innovations × {len(ruleset.sid_indicators)} indicators "
              f"+ SPD + one extra innovation): {sim:.2f} s per pemda")
    return 0 if elapsed < TARGET_S else 1


if __name__ == "__main__":
    sys.exit(main())
