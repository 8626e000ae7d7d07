"""Sweeps and samples: vectorised = per-point solve, reproducible designs, attrs, validation."""

from __future__ import annotations

import json
import warnings

import numpy as np
import pytest
from scipy import stats

from atrogame import ParameterError
from atrogame.sampling import unit_design
from atrogame.testing.models import Ishigami, Toy

from ._models import available_models, random_priors

MODELS = available_models()


@pytest.mark.parametrize(("mid", "model"), MODELS, ids=[m for m, _ in MODELS])
def test_sample_equals_per_point_solve(mid, model, rng):
    priors = random_priors(model, 4)
    try:
        ds = model.sample(priors, n=40, seed=int(rng.integers(1000)))
    except ParameterError:  # joint constraints: fall back to two parameters
        priors = dict(list(priors.items())[:2])
        ds = model.sample(priors, n=40, seed=int(rng.integers(1000)))
    names = list(priors)
    for i in rng.choice(40, size=8, replace=False):
        point = {k: float(ds[k].values[i]) for k in names}
        eq = model.with_params(**point).solve()
        for w in model.outcome_names:
            np.testing.assert_allclose(ds[w].values[i], eq[w], rtol=1e-9, atol=1e-12, err_msg=f"{mid} {w} {point}")
        assert model.regime_label(ds["regime"].values[i]) == eq.regime


@pytest.mark.parametrize(("mid", "model"), MODELS, ids=[m for m, _ in MODELS])
def test_sweep_equals_per_point_solve(mid, model, rng):
    priors = random_priors(model, 2)
    grid = {k: np.sort(rng.uniform(lo, hi, size=4)) for k, (lo, hi) in priors.items()}
    try:
        ds = model.sweep(**grid)
    except ParameterError:
        pytest.skip(f"{mid}: random grid violates a joint constraint")
    a, b = list(grid)
    for i, j in [(0, 0), (1, 3), (3, 2), (2, 1)]:
        eq = model.with_params(**{a: grid[a][i], b: grid[b][j]}).solve()
        for w in model.outcome_names:
            np.testing.assert_allclose(ds[w].values[i, j], eq[w], rtol=1e-9, atol=1e-12)
        assert model.regime_label(ds["regime"].values[i, j]) == eq.regime


@pytest.mark.parametrize("method", ["random", "latin", "sobol"])
def test_designs_are_reproducible_and_differ_across_seeds(method):
    pri = {"benefit": (0.5, 3.0), "threshold": (0.0, 2.0)}
    a = Toy().sample(pri, n=64, seed=11, method=method)
    b = Toy().sample(pri, n=64, seed=11, method=method)
    c = Toy().sample(pri, n=64, seed=12, method=method)
    assert a.identical(b)
    assert not np.allclose(a["benefit"].values, c["benefit"].values)
    assert a["benefit"].min() >= 0.5 and a["benefit"].max() <= 3.0
    assert a.attrs["design"] == method and a.attrs["seed"] == 11 and a.attrs["n"] == 64


def test_design_properties():
    n = 50
    lhs = unit_design("latin", 3, n, seed=0)
    for j in range(3):  # one point in each of the n strata of every column
        assert sorted(np.floor(lhs[:, j] * n).astype(int).tolist()) == list(range(n))
    sob = unit_design("sobol", 2, 64, seed=0)
    for j in range(2):  # balanced: 8 points in each eighth
        assert np.bincount(np.floor(sob[:, j] * 8).astype(int), minlength=8).tolist() == [8] * 8
    whole = unit_design("random", 3, 100, seed=5)
    np.testing.assert_array_equal(unit_design("random", 3, 100, seed=5, start=37, stop=81), whole[37:81])
    whole = unit_design("sobol", 3, 128, seed=5)
    np.testing.assert_array_equal(unit_design("sobol", 3, 128, seed=5, start=64, stop=100), whole[64:100])


def test_seed_none_is_recorded_and_replays():
    pri = {"benefit": (0.5, 3.0)}
    a = Toy().sample(pri, n=16)
    b = Toy().sample(pri, n=16, seed=a.attrs["seed"])
    assert a.identical(b)
    assert Toy().sample(pri, n=16, seed=np.random.default_rng(3)).identical(
        Toy().sample(pri, n=16, seed=np.random.default_rng(3)))


