"""Property tests of the Anderton–Brauer model (spec 4.5 and 9.12) for every built-in technology.

Parameters are drawn inside each family's domain (ranges of spec 9.12; quadratic draws are
kept inside its validity region). Derivative-based checks stay at least 1e-3 (relative) away
from regime boundaries; finite differences are central with relative step 1e-6 and pass when
|lhs − rhs| ≤ 1e-5·max(1, |lhs|, |rhs|).
"""

from __future__ import annotations

import contextlib
import functools
import math
import warnings

import numpy as np
import pytest
import sympy as sp
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

import atrogame as ag
from atrogame import policies as P
from atrogame.models.anderton_brauer import symbolic as S

AB = ag.AndertonBrauer
TECHS = ("cobb_douglas", "ces", "contest", "linear", "quasi_linear", "quadratic")
NUMERIC = ("civilian_attacks", "rebel_attacks", "control", "cost", "civilian_share", "civilian_deaths", "choke_price")


def fd_ok(lhs: float, rhs: float, tol: float = 1e-5) -> bool:
    return abs(lhs - rhs) <= tol * max(1.0, abs(lhs), abs(rhs))


# ----------------------------------------------------------------------------- strategies
def _f(lo: float, hi: float) -> st.SearchStrategy[float]:
    return st.floats(lo, hi, allow_nan=False, allow_infinity=False)


@st.composite
def params(draw, tech: str, objective: str = "max_control") -> AB:
    p = {"resources": draw(_f(1, 500)), "price_rebels": draw(_f(0.2, 5)), "price_civilians": draw(_f(0.2, 5)),
         "lethality_civilians": draw(_f(0, 2)), "lethality_rebels": draw(_f(0, 1))}
    if tech == "cobb_douglas":
        p |= {"tfp": draw(_f(0.2, 3)), "weight_rebels": draw(_f(0.2, 3)), "weight_civilians": draw(_f(0.2, 3))}
    elif tech == "ces":
        p |= {"tfp": draw(_f(0.2, 3)), "share_rebels": draw(_f(0.05, 0.95)),
              "substitution_elasticity": draw(_f(0.1, 5)), "productivity_rebels": draw(_f(0.2, 3)),
              "productivity_civilians": draw(_f(0.2, 3))}
    elif tech == "contest":
        p |= {"productivity_rebels": draw(_f(0.2, 3)), "support_erosion": math.exp(draw(_f(-5, 0))),
              "rebel_base_strength": draw(_f(1, 200)), "decisiveness": draw(_f(0.3, 3))}
    elif tech == "linear":
        p |= {"productivity_rebels": draw(_f(0.2, 3)), "productivity_civilians": draw(_f(0.2, 3))}
    elif tech == "quasi_linear":
        p |= {"civilian_value": draw(_f(1, 50))}
    else:
        g = draw(_f(0.2, 3))
        p |= {"civilian_value": draw(_f(1, 50)), "civilian_saturation": g,
              "interaction": draw(_f(0, 0.95)) * g * p["price_rebels"] / (2 * p["price_civilians"])}
    kw = {}
    if objective == "min_cost":
        kw["control_target"] = draw(_f(0.05, 0.95)) if tech == "contest" else draw(_f(1, 200))
    try:
        return AB(tech, objective=objective, **kw, **p)
    except ag.ParameterError:
        assume(False)  # outside the quadratic validity region
        raise


def not_near_boundary(model: AB, names, rel: float = 1e-3) -> bool:
    """True when moving each parameter by ±rel keeps the regime (and the linear tie does not apply)."""
    eq = model.solve()
    if not eq.unique:
        return False
    vals = model.parameter_values()
    for n in names:
        for f in (1 - rel, 1 + rel):
            x = vals[n] * f
            if x not in model.parameter_meta(n)["interval"]:
                continue
            try:
                if model.with_params(**{n: x}).solve().regime != eq.regime:
                    return False
            except ag.ParameterError:
                return False
    return True


def fd(model: AB, of: str, wrt: str) -> float:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        value, crosses = model.finite_difference(of, wrt)
    assert not crosses
    return value


def dual(model: AB, target: float) -> AB:
    return model.with_objective("min_cost", control_target=target)


