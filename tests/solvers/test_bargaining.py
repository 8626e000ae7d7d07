"""Tests of atrogame.solvers.bargaining: closed form = numeric = brute force; Fearon and Kydd–Straus cases."""

from __future__ import annotations

import math

import numpy as np
import pytest
import sympy as sp
from scipy import stats

from atrogame import ParameterError
from atrogame.solvers.bargaining import (
    REGIMES,
    offer_payoff,
    optimal_offer,
    uniform_offer,
    uniform_offer_symbolic,
)


def _draw(rng, n):
    low = rng.choice([0.0, 0.0, 0.1, -0.1], n) * rng.uniform(0, 1, n)
    return {
        "v": rng.uniform(-0.3, 1.0, n),
        "w": rng.uniform(-0.2, 0.8, n),
        "pie": 1.0 + rng.uniform(0, 0.2, n),
        "low": low,
        "high": low + rng.uniform(0.05, 1.0, n),
        "offer_min": np.where(rng.uniform(size=n) < 0.8, 0.0, -np.inf),
    }


def _margin(d):
    """Distance of a point from every regime boundary of the uniform closed form."""
    S = d["pie"] - d["v"] - d["w"]
    x_u = d["v"] - (d["high"] - S) / 2
    xm = np.where(np.isfinite(d["offer_min"]), d["offer_min"], -1e9)
    return np.min(np.abs([S - (d["high"] - 2 * d["low"]), d["v"] - d["low"] - xm, x_u - xm, S + d["high"]]), axis=0)


def test_closed_form_beats_brute_force_grid(rng):
    d = _draw(rng, 3000)
    sol = uniform_offer(**d)
    xs = np.linspace(-2.0, 2.0, 4001)
    cdf = lambda u: np.clip((u - d["low"][:, None]) / (d["high"] - d["low"])[:, None], 0, 1)  # noqa: E731
    U = offer_payoff(xs[None, :], d["v"][:, None], d["w"][:, None], d["pie"][:, None], cdf)
    U = np.where(xs[None, :] >= d["offer_min"][:, None], U, -np.inf)
    best = U.max(axis=1)
    assert np.all(sol.proposer_utility >= best - 1e-12)
    assert np.all(sol.proposer_utility - best <= 2e-3)  # grid resolution
    # reported utilities and war probability are those of the reported offer
    Fx = cdf(d["v"][:, None] - np.atleast_1d(sol.offer)[:, None])[:, 0]
    np.testing.assert_allclose(sol.p_war, Fx, atol=1e-12)
    assert set(np.unique(sol.regime)) >= {0, 1, 2, 3}


@pytest.mark.parametrize("seed", [1, 2])
def test_numeric_agrees_with_uniform_closed_form(seed):
    rng = np.random.default_rng(seed)
    d = _draw(rng, 60)
    keep = _margin(d) > 1e-4
    d = {k: v[keep] for k, v in d.items()}
    closed = uniform_offer(**d)
    for i in range(len(d["v"])):
        dist = stats.uniform(d["low"][i], d["high"][i] - d["low"][i])
        num = optimal_offer(d["v"][i], d["w"][i], d["pie"][i], dist=dist, offer_min=d["offer_min"][i])
        assert num.regime_name == REGIMES[closed.regime[i]], i
        assert num.offer == pytest.approx(closed.offer[i], abs=1e-7)
        assert num.p_war == pytest.approx(closed.p_war[i], abs=1e-7)
        assert num.proposer_utility == pytest.approx(closed.proposer_utility[i], abs=1e-10)
        assert num.responder_utility == pytest.approx(closed.responder_utility[i], abs=1e-7)
        assert num.cutpoint == pytest.approx(closed.cutpoint[i], abs=1e-7)


def test_responder_utility_by_quadrature(rng):
    d = _draw(rng, 30)
    sol = uniform_offer(**d)
    for i in range(30):
        c = np.linspace(d["low"][i], d["high"][i], 200001)
        u = np.maximum(sol.offer[i], d["v"][i] - c)  # accept iff v - c <= x
        assert np.trapezoid(u, c) / (c[-1] - c[0]) == pytest.approx(sol.responder_utility[i], abs=1e-6)


