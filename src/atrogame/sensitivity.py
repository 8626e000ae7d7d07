"""Global sensitivity analysis of a model's outcomes (a bridge to SALib).

:func:`analyze` (also :meth:`Model.sensitivity <atrogame.model.Model.sensitivity>`)
samples the parameter box with SALib's designs, evaluates the model once on the whole
design (one vectorised kernel call, or block by block on Dask with ``chunks``/``client``),
and attributes the outcome's variation to the parameters:

* ``"sobol"``: first-order, total and (optionally) second-order Sobol indices (Saltelli
  2010 estimators, bootstrap confidence intervals), on SALib's Sobol–Saltelli design.
  The design and the estimators reproduce ``SALib.sample.sobol.sample`` and
  ``SALib.analyze.sobol.analyze`` to rounding (tested), but build the design and the
  bootstrap with whole-array numpy operations instead of Python loops, which makes
  large runs an order of magnitude faster;
* ``"morris"``: elementary effects (μ, μ*, σ) on Morris trajectories (SALib);
* ``"delta"``: Borgonovo's moment-independent δ and a given-data first-order index on
  a Latin hypercube (SALib).

Regimes. Atrogame's models switch regime (corner, interior, peace, ...). The result
reports ``regime_shares``, the share of evaluations in each regime. ``regime="name"``
restricts the analysis to one regime, in the way each method allows honestly:

* ``sobol``: the analysed outcome is ``outcome × 1{regime = name}`` (zero elsewhere). A
  Saltelli design is a set of coupled matrices, so dropping points would break every
  estimator; the product keeps the design intact. The indices then measure what drives
  the outcome *contributed inside the regime*, mixing "being in the regime" and "the
  value within it"; they are not the Sobol indices of the outcome conditional on the
  regime (those are not defined on a product box, because the regime's region is not one).
* ``delta``: the δ index is a given-data estimator that does not assume independent
  inputs, so it is computed on the evaluations that fall in the regime, whose inputs
  follow the conditional distribution ``X | regime = name``.
* ``morris``: only trajectories that stay in the regime at every step are kept, so each
  elementary effect is a finite difference within the regime; trajectories that cross a
  regime boundary are dropped (``n_retained`` says how many were kept).

Examples
--------
>>> from atrogame.testing.models import Ishigami
>>> si = Ishigami().sensitivity("y", n=1024, seed=1, second_order=False)
>>> si.to_dataframe()["ST"].round(1).tolist()
[0.6, 0.4, 0.2]
>>> si.regime_shares["nonnegative"] > 0.5
True
"""

from __future__ import annotations

import contextlib
import math
import time
import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from atrogame.core.contract import ModelLike
from atrogame.display import TableMixin

METHODS = ("sobol", "morris", "delta")
_MAIN = {"sobol": "ST", "morris": "mu_star", "delta": "delta"}
_CONF = {"S1": "S1_conf", "ST": "ST_conf", "mu_star": "mu_star_conf", "delta": "delta_conf"}
_CONDITIONING = {
    "sobol": "outcome multiplied by the regime indicator (zero outside the regime); full Saltelli design",
    "delta": "given-data indices on the evaluations inside the regime (inputs conditional on the regime)",
    "morris": "only trajectories that stay inside the regime at every step",
}


