"""Figures of the perpetrator's choice model, after Anderton & Brauer (2016, 2021).

Six figures (shown in docs/explanation/anderton_brauer.md): the optimum (``ab-optimum``), the demand for attacks on
civilians (``ab-demand``), and the three policy classes (``ab-resource-policy``,
``ab-productivity-policy``, ``ab-price-policy``), plus the cases where a policy backfires
(``ab-backfire``). The functional forms, parameter values and figure designs are
atrogame's own, not Anderton & Brauer's published numbers.

Every plotted number comes from the model's public API: optima from ``solve``, policies
through ``apply``, decompositions from ``decompose``, curves from ``sweep``, and
isoquants from the control function in ``derivation()`` (solved for R by bisection at the
level ``solve`` reports). Only design choices (parameter values, axis ranges, isoquant
levels) are written here. ``data(figure_id)`` returns the plotted arrays and points, which
the tests check against independently computed values; ``numbers`` functions feed ``summary.md``.

Examples
--------
>>> d = data("ab-optimum")
>>> round(d["optimum"]["C"], 6), round(d["optimum"]["R"], 6)
(50.0, 50.0)
>>> [tuple(round(v, 6) for v in p) for p in d["z30_crossings"]]
[(10.0, 90.0), (90.0, 10.0)]
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import numpy as np

from atrogame.figures import figure

CAPTION_PREFIX = "After Anderton & Brauer; functional forms and numbers are atrogame's own."
FIGURE_IDS = ("ab-optimum", "ab-demand", "ab-resource-policy", "ab-productivity-policy", "ab-price-policy",
              "ab-backfire")

# ---------------------------------------------------------------------- design choices (atrogame's own)
#: Common limits of the choice diagrams (C horizontal, R vertical).
CHOICE_LIM = 110.0
#: Isoquant levels drawn in ``ab-optimum``.
OPTIMUM_LEVELS = (30.0, 50.0, 70.0)
#: Prices of attacking civilians whose budget lines ``ab-demand`` draws.
DEMAND_PRICES = (0.5, 1.0, 2.0)
#: Price range of the demand curves in ``ab-demand`` and the marked contest prices.
DEMAND_RANGE = (0.25, 6.0)
CONTEST_MARKED_PRICES = (1.0, 2.0, 2.5, 4.0)
#: Shared C axis of ``ab-demand``.
DEMAND_C_LIM = 210.0
#: Resource policy factor of ``ab-resource-policy`` and the price range of its demand panel.
RESOURCE_FACTOR = 0.6
RESOURCE_PRICE_RANGE = (0.5, 4.0)
#: Pure bias change of ``ab-productivity-policy`` (a): weight factors for civilians and rebels.
BIAS_FACTORS = (0.6, 1.4)
#: Support-erosion factors of ``ab-productivity-policy`` (c): the policy and the dotted corner case.
EROSION_FACTORS = (0.4, 0.2)
#: New price of attacking civilians in ``ab-price-policy``.
NEW_PRICE = 2.0
#: Upper R limit of ``ab-price-policy`` (the Slutsky line starts at R = M′/p_R = 150).
PRICE_R_LIM = 160.0
#: ``ab-backfire``: substitution elasticities, productivity ranges and marker values.
BACKFIRE_SIGMAS = (0.5, 1.0, 2.0)
BACKFIRE_AC_RANGE = (0.25, 2.0)
BACKFIRE_AC_MARK = 0.5
BACKFIRE_AR_RANGE = (0.5, 4.0)
BACKFIRE_AR_MARK = 2.0
#: ``ab-backfire`` (c): the quadratic (Giffen) technology, its price range and marked prices.
GIFFEN: dict[str, Any] = {"technology": "quadratic", "civilian_value": 9.0, "civilian_saturation": 1.0,
                          "interaction": 0.1, "price_rebels": 1.0, "resources": 20.0}
GIFFEN_PRICE_RANGE = (0.8, 1.3)
GIFFEN_X_RANGE = (7.3, 7.9)
GIFFEN_BASE_PRICE = 1.0
GIFFEN_NEW_PRICE = 1.1
GIFFEN_LOW_RESOURCES = 19.0

_N = 401  # points per plotted curve

_COL = {"before": "#2c7bb6", "after": "#d7191c", "third": "#7b3294", "comp": "#1a9641", "grey": "#636363"}


# ---------------------------------------------------------------------- model access
def _model(technology: str = "cobb_douglas", **kw: Any) -> Any:
    from atrogame.models.anderton_brauer import AndertonBrauer

    return AndertonBrauer(technology=technology, **kw)


def _policies() -> Any:
    from atrogame import policies

    return policies


def _point(eq: Any) -> dict[str, Any]:
    """The plotted facts of one solved model."""
    return {"C": float(eq.civilian_attacks), "R": float(eq.rebel_attacks), "control": float(eq.control),
            "cost": float(eq.cost), "choke_price": float(eq.choke_price), "regime": str(eq.regime)}


def _param(model: Any, name: str) -> float:
    return float(model.parameter_values()[name])


def _technology_name(model: Any) -> str:
    tech = getattr(model, "technology", None)
    return tech if isinstance(tech, str) else "user"


@functools.cache
def _control_expr(technology: str) -> tuple[Any, Any, Any, tuple[Any, ...]]:
    """The control function F(R, C; τ) of a built-in family, from the model's derivation."""
    import sympy as sp

    d = _model(technology).derivation()
    names = d.names()
    key = next((k for k in ("control_function", "technology", "control", "F") if k in names), None)
    if key is None:  # pragma: no cover - depends on the model's derivation names
        raise KeyError(f"no control function in the {technology} derivation; have: {', '.join(names)}")
    expr = d[key]
    if isinstance(expr, sp.Equality):
        expr = expr.rhs
    syms = {s.name: s for s in expr.free_symbols}
    R, C = syms["R"], syms["C"]
    params = tuple(sorted((s for s in expr.free_symbols if s.name not in ("R", "C")), key=lambda s: s.name))
    return expr, R, C, params


