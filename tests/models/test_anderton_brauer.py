"""Spec values of the Anderton–Brauer perpetrator-choice model (spec section 9), errors, API and CLI."""

from __future__ import annotations

import dataclasses
import json
import math

import numpy as np
import pytest

import atrogame as ag
from atrogame import policies as P
from atrogame.cli import main

# These tests pin the values of the legacy price(price_civilians=level) spelling (deprecated in
# favour of factors, price(civilians=...)); its DeprecationWarning is tested in tests/research.
pytestmark = pytest.mark.filterwarnings("ignore:price\\(price_civilians=:DeprecationWarning")

AB = ag.AndertonBrauer
REL = 1e-6


def close(a: float, b: float, rel: float = REL, abs_: float = 1e-9) -> bool:
    if math.isinf(b):
        return a == b
    return abs(a - b) <= max(rel * abs(b), abs_)


def check(eq, C=None, R=None, Z=None, regime=None, cost=None, choke=None, unique=None):
    if C is not None:
        assert close(eq.civilian_attacks, C), (eq.civilian_attacks, C)
    if R is not None:
        assert close(eq.rebel_attacks, R), (eq.rebel_attacks, R)
    if Z is not None:
        assert close(eq.control, Z), (eq.control, Z)
    if cost is not None:
        assert close(eq.cost, cost), (eq.cost, cost)
    if choke is not None:
        assert close(eq.choke_price, choke), (eq.choke_price, choke)
    if regime is not None:
        assert eq.regime == regime
    if unique is not None:
        assert eq.unique is unique


# ----------------------------------------------------------------------------- 9.1 cobb_douglas
@pytest.mark.parametrize("aR, aC, pR, pC, M, C, R, Z", [
    (0.5, 0.5, 1, 1, 100, 50, 50, 50),
    (0.5, 0.5, 1, 1, 80, 40, 40, 40),
    (0.5, 0.5, 1, 2, 100, 25, 50, 35.35533906),
    (0.7, 0.3, 1, 1, 100, 30, 70, 54.28814527),
    (0.5, 0.5, 2, 1, 100, 50, 25, 35.35533906),
    (0.5, 0.3, 1, 1, 100, 37.5, 62.5, 23.45035324),
])
def test_cobb_douglas_table(aR, aC, pR, pC, M, C, R, Z):
    eq = AB("cobb_douglas", weight_rebels=aR, weight_civilians=aC, price_rebels=pR, price_civilians=pC,
            resources=M).solve()
    check(eq, C, R, Z, "interior", cost=M, choke=math.inf)
    assert eq.method == "closed_form" and eq.unique


@pytest.mark.parametrize("kw, C, R, e", [
    ({"price_civilians": 2}, 35.35533906, 70.71067812, 141.4213562),
    ({"tfp": 2}, 25, 25, 50),
])
def test_cobb_douglas_min_cost(kw, C, R, e):
    eq = AB("cobb_douglas", objective="min_cost", control_target=50, **kw).solve()
    check(eq, C, R, 50, "interior", cost=e, choke=math.inf)


def test_cobb_douglas_slutsky_compensation():
    d = AB("cobb_douglas").decompose(price_civilians=2, method="slutsky")
    assert close(d.compensated_resources, 150) and close(d.compensated_bundle[0], 37.5)


# ----------------------------------------------------------------------------- 9.2 ces
@pytest.mark.parametrize("th, s, aR, aC, pC, pR, C, R, Z", [
    (0.5, 2, 1, 1, 1, 1, 50, 50, 50),
    (0.5, 0.5, 1, 1, 1, 1, 50, 50, 50),
    (0.5, 2, 1, 0.5, 1, 1, 33.33333333, 66.66666667, 37.5),
    (0.5, 0.5, 1, 0.5, 1, 1, 58.57864376, 41.42135624, 34.31457505),
    (0.5, 2, 2, 1, 1, 1, 33.33333333, 66.66666667, 75),
    (0.5, 0.5, 2, 1, 1, 1, 58.57864376, 41.42135624, 68.62915010),
    (0.5, 2, 0.5, 1, 1, 1, 66.66666667, 33.33333333, 37.5),
    (0.5, 0.5, 0.5, 1, 1, 1, 41.42135624, 58.57864376, 34.31457505),
    (0.5, 2, 1, 1, 2, 1, 16.66666667, 66.66666667, 37.5),
    (0.5, 0.5, 1, 1, 2, 1, 29.28932188, 41.42135624, 34.31457505),
    (0.6, 2, 1, 1, 1, 1, 30.76923077, 69.23076923, 52),
    (0.5, 2, 1, 1, 1, 2, 66.66666667, 16.66666667, 37.5),
    (0.5, 0.5, 1, 1, 1, 2, 41.42135624, 29.28932188, 34.31457505),
])
def test_ces_table(th, s, aR, aC, pC, pR, C, R, Z):
    eq = AB("ces", share_rebels=th, substitution_elasticity=s, productivity_rebels=aR, productivity_civilians=aC,
            price_civilians=pC, price_rebels=pR).solve()
    check(eq, C, R, Z, "interior", cost=100, choke=math.inf)


