"""The intervention bargaining game, after Kydd & Straus (2013).

A government G, a minority M that may rebel, and a third party T committed to stopping
atrocities (a rule described by parameters, not a strategic player). Nature draws M's
private cost of war c ~ Uniform[0, C̄]; G offers M a share x of a unit prize; M accepts
(peace) or rejects (war); in war G chooses an atrocity level a ∈ [0, 1]; T intervenes with
probability π(a) = i·(ω + (1 − ω)·a) and imposes the settlement z, otherwise M wins with
probability p(a) = p0·(1 − θ·a).

These functional forms are atrogame's own reconstruction of the mechanisms of Kydd & Straus,
"The Road to Hell? Third-Party Intervention to Prevent Atrocities", *American Journal of
Political Science* 57(3): 673–684 (2013), doi:10.1111/ajps.12009. The numbers atrogame
computes are not the authors' published numbers.

Regimes (checked in this order), with V' = V* − w_M − s_M the minority's net war value and
S_e = S* + s_G + s_M + w_M the effective surplus war destroys: ``"peace"`` (S_e ≥ C̄),
``"interior"`` (V' ≥ (C̄ − S_e)/2), ``"corner"`` (a weak minority: G offers nothing and
types below V' rebel) and ``"no_rebellion"`` (V' ≤ 0).

Examples
--------
>>> import atrogame as ag
>>> eq = ag.KyddStraus().solve()
>>> eq.regime, round(eq["atrocities_in_war"], 6), round(eq["p_war"], 6)
('interior', 0.290323, 0.368193)
"""

from __future__ import annotations

import functools
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, fields
from typing import Any, ClassVar

import numpy as np
import sympy as sp

from atrogame.core.contract import outcome
from atrogame.core.errors import ParameterError
from atrogame.core.parameters import NONNEGATIVE, POSITIVE, UNIT_CLOSED, UNIT_OPEN, Parameters, param
from atrogame.core.results import Equilibrium, StaticsEntry
from atrogame.core.symbolic import Compiled, Derivation, compile_expr, decide_sign
from atrogame.core.validation import farthest_from_default
from atrogame.model import Model
from atrogame.models.kydd_straus.numeric import OUTCOME_NAMES

__all__ = ["A_BRANCHES", "OUTCOMES", "REGIMES", "KyddStraus", "KyddStrausParams", "derivation"]

#: Regime labels in the order the conditions are checked (docs/explanation/kydd_straus.md, "The four regimes");
#: sweeps store their index.
REGIMES: tuple[str, ...] = ("peace", "interior", "corner", "no_rebellion")
PEACE, INTERIOR, CORNER, NO_REBELLION = range(4)
#: Branches of the war-stage choice a*: at 0, interior (a* = N/D), at 1.
A_BRANCHES: tuple[str, ...] = ("zero", "interior", "one")

