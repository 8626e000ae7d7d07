"""Chunked (dask) sweeps and samples equal the in-memory ones, on threads and on a LocalCluster."""

from __future__ import annotations

import pickle
import subprocess
import sys

import numpy as np
import pytest
import xarray as xr

from atrogame.testing.models import Ishigami
from atrogame.testing.models import Toy
from atrogame.engine import auto_points

from ._models import available_models, random_priors

GRID = {"x1": np.linspace(-3, 3, 13), "x2": np.linspace(-2, 2, 7), "x3": np.linspace(-1, 3, 5)}


@pytest.mark.parametrize("chunks", [{"x1": 4}, {"x1": 5, "x2": 3, "x3": 2}, 7, "auto"])
def test_chunked_sweep_equals_in_memory(chunks):
    eager = Ishigami().sweep(**GRID)
    lazy = Ishigami().sweep(**GRID, chunks=chunks)
    assert lazy["y"].chunks is not None
    xr.testing.assert_identical(lazy.compute(scheduler="threads"), eager)


@pytest.mark.parametrize("method", ["random", "latin", "sobol"])
def test_chunked_sample_equals_in_memory(method):
    eager = Ishigami().sample(["x1", "x2", "x3"], n=1024, seed=9, method=method)
    for chunks in (128, {"sample": 333}):
        lazy = Ishigami().sample(["x1", "x2", "x3"], n=1024, seed=9, method=method, chunks=chunks)
        xr.testing.assert_identical(lazy.compute(scheduler="threads"), eager)


@pytest.mark.parametrize(("mid", "model"), available_models(), ids=[m for m, _ in available_models()])
def test_chunked_sample_each_model(mid, model):
    priors = random_priors(model, 3)
    try:
        eager = model.sample(priors, n=200, seed=3)
    except Exception:
        pytest.skip(f"{mid}: priors violate a constraint")
    lazy = model.sample(priors, n=200, seed=3, chunks=64)
    xr.testing.assert_identical(lazy.compute(scheduler="threads"), eager)


def test_auto_chunks_bound_the_block_size_and_graph_pickles():
    lazy = Ishigami().sweep(x1=np.linspace(-3, 3, 400), x2=np.linspace(-3, 3, 400), x3=np.linspace(-3, 3, 40))
    assert lazy["y"].chunks is None  # eager without chunks
    lazy = Ishigami().sweep(x1=np.linspace(-3, 3, 400), x2=np.linspace(-3, 3, 400), x3=np.linspace(-3, 3, 40),
                            chunks="auto")
    largest = max(np.prod([max(c) for c in lazy["y"].chunks]), 1)
    assert largest <= auto_points(3) and lazy["y"].data.npartitions > 1
    graph = dict(lazy["y"].data.__dask_graph__())
    pickle.loads(pickle.dumps(graph))  # plain pickle: model class + state, no compiled functions


def test_eager_paths_do_not_need_dask():
    # xarray itself loads dask when it is installed, so hide it: eager runs must still work,
    # and chunks= must say which extra to install.
    code = ("import sys; sys.modules['dask'] = None\n"
            "from atrogame.testing.models import Toy\n"
            "Toy().sweep(benefit=[1, 2]); Toy().sample(['benefit'], n=4, seed=0)\n"
            "Toy().sensitivity('x', n=64, seed=0, second_order=False)\n"
            "try:\n    Toy().sweep(benefit=[1, 2], chunks=1)\nexcept ImportError as e:\n    print(e)\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert 'pip install "atrogame[parallel]"' in out.stdout


@pytest.mark.slow  # ~7 s on an idle 2-core machine, > 30 s on a loaded one
def test_local_cluster_equals_in_memory():
    from distributed import Client, LocalCluster

    eager_grid = Ishigami().sweep(**GRID)
    eager_sample = Toy().sample(["benefit", "threshold"], n=512, seed=2, method="sobol")
    with LocalCluster(n_workers=2, threads_per_worker=1, host="127.0.0.1", processes=True,
                      dashboard_address=None) as cluster, Client(cluster) as client:
        grid = Ishigami().sweep(**GRID, chunks={"x1": 4}, client=client)
        sample = Toy().sample(["benefit", "threshold"], n=512, seed=2, method="sobol", client=client)
        default = Ishigami().sweep(**GRID, client=client)  # client alone implies chunks="auto"
        xr.testing.assert_identical(grid.compute(), eager_grid)
        xr.testing.assert_identical(sample.compute(), eager_sample)
        xr.testing.assert_identical(default.compute(), eager_grid)
        si = Ishigami().sensitivity("y", n=256, seed=1, second_order=False, client=client)
    assert si.to_dataframe().equals(Ishigami().sensitivity("y", n=256, seed=1, second_order=False).to_dataframe())


def test_model_with_compiled_forms_ships_by_class_and_parameters():
    ks = pytest.importorskip("atrogame.models.kydd_straus")
    m = ks.KyddStraus(forms={"harm": "atrocity_harm*a**2"}, intervention_commitment=0.3)
    eq = m.solve()  # compiles (and caches) the forms on the instance
    from atrogame.engine import ModelRef

    rebuilt = pickle.loads(pickle.dumps(ModelRef(m))).build()
    assert type(rebuilt) is type(m) and rebuilt.params == m.params and not rebuilt.vectorised
    assert rebuilt.solve().p_war == pytest.approx(eq.p_war, rel=1e-12)
    eq.p_war  # noqa: B018  (the original instance still works)
    assert m.solve().p_war == eq.p_war
