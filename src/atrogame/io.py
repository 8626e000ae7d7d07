"""Writing sweep and sample results: CSV (with a ``#`` provenance header), netCDF, Parquet, Zarr.

Every writer is atomic: it writes into a private temporary folder next to the target
(``.NAME.XXXXXXXX.part``) and renames the finished file into place, so a failed or
interrupted run never leaves a half-written file that looks complete. Lazy (dask-backed)
Datasets from ``sweep(..., chunks=...)``/``sample(..., chunks=...)`` are streamed: netCDF
and Zarr write chunk by chunk, CSV and Parquet one block of the first dimension at a time,
so memory stays bounded by a block.

What is guaranteed (see docs/how-to/exports.md):

- **Permissions** are those of any new file under the process's umask (e.g. 0644 under
  umask 022); overwriting an existing file keeps that file's permission bits.
- **Any Python exception or Ctrl-C** (``KeyboardInterrupt``) while writing leaves the
  target as it was and no temporary file. Ctrl-C takes effect at the next block: for
  netCDF the write runs in a helper thread (the netCDF/HDF5 library must not be
  interrupted while it holds its lock, which deadlocks), and the main thread returns as
  soon as the block being written is done.
- **A killed process** (``SIGKILL``, power loss) cannot clean up: it leaves its
  ``.NAME.XXXXXXXX.part`` folder (the target itself is never truncated). The next write
  to the same target removes such leftovers, and :func:`clean_stale_parts` removes them
  from a whole folder; both only remove folders that no running writer holds (a lock
  on the folder, released by the kernel when the writer dies).

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

import contextlib
import json
import os
import re
import shutil
import signal
import stat
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

try:  # POSIX: the lock that tells a live writer's temporary folder from a stale one
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]

FORMATS = (".csv", ".nc", ".parquet", ".zarr")

#: Temporary folders younger than this (seconds) are never removed as stale: a writer
#: creates its folder and locks it a moment later.
STALE_MIN_AGE = 60.0


def _part_pattern(name: str | None) -> re.Pattern[str]:
    stem = re.escape(name) if name is not None else r".+"
    return re.compile(rf"^\.{stem}\.[A-Za-z0-9_]{{8}}\.part$")


def _try_lock(path: Path, *, blocking: bool) -> int | None:
    """An fd holding an exclusive ``flock`` on ``path`` (a folder), or ``None`` if another process holds it."""
    if fcntl is None:  # pragma: no cover - Windows: no lock, the age check alone protects writers
        return -1
    fd = os.open(path, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | (0 if blocking else fcntl.LOCK_NB))
    except BlockingIOError:
        os.close(fd)
        return None
    except BaseException:
        os.close(fd)
        raise
    return fd


def clean_stale_parts(folder: str | os.PathLike[str], name: str | None = None, *,
                      min_age: float = STALE_MIN_AGE) -> list[Path]:
    """Remove temporary ``.NAME.XXXXXXXX.part`` folders left in ``folder`` by killed writers.

    Only entries that match atrogame's naming pattern (for the target ``name`` when
    given), are real folders or files (not symbolic links), are older than ``min_age``
    seconds and are not locked by a running writer are removed. Returns what was removed.

    Examples
    --------
    >>> d = Path(tempfile.mkdtemp())
    >>> stale = d / ".sweep.nc.abcd1234.part"
    >>> stale.mkdir()
    >>> _ = (stale / "sweep.nc").write_bytes(b"half a file")
    >>> (d / "notes.part").write_text("not ours") and None
    >>> [p.name for p in clean_stale_parts(d, min_age=0)]
    ['.sweep.nc.abcd1234.part']
    >>> sorted(p.name for p in d.iterdir())
    ['notes.part']
    """
    folder = Path(folder)
    pattern = _part_pattern(name)
    removed: list[Path] = []
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return removed
    now = time.time()
    for entry in entries:
        if not pattern.match(entry.name) or entry.is_symlink():
            continue
        path = Path(entry.path)
        try:
            if now - entry.stat(follow_symlinks=False).st_mtime < min_age:
                continue
            if entry.is_dir(follow_symlinks=False):
                fd = _try_lock(path, blocking=False)
                if fd is None:
                    continue  # a live writer holds it
                try:
                    shutil.rmtree(path)
                finally:
                    if fd >= 0:
                        os.close(fd)
            elif entry.is_file(follow_symlinks=False):  # a temporary file of an older atrogame
                path.unlink()
            else:
                continue
        except OSError:
            continue
        removed.append(path)
    return removed


class _PartDir:
    """A locked private temporary folder next to ``target``; :meth:`remove` deletes it."""

    def __init__(self, target: Path) -> None:
        self.path = Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent))
        try:
            self._fd: int | None = _try_lock(self.path, blocking=True)
        except BaseException:
            shutil.rmtree(self.path, ignore_errors=True)
            raise

    def remove(self) -> None:
        # A writer thread that outlived an error may still create files in here for a
        # moment (netCDF reopens its file in append mode); retry until the folder is gone.
        for _ in range(5):
            shutil.rmtree(self.path, ignore_errors=True)
            if not os.path.lexists(self.path):
                break
            time.sleep(0.01)
        if self._fd is not None and self._fd >= 0:
            os.close(self._fd)
        self._fd = None


def _settle_mode(tmp: Path, target: Path, new_mode: int) -> None:
    """Give ``tmp`` the permission bits of the file it replaces, or those of a new file under the umask."""
    try:
        st = os.stat(target)
        mode = stat.S_IMODE(st.st_mode) if stat.S_ISREG(st.st_mode) else new_mode
    except FileNotFoundError:
        mode = new_mode
    if stat.S_IMODE(os.stat(tmp).st_mode) != mode:
        os.chmod(tmp, mode)


@contextlib.contextmanager
def _ctrl_c_deferred() -> Iterator[None]:
    """Hold a Ctrl-C (SIGINT) that arrives inside the block until the block is done.

    Creating and removing the temporary folder must not be cut in half: a
    ``KeyboardInterrupt`` between ``mkdtemp`` and the ``try`` that owns the folder, or in the
    middle of ``rmtree``, would leave it behind. The signal is handed to the previous
    handler when the block ends (the default one raises ``KeyboardInterrupt`` there). Off
    the main thread, where Python delivers no signals, this does nothing.

    Examples
    --------
    >>> with _ctrl_c_deferred():
    ...     pass
    """
    if threading.current_thread() is not threading.main_thread() or signal.getsignal(signal.SIGINT) is None:
        yield  # (None: a handler installed outside Python, which we could not put back)
        return
    caught: list[int] = []
    previous = signal.signal(signal.SIGINT, lambda signum, frame: caught.append(signum))
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)
        if caught:
            if callable(previous):
                previous(signal.SIGINT, None)
            elif previous == signal.SIG_DFL:
                signal.raise_signal(signal.SIGINT)


def atomic_write(path: str | os.PathLike[str], write: Callable[[Path], object]) -> Path:
    """Call ``write(tmp_path)`` (return value ignored), then rename ``tmp_path`` onto ``path``; clean up on failure.

    ``tmp_path`` has the target's name, inside a private temporary folder in the
    target's folder (created if missing), so the final rename is atomic. If ``write``
    raises anything (including ``KeyboardInterrupt``), neither the target nor a
    temporary file is left behind and an existing target is untouched. The new file has
    the permissions of a new file under the umask, or those of the file it replaces.
    Leftovers of earlier killed writes to the same target are removed first (see
    :func:`clean_stale_parts`).

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
    clean_stale_parts(target.parent, target.name)
    part: _PartDir | None = None
    try:
        with _ctrl_c_deferred():  # the folder exists only once the finally below owns it
            part = _PartDir(target)
        tmp = part.path / target.name
        # Created by us with 0o666: the kernel applies the umask, which gives the mode of a new file.
        os.close(os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666))
        new_mode = stat.S_IMODE(os.stat(tmp).st_mode)
        write(tmp)
        _settle_mode(tmp, target, new_mode)
        os.replace(tmp, target)
    finally:
        if part is not None:
            with _ctrl_c_deferred():  # a Ctrl-C here is raised once the folder is gone
                part.remove()
    return target


