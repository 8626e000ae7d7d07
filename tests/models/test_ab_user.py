"""User sympy technologies of the perpetrator's choice model (spec §5.7, tests 9.4, 9.7, 9.12).

Reference values are the spec's (atrogame's own numbers, after Anderton & Brauer). Independent
checks: closed forms derived by hand, scipy SLSQP, gradients lambdified separately with sympy,
and central finite differences of the numeric solver.
"""

from __future__ import annotations

import math
import time
import warnings

import numpy as np
import pytest
import sympy as sp
from scipy import optimize

from atrogame import MultipleOptimaWarning, ParameterError
from atrogame.models.anderton_brauer import user as _ab_user
from atrogame.models.anderton_brauer.user import COMMON_NAMES, UserSolution, UserTechnology, attack_symbols, common_symbols

REL = 1e-6

GEN = "R**0.6*C**0.4 + 2*log(1+C)"


def close(a: float, b: float, rel: float = REL, abs_: float = 1e-9) -> bool:
    return abs(a - b) <= max(rel * max(abs(a), abs(b)), abs_)


def assert_solution(sol: UserSolution, C: float, R: float, Z: float, regime: str | None = None) -> None:
    assert close(sol.civilian_attacks, C), (sol, C)
    assert close(sol.rebel_attacks, R), (sol, R)
    assert close(sol.control, Z), (sol, Z)
    if regime is not None:
        assert sol.regime == regime


# ------------------------------------------------------------------ spec 9.7


@pytest.mark.parametrize(
    ("expr", "values", "pR", "pC", "M", "C", "R", "Z", "regime"),
    [
        ("A*R**a*C**(1-a)", {"A": 1.0, "a": 0.5}, 1, 1, 100, 50, 50, 50, "interior"),
        ("R*(1+k*C)", {"k": 0.05}, 1, 1, 100, 40, 60, 180, "interior"),
        ("R*(1+k*C)", {"k": 0.05}, 1, 6, 100, 0, 100, 100, "no_civilian_attacks"),
        (GEN, {}, 1, 1, 100, 42.21513733, 57.78486267, 58.49781649, "interior"),
        (GEN, {}, 1, 3, 100, 14.41206218, 56.76381347, 38.27479841, "interior"),
        (GEN, {}, 2, 1, 50, 23.08917116, 13.45541442, 23.06295238, "interior"),
    ],
)
def test_spec_9_7_max_control(expr, values, pR, pC, M, C, R, Z, regime):
    sol = UserTechnology(expr).solve_max_control(values, pR, pC, M)
    assert_solution(sol, C, R, Z, regime)
    assert sol.cost == pytest.approx(M, rel=1e-15)
    assert sol.unique


def test_spec_9_7_choke_prices():
    assert UserTechnology("R*(1+k*C)").choke_price({"k": 0.05}, 1.0, 100.0) == pytest.approx(5.0, rel=1e-12)
    assert UserTechnology(GEN).choke_price({}, 1.0, 100.0) == math.inf  # F_C infinite at C = 0
    assert UserTechnology("A*R**a*C**(1-a)").choke_price({"A": 1.0, "a": 0.5}, 1.0, 100.0) == math.inf


def test_spec_9_7_min_cost_duality():
    tech = UserTechnology(GEN)
    sol = tech.solve_min_cost({}, 1.0, 1.0, 58.49781649)
    assert close(sol.civilian_attacks, 42.21513733)
    assert close(sol.cost, 100.0)
    assert sol.control == 58.49781649
    assert sol.regime == "interior"
    # and the other direction: C*(p, e(p, Z̄)) = C^h(p, Z̄)
    back = tech.solve_max_control({}, 1.0, 1.0, sol.cost)
    assert close(back.civilian_attacks, sol.civilian_attacks, rel=1e-9)
    assert close(back.control, 58.49781649, rel=1e-9)


# ------------------------------------------------------------------ spec 9.4 through a user expression


QL = UserTechnology("R + b*log(1+C)")
B30 = {"b": 30.0}


