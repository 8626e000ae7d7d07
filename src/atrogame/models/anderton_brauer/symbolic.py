"""Sympy closed forms of the built-in Anderton–Brauer technologies (derived once per process).

Private to :mod:`atrogame.models.anderton_brauer`. For each (technology, objective) the
solved choice is written per regime (docs/explanation/anderton_brauer.md, "The technology families") in symbols named
after the parameters;
``branches`` also gives the regime conditions used to build ``Piecewise`` expressions.
``sign_expression`` gives, for ``civilian_attacks``, an expression with the sign of the
derivative built from the simplified elasticities of each family (in positive auxiliary
symbols such as the resource shares), so that sympy can decide signs that hold over a whole
regime but are not visible in the raw derivative.
"""

from __future__ import annotations

import functools
from typing import Any

import sympy as sp

from atrogame.models.anderton_brauer import families as fam

OUTCOMES = ("civilian_attacks", "rebel_attacks", "control", "cost", "civilian_deaths")

# Auxiliary symbols for sign decisions (all positive unless stated).
_sR, _sC = sp.symbols("s_R s_C", positive=True)
_one_minus_theta = sp.Symbol("one_minus_theta", positive=True)
_K = sp.Symbol("k", positive=True)
_FC = sp.Symbol("F_C", positive=True)
_R, _C = sp.symbols("R C", positive=True)
_u = sp.Symbol("u", positive=True)
_ell = sp.Symbol("ell", real=True)  # an unrestricted real number (log ratios)
_omega = sp.Symbol("one_minus_delta_C", positive=True)
_delta_pos = sp.Symbol("interaction", positive=True)
_h = sp.Symbol("h", positive=True)

#: Plain symbols R and C of the control function (both nonnegative).
R_SYM, C_SYM = sp.symbols("R C", nonnegative=True)


def symbols(technology: str, objective: str) -> dict[str, sp.Symbol]:
    return fam.params_class(technology, objective).symbols()


def control_function(technology: str, s: dict[str, sp.Symbol], R: sp.Expr = R_SYM, C: sp.Expr = C_SYM) -> sp.Expr:
    """F(R, C) in sympy."""
    if technology == "cobb_douglas":
        return s["tfp"] * R ** s["weight_rebels"] * C ** s["weight_civilians"]
    if technology == "ces":
        rho = (s["substitution_elasticity"] - 1) / s["substitution_elasticity"]
        th = s["share_rebels"]
        return s["tfp"] * (th * (s["productivity_rebels"] * R) ** rho
                           + (1 - th) * (s["productivity_civilians"] * C) ** rho) ** (1 / rho)
    if technology == "contest":
        x = s["productivity_rebels"] * R * (1 + s["support_erosion"] * C)
        m = s["decisiveness"]
        return x**m / (x**m + s["rebel_base_strength"] ** m)
    if technology == "linear":
        return s["productivity_rebels"] * R + s["productivity_civilians"] * C
    if technology == "quasi_linear":
        return R + s["civilian_value"] * sp.log(1 + C)
    if technology == "quadratic":
        b, g, d = s["civilian_value"], s["civilian_saturation"], s["interaction"]
        return R + b * C - g / 2 * C**2 - d * R * C
    raise KeyError(technology)


def _outcomes(s: dict[str, sp.Symbol], C: sp.Expr, R: sp.Expr, Z: sp.Expr, cost: sp.Expr) -> dict[str, sp.Expr]:
    return {"civilian_attacks": sp.sympify(C), "rebel_attacks": sp.sympify(R), "control": sp.sympify(Z),
            "cost": sp.sympify(cost),
            "civilian_deaths": s["lethality_civilians"] * C + s["lethality_rebels"] * R}