def control_function(model: Any) -> Callable[[Any, Any], np.ndarray]:
    """The model's control function F(R, C) at its parameters, vectorised (from ``derivation()``).

    Examples
    --------
    >>> import atrogame as ag
    >>> F = control_function(ag.AndertonBrauer(technology="cobb_douglas"))
    >>> round(float(F(50.0, 50.0)), 9)
    50.0
    """
    from atrogame.core.symbolic import compile_expr

    expr, R, C, params = _control_expr(_technology_name(model))
    values = model.parameter_values()
    fn = compile_expr((R, C, *params), expr)
    fixed = [values[s.name] for s in params]

    def F(r: Any, c: Any) -> np.ndarray:
        return fn(r, c, *fixed)

    return F


def isoquant(model: Any, level: float, C: Any) -> np.ndarray:
    """R on the isoquant F(R, C) = ``level`` at each C (vectorised bisection; NaN where none exists).

    F is increasing in R for every family drawn here, so R is bracketed by doubling and
    bisected to machine precision.

    Examples
    --------
    >>> import atrogame as ag
    >>> round(float(isoquant(ag.AndertonBrauer(technology="cobb_douglas"), 30.0, 10.0)), 9)
    90.0
    """
    F = control_function(model)
    c = np.atleast_1d(np.asarray(C, dtype=float))
    lo = np.zeros_like(c)
    hi = np.ones_like(c)
    ok = np.ones(c.shape, dtype=bool)
    for _ in range(200):
        short = F(hi, c) < level
        if not short.any():
            break
        hi = np.where(short, hi * 2.0, hi)
        ok &= hi < 1e12
    done = F(lo, c) >= level  # the isoquant meets the C axis: R = 0 there
    for _ in range(200):
        mid = 0.5 * (lo + hi)
        below = F(mid, c) < level
        lo = np.where(below, mid, lo)
        hi = np.where(below, hi, mid)
        if np.all(hi - lo <= 1e-15 * np.maximum(hi, 1.0)):
            break
    r = np.where(done, 0.0, hi)
    r = np.where(ok, r, np.nan)
    return r if np.ndim(C) else r[0]


def budget_crossings(model: Any, level: float) -> list[tuple[float, float]]:
    """The (C, R) points where the isoquant ``level`` crosses the model's budget line (Brent, one each side).

    Examples
    --------
    >>> import atrogame as ag
    >>> [tuple(round(v, 6) for v in p) for p in budget_crossings(ag.AndertonBrauer(technology="cobb_douglas"), 30.0)]
    [(10.0, 90.0), (90.0, 10.0)]
    """
    from scipy.optimize import brentq

    F = control_function(model)
    v = model.parameter_values()
    M, pR, pC = v["resources"], v["price_rebels"], v["price_civilians"]
    eq = model.solve()
    c_star = float(eq.civilian_attacks)

    def g(c: float) -> float:
        return float(F((M - pC * c) / pR, c)) - level

    out = []
    for a, b in ((0.0, c_star), (c_star, M / pC)):
        if g(a) * g(b) < 0:
            c = brentq(g, a, b, xtol=1e-14, rtol=4 * np.finfo(float).eps, maxiter=500)
            out.append((float(c), float((M - pC * c) / pR)))
    return out


def _budget(model: Any, n: int = _N) -> dict[str, np.ndarray]:
    v = model.parameter_values()
    M, pR, pC = v["resources"], v["price_rebels"], v["price_civilians"]
    C = np.linspace(0.0, M / pC, n)
    return {"C": C, "R": (M - pC * C) / pR, "resources": M, "price_civilians": pC, "price_rebels": pR}


def _iso_curve(model: Any, level: float, c_lo: float, c_hi: float = CHOICE_LIM,
               n: int = _N) -> dict[str, Any]:
    C = np.geomspace(c_lo, c_hi, n) if c_lo > 0 else np.linspace(c_lo, c_hi, n)
    return {"level": float(level), "C": C, "R": isoquant(model, level, C)}


def _iso_in_box(model: Any, level: float, lim: float = CHOICE_LIM, n: int = _N,
               c_max: float = CHOICE_LIM) -> dict[str, Any]:
    """The isoquant for C from where it enters the box (R = lim) to C = ``c_max``."""
    from scipy.optimize import brentq

    F = control_function(model)
    if float(F(lim, 0.0)) >= level:
        c_lo = 0.0
    else:
        c_lo = brentq(lambda c: float(F(lim, c)) - level, 1e-12, c_max, xtol=1e-14, rtol=4 * np.finfo(float).eps)
    return _iso_curve(model, level, c_lo, c_max, n)


def _demand(model: Any, prices: np.ndarray, outcome: str = "civilian_attacks") -> dict[str, np.ndarray]:
    ds = model.sweep(price_civilians=np.asarray(prices, dtype=float), outcomes=[outcome])
    return {"price_civilians": np.asarray(prices, dtype=float), outcome: ds[outcome].values.astype(float)}


def _decomposition(dec: Any) -> dict[str, Any]:
    """Plain numbers of a ``decompose`` result, with the compensated bundle as ``compensated_C``/``_R``."""
    out: dict[str, Any] = {k: float(getattr(dec, k)) for k in ("substitution", "income", "total")}
    out["method"] = str(dec.method)
    for k in ("compensated_cost", "compensated_resources"):
        if getattr(dec, k) is not None:
            out[k] = float(getattr(dec, k))
    out["compensated_C"], out["compensated_R"] = (float(v) for v in dec.compensated_bundle)
    return out


# ---------------------------------------------------------------------- data
@functools.cache
def _data_optimum() -> dict[str, Any]:
    m = _model("cobb_douglas")
    eq = m.solve()
    isoq = {z: _iso_in_box(m, z) for z in OPTIMUM_LEVELS}
    return {
        "parameters": m.parameter_values(),
        "budget_line": _budget(m),
        "isoquants": isoq,
        "optimum": _point(eq),
        "z30_crossings": budget_crossings(m, OPTIMUM_LEVELS[0]),
        "unattainable": [z for z in OPTIMUM_LEVELS if z > eq.control * (1 + 1e-12)],
    }


