"""Closed form of the penalizing-atrocities game (atrogame's reconstruction after Kydd 2022).

Every value of the model's test table, the section-7 sweeps, the claims P1–P4 over their
regions, the documented bends (marginal backfire T7, P3 reversal T12), invariants, the
battle-war duration and the parameter validation.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pa_helpers import BASE, cf, random_points, scalar
from pa_spec_values import (
    AID_SWEEP,
    COLUMNS,
    PENALTY_SWEEP,
    SPEC_DERIVATIVES,
    SPEC_EXTRA,
    SPEC_T,
    SWEEP_COLUMNS,
)

from atrogame.core.errors import ParameterError
from atrogame.models.penalizing_atrocities.closed_form import OUTCOMES, REGIMES, WAR_REGIMES, closed_form
from atrogame.models.penalizing_atrocities.duration import (
    absorbing_chain,
    battle_prob,
    duration,
    duration_slope,
    duration_tanh,
)
from atrogame.models.penalizing_atrocities.params import PenalizingAtrocitiesParams

TOL = 1e-6


# ---------------------------------------------------------------------- the test table
@pytest.mark.parametrize("tid", sorted(SPEC_T, key=lambda t: int(t[1:])))
def test_spec_table(tid):
    changes, values, regime, war_regime = SPEC_T[tid]
    out = closed_form(PenalizingAtrocitiesParams(**changes).to_dict())
    for name, want in zip(COLUMNS, values, strict=True):
        assert scalar(out, name) == pytest.approx(want, abs=TOL), name
    assert REGIMES[int(out["regime"])] == regime
    assert WAR_REGIMES[int(out["war_regime"])] == war_regime
    for name, want in SPEC_EXTRA.get(tid, {}).items():
        assert scalar(out, name) == pytest.approx(want, abs=TOL), name


@pytest.mark.parametrize("tid", sorted(SPEC_T, key=lambda t: int(t[1:])))
def test_invariants_at_spec_points(tid):
    changes = SPEC_T[tid][0]
    p = PenalizingAtrocitiesParams(**changes)
    out = closed_form(p.to_dict())
    V, W, S = (scalar(out, k) for k in ("rebel_war_value", "government_war_value", "war_surplus_loss"))
    assert pytest.approx(1 - V - W, abs=1e-12) == S
    n = p.decisive_lead
    assert n - 1e-12 <= scalar(out, "expected_war_duration") <= n**2 + 1e-12
    win, dur = absorbing_chain(scalar(out, "battle_win_prob"), int(n))
    assert float(win) == pytest.approx(scalar(out, "government_win_prob"), abs=1e-12)
    assert float(dur) == pytest.approx(scalar(out, "expected_war_duration"), abs=1e-10)


def test_spec_derivative_values_by_finite_difference():
    for tid, (of, wrt, want, tol) in SPEC_DERIVATIVES.items():
        p = {**BASE, **SPEC_T[tid][0]}
        h = 1e-6
        up = closed_form({**p, wrt: p[wrt] + h})[of]
        dn = closed_form({**p, wrt: p[wrt] - h})[of]
        assert float((up - dn) / (2 * h)) == pytest.approx(want, abs=tol), tid


def test_phi_value_and_bound():
    assert scalar(cf(), "phi") == pytest.approx(3.471337, abs=TOL)


def test_t7_one_sided_derivative_at_zero_penalty():
    h = 1e-7
    base = {"cost_uncertainty": 0.8, "atrocity_harm": 0.04}
    d = (scalar(cf(**base, atrocity_penalty=h), "expected_atrocities")
         - scalar(cf(**base), "expected_atrocities")) / h
    assert d == pytest.approx(3.3985, abs=1e-3)
    assert d > 0


@pytest.mark.parametrize(("name", "rows"), [("aid_to_rebels", AID_SWEEP), ("atrocity_penalty", PENALTY_SWEEP)])
def test_section7_sweeps(name, rows):
    xs = np.array([row[0] for row in rows])
    out = cf(**{name: xs})
    for j, col in enumerate(SWEEP_COLUMNS):
        np.testing.assert_allclose(out[col], [row[j + 1] for row in rows], atol=5.1e-5, err_msg=col)
    assert (out["regime"] == REGIMES.index("interior")).all()


def test_derived_base_values():
    out = cf()
    assert scalar(out, "balance_aid") == pytest.approx(2.0)
    assert scalar(out, "deterrent_penalty") == pytest.approx(0.122222, abs=TOL)
    # β̲ = T(g + m)²/m = 0.45; the aid window's upper end m₊ − r = 7.373
    beta = np.array([0.45 - 1e-9, 0.45 + 1e-9])
    assert cf(atrocity_effectiveness=beta)["war_regime"].tolist() == [1, 0]
    T, g, b = 0.1, 1.0, 1.0
    m_plus = (b - 2 * T * g + math.sqrt(b * (b - 4 * T * g))) / (2 * T)
    m_minus = (b - 2 * T * g - math.sqrt(b * (b - 4 * T * g))) / (2 * T)
    assert m_plus - 0.5 == pytest.approx(7.373, abs=1e-3)
    assert m_plus * m_minus == pytest.approx(g**2)
    sig = np.array([m_plus - 0.5 - 1e-6, m_plus - 0.5 + 1e-6])
    assert cf(aid_to_rebels=sig)["war_regime"].tolist() == [0, 1]


# ---------------------------------------------------------------------- claims P1-P4
def _aid_grid(n=2.0, step=0.001, upto=None):
    sigma_b = scalar(cf(decisive_lead=n), "balance_aid")
    sig = np.arange(0.0, (upto if upto is not None else sigma_b) + step / 2, step)
    return sig, cf(aid_to_rebels=sig, decisive_lead=n), sigma_b


def test_P1_balance_of_power_raises_atrocities():
    _sig, out, sigma_b = _aid_grid()
    assert sigma_b == pytest.approx(2.0)
    for name in ("atrocity_intensity", "atrocities_in_war", "expected_atrocities"):
        assert (np.diff(out[name]) > 0).all(), name
    sig6 = np.round(np.arange(0.0, 6.0 + 5e-4, 0.001), 6)
    a = cf(aid_to_rebels=sig6)["atrocity_intensity"]
    assert sig6[int(np.argmax(a))] == pytest.approx(2.0, abs=1e-9)


@pytest.mark.parametrize("n", [2, 3, 4, 5])
def test_P2_balance_of_power_prolongs_war(n):
    _sig, out, _sigma_b = _aid_grid(n=float(n))
    E = out["expected_war_duration"]
    assert (np.diff(E) > 0).all()
    assert E[-1] == pytest.approx(n**2, abs=1e-6)
    wide = cf(aid_to_rebels=np.linspace(0, 6, 601), decisive_lead=float(n))["expected_war_duration"]
    assert wide.max() == pytest.approx(n**2, abs=1e-6)


def test_P3_penalty_makes_war_more_likely():
    tbar = scalar(cf(), "deterrent_penalty")
    tau = np.linspace(0.0, tbar, 1001)
    q = cf(atrocity_penalty=tau)["p_war"]
    assert (np.diff(q) > 0).all()
    assert q[0] == pytest.approx(0.349404, abs=TOL)
    assert q[-1] == pytest.approx(0.45, abs=TOL)


def test_P4_penalty_can_cut_expected_atrocities():
    tbar = scalar(cf(), "deterrent_penalty")
    tau = np.linspace(0.0, tbar, 1001)
    ea = cf(atrocity_penalty=tau)["expected_atrocities"]
    assert (np.diff(ea) < 0).all()
    assert ea[0] == pytest.approx(0.943007, abs=TOL)
    assert ea[-1] == pytest.approx(0.0, abs=1e-12)
    above = cf(atrocity_penalty=np.linspace(tbar, 1.0, 200))["expected_atrocities"]
    assert (above == 0).all()


def test_lowering_the_benefit_works_like_the_penalty():
    beta = np.linspace(1.0, 0.45, 551)
    out = cf(atrocity_effectiveness=beta)
    assert (np.diff(out["p_war"]) > 0).all()
    assert (np.diff(out["expected_atrocities"]) < 0).all()
    assert out["p_war"][0] == pytest.approx(0.349404, abs=TOL)
    assert out["p_war"][-1] == pytest.approx(0.45, abs=TOL)
    assert out["expected_atrocities"][-1] == pytest.approx(0.0, abs=1e-9)
    hi = cf(atrocity_effectiveness=1.5)
    assert REGIMES[int(hi["regime"])] == "corner"
    assert scalar(hi, "expected_atrocities") == pytest.approx(0.8976, abs=1e-4)  # the sign of ∂EA/∂β flips


def test_T7_marginal_penalty_backfire():
    base = {"cost_uncertainty": 0.8, "atrocity_harm": 0.04}
    tbar = scalar(cf(**base), "deterrent_penalty")
    tau = np.round(np.arange(0.0, tbar, 1e-4), 8)
    out = cf(**base, atrocity_penalty=tau)
    assert (out["regime"] == REGIMES.index("corner")).all()
    ea = out["expected_atrocities"]
    i = int(np.argmax(ea))
    assert tau[i] == pytest.approx(0.0160, abs=2e-4)
    assert ea[i] == pytest.approx(0.4150, abs=1e-4)
    for t, want in ((0.0, 0.3902), (0.01, 0.4119), (0.04, 0.3776), (0.08, 0.2192)):
        assert scalar(cf(**base, atrocity_penalty=t), "expected_atrocities") == pytest.approx(want, abs=1e-4)
    assert scalar(cf(**base, atrocity_penalty=tbar), "expected_atrocities") == pytest.approx(0.0, abs=1e-9)
    # V* = .1157 lies below the corner threshold (T + hΦ*)A*/Φ* = .1857
    o = cf(**base)
    T, h = 0.1, 0.04
    thr = (T + h * scalar(o, "phi")) * scalar(o, "atrocities_in_war") / scalar(o, "phi")
    assert thr == pytest.approx(0.1857, abs=1e-4)
    assert scalar(o, "rebel_war_value") < thr
    assert (np.diff(out["p_war"]) > 0).all()
    assert out["p_war"][0] == pytest.approx(0.1446, abs=1e-4)


def test_T7_enough_aid_ends_the_backfire():
    base = {"cost_uncertainty": 0.8, "atrocity_harm": 0.04}
    h = 1e-7
    sig = np.linspace(0.0, 4.0, 81)
    lo = cf(**base, aid_to_rebels=sig)
    hi = cf(**base, aid_to_rebels=sig, atrocity_penalty=h)
    slope = (hi["expected_atrocities"] - lo["expected_atrocities"]) / h
    backfire = slope > 0
    assert backfire.any() and not backfire.all()
    assert (lo["regime"][backfire] == REGIMES.index("corner")).all()
    assert (lo["regime"][-1] == REGIMES.index("interior"))
    assert not backfire[-1]


def test_T12_P3_reversal():
    p = {"government_strength": 0.3, "rebel_strength": 0.3, "aid_to_rebels": 0.7, "atrocity_effectiveness": 2.0,
             "atrocity_cost": 0.05, "atrocity_penalty": 0.05, "atrocity_harm": 0.0, "government_war_cost": 0.1}
    o = cf(**p)
    beta_a = 2.0 * scalar(o, "atrocity_intensity")
    assert beta_a == pytest.approx(3.17, abs=0.01)
    assert beta_a > 0.3 + 1.0
    h = 1e-6
    d = (scalar(cf(**{**p, "atrocity_penalty": 0.05 + h}), "p_war")
         - scalar(cf(**{**p, "atrocity_penalty": 0.05 - h}), "p_war")) / (2 * h)
    assert d == pytest.approx(-0.4680, abs=1e-4)


def test_seven_of_eight_regime_combinations(rng):
    pts = random_points(rng, 20000)
    out = closed_form({**BASE, **pts})
    combos = set(zip(out["regime"].tolist(), out["war_regime"].tolist(), strict=True))
    assert len(combos) == 7
    assert (REGIMES.index("no_rebellion"), WAR_REGIMES.index("no_atrocities")) not in combos


def test_thresholds_characterise_the_regimes(rng):
    pts = random_points(rng, 5000)
    out = closed_form({**BASE, **pts})
    tau, tbar = pts["atrocity_penalty"], out["deterrent_penalty"]
    zero = out["atrocity_intensity"] == 0
    assert (zero == (tau >= tbar - 1e-12) | (pts["atrocity_effectiveness"] == 0)).all()
    # σ_b: the government's odds are ½ there, above ½ below it
    at = closed_form({**BASE, **pts, "aid_to_rebels": out["balance_aid"]})
    positive = out["balance_aid"] > 0
    np.testing.assert_allclose(at["government_win_prob"][positive], 0.5, atol=1e-9)
    fav = out["government_win_prob"] > 0.5
    assert (fav == (pts["aid_to_rebels"] < out["balance_aid"])).all()


# ---------------------------------------------------------------------- war duration
def test_duration_special_cases():
    pi = np.linspace(0.01, 0.99, 99)
    np.testing.assert_allclose(duration(pi, 1), 1.0)
    np.testing.assert_allclose(duration(pi, 2), 2 + 4 * np.sqrt(pi * (1 - pi)), rtol=1e-12)
    G, m = 2.0, np.linspace(0.1, 5, 50)
    x, y = G ** (1 / 3), m ** (1 / 3)
    np.testing.assert_allclose(duration(G / (G + m), 3), 3 * (x * x + x * y + y * y) / (x * x - x * y + y * y),
                               rtol=1e-12)
    np.testing.assert_allclose(duration(pi, 2) - duration(1 - pi, 2), 0, atol=1e-12)


@pytest.mark.parametrize("n", [1, 2, 3, 5, 8])
def test_duration_equals_tanh_form_and_chain(n):
    pi = np.concatenate([np.linspace(0.001, 0.999, 301), [0.5, 0.5 + 1e-9]])
    E = duration(pi, n)
    np.testing.assert_allclose(E, duration_tanh(pi, n), rtol=1e-10)
    win, dur = absorbing_chain(battle_prob(pi, n), n)
    np.testing.assert_allclose(win, pi, atol=1e-12)
    np.testing.assert_allclose(dur, E, rtol=1e-10)
    assert (n - 1e-12 <= E).all() and (n**2 + 1e-9 >= E).all()


def test_duration_vectorises_over_n():
    pi = np.array([0.3, 0.5, 0.8, 0.9])
    n = np.array([1.0, 2.0, 3.0, 4.0])
    np.testing.assert_allclose(duration(pi, n), [duration(p, int(k)) for p, k in zip(pi, n, strict=True)])
    np.testing.assert_allclose(duration(pi, n), duration_tanh(pi, n), rtol=1e-10)


@pytest.mark.parametrize("n", [2, 3, 4, 7])
def test_duration_slope_matches_finite_differences_and_shape(n):
    pi = np.linspace(0.02, 0.98, 97)
    h = 1e-6
    fd = (duration(pi + h, n) - duration(pi - h, n)) / (2 * h)
    np.testing.assert_allclose(duration_slope(pi, n), fd, rtol=1e-6, atol=1e-6)
    assert (duration_slope(pi[pi < 0.5], n) > 0).all()
    assert (duration_slope(pi[pi > 0.5], n) < 0).all()


@pytest.mark.parametrize("n", range(1, 21))
def test_toll_slope_bound(n):
    """E + Π(1 − Π)E′(Π) ≥ n, hence Φ(a) ≥ n: a harsher campaign always raises a war's toll."""
    pi = np.linspace(1e-4, 1 - 1e-4, 4001)
    assert (duration(pi, n) + pi * (1 - pi) * duration_slope(pi, n) >= n - 1e-9).all()


