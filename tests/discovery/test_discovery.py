"""Scenario discovery (PRIM): ground truths the method must recover, recounts, determinism."""

from __future__ import annotations

import functools

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.stats import binom

import atrogame as ag
from atrogame.core.errors import ParameterError
from atrogame.discovery import Box, explain, prim

KS_PARAMS = ("rebel_strength", "imposed_settlement", "intervention_commitment", "atrocity_penalty")
AB_PRIORS = {"substitution_elasticity": (0.2, 4.0), "resources": (50.0, 150.0), "price_rebels": (0.5, 2.0),
             "share_rebels": (0.2, 0.8)}


@functools.cache
def _ab_backfire(seed: int = 0, n: int = 6000):
    return ag.tools.backfire("peace_operations", ag.AndertonBrauer(technology="ces"), AB_PRIORS, n=n, seed=seed)


@functools.cache
def _ks_backfire(seed: int = 0, n: int = 8000):
    m = ag.KyddStraus()
    priors = {p: m.parameter_meta(p)["sweep_range"] for p in KS_PARAMS}
    return ag.tools.backfire("support_to_armed_groups", m, priors, n=n, seed=seed, outcome="p_war")


def _draws(r):
    """The draws the result was computed on (kept by tools.backfire)."""
    assert set(r.draws) == set(r.priors) and all(len(v) == r.n for v in r.draws.values())
    return r.draws


def _recount(box: Box, X: dict, y: np.ndarray) -> tuple[float, float, float]:
    inside = box.contains(X)
    return y[inside].sum() / y.sum(), y[inside].mean(), inside.mean()


# ---------------------------------------------------------------------------- ground truths
def test_ab_productivity_backfire_is_sigma_below_one():
    """Protecting civilians (a_C down) raises civilian attacks exactly when σ < 1.

    See docs/explanation/anderton_brauer.md.
    """
    r = _ab_backfire()
    draws = _draws(r)
    y = r.effects > 0
    # the ground truth itself, on these draws: backfire iff σ < 1
    assert np.array_equal(y, draws["substitution_elasticity"] < 1)
    d = explain(r)
    b = d.boxes[0]
    assert b.restricted == ("substitution_elasticity",)  # no parameter that does not matter
    assert b.sides() == {"substitution_elasticity": "upper"}
    assert abs(b.limits["substitution_elasticity"][1] - 1.0) <= 0.05
    assert b.density >= 0.95
    assert b.coverage >= 0.9
    assert b.qp_values["substitution_elasticity"] < 1e-10
    assert "elasticity of substitution between attack types is below 1" in d.rule()


def test_ks_support_backfires_in_corner_regime():
    """Support to armed groups raises p_war only in the corner regime (weak minority)."""
    m = ag.KyddStraus()
    r = _ks_backfire()
    draws = _draws(r)
    y = r.effects > 1e-9
    d = explain(r)
    b = d.boxes[0]
    assert "rebel_strength" in b.restricted
    assert b.sides()["rebel_strength"] == "upper"
    inside = b.contains(draws)
    X = np.column_stack([draws[p] for p in draws])
    regime = m.evaluate(X, list(draws), "regime").astype(int)
    corner, interior = m.regime_names.index("corner"), m.regime_names.index("interior")
    assert np.all(regime[inside & y] == corner)
    # the ground truth on the whole sample: it raises p_war only in the corner regime and
    # never in the interior, where it mostly lowers it
    assert np.all(regime[y] == corner)
    assert np.all(r.effects[regime == interior] <= 1e-9)
    assert np.mean(r.effects[regime == interior] < 0) > 0.5
    cov, dens, mass = _recount(b, draws, y)
    assert b.coverage == pytest.approx(cov, abs=1e-15)
    assert b.density == pytest.approx(dens, abs=1e-15)
    assert b.mass == pytest.approx(mass, abs=1e-15)
    assert (b.n, b.n_events) == (int(inside.sum()), int((inside & y).sum()))
    # the rule names the parameter by its long name
    assert "rebel strength (minority win probability" in d.rule()


@pytest.mark.parametrize("noise", [0.0, 0.02])
def test_synthetic_box_in_five_dimensions(noise):
    rng = np.random.default_rng(7)
    n = 20_000
    X = {k: rng.random(n) for k in "abcde"}
    y = (X["b"] < 0.4) & (X["d"] > 0.55)
    y ^= rng.random(n) < noise
    d = explain(X, y)
    b = d.boxes[0]
    assert b.restricted == ("b", "d")
    assert b.sides() == {"b": "upper", "d": "lower"}
    assert abs(b.limits["b"][1] - 0.4) < 0.02
    assert abs(b.limits["d"][0] - 0.55) < 0.02
    for k in "ace":
        assert k not in b.restricted
    if noise == 0:  # exact up to the granularity of one peel
        assert b.density >= 0.98 and b.coverage >= 0.98


