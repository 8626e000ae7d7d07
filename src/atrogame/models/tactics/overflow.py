"""Which valid inputs of the tactics model have outcomes beyond the float64 range.

Every parameter may take any value of its domain, from the smallest subnormal (5e-324) to the
largest float (1.8e308); at some of those points an outcome itself (deaths at a lethality of
1e308, the price of a tactic whose enabler intensity is 1e308, ...) exceeds the largest float.
As for the Anderton–Brauer technologies, such points are outside the model's domain: a point
is refused (:class:`~atrogame.core.errors.ParameterError`, naming the input farthest from its
default in log terms) when the natural log of any outcome exceeds 700 (e^700 ≈ 1e304, so
sums and products of outcomes stay finite too). Tiny outcomes are results (they underflow
towards 0), not errors. The rule applies with perfectly elastic enabler supply (the default);
a finite supply elasticity is solved by a root search and is not covered.

:func:`log_outcomes` computes the logs without overflow: sums as log-sum-exp, each CES price
index centred on its extreme input so every exponent is ≤ 0. :func:`box_ok` proves the rule
on a box of parameter ranges by interval arithmetic, so designs on the sweep ranges skip the
point-by-point check. The maths is on docs/explanation/tactics.md.

Examples
--------
>>> s = Structure.of_default()
>>> logs = log_outcomes({k: np.asarray(x) for k, x in _defaults(s).items()}, s)
>>> round(float(np.exp(logs["deaths"])), 9), round(float(np.exp(logs["control"])), 9)
(15.0, 25.0)
"""

from __future__ import annotations

import functools
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from atrogame.core.errors import ParameterError
from atrogame.core.validation import farthest_from_default, log_distance
from atrogame.models.tactics.closed_form import CD_TOL

__all__ = ["LOG_LIMIT", "Structure", "box_ok", "log_outcomes", "reject_overflow"]

#: Largest natural log of an outcome the model accepts (the Anderton–Brauer rule).
LOG_LIMIT = 700.0

_PER = ("tactic_cost", "tactic_sanction", "tactic_productivity", "lethality", "enabler_intensity")


@dataclass(frozen=True)
class Structure:
    """What the flat (sweepable) parameters do not carry: tactics, weights, objective, harms."""

    tactics: tuple[str, ...]
    weights: tuple[float, ...]
    objective: str
    control_target: float
    harm_matrix: tuple[tuple[float, ...], ...]
    harm_weights: tuple[float, ...]
    harm_categories: tuple[str, ...]
    finite_supply: bool

    @classmethod
    def of(cls, p: Any) -> Structure:
        """The structure of a :class:`~atrogame.models.tactics.params.TacticsParams`."""
        return cls(tuple(p.tactics), tuple(float(x) for x in p.tactic_weights), p.objective,
                   1.0 if p.control_target is None else float(p.control_target),
                   tuple(tuple(float(x) for x in row) for row in np.asarray(p.harm_matrix)),
                   tuple(float(x) for x in p.harm_weight_vector), tuple(p.harm_categories),
                   math.isfinite(p.enabler_supply_elasticity))

    @classmethod
    def of_default(cls) -> Structure:
        from atrogame.models.tactics.params import TacticsParams

        return cls.of(TacticsParams())

    @property
    def log_weights(self) -> np.ndarray:
        om = np.asarray(self.weights, dtype=float)
        with np.errstate(divide="ignore"):
            return np.log(om) - np.log(np.sum(om))


@functools.cache
def _defaults(s: Structure) -> dict[str, float]:
    from atrogame.models.tactics.model import _flat_values
    from atrogame.models.tactics.params import TacticsParams

    lam = None if s.tactics != TacticsParams().tactics else TacticsParams().lethality
    p = TacticsParams(tactics=s.tactics, lethality=lam or (1.0,) * len(s.tactics))
    return _flat_values(p)


def _ln(x: Any) -> np.ndarray:
    with np.errstate(divide="ignore"):
        return np.log(np.asarray(x, dtype=float))


def _lse(terms: Sequence[Any]) -> np.ndarray:
    """ln Σ e^{a_i} without overflow (−inf when every term is −inf)."""
    arrs = np.broadcast_arrays(*[np.asarray(a, dtype=float) for a in terms])
    m = arrs[0]
    for a in arrs[1:]:
        m = np.maximum(m, a)
    mm = np.where(np.isfinite(m), m, 0.0)
    acc = np.zeros(m.shape)
    for a in arrs:
        acc = acc + np.exp(a - mm)
    with np.errstate(divide="ignore"):
        return np.where(m == -np.inf, -np.inf, mm + np.log(acc))


