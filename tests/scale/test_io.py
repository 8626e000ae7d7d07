"""Exports: CSV/Parquet/netCDF of sweeps and samples, streamed when lazy, atomic when interrupted."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
import xarray as xr

from atrogame.io import to_dataframe, write_dataset
from atrogame.testing.models import Ishigami
from atrogame.testing.models import Toy


def _leftovers(folder):
    return sorted(p.name for p in folder.iterdir())


@pytest.mark.parametrize("suffix", [".csv", ".parquet", ".nc"])
def test_roundtrip_eager_and_lazy(tmp_path, suffix):
    eager = Toy().sample(["benefit", "threshold"], n=100, seed=1)
    lazy = Toy().sample(["benefit", "threshold"], n=100, seed=1, chunks=30)
    a = write_dataset(eager, tmp_path / f"a{suffix}")
    b = write_dataset(lazy, tmp_path / f"b{suffix}")
    if suffix == ".nc":
        got = xr.open_dataset(b).load()
        xr.testing.assert_identical(got, eager)
        assert got.attrs["seed"] == 1 and json.loads(got.attrs["parameters"]) == {"curvature": 1.0}
        return
    read = (lambda p: pd.read_csv(p, comment="#")) if suffix == ".csv" else pd.read_parquet
    da, db = read(a), read(b)
    pd.testing.assert_frame_equal(da, db)
    ref = to_dataframe(eager)
    assert list(da.columns) == list(ref.columns) and len(da) == 100
    np.testing.assert_allclose(da["x"], ref["x"])
    assert set(da["regime"]) <= {"corner", "interior"}
    if suffix == ".csv":
        assert a.read_text().splitlines()[0] == "# model: toy"
    else:
        import pyarrow.parquet as pq

        meta = json.loads(pq.read_schema(b).metadata[b"atrogame"])
        assert meta["design"] == "random" and meta["seed"] == "1"
    assert _leftovers(tmp_path) == sorted([a.name, b.name])


def test_to_dataframe_decodes_undefined_regime():
    ds = Toy().sweep(benefit=[1.0, 2.0])
    ds["regime"].values[0] = -1
    assert to_dataframe(ds)["regime"].tolist() == ["undefined", "interior"]


@pytest.mark.parametrize("suffix", [".csv", ".parquet", ".nc"])
def test_interrupted_export_leaves_no_partial_or_temp_file(tmp_path, suffix, monkeypatch):
    ds = Ishigami().sweep(x1=np.linspace(-3, 3, 50), x2=[0.0, 1.0])
    target = tmp_path / f"out{suffix}"

    def boom(*args, **kwargs):
        path = next((a for a in args if hasattr(a, "write_text") or isinstance(a, str)), None) or kwargs.get("path")
        if path is not None:  # write a partial file first, as a crash mid-write would
            with open(path, "wb") as fh:
                fh.write(b"partial")
        elif args and hasattr(args[0], "write"):
            args[0].write("partial,")
        raise KeyboardInterrupt("interrupted mid-write")

    if suffix == ".csv":
        monkeypatch.setattr(pd.DataFrame, "to_csv", lambda self, fh, **kw: boom(fh))
    elif suffix == ".parquet":
        import pyarrow.parquet as pq

        monkeypatch.setattr(pq.ParquetWriter, "write_table", lambda self, table: boom())
    else:
        monkeypatch.setattr(xr.Dataset, "to_netcdf", lambda self, p, *a, **k: boom(p))
    with pytest.raises(KeyboardInterrupt):
        write_dataset(ds, target)
    assert _leftovers(tmp_path) == []


def test_failure_in_a_lazy_block_keeps_the_previous_file(tmp_path):
    class Breaks(Ishigami):
        def _kernel(self, v):
            if np.max(v["x1"]) > 2:
                raise FloatingPointError("kernel blew up in the last block")
            return super()._kernel(v)

    target = tmp_path / "sweep.csv"
    target.write_text("previous results\n")
    lazy = Breaks().sweep(x1=np.linspace(-3, 3, 60), x2=[0.0, 1.0], chunks={"x1": 10})
    with pytest.raises(FloatingPointError):
        write_dataset(lazy, target)  # the first blocks were already written to the temp file
    assert target.read_text() == "previous results\n"
    assert _leftovers(tmp_path) == ["sweep.csv"]


def test_bad_format_and_zarr_message(tmp_path):
    ds = Toy().sweep(benefit=[1.0])
    with pytest.raises(ValueError, match="output format"):
        write_dataset(ds, tmp_path / "x.xlsx")
    try:
        import zarr  # noqa: F401
    except ImportError:
        with pytest.raises(ImportError, match="zarr"):
            write_dataset(ds, tmp_path / "x.zarr")
    else:
        write_dataset(ds, tmp_path / "x.zarr")
        xr.testing.assert_identical(xr.open_zarr(tmp_path / "x.zarr").load(), ds)
    assert _leftovers(tmp_path) == (["x.zarr"] if (tmp_path / "x.zarr").exists() else [])
