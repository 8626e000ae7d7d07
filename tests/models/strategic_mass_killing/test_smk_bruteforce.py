"""Strategic mass killing: the closed form equals an independent numeric solution built from the
primitive payoffs (grid + Brent killing stage, numeric contest root with a best-response test,
quadrature for welfare), at >= 300 random valid points that reach every regime."""

from __future__ import annotations

import collections

import numpy as np
import pytest
from smk_helpers import DEFAULTS, boundary_margin, labels, random_points
from smk_spec_values import CASES

from atrogame.models.strategic_mass_killing.kernel import KILLING_REGIMES, ONSET_REGIMES, OUTCOMES, closed_form
from atrogame.models.strategic_mass_killing.numeric import group_payoffs, solve_numeric
from atrogame.models.strategic_mass_killing.params import StrategicMassKillingParams

N_POINTS = 320
SHARES = ("killing_share_incumbent", "killing_share_opposition")


def _compare(point):
    num = solve_numeric(point)
    cf = closed_form(point)
    assert (num["regime"], num["opposition_regime"], num["onset_regime"]) == labels(cf), point
    worst = {}
    for k in OUTCOMES:
        exact = float(cf[k])
        err = abs(num[k] - exact) if k in SHARES else abs(num[k] - exact) / max(1.0, abs(exact))
        worst[k] = err
        assert err <= (2e-7 if k in SHARES else 1e-7), (k, num[k], exact, point)
    return worst


def test_closed_form_equals_bruteforce_at_random_points():
    pts = random_points(N_POINTS, seed=20261202)
    hit: dict[str, collections.Counter] = {"regime": collections.Counter(), "opposition_regime": collections.Counter(),
                                           "onset_regime": collections.Counter()}
    compared, worst = 0, 0.0
    for i in range(N_POINTS):
        point = {k: float(v[i]) for k, v in pts.items()}
        StrategicMassKillingParams(**point)  # every point is valid
        if boundary_margin(point) < 1e-6:  # a tie within rounding: either side is right
            continue
        errs = _compare(point)
        worst = max(worst, *errs.values())
        compared += 1
        reg = labels(closed_form(point))
        for key, lab in zip(hit, reg, strict=True):
            hit[key][lab] += 1
    assert compared >= 300
    assert set(hit["regime"]) == set(KILLING_REGIMES)
    assert set(hit["opposition_regime"]) == set(KILLING_REGIMES)
    assert set(hit["onset_regime"]) == set(ONSET_REGIMES)
    assert worst < 2e-7


@pytest.mark.parametrize("case", sorted(CASES, key=lambda t: int(t[1:])))
def test_bruteforce_at_test_cases(case):
    changes, values, _ = CASES[case]
    point = StrategicMassKillingParams(**changes).to_dict()
    _compare(point)
    num = solve_numeric(point)
    for k, v in values.items():
        assert num[k] == pytest.approx(v, abs=2e-7), k


def test_primitive_payoffs_are_quadratic_in_the_toll():
    """U_g(v) = U_g(0) + m v − c v²/(2 n_g) − φ and U_h(v) = U_h(0) − ℓ v, from the primitives."""
    cf = closed_form(DEFAULTS)
    m, loss = float(cf["value_per_victim"]), float(cf["loss_per_victim"])
    n_g, c, phi = 0.65, DEFAULTS["killing_cost_curvature"], DEFAULTS["killing_fixed_cost"]
    v = np.linspace(0.01, 0.35, 9)
    ug0, uh0 = group_payoffs(DEFAULTS, n_g, 0.0)
    ug, uh = group_payoffs(DEFAULTS, n_g, v)
    np.testing.assert_allclose(ug, ug0 + m * v - c * v**2 / (2 * n_g) - phi, atol=1e-13)
    np.testing.assert_allclose(uh, uh0 - loss * v, atol=1e-13)


# ---------------------------------------------------------------------------- the size-ratio variant
def _variant(**changes):
    return solve_numeric({**DEFAULTS, **changes}, forms="size_ratio")


def test_variant_coincides_with_default_forms_without_killing():
    p = {**DEFAULTS}
    for n_g in (0.3, 0.65):
        a = group_payoffs(p, n_g, 0.0, "default")
        b = group_payoffs(p, n_g, 0.0, "size_ratio")
        assert float(a[0]) == pytest.approx(float(b[0]), abs=1e-14)
        assert float(a[1]) == pytest.approx(float(b[1]), abs=1e-14)


def test_variant_facts():
    assert _variant()["killing_share_incumbent"] == 0.0  # the default point: no campaign
    assert _variant(killing_fixed_cost=0.005)["killing_share_incumbent"] == pytest.approx(0.22757175, abs=2e-7)
    low = _variant(killing_fixed_cost=0.005, resource_rents=1.44)
    high = _variant(killing_fixed_cost=0.005, resource_rents=1.46)
    assert low["killing_share_incumbent"] == pytest.approx(0.692608, abs=1e-6)
    assert high["killing_share_incumbent"] == 1.0 and high["regime"] == "extermination"
    base = closed_form({**DEFAULTS, "killing_fixed_cost": 0.005, "resource_rents": np.array([1.44, 1.46])})
    np.testing.assert_allclose(base["killing_share_incumbent"], [0.589829, 0.600600], atol=1e-6)


@pytest.mark.parametrize(("name", "lo", "hi", "sign"), [
    ("resource_rents", 0.9, 1.1, +1),        # E1
    ("proportional_sharing", 0.2, 0.4, +1),  # E2 (chi = 1 > theta delta)
    ("productivity", 0.9, 1.1, -1),          # E3
    ("state_weakness", 0.4, 0.6, +1),        # E4
    ("power_sharing", 0.0, 0.05, -1),        # E5
    ("sanction_per_victim", 0.0, 0.02, -1),  # E6
    ("headcount_claims", 0.8, 1.0, +1),      # E10
])
def test_variant_keeps_the_signs(name, lo, hi, sign):
    a = _variant(killing_fixed_cost=0.005, **{name: lo})["killing_share_incumbent"]
    b = _variant(killing_fixed_cost=0.005, **{name: hi})["killing_share_incumbent"]
    assert sign * (b - a) > 1e-4


# ---------------------------------------------------------------------------- as a hypothesis property
from hypothesis import assume, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402


@settings(derandomize=True, max_examples=40)
@given(st.integers(min_value=0, max_value=2**31 - 1))
def test_bruteforce_property(seed):
    point = {k: float(v[0]) for k, v in random_points(1, seed).items()}
    assume(boundary_margin(point) >= 1e-6)
    _compare(point)
