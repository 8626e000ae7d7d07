"""Strategic mass killing: the model's claims E1-E17, each on its region (after Esteban, Morelli &
Rohner 2015; the regions and numbers are atrogame's own reconstruction)."""

from __future__ import annotations

import numpy as np
import pytest
from smk_helpers import DEFAULTS, cf, labels, random_points

from atrogame.models.strategic_mass_killing.kernel import (
    CAPPED,
    CONTESTED,
    INTERIOR,
    cap_derivative,
    closed_form,
    predicates,
)

N = 1500
K = "killing_share_incumbent"


@pytest.fixture(scope="module")
def pts():
    return random_points(N, seed=1502)


def _sweep(pts, name, grid):
    """k_I* at every point (rows) for every value of ``name`` (columns)."""
    vals = {k: v[:, None] for k, v in pts.items()}
    vals[name] = np.asarray(grid)[None, :]
    return closed_form(vals)


def _fd(pts, name, h=1e-7, of=K):
    up = closed_form({**pts, name: pts[name] + h})
    dn = closed_form({**pts, name: pts[name] - h})
    return (up[of] - dn[of]) / (2 * h), up, dn


def _interior(pts, name, h=1e-7):
    """Points whose incumbent regime is interior and stays so under ±h in ``name``."""
    base = closed_form(pts)
    _, up, dn = _fd(pts, name, h)
    return (base["regime"] == INTERIOR) & (up["regime"] == INTERIOR) & (dn["regime"] == INTERIOR)


def _monotone(k, sign):
    d = np.diff(k, axis=1)
    return np.all(sign * d >= -1e-12)


def _interior_points(pts, name, lo, hi):
    keep = {k: v.copy() for k, v in pts.items()}
    keep[name] = np.clip(keep[name], lo, hi)
    return keep


# E1 ------------------------------------------------------------------------------------------
def test_e1_killing_share_rises_with_rents(pts):
    assert _monotone(_sweep(pts, "resource_rents", np.linspace(0.1, 3.0, 120))[K], +1)
    d, _, _ = _fd(pts, "resource_rents")
    a = pts["proportional_sharing"]
    motive = pts["headcount_claims"] * a + pts["state_weakness"] * pts["future_weight"] * (
        1 - 2 * pts["power_sharing"]) * (1 - a)
    inner = _interior(pts, "resource_rents") & (motive > 1e-3)
    assert inner.sum() >= 100
    assert np.all(d[inner] > 0)
    n_g = pts["incumbent_share"]
    exact = n_g * motive / (pts["killing_cost_curvature"] * (1 - n_g))
    np.testing.assert_allclose(d[inner], exact[inner], rtol=1e-5)


# E2, E2' -------------------------------------------------------------------------------------
def test_e2_proportionality_raises_killing_where_headcount_motive_dominates(pts):
    pred = predicates(pts)["proportionality_raises_killing"]
    k = _sweep(pts, "proportional_sharing", np.linspace(0, 1, 101))[K]
    assert pred.sum() > 300
    assert _monotone(k[pred], +1)
    d, _, _ = _fd(pts, "proportional_sharing")
    inner = _interior(pts, "proportional_sharing") & pred
    assert inner.sum() > 50 and np.all(d[inner] > 0)


def test_e2_prime_proportionality_lowers_killing_where_the_prize_dominates(pts):
    pred = ~predicates(pts)["proportionality_raises_killing"]
    chi, thd = pts["headcount_claims"], pts["state_weakness"] * pts["future_weight"] * (1 - 2 * pts["power_sharing"])
    strict = pred & (chi < thd)
    k = _sweep(pts, "proportional_sharing", np.linspace(0, 1, 101))[K]
    assert strict.sum() > 100
    assert _monotone(k[strict], -1)
    d, _, _ = _fd(pts, "proportional_sharing")
    inner = _interior(pts, "proportional_sharing") & strict
    assert inner.sum() > 10 and np.all(d[inner] < 0)