@functools.cache
def branches(technology: str, objective: str) -> tuple[tuple[str, Any, dict[str, sp.Expr]], ...]:
    """((regime, condition, {outcome: expression}), ...); the first condition that holds applies."""
    s = symbols(technology, objective)
    M, pR, pC = s["resources"], s["price_rebels"], s["price_civilians"]
    F = functools.partial(control_function, technology, s)
    out: list[tuple[str, Any, dict[str, sp.Expr]]] = []
    if objective == "max_control":
        def budget(regime: str, cond: Any, C: sp.Expr, R: sp.Expr) -> None:
            out.append((regime, cond, _outcomes(s, C, R, F(R, C), M)))

        if technology == "cobb_douglas":
            ar, ac = s["weight_rebels"], s["weight_civilians"]
            h = ar + ac
            budget("interior", True, ac / h * M / pC, ar / h * M / pR)
        elif technology == "ces":
            th, sg = s["share_rebels"], s["substitution_elasticity"]
            aR, aC = s["productivity_rebels"], s["productivity_civilians"]
            tR = th**sg * aR ** (sg - 1) * pR ** (1 - sg)
            tC = (1 - th) ** sg * aC ** (sg - 1) * pC ** (1 - sg)
            S = tR + tC
            C = M * tC / pC / S
            R = M * tR / pR / S
            out.append(("interior", True, _outcomes(s, C, R, s["tfp"] * M * S ** (1 / (sg - 1)), M)))
        elif technology == "contest":
            k = s["support_erosion"]
            budget("interior", k * M > pC, (M / pC - 1 / k) / 2, (M + pC / k) / (2 * pR))
            budget("no_civilian_attacks", True, sp.Integer(0), M / pR)
        elif technology == "linear":
            bR, bC = s["productivity_rebels"], s["productivity_civilians"]
            budget("no_rebel_attacks", bC * pR > bR * pC, M / pC, sp.Integer(0))
            budget("no_civilian_attacks", True, sp.Integer(0), M / pR)
        elif technology == "quasi_linear":
            b = s["civilian_value"]
            C = b * pR / pC - 1
            budget("no_civilian_attacks", b * pR <= pC, sp.Integer(0), M / pR)
            budget("no_rebel_attacks", b * pR - pC >= M, M / pC, sp.Integer(0))
            budget("interior", True, C, (M - pC * C) / pR)
        elif technology == "quadratic":
            b, g, d = s["civilian_value"], s["civilian_saturation"], s["interaction"]
            k = g * pR - 2 * d * pC
            Ci = (b * pR - pC - d * M) / k
            budget("no_civilian_attacks", Ci <= 0, sp.Integer(0), M / pR)
            budget("no_rebel_attacks", Ci >= M / pC, M / pC, sp.Integer(0))
            budget("interior", True, Ci, (M - pC * Ci) / pR)
        return tuple(out)

    Zb = s["control_target"]

    def target(regime: str, cond: Any, C: sp.Expr, R: sp.Expr) -> None:
        out.append((regime, cond, _outcomes(s, C, R, Zb, pR * R + pC * C)))

    if technology == "cobb_douglas":
        A, ar, ac = s["tfp"], s["weight_rebels"], s["weight_civilians"]
        h = ar + ac
        e = h * (Zb / A) ** (1 / h) * (pR / ar) ** (ar / h) * (pC / ac) ** (ac / h)
        target("interior", True, ac / h * e / pC, ar / h * e / pR)
    elif technology == "ces":
        A, th, sg = s["tfp"], s["share_rebels"], s["substitution_elasticity"]
        aR, aC = s["productivity_rebels"], s["productivity_civilians"]
        S = th**sg * aR ** (sg - 1) * pR ** (1 - sg) + (1 - th) ** sg * aC ** (sg - 1) * pC ** (1 - sg)
        base = Zb / A * S ** (sg / (1 - sg))
        target("interior", True, base * (1 - th) ** sg * aC ** (sg - 1) * pC ** (-sg),
               base * th**sg * aR ** (sg - 1) * pR ** (-sg))
    elif technology == "contest":
        k, G0, m, aR = s["support_erosion"], s["rebel_base_strength"], s["decisiveness"], s["productivity_rebels"]
        V = G0 / aR * (Zb / (1 - Zb)) ** (1 / m)
        u = sp.sqrt(k * pR * V / pC)
        target("interior", k * pR * V > pC, (u - 1) / k, V / u)
        target("no_civilian_attacks", True, sp.Integer(0), V)
    elif technology == "linear":
        bR, bC = s["productivity_rebels"], s["productivity_civilians"]
        target("no_rebel_attacks", bC * pR > bR * pC, Zb / bC, sp.Integer(0))
        target("no_civilian_attacks", True, sp.Integer(0), Zb / bR)
    elif technology == "quasi_linear":
        b = s["civilian_value"]
        target("no_civilian_attacks", b * pR <= pC, sp.Integer(0), Zb)
        target("interior", b * sp.log(b * pR / pC) < Zb, b * pR / pC - 1, Zb - b * sp.log(b * pR / pC))
        target("no_rebel_attacks", True, sp.exp(Zb / b) - 1, sp.Integer(0))
    elif technology == "quadratic":
        b, g, d = s["civilian_value"], s["civilian_saturation"], s["interaction"]
        k = g * pR - 2 * d * pC
        C0 = (b - sp.sqrt(b**2 - 2 * g * Zb)) / g
        q = pC + d * pR * Zb - b * pR
        Ci = -2 * q / (k * (1 + sp.sqrt(1 + 2 * d * q / k)))  # = [1 − √(1 + 2δq/k)]/δ, finite at δ = 0
        Ri = (Zb - b * Ci + g / 2 * Ci**2) / (1 - d * Ci)
        cost_i = pR * Ri + pC * Ci
        target("interior", (Ci > 0) & (cost_i < pR * Zb) & (cost_i <= pC * C0), Ci, Ri)
        target("no_rebel_attacks", (b**2 >= 2 * g * Zb) & (pC * C0 < pR * Zb), C0, sp.Integer(0))
        target("no_civilian_attacks", True, sp.Integer(0), Zb)
    return tuple(out)


