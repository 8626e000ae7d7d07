"""Benchmarks of atrogame's sweeps, sensitivity analysis and chunked evaluation.

Usage::

    python benchmarks/run.py [--size tiny|full] [--json results.json]

For each model (Kydd–Straus; Anderton–Brauer with the CES and the contest technology)
it prints:

* the throughput (points/s) of a closed-form sweep of 10⁶ points (a 100×100×100 grid of
  the first three swept parameters), *including* building the ``xarray.Dataset``
  (best and median of five runs);
* the speed-up of that sweep over a loop of ``model.solve()`` per point, and over a
  generic numeric solution per point (``solve(method="numeric")``: global search for
  Kydd–Straus, scipy optimisation for Anderton–Brauer), both timed in the same run on a
  random sample of the grid's points; the largest difference between the numeric and
  the closed-form outcomes on that sample is printed too, so a fast but wrong kernel
  would show;

then the wall time of a Sobol analysis of Kydd–Straus ``expected_atrocities`` with
N = 2¹⁴ over all its parameters (second order included: N·(2D + 2) ≈ 5·10⁵
evaluations), and the peak memory (max RSS) of a 10⁷-point chunked sweep reduced
to per-outcome means, measured in a fresh subprocess.

``--size tiny`` runs the same code on small sizes in a few seconds (used by a smoke
test). Targets (not tests): ≥ 2·10⁶ points/s per model, ≥ 100× the solve loop,
≥ 1000× the numeric solution, Sobol ≤ 10 s, chunked 10⁷ sweep peak < 1 GiB.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from typing import Any

import numpy as np

SIZES = {
    "tiny": {"side": 22, "repeat": 2, "loop": 20, "numeric": 3, "sobol": 2**6, "chunked_side": 46},
    "full": {"side": 100, "repeat": 5, "loop": 2000, "numeric": 40, "sobol": 2**14, "chunked_side": 216},
}


def models() -> list[tuple[str, Any]]:
    import atrogame as ag

    return [("KyddStraus", ag.KyddStraus()),
            ("AndertonBrauer ces", ag.AndertonBrauer(technology="ces")),
            ("AndertonBrauer contest", ag.AndertonBrauer(technology="contest"))]


def swept(model: Any, k: int = 3) -> list[str]:
    return [n for n in model.sensitivity_parameters() if np.ptp(model.parameter_meta(n)["sweep_range"]) > 0][:k]


def grid(model: Any, side: int) -> dict[str, np.ndarray]:
    return {p: np.linspace(*model.parameter_meta(p)["sweep_range"], side) for p in swept(model)}


def bench_model(label: str, model: Any, size: dict[str, int], rng: np.random.Generator) -> dict[str, Any]:
    g = grid(model, size["side"])
    n = int(np.prod([v.size for v in g.values()]))
    model.sweep(**g)  # warm up (derivations, caches)
    times = []
    for _ in range(size["repeat"]):
        t = time.perf_counter()
        ds = model.sweep(**g)
        times.append(time.perf_counter() - t)
    per_point_sweep = min(times) / n

    names = list(g)
    idx = [rng.integers(0, v.size, size=size["loop"]) for v in g.values()]
    points = [{k: float(g[k][idx[j][i]]) for j, k in enumerate(names)} for i in range(size["loop"])]
    t = time.perf_counter()
    closed = [model.with_params(**pt).solve() for pt in points]
    per_point_solve = (time.perf_counter() - t) / len(points)

    numeric_points = points[: size["numeric"]]
    solver = numeric_solver(model)
    t = time.perf_counter()
    numeric = [solver(model.with_params(**pt)) for pt in numeric_points]
    per_point_numeric = (time.perf_counter() - t) / len(numeric_points)
    diff = max(abs(a[o] - b[o]) for a, b in zip(closed, numeric, strict=False) for o in b
               if np.isfinite(a[o]) and np.isfinite(b[o]))
    # the sweep's own values at the sampled points equal solve()'s (a fast wrong kernel would show)
    sweep_diff = max(abs(float(ds[o].values[tuple(idx[j][i] for j in range(len(names)))]) - closed[i][o])
                     for i in range(min(50, len(points))) for o in model.outcome_names)
    return {
        "model": label, "points": n, "points_per_s": n / min(times),
        "points_per_s_median": n / statistics.median(times),
        "solve_loop_s_per_point": per_point_solve, "speedup_vs_solve": per_point_solve / per_point_sweep,
        "numeric_s_per_point": per_point_numeric, "speedup_vs_numeric": per_point_numeric / per_point_sweep,
        "numeric_max_abs_diff": diff, "sweep_vs_solve_max_abs_diff": sweep_diff,
    }


def numeric_solver(model: Any) -> Any:
    """The model's own numeric solution if it has one, else a generic scipy optimisation.

    The generic one (Anderton–Brauer, objective max_control) maximises the model's control
    function F(R, C) along the budget line p_R·R + p_C·C = M: a 201-point grid, then bounded
    Brent around the best cell. It knows nothing of the closed form.
    """
    try:
        model.solve(method="numeric")
        return lambda m: m.solve(method="numeric")
    except (ValueError, NotImplementedError):
        pass
    from scipy.optimize import minimize_scalar

    from atrogame.models.anderton_brauer import families as fam

    control = getattr(fam, f"{model.technology}_control")

    def solve(m: Any) -> dict[str, float]:
        v = m.parameter_values()
        M, pR, pC = v["resources"], v["price_rebels"], v["price_civilians"]
        top = M / pR

        def neg(R: Any) -> Any:
            return -control(v, R, np.maximum(M - pR * np.asarray(R), 0.0) / pC)

        grid = np.linspace(0.0, top, 201)
        j = int(np.nanargmin(neg(grid)))
        lo, hi = grid[max(j - 1, 0)], grid[min(j + 1, 200)]
        res = minimize_scalar(neg, bounds=(lo, hi), method="bounded", options={"xatol": 1e-10 * top})
        R = min((res.x, grid[j], 0.0, top), key=lambda r: float(neg(r)))
        C = max(M - pR * R, 0.0) / pC
        return {"rebel_attacks": float(R), "civilian_attacks": float(C), "control": float(-neg(R))}

    return solve


def bench_sobol(n: int) -> dict[str, Any]:
    import atrogame as ag

    m = ag.KyddStraus()
    m.sensitivity("expected_atrocities", n=64, seed=0)  # warm up imports
    t = time.perf_counter()
    si = m.sensitivity("expected_atrocities", n=n, seed=0)
    wall = time.perf_counter() - t
    return {"sobol_N": n, "sobol_parameters": len(si.parameters), "sobol_evaluations": si.n_evaluations,
            "sobol_wall_s": wall, "sobol_top": repr(si)}


_CHUNKED = """
import resource, sys, time
import numpy as np
import atrogame as ag