@contextlib.contextmanager
def _own_thread_pool() -> Iterator[None]:
    """Run dask's local threaded scheduler on a pool we shut down (waiting) on exit.

    After a block fails, dask returns while other blocks are still running; waiting for
    them here means no writer touches the temporary file once we clean it up. With a
    distributed client (or another scheduler) this does nothing.
    """
    try:
        import dask
        import dask.base
        import dask.threaded
    except ImportError:
        yield
        return
    if dask.base.get_scheduler() not in (None, dask.threaded.get):
        yield
        return
    from concurrent.futures import ThreadPoolExecutor

    pool = ThreadPoolExecutor(max_workers=os.cpu_count() or 1, thread_name_prefix="atrogame-export")
    try:
        with dask.config.set(scheduler="threads", pool=pool):
            yield
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


class ExportCancelled(Exception):
    """Raised inside a lazy export's blocks once the export was interrupted."""


#: Tokens of exports that were interrupted (checked by every lazy block before it runs).
_CANCELLED: set[str] = set()


def _check_cancelled(block: Any, token: str) -> Any:
    if token in _CANCELLED:
        raise ExportCancelled(token)
    return block


def _cancellable(ds: Any, token: str) -> Any:
    """``ds`` with a cancellation check in front of every dask block (eager variables untouched)."""
    if not ds.chunks:
        return ds
    out = ds.copy()
    for name, var in ds.variables.items():
        if var.chunks is not None:
            out[name] = var.copy(data=var.data.map_blocks(_check_cancelled, token, dtype=var.dtype))
    return out


