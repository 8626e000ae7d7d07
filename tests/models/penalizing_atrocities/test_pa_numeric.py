"""The numeric solver of the penalizing-atrocities game against the closed form, and its variants.

The numeric solver shares no formula with the closed form: a* by global search over a grid
with Brent refinement, duration and odds from the absorbing Markov chain of the battle lead,
the offer by global search with the exact cdf.
"""

from __future__ import annotations

import numpy as np
import pytest
import sympy as sp
from hypothesis import given, settings
from hypothesis import strategies as st
from pa_helpers import BASE, random_points
from pa_spec_values import COLUMNS, SPEC_T
from scipy import stats

from atrogame.models.penalizing_atrocities.closed_form import OUTCOMES, REGIMES, WAR_REGIMES, closed_form
from atrogame.models.penalizing_atrocities.numeric import Forms, solve_numeric
from atrogame.models.penalizing_atrocities.params import PenalizingAtrocitiesParams


def _compare(point, tol=1e-6, thresholds=True):
    cf = closed_form(point)
    nu = solve_numeric(point, thresholds=thresholds)
    for name in OUTCOMES:
        if name == "balance_aid" and not thresholds:
            continue
        want = float(cf[name])
        assert nu[name] == pytest.approx(want, abs=tol, rel=tol), (name, point)
    assert nu["regime"] == REGIMES[int(cf["regime"])], point
    assert nu["war_regime"] == WAR_REGIMES[int(cf["war_regime"])], point
    assert abs(nu["chain_win_residual"]) < 1e-12
    return nu["regime"], nu["war_regime"]


@pytest.mark.parametrize("tid", sorted(SPEC_T, key=lambda t: int(t[1:])))
def test_numeric_reproduces_spec_table(tid):
    changes, values, regime, war_regime = SPEC_T[tid]
    nu = solve_numeric(PenalizingAtrocitiesParams(**changes))
    for name, want in zip(COLUMNS, values, strict=True):
        assert nu[name] == pytest.approx(want, abs=1e-6), name
    assert (nu["regime"], nu["war_regime"]) == (regime, war_regime)


def _away_from_boundaries(point):
    """Skip the measure-zero neighbourhoods of regime boundaries, where labels may differ by rounding."""
    out = closed_form(point)
    S, V, cb = float(out["war_surplus_loss"]), float(out["rebel_war_value"]), point["cost_uncertainty"]
    g, m = point["government_strength"], point["rebel_strength"] + point["aid_to_rebels"]
    T = point["atrocity_cost"] + point["atrocity_penalty"]
    margins = (abs(S - cb), abs(V - (cb - S) / 2), abs(V), abs(point["atrocity_effectiveness"] * m - T * (g + m) ** 2))
    return min(margins) > 1e-6


def test_closed_form_equals_numeric_at_300_random_points(rng):
    pts = random_points(rng, 400)
    seen = set()
    checked = 0
    for i in range(400):
        point = {**BASE, **{k: float(v[i]) for k, v in pts.items()}}
        if not _away_from_boundaries(point):
            continue
        seen.add(_compare(point))
        checked += 1
        if checked == 300:
            break
    assert checked == 300
    assert {r for r, _ in seen} == set(REGIMES)
    assert {w for _, w in seen} == set(WAR_REGIMES)
    assert len(seen) == 7


_pos = st.floats(0.05, 5.0)


@settings(derandomize=True, max_examples=25, deadline=None)
@given(g=_pos, r=_pos, sigma=st.floats(0, 5), beta=st.floats(0, 4), k=st.floats(0.02, 0.5),
       tau=st.floats(0, 0.3), h=st.floats(0, 0.1), d=st.floats(0, 0.5), cb=st.floats(0.05, 1.5),
       n=st.integers(1, 6))
def test_numeric_equals_closed_form_property(g, r, sigma, beta, k, tau, h, d, cb, n):
    point = PenalizingAtrocitiesParams(
        government_strength=g, rebel_strength=r, aid_to_rebels=sigma, atrocity_effectiveness=beta,
        atrocity_cost=k, atrocity_penalty=tau, atrocity_harm=h, government_war_cost=d,
        cost_uncertainty=cb, decisive_lead=n).to_dict()
    if _away_from_boundaries(point):
        _compare(point, thresholds=False)