ALL = pytest.mark.parametrize("tech", TECHS)


# ----------------------------------------------------------------------------- identities
@ALL
@given(data=st.data())
def test_budget_exhaustion_and_no_nan(tech, data):
    m = data.draw(params(tech))
    eq = m.solve()
    v = m.parameter_values()
    spent = v["price_rebels"] * eq.rebel_attacks + v["price_civilians"] * eq.civilian_attacks
    assert math.isclose(spent, v["resources"], rel_tol=1e-9)
    assert eq.cost == v["resources"]
    for k in NUMERIC:
        assert not math.isnan(eq[k])
        assert math.isfinite(eq[k]) or (k == "choke_price" and eq[k] == math.inf)
    assert eq.civilian_attacks >= 0 and eq.rebel_attacks >= 0 and 0 <= eq.civilian_share <= 1
    assert eq.regime == ("no_civilian_attacks" if eq.civilian_attacks == 0 else
                         "no_rebel_attacks" if eq.rebel_attacks == 0 else "interior")


@ALL
@given(data=st.data())
def test_homogeneity_of_degree_zero(tech, data):
    m = data.draw(params(tech))
    v = m.parameter_values()
    eq = m.solve()
    s = m.with_params(resources=3.7 * v["resources"], price_rebels=3.7 * v["price_rebels"],
                      price_civilians=3.7 * v["price_civilians"]).solve()
    for k in ("civilian_attacks", "rebel_attacks", "control"):
        assert math.isclose(eq[k], s[k], rel_tol=1e-9, abs_tol=1e-9 * v["resources"] / v["price_civilians"])
    assert eq.regime == s.regime
    h = data.draw(params(tech, "min_cost"))
    w = h.parameter_values()
    e0 = h.solve()
    e1 = h.with_params(price_rebels=3.7 * w["price_rebels"], price_civilians=3.7 * w["price_civilians"]).solve()
    for k in ("civilian_attacks", "rebel_attacks"):
        assert math.isclose(e0[k], e1[k], rel_tol=1e-9, abs_tol=1e-9 * e0.cost / w["price_civilians"])
    assert math.isclose(e1.cost, 3.7 * e0.cost, rel_tol=1e-9)


@ALL
@given(data=st.data())
def test_adding_up(tech, data):
    m = data.draw(params(tech))
    assume(not_near_boundary(m, ["resources"]))
    v = m.parameter_values()
    lhs = v["price_rebels"] * fd(m, "rebel_attacks", "resources") + v["price_civilians"] * fd(
        m, "civilian_attacks", "resources")
    assert fd_ok(lhs, 1.0)


@ALL
@given(data=st.data())
def test_duality_both_ways(tech, data):
    m = data.draw(params(tech))
    eq = m.solve()
    assume(eq.unique and (tech != "contest" or eq.control < 1 - 1e-9))
    h = dual(m, eq.control).solve()
    scale = m.parameter_values()["resources"]
    assert math.isclose(h.cost, eq.cost, rel_tol=1e-6)  # e(p, Z*(p, M)) = M
    assert math.isclose(h.civilian_attacks, eq.civilian_attacks, rel_tol=1e-6, abs_tol=1e-9 * scale)
    assert math.isclose(h.rebel_attacks, eq.rebel_attacks, rel_tol=1e-6, abs_tol=1e-9 * scale)
    assert h.regime == eq.regime
    mc = data.draw(params(tech, "min_cost"))
    hc = mc.solve()
    assume(hc.unique)
    try:  # C*(p, e(p, Z̄)) = C^h(p, Z̄)
        back = mc.with_objective("max_control").with_params(resources=hc.cost).solve()
    except ag.ParameterError:  # quadratic: max_control's validity region (5.6, condition 3) is narrower
        assume(False)
    assert math.isclose(back.civilian_attacks, hc.civilian_attacks, rel_tol=1e-6, abs_tol=1e-9 * hc.cost)
    assert math.isclose(back.control, hc.control, rel_tol=1e-6)
    assert back.regime == hc.regime


