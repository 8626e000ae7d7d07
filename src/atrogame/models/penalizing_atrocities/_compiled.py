"""The penalizing-atrocities closed form as one compiled (numba) loop; imported only when numba is used.

The loop is :func:`atrogame.models.penalizing_atrocities.closed_form.closed_form` (with
:mod:`~atrogame.models.penalizing_atrocities.duration`) written point by point, with the same
operations in the same order (no ``fastmath``): each point reads its own integer lead ``n``
(``int(n)``, as the numpy kernel groups points by it) and sums the ``n`` terms of the duration
and of its slope. The tests check agreement to 1e-12 at random points of every regime.
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
from atrogame.accel.kernels import fold, store_ranges
from atrogame.models.penalizing_atrocities.duration import LOOP_MAX
from atrogame.models.penalizing_atrocities.fast import ALL, FLOAT_OUTPUTS, NEED_DURATION, NEED_SLOPE

_N_FLOAT = len(FLOAT_OUTPUTS)
_REG = ALL.index("regime")
_LOOP_MAX = LOOP_MAX
_WREG = ALL.index("war_regime")
_TINY = 2.2250738585072014e-308  # closed_form.TINY

_LN2 = math.log(2.0)


@nb.njit(inline="always")
def _ipow(x: float, j: int) -> float:  # pragma: no cover - compiled
    """``x ** j`` as numpy computes ``array ** j`` for a Python int ``j`` (1, x, x·x, else pow)."""
    if j == 0:
        return 1.0
    if j == 1:
        return x
    if j == 2:
        return x * x
    return x ** float(j)


@nb.njit(inline="always")
def _maximum(x: float, y: float) -> float:  # pragma: no cover - compiled
    """``np.maximum(x, y)``: a NaN in either argument propagates."""
    if x >= y or x != x:
        return x
    return y


@nb.njit(**_JIT)
def _pa_loop(ga: Any, ra: Any, sa: Any, ba: Any, ka: Any, taua: Any, ha: Any, da: Any, cba: Any, na: Any,
             st: Any, slot: Any, out: Any, regime: Any, war_regime: Any, lo: Any, hi: Any, nf: Any,
             need_dur: bool, need_slope: bool, check: bool, n_pts: int) -> None:  # pragma: no cover - compiled
    want_reg = slot[_REG] >= 0
    want_wreg = slot[_WREG] >= 0
    chunks = lo.shape[0]
    step = (n_pts + chunks - 1) // chunks
    for c in prange(chunks):
        # chunk-local minima, maxima and a finiteness sum, in registers (see atrogame.accel)
        l0 = l1 = l2 = l3 = l4 = l5 = l6 = l7 = l8 = l9 = np.inf
        u0 = u1 = u2 = u3 = u4 = u5 = u6 = u7 = u8 = u9 = -np.inf
        fin = 0.0
        for t in range(c * step, min(n_pts, (c + 1) * step)):
            g = ga[t * st[0]]
            r = ra[t * st[1]]
            sigma = sa[t * st[2]]
            beta = ba[t * st[3]]
            k = ka[t * st[4]]
            tau = taua[t * st[5]]
            h = ha[t * st[6]]
            d = da[t * st[7]]
            cb = cba[t * st[8]]
            nl = na[t * st[9]]
            if check:  # the range check of the inputs, folded into this pass
                l0, u0 = fold(l0, u0, g)
                l1, u1 = fold(l1, u1, r)
                l2, u2 = fold(l2, u2, sigma)
                l3, u3 = fold(l3, u3, beta)
                l4, u4 = fold(l4, u4, k)
                l5, u5 = fold(l5, u5, tau)
                l6, u6 = fold(l6, u6, h)
                l7, u7 = fold(l7, u7, d)
                l8, u8 = fold(l8, u8, cb)
                l9, u9 = fold(l9, u9, nl)
                fin += g + r + sigma + beta + k + tau + h + d + cb + nl  # NaN or ±inf iff an input is
            # ---- war stage (closed_form.war_stage)
            m = r + sigma
            T = k + tau
            gm = g + m
            gm2 = gm * gm
            lhs = beta * m
            rhs = T * gm2
            inner = lhs > rhs
            w = 0.0
            a = 0.0
            if (gm2 >= _TINY and rhs >= _TINY and lhs < np.inf and rhs < np.inf
                    and (lhs >= _TINY or beta == 0.0)):
                if inner:
                    w = np.sqrt(m * T / beta)
                    a = w / T - gm / beta
            else:  # closed_form._wide_war: a side of the test left the normal range, logs decide
                lb = math.log(beta) if beta > 0.0 else -np.inf
                lm = math.log(m)
                lT = math.log(T)
                lgm = math.log(gm) if gm < np.inf else math.log(0.5 * g + 0.5 * m) + _LN2
                inner = beta > 0.0 and lb + lm > lT + 2.0 * lgm
                if inner:
                    w = math.exp(0.5 * (lm + lT - lb))
                    a = w / T - math.exp(lgm - lb)
            if inner:
                a = _maximum(a, 0.0)  # rounding at the boundary
                pi = 1.0 - w
            else:
                a = 0.0
                # (g + m beyond the largest float, each finite: the same ratio at half scale)
                pi = g / gm if (gm < np.inf or not m < np.inf) else (0.5 * g) / (0.5 * g + 0.5 * m)
            if want_wreg:
                war_regime[t] = 0 if inner else 1
            # ---- the battle war (duration.py): E, its slope, p_b
            E = 0.0
            Ep = 0.0
            p_b = 0.0
            if need_dur:
                # int(n) as the numpy kernel's grouping does; a lead outside [1, 2**53] is invalid
                # (validation rejects it) and gets no terms here
                kk = int(nl) if (nl >= 1.0 and nl <= 9007199254740992.0) else 0
                inv = 1.0 / kk
                u = pi ** inv
                v = (1.0 - pi) ** inv
                uv = u + v
                p_b = u / uv
                if kk > _LOOP_MAX:  # duration._duration_long: the closed forms
                    fk = float(kk)
                    y = (np.log(pi) - np.log1p(-pi)) / (2.0 * fk)
                    tt = np.tanh(y)
                    cc = 2.0 * pi - 1.0
                    E = fk * fk if y == 0.0 else fk * cc / tt
                    if need_slope:
                        Ep = 0.0 if y == 0.0 else 2.0 * fk / tt - cc * (1.0 / (tt * tt) - 1.0) / (2.0 * pi * (1.0 - pi))
                else:
                    total = 0.0
                    s0 = 0.0
                    sj = 0.0
                    sk = 0.0
                    for j in range(kk):
                        tj = _ipow(u, j) * _ipow(v, kk - 1 - j)
                        total += tj
                        if need_slope:
                            s0 += tj
                            sj += j * tj
                            sk += (kk - 1 - j) * tj
                    E = kk * uv * total
                    if need_slope and kk != 1:
                        Ep = (u / pi - v / (1.0 - pi)) * s0 + uv * (sj / pi - sk / (1.0 - pi))
            # ---- bargaining (closed_form.closed_form)
            A = a * E
            Ta = T * a if a > 0.0 else 0.0  # (T = k + τ may overflow where no atrocities are chosen)
            hA = h * A
            W = pi - d - Ta
            V = 1.0 - pi - hA
            S = d + Ta + hA
            half = 0.5 * (cb - S)
            if cb <= S:  # peace
                code = 0
                x = _maximum(V, 0.0)
                q = 0.0
            elif half <= V:  # interior
                code = 1
                x = V - half
                q = half / cb
            elif V > 0:  # corner
                code = 2
                x = 0.0
                q = V / cb
            else:
                code = 3
                x = 0.0
                q = 0.0
            if q < 0.0:  # np.clip(q, 0, 1): a NaN stays NaN
                q = 0.0
            elif q > 1.0:
                q = 1.0
            if want_reg:
                regime[t] = code
            if slot[0] >= 0:
                out[slot[0], t] = a
            if slot[1] >= 0:
                out[slot[1], t] = pi
            if slot[2] >= 0:
                out[slot[2], t] = p_b
            if slot[3] >= 0:
                out[slot[3], t] = E
            if slot[4] >= 0:
                out[slot[4], t] = A
            if slot[5] >= 0:
                out[slot[5], t] = W
            if slot[6] >= 0:
                out[slot[6], t] = V
            if slot[7] >= 0:
                out[slot[7], t] = S
            if slot[8] >= 0:
                out[slot[8], t] = x
            if slot[9] >= 0:
                out[slot[9], t] = q * cb
            if slot[10] >= 0:
                out[slot[10], t] = q
            if slot[11] >= 0:
                out[slot[11], t] = q * A
            if slot[12] >= 0:
                out[slot[12], t] = q * E
            if slot[13] >= 0:
                out[slot[13], t] = q * tau * a
            if slot[14] >= 0:
                out[slot[14], t] = q * pi
            if slot[15] >= 0:
                out[slot[15], t] = q * (1.0 - pi)
            if slot[16] >= 0:
                out[slot[16], t] = (1.0 - q) * (1.0 - x) + q * W
            if slot[17] >= 0:
                out[slot[17], t] = (1.0 - q) * x + q * V - 0.5 * cb * (q * q)
            if slot[18] >= 0:
                bt = beta / (4.0 * T)
                bal = _maximum(0.0, _maximum(g, bt) - r)
                if not math.isfinite(bal):  # closed_form: β/(4T) overflowed, half scale
                    bal = _maximum(0.0, _maximum(0.5 * g, (0.125 * beta) / T) - 0.5 * r) * 2.0
                out[slot[18], t] = bal
            if slot[19] >= 0:
                if gm2 >= _TINY and gm2 < np.inf and lhs < np.inf and (lhs >= _TINY or beta == 0.0):
                    out[slot[19], t] = _maximum(0.0, lhs / gm2 - k)
                else:  # closed_form: β·(m/(g + m))/(g + m), each step in range
                    if beta == 0.0:
                        x_d = 0.0
                    elif math.isfinite(gm):
                        x_d = beta * (m / gm) / gm
                    else:
                        gmq = 0.25 * g + (0.25 * r + 0.25 * sigma)
                        x_d = beta * ((m * 0.25) / gmq) / gmq * 0.25
                    out[slot[19], t] = _maximum(0.0, x_d - k)
            if slot[20] >= 0:
                out[slot[20], t] = E + Ta * Ep if a > 0 else E
            if slot[21] >= 0:
                out[slot[21], t] = Ep

        store_ranges(lo, hi, nf, c, (l0, l1, l2, l3, l4, l5, l6, l7, l8, l9),
                     (u0, u1, u2, u3, u4, u5, u6, u7, u8, u9), fin)


def pa(cols: Sequence[np.ndarray], want: Sequence[str], check: bool = False
       ) -> tuple[dict[str, Any], tuple[np.ndarray, np.ndarray] | None]:
    """The outputs in ``want`` and, with ``check``, each input's (minimum, maximum) from the same pass.

    ``cols`` are the parameters in the order of ``PenalizingAtrocitiesParams``' fields, each 1-D
    of length 1 or ``n``.
    """
    arrays, steps, n = flat_args(cols)
    names = [w for w in want if w in FLOAT_OUTPUTS]
    slot = np.full(len(ALL), -1, dtype=np.int64)
    for r, w in enumerate(names):
        slot[ALL.index(w)] = r
    out = np.empty((n, len(names))).T  # row-major: evaluate's N × k result needs no copy
    regime = np.empty(n if "regime" in want else 1, dtype=np.int8)
    war_regime = np.empty(n if "war_regime" in want else 1, dtype=np.int8)
    if "regime" in want:
        slot[_REG] = 0
    if "war_regime" in want:
        slot[_WREG] = 0
    need_dur = not NEED_DURATION.isdisjoint(want)
    need_slope = not NEED_SLOPE.isdisjoint(want)
    lo, hi, nf = bounds_buffers(len(cols))
    _pa_loop(*arrays, steps, slot, out, regime, war_regime, lo, hi, nf, need_dur, need_slope, check, n)
    res: dict[str, Any] = {w: out[r] for r, w in enumerate(names)}
    if "regime" in want:
        res["regime"] = regime
    if "war_regime" in want:
        res["war_regime"] = war_regime
    return {w: res[w] for w in want}, (reduce_bounds(lo, hi, nf) if check else None)