#: Outcomes, in order (the same names as the numeric solver's).
OUTCOMES: tuple[str, ...] = OUTCOME_NAMES
@dataclass(frozen=True, kw_only=True)
class KyddStrausParams(Parameters):
    """Parameters of the intervention bargaining game (after Kydd & Straus 2013).

    Field names, symbols, defaults and domains are those of docs/explanation/kydd_straus.md; every
    value is validated on construction.

    Examples
    --------
    >>> KyddStrausParams().replace(atrocity_penalty=0.05).atrocity_penalty
    0.05
    >>> KyddStrausParams(rebel_strength=1.2)
    Traceback (most recent call last):
    ...
    atrogame.core.errors.ParameterError: rebel_strength must be in (0, 1); got 1.2
    """

    model_name = "kydd_straus"

    rebel_strength: float = param(
        0.4, symbol="p0", latex="p_0", interval=UNIT_OPEN, sweep_range=(0.01, 0.99),
        long_name="rebel strength (minority win probability without atrocities or intervention)")
    atrocity_effectiveness: float = param(
        0.6, symbol="theta", latex=r"\theta", interval=UNIT_CLOSED, sweep_range=(0.0, 1.0),
        long_name="military effectiveness of atrocities")
    intervention_commitment: float = param(
        0.5, symbol="i", latex="i", interval=UNIT_CLOSED, sweep_range=(0.0, 1.0),
        long_name="intervention commitment")
    war_trigger_share: float = param(
        0.5, symbol="omega", latex=r"\omega", interval=UNIT_CLOSED, sweep_range=(0.0, 1.0),
        long_name="share of the intervention hazard triggered by war itself")
    imposed_settlement: float = param(
        0.4, symbol="z", latex="z", interval=UNIT_CLOSED, sweep_range=(0.0, 1.0),
        long_name="minority share in the imposed settlement")
    atrocity_penalty: float = param(
        0.0, symbol="k", latex="k", interval=NONNEGATIVE, sweep_range=(0.0, 0.3),
        long_name="marginal penalty on atrocities outside intervention")
    atrocity_cost_curvature: float = param(
        0.5, symbol="kappa", latex=r"\kappa", interval=NONNEGATIVE, sweep_range=(0.0, 2.0),
        long_name="curvature of the government's own atrocity cost")
    atrocity_harm: float = param(
        0.3, symbol="h", latex="h", interval=NONNEGATIVE, sweep_range=(0.0, 1.0),
        long_name="harm to the minority per unit of atrocities")
    government_war_cost: float = param(
        0.05, symbol="d", latex="d", interval=NONNEGATIVE, sweep_range=(0.0, 0.5),
        long_name="government's fixed cost of war")
    cost_uncertainty: float = param(
        0.6, symbol="Cbar", latex=r"\bar{C}", interval=POSITIVE, sweep_range=(0.05, 1.5),
        long_name="upper bound of the minority's private cost of war")
    stopping_power: float = param(
        0.0, symbol="sigma", latex=r"\sigma", interval=UNIT_CLOSED, sweep_range=(0.0, 1.0),
        long_name="share of an atrocity campaign halted by intervention")
    inducement_government: float = param(
        0.0, symbol="s_G", latex="s_G", interval=NONNEGATIVE, sweep_range=(0.0, 0.3),
        long_name="conditional benefit to the government if peace holds")
    inducement_minority: float = param(
        0.0, symbol="s_M", latex="s_M", interval=NONNEGATIVE, sweep_range=(0.0, 0.3),
        long_name="conditional benefit to the minority if peace holds")
    war_penalty_minority: float = param(
        0.0, symbol="w_M", latex="w_M", interval=NONNEGATIVE, sweep_range=(0.0, 0.3),
        long_name="extra cost of war to the minority")
    intervention_cost: float = param(
        0.0, symbol="c_T", latex="c_T", interval=NONNEGATIVE, sweep_range=(0.0, 5.0),
        long_name="third party's cost per intervention")

    def check_joint(self) -> None:
        v = self.to_dict()
        # below the limit for these bounds (a* ≤ 1) no outcome can overflow: the exact rule is skipped
        if (v["government_war_cost"] + v["atrocity_harm"] + v["atrocity_penalty"]
                + 0.5 * v["atrocity_cost_curvature"] <= _LIMIT
                and v["inducement_government"] + v["inducement_minority"] <= _LIMIT):
            return
        _outcomes_representable(v, type(self).defaults())

    @classmethod
    def check_joint_arrays(cls, values: Mapping[str, Any]) -> None:
        _outcomes_representable(values, cls.defaults())

    @classmethod
    def joint_holds_on_box(cls, box: Mapping[str, tuple[float, float]]) -> bool:
        """Whether no outcome can overflow on a box: S* ≤ d + h + k + κ/2 (a* ≤ 1) and s_G + s_M,
        from the largest values, at most 1e308 (a parameter missing from ``box`` keeps its default).

        Examples
        --------
        >>> KyddStrausParams.joint_holds_on_box({"atrocity_harm": (0.0, 1.0), "government_war_cost": (0.0, 5.0)})
        True
        >>> KyddStrausParams.joint_holds_on_box({"atrocity_harm": (0.0, 1e308), "government_war_cost": (0.0, 1e308)})
        False
        """
        defaults = cls.defaults()

        def top(k: str) -> float:  # the largest |value|; NaN for a NaN bound
            lo, hi = (float(b) for b in box.get(k, (defaults[k], defaults[k])))
            return math.nan if math.isnan(lo) or math.isnan(hi) else max(abs(lo), abs(hi))

        surplus = top("government_war_cost") + top("atrocity_harm") + top("atrocity_penalty")
        surplus += 0.5 * top("atrocity_cost_curvature")
        return bool(surplus <= _LIMIT and top("inducement_government") + top("inducement_minority") <= _LIMIT)


_ORDER: tuple[str, ...] = tuple(f.name for f in fields(KyddStrausParams))
#: Sums of inputs at most this far (well inside the float range, rounding included) cannot overflow.
_LIMIT = 1e308
#: The inputs of the two sums that can exceed the float range at valid points.
_SURPLUS_INPUTS = ("government_war_cost", "atrocity_harm")
_PEACE_INPUTS = ("inducement_government", "inducement_minority")
_FINITE = "values at which the outcomes are finite float64 numbers"