def test_e2_holds_on_the_whole_civil_war_domain_except_theta_delta_one():
    # χ = 1 > θδ(1 − 2s) unless θ = δ = 1 and s = 0
    p = predicates({**DEFAULTS, "state_weakness": 1.0, "future_weight": 1.0, "power_sharing": 0.0})
    assert not bool(p["proportionality_raises_killing"])
    near = {**DEFAULTS, "state_weakness": 1.0, "future_weight": 0.99}
    assert bool(predicates(near)["proportionality_raises_killing"])


# E3-E6 ---------------------------------------------------------------------------------------
@pytest.mark.parametrize(("name", "grid", "sign"), [
    ("productivity", np.linspace(0.2, 3.0, 120), -1),              # E3
    ("state_weakness", np.linspace(0.0, 1.0, 101), +1),            # E4
    ("power_sharing", np.linspace(0.0, 0.5, 101), -1),             # E5
    ("sanction_per_victim", np.linspace(0.0, 0.5, 101), -1),       # E6
    ("killing_cost_curvature", np.linspace(0.2, 10.0, 120), -1),   # E6
    ("killing_labour", np.linspace(0.0, 1.0, 101), -1),            # E6
    ("killing_fixed_cost", np.linspace(0.0, 0.1, 101), -1),        # E6 (extensive margin only)
    ("headcount_claims", np.linspace(0.0, 1.0, 101), +1),          # E10
])
def test_e3_to_e6_and_e10_monotone(pts, name, grid, sign):
    assert _monotone(_sweep(pts, name, grid)[K], sign)


@pytest.mark.parametrize(("name", "sign", "strict"), [
    ("productivity", -1, lambda p: p["killing_labour"] > 1e-3),                                        # E3
    ("state_weakness", +1, lambda p: p["future_weight"] * (1 - 2 * p["power_sharing"])
     * (1 - p["proportional_sharing"]) * p["resource_rents"] > 1e-3),                                   # E4
    ("power_sharing", -1, lambda p: p["state_weakness"] * p["future_weight"]
     * (1 - p["proportional_sharing"]) * p["resource_rents"] > 1e-3),                                   # E5
    ("sanction_per_victim", -1, lambda p: np.ones(N, bool)),                                           # E6
    ("killing_cost_curvature", -1, lambda p: np.ones(N, bool)),                                        # E6
    ("headcount_claims", +1, lambda p: p["proportional_sharing"] > 1e-3),                              # E10
])
def test_strict_in_interior(pts, name, sign, strict):
    p = {k: v.copy() for k, v in pts.items()}
    if name == "sanction_per_victim":
        p[name] = p[name] + 1e-3  # move off the boundary τ = 0
    d, _, _ = _fd(p, name)
    inner = _interior(p, name) & strict(p)
    assert inner.sum() >= 30
    assert np.all(sign * d[inner] > 0)


def test_e6_fixed_cost_acts_only_at_the_extensive_margin(pts):
    d, _, _ = _fd(pts, "killing_fixed_cost")
    inner = _interior(pts, "killing_fixed_cost") & (pts["killing_fixed_cost"] > 1e-6)
    assert inner.sum() > 30 and np.all(d[inner] == 0)


# E7 ------------------------------------------------------------------------------------------
def test_e7_toll_as_the_cap_loosens(pts):
    caps = np.linspace(0, 1, 1001)
    out = _sweep(pts, "killing_cap", caps)
    toll = out["victims_if_incumbent_wins"]
    base = {k: v.copy() for k, v in pts.items()}
    base["killing_cap"] = np.ones(N)
    free = closed_form(base)
    vhat = free["deterrent_cap"][:, None]
    v1 = free["victims_if_incumbent_wins"][:, None]
    c = caps[None, :]
    kills = free["victims_if_incumbent_wins"][:, None] > 0
    ok_zero = np.where(c <= vhat - 1e-12, toll == 0, True)
    ok_cap = np.where(kills & (c > vhat + 1e-12) & (c < v1), np.abs(toll - c) < 1e-12, True)
    ok_free = np.where(kills & (c >= v1) & (c > vhat + 1e-12), np.abs(toll - v1) < 1e-12, True)
    assert ok_zero.all() and ok_cap.all() and ok_free.all()
    # without an uncapped campaign no cap creates one
    assert np.all(toll[~kills[:, 0]] == 0)


