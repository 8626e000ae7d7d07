"""Fearon's uniform-type closed form as one compiled (numba) loop; imported only when numba is used.

The loop is :func:`atrogame.models.fearon.fast.kernel` written point by point with the same
operations (no ``fastmath``); the tests check agreement to 1e-12 in every regime.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numba as nb
import numpy as np
from numba import prange

from atrogame.accel import JIT_OPTIONS as _JIT
from atrogame.accel import bounds_buffers, flat_args, reduce_bounds
from atrogame.accel.kernels import FLOAT_MAX, bits, open_bits, store_bit_ranges

# 1 for the inputs read through open_bits (c_A, open at 0)
_OPEN = (np.uint64(0), np.uint64(1), np.uint64(0), np.uint64(0))


# ---------------------------------------------------------------------- Fearon (uniform types)
@nb.njit(**_JIT)
def _fearon_loop(pa: Any, ca: Any, la: Any, ha: Any, st: Any, demand: Any, qo: Any, ua: Any, ub: Any, regime: Any,
                 lo: Any, hi: Any, nf: Any, check: bool, n: int) -> None:  # pragma: no cover - compiled
    chunks = lo.shape[0]
    step = (n + chunks - 1) // chunks
    for c in prange(chunks):
        # chunk-local ranges in registers (see atrogame.accel.kernels): the maxima of the bit
        # patterns of p (in [0, 1]), c_A (open at 0) and a (in [0, inf)) check bound, sign and
        # finiteness at once; b keeps its float minimum (the joint rule a < b is proved on the
        # box of a's maximum and b's minimum) and a finiteness sum, with FLOAT_MAX as its top
        u0 = u1 = u2 = np.uint64(0)
        l3 = np.inf
        fin = 0.0
        for t in range(c * step, min(n, (c + 1) * step)):
            p = pa[t * st[0]]
            cA = ca[t * st[1]]
            low = la[t * st[2]]
            high = ha[t * st[3]]
            if check:  # the range check of the inputs, folded into this pass
                b = bits(p)
                u0 = b if b > u0 else u0
                b = open_bits(cA)
                u1 = b if b > u1 else u1
                b = bits(low)
                u2 = b if b > u2 else u2
                l3 = high if high < l3 else l3
                fin += high  # NaN or ±inf iff b is
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
            if not math.isfinite(Ec):  # u² or a² overflowed: F(u)·(u + a)/2, as numpy does
                Ec = (u - low) / width * (0.5 * u + 0.5 * low)
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
        store_bit_ranges(lo, hi, nf, c, (u0, u1, u2, u2), _OPEN)  # (b's entry is overwritten)
        lo[c, 3] = l3
        hi[c, 3] = FLOAT_MAX
        if not math.isfinite(fin):
            nf[c, 0] = np.nan


def fearon(cols: Sequence[np.ndarray], check: bool = False
           ) -> tuple[dict[str, Any], tuple[np.ndarray, np.ndarray] | None]:
    """Outputs and, with ``check``, a range enclosing each input from the same pass: [0, max]
    for p and a, [5e-324, max] for c_A, [min, largest float] for b."""
    arrays, steps, n = flat_args(cols)
    out = np.empty((n, 4))  # row-major: evaluate's N × k result needs no copy
    demand, q, ua, ub = (out[:, j] for j in range(4))
    regime = np.empty(n, dtype=np.int8)
    lo, hi, nf = bounds_buffers(4)
    _fearon_loop(*arrays, steps, demand, q, ua, ub, regime, lo, hi, nf, check, n)
    res = {"offer": demand, "p_war": q, "utility_a": ua, "utility_b": ub, "regime": regime}
    return res, (reduce_bounds(lo, hi, nf) if check else None)