def _outcomes_representable(values: Mapping[str, Any], defaults: Mapping[str, float]) -> None:
    """Refuse points where an outcome itself lies beyond the largest float (about 1.8e308).

    Two sums can: the surplus lost in war S* = d + (h + k)a* + κa*²/2 (so W_G* with it; the
    rest of S* is at most 2 where a* > 0, so only d and h·a* matter) and, at peace, the third
    party's cost s_G + s_M. Every other outcome is finite at every valid point. The error names
    the input of the overflowing sum farthest from its default (in log terms), as
    Anderton–Brauer's overflow rule does, with the other as an alternative.

    Examples
    --------
    >>> _outcomes_representable(KyddStrausParams().to_dict(), KyddStrausParams.defaults())
    >>> d = {**KyddStrausParams().to_dict(), "inducement_minority": 1e308, "inducement_government": 1e308}
    >>> try:
    ...     _outcomes_representable(d, KyddStrausParams.defaults())
    ... except ParameterError as err:
    ...     print(err.name, "|", err.detail)
    inducement_government | at inducement_government=1e+308, inducement_minority=1e+308 the third party's cost \
at peace, s_G + s_M, exceeds the largest float
    """
    from atrogame.models.kydd_straus.fast import kernel

    v = {k: np.asarray(values[k], dtype=float) for k in _ORDER}
    shape = np.broadcast_shapes(*(x.shape for x in v.values()))
    with np.errstate(over="ignore", invalid="ignore"):
        out = kernel(v, ("war_surplus_loss", "atrocities_in_war"), accel=False)
        bad_s = np.broadcast_to(~np.isfinite(out["war_surplus_loss"]), shape)
        bad_t = np.broadcast_to(~np.isfinite(v["inducement_government"] + v["inducement_minority"]), shape)
    bad = bad_s | bad_t
    if not bad.any():
        return
    i = int(np.flatnonzero(bad.ravel())[0])
    point = {k: float(np.broadcast_to(x, shape).ravel()[i]) for k, x in v.items()}
    if bad_s.ravel()[i]:
        names = _SURPLUS_INPUTS
        a = float(np.broadcast_to(out["atrocities_in_war"], shape).ravel()[i])
        what = f"(a* = {a:g}) the surplus lost in war, d + (h + k)a* + κa*²/2,"
    else:
        names = _PEACE_INPUTS
        what = "the third party's cost at peace, s_G + s_M,"
    blame = farthest_from_default(point, defaults, names)
    n = f"; {int(bad.sum())} of {bad.size} points invalid" if bad.ndim else ""
    raise ParameterError(
        blame, _FINITE, point[blame],
        f"at {', '.join(f'{k}={point[k]:g}' for k in names)} {what} exceeds the largest float{n}",
        alternatives={k: (_FINITE, point[k]) for k in names if k != blame})


# ---------------------------------------------------------------------- symbolic derivation
@dataclass(frozen=True)
class _Sym:
    """The derivation's building blocks (one instance per process, see :func:`_derive`)."""

    s: Mapping[str, sp.Symbol]  # parameter symbols by field name
    a: sp.Symbol  # atrocity level in war
    x: sp.Symbol  # G's offer
    c: sp.Symbol  # M's private cost of war
    a_star: sp.Symbol  # a* as a symbol (for readable outcome formulas)
    N: sp.Expr
    D: sp.Expr
    a_opt: sp.Expr  # a* as a Piecewise in the parameters
    a_branch: Mapping[str, sp.Expr]  # a* in each branch
    pi: sp.Expr
    p: sp.Expr
    W: sp.Expr
    V: sp.Expr
    S: sp.Expr
    S_e: sp.Expr
    V_net: sp.Expr
    conditions: tuple[sp.Basic, ...]  # regime conditions in a (the last is True)
    outcomes: Mapping[str, Mapping[str, sp.Expr]]  # regime -> outcome -> expression in a and parameters


@functools.cache
def _derive() -> _Sym:
    """Backward induction in sympy for the default forms (derived once per process)."""
    s = KyddStrausParams.symbols()
    p0, th, i, om, z = (s[k] for k in ("rebel_strength", "atrocity_effectiveness", "intervention_commitment",
                                       "war_trigger_share", "imposed_settlement"))
    k, ka, h, d, cb = (s[k] for k in ("atrocity_penalty", "atrocity_cost_curvature", "atrocity_harm",
                                      "government_war_cost", "cost_uncertainty"))
    sig, sg, sm, wm, ct = (s[k] for k in ("stopping_power", "inducement_government", "inducement_minority",
                                          "war_penalty_minority", "intervention_cost"))
    a = sp.Symbol("a", real=True)
    x = sp.Symbol("x", real=True)
    c = sp.Symbol("c", nonnegative=True)
    a_star = sp.Symbol("a_star", nonnegative=True)

    pi = i * (om + (1 - om) * a)
    p = p0 * (1 - th * a)
    W = (1 - pi) * (1 - p) + pi * (1 - z) - d - k * a - ka * a**2 / 2
    V = (1 - pi) * p + pi * z - h * a
    S = d + (h + k) * a + ka * a**2 / 2
    pi0, pi1 = i * om, i * (1 - om)
    N = (1 - pi0) * p0 * th - k + pi1 * (p0 - z)
    D = ka + 2 * pi1 * p0 * th
    a_opt = sp.Piecewise((0, N <= 0), (1, N >= D), (N / D, True))
    S_e = S + sg + sm + wm
    V_net = V - wm - sm
    half = (cb - S_e) / 2
    conditions = (sp.Ge(S_e, cb), sp.Ge(V_net, half), sp.Gt(V_net, 0), sp.true)
    zero = sp.Integer(0)
    offers = {"peace": sp.Piecewise((V_net, V_net > 0), (0, True)), "interior": V_net - half,
              "corner": zero, "no_rebellion": zero}
    wars = {"peace": zero, "interior": half / cb, "corner": V_net / cb, "no_rebellion": zero}
    outcomes: dict[str, dict[str, sp.Expr]] = {}
    for reg in REGIMES:
        xr, q = offers[reg], wars[reg]
        outcomes[reg] = {
            "atrocities_in_war": a,
            "intervention_prob_in_war": pi,
            "minority_win_prob_in_war": p,
            "minority_war_value": V,
            "government_war_value": W,
            "war_surplus_loss": S,
            "offer": xr,
            "cutpoint": q * cb,
            "p_war": q,
            "expected_atrocities": q * a,
            "expected_realized_atrocities": q * a * (1 - sig * pi),
            "p_intervention": q * pi,
            "p_minority_victory": q * (1 - pi) * p,
            "government_utility": (1 - q) * (1 - xr + sg) + q * W,
            "minority_utility": (1 - q) * (xr + sm) + q * (V - wm) - cb * q**2 / 2,
            "third_party_cost": (1 - q) * (sg + sm) + q * pi * ct,
        }
    return _Sym(s=s, a=a, x=x, c=c, a_star=a_star, N=N, D=D, a_opt=a_opt,
                a_branch={"zero": zero, "interior": N / D, "one": sp.Integer(1)},
                pi=pi, p=p, W=W, V=V, S=S, S_e=S_e, V_net=V_net, conditions=conditions, outcomes=outcomes)