@dataclass(frozen=True)
class SensitivityResult(TableMixin):
    """Sensitivity indices of one outcome, with confidence intervals and regime shares.

    Attributes
    ----------
    indices:
        Column name → one value per parameter (``S1``, ``S1_conf``, ``ST``, ``ST_conf``
        for Sobol; ``mu``, ``mu_star``, ``sigma``, ``mu_star_conf`` for Morris; ``delta``,
        ``delta_conf``, ``S1``, ``S1_conf`` for delta). ``*_conf`` are half-widths of the
        ``conf_level`` bootstrap interval.
    second_order:
        For Sobol with ``second_order=True``: ``(p, q) → (S2, S2_conf)``.
    regime_shares:
        Share of all evaluations in each regime (for the Sobol design every row is
        uniform on the box, so this estimates the regime's probability).
    n, n_evaluations, n_retained, n_failed:
        Base sample size, model evaluations, evaluations (Morris: trajectories) used by
        the analysis after any regime restriction, and points whose evaluation failed.

    Examples
    --------
    The Ishigami test model's ``linear`` outcome x₁ + 2x₂ + 3x₃ has first-order indices
    1/14, 4/14 and 9/14:

    >>> from atrogame.testing.models import Ishigami
    >>> si = Ishigami().sensitivity("linear", n=256, seed=1, second_order=False)
    >>> si.main_index, si.n_evaluations
    ('ST', 1280)
    >>> si.to_dataframe()["S1"].round(2).tolist()
    [0.07, 0.29, 0.64]
    >>> round(si["ST"]["x3"], 1), sorted(si.regime_shares)
    (0.6, ['negative', 'nonnegative'])
    """

    model: str
    outcome: str
    method: str
    parameters: tuple[str, ...]
    bounds: Mapping[str, tuple[float, float]]
    indices: Mapping[str, tuple[float, ...]]
    regime_shares: Mapping[str, float]
    n: int
    n_evaluations: int
    seed: int
    conf_level: float = 0.95
    regime: str | None = None
    conditioning: str = ""
    n_retained: int = 0
    n_failed: int = 0
    second_order: Mapping[tuple[str, str], tuple[float, float]] = field(default_factory=dict)
    elapsed: float = math.nan

    @property
    def main_index(self) -> str:
        """The column that ranks parameters (``ST``, ``mu_star`` or ``delta``)."""
        return _MAIN[self.method]

    def __getitem__(self, key: str) -> dict[str, float]:
        """One index by parameter, e.g. ``si["ST"]["x1"]``."""
        if key not in self.indices:
            raise KeyError(f"no index {key!r}; available: {', '.join(self.indices)}")
        return dict(zip(self.parameters, self.indices[key], strict=True))

    def to_dataframe(self, second_order: bool = False) -> Any:
        """Indices with confidence half-widths, one row per parameter (``pandas.DataFrame``).

        With ``second_order=True`` (Sobol): one row per parameter pair, columns ``S2`` and
        ``S2_conf``.
        """
        import pandas as pd

        if second_order:
            rows = [{"parameter_1": p, "parameter_2": q, "S2": v, "S2_conf": c}
                    for (p, q), (v, c) in self.second_order.items()]
            return pd.DataFrame(rows, columns=["parameter_1", "parameter_2", "S2", "S2_conf"]).set_index(
                ["parameter_1", "parameter_2"])
        df = pd.DataFrame({k: list(v) for k, v in self.indices.items()}, index=list(self.parameters))
        df.index.name = "parameter"
        return df


    def __repr__(self) -> str:
        key = self.main_index
        top = sorted(zip(self.parameters, self.indices[key], strict=True), key=lambda kv: -abs(_nan0(kv[1])))[:3]
        tops = ", ".join(f"{p}={v:.3g}" for p, v in top)
        reg = f" in regime {self.regime}" if self.regime else ""
        return (f"<SensitivityResult {self.method} of {self.outcome}{reg} ({self.model}), "
                f"{len(self.parameters)} parameters, {self.n_evaluations} evaluations; top {key}: {tops}>")

    def summary(self) -> str:
        """Indices table, regime shares and how a regime restriction was applied."""
        lines = [f"Sensitivity of {self.outcome} ({self.model}), method {self.method}, "
                 f"{self.n_evaluations} evaluations, seed {self.seed}, {self.conf_level:.0%} intervals"]
        df = self.to_dataframe().sort_values(self.main_index, ascending=False, key=lambda s: s.abs())
        lines.append(df.to_string(float_format=lambda v: f"{v:.4f}"))
        shares = ", ".join(f"{k} {v:.1%}" for k, v in self.regime_shares.items())
        lines.append(f"Regime shares: {shares}")
        if self.regime:
            lines.append(f"Restricted to regime {self.regime!r}: {self.conditioning} "
                         f"({self.n_retained} retained)")
        if self.n_failed:
            lines.append(f"{self.n_failed} evaluations failed (NaN): indices may be NaN")
        return "\n".join(lines)

    __str__ = summary

    def plot(self, ax: Any = None, *, index: str | None = None) -> Any:
        """Tornado chart: horizontal bars with confidence intervals, largest first; returns the Axes.

        Sobol results show first-order and total indices side by side; others show
        ``index`` (default :attr:`main_index`).
        """
        import matplotlib.pyplot as plt

        if ax is None:
            _, ax = plt.subplots(figsize=(6, 0.45 * len(self.parameters) + 1.5), layout="constrained")
        keys = ["S1", "ST"] if (self.method == "sobol" and index is None) else [index or self.main_index]
        order = np.argsort([abs(_nan0(v)) for v in self.indices[keys[-1]]])  # largest at the top
        y = np.arange(len(self.parameters))
        h = 0.8 / len(keys)
        for i, k in enumerate(keys):
            vals = np.asarray(self.indices[k], dtype=float)[order]
            conf = self.indices.get(_CONF.get(k, ""), None)
            err = None if conf is None else np.asarray(conf, dtype=float)[order]
            ax.barh(y + (i - (len(keys) - 1) / 2) * h, vals, height=h, xerr=err, capsize=2, label=k)
        ax.set_yticks(y, [self.parameters[j] for j in order])
        ax.axvline(0, color="0.3", lw=0.8)
        reg = f", regime {self.regime}" if self.regime else ""
        ax.set_title(f"{self.outcome}: {self.method} indices{reg}")
        ax.set_xlabel("index" if len(keys) > 1 else keys[0])
        if len(keys) > 1:
            ax.legend(loc="lower right")
        return ax

    def to_dict(self) -> dict[str, Any]:
        return {"model": self.model, "outcome": self.outcome, "method": self.method,
                "parameters": list(self.parameters), "bounds": {k: list(v) for k, v in self.bounds.items()},
                "indices": {k: list(v) for k, v in self.indices.items()},
                "regime_shares": dict(self.regime_shares), "n": self.n, "n_evaluations": self.n_evaluations,
                "seed": self.seed, "regime": self.regime, "n_retained": self.n_retained, "n_failed": self.n_failed}


