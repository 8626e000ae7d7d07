"""The sympy derivation of the strategic mass-killing game (derived once per process).

After Esteban, Morelli & Rohner (2015); the forms are atrogame's own reconstruction (see
docs/explanation/strategic_mass_killing.md). From the primitive aggregate payoffs this module
derives the value and loss per victim, the base stake, the killing-stage optimum and its
thresholds, the contest equilibrium and the onset rule; every outcome is then a sympy
expression on a *branch* (incumbent's killing regime, opposition's killing regime, onset
regime), and its derivatives give signed comparative statics.

Examples
--------
>>> d = derivation()
>>> sorted(str(x) for x in d["value_per_victim"].free_symbols)[:3]
['future_weight', 'headcount_claims', 'killing_labour']
>>> branch_outcome("killing_share_incumbent", ("capped", "deterred", "contested"))
killing_cap/(1 - incumbent_share)
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import sympy as sp

from atrogame.core.symbolic import Compiled, Derivation, compile_expr, decide_sign
from atrogame.models.strategic_mass_killing.kernel import KILLING_REGIMES, ONSET_REGIMES, OUTCOMES
from atrogame.models.strategic_mass_killing.params import ORDER, StrategicMassKillingParams

__all__ = ["Branch", "branch_outcome", "compiled_outcome", "compiled_statics", "derivation", "sign_on_domain",
           "statics"]

Branch = tuple[str, str, str]

#: Short sympy names for readable formulas (the parameter symbols keep their field names in code).
_SHORT = {"incumbent_share": "n_I", "resource_rents": "R", "productivity": "w", "proportional_sharing": "alpha",
          "power_sharing": "s", "headcount_claims": "chi", "killing_labour": "mu", "killing_cost_curvature": "c",
          "killing_fixed_cost": "phi", "sanction_per_victim": "tau", "killing_cap": "vbar",
          "state_weakness": "theta", "future_weight": "delta", "death_loss": "D", "mobilisation_cost_max": "epsbar"}


@dataclass(frozen=True)
class _Sym:
    p: Mapping[str, sp.Symbol]  # parameter symbols by field name
    v: sp.Symbol  # a toll
    n_g: sp.Symbol  # size of the group in power
    U_g: sp.Expr  # group in power's payoff for v > 0 (fixed cost charged)
    U_h: sp.Expr
    prize: sp.Expr
    m: sp.Expr
    loss: sp.Expr
    base: sp.Expr
    gamma: sp.Expr  # Γ(v) with n_g
    v_u: sp.Expr


def _symbols() -> dict[str, sp.Symbol]:
    # the symbols the model base class differentiates with respect to (named by field, with domain assumptions)
    return StrategicMassKillingParams.symbols()


@functools.cache
def _derive() -> _Sym:
    p = _symbols()
    R, w, a, s, chi = (p[k] for k in ("resource_rents", "productivity", "proportional_sharing", "power_sharing",
                                       "headcount_claims"))
    mu, c, phi, tau = (p[k] for k in ("killing_labour", "killing_cost_curvature", "killing_fixed_cost",
                                       "sanction_per_victim"))
    th, de, D = p["state_weakness"], p["future_weight"], p["death_loss"]
    v = sp.Symbol("v", nonnegative=True)
    n_g = sp.Symbol("n_g", positive=True)
    n_h = 1 - n_g
    rho = th * (n_h - v)
    U_g = (n_g * w + R - s * (1 - a) * R - chi * a * R * (n_h - v)
           + de * ((1 - rho) * (1 - s) * (1 - a) * R + rho * s * (1 - a) * R)
           - (w * mu + tau) * v - c * v**2 / (2 * n_g) - phi)
    U_h = (n_h - v) * w - D * v + s * (1 - a) * R + chi * a * R * (n_h - v) + de * (
        rho * (1 - s) * (1 - a) * R + (1 - rho) * s * (1 - a) * R)
    prize = (1 - 2 * s) * (1 - a) * R
    # value and loss per victim, read off the primitives (linear coefficients in v)
    m_raw = sp.expand(sp.diff(U_g, v).subs(v, 0))
    loss_raw = sp.expand(-sp.diff(U_h, v))
    m = chi * a * R + th * de * prize - w * mu - tau
    loss = w + D + chi * a * R + th * de * prize
    assert sp.expand(m_raw - m) == 0 and sp.expand(loss_raw - loss) == 0
    # base stake: I in power minus I out of power, without killing
    n_i = p["incumbent_share"]
    u_in = (U_g + phi).subs({v: 0, n_g: n_i})
    u_out = U_h.subs({v: 0, n_g: 1 - n_i})
    base = prize * (1 + de * (1 - th)) + (1 - chi) * a * R
    assert sp.expand(u_in - u_out - base) == 0
    gamma = m * v - c * v**2 / (2 * n_g)
    v_u = sp.solve(sp.diff(gamma, v), v)[0]
    return _Sym(p=p, v=v, n_g=n_g, U_g=U_g, U_h=U_h, prize=prize, m=m, loss=loss, base=base, gamma=gamma, v_u=v_u)


def _toll(regime: str, n_g: sp.Expr) -> sp.Expr:
    g = _derive()
    if regime in ("no_motive", "deterred", "cap_deterred"):
        return sp.Integer(0)
    if regime == "interior":
        return g.v_u.subs(g.n_g, n_g)
    if regime == "capped":
        return g.p["killing_cap"]
    return 1 - n_g  # extermination


def _gain(regime: str, n_g: sp.Expr) -> sp.Expr:
    g = _derive()
    toll = _toll(regime, n_g)
    if toll == 0:
        return sp.Integer(0)
    return g.gamma.subs(g.n_g, n_g).subs(g.v, toll) - g.p["killing_fixed_cost"]


@functools.lru_cache(maxsize=256)
def _branch_outcomes(branch: Branch) -> dict[str, sp.Expr]:
    r_i, r_o, onset = branch
    if r_i not in KILLING_REGIMES or r_o not in KILLING_REGIMES or onset not in ONSET_REGIMES:
        raise ValueError(f"unknown branch {branch!r}; regimes are {KILLING_REGIMES}, onset {ONSET_REGIMES}")
    g = _derive()
    p = g.p
    n_i = p["incumbent_share"]
    n_o = 1 - n_i
    w, eps = p["productivity"], p["mobilisation_cost_max"]
    mu, c, phi, tau, D = (p[k] for k in ("killing_labour", "killing_cost_curvature", "killing_fixed_cost",
                                          "sanction_per_victim", "death_loss"))
    v_i, v_o = _toll(r_i, n_i), _toll(r_o, n_o)
    g_i, g_o = _gain(r_i, n_i), _gain(r_o, n_o)
    V_I = g.base + g_i + g.loss * v_o
    V_O = g.base + g_o + g.loss * v_i
    S = V_I + V_O
    P_I = V_I / S
    E_I = V_I**2 * V_O / (w * S**2)
    E_O = V_I * V_O**2 / (w * S**2)
    G = V_O**3 / S**2 - g.loss * v_i
    q = {"no_challenge": sp.Integer(0), "contested": G / eps, "certain_challenge": sp.Integer(1)}[onset]
    k_i, k_o = (sp.Integer(1 if v_i != 0 else 0), sp.Integer(1 if v_o != 0 else 0))
    own_i = v_i * (w * (1 + mu) + D + tau) + c * v_i**2 / (2 * n_i) + phi * k_i
    own_o = v_o * (w * (1 + mu) + D + tau) + c * v_o**2 / (2 * n_o) + phi * k_o
    pmk = P_I * k_i + (1 - P_I) * k_o
    deaths = P_I * v_i + (1 - P_I) * v_o
    # thresholds of the incumbent's killing stage
    v_max = sp.Min(p["killing_cap"], n_o)
    disc = g.m**2 - 2 * c * phi / n_i
    if r_i in ("cap_deterred", "interior", "capped", "extermination"):
        vhat: sp.Expr = 2 * phi / (g.m + sp.sqrt(disc))
    else:
        vhat = sp.Integer(1)
    m1 = sp.sqrt(2 * c * phi / n_i)
    mhat = sp.Piecewise((m1, m1 * n_i / c <= v_max), (phi / v_max + c * v_max / (2 * n_i), True))
    out = {
        "killing_share_incumbent": v_i / n_o,
        "killing_share_opposition": v_o / n_i,
        "victims_if_incumbent_wins": v_i,
        "victims_if_opposition_wins": v_o,
        "value_per_victim": g.m,
        "killing_gain_incumbent": g_i,
        "killing_gain_opposition": g_o,
        "prize_of_power": g.prize,
        "stake_incumbent": V_I,
        "stake_opposition": V_O,
        "effort_incumbent": E_I,
        "effort_opposition": E_O,
        "conflict_intensity": E_I + E_O,
        "win_prob_incumbent": P_I,
        "challenge_gain": G,
        "p_conflict": q,
        "p_mass_killing_given_conflict": pmk,
        "p_mass_killing": q * pmk,
        "deaths_given_conflict": deaths,
        "expected_deaths": q * deaths,
        "welfare_loss": q * (w * (E_I + E_O) + P_I * own_i + (1 - P_I) * own_o) + eps * q**2 / 2,
        "deterrent_cap": vhat,
        "deterrent_sanction": sp.Max(0, g.m + tau - mhat),
    }
    assert tuple(out) == OUTCOMES
    return out


def branch_outcome(of: str, branch: Branch) -> sp.Expr:
    """One outcome as a sympy expression in the parameters on a branch.

    ``branch`` is (incumbent's killing regime, opposition's killing regime, onset regime). On a
    branch where both stakes vanish (no prize and no killing) the contest is degenerate (the
    closed form then uses P_I = 1/2 and zero efforts); the formulas here assume S > 0.

    Examples
    --------
    >>> branch_outcome("killing_share_incumbent", ("capped", "deterred", "contested"))
    killing_cap/(1 - incumbent_share)
    """
    if of not in OUTCOMES:
        raise KeyError(f"unknown outcome {of!r}; valid: {', '.join(OUTCOMES)}")
    return _branch_outcomes(tuple(branch))[of]


@functools.lru_cache(maxsize=1024)
def compiled_outcome(of: str, branch: Branch) -> Compiled:
    """:func:`branch_outcome` compiled to numpy over the parameters in field order."""
    p = _derive().p
    return compile_expr(tuple(p[n] for n in ORDER), branch_outcome(of, branch))


def sign_on_domain(expr: sp.Expr) -> str:
    """The sign of ``expr`` over the interior of the parameter domains, as far as sympy can prove it.

    Parameters on [0, 1] are written t/(1 + t), power sharing t/(2(1 + t)), and the others t,
    with t > 0, so that sympy's assumptions see factors such as 1 − n_I, 1 − α and 1 − 2s as
    positive. Anything sympy cannot prove is ``"ambiguous"``.

    Examples
    --------
    >>> d = statics("killing_share_incumbent", "power_sharing", ("interior", "deterred", "contested"))
    >>> sign_on_domain(d)
    'negative'
    """
    p = _derive().p
    subs = {}
    for name in ORDER:
        sym = p[name]
        if sym not in expr.free_symbols:
            continue
        t = sp.Symbol(f"t_{_SHORT[name]}", positive=True)
        hi = StrategicMassKillingParams.meta(name)["interval"].hi
        subs[sym] = t / (1 + t) if hi == 1 else (t / (2 * (1 + t)) if hi == 0.5 else t)
    e = sp.factor(sp.together(expr.xreplace(subs)))
    return decide_sign(e, effort=1)


@functools.lru_cache(maxsize=4096)
def statics(of: str, wrt: str, branch: Branch) -> sp.Expr:
    """∂(outcome)/∂(parameter) on a branch (regimes held fixed), simplified where cheap.

    Examples
    --------
    >>> statics("killing_share_incumbent", "sanction_per_victim", ("interior", "deterred", "contested"))
    incumbent_share/(killing_cost_curvature*(incumbent_share - 1))
    """
    p = _derive().p
    if wrt not in p:
        raise KeyError(f"unknown parameter {wrt!r}; valid: {', '.join(ORDER)}")
    d = sp.diff(branch_outcome(of, branch), p[wrt])
    return sp.factor(d) if of in _SMALL else d


#: Outcomes whose derivatives are small enough to factor (the others are left as sympy returns them).
_SMALL = frozenset({"killing_share_incumbent", "killing_share_opposition", "victims_if_incumbent_wins",
                    "victims_if_opposition_wins", "value_per_victim", "prize_of_power", "killing_gain_incumbent",
                    "killing_gain_opposition"})


@functools.lru_cache(maxsize=4096)
def compiled_statics(of: str, wrt: str, branch: Branch) -> Compiled:
    """:func:`statics` compiled to numpy over the parameters in field order."""
    p = _derive().p
    return compile_expr(tuple(p[n] for n in ORDER), statics(of, wrt, branch))


@functools.cache
def derivation() -> Derivation:
    """The model's named sympy expressions (payoffs, per-victim values, stakes, thresholds, contest).

    Names: ``U_g``, ``U_h`` (aggregate payoffs of the group in power and the group out of power
    as functions of the toll v, for v > 0), ``prize_of_power`` Π, ``value_per_victim`` m,
    ``loss_per_victim`` ℓ, ``base_stake`` S0, ``killing_objective`` Γ(v), ``unconstrained_toll``
    v_u, ``deterrent_cap`` v̂, ``value_threshold`` m̂ (with v_max = min(v̄, n_h)), the regime
    conditions ``condition_<regime>``, ``stake_incumbent``/``stake_opposition`` (greed and
    fear), ``contest_foc_incumbent``/``_opposition``, ``effort_incumbent``, ``effort_opposition``,
    ``win_prob_incumbent``, ``challenge_gain``, ``p_conflict``, ``welfare_loss``, and
    ``d_k_d_<parameter>``: the interior killing share's derivatives.

    Examples
    --------
    >>> d = derivation()
    >>> sign_on_domain(d["d_k_d_power_sharing"])
    'negative'
    """
    g = _derive()
    p, v, n_g = g.p, g.v, g.n_g
    c, phi, vbar = p["killing_cost_curvature"], p["killing_fixed_cost"], p["killing_cap"]
    n_h = 1 - n_g
    v_max = sp.Min(vbar, n_h)
    v1 = sp.Min(sp.Max(g.v_u, 0), n_h)
    vc = sp.Min(sp.Max(g.v_u, 0), v_max)
    gam1 = g.gamma.subs(v, v1)
    gamc = g.gamma.subs(v, vc)
    V_I, V_O, E_I, E_O = sp.symbols("V_I V_O E_I E_O", positive=True)
    w = p["productivity"]
    G_I, G_O, v_I, v_O = sp.symbols("G_I G_O v_I v_O", nonnegative=True)
    pay_i = E_I / (E_I + E_O) * V_I - w * E_I
    pay_o = E_O / (E_I + E_O) * V_O - w * E_O
    foc_i, foc_o = sp.diff(pay_i, E_I), sp.diff(pay_o, E_O)
    S = V_I + V_O
    # the interior solution of the two first-order conditions (checked by substitution: cheaper than solve)
    sol = {E_I: V_I**2 * V_O / (w * S**2), E_O: V_I * V_O**2 / (w * S**2)}
    assert sp.simplify(foc_i.subs(sol)) == 0 and sp.simplify(foc_o.subs(sol)) == 0
    gain = V_O**3 / S**2 - g.loss * v_I
    eps = p["mobilisation_cost_max"]
    interior = ("interior", "deterred", "contested")
    expressions: dict[str, Any] = {
        "U_g": g.U_g,
        "U_h": g.U_h,
        "prize_of_power": g.prize,
        "value_per_victim": g.m,
        "loss_per_victim": g.loss,
        "base_stake": g.base,
        "killing_objective": g.gamma,
        "unconstrained_toll": g.v_u,
        "deterrent_cap": 2 * phi / (g.m + sp.sqrt(g.m**2 - 2 * c * phi / n_g)),
        "value_threshold": sp.Piecewise((sp.sqrt(2 * c * phi / n_g), sp.sqrt(2 * c * phi / n_g) * n_g / c <= v_max),
                                        (phi / v_max + c * v_max / (2 * n_g), True)),
        "condition_no_motive": sp.Le(g.m, 0),
        "condition_deterred": sp.Le(gam1, phi),
        "condition_cap_deterred": sp.Le(gamc, phi),
        "condition_interior": sp.Lt(g.v_u, v_max),
        "condition_capped": sp.Lt(vbar, n_h),
        "condition_extermination": sp.true,
        "stake_incumbent": sp.Eq(V_I, g.base + G_I + g.loss * v_O),
        "stake_opposition": sp.Eq(V_O, g.base + G_O + g.loss * v_I),
        "contest_foc_incumbent": sp.Eq(foc_i, 0),
        "contest_foc_opposition": sp.Eq(foc_o, 0),
        "effort_incumbent": sol[E_I],
        "effort_opposition": sol[E_O],
        "win_prob_incumbent": V_I / S,
        "challenge_gain": gain,
        "p_conflict": sp.Min(1, sp.Max(0, gain / eps)),
        "welfare_loss": branch_outcome("welfare_loss", interior),
    }
    for name in ORDER:
        expressions[f"d_k_d_{name}"] = statics("killing_share_incumbent", name, interior)
    descriptions = {
        "U_g": "aggregate payoff of the group in power (size n_g) after a toll v > 0",
        "U_h": "aggregate payoff of the group out of power after a toll v",
        "prize_of_power": "Π: what holding power is worth in the future challenge",
        "value_per_victim": "m = U_g'(v) at v = 0: freed entitlement + weaker challenger − labour − sanction",
        "loss_per_victim": "ℓ = −U_h'(v): lost income, death loss, entitlement and security",
        "base_stake": "S0: value of winning minus losing the conflict without any killing",
        "killing_objective": "Γ(v) = m v − c v²/(2 n_g)",
        "unconstrained_toll": "v_u = m n_g / c",
        "deterrent_cap": "v̂: the smaller root of Γ(v) = φ",
        "value_threshold": "m̂: the smallest value per victim at which a campaign pays",
        "stake_incumbent": "V_I = S0 + G_I + ℓ v_O (greed and fear)",
        "stake_opposition": "V_O = S0 + G_O + ℓ v_I",
        "contest_foc_incumbent": "first-order condition of I in the ratio contest",
        "contest_foc_opposition": "first-order condition of O in the ratio contest",
        "effort_incumbent": "E_I from the two first-order conditions",
        "effort_opposition": "E_O from the two first-order conditions",
        "win_prob_incumbent": "P_I = V_I / (V_I + V_O)",
        "challenge_gain": "G = V_O³/S² − ℓ v_I (the last term: deterrence by the killing threat)",
        "p_conflict": "q = min(1, max(0, G/ε̄))",
        "welfare_loss": "welfare loss on the interior/deterred/contested branch",
    }
    for r in KILLING_REGIMES:
        descriptions[f"condition_{r}"] = f"condition of the {r} regime (after the earlier ones fail)"
    for name in ORDER:
        descriptions[f"d_k_d_{name}"] = f"∂k*/∂{name} in the interior regime"
    names = {p[n]: StrategicMassKillingParams.meta(n)["latex"] for n in ORDER}
    names.update({v: "v", n_g: "n_g", V_I: "V_I", V_O: "V_O", E_I: "E_I", E_O: "E_O", G_I: "G_I^*",
                  G_O: "G_O^*", v_I: "v_I^*", v_O: "v_O^*"})
    return Derivation("strategic_mass_killing", expressions, descriptions, names)