def test_phi_at_least_n(rng):
    pts = random_points(rng, 5000)
    out = closed_form({**BASE, **pts})
    assert (out["phi"] >= pts["decisive_lead"] - 1e-9).all()


# ---------------------------------------------------------------------- validation
@pytest.mark.parametrize(("name", "value", "domain"), [
    ("government_strength", 0.0, "(0, inf)"), ("rebel_strength", -1.0, "(0, inf)"),
    ("aid_to_rebels", -0.1, "[0, inf)"), ("atrocity_effectiveness", -1.0, "[0, inf)"),
    ("atrocity_cost", 0.0, "(0, inf)"), ("atrocity_penalty", -0.01, "[0, inf)"),
    ("atrocity_harm", -0.01, "[0, inf)"), ("government_war_cost", -1.0, "[0, inf)"),
    ("cost_uncertainty", 0.0, "(0, inf)"), ("decisive_lead", 0.0, "[1, inf)"),
    ("decisive_lead", 2.5, "integers >= 1"), ("government_strength", math.nan, "(0, inf)"),
    ("aid_to_rebels", math.inf, "[0, inf)"),
])
def test_invalid_values_raise(name, value, domain):
    with pytest.raises(ParameterError) as info:
        PenalizingAtrocitiesParams(**{name: value})
    msg = str(info.value)
    assert name in msg and domain in msg
    assert info.value.name == name


