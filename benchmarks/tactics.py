"""Benchmark of the tactics model's headline sweep, beside Kydd–Straus measured in the same run.

Usage::

    python benchmarks/tactics.py [--size tiny|full] [--json results.json]

The headline question of the tactics model (docs/explanation/tactics.md) is how deaths and the
tactic mix respond to pressure on one tactic as substitution between tactics varies. This
script times the full-factorial sweep ``tactic_sanction_imprisonment × tactic_substitution``
(1000 × 1000 = 10⁶ points with ``--size full``), *including* building the ``xarray.Dataset``
with every outcome, and prints points/s (best and median of the repeats) beside Kydd–Straus's
10⁶-point sweep as ``benchmarks/run.py`` measures it (a 100 × 100 × 100 grid of its first three
swept parameters), in the same process, so machine load affects both alike. It also checks
the sweep against ``solve()`` and the numeric optimiser at a few grid points (a fast but wrong
kernel would show).
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

SIZES = {"tiny": {"side": 100, "ks_side": 22, "repeat": 2, "check": 3},
         "full": {"side": 1000, "ks_side": 100, "repeat": 5, "check": 10}}


def _time(fn: Any, repeat: int) -> list[float]:
    fn()  # warm up
    out = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        out.append(time.perf_counter() - t)
    return out


def bench(size: str = "full") -> dict[str, Any]:
    import atrogame as ag
    from atrogame.models.tactics import AtrocityTactics

    sys.path.insert(0, str(Path(__file__).parent))
    from run import grid  # the grid benchmarks/run.py uses for Kydd–Straus

    cfg = SIZES[size]
    m = AtrocityTactics()
    s = np.linspace(0.0, 3.0, cfg["side"])
    sig = np.linspace(0.1, 5.0, cfg["side"])
    n = s.size * sig.size
    times = _time(lambda: m.sweep(tactic_sanction_imprisonment=s, tactic_substitution=sig), cfg["repeat"])
    ds = m.sweep(tactic_sanction_imprisonment=s, tactic_substitution=sig)
    rng = np.random.default_rng(0)
    worst_solve = worst_numeric = 0.0
    for _ in range(cfg["check"]):
        i, j = int(rng.integers(s.size)), int(rng.integers(sig.size))
        mm = m.with_params(tactic_sanction_imprisonment=float(s[i]), tactic_substitution=float(sig[j]))
        eq, num = mm.solve(), mm.solve(method="numeric")
        for o in ("deaths", "tactic_levels_killing", "rebel_attacks", "control"):
            v = float(ds[o].values[i, j])
            worst_solve = max(worst_solve, abs(v - eq[o]) / max(1.0, abs(eq[o])))
            worst_numeric = max(worst_numeric, abs(v - num[o]) / max(1.0, abs(num[o])))

    ks = ag.KyddStraus()
    g = grid(ks, cfg["ks_side"])
    nks = int(np.prod([v.size for v in g.values()]))
    ks_times = _time(lambda: ks.sweep(**g), cfg["repeat"])
    return {
        "size": size,
        "tactics": {"points": n, "points_per_s": n / min(times), "points_per_s_median": n / statistics.median(times),
                    "outcomes": len(m.outcome_names), "max_rel_diff_vs_solve": worst_solve,
                    "max_rel_diff_vs_numeric": worst_numeric},
        "kydd_straus": {"points": nks, "points_per_s": nks / min(ks_times),
                        "points_per_s_median": nks / statistics.median(ks_times),
                        "outcomes": len(ks.outcome_names)},
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--size", choices=tuple(SIZES), default="full")
    ap.add_argument("--json", default=None)
    args = ap.parse_args(argv)
    res = bench(args.size)
    t, k = res["tactics"], res["kydd_straus"]
    print(f"AtrocityTactics sweep (s_imprisonment x sigma_T, {t['points']:,} points, {t['outcomes']} outcomes): "
          f"{t['points_per_s']:,.0f} points/s (median {t['points_per_s_median']:,.0f})")
    print(f"KyddStraus sweep ({k['points']:,} points, {k['outcomes']} outcomes), same run: "
          f"{k['points_per_s']:,.0f} points/s (median {k['points_per_s_median']:,.0f})")
    print(f"ratio tactics/KyddStraus: {t['points_per_s'] / k['points_per_s']:.2f}")
    print(f"sweep vs solve(): max rel diff {t['max_rel_diff_vs_solve']:.2e}; "
          f"vs numeric optimiser: {t['max_rel_diff_vs_numeric']:.2e}")
    if args.json:
        Path(args.json).write_text(json.dumps(res, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
