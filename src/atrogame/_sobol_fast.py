"""Sobol indices with their bootstrap as matrix products (the estimators of SALib's ``sobol.analyze``).

:func:`atrogame.sensitivity.sobol_indices` gathers every bootstrap resample of the outputs
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
>>> from atrogame.sensitivity import saltelli_design, sobol_indices
>>> problem = {"num_vars": 2, "names": ["a", "b"], "bounds": [[0.0, 1.0], [0.0, 1.0]]}
>>> X = saltelli_design(problem, n=256, second_order=True, seed=1)
>>> y = X[:, 0] + 2 * X[:, 1] + X[:, 0] * X[:, 1]
>>> fast, ref = sobol_indices_fast(y, D=2), sobol_indices(y, D=2)
>>> all(np.allclose(fast[k], ref[k], equal_nan=True) for k in ref)
True
"""

from __future__ import annotations

from typing import Any

import numpy as np

__all__ = ["sobol_indices_fast"]


def sobol_indices_fast(Y: np.ndarray, D: int, second_order: bool = True, num_resamples: int = 100,
                       conf_level: float = 0.95, seed: int = 1) -> dict[str, np.ndarray]:
    """Same inputs and outputs as :func:`atrogame.sensitivity.sobol_indices`."""
    from scipy.stats import norm

    Y = np.asarray(Y, dtype=float).ravel()
    step = 2 * D + 2 if second_order else D + 2
    if Y.size % step:
        raise ValueError(f"Y has {Y.size} values, not a multiple of {step} (second_order={second_order})")
    N = Y.size // step
    out: dict[str, np.ndarray] = {k: np.full(D, np.nan) for k in ("S1", "S1_conf", "ST", "ST_conf")}
    if second_order:
        out["S2"] = np.full((D, D), np.nan)
        out["S2_conf"] = np.full((D, D), np.nan)
    sd = Y.std()
    if not np.isfinite(sd) or sd == 0:
        return out  # undefined: no variance to attribute (or NaN outputs)
    Y = (Y - Y.mean()) / sd
    M = Y.reshape(N, step)
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