@pytest.mark.parametrize("s, kw, C, R, e", [
    (2, {"price_civilians": 2}, 22.22222222, 88.88888889, 133.3333333),
    (0.5, {"price_civilians": 2}, 42.67766953, 60.35533906, 145.7106781),
    (2, {"productivity_rebels": 2}, 22.22222222, 44.44444444, 66.66666667),
    (0.5, {"productivity_rebels": 2}, 42.67766953, 30.17766953, 72.85533906),
])
def test_ces_min_cost(s, kw, C, R, e):
    eq = AB("ces", substitution_elasticity=s, objective="min_cost", control_target=50, **kw).solve()
    check(eq, C, R, 50, "interior", cost=e)


def test_ces_leontief_limit():
    assert close(AB("ces", substitution_elasticity=1e-6).solve().civilian_attacks, 50)
    assert close(AB("ces", substitution_elasticity=1e-6, productivity_rebels=2).solve().civilian_attacks,
                 66.66666667, rel=1e-5)
    h = AB("ces", substitution_elasticity=1e-6, productivity_rebels=2, objective="min_cost", control_target=50).solve()
    assert close(h.civilian_attacks, 50, rel=1e-5) and close(h.rebel_attacks, 25, rel=1e-5)


@pytest.mark.parametrize("sigma", [1.0, 1 + 1e-10, 1 - 1e-10])
def test_ces_sigma_one_limit(sigma):
    kw = {"share_rebels": 0.3, "productivity_rebels": 2, "productivity_civilians": 0.5, "price_rebels": 1.5,
              "price_civilians": 0.7}
    eq = AB("ces", substitution_elasticity=sigma, **kw).solve()
    check(eq, 100, 20, 46.76242239, "interior")
    check(AB("ces", substitution_elasticity=sigma).solve(), 50, 50, 50)
    # the cost function takes the same limit: duality at σ = 1
    h = AB("ces", substitution_elasticity=sigma, objective="min_cost", control_target=46.76242239, **kw).solve()
    check(h, 100, 20, cost=100)


# ----------------------------------------------------------------------------- 9.3 contest
@pytest.mark.parametrize("kw, C, R, Z, regime", [
    ({}, 40, 60, 0.75, "interior"),
    ({"support_erosion": 0.02}, 25, 75, 0.6521739130, "interior"),
    ({"support_erosion": 0.01}, 0, 100, 0.625, "no_civilian_attacks"),
    ({"price_civilians": 2}, 15, 70, 0.6712328767, "interior"),
    ({"price_civilians": 2.5}, 10, 75, 0.6521739130, "interior"),
    ({"price_civilians": 4}, 2.5, 90, 0.6279069767, "interior"),
    ({"price_civilians": 5}, 0, 100, 0.625, "no_civilian_attacks"),
    ({"price_civilians": 6}, 0, 100, 0.625, "no_civilian_attacks"),
    ({"price_civilians": 0.5}, 90, 55, 0.8344827586, "interior"),
    ({"resources": 50}, 15, 35, 0.5051546392, "interior"),
    ({"price_rebels": 2}, 40, 30, 0.6, "interior"),
    ({"rebel_base_strength": 200}, 40, 60, 0.4736842105, "interior"),
    ({"rebel_base_strength": 120}, 40, 60, 0.6, "interior"),
    ({"productivity_rebels": 3, "decisiveness": 2}, 40, 60, 0.9878048780, "interior"),
])
def test_contest_table(kw, C, R, Z, regime):
    eq = AB("contest", **kw).solve()
    check(eq, C, R, Z, regime)
    assert close(eq.choke_price, eq.support_erosion * eq.resources)


def test_contest_snapping_at_boundary_noise():
    eq = AB("contest", support_erosion=0.05 * 0.2).solve()
    assert eq.civilian_attacks == 0.0 and eq.regime == "no_civilian_attacks" and eq.rebel_attacks == 100


@pytest.mark.parametrize("kw, C, R, e, regime", [
    ({"price_civilians": 2}, 22.42640687, 84.85281374, 129.7056275, "interior"),
    ({}, 40, 60, 100, "interior"),
    ({"rebel_base_strength": 120}, 64.85281374, 84.85281374, 149.7056275, "interior"),
    ({"productivity_rebels": 2}, 22.42640687, 42.42640687, 64.85281374, "interior"),
    ({"support_erosion": 0.04}, 42.08203932, None, None, "interior"),
    ({"support_erosion": 0.02}, 44.86832981, 94.86832981, 139.7366596, "interior"),
    ({"support_erosion": 0.01}, 34.16407865, None, None, "interior"),
    ({"support_erosion": 0.005}, 0, 180, 180, "no_civilian_attacks"),
])
def test_contest_min_cost(kw, C, R, e, regime):
    eq = AB("contest", objective="min_cost", control_target=0.75, **kw).solve()
    check(eq, C, R, 0.75, regime, cost=e)


# ----------------------------------------------------------------------------- 9.4 quasi_linear
@pytest.mark.parametrize("pC, M, C, R, Z, regime", [
    (1, 100, 29, 71, 173.0359214, "interior"),
    (1, 50, 29, 21, 123.0359214, "interior"),
    (1, 20, 20, 0, 91.33567313, "no_rebel_attacks"),
    (2, 100, 14, 72, 153.2415060, "interior"),
    (30, 100, 0, 100, 100, "no_civilian_attacks"),
])
def test_quasi_linear_table(pC, M, C, R, Z, regime):
    check(AB("quasi_linear", price_civilians=pC, resources=M).solve(), C, R, Z, regime, choke=30)