def local(technology: str, objective: str, regime: str, of: str) -> sp.Expr:
    for r, _, exprs in branches(technology, objective):
        if r == regime:
            return exprs[of]
    # a regime reached only by snapping (ces/cobb_douglas corners): the corner formula
    s = symbols(technology, objective)
    base = s["resources"] if objective == "max_control" else s["control_target"]
    if regime == "no_civilian_attacks":
        C, R = sp.Integer(0), base / s["price_rebels"]
    else:
        C, R = base / s["price_civilians"], sp.Integer(0)
    if objective == "min_cost":  # the isoquant's intercept (reached by snapping only with ces, σ > 1)
        if technology == "ces":
            sg, th, A = s["substitution_elasticity"], s["share_rebels"], s["tfp"]
            Zb = s["control_target"]
            if regime == "no_civilian_attacks":
                R = Zb / (A * s["productivity_rebels"] * th ** (sg / (sg - 1)))
            else:
                C = Zb / (A * s["productivity_civilians"] * (1 - th) ** (sg / (sg - 1)))
        else:
            C, R = sp.nan * C, sp.nan * R
    F = control_function(technology, s, R, C) if objective == "max_control" else s["control_target"]
    cost = s["resources"] if objective == "max_control" else s["price_rebels"] * R + s["price_civilians"] * C
    return _outcomes(s, C, R, F, cost)[of]


@functools.cache
def piecewise(technology: str, objective: str, of: str) -> sp.Expr:
    br = branches(technology, objective)
    if len(br) == 1:
        return br[0][2][of]
    return sp.Piecewise(*[(exprs[of], cond) for _, cond, exprs in br])


@functools.cache
def derivative(technology: str, objective: str, regime: str, of: str, wrt: str) -> sp.Expr:
    sym = symbols(technology, objective)[wrt]
    return sp.diff(local(technology, objective, regime, of), sym)


@functools.cache
def piecewise_derivative(technology: str, objective: str, of: str, wrt: str) -> sp.Expr:
    sym = symbols(technology, objective)[wrt]
    return sp.diff(piecewise(technology, objective, of), sym)


@functools.cache
def compiled_derivative(technology: str, objective: str, regime: str, of: str, wrt: str) -> Any:
    from atrogame.core.symbolic import compile_expr

    d = derivative(technology, objective, regime, of, wrt)
    args = tuple(sorted(d.free_symbols, key=lambda x: x.name))
    return compile_expr(args, d)


