"""The closed form equals an independent numerical optimisation of the primal problem."""

from __future__ import annotations

import numpy as np
import pytest
from tactics_draws import draw
from tactics_helpers import close, solve

from atrogame.models.tactics.numeric import solve_numeric

KEYS = ("tactic_levels", "rebel_attacks", "control", "cost", "enabler_price", "enabler_input", "deaths")


def _check(p):
    a, b = solve(p), solve_numeric(p)
    for k in KEYS:
        assert close(a[k], b[k], rel=1e-6, abs_=1e-12), (k, a[k], b[k], p)


def _design(n, seed):
    rng = np.random.default_rng(seed)
    pts = []
    for i in range(n):
        # cycle through objective x supply so every combination is hit, K and σ's drawn
        objective = ("max_control", "min_cost")[i % 2]
        finite = (i // 2) % 4 == 0
        pts.append(draw(rng, objective=objective, finite=finite))
    return pts


def _coverage(pts):
    return {
        "sigT<1": any(p.tactic_substitution < 1 for p in pts),
        "sigT>1": any(p.tactic_substitution > 1 for p in pts),
        "sigT=1": any(p.tactic_substitution == 1 for p in pts),
        "sigma<1": any(p.substitution_elasticity < 1 for p in pts),
        "sigma>1": any(p.substitution_elasticity > 1 for p in pts),
        "min_cost": any(p.objective == "min_cost" for p in pts),
        "finite supply": any(np.isfinite(p.enabler_supply_elasticity) for p in pts),
        "K=1": any(p.K == 1 for p in pts),
        "K=6": any(p.K == 6 for p in pts),
    }


@pytest.mark.parametrize("p", _design(24, 11))
def test_closed_form_equals_numeric_optimisation_quick(p):
    _check(p)


@pytest.mark.slow
def test_closed_form_equals_numeric_optimisation_300_points():
    pts = _design(320, 2026)
    cov = _coverage(pts)
    assert all(cov.values()), cov
    for p in pts:
        _check(p)


def test_numeric_reproduces_a_tabulated_value_with_finite_supply():
    from atrogame.models.tactics.params import TacticsParams

    sol = solve_numeric(TacticsParams(enabler_supply_elasticity=2.0, enabler_capacity=37.5, enabler_sanction=2.0))
    assert close(sol["enabler_price"], 2.730445689) and close(sol["deaths"], 7.000255457)