@ALL
@given(data=st.data())
def test_slutsky_negativity_symmetry(tech, data):
    m = data.draw(params(tech))
    eq = m.solve()
    assume(eq.unique and (tech != "contest" or eq.control < 1 - 1e-6))
    names = ["resources", "price_civilians", "price_rebels"]
    assume(not_near_boundary(m, names))
    h = dual(m, eq.control)
    assume(not_near_boundary(h, ["price_civilians", "price_rebels"]))
    dCdM = fd(m, "civilian_attacks", "resources")
    dChdpC, dChdpR = fd(h, "civilian_attacks", "price_civilians"), fd(h, "civilian_attacks", "price_rebels")
    assert fd_ok(fd(m, "civilian_attacks", "price_civilians"), dChdpC - eq.civilian_attacks * dCdM)
    assert fd_ok(fd(m, "civilian_attacks", "price_rebels"), dChdpR - eq.rebel_attacks * dCdM)
    tol = 1e-5 * max(1.0, abs(dChdpC), abs(dChdpR))
    assert dChdpC <= tol and dChdpR >= -tol  # negativity; net substitutes
    assert fd_ok(dChdpR, fd(h, "rebel_attacks", "price_civilians"))  # symmetry


@ALL
@given(data=st.data())
def test_choke_price(tech, data):
    m = data.draw(params(tech))
    eq = m.solve()
    pc = m.parameter_values()["price_civilians"]
    if tech in ("cobb_douglas", "ces"):
        assert eq.choke_price == math.inf
        # civilian attacks are always used (unless the share is below the snapping threshold of 1e-12)
        assert eq.civilian_attacks > 0 or (tech == "ces" and _ces_raw_share(m) <= 1e-12)
    else:
        assert (eq.civilian_attacks == 0) == (pc >= eq.choke_price) or not eq.unique
        if pc < eq.choke_price * (1 - 1e-9):
            try:
                above = m.with_params(price_civilians=eq.choke_price * (1 + 1e-9))
            except ag.ParameterError:  # a higher p_C can leave the quadratic validity region (k > 0)
                return
            assert above.solve().civilian_attacks == 0


def _ces_raw_share(m: AB) -> float:
    v = m.parameter_values()
    s, th = v["substitution_elasticity"], v["share_rebels"]
    tR = th**s * v["productivity_rebels"] ** (s - 1) * v["price_rebels"] ** (1 - s)
    tC = (1 - th) ** s * v["productivity_civilians"] ** (s - 1) * v["price_civilians"] ** (1 - s)
    return tC / (tR + tC)


@ALL
@given(data=st.data())
def test_decompositions_add_up(tech, data):
    m = data.draw(params(tech))
    factor = data.draw(_f(0.3, 3))
    which = data.draw(st.sampled_from(["price_civilians", "price_rebels"]))
    v = m.parameter_values()
    new = {which: v[which] * factor}
    try:
        m.with_params(**new)
    except ag.ParameterError:
        assume(False)
    eq = m.solve()
    assume(tech != "contest" or eq.control < 1 - 1e-9)
    for method in ("hicks", "slutsky"):
        try:
            d = m.decompose(**new, method=method)
        except ag.ParameterError:  # the Slutsky budget can leave the quadratic validity region
            assume(False)
        scale = 1e-9 * max(1.0, abs(d.before.civilian_attacks), abs(d.after.civilian_attacks))
        assert abs(d.substitution + d.income - d.total) <= scale
        assert d.total == d.after.civilian_attacks - d.before.civilian_attacks
        if method == "hicks" and eq.unique:
            # the substitution effect never raises C (own price up) and never lowers it (cross price up)
            sgn = 1 if (which == "price_civilians") == (factor > 1) else -1
            assert sgn * d.substitution <= 1e-9 * max(1.0, eq.civilian_attacks) or not d.compensated.unique