def test_beta_first_order_condition():
    rng = np.random.default_rng(7)
    checked = 0
    for _ in range(12):
        a, b = rng.uniform(1.2, 5, 2)
        scale = rng.uniform(0.3, 1.0)
        dist = stats.beta(a, b, scale=scale)
        v, w = rng.uniform(0.2, 0.9), rng.uniform(0.0, 0.5)
        s = optimal_offer(v, w, 1.0, dist=dist, offer_min=-np.inf)
        x = float(s.offer)
        U = lambda t: float(offer_payoff(t, v, w, 1.0, dist.cdf))  # noqa: B023, E731
        if s.regime_name == "interior":
            # U'(x) = -1 + F(v-x) + f(v-x)(pie - x - w) = 0
            foc = -1 + dist.cdf(v - x) + dist.pdf(v - x) * (1 - x - w)
            assert abs(foc) < 1e-6
            h = 1e-3
            assert U(x) >= max(U(x - h), U(x + h))
            checked += 1
        # global optimality against a dense grid
        xs = np.linspace(v - scale - 0.1, v + 0.1, 20001)
        assert U(x) >= float(offer_payoff(xs, v, w, 1.0, dist.cdf).max()) - 1e-12
    assert checked >= 8


def test_numeric_normal_unbounded_support():
    dist = stats.norm(0.2, 0.1)
    s = optimal_offer(0.6, 0.3, 1.0, dist=dist, offer_min=-np.inf)
    x = float(s.offer)
    foc = -1 + dist.cdf(0.6 - x) + dist.pdf(0.6 - x) * (1 - x - 0.3)
    assert s.regime_name == "interior" and abs(foc) < 1e-6


def test_fearon_special_case(rng):
    n = 4000
    p = rng.uniform(0, 1, n)
    c_A = rng.uniform(0, 0.5, n)
    a = rng.uniform(0, 0.3, n)
    b = a + rng.uniform(0.01, 1.0, n)
    s = uniform_offer(v=1 - p, w=p - c_A, pie=1.0, low=a, high=b, offer_min=-np.inf)
    demand = 1 - s.offer
    interior = c_A <= b - 2 * a
    np.testing.assert_allclose(demand, np.where(interior, p + (b - c_A) / 2, p + a), atol=1e-12)
    np.testing.assert_allclose(s.p_war, np.where(interior, (b - c_A - 2 * a) / (2 * (b - a)), 0.0), atol=1e-12)
    # B accepts iff c_B >= d - p: the war probability is P(c_B < d* - p)
    np.testing.assert_allclose(s.p_war, np.clip((demand - p - a) / (b - a), 0, 1), atol=1e-12)
    strict = np.abs(c_A - (b - 2 * a)) > 1e-12
    assert np.array_equal(s.regime[strict], np.where(interior, 1, 0)[strict])


def _ks_war_stage(p0, th, i, om, z, k, ka, h, d):
    """Kydd–Straus spec §4a, written out independently of atrogame."""
    pi0, pi1 = i * om, i * (1 - om)
    N = (1 - pi0) * p0 * th - k + pi1 * (p0 - z)
    D = ka + 2 * pi1 * p0 * th
    with np.errstate(divide="ignore", invalid="ignore"):
        a = np.where(D > 0, np.clip(N / D, 0, 1), np.where(N > 0, 1.0, 0.0))
    pi = i * (om + (1 - om) * a)
    p = p0 * (1 - th * a)
    WG = (1 - pi) * (1 - p) + pi * (1 - z) - d - k * a - ka * a**2 / 2
    V = (1 - pi) * p + pi * z - h * a
    return a, WG, V


KS_BASE = {
    "p0": 0.4,
    "th": 0.6,
    "i": 0.5,
    "om": 0.5,
    "z": 0.4,
    "k": 0.0,
    "ka": 0.5,
    "h": 0.3,
    "d": 0.05,
    "C": 0.6,
    "sG": 0.0,
    "sM": 0.0,
    "wM": 0.0,
}
KS_CASES = {  # spec §9: non-default parameters -> (p_war, offer, government_utility, regime)
    "T1": ({}, 0.368193, 0.044787, 0.815637, "interior"),
    "T2": ({"z": 0.7}, 0.410019, 0.162121, 0.692737, "interior"),
    "T3": ({"k": 0.05}, 0.388018, 0.069182, 0.788342, "interior"),
    "T4": ({"i": 0.0}, 0.234667, 0.0, 0.907917, "corner"),
    "T5": ({"p0": 0.1, "z": 0.7}, 0.416667, 0.0, 0.875000, "corner"),
    "T6": ({"p0": 0.1, "th": 0.9, "i": 0.0, "z": 0.7, "ka": 0.2, "h": 0.5}, 0.0, 0.0, 1.0, "no_war"),
    "T7": ({"d": 0.3, "C": 0.2}, 0.0, 0.265702, 0.734298, "peace"),
    "T8": ({"om": 0.0, "z": 0.7}, 0.424846, 0.099435, 0.753954, "interior"),
    "T9": ({"om": 1.0, "z": 0.7}, 0.386333, 0.217400, 0.640352, "interior"),
    "T10": ({"p0": 0.8, "th": 1.0, "i": 0.0, "z": 0.5, "ka": 0.3, "h": 0.1}, 0.0, 0.0, 1.0, "no_war"),
    "T11": ({"sG": 0.05, "sM": 0.05}, 0.284860, 0.044787, 0.882985, "interior"),
    "T12": ({"z": 0.7, "wM": 0.1}, 0.326686, 0.112121, 0.755902, "interior"),
}