@functools.cache
def _data_demand() -> dict[str, Any]:
    cd = _model("cobb_douglas")
    lines, optima, tangent = {}, {}, {}
    for p in DEMAND_PRICES:
        m = cd.with_params(price_civilians=p)
        eq = m.solve()
        lines[p] = _budget(m)
        optima[p] = _point(eq)
        tangent[p] = _iso_in_box(m, float(eq.control), CHOICE_LIM, c_max=DEMAND_C_LIM)
    prices = np.linspace(*DEMAND_RANGE, _N)
    contest = _model("contest")
    c_eq = contest.solve()
    marked = [(float(contest.with_params(price_civilians=p).solve().civilian_attacks), p)
              for p in CONTEST_MARKED_PRICES]
    return {
        "budget_lines": lines,
        "optima": optima,
        "tangent_isoquants": tangent,
        "demand_cd": _demand(cd, prices),
        "demand_cd_points": [(optima[p]["C"], p) for p in DEMAND_PRICES],
        "demand_contest": _demand(contest, prices),
        "contest_points": marked,
        "choke_point": (0.0, float(c_eq.choke_price)),
        "contest_parameters": contest.parameter_values(),
    }


@functools.cache
def _data_resource() -> dict[str, Any]:
    pol = _policies()
    before = _model("cobb_douglas")
    policy = pol.resource(RESOURCE_FACTOR)
    after = before.apply(policy)
    e0, e1 = before.solve(), after.solve()
    effect = before.policy_effect(policy)
    prices = np.linspace(*RESOURCE_PRICE_RANGE, _N)
    p0 = _param(before, "price_civilians")
    return {
        "budget_lines": {"before": _budget(before), "after": _budget(after)},
        "isoquants": {"before": _iso_in_box(before, e0.control), "after": _iso_in_box(after, e1.control)},
        "optima": {"before": _point(e0), "after": _point(e1)},
        "demand": {"before": _demand(before, prices), "after": _demand(after, prices)},
        "shift": {"price_civilians": p0, "before": float(e0.civilian_attacks), "after": float(e1.civilian_attacks),
                  "relative_change": effect["civilian_attacks"].relative_change},
        "resources": {"before": _param(before, "resources"), "after": _param(after, "resources")},
    }


@functools.cache
def _data_productivity() -> dict[str, Any]:
    pol = _policies()
    cd = _model("cobb_douglas")
    bias = pol.combine(pol.productivity("weight_civilians", BIAS_FACTORS[0]),
                       pol.productivity("weight_rebels", BIAS_FACTORS[1]))
    cd1 = cd.apply(bias)
    e0, e1 = cd.solve(), cd1.solve()
    prices = np.linspace(*RESOURCE_PRICE_RANGE, _N)
    contest = _model("contest")
    cases = {"before": contest}
    cases["policy"] = contest.apply(pol.productivity("support_erosion", EROSION_FACTORS[0]))
    cases["corner"] = contest.apply(pol.productivity("support_erosion", EROSION_FACTORS[1]))
    c_opt = {k: _point(m.solve()) | {"support_erosion": _param(m, "support_erosion")} for k, m in cases.items()}
    c_iso = {k: _iso_curve(m, c_opt[k]["control"], 0.0, CHOICE_LIM) for k, m in cases.items()}
    return {
        "weights": {"before": (_param(cd, "weight_civilians"), _param(cd, "weight_rebels")),
                    "after": (_param(cd1, "weight_civilians"), _param(cd1, "weight_rebels"))},
        "budget_line": _budget(cd),
        "isoquants": {"before": _iso_in_box(cd, e0.control), "after": _iso_in_box(cd1, e1.control)},
        "optima": {"before": _point(e0), "after": _point(e1)},
        "demand": {"before": _demand(cd, prices), "after": _demand(cd1, prices)},
        "contest_budget_line": _budget(contest),
        "contest_isoquants": c_iso,
        "contest_optima": c_opt,
    }


@functools.cache
def _data_price() -> dict[str, Any]:
    m0 = _model("cobb_douglas")
    m1 = m0.with_params(price_civilians=NEW_PRICE)
    e0, e1 = m0.solve(), m1.solve()
    hicks = _decomposition(m0.decompose(price_civilians=NEW_PRICE, method="hicks"))
    slutsky = _decomposition(m0.decompose(price_civilians=NEW_PRICE, method="slutsky"))
    top = PRICE_R_LIM
    comp_h = m1.with_params(resources=hicks["compensated_cost"])
    comp_s = m1.with_params(resources=slutsky["compensated_resources"])
    F = control_function(m0)
    s_level = float(F(slutsky["compensated_R"], slutsky["compensated_C"]))
    return {
        "budget_lines": {"original": _budget(m0), "new": _budget(m1), "hicks_compensated": _budget(comp_h),
                         "slutsky_compensated": _budget(comp_s)},
        "isoquants": {"before": _iso_in_box(m0, e0.control, top), "after": _iso_in_box(m0, e1.control, top),
                      "slutsky": _iso_in_box(m0, s_level, top)},
        "points": {"E0": (e0.civilian_attacks, e0.rebel_attacks),
                   "E_prime": (hicks["compensated_C"], hicks["compensated_R"]),
                   "E1": (e1.civilian_attacks, e1.rebel_attacks),
                   "S": (slutsky["compensated_C"], slutsky["compensated_R"])},
        "controls": {"before": float(e0.control), "after": float(e1.control), "slutsky": s_level},
        "hicks": hicks,
        "slutsky": slutsky,
    }


