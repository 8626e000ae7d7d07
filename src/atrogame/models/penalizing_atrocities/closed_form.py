"""The closed form of the penalizing-atrocities game, vectorised (after Kydd 2022).

:func:`closed_form` takes a mapping from every parameter name to arrays that broadcast
against each other and returns every outcome plus the integer codes ``regime`` (into
:data:`REGIMES`) and ``war_regime`` (into :data:`WAR_REGIMES`). The derivation is in
docs/explanation/penalizing_atrocities.md; the forms and numbers are atrogame's own
reconstruction, not the author's.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import numpy as np

from atrogame.models.penalizing_atrocities.duration import battle_prob, duration, duration_slope
from atrogame.models.penalizing_atrocities.params import ORDER

__all__ = ["OUTCOMES", "REGIMES", "WAR_REGIMES", "closed_form"]

#: Bargaining regimes, in the order their conditions are checked.
REGIMES: tuple[str, ...] = ("peace", "interior", "corner", "no_rebellion")
PEACE, INTERIOR, CORNER, NO_REBELLION = range(4)
#: War-stage regimes: interior atrocity intensity, or none.
WAR_REGIMES: tuple[str, ...] = ("atrocities", "no_atrocities")
ATROCITIES, NO_ATROCITIES = range(2)

#: The public outcomes, in order.
OUTCOMES: tuple[str, ...] = (
    "atrocity_intensity", "government_win_prob", "battle_win_prob", "expected_war_duration",
    "atrocities_in_war", "government_war_value", "rebel_war_value", "war_surplus_loss", "offer",
    "cutpoint", "p_war", "expected_atrocities", "expected_battles", "expected_penalty",
    "p_government_victory", "p_rebel_victory", "government_utility", "rebel_utility",
    "balance_aid", "deterrent_penalty",
)


def _arrays(values: Mapping[str, Any]) -> tuple[list[np.ndarray], tuple[int, ...]]:
    arrs = [np.asarray(values[name], dtype=float) for name in ORDER]
    return arrs, np.broadcast_shapes(*(a.shape for a in arrs))


#: The smallest normal float: below it products lose their relative precision.
TINY = 2.2250738585072014e-308
_LN2 = math.log(2.0)


def _wide_war(g: Any, m: Any, beta: Any, T: Any, wide: Any, inner: Any, w: Any, a: Any) -> tuple[Any, Any, Any]:
    """The war stage's test βm > T(g + m)², w = √(mT/β) and a* = w/T − (g + m)/β from logs,
    where a side of the test left the normal float range (the compiled loop repeats it)."""
    with np.errstate(all="ignore"):
        gm = g + m
        lb, lm, lT = np.log(beta), np.log(m), np.log(T)
        lgm = np.where(np.isinf(gm), np.log(0.5 * g + 0.5 * m) + _LN2, np.log(gm))  # (g + m beyond 1.8e308)
        inner_w = (beta > 0.0) & (lb + lm > lT + 2.0 * lgm)
        w_w = np.exp(0.5 * (lm + lT - lb))
        a_w = np.where(inner_w, w_w / T - np.exp(lgm - lb), 0.0)
    return np.where(wide, inner_w, inner), np.where(wide, w_w, w), np.where(wide, a_w, a)


def war_stage(g: Any, m: Any, beta: Any, T: Any) -> dict[str, np.ndarray]:
    """The government's campaign intensity a*, its odds Π* and ``war_regime`` codes.

    The interior condition βm > T(g + m)² is tested first, so nothing is divided by β = 0.

    Examples
    --------
    >>> out = war_stage(1.0, 0.5, 1.0, 0.1)
    >>> round(float(out["a"]), 6), round(float(out["pi"]), 6), int(out["war_regime"])
    (0.736068, 0.776393, 0)
    >>> int(war_stage(1.0, 0.5, 0.0, 0.1)["war_regime"])
    1
    """
    g, m, beta, T = (np.asarray(x, dtype=float) for x in (g, m, beta, T))
    with np.errstate(over="ignore", under="ignore", invalid="ignore"):
        gm2 = (g + m) ** 2
        lhs, rhs = beta * m, T * gm2
    inner = lhs > rhs
    # the test is exact only while both sides are normal floats: a (g + m)² below 1e-308 once
    # read 0, so that βm > 0 passed and Π* came out as −2.6e14; outside that range, logs decide
    trusted = (gm2 >= TINY) & (rhs >= TINY) & (lhs < np.inf) & (rhs < np.inf) & ((lhs >= TINY) | (beta == 0.0))
    wide = ~trusted
    safe_beta = np.where(inner, beta, 1.0)
    with np.errstate(over="ignore", invalid="ignore"):
        w = np.sqrt(m * T / safe_beta)
        a = np.where(inner, w / T - (g + m) / safe_beta, 0.0)
    if wide.any():
        inner, w, a = _wide_war(g, m, beta, T, wide, inner, w, a)
    a = np.maximum(a, 0.0)  # rounding at the boundary
    with np.errstate(over="ignore", invalid="ignore"):
        gm = g + m
        odds = g / gm
        huge = np.isinf(gm) & np.isfinite(m)
        if huge.any():  # g + m beyond the largest float (each finite): the same ratio at half scale
            odds = np.where(huge, (0.5 * g) / (0.5 * g + 0.5 * m), odds)
    pi = np.where(inner, 1.0 - w, odds)
    code = np.where(inner, ATROCITIES, NO_ATROCITIES).astype(np.int8)
    return {"a": a, "pi": pi, "w": np.where(inner, w, np.nan), "war_regime": code}


def closed_form(values: Mapping[str, Any], slope: bool = True) -> dict[str, np.ndarray]:
    """Every outcome of the game at broadcasting parameter arrays (backward induction).

    Returns the outcomes of :data:`OUTCOMES`, ``regime`` and ``war_regime`` (int8 codes),
    and the helpers ``phi`` (Φ*, the slope of a war's toll in intensity) and
    ``duration_slope`` (E′(Π*)); ``slope=False`` leaves those two out (no outcome needs them).

    Examples
    --------
    >>> from atrogame.models.penalizing_atrocities.params import PenalizingAtrocitiesParams
    >>> out = closed_form(PenalizingAtrocitiesParams().to_dict())
    >>> round(float(out["p_war"]), 6), round(float(out["expected_atrocities"]), 6), int(out["regime"])
    (0.349404, 0.943007, 1)
    """
    (g, r, sigma, beta, k, tau, h, d, cb, n), shape = _arrays(values)
    with np.errstate(over="ignore"):  # (two inputs near 1.8e308: the tests below use logs or refuse)
        m = r + sigma
        T = k + tau
    ws = war_stage(g, m, beta, T)
    a, pi = ws["a"], ws["pi"]
    E = duration(pi, n)
    Ep = duration_slope(pi, n) if slope else None
    p_b = battle_prob(pi, n)
    A = a * E
    with np.errstate(over="ignore", invalid="ignore"):
        Ta = np.where(a > 0.0, T * a, 0.0)  # (T = k + τ may overflow where no atrocities are chosen)
    W = pi - d - Ta
    V = 1.0 - pi - h * A
    S = d + Ta + h * A
    half = 0.5 * (cb - S)
    peace = cb <= S
    interior = ~peace & (half <= V)
    corner = ~peace & ~interior & (V > 0)
    x = np.select([peace, interior], [np.maximum(V, 0.0), V - half], 0.0)
    q = np.select([peace, interior, corner], [0.0, half / cb, V / cb], 0.0)
    q = np.clip(q, 0.0, 1.0)
    regime = np.select([peace, interior, corner], [PEACE, INTERIOR, CORNER], NO_REBELLION).astype(np.int8)
    if Ep is not None:
        with np.errstate(invalid="ignore"):
            phi = np.where(a > 0, E + Ta * Ep, E)
    with np.errstate(over="ignore", under="ignore", divide="ignore", invalid="ignore"):
        bt = beta / (4.0 * T)
        balance = np.maximum(0.0, np.maximum(g, bt) - r)
        gm2 = (g + m) ** 2
        bm = beta * m
        deterrent = np.maximum(0.0, bm / gm2 - k)
    wide_b = ~np.isfinite(balance)
    if wide_b.any():  # β/(4T) overflowed: the same at half scale (a true overflow stays inf, refused)
        with np.errstate(over="ignore", invalid="ignore"):
            half_b = np.maximum(0.0, np.maximum(0.5 * g, (0.125 * beta) / T) - 0.5 * r) * 2.0
        balance = np.where(wide_b, half_b, balance)
    wide_d = ~((gm2 >= TINY) & (gm2 < np.inf) & (bm < np.inf) & ((bm >= TINY) | (beta == 0.0)))
    if wide_d.any():  # βm/(g + m)² as β·(m/(g + m))/(g + m), each step in range
        with np.errstate(over="ignore", invalid="ignore", under="ignore"):
            gmq = 0.25 * g + (0.25 * r + 0.25 * sigma)
            x_d = np.where(np.isfinite(g + m), beta * (m / (g + m)) / (g + m), beta * ((m * 0.25) / gmq) / gmq * 0.25)
            x_d = np.where(beta == 0.0, 0.0, x_d)
        deterrent = np.where(wide_d, np.maximum(0.0, x_d - k), deterrent)
    out = {
        "atrocity_intensity": a,
        "government_win_prob": pi,
        "battle_win_prob": p_b,
        "expected_war_duration": E,
        "atrocities_in_war": A,
        "government_war_value": W,
        "rebel_war_value": V,
        "war_surplus_loss": S,
        "offer": x,
        "cutpoint": q * cb,
        "p_war": q,
        "expected_atrocities": q * A,
        "expected_battles": q * E,
        "expected_penalty": q * tau * a,
        "p_government_victory": q * pi,
        "p_rebel_victory": q * (1.0 - pi),
        "government_utility": (1.0 - q) * (1.0 - x) + q * W,
        "rebel_utility": (1.0 - q) * x + q * V - 0.5 * cb * q**2,
        "balance_aid": balance,
        "deterrent_penalty": deterrent,
        "regime": regime,
        "war_regime": ws["war_regime"],
    }
    if Ep is not None:
        out["phi"] = phi
        out["duration_slope"] = Ep
    return {key: np.broadcast_to(val, shape) if np.shape(val) != shape else val for key, val in out.items()}