def _ks_offer(P):
    a, WG, V = _ks_war_stage(*(P[k] for k in ("p0", "th", "i", "om", "z", "k", "ka", "h", "d")))
    Vp = V - P["wM"] - P["sM"]
    sol = uniform_offer(v=Vp, w=WG, pie=1 + P["sG"], low=0.0, high=P["C"], offer_min=0.0)
    return sol, a, WG, V


@pytest.mark.parametrize("case", list(KS_CASES))
def test_kydd_straus_spec_values(case):
    changes, p_war, offer, gu, regime = KS_CASES[case]
    P = {**KS_BASE, **changes}
    sol, *_ = _ks_offer(P)
    assert float(sol.p_war) == pytest.approx(p_war, abs=1e-6)
    assert float(sol.offer) == pytest.approx(offer, abs=1e-6)
    assert float(sol.proposer_utility) == pytest.approx(gu, abs=1e-6)
    assert sol.regime_name == regime  # "no_war" is the spec's "no_rebellion"


@pytest.mark.parametrize(("case", "expected"), [("T1", 0.085456), ("T12", 0.144138)])
def test_kydd_straus_minority_utility(case, expected):
    P = {**KS_BASE, **KS_CASES[case][0]}
    sol, *_ = _ks_offer(P)
    assert float(sol.responder_utility) + P["sM"] == pytest.approx(expected, abs=1e-6)


def test_kydd_straus_regime_table_at_random_points(rng):
    n = 5000
    P = {
        "p0": rng.uniform(0.01, 0.99, n),
        "th": rng.uniform(0, 1, n),
        "i": rng.uniform(0, 1, n),
        "om": rng.uniform(0, 1, n),
        "z": rng.uniform(0, 1, n),
        "k": rng.uniform(0, 0.2, n),
        "ka": rng.uniform(0.05, 1, n),
        "h": rng.uniform(0, 0.6, n),
        "d": rng.uniform(0, 0.3, n),
        "C": rng.uniform(0.05, 1.0, n),
        "sG": rng.uniform(0, 0.1, n),
        "sM": rng.uniform(0, 0.1, n),
        "wM": rng.uniform(0, 0.1, n),
    }
    sol, a, WG, V = _ks_offer(P)
    Vp = V - P["wM"] - P["sM"]
    S_e = (P["d"] + (P["h"] + P["k"]) * a + P["ka"] * a**2 / 2) + P["sG"] + P["sM"] + P["wM"]
    np.testing.assert_allclose(1 + P["sG"] - Vp - WG, S_e, atol=1e-12)  # S = S_e
    C = P["C"]
    # spec §4d, in its order
    reg = np.select([S_e >= C, Vp >= (C - S_e) / 2, Vp > 0], ["peace", "interior", "corner"], "no_rebellion")
    x = np.select([S_e >= C, Vp >= (C - S_e) / 2], [np.maximum(Vp, 0), Vp - (C - S_e) / 2], 0.0)
    q = np.select([S_e >= C, Vp >= (C - S_e) / 2, Vp > 0], [0.0, (C - S_e) / (2 * C), Vp / C], 0.0)
    names = np.where(sol.regime_name == "no_war", "no_rebellion", sol.regime_name)
    strict = np.minimum(np.abs(S_e - C), np.minimum(np.abs(Vp - (C - S_e) / 2), np.abs(Vp))) > 1e-12
    assert np.array_equal(names[strict], reg[strict])
    assert len(set(reg)) == 4
    np.testing.assert_allclose(sol.offer, x, atol=1e-12)
    np.testing.assert_allclose(sol.p_war, q, atol=1e-12)
    np.testing.assert_allclose(sol.cutpoint, q * C, atol=1e-12)