@functools.cache
def _data_backfire() -> dict[str, Any]:
    pol = _policies()
    ces = _model("ces")
    sig = np.asarray(BACKFIRE_SIGMAS)
    a_c = np.unique(np.concatenate([np.linspace(*BACKFIRE_AC_RANGE, _N), [BACKFIRE_AC_MARK, 1.0]]))
    a_r = np.unique(np.concatenate([np.linspace(*BACKFIRE_AR_RANGE, _N), [BACKFIRE_AR_MARK, 1.0]]))
    ds_c = ces.sweep(productivity_civilians=a_c, substitution_elasticity=sig, outcomes=["civilian_attacks"])
    ds_r = ces.sweep(productivity_rebels=a_r, substitution_elasticity=sig, outcomes=["civilian_attacks"])
    panel_a: dict[str, Any] = {"productivity_civilians": a_c, "civilian_attacks": {}, "markers": {}}
    panel_b: dict[str, Any] = {"productivity_rebels": a_r, "civilian_attacks": {}, "markers": {}}
    for s in BACKFIRE_SIGMAS:
        panel_a["civilian_attacks"][s] = ds_c["civilian_attacks"].sel(substitution_elasticity=s).values
        panel_b["civilian_attacks"][s] = ds_r["civilian_attacks"].sel(substitution_elasticity=s).values
        m = ces.with_params(substitution_elasticity=s)
        panel_a["markers"][s] = {
            a: float(m.apply(pol.productivity("productivity_civilians", a)).solve().civilian_attacks)
            for a in (1.0, BACKFIRE_AC_MARK)}
        panel_b["markers"][s] = {
            a: float(m.apply(pol.productivity("productivity_rebels", a)).solve().civilian_attacks)
            for a in (1.0, BACKFIRE_AR_MARK)}

    q = _model(**GIFFEN, price_civilians=GIFFEN_BASE_PRICE)
    e0 = q.solve()
    e1 = q.with_params(price_civilians=GIFFEN_NEW_PRICE).solve()
    hicks = _decomposition(q.decompose(price_civilians=GIFFEN_NEW_PRICE, method="hicks"))
    qh = _model(**{k: v for k, v in GIFFEN.items() if k != "resources"}, price_civilians=GIFFEN_BASE_PRICE,
                objective="min_cost", control_target=float(e0.control))
    q19 = q.apply(pol.resource(GIFFEN_LOW_RESOURCES / _param(q, "resources")))
    prices = np.unique(np.concatenate([np.linspace(*GIFFEN_PRICE_RANGE, _N), [GIFFEN_BASE_PRICE, GIFFEN_NEW_PRICE]]))
    demand = _demand(q, prices)
    comp = _demand(qh, prices)
    low = _demand(q19, prices)
    regimes = {name: sorted(set(m.regime_label(m.sweep(price_civilians=prices, outcomes=["civilian_attacks"])
                                               ["regime"].values).tolist()))
               for name, m in (("demand", q), ("compensated_demand", qh), ("demand_M19", q19))}
    return {
        "panel_a": panel_a,
        "panel_b": panel_b,
        "demand": demand,
        "compensated_demand": comp,
        "demand_M19": low,
        "markers": {"E0": (float(e0.civilian_attacks), GIFFEN_BASE_PRICE),
                    "E1": (float(e1.civilian_attacks), GIFFEN_NEW_PRICE),
                    "E_prime": (hicks["compensated_C"], GIFFEN_NEW_PRICE)},
        "decomposition": hicks,
        "compensated_target": float(e0.control),
        "resources_low": _param(q19, "resources"),
        # every curve was solved without a ParameterError, so 5.6's validity region holds
        "valid": True,
        "regimes": regimes,
    }


_MAKERS: dict[str, Callable[[], dict[str, Any]]] = {
    "ab-optimum": _data_optimum,
    "ab-demand": _data_demand,
    "ab-resource-policy": _data_resource,
    "ab-productivity-policy": _data_productivity,
    "ab-price-policy": _data_price,
    "ab-backfire": _data_backfire,
}


def data(figure_id: str) -> dict[str, Any]:
    """The arrays and points plotted in one of the Anderton–Brauer figures.

    Keys (``budget_line``, ``isoquants``, ``optimum``,
    ``z30_crossings``, ``budget_lines``, ``optima``, ``demand_cd``, ``demand_contest``,
    ``choke_point``, ``demand``, ``compensated_demand``, ``demand_M19``, ...). Curves are
    dicts of numpy arrays; points are ``(C, R)`` or ``(C, p_C)`` tuples or dicts with
    ``C``, ``R``, ``control``, ``regime``.

    Examples
    --------
    >>> data("ab-demand")["choke_point"]
    (0.0, 5.0)
    """
    if figure_id not in _MAKERS:
        raise KeyError(f"no Anderton–Brauer figure {figure_id!r}; have: {', '.join(_MAKERS)}")
    return _MAKERS[figure_id]()


# ---------------------------------------------------------------------- numbers for summary.md
def _numbers_optimum() -> dict[str, Any]:
    d = data("ab-optimum")
    o = d["optimum"]
    out: dict[str, Any] = {"optimum C*": o["C"], "optimum R*": o["R"], "control Z*": o["control"],
                           "regime": o["regime"]}
    for i, (c, r) in enumerate(d["z30_crossings"], 1):
        out[f"Z = 30 crosses the budget line at ({i}) C, R"] = f"{c:.10g}, {r:.10g}"
    out["unattainable isoquant levels"] = ", ".join(f"{z:g}" for z in d["unattainable"])
    return out


def _numbers_demand() -> dict[str, Any]:
    d = data("ab-demand")
    out: dict[str, Any] = {}
    for p, o in d["optima"].items():
        out[f"Cobb–Douglas, p_C = {p:g}: C*, R*, Z*"] = f"{o['C']:.10g}, {o['R']:.10g}, {o['control']:.10g}"
    for c, p in d["contest_points"]:
        out[f"contest, p_C = {p:g}: C*"] = c
    out["contest choke price κM"] = d["choke_point"][1]
    return out


def _numbers_resource() -> dict[str, Any]:
    d = data("ab-resource-policy")
    b, a = d["optima"]["before"], d["optima"]["after"]
    return {"resources before → after": f"{d['resources']['before']:g} → {d['resources']['after']:g}",
            "C* before → after": f"{b['C']:.10g} → {a['C']:.10g}",
            "R* before → after": f"{b['R']:.10g} → {a['R']:.10g}",
            "control before → after": f"{b['control']:.10g} → {a['control']:.10g}",
            "relative change of C* at p_C = 1": d["shift"]["relative_change"]}


def _numbers_productivity() -> dict[str, Any]:
    d = data("ab-productivity-policy")
    b, a = d["optima"]["before"], d["optima"]["after"]
    out: dict[str, Any] = {"bias: C* before → after": f"{b['C']:.10g} → {a['C']:.10g}",
                           "bias: R* before → after": f"{b['R']:.10g} → {a['R']:.10g}",
                           "bias: control before → after": f"{b['control']:.10g} → {a['control']:.10g}"}
    for o in d["contest_optima"].values():
        out[f"contest κ = {o['support_erosion']:g}: C*, R*, Z*, regime"] = (
            f"{o['C']:.10g}, {o['R']:.10g}, {o['control']:.10g}, {o['regime']}")
    return out