@pytest.mark.parametrize("Zbar, C, R, e, regime", [
    (173.0359214, 14, 91.79441542, 119.7944154, "interior"),
    (50, 4.294490050, 0, 8.588980101, "no_rebel_attacks"),
])
def test_quasi_linear_min_cost(Zbar, C, R, e, regime):
    eq = AB("quasi_linear", objective="min_cost", control_target=Zbar, price_civilians=2).solve()
    check(eq, C, R, Zbar, regime, cost=e, choke=30)
    assert close(AB("quasi_linear", objective="min_cost", control_target=50, price_civilians=2).solve()
                 .civilian_attacks, math.exp(5 / 3) - 1)


# ----------------------------------------------------------------------------- 9.5 quadratic
@pytest.mark.parametrize("pC, M, C, R, Z, FR, FC, regime", [
    (1, 20, 7.5, 12.5, 42.5, 0.25, 0.25, "interior"),
    (1.1, 20, 7.564102564, 11.67948718, 42.31410256, 0.2435897436, 0.2679487179, "interior"),
    (1.2, 20, 7.631578947, 10.84210526, 42.13157895, 0.2368421053, 0.2842105263, "interior"),
    (1, 19, 7.625, 11.375, 42.25625, 0.2375, 0.2375, "interior"),
    (1, 21, 7.375, 13.625, 42.75625, 0.2625, 0.2625, "interior"),
    (1, 100, 0, 100, 100, 1, -1, "no_civilian_attacks"),
])
def test_quadratic_table(pC, M, C, R, Z, FR, FC, regime):
    eq = AB("quadratic", price_civilians=pC, resources=M).solve()
    check(eq, C, R, Z, regime)
    b, g, d = 9.0, 1.0, 0.1
    assert close(1 - d * eq.civilian_attacks, FR)
    assert close(b - g * eq.civilian_attacks - d * eq.rebel_attacks, FC)


def test_quadratic_choke_prices():
    assert close(AB("quadratic", resources=20).solve().choke_price, 7)
    assert AB("quadratic", resources=100).solve().choke_price == 0


def test_quadratic_min_cost_giffen_and_nonconvex():
    eq = AB("quadratic", resources=20, objective="min_cost", control_target=42.5, price_civilians=1.1).solve()
    check(eq, 7.468151582, 12.53345092, 42.5, "interior", cost=20.74841766)
    eq = AB("quadratic", interaction=0.5, price_civilians=0.5, objective="min_cost", control_target=30).solve()
    check(eq, 4.417424305, 0, 30, "no_rebel_attacks", cost=2.208712153, choke=0)


@pytest.mark.parametrize("M, C, Z, regime", [(60, 0, 30, "no_civilian_attacks"), (4, 4, 24, "no_rebel_attacks")])
def test_quadratic_valid_corners(M, C, Z, regime):
    eq = AB("quadratic", civilian_value=10, civilian_saturation=2, interaction=0.5, price_rebels=2,
            resources=M).solve()
    check(eq, C=C, Z=Z, regime=regime)


@pytest.mark.parametrize("kw, numbers", [
    ({"civilian_value": 10, "civilian_saturation": 2, "interaction": 0.5, "price_rebels": 2, "resources": 40},
     ("20", "25")),
    ({"civilian_value": 10, "civilian_saturation": 2, "interaction": 0.5, "price_rebels": 2, "resources": 8},
     ("22.75", "25")),
    ({"civilian_value": 10, "civilian_saturation": 1, "interaction": 0.2, "resources": 40}, ("40.8333", "50")),
])
def test_quadratic_budget_validity_raises(kw, numbers):
    with pytest.raises(ag.ParameterError) as err:
        AB("quadratic", **kw)
    msg = str(err.value)
    assert err.value.name == "resources" and all(n in msg for n in numbers) and str(float(kw["resources"])) in msg


def test_quadratic_saturation_error():
    with pytest.raises(ag.ParameterError, match=r"civilian_saturation must be in \(0\.2, inf\); got 0\.1"):
        AB("quadratic", civilian_saturation=0.1)


def test_quadratic_validity_after_apply_and_in_sweeps():
    m = AB("quadratic", civilian_value=10, civilian_saturation=2, interaction=0.5, price_rebels=2, resources=60)
    with pytest.raises(ag.ParameterError, match="resources"):
        m.apply(P.resource(40 / 60))
    with pytest.raises(ag.ParameterError, match="resources"):
        m.sweep(resources=[60, 40])
    with pytest.raises(ag.ParameterError, match="civilian_saturation"):
        AB("quadratic", resources=20).sweep(civilian_saturation=[1.0, 0.1])
    ds = AB("quadratic", resources=20).sweep(price_civilians=[1.0, 1.1, 1.2], resources=[19.0, 20.0, 21.0])
    assert close(float(ds["civilian_attacks"].sel(price_civilians=1.1, resources=20.0)), 7.564102564)


