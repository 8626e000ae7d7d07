"""The tactics closed form (perfectly elastic enabler supply) as one compiled (numba) loop.

Imported only when numba is used. The loop is :func:`atrogame.models.tactics.closed_form.closed_form`
written point by point for any number of tactics ``K`` and harm categories ``G`` (no ``fastmath``).
It follows the numpy kernel step by step, with three rewritings that save transcendental calls
and change results only by a few units in the last place (the tests check agreement to 1e-12
at random points of every branch):

* ``ln q_k − ln b_k`` is computed as ``ln(q_k / b_k)``, ``ln p_R − ln a_R − ln θ`` as
  ``ln(p_R / (a_R θ))`` and ``ln a_C + ln(1 − θ)`` as ``ln(a_C (1 − θ))`` (one logarithm instead
  of two or three) wherever the ratio or product is a normal float64; where it is not (a
  subnormal productivity or share, say, makes ``q_k / b_k`` overflow to inf or ``a_R θ``
  underflow), the logarithms are taken one by one in the numpy kernel's order, so the loop
  returns the numpy kernel's finite numbers there and not NaN;
* a CES cost share ``exp(ln w_k + d_k − L)`` with ``d_k = t(y_k − ȳ)`` and
  ``L = log1p(Σ w expm1(d))`` is computed as ``w_k e^{d_k} / (1 + Σ w expm1(d))``, with one
  transcendental call per input: ``expm1(d_k)`` (and ``e^{d_k} = 1 + expm1(d_k)``) where
  ``d_k ≥ −3``, ``exp(d_k)`` (and ``expm1(d_k) = e^{d_k} − 1``) below, so tiny shares keep
  their digits (the Cobb–Douglas branch ``|t| < CD_TOL`` and the shifted branch for
  overflowing exponents keep the numpy kernel's forms); the weights of the outer nest are
  ``θ`` and ``1 − θ`` rather than ``exp(ln θ)`` and ``exp(ln(1 − θ))``;
* the resources spent under ``max_control`` are ``M`` itself rather than ``exp(ln M)``.

Quantities that no requested outcome needs (the outer price index, control, the civilian
price index) are not computed.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numba as nb
import numpy as np
from numba import prange

from atrogame.accel import JIT_OPTIONS as _JIT
from atrogame.accel import bounds_buffers, reduce_bounds
from atrogame.models.tactics.closed_form import CD_TOL
from atrogame.models.tactics.overflow import LN_TINY

#: Scalar outcomes in the order of the model's declarations (after the per-tactic ones and harms).
SCALAR_OUT = ("civilian_violence", "civilian_price_index", "civilian_spending", "civilian_share", "rebel_share",
              "rebel_attacks", "price_rebels", "enabler_price", "enabler_net_price", "enabler_input",
              "enabler_pass_through", "control", "cost", "deaths", "harm_index", "acts")
_NS = len(SCALAR_OUT)
#: Below this exponent a share is computed from exp (tiny shares keep their digits); above, 1 + expm1
#: (e^-3 ≈ 0.05, so within 2 ulps / 0.05). Few points fall below: the branch is well predicted.
_SMALL_TD = -3.0
#: The normal float64 range: a ratio or product inside it has its logarithm to an ulp; outside
#: (overflow to inf, or a subnormal or 0 result) the logarithms are taken one by one, as in numpy.
_TINY = 2.2250738585072014e-308
_HUGE = 1.7976931348623157e308
_LN_TINY = LN_TINY
(_CV, _PC, _EC, _SC, _SR, _R, _PR, _PE, _NU, _X, _CHI, _Z, _COST, _DEATHS, _HI, _ACTS) = range(_NS)


@nb.njit(inline="always")
def _ces(lnw: Any, w: Any, y: Any, em: Any, S: Any, t: float, K: int) -> tuple[float, bool]:  # pragma: no cover
    """``ln P`` of a CES aggregate (:func:`closed_form.ces_dual` at one point; the shares go to
    ``S``) and whether the shifted branch (which reads ``lnw``) was taken."""
    ybar = 0.0
    for k in range(K):
        ybar += w[k] * y[k]
    s = 0.0
    for k in range(K):  # em[k] = exp(td), and s = Σ w expm1(td), each to a few ulps
        td = t * (y[k] - ybar)
        if td < _SMALL_TD:  # exp(td) < 0.05: exp keeps the digits of a tiny share, exp − 1 is exact to an ulp
            e = np.exp(td)
            s += w[k] * (e - 1.0)
        else:  # expm1 keeps the digits near td = 0 (σ near 1), 1 + expm1 is exact to an ulp
            x = np.expm1(td)
            s += w[k] * x
            e = 1.0 + x
        em[k] = e
    L = np.log1p(s)
    big = not np.isfinite(L)
    if abs(t) < CD_TOL:  # Cobb–Douglas
        for k in range(K):
            S[k] = w[k]
        return ybar, big
    if big:  # price ratios beyond e^700: centred on the extreme y, every exponent ≤ 0 (as numpy)
        ys = y[0]
        for k in range(1, K):
            if (y[k] > ys) if t > 0 else (y[k] < ys):
                ys = y[k]
        m = -np.inf
        for k in range(K):
            a = lnw[k] + t * (y[k] - ys)
            if a > m:
                m = a
        acc = 0.0
        for k in range(K):
            acc += np.exp((lnw[k] + t * (y[k] - ys)) - m)
        L = m + np.log(acc)
        for k in range(K):
            S[k] = np.exp((lnw[k] + t * (y[k] - ys)) - L)
        return ys + L / t, big
    else:
        den = 1.0 + s
        for k in range(K):
            S[k] = w[k] * em[k] / den
    return ybar + L / t, big


@nb.njit(**_JIT)
def _tactics_loop(V: Any, vcol: Any, sc: Any, lnw: Any, w: Any, H: Any, hw: Any, min_cost: bool, ctarget: float,
                  slot: Any, need: Any, out: Any, lost: Any, lo: Any, hi: Any, nf: Any, check: bool,
                  n: int) -> None:  # pragma: no cover - compiled
    K = w.shape[0]
    G = hw.shape[0]
    m = vcol.shape[0]
    base = 5 * K
    chunks = lo.shape[0]
    step = (n + chunks - 1) // chunks
    need_lnpz = need[0]  # the outer price index (control, or min_cost's resources)
    need_pc = need[1]  # the civilian price index
    span = V.shape[1]
    for c in prange(chunks):
        # chunk-local minima, maxima and finiteness sums of the columns of V: the inner loop runs
        # along one row of V (contiguous in a design matrix), so the compiler vectorises it
        lc = np.full(span, np.inf)
        hc = np.full(span, -np.inf)
        fc = np.zeros(span)
        xv = np.empty(m)
        q = np.empty(K)
        y = np.empty(K)
        em = np.empty(K)
        S = np.empty(K)
        T = np.empty(K)
        y2 = np.empty(2)
        em2 = np.empty(2)
        s2 = np.empty(2)
        lw2 = np.empty(2)
        ww2 = np.empty(2)
        hv = np.empty(max(G, 1))
        for t in range(c * step, min(n, (c + 1) * step)):
            if check:  # the range check of the inputs, folded into this pass
                for j in range(span):
                    x = V[t, j]
                    lc[j] = x if x < lc[j] else lc[j]
                    hc[j] = x if x > hc[j] else hc[j]
                    fc[j] += x - x  # 0, or NaN for a NaN or ±inf
            for j in range(m):
                cj = vcol[j]
                xv[j] = V[t, cj] if cj >= 0 else sc[j]
            sigT = xv[base]
            iota = xv[base + 1]
            M = xv[base + 2]
            wR = xv[base + 3]
            psi = xv[base + 4]
            A = xv[base + 5]
            theta = xv[base + 6]
            sigma = xv[base + 7]
            aR = xv[base + 8]
            aC = xv[base + 9]
            cE = xv[base + 10]
            sE = xv[base + 11]
            eR = xv[base + 12]
            pE = sE + cE
            for k in range(K):
                q[k] = (xv[k] + xv[4 * K + k] * pE) + (1.0 - iota) * xv[K + k]
                b = xv[2 * K + k]
                r = q[k] / b
                if _TINY <= r <= _HUGE:  # one logarithm, exact to an ulp
                    y[k] = np.log(r) - lnw[k]
                else:  # the ratio overflows or loses digits (a subnormal b, say): as numpy
                    y[k] = (np.log(q[k]) - np.log(b)) - lnw[k]
            lnPC, _ = _ces(lnw, w, y, em, S, 1.0 - sigT, K)
            pR = wR + eR * pE
            om = 1.0 - theta
            d = aR * theta
            r = pR / d
            if d >= _TINY and _TINY <= r <= _HUGE:
                y2[0] = np.log(r)
            else:
                y2[0] = (np.log(pR) - np.log(aR)) - np.log(theta)
            d = aC * om
            if _TINY <= d <= _HUGE:
                y2[1] = lnPC - np.log(d)
            else:
                y2[1] = (lnPC - np.log(aC)) - np.log(om)
            ww2[0] = theta
            ww2[1] = om
            lw2[0] = np.nan  # the log weights: read only by the shifted branch, then computed
            lw2[1] = np.nan
            lnPZ, big = _ces(lw2, ww2, y2, em2, s2, 1.0 - sigma, 2)
            if big:
                lw2[0] = np.log(theta)
                lw2[1] = np.log(om)
                lnPZ, big = _ces(lw2, ww2, y2, em2, s2, 1.0 - sigma, 2)
            sR = s2[0]
            sC = s2[1]
            if min_cost:
                lnZ = np.log(ctarget)
                B = np.exp((lnZ + lnPZ) - np.log(A))
            else:
                B = M
                lnZ = (np.log(A) + np.log(M)) - lnPZ if need_lnpz else 0.0
            sCB = sC * B
            acts = 0.0
            deaths = 0.0
            X = 0.0
            sRB = sR * B
            low = min(min(sC, sR), min(sCB, sRB))  # below the normal range: lost digits (as numpy)
            for k in range(K):
                u = S[k] * sCB
                T[k] = u / q[k]
                low = min(low, min(min(S[k], u), T[k]))
                acts += T[k]
                deaths += xv[3 * K + k] * T[k]
                X += xv[4 * K + k] * T[k]
            R = sRB / pR
            lost[t] = not (min(low, R) >= _TINY and lnPC >= _LN_TINY)
            deaths = deaths + psi * R
            X = eR * R + X
            hidx = 0.0
            for g in range(G):
                hg = 0.0
                for k in range(K):
                    hg += H[g, k] * T[k]
                hv[g] = hg
                hidx += hw[g] * hg
            # outputs asked for (slot >= 0: row of ``out``)
            for k in range(K):
                if slot[k] >= 0:
                    out[slot[k], t] = T[k]
                if slot[K + k] >= 0:
                    out[slot[K + k], t] = q[k]
                if slot[2 * K + k] >= 0:
                    out[slot[2 * K + k], t] = S[k]
            for g in range(G):
                if slot[3 * K + g] >= 0:
                    out[slot[3 * K + g], t] = hv[g]
            o = 3 * K + G
            PC = np.exp(lnPC) if need_pc else 0.0
            if slot[o + _CV] >= 0:
                out[slot[o + _CV], t] = sCB / PC
            if slot[o + _PC] >= 0:
                out[slot[o + _PC], t] = PC
            if slot[o + _EC] >= 0:
                out[slot[o + _EC], t] = sCB
            if slot[o + _SC] >= 0:
                out[slot[o + _SC], t] = sC
            if slot[o + _SR] >= 0:
                out[slot[o + _SR], t] = sR
            if slot[o + _R] >= 0:
                out[slot[o + _R], t] = R
            if slot[o + _PR] >= 0:
                out[slot[o + _PR], t] = pR
            if slot[o + _PE] >= 0:
                out[slot[o + _PE], t] = pE
            if slot[o + _NU] >= 0:
                out[slot[o + _NU], t] = cE
            if slot[o + _X] >= 0:
                out[slot[o + _X], t] = X
            if slot[o + _CHI] >= 0:
                out[slot[o + _CHI], t] = 1.0
            if slot[o + _Z] >= 0:
                out[slot[o + _Z], t] = np.exp(lnZ)
            if slot[o + _COST] >= 0:
                out[slot[o + _COST], t] = B
            if slot[o + _DEATHS] >= 0:
                out[slot[o + _DEATHS], t] = deaths
            if slot[o + _HI] >= 0:
                out[slot[o + _HI], t] = deaths + hidx
            if slot[o + _ACTS] >= 0:
                out[slot[o + _ACTS], t] = acts
        if check:
            for j in range(m):
                cj = vcol[j]
                if cj >= 0:
                    lo[c, j] = lc[cj]
                    hi[c, j] = hc[cj]
                    nf[c, j] = fc[cj]


def _design_matrix(cols: Sequence[np.ndarray]) -> tuple[np.ndarray, np.ndarray] | None:
    """``(V, index)`` with ``cols[i] = V[:, index[i]]`` when the 1-D float64 arrays ``cols`` are
    columns of one row-major buffer (the columns of ``evaluate``'s design matrix), else ``None``."""

    def owner(a: np.ndarray) -> Any:
        while isinstance(a.base, np.ndarray):
            a = a.base
        return a if a.base is None else a.base

    n, s = cols[0].shape[0], cols[0].strides[0]
    if s <= 0 or any(c.shape != (n,) or c.strides != (s,) or c.dtype != np.float64 for c in cols):
        return None
    root = owner(cols[0])
    if any(owner(c) is not root for c in cols):
        return None
    ptr = np.array([c.__array_interface__["data"][0] for c in cols], dtype=np.int64)
    off = ptr - ptr.min()
    if (off % 8).any() or off.max() >= s:  # every column starts within the first row
        return None
    first = cols[int(np.argmin(ptr))]
    V = np.lib.stride_tricks.as_strided(first, shape=(n, int(off.max()) // 8 + 1), strides=(s, 8), writeable=False)
    return V, off // 8


def run(cols: Sequence[np.ndarray], params: Sequence[str], want: Sequence[str], K: int, lnw: np.ndarray,
        H: np.ndarray, hw: np.ndarray, objective: str, control_target: float, check: bool = False, *,
        outcome_names: Sequence[str]) -> tuple[dict[str, Any], tuple[np.ndarray, np.ndarray] | None]:
    """The outputs in ``want`` and, with ``check``, each input's (minimum, maximum) from the same pass.

    ``cols`` are the flat parameters ``params`` (the order of the model's parameter class:
    five per-tactic groups of ``K``, then the scalars), each 1-D of length 1 or ``n``;
    ``outcome_names`` every outcome in declaration order (per-tactic levels, prices, shares,
    harms, then :data:`SCALAR_OUT`); ``lnw`` the log tactic weights, ``H`` the (G, K) harm
    matrix and ``hw`` the harm weights.
    """
    assert len(params) == 5 * K + 13 and len(outcome_names) == 3 * K + H.shape[0] + _NS
    n = max(c.shape[0] for c in cols)
    m = len(cols)
    vcol = np.full(m, -1, dtype=np.int64)
    sc = np.zeros(m)
    arr = [j for j, c in enumerate(cols) if c.shape[0] != 1 or n == 1]
    for j, c in enumerate(cols):
        if j not in arr:
            sc[j] = float(c[0])
    V: np.ndarray
    if arr:
        mat = _design_matrix([cols[j] for j in arr])
        if mat is None:  # not the columns of one row-major buffer: gather them once
            V = np.empty((n, len(arr)))
            for i, j in enumerate(arr):
                V[:, i] = cols[j]
            vcol[arr] = np.arange(len(arr))
        else:
            V = mat[0]
            if V.flags.c_contiguous:  # the whole design matrix: compiled with unit inner stride
                V = np.ascontiguousarray(V)
            vcol[arr] = mat[1]
    else:
        V = np.zeros((n, 1))
    wanted = [x for x in want if x != "regime"]
    slot = np.full(len(outcome_names), -1, dtype=np.int64)
    for r, x in enumerate(wanted):
        slot[list(outcome_names).index(x)] = r
    ws = set(wanted)
    need = np.array([objective == "min_cost" or "control" in ws,
                     "civilian_violence" in ws or "civilian_price_index" in ws], dtype=np.bool_)
    out = np.empty((n, len(wanted))).T  # row-major: evaluate's N × k result needs no copy
    lost = np.empty(n, dtype=np.bool_)
    lo, hi, nf = bounds_buffers(m)
    lnw = np.ascontiguousarray(lnw, dtype=float)
    _tactics_loop(V, vcol, sc, lnw, np.exp(lnw), np.ascontiguousarray(H, dtype=float),
                  np.ascontiguousarray(hw, dtype=float), objective == "min_cost", float(control_target), slot, need,
                  out, lost, lo, hi, nf, check, n)
    res: dict[str, Any] = {x: out[r] for r, x in enumerate(wanted)}
    res["_lost"] = lost
    if "regime" in want:
        res["regime"] = np.zeros(n, dtype=np.int8)
    bounds = None
    if check:
        for j in range(m):
            if vcol[j] < 0:
                lo[:, j] = sc[j]
                hi[:, j] = sc[j]
                nf[:, j] = sc[j] - sc[j]
        bounds = reduce_bounds(lo, hi, nf)
    return {x: res[x] for x in (*want, "_lost")}, bounds
