"""Tests of the Fearon (1995) bargaining model (atrogame's reconstruction)."""

from __future__ import annotations

import math
import warnings

import numpy as np
import pytest
import sympy as sp
from scipy import stats

import atrogame as ag
from atrogame import ParameterError
from atrogame.cli import main
from atrogame.models.fearon import REGIMES, Fearon, FearonParams, _derive, derivation

NAMES = ("win_prob_a", "cost_a", "cost_b_low", "cost_b_high")


def random_points(rng: np.random.Generator, n: int) -> dict[str, np.ndarray]:
    """Random valid parameter points covering every regime."""
    p = rng.uniform(0, 1, n)
    cA = rng.uniform(0.001, 0.6, n)
    a = rng.uniform(0, 0.3, n)
    b = a + rng.uniform(0.02, 0.8, n)
    return {"win_prob_a": p, "cost_a": cA, "cost_b_low": a, "cost_b_high": b}


def brute_force(pts: dict[str, np.ndarray], n_grid: int = 20001, b_interpretation: bool = False,
                cdf=None) -> dict[str, np.ndarray]:
    """A's best demand on a grid of x ∈ [0, 1], from the primitives only (no closed form).

    ``b_interpretation``: read ``win_prob_a`` as B's win probability instead (the spec's wording).
    """
    p, cA, a, b = (np.asarray(pts[k], dtype=float)[:, None] for k in NAMES)
    x = np.linspace(0.0, 1.0, n_grid)[None, :]
    pa = 1.0 - p if b_interpretation else p  # A's probability of winning
    # B accepts iff 1 - x >= (1 - pa) - c_B  <=>  c_B >= x - pa
    F = np.clip((x - pa - a) / (b - a), 0.0, 1.0) if cdf is None else cdf(x - pa)
    U = (1.0 - F) * x + F * (pa - cA)
    i = np.argmax(U, axis=1)
    rows = np.arange(len(i))
    return {"offer": x[0, i], "p_war": F[rows, i], "utility_a": U[rows, i]}


# ---------------------------------------------------------------------- spec values
def test_spec_values_risky_offer():
    m = Fearon(win_prob_a=0.5, cost_a=0.1, cost_b_low=0.05, cost_b_high=0.45)
    eq = m.solve()
    p, cA, a, b = 0.5, 0.1, 0.05, 0.45
    assert eq.regime == "risky_offer"
    assert eq.offer == pytest.approx(p + (b - cA) / 2)
    assert eq.p_war == pytest.approx((b - cA - 2 * a) / (2 * (b - a)))
    assert eq.offer == pytest.approx(0.675) and eq.p_war == pytest.approx(0.3125)


def test_spec_values_safe_offer():
    eq = Fearon(win_prob_a=0.5, cost_a=0.4, cost_b_low=0.05, cost_b_high=0.45).solve()
    assert eq.regime == "safe_offer"
    assert eq.offer == pytest.approx(0.5 + 0.05) and eq.p_war == 0.0
    assert eq.utility_a == pytest.approx(0.55) and eq.utility_b == pytest.approx(0.45)


def test_regime_switch_is_at_cost_a_equal_b_minus_2a():
    a, b = 0.05, 0.45
    ds = Fearon().sweep(cost_a=[b - 2 * a - 1e-6, b - 2 * a, b - 2 * a + 1e-6])
    assert Fearon().regime_label(ds["regime"].values).tolist() == ["risky_offer", "safe_offer", "safe_offer"]
    assert ds["p_war"].values[0] == pytest.approx(1e-6 / (2 * (b - a)))


def test_corner_regimes_keep_the_demand_in_unit_interval():
    # p + (b − c_A)/2 = 1.075 > 1: A demands everything; types with c_B < 1 − p fight
    eq = Fearon(win_prob_a=0.9).solve()
    assert eq.regime == "capped_risky" and eq.offer == 1.0
    assert eq.p_war == pytest.approx((1 - 0.9 - 0.05) / (0.45 - 0.05))
    # p + a ≥ 1: even the least resolved type prefers nothing to war
    eq = Fearon(win_prob_a=0.97).solve()
    assert eq.regime == "capped_safe" and eq.offer == 1.0 and eq.p_war == 0.0
    eq = Fearon(win_prob_a=1.0, cost_b_low=0.0).solve()
    assert eq.offer == 1.0 and eq.p_war == 0.0 and eq.regime == "capped_safe"