@ALL
@given(data=st.data())
def test_apply_never_mutates_and_vectorised_equals_scalar(tech, data):
    m = data.draw(params(tech))
    before = dict(m.parameter_values())
    r0 = repr(m)
    for pol in (P.resource(0.7), P.price(civilians=1.3), P.productivity(m.technology_parameters()[-1], 1.1)):
        with contextlib.suppress(ag.ParameterError):
            m.policy_effect(pol)
    assert m.parameter_values() == before and repr(m) == r0
    v = m.parameter_values()
    grid = {"price_civilians": v["price_civilians"] * np.array([0.5, 1.0, 2.0]),
            "resources": v["resources"] * np.array([0.8, 1.0])}
    try:
        ds = m.sweep(**grid)
    except ag.ParameterError:
        assume(False)
    for i, pc in enumerate(grid["price_civilians"]):
        for j, M in enumerate(grid["resources"]):
            eq = m.with_params(price_civilians=float(pc), resources=float(M)).solve()
            for k in NUMERIC:
                got = float(ds[k].values[i, j])
                assert got == eq[k] or math.isclose(got, eq[k], rel_tol=1e-12, abs_tol=1e-300)
            assert m.regime_names[int(ds["regime"].values[i, j])] == eq.regime


# ----------------------------------------------------------------------------- sign rule and elasticities
@functools.cache
def _log_mrts(tech: str):
    s = S.symbols(tech, "max_control")
    F = S.control_function(tech, s)
    if tech == "contest":  # F = g(x) with g increasing: F_C/F_R = x_C/x_R (avoids cancellation in g')
        F = s["productivity_rebels"] * S.R_SYM * (1 + s["support_erosion"] * S.C_SYM)
    expr = sp.log(sp.simplify(sp.diff(F, S.C_SYM) / sp.diff(F, S.R_SYM)))  # simplified: no cancellation
    names = sorted(s)
    args = [S.R_SYM, S.C_SYM, *(s[n] for n in names)]
    return names, {n: sp.lambdify(args, sp.diff(expr, s[n]), "math") for n in names}


@pytest.mark.parametrize("tech", ["cobb_douglas", "ces", "contest", "quasi_linear", "quadratic"])
@settings(suppress_health_check=[HealthCheck.filter_too_much, HealthCheck.too_slow])  # interior draws only
@given(data=st.data())
def test_sign_rule(tech, data):
    m = data.draw(params(tech))
    eq = m.solve()
    assume(eq.regime == "interior")
    names, dlog = _log_mrts(tech)
    v = m.parameter_values()
    for tau in m.technology_parameters():
        if not not_near_boundary(m, [tau]):
            continue
        rule = dlog[tau](eq.rebel_attacks, eq.civilian_attacks, *(v[n] for n in names))
        dc = fd(m, "civilian_attacks", tau)
        scale = max(1.0, eq.civilian_attacks) / max(abs(v[tau]), 1e-3)
        if abs(dc) > 1e-5 * scale and abs(rule) > 1e-7:
            assert np.sign(dc) == np.sign(rule), (tau, dc, rule)
        elif abs(rule) <= 1e-12:
            assert abs(dc) <= 1e-5 * scale, (tau, dc, rule)