@pytest.mark.parametrize(
    ("pC", "M", "C", "R", "Z", "regime"),
    [
        (1, 100, 29, 71, 173.0359214, "interior"),
        (1, 50, 29, 21, 123.0359214, "interior"),
        (1, 20, 20, 0, 91.33567313, "no_rebel_attacks"),
        (2, 100, 14, 72, 153.2415060, "interior"),
        (30, 100, 0, 100, 100, "no_civilian_attacks"),
    ],
)
def test_quasi_linear_rows_9_4(pC, M, C, R, Z, regime):
    sol = QL.solve_max_control(B30, 1.0, pC, M)
    assert_solution(sol, C, R, Z, regime)
    assert QL.choke_price(B30, 1.0, M) == pytest.approx(30.0, rel=1e-12)


def test_quasi_linear_min_cost_9_4():
    sol = QL.solve_min_cost(B30, 1.0, 2.0, 173.0359214)
    assert close(sol.civilian_attacks, 14.0)
    assert close(sol.rebel_attacks, 91.79441542)
    assert close(sol.cost, 119.7944154)
    assert sol.regime == "interior"
    sol = QL.solve_min_cost(B30, 1.0, 2.0, 50.0)
    assert sol.rebel_attacks == 0.0
    assert sol.regime == "no_rebel_attacks"
    assert close(sol.civilian_attacks, math.exp(5 / 3) - 1)
    assert close(sol.cost, 8.588980101)
    assert QL.choke_price_min_cost(B30, 1.0, 50.0) == pytest.approx(30.0, rel=1e-12)


def test_contest_min_cost_rows_through_user_expression():
    """R(1 + κC) is the contest family's kernel: spec 9.3 min_cost rows (V̄ = 180)."""
    tech = UserTechnology("R*(1+k*C)")
    sol = tech.solve_min_cost({"k": 0.05}, 1.0, 2.0, 180.0)
    assert close(sol.civilian_attacks, 22.42640687)
    assert close(sol.rebel_attacks, 84.85281374)
    assert close(sol.cost, 129.7056275)
    sol = tech.solve_min_cost({"k": 0.005}, 1.0, 1.0, 180.0)
    assert (sol.civilian_attacks, sol.regime) == (0.0, "no_civilian_attacks")
    assert close(sol.rebel_attacks, 180.0)
    assert tech.choke_price_min_cost({"k": 0.05}, 1.0, 180.0) == pytest.approx(9.0, rel=1e-12)  # κ p_R V̄


# ------------------------------------------------------------------ symbolic solution


def test_cobb_douglas_symbolic_solution_is_the_closed_form(monkeypatch):
    tech = UserTechnology("A*R**a*C**(1-a)")
    sol = tech.symbolic_solution(timeout=30.0)
    assert sol is not None
    s = common_symbols()
    a = sp.Symbol("a")
    assert sp.simplify(sol["C"] - (1 - a) * s["resources"] / s["price_civilians"]) == 0
    assert sp.simplify(sol["R"] - a * s["resources"] / s["price_rebels"]) == 0
    # validated against the numeric solution at a point, and cached (no second sympy run)
    at = {"A": 2.0, "a": 0.3, "price_rebels": 1.5, "price_civilians": 0.7, "resources": 80.0}
    monkeypatch.setattr(_ab_user, "_attempt", lambda *a: pytest.fail("sympy was run again"))
    assert tech.symbolic_solution(at=at) == sol
    assert tech.symbolic_solution(at={**at, "a": 0.7}) == sol


def test_symbolic_solution_checked_at_a_corner():
    tech = UserTechnology("R*(1+k*C)")
    at = {"k": 0.05, "price_rebels": 1.0, "price_civilians": 1.0, "resources": 100.0}
    sol = tech.symbolic_solution(at=at)
    assert sol is not None
    assert float(sol["C"].subs({sp.Symbol("k"): 0.05, **{common_symbols()[n]: at[n] for n in at if n != "k"}})) == 40
    # at p_C = 6 the tangency solution is negative: the numeric corner disagrees, so no symbolic answer
    assert tech.symbolic_solution(at={**at, "price_civilians": 6.0}) is None


def test_no_symbolic_solution_within_time_limit():
    start = time.perf_counter()
    assert UserTechnology(GEN).symbolic_solution(timeout=5.0) is None
    assert time.perf_counter() - start < 5.0 + 5.0  # the time limit plus process start-up and clean-up