def _numbers_price() -> dict[str, Any]:
    d = data("ab-price-policy")
    h, s = d["hicks"], d["slutsky"]
    return {"Hicks substitution": h["substitution"], "Hicks income": h["income"], "Hicks total": h["total"],
            "Hicks compensated cost e(p¹, Z⁰)": h["compensated_cost"],
            "E′ (C, R)": "{:.10g}, {:.10g}".format(*d["points"]["E_prime"]),
            "Slutsky compensated resources M′": s["compensated_resources"],
            "Slutsky substitution": s["substitution"], "Slutsky income": s["income"],
            "S (C, R)": "{:.10g}, {:.10g}".format(*d["points"]["S"]),
            "control at S": d["controls"]["slutsky"]}


def _numbers_backfire() -> dict[str, Any]:
    d = data("ab-backfire")
    out: dict[str, Any] = {}
    for s, marks in d["panel_a"]["markers"].items():
        out[f"ces σ = {s:g}, a_C = {BACKFIRE_AC_MARK:g}: C*"] = marks[BACKFIRE_AC_MARK]
    for s, marks in d["panel_b"]["markers"].items():
        out[f"ces σ = {s:g}, a_R = {BACKFIRE_AR_MARK:g}: C*"] = marks[BACKFIRE_AR_MARK]
    mk, h = d["markers"], d["decomposition"]
    out["quadratic: C* at p_C = 1 → 1.1 (Giffen)"] = f"{mk['E0'][0]:.10g} → {mk['E1'][0]:.10g}"
    out["quadratic: compensated C^h at p_C = 1.1"] = mk["E_prime"][0]
    out["quadratic: substitution / income"] = f"{h['substitution']:.10g} / {h['income']:+.10g}"
    return out


# ---------------------------------------------------------------------- drawing helpers
def _choice_axes(ax: Any, lim: float = CHOICE_LIM, xlim: float | None = None) -> None:
    ax.set_xlim(0, lim if xlim is None else xlim)
    ax.set_ylim(0, lim)
    ax.set_xlabel("Attacks on civilians, C")
    ax.set_ylabel("Attacks on rebels, R")


def _line(ax: Any, curve: Mapping[str, Any], **kw: Any) -> None:
    ax.plot(curve["C"], curve["R"], **kw)


def _dot(ax: Any, xy: Sequence[float], label: str | None = None, hollow: bool = False, colour: str = "k",
         text_offset: tuple[float, float] = (4, 4), **kw: Any) -> None:
    face = "white" if hollow else colour
    ax.plot([xy[0]], [xy[1]], "o", mfc=face, mec=colour, ms=6, zorder=5, **kw)
    if label:
        ax.annotate(label, xy, xytext=text_offset, textcoords="offset points", fontsize=8)


def _bracket(ax: Any, x0: float, x1: float, y: float, text: str, colour: str) -> None:
    ax.annotate("", xy=(x1, y), xytext=(x0, y), xycoords=("data", "axes fraction"),
                textcoords=("data", "axes fraction"),
                arrowprops={"arrowstyle": "<->", "color": colour, "shrinkA": 0, "shrinkB": 0}, annotation_clip=False)
    ax.annotate(text, ((x0 + x1) / 2, y), xycoords=("data", "axes fraction"), xytext=(0, -9),
                textcoords="offset points", ha="center", va="top", fontsize=7, color=colour, annotation_clip=False)


def _fmt(v: float) -> str:
    return f"{v:.4g}"


# ---------------------------------------------------------------------- figures
@figure("ab-optimum", model="anderton_brauer", data=lambda: data("ab-optimum"), numbers=_numbers_optimum,
        caption=f"{CAPTION_PREFIX} The perpetrator's optimum: Cobb–Douglas control Z = R^0.5 C^0.5 with "
                "M = 100 and p_R = p_C = 1. The isoquant Z = 50 is tangent to the budget line at E₀ = (50, 50); "
                "the mixes where Z = 30 crosses the budget line are feasible but waste resources; Z = 70 is "
                "unattainable.")
def ab_optimum() -> Any:
    """Figure ``ab-optimum``: the perpetrator's optimum (budget line, three isoquants and the tangency)."""
    from atrogame import plot

    d = data("ab-optimum")
    fig, ax = plot.subplots(1, 1, figsize=(5.2, 4.6))
    _line(ax, d["budget_line"], color="k", lw=1.6, label="budget line $p_R R + p_C C = M$")
    styles = {30.0: ("#969696", "--"), 50.0: (_COL["before"], "-"), 70.0: ("#969696", ":")}
    for z, curve in d["isoquants"].items():
        col, ls = styles.get(z, ("#969696", "-"))
        _line(ax, curve, color=col, ls=ls, lw=1.3, label=f"isoquant Z = {z:g}")
        text = f"Z = {z:g}" + (" (unattainable)" if z in d["unattainable"] else "")
        ax.annotate(text, (curve["C"][-1], curve["R"][-1]), xytext=(-2, 4), textcoords="offset points",
                    ha="right", va="bottom", fontsize=8, color=col,
                    bbox={"boxstyle": "round,pad=0.1", "fc": "white", "ec": "none", "alpha": 0.85})
    o = d["optimum"]
    _dot(ax, (o["C"], o["R"]), "E₀", colour=_COL["after"])
    for c, r in d["z30_crossings"]:
        _dot(ax, (c, r), None, hollow=True, colour="#636363")
    ax.annotate("feasible but\ninefficient", d["z30_crossings"][0], xytext=(8, 0), textcoords="offset points",
                fontsize=7, color="#636363", va="center")
    _choice_axes(ax)
    ax.legend(loc="upper right", fontsize=7, frameon=False)
    return fig


@figure("ab-demand", model="anderton_brauer", data=lambda: data("ab-demand"), numbers=_numbers_demand,
        caption=f"{CAPTION_PREFIX} Deriving the demand for attacks on civilians. Top: budget lines for "
                "p_C = 0.5, 1, 2 (M = 100, p_R = 1) pivot around R = 100, with the Cobb–Douglas optima. Bottom: "
                "the demand curves. Cobb–Douglas demand C* = 50/p_C never reaches zero; the contest technology "
                "(κ = 0.05, G0 = 60) has a choke price κM = 5 above which civilian attacks stop.")