def _elasticities(tech: str, objective: str, v: dict, eq) -> dict[str, float]:
    """The closed-form elasticities / derivatives of C of spec section 5 (value, 'd' or 'e')."""
    C, _R = eq.civilian_attacks, eq.rebel_attacks
    cost = eq.cost
    sC = v["price_civilians"] * C / cost
    sR = 1 - sC
    out: dict[str, tuple[str, float]] = {}
    if objective == "max_control":
        if tech == "cobb_douglas":
            out = {"resources": ("e", 1), "price_civilians": ("e", -1), "price_rebels": ("e", 0),
                   "weight_civilians": ("e", sR), "weight_rebels": ("e", -sR), "tfp": ("e", 0)}
        elif tech == "ces":
            s, th = v["substitution_elasticity"], v["share_rebels"]
            out = {"resources": ("e", 1), "price_civilians": ("e", -(s * sR + sC)), "price_rebels": ("e", (s - 1) * sR),
                   "productivity_civilians": ("e", (s - 1) * sR), "productivity_rebels": ("e", (1 - s) * sR),
                   "share_rebels": ("semi", -s * sR / (th * (1 - th))), "tfp": ("e", 0)}
        elif tech == "contest" and eq.regime == "interior":
            k, M, pc = v["support_erosion"], v["resources"], v["price_civilians"]
            eta = (M / pc) / (M / pc - 1 / k)
            out = {"resources": ("e", eta), "price_civilians": ("e", -eta), "price_rebels": ("e", 0),
                   "support_erosion": ("d", 1 / (2 * k * k)), "productivity_rebels": ("d", 0),
                   "rebel_base_strength": ("d", 0), "decisiveness": ("d", 0)}
        elif tech == "quasi_linear" and eq.regime == "interior":
            out = {"resources": ("e", 0), "price_civilians": ("e", -(C + 1) / C), "price_rebels": ("e", (C + 1) / C),
                   "civilian_value": ("d", v["price_rebels"] / v["price_civilians"])}
        elif tech == "quadratic" and eq.regime == "interior":
            b, g, d = v["civilian_value"], v["civilian_saturation"], v["interaction"]
            pr, pc, M = v["price_rebels"], v["price_civilians"], v["resources"]
            k = g * pr - 2 * d * pc
            out = {"resources": ("d", -d / k), "price_civilians": ("d", (2 * d * C - 1) / k),
                   "price_rebels": ("d", (b - g * C) / k), "civilian_value": ("d", pr / k),
                   "civilian_saturation": ("d", -pr * C / k), "interaction": ("d", (2 * pc * C - M) / k)}
        elif tech == "linear" and eq.regime == "no_rebel_attacks":
            out = {"resources": ("e", 1), "price_civilians": ("e", -1), "price_rebels": ("e", 0)}
    else:
        if tech == "cobb_douglas":
            h = v["weight_rebels"] + v["weight_civilians"]
            out = {"price_civilians": ("e", -sR), "price_rebels": ("e", sR), "control_target": ("e", 1 / h),
                   "tfp": ("e", -1 / h)}
        elif tech == "ces":
            s = v["substitution_elasticity"]
            out = {"price_civilians": ("e", -s * sR), "price_rebels": ("e", s * sR),
                   "productivity_civilians": ("e", s * sR - 1), "productivity_rebels": ("e", -s * sR)}
        elif tech == "contest" and eq.regime == "interior":
            k, m_ = v["support_erosion"], v["decisiveness"]
            Vb = v["rebel_base_strength"] / v["productivity_rebels"] * (v["control_target"] / (
                1 - v["control_target"])) ** (1 / m_)
            u = math.sqrt(k * v["price_rebels"] * Vb / v["price_civilians"])
            out = {"support_erosion": ("d", (1 - u / 2) / k**2)}
    return out


@pytest.mark.parametrize("objective", ["max_control", "min_cost"])
@ALL
@settings(suppress_health_check=[HealthCheck.filter_too_much, HealthCheck.too_slow])
@given(data=st.data())
def test_section5_elasticities_equal_finite_differences(tech, objective, data):
    m = data.draw(params(tech, objective))
    eq = m.solve()
    assume(eq.unique and eq.civilian_attacks > 0)
    v = m.parameter_values()
    for wrt, (kind, formula) in _elasticities(tech, objective, v, eq).items():
        if not not_near_boundary(m, [wrt]):
            continue
        d = fd(m, "civilian_attacks", wrt)
        got = {"d": d, "e": d * v[wrt] / eq.civilian_attacks, "semi": d / eq.civilian_attacks}[kind]
        assert fd_ok(got, formula), (wrt, kind, got, formula)


# ----------------------------------------------------------------------------- no NaN, vectorised
@pytest.mark.parametrize("objective", ["max_control", "min_cost"])
@ALL
def test_no_nan_over_random_arrays(tech, objective):
    rng = np.random.default_rng(7)
    n = 4000
    names, cols = _random_columns(tech, objective, rng, n)
    m = AB(tech, objective=objective, **({"control_target": 0.5 if tech == "contest" else 50.0}
                                          if objective == "min_cost" else {}))
    Y = m.evaluate(np.column_stack(cols), names, [*list(NUMERIC), "regime"])
    assert not np.isnan(Y).any()
    assert np.isfinite(Y[:, :6]).all()
    # the vectorised evaluation equals scalar solves at a few rows
    for i in rng.choice(len(cols[0]), 15, replace=False):
        eq = m.with_params(**{nm: float(c[i]) for nm, c in zip(names, cols, strict=True)}).solve()
        for j, k in enumerate(NUMERIC):
            assert Y[i, j] == eq[k] or math.isclose(Y[i, j], eq[k], rel_tol=1e-12)


