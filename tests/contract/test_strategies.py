"""The public hypothesis strategies of atrogame.testing draw valid points of every model."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import atrogame as ag
from atrogame.core.registry import models as registered
from atrogame.testing.strategies import models, parameter_values, parameters

MODELS = sorted(registered().items())


@pytest.mark.parametrize(("mid", "cls"), MODELS, ids=[m for m, _ in MODELS])
def test_drawn_points_are_valid_and_solve_to_finite_headlines(mid, cls):
    m0 = cls()
    heads = m0.headline_outcomes()

    @settings(max_examples=15, derandomize=True, database=None, deadline=None)
    @given(m=models(cls))
    def check(m):
        eq = m.solve()
        for o in heads:
            assert not math.isnan(eq[o]), (mid, o, m)
        for k, v in m.parameter_values().items():
            assert v in m.parameter_meta(k)["interval"]

    check()


@settings(max_examples=30, derandomize=True, database=None, deadline=None)
@given(data=st.data())
def test_full_domain_and_sweep_range(data):
    v = data.draw(parameter_values(ag.KyddStraus, "rebel_strength", domain="full"))
    assert 0 < v < 1
    r = ag.KyddStraus().parameter_meta("resources" if False else "imposed_settlement")["sweep_range"]
    w = data.draw(parameter_values(ag.KyddStraus, "imposed_settlement"))
    assert r[0] <= w <= r[1]


@settings(max_examples=20, derandomize=True, database=None, deadline=None)
@given(pt=parameters(ag.Fearon))
def test_joint_rules_hold_in_drawn_points(pt):
    assert pt["cost_b_high"] > pt["cost_b_low"]


def test_integer_parameters_are_drawn_as_integers():
    m = ag.PenalizingAtrocities()
    ints = [k for k in m.parameter_values() if m.parameter_meta(k).get("integer")]
    assert ints

    @settings(max_examples=10, derandomize=True, database=None, deadline=None)
    @given(v=parameter_values(m, ints[0]))
    def check(v):
        assert v == int(v)

    check()


def test_bad_arguments():
    with pytest.raises(TypeError, match="unknown parameter"):
        parameters(ag.Fearon, ["nope"])
    with pytest.raises(ValueError, match="domain"):
        parameter_values(ag.Fearon, "cost_a", domain="everywhere")