def peak_kib():
    # VmHWM: this process's peak resident set. (ru_maxrss is inherited across fork + exec on
    # Linux, so in a child of a big process it would report the parent's size.)
    try:
        with open("/proc/self/status") as fh:
            return int(next(ln for ln in fh if ln.startswith("VmHWM")).split()[1])
    except (OSError, StopIteration):
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


side = int(sys.argv[1])
m = ag.KyddStraus()
names = [n for n in m.sensitivity_parameters() if np.ptp(m.parameter_meta(n)["sweep_range"]) > 0][:3]
g = {p: np.linspace(*m.parameter_meta(p)["sweep_range"], side) for p in names}
import dask.array, xarray  # noqa: F401  (count their import in the baseline)
before = peak_kib()
t = time.perf_counter()
ds = m.sweep(**g, chunks="auto")
means = ds.mean().compute(scheduler="threads")
wall = time.perf_counter() - t
peak = peak_kib()
print(int(np.prod([v.size for v in g.values()])), before, peak, wall, ds["p_war"].data.npartitions,
      float(means["p_war"]))
"""


def bench_chunked(side: int) -> dict[str, Any]:
    out = subprocess.run([sys.executable, "-c", _CHUNKED, str(side)], capture_output=True, text=True, check=True)
    n, before, peak, wall, parts, mean = out.stdout.split()
    kib = 1024  # VmHWM and ru_maxrss are in KiB on Linux
    return {"chunked_points": int(n), "chunked_rss_before_MiB": int(before) * kib / 2**20,
            "chunked_peak_rss_MiB": int(peak) * kib / 2**20, "chunked_wall_s": float(wall),
            "chunked_blocks": int(parts), "chunked_mean_p_war": float(mean)}


def machine() -> dict[str, Any]:
    info: dict[str, Any] = {"python": platform.python_version(), "nproc": os.cpu_count()}
    with contextlib.suppress(AttributeError):
        info["nproc"] = len(os.sched_getaffinity(0))
    try:
        out = subprocess.run(["lscpu"], capture_output=True, text=True, check=True).stdout
        info["cpu"] = next(ln.split(":", 1)[1].strip() for ln in out.splitlines() if ln.startswith("Model name"))
    except (OSError, subprocess.CalledProcessError, StopIteration):
        info["cpu"] = platform.processor()
    try:
        with open("/proc/meminfo") as fh:
            info["mem_GiB"] = round(int(fh.readline().split()[1]) / 2**20, 1)
    except OSError:
        pass
    if hasattr(os, "getloadavg"):
        info["load_avg_1min"] = os.getloadavg()[0]
    return info


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--size", choices=sorted(SIZES), default="full")
    ap.add_argument("--json", help="also write the results to this JSON file")
    ap.add_argument("--threads", type=int, default=1,
                    help="threads for in-memory closed-form evaluation (atrogame.engine.THREADS; 0 = all CPUs)")
    args = ap.parse_args(argv)
    size = SIZES[args.size]
    import atrogame
    from atrogame import engine

    engine.THREADS = args.threads or None

    mach = machine()
    print(f"atrogame {atrogame.__version__} | size {args.size} | threads {engine.default_threads()} | {mach}")
    rng = np.random.default_rng(0)
    rows = []
    print(f"{'model':<24}{'points':>9}{'points/s':>11}{'(median)':>11}{'× solve':>10}{'× numeric':>11}"
          f"{'num. diff':>11}")
    for label, model in models():
        r = bench_model(label, model, size, rng)
        rows.append(r)
        print(f"{label:<24}{r['points']:>9}{r['points_per_s']:>11.3g}{r['points_per_s_median']:>11.3g}"
              f"{r['speedup_vs_solve']:>10.3g}{r['speedup_vs_numeric']:>11.3g}{r['numeric_max_abs_diff']:>11.2g}")
    sob = bench_sobol(size["sobol"])
    print(f"Sobol KyddStraus expected_atrocities: N={sob['sobol_N']}, {sob['sobol_parameters']} parameters, "
          f"{sob['sobol_evaluations']} evaluations, {sob['sobol_wall_s']:.2f} s")
    ch = bench_chunked(size["chunked_side"])
    print(f"chunked sweep of {ch['chunked_points']} points ({ch['chunked_blocks']} blocks, reduced to means): "
          f"peak RSS {ch['chunked_peak_rss_MiB']:.0f} MiB (after imports {ch['chunked_rss_before_MiB']:.0f} MiB), "
          f"{ch['chunked_wall_s']:.2f} s")
    if args.json:
        with open(args.json, "w") as fh:
            json.dump({"size": args.size, "threads": engine.default_threads(), "machine": mach, "models": rows,
                       **sob, **ch}, fh, indent=2)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
