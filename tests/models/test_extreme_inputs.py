"""Valid but extreme inputs of Fearon, mobilisation, Kydd–Straus, strategic mass killing and
penalizing atrocities: every point the parameter class accepts gives finite outcomes.

Oracle: each model's closed form (docs/explanation/fearon_and_mobilisation.md,
kydd_straus.md, strategic_mass_killing.md, penalizing_atrocities.md) evaluated by hand at
points where an intermediate, not the outcome, left the float range; and the rule that a point
whose outcome itself exceeds the largest float is refused with a ParameterError naming an input.
This file runs the numpy path (``accel.disabled()``); the compiled loops are compared with it in
tests/models/test_extreme_inputs_compiled.py (CI's numba stage).
"""

from __future__ import annotations

import math
import warnings

import numpy as np
import pytest

import atrogame as ag
from atrogame import accel
from atrogame.core.errors import ParameterError

FMAX = float(np.finfo(float).max)

MODELS = {
    "fearon": ag.Fearon,
    "mobilisation": ag.Mobilisation,
    "kydd_straus": ag.KyddStraus,
    "strategic_mass_killing": ag.StrategicMassKilling,
    "penalizing_atrocities": ag.PenalizingAtrocities,
}

def draw(cls, n: int, rng: np.random.Generator) -> dict[str, np.ndarray]:
    """Random inputs in each parameter's domain: half-line domains log-uniform on
    [e^-744, e^709] half the time (else within a factor e^3 of the default), with 0 (when
    allowed), 5e-324, the smallest normal and the largest float mixed in; bounded domains
    uniform, with the ends, their neighbours and points exponentially close to either end."""
    cols: dict[str, np.ndarray] = {}
    for k in cls.names():
        iv = cls.meta(k)["interval"]
        lo, hi, d = iv.lo, iv.hi, float(cls.defaults()[k])
        if k == "decisive_lead":  # integers in [1, 2^53] (penalizing atrocities)
            col = np.where(rng.random(n) < 0.5, np.round(np.exp(rng.uniform(0.0, 53 * math.log(2.0), n))),
                           rng.integers(1, 7, n).astype(float))
            col = np.where(rng.random(n) < 0.05, rng.choice([1.0, 1024.0, 1025.0, 2.0**53], n), col)
        elif lo >= 0 and math.isinf(hi):
            near = (d if d > 0 else 1.0) * np.exp(rng.uniform(-3.0, 3.0, n))
            col = np.where(rng.random(n) < 0.5, np.exp(rng.uniform(-744.0, 709.0, n)), near)
            ends = np.array([0.0 if iv.left_closed else 5e-324, 5e-324, 2.2250738585072014e-308, FMAX])
            col = np.where(rng.random(n) < 0.05, rng.choice(ends, n), col)
        elif math.isfinite(lo) and math.isfinite(hi):
            col = rng.uniform(lo, hi, n)
            ends = np.array([lo, hi, np.nextafter(lo, hi), np.nextafter(hi, lo), lo + 1e-300, hi - 1e-17])
            col = np.where(rng.random(n) < 0.2, rng.choice(ends, n), col)
            col = np.where(rng.random(n) < 0.15, lo + (hi - lo) * np.exp(rng.uniform(-744.0, 0.0, n)), col)
            col = np.where(rng.random(n) < 0.15, hi - (hi - lo) * np.exp(rng.uniform(-744.0, 0.0, n)), col)
        else:  # the whole real line
            sign = rng.choice([-1.0, 1.0], n)
            col = np.where(rng.random(n) < 0.5, sign * np.exp(rng.uniform(-744.0, 709.0, n)), d + rng.normal(size=n))
        cols[k] = col
    return cols