def _over_regimes(exprs: Mapping[str, sp.Expr], conditions: tuple[sp.Basic, ...]) -> sp.Expr:
    return sp.Piecewise(*((exprs[r], cond) for r, cond in zip(REGIMES, conditions, strict=True)))


@functools.cache
def outcome_expressions() -> dict[str, sp.Expr]:
    """Every outcome as one sympy expression in the parameters.

    A Piecewise over a*'s branches (0 where N ≤ 0, 1 where N ≥ D, else N/D) whose pieces are
    Piecewise expressions over the four regimes (docs/explanation/kydd_straus.md, "The four regimes").

    Examples
    --------
    >>> e = outcome_expressions()
    >>> sorted(e) == sorted(OUTCOMES)
    True
    >>> e["atrocities_in_war"].is_Piecewise
    True
    """
    g = _derive()
    out = {}
    for name in OUTCOMES:
        by_regime = _over_regimes({r: g.outcomes[r][name] for r in REGIMES}, g.conditions)
        # a* enters as the outer Piecewise (conditions in the parameters only), regimes inside
        out[name] = sp.Piecewise(*((by_regime.subs(g.a, value), cond) for value, cond in
                                   ((sp.Integer(0), g.N <= 0), (sp.Integer(1), g.N >= g.D),
                                    (g.N / g.D, sp.true))))
    return out


@functools.cache
def compiled_outcomes() -> dict[str, Compiled]:
    """:func:`outcome_expressions` compiled to numpy functions of the parameters (in field order).

    Examples
    --------
    >>> f = compiled_outcomes()["p_war"]
    >>> round(float(f.from_mapping(KyddStrausParams().to_dict())), 6)
    0.368193
    """
    g = _derive()
    args = tuple(g.s[n] for n in _ORDER)
    return {name: compile_expr(args, e) for name, e in outcome_expressions().items()}