# ----------------------------------------------------------------------------- 9.6 linear
@pytest.mark.parametrize("kw, C, R, Z, regime, unique, choke", [
    ({}, 100, 0, 125, "no_rebel_attacks", True, 1.25),
    ({"price_civilians": 1.5}, 0, 100, 100, "no_civilian_attacks", True, 1.25),
    ({"price_civilians": 1.25}, 0, 100, 100, "no_civilian_attacks", False, 1.25),
    ({"price_rebels": 2}, 100, 0, 125, "no_rebel_attacks", True, 2.5),
    ({"productivity_civilians": 0.8}, 0, 100, 100, "no_civilian_attacks", True, 0.8),
])
def test_linear_table(kw, C, R, Z, regime, unique, choke):
    check(AB("linear", **kw).solve(), C, R, Z, regime, choke=choke, unique=unique)


@pytest.mark.parametrize("pC, C, R, e", [(1, 100, 0, 100), (1.5, 0, 125, 125)])
def test_linear_min_cost(pC, C, R, e):
    check(AB("linear", objective="min_cost", control_target=125, price_civilians=pC).solve(), C, R, 125, cost=e)


# ----------------------------------------------------------------------------- 9.8 decompositions
DECOMP = [
    ("cobb_douglas", {}, {"price_civilians": 2}, (-14.64466094, -10.35533906, -25), (150, -12.5, -12.5)),
    ("ces", {}, {"price_civilians": 2}, (-27.77777778, -5.555555556, -33.33333333), (150, -25, -8.333333333)),
    ("ces", {"substitution_elasticity": 0.5}, {"price_civilians": 2},
     (-7.322330470, -13.38834765, -20.71067812), (150, -6.066017178, -14.64466094)),
    ("contest", {}, {"price_civilians": 2}, (-17.57359313, -7.426406871, -25), (140, -15, -10)),
    ("quasi_linear", {}, {"price_civilians": 2}, (-15, 0, -15), (129, -15, 0)),
    ("linear", {}, {"price_civilians": 1.5}, (-100, 0, -100), (150, -100, 0)),
    ("quadratic", {"resources": 20}, {"price_civilians": 1.1},
     (-0.03184841771, 0.09595098181, 0.06410256410), (20.75, -0.03205128205, 0.09615384615)),
    ("ces", {}, {"price_rebels": 2}, (38.88888889, -22.22222222, 16.66666667), (150, 50, -33.33333333)),
    ("ces", {"substitution_elasticity": 0.5}, {"price_rebels": 2},
     (10.35533906, -18.93398282, -8.578643763), (150, 12.13203436, -20.71067812)),
]


@pytest.mark.parametrize("tech, kw, change, hicks, slutsky", DECOMP)
def test_decompositions(tech, kw, change, hicks, slutsky):
    m = AB(tech, **kw)
    h = m.decompose(**change)
    assert h.method == "hicks" and h.compensated_resources is None
    assert close(h.substitution, hicks[0]) and close(h.income, hicks[1]) and close(h.total, hicks[2])
    assert close(h.substitution + h.income, h.total)
    s = m.decompose(**change, method="slutsky")
    assert s.compensated_cost is None
    assert close(s.compensated_resources, slutsky[0]) and close(s.substitution, slutsky[1])
    assert close(s.income, slutsky[2]) and close(s.total, hicks[2])
    assert set(h.to_dict()) >= {"substitution", "income", "total", "compensated_cost", "compensated_resources"}
    assert h.to_series()["method"] == "hicks" and "substitution=" in repr(h)
    assert h.before.civilian_attacks - (m.solve().civilian_attacks) == 0


def test_decomposition_cobb_douglas_compensated_cost_and_min_cost():
    h = AB("cobb_douglas").decompose(price_civilians=2)
    assert close(h.compensated_cost, 141.4213562)
    assert close(h.compensated_bundle[0], 35.35533906) and close(h.compensated_bundle[1], 70.71067812)
    d = AB("cobb_douglas", objective="min_cost", control_target=50).decompose(price_civilians=2)
    assert d.income == 0 and close(d.substitution, d.total) and close(d.total, 35.35533906 - 50)
    with pytest.raises(TypeError):
        AB().decompose()
    with pytest.raises(ValueError, match="hicks"):
        AB().decompose(price_civilians=2, method="marshall")


# ----------------------------------------------------------------------------- 9.9 policy effects
def pe_check(pe, outcome, before, after):
    c = pe[outcome]
    assert close(c.before, before) and close(c.after, after), (outcome, c)
    assert close(c.change, after - before)


def test_policy_effects_cobb_douglas():
    m = AB("cobb_douglas")
    pe = m.policy_effect(P.resource(0.6))
    for o, b, a in [("civilian_attacks", 50, 30), ("rebel_attacks", 50, 30), ("control", 50, 30), ("cost", 100, 60),
                    ("civilian_share", 0.5, 0.5)]:
        pe_check(pe, o, b, a)
    bias = P.combine(P.productivity("weight_civilians", 0.6), P.productivity("weight_rebels", 1.4))
    pe = m.policy_effect(bias)
    pe_check(pe, "civilian_attacks", 50, 30)
    pe_check(pe, "rebel_attacks", 50, 70)
    pe_check(pe, "control", 50, 54.28814527)
    pe = m.policy_effect(P.productivity("weight_civilians", 0.6))
    pe_check(pe, "civilian_attacks", 50, 37.5)
    pe_check(pe, "rebel_attacks", 50, 62.5)
    pe_check(pe, "control", 50, 23.45035324)
    pe = m.policy_effect(P.price(price_civilians=2))
    pe_check(pe, "civilian_attacks", 50, 25)
    pe_check(pe, "rebel_attacks", 50, 50)
    pe_check(pe, "control", 50, 35.35533906)
    pe = m.policy_effect(P.productivity("tfp", 2))
    pe_check(pe, "civilian_attacks", 50, 50)
    pe_check(pe, "control", 50, 100)
    assert pe["choke_price"].change == 0 and pe["choke_price"].relative_change is None