def ab_demand() -> Any:
    """Figure ``ab-demand``: budget lines for three prices (top) and the demand curves they trace (bottom)."""
    from atrogame import plot

    d = data("ab-demand")
    fig, (top, bot) = plot.subplots(2, 1, figsize=(5.6, 7.0), sharex=True)
    cols = dict(zip(DEMAND_PRICES, ("#1a9641", _COL["before"], _COL["after"]), strict=True))
    for p, line in d["budget_lines"].items():
        _line(top, line, color=cols[p], lw=1.5, label=f"budget line, $p_C$ = {p:g}")
        iso = d["tangent_isoquants"][p]
        _line(top, iso, color=cols[p], lw=0.9, ls="--")
        o = d["optima"][p]
        _dot(top, (o["C"], o["R"]), f"Z = {_fmt(o['control'])}", colour=cols[p],
             text_offset=(-6, -12) if p == min(DEMAND_PRICES) or p == max(DEMAND_PRICES) else (4, 4))
    top.set_xlim(0, DEMAND_C_LIM)
    top.set_ylim(0, CHOICE_LIM)
    top.set_ylabel("Attacks on rebels, R")
    top.legend(loc="upper right", fontsize=7, frameon=False)
    cd, ct = d["demand_cd"], d["demand_contest"]
    bot.plot(cd["civilian_attacks"], cd["price_civilians"], color=_COL["before"], lw=1.6,
             label="Cobb–Douglas (no choke price)")
    choke = d["choke_point"][1]
    bot.plot(ct["civilian_attacks"], ct["price_civilians"], color=_COL["third"], lw=1.6,
             label=f"contest (choke price {choke:g})")
    for c, p in d["demand_cd_points"]:
        _dot(bot, (c, p), None, colour=cols[p])
        bot.axvline(c, color=cols[p], ls="--", lw=0.7)
        top.axvline(c, color=cols[p], ls="--", lw=0.7)
    for c, p in d["contest_points"]:
        _dot(bot, (c, p), None, colour=_COL["third"], hollow=True)
    _dot(bot, d["choke_point"], None, colour=_COL["third"])
    bot.annotate(f"choke price $\\hat p_C = \\kappa M$ = {choke:g}", d["choke_point"], xytext=(8, 4),
                 textcoords="offset points", fontsize=8, color=_COL["third"])
    bot.set_xlim(0, DEMAND_C_LIM)
    bot.set_ylim(0, 6)
    bot.set_xlabel("Attacks on civilians, C")
    bot.set_ylabel("Price of attacking civilians, p_C")
    bot.legend(loc="upper right", fontsize=7, frameon=False)
    return fig


@figure("ab-resource-policy", model="anderton_brauer", data=lambda: data("ab-resource-policy"),
        numbers=_numbers_resource,
        caption=f"{CAPTION_PREFIX} Resource policy: cutting the perpetrator's resources by 40% (M 100 → 60) "
                "shifts the budget line inward in parallel. With Cobb–Douglas control (α_R = α_C = 0.5, "
                "p_R = p_C = 1) the optimum moves from (50, 50) to (30, 30) and control from 50 to 30 (left); "
                "the demand curve for attacks on civilians shifts left, 50/p_C → 30/p_C (right).")
def ab_resource_policy() -> Any:
    """Figure ``ab-resource-policy``: a resource policy shifts the budget line and demand curve inward in parallel."""
    from atrogame import plot

    d = data("ab-resource-policy")
    fig, (ax, ax2) = plot.subplots(1, 2, figsize=(10.0, 4.4))
    for k, col in (("before", _COL["before"]), ("after", _COL["after"])):
        o = d["optima"][k]
        _line(ax, d["budget_lines"][k], color=col, lw=1.6, label=f"budget line, M = {d['resources'][k]:g}")
        _line(ax, d["isoquants"][k], color=col, lw=1.0, ls="--", label=f"isoquant Z = {_fmt(o['control'])}")
        _dot(ax, (o["C"], o["R"]), "E₀" if k == "before" else "E₁", colour=col)
    b, a = d["optima"]["before"], d["optima"]["after"]
    ax.annotate("", (a["C"], a["R"]), (b["C"], b["R"]), arrowprops={"arrowstyle": "->", "color": "k"})
    _choice_axes(ax)
    ax.legend(loc="upper right", fontsize=7, frameon=False)
    ax.set_title("(a) budget line shifts inward", fontsize=9)
    for k, col in (("before", _COL["before"]), ("after", _COL["after"])):
        cur = d["demand"][k]
        ax2.plot(cur["civilian_attacks"], cur["price_civilians"], color=col, lw=1.6,
                 label=f"demand, M = {d['resources'][k]:g}")
    s = d["shift"]
    ax2.annotate("", (s["after"], s["price_civilians"]), (s["before"], s["price_civilians"]),
                 arrowprops={"arrowstyle": "->", "color": "k"})
    ax2.annotate(f"{_fmt(s['before'])} → {_fmt(s['after'])} ({s['relative_change']:+.0%})",
                 (s["after"], s["price_civilians"]), xytext=(0, 8), textcoords="offset points", fontsize=8)
    ax2.set_xlim(0, CHOICE_LIM)
    ax2.set_ylim(*RESOURCE_PRICE_RANGE)
    ax2.set_xlabel("Attacks on civilians, C")
    ax2.set_ylabel("Price of attacking civilians, p_C")
    ax2.legend(loc="upper right", fontsize=7, frameon=False)
    ax2.set_title("(b) the demand curve shifts left", fontsize=9)
    return fig


@figure("ab-productivity-policy", model="anderton_brauer", data=lambda: data("ab-productivity-policy"),
        numbers=_numbers_productivity,
        caption=f"{CAPTION_PREFIX} Productivity (isoquant) policy. (a) A pure bias away from civilian attacks "
                "(Cobb–Douglas α_C 0.5 → 0.3, α_R 0.5 → 0.7) flattens the isoquants; with the budget line "
                "unchanged the optimum moves from (50, 50) to (30, 70). (b) The demand curve shifts left. "
                "(c) Contest technology: lowering the support-erosion effect κ from 0.05 to 0.02 moves the "
                "optimum from (40, 60) to (25, 75); at κ = 0.01 (dotted) the optimum is the corner (0, 100).")