def _nan0(v: float) -> float:
    return 0.0 if not math.isfinite(v) else v


# ---------------------------------------------------------------------- bounds
def resolve_bounds(model: ModelLike, bounds: Any = None) -> dict[str, tuple[float, float]]:
    """The parameter box: ``bounds`` (dict of ranges, ``None`` values, or names) or ``sweep_range``.

    With ``bounds=None`` every parameter of ``model.sensitivity_parameters()`` with a
    non-degenerate ``sweep_range`` is varied. An end that lies outside an open domain
    (e.g. 0 for a probability in (0, 1)) is moved inside by 1e-9 of the range, because
    Morris designs evaluate the ends exactly.

    Examples
    --------
    >>> from atrogame.testing.models import Toy
    >>> resolve_bounds(Toy(), {"benefit": (1, 2), "threshold": None})
    {'benefit': (1.0, 2.0), 'threshold': (0.0, 5.0)}
    """
    if bounds is None:
        names = list(model.sensitivity_parameters())
        spec: dict[str, Any] = dict.fromkeys(names)
    elif isinstance(bounds, Mapping):
        spec = dict(bounds)
    elif isinstance(bounds, str):
        spec = {bounds: None}
    else:
        spec = dict.fromkeys(bounds)
    valid = model.parameter_values()
    out: dict[str, tuple[float, float]] = {}
    for name, rng in spec.items():
        if name not in valid:
            raise TypeError(f"unknown parameter {name!r} for {type(model).__name__}; valid names: "
                            f"{', '.join(valid)}")
        meta = model.parameter_meta(name)
        lo, hi = (float(v) for v in (meta["sweep_range"] if rng is None else rng))
        if not (math.isfinite(lo) and math.isfinite(hi)) or lo > hi or (lo == hi and rng is not None):
            raise ValueError(f"bounds for {name} must be finite with low < high; got ({lo}, {hi})")
        if lo == hi:  # a constant by default: not an input of the analysis
            continue
        interval = meta["interval"]
        eps = 1e-9 * (hi - lo)
        lo = lo if lo in interval else lo + eps
        hi = hi if hi in interval else hi - eps
        model.validate_arrays({name: np.array([lo, hi])})
        out[name] = (lo, hi)
    if not out:
        raise ValueError("no parameter to vary: give bounds, e.g. {'name': (low, high)}")
    return out


