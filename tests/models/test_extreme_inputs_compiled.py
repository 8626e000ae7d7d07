"""The compiled (numba) loops of Fearon, mobilisation, Kydd–Straus, strategic mass killing and
penalizing atrocities at
valid but extreme inputs: the same numbers as the numpy reference (1e-12 relative), and the same
refusals with the same message. Oracle: the numpy path (``accel.disabled()``), itself checked
against the closed forms in tests/models/test_extreme_inputs.py. Needs numba (CI's second
stage); skipped without it.
"""

from __future__ import annotations

import numpy as np
import pytest
from test_extreme_inputs import FMAX, MODELS, accepted_points

import paths
from atrogame import accel

pytestmark = pytest.mark.skipif(not accel.enabled(), reason="the compiled path needs numba")

COMPILED = ("fearon", "mobilisation", "kydd_straus", "strategic_mass_killing", "penalizing_atrocities")


@pytest.mark.parametrize("name", COMPILED)
def test_random_extreme_points_compiled_equals_numpy(name):
    """Seeded random valid points (tiled to at least accel.MIN_POINTS rows so that evaluate
    takes the compiled loop): every outcome equal to the numpy path's, non-finite at the same
    places (none, for the models fixed so far). Before: strategic mass killing's compiled loop
    clipped a NaN p_conflict to 0 where numpy's np.clip kept NaN."""
    model = MODELS[name]()
    pts = accepted_points(model.Params, 3000, seed=20261203)
    names = list(pts)
    X = np.column_stack([pts[k] for k in names])
    X = paths.tiled(X)
    outs = [*model.outcome_names, "regime"]
    got, ref = paths.both_paths(model, X, names, outs)
    for j, o in enumerate(outs):
        a, b = got[:, j], ref[:, j]
        np.testing.assert_array_equal(np.isfinite(a), np.isfinite(b), err_msg=o)
        fin = np.isfinite(b)
        np.testing.assert_allclose(a[fin], b[fin], rtol=1e-12, atol=0.0, err_msg=o)


def test_fearon_huge_lowest_cost_compiled():
    model = MODELS["fearon"]()
    X = np.tile([[0.3, 1e200, 1e300], [0.5, 0.05, 0.45]], (accel.MIN_POINTS, 1))
    got, ref = paths.both_paths(model, X, ["win_prob_a", "cost_b_low", "cost_b_high"], ["utility_b", "offer"])
    np.testing.assert_array_equal(got, ref)
    assert got[0, 0] == 0.0


def test_mobilisation_overflow_refused_alike_and_wide_points_equal():
    """A design holding one point whose eigenvalue overflows is refused with the numpy path's
    message; points whose intermediates overflowed give the numpy path's numbers."""
    model = MODELS["mobilisation"]()
    names = ["perpetrator_value", "bandwagon", "resistance_value", "resister_risk"]
    X = np.tile([[2.0**1023, 2.0**1023, 2.0**1023, 0.0], [0.0, 1e308, 1e308, 1e308], [0.3, 1.0, 0.3, 1.0]],
                (accel.MIN_POINTS, 1))
    outs = [*model.outcome_names, "regime"]
    got, ref = paths.both_paths(model, X, names, outs)
    np.testing.assert_array_equal(got, ref)
    assert np.isfinite(got).all()
    X[7, :] = [FMAX, FMAX, 0.3, 1.0]
    msgs = paths.refusals(model, X, names, outs, match="vertex eigenvalues are finite")
    assert msgs[0] == msgs[1]


def test_kydd_straus_overflow_refused_alike_and_huge_inputs_equal():
    """Peace points whose war − peace utility gap overflows (the utilities are then exactly the
    peace payoffs), a finite S* of 1e308 + 0.29·1.7e308 and W_G* at h = 1e300 (where h a*
    cancels) give the numpy path's numbers on the compiled loop; a point whose S* or s_G + s_M
    exceeds the float range is refused with the numpy path's message (the box of the loop's
    shared cost range does not prove the rule, so the pointwise check decides)."""
    model = MODELS["kydd_straus"]()
    names = ["government_war_cost", "inducement_government", "inducement_minority", "war_penalty_minority",
             "atrocity_harm"]
    X = np.tile([[1e308, 1e308, 0.0, 0.0, 0.3], [0.05, 0.0, 1.7e308, 1e308, 0.3], [1e308, 0.0, 0.0, 0.0, 1.7e308],
                 [0.05, 0.0, 0.0, 0.0, 0.3], [0.05, 0.0, 0.0, 0.0, 1e300]], (accel.MIN_POINTS, 1))
    outs = [*model.outcome_names, "regime"]
    got, ref = paths.both_paths(model, X, names, outs)
    np.testing.assert_array_equal(got, ref)
    assert np.isfinite(got).all()
    assert got[1, outs.index("minority_utility")] == 1.7e308
    assert got[4, outs.index("government_war_value")] == got[3, outs.index("government_war_value")]  # h cancels
    for row, match in (([FMAX, 0.0, 0.0, 0.0, FMAX], "government_war_cost must be in values at which the outcomes"),
                       ([0.05, 1e308, 1e308, 0.0, 0.3], "inducement_government must be in values at which")):
        Y = X.copy()
        Y[9, :] = row
        msgs = paths.refusals(model, Y, names, outs, match=match)
        assert msgs[0] == msgs[1]
        assert "1 of" in msgs[0]
