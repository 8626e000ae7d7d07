"""The strategic mass-killing closed form as one compiled (numba) loop; imported only when numba is used.

The loop is :func:`atrogame.models.strategic_mass_killing.kernel.closed_form` (the numpy
reference) written point by point, with the same operations in the same order and no
``fastmath``, so the two agree to rounding: both killing stages (six regimes each), the contest,
the onset decision (three regimes) and every derived output. The tests check 1e-12 at random
points of every regime. See docs/explanation/performance.md.
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
from atrogame.accel.kernels import bits, open_bits, store_bit_ranges
from atrogame.models.strategic_mass_killing.fast import ALL, FLOATS

# codes of KILLING_REGIMES and ONSET_REGIMES (kernel.py)
_NO_MOTIVE, _DETERRED, _CAP_DETERRED, _INTERIOR, _CAPPED, _EXTERMINATION = range(6)
_NO_CHALLENGE, _CONTESTED, _CERTAIN_CHALLENGE = range(3)
# positions in FLOATS of the outputs the loop needs to know about
_FIRST_CONTEST = FLOATS.index("effort_incumbent")  # from here on the contest and onset are needed
_CAP, _SANCTION = FLOATS.index("deterrent_cap"), FLOATS.index("deterrent_sanction")
# 1 for the inputs whose domain is open at 0 (incumbent_share and the four in (0, inf)), read through open_bits
_OPEN = tuple(np.uint64(1 if j in (0, 1, 2, 7, 14) else 0) for j in range(15))


@nb.njit(inline="always")
def _killing_stage(m: float, n_g: float, n_h: float, c: float, phi: float, vbar: float
                   ) -> tuple[int, float, float, float, float]:  # pragma: no cover - compiled
    """``kernel.killing_stage`` at one point: (regime, toll, gain, Γ at the uncapped optimum, v_max)."""
    v_max = vbar if vbar <= n_h else n_h  # np.minimum
    v_u = m * n_g / c
    v1 = v_u if v_u > 0.0 else 0.0  # np.clip(v_u, 0, n_h)
    v1 = v1 if v1 < n_h else n_h
    vc = v_u if v_u > 0.0 else 0.0  # np.clip(v_u, 0, v_max)
    vc = vc if vc < v_max else v_max
    gamma1 = m * v1 - c * v1 * v1 / (2.0 * n_g)
    gamma_c = m * vc - c * vc * vc / (2.0 * n_g)
    toll = 0.0
    gain = 0.0
    if m <= 0.0:
        regime = _NO_MOTIVE
    elif gamma1 <= phi:
        regime = _DETERRED
    elif gamma_c <= phi:
        regime = _CAP_DETERRED
    else:
        if v_u < v_max:
            regime = _INTERIOR
        elif vbar < n_h:
            regime = _CAPPED
        else:
            regime = _EXTERMINATION
        toll = vc
        gain = gamma_c - phi
    return regime, toll, gain, gamma1, v_max


# One explicit signature (any-layout arrays): strided design columns, contiguous arrays and scalars all
# use the same machine code, compiled (or loaded from numba's cache) once instead of per layout mix.
_F1, _F2 = nb.float64[:], nb.float64[:, :]
_SIG = nb.void(*([_F1] * 15), nb.int64[:], nb.int64[:], _F2, nb.int8[:], nb.int8[:], nb.int8[:], nb.boolean[:],
               nb.boolean[:], _F2, _F2, _F2, nb.boolean, nb.int64)


@nb.njit(_SIG, **_JIT)
def _smk_loop(a0: Any, a1: Any, a2: Any, a3: Any, a4: Any, a5: Any, a6: Any, a7: Any, a8: Any, a9: Any, a10: Any,
              a11: Any, a12: Any, a13: Any, a14: Any, st: Any, slot: Any, out: Any, reg: Any, oreg: Any,
              onset: Any, exceeds: Any, want: Any, lo: Any, hi: Any, nf: Any, check: bool,
              n: int) -> None:  # pragma: no cover - compiled
    want_reg, want_oreg, want_onset, want_exc = want[0], want[1], want[2], want[3]
    need_contest = want_onset or want_exc
    for k in range(_FIRST_CONTEST, _CAP):
        if slot[k] >= 0:
            need_contest = True
    need_thr = slot[_CAP] >= 0 or slot[_SANCTION] >= 0
    chunks = lo.shape[0]
    step = (n + chunks - 1) // chunks
    for cc in prange(chunks):
        # chunk-local maxima of the inputs' bit patterns, in registers: every domain here lies in
        # [0, inf), where one unsigned maximum per value checks the upper bound, the sign and
        # finiteness (see atrogame.accel.kernels). Inputs that share a domain share one maximum:
        # the four in (0, inf) (up, read through open_bits: 0.0 wraps to the top), the five in
        # [0, 1] (uu), the four in [0, inf) (uc); incumbent_share (open at 0) and power_sharing
        # on their own
        u0 = u4 = up = uu = uc = np.uint64(0)
        lw = np.inf  # the real minimum of productivity: StrategicMassKillingParams' box proof bounds efforts by 1/w
        for t in range(cc * step, min(n, (cc + 1) * step)):
            n_i = a0[t * st[0]]
            R = a1[t * st[1]]
            w = a2[t * st[2]]
            alpha = a3[t * st[3]]
            s = a4[t * st[4]]
            chi = a5[t * st[5]]
            mu = a6[t * st[6]]
            c = a7[t * st[7]]
            phi = a8[t * st[8]]
            tau = a9[t * st[9]]
            vbar = a10[t * st[10]]
            theta = a11[t * st[11]]
            delta = a12[t * st[12]]
            D = a13[t * st[13]]
            eps = a14[t * st[14]]
            if check:  # the range check of the inputs, folded into this pass
                b = open_bits(n_i)
                u0 = b if b > u0 else u0
                b = bits(s)
                u4 = b if b > u4 else u4
                b = max(max(open_bits(R), open_bits(w)), max(open_bits(c), open_bits(eps)))
                up = b if b > up else up
                b = max(max(max(bits(alpha), bits(chi)), max(bits(vbar), bits(theta))), bits(delta))
                uu = b if b > uu else uu
                b = max(max(bits(mu), bits(phi)), max(bits(tau), bits(D)))
                uc = b if b > uc else uc
                lw = w if w < lw else lw
            n_o = 1.0 - n_i
            prize = (1.0 - 2.0 * s) * (1.0 - alpha) * R
            freed = chi * alpha * R
            security = theta * delta * prize
            m = freed + security - w * mu - tau
            loss = w + D + freed + security
            base = prize * (1.0 + delta * (1.0 - theta)) + (1.0 - chi) * alpha * R

            r_i, v_i, g_i, gamma1_i, vmax_i = _killing_stage(m, n_i, n_o, c, phi, vbar)
            r_o, v_o, g_o, _g1, _vm = _killing_stage(m, n_o, n_i, c, phi, vbar)
            stake_i = base + g_i + loss * v_o
            stake_o = base + g_o + loss * v_i

            if slot[0] >= 0:
                out[slot[0], t] = v_i / n_o
            if slot[1] >= 0:
                out[slot[1], t] = v_o / n_i
            if slot[2] >= 0:
                out[slot[2], t] = v_i
            if slot[3] >= 0:
                out[slot[3], t] = v_o
            if slot[4] >= 0:
                out[slot[4], t] = m
            if slot[5] >= 0:
                out[slot[5], t] = g_i
            if slot[6] >= 0:
                out[slot[6], t] = g_o
            if slot[7] >= 0:
                out[slot[7], t] = prize
            if slot[8] >= 0:
                out[slot[8], t] = stake_i
            if slot[9] >= 0:
                out[slot[9], t] = stake_o
            if slot[23] >= 0:
                out[slot[23], t] = base
            if slot[24] >= 0:
                out[slot[24], t] = loss
            if want_reg:
                reg[t] = r_i
            if want_oreg:
                oreg[t] = r_o

            if need_contest:
                total = stake_i + stake_o
                p_i = stake_i / total if total > 0.0 else 0.5
                if total == np.inf and math.isfinite(stake_i) and math.isfinite(stake_o):
                    p_i = 0.5 * stake_i / (0.5 * stake_i + 0.5 * stake_o)  # (kernel.closed_form: halved)
                p_o = 1.0 - p_i
                e_i = p_i * p_o * stake_i / w
                e_o = p_i * p_o * stake_o / w
                gain = p_o * p_o * stake_o - loss * v_i
                q = gain / eps  # np.clip(gain / eps, 0, 1): a NaN stays NaN, as in numpy
                if q < 0.0:
                    q = 0.0
                elif q > 1.0:
                    q = 1.0
                kill_i = 1.0 if v_i > 0.0 else 0.0
                kill_o = 1.0 if v_o > 0.0 else 0.0
                pmk_war = p_i * kill_i + p_o * kill_o
                deaths_war = p_i * v_i + p_o * v_o
                if slot[10] >= 0:
                    out[slot[10], t] = e_i
                if slot[11] >= 0:
                    out[slot[11], t] = e_o
                if slot[12] >= 0:
                    out[slot[12], t] = e_i + e_o
                if slot[13] >= 0:
                    out[slot[13], t] = p_i
                if slot[14] >= 0:
                    out[slot[14], t] = gain
                if slot[15] >= 0:
                    out[slot[15], t] = q
                if slot[16] >= 0:
                    out[slot[16], t] = pmk_war
                if slot[17] >= 0:
                    out[slot[17], t] = q * pmk_war
                if slot[18] >= 0:
                    out[slot[18], t] = deaths_war
                if slot[19] >= 0:
                    out[slot[19], t] = q * deaths_war
                if slot[20] >= 0:
                    own_i = v_i * (w * (1.0 + mu) + D + tau) + c * v_i * v_i / (2.0 * n_i) + phi * kill_i
                    own_o = v_o * (w * (1.0 + mu) + D + tau) + c * v_o * v_o / (2.0 * n_o) + phi * kill_o
                    out[slot[20], t] = q * (w * (e_i + e_o) + p_i * own_i + p_o * own_o) + eps * q * q / 2.0
                if want_onset:
                    code = _CONTESTED
                    if gain <= 0.0:
                        code = _NO_CHALLENGE
                    if gain >= eps:
                        code = _CERTAIN_CHALLENGE
                    onset[t] = code
                if want_exc:
                    exceeds[t] = (e_i > n_i) or (e_o > n_o)

            if need_thr:
                # the incumbent's deterrent cap v̂ (smaller root of Γ(v) = φ) and value threshold m̂
                disc = m * m - 2.0 * c * phi / n_i
                if slot[_CAP] >= 0:
                    if not (m <= 0.0) and gamma1_i > phi:
                        d0 = disc if (disc >= 0.0 or disc != disc) else 0.0  # np.maximum(disc, 0)
                        cap = 2.0 * phi / (m + np.sqrt(d0))
                        if not math.isfinite(d0):  # kernel._wide_cap: m² or 2cφ/n overflowed
                            r = math.exp((math.log(phi) + 0.6931471805599453) + math.log(c) - math.log(n_i)
                                         - 2.0 * math.log(m))
                            cap = (phi / m) * 2.0 / (1.0 + math.sqrt(max(1.0 - r, 0.0)))
                        out[slot[_CAP], t] = cap
                    else:
                        out[slot[_CAP], t] = 1.0
                if slot[_SANCTION] >= 0:
                    if vmax_i > 0.0:
                        q1 = 2.0 * c * phi / n_i
                        m1 = np.sqrt(q1)
                        if not math.isfinite(q1):  # kernel.killing_stage: m1 from logs
                            m1 = math.exp(0.5 * ((math.log(phi) + 0.6931471805599453) + math.log(c) - math.log(n_i)))
                        mhat = m1 if m1 * n_i / c <= vmax_i else phi / vmax_i + c * vmax_i / (2.0 * n_i)
                    else:
                        mhat = np.inf
                    if math.isfinite(mhat):
                        x = m + tau - mhat
                        out[slot[_SANCTION], t] = 0.0 if x <= 0.0 else x  # np.maximum(0, x) (NaN: x)
                    else:
                        out[slot[_SANCTION], t] = 0.0
        store_bit_ranges(lo, hi, nf, cc, (u0, up, up, uu, u4, uu, uc, up, uc, uc, uu, uu, uu, uc, up), _OPEN)
        if check and lw > lo[cc, 2] and lw < np.inf:  # (an empty chunk keeps the enclosing 5e-324)
            lo[cc, 2] = lw


_INTS = ("regime", "opposition_regime", "onset_regime", "effort_exceeds_population")


def smk(cols: Sequence[np.ndarray], want: Sequence[str], check: bool = False
        ) -> tuple[dict[str, Any], tuple[np.ndarray, np.ndarray] | None]:
    """The outputs in ``want`` and, with ``check``, a range enclosing each input from the same pass.

    ``cols`` are the parameters in ``ORDER``, 1-D of length 1 or ``n``. Each input's range runs
    from 0.0 (5e-324 for a domain open at 0) to the largest value of its domain group (see
    :meth:`atrogame.model.Model.fused_kernel`).
    """
    arrays, steps, n = flat_args(cols)
    names = [w for w in want if w in FLOATS]
    slot = np.full(len(FLOATS), -1, dtype=np.int64)
    for r, w in enumerate(names):
        slot[FLOATS.index(w)] = r
    out = np.empty((n, len(names))).T  # row-major: evaluate's N × k result needs no copy
    flags = np.array([w in want for w in _INTS], dtype=np.bool_)
    reg, oreg, onset = (np.empty(n if f else 1, dtype=np.int8) for f in flags[:3])
    exceeds = np.empty(n if flags[3] else 1, dtype=np.bool_)
    lo, hi, nf = bounds_buffers(len(cols))
    loop: Any = _smk_loop  # numba's stubs type an explicitly signed dispatcher's call too narrowly
    loop(*arrays, steps, slot, out, reg, oreg, onset, exceeds, flags, lo, hi, nf, check, n)
    res: dict[str, Any] = {w: out[r] for r, w in enumerate(names)}
    res.update(zip(_INTS, (reg, oreg, onset, exceeds), strict=True))
    assert set(want) <= set(ALL)
    return {w: res[w] for w in want}, (reduce_bounds(lo, hi, nf) if check else None)