def accepted_points(cls, n: int, seed: int) -> dict[str, np.ndarray]:
    """The random points (:func:`draw`) that the scalar constructor accepts."""
    cols = draw(cls, n, np.random.default_rng(seed))
    keep = np.zeros(n, dtype=bool)
    for i in range(n):
        try:
            cls(**{k: float(a[i]) for k, a in cols.items()})
        except ParameterError:
            continue
        keep[i] = True
    assert keep.sum() > n // 10
    return {k: np.ascontiguousarray(a[keep]) for k, a in cols.items()}


def evaluate_numpy(model, pts: dict[str, np.ndarray]) -> tuple[list[str], np.ndarray]:
    names = list(pts)
    outs = [*model.outcome_names, "regime"]
    X = np.column_stack([pts[k] for k in names])
    with np.errstate(all="ignore"), accel.disabled():
        return outs, model.evaluate(X, names, outs)


@pytest.mark.parametrize("name", list(MODELS))
def test_random_extreme_points_are_refused_or_finite(name):
    """Seeded random valid points: every outcome is finite on the numpy path (before: NaN
    utilities of Fearon's B at costs beyond 1e154, ±inf vertex eigenvalues of mobilisation, NaN
    utilities and costs of Kydd–Straus at huge inducements, inf stakes and efforts of strategic
    mass killing at huge rents, NaN battle odds and deterrent penalties of penalizing atrocities)."""
    model = MODELS[name]()
    pts = accepted_points(model.Params, 3000, seed=20261203)
    outs, ref = evaluate_numpy(model, pts)
    for j, o in enumerate(outs):
        bad = ~np.isfinite(ref[:, j])
        assert not bad.any(), (o, int(bad.sum()), {k: float(a[bad][0]) for k, a in pts.items()})


# ---------------------------------------------------------------------- Fearon
@pytest.mark.parametrize(("p", "a", "b"), [(0.3, 1e200, 1e300), (1.0, 2.27e254, FMAX), (0.5, 1e155, 1e156)])
def test_fearon_huge_lowest_cost_gives_finite_utilities(p, a, b):
    """B's least resolved type would rather concede everything (a ≥ 1 − p): no war, A demands
    the whole good, B gets 0. Before: E[c; c < u] = (u² − a²)/(2(b − a)) was inf − inf, so
    utility_b was NaN."""
    eq = ag.Fearon(win_prob_a=p, cost_a=0.1, cost_b_low=a, cost_b_high=b).solve()
    assert (eq.regime, eq.offer, eq.p_war, eq.utility_a, eq.utility_b) == ("capped_safe", 1.0, 0.0, 1.0, 0.0)


# ---------------------------------------------------------------------- mobilisation
def test_mobilisation_eigenvalue_whose_intermediate_overflowed_is_finite():
    """m − φ_R − (v − c + γ) = 2^1023 − (2^1023 + 2^1023) = −2^1023, but v − c + γ overflowed
    (before: −inf, and a regime read from it)."""
    eq = ag.Mobilisation(perpetrator_value=2.0**1023, participation_cost=0.0, bandwagon=2.0**1023,
                         bystander_risk=0.5, resister_risk=0.0, resistance_value=2.0**1023, solidarity=0.2).solve()
    assert eq.eig_supporters == -(2.0**1023)
    assert eq.eig_resisters == 0.0


def test_mobilisation_threshold_whose_denominator_overflowed_is_right():
    """s̄ = (m + μ − (v − c))/(γ + φ_R + μ) = 1e308/2e308 = 1/2; before, the denominator was inf
    and s̄ came out as 0 (the regime and the side flag with it)."""
    eq = ag.Mobilisation(perpetrator_value=0.0, participation_cost=0.0, bandwagon=1e308, resister_risk=1e308,
                         resistance_value=1e308, solidarity=0.0).solve()
    assert eq.tipping_threshold == 0.5
    assert ag.Mobilisation(perpetrator_value=0.0, participation_cost=1e308, bandwagon=1e308,
                           bystander_risk=1e308).solve().bystander_threshold == 0.5