def test_symbolic_timeout_stops_the_worker_and_is_retried_with_more_time():
    tech = UserTechnology("B*R**b*C**(1-b)")  # a fresh expression: nothing cached yet
    start = time.perf_counter()
    assert tech.symbolic_solution(timeout=0.01) is None
    assert time.perf_counter() - start < 5.0  # far less than the ~1 s sympy needs, plus process overhead
    sol = tech.symbolic_solution(timeout=30.0)
    assert sol is not None
    b = sp.Symbol("b")
    assert sp.simplify(sol["C"] - (1 - b) * common_symbols()["resources"] / common_symbols()["price_civilians"]) == 0


# ------------------------------------------------------------------ implicit derivatives


def test_implicit_derivative_support_erosion_is_200():
    tech = UserTechnology("R*(1+k*C)")
    d = tech.implicit_derivative("civilian_attacks", "k")
    s = common_symbols()
    point = {tech.R: 60, tech.C: 40, sp.Symbol("k"): 0.05, s["price_rebels"]: 1, s["price_civilians"]: 1}
    point[s["resources"]] = 100
    assert float(d.subs(point)) == pytest.approx(200.0, rel=1e-12)
    assert float(d.subs(point)) == pytest.approx(1 / (2 * 0.05**2), rel=1e-12)


def _evaluate(expr: sp.Expr, tech: UserTechnology, values: dict, sol: UserSolution, **common: float) -> float:
    s = common_symbols()
    subs = {tech.R: sol.rebel_attacks, tech.C: sol.civilian_attacks}
    subs.update({sym: values[sym.name] for sym in tech.parameter_symbols})
    subs.update({s[n]: v for n, v in common.items()})
    return float(expr.xreplace(subs))


FD_CASES = [
    ("A*R**a*C**(1-a)", {"A": (0.5, 3.0), "a": (0.1, 0.9)}),
    ("R*(1+k*C)", {"k": (0.05, 1.0)}),
    ("R**a*C**(1-a) + b*log(1+C)", {"a": (0.3, 0.8), "b": (0.2, 3.0)}),
    ("(t*R**r + (1-t)*C**r)**(1/r)", {"t": (0.2, 0.8), "r": (-2.0, 0.7)}),
]


@pytest.mark.parametrize(("expr", "ranges"), FD_CASES)
def test_implicit_derivatives_equal_finite_differences(expr, ranges, rng):
    tech = UserTechnology(expr)
    wrts = (*tech.parameter_names, "price_rebels", "price_civilians", "resources")
    checked = 0
    while checked < 6:
        values = {n: float(rng.uniform(*ranges[n])) for n in tech.parameter_names}
        common = {
            "price_rebels": float(rng.uniform(0.5, 3)),
            "price_civilians": float(rng.uniform(0.5, 3)),
            "resources": float(rng.uniform(20, 300)),
        }
        sol = tech.solve_max_control(values, **common)
        cmax = common["resources"] / common["price_civilians"]
        if not (1e-3 * cmax < sol.civilian_attacks < (1 - 1e-3) * cmax):
            continue  # keep away from regime boundaries
        checked += 1
        for wrt in wrts:
            for of, attr in (("civilian_attacks", "civilian_attacks"), ("rebel_attacks", "rebel_attacks")):
                lhs = _evaluate(tech.implicit_derivative(of, wrt), tech, values, sol, **common)
                x = values[wrt] if wrt in values else common[wrt]
                h = 1e-6 * max(abs(x), 1e-3)

                def at(xv: float, wrt=wrt, attr=attr, values=values, common=common) -> float:
                    v, c = dict(values), dict(common)
                    (v if wrt in v else c)[wrt] = xv
                    return getattr(tech.solve_max_control(v, **c), attr)

                rhs = (at(x + h) - at(x - h)) / (2 * h)
                assert abs(lhs - rhs) <= 1e-5 * max(1.0, abs(lhs), abs(rhs)), (expr, wrt, of, lhs, rhs)
        # control: total derivative = envelope result F_x (technology) or -μC (price_civilians)
        dz = _evaluate(tech.implicit_derivative("control", "price_civilians"), tech, values, sol, **common)
        mu = _evaluate(sp.diff(tech.expr, tech.C), tech, values, sol) / common["price_civilians"]
        assert dz == pytest.approx(-mu * sol.civilian_attacks, rel=1e-7)