def _ces_logs(lnw: Sequence[Any], y: Sequence[Any], t: Any) -> tuple[np.ndarray, list[np.ndarray]]:
    """(ln P, [ln S_i]) of a CES aggregate: weights e^{lnw} summing to 1, y = ln(price/(b·w)),
    t = 1 − σ. Centred on the extreme y (the largest for t > 0, the smallest for t < 0), every
    exponent t(y − y*) is ≤ 0: nothing overflows at any finite t."""
    y = np.broadcast_arrays(*[np.asarray(a, dtype=float) for a in y])
    t = np.asarray(t, dtype=float)
    hi, lo = y[0], y[0]
    for yi in y[1:]:
        hi, lo = np.maximum(hi, yi), np.minimum(lo, yi)
    ystar = np.where(t > 0, hi, lo)
    with np.errstate(over="ignore", invalid="ignore"):
        a = [lw + t * (yi - ystar) for lw, yi in zip(lnw, y, strict=True)]
        L = _lse(a)
        cd = np.abs(t) < CD_TOL
        ybar = sum(np.exp(lw) * yi for lw, yi in zip(lnw, y, strict=True))
        lnP = np.where(cd, ybar, ystar + L / np.where(cd, 1.0, t))
        lnS = [np.where(cd, lw + np.zeros(np.shape(ai)), ai - L) for lw, ai in zip(lnw, a, strict=True)]
    return lnP, lnS


def log_outcomes(v: Mapping[str, Any], s: Structure) -> dict[str, np.ndarray]:
    """Natural logs of every outcome that can be large (flat names), without overflow.

    ``v`` maps the flat parameters to arrays that broadcast; shares (≤ 1) and the
    pass-through (1) are left out. With perfectly elastic enabler supply only.
    """
    K = len(s.tactics)
    per = {n: [np.asarray(v[f"{n}_{t}"], dtype=float) for t in s.tactics] for n in _PER}
    g = {k: np.asarray(x, dtype=float) for k, x in v.items()}
    lnw = list(s.log_weights)
    with np.errstate(invalid="ignore", over="ignore"):
        # prices as the kernel computes them (a sum that overflows is an outcome beyond the limit)
        pE = g["enabler_sanction"] + g["enabler_cost"]
        lpE = _ln(pE)
        lq = [_ln(per["tactic_cost"][k] + per["enabler_intensity"][k] * pE
                  + (1.0 - g["ideology"]) * per["tactic_sanction"][k]) for k in range(K)]
        lpR = _ln(g["cost_rebels"] + g["enabler_intensity_rebels"] * pE)
        y = [lq[k] - _ln(per["tactic_productivity"][k]) - lnw[k] for k in range(K)]
        lPC, lS = _ces_logs(lnw, y, 1.0 - g["tactic_substitution"])
        th = g["share_rebels"]
        lt0, lt1 = _ln(th), _ln(1.0 - th)
        yR = lpR - _ln(g["productivity_rebels"]) - lt0
        yC = lPC - _ln(g["productivity_civilians"]) - lt1
        lPZ, (lsR, lsC) = _ces_logs([lt0, lt1], [yR, yC], 1.0 - g["substitution_elasticity"])
        lA = _ln(g["tfp"])
        if s.objective == "max_control":
            lB = np.broadcast_to(_ln(g["resources"]), np.shape(lPZ))
            lZ = lA + lB - lPZ
        else:
            lZ = np.full(np.shape(lPZ), math.log(s.control_target))
            lB = lZ + lPZ - lA
        lT = [lS[k] + lsC + lB - lq[k] for k in range(K)]
        lR = lsR + lB - lpR
        out: dict[str, np.ndarray] = {}
        for k, t in enumerate(s.tactics):
            out[f"tactic_levels_{t}"] = lT[k]
            out[f"tactic_prices_{t}"] = lq[k]
        H = np.asarray(s.harm_matrix, dtype=float).reshape(-1, K)
        hw = np.asarray(s.harm_weights, dtype=float)
        lH = []
        for row in H:
            terms = [math.log(row[k]) + lT[k] for k in range(K) if row[k] > 0]
            lH.append(_lse(terms) if terms else np.full(np.shape(lT[0]), -np.inf))
        lD = _lse([*(_ln(per["lethality"][k]) + lT[k] for k in range(K)), _ln(g["lethality_rebels"]) + lR])
        out.update({
            "civilian_violence": lsC + lB - lPC, "civilian_price_index": lPC, "civilian_spending": lsC + lB,
            "rebel_attacks": lR, "price_rebels": lpR, "enabler_price": lpE, "enabler_net_price": _ln(g["enabler_cost"]),
            "enabler_input": _lse([_ln(g["enabler_intensity_rebels"]) + lR,
                                   *(_ln(per["enabler_intensity"][k]) + lT[k] for k in range(K))]),
            "control": lZ, "cost": lB, "deaths": lD,
            "harm_index": _lse([lD, *(math.log(w) + h for w, h in zip(hw, lH, strict=True) if w > 0)]),
            "acts": _lse(lT),
        })
        for cat, h in zip(s.harm_categories, lH, strict=True):
            out[f"harms_{cat}"] = h
    return out