def test_integral_lead_accepted():
    assert PenalizingAtrocitiesParams(decisive_lead=3.0).decisive_lead == 3.0
    assert PenalizingAtrocitiesParams(decisive_lead=4).decisive_lead == 4.0
    with pytest.raises(ParameterError, match=r"decisive_lead must be in integers >= 1; got 1.5"):
        PenalizingAtrocitiesParams.validate_arrays({"decisive_lead": [1.0, 1.5]})


def test_zero_levers_allowed():
    out = cf(atrocity_effectiveness=0.0, aid_to_rebels=0.0, atrocity_penalty=0.0, atrocity_harm=0.0,
             government_war_cost=0.0)
    assert scalar(out, "atrocity_intensity") == 0.0
    assert all(np.isfinite(scalar(out, k)) for k in OUTCOMES)


# ---------------------------------------------------------------------- no NaN in the valid domain
_pos = st.floats(1e-3, 1e3)
_nonneg = st.one_of(st.just(0.0), st.floats(1e-6, 1e3))


@settings(derandomize=True, max_examples=200)
@given(g=_pos, r=_pos, sigma=_nonneg, beta=_nonneg, k=_pos, tau=_nonneg, h=st.one_of(st.just(0.0), st.floats(0, 10)),
       d=_nonneg, cb=_pos, n=st.integers(1, 12))
def test_no_nan_in_valid_domain(g, r, sigma, beta, k, tau, h, d, cb, n):
    p = PenalizingAtrocitiesParams(government_strength=g, rebel_strength=r, aid_to_rebels=sigma,
                                   atrocity_effectiveness=beta, atrocity_cost=k, atrocity_penalty=tau,
                                   atrocity_harm=h, government_war_cost=d, cost_uncertainty=cb, decisive_lead=n)
    out = closed_form(p.to_dict())
    for name in OUTCOMES:
        assert np.isfinite(out[name]).all(), name
    assert 0.0 <= scalar(out, "p_war") <= 1.0
    assert 0.0 <= scalar(out, "offer") <= 1.0 or REGIMES[int(out["regime"])] == "peace"
    assert n - 1e-9 <= scalar(out, "expected_war_duration") <= n**2 * (1 + 1e-12)
