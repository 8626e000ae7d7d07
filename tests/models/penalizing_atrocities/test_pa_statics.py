"""Comparative statics of the penalizing-atrocities game: sympy = finite differences = the
analytic formulas of docs/explanation/penalizing_atrocities.md, and the named sign predicates."""

from __future__ import annotations

import numpy as np
import pytest
import sympy as sp
from pa_helpers import BASE, random_points
from pa_spec_values import SPEC_DERIVATIVES, SPEC_T

from atrogame.models.penalizing_atrocities.closed_form import REGIMES, WAR_REGIMES, closed_form
from atrogame.models.penalizing_atrocities.symbolic import (
    CONTINUOUS,
    _base,
    _sign,
    derivation,
    outcome_expressions,
    predicates,
    statics,
)

H = 1e-6


def _fd(points, of, wrt):
    up = closed_form({**points, wrt: points[wrt] + H * np.maximum(1.0, points[wrt])})[of]
    dn = closed_form({**points, wrt: points[wrt] - H * np.maximum(1.0, points[wrt])})[of]
    return (up - dn) / (2 * H * np.maximum(1.0, points[wrt]))


def _branch_points(rng, war_regime, regime, n=2.0, size=40):
    """Points strictly inside one (war regime, regime) branch, where a central difference stays in it."""
    pts = {**BASE, **random_points(rng, 6000)}
    pts["decisive_lead"] = np.full(6000, n)
    # push interior parameters away from 0 so a central step stays in the domain
    for k in ("aid_to_rebels", "atrocity_penalty", "atrocity_harm", "government_war_cost", "atrocity_effectiveness"):
        pts[k] = pts[k] + 0.01
    out = closed_form(pts)
    keep = (out["regime"] == REGIMES.index(regime)) & (out["war_regime"] == WAR_REGIMES.index(war_regime))
    for wrt in CONTINUOUS:  # the branch must hold on both sides of every step
        for sgn in (-1, 1):
            o = closed_form({**pts, wrt: pts[wrt] + sgn * 10 * H * np.maximum(1.0, pts[wrt])})
            keep &= (o["regime"] == out["regime"]) & (o["war_regime"] == out["war_regime"])
    idx = np.flatnonzero(keep)[:size]
    assert idx.size >= 10, (war_regime, regime, idx.size)
    return {k: np.asarray(v)[idx] if np.ndim(v) else np.full(idx.size, v) for k, v in pts.items()}


def _check(points, of, wrt, war_regime, regime, n=2):
    form = statics(of, wrt, n, war_regime, regime)
    sym = np.broadcast_to(form.fn(*(points[k] for k in CONTINUOUS)), points["government_strength"].shape)
    fd = _fd(points, of, wrt)
    np.testing.assert_allclose(sym, fd, rtol=2e-5, atol=2e-6, err_msg=f"{of}/{wrt} {war_regime}/{regime}")
    signs = {"positive": np.all(fd > -1e-6), "negative": np.all(fd < 1e-6), "zero": np.all(np.abs(fd) < 1e-6)}
    if form.sign != "ambiguous":
        assert signs[form.sign], (of, wrt, form.sign)


KEY = ("atrocity_intensity", "government_win_prob", "expected_war_duration", "p_war", "expected_atrocities", "offer")
LEVERS = ("aid_to_rebels", "atrocity_penalty", "atrocity_effectiveness", "atrocity_harm", "cost_uncertainty")


@pytest.mark.parametrize(("war_regime", "regime"), [("atrocities", "interior"), ("atrocities", "corner")])
def test_sympy_statics_equal_finite_differences(rng, war_regime, regime):
    pts = _branch_points(rng, war_regime, regime)
    for of in KEY:
        for wrt in LEVERS:
            _check(pts, of, wrt, war_regime, regime)


@pytest.mark.slow
@pytest.mark.parametrize("n", [2, 3])
@pytest.mark.parametrize(("war_regime", "regime"), [
    ("atrocities", "interior"), ("atrocities", "corner"), ("atrocities", "peace"), ("atrocities", "no_rebellion"),
    ("no_atrocities", "interior"), ("no_atrocities", "corner"), ("no_atrocities", "peace")])