# ----------------------------------------------------------------------------- signs
def sign_expression(technology: str, objective: str, regime: str, wrt: str) -> sp.Expr | None:
    """An expression with the sign of ∂C/∂wrt in ``regime`` (section 5 elasticities), or None.

    Built from positive auxiliary symbols (resource shares s_R, s_C; k = γp_R − 2δp_C; F_C;
    u = √(κ p_R V̄/p_C); 1 − θ; 1 − δC) and ``ell``, an unrestricted real number standing for
    log ratios whose sign is not fixed. ``None`` means: decide on the derivative itself.
    """
    if regime == "no_civilian_attacks":
        return sp.Integer(0)
    if wrt in ("lethality_civilians", "lethality_rebels"):
        return sp.Integer(0)
    sg = sp.Symbol("substitution_elasticity", positive=True)
    th = sp.Symbol("share_rebels", positive=True)
    table: dict[str, Any] = {}
    if objective == "max_control":
        if technology == "cobb_douglas":
            table = {"resources": 1, "price_civilians": -1, "price_rebels": 0, "tfp": 0,
                     "weight_civilians": _sR, "weight_rebels": -_sR}
        elif technology == "ces":
            table = {"resources": 1, "price_civilians": -(sg * _sR + _sC), "price_rebels": (sg - 1) * _sR,
                     "productivity_civilians": (sg - 1) * _sR, "productivity_rebels": (1 - sg) * _sR,
                     "share_rebels": -sg * _sR / (th * _one_minus_theta), "tfp": 0,
                     "substitution_elasticity": _sR * _ell}
        elif technology == "quadratic" and regime == "interior":
            d = _delta_pos
            table = {"resources": -d / _K, "price_civilians": (2 * d * _C - 1) / _K,
                     "price_rebels": (_FC + d * _R) / _K, "civilian_value": 1 / _K,
                     "civilian_saturation": -_C / _K, "interaction": (2 * _C * sp.Symbol("price_civilians",
                                                                                          positive=True)
                                                                     - sp.Symbol("resources", positive=True)) / _K}
    else:
        if technology == "cobb_douglas":
            table = {"resources": 0, "price_civilians": -_sR, "price_rebels": _sR, "control_target": 1 / _h,
                     "tfp": -1 / _h}
        elif technology == "ces":
            table = {"resources": 0, "price_civilians": -sg * _sR, "price_rebels": sg * _sR,
                     "productivity_civilians": sg * _sR - 1, "productivity_rebels": -sg * _sR,
                     "control_target": 1, "tfp": -1,
                     "share_rebels": sg**2 / (1 - sg) * (_sR / th - _sC / _one_minus_theta) - sg / _one_minus_theta}
        elif technology == "contest" and regime == "interior":
            table = {"resources": 0, "price_civilians": -_u, "price_rebels": _u, "control_target": 1,
                     "rebel_base_strength": 1, "productivity_rebels": -1, "support_erosion": 1 - _u / 2,
                     "decisiveness": -_ell}
        elif technology == "quadratic" and regime == "interior":
            table = {"resources": 0, "price_civilians": -_omega / _K}
    if wrt in table:
        return sp.sympify(table[wrt])
    return None


def envelope_sign_expression(objective: str, regime: str, of: str, wrt: str) -> sp.Expr | None:
    """Signs of the value functions by the envelope theorem and Shephard's lemma.

    See docs/explanation/anderton_brauer.md, "General comparative statics".

    max_control: ∂Z*/∂M = μ > 0, ∂Z*/∂p_C = −μC*, ∂Z*/∂p_R = −μR*. min_cost: ∂e/∂p_C = C^h,
    ∂e/∂p_R = R^h, ∂e/∂Z̄ = p_C/F_C > 0. ``None`` for anything else.
    """
    has_c = regime != "no_civilian_attacks"
    has_r = regime != "no_rebel_attacks"
    if objective == "max_control" and of == "control":
        table = {"resources": _u, "price_civilians": -_u * _C if has_c else 0, "price_rebels": -_u * _R if has_r else 0}
    elif objective == "min_cost" and of == "cost":
        table = {"resources": 0, "price_civilians": _C if has_c else 0, "price_rebels": _R if has_r else 0,
                 "control_target": _u}
    else:
        return None
    return sp.sympify(table[wrt]) if wrt in table else None