def test_policy_effects_contest():
    m = AB("contest")
    pe = m.policy_effect(P.productivity("support_erosion", 0.4))
    pe_check(pe, "civilian_attacks", 40, 25)
    pe_check(pe, "rebel_attacks", 60, 75)
    pe_check(pe, "control", 0.75, 0.6521739130)
    assert pe.regime_before == pe.regime_after == "interior"
    pe = m.policy_effect(P.productivity("support_erosion", 0.2))
    assert pe["civilian_attacks"].after == 0 and pe.regime_after == "no_civilian_attacks"
    pe = m.policy_effect(P.productivity("rebel_base_strength", 2))
    pe_check(pe, "civilian_attacks", 40, 40)
    pe_check(pe, "control", 0.75, 0.6)


def test_policy_effects_ces():
    m = AB("ces", substitution_elasticity=0.5)
    pe = m.policy_effect(P.productivity("productivity_civilians", 0.5))
    pe_check(pe, "civilian_attacks", 50, 58.57864376)
    assert close(pe["civilian_attacks"].change, 8.578643763)
    pe_check(pe, "rebel_attacks", 50, 41.42135624)
    pe_check(pe, "control", 50, 34.31457505)
    pe = m.policy_effect(P.productivity("productivity_rebels", 2))
    pe_check(pe, "civilian_attacks", 50, 58.57864376)
    pe_check(pe, "control", 50, 68.62915010)
    pe_check(AB("ces").policy_effect(P.productivity("productivity_rebels", 0.5)), "civilian_attacks", 50, 66.66666667)
    mc = AB("ces", objective="min_cost", control_target=50)
    pe_check(mc.policy_effect(P.productivity("productivity_rebels", 2)), "civilian_attacks", 50, 22.22222222)


def test_policy_effects_other_families():
    pe = AB("quasi_linear").policy_effect(P.resource(0.5))
    pe_check(pe, "civilian_attacks", 29, 29)
    assert pe["civilian_attacks"].change == 0
    pe_check(pe, "rebel_attacks", 71, 21)
    q = AB("quadratic", resources=20)
    pe_check(q.policy_effect(P.resource(0.95)), "civilian_attacks", 7.5, 7.625)
    pe_check(q.policy_effect(P.price(price_civilians=1.1)), "civilian_attacks", 7.5, 7.564102564)
    pe = AB("linear").policy_effect(P.price(price_civilians=1.5))
    pe_check(pe, "civilian_attacks", 100, 0)
    pe_check(pe, "rebel_attacks", 0, 100)
    pe_check(pe, "control", 125, 100)
    assert (pe.regime_before, pe.regime_after) == ("no_rebel_attacks", "no_civilian_attacks")
    assert pe["rebel_attacks"].relative_change is None
    df = pe.to_dataframe()
    assert list(df.columns) == ["before", "after", "change", "relative_change"]
    assert df.attrs["regime_after"] == "no_civilian_attacks" and "civilian_attacks" in repr(pe)


@pytest.mark.parametrize("tech, Zbar", [("cobb_douglas", 50.0), ("ces", 50.0), ("contest", 0.75),
                                        ("quasi_linear", 100.0), ("linear", 125.0)])
def test_policies_under_min_cost(tech, Zbar):
    m = AB(tech, objective="min_cost", control_target=Zbar)
    for pol in (P.resource(0.5), P.price(price_civilians=1.7), P.price(price_rebels=0.6)):
        assert m.policy_effect(pol)["control"].after == Zbar
    pe = m.policy_effect(P.resource(0.3))
    for o in ("civilian_attacks", "rebel_attacks", "control", "cost", "civilian_share", "choke_price"):
        assert pe[o].change == 0