def test_sympy_statics_equal_finite_differences_everywhere(rng, war_regime, regime, n):
    pts = _branch_points(rng, war_regime, regime, n=float(n), size=15)
    for of in ("atrocity_intensity", "government_win_prob", "battle_win_prob", "expected_war_duration",
               "atrocities_in_war", "rebel_war_value", "war_surplus_loss", "offer", "p_war",
               "expected_atrocities", "government_utility", "rebel_utility"):
        for wrt in CONTINUOUS:
            _check(pts, of, wrt, war_regime, regime, n=n)


def test_spec_derivative_values_from_sympy():
    for tid, (of, wrt, want, tol) in SPEC_DERIVATIVES.items():
        p = {**BASE, **SPEC_T[tid][0]}
        form = statics(of, wrt, 2, "atrocities", "interior")
        assert float(form.fn(*(p[k] for k in CONTINUOUS))) == pytest.approx(want, abs=tol), tid


def test_sympy_solves_the_war_stage():
    B = _base()
    s = B.s
    assert sp.simplify(B.a_root - B.a_interior) == 0
    assert sp.simplify(B.foc.subs(sp.Symbol("a", nonnegative=True), B.a_interior)) == 0
    assert sp.simplify(B.pi_a.subs(sp.Symbol("a", nonnegative=True), B.a_interior) - B.pi_interior) == 0
    assert _sign(B.second) == "negative"  # strictly concave where β > 0
    d = derivation()
    x_u = d["offer_interior"]
    V, W = sp.symbols("V^* W_G^*", real=True)
    cb = s["cost_uncertainty"]
    assert sp.simplify(x_u - (V - (cb - (1 - V - W)) / 2)) == 0
    Pi = sp.Symbol("Pi", positive=True)
    assert sp.simplify(d["duration_n2"] - (2 + 4 * sp.sqrt(Pi * (1 - Pi)))) == 0


# ---------------------------------------------------------------------- analytic formulas (docs)
def test_intensity_and_odds_formulas(rng):
    pts = _branch_points(rng, "atrocities", "interior", size=40)
    out = closed_form(pts)
    g, b = pts["government_strength"], pts["atrocity_effectiveness"]
    m = pts["rebel_strength"] + pts["aid_to_rebels"]
    T = pts["atrocity_cost"] + pts["atrocity_penalty"]
    w = np.sqrt(m * T / b)
    a = out["atrocity_intensity"]
    cases = {
        ("atrocity_intensity", "aid_to_rebels"): (1 - 2 * w) / (2 * b * w),
        ("atrocity_intensity", "rebel_strength"): (1 - 2 * w) / (2 * b * w),
        ("atrocity_intensity", "atrocity_penalty"): -w / (2 * T**2),
        ("atrocity_intensity", "atrocity_cost"): -w / (2 * T**2),
        ("atrocity_intensity", "atrocity_effectiveness"): (g + m - b * a) / (2 * b**2),
        ("atrocity_intensity", "government_strength"): -1 / b,
        ("government_win_prob", "aid_to_rebels"): -w / (2 * m),
        ("government_win_prob", "atrocity_penalty"): -w / (2 * T),
        ("government_win_prob", "atrocity_effectiveness"): w / (2 * b),
        ("government_win_prob", "government_strength"): 0 * w,
    }
    for (of, wrt), want in cases.items():
        np.testing.assert_allclose(_fd(pts, of, wrt), want, rtol=1e-5, atol=1e-6, err_msg=f"{of}/{wrt}")


