"""Hypothesis properties of the tactics model (deterministic: derandomised, modest counts)."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from tactics_draws import draw
from tactics_helpers import close, solve

from atrogame.models.tactics.closed_form import closed_form, elasticities

seeds = st.integers(min_value=0, max_value=2**32 - 1)


@settings(derandomize=True, max_examples=40, deadline=None)
@given(seeds)
def test_no_nan_budget_and_adding_up(seed):
    p = draw(np.random.default_rng(seed))
    o = solve(p)
    assert all(np.all(np.isfinite(np.asarray(v))) for v in o.values())
    spend = float(np.sum(o["tactic_prices"] * o["tactic_levels"]) + o["price_rebels"] * o["rebel_attacks"])
    assert close(spend, o["cost"], rel=1e-12)
    assert close(np.sum(o["tactic_shares"]), 1.0, rel=1e-12)
    assert close(o["rebel_share"] + o["civilian_share"], 1.0, rel=1e-12)
    assert 0 < o["chi_E"] <= 1


@settings(derandomize=True, max_examples=30, deadline=None)
@given(seeds)
def test_gross_relation_sign_equals_threshold_test(seed):
    p = draw(np.random.default_rng(seed), objective="max_control", finite=False, K=3)
    o = solve(p)
    E = elasticities(o, p.tactic_substitution, p.substitution_elasticity)
    sbar = p.substitution_elasticity * o["rebel_share"] + o["civilian_share"]
    if abs(p.tactic_substitution - sbar) > 1e-3:
        assert (E[1, 2] > 0) == (p.tactic_substitution > sbar)
        assert np.sign(E[1, 2]) == np.sign(E[2, 1]) == np.sign(E[3, 1])


@settings(derandomize=True, max_examples=25, deadline=None)
@given(seeds)
def test_vectorised_rows_equal_pointwise_solutions(seed):
    rng = np.random.default_rng(seed)
    p = draw(rng, objective="max_control", finite=bool(seed % 3 == 0), K=2)
    v = p.kernel_values()
    sig = np.array([0.4, 1.0, 2.5])
    v["tactic_substitution"] = sig
    out = closed_form(v, p.objective)
    for i, s in enumerate(sig):
        ref = solve(p.replace(tactic_substitution=float(s)))
        assert close(out["deaths"][i], ref["deaths"], rel=1e-12)
        assert close(out["tactic_levels"][i], ref["tactic_levels"], rel=1e-12)
