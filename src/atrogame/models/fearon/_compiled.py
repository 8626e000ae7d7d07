"""Fearon's uniform-type closed form as one compiled (numba) loop; imported only when numba is used.

The loop is :func:`atrogame.models.fearon.fast.kernel` written point by point with the same
operations (no ``fastmath``); the tests check agreement to 1e-12 in every regime.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numba as nb
import numpy as np
from numba import prange

from atrogame.accel import JIT_OPTIONS as _JIT
from atrogame.accel import flat_args


# ---------------------------------------------------------------------- Fearon (uniform types)
@nb.njit(**_JIT)
def _fearon_loop(pa: Any, ca: Any, la: Any, ha: Any, st: Any, demand: Any, qo: Any, ua: Any, ub: Any, regime: Any,
                 n: int) -> None:  # pragma: no cover - compiled
    for t in prange(n):
        p = pa[t * st[0]]
        cA = ca[t * st[1]]
        low = la[t * st[2]]
        high = ha[t * st[3]]
        v = 1.0 - p
        w = p - cA
        width = high - low
        S = 1.0 - v - w
        x_u = v - (high - S) / 2.0
        peace = high - 2.0 * low <= S
        no_war = (not peace) and (v - low <= 0.0)
        war = (not peace) and (not no_war) and (-high >= S) and (v - high >= 0.0)
        interior = (not peace) and (not no_war) and (not war) and (x_u >= 0.0)
        if peace:
            offer = max(v - low, 0.0)
        elif interior:
            offer = x_u
        else:
            offer = 0.0
        u = min(max(v - offer, low), high)
        if peace or no_war:
            q = 0.0
        elif war:
            q = 1.0
        else:
            q = (u - low) / width
        Ec = (u * u - low * low) / (2.0 * width)
        if war:
            prop = w
            resp = v - (low + high) / 2.0
        else:
            prop = (1.0 - q) * (1.0 - offer) + q * w
            resp = (1.0 - q) * offer + q * v - Ec
        dem = 1.0 - offer
        fight = q > 0.0
        if fight and dem >= 1.0 - 1e-12:
            code = 2
        elif fight:
            code = 1
        elif p + low >= 1.0:
            code = 3
        else:
            code = 0
        demand[t] = dem
        qo[t] = q
        ua[t] = prop
        ub[t] = resp
        regime[t] = code


def fearon(cols: Sequence[np.ndarray]) -> dict[str, Any]:
    arrays, steps, n = flat_args(cols)
    demand, q, ua, ub = (np.empty(n) for _ in range(4))
    regime = np.empty(n, dtype=np.int8)
    _fearon_loop(*arrays, steps, demand, q, ua, ub, regime, n)
    return {"offer": demand, "p_war": q, "utility_a": ua, "utility_b": ub, "regime": regime}
