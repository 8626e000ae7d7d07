"""Strategic mass killing: test values T1-T16, identities at every test case, parameter validation."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from smk_helpers import DEFAULTS, cf, labels
from smk_spec_values import CASES

from atrogame.core.errors import ParameterError
from atrogame.models.strategic_mass_killing.kernel import OUTCOMES, closed_form, killing_stage
from atrogame.models.strategic_mass_killing.params import ORDER, StrategicMassKillingParams


@pytest.mark.parametrize("case", sorted(CASES, key=lambda t: int(t[1:])))
def test_test_values(case):
    changes, values, regimes = CASES[case]
    out = closed_form(StrategicMassKillingParams(**changes).to_dict())
    for name, expected in values.items():
        assert float(out[name]) == pytest.approx(expected, abs=1e-8), name
    assert labels(out) == regimes


@pytest.mark.parametrize("case", sorted(CASES, key=lambda t: int(t[1:])))
def test_stake_decomposition(case):
    """V_i = S0 + G_i* + ℓ v_j* (greed plus fear) at every test case."""
    out = closed_form(StrategicMassKillingParams(**CASES[case][0]).to_dict())
    s0, loss = out["base_stake"], out["loss_per_victim"]
    assert float(out["stake_incumbent"]) == pytest.approx(
        float(s0 + out["killing_gain_incumbent"] + loss * out["victims_if_opposition_wins"]), abs=1e-12)
    assert float(out["stake_opposition"]) == pytest.approx(
        float(s0 + out["killing_gain_opposition"] + loss * out["victims_if_incumbent_wins"]), abs=1e-12)


def test_t1_extra_values():
    out = cf()
    assert float(out["killing_gain_incumbent"]) == pytest.approx(0.008465, abs=1e-12)
    assert float(out["prize_of_power"]) == pytest.approx(0.7, abs=1e-12)
    assert float(out["base_stake"]) == pytest.approx(0.98, abs=1e-12)
    assert float(out["loss_per_victim"]) == pytest.approx(1.58, abs=1e-12)
    assert float(out["conflict_intensity"]) == pytest.approx(0.5368726011, abs=1e-9)
    assert float(out["p_mass_killing_given_conflict"]) == pytest.approx(0.4568623056, abs=1e-9)
    assert float(out["deaths_given_conflict"]) == pytest.approx(0.0564224947, abs=1e-9)


def test_t15_zero_stakes_convention():
    """S = 0: P_I = 1/2 by convention, no efforts, no challenge, and nothing is NaN."""
    out = cf(proportional_sharing=0.0, power_sharing=0.5)
    assert float(out["stake_incumbent"]) == 0.0 == float(out["stake_opposition"])
    assert float(out["win_prob_incumbent"]) == 0.5
    assert float(out["effort_incumbent"]) == 0.0 == float(out["effort_opposition"])
    assert labels(out)[2] == "no_challenge"
    assert all(np.all(np.isfinite(out[k])) for k in OUTCOMES)


def test_effort_beyond_population_is_flagged():
    big = cf(resource_rents=3.0, proportional_sharing=0.0, productivity=0.2)
    assert float(big["effort_incumbent"]) > DEFAULTS["incumbent_share"]
    assert bool(big["effort_exceeds_population"])
    assert not bool(cf()["effort_exceeds_population"])


def test_vectorised_equals_pointwise(rng):
    n = 50
    pts = {k: np.full(n, v) for k, v in DEFAULTS.items()}
    pts["resource_rents"] = rng.uniform(0.1, 3.0, n)
    pts["killing_cap"] = rng.uniform(0.0, 1.0, n)
    vec = closed_form(pts)
    for i in range(n):
        one = closed_form({k: float(v[i]) for k, v in pts.items()})
        for k in OUTCOMES:
            assert float(one[k]) == pytest.approx(float(vec[k][i]), abs=1e-14)
    grid = closed_form({**DEFAULTS, "resource_rents": np.linspace(0.1, 3, 7)[:, None],
                        "killing_cap": np.linspace(0, 1, 5)[None, :]})
    assert grid["p_conflict"].shape == (7, 5) and grid["regime"].dtype == np.int8


def test_killing_stage_thresholds():
    """Killing happens iff v̄ > v̂, and iff m > m̂, at the default incumbent."""
    base = killing_stage(0.38, 0.65, 0.35, 2.0, 0.015, 1.0)
    vhat, mhat = float(base["cap_threshold"]), float(base["value_threshold"])
    for vbar in (vhat - 1e-9, vhat + 1e-9):  # (at v̂ itself Γ = φ up to rounding)
        assert (float(killing_stage(0.38, 0.65, 0.35, 2.0, 0.015, vbar)["toll"]) > 0) == (vbar > vhat)
    for m in (mhat - 1e-9, mhat + 1e-9):
        assert (float(killing_stage(m, 0.65, 0.35, 2.0, 0.015, 1.0)["toll"]) > 0) == (m > mhat)
    empty = killing_stage(0.38, 0.65, 0.35, 2.0, 0.015, 0.0)
    assert math.isinf(float(empty["value_threshold"])) and float(empty["toll"]) == 0.0


# ---------------------------------------------------------------------------- validation
BAD = [
    ("incumbent_share", 0.0, "(0, 1)"), ("incumbent_share", 1.0, "(0, 1)"),
    ("resource_rents", 0.0, "(0, inf)"), ("productivity", -1.0, "(0, inf)"),
    ("proportional_sharing", 1.5, "[0, 1]"), ("power_sharing", 0.51, "[0, 0.5]"),
    ("headcount_claims", -0.1, "[0, 1]"), ("killing_labour", -0.1, "[0, inf)"),
    ("killing_cost_curvature", 0.0, "(0, inf)"), ("killing_fixed_cost", -1e-3, "[0, inf)"),
    ("sanction_per_victim", -0.5, "[0, inf)"), ("killing_cap", 1.2, "[0, 1]"),
    ("state_weakness", 2.0, "[0, 1]"), ("future_weight", -0.2, "[0, 1]"),
    ("death_loss", -1.0, "[0, inf)"), ("mobilisation_cost_max", 0.0, "(0, inf)"),
    ("resource_rents", math.nan, "(0, inf)"), ("productivity", math.inf, "(0, inf)"),
]


@pytest.mark.parametrize(("name", "value", "domain"), BAD)
def test_bad_values_raise_parameter_error(name, value, domain):
    with pytest.raises(ParameterError) as err:
        StrategicMassKillingParams(**{name: value})
    assert err.value.name == name and err.value.domain == domain
    assert name in str(err.value) and domain in str(err.value)


def test_bad_arrays_raise_parameter_error():
    with pytest.raises(ParameterError, match="killing_cap must be in \\[0, 1\\]"):
        StrategicMassKillingParams.validate_arrays({"killing_cap": [0.1, 1.5]})


def test_boundary_values_are_allowed():
    edge = {"proportional_sharing": 1.0, "power_sharing": 0.5, "headcount_claims": 0.0, "killing_cap": 0.0,
            "state_weakness": 0.0, "future_weight": 0.0, "killing_labour": 0.0, "killing_fixed_cost": 0.0,
            "death_loss": 0.0}
    for k, v in edge.items():
        out = closed_form(StrategicMassKillingParams(**{k: v}).to_dict())
        assert all(np.isfinite(float(out[o])) for o in OUTCOMES), k
    out = closed_form(StrategicMassKillingParams(**edge).to_dict())
    assert all(np.isfinite(float(out[o])) for o in OUTCOMES)


# ---------------------------------------------------------------------------- no NaN anywhere valid
def _strategy(name):
    interval = StrategicMassKillingParams.meta(name)["interval"]
    lo, hi = StrategicMassKillingParams.meta(name)["sweep_range"]
    lo = max(lo, interval.lo) if interval.left_closed else max(lo, interval.lo + 1e-9)
    hi = min(hi, interval.hi) if interval.right_closed else min(hi, interval.hi - 1e-9)
    edges = [x for x in (interval.lo, interval.hi) if np.isfinite(x) and x in interval]
    base = st.floats(min_value=lo, max_value=hi, allow_nan=False)
    return st.one_of(st.sampled_from(edges), base) if edges else base


@settings(derandomize=True, max_examples=200)
@given(st.fixed_dictionaries({n: _strategy(n) for n in ORDER}))
def test_no_nan_in_valid_domain(point):
    StrategicMassKillingParams(**point)  # valid
    out = closed_form(point)
    for k in OUTCOMES:
        assert np.isfinite(float(out[k])), (k, point)
    assert 0 <= float(out["p_conflict"]) <= 1 and 0 <= float(out["win_prob_incumbent"]) <= 1
    assert 0 <= float(out["killing_share_incumbent"]) <= 1 and 0 <= float(out["killing_share_opposition"]) <= 1
    assert float(out["welfare_loss"]) >= 0