# ---------------------------------------------------------------------- designs and estimators
def saltelli_design(problem: Mapping[str, Any], n: int, second_order: bool, seed: int) -> np.ndarray:
    """SALib's Sobol–Saltelli design (``SALib.sample.sobol.sample``, no groups), built without loops.

    Rows come in blocks of ``D + 2`` (``2D + 2`` with second order): A, the D matrices
    AB_j, (the D matrices BA_j,) B.

    Examples
    --------
    >>> problem = {"num_vars": 2, "names": ["a", "b"], "bounds": [[0.0, 1.0], [0.0, 10.0]]}
    >>> X = saltelli_design(problem, n=8, second_order=False, seed=1)
    >>> X.shape, bool((X[:, 1] <= 10).all())
    ((32, 2), True)
    >>> saltelli_design(problem, n=8, second_order=True, seed=1).shape
    (48, 2)
    """
    from SALib.util import scale_samples
    from scipy.stats import qmc

    D = int(problem["num_vars"])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        base = qmc.Sobol(d=2 * D, scramble=True, seed=seed).random(n)  # SALib's keyword, hence SALib's design
    A, B = base[:, :D], base[:, D:]
    eye = np.eye(D, dtype=bool)
    AB = np.where(eye[None, :, :], B[:, None, :], A[:, None, :])  # (n, D, D): row k takes column k from B
    blocks = [A[:, None, :], AB]
    if second_order:
        blocks.append(np.where(eye[None, :, :], A[:, None, :], B[:, None, :]))
    blocks.append(B[:, None, :])
    X = np.concatenate(blocks, axis=1).reshape(-1, D)
    return scale_samples(X, dict(problem))


