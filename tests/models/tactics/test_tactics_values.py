"""Every tabulated value of the tactics model (docs/explanation/tactics.md), to 1e-6 relative."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy.optimize import brentq
from tactics_helpers import HW, K2, close, grads, params, shame, shame_all, solve

from atrogame.models.tactics.closed_form import elasticities

# ---------------------------------------------------------------- baseline


@pytest.mark.parametrize("sigT", [0.5, 1.0, 2.0, 4.0])
def test_baseline(sigT):
    o = solve(tactic_substitution=sigT)
    assert close(o["tactic_levels"], [12.5] * 4)
    expected = {"rebel_attacks": 50, "civilian_violence": 12.5, "civilian_price_index": 4, "control": 25,
                "cost": 100, "civilian_spending": 50, "civilian_share": 0.5, "price_rebels": 1,
                "enabler_price": 1, "enabler_net_price": 1, "enabler_input": 37.5, "deaths": 15, "harm_index": 15}
    for k, v in expected.items():
        assert close(o[k], v), k
    assert close(o["tactic_shares"], [0.25] * 4) and close(o["tactic_prices"], [1] * 4)
    assert close(o["harms"], [12.5] * 3)
    assert close(solve(tactic_substitution=sigT, harm_weights=HW)["harm_index"], 25)


# ---------------------------------------------------------------- shame one tactic
SHAME_ONE = [
    (0.5, "imprisonment", (11.32704598, 11.32704598, 8.009431025, 11.32704598), 10.26415766, 4.871320344,
     22.65409197, 13.26069368),
    (1, "imprisonment", (12.5, 12.5, 6.25, 12.5), 10.51120519, 4.75682846, 22.92510108, 14.375),
    (1.5, "imprisonment", (13.48760717, 13.48760717, 4.768589246, 13.48760717), 10.73643804, 4.657038007,
     23.16941738, 15.31322681),
    (2, "imprisonment", (14.28571429, 14.28571429, 3.571428571, 14.28571429), 10.9375, 4.571428571,
     23.38535867, 16.07142857),
    (4, "imprisonment", (16, 16, 1, 16), 11.51259843, 4.343068187, 23.9922888, 17.7),
    (0.5, "killing", (8.009431025, 11.32704598, 11.32704598, 11.32704598), 10.26415766, 4.871320344,
     22.65409197, 10.27484022),
    (2, "killing", (3.571428571, 14.28571429, 14.28571429, 14.28571429), 10.9375, 4.571428571, 23.38535867,
     6.428571429),
]


@pytest.mark.parametrize(("sigT", "tactic", "T", "C", "PC", "Z", "D"), SHAME_ONE)
def test_shame_one_tactic(sigT, tactic, T, C, PC, Z, D):
    o = solve(shame(params(tactic_substitution=sigT), {tactic: 1.0}))
    assert close(o["tactic_levels"], T)
    assert close(o["civilian_violence"], C) and close(o["civilian_price_index"], PC)
    assert close(o["control"], Z) and close(o["deaths"], D)
    assert close(o["rebel_attacks"], 50) and close(o["civilian_spending"], 50)


def test_shame_killing_harm_index():
    o = solve(shame(params(harm_weights=HW), {"killing": 1.0}))
    assert close(o["harm_index"], 17.85714286)


# ---------------------------------------------------------------- shame all
@pytest.mark.parametrize("sigT", [0.5, 1.0, 2.0, 4.0])
def test_shame_all_equal_prices(sigT):
    o = solve(shame_all(params(tactic_substitution=sigT), 1.0))
    assert close(o["tactic_levels"], [6.25] * 4) and close(o["civilian_price_index"], 8)
    assert close(o["control"], 17.67766953) and close(o["deaths"], 7.5)
    o = solve(shame_all(params(tactic_substitution=sigT), 0.25))
    assert close(o["tactic_levels"], [10] * 4) and close(o["control"], 22.36067977) and close(o["deaths"], 12)


def test_flat_sanction_that_raises_deaths_k2():
    p = params(**K2)
    o = solve(p)
    assert close(o["tactic_levels"], (2.941176471, 188.2352941)) and close(o["rebel_attacks"], 50)
    assert close(o["civilian_price_index"], 0.6859943406) and close(o["control"], 60.36841007)
    assert close(o["deaths"], 2.941176471)
    g = grads(p)
    assert close(g["dY_duniform"], 13.66782007)
    assert close(g["dY_ds"], (-8.477508651, 22.14532872))
    for amt, T, D in [(0.25, (5.517241379, 86.20689655), 5.517241379), (0.5, (6.666666667, 53.33333333), 6.666666667),
                      (1, (7.02247191, 28.76404494), 7.02247191), (2, (6, 14.22222222), 6)]:
        o = solve(shame_all(p, amt))
        assert close(o["tactic_levels"], T) and close(o["deaths"], D)
    o = solve(p.replace(tactic_cost=(1.5, 0.375)))
    assert close(o["tactic_levels"], (1.960784314, 125.4901961)) and close(o["deaths"], 1.960784314)


# ---------------------------------------------------------------- enablers
def test_enabler_sanction_elastic_supply():
    for iota in (0.0, 0.5, 1.0):
        o = solve(enabler_sanction=1.0, ideology=iota, harm_weights=HW)
        assert close(o["tactic_prices"], (1.5, 1.25, 1.25, 1)) and close(o["price_rebels"], 1.5)
        assert close(o["enabler_price"], 2)
        assert close(o["tactic_levels"], (6.802721088, 9.795918367, 9.795918367, 15.30612245))
        assert close(o["rebel_attacks"], 33.33333333) and close(o["civilian_violence"], 10.20833333)
        assert close(o["civilian_price_index"], 4.897959184) and close(o["control"], 18.44661968)
        assert close(o["enabler_input"], 24.96598639) and close(o["deaths"], 9.037414966)
        assert close(o["harm_index"], 19.6292517)
        o = solve(enabler_sanction=1.0, ideology=iota, tactic_substitution=0.5)
        assert close(o["tactic_levels"], (9.151881155, 10.0253835, 10.0253835, 11.20871951))
        assert close(o["rebel_attacks"], 33.33333333) and close(o["control"], 18.30376231)
        assert close(o["deaths"], 11.21612466)
    assert close(grads(params())["dY_dsE"], -9.6875)


@pytest.mark.parametrize(("eps", "chi0", "pE", "T", "R", "D", "chi1"), [
    (2.0, 0.8, 1.838964256, (7.390342284, 10.1751206, 10.1751206, 14.89101877), 35.22411379, 9.661161312,
     0.8704247376),
    (0.5, 0.5, 1.594016841, (8.46214353, 10.79197164, 10.79197164, 14.23527885), 38.55025087, 10.79270322,
     0.6849786663),
])
def test_enabler_finite_supply(eps, chi0, pE, T, R, D, chi1):
    p = params(enabler_supply_elasticity=eps, enabler_capacity=37.5)
    o = solve(p)
    assert close(o["enabler_price"], 1) and close(o["enabler_net_price"], 1) and close(o["epsilon_D"], 0.5)
    assert close(o["chi_E"], chi0)
    o = solve(p.replace(enabler_sanction=1.0))
    assert close(o["enabler_price"], pE) and close(o["enabler_net_price"], pE - 1)
    assert close(o["tactic_levels"], T) and close(o["rebel_attacks"], R) and close(o["deaths"], D)
    assert close(o["chi_E"], chi1)


def test_enabler_sanction_that_raises_deaths():
    p = params(enabler_intensity=(0, 0.5, 0.5, 0), tactic_cost=(1, 0.5, 0.5, 1))
    assert close(solve(p)["deaths"], 15)
    o = solve(p.replace(enabler_sanction=1.0))
    assert close(o["tactic_prices"], (1, 1.5, 1.5, 1))
    assert close(o["tactic_levels"], (15, 6.666666667, 6.666666667, 15)) and close(o["rebel_attacks"], 33.33333333)
    assert close(o["deaths"], 16.75)
    assert close(grads(p)["dY_dsE"], 1.875)


# ---------------------------------------------------------------- ideology and implementers
def test_ideology_discounts_leadership_sanctions():
    o = solve(shame(params(ideology=0.5), {"imprisonment": 1}))
    assert close(o["tactic_prices"][2], 1.5)
    assert close(o["tactic_levels"], (13.63636364, 13.63636364, 6.060606061, 13.63636364))
    assert close(o["deaths"], 15.60606061)
    o = solve(shame(params(ideology=0.8), {"imprisonment": 1}))
    assert close(o["tactic_levels"], (13.04347826, 13.04347826, 9.057971014, 13.04347826))
    assert close(o["deaths"], 15.25362319)
    o = solve(shame(params(ideology=1.0), {"imprisonment": 1}))
    assert close(o["tactic_levels"], [12.5] * 4) and close(o["deaths"], 15)
    assert close(solve(shame_all(params(ideology=0.5), 1))["tactic_levels"], [8.333333333] * 4)
    assert close(solve(shame_all(params(ideology=0.5), 1))["deaths"], 10)
    assert close(solve(shame_all(params(ideology=0.8), 1))["tactic_levels"], [10.41666667] * 4)
    assert close(solve(shame_all(params(ideology=0.8), 1))["deaths"], 12.5)


def test_implementer_pressure_is_not_discounted_by_ideology():
    p = params(ideology=0.5, tactic_cost=(0.5, 0.75, 1.75, 1.0))
    o = solve(p)
    assert close(o["tactic_levels"], (14.28571429, 14.28571429, 3.571428571, 14.28571429))
    assert close(o["deaths"], 16.07142857)


def _deaths(p):
    return float(solve(p)["deaths"])


@pytest.mark.parametrize(("policy", "other", "expected"), [
    ("uniform", "resources", 1 / 3), ("uniform", "enabler", 0.3449381585),
    ("killing", "resources", 0.8833432777), ("killing", "enabler", 0.8853748626)])
def test_ideology_crossings(policy, other, expected):
    base = params()
    ref = {"resources": _deaths(base.replace(resources=75.0)),
           "enabler": _deaths(base.replace(enabler_sanction=0.5))}[other]
    assert close(ref, 11.25 if other == "resources" else 11.29917184)

    def f(iota):
        p = base.replace(ideology=iota)
        p = shame_all(p, 0.5) if policy == "uniform" else shame(p, {"killing": 2.0})
        return _deaths(p) - ref

    assert close(brentq(f, 0.0, 1.0, xtol=1e-14, rtol=1e-14), expected, rel=1e-8)


def test_ideology_derivative_with_two_sanctioned_tactics():
    p = params(tactic_sanction=(1, 0, 1, 0), ideology=0.5)
    o = solve(p)
    assert close(o["tactic_levels"], (6.666666667, 15, 6.666666667, 15)) and close(o["deaths"], 8.833333333)
    assert close(grads(p)["dY_dideology"], 7.422222222)


# ---------------------------------------------------------------- outer substitutes, collateral deaths
def test_outer_substitutes_and_collateral_deaths():
    p = params(substitution_elasticity=2.0)
    o = solve(p)
    assert close(o["tactic_levels"], [5] * 4) and close(o["rebel_attacks"], 80) and close(o["control"], 31.25)
    assert close(o["deaths"], 6) and close(solve(p, lethality_rebels=3.0)["deaths"], 246)
    o = solve(shame_all(p, 1))
    assert close(o["tactic_levels"], [1.388888889] * 4) and close(o["rebel_attacks"], 88.88888889)
    assert close(o["control"], 28.125) and close(o["deaths"], 1.666666667)
    assert close(solve(shame_all(p.replace(lethality_rebels=3.0), 1))["deaths"], 268.3333333)
    o = solve(shame(p, {"imprisonment": 1}))
    assert close(o["tactic_levels"], (5.128205128, 5.128205128, 1.282051282, 5.128205128))
    assert close(o["rebel_attacks"], 82.05128205) and close(o["civilian_violence"], 3.926282051)
    assert close(o["control"], 30.46875) and close(o["deaths"], 5.769230769)
    assert close(solve(shame(p.replace(lethality_rebels=3.0), {"imprisonment": 1}))["deaths"], 251.9230769)
    for psi, dq, dpr, du in [(0.0, (-9.7, -0.2, -0.7, -0.2), 4.8, -10.8), (3.0, (2.3, 11.8, 11.3, 11.8), -283.2, 37.2)]:
        g = grads(p.replace(lethality_rebels=psi))
        assert close(g["dY_dlnq"], dq) and close(g["dY_dlnpR"], dpr) and close(g["dY_duniform"], du)
    for sigT, val in [(2.0, -0.7), (2.7, 0.0), (3.0, 0.3)]:
        g = grads(p.replace(tactic_substitution=sigT))
        assert abs(g["dY_ds"][2] - val) <= 1e-9


# ---------------------------------------------------------------- min_cost, decompositions
def mc(**kw):
    return params(objective="min_cost", control_target=25.0, **kw)


def test_min_cost_values():
    o = solve(mc())
    assert close(o["tactic_levels"], [12.5] * 4) and close(o["cost"], 100) and close(o["deaths"], 15)
    o = solve(mc(substitution_elasticity=2.0))
    assert close(o["tactic_levels"], [4] * 4) and close(o["rebel_attacks"], 64) and close(o["cost"], 80)
    assert close(o["deaths"], 4.8)
    o = solve(shame(mc(), {"imprisonment": 1}))
    assert close(o["tactic_levels"], (15.27207097, 15.27207097, 3.818017742, 15.27207097))
    assert close(o["rebel_attacks"], 53.45224838) and close(o["cost"], 106.9044968) and close(o["deaths"], 17.18107984)
    o = solve(shame(mc(tactic_substitution=0.5), {"imprisonment": 1}))
    assert close(o["tactic_levels"], (12.5, 12.5, 8.838834765, 12.5))
    assert close(o["rebel_attacks"], 55.17766953) and close(o["cost"], 110.3553391) and close(o["deaths"], 14.63388348)


@pytest.mark.parametrize(("sigT", "sub", "inc", "ccost", "dsub", "dinc"), [
    (2.0, (2.772070966, 2.772070966, -8.681982258, 2.772070966),
     (-0.9863566807, -0.9863566807, -0.2465891702, -0.9863566807), 106.9044968, 2.181079837, -1.109651266),
    (0.5, (0, 0, -3.661165235, 0), (-1.172954017, -1.172954017, -0.8294037394, -1.172954017), 110.3553391,
     -0.3661165235, -1.373189793),
])
def test_hicks_decomposition(sigT, sub, inc, ccost, dsub, dinc):
    p0 = params(tactic_substitution=sigT)
    p1 = shame(p0, {"imprisonment": 1})
    o0, o1 = solve(p0), solve(p1)
    h = solve(p1.replace(objective="min_cost", control_target=float(o0["control"])))
    s_ = h["tactic_levels"] - o0["tactic_levels"]
    i_ = o1["tactic_levels"] - h["tactic_levels"]
    assert close(s_, sub, abs_=1e-8) and close(i_, inc) and close(h["cost"], ccost)
    assert close(s_ + i_, o1["tactic_levels"] - o0["tactic_levels"])
    assert close(h["deaths"] - o0["deaths"], dsub) and close(o1["deaths"] - h["deaths"], dinc)
    if sigT == 2.0:
        assert close(s_ + i_, (1.785714286, 1.785714286, -8.928571429, 1.785714286))


@pytest.mark.parametrize(("sigT", "sub", "inc"), [
    (2.0, (3.571428571, 3.571428571, -8.482142857, 3.571428571), (-1.785714286, -1.785714286, -0.4464285714,
                                                                  -1.785714286)),
    (0.5, (0.2429267309, 0.2429267309, -3.489390096, 0.2429267309), (-1.415880748, -1.415880748, -1.001178878,
                                                                     -1.415880748)),
])
def test_slutsky_decomposition(sigT, sub, inc):
    p0 = params(tactic_substitution=sigT)
    p1 = shame(p0, {"imprisonment": 1})
    o0 = solve(p0)
    Mp = 100 + 1.0 * float(o0["tactic_levels"][2])
    assert close(Mp, 112.5)
    comp = solve(p1.replace(resources=Mp))
    o1 = solve(p1)
    assert close(comp["tactic_levels"] - o0["tactic_levels"], sub)
    assert close(o1["tactic_levels"] - comp["tactic_levels"], inc)


# ---------------------------------------------------------------- elasticities and marginal effects
@pytest.mark.parametrize(("sigT", "own", "cross", "hown", "hcross"), [
    (2.0, -1.75, 0.25, -1.625, 0.375), (0.5, -0.625, -0.125, -0.5, 0.0), (4.0, -3.25, 0.75, -3.125, 0.875)])
def test_elasticity_values(sigT, own, cross, hown, hcross):
    o = solve(tactic_substitution=sigT)
    m = elasticities(o, sigT, 1.0, "marshall")
    h = elasticities(o, sigT, 1.0, "hicks")
    assert close(m[1, 1], own) and close(m[1, 2], cross) and close(h[1, 1], hown) and abs(h[1, 2] - hcross) < 1e-12
    if sigT == 2.0:
        assert abs(m[1, 0]) < 1e-15 and abs(m[0, 1]) < 1e-15 and close(m[0, 0], -1)
        assert close(h[1, 0], 0.5) and close(h[0, 1], 0.125) and close(h[0, 0], -0.5)
        # Allen–Uzawa between two tactics: ε^h_kj / π_j with π_j = s_C S_j
        assert close(h[1, 2] / (0.5 * 0.25), 3)


def test_gross_and_net_relation_between_thresholds():
    o = solve(tactic_substitution=0.75)
    assert close(elasticities(o, 0.75, 1.0, "marshall")[1, 2], -0.0625)
    assert close(elasticities(o, 0.75, 1.0, "hicks")[1, 2], 0.0625)


def test_comparative_statics_values_at_defaults():
    p = params()
    o = solve(p)
    g = grads(p)
    m = elasticities(o, 2.0, 1.0)
    T = o["tactic_levels"]
    # ∂T_k/∂s_j = T_k ε_kj / q_j (1 − ι)
    assert close(T[0] * m[1, 1], -21.875) and close(T[0] * m[1, 2], 3.125)
    assert close(g["dY_ds"], (-21.25, 2.5, 1.25, 2.5))
    assert close(g["dY_dsE"], -9.6875) and close(g["dY_dM"], 0.15)
    assert close(g["bracket"], (-1.7, 0.2, 0.1, 0.2))
    assert list(g["bracket"] > 0) == [False, True, True, True]


@pytest.mark.parametrize(("sigT", "T", "neg", "best"), [
    (0.5, (8.244709437, 18.43573076, 11.6597799, 11.6597799), (5.022302923, 2.473238631, 1.855707952,
                                                               1.564213454), 0),
    (4.0, (0.07598784195, 47.49240122, 1.215805471, 1.215805471), (0.2919469055, 1.995691328, 0.2942507922,
                                                                   0.05108969799), 1),
])
def test_marginal_effects_where_a_sanction_helps_most(sigT, T, neg, best):
    p = params(tactic_weights=(0.1, 0.5, 0.2, 0.2), tactic_substitution=sigT)
    assert close(solve(p)["tactic_levels"], T)
    g = grads(p)
    assert close(-g["dY_ds"], neg) and int(np.argmax(-g["dY_ds"])) == best


def test_protection_against_displacement():
    o = solve(tactic_productivity=(1, 0.5, 1, 1))
    assert close(o["tactic_levels"], (14.28571429, 7.142857143, 14.28571429, 14.28571429))
    assert close(o["deaths"], 16.78571429)
    o = solve(tactic_productivity=(1, 0.5, 1, 1), tactic_substitution=0.5)
    assert close(o["tactic_levels"], (11.32704598, 16.01886205, 11.32704598, 11.32704598))
    assert close(o["harms"][0], 16.01886205) and close(o["deaths"], 13.82704598)


# ---------------------------------------------------------------- reductions and limits
def test_single_tactic_reduces_to_anderton_brauer_row():
    p = params(tactics=("all",), tactic_weights=(1,), tactic_cost=(1,), tactic_sanction=(1,), lethality=(1,),
               enabler_intensity=(0,), enabler_intensity_rebels=0.0, cost_rebels=1.0, substitution_elasticity=2.0)
    o = solve(p)
    assert close(o["tactic_levels"], [16.66666667]) and close(o["rebel_attacks"], 66.66666667)
    assert close(o["control"], 37.5) and close(o["deaths"], 16.66666667)


LIMIT = {"tactic_cost": (0.5, 0.75, 1.25, 1), "tactic_weights": (0.4, 0.3, 0.2, 0.1),
         "tactic_productivity": (1, 2, 0.5, 1.5), "substitution_elasticity": 1.7}
KEYS = ("tactic_levels", "rebel_attacks", "control", "civilian_price_index", "deaths", "tactic_shares",
        "civilian_share", "rebel_share")


@pytest.mark.parametrize("delta", [1e-10, -1e-10])
def test_unit_elasticities_are_continuous(delta):
    ref = solve(**{**LIMIT, "tactic_substitution": 1.0})
    near = solve(**{**LIMIT, "tactic_substitution": 1.0 + delta})
    for k in KEYS:
        assert close(near[k], ref[k], rel=1e-9), k
    ref = solve(**{**LIMIT, "substitution_elasticity": 1.0, "tactic_substitution": 1.0})
    near = solve(**{**LIMIT, "substitution_elasticity": 1.0 + delta, "tactic_substitution": 1.0})
    for k in KEYS:
        assert close(near[k], ref[k], rel=1e-9), k


@pytest.mark.parametrize("delta", [2e-9, -5e-9, 1e-8, 1e-6, 1e-4, 0.05, 0.2, -0.3, 3.0])
def test_price_index_to_full_precision_near_and_far_from_one(delta):
    """The cumulant form keeps every digit of P_C near σ_T = 1 (checked at 50 digits with mpmath)."""
    import mpmath as mp

    mp.mp.dps = 50
    sigT = 1.0 + delta
    o = solve(**{**LIMIT, "tactic_substitution": sigT})
    q = [mp.mpf(x) for x in o["tactic_prices"]]
    w = [mp.mpf(x) for x in LIMIT["tactic_weights"]]
    w = [x / mp.fsum(w) for x in w]  # the model normalises the weights (they sum to 1 within 1e-9)
    b = [mp.mpf(x) for x in LIMIT["tactic_productivity"]]
    st = mp.mpf(sigT)
    tot = mp.fsum(wk**st * bk ** (st - 1) * qk ** (1 - st) for wk, bk, qk in zip(w, b, q, strict=True))
    PC = tot ** (1 / (1 - st))
    assert close(o["civilian_price_index"], float(PC), rel=1e-13)


def test_leontief_limit():
    o = solve(**{**LIMIT, "tactic_substitution": 1e-7})
    q, b = o["tactic_prices"], np.asarray(LIMIT["tactic_productivity"])
    assert close(o["civilian_price_index"], np.sum(q / b))
    bt = b * o["tactic_levels"]
    assert close(bt, np.full(4, bt[0]))


# ---------------------------------------------------------------- figures' tabulated values
def test_at1_tactic_mix_values():
    s = [0, 0.5, 1, 2, 3]
    a = [solve(params(tactic_substitution=0.5, tactic_sanction=(0, 0, x, 0))) for x in s]
    assert close([o["tactic_levels"][0] for o in a], [12.5, 11.83503419, 11.32704598, 10.56624327, 10])
    assert close([o["tactic_levels"][2] for o in a], [12.5, 9.663264952, 8.009431025, 6.100423396, 5])
    assert close([o["deaths"] for o in a], [15, 13.9848641, 13.26069368, 12.23290994, 11.5])
    b = [solve(params(tactic_sanction=(0, 0, x, 0))) for x in s]
    assert close([o["tactic_levels"][0] for o in b], [12.5, 13.63636364, 14.28571429, 15, 15.38461538])
    assert close([o["tactic_levels"][2] for o in b], [12.5, 6.060606061, 3.571428571, 1.666666667, 0.9615384615])
    assert close([o["deaths"] for o in b], [15, 15.60606061, 16.07142857, 16.66666667, 17.01923077])


def test_at2_pressure_values():
    xs = [0, 1, 2, 4]
    for sigT, kill, imp in [(2.0, [15, 6.428571429, 4.666666667, 3.75], [15, 16.07142857, 16.66666667, 17.25]),
                            (0.5, [15, 10.27484022, 8.21367205, 6.180339887],
                             [15, 13.26069368, 12.23290994, 10.93111629])]:
        p = params(tactic_substitution=sigT)
        assert close([_deaths(shame(p, {"killing": x})) for x in xs], kill)
        assert close([_deaths(shame(p, {"imprisonment": x})) for x in xs], imp)
        assert close([_deaths(shame_all(p, x / 4)) for x in xs], [15, 12, 10, 7.5])
    io = [0, 0.25, 0.5, 0.75, 1]
    assert close([_deaths(shame_all(params(ideology=i), 0.5)) for i in io], [10, 10.90909091, 12, 13.33333333, 15])
    assert close([_deaths(shame(params(ideology=i), {"killing": 2})) for i in io],
                 [4.666666667, 5.294117647, 6.428571429, 8.787878788, 15])


def test_at3_backfire_boundary_points():
    # σ_T = σ̄/(1 − r), σ̄ = 1
    for sigT, r in [(1, 0), (4 / 3, 0.25), (1.5, 1 / 3), (2, 0.5), (4, 0.75)]:
        assert close(1 / (1 - r), sigT)


def test_at4_enabler_values():
    sE = [0, 0.5, 1, 2]
    o = [solve(enabler_sanction=x) for x in sE]
    assert close([x["tactic_levels"][0] for x in o], [12.5, 8.944099379, 6.802721088, 4.411764706])
    assert close([x["tactic_levels"][1] for x in o], [12.5, 11.042098, 9.795918367, 7.843137255])
    assert close([x["tactic_levels"][3] for x in o], [12.5, 13.97515528, 15.30612245, 17.64705882])
    assert close([x["rebel_attacks"] for x in o], [50, 40, 33.33333333, 25])
    for eps, pE, D in [(math.inf, [1, 1.5, 2, 3], [15, 11.29917184, 9.037414966, 6.470588235]),
                       (2.0, [1, 1.410768291, 1.838964256, 2.730445689], [15, 11.82450106, 9.661161312, 7.000255457]),
                       (0.5, [1, 1.273681951, 1.594016841, 2.353670204], [15, 12.73010642, 10.79270322, 7.917107375])]:
        kw = {} if math.isinf(eps) else {"enabler_supply_elasticity": eps, "enabler_capacity": 37.5}
        o = [solve(enabler_sanction=x, **kw) for x in sE]
        assert close([x["enabler_price"] for x in o], pE) and close([x["deaths"] for x in o], D)


def test_implied_tactic_substitution_example():
    # σ_T = σ̄ + ε/S_j, σ̄ = 1 + (σ − 1)(1 − s_C)
    sigma, sC, eps, S = 1.0, 0.5, 0.25, 0.25
    assert close(1 + (sigma - 1) * (1 - sC) + eps / S, 2)


def test_vectorised_matches_pointwise():
    sig = np.array([0.5, 1.0, 2.0, 4.0])[:, None]
    s_imp = np.array([0.0, 1.0, 3.0])[None, :]
    p = params()
    v = p.kernel_values()
    v["tactic_substitution"] = sig
    v["tactic_sanction"] = np.stack(np.broadcast_arrays(0 * s_imp, 0 * s_imp, s_imp, 0 * s_imp), axis=-1)
    from atrogame.models.tactics.closed_form import closed_form

    o = closed_form(v)
    assert o["deaths"].shape == (4, 3) and o["tactic_levels"].shape == (4, 3, 4)
    for i, st in enumerate(sig[:, 0]):
        for j, x in enumerate(s_imp[0]):
            ref = solve(p.replace(tactic_substitution=st, tactic_sanction=(0, 0, x, 0)))
            assert close(o["deaths"][i, j], ref["deaths"], rel=1e-13)
            assert close(o["tactic_levels"][i, j], ref["tactic_levels"], rel=1e-13)
