"""The mobilisation game's closed form as one compiled (numba) loop; imported only when numba is used.

The loop is :func:`atrogame.models.mobilisation.fast.kernel` written point by point with the
same operations (no ``fastmath``); the tests check agreement to 1e-12 in every regime.
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


# ---------------------------------------------------------------------- mobilisation
@nb.njit(**_JIT)
def _mob_loop(va: Any, ca: Any, ga: Any, fba: Any, fra: Any, ma: Any, mua: Any, st: Any, out: Any, flags: Any,
              lo: Any, hi: Any, nf: Any, check: bool, n: int) -> None:  # pragma: no cover - compiled
    chunks = lo.shape[0]
    step = (n + chunks - 1) // chunks
    for ch in prange(chunks):
        # chunk-local ranges and a finiteness sum, in registers (see atrogame.accel.kernels). The
        # five inputs in [0, inf) share one running minimum and one maximum (the finiteness sum
        # proves them finite; the maximum lets MobilisationParams.joint_holds_on_box prove that
        # no eigenvalue overflows); m (unbounded) keeps max |m|; gamma, in (0, inf), its own range
        l2 = lc = np.inf
        u2 = uc = um = -np.inf
        fin = 0.0
        for t in range(ch * step, min(n, (ch + 1) * step)):
            v = va[t * st[0]]
            c = ca[t * st[1]]
            g = ga[t * st[2]]
            fB = fba[t * st[3]]
            fR = fra[t * st[4]]
            m = ma[t * st[5]]
            mu = mua[t * st[6]]
            if check:  # the range check of the inputs, folded into this pass
                l2, u2 = fold(l2, u2, g)
                b = min(min(v, c), min(min(fB, fR), mu))
                lc = b if b < lc else lc
                b = max(max(v, c), max(max(fB, fR), mu))  # (the maxima prove the overflow rule on the box)
                uc = b if b > uc else uc
                b = abs(m)
                um = b if b > um else um
                fin += ((v + c) + (g + fB)) + ((fR + m) + mu)  # NaN or ±inf iff an input is
            net = v - c
            num = m + mu - net
            den = g + fR + mu
            den_b = g + fB
            tip_raw = num / den
            sb_raw = -net / den_b
            e_s = max(-fB, m - fR) - (net + g)
            e_b = max(net, m)
            e_r = max(net, 0.0) - (m + mu)
            if not math.isfinite(num + den + den_b + e_s + e_r):  # fast.wide_outcomes: a quarter scale
                qv, qc, qg, qfB, qfR, qm, qmu = 0.25 * v, 0.25 * c, 0.25 * g, 0.25 * fB, 0.25 * fR, 0.25 * m, 0.25 * mu
                qnet = qv - qc
                if not (math.isfinite(num) and math.isfinite(den)):
                    tip_raw = (qm + qmu - qnet) / (qg + qfR + qmu)
                if not math.isfinite(den_b):
                    sb_raw = -qnet / (qg + qfB)
                if not math.isfinite(e_s):
                    e_s = (max(-qfB, qm - qfR) - (qnet + qg)) * 4.0
                if not math.isfinite(e_r):
                    e_r = (max(qnet, 0.0) - (qm + qmu)) * 4.0
            out[t, 0] = min(max(tip_raw, 0.0), 1.0)
            out[t, 1] = min(max(sb_raw, 0.0), 1.0)
            out[t, 2] = e_s
            out[t, 3] = e_b
            out[t, 4] = e_r
            flags[t, 0] = (1 if e_s < 0 else 0) + (2 if e_b < 0 else 0) + (4 if e_r < 0 else 0)
            flags[t, 1] = (1 if tip_raw >= 1.0 else 0) - (1 if tip_raw <= 0.0 else 0)
            flags[t, 2] = (1 if sb_raw >= 1.0 else 0) - (1 if sb_raw <= 0.0 else 0)
            flags[t, 3] = 1 if m - fR > -fB else 0
            flags[t, 4] = 1 if m > net else 0
            flags[t, 5] = 1 if net < 0.0 else 0
        store_ranges(lo, hi, nf, ch, (lc, lc, l2, lc, lc, -um, lc), (uc, uc, u2, uc, uc, um, uc), fin)


_MOB_OUT = ("tipping_threshold", "bystander_threshold", "eig_supporters", "eig_bystanders", "eig_resisters")
_MOB_FLAGS = ("regime", "tipping_side", "bystander_side", "eig_supporters_branch", "eig_bystanders_branch",
              "eig_resisters_branch")


def mobilisation(cols: Sequence[np.ndarray], check: bool = False
                 ) -> tuple[dict[str, Any], tuple[np.ndarray, np.ndarray] | None]:
    """Outputs and, with ``check``, a range enclosing each input from the same pass: the five
    inputs in [0, ∞) share one (their common minimum and maximum); ``m``'s is [−max |m|, max |m|]."""
    arrays, steps, n = flat_args(cols)
    out = np.empty((n, len(_MOB_OUT)))  # row-major: evaluate's N × k result needs no copy
    flags = np.empty((len(_MOB_FLAGS), n), dtype=np.int8).T
    lo, hi, nf = bounds_buffers(7)
    _mob_loop(*arrays, steps, out, flags, lo, hi, nf, check, n)
    res: dict[str, Any] = {k: out[:, j] for j, k in enumerate(_MOB_OUT)}
    res.update({k: flags[:, j] for j, k in enumerate(_MOB_FLAGS)})
    return res, (reduce_bounds(lo, hi, nf) if check else None)