def test_p_war_formulas(rng):
    for regime in ("interior", "corner"):
        pts = _branch_points(rng, "atrocities", regime, size=40)
        out = closed_form(pts)
        g, b, h, cb = (pts[k] for k in ("government_strength", "atrocity_effectiveness", "atrocity_harm",
                                        "cost_uncertainty"))
        m = pts["rebel_strength"] + pts["aid_to_rebels"]
        T = pts["atrocity_cost"] + pts["atrocity_penalty"]
        w = np.sqrt(m * T / b)
        a, A, phi, S, V = (out[k] for k in ("atrocity_intensity", "atrocities_in_war", "phi", "war_surplus_loss",
                                            "rebel_war_value"))
        Ep = out["duration_slope"]
        da_ds = (1 - 2 * w) / (2 * b * w)
        dpi_dm = -out["government_win_prob"] * (1 - out["government_win_prob"]) / m
        dA_ds = phi * da_ds + a * Ep * dpi_dm
        if regime == "interior":
            S_tau = (b * a - g - m) / (2 * b) - h * phi * w / (2 * T**2)
            S_sig = (T + h * phi) * da_ds + h * a * Ep * dpi_dm
            cases = {"atrocity_penalty": -S_tau / (2 * cb), "aid_to_rebels": -S_sig / (2 * cb),
                     "atrocity_harm": -A / (2 * cb), "government_war_cost": -1 / (2 * cb),
                     "cost_uncertainty": S / (2 * cb**2)}
            pos = b * a <= g + m
            assert (_fd(pts, "p_war", "atrocity_penalty")[pos] > 0).all()  # P3
            fav = out["government_win_prob"] > 0.5
            np.testing.assert_array_equal(_fd(pts, "p_war", "aid_to_rebels") < 0, fav)
        else:
            cases = {"atrocity_penalty": (T + h * phi) * w / (2 * T**2 * cb),
                     "aid_to_rebels": (w / (2 * m) - h * dA_ds) / cb,
                     "atrocity_harm": -A / cb, "government_war_cost": 0 * cb, "cost_uncertainty": -V / cb**2}
            assert (_fd(pts, "p_war", "atrocity_penalty") > 0).all()  # P3, no condition
        for wrt, want in cases.items():
            np.testing.assert_allclose(_fd(pts, "p_war", wrt), want, rtol=1e-5, atol=1e-6, err_msg=f"{regime} {wrt}")


def test_duration_signs(rng):
    for war_regime in ("atrocities", "no_atrocities"):
        pts = _branch_points(rng, war_regime, "interior", n=3.0, size=40)
        out = closed_form(pts)
        fav = out["government_win_prob"] > 0.5
        np.testing.assert_array_equal(_fd(pts, "expected_war_duration", "aid_to_rebels") > 0, fav)  # P2
        if war_regime == "atrocities":
            np.testing.assert_array_equal(_fd(pts, "expected_war_duration", "atrocity_penalty") > 0, fav)
            np.testing.assert_array_equal(_fd(pts, "expected_war_duration", "atrocity_effectiveness") > 0, ~fav)


def test_penalty_backfire_predicates_match_finite_differences(rng):
    for regime, name in (("interior", "interior_penalty_backfire"), ("corner", "corner_penalty_backfire")):
        pts = _branch_points(rng, "atrocities", regime, size=200)
        backfire = predicates(pts)[name]
        np.testing.assert_array_equal(_fd(pts, "expected_atrocities", "atrocity_penalty") > 0, backfire)
    t7 = {**BASE, "cost_uncertainty": 0.8, "atrocity_harm": 0.04}
    assert bool(predicates(t7)["corner_penalty_backfire"])
    assert not any(bool(v) for k, v in predicates(BASE).items() if k.endswith("backfire"))


def test_intense_atrocities_predicate_and_T12():
    t12 = {**BASE, **SPEC_T["T12"][0]}
    assert bool(predicates(t12)["intense_atrocities"])
    assert not bool(predicates(BASE)["intense_atrocities"])


def test_outcome_expressions_equal_the_kernel(rng):
    for war_regime, regime in (("atrocities", "interior"), ("atrocities", "corner"), ("no_atrocities", "interior")):
        pts = _branch_points(rng, war_regime, regime, size=20)
        out = closed_form(pts)
        exprs = outcome_expressions(2, war_regime)[regime]
        for of in ("atrocity_intensity", "battle_win_prob", "expected_war_duration", "p_war", "rebel_utility",
                   "balance_aid", "deterrent_penalty"):
            f = sp.lambdify([_base().s[k] for k in CONTINUOUS], exprs[of], modules="numpy")
            np.testing.assert_allclose(np.broadcast_to(f(*(pts[k] for k in CONTINUOUS)), out[of].shape), out[of],
                                       rtol=1e-10, atol=1e-12, err_msg=of)
