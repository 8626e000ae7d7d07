"""numba kernels behind :mod:`atrogame.accel` (imported only when numba is installed and used).

Each kernel is the numpy reference kernel written as one loop over points, with the same
operations in the same order, so results agree with numpy to rounding (no ``fastmath``:
IEEE semantics, no contraction into fused multiply-adds).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numba as nb
import numpy as np
from numba import prange

from atrogame.models._ks_fast import ALL as KS_ALL

_JIT = {"parallel": True, "cache": True, "error_model": "numpy", "nogil": True}


# ---------------------------------------------------------------------- min / max
@nb.njit(**_JIT)
def _min_max_2d(V: Any, cidx: Any, chunks: int) -> Any:  # pragma: no cover - compiled
    n = V.shape[0]
    k = cidx.shape[0]
    lo = np.full((chunks, k), np.inf)
    hi = np.full((chunks, k), -np.inf)
    nan = np.zeros((chunks, k), dtype=np.bool_)
    step = (n + chunks - 1) // chunks
    for c in prange(chunks):
        r0 = c * step
        r1 = min(n, r0 + step)
        for r in range(r0, r1):
            for j in range(k):
                x = V[r, cidx[j]]
                if x < lo[c, j]:
                    lo[c, j] = x
                if x > hi[c, j]:
                    hi[c, j] = x
                if x != x:
                    nan[c, j] = True
    mn = np.empty(k)
    mx = np.empty(k)
    for j in range(k):
        a = np.inf
        b = -np.inf
        bad = False
        for c in range(chunks):
            a = min(a, lo[c, j])
            b = max(b, hi[c, j])
            bad = bad or nan[c, j]
        mn[j] = np.nan if bad else a
        mx[j] = np.nan if bad else b
    return mn, mx


def _root(a: np.ndarray) -> Any:
    while isinstance(a.base, np.ndarray):
        a = a.base
    return a.base if a.base is not None else a


def _as_matrix(cols: Sequence[np.ndarray]) -> tuple[np.ndarray, np.ndarray] | None:
    """A 2-D view (rows × columns) of 1-D arrays that are the columns of one row-major buffer."""
    first = cols[0]
    n, s = first.shape[0], first.strides[0]
    if s <= 0 or any(c.shape != (n,) or c.strides != (s,) or c.dtype != np.float64 for c in cols):
        return None
    root = _root(first)
    if any(_root(c) is not root for c in cols):
        return None
    ptrs = np.array([c.__array_interface__["data"][0] for c in cols], dtype=np.int64)
    off = ptrs - ptrs.min()
    if (off % 8).any() or off.max() >= s:
        return None
    base = cols[int(np.argmin(ptrs))]
    span = int(off.max()) // 8 + 1
    V = np.lib.stride_tricks.as_strided(base, shape=(n, span), strides=(s, 8), writeable=False)
    return V, (off // 8).astype(np.int64)


def min_max(cols: Sequence[np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    chunks = 4 * nb.get_num_threads()
    mat = _as_matrix(cols)
    if mat is not None:
        return _min_max_2d(mat[0], mat[1], chunks)
    mn, mx = np.empty(len(cols)), np.empty(len(cols))
    one = np.zeros(1, dtype=np.int64)
    for j, c in enumerate(cols):
        lo, hi = _min_max_2d(c.reshape(-1, 1), one, chunks)
        mn[j], mx[j] = lo[0], hi[0]
    return mn, mx


# ---------------------------------------------------------------------- Kydd–Straus
@nb.njit(**_JIT)
def _ks_loop(p0a: Any, tha: Any, ia: Any, oma: Any, za: Any, ka: Any, kaa: Any, ha: Any, da: Any, cba: Any,
             siga: Any, sga: Any, sma: Any, wma: Any, cta: Any, st: Any, slot: Any, out: Any, regime: Any,
             uniq: Any, n: int) -> None:  # pragma: no cover - compiled
    want_reg = slot[16] >= 0
    want_uniq = slot[17] >= 0
    for t in prange(n):
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
        V = ((z - p) * pi + p) - ha_
        S = ((0.5 * kap) * a + k) * a + ha_ + d
        W = (1.0 - V) - S
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
        if slot[13] >= 0:
            out[slot[13], t] = (W - u_peace) * q + u_peace
        if slot[14] >= 0:
            out[slot[14], t] = ((((-0.5) * cut + V) - wm) - y) * q + y
        if slot[15] >= 0:
            out[slot[15], t] = (p_int * ct - q * s_peace) + s_peace


def _flat_args(cols: Sequence[np.ndarray]) -> tuple[list[np.ndarray], np.ndarray, int]:
    n = max(c.shape[0] for c in cols)
    steps = np.array([0 if c.shape[0] == 1 else 1 for c in cols], dtype=np.int64)
    return [np.asarray(c, dtype=np.float64) for c in cols], steps, n


def ks(cols: Sequence[np.ndarray], want: Sequence[str]) -> dict[str, Any]:
    arrays, steps, n = _flat_args(cols)
    names = [w for w in want if w not in ("regime", "unique")]
    slot = np.full(len(KS_ALL), -1, dtype=np.int64)
    for r, w in enumerate(names):
        slot[KS_ALL.index(w)] = r
    out = np.empty((len(names), n))
    regime = np.empty(n if "regime" in want else 1, dtype=np.int8)
    uniq = np.empty(n if "unique" in want else 1, dtype=np.bool_)
    if "regime" in want:
        slot[16] = 0
    if "unique" in want:
        slot[17] = 0
    _ks_loop(*arrays, steps, slot, out, regime, uniq, n)
    res: dict[str, Any] = {w: out[r] for r, w in enumerate(names)}
    if "regime" in want:
        res["regime"] = regime
    if "unique" in want:
        res["unique"] = True if uniq.all() else uniq
    return {w: res[w] for w in want}


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
    arrays, steps, n = _flat_args(cols)
    demand, q, ua, ub = (np.empty(n) for _ in range(4))
    regime = np.empty(n, dtype=np.int8)
    _fearon_loop(*arrays, steps, demand, q, ua, ub, regime, n)
    return {"offer": demand, "p_war": q, "utility_a": ua, "utility_b": ub, "regime": regime}


# ---------------------------------------------------------------------- mobilisation
@nb.njit(**_JIT)
def _mob_loop(va: Any, ca: Any, ga: Any, fba: Any, fra: Any, ma: Any, mua: Any, st: Any, out: Any, flags: Any,
              n: int) -> None:  # pragma: no cover - compiled
    for t in prange(n):
        v = va[t * st[0]]
        c = ca[t * st[1]]
        g = ga[t * st[2]]
        fB = fba[t * st[3]]
        fR = fra[t * st[4]]
        m = ma[t * st[5]]
        mu = mua[t * st[6]]
        net = v - c
        tip_raw = (m + mu - net) / (g + fR + mu)
        sb_raw = -net / (g + fB)
        e_s = max(-fB, m - fR) - (net + g)
        e_b = max(net, m)
        e_r = max(net, 0.0) - (m + mu)
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


_MOB_OUT = ("tipping_threshold", "bystander_threshold", "eig_supporters", "eig_bystanders", "eig_resisters")
_MOB_FLAGS = ("regime", "tipping_side", "bystander_side", "eig_supporters_branch", "eig_bystanders_branch",
              "eig_resisters_branch")


def mobilisation(cols: Sequence[np.ndarray]) -> dict[str, Any]:
    arrays, steps, n = _flat_args(cols)
    out = np.empty((len(_MOB_OUT), n)).T  # column-major: each outcome is a contiguous column
    flags = np.empty((len(_MOB_FLAGS), n), dtype=np.int8).T
    _mob_loop(*arrays, steps, out, flags, n)
    res = {k: out[:, j] for j, k in enumerate(_MOB_OUT)}
    res.update({k: flags[:, j] for j, k in enumerate(_MOB_FLAGS)})
    return res


# ---------------------------------------------------------------------- Anderton–Brauer, max_control
_LOGE2 = 0.6931471805599453
_SNAP = 1e-12
_SIGMA_ONE = 1e-9
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
    if abs(eps) <= 0.5:
        return np.log1p(w * np.expm1(eps * x) + (1.0 - w) * np.expm1(eps * y))
    return _logaddexp(np.log(w) + eps * x, np.log1p(-w) + eps * y)


@nb.njit(**_JIT)
def _ab_loop(tech: int, Ma: Any, pRa: Any, pCa: Any, lama: Any, psia: Any, q0: Any, q1: Any, q2: Any, q3: Any,
             q4: Any, st: Any, out: Any, regime: Any, uniq: Any, n: int) -> None:  # pragma: no cover - compiled
    for t in prange(n):
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
            C = M * np.exp(ltC - lS) / pC
            R = M * np.exp(ltR - lS) / pR
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
            C = max(0.0, (M / pC - 1.0 / k) / 2.0)
            R = (M + pC / k) / (2.0 * pR) if C > 0 else M / pR
            choke = k * M
        elif tech == 3:  # linear: (bR, bC)
            x = a1 * pR
            y = a0 * pC
            tie = abs(x - y) <= _SNAP * max(x, y)
            civ = (x > y) and not tie
            C = M / pC if civ else 0.0
            R = 0.0 if civ else M / pR
            choke = pR * a1 / a0
            unique = not tie
        elif tech == 4:  # quasi-linear: (β,)
            C = min(max(0.0, a0 * pR / pC - 1.0), M / pC)
            R = 0.0 if M / pC <= C else (M - pC * C) / pR
            choke = a0 * pR
        else:  # quadratic: (β, γ, δ)
            k = a1 * pR - 2.0 * a2 * pC
            c_int = (a0 * pR - pC - a2 * M) / k
            C = min(max(c_int, 0.0), M / pC)
            R = max((M - pC * C) / pR, 0.0)
            if M / pC <= C:
                R = 0.0
            choke = a0 * pR - a2 * M
        snap_c = (_SNAP * M / pC >= C) and np.isfinite(r_axis)
        if snap_c:
            C = 0.0
            R = r_axis
        if (_SNAP * M / pR >= R) and np.isfinite(c_axis) and not snap_c:
            R = 0.0
            C = c_axis
        if tech == 0:
            Z = np.exp(np.log(a0) + a1 * np.log(R) + a2 * np.log(C))
        elif tech == 1:
            th, s, aR, aC = a1, a2, a3, a4
            lR = np.log(aR * R)
            lC = np.log(aC * C)
            if abs(s - 1.0) < _SIGMA_ONE:
                lz = np.log(a0) + (th * lR + (1.0 - th) * lC)
            else:
                rho = (s - 1.0) / s
                lz = np.log(a0) + _log_mean(th, lR, lC, rho) / rho
            Z = np.exp(lz)
        elif tech == 2:
            x = a0 * R * (1.0 + a1 * C)
            Z = 1.0 / (1.0 + np.exp(a3 * (np.log(a2) - np.log(x))))
        elif tech == 3:
            Z = a0 * R + a1 * C
        elif tech == 4:
            Z = R + a0 * np.log1p(C)
        else:
            Z = R + a0 * C - 0.5 * a1 * (C * C) - a2 * R * C
        if C == 0:
            regime[t] = 1
        elif R == 0:
            regime[t] = 2
        else:
            regime[t] = 0
        out[t, 0] = C
        out[t, 1] = R
        out[t, 2] = Z
        out[t, 3] = M
        out[t, 4] = 1.0 if R == 0 else min(max(pC * C / M, 0.0), 1.0)
        out[t, 5] = lam * C + psi * R
        out[t, 6] = 0.0 if choke < 0.0 else choke
        uniq[t] = unique


def anderton_brauer(technology: str, cols: Sequence[np.ndarray]) -> dict[str, Any]:
    """``cols``: resources, price_rebels, price_civilians, lethality_civilians, lethality_rebels, then the
    technology's parameters in the order of :data:`AB_SLOTS` (at most five)."""
    cols = list(cols)
    arrays, steps, n = _flat_args(cols + [np.zeros(1)] * (10 - len(cols)))
    out = np.empty((len(AB_OUT), n)).T  # each outcome a contiguous column
    regime = np.empty(n, dtype=np.int8)
    uniq = np.empty(n, dtype=np.bool_)
    _ab_loop(AB_TECH.index(technology), *arrays, steps, out, regime, uniq, n)
    res: dict[str, Any] = {k: out[:, j] for j, k in enumerate(AB_OUT)}
    res["regime"] = regime
    res["unique"] = uniq
    return res
