"""The sympy derivation of the tactics model, cached once per (K, objective, branch).

Symbols are named by parameter names, per-tactic ones with brackets
(``tactic_sanction[imprisonment]``), and carry the assumptions of their domains. With a finite
enabler-supply elasticity the enabler price ``p_E`` is a symbol tied to the parameters by the
market-clearing condition ``G = ln X^D(p_E) − ln X^S(p_E − s_E) = 0``; total derivatives then
add ``∂/∂p_E · dp_E/dθ`` with ``dp_E/dθ = −G_θ/G_{p_E}`` (implicit function theorem). The
maths is on docs/explanation/tactics.md.

Examples
--------
>>> d = derive(("a", "b"))
>>> sorted(d["tactic_levels[a]"].free_symbols, key=str)[:3]
[cost_rebels, enabler_cost, enabler_intensity[a]]
"""

from __future__ import annotations

import functools
import math
from collections.abc import Mapping
from typing import Any

import sympy as sp

from atrogame.models.tactics.params import PER_TACTIC, SCALARS, TacticsParams

__all__ = ["SIGNS", "derivative", "derive", "latex_names", "statics_value", "symbol_values", "symbols"]

_FINITE_EXTRA = ("enabler_supply_elasticity", "enabler_capacity")


@functools.cache
def symbols(tactics: tuple[str, ...]) -> dict[str, sp.Symbol]:
    """One sympy symbol per numeric parameter (per-tactic ones per tactic), plus ``p_E``."""
    out: dict[str, sp.Symbol] = {}
    for name, spec in PER_TACTIC.items():
        for t in tactics:
            out[f"{name}[{t}]"] = sp.Symbol(f"{name}[{t}]", **spec[0].assumptions())
    for name, sspec in SCALARS.items():
        out[name] = sp.Symbol(name, **sspec[0].assumptions())
    out["enabler_supply_elasticity"] = sp.Symbol("enabler_supply_elasticity", positive=True)
    out["enabler_capacity"] = sp.Symbol("enabler_capacity", positive=True)
    out["control_target"] = sp.Symbol("control_target", positive=True)
    out["enabler_price"] = sp.Symbol("enabler_price", positive=True)
    return out


def latex_names(tactics: tuple[str, ...]) -> dict[sp.Symbol, str]:
    """LaTeX for each symbol (``tactic_sanction[killing]`` → ``s_{killing}``)."""
    tex = {"tactic_weights": r"\omega", "tactic_cost": "w", "tactic_sanction": "s", "tactic_productivity": "b",
           "lethality": r"\lambda", "enabler_intensity": "e"}
    out: dict[sp.Symbol, str] = {}
    s = symbols(tactics)
    for name in PER_TACTIC:
        for t in tactics:
            label = t.replace("_", " ")
            out[s[f"{name}[{t}]"]] = f"{tex[name]}_{{\\mathrm{{{label}}}}}"
    for name, (_i, _d, sym, _l) in SCALARS.items():
        out[s[name]] = sym
    out[s["enabler_supply_elasticity"]] = r"\varepsilon_E"
    out[s["enabler_capacity"]] = r"\bar{X}_E"
    out[s["control_target"]] = r"\bar{Z}"
    out[s["enabler_price"]] = "p_E"
    return out