@pytest.mark.parametrize("changes", [{"perpetrator_value": 1.7e308, "bandwagon": 1.7e308},
                                     {"resistance_value": 1.7e308, "solidarity": 1.7e308},
                                     {"perpetrator_value": FMAX, "resistance_value": -FMAX}])
def test_mobilisation_eigenvalue_beyond_the_float_range_is_refused(changes):
    """A vertex eigenvalue below −1.8e308 (before: −inf, or inf) is refused, naming the input
    farthest from its default, by the constructor and by array validation."""
    defaults = ag.Mobilisation.Params.defaults()
    name = max(changes, key=lambda k: abs(math.log(abs(changes[k])) - math.log(abs(defaults[k]))))
    with pytest.raises(ParameterError, match=f"{name} must be in values at which the vertex eigenvalues"):
        ag.Mobilisation(**changes)
    with pytest.raises(ParameterError, match="1 of 2 points invalid"):
        ag.Mobilisation.Params.validate_arrays({k: [1.0, x] for k, x in changes.items()})


def test_mobilisation_box_proof_holds_on_sweep_ranges_only():
    cls = ag.Mobilisation.Params
    sweep = {k: cls.meta(k)["sweep_range"] for k in cls.names()}
    assert cls.joint_holds_on_box(sweep)
    assert cls.joint_holds_on_box({**sweep, "resistance_value": (-1e307, 1e307)})
    assert not cls.joint_holds_on_box({**sweep, "bandwagon": (0.1, FMAX)})
    assert not cls.joint_holds_on_box({**sweep, "bandwagon": (math.nan, math.nan)})


# ---------------------------------------------------------------------- penalizing atrocities
def test_penalizing_atrocities_long_war_is_closed_form():
    """A decisive lead of 2.5e15 battles: E(Π; n) = n tanh(n y)/tanh(y), y = logit(Π)/(2n),
    at once (before: a Python loop of n array passes, which never finished; 2^53 is the
    largest lead accepted); it agrees with the term-by-term sum at n = 1024 to 1e-13."""
    from atrogame.models.penalizing_atrocities.duration import _duration_long, duration, duration_slope

    n = 2.5e15
    eq = ag.PenalizingAtrocities(decisive_lead=n).solve()
    pi = eq.government_win_prob
    y = math.atanh(2.0 * pi - 1.0) / n  # = logit(Π)/(2n)
    assert eq.expected_war_duration == pytest.approx(n * math.tanh(n * y) / math.tanh(y), rel=1e-12)
    for p in (0.3, 0.5, 0.51, 0.9):
        E, Ep = _duration_long(np.asarray(p), 1024.0)
        assert float(E) == pytest.approx(float(duration(p, 1024)), rel=1e-13)
        assert float(Ep) == pytest.approx(float(duration_slope(p, 1024)), rel=1e-12, abs=1e-6)


def test_penalizing_atrocities_lead_beyond_2_to_53_is_refused():
    with pytest.raises(ParameterError, match=r"decisive_lead must be in integers in \[1, 2\^53\]; got 1e\+308"):
        ag.PenalizingAtrocities(decisive_lead=1e308)
    with pytest.raises(ParameterError, match=r"integers in \[1, 2\^53\].*1 of 2 values invalid"):
        ag.PenalizingAtrocities.Params.validate_arrays({"decisive_lead": [2.0, 2.0**54]})
    assert not ag.PenalizingAtrocities.Params.joint_holds_on_box({"decisive_lead": (2.0**54, 2.0**54)})