@functools.cache
def derivation() -> Derivation:
    """The game's named sympy expressions: payoffs, war stage, offer problem, regimes, outcomes.

    Names: ``intervention_hazard``, ``win_prob``, ``atrocity_cost``, ``harm``,
    ``peace_payoff_government``, ``peace_payoff_minority``, ``war_nodes`` (rows: probability,
    u_G, u_M at "T imposes z", "M wins", "G wins"), ``W_G`` W_G(a), ``V`` V(a), ``S`` S(a)
    (the surplus war destroys), ``war_stage_derivative`` W_G'(a),
    ``N``, ``D``, ``war_stage_foc`` (W_G'(a) = N − D·a), ``a_star`` (Piecewise 0 / N/D / 1),
    ``minority_net_war_value`` V', ``effective_surplus`` S_e, ``rejection_probability``
    F(V' − x), ``offer_objective`` U_G(x), ``offer_foc``, ``offer_interior`` x_u, ``regime``
    (Piecewise of the labels over the regime conditions, checked in order), the regime conditions
    ``condition_<regime>``, ``p_war`` etc.: every outcome as a Piecewise over the regimes in
    terms of a* (written :math:`a^*`), and ``d_a_star_d_<parameter>`` (interior a*).

    Examples
    --------
    >>> d = derivation()
    >>> d.latex("D")
    '\\\\kappa + 2 \\\\theta i p_0 \\\\left(1 - \\\\omega\\\\right)'
    >>> d["d_a_star_d_atrocity_penalty"]
    -1/D
    """
    g = _derive()
    s, a, x, c, A = g.s, g.a, g.x, g.c, g.a_star
    z, k, ka, h, d, cb = (s[n] for n in ("imposed_settlement", "atrocity_penalty", "atrocity_cost_curvature",
                                         "atrocity_harm", "government_war_cost", "cost_uncertainty"))
    sg, sm, wm = s["inducement_government"], s["inducement_minority"], s["war_penalty_minority"]
    cost, harm = k * a + ka * a**2 / 2, h * a
    nodes = sp.Matrix([
        [g.pi, 1 - z - d - cost, z - c - wm - harm],
        [(1 - g.pi) * g.p, 0 - d - cost, 1 - c - wm - harm],
        [(1 - g.pi) * (1 - g.p), 1 - d - cost, 0 - c - wm - harm],
    ])
    F = (g.V_net - x) / cb
    U = (1 - F) * (1 - x + sg) + F * g.W
    x_u = sp.solve(sp.diff(U, x), x)[0]
    Wd = sp.Function("W_G")
    Dsym, Nsym = sp.Symbol("D", positive=True), sp.Symbol("N", real=True)
    labels = {r: sp.Symbol(r) for r in REGIMES}
    expressions: dict[str, Any] = {
        "intervention_hazard": g.pi,
        "win_prob": g.p,
        "atrocity_cost": cost,
        "harm": harm,
        "peace_payoff_government": 1 - x + sg,
        "peace_payoff_minority": x + sm,
        "war_nodes": nodes,
        "W_G": g.W,
        "V": g.V,
        "S": g.S,
        "war_stage_derivative": sp.diff(g.W, a),
        "N": g.N,
        "D": g.D,
        "war_stage_foc": sp.Eq(sp.Derivative(Wd(a), a), Nsym - Dsym * a),
        "a_star": g.a_opt,
        "minority_net_war_value": g.V_net,
        "effective_surplus": g.S_e,
        "rejection_probability": F,
        "offer_objective": U,
        "offer_foc": sp.Eq(sp.diff(U, x), 0),
        "offer_interior": x_u,
        "regime": sp.Piecewise(*((labels[r], cond.subs(a, A)) for r, cond in zip(REGIMES, g.conditions,
                                                                                  strict=True))),
    }
    for r, cond in zip(REGIMES, g.conditions, strict=True):
        expressions[f"condition_{r}"] = cond.subs(a, A)
    for name in OUTCOMES:
        expressions[name] = _over_regimes({r: g.outcomes[r][name].subs(a, A) for r in REGIMES},
                                          tuple(cnd.subs(a, A) for cnd in g.conditions))
    for n in _ORDER:
        dn = sp.diff(g.N, s[n]) - A * sp.diff(g.D, s[n])
        expressions[f"d_a_star_d_{n}"] = sp.factor(dn) / Dsym if dn != 0 else sp.Integer(0)
    descriptions = {
        "intervention_hazard": "π(a): probability that T intervenes in a war with atrocity level a",
        "win_prob": "p(a): M's probability of winning a war without intervention",
        "atrocity_cost": "G's cost of atrocities outside intervention",
        "harm": "harm of atrocities to M",
        "peace_payoff_government": "G's payoff when M accepts x",
        "peace_payoff_minority": "M's payoff when it accepts x",
        "war_nodes": "war nodes: probability, G's payoff, M's payoff (T imposes z; M wins; G wins)",
        "W_G": "W_G(a), G's expected war payoff",
        "V": "V(a), M's expected war payoff before its cost c and w_M",
        "S": "S(a) = 1 − V(a) − W_G(a), the surplus war destroys (excluding c)",
        "war_stage_derivative": "W_G'(a)",
        "N": "N = W_G'(0)",
        "D": "D = −W_G''(a) ≥ 0",
        "war_stage_foc": "the war-stage derivative is linear in a",
        "a_star": "G's atrocity level in war",
        "minority_net_war_value": "V' = V* − w_M − s_M",
        "effective_surplus": "S_e = S* + s_G + s_M + w_M",
        "rejection_probability": "P(M rejects x) for 0 ≤ V' − x ≤ C̄",
        "offer_objective": "U_G(x), G's expected payoff of offer x",
        "offer_foc": "G's first-order condition for the offer",
        "offer_interior": "x_u, the interior optimal offer",
        "regime": "the regime, checked in order (the first condition that holds)",
    }
    for r in REGIMES:
        descriptions[f"condition_{r}"] = f"condition of the {r} regime (after the earlier ones fail)"
    long_names = {o.name: o.long_name for o in KyddStraus.outcomes}
    for name in OUTCOMES:
        descriptions[name] = f"{long_names[name]}, by regime"
    for n in _ORDER:
        descriptions[f"d_a_star_d_{n}"] = f"∂a*/∂{n} where 0 < N/D < 1"
    names = {s[n]: KyddStrausParams.meta(n)["latex"] for n in _ORDER}
    names.update({a: "a", x: "x", c: "c", A: "a^{*}", Dsym: "D", Nsym: "N"})
    names.update({sym: rf"\text{{{r.replace('_', ' ')}}}" for r, sym in labels.items()})
    return Derivation("kydd_straus", expressions, descriptions, names)


# ---------------------------------------------------------------------- comparative statics
@dataclass(frozen=True)
class _StaticsForm:
    derivative: sp.Expr  # Piecewise over regimes, in the parameters (this a*-branch)
    local: sp.Expr  # this regime, in the parameters and a_star
    fn: Compiled  # local compiled over (*parameters, a_star)
    sign: str


#: Derivatives larger than this (sympy operation count) get only sympy's direct assumption check:
#: expanding them can take minutes. Their sign is then usually reported as "ambiguous".
_SIGN_OPS_LIMIT = 60