def test_implicit_derivatives_min_cost_equal_finite_differences(rng):
    tech = UserTechnology("R**a*C**(1-a) + b*log(1+C)")
    for _ in range(4):
        values = {"a": float(rng.uniform(0.3, 0.7)), "b": float(rng.uniform(0.5, 2.0))}
        common = {"price_rebels": float(rng.uniform(0.5, 2)), "price_civilians": float(rng.uniform(0.5, 2))}
        target = float(rng.uniform(20, 80))
        sol = tech.solve_min_cost(values, control_target=target, **common)
        assert sol.regime == "interior"
        for wrt in ("a", "b", "price_rebels", "price_civilians", "control_target"):
            lhs = _evaluate(
                tech.implicit_derivative("civilian_attacks", wrt, objective="min_cost"),
                tech,
                values,
                sol,
                control_target=target,
                **common,
            )
            x = values.get(wrt, common.get(wrt, target))
            h = 1e-6 * abs(x)

            def at(xv: float, wrt=wrt, values=values, common=common, target=target) -> float:
                v, c, z = dict(values), dict(common), target
                if wrt in v:
                    v[wrt] = xv
                elif wrt in c:
                    c[wrt] = xv
                else:
                    z = xv
                return tech.solve_min_cost(v, control_target=z, **c).civilian_attacks

            rhs = (at(x + h) - at(x - h)) / (2 * h)
            assert abs(lhs - rhs) <= 1e-5 * max(1.0, abs(lhs), abs(rhs)), (wrt, lhs, rhs)


def test_implicit_derivative_rejects_unknown_names():
    tech = UserTechnology("R*(1+k*C)")
    with pytest.raises(ParameterError, match="wrt"):
        tech.implicit_derivative("civilian_attacks", "kappa")
    with pytest.raises(ParameterError, match="of"):
        tech.implicit_derivative("deaths", "k")
    with pytest.raises(ParameterError, match="wrt"):
        tech.implicit_derivative("civilian_attacks", "resources", objective="min_cost")


# ------------------------------------------------------------------ errors


def test_missing_values_name_technology_and_list_names():
    tech = UserTechnology("A*R**a*C**(1-a)")
    with pytest.raises(ParameterError, match=r"technology.*missing value\(s\) for: A, a") as info:
        tech.solve_max_control({}, 1.0, 1.0, 100.0)
    assert info.value.name == "technology"
    with pytest.raises(ParameterError, match="for: a"):
        tech.check_values({"A": 1.0})


def test_non_finite_value_names_the_parameter():
    tech = UserTechnology("R*(1+k*C)")
    for bad in (math.nan, math.inf, -math.inf):
        with pytest.raises(ParameterError, match=r"^k must be in \(-inf, inf\)") as info:
            tech.check_values({"k": bad})
        assert info.value.name == "k"


def test_unknown_value_names_raise_type_error_listing_valid_names():
    tech = UserTechnology("A*R**a*C**(1-a)")
    with pytest.raises(TypeError, match=r"kappa.*valid names: A, a"):
        tech.check_values({"A": 1.0, "a": 0.5, "kappa": 1.0})


@pytest.mark.parametrize("name", COMMON_NAMES)
def test_symbol_clashing_with_common_name_is_rejected(name):
    with pytest.raises(ParameterError, match=name) as info:
        UserTechnology(sp.Symbol("R") * sp.Symbol("C") ** sp.Symbol(name))
    assert info.value.name == "technology"


@pytest.mark.parametrize(("expr", "missing"), [("R**2 + k", "C"), ("k*C", "R"), ("k + 1", "R and C")])
def test_missing_attack_symbol_is_rejected(expr, missing):
    with pytest.raises(ParameterError, match=f"{missing} do not occur") as info:
        UserTechnology(expr)
    assert info.value.name == "technology"