@functools.cache
def derive(tactics: tuple[str, ...], objective: str = "max_control", finite: bool = False,
           cd_inner: bool = False, cd_outer: bool = False) -> dict[str, sp.Expr]:
    """Closed-form expressions of every outcome (names as in the model, per tactic with brackets).

    ``finite``: the enabler price is the symbol ``enabler_price`` and ``market`` is the
    clearing condition ``G``; otherwise ``p_E = c_E + s_E``. ``cd_inner``/``cd_outer``: the
    Cobb–Douglas branches ``σ_T = 1``/``σ = 1``.
    """
    s = symbols(tactics)
    sigT, sig = s["tactic_substitution"], s["substitution_elasticity"]
    pE = s["enabler_price"] if finite else s["enabler_cost"] + s["enabler_sanction"]
    iota = s["ideology"]
    q = {t: s[f"tactic_cost[{t}]"] + s[f"enabler_intensity[{t}]"] * pE + (1 - iota) * s[f"tactic_sanction[{t}]"]
         for t in tactics}
    pR = s["cost_rebels"] + s["enabler_intensity_rebels"] * pE
    om = {t: s[f"tactic_weights[{t}]"] for t in tactics}
    b = {t: s[f"tactic_productivity[{t}]"] for t in tactics}
    if cd_inner:
        PC = sp.Mul(*[(q[t] / (b[t] * om[t])) ** om[t] for t in tactics])
        S = dict(om)
    else:
        Ak = {t: om[t] ** sigT * b[t] ** (sigT - 1) * q[t] ** (1 - sigT) for t in tactics}
        tot = sp.Add(*Ak.values())
        PC = tot ** (1 / (1 - sigT))
        S = {t: Ak[t] / tot for t in tactics}
    th, aR, aC, A = s["share_rebels"], s["productivity_rebels"], s["productivity_civilians"], s["tfp"]
    if cd_outer:
        sR, sC = th, 1 - th
        unit = (pR / (th * aR)) ** th * (PC / ((1 - th) * aC)) ** (1 - th)  # cost of Z = A
    else:
        xR = th ** sig * aR ** (sig - 1) * pR ** (1 - sig)
        xC = (1 - th) ** sig * aC ** (sig - 1) * PC ** (1 - sig)
        Sig = xR + xC
        sR, sC = xR / Sig, xC / Sig
        unit = Sig ** (1 / (1 - sig))
    if objective == "max_control":
        B = s["resources"]
        Z = A * B / unit
    else:
        Z = s["control_target"]
        B = Z * unit / A
    out: dict[str, sp.Expr] = {}
    T = {t: S[t] * sC * B / q[t] for t in tactics}
    R = sR * B / pR
    for t in tactics:
        out[f"tactic_levels[{t}]"] = T[t]
        out[f"tactic_prices[{t}]"] = q[t]
        out[f"tactic_shares[{t}]"] = S[t]
    out.update({"rebel_attacks": R, "civilian_violence": sC * B / PC, "civilian_price_index": PC,
                "civilian_spending": sC * B, "civilian_share": sC, "rebel_share": sR, "price_rebels": pR,
                "enabler_price": pE, "control": Z, "cost": B})
    out["deaths"] = sp.Add(*[s[f"lethality[{t}]"] * T[t] for t in tactics]) + s["lethality_rebels"] * R
    X = s["enabler_intensity_rebels"] * R + sp.Add(*[s[f"enabler_intensity[{t}]"] * T[t] for t in tactics])
    out["enabler_input"] = X
    out["acts"] = sp.Add(*T.values())
    if finite:
        nu = pE - s["enabler_sanction"]
        out["market"] = sp.log(X) - sp.log(s["enabler_capacity"]) - s["enabler_supply_elasticity"] * (
            sp.log(nu) - sp.log(s["enabler_cost"]))
    return out


def _branch(p: TacticsParams) -> tuple[bool, bool, bool]:
    finite = math.isfinite(p.enabler_supply_elasticity) and (
        p.enabler_intensity_rebels > 0 or any(e > 0 for e in p.enabler_intensity))
    return finite, abs(p.tactic_substitution - 1) < 1e-9, abs(p.substitution_elasticity - 1) < 1e-9


@functools.cache
def derivative(tactics: tuple[str, ...], objective: str, finite: bool, cd_inner: bool, cd_outer: bool,
               of: str, wrt: str) -> sp.Expr:
    """d(of)/d(wrt) as a sympy expression (the total derivative, enabler market included)."""
    d = derive(tactics, objective, finite, cd_inner, cd_outer)
    s = symbols(tactics)
    x = s[wrt]
    expr = d[of]
    partial = sp.diff(expr, x)
    if not finite:
        return partial
    G = d["market"]
    pE = s["enabler_price"]
    return partial + sp.diff(expr, pE) * (-sp.diff(G, x) / sp.diff(G, pE))


def symbol_values(p: TacticsParams, enabler_price: float | None = None) -> dict[sp.Symbol, float]:
    s = symbols(p.tactics)
    vals: dict[sp.Symbol, float] = {}
    for name in PER_TACTIC:
        for t, v in zip(p.tactics, getattr(p, name), strict=True):
            vals[s[f"{name}[{t}]"]] = v
    for name in SCALARS:
        vals[s[name]] = getattr(p, name)
    vals[s["enabler_supply_elasticity"]] = p.enabler_supply_elasticity if math.isfinite(
        p.enabler_supply_elasticity) else 1.0
    vals[s["enabler_capacity"]] = p.enabler_capacity or 1.0
    vals[s["control_target"]] = p.control_target or 1.0
    vals[s["enabler_price"]] = enabler_price if enabler_price is not None else p.enabler_cost + p.enabler_sanction
    return vals