# ---------------------------------------------------------------------- independent checks
def test_closed_form_matches_brute_force_over_random_points(rng):
    pts = random_points(rng, 400)
    res = Fearon().evaluate(np.column_stack([pts[k] for k in NAMES]), NAMES, ["offer", "p_war", "utility_a"])
    bf = brute_force(pts)
    assert np.all((res[:, 0] >= 0) & (res[:, 0] <= 1))
    # no grid demand beats the closed form (no profitable deviation), and the grid gets within its resolution
    assert np.all(res[:, 2] >= bf["utility_a"] - 1e-12)
    assert np.allclose(res[:, 2], bf["utility_a"], atol=1e-4)
    assert np.allclose(res[:, 0], bf["offer"], atol=2e-3)
    assert np.allclose(res[:, 1], bf["p_war"], atol=2e-3 / 0.02)
    codes = Fearon().evaluate(np.column_stack([pts[k] for k in NAMES]), NAMES, "regime")
    assert set(np.unique(codes).astype(int)) == set(range(len(REGIMES)))  # every regime is exercised


def test_utility_b_matches_quadrature_over_types(rng):
    pts = random_points(rng, 100)
    X = np.column_stack([pts[k] for k in NAMES])
    x, q, ub = Fearon().evaluate(X, NAMES, ["offer", "p_war", "utility_b"]).T
    p, a, b = pts["win_prob_a"], pts["cost_b_low"], pts["cost_b_high"]
    c = a[:, None] + (b - a)[:, None] * (np.arange(20000) + 0.5)[None, :] / 20000  # midpoint rule
    accept = c >= (x - p)[:, None]
    payoff = np.where(accept, (1 - x)[:, None], (1 - p)[:, None] - c)
    assert np.allclose(payoff.mean(axis=1), ub, atol=1e-6)
    assert np.allclose((~accept).mean(axis=1), q, atol=1e-4)


def test_spec_wording_p_is_the_proposers_win_probability_not_bs():
    """The brief calls p "B's win probability", but its formulas need p = A's (Fearon's convention).

    With B's acceptance rule c_B ≥ x − p and x* = p + (b − c_A)/2, p must be the proposer A's
    probability of winning. Reading p as B's win probability, A's optimal demand is
    1 − p + (b − c_A)/2 instead — shown here by brute force from the primitives.
    """
    pts = {"win_prob_a": np.array([0.3]), "cost_a": np.array([0.1]), "cost_b_low": np.array([0.05]),
           "cost_b_high": np.array([0.45])}
    spec_formula = 0.3 + (0.45 - 0.1) / 2
    as_a = brute_force(pts)["offer"][0]
    as_b = brute_force(pts, b_interpretation=True)["offer"][0]
    assert as_a == pytest.approx(spec_formula, abs=1e-4)
    assert as_b == pytest.approx(1 - 0.3 + (0.45 - 0.1) / 2, abs=1e-4)
    assert abs(as_b - spec_formula) > 0.3
    assert "A wins" in FearonParams.meta("win_prob_a")["long_name"]


def test_agrees_with_bargaining_solver_symbolic_closed_form():
    from atrogame.solvers.bargaining import uniform_offer_symbolic

    s = FearonParams.symbols()
    p, cA, a, b = (s[k] for k in NAMES)
    sol = uniform_offer_symbolic(v=1 - p, w=p - cA, pie=1, low=a, high=b, offer_min=-sp.oo)
    ours = _derive()["risky_offer"]
    assert sp.simplify(1 - sol["interior"][1] - ours["offer"]) == 0
    assert sp.simplify(sol["interior"][2] - ours["p_war"]) == 0
    assert sp.simplify(1 - sol["peace"][1] - _derive()["safe_offer"]["offer"]) == 0