def test_killing_iff_below_the_thresholds(pts):
    out = closed_form(pts)
    kills = out["victims_if_incumbent_wins"] > 0
    for eps in (1e-7, -1e-7):
        moved = closed_form({**pts, "sanction_per_victim": np.maximum(out["deterrent_sanction"] + eps, 0.0)})
        if eps > 0:
            assert not np.any(moved["victims_if_incumbent_wins"] > 0)
        else:
            assert np.all(moved["victims_if_incumbent_wins"][out["deterrent_sanction"] > 1e-6] > 0)
    free = closed_form({**pts, "killing_cap": np.ones(N)})
    vhat = free["deterrent_cap"]
    has = free["victims_if_incumbent_wins"] > 0
    above = closed_form({**pts, "killing_cap": np.minimum(vhat + 1e-7, 1.0)})
    below = closed_form({**pts, "killing_cap": np.maximum(vhat - 1e-7, 0.0)})
    assert np.all(above["victims_if_incumbent_wins"][has] > 0)
    assert not np.any(below["victims_if_incumbent_wins"][has & (vhat > 1e-7)] > 0)
    assert kills.sum() > 100


# E8 ------------------------------------------------------------------------------------------
def test_e8a_polarised_both_or_neither(pts):
    out = closed_form({**pts, "incumbent_share": np.full(N, 0.5)})
    np.testing.assert_array_equal(out[K], out["killing_share_opposition"])
    np.testing.assert_array_equal(out["regime"], out["opposition_regime"])


def test_e8b_only_the_larger_group_kills_in_its_region(pts):
    out = closed_form(pts)
    pred = predicates(pts, out)["only_larger_kills_region"]
    one_i = (out[K] > 0) & (out["killing_share_opposition"] == 0)
    one_o = (out[K] == 0) & (out["killing_share_opposition"] > 0)
    larger_i = pts["incumbent_share"] > 0.5
    assert (pred & (one_i | one_o)).sum() >= 20
    assert np.all(larger_i[pred & one_i]) and np.all(~larger_i[pred & one_o])


def test_e8x_smaller_group_can_be_the_only_killer():
    out = cf(incumbent_share=0.9, resource_rents=2.0, killing_cost_curvature=0.3, killing_fixed_cost=0.12)
    assert labels(out)[:2] == ("deterred", "interior")  # the smaller group O is the only killer
    assert float(out["killing_share_opposition"]) == pytest.approx(0.3555555556, abs=1e-9)
    assert not bool(predicates({**DEFAULTS, "incumbent_share": 0.9, "resource_rents": 2.0,
                                "killing_cost_curvature": 0.3, "killing_fixed_cost": 0.12})["only_larger_kills_region"])


def test_e8c_share_and_gain_rise_with_own_population_share(pts):
    base = closed_form(pts)
    for of in (K, "killing_gain_incumbent"):
        d, up, dn = _fd(pts, "incumbent_share", of=of)
        same = (base["regime"] == up["regime"]) & (base["regime"] == dn["regime"])
        region = same & np.isin(base["regime"], (INTERIOR, CAPPED))
        assert region.sum() > 100 and np.all(d[region] > 0)
    # the formula of the interior branch: m/(c n_h²)
    d, up, dn = _fd(pts, "incumbent_share")
    inner = (base["regime"] == INTERIOR) & (up["regime"] == INTERIOR) & (dn["regime"] == INTERIOR)
    exact = base["value_per_victim"] / (pts["killing_cost_curvature"] * (1 - pts["incumbent_share"]) ** 2)
    np.testing.assert_allclose(d[inner], exact[inner], rtol=1e-5)


# E9 ------------------------------------------------------------------------------------------
def test_e9a_polarised_killing_makes_both_fight_harder(pts):
    out = closed_form({**pts, "incumbent_share": np.full(N, 0.5)})
    both = out[K] > 0
    bench = out["base_stake"] / (4 * pts["productivity"])
    assert both.sum() > 100
    assert np.all(out["effort_incumbent"][both] > bench[both])
    assert np.all(out["effort_opposition"][both] > bench[both])


