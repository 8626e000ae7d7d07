"""Fearon's closed form (uniform types) fused, without re-validating; numba for large flat inputs.

:func:`kernel` evaluates the uniform-type bargaining closed form of
:func:`atrogame.solvers.bargaining.uniform_offer` specialised to Fearon's mapping (responder
value ``1 − p``, proposer value ``p − c_A``, a unit good, offers ≥ 0) with the same
operations, but without validating its inputs a second time: the model's parameters were
validated already. This numpy code is the reference; flat inputs of at least
:data:`atrogame.accel.MIN_POINTS` points go through one compiled loop
(:mod:`atrogame.models.fearon._compiled`) when :mod:`atrogame.accel` is enabled, tested to
give the same numbers in every regime. See docs/explanation/performance.md.

Examples
--------
>>> import numpy as np
>>> out = kernel(np.asarray(0.5), np.asarray(0.1), np.asarray(0.05), np.asarray(0.45))
>>> round(float(out["offer"]), 6), round(float(out["p_war"]), 6), int(out["regime"])
(0.675, 0.3125, 1)
"""

from __future__ import annotations

from typing import Any

import numpy as np

__all__ = ["kernel", "kernel_checked"]

SAFE, RISKY, CAPPED_RISKY, CAPPED_SAFE = range(4)


def kernel(p: Any, cA: Any, a: Any, b: Any, accel: bool | None = None) -> dict[str, np.ndarray]:
    """Offer (A's demand), P(war), utilities and regime codes of Fearon's model, uniform types."""
    P = [np.asarray(x, dtype=float) for x in (p, cA, a, b)]
    from atrogame import accel as _accel

    shape, n, flat = _accel.flat_shape(P)
    if flat and (accel or (accel is None and _accel.use_for(n))):
        from atrogame.models.fearon import _compiled

        return _accel.run_flat(_compiled.fearon, P, shape)[0]
    p, cA, low, high = P
    v = 1.0 - p
    w = p - cA
    width = high - low
    S = 1.0 - v - w
    x_u = v - (high - S) / 2.0
    peace = high - 2.0 * low <= S
    no_war = ~peace & (v - low <= 0.0)
    war = ~peace & ~no_war & (-high >= S) & (v - high >= 0.0)
    interior = ~peace & ~no_war & ~war & (x_u >= 0.0)
    offer = np.where(peace, np.maximum(v - low, 0.0), np.where(interior, x_u, 0.0))
    u = np.minimum(np.maximum(v - offer, low), high)  # cutpoint: types below fight
    q = (u - low) / width
    q = np.where(peace | no_war, 0.0, np.where(war, 1.0, q))
    with np.errstate(over="ignore", invalid="ignore"):
        Ec = (u * u - low * low) / (2.0 * width)  # E[c; c < u]
    big = ~np.isfinite(Ec)  # u² or a² overflowed (a beyond 1e154): E[c; c < u] = F(u)·(u + a)/2 is finite
    if big.any():
        Ec = np.where(big, (u - low) / width * (0.5 * u + 0.5 * low), Ec)
    prop = np.where(war, w, (1.0 - q) * (1.0 - offer) + q * w)
    resp = np.where(war, v - (low + high) / 2.0, (1.0 - q) * offer + q * v - Ec)
    demand = 1.0 - offer
    fight = q > 0.0
    at_cap = demand >= 1.0 - 1e-12
    capped = p + low >= 1.0
    regime = np.select([fight & at_cap, fight, capped], [CAPPED_RISKY, RISKY, CAPPED_SAFE], SAFE).astype(np.int8)
    return {"offer": demand, "p_war": q, "utility_a": prop, "utility_b": resp, "regime": regime}


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
    from atrogame.models.fearon import _compiled

    out, bounds = _accel.run_flat(_compiled.fearon, P, shape, check=True)
    assert bounds is not None
    return out, bounds