# ---------------------------------------------------------------------- symbolic = numeric, vectorisation
def test_symbolic_branches_equal_kernel(rng):
    pts = random_points(rng, 300)
    X = np.column_stack([pts[k] for k in NAMES])
    outs = ("offer", "p_war", "utility_a", "utility_b")
    res = Fearon().evaluate(X, NAMES, [*outs, "regime"])
    syms = FearonParams.symbols()
    args = [syms[k] for k in NAMES]
    for code, reg in enumerate(REGIMES):
        sel = res[:, -1] == code
        assert sel.any(), reg
        for j, o in enumerate(outs):
            f = sp.lambdify(args, _derive()[reg][o], "numpy")
            got = np.broadcast_to(f(*X[sel].T), sel.sum())
            assert np.allclose(got, res[sel, j], atol=1e-12), (reg, o)


def test_vectorised_equals_scalar_and_no_nan(rng):
    pts = random_points(rng, 40)
    X = np.column_stack([pts[k] for k in NAMES])
    vec = Fearon().evaluate(X, NAMES, ["offer", "p_war", "utility_a", "utility_b"])
    assert np.isfinite(vec).all()
    for i in range(0, 40, 7):
        eq = Fearon(**{k: X[i, j] for j, k in enumerate(NAMES)}).solve()
        assert [eq.offer, eq.p_war, eq.utility_a, eq.utility_b] == pytest.approx(vec[i].tolist(), abs=1e-12)


def test_sweep_has_one_axis_per_parameter_and_metadata():
    ds = Fearon().sweep(cost_a=np.linspace(0.01, 0.5, 7), cost_b_high=[0.3, 0.45, 0.6])
    assert ds["p_war"].dims == ("cost_a", "cost_b_high") and ds["p_war"].shape == (7, 3)
    assert ds["offer"].attrs["long_name"].startswith("A's demand")
    assert ds.attrs["citation"] == "after Fearon (1995)" and "10.1017/S0020818300033324" in ds.attrs["reference"]


# ---------------------------------------------------------------------- comparative statics (named)
def test_dpwar_dcost_a_is_minus_one_over_twice_the_support_width():
    m = Fearon()
    e = m.comparative_statics(wrt="cost_a", of="p_war")
    s = FearonParams.symbols()
    assert sp.simplify(e.derivative + 1 / (2 * (s["cost_b_high"] - s["cost_b_low"]))) == 0
    assert e.sign == "negative"
    assert e.value == pytest.approx(-1 / (2 * (0.45 - 0.05)))
    fd, crosses = m.finite_difference("p_war", "cost_a")
    assert not crosses and fd == pytest.approx(e.value, rel=1e-6)


def test_pwar_rises_with_the_upper_cost_b():
    m = Fearon()
    e = m.comparative_statics(wrt="cost_b_high", of="p_war")
    assert e.sign == "positive"
    s = FearonParams.symbols()
    expected = (s["cost_a"] + s["cost_b_low"]) / (2 * (s["cost_b_high"] - s["cost_b_low"]) ** 2)
    assert sp.simplify(e.derivative - expected) == 0
    fd, _ = m.finite_difference("p_war", "cost_b_high")
    assert fd > 0 and fd == pytest.approx(e.value, rel=1e-6)


def test_pwar_does_not_depend_on_p_under_uniform_types():
    m = Fearon()
    e = m.comparative_statics(wrt="win_prob_a", of="p_war")
    assert e.sign == "zero" and e.value == 0.0
    ds = m.sweep(win_prob_a=np.linspace(0.0, 0.6, 13))  # all in risky_offer at the defaults
    assert (ds["regime"].values == REGIMES.index("risky_offer")).all()
    assert np.ptp(ds["p_war"].values) < 1e-12