def test_two_disjoint_boxes_are_covered_one_after_the_other():
    rng = np.random.default_rng(3)
    n = 20_000
    X = {k: rng.random(n) for k in "abc"}
    y = (X["a"] < 0.2) | ((X["a"] > 0.6) & (X["c"] > 0.8))
    d = explain(X, y, max_boxes=3)
    assert len(d.boxes) >= 2
    assert d.boxes[0].restricted == ("a",) and d.boxes[0].sides() == {"a": "upper"}
    assert set(d.boxes[1].restricted) == {"a", "c"}
    assert d.boxes[0].coverage + d.boxes[1].coverage == pytest.approx(1.0, abs=0.02)


# ---------------------------------------------------------------------------- oracles
def test_quasi_p_values_are_the_binomial_tail_of_the_relaxed_box():
    rng = np.random.default_rng(11)
    n = 5000
    X = {k: rng.random(n) for k in "xyz"}
    y = ((X["x"] < 0.5) & (rng.random(n) < 0.8)) | (rng.random(n) < 0.1)
    d = explain(X, y, prune=None)
    b = d.boxes[0]
    for p in b.restricted:
        relaxed = Box(limits={q: b.limits[q] for q in b.limits if q != p} | {p: (-np.inf, np.inf)},
                      restricted=tuple(q for q in b.restricted if q != p), coverage=0, density=0, mass=0, n=0,
                      n_events=0)
        inside_relaxed = relaxed.contains(X)
        expected = binom.sf(b.n_events - 1, b.n, y[inside_relaxed].mean())
        assert b.qp_values[p] == pytest.approx(expected, rel=1e-9, abs=1e-300)


def test_trajectory_numbers_equal_a_recount_at_every_step():
    rng = np.random.default_rng(5)
    n = 3000
    X = {k: rng.random(n) for k in "pq"}
    y = (X["p"] + X["q"] > 1.3)
    d = explain(X, y, max_boxes=1)
    traj = d.trajectories[0]
    for step in range(0, len(traj), 7):
        row = traj.iloc[step]
        inside = np.ones(n, dtype=bool)
        for k in "pq":
            inside &= (X[k] >= row[f"{k}_lower"]) & (X[k] <= row[f"{k}_upper"])
        assert row["n"] == inside.sum() and row["n_events"] == y[inside].sum()
        assert row["coverage"] == pytest.approx(y[inside].sum() / y.sum())
    # densities rise along the trajectory overall, and mass falls step by step
    assert traj["density"].iloc[-1] > traj["density"].iloc[0]
    assert np.all(np.diff(traj["mass"]) < 0)
    assert traj["mass"].iloc[-1] >= 0.05


def test_inspect_gives_the_box_of_any_step():
    rng = np.random.default_rng(1)
    X = {k: rng.random(2000) for k in "uv"}
    y = X["u"] > 0.7
    d = explain(X, y)
    step = d.selected[0] - 3
    b = d.inspect(step)
    row = d.trajectories[0].iloc[step]
    assert (b.n, b.n_events) == (row["n"], row["n_events"])
    with pytest.raises(ParameterError, match="step"):
        d.inspect(10_000)


@settings(derandomize=True, max_examples=15, deadline=None)
@given(lo=st.floats(0.05, 0.45), width=st.floats(0.3, 0.5), seed=st.integers(0, 2**16))
def test_property_one_dimensional_interval_is_found(lo, width, seed):
    rng = np.random.default_rng(seed)
    x = rng.random(4000)
    y = (x >= lo) & (x <= lo + width)
    d = explain({"x": x, "noise": rng.random(4000)}, y)
    b = d.boxes[0]
    assert b.restricted == ("x",)
    assert abs(b.limits["x"][0] - lo) < 0.03 and abs(b.limits["x"][1] - (lo + width)) < 0.03
    cov, dens, _ = _recount(b, {"x": x, "noise": x}, y)
    assert (b.coverage, b.density) == pytest.approx((cov, dens))