# ---------------------------------------------------------------------- Kydd–Straus
def test_kydd_straus_utilities_at_peace_with_huge_costs_are_the_peace_payoffs():
    """Peace (q = 0): U_G = 1 − x + s_G and U_M = x + s_M exactly. Before: (W_G − u)·q + u with
    W_G − u = −inf (d = 1e308 against s_G = 1e308; V − w_M − y below −1.8e308) gave 0·inf = NaN."""
    eq = ag.KyddStraus(government_war_cost=1e308, inducement_government=1e308).solve()
    assert eq.regime == "peace" and eq.p_war == 0.0
    assert eq.government_utility == (1.0 + 1e308) - eq.offer
    eq = ag.KyddStraus(inducement_minority=1.7e308, war_penalty_minority=1e308).solve()
    assert eq.regime == "peace" and eq.offer == 0.0
    assert eq.minority_utility == 1.7e308
    assert eq.third_party_cost == 1.7e308


def test_kydd_straus_huge_harm_and_cost_within_the_float_range_are_finite():
    """S* = d + (h + k)a* + κa*²/2 = 1e308 + 0.29·1.7e308 is finite: every outcome is."""
    eq = ag.KyddStraus(atrocity_harm=1.7e308, government_war_cost=1e308).solve()
    assert all(math.isfinite(eq[o]) for o in ag.KyddStraus().outcome_names)
    assert eq.war_surplus_loss == pytest.approx(1e308 + eq.atrocities_in_war * 1.7e308, rel=1e-15)


@pytest.mark.parametrize(("changes", "blame"), [
    ({"atrocity_harm": FMAX, "government_war_cost": FMAX}, "government_war_cost"),
    ({"atrocity_harm": FMAX, "government_war_cost": 1.7e308, "cost_uncertainty": 10.5}, "government_war_cost"),
    ({"inducement_government": 5.3e302, "inducement_minority": FMAX}, "inducement_minority"),
    ({"inducement_government": 1e308, "inducement_minority": 1e308}, "inducement_government"),
])
def test_kydd_straus_outcome_beyond_the_float_range_is_refused(changes, blame):
    """The surplus lost in war S* (hence W_G) or the third party's cost at peace, s_G + s_M,
    beyond 1.8e308 (before: ±inf, and NaN utilities) is refused, naming the input of the
    overflowing sum farthest from its default, by the constructor and by array validation."""
    with pytest.raises(ParameterError, match=f"{blame} must be in values at which the outcomes are finite"):
        ag.KyddStraus(**changes)
    with pytest.raises(ParameterError, match="1 of 2 points invalid"):
        ag.KyddStraus.Params.validate_arrays({k: [0.3, x] for k, x in changes.items()})


def test_kydd_straus_box_proof_holds_on_sweep_ranges_only():
    cls = ag.KyddStraus.Params
    sweep = {k: cls.meta(k)["sweep_range"] for k in cls.names()}
    assert cls.joint_holds_on_box(sweep)
    assert cls.joint_holds_on_box({**sweep, "intervention_cost": (0.0, FMAX), "war_penalty_minority": (0.0, FMAX)})
    costs = ("atrocity_penalty", "atrocity_cost_curvature", "atrocity_harm", "government_war_cost",
             "inducement_government", "inducement_minority", "war_penalty_minority", "intervention_cost")
    assert cls.joint_holds_on_box({**sweep, **dict.fromkeys(costs, (0.0, 2e+307))})  # the compiled loop's enclosure
    assert not cls.joint_holds_on_box({**sweep, "atrocity_harm": (0.0, FMAX)})
    assert not cls.joint_holds_on_box({**sweep, "inducement_minority": (0.0, FMAX)})
    assert not cls.joint_holds_on_box({**sweep, "government_war_cost": (math.nan, math.nan)})


@pytest.mark.parametrize("h", [1e3, 1e10, 1e300, FMAX])
def test_kydd_straus_government_war_value_does_not_depend_on_the_harm(h):
    """W_G* = (1 − π)(1 − p) + π(1 − z) − d − k a* − κ a*²/2: the harm h a* cancels from
    1 − V* − S*. Before: its rounding swamped W_G* (0.0 instead of 0.576 at h = 1e300)."""
    base = ag.KyddStraus().solve()
    eq = ag.KyddStraus(atrocity_harm=h).solve()
    a, pi, p = eq.atrocities_in_war, eq.intervention_prob_in_war, eq.minority_win_prob_in_war
    assert a == base.atrocities_in_war
    expected = (1 - pi) * (1 - p) + pi * (1 - 0.4) - 0.05 - 0.5 * a * a / 2
    assert eq.government_war_value == pytest.approx(expected, rel=1e-15, abs=0.0)


