"""The Kydd–Straus closed form, evaluated fast: only the outcomes asked for, block by block.

The ``KyddStraus.kernel`` and ``KyddStraus.compute`` hooks call :func:`kernel`. The formulas
are those of the model's docstring (after Kydd & Straus 2013;
atrogame's own reconstruction), written so that

* each shared sub-expression (a*, π, p, V, S, V', the half-gap) is computed once;
* an outcome nobody asked for is not computed (``wanted``);
* large inputs are cut into blocks of about :data:`BLOCK_POINTS` points along the first
  axis of their broadcast shape, so the temporaries of one block stay in the CPU cache and
  every input is read from memory once (on the strided columns of an ``N × 15`` design
  matrix this matters most: each block of rows is fetched once for all 15 columns);
* with the optional accelerator (:mod:`atrogame.accel`, numba) inputs that are flat
  (every array a scalar or of one common length) go through one compiled parallel loop
  (:mod:`atrogame.models.kydd_straus._compiled`),
  which gives the same numbers (tested to 1e-12 in every regime).

See docs/explanation/performance.md.

Examples
--------
>>> import numpy as np
>>> from atrogame.models.kydd_straus import KyddStrausParams
>>> v = {k: np.asarray(x) for k, x in KyddStrausParams().to_dict().items()}
>>> out = kernel(v, ("p_war", "regime"))
>>> round(float(out["p_war"]), 6), int(out["regime"])
(0.368193, 1)
"""

from __future__ import annotations

import contextlib
import math
from collections.abc import Iterable, Mapping
from typing import Any

import numpy as np

from atrogame.models.kydd_straus.numeric import OUTCOME_NAMES

__all__ = ["ALL", "BLOCK_POINTS", "ORDER", "kernel", "kernel_checked"]

#: Parameter names in the order of ``KyddStrausParams``' fields.
ORDER: tuple[str, ...] = (
    "rebel_strength", "atrocity_effectiveness", "intervention_commitment", "war_trigger_share",
    "imposed_settlement", "atrocity_penalty", "atrocity_cost_curvature", "atrocity_harm",
    "government_war_cost", "cost_uncertainty", "stopping_power", "inducement_government",
    "inducement_minority", "war_penalty_minority", "intervention_cost",
)
#: Every output of the kernel: the outcomes, ``regime`` (int8 codes) and ``unique`` (bool).
ALL: tuple[str, ...] = (*OUTCOME_NAMES, "regime", "unique")
#: Points per block of the numpy path.
BLOCK_POINTS = 8192

PEACE, INTERIOR, CORNER, NO_REBELLION = range(4)
_FMAX = float(np.finfo(float).max)
#: Outcomes that need the whole war-and-bargaining chain (V', the half-gap, x, q).
_BARGAINING = frozenset(ALL) - {"atrocities_in_war", "intervention_prob_in_war", "minority_win_prob_in_war",
                                "war_surplus_loss", "unique"}


def kernel(values: Mapping[str, Any], wanted: Iterable[str] | None = None,
           accel: bool | None = None) -> dict[str, Any]:
    """The outcomes in ``wanted`` (default: every one, ``regime`` and ``unique``).

    ``values`` maps every parameter name to an array; the arrays broadcast against each
    other. Returned arrays have the broadcast shape (0-d for scalar input), except
    ``unique``, which is ``True`` when every point's a* is unique. ``accel`` forces
    (``True``) or refuses (``False``) the compiled path; ``None`` uses it when
    :func:`atrogame.accel.use_for` says so.
    """
    want = ALL if wanted is None else tuple(dict.fromkeys(wanted))
    unknown = [w for w in want if w not in ALL]
    if unknown:
        raise KeyError(f"unknown Kydd-Straus output(s) {unknown}; valid: {', '.join(ALL)}")
    P = [np.asarray(values[n], dtype=float) for n in ORDER]
    shape = np.broadcast_shapes(*(a.shape for a in P))
    if shape == ():
        out = _run_blocks([a.reshape(1) for a in P], (1,), want)
        return {k: (v if k == "unique" and isinstance(v, bool) else np.asarray(v).reshape(()))
                for k, v in out.items()}
    n = math.prod(shape)
    flat = all(a.size == 1 or a.shape == shape for a in P)
    if flat and n > 0:
        from atrogame import accel as _accel

        if accel or (accel is None and _accel.use_for(n)):
            from atrogame.models.kydd_straus import _compiled

            with _accel.LOCK:
                res, _ = _compiled.ks([a.reshape(-1) for a in P], want)
            return {k: (v if isinstance(v, bool) else v.reshape(shape)) for k, v in res.items()}
    return _run_blocks(P, shape, want)