def _sign_domain(expr: sp.Expr, a_branch: str) -> str:
    """Sign over the interior of the parameter domains (and 0 < a* < 1 in the interior branch).

    Parameters on [0, 1] are written t/(1 + t) and the others t, with t > 0, so sympy's
    assumptions see the whole open domain; in the interior a*-branch a* is written the same
    way. Only what sympy proves is reported; anything else is "ambiguous".
    """
    g = _derive()
    subs: dict[sp.Symbol, sp.Expr] = {}
    for n in _ORDER:
        sym = g.s[n]
        if sym not in expr.free_symbols:
            continue
        t = sp.Symbol(f"t_{n}", positive=True)
        interval = KyddStrausParams.meta(n)["interval"]
        subs[sym] = t / (1 + t) if interval.hi == 1 else t
    if a_branch == "interior" and g.a_star in expr.free_symbols:
        t = sp.Symbol("t_a_star", positive=True)
        subs[g.a_star] = t / (1 + t)
    e = expr.xreplace(subs)
    sign = decide_sign(e, effort=0)
    if sign not in ("ambiguous", "nonnegative", "nonpositive") or sp.count_ops(expr) > _SIGN_OPS_LIMIT:
        return sign  # strict or zero; or too large to expand (a weak sign then stands)
    # a rational function of positive variables: definite if numerator and denominator
    # (expanded) each have coefficients of one sign
    num, den = sp.fraction(sp.together(e))
    sn, sd = _coefficient_sign(num), _coefficient_sign(den)
    if sn == 0:
        return "zero"
    if sn is None or sd is None or sd == 0:
        return sign  # "ambiguous", or the weak sign sympy proved
    return "positive" if sn * sd > 0 else "negative"


def _coefficient_sign(p: sp.Expr) -> int | None:
    """+1/−1 if the polynomial ``p`` in positive variables has only positive/negative coefficients."""
    if p.is_zero:
        return 0
    if p.is_number:
        return 1 if p > 0 else -1
    try:
        coeffs = sp.Poly(p, *sorted(p.free_symbols, key=lambda t: t.name)).coeffs()
    except (sp.PolynomialError, sp.polys.polyerrors.GeneratorsNeeded):
        return None
    if all(c > 0 for c in coeffs):
        return 1
    if all(c < 0 for c in coeffs):
        return -1
    return None


@functools.lru_cache(maxsize=4096)
def _statics_form(of: str, wrt: str, a_branch: str, regime: str) -> _StaticsForm:
    """d(outcome)/d(parameter) in one (a*-branch, regime): total derivative through a*."""
    g = _derive()
    x = g.s[wrt]
    A = g.a_star
    if a_branch == "interior":
        da = (sp.diff(g.N, x) - A * sp.diff(g.D, x)) / g.D
        a_value: sp.Expr = A
    else:
        da = sp.Integer(0)
        a_value = g.a_branch[a_branch]
    per_regime = {}
    for r in REGIMES:
        f = g.outcomes[r][of]
        per_regime[r] = (sp.diff(f, x) + sp.diff(f, g.a) * da).subs(g.a, a_value)
    local = per_regime[regime]
    a_expr = g.a_branch[a_branch]
    derivative = sp.Piecewise(*((per_regime[r].subs(A, a_expr), cond.subs(g.a, a_expr))
                                for r, cond in zip(REGIMES, g.conditions, strict=True)))
    fn = compile_expr((*(g.s[n] for n in _ORDER), A), local)
    return _StaticsForm(derivative=derivative, local=local, fn=fn, sign=_sign_domain(local, a_branch))


def _a_branch(a: float) -> str:
    return "zero" if a <= 0.0 else ("one" if a >= 1.0 else "interior")


# ---------------------------------------------------------------------- forms
def _coerce_forms(forms: Any) -> Any:
    if forms is None:
        return None
    from atrogame.models.kydd_straus.numeric import Forms

    if isinstance(forms, Forms):
        return forms
    if isinstance(forms, Mapping):
        return Forms.from_mapping(forms)
    raise TypeError(f"forms must be a Forms instance or a mapping of form names to expressions; "
                    f"got {type(forms).__name__}")


def _forms_label(forms: Any) -> str:
    if forms is None:
        return "default"
    parts = [f"{n}={getattr(forms, n)}" for n in ("intervention_hazard", "win_prob", "atrocity_cost", "harm")
             if getattr(forms, n) is not None]
    dist = forms.type_distribution
    if dist is not None:
        dname = getattr(getattr(dist, "dist", None), "name", type(dist).__name__)
        parts.append(f"type_distribution={dname}{tuple(getattr(dist, 'args', ()))}{dict(getattr(dist, 'kwds', {}))}")
    return "; ".join(parts) if parts else "default"