@functools.cache
def _compiled(expr: sp.Expr) -> tuple[Any, tuple[sp.Symbol, ...]]:
    args = tuple(sorted(expr.free_symbols, key=lambda z: z.name))
    return sp.lambdify(args, expr, modules="numpy", cse=True), args


def statics_value(p: TacticsParams, of: str, wrt: str, enabler_price: float | None = None) -> tuple[sp.Expr, float]:
    """(symbolic derivative, its value at ``p``); ``enabler_price`` is the solved p_E (finite supply)."""
    finite, ci, co = _branch(p)
    s = symbols(p.tactics)
    vals = symbol_values(p, enabler_price)
    # On a Cobb–Douglas branch the elasticity itself is absent from the expressions; the
    # derivative with respect to it is the limit of the CES derivative, taken as the mean of
    # its values at 1 ± 1e-4 (error O(1e-8), no cancellation).
    shift = (wrt == "tactic_substitution" and ci) or (wrt == "substitution_elasticity" and co)
    if shift:
        ci = ci and wrt != "tactic_substitution"
        co = co and wrt != "substitution_elasticity"
    expr = derivative(p.tactics, p.objective, finite, ci, co, of, wrt)
    f, args = _compiled(expr)
    if not args:
        return expr, float(expr)
    if shift:
        out = 0.0
        for h in (1e-4, -1e-4):
            v = dict(vals)
            v[s[wrt]] = 1.0 + h
            out += 0.5 * float(f(*(v[a] for a in args)))
        return expr, out
    return expr, float(f(*(vals[a] for a in args)))


#: Built-in signs under max_control and perfectly elastic enabler supply (the table of
#: docs/explanation/tactics.md). Keys: (outcome class, parameter class).
SIGNS: Mapping[tuple[str, str], str] = {
    ("tactic_levels[k]", "own_price"): "negative", ("tactic_levels[k]", "other_price"): "ambiguous",
    ("tactic_levels[k]", "ideology"): "ambiguous", ("tactic_levels[k]", "enabler_sanction"): "ambiguous",
    ("tactic_levels[k]", "resources"): "positive", ("tactic_levels[k]", "share_rebels"): "negative",
    ("tactic_levels[k]", "lethality"): "zero", ("tactic_levels[k]", "tfp"): "zero",
    ("rebel_attacks", "own_price"): "ambiguous", ("rebel_attacks", "other_price"): "ambiguous",
    ("rebel_attacks", "ideology"): "ambiguous", ("rebel_attacks", "enabler_sanction"): "ambiguous",
    ("rebel_attacks", "resources"): "positive", ("rebel_attacks", "share_rebels"): "positive",
    ("rebel_attacks", "lethality"): "zero", ("rebel_attacks", "tfp"): "zero",
    ("civilian_violence", "own_price"): "negative", ("civilian_violence", "other_price"): "negative",
    ("civilian_violence", "ideology"): "positive", ("civilian_violence", "enabler_sanction"): "ambiguous",
    ("civilian_violence", "resources"): "positive", ("civilian_violence", "share_rebels"): "negative",
    ("civilian_violence", "lethality"): "zero", ("civilian_violence", "tfp"): "zero",
    ("deaths", "own_price"): "ambiguous", ("deaths", "other_price"): "ambiguous", ("deaths", "ideology"): "ambiguous",
    ("deaths", "enabler_sanction"): "ambiguous", ("deaths", "resources"): "positive",
    ("deaths", "share_rebels"): "ambiguous", ("deaths", "lethality"): "positive", ("deaths", "tfp"): "zero",
    ("control", "own_price"): "negative", ("control", "other_price"): "negative", ("control", "ideology"): "positive",
    ("control", "enabler_sanction"): "negative", ("control", "resources"): "positive",
    ("control", "share_rebels"): "ambiguous", ("control", "lethality"): "zero", ("control", "tfp"): "positive",
}


def classify(of: str, wrt: str) -> tuple[str, str] | None:
    """Map an (of, wrt) pair to its row and column of :data:`SIGNS` (None when not tabulated)."""
    base_of = of.split("[")[0]
    row = "tactic_levels[k]" if base_of == "tactic_levels" else base_of
    name = wrt.split("[")[0]
    if name in ("tactic_sanction", "tactic_cost"):
        if row == "tactic_levels[k]":
            col = "own_price" if wrt.split("[")[1] == of.split("[")[1] else "other_price"
        else:
            col = "own_price" if row in ("civilian_violence", "control") else "other_price"
    elif name == "lethality":
        col = "lethality"
    elif name in ("ideology", "enabler_sanction", "resources", "share_rebels", "tfp"):
        col = name
    else:
        return None
    key = (row, col)
    return key if key in SIGNS else None