# ----------------------------------------------------------------------------- 9.10 comparative statics
STATICS = [
    ({"technology": "cobb_douglas"}, "civilian_attacks", "price_civilians", -50, -1, "negative"),
    ({"technology": "cobb_douglas"}, "civilian_attacks", "price_rebels", 0, 0, "zero"),
    ({"technology": "cobb_douglas"}, "civilian_attacks", "resources", 0.5, 1, "positive"),
    ({"technology": "cobb_douglas"}, "control", "resources", 0.5, 1, "positive"),
    ({"technology": "cobb_douglas"}, "control", "price_civilians", -25, -0.5, "negative"),
    ({"technology": "cobb_douglas", "objective": "min_cost", "control_target": 50}, "civilian_attacks",
     "price_civilians", -25, -0.5, "negative"),
    ({"technology": "cobb_douglas", "objective": "min_cost", "control_target": 50}, "civilian_attacks",
     "control_target", 1, 1, "positive"),
    ({"technology": "ces"}, "civilian_attacks", "price_civilians", -75, -1.5, "negative"),
    ({"technology": "ces"}, "civilian_attacks", "price_rebels", 25, 0.5, "ambiguous"),
    ({"technology": "ces"}, "civilian_attacks", "productivity_civilians", 25, 0.5, "ambiguous"),
    ({"technology": "ces"}, "civilian_attacks", "share_rebels", -200, -2, "negative"),
    ({"technology": "ces"}, "civilian_attacks", "substitution_elasticity", 0, 0, "ambiguous"),
    ({"technology": "ces", "objective": "min_cost", "control_target": 50}, "civilian_attacks", "price_civilians",
     -50, -1, "negative"),
    ({"technology": "contest"}, "civilian_attacks", "support_erosion", 200, 0.25, "positive"),
    ({"technology": "contest"}, "civilian_attacks", "resources", 0.5, 1.25, "positive"),
    ({"technology": "contest"}, "civilian_attacks", "price_civilians", -50, -1.25, "negative"),
    ({"technology": "contest"}, "civilian_attacks", "rebel_base_strength", 0, 0, "zero"),
    ({"technology": "contest", "objective": "min_cost", "control_target": 0.75}, "civilian_attacks", "price_civilians",
     -30, -0.75, "negative"),
    ({"technology": "quasi_linear"}, "civilian_attacks", "resources", 0, 0, "zero"),
    ({"technology": "quasi_linear"}, "civilian_attacks", "price_civilians", -30, -1.034482759, "negative"),
    ({"technology": "quasi_linear"}, "civilian_attacks", "civilian_value", 1, 1.034482759, "positive"),
    ({"technology": "quadratic", "resources": 20}, "civilian_attacks", "resources", -0.125, -0.3333333333, "negative"),
    ({"technology": "quadratic", "resources": 20}, "civilian_attacks", "price_civilians", 0.625, 0.08333333333,
     "ambiguous"),
    ({"technology": "quadratic", "resources": 20}, "civilian_attacks", "price_rebels", 1.875, 0.25, "positive"),
    ({"technology": "quadratic", "resources": 20}, "civilian_attacks", "civilian_value", 1.25, 1.5, "positive"),
    ({"technology": "quadratic", "resources": 20}, "civilian_attacks", "civilian_saturation", -9.375, -1.25,
     "negative"),
    ({"technology": "quadratic", "resources": 20}, "civilian_attacks", "interaction", -6.25, -0.08333333333,
     "ambiguous"),
    ({"technology": "linear"}, "civilian_attacks", "price_civilians", -100, -1, "negative"),
    ({"technology": "linear"}, "civilian_attacks", "productivity_civilians", 0, 0, "zero"),
]


@pytest.mark.parametrize("kw, of, wrt, value, elasticity, sign", STATICS)
def test_comparative_statics_table(kw, of, wrt, value, elasticity, sign):
    m = AB(**kw)
    cs = m.comparative_statics(wrt, of=of)
    assert close(cs.value, value) and close(cs.elasticity, elasticity) and cs.sign == sign
    assert cs.boundary is False
    fd, crosses = m.finite_difference(of, wrt)
    assert not crosses and abs(fd - value) <= 1e-5 * max(1, abs(fd), abs(value))


def test_comparative_statics_at_the_contest_corner():
    cs = AB("contest", support_erosion=0.01).comparative_statics("price_civilians")
    assert cs.value == 0 and cs.elasticity is None and cs.sign == "zero" and cs.boundary is True


def test_comparative_statics_piecewise_and_latex():
    import sympy as sp

    cs = AB("contest").comparative_statics("support_erosion")
    assert isinstance(cs.derivative, sp.Piecewise)
    assert r"\kappa" in cs.to_latex()
    assert not isinstance(AB("cobb_douglas").comparative_statics("resources").derivative, sp.Piecewise)
    with pytest.raises(KeyError):
        AB().comparative_statics("resources", of="civilian_share")
    with pytest.raises(KeyError):
        AB().comparative_statics("control_target")


# ----------------------------------------------------------------------------- 9.11 deaths
def test_deaths():
    pe = AB("ces", lethality_rebels=0.1).policy_effect(P.price(price_civilians=2))
    pe_check(pe, "civilian_deaths", 55, 23.33333333)
    pe = AB("ces", lethality_rebels=3).policy_effect(P.price(price_civilians=2))
    pe_check(pe, "civilian_deaths", 200, 216.6666667)
    pe_check(pe, "civilian_attacks", 50, 16.66666667)
    pe_check(pe, "rebel_attacks", 50, 66.66666667)
    assert close(AB("cobb_douglas", lethality_civilians=2, lethality_rebels=0.5).solve().civilian_deaths, 125)