def test_e9b_would_be_victims_fight_harder(pts):
    out = closed_form(pts)
    one_i = (out[K] > 0) & (out["killing_share_opposition"] == 0)
    one_o = (out[K] == 0) & (out["killing_share_opposition"] > 0)
    bench = out["base_stake"] / (4 * pts["productivity"])
    assert one_i.sum() > 30 and one_o.sum() > 30
    assert np.all(out["effort_opposition"][one_i] > out["effort_incumbent"][one_i])
    assert np.all(out["win_prob_incumbent"][one_i] < 0.5)
    assert np.all(out["effort_opposition"][one_i] > bench[one_i])
    assert np.all(out["effort_incumbent"][one_o] > out["effort_opposition"][one_o])
    assert np.all(out["win_prob_incumbent"][one_o] > 0.5)
    assert np.all(out["effort_incumbent"][one_o] > bench[one_o])
    # the killer's own effort may rise or fall relative to the benchmark
    killer = out["effort_incumbent"][one_i] - bench[one_i]
    assert killer.min() < 0 < killer.max()


def test_e9_documented_numbers():
    polar = cf(incumbent_share=0.5)
    assert float(polar["effort_incumbent"]) == pytest.approx(0.2832875, abs=1e-10)
    bench = float(cf(incumbent_share=0.5, killing_cap=0.0)["effort_incumbent"])
    assert bench == pytest.approx(0.245, abs=1e-12) and float(polar["effort_incumbent"]) > bench
    t1 = cf()
    assert float(t1["effort_incumbent"]) < float(t1["effort_opposition"])


# E10 -----------------------------------------------------------------------------------------
def test_e10_interstate_at_most_civil(pts):
    civil = closed_form({**pts, "headcount_claims": np.ones(N)})[K]
    inter = closed_form({**pts, "headcount_claims": np.zeros(N)})[K]
    assert np.all(inter <= civil)
    assert np.any(inter < civil)


# E11, E12 ------------------------------------------------------------------------------------
def test_e11_loosening_a_binding_cap_deters_challenges(pts):
    out = closed_form(pts)
    d = cap_derivative(pts, out)
    h = 1e-7
    up = closed_form({**pts, "killing_cap": pts["killing_cap"] + h})
    dn = closed_form({**pts, "killing_cap": pts["killing_cap"] - h})
    same = ((out["regime"] == CAPPED) & (up["regime"] == CAPPED) & (dn["regime"] == CAPPED)
            & (up["opposition_regime"] == out["opposition_regime"])
            & (dn["opposition_regime"] == out["opposition_regime"])
            & (out["opposition_regime"] != CAPPED))
    assert same.sum() >= 30
    fd = (up["challenge_gain"] - dn["challenge_gain"]) / (2 * h)
    np.testing.assert_allclose(d["challenge_gain"][same], fd[same], rtol=1e-5, atol=1e-8)
    assert np.all(d["challenge_gain"][same] < 0)
    assert np.all(up["p_conflict"][same] <= out["p_conflict"][same])
    # the closed-form sign proof: −ℓ(1 − x)²(1 + 2x) − 2x³(m − c v̄/n_I) with x = P_O
    x = 1 - out["win_prob_incumbent"]
    proof = (-out["loss_per_victim"] * (1 - x) ** 2 * (1 + 2 * x)
             - 2 * x**3 * (out["value_per_victim"] - pts["killing_cost_curvature"] * pts["killing_cap"]
                           / pts["incumbent_share"]))
    np.testing.assert_allclose(d["challenge_gain"][same], proof[same], rtol=1e-10)
    ed = (up["expected_deaths"] - dn["expected_deaths"]) / (2 * h)
    contested = same & (out["onset_regime"] == CONTESTED)
    np.testing.assert_allclose(d["expected_deaths"][contested], ed[contested], rtol=1e-5, atol=1e-8)


