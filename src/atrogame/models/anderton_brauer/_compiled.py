"""Anderton–Brauer under ``max_control`` as one compiled (numba) loop per technology.

Imported only when numba is used. Each branch is the numpy kernel of
:mod:`atrogame.models.anderton_brauer.families` written point by point with the same
operations (no ``fastmath``); the tests check agreement to 1e-12 in every regime.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numba as nb
import numpy as np
from numba import prange

from atrogame.accel import JIT_OPTIONS as _JIT
from atrogame.accel import bounds_buffers, flat_args, reduce_bounds
from atrogame.accel.kernels import fold, store_ranges

# ---------------------------------------------------------------------- Anderton–Brauer, max_control
_LOGE2 = 0.6931471805599453
_SNAP = 1e-12
_SIGMA_ONE = 1e-9
_TINY = 2.2250738585072014e-308  # smallest normal float64
_HUGE = 1.7976931348623157e308
AB_TECH = ("cobb_douglas", "ces", "contest", "linear", "quasi_linear", "quadratic")
AB_OUT = ("civilian_attacks", "rebel_attacks", "control", "cost", "civilian_share", "civilian_deaths", "choke_price")


@nb.njit(inline="always")
def _logaddexp(x: float, y: float) -> float:  # pragma: no cover - compiled; numpy's npy_logaddexp
    if x == y:
        return x + _LOGE2
    tmp = x - y
    if tmp > 0:
        return x + np.log1p(np.exp(-tmp))
    if tmp <= 0:
        return y + np.log1p(np.exp(tmp))
    return tmp


@nb.njit(inline="always")
def _log_mean(w: float, x: float, y: float, eps: float) -> float:  # pragma: no cover - compiled
    if abs(eps) <= 0.5:  # as families._log_mean
        t = w * np.expm1(eps * x) + (1.0 - w) * np.expm1(eps * y)
        if t >= -0.999 and t <= _HUGE:
            return np.log1p(t)
    return _logaddexp(np.log(w) + eps * x, np.log1p(-w) + eps * y)


@nb.njit(inline="always")
def _odd(x: float, nonzero: bool) -> bool:  # pragma: no cover - compiled; as families._outside_normal
    return not (x <= _HUGE) or (x < _TINY and nonzero)


@nb.njit(inline="always")
def _quad_c_int_logs(b: float, g: float, d: float, M: float, pR: float, pC: float
                     ) -> float:  # pragma: no cover - compiled; as families._quad_c_int
    lpR = np.log(pR)
    ld = np.log(d)
    a1 = np.log(g) + lpR
    a2 = np.log(2.0) + ld + np.log(pC)
    n1 = np.log(b) + lpR
    n2 = np.log(pC)
    n3 = ld + np.log(M)
    sk = max(a1, a2)
    sn = max(max(n1, n2), n3)
    ks = np.exp(a1 - sk) - np.exp(a2 - sk)
    ns = np.exp(n1 - sn) - np.exp(n2 - sn) - np.exp(n3 - sn)
    mag = np.exp(np.log(abs(ns)) - np.log(ks) + (sn - sk))
    return mag if ns > 0 else (-mag if ns < 0 else 0.0)


@nb.njit(**_JIT)
def _ab_loop(tech: int, Ma: Any, pRa: Any, pCa: Any, lama: Any, psia: Any, q0: Any, q1: Any, q2: Any, q3: Any,
             q4: Any, st: Any, out: Any, regime: Any, uniq: Any, lo: Any, hi: Any, nf: Any, check: bool,
             n: int, nq: int) -> None:  # pragma: no cover - compiled
    chunks = lo.shape[0]
    step = (n + chunks - 1) // chunks
    for c in prange(chunks):
        # chunk-local minima, maxima and a finiteness sum, in registers (see atrogame.accel)
        l0 = l1 = l2 = l3 = l4 = l5 = l6 = l7 = l8 = l9 = np.inf
        u0 = u1 = u2 = u3 = u4 = u5 = u6 = u7 = u8 = u9 = -np.inf
        fin = 0.0
        for t in range(c * step, min(n, (c + 1) * step)):
            M = Ma[t * st[0]]
            pR = pRa[t * st[1]]
            pC = pCa[t * st[2]]
            lam = lama[t * st[3]]
            psi = psia[t * st[4]]
            a0 = q0[t * st[5]]
            a1 = q1[t * st[6]]
            a2 = q2[t * st[7]]
            a3 = q3[t * st[8]]
            a4 = q4[t * st[9]]
            if check:  # the range check of the inputs, folded into this pass
                l0, u0 = fold(l0, u0, M)
                l1, u1 = fold(l1, u1, pR)
                l2, u2 = fold(l2, u2, pC)
                l3, u3 = fold(l3, u3, lam)
                l4, u4 = fold(l4, u4, psi)
                fin += (M + pR) + (pC + (lam + psi))  # NaN or ±inf iff an input is
                # the technology's nq parameters (the slots after them are padding: not checked)
                if nq > 0:
                    l5, u5 = fold(l5, u5, a0)
                    fin += a0
                if nq > 1:
                    l6, u6 = fold(l6, u6, a1)
                    fin += a1
                if nq > 2:
                    l7, u7 = fold(l7, u7, a2)
                    fin += a2
                if nq > 3:
                    l8, u8 = fold(l8, u8, a3)
                    fin += a3
                if nq > 4:
                    l9, u9 = fold(l9, u9, a4)
                    fin += a4
            r_axis = M / pR
            c_axis = M / pC
            unique = True
            if tech == 0:  # Cobb–Douglas: (A, αR, αC); inputs essential, no snapping
                h = a1 + a2
                C = a2 / h * M / pC
                R = a1 / h * M / pR
                choke = np.inf
                r_axis = np.nan
                c_axis = np.nan
            elif tech == 1:  # CES: (A, θ, σ, aR, aC)
                th, s, aR, aC = a1, a2, a3, a4
                uR = np.log(th) + np.log(aR) - np.log(pR)
                uC = np.log1p(-th) + np.log(aC) - np.log(pC)
                eps = s - 1.0
                lS = _log_mean(th, uR, uC, eps)
                ltR = np.log(th) + eps * uR
                ltC = np.log1p(-th) + eps * uC
                lsC = ltC - lS
                lsR = ltR - lS
                if not (np.isfinite(lsC) and np.isfinite(lsR) and np.isfinite(lS)):  # as families._ces_terms
                    m = max(uR, uC) if eps > 0 else min(uR, uC)
                    dR = eps * (uR - m)
                    dC = eps * (uC - m)
                    L = np.log(th * np.exp(dR) + (1.0 - th) * np.exp(dC))
                    lsR = np.log(th) + dR - L
                    lsC = np.log1p(-th) + dC - L
                sC = np.exp(lsC)
                sR = np.exp(lsR)
                C = M * sC / pC
                R = M * sR / pR
                if not (sC >= _TINY and M * sC >= _TINY and M * sC <= _HUGE):  # as families._spend_on
                    C = np.exp(lsC + np.log(M) - np.log(pC))
                if not (sR >= _TINY and M * sR >= _TINY and M * sR <= _HUGE):
                    R = np.exp(lsR + np.log(M) - np.log(pR))
                choke = np.inf
                if s > 1.0 + _SIGMA_ONE:  # isoquant intercepts exist (as in ces_axes, including their overflow)
                    rho = (s - 1.0) / s
                    if not np.isfinite(1.0 / (a0 * aR * th ** (1.0 / rho))):
                        r_axis = np.nan
                    if not np.isfinite(1.0 / (a0 * aC * (1.0 - th) ** (1.0 / rho))):
                        c_axis = np.nan
                else:
                    r_axis = np.nan
                    c_axis = np.nan
            elif tech == 2:  # contest: (aR, κ, G0, m)
                k = a1
                C = (M / pC - 1.0 / k) / 2.0
                if not C > 0:  # (a NaN from inf − inf too, as families.contest_max)
                    C = 0.0
                if C > 0:  # as families.contest_max
                    sR = M + pC / k
                    tR = 2.0 * pR
                    R = sR / tR if sR <= _HUGE and tR <= _HUGE else (0.5 * M + 0.5 * (pC / k)) / pR
                else:
                    R = M / pR
                choke = k * M
            elif tech == 3:  # linear: (bR, bC)
                x = a1 * pR
                y = a0 * pC
                tie = abs(x - y) <= _SNAP * max(x, y)
                civ = (x > y) and not tie
                if not (x >= _TINY and x <= _HUGE and y >= _TINY and y <= _HUGE):  # as families._linear_choice
                    lx = np.log(a1) + np.log(pR)
                    ly = np.log(a0) + np.log(pC)
                    tie = abs(lx - ly) <= _SNAP
                    civ = (lx > ly) and not tie
                C = M / pC if civ else 0.0
                R = 0.0 if civ else M / pR
                choke = x / a0  # p_R b_C/b_R, from logs where p_R b_C is not normal (families._linear_choke)
                if not (x >= _TINY and x <= _HUGE):
                    choke = np.exp(np.log(pR) + np.log(a1) - np.log(a0))
                unique = not tie
            elif tech == 4:  # quasi-linear: (β,)
                C = min(max(0.0, a0 * pR / pC - 1.0), M / pC)
                R = 0.0 if M / pC <= C else (M - pC * C) / pR
                choke = a0 * pR
            else:  # quadratic: (β, γ, δ)
                k = a1 * pR - 2.0 * a2 * pC
                c_int = (a0 * pR - pC - a2 * M) / k
                if _odd(a1 * pR, True) or _odd(2.0 * a2 * pC, a2 > 0) or _odd(a0 * pR, True) or _odd(a2 * M, a2 > 0):
                    c_int = _quad_c_int_logs(a0, a1, a2, M, pR, pC)  # as families._quad_c_int
                C = min(max(c_int, 0.0), M / pC)  # (np.clip: a NaN stays NaN)
                if c_int != c_int:
                    C = c_int
                R = max((M - pC * C) / pR, 0.0)
                if M / pC <= C:
                    R = 0.0
                x = a0 * pR
                y = a2 * M
                choke = x - y
                if not (x <= _HUGE and y <= _HUGE):  # as families._quad_choke
                    lx = np.log(a0) + np.log(pR)
                    ly = np.log(a2) + np.log(M)
                    choke = np.exp(lx + np.log1p(-np.exp(ly - lx))) if lx > ly else 0.0
            # as the numpy kernel (families.kernel): the axes and the budget are broadcast against C
            # by adding 0·C, so a C that overflowed to inf (a subnormal p_C, say) makes them NaN
            # there: no spurious snap of an overflowed C to the corner, cost and share NaN
            zc = 0.0 * C
            r_axis = r_axis + zc
            c_axis = c_axis + zc
            budget = M + zc
            snap_c = (_SNAP * budget / pC >= C) and np.isfinite(r_axis)
            if snap_c:
                C = 0.0
                R = r_axis
            if (_SNAP * budget / pR >= R) and np.isfinite(c_axis) and not snap_c:
                R = 0.0
                C = c_axis
            if tech == 0:
                Z = np.exp(np.log(a0) + a1 * np.log(R) + a2 * np.log(C))
            elif tech == 1:
                th, s, aR, aC = a1, a2, a3, a4
                xR = aR * R
                xC = aC * C
                lR = np.log(xR)
                lC = np.log(xC)
                if not (xR <= _HUGE) or (xR < _TINY and R > 0):  # as families.ces_control
                    lR = np.log(aR) + np.log(R)
                if not (xC <= _HUGE) or (xC < _TINY and C > 0):
                    lC = np.log(aC) + np.log(C)
                if abs(s - 1.0) < _SIGMA_ONE:
                    lz = np.log(a0) + (th * lR + (1.0 - th) * lC)
                else:
                    rho = (s - 1.0) / s
                    if rho < -1e15:  # as families.ces_control: the Leontief limit
                        lz = np.log(a0) + min(lR, lC)
                    else:
                        lz = np.log(a0) + _log_mean(th, lR, lC, rho) / rho
                Z = np.exp(lz)
            elif tech == 2:
                kC = a1 * C
                x = a0 * R * (1.0 + kC)
                if x >= _TINY and x <= _HUGE:
                    lx = np.log(x)
                else:  # as families.contest_control
                    lx = np.log(a0) + np.log(R) + (np.log1p(kC) if kC <= _HUGE else np.log(a1) + np.log(C))
                Z = 1.0 / (1.0 + np.exp(a3 * (np.log(a2) - lx)))
            elif tech == 3:
                Z = a0 * R + a1 * C
            elif tech == 4:
                Z = R + a0 * np.log1p(C)
            else:  # as families._quad_value
                c2 = C * C
                t2 = 0.5 * a1 * c2
                if not c2 <= _HUGE:
                    t2 = 0.5 * a1 * C * C
                t3 = a2 * R * C
                if not t3 <= _HUGE:
                    t3 = np.exp(np.log(a2) + np.log(R) + np.log(C))
                Z = R + a0 * C - t2 - t3
            if C == 0:
                regime[t] = 1
            elif R == 0:
                regime[t] = 2
            else:
                regime[t] = 0
            out[t, 0] = C
            out[t, 1] = R
            out[t, 2] = Z
            out[t, 3] = budget
            if R == 0:
                out[t, 4] = 1.0
            else:  # np.clip: a NaN stays NaN
                sh = pC * C / budget
                out[t, 4] = 0.0 if sh < 0.0 else (1.0 if sh > 1.0 else sh)
            out[t, 5] = lam * C + psi * R
            out[t, 6] = 0.0 if choke < 0.0 else choke
            uniq[t] = unique
        store_ranges(lo, hi, nf, c, (l0, l1, l2, l3, l4, l5, l6, l7, l8, l9),
                     (u0, u1, u2, u3, u4, u5, u6, u7, u8, u9), fin)


def anderton_brauer(technology: str, cols: Sequence[np.ndarray], check: bool = False
                    ) -> tuple[dict[str, Any], tuple[np.ndarray, np.ndarray] | None]:
    """``cols``: resources, price_rebels, price_civilians, lethality_civilians, lethality_rebels, then the
    technology's parameters in the order of :data:`atrogame.models.anderton_brauer.fast.SLOTS` (at most five).

    With ``check``, also each input's (minimum, maximum), reduced in the same pass."""
    cols = list(cols)
    arrays, steps, n = flat_args(cols + [np.zeros(1)] * (10 - len(cols)))
    out = np.empty((n, len(AB_OUT)))  # row-major: evaluate's N × k result needs no copy
    regime = np.empty(n, dtype=np.int8)
    uniq = np.empty(n, dtype=np.bool_)
    lo, hi, nf = bounds_buffers(10)
    _ab_loop(AB_TECH.index(technology), *arrays, steps, out, regime, uniq, lo, hi, nf, check, n, len(cols) - 5)
    res: dict[str, Any] = {k: out[:, j] for j, k in enumerate(AB_OUT)}
    res["regime"] = regime
    res["unique"] = uniq
    if not check:
        return res, None
    mn, mx = reduce_bounds(lo, hi, nf)
    return res, (mn[:len(cols)], mx[:len(cols)])
