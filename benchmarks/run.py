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

then, for every closed-form model, the throughput of ``model.evaluate(X, names, outcomes)`` on
10⁶ random points with *every* parameter varying (uniform on the metadata sweep ranges; rows
outside a joint domain rule are redrawn), with the numpy kernels and, when numba is installed
(``atrogame[fast]``), with the compiled kernels, and the share of that time spent validating
the parameter arrays (1 − the time of the same evaluation without any validation: the model's
``compute`` on the converted arrays plus stacking, timed alternately with ``evaluate``: the
median of the pairs' ratios, over 11 pairs on the numpy path and 41 on the compiled path, with
the quartiles beside it; on the compiled path the range check is folded into the kernel's pass,
so this is what it costs there);
for Kydd–Straus beside a plain-numpy version of the same closed form written here, timed in the
same run, whose numbers are checked against atrogame's;

then the wall time of a Sobol analysis of Kydd–Straus ``expected_atrocities`` with
N = 2¹⁴ over all its parameters (second order included: N·(2D + 2) ≈ 5·10⁵
evaluations), the peak memory (max RSS) of a 10⁷-point chunked sweep reduced
to per-outcome means, measured in a fresh subprocess, and the cold-start times in fresh
processes: ``import atrogame`` plus one ``solve()``, against ``import atrogame`` plus a first
10-point sweep (with dask importable, and hidden as in an install without the ``parallel`` extra),
and ``import numpy, xarray`` alone (the part of a first sweep no change inside atrogame removes).

``--size tiny`` runs the same code on small sizes in a few seconds (used by a smoke
test). Targets (not tests): ≥ 2·10⁶ points/s per model, ≥ 100× the solve loop,
≥ 1000× the numeric solution, Sobol ≤ 3 s, chunked 10⁷ sweep peak < 1 GiB; all parameters
varying: Kydd–Straus ≥ 10⁷ points/s compiled and ≥ the plain numpy figure without, the other
models ≥ 5·10⁶ points/s compiled, validation ≤ 10 % of the evaluation; first sweep ≤ 1.5× import
plus solve.
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
    "tiny": {"side": 22, "repeat": 2, "loop": 20, "numeric": 3, "sobol": 2**6, "chunked_side": 46,
             "mc": 2**15, "mc_repeat": 2, "share_pairs": 3, "cold": 1},
    "full": {"side": 100, "repeat": 5, "loop": 2000, "numeric": 40, "sobol": 2**14, "chunked_side": 216,
             "mc": 10**6, "mc_repeat": 11, "share_pairs": 41, "cold": 5},
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


# ---------------------------------------------------------------------- all parameters varying
def closed_form_models() -> list[tuple[str, Any]]:
    import atrogame as ag
    from atrogame.models.anderton_brauer.families import TECHNOLOGIES
    from atrogame.models.fearon import Fearon
    from atrogame.models.mobilisation import Mobilisation

    return [("KyddStraus", ag.KyddStraus()),
            *((f"AndertonBrauer {t}", ag.AndertonBrauer(technology=t)) for t in TECHNOLOGIES),
            ("Fearon", Fearon()), ("Mobilisation", Mobilisation()), ("AtrocityTactics", ag.AtrocityTactics()),
            ("PenalizingAtrocities", ag.PenalizingAtrocities()), ("StrategicMassKilling", ag.StrategicMassKilling())]


def random_design(model: Any, n: int, rng: np.random.Generator) -> tuple[list[str], np.ndarray]:
    """``n`` rows uniform on the sweep ranges of every parameter; rows breaking a joint rule are redrawn."""
    from atrogame.core.errors import ParameterError

    names = list(model.sensitivity_parameters())
    lo = np.array([model.parameter_meta(k)["sweep_range"][0] for k in names])
    hi = np.array([model.parameter_meta(k)["sweep_range"][1] for k in names])
    rows: list[np.ndarray] = []
    have = 0
    while have < n:
        X = lo + (hi - lo) * rng.random((max(n - have, 1024) * 2, len(names)))
        ok = np.ones(X.shape[0], dtype=bool)
        for start in range(0, X.shape[0], 4096):  # locate rows that break a joint rule (rarely needed)
            blk = X[start:start + 4096]
            try:
                model.validate_arrays({k: blk[:, j] for j, k in enumerate(names)})
            except ParameterError:
                for i in range(blk.shape[0]):
                    try:
                        model.validate_arrays({k: blk[i:i + 1, j] for j, k in enumerate(names)})
                    except ParameterError:
                        ok[start + i] = False
        rows.append(X[ok])
        have += int(ok.sum())
    return names, np.ascontiguousarray(np.concatenate(rows)[:n])