def test_e12_tightening_a_binding_cap_can_raise_expected_deaths():
    caps = np.round(np.arange(0, 0.4 + 1e-12, 0.001), 3)
    d0 = cf(killing_cap=caps)
    d2 = cf(killing_cap=caps, death_loss=2.0)
    vhat = float(d0["deterrent_cap"][0])
    assert vhat == pytest.approx(0.0493228472, abs=1e-9) and float(d2["deterrent_cap"][0]) == pytest.approx(vhat)
    assert np.all(d2["expected_deaths"][caps <= 0.0493228] == 0)
    k = int(np.argmax(d2["expected_deaths"]))
    assert caps[k] == pytest.approx(0.073) and d2["expected_deaths"][k] == pytest.approx(0.0080549393, abs=1e-9)
    assert float(cf(death_loss=2.0)["expected_deaths"]) == pytest.approx(0.0053506672, abs=1e-9)
    assert d2["expected_deaths"][k] > float(cf(death_loss=2.0)["expected_deaths"])  # the backfire
    assert bool(predicates({**DEFAULTS, "killing_cap": 0.1, "death_loss": 2.0})["cap_backfire"])
    # at D = 0 there is no backfire: expected deaths never exceed the uncapped level
    assert d0["expected_deaths"].max() == pytest.approx(0.0170995877, abs=1e-9)
    assert not bool(predicates({**DEFAULTS, "killing_cap": 0.1})["cap_backfire"])
    # a binding cap raises the risk of conflict (E11)
    assert np.all(np.diff(d0["p_conflict"][caps > 0.05]) <= 1e-15)
    assert float(d0["p_conflict"][0]) == pytest.approx(0.49) and float(cf()["p_conflict"]) < 0.49


def test_e12_backfire_is_common_but_not_universal(pts):
    free = closed_form({**pts, "killing_cap": np.ones(N)})
    kills = (free["victims_if_incumbent_wins"] > 0) & (free["victims_if_incumbent_wins"] > free["deterrent_cap"] + 1e-3)
    half = 0.5 * (free["deterrent_cap"] + free["victims_if_incumbent_wins"])
    p = {k: v[kills] for k, v in pts.items()}
    p["killing_cap"] = half[kills]
    pred = predicates(p)
    assert pred["cap_binds"].all()
    assert 0 < pred["cap_backfire"].sum() < kills.sum()


# E13-E17 -------------------------------------------------------------------------------------
def test_e13_no_motive_no_killing(pts):
    for zero in ({"proportional_sharing": 0.0, "state_weakness": 0.0}, {"headcount_claims": 0.0, "future_weight": 0.0}):
        out = closed_form({**pts, **{k: np.full(N, v) for k, v in zero.items()}})
        assert np.all(out[K] == 0) and np.all(out["killing_share_opposition"] == 0)


def test_e14_minimum_standards_backfire():
    low, high = cf(headcount_claims=0.5), cf(headcount_claims=1.0)
    assert labels(low)[0] == "deterred" and labels(high)[0] == "interior"
    assert float(low["expected_deaths"]) == 0.0
    assert float(high["expected_deaths"]) == pytest.approx(0.0170995877, abs=1e-9)
    assert float(high[K]) - float(low[K]) == pytest.approx(0.352857, abs=1e-6)
    assert float(high["p_conflict"]) - float(low["p_conflict"]) == pytest.approx(-0.261937, abs=1e-6)
    assert float(high["welfare_loss"]) - float(low["welfare_loss"]) == pytest.approx(-0.187518, abs=1e-6)


def test_e15_welfare_loss(pts):
    out = closed_form(pts)
    assert np.all(out["welfare_loss"] >= 0)
    np.testing.assert_array_equal(out["welfare_loss"] == 0, out["p_conflict"] == 0)


def test_e16_conditional_probability_of_mass_killing(pts):
    out = closed_form(pts)
    both = (out[K] > 0) & (out["killing_share_opposition"] > 0)
    one = (out[K] > 0) ^ (out["killing_share_opposition"] > 0)
    assert both.sum() > 30 and one.sum() > 60
    np.testing.assert_allclose(out["p_mass_killing_given_conflict"][both], 1.0, atol=1e-15)
    assert np.all(out["p_mass_killing_given_conflict"][one] < 0.5)


def test_e17_costlier_challenges_lower_unconditional_risk(pts):
    out = _sweep(pts, "mobilisation_cost_max", np.linspace(0.05, 2.0, 60))
    for k in ("p_conflict", "p_mass_killing", "expected_deaths"):
        assert _monotone(out[k], -1), k
