"""Writing sweep and sample results: CSV (with a ``#`` provenance header), netCDF, Parquet, Zarr.

Every writer is atomic: it writes a temporary file in the target folder and renames
it into place, so an interrupted run never leaves a half-written file that looks
complete, nor a stray temporary file. Lazy (dask-backed) Datasets from
``sweep(..., chunks=...)``/``sample(..., chunks=...)`` are streamed: netCDF and Zarr
write chunk by chunk, CSV and Parquet one block of the first dimension at a time, so
memory stays bounded by a block.

Examples
--------
>>> import tempfile, pathlib, numpy as np, atrogame as ag
>>> ds = ag.KyddStraus().sweep(intervention_commitment=np.linspace(0, 1, 3))
>>> d = pathlib.Path(tempfile.mkdtemp())
>>> write_dataset(ds, d / "s.csv").name
's.csv'
>>> (d / "s.csv").read_text().splitlines()[0]
'# model: kydd_straus'
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

FORMATS = (".csv", ".nc", ".parquet", ".zarr")


def atomic_write(path: str | os.PathLike[str], write: Callable[[Path], object]) -> Path:
    """Call ``write(tmp_path)`` (return value ignored), then rename ``tmp_path`` onto ``path``; clean up on failure.

    The temporary file lives in the target's folder (created if missing), so the final
    rename is atomic; if ``write`` raises, neither the target nor the temporary file
    is left behind and an existing target is untouched.

    Examples
    --------
    >>> import tempfile
    >>> d = Path(tempfile.mkdtemp())
    >>> atomic_write(d / "out" / "note.txt", lambda p: p.write_text("hello")).read_text()
    'hello'
    >>> def fail(p):
    ...     raise RuntimeError("disk full")
    >>> atomic_write(d / "out" / "note.txt", fail)
    Traceback (most recent call last):
    ...
    RuntimeError: disk full
    >>> [p.name for p in (d / "out").iterdir()], (d / "out" / "note.txt").read_text()
    (['note.txt'], 'hello')
    """
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent)
    os.close(fd)
    tmp_path = Path(tmp)
    try:
        write(tmp_path)
        os.replace(tmp_path, target)
    except BaseException:
        tmp_path.unlink(missing_ok=True)
        raise
    return target


def to_dataframe(ds: Any) -> Any:
    """A tidy ``pandas.DataFrame``: one row per grid point or sample, regime codes decoded to labels.

    Examples
    --------
    >>> from atrogame.testing.models import Toy
    >>> to_dataframe(Toy().sweep(benefit=[0.5, 2.0]))[["benefit", "x", "regime"]].values.tolist()
    [[0.5, 0.0, 'corner'], [2.0, 1.0, 'interior']]
    """
    import numpy as np

    df = ds.to_dataframe().reset_index()
    if "regime" in ds and "flag_meanings" in ds["regime"].attrs:
        names = np.asarray([*ds["regime"].attrs["flag_meanings"].split(), "undefined"], dtype=object)
        codes = df["regime"].to_numpy(dtype=int)
        df["regime"] = names[np.where(codes < 0, len(names) - 1, codes)]
    return df


def _blocks(ds: Any) -> Any:
    """Slices of ``ds`` along its first dimension, one per dask chunk (all of it when eager)."""
    if not ds.chunks:
        yield ds
        return
    dim = next(iter(ds.sizes))
    start = 0
    for size in ds.chunks.get(dim, (ds.sizes[dim],)):
        yield ds.isel({dim: slice(start, start + size)}).compute()
        start += size


def write_dataset(ds: Any, path: str | os.PathLike[str]) -> Path:
    """Write a sweep or sample Dataset to ``.csv``, ``.nc``, ``.parquet`` or ``.zarr`` (by suffix), atomically.

    Lazy (dask-backed) Datasets are streamed block by block. An exception while
    writing (including one raised by the model in a lazy block) leaves neither the
    target nor a temporary file behind; an existing target is only replaced once the
    new file is complete.

    Examples
    --------
    >>> import tempfile
    >>> from atrogame.testing.models import Toy
    >>> d = Path(tempfile.mkdtemp())
    >>> path = write_dataset(Toy().sweep(benefit=[0.5, 2.0]), d / "toy.csv")
    >>> path.read_text().splitlines()[-3:]
    ['benefit,x,welfare,regime', '0.5,0.0,0.0,corner', '2.0,1.0,1.5,interior']
    >>> write_dataset(Toy().sweep(benefit=[1.0]), d / "toy.xlsx")
    Traceback (most recent call last):
    ...
    ValueError: output format must be one of .csv, .nc, .parquet, .zarr; got 'toy.xlsx'
    """
    target = Path(path)
    suffix = target.suffix.lower()
    if suffix not in FORMATS:
        raise ValueError(f"output format must be one of {', '.join(FORMATS)}; got {target.name!r}")
    if suffix == ".nc":
        return atomic_write(target, lambda p: ds.to_netcdf(p))
    if suffix == ".zarr":
        return _write_zarr(ds, target)
    if suffix == ".parquet":
        meta = {k: str(v) for k, v in ds.attrs.items()}

        def write_parquet(p: Path) -> None:
            import pyarrow as pa
            import pyarrow.parquet as pq

            writer = None
            try:
                for block in _blocks(ds):
                    table = pa.Table.from_pandas(to_dataframe(block), preserve_index=False)
                    if writer is None:
                        md = dict(table.schema.metadata or {})
                        md[b"atrogame"] = json.dumps(meta).encode()
                        writer = pq.ParquetWriter(p, table.schema.with_metadata(md))
                    writer.write_table(table.replace_schema_metadata(writer.schema.metadata))
            finally:
                if writer is not None:
                    writer.close()

        return atomic_write(target, write_parquet)

    def write_csv(p: Path) -> None:
        with open(p, "w", encoding="utf-8", newline="") as fh:
            for k, v in ds.attrs.items():
                fh.write(f"# {k}: {v}\n")
            for i, block in enumerate(_blocks(ds)):
                to_dataframe(block).to_csv(fh, index=False, header=i == 0)

    return atomic_write(target, write_csv)


def _write_zarr(ds: Any, target: Path) -> Path:
    """Write a Zarr store into a temporary folder, then move it into place."""
    import shutil

    try:
        import zarr  # noqa: F401
    except ImportError:
        raise ImportError('writing .zarr needs zarr: pip install "atrogame[parallel]" zarr') from None
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent))
    try:
        store = tmp / "store.zarr"
        ds.to_zarr(store, mode="w")
        old = None
        if target.exists():
            old = tmp / "previous"
            os.replace(target, old)
        os.replace(store, target)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return target
