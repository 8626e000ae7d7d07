"""The PenalizingAtrocities model class (after Kydd 2022): solve, sweeps, statics, numeric path, levers."""

from __future__ import annotations

import numpy as np
import pytest
from pa_spec_values import SPEC_T

from atrogame.core.errors import ParameterError
from atrogame.models.penalizing_atrocities import LEVERS, NOT_REPRESENTED, PenalizingAtrocities


def test_solve_and_labels():
    eq = PenalizingAtrocities().solve()
    assert eq.method == "closed_form"
    assert (eq.regime, eq.info["war_regime"]) == ("interior", "atrocities")
    assert eq.p_war == pytest.approx(0.349404, abs=1e-6)
    eq5 = PenalizingAtrocities(**SPEC_T["T5"][0]).solve()
    assert eq5.info["war_regime"] == "no_atrocities"


def test_numeric_method_matches_closed_form():
    m = PenalizingAtrocities(**SPEC_T["T7"][0])
    a, b = m.solve(), m.solve(method="numeric")
    assert b.method == "numeric" and b.regime == a.regime and b.info["war_regime"] == a.info["war_regime"]
    for k in a.outcomes:
        assert b[k] == pytest.approx(a[k], abs=1e-6), k


def test_sweep_is_vectorised_and_validates_lead():
    ds = PenalizingAtrocities().sweep(aid_to_rebels=[0.0, 2.0, 4.0], decisive_lead=[1, 2, 3])
    assert ds["expected_war_duration"].sel(aid_to_rebels=2.0).values.tolist() == pytest.approx([1.0, 4.0, 9.0])
    assert set(np.unique(ds["regime"].values)) <= {0, 1, 2, 3}
    with pytest.raises(ParameterError, match="decisive_lead"):
        PenalizingAtrocities().sweep(decisive_lead=[1.5, 2.0])
    with pytest.raises(ParameterError, match="atrocity_cost"):
        PenalizingAtrocities(atrocity_cost=-0.1)


def test_comparative_statics_against_finite_differences():
    m = PenalizingAtrocities()
    cs = m.comparative_statics(wrt=["aid_to_rebels", "atrocity_penalty", "atrocity_effectiveness"],
                               of=["atrocity_intensity", "p_war", "expected_atrocities"])
    for e in cs:
        fd, crosses = m.finite_difference(e.outcome, e.wrt)
        assert not crosses
        assert e.value == pytest.approx(fd, rel=1e-5, abs=1e-6), (e.outcome, e.wrt)
    assert cs["atrocity_intensity", "atrocity_penalty"].sign == "negative"
    assert cs["p_war", "atrocity_penalty"].value == pytest.approx(0.770073, abs=1e-6)


def test_statics_in_lead_is_a_forward_difference():
    m = PenalizingAtrocities()
    e = m.comparative_statics(wrt="decisive_lead", of="expected_war_duration")
    up = PenalizingAtrocities(decisive_lead=3).solve().expected_war_duration
    assert e.value == pytest.approx(up - m.solve().expected_war_duration)
    assert e.sign == "positive"  # E rises with n
    fd, _ = m.finite_difference("expected_war_duration", "decisive_lead")
    assert fd == pytest.approx(e.value)


def test_per_battle_and_forms_are_numeric():
    m = PenalizingAtrocities(atrocity_cost=0.025, aid_to_rebels=2.0, cost_timing="per_battle")
    assert not m.has_closed_form and not m.vectorised
    eq = m.solve()
    assert eq.method == "numeric"
    assert eq.atrocity_intensity == pytest.approx(1.5, abs=1e-6)
    with pytest.raises(NotImplementedError):
        m.solve(method="closed_form")
    with pytest.raises(ValueError, match="cost_timing"):
        PenalizingAtrocities(cost_timing="daily")
    f = PenalizingAtrocities(forms={"harm_per_battle": "atrocity_harm*a**2"})
    assert f.solve().method == "numeric"


def test_declared_tool_levers():
    from atrogame import tools

    m = PenalizingAtrocities()
    assert set(m.tool_levers()) == set(LEVERS)
    assert set(tools.get("support_to_armed_groups").levers_for(m)) == {"aid_to_rebels"}
    assert set(tools.get("peace_operations").levers_for(m)) == {"atrocity_effectiveness", "atrocity_harm"}
    for tool in NOT_REPRESENTED:
        assert not tools.get(tool).levers_for(m)
    assert m.harm_outcome() == ("expected_atrocities", 1)
    assert set(m.headline_outcomes()) == {"p_war", "expected_atrocities", "expected_war_duration"}


def test_levers_follow_the_catalogue_names():
    params = set(PenalizingAtrocities.Params.names())
    for tool, moves in LEVERS.items():
        for name, direction in moves:
            assert name in params and direction in (1, -1), tool
    assert LEVERS["support_to_armed_groups"] == (("aid_to_rebels", 1),)
    assert ("atrocity_penalty", 1) in LEVERS["targeted_sanctions"]
    assert not set(LEVERS) & set(NOT_REPRESENTED)


def test_citation_and_predicates():
    assert PenalizingAtrocities.citation == "after Kydd (2022)"
    assert "10.1017/S0020818322000078" in PenalizingAtrocities.reference
    assert PenalizingAtrocities(cost_uncertainty=0.8, atrocity_harm=0.04).predicates()["corner_penalty_backfire"]
    assert PenalizingAtrocities(**SPEC_T["T12"][0]).predicates()["intense_atrocities"]


def test_sensitivity_skips_the_integer_lead():
    assert "decisive_lead" not in PenalizingAtrocities().sensitivity_parameters()
    assert "decisive_lead" not in PenalizingAtrocities().default_priors()