def kernel_checked(values: Mapping[str, Any], wanted: Iterable[str]
                   ) -> tuple[dict[str, Any], dict[str, tuple[float, float]]] | None:
    """The kernel with every input's (minimum, maximum) reduced in the same pass over the data.

    Large flat inputs only (every parameter a scalar or an array of one length, at least two
    blocks): the compiled loop folds each value into running ranges; the numpy path reduces
    each block of inputs right after gathering it into the cache, before the block is
    evaluated. ``None`` for other inputs; the caller then validates and evaluates separately.
    The hook behind ``KyddStraus.fused_kernel``.
    """
    from atrogame import accel as _accel

    P = [np.asarray(values[n], dtype=float) for n in ORDER]
    shape = np.broadcast_shapes(*(a.shape for a in P))
    n = math.prod(shape)
    if len(shape) != 1 or not all(a.size == 1 or a.shape == shape for a in P) or n < 2 * BLOCK_POINTS:
        return None
    want = tuple(dict.fromkeys(wanted))
    if _accel.use_for(n):
        from atrogame.models.kydd_straus import _compiled

        with _accel.LOCK:
            res, bounds = _compiled.ks([a.reshape(-1) for a in P], want, check=True)
        assert bounds is not None
        mn, mx = bounds
    else:
        from atrogame.engine import PARALLEL_MIN_POINTS, default_threads

        if default_threads() > 1 and n >= PARALLEL_MIN_POINTS:  # the engine's threaded slabs serve it
            return None
        ranges: list[tuple[float, float]] = []
        res = _run_blocks(P, shape, want, ranges)
        mn = np.array([r[0] for r in ranges])
        mx = np.array([r[1] for r in ranges])
    out = {k: (v if isinstance(v, bool) else v.reshape(shape)) for k, v in res.items()}
    return out, {name: (float(mn[j]), float(mx[j])) for j, name in enumerate(ORDER)}