def test_proven_signs_match_finite_differences_at_random_points(rng):
    pts = random_points(rng, 200)
    checked = 0
    for i in range(200):
        m = Fearon(**{k: float(pts[k][i]) for k in NAMES})
        if any(m.at_boundary(w, rel_step=1e-4) for w in NAMES):
            continue
        cs = m.comparative_statics(of=["offer", "p_war", "utility_a", "utility_b"])
        for e in cs:
            if e.sign == "ambiguous":
                continue
            with warnings.catch_warnings():
                warnings.simplefilter("error")
                fd, _ = m.finite_difference(e.outcome, e.wrt, rel_step=1e-5)
            assert fd == pytest.approx(e.value, abs=1e-6), (e.outcome, e.wrt, m)
            expected = {"positive": fd > 0, "negative": fd < 0, "zero": abs(fd) < 1e-8}[e.sign]
            assert expected, (e.outcome, e.wrt, e.sign, fd, m)
            checked += 1
        if checked > 120:
            break
    assert checked > 100


def test_capped_regime_statics_differ_and_are_reported():
    m = Fearon(win_prob_a=0.9)  # capped_risky: P(war) = (1 − p − a)/(b − a) falls with p and with b
    cs = m.comparative_statics(of="p_war", wrt=["win_prob_a", "cost_b_high", "cost_a"])
    assert cs[("p_war", "win_prob_a")].sign == "negative"
    assert cs[("p_war", "cost_b_high")].sign == "negative"
    assert cs[("p_war", "cost_a")].sign == "zero"


# ---------------------------------------------------------------------- validation
def test_joint_check_names_cost_b_high():
    with pytest.raises(ParameterError) as info:
        Fearon(cost_b_low=0.5, cost_b_high=0.5)
    assert info.value.name == "cost_b_high" and "cost_b_low" in str(info.value) and "0.5" in str(info.value)
    with pytest.raises(ParameterError, match="cost_b_high"):
        Fearon().sweep(cost_b_high=[0.01, 0.3])
    with pytest.raises(ParameterError, match="cost_b_high"):
        Fearon().evaluate(np.array([[0.3, 0.3]]), ["cost_b_low", "cost_b_high"], "p_war")


@pytest.mark.parametrize(("name", "value"), [("win_prob_a", 1.2), ("cost_a", 0.0), ("cost_b_low", -0.1),
                                             ("cost_b_high", math.nan)])
def test_invalid_values_raise_parameter_error(name, value):
    with pytest.raises(ParameterError, match=name):
        Fearon(**{name: value})


# ---------------------------------------------------------------------- non-uniform types
def test_numeric_path_equals_closed_form_for_uniform(rng):
    pts = random_points(rng, 12)
    for i in range(12):
        m = Fearon(**{k: float(pts[k][i]) for k in NAMES})
        cf, nu = m.solve(), m.solve(method="numeric")
        assert nu.method == "numeric" and cf.regime == nu.regime
        for o in m.outcome_names:
            assert nu[o] == pytest.approx(cf[o], abs=1e-7), (o, m)


def test_beta_types_match_brute_force():
    dist = stats.beta(2, 5, loc=0.05, scale=0.4)
    m = Fearon(type_distribution=dist)
    eq = m.solve()
    assert eq.method == "numeric" and eq.info["distribution"] == "beta(2, 5, loc=0.05, scale=0.4)"
    pts = {k: np.array([v]) for k, v in m.parameter_values().items()}
    bf = brute_force(pts, n_grid=200001, cdf=dist.cdf)
    assert bf["utility_a"][0] - 1e-12 <= eq.utility_a <= bf["utility_a"][0] + 1e-9
    assert eq.offer == pytest.approx(bf["offer"][0], abs=1e-4)
    assert eq.p_war == pytest.approx(float(dist.cdf(eq.offer - 0.5)), abs=1e-9)
    assert eq.regime == "risky_offer"


def test_distribution_support_must_lie_in_cost_interval():
    with pytest.raises(ParameterError, match="type_distribution"):
        Fearon(type_distribution=stats.uniform(0.0, 1.0))
    with pytest.raises(ParameterError, match="type_distribution"):
        Fearon(type_distribution=stats.norm(0.2, 0.1))
    m = Fearon(type_distribution=stats.uniform(0.05, 0.4))
    with pytest.raises(ParameterError, match="type_distribution"):
        m.with_params(cost_b_high=0.3)
    with pytest.raises(NotImplementedError):
        m.solve(method="closed_form")
    with pytest.raises(NotImplementedError):
        m.comparative_statics(wrt="cost_a")