def test_unparseable_or_non_expression_is_rejected():
    for bad in ("R +* C", sp.Eq(sp.Symbol("R"), sp.Symbol("C")), sp.Function("f")(sp.Symbol("R"), sp.Symbol("C"))):
        with pytest.raises(ParameterError, match="technology"):
            UserTechnology(bad)


def test_non_finite_gradient_at_solution_raises():
    # g(C) = 100 - sqrt|C - 50| along p = 1, M = 100: a cusp maximum where F_C is not finite
    tech = UserTechnology("R + C - sqrt(Abs(C - 50))")
    with pytest.raises(ParameterError, match="not finite at the solution") as info:
        tech.solve_max_control({}, 1.0, 1.0, 100.0)
    assert info.value.name == "technology"


def test_infinite_control_on_budget_line_raises():
    with pytest.raises(ParameterError, match="technology"):
        UserTechnology("R + 1/C").solve_max_control({}, 1.0, 1.0, 100.0)


def test_decreasing_technology_raises():
    with pytest.raises(ParameterError, match="decreasing in both attacks") as info:
        UserTechnology("-R - C").solve_max_control({}, 1.0, 2.0, 100.0)
    assert info.value.name == "technology"
    with pytest.raises(ParameterError, match="decreasing in both attacks"):
        UserTechnology("-(R + 1)**2 - C + 2*C*R").solve_max_control({}, 1.0, 1.0, 1.0)


def test_unreachable_target_and_bad_prices():
    tech = UserTechnology("R/(1+R) + C/(1+C)")
    with pytest.raises(ParameterError, match=r"^control_target"):
        tech.solve_min_cost({}, 1.0, 1.0, 3.0)
    with pytest.raises(ParameterError, match=r"price_civilians must be in \(0, inf\); got -1.0"):
        tech.solve_max_control({}, 1.0, -1.0, 100.0)
    with pytest.raises(ParameterError, match=r"resources must be in \(0, inf\); got nan"):
        tech.solve_max_control({}, 1.0, 1.0, math.nan)


# ------------------------------------------------------------------ parsing details


def test_parameters_sorted_and_symbols_canonical():
    R, C = attack_symbols()
    k = sp.Symbol("k", positive=True)
    c_user = sp.Symbol("C", nonnegative=True)
    user = sp.Symbol("R", positive=True) * (1 + k * c_user) + sp.Symbol("beta") * sp.log(1 + c_user)
    tech = UserTechnology(user)
    assert tech.parameter_names == ("beta", "k")
    assert tech.R is R and tech.C is C
    assert tech.expr.free_symbols == {R, C, k, sp.Symbol("beta")}
    assert UserTechnology("R*(1+k*C)") == UserTechnology(sp.sympify("R*(1+k*C)"))
    assert "R*(C*k + 1)" in repr(UserTechnology("R*(1+k*C)"))


# ------------------------------------------------------------------ ties and choke prices


def test_linear_tie_warns_and_reports_no_civilian_attacks():
    tech = UserTechnology("R + b*C")
    with pytest.warns(MultipleOptimaWarning):
        sol = tech.solve_max_control({"b": 1.25}, 1.0, 1.25, 100.0)
    assert (sol.civilian_attacks, sol.rebel_attacks, sol.unique) == (0.0, 100.0, False)
    assert sol.regime == "no_civilian_attacks"
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        sol = tech.solve_max_control({"b": 1.25}, 1.0, 1.0, 100.0)
    assert (sol.civilian_attacks, sol.rebel_attacks, sol.regime, sol.unique) == (100.0, 0.0, "no_rebel_attacks", True)
    assert tech.choke_price({"b": 1.25}, 2.0, 100.0) == pytest.approx(2.5)


def test_two_separate_optima_warn():
    with pytest.warns(MultipleOptimaWarning):
        sol = UserTechnology("R**2 + C**2").solve_max_control({}, 1.0, 1.0, 100.0)
    assert (sol.civilian_attacks, sol.rebel_attacks, sol.unique) == (0.0, 100.0, False)