def __getattr__(name: str) -> Any:
    # ``Forms`` and ``solve_numeric`` live in the numeric module, imported only when asked for.
    if name in ("Forms", "solve_numeric"):
        from atrogame.models.kydd_straus import numeric as _ks_numeric

        return getattr(_ks_numeric, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


# ---------------------------------------------------------------------- the model
class KyddStraus(Model[KyddStrausParams]):
    """The intervention bargaining game, after Kydd & Straus (2013).

    G offers the minority M a share x; M, with a private cost of war c ~ U[0, C̄], accepts
    or fights; in war G chooses atrocities a ∈ [0, 1], T intervenes with probability
    π(a) = i(ω + (1 − ω)a) and imposes z, else M wins with probability p0(1 − θa). Solved in
    closed form by backward induction; see :mod:`atrogame.models.kydd_straus` for the
    regimes and :meth:`derivation` for every formula.

    Parameters
    ----------
    params:
        A :class:`KyddStrausParams` (or give the fields as keywords).
    forms:
        Optional replaceable functional forms: a ``Forms``
        (``from atrogame.models.kydd_straus import Forms``) or a mapping with keys
        ``intervention_hazard``, ``win_prob``, ``atrocity_cost``, ``harm`` (sympy expressions
        or strings in ``a`` and the parameter names) and ``type_distribution`` (a frozen
        scipy.stats distribution, truncated to [0, C̄]). Non-default forms are solved
        numerically (``method="numeric"``), point by point in sweeps; symbolic comparative
        statics then are not available (use :meth:`finite_difference`).
    **overrides:
        Parameter values.

    Examples
    --------
    >>> m = KyddStraus()
    >>> eq = m.solve()
    >>> eq.regime, round(eq.atrocities_in_war, 6), round(eq.p_war, 6)
    ('interior', 0.290323, 0.368193)
    >>> KyddStraus(intervention_commitment=0.0).solve().regime
    'corner'
    >>> round(m.comparative_statics(wrt="atrocity_penalty", of="atrocities_in_war").value, 6)   # −1/D
    -1.612903
    >>> eq = KyddStraus(forms={"harm": "atrocity_harm*a**2"}).solve()
    >>> eq.method, eq.regime
    ('numeric', 'interior')
    """

    name = "kydd_straus"
    citation = "after Kydd & Straus (2013)"
    reference = ("Kydd, A. H., & Straus, S. (2013). The road to hell? Third-party intervention to prevent "
                 "atrocities. American Journal of Political Science 57(3), 673-684. doi:10.1111/ajps.12009")
    Params = KyddStrausParams
    outcomes = (
        outcome("atrocities_in_war", long_name="atrocities in war", symbol="a^*"),
        outcome("intervention_prob_in_war", long_name="probability of intervention in war", symbol=r"\pi^*",
                role="probability"),
        outcome("minority_win_prob_in_war", long_name="minority's win probability without intervention",
                symbol="p^*", role="probability"),
        outcome("minority_war_value", long_name="minority's war value", symbol="V^*", role="utility"),
        outcome("government_war_value", long_name="government's war value", symbol="W_G^*", role="utility"),
        outcome("war_surplus_loss", long_name="surplus lost in war", symbol="S^*"),
        outcome("offer", long_name="government's offer", symbol="x^*"),
        outcome("cutpoint", long_name="highest cost type that rebels", symbol=r"q\bar{C}"),
        outcome("p_war", long_name="probability of war", symbol=r"P(\mathrm{war})", role="probability",
                headline=True),
        outcome("expected_atrocities", long_name="expected atrocities", symbol="q a^*", role="harm", headline=True),
        outcome("expected_realized_atrocities", long_name="expected realised atrocities",
                symbol=r"q a^* (1 - \sigma \pi^*)", headline=True),
        outcome("p_intervention", long_name="probability of intervention", symbol=r"q \pi^*", role="probability"),
        outcome("p_minority_victory", long_name="probability of a minority victory", symbol=r"q (1 - \pi^*) p^*",
                role="probability"),
        outcome("government_utility", long_name="government's expected utility", symbol="U_G", role="utility"),
        outcome("minority_utility", long_name="minority's ex-ante expected utility", symbol="U_M", role="utility"),
        outcome("third_party_cost", long_name="third party's expected cost", symbol="C_T", role="intervention_cost",
                headline=True),
    )
    regimes = REGIMES
    provenance = "reconstruction"
    #: Plausible situations for tool backfire analysis and the brief (uniform ranges; wide,
    #: not estimates). Parameters not listed keep their values there.
    priors: ClassVar[Mapping[str, tuple[float, float]]] = {
        "rebel_strength": (0.1, 0.7),
        "atrocity_effectiveness": (0.2, 1.0),
        "intervention_commitment": (0.0, 1.0),
        "war_trigger_share": (0.0, 1.0),
        "imposed_settlement": (0.1, 0.9),
        "atrocity_penalty": (0.0, 0.1),
        "atrocity_cost_curvature": (0.2, 1.0),
        "atrocity_harm": (0.1, 0.5),
        "government_war_cost": (0.0, 0.2),
        "cost_uncertainty": (0.3, 1.0),
    }
    default_statics_outcomes = ("atrocities_in_war", "p_war", "expected_atrocities")

    def __init__(self, params: KyddStrausParams | None = None, /, *, forms: Any = None,
                 **overrides: float) -> None:
        super().__init__(params, **overrides)
        self.forms = _coerce_forms(forms)
        self._default_forms = self.forms is None or bool(self.forms.is_default())
        if not self._default_forms:
            self.vectorised = False  # instance attribute: sweeps solve point by point

    @property
    def default_forms(self) -> bool:
        """Whether the model uses the default forms (so the closed form applies).

        Examples
        --------
        >>> KyddStraus().default_forms, KyddStraus(forms={"harm": "atrocity_harm*a**2"}).default_forms
        (True, False)
        """
        return self._default_forms

    # ------------------------------------------------------------------ kernel
    def kernel(self, v: Mapping[str, Any]) -> dict[str, np.ndarray]:
        """The closed form (docs/explanation/kydd_straus.md), vectorised over broadcasting arrays.

        Evaluated by :func:`atrogame.models.kydd_straus.fast.kernel`: few passes, in-place
        where possible, blocked so temporaries stay in cache, and compiled (numba) for large
        flat inputs when ``atrogame[fast]`` is installed. It uses x* = max(0, V' − max(0, h))
        and q·C̄ = min(max(V', 0), max(h, 0)) with h = (C̄ − S_e)/2, which reproduce the four
        regimes in one expression.
        """
        from atrogame.models.kydd_straus.fast import kernel

        return kernel(v)

    def fused_kernel(self, values: Mapping[str, np.ndarray], wanted: Sequence[str]
                     ) -> tuple[Mapping[str, Any], Mapping[str, tuple[float, float]]] | None:
        # Large flat designs with the compiled path: the range check rides along the kernel's pass.
        if not self.vectorised:
            return None
        from atrogame.models.kydd_straus.fast import kernel_checked

        return kernel_checked(values, wanted)

    def compute(self, arrays: Mapping[str, np.ndarray], shape: tuple[int, ...], wanted: Any,
                 progress: bool = False) -> tuple[dict[str, np.ndarray], list[Any]]:
        # Only the outcomes asked for are computed; the kernel returns fresh arrays of the full
        # shape, handed over without a copy. The arrays were validated by the caller (engine).
        if not self.vectorised:
            return super().compute(arrays, shape, wanted, progress=progress)
        from atrogame.models.kydd_straus.fast import kernel

        out = kernel(self._full_values(arrays), wanted)  # only the outcomes asked for
        res = {}
        for w in wanted:
            arr = np.asarray(out[w])
            res[w] = arr if arr.shape == tuple(shape) else np.broadcast_to(arr, shape)
        return res, []

    # ------------------------------------------------------------------ solve
    def solve(self, method: str = "auto") -> Equilibrium:
        """Solve: the closed form for the default forms, the numeric solver otherwise.

        Parameters
        ----------
        method:
            ``"auto"`` (closed form for the default forms, else numeric), ``"closed_form"``
            (default forms only) or ``"numeric"`` (global search over a and x, also for the
            default forms, e.g. to cross-check the closed form).

        Examples
        --------
        >>> eq = KyddStraus().solve(method="numeric")
        >>> eq.method, round(eq.atrocities_in_war, 6), round(eq.offer, 6)
        ('numeric', 0.290323, 0.044787)
        """
        if method not in ("auto", "closed_form", "numeric"):
            raise ValueError(f"method must be 'auto', 'closed_form' or 'numeric' for kydd_straus; got {method!r}")
        if method == "closed_form" and not self._default_forms:
            raise NotImplementedError("kydd_straus has a closed form only for the default forms; "
                                      "use method='numeric' (or 'auto') with replaced forms")
        if method == "numeric" or not self._default_forms:
            return self.solve_numeric()
        return super().solve(method="auto")

    def solve_numeric(self) -> Equilibrium:
        from atrogame.models.kydd_straus.numeric import Forms, solve_numeric

        out = solve_numeric(self.params, self.forms if self.forms is not None else Forms())
        return Equilibrium(
            model=self.name,
            parameters=self._result_parameters(),
            outcomes={k: float(out[k]) for k in self.outcome_names},
            regime=str(out["regime"]),
            method="numeric",
            unique=not bool(out["ties"]),
            info={"foc_residual": float(out["foc_residual"]), "forms": _forms_label(self.forms)},
        )

    def extra_attrs(self) -> dict[str, str]:
        return {"forms": _forms_label(self.forms)}

    # ------------------------------------------------------------------ statics
    def branch(self, eq: Equilibrium) -> Any:
        """(a*-branch, regime): what must stay fixed for the outcomes to be smooth."""
        return (_a_branch(eq["atrocities_in_war"]), eq.regime)

    def _require_closed_form(self) -> None:
        if not self._default_forms:
            raise NotImplementedError("symbolic comparative statics of kydd_straus need the default forms; "
                                      "use finite_difference with replaced forms")

    def symbolic(self, of: str, eq: Equilibrium) -> tuple[sp.Expr, sp.Expr | None]:
        self._require_closed_form()
        g = _derive()
        a_branch, regime = self.branch(eq)
        a_expr = g.a_branch[a_branch]
        local = g.outcomes[regime][of].subs(g.a, a_expr)
        full = _over_regimes({r: g.outcomes[r][of] for r in REGIMES}, g.conditions).subs(g.a, a_expr)
        return local, full

    def _statics_entry(self, of: str, wrt: str, eq: Equilibrium) -> StaticsEntry:
        self._require_closed_form()
        a_branch, regime = self.branch(eq)
        form = _statics_form(of, wrt, a_branch, regime)
        vals = self.parameter_values()
        value = float(form.fn(*(vals[n] for n in _ORDER), eq["atrocities_in_war"]))
        y = eq[of]
        x = vals[wrt]
        elasticity = None if (y == 0 or not math.isfinite(value)) else value * x / y
        return StaticsEntry(outcome=of, wrt=wrt, derivative=form.derivative, sign=form.sign, value=value,
                            elasticity=elasticity, regime=regime, boundary=self.at_boundary(wrt))

    derivation = staticmethod(derivation)
