"""Models solved point by point: failed points are NaN *and* recorded, never silent."""

from __future__ import annotations

import json
import warnings

import numpy as np
import pytest

from atrogame.engine import PointFailureWarning

from ._models import FailingToy


def test_sweep_records_every_failure_once():
    b = np.array([1.0, 2.5, 3.5, 4.0])
    with pytest.warns(PointFailureWarning, match=r"4 of 8 points failed \(4× RuntimeError\)") as rec:
        ds = FailingToy().sweep(benefit=b, threshold=[0.0, 1.0], progress=False)
    assert len(rec) == 1
    failed = ds["failed"].values.astype(bool)
    np.testing.assert_array_equal(failed, np.repeat(b > 3, 2).reshape(4, 2))
    assert np.isnan(ds["x"].values[failed]).all() and np.isfinite(ds["x"].values[~failed]).all()
    assert (ds["regime"].values[failed] == -1).all()
    np.testing.assert_allclose(ds["x"].values[~failed], np.maximum(0, b[:2, None] - [0.0, 1.0]).ravel())
    recs = json.loads(ds.attrs["failures"])
    assert ds.attrs["n_failed"] == 4 and len(recs) == 4
    assert {r["point"]["benefit"] for r in recs} == {3.5, 4.0}
    assert all(r["error"].startswith("RuntimeError: no convergence") for r in recs)
    assert [tuple(r["index"]) for r in recs] == [(2, 0), (2, 1), (3, 0), (3, 1)]


def test_sample_and_evaluate_record_failures():
    with pytest.warns(PointFailureWarning) as rec:
        ds = FailingToy().sample({"benefit": (1.0, 5.0)}, n=50, seed=1, progress=False)
    assert len(rec) == 1
    bad = ds["benefit"].values > 3
    assert bad.any() and (ds["failed"].values.astype(bool) == bad).all()
    assert np.isnan(ds["x"].values[bad]).all()
    assert len(json.loads(ds.attrs["failures"])) == bad.sum()
    X = np.array([[1.0], [4.0]])
    with pytest.warns(PointFailureWarning, match="1 of 2 points failed"):
        y = FailingToy().evaluate(X, ["benefit"], "x")
    assert y[0] == 0.0 and np.isnan(y[1])


def test_no_failures_no_warning_and_progress_bar(capsys):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        ds = FailingToy().sweep(benefit=[1.0, 2.0], progress=True)
    assert ds.attrs["n_failed"] == 0 and json.loads(ds.attrs["failures"]) == []
    assert "toy: solving" in capsys.readouterr().err
    FailingToy().sweep(benefit=[1.0, 2.0])  # stderr is not a terminal under pytest: no bar
    assert capsys.readouterr().err == ""


def test_chunked_pointwise_flags_failures():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PointFailureWarning)
        eager = FailingToy().sweep(benefit=[1.0, 2.5, 3.5, 4.0], threshold=[0.0, 1.0], progress=False)
    lazy = FailingToy().sweep(benefit=[1.0, 2.5, 3.5, 4.0], threshold=[0.0, 1.0], chunks={"benefit": 3})
    assert "failed" in lazy.attrs["failures"]
    got = lazy.compute(scheduler="threads")
    np.testing.assert_array_equal(got["failed"].values, eager["failed"].values)
    np.testing.assert_array_equal(got["x"].values, eager["x"].values)
    np.testing.assert_array_equal(got["regime"].values, eager["regime"].values)