def plain_numpy_kydd_straus(X: np.ndarray) -> np.ndarray:
    """The Kydd–Straus closed form as a researcher would write it in numpy (first 10 outcomes)."""
    p0, th, i, om, z, k, ka, h, d, cb, _sig, sg, sm, wm, _ct = X.T
    pi0, pi1 = i * om, i * (1 - om)
    N = (1 - pi0) * p0 * th - k + pi1 * (p0 - z)
    D = ka + 2 * pi1 * p0 * th
    with np.errstate(divide="ignore", invalid="ignore"):
        a = np.clip(np.where(D > 0, N / D, (N > 0) * 1.0), 0, 1)
    pi = pi0 + pi1 * a
    p = p0 * (1 - th * a)
    V = (1 - pi) * p + pi * z - h * a
    S = d + (h + k) * a + ka * a**2 / 2
    W = 1 - V - S
    half = (cb - (S + sg + sm + wm)) / 2
    Vn = V - wm - sm
    x = np.maximum(Vn - np.maximum(half, 0), 0)
    cut = np.minimum(np.maximum(Vn, 0), np.maximum(half, 0))
    q = cut / cb
    return np.stack([a, pi, p, V, W, S, x, cut, q, q * a], axis=-1)


def _best(f: Any, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        f()
        times.append(time.perf_counter() - t)
    return min(times)


def _best_pair(f: Any, g: Any, repeat: int) -> tuple[float, float, float, tuple[float, float]]:
    """Best times of ``f`` and ``g``, run alternately (so a busy machine slows both alike), the
    median over the adjacent pairs of ``t_g / t_f`` (a burst of load that hits one call of a pair
    moves the median little, where it can move a ratio of two minima taken at different moments)
    and the quartiles of those ratios (how much the machine's noise moves them)."""
    tf, tg = [], []
    for _ in range(repeat):
        for fn, ts in ((f, tf), (g, tg)):
            t = time.perf_counter()
            fn()
            ts.append(time.perf_counter() - t)
    ratios = [b / a for a, b in zip(tf, tg, strict=True)]
    q1, _, q3 = statistics.quantiles(ratios, n=4)
    return min(tf), min(tg), statistics.median(ratios), (q1, q3)


def bench_all_varying(size: dict[str, int], rng: np.random.Generator) -> list[dict[str, Any]]:
    from atrogame import accel
    from atrogame.core.arrays import stack_columns

    n, repeat = size["mc"], size["mc_repeat"]
    rows = []
    for label, model in closed_form_models():
        names, X = random_design(model, n, rng)
        outs = list(model.outcome_names[:10])
        cols = {k: X[:, j] for j, k in enumerate(names)}
        r: dict[str, Any] = {"model": label, "points": int(X.shape[0]), "parameters": len(names),
                             "outcomes": len(outs)}
        conv = model.Params.convert_arrays(cols)

        def unchecked() -> None:  # the same evaluation with no validation at all: the kernel, then stacking
            res, _ = model.compute(conv, (X.shape[0],), outs)  # noqa: B023
            stack_columns([res[o] for o in outs])  # noqa: B023

        with accel.disabled():
            model.evaluate(X[:1000], names, outs)
            t, _, ratio, _ = _best_pair(lambda: model.evaluate(X, names, outs), unchecked, repeat)  # noqa: B023
            ref = model.evaluate(X, names, outs)
        r.update(numpy_points_per_s=X.shape[0] / t, numpy_validation_share=max(0.0, 1.0 - ratio))
        if label == "KyddStraus":
            tp = _best(lambda: plain_numpy_kydd_straus(X), repeat)  # noqa: B023
            r["plain_numpy_points_per_s"] = X.shape[0] / tp
            r["plain_numpy_max_abs_diff"] = float(np.max(np.abs(plain_numpy_kydd_straus(X) - ref)))
        if accel.available():
            model.evaluate(X, names, outs)  # compile or load the compiled kernels
            unchecked()
            # more pairs than on the numpy path: a compiled evaluation takes 7-140 ms, so one
            # scheduler hiccup moves a pair's ratio by several points, and 41 pairs cost a few seconds
            t, _, ratio, (q1, q3) = _best_pair(lambda: model.evaluate(X, names, outs), unchecked,  # noqa: B023
                                               size["share_pairs"])
            got = model.evaluate(X, names, outs)
            with np.errstate(invalid="ignore"):  # inf − inf where both kernels give the same infinity
                diff = np.where(got == ref, 0.0, np.abs(got - ref) / np.maximum(1.0, np.abs(ref)))  # relative
            r.update(accel_points_per_s=X.shape[0] / t, accel_validation_share=max(0.0, 1.0 - ratio),
                     accel_validation_quartiles=(max(0.0, 1.0 - q3), max(0.0, 1.0 - q1)),
                     accel_max_rel_diff=float(np.nanmax(diff)))
        rows.append(r)
    return rows


# ---------------------------------------------------------------------- cold start
_COLD = {
    "import_solve": "import atrogame as ag\nag.KyddStraus().solve()",
    "import_xarray": "import numpy, xarray",
    "import_numpy": "import numpy",
    "first_sweep": "import numpy as np\nimport atrogame as ag\n"
                   "ag.KyddStraus().sweep(rebel_strength=np.linspace(0.1, 0.9, 10))",
    "first_sweep_no_dask": "import sys\nsys.modules['dask'] = None  # as installed without the parallel extra\n"
                           "import numpy as np\nimport atrogame as ag\n"
                           "ag.KyddStraus().sweep(rebel_strength=np.linspace(0.1, 0.9, 10))",
}


def bench_cold(repeat: int) -> dict[str, Any]:
    """Wall time of fresh interpreters (best of ``repeat``, the variants interleaved)."""
    times: dict[str, list[float]] = {k: [] for k in _COLD}
    for _ in range(repeat):
        for key, code in _COLD.items():
            t = time.perf_counter()
            subprocess.run([sys.executable, "-c", code], check=True, capture_output=True)
            times[key].append(time.perf_counter() - t)
    best = {f"cold_{k}_s": min(v) for k, v in times.items()}
    best["cold_sweep_ratio"] = best["cold_first_sweep_s"] / best["cold_import_solve_s"]
    best["cold_sweep_no_dask_ratio"] = best["cold_first_sweep_no_dask_s"] / best["cold_import_solve_s"]
    # what a sweep cannot avoid: importing xarray (and pandas) to build its Dataset
    base = best["cold_import_solve_s"]  # numpy is imported by both: count xarray's own share only
    best["cold_floor_ratio"] = (base + best["cold_import_xarray_s"] - best["cold_import_numpy_s"]) / base
    return best


def bench_sobol(n: int) -> dict[str, Any]:
    import atrogame as ag

    m = ag.KyddStraus()
    m.sensitivity("expected_atrocities", n=64, seed=0)  # warm up imports
    m.sensitivity("expected_atrocities", n=2**10, seed=0)  # and the compiled kernels, if installed
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


def _numba_info() -> str:
    import numba

    return f"{numba.__version__}, {numba.get_num_threads()} threads"


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
    from atrogame import accel

    print(f"\nall parameters varying, model.evaluate(X, names, first 10 outcomes); compiled path: "
          f"{'numba ' + _numba_info() if accel.available() else 'not installed (pip install atrogame[fast])'}")
    print(f"{'model':<30}{'points':>9}{'params':>7}{'numpy pts/s':>13}{'valid.':>8}{'compiled pts/s':>16}"
          f"{'valid.':>8}{'(quartiles)':>13}{'rel.diff':>9}")
    mc = bench_all_varying(size, rng)
    for r in mc:
        if "accel_points_per_s" in r:
            q = r["accel_validation_quartiles"]
            acc = (f"{r['accel_points_per_s']:>16.3g}{r['accel_validation_share']:>8.0%}"
                   f"{f'({q[0]:.0%}–{q[1]:.0%})':>13}{r['accel_max_rel_diff']:>9.1g}")
        else:
            acc = f"{'-':>16}{'-':>8}{'-':>13}{'-':>9}"
        print(f"{r['model']:<30}{r['points']:>9}{r['parameters']:>7}{r['numpy_points_per_s']:>13.3g}"
              f"{r['numpy_validation_share']:>8.0%}{acc}")
        if "plain_numpy_points_per_s" in r:
            ratio = r["numpy_points_per_s"] / r["plain_numpy_points_per_s"]
            line = (f"{'  plain numpy (in run.py)':<30}{r['points']:>9}{r['parameters']:>7}"
                    f"{r['plain_numpy_points_per_s']:>13.3g}   atrogame numpy / plain = {ratio:.2f}")
            if "accel_points_per_s" in r:
                line += f", compiled / plain = {r['accel_points_per_s'] / r['plain_numpy_points_per_s']:.2f}"
            print(line + f" (max diff {r['plain_numpy_max_abs_diff']:.1g})")
    sob = bench_sobol(size["sobol"])
    print(f"Sobol KyddStraus expected_atrocities: N={sob['sobol_N']}, {sob['sobol_parameters']} parameters, "
          f"{sob['sobol_evaluations']} evaluations, {sob['sobol_wall_s']:.2f} s")
    ch = bench_chunked(size["chunked_side"])
    print(f"chunked sweep of {ch['chunked_points']} points ({ch['chunked_blocks']} blocks, reduced to means): "
          f"peak RSS {ch['chunked_peak_rss_MiB']:.0f} MiB (after imports {ch['chunked_rss_before_MiB']:.0f} MiB), "
          f"{ch['chunked_wall_s']:.2f} s")
    cold = bench_cold(size["cold"])
    print(f"cold start (fresh process, best of {size['cold']}): import + solve {cold['cold_import_solve_s']:.2f} s; "
          f"import + first 10-point sweep {cold['cold_first_sweep_s']:.2f} s "
          f"({cold['cold_sweep_ratio']:.2f}×), without dask importable {cold['cold_first_sweep_no_dask_s']:.2f} s "
          f"({cold['cold_sweep_no_dask_ratio']:.2f}×); importing xarray after numpy alone "
          f"{cold['cold_import_xarray_s'] - cold['cold_import_numpy_s']:.2f} s, so import + solve + that import is "
          f"{cold['cold_floor_ratio']:.2f}× import + solve")
    if args.json:
        with open(args.json, "w") as fh:
            json.dump({"size": args.size, "threads": engine.default_threads(), "machine": mach, "models": rows,
                       "all_varying": mc, **sob, **ch, **cold}, fh, indent=2)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