def _sobol_blocks(Y: Any, D: int, second_order: bool) -> tuple[dict[str, np.ndarray], np.ndarray | None]:
    """NaN-filled index arrays and the standardised outputs as ``(N, step)`` Saltelli blocks.

    The blocks are ``None`` when the outputs have no finite, nonzero variance (indices undefined).
    """
    Y = np.asarray(Y, dtype=float).ravel()
    step = 2 * D + 2 if second_order else D + 2
    if Y.size % step:
        raise ValueError(f"Y has {Y.size} values, not a multiple of {step} (second_order={second_order})")
    out: dict[str, np.ndarray] = {k: np.full(D, np.nan) for k in ("S1", "S1_conf", "ST", "ST_conf")}
    if second_order:
        out["S2"] = np.full((D, D), np.nan)
        out["S2_conf"] = np.full((D, D), np.nan)
    sd = Y.std()
    if not np.isfinite(sd) or sd == 0:
        return out, None
    return out, ((Y - Y.mean()) / sd).reshape(Y.size // step, step)


def sobol_indices(Y: np.ndarray, D: int, second_order: bool = True, num_resamples: int = 100,
                  conf_level: float = 0.95, seed: int = 1) -> dict[str, np.ndarray]:
    """Sobol indices and bootstrap half-widths from outputs on :func:`saltelli_design`.

    The estimators and the bootstrap (resample indices drawn with
    ``numpy.random.default_rng(seed).integers``) are those of
    ``SALib.analyze.sobol.analyze``, evaluated for all parameters and resamples at once.

    Examples
    --------
    For y = a + 2b with a, b uniform on [0, 1] the first-order indices are 1/5 and 4/5:

    >>> problem = {"num_vars": 2, "names": ["a", "b"], "bounds": [[0.0, 1.0], [0.0, 1.0]]}
    >>> X = saltelli_design(problem, n=1024, second_order=False, seed=1)
    >>> si = sobol_indices(X[:, 0] + 2 * X[:, 1], D=2, second_order=False)
    >>> si["S1"].round(2).tolist(), si["ST"].round(2).tolist()
    ([0.2, 0.8], [0.2, 0.8])
    """
    from scipy.stats import norm

    out, M = _sobol_blocks(Y, D, second_order)
    if M is None:
        return out  # undefined: no variance to attribute (or NaN outputs)
    N = M.shape[0]
    A, B, AB = M[:, 0], M[:, -1], M[:, 1:D + 1]
    BA = M[:, D + 1:2 * D + 1] if second_order else None
    r = np.random.default_rng(seed).integers(N, size=(N, num_resamples))
    Z = norm.ppf(0.5 + conf_level / 2)
    eps = np.finfo(float).eps

    var = np.var(np.r_[A, B])
    Ar, Br = A[r], B[r]
    var_r = np.var(np.r_[Ar, Br], axis=0)
    ok_r = var_r > eps
    const_r = np.ptp(np.r_[Ar, Br]) == 0.0

    def ratio(num: np.ndarray, den: Any) -> np.ndarray:
        return np.divide(num, den, out=np.zeros_like(num, dtype=float), where=den > eps) if np.ndim(den) else (
            num / den if den > eps else np.zeros_like(num, dtype=float))

    S1 = ratio(np.mean(B[:, None] * (AB - A[:, None]), axis=0), var)
    ST = ratio(0.5 * np.mean((A[:, None] - AB) ** 2, axis=0), var)
    S1_b = np.empty((D, num_resamples))
    for j in range(D):
        ABr = AB[r, j]
        S1_b[j] = np.divide(np.mean(Br * (ABr - Ar), axis=0), var_r, out=np.zeros(num_resamples), where=ok_r)
        ST_bj = np.divide(0.5 * np.mean((Ar - ABr) ** 2, axis=0), var_r, out=np.zeros(num_resamples), where=ok_r)
        out["S1_conf"][j] = 0.0 if const_r else Z * S1_b[j].std(ddof=1)
        out["ST_conf"][j] = 0.0 if const_r else Z * ST_bj.std(ddof=1)
    out["S1"], out["ST"] = S1, ST
    if second_order:
        assert BA is not None
        ABr_all = [AB[r, j] for j in range(D)]
        AB_mean_r = np.mean(Ar * Br, axis=0)
        for j in range(D):
            BAr = BA[r, j]
            for k in range(j + 1, D):
                Vjk = ratio(np.mean(BA[:, j] * AB[:, k] - A * B), var)
                out["S2"][j, k] = Vjk - S1[j] - S1[k]
                Vb = np.divide(np.mean(BAr * ABr_all[k], axis=0) - AB_mean_r, var_r,
                               out=np.zeros(num_resamples), where=ok_r)
                out["S2_conf"][j, k] = Z * (Vb - S1_b[j] - S1_b[k]).std(ddof=1)
    return out


# ---------------------------------------------------------------------- BLAS threads
_OPENBLAS_SETTERS = ("openblas_set_num_threads", "openblas_set_num_threads64_",
                     "scipy_openblas_set_num_threads", "scipy_openblas_set_num_threads64_")


def sobol_indices_fast(Y: np.ndarray, D: int, second_order: bool = True, num_resamples: int = 100,
                       conf_level: float = 0.95, seed: int = 1) -> dict[str, np.ndarray]:
    """Same inputs and outputs as :func:`sobol_indices`, with the bootstrap as matrix products.

    :func:`sobol_indices` gathers every bootstrap resample of the outputs
    (an ``N × R`` array per column, and every pair of columns for the second-order indices);
    for N = 2¹⁴, 15 parameters and 100 resamples that moves gigabytes through memory. Each
    bootstrap statistic is a mean over resampled rows, i.e. a weighted sum with the resample
    *counts* as weights: with ``C[b, i]`` the number of times row ``i`` is drawn in resample
    ``b``, ``mean(x[r[:, b]]) = C[b] · x / N``. So every bootstrap statistic of every
    parameter (and pair) is one matrix product with ``C``. Results agree with
    ``sobol_indices`` to rounding (tested), with the same resample indices
    (``numpy.random.default_rng(seed).integers(N, size=(N, R))``).
    See docs/explanation/performance.md.

    Examples
    --------
    >>> import numpy as np
    >>> problem = {"num_vars": 2, "names": ["a", "b"], "bounds": [[0.0, 1.0], [0.0, 1.0]]}
    >>> X = saltelli_design(problem, n=256, second_order=True, seed=1)
    >>> y = X[:, 0] + 2 * X[:, 1] + X[:, 0] * X[:, 1]
    >>> fast, ref = sobol_indices_fast(y, D=2), sobol_indices(y, D=2)
    >>> all(np.allclose(fast[k], ref[k], equal_nan=True) for k in ref)
    True
    """
    from scipy.stats import norm

    out, M = _sobol_blocks(Y, D, second_order)
    if M is None:
        return out  # undefined: no variance to attribute (or NaN outputs)
    N = M.shape[0]
    A, B, AB = M[:, 0], M[:, -1], np.ascontiguousarray(M[:, 1:D + 1])
    R = num_resamples
    r = np.random.default_rng(seed).integers(N, size=(N, R))
    # C[b, i]: how often row i is drawn in resample b
    C = np.bincount((r + N * np.arange(R)[None, :]).ravel(), minlength=N * R).reshape(R, N).astype(float)
    Z = norm.ppf(0.5 + conf_level / 2)
    eps = np.finfo(float).eps

    def ratio(num: Any, den: Any) -> Any:
        return num / den if den > eps else np.zeros_like(num, dtype=float)

    both = np.r_[A, B]
    var = np.var(both)
    mean_r = C @ np.c_[A + B, A * A + B * B] / (2 * N)  # per resample: mean and mean square of [A, B]
    var_r = mean_r[:, 1] - mean_r[:, 0] ** 2
    ok_r = var_r > eps
    used = np.flatnonzero(C.any(axis=0))
    const_r = np.ptp(np.r_[A[used], B[used]]) == 0.0
    safe_r = np.where(ok_r, var_r, 1.0)

    f1 = B[:, None] * (AB - A[:, None])  # first-order summand, (N, D)
    ft = 0.5 * (A[:, None] - AB) ** 2  # total-order summand
    S1 = ratio(f1.mean(axis=0), var)
    ST = ratio(ft.mean(axis=0), var)
    S1_b = np.where(ok_r[None, :], (C @ f1).T / N / safe_r[None, :], 0.0)  # (D, R)
    ST_b = np.where(ok_r[None, :], (C @ ft).T / N / safe_r[None, :], 0.0)
    out["S1"], out["ST"] = S1, ST
    out["S1_conf"] = np.zeros(D) if const_r else Z * S1_b.std(axis=1, ddof=1)
    out["ST_conf"] = np.zeros(D) if const_r else Z * ST_b.std(axis=1, ddof=1)
    if second_order:
        BA = np.ascontiguousarray(M[:, D + 1:2 * D + 1])
        ab = A * B
        Vjk = ratio(BA.T @ AB / N - ab.mean(), var)  # (D, D)
        ab_r = C @ ab / N  # (R,)
        # per resample b: BAᵀ diag(C_b) AB / N, for every pair at once
        BAt = np.ascontiguousarray(BA.T)
        P = np.empty((R, D, D))
        for b in range(R):
            np.matmul(BAt * C[b], AB, out=P[b])
        P /= N
        Vb = np.where(ok_r[:, None, None], (P - ab_r[:, None, None]) / safe_r[:, None, None], 0.0)
        iu, ju = np.triu_indices(D, k=1)
        out["S2"][iu, ju] = Vjk[iu, ju] - S1[iu] - S1[ju]
        s2b = Vb[:, iu, ju] - S1_b[iu].T - S1_b[ju].T  # (R, pairs)
        out["S2_conf"][iu, ju] = Z * s2b.std(axis=0, ddof=1)
    return out


@contextlib.contextmanager
def _single_thread_blas() -> Any:
    """Run with one BLAS thread (best effort; a no-op where it cannot be done).

    SALib's delta method evaluates many small Gaussian KDEs; multi-threaded OpenBLAS makes
    their tiny triangular solves ~50× slower on a busy machine. threadpoolctl is used when
    installed, else the OpenBLAS libraries already loaded are set directly.
    """
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:
        threadpool_limits = None
    if threadpool_limits is not None:
        with threadpool_limits(limits=1, user_api="blas"):
            yield
        return
    restore: list[tuple[Any, Any, int]] = []
    try:
        import ctypes

        with open("/proc/self/maps") as fh:
            paths = {ln.split()[-1] for ln in fh if "openblas" in ln.lower() and ".so" in ln}
        for path in paths:
            lib = ctypes.CDLL(path)
            for name in _OPENBLAS_SETTERS:
                if hasattr(lib, name) and hasattr(lib, name.replace("_set_", "_get_")):
                    setter, getter = getattr(lib, name), getattr(lib, name.replace("_set_", "_get_"))
                    restore.append((setter, getter, int(getter())))
                    setter(1)
    except (OSError, ValueError, AttributeError):  # not Linux, or no OpenBLAS: leave BLAS alone
        pass
    try:
        yield
    finally:
        for setter, _, n in restore:
            setter(n)


# ---------------------------------------------------------------------- evaluation
def _evaluate(model: ModelLike, X: np.ndarray, names: Sequence[str], outcome: str, chunks: Any, client: Any,
              progress: bool | None) -> tuple[np.ndarray, np.ndarray, int]:
    """Outcome, regime codes (-1: undefined or failed) and the number of failed points."""
    from atrogame import engine

    if chunks is None and client is None:
        cols = model.validate_arrays({k: X[:, j] for j, k in enumerate(names)})
        res, failures = engine.compute(model, cols, (X.shape[0],), [outcome, "regime"],
                                       progress=engine.progress_enabled(progress))
        engine.warn_failures(failures, X.shape[0], where="SensitivityResult.n_failed", stacklevel=4)
        y = np.asarray(res[outcome], dtype=float)
        reg = np.asarray(res["regime"], dtype=float)
        return y, np.where(np.isfinite(reg), reg, -1).astype(int), len(failures)
    pointwise = not model.vectorised
    rows = engine.chunked_rows(model, X, names, [outcome], "auto" if chunks is None else chunks, client)
    n_failed = int(rows[2].sum()) if pointwise else 0
    return rows[0], rows[1].astype(int), n_failed


def analyze(model: ModelLike, outcome: str, method: str = "sobol", bounds: Any = None, n: int = 1024,
            seed: int | np.random.Generator | None = None, regime: str | None = None, *,
            second_order: bool = True, num_resamples: int = 100, conf_level: float = 0.95,
            num_levels: int = 4, chunks: Any = None, client: Any = None,
            progress: bool | None = None) -> SensitivityResult:
    """Global sensitivity indices of ``outcome`` over a box of parameters.

    Parameters
    ----------
    model:
        Any atrogame model; parameters outside ``bounds`` keep its values.
    outcome:
        One of ``model.outcome_names``.
    method:
        ``"sobol"`` (``n`` base samples: ``n·(2D + 2)`` evaluations, ``n·(D + 2)``
        without second order; ``n`` should be a power of 2), ``"morris"`` (``n``
        trajectories of ``D + 1`` points on ``num_levels`` levels) or ``"delta"``
        (``n`` Latin-hypercube points).
    bounds:
        ``None`` (every parameter of ``model.sensitivity_parameters()`` over its
        ``sweep_range``), a dict of ``name: (low, high)`` (or ``None`` for the
        ``sweep_range``) naming the parameters to vary, or a list of names.
    seed:
        Makes the design and the bootstrap reproducible (``None``: a fresh seed, recorded
        in the result).
    regime:
        Restrict the analysis to one regime (see the module docstring for what each
        method does then).
    chunks, client:
        Evaluate the design block by block with Dask (locally, or on a
        ``dask.distributed`` cluster); SALib then runs on the caller.

    Returns
    -------
    SensitivityResult

    Examples
    --------
    >>> from atrogame.testing.models import Toy
    >>> si = analyze(Toy(), "x", method="morris", bounds={"benefit": (3, 5), "threshold": (0, 1)}, n=20, seed=0)
    >>> [round(v, 6) for v in si["mu_star"].values()]
    [2.0, 1.0]
    """
    from atrogame.sampling import resolve_seed

    t0 = time.perf_counter()
    if method not in METHODS:
        raise ValueError(f"method must be one of {', '.join(METHODS)}; got {method!r}")
    if outcome not in model.outcome_names:
        raise KeyError(f"unknown outcome {outcome!r} for {model.name}; valid: {', '.join(model.outcome_names)}")
    if regime is not None and regime not in model.regime_names:
        raise KeyError(f"unknown regime {regime!r} for {model.name}; valid: {', '.join(model.regime_names)}")
    if isinstance(n, bool) or not isinstance(n, int | np.integer) or n < 2:
        raise ValueError(f"n must be an integer >= 2; got {n!r}")
    box = resolve_bounds(model, bounds)
    names = list(box)
    D = len(names)
    problem = {"num_vars": D, "names": names, "bounds": [list(box[k]) for k in names]}
    seed_ = resolve_seed(seed)
    boot_seed = seed_ + 1  # SALib treats a seed of 0 as "no seed" for its bootstrap

    if method == "sobol":
        if n & (n - 1):
            warnings.warn(f"Sobol estimates converge best when n is a power of 2; got n={n}", UserWarning,
                          stacklevel=3)
        X = saltelli_design(problem, int(n), second_order, seed_)
    elif method == "morris":
        from SALib.sample import morris as morris_sample

        X = morris_sample.sample(problem, int(n), num_levels=num_levels, seed=seed_)
    else:
        from SALib.sample import latin

        X = latin.sample(problem, int(n), seed=seed_)

    y, codes, n_failed = _evaluate(model, X, names, outcome, chunks, client, progress)
    shares = {r: float(np.mean(codes == i)) for i, r in enumerate(model.regime_names)}
    if (codes < 0).any():
        shares["undefined"] = float(np.mean(codes < 0))
    inside = codes == model.regime_names.index(regime) if regime is not None else np.ones(y.size, bool)

    second: dict[tuple[str, str], tuple[float, float]] = {}
    if method == "sobol":
        ys = np.where(inside, y, 0.0) if regime is not None else y
        S = sobol_indices_fast(ys, D, second_order, num_resamples, conf_level, boot_seed)
        indices = {k: tuple(float(v) for v in S[k]) for k in ("S1", "S1_conf", "ST", "ST_conf")}
        if second_order:
            second = {(names[j], names[k]): (float(S["S2"][j, k]), float(S["S2_conf"][j, k]))
                      for j in range(D) for k in range(j + 1, D)}
        retained = int(inside.sum())
    elif method == "morris":
        from SALib.analyze import morris

        traj = inside.reshape(-1, D + 1).all(axis=1)
        retained = int(traj.sum())
        if retained < 2:
            raise ValueError(f"only {retained} Morris trajectories stay in regime {regime!r}; "
                             "raise n or narrow the bounds")
        keep = np.repeat(traj, D + 1)
        Si = morris.analyze(problem, X[keep], y[keep], num_resamples=num_resamples, conf_level=conf_level,
                            num_levels=num_levels, seed=boot_seed)
        indices = {k: tuple(float(v) for v in Si[k]) for k in ("mu", "mu_star", "sigma", "mu_star_conf")}
    else:
        from SALib.analyze import delta

        retained = int(inside.sum())
        if retained < 20:
            raise ValueError(f"only {retained} evaluations fall in regime {regime!r}; raise n or narrow the bounds")
        if np.ptp(y[inside]) == 0:  # a constant output does not move its distribution: delta is 0
            zeros, nans = (0.0,) * D, (math.nan,) * D
            indices = {"delta": zeros, "delta_conf": zeros, "S1": nans, "S1_conf": nans}
            return _result(locals())
        # SALib's delta reseeds numpy's global generator and changes warning formatting: undo both.
        state, fmt = np.random.get_state(), warnings.formatwarning  # noqa: NPY002
        try:
            with warnings.catch_warnings(record=True), _single_thread_blas():  # record: SALib resets filters
                warnings.simplefilter("ignore")
                Si = delta.analyze(problem, X[inside], y[inside], num_resamples=num_resamples,
                                   conf_level=conf_level, seed=boot_seed, method="all")
        finally:
            np.random.set_state(state)  # noqa: NPY002
            warnings.formatwarning = fmt
        # "delta" is the classic estimator (SALib's bootstrap mode "raw").
        indices = {"delta": tuple(float(v) for v in Si["delta_raw"]),
                   "delta_conf": tuple(float(v) for v in Si["delta_raw_conf"]),
                   "S1": tuple(float(v) for v in Si["S1"]), "S1_conf": tuple(float(v) for v in Si["S1_conf"])}

    return _result(locals())


def _result(v: Mapping[str, Any]) -> SensitivityResult:
    return SensitivityResult(
        model=v["model"].name, outcome=v["outcome"], method=v["method"], parameters=tuple(v["names"]),
        bounds=v["box"], indices=v["indices"], regime_shares=v["shares"], n=int(v["n"]),
        n_evaluations=int(v["X"].shape[0]), seed=v["seed_"], conf_level=v["conf_level"], regime=v["regime"],
        conditioning=_CONDITIONING[v["method"]] if v["regime"] else "", n_retained=v["retained"],
        n_failed=v["n_failed"], second_order=v["second"], elapsed=time.perf_counter() - v["t0"])