def test_scipy_priors_use_the_ppf():
    uni = Toy().sample({"benefit": stats.uniform(1.0, 2.0)}, n=32, seed=4)
    tup = Toy().sample({"benefit": (1.0, 3.0)}, n=32, seed=4)
    np.testing.assert_allclose(uni["benefit"].values, tup["benefit"].values, rtol=1e-14)
    beta = Toy().sample({"threshold": stats.beta(2, 5, scale=4)}, n=4096, seed=4, method="sobol")
    assert beta["threshold"].mean() == pytest.approx(4 * 2 / 7, rel=5e-3)
    assert "beta(2, 5, scale=4)" in json.loads(beta.attrs["priors"])["threshold"]


def test_sample_dataset_layout_and_attrs():
    ds = Toy(curvature=2.0).sample(["benefit", "threshold"], n=10, seed=0, method="latin")
    assert set(ds.coords) == {"sample", "benefit", "threshold"}
    assert set(ds.data_vars) == {"x", "welfare", "regime"}
    assert ds["regime"].dtype == np.int8 and ds["regime"].attrs["flag_meanings"] == "corner interior"
    assert json.loads(ds.attrs["parameters"]) == {"curvature": 2.0}
    assert ds.attrs["model"] == "toy" and ds.attrs["atrogame_version"]
    assert json.loads(ds.attrs["priors"]) == {"benefit": "uniform(0.1, 5)", "threshold": "uniform(0, 5)"}
    np.testing.assert_allclose(ds["x"], np.maximum(0, (ds["benefit"] - ds["threshold"]) / 2))


def test_sample_validation():
    with pytest.raises(TypeError, match="unknown parameter 'bogus'"):
        Toy().sample({"bogus": (0, 1)}, n=4)
    with pytest.raises(ParameterError, match="curvature must be in"):
        Toy().sample({"curvature": (-1, 1)}, n=4)
    with pytest.raises(ParameterError, match="threshold"):
        Toy().sample({"threshold": stats.norm(0, 1)}, n=4)
    with pytest.raises(ValueError, match="method must be"):
        Toy().sample({"benefit": (1, 2)}, n=4, method="grid")
    with pytest.raises(ValueError, match="n must be"):
        Toy().sample({"benefit": (1, 2)}, n=0)
    with pytest.warns(UserWarning, match="power of 2"):
        Toy().sample({"benefit": (1, 2)}, n=10, method="sobol")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        Toy().sample({"benefit": (1, 2)}, n=16, method="sobol")


def test_large_closed_form_sweep_is_one_vectorised_call(monkeypatch):
    calls = []
    orig = Ishigami.kernel

    def counting(self, v):
        calls.append(1)
        return orig(self, v)

    monkeypatch.setattr(Ishigami, "kernel", counting)
    ds = Ishigami().sweep(x1=np.linspace(-3, 3, 100), x2=np.linspace(-3, 3, 100), x3=np.linspace(-3, 3, 100))
    assert len(calls) == 1 and ds["y"].shape == (100, 100, 100)
    Ishigami().sample(["x1", "x2"], n=10_000, seed=0)
    assert len(calls) == 2


def test_threaded_evaluation_equals_one_call(monkeypatch):
    from atrogame import engine as sampling

    grid = {"x1": np.linspace(-3, 3, 90), "x2": np.linspace(-3, 3, 70), "x3": np.linspace(-3, 3, 50)}
    one = Ishigami().sweep(**grid)
    monkeypatch.setattr(sampling, "THREADS", 3)
    monkeypatch.setattr(sampling, "PARALLEL_MIN_POINTS", 1000)
    calls = []
    orig = Ishigami.kernel
    monkeypatch.setattr(Ishigami, "kernel", lambda self, v: calls.append(1) or orig(self, v))
    threaded = Ishigami().sweep(**grid)
    assert len(calls) > 1  # really split
    assert threaded.identical(one)
    s1 = Toy().sample(["benefit", "threshold"], n=5000, seed=1)
    monkeypatch.setattr(sampling, "THREADS", 1)
    assert Toy().sample(["benefit", "threshold"], n=5000, seed=1).identical(s1)
