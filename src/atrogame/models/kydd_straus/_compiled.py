"""The Kydd–Straus closed form as one compiled (numba) loop; imported only when numba is used.

The loop is :func:`atrogame.models.kydd_straus.fast.kernel`'s numpy reference written point by
point, with the same operations in the same order (no ``fastmath``), so the two agree to
rounding; the tests check 1e-12 at random points of every regime.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numba as nb
import numpy as np
from numba import prange

from atrogame.accel import JIT_OPTIONS as _JIT
from atrogame.accel import bounds_buffers, flat_args, reduce_bounds
from atrogame.accel.kernels import bits, open_bits, store_bit_ranges
from atrogame.models.kydd_straus.fast import ALL

# ---------------------------------------------------------------------- Kydd–Straus
# 1 for the inputs whose domain is open at 0 (rebel_strength, cost_uncertainty), read through open_bits
_FMAX = float(np.finfo(np.float64).max)
_OPEN = tuple(np.uint64(1 if j in (0, 9) else 0) for j in range(15))


@nb.njit(**_JIT)
def _ks_loop(p0a: Any, tha: Any, ia: Any, oma: Any, za: Any, ka: Any, kaa: Any, ha: Any, da: Any, cba: Any,
             siga: Any, sga: Any, sma: Any, wma: Any, cta: Any, st: Any, slot: Any, out: Any, regime: Any,
             uniq: Any, lo: Any, hi: Any, nf: Any, check: bool, n: int) -> None:  # pragma: no cover - compiled
    want_reg = slot[16] >= 0
    want_uniq = slot[17] >= 0
    chunks = lo.shape[0]
    step = (n + chunks - 1) // chunks
    for c in prange(chunks):
        # chunk-local maxima of the inputs' bit patterns, in registers: every domain here lies in
        # [0, inf), where one unsigned maximum per value checks the upper bound, the sign and
        # finiteness (see atrogame.accel.kernels). The five shares in [0, 1] share one (uu), the
        # eight costs in [0, inf) another (uc); rebel_strength and cost_uncertainty, open at 0,
        # are read through open_bits (0.0 wraps to the top)
        u0 = u9 = uu = uc = np.uint64(0)
        for t in range(c * step, min(n, (c + 1) * step)):
            p0 = p0a[t * st[0]]
            th = tha[t * st[1]]
            i = ia[t * st[2]]
            om = oma[t * st[3]]
            z = za[t * st[4]]
            k = ka[t * st[5]]
            kap = kaa[t * st[6]]
            h = ha[t * st[7]]
            d = da[t * st[8]]
            cb = cba[t * st[9]]
            sig = siga[t * st[10]]
            sg = sga[t * st[11]]
            sm = sma[t * st[12]]
            wm = wma[t * st[13]]
            ct = cta[t * st[14]]
            if check:  # the range check of the inputs, folded into this pass
                b = open_bits(p0)
                u0 = b if b > u0 else u0
                b = open_bits(cb)
                u9 = b if b > u9 else u9
                b = max(max(bits(th), bits(i)), max(max(bits(om), bits(z)), bits(sig)))
                uu = b if b > uu else uu
                b = max(max(max(bits(k), bits(kap)), max(bits(h), bits(d))),
                        max(max(bits(sg), bits(sm)), max(bits(wm), bits(ct))))
                uc = b if b > uc else uc
            pi1 = i * (1.0 - om)
            pi0 = i * om
            p0th = p0 * th
            N = (1.0 - pi0) * p0th - k + pi1 * (p0 - z)
            D = kap + 2.0 * pi1 * p0th
            a = N / D if D > 0 else (1.0 if N > 0 else 0.0)
            if want_uniq:
                uniq[t] = not (D <= 0 and N == 0)
            if a < 0.0:
                a = 0.0
            elif a > 1.0:
                a = 1.0
            pi = pi1 * a + pi0
            p = p0 - p0th * a
            ha_ = h * a
            V0 = (z - p) * pi + p
            V = V0 - ha_
            S1 = ((0.5 * kap) * a + k) * a
            S = S1 + ha_ + d
            # h a cancels from 1 − V − S; beyond 1 it is left out (its rounding would swamp W_G, fast.py)
            W = (1.0 - V) - S if ha_ <= 1.0 else (1.0 - V0) - (S1 + d)
            S_e = S + (sg + sm + wm)
            Vn = V - (wm + sm)
            half = (cb - S_e) * 0.5
            half_pos = half if half > 0.0 else 0.0
            x = Vn - half_pos
            if x < 0.0:
                x = 0.0
            cut = Vn if Vn > 0.0 else 0.0
            if half_pos < cut:
                cut = half_pos
            q = cut / cb
            if want_reg:
                code = 3
                if Vn > 0:
                    code -= 1
                if Vn >= half:
                    code -= 1
                if not half > 0:
                    code = 0
                regime[t] = code
            qa = q * a
            p_int = q * pi
            s_peace = sg + sm
            u_peace = (1.0 + sg) - x
            y = x + sm
            if slot[0] >= 0:
                out[slot[0], t] = a
            if slot[1] >= 0:
                out[slot[1], t] = pi
            if slot[2] >= 0:
                out[slot[2], t] = p
            if slot[3] >= 0:
                out[slot[3], t] = V
            if slot[4] >= 0:
                out[slot[4], t] = W
            if slot[5] >= 0:
                out[slot[5], t] = S
            if slot[6] >= 0:
                out[slot[6], t] = x
            if slot[7] >= 0:
                out[slot[7], t] = cut
            if slot[8] >= 0:
                out[slot[8], t] = q
            if slot[9] >= 0:
                out[slot[9], t] = qa
            if slot[10] >= 0:
                out[slot[10], t] = (1.0 - sig * pi) * qa
            if slot[11] >= 0:
                out[slot[11], t] = p_int
            if slot[12] >= 0:
                out[slot[12], t] = ((1.0 - pi) * p) * q
            if slot[13] >= 0:  # the war − peace gap floored at −FMAX: it overflows only where q = 0 (fast.py)
                out[slot[13], t] = max((W - u_peace), -_FMAX) * q + u_peace
            if slot[14] >= 0:
                out[slot[14], t] = max(((((-0.5) * cut + V) - wm) - y), -_FMAX) * q + y
            if slot[15] >= 0:
                out[slot[15], t] = (p_int * ct - q * s_peace) + s_peace

        store_bit_ranges(lo, hi, nf, c, (u0, uu, uu, uu, uu, uc, uc, uc, uc, u9, uu, uc, uc, uc, uc), _OPEN)

def ks(cols: Sequence[np.ndarray], want: Sequence[str], check: bool = False
       ) -> tuple[dict[str, Any], tuple[np.ndarray, np.ndarray] | None]:
    """The outputs in ``want`` and, with ``check``, a range enclosing each input from the same pass.

    Each input's range runs from 0.0 (from 5e-324, the smallest positive float, for the two
    inputs open at 0) to the largest value of its domain group (the [0, 1] shares, the [0, ∞)
    costs): it encloses the input's values, which is all the range check needs (a range that
    leaves the domain sends each member to the exact elementwise check, see
    :meth:`atrogame.model.Model.fused_kernel`)."""
    arrays, steps, n = flat_args(cols)
    names = [w for w in want if w not in ("regime", "unique")]
    slot = np.full(len(ALL), -1, dtype=np.int64)
    for r, w in enumerate(names):
        slot[ALL.index(w)] = r
    out = np.empty((n, len(names))).T  # row-major: evaluate's N × k result needs no copy
    regime = np.empty(n if "regime" in want else 1, dtype=np.int8)
    uniq = np.empty(n if "unique" in want else 1, dtype=np.bool_)
    if "regime" in want:
        slot[16] = 0
    if "unique" in want:
        slot[17] = 0
    lo, hi, nf = bounds_buffers(len(cols))
    _ks_loop(*arrays, steps, slot, out, regime, uniq, lo, hi, nf, check, n)
    res: dict[str, Any] = {w: out[r] for r, w in enumerate(names)}
    if "regime" in want:
        res["regime"] = regime
    if "unique" in want:
        res["unique"] = True if uniq.all() else uniq
    return {w: res[w] for w in want}, (reduce_bounds(lo, hi, nf) if check else None)