# ----------------------------------------------------------------------------- 9.13 errors
@pytest.mark.parametrize("kw, name, domain, value", [
    ({"price_civilians": -1}, "price_civilians", "(0, inf)", "-1.0"),
    ({"price_rebels": 0}, "price_rebels", "(0, inf)", "0.0"),
    ({"resources": 0}, "resources", "(0, inf)", "0.0"),
    ({"resources": -5}, "resources", "(0, inf)", "-5.0"),
    ({"substitution_elasticity": 0}, "substitution_elasticity", "(0, inf)", "0.0"),
    ({"substitution_elasticity": -1}, "substitution_elasticity", "(0, inf)", "-1.0"),
    ({"share_rebels": 1}, "share_rebels", "(0, 1)", "1.0"),
    ({"technology": "contest", "support_erosion": 0}, "support_erosion", "(0, inf)", "0.0"),
    ({"technology": "contest", "objective": "min_cost", "control_target": 1.2}, "control_target", "(0, 1)", "1.2"),
    ({"lethality_rebels": -0.1}, "lethality_rebels", "[0, inf)", "-0.1"),
    ({"resources": float("nan")}, "resources", "(0, inf)", "nan"),
    ({"resources": float("inf")}, "resources", "(0, inf)", "inf"),
])
def test_errors(kw, name, domain, value):
    with pytest.raises(ag.ParameterError) as err:
        AB(**kw)
    assert isinstance(err.value, ValueError)
    assert err.value.name == name
    msg = str(err.value)
    assert name in msg and domain in msg and value in msg


def test_error_min_cost_without_target_and_target_with_max_control():
    with pytest.raises(ag.ParameterError, match="control_target"):
        AB(objective="min_cost")
    with pytest.raises(ag.ParameterError, match="control_target"):
        AB(control_target=50)
    with pytest.raises(ag.ParameterError, match="objective"):
        AB(objective="maximise")
    with pytest.raises(ag.ParameterError, match="technology"):
        AB("translog")


def test_error_productivity_policy():
    with pytest.raises(ag.ParameterError, match=r"share_rebels must be in \(0, 1\); got 1\.25"):
        AB("ces").apply(P.productivity("share_rebels", 2.5))
    with pytest.raises(ag.ParameterError) as err:
        AB("cobb_douglas").apply(P.productivity("productivity_rebels", 2))
    assert "tfp, weight_rebels, weight_civilians" in str(err.value)
    with pytest.raises(ag.ParameterError, match="factor"):
        P.resource(0)
    with pytest.raises(TypeError):
        P.price()
    with pytest.raises(ag.ParameterError, match="price_civilians"):
        P.price(price_civilians=-2)


def test_unknown_keyword_lists_ces_names():
    with pytest.raises(TypeError) as err:
        AB(technology="ces", weight_rebels=0.5)
    msg = str(err.value)
    assert "weight_rebels" in msg
    for n in ("share_rebels", "substitution_elasticity", "productivity_rebels", "productivity_civilians", "tfp",
              "resources", "price_rebels", "price_civilians"):
        assert n in msg


def test_corners_never_raise():
    for kw in ({"technology": "contest", "price_civilians": 6}, {"technology": "quasi_linear", "resources": 20},
               {"technology": "quasi_linear", "price_civilians": 30}, {"technology": "quadratic", "resources": 100},
               {"technology": "linear", "price_civilians": 1.25}, {"technology": "linear"}):
        eq = AB(**kw).solve()
        assert all(math.isfinite(eq[o]) for o in eq.outcomes if o != "choke_price")


# ----------------------------------------------------------------------------- API
def test_defaults_and_parameter_sets():
    eq = AB().solve()
    assert eq.civilian_attacks == eq.rebel_attacks == 50 and close(eq.control, 50)
    assert eq.parameters["technology"] == "ces" and eq.parameters["objective"] == "max_control"
    assert set(eq.outcomes) == {"civilian_attacks", "rebel_attacks", "control", "cost", "civilian_share",
                                "civilian_deaths", "choke_price"}
    defaults = {"cobb_douglas": {"tfp": 1.0, "weight_rebels": 0.5, "weight_civilians": 0.5},
                "ces": {"tfp": 1.0, "share_rebels": 0.5, "substitution_elasticity": 2.0, "productivity_rebels": 1.0,
                            "productivity_civilians": 1.0},
                "contest": {"productivity_rebels": 1.0, "support_erosion": 0.05, "rebel_base_strength": 60.0,
                                "decisiveness": 1.0},
                "linear": {"productivity_rebels": 1.0, "productivity_civilians": 1.25},
                "quasi_linear": {"civilian_value": 30.0},
                "quadratic": {"civilian_value": 9.0, "civilian_saturation": 1.0, "interaction": 0.1}}
    for tech, d in defaults.items():
        m = AB(tech)
        assert m.technology_parameters() == tuple(d)
        vals = m.parameter_values()
        assert {k: vals[k] for k in d} == d
        assert vals["resources"] == 100 and vals["lethality_civilians"] == 1 and vals["lethality_rebels"] == 0
        assert m.control_target is None and "control_target" not in vals
        assert list(m.describe().index)[-len(d):] == list(d)
    m = AB("contest", objective="min_cost", control_target=0.75)
    assert m.control_target == 0.75 and m.parameter_values()["control_target"] == 0.75
    assert "AndertonBrauer(technology='contest', objective='min_cost'" in repr(m)


