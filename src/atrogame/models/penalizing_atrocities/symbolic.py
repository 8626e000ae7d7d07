"""The sympy derivation and comparative statics of the penalizing-atrocities game (after Kydd 2022).

Backward induction in sympy, derived once per process (and once per decisive lead n for
the duration): the war-stage first-order condition and its root, the victory odds, the
battle-war duration (eq. D), the offer problem, the regimes and every outcome, by
(war regime, bargaining regime). Comparative statics differentiate those expressions;
signs are what sympy can prove under the parameter domains ("ambiguous" otherwise), and
the economically meaningful sign conditions are exposed as named predicates
(:func:`predicates`). The forms and numbers are atrogame's own reconstruction; see
docs/explanation/penalizing_atrocities.md.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import sympy as sp

from atrogame.core.symbolic import Compiled, Derivation, compile_expr, decide_sign
from atrogame.models.penalizing_atrocities.closed_form import OUTCOMES, REGIMES, WAR_REGIMES, closed_form
from atrogame.models.penalizing_atrocities.params import ORDER, PenalizingAtrocitiesParams

__all__ = ["CONTINUOUS", "PREDICATES", "derivation", "outcome_expressions", "predicates", "statics"]

#: Parameters with a derivative (``decisive_lead`` is discrete: forward differences).
CONTINUOUS: tuple[str, ...] = tuple(n for n in ORDER if n != "decisive_lead")
_A = sp.Symbol("a", nonnegative=True)
_X = sp.Symbol("x", real=True)
_PI = sp.Symbol("Pi", positive=True)


@dataclass(frozen=True)
class _Base:
    s: Mapping[str, sp.Symbol]
    m: sp.Expr
    T: sp.Expr
    strength: sp.Expr
    pi_a: sp.Expr  # Π(a)
    W_a: sp.Expr  # W_G(a)
    foc: sp.Expr  # W_G'(a)
    second: sp.Expr  # W_G''(a)
    a_interior: sp.Expr
    a_root: sp.Expr  # a* as sympy's solve returns it
    pi_interior: sp.Expr
    w: sp.Expr
    balance_aid: sp.Expr
    deterrent_penalty: sp.Expr


@functools.cache
def _base() -> _Base:
    s = PenalizingAtrocitiesParams.symbols()
    g, r, sig, b, k, tau = (s[n] for n in ("government_strength", "rebel_strength", "aid_to_rebels",
                                           "atrocity_effectiveness", "atrocity_cost", "atrocity_penalty"))
    m, T = r + sig, k + tau
    G = g + b * _A
    pi_a = G / (G + m)
    d = s["government_war_cost"]
    W = pi_a - d - T * _A
    foc = sp.diff(W, _A)
    second = sp.factor(sp.diff(W, _A, 2))
    # W_G'(a) = βm/y² − T with y = G(a) + m > 0: solve for y, then for a
    y = sp.Symbol("y", positive=True)
    roots = sp.solve(sp.Eq(b * m / y**2, T), y, check=False, simplify=False)
    (y_star,) = [rt for rt in roots if not rt.could_extract_minus_sign()]  # y > 0
    (a_root,) = sp.solve(sp.Eq(g + b * _A + m, y_star), _A, check=False, simplify=False)
    w = sp.sqrt(m * T / b)
    # the same root, written with w (Π* = 1 − m/y* = 1 − w): a* = w/T − (g + m)/β
    a_int = w / T - (g + m) / b
    pi_int = 1 - w
    return _Base(s=s, m=m, T=T, strength=G, pi_a=pi_a, W_a=W, foc=foc, second=second, a_interior=a_int,
                 pi_interior=pi_int, w=w, a_root=a_root,
                 balance_aid=sp.Max(0, sp.Max(g, b / (4 * T)) - r),
                 deterrent_penalty=sp.Max(0, b * m / (g + m) ** 2 - k))


def _duration_expr(pi: sp.Expr, n: int) -> tuple[sp.Expr, sp.Expr]:
    """(E, p_b) of eq. D at odds ``pi`` for a fixed integer n."""
    u = pi ** sp.Rational(1, n)
    v = (1 - pi) ** sp.Rational(1, n)
    total = sum((u**j * v ** (n - 1 - j) for j in range(n)), sp.Integer(0))
    return n * (u + v) * total, u / (u + v)


@functools.cache
def outcome_expressions(n: int, war_regime: str) -> dict[str, dict[str, sp.Expr]]:
    """Every outcome as a sympy expression in the parameters, by bargaining regime.

    ``war_regime`` fixes a* ("atrocities": the interior root; "no_atrocities": 0).

    Examples
    --------
    >>> e = outcome_expressions(2, "atrocities")
    >>> e["interior"]["government_win_prob"]
    1 - sqrt(aid_to_rebels + rebel_strength)*sqrt(atrocity_cost + atrocity_penalty)/sqrt(atrocity_effectiveness)
    """
    if war_regime not in WAR_REGIMES:
        raise ValueError(f"war_regime must be one of {WAR_REGIMES}; got {war_regime!r}")
    B = _base()
    s = B.s
    h, d, cb, tau = (s[k] for k in ("atrocity_harm", "government_war_cost", "cost_uncertainty", "atrocity_penalty"))
    if war_regime == "atrocities":
        a, pi = B.a_interior, B.pi_interior
    else:
        a, pi = sp.Integer(0), B.pi_a.subs(_A, 0)
    E, p_b = _duration_expr(pi, n)
    A = a * E
    W = pi - d - B.T * a
    V = 1 - pi - h * A
    S = d + B.T * a + h * A
    half = (cb - S) / 2
    zero = sp.Integer(0)
    offers = {"peace": sp.Max(V, 0), "interior": V - half, "corner": zero, "no_rebellion": zero}
    wars = {"peace": zero, "interior": half / cb, "corner": V / cb, "no_rebellion": zero}
    out: dict[str, dict[str, sp.Expr]] = {}
    for reg in REGIMES:
        x, q = offers[reg], wars[reg]
        out[reg] = {
            "atrocity_intensity": a, "government_win_prob": pi, "battle_win_prob": p_b,
            "expected_war_duration": E, "atrocities_in_war": A, "government_war_value": W,
            "rebel_war_value": V, "war_surplus_loss": S, "offer": x, "cutpoint": q * cb, "p_war": q,
            "expected_atrocities": q * A, "expected_battles": q * E, "expected_penalty": q * tau * a,
            "p_government_victory": q * pi, "p_rebel_victory": q * (1 - pi),
            "government_utility": (1 - q) * (1 - x) + q * W,
            "rebel_utility": (1 - q) * x + q * V - cb * q**2 / 2,
            "balance_aid": B.balance_aid, "deterrent_penalty": B.deterrent_penalty,
        }
    out["_conditions"] = {"peace": sp.Ge(S, cb), "interior": sp.Ge(V, half), "corner": sp.Gt(V, 0),
                          "no_rebellion": sp.true}
    return out


def piecewise(of: str, n: int, war_regime: str) -> sp.Expr:
    """``of`` as a Piecewise over the bargaining regimes (checked in order)."""
    e = outcome_expressions(n, war_regime)
    conds = e["_conditions"]
    return sp.Piecewise(*((e[r][of], conds[r]) for r in REGIMES))


#: Derivatives larger than this get only sympy's direct assumption check.
_SIGN_OPS_LIMIT = 80


_M = sp.Symbol("m", positive=True)
_T = sp.Symbol("T", positive=True)


def _sign(expr: sp.Expr) -> str:
    """Sign over the parameter domains as far as sympy proves it; else "ambiguous".

    Signs are over the interior of the domains (every parameter positive). The sums
    m = r + σ and T = k + τ are written as positive symbols first (r = m − σ, k = T − τ),
    which only widens the domain, so a sign proved there holds on it.
    """
    if expr == 0:
        return "zero"
    B = _base()
    s = B.s
    e = expr.subs({s["rebel_strength"]: _M - s["aid_to_rebels"], s["atrocity_cost"]: _T - s["atrocity_penalty"]})
    e = e.xreplace({sym: sp.Symbol(sym.name, positive=True) for sym in e.free_symbols if not sym.is_positive})
    ops = sp.count_ops(e)
    if ops > _SIGN_OPS_LIMIT:
        return decide_sign(e, effort=0)
    return decide_sign(e, effort=2 if ops <= 30 else 1)


@dataclass(frozen=True)
class StaticsForm:
    """d(of)/d(wrt) in one (n, war regime, regime): the local derivative, its Piecewise, sign, compiled."""

    local: sp.Expr
    derivative: sp.Expr
    sign: str
    fn: Compiled


@functools.lru_cache(maxsize=4096)
def statics(of: str, wrt: str, n: int, war_regime: str, regime: str) -> StaticsForm:
    """The derivative of an outcome in a parameter on one branch (derived and compiled once).

    Examples
    --------
    >>> f = statics("atrocity_intensity", "atrocity_penalty", 2, "atrocities", "interior")
    >>> f.sign
    'negative'
    >>> round(float(f.fn(*(PenalizingAtrocitiesParams().to_dict()[k] for k in CONTINUOUS))), 6)   # −w/(2T²)
    -11.18034
    """
    if of not in OUTCOMES:
        raise KeyError(f"unknown outcome {of!r}")
    if wrt not in CONTINUOUS:
        raise KeyError(f"no derivative with respect to {wrt!r}; valid: {', '.join(CONTINUOUS)}")
    B = _base()
    x = B.s[wrt]
    e = outcome_expressions(n, war_regime)
    local = sp.diff(e[regime][of], x)
    derivative = sp.Piecewise(*((sp.diff(e[r][of], x), e["_conditions"][r]) for r in REGIMES))
    sign = _sign(local)
    fn = compile_expr(tuple(B.s[k] for k in CONTINUOUS), local)
    return StaticsForm(local=local, derivative=derivative, sign=sign, fn=fn)


# ---------------------------------------------------------------------- named sign conditions
PREDICATES: Mapping[str, str] = {
    "government_favourite": "Π* > ½: aid raises intensity and lengthens the war (P1, P2)",
    "intense_atrocities": "βa* > g + m: the only case where a penalty can lower the probability of war",
    "interior_penalty_backfire": "interior regime with C̄ − S* ≤ A*[(T + hΦ*) − 2T²a*/w]/Φ*: "
                                 "a marginal penalty raises expected atrocities",
    "corner_penalty_backfire": "corner regime with V* ≤ (T + hΦ*)A*/Φ*: a marginal penalty raises "
                               "expected atrocities",
}


def predicates(values: Mapping[str, Any]) -> dict[str, np.ndarray]:
    """The named sign conditions of the comparative statics, vectorised over parameter arrays.

    Each is False where intensity is zero (the conditions concern an atrocity campaign).

    Examples
    --------
    >>> p = predicates(PenalizingAtrocitiesParams(cost_uncertainty=0.8, atrocity_harm=0.04).to_dict())
    >>> bool(p["government_favourite"]), bool(p["corner_penalty_backfire"]), bool(p["intense_atrocities"])
    (True, True, False)
    """
    out = closed_form(values)
    v = {k: np.asarray(values[k], dtype=float) for k in ORDER}
    g, b, h, cb = v["government_strength"], v["atrocity_effectiveness"], v["atrocity_harm"], v["cost_uncertainty"]
    m = v["rebel_strength"] + v["aid_to_rebels"]
    T = v["atrocity_cost"] + v["atrocity_penalty"]
    a, A, phi = out["atrocity_intensity"], out["atrocities_in_war"], out["phi"]
    S, V = out["war_surplus_loss"], out["rebel_war_value"]
    active = a > 0
    w = 1.0 - out["government_win_prob"]
    with np.errstate(divide="ignore", invalid="ignore"):
        interior_thr = A * ((T + h * phi) - 2 * T**2 * a / np.where(active, w, 1.0)) / phi
        corner_thr = (T + h * phi) * A / phi
    reg = out["regime"]
    return {
        "government_favourite": out["government_win_prob"] > 0.5,
        "intense_atrocities": active & (b * a > g + m),
        "interior_penalty_backfire": active & (reg == REGIMES.index("interior")) & (cb - S <= interior_thr),
        "corner_penalty_backfire": active & (reg == REGIMES.index("corner")) & (corner_thr >= V),
    }


# ---------------------------------------------------------------------- the derivation for docs
@functools.cache
def derivation() -> Derivation:
    """The game's named sympy expressions (rendered in docs/explanation/penalizing_atrocities.md).

    Examples
    --------
    >>> d = derivation()
    >>> sp.factor_terms(d["war_stage_second_derivative"]).could_extract_minus_sign()
    True
    """
    B = _base()
    s = B.s
    cb, h = s["cost_uncertainty"], s["atrocity_harm"]
    V_, W_, c = sp.symbols("V^* W_G^* c", real=True)
    F = (V_ - _X) / cb
    U = (1 - F) * (1 - _X) + F * W_
    x_u = sp.solve(sp.diff(U, _X), _X)[0]
    E2, pb2 = _duration_expr(_PI, 2)
    E3, _ = _duration_expr(_PI, 3)
    A_sym, E_sym = sp.symbols("a^* E^*", nonnegative=True)
    expressions: dict[str, Any] = {
        "strength": B.strength,
        "win_prob": B.pi_a,
        "W_G": B.W_a,
        "war_stage_foc": B.foc,
        "war_stage_second_derivative": B.second,
        "a_star_solve": B.a_root,
        "a_star_interior": B.a_interior,
        "pi_star_interior": B.pi_interior,
        "w": B.w,
        "interior_condition": sp.Gt(s["atrocity_effectiveness"] * B.m, B.T * (s["government_strength"] + B.m) ** 2),
        "duration_n2": E2,
        "duration_n3": E3,
        "battle_prob_n2": pb2,
        "rebel_war_value": 1 - _PI - h * A_sym * E_sym,
        "offer_objective": U,
        "offer_interior": x_u,
        "balance_aid": B.balance_aid,
        "deterrent_penalty": B.deterrent_penalty,
        "d_a_star_d_aid": sp.diff(B.a_interior, s["aid_to_rebels"]),
        "d_a_star_d_penalty": sp.diff(B.a_interior, s["atrocity_penalty"]),
        "d_pi_star_d_aid": sp.diff(B.pi_interior, s["aid_to_rebels"]),
        "d_pi_star_d_penalty": sp.diff(B.pi_interior, s["atrocity_penalty"]),
    }
    descriptions = {
        "strength": "G(a) = g + βa, the government's strength",
        "win_prob": "Π(a), the government's probability of winning the war (contest function)",
        "W_G": "W_G(a), the government's war payoff (costs charged once per war)",
        "war_stage_foc": "W_G'(a)",
        "war_stage_second_derivative": "W_G''(a) < 0: the war stage is strictly concave",
        "a_star_interior": "a*, where intensity is interior",
        "a_star_solve": "a*, the root of the first-order condition as sympy solves it",
        "pi_star_interior": "Π* = 1 − w, where intensity is interior",
        "w": "w = √(mT/β), the rebels' win probability at interior intensity",
        "interior_condition": "intensity is interior exactly when βm > T(g + m)²",
        "duration_n2": "E(Π; 2), the expected number of battles for n = 2",
        "duration_n3": "E(Π; 3), eq. D for n = 3",
        "battle_prob_n2": "p_b for n = 2",
        "rebel_war_value": "V*, the rebels' war value excluding their cost c",
        "offer_objective": "U_G(x) where types are split",
        "offer_interior": "the unconstrained optimal offer x_u",
        "balance_aid": "σ_b, the aid at which Π* = ½",
        "deterrent_penalty": "τ̄, the penalty at and above which a* = 0",
        "d_a_star_d_aid": "∂a*/∂σ at interior intensity",
        "d_a_star_d_penalty": "∂a*/∂τ at interior intensity",
        "d_pi_star_d_aid": "∂Π*/∂σ at interior intensity",
        "d_pi_star_d_penalty": "∂Π*/∂τ at interior intensity",
    }
    names = {s[k]: PenalizingAtrocitiesParams.meta(k)["latex"] for k in ORDER}
    names.update({_A: "a", _X: "x", _PI: r"\Pi", V_: "V^*", W_: "W_G^*", c: "c", A_sym: "a^*", E_sym: "E^*"})
    return Derivation("penalizing_atrocities", expressions, descriptions, names)
