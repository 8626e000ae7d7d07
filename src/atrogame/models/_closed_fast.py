"""Fast closed-form kernels of the Fearon and mobilisation models (numpy reference, numba when installed).

Private to :mod:`atrogame.models.fearon` and :mod:`atrogame.models.mobilisation`, whose
kernels call these functions. The numpy functions are the reference; flat inputs of at
least :data:`atrogame.accel.MIN_POINTS` points go through one compiled loop when
:mod:`atrogame.accel` is enabled, tested to give the same numbers.

:func:`fearon` evaluates the uniform-type bargaining closed form of
:func:`atrogame.solvers.bargaining.uniform_offer` specialised to Fearon's mapping (responder
value ``1 − p``, proposer value ``p − c_A``, a unit good, offers ≥ 0) with the same
operations, but without validating its inputs a second time: the model's parameters were
validated already. See docs/explanation/performance.md.

Examples
--------
>>> import numpy as np
>>> out = fearon(np.asarray(0.5), np.asarray(0.1), np.asarray(0.05), np.asarray(0.45))
>>> round(float(out["offer"]), 6), round(float(out["p_war"]), 6), int(out["regime"])
(0.675, 0.3125, 1)
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

__all__ = ["fearon", "mobilisation"]

SAFE, RISKY, CAPPED_RISKY, CAPPED_SAFE = range(4)


def _flat(arrays: list[np.ndarray]) -> tuple[tuple[int, ...], int, bool]:
    shape = np.broadcast_shapes(*(a.shape for a in arrays))
    n = math.prod(shape)
    flat = shape != () and n > 0 and all(a.size == 1 or a.shape == shape for a in arrays)
    return shape, n, flat


def fearon(p: Any, cA: Any, a: Any, b: Any, accel: bool | None = None) -> dict[str, np.ndarray]:
    """Offer (A's demand), P(war), utilities and regime codes of Fearon's model, uniform types."""
    P = [np.asarray(x, dtype=float) for x in (p, cA, a, b)]
    shape, n, flat = _flat(P)
    if flat:
        from atrogame import accel as _accel

        if accel or (accel is None and _accel.use_for(n)):
            res = _accel.fearon_kernel([x.reshape(-1) for x in P])
            return {k: v.reshape(shape) for k, v in res.items()}
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
    Ec = (u * u - low * low) / (2.0 * width)  # E[c; c < u]
    prop = np.where(war, w, (1.0 - q) * (1.0 - offer) + q * w)
    resp = np.where(war, v - (low + high) / 2.0, (1.0 - q) * offer + q * v - Ec)
    demand = 1.0 - offer
    fight = q > 0.0
    at_cap = demand >= 1.0 - 1e-12
    capped = p + low >= 1.0
    regime = np.select([fight & at_cap, fight, capped], [CAPPED_RISKY, RISKY, CAPPED_SAFE], SAFE).astype(np.int8)
    return {"offer": demand, "p_war": q, "utility_a": prop, "utility_b": resp, "regime": regime}


def mobilisation(vals: list[Any], accel: bool | None = None) -> dict[str, np.ndarray]:
    """Thresholds, vertex eigenvalues, regime codes and branch flags of the mobilisation game.

    ``vals`` are the parameters in field order: v, c, γ, φ_B, φ_R, m, μ.
    """
    P = [np.asarray(x, dtype=float) for x in vals]
    shape, n, flat = _flat(P)
    if flat:
        from atrogame import accel as _accel

        if accel or (accel is None and _accel.use_for(n)):
            res = _accel.mobilisation_kernel([x.reshape(-1) for x in P])
            return {k: v.reshape(shape) for k, v in res.items()}
    v, c, g, fB, fR, m, mu = P
    net = v - c
    with np.errstate(all="ignore"):
        tip_raw = (m + mu - net) / (g + fR + mu)
        sb_raw = -net / (g + fB)
    e_s = np.maximum(-fB, m - fR) - (net + g)
    e_b = np.maximum(net, m)
    e_r = np.maximum(net, 0.0) - (m + mu)
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