def test_kydd_straus_random_extreme_points_match_exact_rational_arithmetic():
    """Oracle: the closed form (docs/explanation/kydd_straus.md) in exact rational arithmetic
    at seeded random valid points (:func:`draw`): every outcome within 1e-13 of the exact value,
    relative to max(|value|, 1). Catches finite but wrong numbers, such as W_G* rounded away."""
    from fractions import Fraction as Fr

    model = ag.KyddStraus()
    pts = accepted_points(model.Params, 600, seed=5)
    names, outs = list(pts), list(model.outcome_names)
    X = np.column_stack([pts[k] for k in names])
    with accel.disabled():
        got = model.evaluate(X, names, outs)
    for r in range(len(X)):
        p0, th, i, om, z, k, ka, h, d, cb, sig, sg, sm, wm, ct = (Fr(float(X[r, names.index(n)]))
                                                                  for n in model.Params.names())
        N = (1 - i * om) * p0 * th - k + i * (1 - om) * (p0 - z)
        D = ka + 2 * i * (1 - om) * p0 * th
        a = min(max(N / D if D > 0 else Fr(int(N > 0)), Fr(0)), Fr(1))
        pi, p = i * om + i * (1 - om) * a, p0 * (1 - th * a)
        V, S = (1 - pi) * p + pi * z - h * a, d + (h + k) * a + ka * a * a / 2
        W, Vn = 1 - V - S, V - wm - sm
        half = max((cb - S - sg - sm - wm) / 2, Fr(0))
        x, cut = max(Vn - half, Fr(0)), min(max(Vn, Fr(0)), half)
        q = cut / cb
        exact = [a, pi, p, V, W, S, x, cut, q, q * a, q * a * (1 - sig * pi), q * pi, q * (1 - pi) * p,
                 (1 - q) * (1 - x + sg) + q * W, (1 - q) * (x + sm) + q * (V - wm) - cb * q * q / 2,
                 (1 - q) * (sg + sm) + q * pi * ct]
        for j, (o, e) in enumerate(zip(outs, exact, strict=True)):
            t = float(e)
            assert abs(got[r, j] - t) <= 1e-13 * max(abs(t), 1.0), (o, got[r, j], t, X[r].tolist())


# ---------------------------------------------------------------------- strategic mass killing
def test_strategic_mass_killing_win_prob_when_only_the_stakes_sum_overflows():
    """Stakes of 1.26e308 each, whose sum overflows: P_I = V_I/(V_I + V_O) from halved stakes
    (before: V_I/inf = 0, a certain loss for the incumbent, or NaN when a stake was inf too)."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no overflow warning reaches the user
        eq = ag.StrategicMassKilling(resource_rents=7e307, productivity=1.0, killing_labour=0.0,
                                     proportional_sharing=0.0, state_weakness=1.0).solve()
    v_i, v_o = eq.stake_incumbent, eq.stake_opposition
    assert math.isfinite(v_i) and math.isfinite(v_o) and v_i + v_o == math.inf
    assert eq.win_prob_incumbent == pytest.approx((v_i / 2) / (v_i / 2 + v_o / 2), rel=1e-15)
    assert 0.0 < eq.win_prob_incumbent < 1.0


def test_strategic_mass_killing_deterrent_cap_when_m_squared_overflows():
    """m ≈ 1e200: v̂ = 2φ/(m + √(m² − 2cφ/n)) ≈ φ/m (before: m² was inf and v̂ = 0)."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no overflow warning reaches the user (T² of the cap derivative)
        model = ag.StrategicMassKilling(resource_rents=1e200, killing_fixed_cost=1.0, productivity=1.0)
        eq = model.solve()
        from atrogame.models.strategic_mass_killing.kernel import cap_derivative

        d = cap_derivative({k: np.asarray(v) for k, v in model.parameter_values().items()})
    assert all(np.isfinite(v).all() for v in d.values())
    m = eq.value_per_victim
    assert m > 1e199
    assert eq.deterrent_cap == pytest.approx(1.0 / m, rel=1e-12) and eq.deterrent_cap > 0.0