def reject_overflow(values: Mapping[str, Any], s: Structure, defaults: Mapping[str, float]) -> None:
    """Raise :class:`ParameterError` where the log of an outcome exceeds :data:`LOG_LIMIT`,
    naming the input farthest from its default in log terms (vectorised; nothing is checked
    with a finite enabler-supply elasticity)."""
    if s.finite_supply:
        return
    v = {k: np.asarray(values[k], dtype=float) for k in defaults}
    logs = log_outcomes(v, s)
    bad = np.zeros(np.broadcast_shapes(*(np.shape(x) for x in logs.values())), dtype=bool)
    worst = ""
    for k, x in logs.items():
        b = ~(x <= LOG_LIMIT)
        if not worst and b.any():
            worst = k
        bad |= b
    if not bad.any():
        return
    i = np.flatnonzero(bad.ravel())[0]
    point = {k: float(np.broadcast_to(v[k], bad.shape).ravel()[i]) for k in defaults}
    first = next(k for k, x in logs.items() if not np.broadcast_to(x, bad.shape).ravel()[i] <= LOG_LIMIT)

    blame = farthest_from_default(point, defaults, list(defaults))
    n = f"; {int(bad.sum())} of {bad.size} points invalid" if bad.ndim else ""
    far = ", ".join(f"{k}={x:g}" for k, x in point.items() if log_distance(x, defaults[k]) > 1.0)
    raise ParameterError(
        blame, "values at which every outcome is a finite float64 (ln outcome ≤ 700)", point[blame],
        f"{first} overflows at {far or 'this point'}{n}")


def _up(x: float) -> float:
    """ln x for an upper bound (−inf at 0)."""
    return math.log(x) if x > 0 else -math.inf


def box_ok(box: Mapping[str, tuple[float, float]], s: Structure, margin: float = 10.0) -> bool:
    """Whether interval bounds prove every outcome below e^(700 − margin) on a box
    ``{flat name: (min, max)}``; ``False`` means "not proven" (the pointwise check decides).

    A CES price index with weights summing to 1 lies between its smallest input price per unit
    of productivity and ``K`` times its largest, a share is at most 1, so ``T_k ≤ B/q_k``,
    ``R ≤ B/p_R`` and ``C ≤ B/P_C``.
    """
    if s.finite_supply:
        return True
    try:
        lo = {k: float(box[k][0]) for k in _defaults(s)}
        hi = {k: float(box[k][1]) for k in _defaults(s)}
    except KeyError:
        return False
    if not all(math.isfinite(x) for x in (*lo.values(), *hi.values())):
        return False
    lim = LOG_LIMIT - margin
    ts = s.tactics
    pE = hi["enabler_sanction"] + hi["enabler_cost"]
    lqh = [_up(hi[f"tactic_cost_{t}"] + hi[f"enabler_intensity_{t}"] * pE + hi[f"tactic_sanction_{t}"]) for t in ts]
    lql = [_up(lo[f"tactic_cost_{t}"]) for t in ts]
    lprh = _up(hi["cost_rebels"] + hi["enabler_intensity_rebels"] * pE)
    if not all(x < math.inf for x in (pE, lprh, *lqh)):  # (then every bound below is finite or −inf: no NaN)
        return False
    # a CES price index is increasing in each price and lies between min(q/b) and K·max(q/b)
    # whatever the weights and the elasticity (Σ ω^σ is between 1 and K^(1−σ) for σ < 1, between
    # K^(1−σ) and 1 for σ > 1), so the weights need not enter the bounds
    K = len(ts)
    qb = [(lql[k] - _up(hi[f"tactic_productivity_{t}"]), lqh[k] - _up(lo[f"tactic_productivity_{t}"]))
          for k, t in enumerate(ts)]
    lpc = (min(x[0] for x in qb), max(x[1] for x in qb) + math.log(K))
    lprl = _up(lo["cost_rebels"])
    yR = (lprl - _up(hi["productivity_rebels"]), lprh - _up(lo["productivity_rebels"]))
    yC = (lpc[0] - _up(hi["productivity_civilians"]), lpc[1] - _up(lo["productivity_civilians"]))
    lpz = (min(yR[0], yC[0]), max(yR[1], yC[1]) + math.log(2.0))
    if s.objective == "max_control":
        lB = _up(hi["resources"])
        lZ = _up(hi["tfp"]) + lB - lpz[0]
    else:
        lZ = math.log(s.control_target)
        lB = lZ + lpz[1] - _up(lo["tfp"])
    lT = [lB - lql[k] for k in range(len(ts))]
    lR = lB - lprl
    K1 = math.log(len(ts) + 1)
    lD = max([_up(hi[f"lethality_{t}"]) + lT[k] for k, t in enumerate(ts)]
             + [_up(hi["lethality_rebels"]) + lR]) + K1
    lX = max([_up(hi[f"enabler_intensity_{t}"]) + lT[k] for k, t in enumerate(ts)]
             + [_up(hi["enabler_intensity_rebels"]) + lR]) + K1
    H = np.asarray(s.harm_matrix, dtype=float).reshape(-1, len(ts))
    lH = [max(_up(row[k]) + lT[k] for k in range(len(ts))) + K1 for row in H]
    lHI = max([lD, *(_up(w) + h for w, h in zip(s.harm_weights, lH, strict=True))]) + math.log(len(lH) + 1)
    logs = [*lqh, *lT, lpc[1], lB - lpc[0], lR, lprh, _up(pE), lZ, lB, lD, lX, lHI, max(lT) + K1, *lH]
    return all(x <= lim for x in logs)