def test_apply_never_mutates_and_models_are_immutable():
    m = AB("contest")
    before = m.parameter_values()
    m2 = m.apply(P.combine(P.resource(0.5), P.productivity("support_erosion", 0.5), P.price(price_rebels=2)))
    assert m.parameter_values() == before and m2.resources == 50 and m2.price_rebels == 2
    assert m2.technology == "contest" and m2.objective == "max_control"
    with pytest.raises(dataclasses.FrozenInstanceError):
        m.params.resources = 3  # type: ignore[misc]
    with pytest.raises(TypeError):
        m.apply("sanctions")


def test_sweep_is_one_kernel_call_and_matches_solve():
    m = AB("contest")
    ds = m.sweep(price_civilians=np.linspace(0.5, 6, 12), support_erosion=[0.01, 0.05, 0.1])
    assert ds["civilian_attacks"].shape == (12, 3) and ds.attrs["technology"] == "contest"
    for i in (0, 5, 11):
        for j in range(3):
            pc, k = float(ds.price_civilians[i]), float(ds.support_erosion[j])
            eq = m.with_params(price_civilians=pc, support_erosion=k).solve()
            assert close(float(ds["civilian_attacks"][i, j]), eq.civilian_attacks)
            assert m.regime_label(int(ds["regime"][i, j])) == eq.regime
    mc = AB("ces", objective="min_cost", control_target=50)
    ds = mc.sweep(control_target=[25.0, 50.0, 100.0])
    assert np.allclose(ds["civilian_attacks"].values, [25, 50, 100])
    X = np.array([[1.0, 100.0], [2.0, 100.0]])
    assert np.allclose(AB("cobb_douglas").evaluate(X, ["price_civilians", "resources"], "civilian_attacks"), [50, 25])


def test_derivation():
    import sympy as sp

    for tech in ag.models.anderton_brauer.TECHNOLOGIES:
        d = AB(tech).derivation()
        for name in ("control_function", "mrts", "civilian_attacks", "rebel_attacks", "control", "cost_function",
                     "compensated_civilian_attacks", "compensated_rebel_attacks", "choke_price"):
            assert name in d.names()
            assert isinstance(d.latex(name), str)
    d = AB("contest").derivation()
    assert r"\kappa" in d.latex("control_function") and r"\kappa" in d.latex("choke_price")
    s = {x.name: x for x in d["choke_price"].free_symbols}
    assert sp.simplify(d["choke_price"] - s["support_erosion"] * s["resources"]) == 0
    # the symbolic C* equals the kernel at a point
    cd = AB("ces").derivation()["civilian_attacks"]
    vals = AB("ces", substitution_elasticity=0.5, productivity_civilians=0.5).parameter_values()
    assert close(float(cd.subs({x: vals[x.name] for x in cd.free_symbols})), 58.57864376)


def test_effective_resources():
    assert P.effective_resources(100) == 100
    assert P.effective_resources(100, earmarked_aid=20, nonviolent_spending=30) == 120
    assert P.effective_resources(100, earmarked_aid=40, nonviolent_spending=30, cash_aid=5) == 135
    # turning cash aid into earmarked aid changes nothing while aid ≤ X0
    assert P.effective_resources(100, cash_aid=20, nonviolent_spending=30) == P.effective_resources(
        100, earmarked_aid=20, nonviolent_spending=30)
    with pytest.raises(ag.ParameterError, match="cash_aid"):
        P.effective_resources(100, cash_aid=-1)


# ----------------------------------------------------------------------------- CLI
def test_cli_solve(capsys):
    argv = ["solve", "anderton_brauer", "--technology", "ces", "--set", "substitution_elasticity=0.5", "--set",
            "productivity_civilians=0.5"]
    assert main(argv) == 0
    out = capsys.readouterr().out
    line = next(ln for ln in out.splitlines() if ln.strip().startswith("civilian_attacks"))
    assert "58.5786" in line
    assert main([*argv, "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert abs(data["outcomes"]["civilian_attacks"] - 58.57864376) < 1e-6
    assert data["outcomes"]["choke_price"] == "inf" and data["regime"] == "interior"
    assert main(["solve", "anderton_brauer", "--technology", "cobb_douglas", "--set", "objective=min_cost",
                 "--set", "control_target=50", "--set", "price_civilians=2", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert abs(data["outcomes"]["cost"] - 141.4213562) < 1e-6
    assert main(["solve", "anderton_brauer", "--set", "price_civilians=-1"]) == 1
    assert "price_civilians must be in (0, inf); got -1.0" in capsys.readouterr().err


def test_ces_share_below_snapping_threshold_is_a_corner():
    # s_C ≈ 2e-17 ≤ 1e-12: snapped to C = 0 and labelled (spec 3.3), though no finite choke price exists
    kw = {"share_rebels": 0.95, "substitution_elasticity": 5, "productivity_civilians": 0.2,
          "productivity_rebels": 3, "price_civilians": 5, "price_rebels": 0.2}
    eq = AB("ces", **kw).solve()
    check(eq, 0, 500, regime="no_civilian_attacks", choke=math.inf)
    h = AB("ces", objective="min_cost", control_target=50, **kw)
    e = h.solve()
    assert e.civilian_attacks == 0 and e.regime == "no_civilian_attacks"
    assert close(e.cost, 0.2 * e.rebel_attacks)
    cs = h.comparative_statics("control_target", of="cost")
    assert cs.sign == "positive" and close(cs.value, h.finite_difference("cost", "control_target")[0], rel=1e-5)