def sign_of(p: TacticsParams, of: str, wrt: str) -> str:
    """The built-in sign with structural zeros, or ``"ambiguous"`` outside the table's domain
    (finite enabler supply, min_cost, untabulated pairs)."""
    if p.objective != "max_control" or math.isfinite(p.enabler_supply_elasticity):
        return "ambiguous"
    name = wrt.split("[")[0]
    if name in ("tactic_sanction",) and p.ideology == 1.0:
        return "zero"
    if name == "ideology" and all(x == 0 for x in p.tactic_sanction):
        return "zero"
    if name == "enabler_sanction" and p.enabler_intensity_rebels == 0 and all(e == 0 for e in p.enabler_intensity):
        return "zero"
    if of == "deaths" and p.lethality_rebels == 0 and all(x == 0 for x in p.lethality):
        return "zero"
    if name == "lethality" and of == "deaths":
        return "positive"
    key = classify(of, wrt)
    return SIGNS[key] if key is not None else "ambiguous"



def latex(of: str, tactics: tuple[str, ...] = ("j", "k"), objective: str = "max_control", finite: bool = False,
          cd_inner: bool = False, cd_outer: bool = False, simplify: bool = False) -> str:
    """LaTeX of an outcome's closed form in the model's notation (used by the docs).

    Examples
    --------
    >>> "c_E + s_E" in latex("tactic_prices[j]")
    True
    """
    expr = derive(tactics, objective, finite, cd_inner, cd_outer)[of]
    if simplify:
        expr = sp.simplify(expr)
    return sp.latex(expr, symbol_names=latex_names(tactics))


@functools.cache
def formulas() -> dict[str, tuple[sp.Expr, sp.Expr]]:
    """The closed forms in compact notation, as (left side, right side) pairs; the tests check
    each against the vectorised closed form, and the docs render them.

    Examples
    --------
    >>> sorted(formulas())[:3]
    ['D', 'P_C', 'R']
    """
    j, k = sp.symbols("j k", cls=sp.Idx)
    K = sp.Symbol("K", integer=True, positive=True)
    sigT, sig, iota = sp.symbols(r"\sigma_T \sigma \iota", positive=True)
    q, w, e, s, om, b, lam = (sp.IndexedBase(n) for n in ("q", "w", "e", "s", r"\omega", "b", r"\lambda"))
    pE, pR, PC, M, th, aR, aC, A = sp.symbols(r"p_E p_R P_C M \theta a_R a_C A", positive=True)
    sR, sC, S_ = sp.symbols("s_R s_C S", positive=True)
    T, R, Z, Sig, D, psi = sp.symbols(r"T R Z \Sigma D \psi", positive=True)
    out = {
        "q_j": (q[j], w[j] + e[j] * pE + (1 - iota) * s[j]),
        "P_C": (PC, sp.Sum(om[k] ** sigT * b[k] ** (sigT - 1) * q[k] ** (1 - sigT), (k, 1, K)) ** (1 / (1 - sigT))),
        "S_j": (sp.Indexed(sp.IndexedBase("S"), j), om[j] ** sigT * b[j] ** (sigT - 1) * q[j] ** (1 - sigT)
                / PC ** (1 - sigT)),
        "Sigma": (Sig, th ** sig * aR ** (sig - 1) * pR ** (1 - sig) + (1 - th) ** sig * aC ** (sig - 1)
                  * PC ** (1 - sig)),
        "s_C": (sC, (1 - th) ** sig * aC ** (sig - 1) * PC ** (1 - sig) / Sig),
        "T_j": (sp.Indexed(sp.IndexedBase("T"), j), sp.Indexed(sp.IndexedBase("S"), j) * sC * M / q[j]),
        "R": (R, sR * M / pR),
        "Z": (Z, A * M * Sig ** (1 / (sig - 1))),
        "D": (D, sp.Sum(lam[k] * sp.Indexed(sp.IndexedBase("T"), k), (k, 1, K)) + psi * R),
    }
    _ = (T, S_)
    return out


def formula_latex(name: str) -> str:
    """``left = right`` of :func:`formulas` as LaTeX."""
    lhs, rhs = formulas()[name]
    return f"{sp.latex(lhs)} = {sp.latex(rhs)}"