# ---------------------------------------------------------------------------- determinism, inputs
def test_same_seed_same_boxes():
    a = explain(ag.tools.backfire("support_to_armed_groups", ag.KyddStraus(),
                                  {p: ag.KyddStraus().parameter_meta(p)["sweep_range"] for p in KS_PARAMS},
                                  n=3000, seed=4, outcome="p_war"))
    b = explain(ag.tools.backfire("support_to_armed_groups", ag.KyddStraus(),
                                  {p: ag.KyddStraus().parameter_meta(p)["sweep_range"] for p in KS_PARAMS},
                                  n=3000, seed=4, outcome="p_war"))
    assert a.boxes == b.boxes
    assert a.selected == b.selected
    assert a.trajectories[0].equals(b.trajectories[0])


def test_sample_dataset_with_regime_event_and_dask_agree():
    pytest.importorskip("dask")
    m = ag.KyddStraus()
    priors = {p: m.parameter_meta(p)["sweep_range"] for p in KS_PARAMS}
    ds = m.sample(priors, n=4000, seed=3)
    d = explain(ds, "regime == corner")
    lazy = m.sample(priors, n=4000, seed=3, chunks=1000)
    d2 = explain(lazy, "regime == corner")
    assert d.boxes == d2.boxes
    b = d.boxes[0]
    assert "rebel_strength" in b.restricted
    corner = np.asarray(ds["regime"].values) == m.regime_names.index("corner")
    cov, dens, _ = _recount(b, {p: ds[p].values for p in KS_PARAMS}, corner)
    assert (b.coverage, b.density) == pytest.approx((cov, dens))
    assert d.event_name == "cases where regime == corner"
    # a numeric threshold on an outcome works the same way
    d3 = explain(ds, "p_war > 0.5")
    assert d3.n_events == int((ds["p_war"].values > 0.5).sum())


def test_dataframe_source_and_table():
    import pandas as pd

    rng = np.random.default_rng(2)
    df = pd.DataFrame({"x": rng.random(3000), "y": rng.random(3000)})
    df["hit"] = (df.x > 0.6).astype(int)
    d = explain(df, "hit", labels={"x": {"long_name": "the x factor", "units": "kg"}})
    assert d.inputs == ("x", "y")
    t = d.to_dataframe()
    assert t.loc[0, "parameter"] == "x" and t.loc[0, "restricts"] == "lower"
    assert "the x factor is above 0.6" in d.rule() and " kg" in d.rule()
    assert repr(d).startswith("<Discovery of cases where hit")


def test_nan_points_are_left_out_and_counted():
    x = np.linspace(0, 1, 1001)
    x[::10] = np.nan
    d = explain({"x": x}, np.nan_to_num(x) > 0.5)
    assert d.n_dropped == 101 and d.n == 900


def test_no_event_gives_no_box():
    d = explain({"x": np.linspace(0, 1, 100)}, np.zeros(100, dtype=bool))
    assert d.boxes == () and "No box found" in d.rule()


@pytest.mark.parametrize(("kw", "name"), [({"alpha": 0.7}, "alpha"), ({"mass_min": 0.0}, "mass_min"),
                                          ({"threshold": 1.5}, "threshold"), ({"prune": -1}, "prune"),
                                          ({"max_boxes": 0}, "max_boxes")])
def test_bad_settings_raise_parameter_error(kw, name):
    with pytest.raises(ParameterError, match=name):
        explain({"x": np.linspace(0, 1, 50)}, np.linspace(0, 1, 50) > 0.5, **kw)


def test_bad_inputs():
    with pytest.raises(TypeError, match="BackfireResult"):
        explain(42, None)
    with pytest.raises(ValueError, match="rows"):
        explain({"x": np.arange(5.0)}, np.ones(4, dtype=bool))
    with pytest.raises(KeyError, match="nope"):
        explain({"x": np.arange(5.0)}, "nope > 1")
    with pytest.raises(NotImplementedError):
        explain(ag.tools.backfire("electoral_assistance", ag.KyddStraus(), n=10, seed=0))


def test_threshold_selects_largest_coverage_at_that_density():
    r = _ab_backfire()
    d = explain(r, threshold=0.8, prune=None)
    traj = d.trajectories[0]
    ok = traj[traj["density"] >= 0.8]
    assert d.selected[0] == ok["coverage"].idxmax()


def test_low_level_prim_matches_explain():
    rng = np.random.default_rng(9)
    X = rng.random((3000, 3))
    y = X[:, 2] < 0.25
    boxes, _, _ = prim(X, y, ["a", "b", "c"])
    assert boxes == list(explain({"a": X[:, 0], "b": X[:, 1], "c": X[:, 2]}, y).boxes)