def test_symbolic_matches_vectorised(rng):
    v, w, pie, lo, hi, xm = sp.symbols("v w pie low high xmin", real=True)
    sym = uniform_offer_symbolic(v, w, pie, lo, hi, xm)
    args = (v, w, pie, lo, hi, xm)
    d = _draw(rng, 2000)
    d["offer_min"] = rng.uniform(-0.3, 0.3, 2000)
    sol = uniform_offer(**d)
    vals = [d[k] for k in ("v", "w", "pie", "low", "high", "offer_min")]
    holds = np.array([sp.lambdify(args, c, "numpy")(*vals) for c, _, _ in sym.values()])
    holds = np.broadcast_to(holds, (len(REGIMES), 2000))
    assert np.all(holds.sum(axis=0) == 1)  # exactly one regime holds at each point
    np.testing.assert_array_equal(np.argmax(holds, axis=0), sol.regime)
    for r, (_, offer, q) in sym.items():
        m = sol.regime == REGIMES.index(r)
        if m.any():
            fo = np.broadcast_to(sp.lambdify(args, offer, "numpy")(*vals), (2000,))
            fq = np.broadcast_to(sp.lambdify(args, q, "numpy")(*vals), (2000,))
            np.testing.assert_allclose(fo[m], sol.offer[m], atol=1e-12)
            np.testing.assert_allclose(fq[m], sol.p_war[m], atol=1e-12)


def test_vectorised_equals_scalar(rng):
    d = _draw(rng, 50)
    grid = uniform_offer(**d)
    for i in range(50):
        s = uniform_offer(**{k: float(v[i]) for k, v in d.items()})
        assert np.isscalar(s.offer) or np.ndim(s.offer) == 0
        for key, val in s.as_dict().items():
            assert float(val) == float(grid.as_dict()[key][i]), key
    # orthogonal shapes broadcast into a grid
    g = uniform_offer(
        v=np.linspace(0, 1, 7)[:, None, None], w=np.linspace(0, 0.5, 3)[None, :, None], high=np.linspace(0.1, 1, 4)
    )
    assert g.offer.shape == (7, 3, 4) and np.isfinite(g.offer).all()


def test_war_regime_with_negative_surplus():
    s = uniform_offer(v=0.8, w=0.9, pie=1.0, low=0.0, high=0.5)  # S = -0.7 <= -high
    assert s.regime_name == "war" and s.p_war == 1.0 and s.proposer_utility == 0.9
    n = optimal_offer(0.8, 0.9, 1.0, dist=stats.uniform(0, 0.5))
    assert n.regime_name == "war" and n.p_war == 1.0 and n.offer == s.offer == 0.0


def test_invalid_inputs_raise_parameter_error():
    with pytest.raises(ParameterError, match=r"high must be in \(low, inf\); got 0.1"):
        uniform_offer(v=0.5, w=0.3, low=0.2, high=0.1)
    with pytest.raises(ParameterError, match="v must be in"):
        uniform_offer(v=math.nan, w=0.3)
    with pytest.raises(ParameterError, match="w must be in"):
        uniform_offer(v=0.1, w="abc")
    with pytest.raises(ParameterError, match="dist must be in"):
        optimal_offer(0.5, 0.3, dist=object())


def test_numeric_upper_bound_on_offers():
    dist = stats.uniform(0, 0.6)
    free = optimal_offer(0.5, 0.3, dist=dist)
    capped = optimal_offer(0.5, 0.3, dist=dist, offer_max=0.2)
    assert float(free.offer) == pytest.approx(0.3, abs=1e-8) and free.regime_name == "interior"
    # the objective is concave and rises up to 0.3, so the cap binds
    assert float(capped.offer) == pytest.approx(0.2, abs=1e-12) and capped.regime_name == "corner"
    assert float(capped.p_war) == pytest.approx(0.5, abs=1e-12)  # F(0.5 - 0.2) = 0.3 / 0.6
    with pytest.raises(ParameterError, match="offer_max must be in"):
        optimal_offer(0.5, 0.3, dist=dist, offer_min=0.4, offer_max=0.2)


def test_uniform_closed_form_is_homogeneous_up_to_huge_costs(rng):
    """Scaling every money quantity by 1e160 scales offer, cutpoint and utilities by 1e160 and
    leaves the war probability alone. Before: E[c; c < u] = (u² − low²)/(2·width) overflowed
    (inf − inf) once the costs passed ~1e154, and the responder's utility was NaN."""
    d = _draw(rng, 400)
    k = 1e160
    ref = uniform_offer(**d)
    with np.errstate(over="raise", invalid="raise"):  # no overflow warning escapes to the caller
        big = uniform_offer(**{n: a * k for n, a in d.items()})
    np.testing.assert_array_equal(big.regime, ref.regime)
    np.testing.assert_allclose(big.p_war, ref.p_war, rtol=1e-12, atol=1e-15)
    for name in ("offer", "cutpoint", "proposer_utility", "responder_utility"):
        got = getattr(big, name) / k
        assert np.isfinite(got).all(), name
        np.testing.assert_allclose(got, getattr(ref, name), rtol=1e-9, atol=1e-12, err_msg=name)