@pytest.mark.parametrize(("changes", "blame"), [
    ({"productivity": 1e179, "killing_labour": 6.5e188}, "killing_labour"),  # w μ, so m, beyond 1.8e308
    ({"productivity": 1e-300, "resource_rents": 1e10}, "productivity"),  # efforts V/w beyond 1.8e308
])
def test_strategic_mass_killing_overflowing_outcomes_are_refused(changes, blame):
    with pytest.raises(ParameterError, match=f"{blame} must be in values at which the stakes, efforts"):
        ag.StrategicMassKilling(**changes)
    with pytest.raises(ParameterError, match="1 of 2 points invalid"):
        ag.StrategicMassKilling.Params.validate_arrays({k: [1.0, x] for k, x in changes.items()})


def test_strategic_mass_killing_box_proof_holds_on_sweep_ranges_only():
    cls = ag.StrategicMassKilling.Params
    sweep = {k: cls.meta(k)["sweep_range"] for k in cls.names()}
    assert cls.joint_holds_on_box(sweep)
    assert not cls.joint_holds_on_box({**sweep, "productivity": (5e-324, 3.0)})
    assert not cls.joint_holds_on_box({**sweep, "resource_rents": (0.1, FMAX)})
    assert not cls.joint_holds_on_box({**sweep, "productivity": (math.nan, math.nan)})


def test_penalizing_atrocities_war_test_below_the_normal_range():
    """(g + m)² = 1.3e-336 underflowed to 0, so βm > T(g + m)² passed although βm = 2e-167 is
    far below T(g + m)² = 1.3e-138 (before: Π* = 1 − √(mT/β) = −2.6e14, NaN battle odds,
    duration and toll). Now no atrocities and Π* = g/(g + m)."""
    g, r, s = 5e-324, 5.347788856429511e-235, 1.1409982165444723e-168
    eq = ag.PenalizingAtrocities(government_strength=g, rebel_strength=r, aid_to_rebels=s,
                                 atrocity_effectiveness=17.25768882993338, atrocity_penalty=1.0109521179572633e198,
                                 decisive_lead=114383547549.0).solve()
    assert eq.atrocity_intensity == 0.0 and eq.info["war_regime"] == "no_atrocities"
    assert eq.government_win_prob == g / (g + (r + s))
    assert 0.0 < eq.battle_win_prob < 0.5 and math.isfinite(eq.expected_war_duration)


def test_penalizing_atrocities_no_campaign_at_an_overflowing_marginal_cost():
    """k + τ = 2e308 overflows but no atrocities are chosen: W = Π − d (before: inf·0 = NaN)."""
    eq = ag.PenalizingAtrocities(atrocity_cost=1e308, atrocity_penalty=1e308).solve()
    assert eq.atrocity_intensity == 0.0
    assert eq.government_war_value == pytest.approx(1.0 / 1.5 - 0.05, rel=1e-15)
    assert math.isfinite(eq.government_utility) and math.isfinite(eq.war_surplus_loss)


def test_penalizing_atrocities_deterrent_penalty_when_products_overflow():
    """βm = 3.9e384 and (g + m)² = 7e447 overflow; βm/(g + m)² ≈ β/m is 5.5e-64 (before: NaN)."""
    b, r, k = 4.6e160, 8.4e223, 1e-70
    eq = ag.PenalizingAtrocities(atrocity_effectiveness=b, rebel_strength=r, atrocity_cost=k).solve()
    assert eq.deterrent_penalty == pytest.approx(b / r * (r / (r + 1.0)) ** 2 - k, rel=1e-14)


