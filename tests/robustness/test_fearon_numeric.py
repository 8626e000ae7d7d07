"""Numeric bargaining: no silent -inf, the regime of the solution found, clear errors (issue 10, items 2 and 8)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from atrogame import ParameterError
from atrogame.models.fearon import Fearon
from atrogame.models.mobilisation import Mobilisation
from atrogame.solvers import optimal_offer

ISSUE = {"win_prob_a": 0.35, "cost_a": 0.08, "cost_b_low": 0.05, "cost_b_high": 0.5}


def _brute_force(m: Fearon, dist) -> tuple[float, float]:
    """A's best demand on a fine grid of [p, 1] using the exact CDF (ties: the lowest)."""
    p, cA = m.params.win_prob_a, m.params.cost_a
    x = np.linspace(p, 1.0, 200_001)
    q = dist.cdf(np.maximum(x - p, m.params.cost_b_low))  # B fights iff c_B < x - p
    u = (1 - q) * x + q * (p - cA)
    i = int(np.argmax(u))
    return float(x[i]), float(u[i])


def test_issue_beta_is_the_safe_offer_with_finite_utilities():
    d = stats.beta(0.5, 1.5, loc=0.05, scale=0.45)
    m = Fearon(**ISSUE, type_distribution=d)
    eq = m.solve()
    assert all(np.isfinite(eq[k]) for k in ("offer", "p_war", "utility_a", "utility_b"))
    assert eq.regime == "safe_offer" and eq.p_war == 0.0
    assert eq.offer == pytest.approx(0.35 + 0.05, abs=1e-12)
    assert eq.utility_b == pytest.approx(1 - eq.offer, abs=1e-12)  # nobody fights
    x_bf, u_bf = _brute_force(m, d)
    assert u_bf - 1e-12 <= eq.utility_a <= u_bf + 1e-5 and eq.offer == pytest.approx(x_bf, abs=1e-5)


def test_sweep_with_singular_density_has_no_silent_inf():
    d = stats.beta(0.5, 1.5, loc=0.05, scale=0.45)
    ds = Fearon(**ISSUE, type_distribution=d).sweep(cost_a=np.array([0.02, 0.08, 0.3]))
    for k in ("offer", "p_war", "utility_a", "utility_b"):
        assert np.isfinite(ds[k].values).all(), k
    assert int(ds["failed"].sum()) == 0 if "failed" in ds else True


@settings(derandomize=True, max_examples=25, deadline=None)
@given(a=st.floats(0.05, 3.0), b=st.floats(0.05, 3.0), p=st.floats(0.05, 0.9), cA=st.floats(0.01, 0.5))
def test_beta_types_utilities_finite_and_match_brute_force(a, b, p, cA):
    lo, hi = 0.05, 0.5
    d = stats.beta(a, b, loc=lo, scale=hi - lo)
    m = Fearon(win_prob_a=p, cost_a=cA, cost_b_low=lo, cost_b_high=hi, type_distribution=d)
    eq = m.solve()
    vals = [eq[k] for k in ("offer", "p_war", "utility_a", "utility_b")]
    assert np.isfinite(vals).all()
    _x_bf, u_bf = _brute_force(m, d)
    assert eq.utility_a >= u_bf - 1e-6  # at least as good as the best grid demand
    # the regime is that of the solution found
    assert (eq.p_war > 0) == (eq.regime in ("risky_offer", "capped_risky"))
    # B's ex-ante utility from its definition, by quadrature of c * pdf on the fighting types
    from scipy.integrate import quad

    cut = min(max(eq.offer - p, lo), hi)
    ec = quad(lambda c: c * d.pdf(c), lo, cut, limit=200)[0] if eq.p_war > 0 else 0.0
    assert eq.utility_b == pytest.approx((1 - eq.p_war) * (1 - eq.offer) + eq.p_war * (1 - p) - ec, abs=1e-6)


def test_non_finite_numeric_outcome_is_a_failure_not_a_value(monkeypatch):
    import atrogame.solvers.bargaining as bargaining

    monkeypatch.setattr(bargaining, "_partial_mean", lambda *a, **k: float("-inf"))
    m = Fearon(type_distribution=stats.beta(2, 2, loc=0.05, scale=0.4))
    with pytest.warns(Warning, match="no finite solution"), pytest.raises(FloatingPointError, match="utility_b"):
        m.solve()


@pytest.mark.parametrize("kw", [{"n_grid": 1}, {"n_grid": 0}, {"n_grid": 2.5}, {"n_grid": True},
                                {"xtol": 0.0}, {"tail": 0.7}, {"tail": float("nan")}])
def test_optimal_offer_bad_settings(kw):
    name = next(iter(kw))
    with pytest.raises(ParameterError, match=name):
        optimal_offer(v=0.5, w=0.3, **kw)


def test_optimal_offer_two_grid_points_still_solves():
    s = optimal_offer(v=0.5, w=0.3, dist=stats.uniform(0, 0.6), n_grid=2)
    assert float(s.offer) == pytest.approx(0.3, abs=1e-6)


@pytest.mark.parametrize("kw", [{"dt": 0}, {"dt": -0.1}, {"t_max": 0}, {"dt": float("nan")}, {"record_every": 0}])
def test_trajectory_bad_steps(kw):
    with pytest.raises(ParameterError, match=next(iter(kw))):
        Mobilisation().trajectory([0.3, 0.3, 0.4], **kw)


@pytest.mark.parametrize("start", [[np.nan, 0.5, 0.5], [-0.1, 0.6, 0.5], [0.0, 0.0, 0.0], [0.5, 0.5], "abc"])
def test_basin_of_bad_shares(start):
    with pytest.raises(ParameterError, match="starts"):
        Mobilisation().basin_of([start])


def test_basin_of_unnormalised_shares_still_work():
    assert Mobilisation().basin_of([[35, 15, 50]]).tolist() == ["supporters"]


@pytest.mark.parametrize("m", [1e308, -1e308, 1e200, 1e-300])
def test_mobilisation_extreme_resistance_value(m):
    eq = Mobilisation(resistance_value=m).solve()
    assert eq.regime in Mobilisation.regime_names
    kinds = {rp["name"]: rp["kind"] for rp in eq.info["rest_points"]}
    # with m huge and positive resisting dominates: only all-resisters is a sink
    if m > 1e100:
        assert eq.info["stable_vertices"] == ("resisters",) and kinds["resisters"] == "sink"
    if m < -1e100:
        assert "resisters" not in eq.info["stable_vertices"]


def test_rest_points_unchanged_by_rescaling():
    base = Mobilisation()
    big = Mobilisation(**{k: v * 1e150 for k, v in base.parameter_values().items()})
    for r0, r1 in zip(base.rest_points(), big.rest_points(), strict=True):
        assert r0["name"] == r1["name"] and r0["kind"] == r1["kind"]
        np.testing.assert_allclose(r0["point"], r1["point"], atol=1e-12)
        np.testing.assert_allclose(np.real(r1["eigenvalues"]), 1e150 * np.real(r0["eigenvalues"]), rtol=1e-9)
