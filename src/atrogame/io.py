"""Writing sweep results: CSV (with a ``#`` provenance header), netCDF and Parquet.

Every writer is atomic: it writes a temporary file in the target folder and renames
it into place, so an interrupted run never leaves a half-written file that looks
complete.

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

FORMATS = (".csv", ".nc", ".parquet")


def atomic_write(path: str | os.PathLike[str], write: Callable[[Path], None]) -> Path:
    """Call ``write(tmp_path)`` then rename ``tmp_path`` onto ``path``; clean up on failure."""
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
    """A tidy ``pandas.DataFrame``: one row per grid point, regime codes decoded to labels."""
    df = ds.to_dataframe().reset_index()
    if "regime" in ds and "flag_meanings" in ds["regime"].attrs:
        names = ds["regime"].attrs["flag_meanings"].split()
        df["regime"] = [names[int(c)] if int(c) >= 0 else "undefined" for c in df["regime"]]
    return df


def write_dataset(ds: Any, path: str | os.PathLike[str]) -> Path:
    """Write a sweep Dataset to ``.csv``, ``.nc`` or ``.parquet`` (by suffix), atomically."""
    target = Path(path)
    suffix = target.suffix.lower()
    if suffix not in FORMATS:
        raise ValueError(f"output format must be one of {', '.join(FORMATS)}; got {target.name!r}")
    if suffix == ".nc":
        return atomic_write(target, lambda p: ds.to_netcdf(p))
    df = to_dataframe(ds)
    if suffix == ".parquet":
        meta = {k: str(v) for k, v in ds.attrs.items()}

        def write_parquet(p: Path) -> None:
            import pyarrow as pa
            import pyarrow.parquet as pq

            table = pa.Table.from_pandas(df, preserve_index=False)
            md = dict(table.schema.metadata or {})
            md[b"atrogame"] = json.dumps(meta).encode()
            pq.write_table(table.replace_schema_metadata(md), p)

        return atomic_write(target, write_parquet)

    def write_csv(p: Path) -> None:
        with open(p, "w", encoding="utf-8", newline="") as fh:
            for k, v in ds.attrs.items():
                fh.write(f"# {k}: {v}\n")
            df.to_csv(fh, index=False)

    return atomic_write(target, write_csv)