@pytest.mark.parametrize(("changes", "blame"), [
    ({"atrocity_harm": 1.7e308}, "atrocity_harm"),  # the harm hA* beyond 1.8e308
    ({"atrocity_effectiveness": 1.7e308, "atrocity_cost": 1e-10}, "atrocity_effectiveness"),  # β/(4T)
    ({"atrocity_effectiveness": 3.5e163, "rebel_strength": 8e-149, "government_strength": 1e-200},
     "government_strength"),  # βm/(g + m)² ≈ β/m = 4e311
])
def test_penalizing_atrocities_overflowing_outcomes_are_refused(changes, blame):
    with pytest.raises(ParameterError, match=f"{blame} must be in values at which every outcome is a finite"):
        ag.PenalizingAtrocities(**changes)
    with pytest.raises(ParameterError, match="1 of 2 points invalid"):
        ag.PenalizingAtrocities.Params.validate_arrays({k: [1.0, x] for k, x in changes.items()})


def test_penalizing_atrocities_box_proof_holds_on_sweep_ranges_only():
    cls = ag.PenalizingAtrocities.Params
    sweep = {k: cls.meta(k)["sweep_range"] for k in cls.names()}
    assert cls.joint_holds_on_box({**sweep, "decisive_lead": (3.0, 3.0)})
    assert not cls.joint_holds_on_box({**sweep, "decisive_lead": (3.0, 3.0), "atrocity_cost": (5e-324, 0.5)})
    assert not cls.joint_holds_on_box({**sweep, "decisive_lead": (3.0, 3.0), "atrocity_harm": (0.0, FMAX)})
    assert not cls.joint_holds_on_box({**sweep, "decisive_lead": (3.0, 3.0), "atrocity_harm": (math.nan, math.nan)})


def test_penalizing_atrocities_box_proof_does_not_leak_out_of_check_arrays():
    """check_arrays passes its box proof to its own pointwise joint check (a lead range always
    needs one); a proof from an earlier, separate box must not excuse a later overflowing design."""
    cls = ag.PenalizingAtrocities.Params
    sweep = {k: cls.meta(k)["sweep_range"] for k in cls.names()}
    assert cls.joint_holds_on_box({**sweep, "decisive_lead": (3.0, 3.0)})
    with pytest.raises(ParameterError, match="atrocity_harm must be in values at which every outcome"):
        cls.check_joint_arrays({**cls.defaults(), "atrocity_harm": np.array([0.01, 1.7e308]),
                                "decisive_lead": np.array([2.0, 3.0])})
    with pytest.raises(ParameterError, match="atrocity_harm must be in values at which every outcome"):
        cls.validate_arrays({"atrocity_harm": [0.01, 1.7e308], "decisive_lead": [2.0, 3.0]})
    cls.validate_arrays({"atrocity_harm": [0.01, 0.02], "decisive_lead": [2.0, 3.0]})


def test_strategic_mass_killing_deterrent_sanction_when_2c_phi_over_n_overflows():
    """2cφ/n_I = 3e410 overflowed, so m̂ = √(2cφ/n_I) = 1.75e205 read inf and the corner value
    2.7e299 was taken: the deterrent sanction m + τ − m̂ ≈ 5.8e249 came out as 0."""
    c, phi, n = 1e300, 1e110, 0.65
    eq = ag.StrategicMassKilling(resource_rents=1e250, killing_cost_curvature=c, killing_fixed_cost=phi).solve()
    mhat = math.sqrt(2.0 * c / n) * math.sqrt(phi)
    assert eq.deterrent_sanction == pytest.approx(eq.value_per_victim - mhat, rel=1e-12)
    assert eq.deterrent_sanction > 1e249