def test_choke_price_rules():
    assert UserTechnology("R*C").choke_price({}, 1.0, 10.0) == math.inf  # C essential
    assert UserTechnology("R + C**0.5").choke_price({}, 1.0, 10.0) == math.inf  # F_C infinite at 0
    assert UserTechnology("R + 9*C - C**2/2 - d*R*C").choke_price({"d": 0.1}, 1.0, 100.0) == 0.0  # max(0, ·)
    assert UserTechnology("R + 9*C - C**2/2 - d*R*C").choke_price({"d": 0.1}, 1.0, 20.0) == pytest.approx(7.0)


def test_choke_price_separates_regimes(rng):
    tech = UserTechnology("R*(1+k*C) + b*log(1+C)")
    for _ in range(40):
        values = {"k": float(rng.uniform(0.01, 0.5)), "b": float(rng.uniform(0.0, 5.0))}
        pR, M = float(rng.uniform(0.2, 5)), float(rng.uniform(1, 500))
        choke = tech.choke_price(values, pR, M)
        assert math.isfinite(choke)
        for pC in (choke * 0.9, choke * 1.1):
            sol = tech.solve_max_control(values, pR, pC, M)
            assert (sol.civilian_attacks == 0.0) == (pC >= choke), (values, pR, pC, M, sol)


# ------------------------------------------------------------------ KKT and independent optimisation


def _gradient(expr: str):
    R, C = sp.symbols("R C")
    e = sp.sympify(expr)
    params = sorted((s for s in e.free_symbols if s.name not in ("R", "C")), key=lambda s: s.name)
    args = (R, C, *params)
    return (sp.lambdify(args, e.diff(R), "math"), sp.lambdify(args, e.diff(C), "math"), [p.name for p in params])


@pytest.mark.parametrize(
    ("expr", "ranges"),
    [
        ("A*R**a*C**(1-a)", {"A": (0.2, 3.0), "a": (0.05, 0.95)}),
        ("R*(1+k*C)", {"k": (math.exp(-5), 1.0)}),
        ("R + b*log(1+C)", {"b": (1.0, 50.0)}),
        (GEN, {}),
    ],
)
def test_kkt_holds_at_random_points(expr, ranges, rng):
    tech = UserTechnology(expr)
    fr, fc, names = _gradient(expr)
    regimes = set()
    for _ in range(60):
        values = {n: float(rng.uniform(*ranges[n])) for n in names}
        pR, pC, M = float(rng.uniform(0.2, 5)), float(rng.uniform(0.2, 5)), float(rng.uniform(1, 500))
        sol = tech.solve_max_control(values, pR, pC, M)
        R, C = sol.rebel_attacks, sol.civilian_attacks
        assert R >= 0 and C >= 0
        assert pR * R + pC * C == pytest.approx(M, rel=1e-12)
        a, b = pR * fc(R, C, *values.values()), pC * fr(R, C, *values.values())
        regimes.add(sol.regime)
        if sol.regime == "interior":
            assert abs(a - b) <= 1e-8 * (abs(a) + abs(b))
        elif sol.regime == "no_civilian_attacks":
            assert a <= b * (1 + 1e-8)
        else:
            assert a >= b * (1 - 1e-8)
    assert "interior" in regimes


def _slsqp_max(f, pR, pC, M):
    """Maximise f(R, C) on the budget set with SLSQP from several starts (scaled shares)."""
    best = None
    for s in (0.25, 0.75):

        def obj(x):  # log F: well scaled whatever the size of F
            return -math.log(max(f(x[0] * M / pR, x[1] * M / pC), 1e-300))

        res = optimize.minimize(
            obj,
            x0=[1 - s, s],
            method="SLSQP",
            bounds=[(1e-15, 1), (1e-15, 1)],
            constraints=[{"type": "ineq", "fun": lambda x: 1 - x[0] - x[1], "jac": lambda x: np.array([-1.0, -1.0])}],
            options={"ftol": 1e-15, "maxiter": 500},
        )
        if best is None or res.fun < best.fun:
            best = res
    x = np.clip(best.x, 0, 1)
    x = x / max(1.0, x.sum())  # SLSQP may overspend by its tolerance: project back onto the budget set
    return x[1] * M / pC, f(x[0] * M / pR, x[1] * M / pC)