#: Smallest normal float64: a share, product or level below it has lost digits (or is 0).
TINY = 2.2250738585072014e-308
#: ln TINY (the compiled loop compares the log of the civilian price index with it).
LN_TINY = math.log(TINY)
#: Outcomes that are products of shares, budgets and prices: recomputed from their logarithms
#: where :func:`lost_digits` flags a point (per-tactic levels and harms by prefix).
PATCHED = ("tactic_levels_", "harms_", "civilian_violence", "civilian_spending", "rebel_attacks", "enabler_input",
           "deaths", "harm_index", "acts")


def lost_digits(out: Mapping[str, Any]) -> np.ndarray:
    """Points of a :func:`~atrogame.models.tactics.closed_form.closed_form` result where a
    share, a product ``S_k E_C`` or ``s_R B``, a level or the civilian price index fell below
    the normal range: there the products of the kernel lose digits (or give 0, or 0/0) although
    the outcomes may be ordinary numbers (a subnormal share of a huge budget, say)."""
    # tactic axis first: the kernel's arrays are contiguous that way, so the minima run along rows
    S, T = np.moveaxis(out["tactic_shares"], -1, 0), np.moveaxis(out["tactic_levels"], -1, 0)
    EC, sC, sR, R = out["civilian_spending"], out["civilian_share"], out["rebel_share"], out["rebel_attacks"]
    with np.errstate(all="ignore"):
        low = np.minimum(S, T)
        np.minimum(low, S * EC, out=low)
        low = np.asarray(np.min(low, axis=0))  # (0-d at one point: still an array for out=)
        for x in (sC, sR, EC, R, sR * out["cost"], out["civilian_price_index"]):
            np.minimum(low, x, out=low)
    return ~(low >= TINY)


def patch(values: Mapping[str, Any], s: Structure, res: dict[str, Any], mask: np.ndarray) -> None:
    """Replace the :data:`PATCHED` outcomes in ``res`` (flat names, arrays of ``mask``'s shape)
    by the exponentials of :func:`log_outcomes` where ``mask`` holds."""
    idx = np.flatnonzero(mask)
    sub = {k: np.broadcast_to(np.asarray(values[k], dtype=float), mask.shape).ravel()[idx] for k in _defaults(s)}
    logs = log_outcomes(sub, s)
    for o in list(res):
        if o.startswith(PATCHED[:2]) or o in PATCHED[2:]:
            a = np.array(np.broadcast_to(res[o], mask.shape), dtype=float)
            a.reshape(-1)[idx] = np.exp(logs[o])
            res[o] = a