@functools.cache
def decided_sign(technology: str, objective: str, regime: str, of: str, wrt: str) -> str:
    from atrogame.core.symbolic import decide_sign

    e = sign_expression(technology, objective, regime, wrt) if of == "civilian_attacks" else (
        envelope_sign_expression(objective, regime, of, wrt))
    if e is not None:
        return decide_sign(e)
    d = derivative(technology, objective, regime, of, wrt)
    ops = sp.count_ops(d)
    # sympy's simplify is slow on the larger derivatives and rarely decides them: spend effort where it pays
    return decide_sign(d, effort=2 if ops <= 60 else (1 if ops <= 120 else 0))


# ----------------------------------------------------------------------------- derivation
@functools.cache
def derivation_expressions(technology: str, objective: str) -> tuple[dict[str, Any], dict[str, str]]:
    """The named expressions of a family for the docs pages, as (expressions, descriptions)."""
    s_max = symbols(technology, "max_control")
    s_min = symbols(technology, "min_cost")
    s = {**s_max, **s_min}
    F = control_function(technology, s)
    Z = sp.Symbol("Z", positive=True)
    exprs: dict[str, Any] = {}
    desc: dict[str, str] = {}
    exprs["control_function"] = sp.Eq(Z, F)
    desc["control_function"] = "control technology Z = F(R, C)"
    FR, FC = sp.diff(F, R_SYM), sp.diff(F, C_SYM)
    exprs["mrts"] = sp.simplify(FC / FR)
    desc["mrts"] = "marginal rate of technical substitution F_C/F_R"
    for key, of, d in (("civilian_attacks", "civilian_attacks", "demand for attacks on civilians C*"),
                       ("rebel_attacks", "rebel_attacks", "demand for attacks on rebels R*"),
                       ("control", "control", "maximal control Z*")):
        exprs[key] = piecewise(technology, "max_control", of)
        desc[key] = d + " (max_control)"
    exprs["cost_function"] = piecewise(technology, "min_cost", "cost")
    desc["cost_function"] = "cost function e(p, Z̄) (min_cost)"
    exprs["compensated_civilian_attacks"] = piecewise(technology, "min_cost", "civilian_attacks")
    desc["compensated_civilian_attacks"] = "conditional (compensated) demand C^h (min_cost)"
    exprs["compensated_rebel_attacks"] = piecewise(technology, "min_cost", "rebel_attacks")
    desc["compensated_rebel_attacks"] = "conditional (compensated) demand R^h (min_cost)"
    exprs["choke_price"] = choke_price_expr(technology, "max_control")
    desc["choke_price"] = "choke price p̂_C (C* = 0 iff p_C ≥ p̂_C; oo: no finite price)"
    exprs["choke_price_min_cost"] = choke_price_expr(technology, "min_cost")
    desc["choke_price_min_cost"] = "choke price of the compensated demand p̂_C^h"
    return exprs, desc


def choke_price_expr(technology: str, objective: str) -> sp.Expr:
    s = symbols(technology, objective)
    M, pR = s["resources"], s["price_rebels"]
    if technology in ("cobb_douglas", "ces"):
        return sp.oo
    if technology == "contest":
        k = s["support_erosion"]
        if objective == "max_control":
            return k * M
        V = s["rebel_base_strength"] / s["productivity_rebels"] * (
            s["control_target"] / (1 - s["control_target"])) ** (1 / s["decisiveness"])
        return k * pR * V
    if technology == "linear":
        return pR * s["productivity_civilians"] / s["productivity_rebels"]
    if technology == "quasi_linear":
        return s["civilian_value"] * pR
    b, d = s["civilian_value"], s["interaction"]
    if objective == "max_control":
        return sp.Max(0, b * pR - d * M)
    return sp.Max(0, pR * (b - d * s["control_target"]))


def latex_names(technology: str) -> dict[sp.Symbol, str]:
    from atrogame.core.symbolic import latex_names as ln

    out = dict(ln(fam.params_class(technology, "min_cost")))
    out.update({R_SYM: "R", C_SYM: "C", sp.Symbol("Z", positive=True): "Z"})
    return out