def _run_blocks(P: list[np.ndarray], shape: tuple[int, ...], want: tuple[str, ...],
                ranges: list[tuple[float, float]] | None = None) -> dict[str, Any]:
    """Evaluate :func:`_block` on slabs of the first axis and gather the results.

    With a list ``ranges`` (1-D inputs only), it is filled with each input's (minimum,
    maximum), NaN where the input holds a NaN, reduced block by block while the block is in cache.
    """
    rest = math.prod(shape[1:])
    rows = max(1, BLOCK_POINTS // max(rest, 1))
    nd = len(shape)
    if rows >= shape[0]:
        res = _block(P, want)
        return {k: (v if k == "unique" and isinstance(v, bool) else _full(v, shape)) for k, v in res.items()}
    # arrays that vary along the first axis are sliced; the others broadcast within each block
    sliced = [a.ndim == nd and a.shape[0] == shape[0] for a in P]
    out: dict[str, Any] = {}
    for w in want:
        if w != "unique":
            out[w] = np.empty(shape, dtype=np.int8 if w == "regime" else float)
    uniq: np.ndarray | None = None
    # strided inputs (columns of a design matrix) are gathered into small contiguous buffers:
    # numpy's loops are much faster on contiguous data, and the gather reads each block once
    gather = [s and not a.flags.c_contiguous for a, s in zip(P, sliced, strict=True)]
    # the gathered inputs share one (inputs × rows) buffer, so a block's ranges are two reductions
    gidx = [j for j, g in enumerate(gather) if g]
    G = np.empty((len(gidx), rows, *P[gidx[0]].shape[1:])) if gidx else None
    bufs: list[np.ndarray | None] = [None] * len(P)
    for r, j in enumerate(gidx):
        bufs[j] = G[r] if G is not None else None
    track = ranges is not None and nd == 1
    # ranges: the gathered inputs block by block below (in cache); any other input (contiguous or
    # a scalar) in one reduction here. np.minimum/np.maximum propagate NaN.
    lo = np.array([np.inf if g or not track else np.min(a) for a, g in zip(P, gather, strict=True)])
    hi = np.array([-np.inf if g or not track else np.max(a) for a, g in zip(P, gather, strict=True)])
    for r0 in range(0, shape[0], rows):
        r1 = min(r0 + rows, shape[0])
        blocks = []
        for a, s, buf in zip(P, sliced, bufs, strict=True):
            if buf is not None:
                b = buf[:r1 - r0]
                np.copyto(b, a[r0:r1])
                blocks.append(b)
            else:
                blocks.append(a[r0:r1] if s else a)
        if track and G is not None:
            g = G[:, :r1 - r0]
            lo[gidx] = np.minimum(lo[gidx], g.min(axis=1))
            hi[gidx] = np.maximum(hi[gidx], g.max(axis=1))
        with np.errstate(all="ignore") if track else contextlib.nullcontext():  # an invalid design is refused after
            res = _block(blocks, want)
        for k, v in res.items():
            if k == "unique":
                if v is not True:
                    if uniq is None:
                        uniq = np.ones(shape, dtype=bool)
                    uniq[r0:r1] = v
                continue
            out[k][r0:r1] = v
    if "unique" in want:
        out["unique"] = True if uniq is None else uniq
    if track and ranges is not None:
        ranges.extend((float(a), float(b)) for a, b in zip(lo, hi, strict=True))
    return {w: out[w] for w in want}


def _full(v: Any, shape: tuple[int, ...]) -> np.ndarray:
    arr = np.asarray(v)
    if arr.shape == shape:
        return arr
    return np.array(np.broadcast_to(arr, shape))


def _block(P: list[np.ndarray], want: tuple[str, ...]) -> dict[str, Any]:
    """The closed form on one block (arrays broadcasting against each other).

    At inputs near 1e308 some intermediates (V' = V − (w_M + s_M), the utilities' war − peace
    gap) overflow where the outcomes do not; those steps run without floating-point warnings.
    """
    with np.errstate(over="ignore", invalid="ignore"):
        return _block_values(P, want)


def _block_values(P: list[np.ndarray], want: tuple[str, ...]) -> dict[str, Any]:
    p0, th, i, om, z, k, ka, h, d, cb, sig, sg, sm, wm, ct = P
    W_ = set(want)
    res: dict[str, Any] = {}
    pi1 = i * (1.0 - om)
    pi0 = i * om
    p0th = p0 * th
    N = (1.0 - pi0) * p0th - k + pi1 * (p0 - z)
    D = ka + 2.0 * pi1 * p0th
    shape = np.broadcast_shapes(*(x.shape for x in P))
    if np.all(D > 0):
        a = N / D  # D subnormal: N/D overflows to ±inf, clipped below
        unique: Any = True
    else:  # D = 0: W_G is linear in a; a* = 1 if N > 0, else 0 (ties go to 0)
        pos = D > 0
        with np.errstate(divide="ignore"):
            a = np.where(pos, N / np.where(pos, D, 1.0), np.where(N > 0, 1.0, 0.0))
        unique = ~(~pos & (N == 0))  # W_G flat in a: every a is optimal, a* = 0 reported
    if a.shape != shape:
        a = np.array(np.broadcast_to(a, shape))
    np.clip(a, 0.0, 1.0, out=a)
    if "unique" in W_:
        res["unique"] = unique
    if "atrocities_in_war" in W_:
        res["atrocities_in_war"] = a
    bargaining = not _BARGAINING.isdisjoint(W_)
    if bargaining or "intervention_prob_in_war" in W_:
        pi = pi1 * a
        pi += pi0
        res["intervention_prob_in_war"] = pi
    if bargaining or "minority_win_prob_in_war" in W_:
        p = p0th * a
        np.subtract(p0, p, out=p)  # p0 (1 − θ a)
        res["minority_win_prob_in_war"] = p
    if not bargaining and "war_surplus_loss" not in W_:
        return {w: res[w] for w in want}
    ha = h * a
    S = (0.5 * ka) * a
    S += k
    S *= a  # k a + κ a² / 2
    S += ha
    S += d
    res["war_surplus_loss"] = S
    if not bargaining:
        return {w: res[w] for w in want}
    V = z - p
    V *= pi
    V += p
    V -= ha  # (1 − π) p + π z − h a
    res["minority_war_value"] = V
    if "government_war_value" in W_ or "government_utility" in W_:
        W = np.subtract(1.0, V)
        W -= S  # 1 − V − S
        if np.max(ha, initial=0.0) > 1.0:
            # h a cancels from 1 − V − S; beyond 1 (outside the sweep ranges) its rounding would
            # swamp W_G (0.0 for 0.576 at h = 1e300), so W_G is then computed without it
            big = ha > 1.0
            W0 = z - p
            W0 *= pi
            W0 += p
            np.subtract(1.0, W0, out=W0)  # 1 − ((1 − π) p + π z)
            W0 -= ((0.5 * ka) * a + k) * a + d
            np.copyto(W, W0, where=big)
        res["government_war_value"] = W
    half = S + (sg + sm + wm)  # S_e
    np.subtract(cb, half, out=half)
    half *= 0.5  # (C̄ − S_e)/2
    Vn = V - (wm + sm)
    half_pos = np.maximum(half, 0.0)
    x = Vn - half_pos
    np.maximum(x, 0.0, out=x)
    res["offer"] = x
    cut = np.maximum(Vn, 0.0)
    np.minimum(cut, half_pos, out=cut)
    res["cutpoint"] = cut
    q = cut / cb
    res["p_war"] = q
    if "regime" in W_:
        regime = np.full(shape, NO_REBELLION, dtype=np.int8)
        regime -= Vn > 0
        regime -= Vn >= half
        regime *= half > 0  # peace: S_e ≥ C̄
        res["regime"] = regime
    if "expected_atrocities" in W_ or "expected_realized_atrocities" in W_:
        qa = q * a
        res["expected_atrocities"] = qa
        if "expected_realized_atrocities" in W_:
            real = sig * pi
            np.subtract(1.0, real, out=real)
            real *= qa
            res["expected_realized_atrocities"] = real
    if "p_intervention" in W_ or "third_party_cost" in W_:
        p_int = q * pi
        res["p_intervention"] = p_int
        if "third_party_cost" in W_:
            s_peace = sg + sm
            tpc = p_int * ct
            tpc -= q * s_peace
            tpc += s_peace  # (1 − q)(s_G + s_M) + q π c_T
            res["third_party_cost"] = tpc
    if "p_minority_victory" in W_:
        p_min = np.subtract(1.0, pi)
        p_min *= p
        p_min *= q
        res["p_minority_victory"] = p_min
    # The utilities are u + q·(war − u), u the peace payoff. The gap war − u is below −1.8e308
    # only where q = 0 (inputs near 1e308; where q > 0, every input of the gap is below C̄): it
    # is floored at the most negative float, so 0·gap adds 0, not NaN, and u is exact there.
    # Every finite gap, and so every other result, is left as it was.
    if "government_utility" in W_:
        u_peace = np.subtract(1.0 + sg, x)
        gov = W - u_peace
        np.maximum(gov, -_FMAX, out=gov)
        gov *= q
        gov += u_peace  # (1 − q)(1 − x + s_G) + q W_G
        res["government_utility"] = gov
    if "minority_utility" in W_:
        y = x + sm
        mu = (-0.5) * cut
        mu += V
        mu -= wm
        mu -= y
        np.maximum(mu, -_FMAX, out=mu)
        mu *= q
        mu += y  # (1 − q)(x + s_M) + q (V − w_M) − C̄ q² / 2
        res["minority_utility"] = mu
    return {w: res[w] for w in want}