def ab_productivity_policy() -> Any:
    """Figure ``ab-productivity-policy``: isoquant policies (a bias change and its demand shift; support erosion)."""
    from atrogame import plot

    d = data("ab-productivity-policy")
    fig, axes = plot.subplots(1, 3, figsize=(14.0, 4.4))
    ax = axes[0]
    _line(ax, d["budget_line"], color="k", lw=1.6, label="budget line (unchanged)")
    for k, col, tag in (("before", _COL["before"], "E₀"), ("after", _COL["after"], "E₁")):
        o = d["optima"][k]
        ac, ar = d["weights"][k]
        _line(ax, d["isoquants"][k], color=col, lw=1.1,
              label=f"$\\alpha_C$ = {ac:g}, $\\alpha_R$ = {ar:g}: Z = {_fmt(o['control'])}")
        _dot(ax, (o["C"], o["R"]), tag, colour=col)
    _choice_axes(ax)
    ax.legend(loc="upper right", fontsize=7, frameon=False)
    ax.set_title("(a) bias away from civilian attacks", fontsize=9)
    ax = axes[1]
    for k, col in (("before", _COL["before"]), ("after", _COL["after"])):
        cur = d["demand"][k]
        ac = d["weights"][k][0]
        ax.plot(cur["civilian_attacks"], cur["price_civilians"], color=col, lw=1.6,
                label=f"demand, $\\alpha_C$ = {ac:g}")
    ax.set_xlim(0, CHOICE_LIM)
    ax.set_ylim(*RESOURCE_PRICE_RANGE)
    ax.set_xlabel("Attacks on civilians, C")
    ax.set_ylabel("Price of attacking civilians, p_C")
    ax.legend(loc="upper right", fontsize=7, frameon=False)
    ax.set_title("(b) the demand curve shifts left", fontsize=9)
    ax = axes[2]
    _line(ax, d["contest_budget_line"], color="k", lw=1.6, label="budget line")
    for k, col, ls in (("before", _COL["before"], "-"), ("policy", _COL["after"], "-"), ("corner", _COL["third"], ":")):
        o = d["contest_optima"][k]
        _line(ax, d["contest_isoquants"][k], color=col, lw=1.2, ls=ls,
              label=f"κ = {o['support_erosion']:g}: Z = {_fmt(o['control'])}"
                    + (" (corner)" if o["regime"] != "interior" else ""))
        _dot(ax, (o["C"], o["R"]), None, colour=col)
    _choice_axes(ax)
    ax.legend(loc="upper right", fontsize=7, frameon=False)
    ax.set_title("(c) contest: lower support erosion κ", fontsize=9)
    return fig


@figure("ab-price-policy", model="anderton_brauer", data=lambda: data("ab-price-policy"), numbers=_numbers_price,
        caption=f"{CAPTION_PREFIX} Price policy with decomposition: doubling the price of attacking civilians "
                "(p_C 1 → 2; Cobb–Douglas, M = 100, p_R = 1) pivots the budget line around R = 100. (a) Hicks: "
                "the compensated line (dashed) keeps control at 50; the substitution effect moves C from 50 to "
                "35.36 and the income effect from 35.36 to 25. (b) Slutsky: the compensated line keeps the old "
                "bundle affordable (M′ = 150); substitution and income effects are −12.5 each.")
def ab_price_policy() -> Any:
    """Figure ``ab-price-policy``: a price policy, with the Hicks and Slutsky decompositions of a rise in p_C."""
    from atrogame import plot

    d = data("ab-price-policy")
    fig, axes = plot.subplots(1, 2, figsize=(10.5, 4.9))
    lines, pts, iso = d["budget_lines"], d["points"], d["isoquants"]
    for ax, method in zip(axes, ("hicks", "slutsky"), strict=True):
        dec = d[method]
        _line(ax, lines["original"], color=_COL["before"], lw=1.5, label="original budget line")
        _line(ax, lines["new"], color=_COL["after"], lw=1.5, label="after the price rise")
        comp_key = "hicks_compensated" if method == "hicks" else "slutsky_compensated"
        comp_label = ("compensated line (Z held at Z⁰)" if method == "hicks"
                      else f"compensated line (M′ = {_fmt(dec['compensated_resources'])})")
        _line(ax, lines[comp_key], color=_COL["comp"], lw=1.2, ls="--", label=comp_label)
        _line(ax, iso["before"], color=_COL["before"], lw=0.9, ls=":",
              label=f"isoquant Z = {_fmt(d['controls']['before'])}")
        _line(ax, iso["after"], color=_COL["after"], lw=0.9, ls=":",
              label=f"isoquant Z = {_fmt(d['controls']['after'])}")
        if method == "slutsky":
            _line(ax, iso["slutsky"], color=_COL["comp"], lw=0.9, ls=":",
                  label=f"isoquant Z = {_fmt(d['controls']['slutsky'])}")
        mid_key, mid_tag = ("E_prime", "E′") if method == "hicks" else ("S", "S")
        _dot(ax, pts["E0"], "E₀", colour=_COL["before"])
        _dot(ax, pts[mid_key], mid_tag, colour=_COL["comp"])
        _dot(ax, pts["E1"], "E₁", colour=_COL["after"])
        c0, cm, c1 = pts["E0"][0], pts[mid_key][0], pts["E1"][0]
        _bracket(ax, c0, cm, -0.17, f"substitution {dec['substitution']:+.4g}", _COL["comp"])
        _bracket(ax, cm, c1, -0.26, f"income {dec['income']:+.4g}", _COL["after"])
        _bracket(ax, c0, c1, -0.35, f"total {dec['total']:+.4g}", "k")
        _choice_axes(ax, xlim=CHOICE_LIM)
        ax.set_ylim(0, PRICE_R_LIM)
        ax.legend(loc="upper right", fontsize=7, frameon=False)
        ax.set_title("(a) Hicks decomposition" if method == "hicks" else "(b) Slutsky decomposition", fontsize=9)
    return fig


@figure("ab-backfire", model="anderton_brauer", data=lambda: data("ab-backfire"), numbers=_numbers_backfire,
        caption=f"{CAPTION_PREFIX} When policies backfire. CES control (θ = 0.5, M = 100, p_R = p_C = 1): "
                "(a) making civilian attacks less productive (a_C ↓) raises civilian attacks when the attack types "
                "are complements (σ < 1); (b) making attacks on rebels more productive (a_R ↑) also raises them "
                "when σ < 1. (c) Quadratic technology (β = 9, γ = 1, δ = 0.1, M = 20): civilian attacks are an "
                "inferior input, and demand rises with their price (Giffen); the compensated demand falls, and "
                "a resource cut (M = 19, dotted) shifts demand to the right.")
