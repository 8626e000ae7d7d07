"""Benchmark of scenario discovery: 10⁵ draws explained in under 10 s on a 2-core machine.

Usage::

    python benchmarks/discovery.py [--n 100000] [--repeat 3] [--json out.json]

Three cases, each timed for :func:`atrogame.discovery.explain` alone (the draws and the
model evaluations are made beforehand and not timed):

* ``synthetic``: 5 uniform inputs, the event a box in 2 of them with 2% of labels flipped;
* ``ab_ces``: peace operations on Anderton–Brauer (CES), σ and three other parameters drawn;
* ``ks_support``: support to armed groups on Kydd–Straus, p_war as the outcome, four
  parameters over their sweep ranges.

It prints the best and median time of ``--repeat`` runs, the first box's restrictions,
coverage and density, and checks that two runs give identical boxes (determinism).
Target (not a test): best time < 10 s per case at n = 10⁵. The times include the
first-use import of ``scipy.special`` in the first run only.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time

import numpy as np


def _cases(n: int) -> dict:
    import atrogame as ag

    rng = np.random.default_rng(0)
    X = {k: rng.random(n) for k in "abcde"}
    y = (X["a"] < 0.3) & (X["b"] > 0.6)
    y ^= rng.random(n) < 0.02
    ab = ag.tools.backfire("peace_operations", ag.AndertonBrauer(technology="ces"),
                           {"substitution_elasticity": (0.2, 4.0), "resources": (50.0, 150.0),
                            "price_rebels": (0.5, 2.0), "share_rebels": (0.2, 0.8)}, n=n, seed=0)
    ks = ag.KyddStraus()
    ks_r = ag.tools.backfire("support_to_armed_groups", ks,
                             {p: ks.parameter_meta(p)["sweep_range"] for p in
                              ("rebel_strength", "imposed_settlement", "intervention_commitment", "atrocity_penalty")},
                             n=n, seed=0, outcome="p_war")
    return {"synthetic": ((X, y), {}), "ab_ces": ((ab,), {}), "ks_support": ((ks_r,), {})}


def main(argv: list[str] | None = None) -> int:
    from atrogame.discovery import explain

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=100_000)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--json")
    args = ap.parse_args(argv)
    print(f"n = {args.n}, cpus = {os.cpu_count()}, load average = {os.getloadavg()[0]:.1f}")
    out = {}
    for name, (a, kw) in _cases(args.n).items():
        times, results = [], []
        for _ in range(args.repeat):
            t = time.perf_counter()
            d = explain(*a, **kw)
            times.append(time.perf_counter() - t)
            results.append(d)
        same = all(r.boxes == results[0].boxes for r in results)
        b = results[0].boxes[0]
        out[name] = {"best_s": min(times), "median_s": statistics.median(times), "restricted": list(b.restricted),
                     "coverage": b.coverage, "density": b.density, "identical_runs": same}
        print(f"{name:11s} best {min(times):6.2f} s  median {statistics.median(times):6.2f} s  "
              f"box {', '.join(b.restricted)}: coverage {b.coverage:.3f} density {b.density:.3f}  "
              f"identical runs: {same}  {'OK' if min(times) < 10 else 'SLOW'}")
    if args.json:
        with open(args.json, "w") as f:
            json.dump(out, f, indent=2)
    return 0


if __name__ == "__main__":
    sys.exit(main())