def _random_columns(tech, objective, rng, n):
    u = lambda lo, hi: rng.uniform(lo, hi, n)  # noqa: E731
    cols = {"resources": u(1, 500), "price_rebels": u(0.2, 5), "price_civilians": u(0.2, 5)}
    if tech == "cobb_douglas":
        cols |= {"tfp": u(0.2, 3), "weight_rebels": u(0.2, 3), "weight_civilians": u(0.2, 3)}
    elif tech == "ces":
        cols |= {"share_rebels": u(0.05, 0.95), "substitution_elasticity": np.concatenate(
            [u(0.1, 5)[: n - 4], [1.0, 1 + 1e-10, 1 - 1e-12, 1e-6]]), "productivity_rebels": u(0.2, 3),
            "productivity_civilians": u(0.2, 3)}
    elif tech == "contest":
        cols |= {"support_erosion": np.exp(u(-5, 0)), "rebel_base_strength": u(1, 200), "decisiveness": u(0.3, 3)}
    elif tech == "linear":
        cols |= {"productivity_rebels": u(0.2, 3), "productivity_civilians": u(0.2, 3)}
    elif tech == "quasi_linear":
        cols |= {"civilian_value": u(1, 50)}
    else:
        g = u(0.2, 3)
        d = u(0, 0.95) * g * cols["price_rebels"] / (2 * cols["price_civilians"])
        cols |= {"civilian_value": u(1, 50), "civilian_saturation": g, "interaction": d}
        from atrogame.models.anderton_brauer.families import _quadratic_budget_optimum

        if objective == "max_control":  # keep the validity region
            zb, _, _ = _quadratic_budget_optimum(cols["civilian_value"], g, d, cols["resources"],
                                                 cols["price_rebels"], cols["price_civilians"])
            ok = ~((cols["civilian_value"] / g < cols["resources"] / cols["price_civilians"])
                   & (zb < cols["civilian_value"] ** 2 / (2 * g) * (1 - 1e-9)))
            cols = {k: c[ok] for k, c in cols.items()}
    if objective == "min_cost":
        k = len(next(iter(cols.values())))
        cols["control_target"] = rng.uniform(0.01, 0.99, k) if tech == "contest" else rng.uniform(0.5, 300, k)
    return list(cols), list(cols.values())


# ----------------------------------------------------------------------------- comparative-statics signs
def _random_models(tech: str, objective: str, n: int, seed: int) -> list[AB]:
    rng = np.random.default_rng(seed)
    out: list[AB] = []
    while len(out) < n:
        names, cols = _random_columns(tech, objective, rng, 50)
        for i in range(len(cols[0])):
            kw = {nm: float(c[i]) for nm, c in zip(names, cols, strict=True)}
            tgt = kw.pop("control_target", None)
            try:
                out.append(AB(tech, objective=objective, control_target=tgt, **kw))
            except ag.ParameterError:
                continue
            if len(out) == n:
                break
    return out


def _check_signs(tech: str, objective: str, outcomes, n: int, seed: int) -> int:
    checked = 0
    for m in _random_models(tech, objective, n, seed):
        names = list(m.parameter_values())
        cs = m.comparative_statics(wrt=names, of=list(outcomes))
        for e in cs:
            assert e.sign in ("positive", "negative", "nonnegative", "nonpositive", "zero", "ambiguous")
            if e.boundary or not not_near_boundary(m, [e.wrt]):
                continue
            d = fd(m, e.outcome, e.wrt)
            assert fd_ok(e.value, d), (tech, objective, e.outcome, e.wrt, e.value, d)
            y = m.solve()[e.outcome]
            small = 1e-6 * max(1.0, abs(y)) / max(1e-3, abs(m.parameter_values()[e.wrt]))
            if e.sign in ("positive", "nonnegative"):
                assert d > -small, (e, d)
            elif e.sign in ("negative", "nonpositive"):
                assert d < small, (e, d)
            elif e.sign == "zero":
                assert abs(d) <= 1e-5 * max(1.0, abs(y)), (e, d)
            checked += 1
    return checked