def test_agrees_with_slsqp_cobb_douglas_type(rng):
    tech = UserTechnology("A*R**a*C**(1-a)")
    for _ in range(200):
        A, a = float(rng.uniform(0.2, 3)), float(rng.uniform(0.05, 0.95))
        pR, pC, M = float(rng.uniform(0.2, 5)), float(rng.uniform(0.2, 5)), float(rng.uniform(1, 500))
        sol = tech.solve_max_control({"A": A, "a": a}, pR, pC, M)
        c_slsqp, z_slsqp = _slsqp_max(lambda R, C, A=A, a=a: A * max(R, 0) ** a * max(C, 0) ** (1 - a), pR, pC, M)
        assert sol.control >= z_slsqp * (1 - 1e-12)  # never worse than SLSQP
        assert close(sol.control, z_slsqp, rel=1e-6)
        assert close(sol.civilian_attacks, c_slsqp, rel=1e-3)  # SLSQP's own accuracy in C
        assert close(sol.civilian_attacks, (1 - a) * M / pC, rel=1e-9)  # closed form
        assert close(sol.rebel_attacks, a * M / pR, rel=1e-9)


def test_agrees_with_slsqp_support_erosion(rng):
    tech = UserTechnology("R*(1+k*C)")
    corners = 0
    for _ in range(200):
        k = float(np.exp(rng.uniform(-5, 0)))
        pR, pC, M = float(rng.uniform(0.2, 5)), float(rng.uniform(0.2, 5)), float(rng.uniform(1, 500))
        sol = tech.solve_max_control({"k": k}, pR, pC, M)
        c_slsqp, z_slsqp = _slsqp_max(lambda R, C, k=k: R * (1 + k * C), pR, pC, M)
        assert sol.control >= z_slsqp * (1 - 1e-12)
        assert close(sol.control, z_slsqp, rel=1e-6)
        c_exact = max(0.0, (M / pC - 1 / k) / 2)  # spec 5.3
        if abs(k * M - pC) > 1e-3 * pC:  # away from the boundary κM = p_C
            assert (sol.civilian_attacks == 0.0) == (c_exact == 0.0)
            corners += c_exact == 0.0
        assert close(sol.civilian_attacks, c_exact, rel=1e-9, abs_=1e-9 * M / pC)
        assert close(sol.civilian_attacks, c_slsqp, rel=1e-3, abs_=1e-5 * M / pC)
    assert corners > 10


def test_min_cost_agrees_with_closed_forms_and_slsqp(rng):
    cd, ke = UserTechnology("A*R**a*C**(1-a)"), UserTechnology("R*(1+k*C)")
    for _ in range(40):
        A, a = float(rng.uniform(0.2, 3)), float(rng.uniform(0.05, 0.95))
        k = float(np.exp(rng.uniform(-5, 0)))
        pR, pC, Z = float(rng.uniform(0.2, 5)), float(rng.uniform(0.2, 5)), float(rng.uniform(1, 300))
        # Cobb–Douglas: e = (Z/A)·(p_R/a)^a·(p_C/(1-a))^(1-a)
        e = (Z / A) * (pR / a) ** a * (pC / (1 - a)) ** (1 - a)
        sol = cd.solve_min_cost({"A": A, "a": a}, pR, pC, Z)
        assert close(sol.cost, e, rel=1e-9)
        assert close(sol.civilian_attacks, (1 - a) * e / pC, rel=1e-7)
        # R(1 + kC) ≥ Z: spec 5.3 with V̄ = Z
        sol = ke.solve_min_cost({"k": k}, pR, pC, Z)
        c = max(0.0, (math.sqrt(k * pR * Z / pC) - 1) / k)
        assert close(sol.civilian_attacks, c, rel=1e-7, abs_=1e-9 * sol.cost / pC)
        assert close(sol.cost, pR * Z / (1 + k * c) + pC * c, rel=1e-9)
        res = optimize.minimize(
            lambda x, pR=pR, pC=pC: pR * x[0] + pC * x[1],
            x0=[Z, 1.0],
            method="SLSQP",
            bounds=[(0, None), (0, None)],
            constraints=[{"type": "ineq", "fun": lambda x, k=k, Z=Z: (x[0] * (1 + k * x[1]) - Z) / Z}],
            options={"ftol": 1e-14, "maxiter": 500},
        )
        assert sol.cost <= res.fun * (1 + 1e-9)
        assert close(sol.cost, res.fun, rel=1e-6)