def ab_backfire() -> Any:
    """Figure ``ab-backfire``: backfire cases (CES productivity policies for σ < 1 and the Giffen quadratic demand)."""
    from atrogame import plot

    d = data("ab-backfire")
    fig, axes = plot.subplots(1, 3, figsize=(14.0, 4.4))
    cols = dict(zip(BACKFIRE_SIGMAS, (_COL["after"], _COL["grey"], _COL["before"]), strict=True))
    for ax, key, xname, mark, xlabel, title in (
            (axes[0], "panel_a", "productivity_civilians", BACKFIRE_AC_MARK,
             "Productivity of civilian attacks, $a_C$", "(a) civilian attacks made less productive"),
            (axes[1], "panel_b", "productivity_rebels", BACKFIRE_AR_MARK,
             "Productivity of attacks on rebels, $a_R$", "(b) attacks on rebels made more productive")):
        panel = d[key]
        for s, y in panel["civilian_attacks"].items():
            tag = " (complements: backfire)" if s < 1 else (" (substitutes)" if s > 1 else "")
            ax.plot(panel[xname], y, color=cols[s], lw=1.6, label=f"σ = {s:g}{tag}")
            for a, c in panel["markers"][s].items():
                _dot(ax, (a, c), None, colour=cols[s], hollow=a == 1.0)
        ax.axvline(1.0, color="k", lw=0.6, ls=":")
        ax.axvline(mark, color="k", lw=0.6, ls="--")
        ax.set_xlabel(xlabel)
        ax.set_ylabel("Attacks on civilians, C*")
        # below the panel: inside, the curves fill every corner for some sigma
        ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.2), fontsize=7, frameon=False)
        ax.set_title(title, fontsize=9)
    ax = axes[2]
    for key, col, ls, lab in (("demand", _COL["after"], "-", "demand C*(p_C), M = 20"),
                              ("compensated_demand", _COL["comp"], "--",
                               f"compensated demand, Z = {_fmt(d['compensated_target'])}"),
                              ("demand_M19", _COL["after"], ":", f"demand, M = {d['resources_low']:g}")):
        cur = d[key]
        ax.plot(cur["civilian_attacks"], cur["price_civilians"], color=col, ls=ls, lw=1.5, label=lab)
    mk, h = d["markers"], d["decomposition"]
    _dot(ax, mk["E0"], "E₀", colour="k")
    _dot(ax, mk["E1"], "E₁", colour=_COL["after"])
    _dot(ax, mk["E_prime"], "E′", colour=_COL["comp"], text_offset=(-12, 4))
    ax.annotate(f"E₀ → E′: substitution {h['substitution']:+.4g}\nE′ → E₁: income {h['income']:+.4g}",
                (0.5, 0.08), xycoords="axes fraction", fontsize=7)
    ax.set_xlim(*GIFFEN_X_RANGE)
    ax.set_ylim(*GIFFEN_PRICE_RANGE)
    ax.set_xlabel("Attacks on civilians, C")
    ax.set_ylabel("Price of attacking civilians, p_C")
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.2), fontsize=7, frameon=False)
    ax.set_title("(c) Giffen: quadratic technology", fontsize=9)
    return fig


def parameter_table(technology: str = "ces") -> str:
    """The parameter table of one technology (from the model's ``describe()``) as a LaTeX array.

    Used by the docs through the ``atrogame-math`` directive, so no default is retyped.

    Examples
    --------
    >>> tex = parameter_table("cobb_douglas")
    >>> "resources" in tex and "alpha_C" in tex
    True
    """
    model = _model(technology)
    df = model.describe()
    esc = _latex_text
    rows = [r"\text{name} & \text{symbol} & \text{default} & \text{domain} & \text{meaning} & \text{units} \\ \hline"]
    for name, r in df.iterrows():
        latex = model.parameter_meta(str(name)).get("latex") or str(r["symbol"])
        default = r["default"]
        shown = "" if default is None else (f"{default:g}" if isinstance(default, (int, float)) else str(default))
        domain = str(r["domain"]).replace("inf", r"\infty")
        code = str(name).replace("_", "\\_")
        rows.append(f"\\mathtt{{{code}}} & {latex} & {shown} & {domain} & {esc(str(r['long_name']))} & "
                    f"{esc(str(r['units'] or ''))} \\\\")
    return "\\begin{array}{llllll}\n" + "\n".join(rows) + "\n\\end{array}"


def _latex_text(s: str) -> str:
    for a, b in (("_", " "), ("&", r"\&"), ("%", r"\%"), ("#", r"\#")):
        s = s.replace(a, b)
    return r"\text{" + s + "}"


_SYMBOL = {"civilian_attacks": "C^*", "rebel_attacks": "R^*", "control": "Z^*", "civilian_deaths": "D",
           "cost": r"\text{cost}"}


def effect_latex(model: Any, policy: Any,
                 outcomes: Sequence[str] = ("civilian_attacks", "rebel_attacks", "civilian_deaths")) -> str:
    """Before → after of some outcomes of ``model.policy_effect(policy)``, as LaTeX (for the docs).

    Examples
    --------
    >>> import atrogame as ag
    >>> effect_latex(ag.AndertonBrauer(technology="cobb_douglas"), ag.policies.resource(0.6), ["civilian_attacks"])
    'C^*: 50 \\\\to 30'
    """
    pe = model.policy_effect(policy)
    parts = [f"{_SYMBOL.get(k, k)}: {pe[k].before:.4g} \\to {pe[k].after:.4g}" for k in outcomes]
    return r",\quad ".join(parts)


def decomposition_latex(model: Any, method: str = "hicks", **prices: float) -> str:
    """Substitution, income and total effect of ``model.decompose(**prices, method=...)``, as LaTeX.

    Examples
    --------
    >>> import atrogame as ag
    >>> decomposition_latex(ag.AndertonBrauer(technology="cobb_douglas"), "slutsky", price_civilians=2.0)
    '\\\\text{substitution} = -12.5,\\\\quad \\\\text{income} = -12.5,\\\\quad \\\\text{total} = -25'
    """
    d = model.decompose(method=method, **prices)
    return (rf"\text{{substitution}} = {d.substitution:.4g},\quad \text{{income}} = {d.income:.4g},\quad "
            rf"\text{{total}} = {d.total:.4g}")