def _in_helper_thread(work: Callable[[str], None]) -> None:
    """Run ``work(token)`` in a helper thread; Ctrl-C in the main thread cancels it, waits, re-raises.

    ``KeyboardInterrupt`` is then never raised inside library code that holds a lock (as
    netCDF/HDF5 does, which then deadlocks), and the interrupted write has stopped before
    the caller cleans up. Once interrupted, ``token`` is in ``_CANCELLED``, so the lazy
    blocks that have not started yet raise :class:`ExportCancelled` instead of running.
    """
    token = f"{os.getpid()}-{threading.get_ident()}-{time.monotonic_ns()}"
    if threading.current_thread() is not threading.main_thread():
        work(token)  # only the main thread receives KeyboardInterrupt
        return
    failure: list[BaseException] = []

    def run() -> None:
        try:
            work(token)
        except BaseException as exc:  # handed to the caller below
            failure.append(exc)

    thread = threading.Thread(target=run, name="atrogame-export", daemon=True)
    interrupt: BaseException | None = None
    thread.start()
    try:
        while thread.is_alive():
            try:
                thread.join(0.05)
            except BaseException as exc:  # KeyboardInterrupt, or SystemExit from a signal handler
                interrupt = interrupt or exc
                _CANCELLED.add(token)
    finally:
        _CANCELLED.discard(token)
    if interrupt is not None:
        raise interrupt
    if failure:
        raise failure[0]


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
    writing (including one raised by the model in a lazy block) or Ctrl-C leaves neither
    the target nor a temporary file behind; an existing target is only replaced once the
    new file is complete, and keeps its permission bits (see :func:`atomic_write`).

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

        def write_netcdf(p: Path) -> None:
            def work(token: str) -> None:
                with _own_thread_pool():
                    _cancellable(ds, token).to_netcdf(p)

            _in_helper_thread(work)

        return atomic_write(target, write_netcdf)
    if suffix == ".zarr":
        return _write_zarr(ds, target)
    if suffix == ".parquet":
        from atrogame.optional import require

        require("pyarrow", feature="writing Parquet")  # names the extra: pip install "atrogame[io]"
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
    try:
        import zarr  # noqa: F401
    except ImportError:
        raise ImportError('writing .zarr needs zarr: pip install "atrogame[parallel]" zarr') from None
    target.parent.mkdir(parents=True, exist_ok=True)
    clean_stale_parts(target.parent, target.name)
    part: _PartDir | None = None
    try:
        with _ctrl_c_deferred():
            part = _PartDir(target)
        store = part.path / "store.zarr"
        with _own_thread_pool():
            ds.to_zarr(store, mode="w")
        if target.exists():
            os.replace(target, part.path / "previous")
        os.replace(store, target)
    finally:
        if part is not None:
            with _ctrl_c_deferred():
                part.remove()
    return target