# ---------------------------------------------------------------------- replaced forms
def test_default_forms_given_explicitly_match():
    s = PenalizingAtrocitiesParams.symbols()
    a, G, m = sp.symbols("a G m")
    forms = Forms(strength=s["government_strength"] + s["atrocity_effectiveness"] * a, win_prob=G / (G + m),
                  atrocity_cost="(atrocity_cost + atrocity_penalty)*a", harm_per_battle="atrocity_harm*a")
    assert forms.is_default()
    base = solve_numeric(BASE)
    again = solve_numeric(BASE, forms)
    for name in OUTCOMES:
        assert again[name] == pytest.approx(base[name], abs=1e-12)


def test_duration_form_eq_d_matches_chain():
    # n = 2: E = 2 + 4 sqrt(Π(1 − Π))
    forms = Forms(duration="2 + 4*sqrt(Pi*(1 - Pi))")
    assert not forms.is_default()
    out = solve_numeric(BASE, forms)
    assert out["expected_war_duration"] == pytest.approx(float(closed_form(BASE)["expected_war_duration"]),
                                                         abs=1e-12)


def test_uniform_scipy_distribution_matches_default():
    out = solve_numeric(BASE, Forms(type_distribution=stats.uniform(0, BASE["cost_uncertainty"])))
    cf = closed_form(BASE)
    for name in ("offer", "p_war", "rebel_utility", "government_utility"):
        assert out[name] == pytest.approx(float(cf[name]), abs=1e-7), name


def test_truncated_distribution_changes_the_offer():
    """A cost distribution tilted toward low costs: more types rebel at the uniform offer."""
    cb = BASE["cost_uncertainty"]
    dist = stats.truncexpon(b=3.0, scale=cb / 3.0)
    out = solve_numeric(BASE, Forms(type_distribution=dist))
    assert 0.0 < out["p_war"] < 1.0
    assert out["regime"] in ("interior", "corner")
    assert out["p_war"] != pytest.approx(float(closed_form(BASE)["p_war"]), abs=1e-3)


def test_bad_forms_raise():
    with pytest.raises(TypeError, match="unknown symbol"):
        Forms(strength="government_strength + z*a")
    with pytest.raises(TypeError, match="unknown form"):
        Forms.from_mapping({"hazard": "a"})
    with pytest.raises(ValueError, match="cost_timing"):
        solve_numeric(BASE, cost_timing="weekly")


# ---------------------------------------------------------------------- per-battle costs
PER_BATTLE = {**BASE, "atrocity_cost": 0.025}


def test_per_battle_variant_coincides_with_base_at_balance():
    out = solve_numeric({**PER_BATTLE, "aid_to_rebels": 2.0}, cost_timing="per_battle")
    assert out["atrocity_intensity"] == pytest.approx(1.5, abs=1e-6)
    assert out["expected_war_duration"] == pytest.approx(4.0, abs=1e-9)
    assert out["p_war"] == pytest.approx(0.24, abs=1e-6)


def test_per_battle_variant_claims_keep_their_signs():
    lo = solve_numeric(PER_BATTLE, cost_timing="per_battle")
    hi = solve_numeric({**PER_BATTLE, "atrocity_penalty": 0.03}, cost_timing="per_battle")
    assert lo["p_war"] == pytest.approx(0.3323, abs=1e-4)
    assert hi["p_war"] == pytest.approx(0.4415, abs=1e-4)
    assert lo["expected_atrocities"] == pytest.approx(1.1175, abs=1e-4)
    assert hi["expected_atrocities"] == pytest.approx(0.0578, abs=1e-4)


def test_per_battle_intensity_peaks_on_the_government_side():
    sig = np.round(np.arange(1.3, 1.81, 0.01), 3)
    runs = [solve_numeric({**PER_BATTLE, "aid_to_rebels": s}, cost_timing="per_battle", thresholds=False)
            for s in sig]
    a = np.array([r["atrocity_intensity"] for r in runs])
    i = int(np.argmax(a))
    assert sig[i] == pytest.approx(1.56, abs=0.011)
    assert runs[i]["government_win_prob"] == pytest.approx(0.55, abs=0.01)
    E = [solve_numeric({**PER_BATTLE, "aid_to_rebels": s}, cost_timing="per_battle",
                       thresholds=False)["expected_war_duration"] for s in (1.9, 2.0, 2.1)]
    assert E[1] > E[0] and E[1] > E[2]