@pytest.mark.parametrize("objective", ["max_control", "min_cost"])
@ALL
def test_civilian_attack_signs_agree_with_finite_differences(tech, objective):
    assert _check_signs(tech, objective, ["civilian_attacks"], n=6, seed=11) > 0


@pytest.mark.slow
@pytest.mark.parametrize("objective", ["max_control", "min_cost"])
@ALL
def test_all_outcome_signs_agree_with_finite_differences(tech, objective):
    assert _check_signs(tech, objective, S.OUTCOMES, n=4, seed=12) > 0


# the signs reported for built-in families under max_control (spec 6.6)
SIGNS_66 = {
    ("cobb_douglas", "max_control", "interior"): {"resources": "positive", "price_civilians": "negative",
                                                  "price_rebels": "zero", "tfp": "zero",
                                                  "weight_civilians": "positive", "weight_rebels": "negative"},
    ("ces", "max_control", "interior"): {"resources": "positive", "price_civilians": "negative",
                                         "share_rebels": "negative", "tfp": "zero", "price_rebels": "ambiguous",
                                         "productivity_civilians": "ambiguous", "productivity_rebels": "ambiguous",
                                         "substitution_elasticity": "ambiguous"},
    ("contest", "max_control", "interior"): {"resources": "positive", "price_civilians": "negative",
                                             "support_erosion": "positive", "price_rebels": "zero",
                                             "productivity_rebels": "zero", "rebel_base_strength": "zero",
                                             "decisiveness": "zero"},
    ("quasi_linear", "max_control", "interior"): {"resources": "zero", "price_civilians": "negative",
                                                  "price_rebels": "positive", "civilian_value": "positive"},
    ("linear", "max_control", "no_rebel_attacks"): {"resources": "positive", "price_civilians": "negative",
                                                    "price_rebels": "zero", "productivity_rebels": "zero",
                                                    "productivity_civilians": "zero"},
    ("quadratic", "max_control", "interior"): {"resources": "negative", "civilian_value": "positive",
                                               "price_rebels": "positive", "civilian_saturation": "negative",
                                               "price_civilians": "ambiguous", "interaction": "ambiguous"},
    ("cobb_douglas", "min_cost", "interior"): {"price_civilians": "negative", "price_rebels": "positive",
                                               "control_target": "positive", "tfp": "negative",
                                               "weight_civilians": "ambiguous", "weight_rebels": "ambiguous"},
    ("ces", "min_cost", "interior"): {"price_civilians": "negative", "price_rebels": "positive",
                                      "control_target": "positive", "tfp": "negative",
                                      "productivity_civilians": "ambiguous", "share_rebels": "ambiguous",
                                      "productivity_rebels": "negative"},
    ("contest", "min_cost", "interior"): {"price_civilians": "negative", "price_rebels": "positive",
                                          "control_target": "positive", "rebel_base_strength": "positive",
                                          "productivity_rebels": "negative", "support_erosion": "ambiguous"},
    ("quasi_linear", "min_cost", "interior"): {"price_civilians": "negative"},
    ("quadratic", "min_cost", "interior"): {"price_civilians": "negative"},
}


@pytest.mark.parametrize("key", list(SIGNS_66), ids=lambda k: "-".join(k))
def test_reported_signs_are_those_of_section_6_6(key):
    tech, objective, regime = key
    for wrt, sign in SIGNS_66[key].items():
        assert S.decided_sign(tech, objective, regime, "civilian_attacks", wrt) == sign, wrt
    # corners: everything zero at C* = 0; under min_cost, price_civilians zero in corner regimes
    for obj in ("max_control", "min_cost"):
        for w in S.symbols(tech, obj):
            assert S.decided_sign(tech, obj, "no_civilian_attacks", "civilian_attacks", w) == "zero"
    if tech in ("linear", "quasi_linear", "quadratic"):
        assert S.decided_sign(tech, "min_cost", "no_rebel_attacks", "civilian_attacks", "price_civilians") == "zero"