def test_duality_and_homogeneity_random(rng):
    tech = UserTechnology(GEN)
    for _ in range(10):
        pR, pC, M = float(rng.uniform(0.2, 5)), float(rng.uniform(0.2, 5)), float(rng.uniform(1, 500))
        star = tech.solve_max_control({}, pR, pC, M)
        hicks = tech.solve_min_cost({}, pR, pC, star.control)
        assert close(hicks.cost, M, rel=1e-9)
        assert close(hicks.civilian_attacks, star.civilian_attacks, rel=1e-6, abs_=1e-9 * M / pC)
        assert hicks.regime == star.regime
        scaled = tech.solve_max_control({}, 3.7 * pR, 3.7 * pC, 3.7 * M)
        assert close(scaled.civilian_attacks, star.civilian_attacks, rel=1e-9)


# ------------------------------------------------------------------ through atrogame.AndertonBrauer


def test_model_support_erosion_technology():
    import atrogame as ag

    model = ag.AndertonBrauer(technology=sp.sympify("R*(1+k*C)"), k=0.05)
    eq = model.solve()
    assert close(eq.civilian_attacks, 40) and close(eq.rebel_attacks, 60) and close(eq.control, 180)
    assert eq.choke_price == pytest.approx(5.0, rel=1e-12)
    assert (eq.method, eq.regime) == ("numeric", "interior")
    corner = ag.AndertonBrauer(technology=sp.sympify("R*(1+k*C)"), k=0.05, price_civilians=6).solve()
    assert (corner.civilian_attacks, corner.rebel_attacks, corner.regime) == (0.0, 100.0, "no_civilian_attacks")
    assert corner.control == pytest.approx(100.0)
    cs = model.comparative_statics(wrt="k")
    assert cs.value == pytest.approx(200.0, rel=1e-9)
    assert cs.sign == "positive"


def test_model_without_symbolic_solution_uses_implicit_derivatives():
    import atrogame as ag

    model = ag.AndertonBrauer(technology=GEN, price_civilians=1.3, resources=80.0)
    eq = model.solve()
    assert eq.method == "numeric"
    for wrt in ("price_civilians", "price_rebels", "resources"):
        value = model.comparative_statics(wrt=wrt).value
        fd, _ = model.finite_difference("civilian_attacks", wrt, rel_step=1e-6)
        assert abs(value - fd) <= 1e-5 * max(1.0, abs(value), abs(fd)), (wrt, value, fd)
    hicks = ag.AndertonBrauer(technology=GEN, objective="min_cost", control_target=58.49781649).solve()
    assert close(hicks.civilian_attacks, 42.21513733) and close(hicks.cost, 100.0)


def test_model_user_technology_errors():
    import atrogame as ag

    with pytest.raises(ParameterError, match=r"technology.*missing value\(s\) for: k"):
        ag.AndertonBrauer(technology=sp.sympify("R*(1+k*C)"))
    with pytest.raises(ParameterError, match="clash"):
        ag.AndertonBrauer(technology="R*(1 + resources*C)")
    with pytest.raises(TypeError, match="valid names"):
        ag.AndertonBrauer(technology="R*(1+k*C)", k=0.05, kappa=1.0)


def test_kinked_leontief_is_solved_and_flagged():
    """Min(R, C): the grid search finds the kink C* = M/(p_C + p_R) (spec 5.2 Leontief limit);
    the tangency condition cannot hold there, so a ConvergenceWarning says so."""
    from atrogame import ConvergenceWarning

    tech = UserTechnology("Min(R, C)")
    with pytest.warns(ConvergenceWarning, match="KKT"):
        sol = tech.solve_max_control({}, 1.0, 2.0, 100.0)
    assert close(sol.civilian_attacks, 100 / 3, rel=1e-9) and close(sol.rebel_attacks, 100 / 3, rel=1e-9)
    with pytest.warns(ConvergenceWarning, match="KKT"):
        sol = tech.solve_min_cost({}, 1.0, 2.0, 30.0)
    assert close(sol.civilian_attacks, 30.0, rel=1e-9) and close(sol.cost, 90.0, rel=1e-9)