def test_sweep_with_distribution_solves_pointwise():
    m = Fearon(type_distribution=stats.uniform(0.05, 0.4))
    ds = m.sweep(cost_a=[0.1, 0.4], win_prob_a=[0.3, 0.5])
    ref = Fearon().sweep(cost_a=[0.1, 0.4], win_prob_a=[0.3, 0.5])
    assert np.allclose(ds["p_war"].values, ref["p_war"].values, atol=1e-7)
    assert ds.attrs["type_distribution"] == "uniform(0.05, 0.4)"


# ---------------------------------------------------------------------- docs helpers, CLI
def test_derivation_renders_and_matches_model():
    d = Fearon.derivation()
    assert d.latex("risky_condition") == "c_A < b - 2 a"
    assert d["dp_war_dwin_prob_a"] == 0
    assert derivation() is d


def test_bargaining_range_points():
    r = Fearon().bargaining_range()
    assert r == pytest.approx({"p": 0.5, "a_reservation": 0.4, "b_accepts_all_types": 0.55,
                               "b_accepts_highest_type": 0.95, "offer": 0.675, "p_war": 0.3125})
    assert r["a_reservation"] <= r["b_accepts_all_types"] <= r["offer"] <= r["b_accepts_highest_type"]


def test_lazy_export_and_registry():
    from atrogame import get_model

    assert ag.Fearon is Fearon and get_model("fearon") is Fearon


def test_cli_solve_statics_sweep_describe(capsys, tmp_path):
    assert main(["solve", "fearon", "--set", "cost_a=0.4", "--json"]) == 0
    out = capsys.readouterr().out
    assert '"regime": "safe_offer"' in out and '"offer": 0.55' in out
    assert main(["statics", "fearon", "--wrt", "cost_a", "--of", "p_war"]) == 0
    out = capsys.readouterr().out
    assert "negative" in out and "-1.25" in out
    assert main(["sweep", "fearon", "--grid", "cost_a=0.05:0.5:10", "--out", str(tmp_path / "f.csv")]) == 0
    assert (tmp_path / "f.csv").exists()
    capsys.readouterr()
    assert main(["describe", "fearon"]) == 0
    out = capsys.readouterr().out
    assert "cost_b_high" in out and "risky_offer" in out
    assert main(["solve", "fearon", "--set", "cost_b_high=0.01"]) == 1
    assert "cost_b_high must be in" in capsys.readouterr().err


def test_sweep_joint_check_uses_the_models_own_values():
    # with a = 0 a support [0, 0.03] is valid, although the default a = 0.05 exceeds 0.03
    ds = Fearon(cost_b_low=0.0).sweep(cost_b_high=[0.03, 0.3])
    assert ds["p_war"].values == pytest.approx([0.0, (0.3 - 0.1) / 0.6])
    with pytest.raises(ParameterError, match=r"cost_b_high must be in \(cost_b_low, inf\) = \(0.4, inf\)"):
        Fearon(cost_b_low=0.4).sweep(cost_b_high=[0.3])
    with pytest.raises(ParameterError, match="cost_b_high"):
        Fearon(cost_b_low=0.4).evaluate(np.array([[0.3]]), ["cost_b_high"], "p_war")


def test_sweep_over_both_bounds_checks_the_joint_rule_at_every_grid_point():
    ds = Fearon().sweep(cost_b_low=[0.0, 0.05, 0.1], cost_b_high=[0.2, 0.3, 0.4, 0.5])
    assert ds["p_war"].shape == (3, 4)
    with pytest.raises(ParameterError, match=r"2 of 6 combinations invalid|cost_b_high"):
        Fearon().sweep(cost_b_low=[0.0, 0.3], cost_b_high=[0.2, 0.3, 0.4])
