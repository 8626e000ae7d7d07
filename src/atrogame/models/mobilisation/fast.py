"""The mobilisation game's closed form; numba for large flat inputs.

:func:`kernel` is the numpy reference; flat inputs of at least
:data:`atrogame.accel.MIN_POINTS` points go through one compiled loop
(:mod:`atrogame.models.mobilisation._compiled`) when :mod:`atrogame.accel` is enabled, tested
to give the same numbers in every regime. See docs/explanation/performance.md.

Examples
--------
>>> import numpy as np
>>> out = kernel([np.asarray(x) for x in (1.0, 0.5, 0.5, 0.2, 0.3, 0.4, 0.1)])
>>> sorted(out)[:3]
['bystander_side', 'bystander_threshold', 'eig_bystanders']
"""

from __future__ import annotations

from typing import Any

import numpy as np

__all__ = ["kernel", "kernel_checked", "wide_outcomes"]


def kernel(vals: list[Any], accel: bool | None = None) -> dict[str, np.ndarray]:
    """Thresholds, vertex eigenvalues, regime codes and branch flags of the mobilisation game.

    ``vals`` are the parameters in field order: v, c, γ, φ_B, φ_R, m, μ.
    """
    P = [np.asarray(x, dtype=float) for x in vals]
    from atrogame import accel as _accel

    shape, n, flat = _accel.flat_shape(P)
    if flat and (accel or (accel is None and _accel.use_for(n))):
        from atrogame.models.mobilisation import _compiled

        return _accel.run_flat(_compiled.mobilisation, P, shape)[0]
    v, c, g, fB, fR, m, mu = P
    net = v - c
    with np.errstate(all="ignore"):
        num = m + mu - net
        den = g + fR + mu
        den_b = g + fB
        tip_raw = num / den
        sb_raw = -net / den_b
        e_s = np.maximum(-fB, m - fR) - (net + g)
        e_r = np.maximum(net, 0.0) - (m + mu)
        # inputs beyond ~1e307 can overflow a sum although the threshold or eigenvalue is finite:
        # there (and only there) the same expressions at a quarter scale (see wide_outcomes)
        if not np.isfinite(np.sum(num) + np.sum(den) + np.sum(den_b) + np.sum(e_s) + np.sum(e_r)):
            tip_raw, sb_raw, e_s, e_r = wide_outcomes(P, num, den, den_b, tip_raw, sb_raw, e_s, e_r)
    e_b = np.maximum(net, m)
    code = (e_s < 0).astype(np.int8) + 2 * (e_b < 0).astype(np.int8) + 4 * (e_r < 0).astype(np.int8)
    return {
        "tipping_threshold": np.clip(tip_raw, 0.0, 1.0),
        "bystander_threshold": np.clip(sb_raw, 0.0, 1.0),
        "eig_supporters": e_s, "eig_bystanders": e_b, "eig_resisters": e_r,
        "regime": code,
        # branch bookkeeping for comparative statics (which expression is active)
        "tipping_side": (tip_raw >= 1.0).astype(np.int8) - (tip_raw <= 0.0).astype(np.int8),
        "bystander_side": (sb_raw >= 1.0).astype(np.int8) - (sb_raw <= 0.0).astype(np.int8),
        "eig_supporters_branch": (m - fR > -fB).astype(np.int8),
        "eig_bystanders_branch": (m > net).astype(np.int8),
        "eig_resisters_branch": (net < 0.0).astype(np.int8),
    }


def wide_outcomes(P: list[np.ndarray], num: Any, den: Any, den_b: Any, tip_raw: Any, sb_raw: Any, e_s: Any,
                  e_r: Any) -> tuple[Any, Any, Any, Any]:
    """The thresholds and the eigenvalues at all-supporters and all-resisters where a sum of
    inputs overflowed: the same expressions with every input times 1/4 (exact for normal
    numbers), the eigenvalues then times 4 (±inf only where the true value exceeds the largest
    float: such points are refused by :class:`MobilisationParams`)."""
    v, c, g, fB, fR, m, mu = (np.asarray(x, dtype=float) * 0.25 for x in P)
    net = v - c
    with np.errstate(all="ignore"):
        wide = ~(np.isfinite(num) & np.isfinite(den))
        tip_raw = np.where(wide, (m + mu - net) / (g + fR + mu), tip_raw)
        sb_raw = np.where(np.isfinite(den_b), sb_raw, -net / (g + fB))
        e_s = np.where(np.isfinite(e_s), e_s, (np.maximum(-fB, m - fR) - (net + g)) * 4.0)
        e_r = np.where(np.isfinite(e_r), e_r, (np.maximum(net, 0.0) - (m + mu)) * 4.0)
    return tip_raw, sb_raw, e_s, e_r


def kernel_checked(vals: list[Any]) -> tuple[dict[str, Any], tuple[np.ndarray, np.ndarray]] | None:
    """The compiled kernel and each input's (minimum, maximum) from the same pass, or ``None``.

    ``None`` when the input does not take the compiled path; the caller then validates and
    evaluates separately (the model's ``fused_kernel`` hook).
    """
    from atrogame import accel as _accel

    P = [np.asarray(x, dtype=float) for x in vals]
    shape, n, flat = _accel.flat_shape(P)
    if not flat or not _accel.use_for(n):
        return None
    from atrogame.models.mobilisation import _compiled

    out, bounds = _accel.run_flat(_compiled.mobilisation, P, shape, check=True)
    assert bounds is not None
    return out, bounds
