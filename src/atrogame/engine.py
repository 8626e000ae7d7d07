"""The engine: sweeps, samples and evaluations of any model, in memory or on Dask.

Everything here uses only the public model contract (:class:`atrogame.core.contract.ModelLike`):
a model's parameter metadata, ``validate_arrays``, ``compute`` (its vectorised kernel, or a
point-by-point solve that records failures), its outcome and regime metadata and
``dataset_attrs``. :meth:`atrogame.model.Model.sweep`, ``sample`` and ``evaluate`` are thin
wrappers of :func:`sweep`, :func:`sample` and :func:`evaluate`; the Dataset is built here and
only here (:func:`dataset`).

* Sweeps solve a full factorial grid as an *open mesh* (one axis per swept parameter,
  broadcasting, never a meshgrid); samples solve ``n`` points drawn from priors
  (:mod:`atrogame.sampling`).
* ``chunks=``/``client=`` run block by block on Dask. Block functions receive the model class
  and its state (plain data that pickles) and numpy blocks, never compiled functions; designs
  are generated block by block, so results never depend on chunking.
* Models solved point by point record every failure (:class:`Failure`,
  :class:`PointFailureWarning`); their outcomes are NaN there and their regime -1.

Examples
--------
>>> from atrogame.testing.models import Toy
>>> ds = Toy().sample({"benefit": (0.5, 3.0), "threshold": (0.0, 2.0)}, n=8, seed=1, method="sobol")
>>> ds.sizes["sample"], ds.attrs["design"], ds.attrs["seed"]
(8, 'sobol', 1)
"""

from __future__ import annotations

import copy
import functools
import json
import math
import pickle
import sys
import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from atrogame.core.arrays import stack_columns
from atrogame.core.contract import ModelLike
from atrogame.core.errors import AtrogameWarning, ParameterError
from atrogame.sampling import SAMPLE_METHODS, Prior, resolve_priors, resolve_seed, transform, unit_design

#: Points per block that ``chunks="auto"`` aims for (each block holds every outcome).
AUTO_BLOCK_BYTES = 48 * 2**20
#: How many failures are stored with their reasons in ``ds.attrs["failures"]``.
MAX_RECORDED_FAILURES = 1000


class PointFailureWarning(AtrogameWarning):
    """Some points of a point-by-point sweep or sample failed; their outcomes are NaN.

    The failed points and the reasons are recorded in ``ds.attrs["failures"]`` (JSON)
    and the ``failed`` variable of the Dataset.

    Examples
    --------
    >>> issubclass(PointFailureWarning, AtrogameWarning)
    True
    """


# ---------------------------------------------------------------------- failures
@dataclass(frozen=True)
class Failure:
    """One point that could not be solved: where (index and parameters) and why.

    Examples
    --------
    >>> Failure((2,), {"benefit": 0.5}, "ValueError: no root").to_dict()
    {'index': [2], 'point': {'benefit': 0.5}, 'error': 'ValueError: no root'}
    """

    index: tuple[int, ...]
    point: Mapping[str, float]
    error: str

    def to_dict(self) -> dict[str, Any]:
        return {"index": list(self.index), "point": dict(self.point), "error": self.error}


def failures_json(failures: Sequence[Failure]) -> str:
    """The failures as a JSON list (at most :data:`MAX_RECORDED_FAILURES` entries).

    Examples
    --------
    >>> failures_json([Failure((0, 1), {"benefit": 0.5}, "ZeroDivisionError")])
    '[{"index": [0, 1], "point": {"benefit": 0.5}, "error": "ZeroDivisionError"}]'
    """
    return json.dumps([f.to_dict() for f in failures[:MAX_RECORDED_FAILURES]])


def warn_failures(failures: Sequence[Failure], total: int, where: str = "ds.attrs['failures']",
                  stacklevel: int = 3) -> None:
    """Emit one :class:`PointFailureWarning` summarising ``failures`` (nothing if none).

    Examples
    --------
    >>> with warnings.catch_warnings(record=True) as caught:
    ...     warnings.simplefilter("always")
    ...     warn_failures([Failure((2,), {"benefit": 0.5}, "ValueError: no root")], total=10)
    ...     warn_failures([], total=10)
    >>> len(caught), caught[0].category.__name__
    (1, 'PointFailureWarning')
    >>> print(caught[0].message)  # doctest: +NORMALIZE_WHITESPACE
    1 of 10 points failed (1× ValueError); their outcomes are NaN and their regime -1.
    First: benefit=0.5: ValueError: no root. See ds.attrs['failures'].
    """
    if not failures:
        return
    reasons: dict[str, int] = {}
    for f in failures:
        key = f.error.split(":", 1)[0]
        reasons[key] = reasons.get(key, 0) + 1
    kinds = ", ".join(f"{v}× {k}" for k, v in sorted(reasons.items(), key=lambda kv: -kv[1]))
    first = failures[0]
    pt = ", ".join(f"{k}={v:g}" for k, v in first.point.items())
    warnings.warn(
        f"{len(failures)} of {total} points failed ({kinds}); their outcomes are NaN and their "
        f"regime -1. First: {pt}: {first.error}. See {where}.",
        PointFailureWarning, stacklevel=stacklevel)


def progress_enabled(progress: bool | None) -> bool:
    """``progress`` if given, else whether stderr is a terminal.

    Examples
    --------
    >>> progress_enabled(True), progress_enabled(False)
    (True, False)
    """
    if progress is not None:
        return bool(progress)
    try:
        return bool(sys.stderr.isatty())
    except (AttributeError, ValueError):
        return False


# ---------------------------------------------------------------------- threads
#: Threads for large in-memory evaluations of closed forms. 1 (the default) evaluates in one
#: call; ``None`` uses the CPUs this process may use (at most 8). Opt in on an otherwise idle
#: machine: on a loaded one (or inside Dask workers, pytest-xdist, ...) threads compete for the
#: same cores and were measured to be slower (see benchmarks/README.md).
THREADS: int | None = 1
#: Below this many points an in-memory evaluation runs in one call on the calling thread.
PARALLEL_MIN_POINTS = 2**17


def default_threads() -> int:
    """``THREADS`` if set, else the number of CPUs available to this process (at most 8).

    Examples
    --------
    >>> default_threads()
    1
    """
    if THREADS is not None:
        return max(1, int(THREADS))
    import os

    try:
        n = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        n = os.cpu_count() or 1
    return max(1, min(n, 8))


def compute(model: ModelLike, arrays: Mapping[str, np.ndarray], shape: tuple[int, ...], wanted: Sequence[str],
            progress: bool = False, threads: int | None = None) -> tuple[dict[str, np.ndarray], list[Failure]]:
    """``model.compute`` on the whole grid, split across threads for large closed-form grids.

    numpy releases the GIL inside its loops, so slabs of the grid evaluated on separate
    threads run in parallel. The kernel is elementwise, so the result is the same as
    one call (tested); each slab is copied into the output as soon as it is done, which
    keeps the extra memory to a few slabs.

    Returns the outcomes by name and the list of :class:`Failure` records (empty for a
    closed form).

    Examples
    --------
    >>> from atrogame.testing.models import Toy
    >>> grid = {"benefit": np.array([0.5, 2.0, 3.0]), "curvature": np.array(1.0), "threshold": np.array(1.0)}
    >>> out, failures = compute(Toy(), grid, (3,), ["x"])
    >>> out["x"].tolist(), failures
    ([0.0, 1.0, 2.0], [])
    """
    import math as _math

    k = default_threads() if threads is None else threads
    n = _math.prod(shape)
    if not model.vectorised or k < 2 or n < PARALLEL_MIN_POINTS:
        return model.compute(arrays, shape, wanted, progress=progress)
    axis = int(np.argmax(shape))
    pieces = min(shape[axis], 4 * k, max(k, n // 2**15))
    if pieces < 2:
        return model.compute(arrays, shape, wanted, progress=progress)
    from concurrent.futures import ThreadPoolExecutor, as_completed

    edges = np.linspace(0, shape[axis], pieces + 1).astype(int)
    nd = len(shape)

    def run(i: int) -> tuple[int, dict[str, np.ndarray]]:
        lo, hi = int(edges[i]), int(edges[i + 1])
        sub = {}
        for name, arr in arrays.items():
            a = np.asarray(arr)
            ax = axis - (nd - a.ndim)
            if ax >= 0 and a.shape[ax] == shape[axis]:
                a = a[(slice(None),) * ax + (slice(lo, hi),)]
            sub[name] = a
        pshape = (*shape[:axis], hi - lo, *shape[axis + 1:])
        res, _ = model.compute(sub, pshape, wanted)
        return i, res

    out: dict[str, np.ndarray] = {}
    with ThreadPoolExecutor(max_workers=k) as ex:
        for fut in as_completed([ex.submit(run, i) for i in range(pieces)]):
            i, res = fut.result()
            sl = (slice(None),) * axis + (slice(int(edges[i]), int(edges[i + 1])),)
            for w in wanted:
                part = np.asarray(res[w])
                if w not in out:
                    out[w] = np.empty(shape, dtype=part.dtype)
                out[w][sl] = part
    return out, []


# ---------------------------------------------------------------------- shipping the model
class ModelRef:
    """The model's class and instance state: what Dask ships to workers (it pickles).

    Workers rebuild the model with :meth:`build`; compiled functions are derived again
    there from the model's cached derivation, never sent over the wire.

    Examples
    --------
    >>> from atrogame.testing.models import Toy
    >>> ref = pickle.loads(pickle.dumps(ModelRef(Toy(benefit=3.0))))
    >>> ref.build()
    Toy(benefit=3, curvature=1, threshold=1)
    """

    __slots__ = ("cls", "state")

    def __init__(self, model: ModelLike) -> None:
        self.cls = type(model)
        self.state = {k: _without_caches(v) for k, v in model.__dict__.items() if k != "_last_failures"}

    def build(self) -> ModelLike:
        m: ModelLike = object.__new__(self.cls)
        m.__dict__.update(self.state)
        return m

    def token(self) -> str:
        from dask.base import tokenize

        try:
            return tokenize(self.cls.__module__, self.cls.__qualname__, pickle.dumps(self.state))
        except Exception:  # unpicklable state: fall back to a unique token
            import uuid

            return uuid.uuid4().hex

    def __reduce__(self) -> tuple[Any, ...]:
        return (_rebuild_ref, (self.cls, self.state))


def _without_caches(value: Any) -> Any:
    """``value`` without the results of its ``functools.cached_property`` attributes.

    Those are derived data (for example compiled functions of a model's functional forms,
    which do not pickle); the worker recomputes them on first use.
    """
    d = getattr(value, "__dict__", None)
    if not d:
        return value
    cached = [k for k in d if isinstance(getattr(type(value), k, None), functools.cached_property)]
    if not cached:
        return value
    clone = copy.copy(value)
    for k in cached:
        clone.__dict__.pop(k, None)
    return clone


def _rebuild_ref(cls: type[ModelLike], state: dict[str, Any]) -> ModelRef:
    ref = object.__new__(ModelRef)
    ref.cls = cls
    ref.state = state
    return ref


@dataclass(frozen=True)
class BlockJob:
    """Everything a block function needs besides the numpy blocks (pickles).

    Examples
    --------
    >>> from atrogame.testing.models import Toy
    >>> job = BlockJob(ModelRef(Toy()), names=("benefit",), wanted=("x",), pointwise=False)
    >>> pickle.loads(pickle.dumps(job)).ref.build().solve().x
    1.0
    """

    ref: ModelRef
    names: tuple[str, ...]
    wanted: tuple[str, ...]
    pointwise: bool


def evaluate_block(model: ModelLike, arrays: Mapping[str, np.ndarray], shape: tuple[int, ...],
                   wanted: Sequence[str], pointwise: bool) -> np.ndarray:
    """Outcomes, regime (-1 where undefined) and a failure flag stacked on a *first* axis.

    Channel first, so that each outcome of a block is one contiguous array.

    Examples
    --------
    >>> from atrogame.testing.models import Toy
    >>> block = {"benefit": np.array([0.5, 3.0]), "curvature": np.array(1.0), "threshold": np.array(1.0)}
    >>> evaluate_block(Toy(), block, (2,), ["x"], pointwise=False).tolist()  # rows: x, regime
    [[0.0, 2.0], [0.0, 1.0]]
    """
    res, failures = model.compute(arrays, shape, [*wanted, "regime"], progress=False)
    if not pointwise:
        return stack_block(res, shape, wanted)
    chans = list(stack_block(res, shape, wanted))
    flag = np.zeros(shape)
    for f in failures:
        flag[f.index] = 1
    chans.append(flag)
    return np.stack(chans, axis=0)


def stack_block(res: Mapping[str, Any], shape: tuple[int, ...], wanted: Sequence[str]) -> np.ndarray:
    """``wanted`` and the regime (-1 where undefined) of a block, stacked on a first axis."""
    chans = [np.broadcast_to(np.asarray(res[w], dtype=float), shape) for w in wanted]
    regime = np.array(np.broadcast_to(np.asarray(res["regime"], dtype=float), shape))
    regime[~np.isfinite(regime)] = -1
    chans.append(regime)
    return np.stack(chans, axis=0)


#: Rows per slab of :func:`validate_compute_blocked` (a slab of one input is 256 KiB).
VALIDATED_SLAB_ROWS = 2**15


def validate_compute_blocked(model: ModelLike, arrays: Mapping[str, Any], shape: tuple[int, ...],
                             wanted: Sequence[str]) -> tuple[dict[str, np.ndarray], dict[str, Any], list[Any]] | None:
    """Validate and compute a large flat design slab by slab, each slab read from memory once.

    Each slab of rows of every varying input is gathered into one contiguous buffer, its
    minima and maxima checked (:meth:`~atrogame.core.parameters.Parameters.check_arrays`,
    joint rules included) and then evaluated by ``model.compute`` while still in cache, so the
    range check costs two reductions of cached data per slab instead of a separate pass over
    the design. A slab that fails makes the whole design validated as usual, for the error
    message (how many values of the whole design are invalid). Requires an elementwise kernel,
    as the engine's threaded slabs do. ``None`` when the design is not flat, is small, or the
    engine runs threads (:func:`compute` then splits it).

    Examples
    --------
    >>> from atrogame.testing.models import Toy
    >>> x = np.linspace(0.5, 3.0, 4 * VALIDATED_SLAB_ROWS)
    >>> cols, res, _ = validate_compute_blocked(Toy(), {"benefit": x}, x.shape, ["x"])
    >>> bool(np.array_equal(res["x"], np.maximum(x - 1.0, 0.0)))
    True
    """
    n = shape[0] if len(shape) == 1 else 0
    if n < 4 * VALIDATED_SLAB_ROWS or default_threads() > 1:
        return None
    cols = model.Params.convert_arrays(arrays)
    if not cols or any(a.shape not in ((), (1,), (n,)) for a in cols.values()):
        return None
    names = list(cols)
    varying = [k for k in names if cols[k].shape == (n,)]
    row = {k: i for i, k in enumerate(varying)}
    base = model.parameter_values()
    G = np.empty((len(varying), VALIDATED_SLAB_ROWS))
    const = {k: float(cols[k].reshape(-1)[0]) for k in names if k not in row}
    out: dict[str, np.ndarray] = {}
    for r0 in range(0, n, VALIDATED_SLAB_ROWS):
        r1 = min(n, r0 + VALIDATED_SLAB_ROWS)
        g = G[:, :r1 - r0]
        for k, i in row.items():
            np.copyto(g[i], cols[k][r0:r1])
        lo, hi = g.min(axis=1), g.max(axis=1)  # NaN propagates
        slab = {k: (g[row[k]] if k in row else cols[k]) for k in names}
        mn = np.array([lo[row[k]] if k in row else const[k] for k in names])
        mx = np.array([hi[row[k]] if k in row else const[k] for k in names])
        try:
            model.Params.check_arrays(slab, base, bounds=(mn, mx))
        except ParameterError:
            model.validate_arrays(arrays)  # raises, counting over the whole design
            raise
        res, _ = model.compute(slab, (r1 - r0,), wanted)
        for w in wanted:
            v = np.asarray(res[w])
            if w not in out:
                out[w] = np.empty(n, dtype=v.dtype if v.dtype.kind in "biuf" else float)
            out[w][r0:r1] = v
    return cols, out, []


def validated_compute(model: ModelLike, arrays: Mapping[str, Any], shape: tuple[int, ...], wanted: Sequence[str],
                      progress: bool = False) -> tuple[Mapping[str, np.ndarray], Mapping[str, Any], list[Any]]:
    """Validated arrays, outcomes and failures of a design (:meth:`atrogame.model.Model.compute_validated`).

    Models that only satisfy :class:`~atrogame.core.contract.ModelLike` (no
    ``compute_validated``) are validated, then computed.

    Examples
    --------
    >>> from atrogame.testing.models import Toy
    >>> cols, res, _ = validated_compute(Toy(), {"benefit": [0.5, 3.0]}, (2,), ["x"])
    >>> res["x"].tolist()
    [0.0, 2.0]
    """
    fused = getattr(model, "compute_validated", None)
    if fused is not None:
        return fused(arrays, shape, wanted, progress)
    cols = model.validate_arrays(arrays)
    res, failures = model.compute(cols, shape, wanted, progress=progress)
    return cols, res, failures


def _grid_block(*blocks: np.ndarray, job: BlockJob) -> np.ndarray:
    model = job.ref.build()
    shape = np.broadcast_shapes(*(b.shape for b in blocks))
    arrays = dict(zip(job.names, blocks, strict=True))
    model.validate_arrays(arrays)
    return evaluate_block(model, arrays, shape, job.wanted, job.pointwise)


def _sample_block(x: np.ndarray, job: BlockJob) -> np.ndarray:
    model = job.ref.build()
    arrays = {n: x[:, j] for j, n in enumerate(job.names)}
    if job.pointwise:
        model.validate_arrays(arrays)
        return evaluate_block(model, arrays, (x.shape[0],), job.wanted, job.pointwise)
    _, res, _ = validated_compute(model, arrays, (x.shape[0],), [*job.wanted, "regime"])
    return stack_block(res, (x.shape[0],), job.wanted)


@dataclass(frozen=True)
class DesignJob:
    """What a design block needs: the priors, the design method, ``n`` and the seed.

    Examples
    --------
    >>> job = DesignJob((Prior("benefit", 0.5, 3.0),), method="sobol", n=8, seed=1)
    >>> pickle.loads(pickle.dumps(job)) == job
    True
    """

    priors: tuple[Prior, ...]
    method: str
    n: int
    seed: int


def _design_block(job: DesignJob, block_info: Any = None) -> np.ndarray:
    start, stop = block_info[None]["array-location"][0]
    return transform(unit_design(job.method, len(job.priors), job.n, job.seed, start, stop), job.priors)


# ---------------------------------------------------------------------- lazy Datasets
def require_dask() -> None:
    """Import dask.array or raise an ``ImportError`` naming the extra to install.

    Examples
    --------
    >>> require_dask()  # silent when Dask is installed
    """
    try:
        import dask.array  # noqa: F401
    except ImportError:
        raise ImportError('chunks= and client= need Dask: pip install "atrogame[parallel]"') from None


def chunked_grid(model: ModelLike, coords: Mapping[str, np.ndarray], wanted: Sequence[str], chunks: Any,
                 client: Any, fixed: Sequence[str]) -> Any:
    """The dask-backed Dataset of :meth:`Model.sweep` with ``chunks``/``client``.

    Examples
    --------
    >>> from atrogame.testing.models import Toy
    >>> coords = {"benefit": np.array([0.5, 2.0, 3.0]), "threshold": np.array([0.0, 1.0])}
    >>> ds = chunked_grid(Toy(), coords, ["x"], {"benefit": 2}, None, fixed=["curvature"])
    >>> ds["x"].chunks
    ((2, 1), (2,))
    >>> ds["x"].values.tolist()
    [[0.5, 0.0], [2.0, 1.0], [3.0, 2.0]]
    """
    require_dask()
    import dask.array as da
    from dask.base import tokenize

    dims = list(coords)
    shape = tuple(coords[d].size for d in dims)
    pointwise = not model.vectorised
    n_ch = len(wanted) + 1 + int(pointwise)
    out_chunks = grid_chunks(chunks, dims, shape, n_ch)
    ref = ModelRef(model)
    job = BlockJob(ref, tuple(dims), tuple(wanted), pointwise)
    blocks = []
    for i, d in enumerate(dims):
        s = [1] * len(dims)
        s[i] = shape[i]
        c = tuple(out_chunks[i] if j == i else (1,) for j in range(len(dims)))
        blocks.append(da.from_array(coords[d].reshape(s), chunks=c))
    name = "atrogame-sweep-" + tokenize(ref.token(), dims, list(wanted), out_chunks,
                                        [tokenize(coords[d]) for d in dims])
    stacked = da.map_blocks(_grid_block, *blocks, job=job, dtype=float, chunks=((n_ch,), *out_chunks),
                            new_axis=0, name=name, meta=np.empty((0,) * (len(dims) + 1)))
    ds = _lazy_dataset(model, dims, stacked, wanted, pointwise,
                       {d: (d, coords[d], param_attrs(model, d)) for d in dims})
    ds.attrs.update(dataset_attrs(model, fixed))
    return _finish(ds, client, pointwise)


def chunked_sample(model: ModelLike, priors: tuple[Prior, ...], n: int, seed: int, method: str,
                   wanted: Sequence[str], chunks: Any, client: Any, attrs: Mapping[str, Any]) -> Any:
    """The dask-backed Dataset of :meth:`Model.sample` with ``chunks``/``client``.

    Examples
    --------
    >>> from atrogame.testing.models import Toy
    >>> ds = chunked_sample(Toy(), (Prior("benefit", 1.0, 3.0),), n=6, seed=1, method="random",
    ...                     wanted=["x"], chunks=3, client=None, attrs={"design": "random"})
    >>> ds["x"].chunks, bool((ds["x"].values >= 0).all())
    (((3, 3),), True)
    """
    require_dask()
    import dask.array as da
    from dask.base import tokenize

    pointwise = not model.vectorised
    n_ch = len(wanted) + 1 + int(pointwise)
    rows = sample_chunks(chunks, n, n_ch)
    d = len(priors)
    names = tuple(p.name for p in priors)
    if method == "latin":  # a property of the whole design: built here, then cut into blocks
        X = da.from_array(transform(unit_design(method, d, n, seed), priors), chunks=(rows, (d,)))
    else:
        djob = DesignJob(priors, method, n, seed)
        X = da.map_blocks(_design_block, djob, chunks=(rows, (d,)), dtype=float, meta=np.empty((0, 0)),
                          name="atrogame-design-" + tokenize(method, n, seed, rows, [p.describe() for p in priors]))
    ref = ModelRef(model)
    job = BlockJob(ref, names, tuple(wanted), pointwise)
    stacked = X.map_blocks(_sample_block, job=job, dtype=float, chunks=((n_ch,), rows), drop_axis=1, new_axis=0,
                           meta=np.empty((0, 0)),
                           name="atrogame-sample-" + tokenize(ref.token(), X.name, list(wanted)))
    coords: dict[str, Any] = {"sample": ("sample", np.arange(n), {"long_name": "sample index"})}
    coords.update({k: ("sample", X[:, j], param_attrs(model, k)) for j, k in enumerate(names)})
    ds = _lazy_dataset(model, ["sample"], stacked, wanted, pointwise, coords)
    ds.attrs.update(attrs)
    return _finish(ds, client, pointwise)


def chunked_rows(model: ModelLike, X: np.ndarray, names: Sequence[str], wanted: Sequence[str], chunks: Any,
                 client: Any) -> np.ndarray:
    """Evaluate ``model`` at the rows of ``X`` block by block on Dask; channels first.

    Returns the computed array: one row per outcome in ``wanted``, then the regime codes
    (-1 where undefined or failed), then (models solved point by point) a failure flag.

    Examples
    --------
    >>> from atrogame.testing.models import Toy
    >>> chunked_rows(Toy(), np.array([[0.5], [3.0]]), ["benefit"], ["x"], 1, None).tolist()
    [[0.0, 2.0], [0.0, 1.0]]
    """
    require_dask()
    import dask.array as da

    model.validate_arrays({k: np.array([X[:, j].min(), X[:, j].max()]) for j, k in enumerate(names)})
    pointwise = not model.vectorised
    n_ch = len(wanted) + 1 + int(pointwise)
    rows = sample_chunks(chunks, X.shape[0], n_ch)
    job = BlockJob(ModelRef(model), tuple(names), tuple(wanted), pointwise)
    stacked = da.from_array(X, chunks=(rows, (X.shape[1],))).map_blocks(
        _sample_block, job=job, dtype=float, chunks=((n_ch,), rows), drop_axis=1, new_axis=0,
        meta=np.empty((0, 0)))
    return np.asarray(client.compute(stacked).result() if client is not None else stacked.compute())


def _lazy_dataset(model: ModelLike, dims: list[str], stacked: Any, wanted: Sequence[str], pointwise: bool,
                  coords: Mapping[str, Any]) -> Any:
    import xarray as xr

    data_vars: dict[str, Any] = {w: (dims, stacked[j], outcome_attrs(model, w)) for j, w in enumerate(wanted)}
    k = len(wanted)
    data_vars["regime"] = (dims, stacked[k].astype(np.int8), regime_attrs(model))
    if pointwise:
        data_vars["failed"] = (dims, stacked[k + 1].astype(np.int8), FAILED_ATTRS)
    return xr.Dataset(data_vars, coords=coords)


def _finish(ds: Any, client: Any, pointwise: bool) -> Any:
    if pointwise:
        ds.attrs["failures"] = ("lazy Dataset: failed points are flagged in the variable 'failed'; "
                                "an eager sweep of those points records why")
    if client is not None:
        ds = client.persist(ds)
    return ds


# ---------------------------------------------------------------------- chunk sizes
def auto_points(n_channels: int) -> int:
    """Points per block for ``chunks="auto"``: about :data:`AUTO_BLOCK_BYTES` of outputs.

    Examples
    --------
    >>> auto_points(3)
    524288
    """
    return max(2**12, AUTO_BLOCK_BYTES // (8 * max(n_channels, 1) * 4))


def grid_chunks(chunks: Any, dims: Sequence[str], shape: tuple[int, ...],
                n_channels: int) -> tuple[tuple[int, ...], ...]:
    """Normalise ``chunks`` (``"auto"``, an int, or a dict by dimension) for a grid.

    Examples
    --------
    >>> grid_chunks({"benefit": 2}, ["benefit", "threshold"], (4, 3), n_channels=3)
    ((2, 2), (3,))
    """
    from dask.array.core import normalize_chunks

    if chunks == "auto" or chunks is True:
        spec: Any = tuple("auto" for _ in dims)
    elif isinstance(chunks, Mapping):
        unknown = set(chunks) - set(dims)
        if unknown:
            raise ValueError(f"chunks names {sorted(unknown)} that are not swept; swept: {', '.join(dims)}")
        spec = tuple(chunks.get(d, -1) for d in dims)
    elif isinstance(chunks, int | tuple):
        spec = chunks
    else:
        raise TypeError(f"chunks must be 'auto', an int or a dict by dimension; got {chunks!r}")
    limit = auto_points(n_channels) * 8
    return normalize_chunks(spec, shape, limit=limit, dtype=np.float64)


def sample_chunks(chunks: Any, n: int, n_channels: int) -> tuple[int, ...]:
    """Normalise ``chunks`` for the ``sample`` dimension.

    Examples
    --------
    >>> sample_chunks(100, 250, n_channels=3), sample_chunks({"sample": "auto"}, 10, n_channels=3)
    ((100, 100, 50), (10,))
    """
    from dask.array.core import normalize_chunks

    if isinstance(chunks, Mapping):
        unknown = set(chunks) - {"sample"}
        if unknown:
            raise ValueError(f"a sample has one dimension, 'sample'; got chunks for {sorted(unknown)}")
        chunks = chunks.get("sample", "auto")
    if chunks is True:
        chunks = "auto"
    return normalize_chunks((chunks,), (n,), limit=auto_points(n_channels) * 8, dtype=np.float64)[0]


# ---------------------------------------------------------------------- the front ends
FAILED_ATTRS = {"long_name": "point failed to solve", "flag_values": [0, 1], "flag_meanings": "solved failed"}


def check_outcomes(model: ModelLike, wanted: Sequence[str]) -> list[str]:
    """``wanted`` as a list, after checking every name is an outcome of ``model`` (or ``regime``)."""
    valid = (*model.outcome_names, "regime")
    bad = [w for w in wanted if w not in valid]
    if bad:
        raise KeyError(f"unknown outcome(s) {bad} for {model.name}; valid: {', '.join(valid)}")
    return list(wanted)


def solve_points(model: ModelLike, arrays: Mapping[str, np.ndarray], shape: tuple[int, ...], wanted: Sequence[str],
                 progress: bool = False) -> tuple[dict[str, np.ndarray], list[Failure]]:
    """Solve ``model`` point by point where ``arrays`` broadcast to ``shape``, recording failures.

    A point fails when its solve raises or returns a non-finite value of a bounded outcome;
    it is NaN in every outcome (regime NaN, stored as -1) and recorded with its reason.

    Examples
    --------
    >>> from atrogame.testing.models import Toy
    >>> out, failures = solve_points(Toy(), {"benefit": np.array([0.5, 3.0])}, (2,), ["x", "regime"])
    >>> out["x"].tolist(), out["regime"].tolist(), failures
    ([0.0, 2.0], [0.0, 1.0], [])
    """
    bcast = {k: np.broadcast_to(v, shape) for k, v in arrays.items()}
    res = {w: np.full(shape, np.nan) for w in wanted}
    failures: list[Failure] = []
    points: Any = np.ndindex(*shape)
    if progress:
        from tqdm.auto import tqdm

        points = tqdm(points, total=math.prod(shape), desc=f"{model.name}: solving", unit="pt")
    for idx in points:
        point = {k: float(v[idx]) for k, v in bcast.items()}
        try:
            eq = model.with_params(**point).solve()
            vals = [model.regime_names.index(eq.regime) if w == "regime" else eq[w] for w in wanted]
            bad = [w for w, v in zip(wanted, vals, strict=True)
                   if w != "regime" and not math.isfinite(v) and model.outcome_info(w).bounded]
            if bad:
                raise FloatingPointError(f"non-finite {', '.join(bad)}")
        except Exception as exc:  # recorded and reported, never silent
            failures.append(Failure(idx, point, f"{type(exc).__name__}: {exc}"))
            continue
        for w, v in zip(wanted, vals, strict=True):
            res[w][idx] = v
    return res, failures


def evaluate(model: ModelLike, X: Any, names: Sequence[str], outcome: str | Sequence[str]) -> np.ndarray:
    """Outcome(s) of ``model`` at the rows of ``X`` (``N × len(names)``), SALib-style.

    Returns shape ``(N,)`` for one outcome, ``(N, k)`` for a list of ``k`` outcomes; the regime
    is the outcome ``"regime"`` (integer codes). Points that fail are NaN (and warned about).

    Examples
    --------
    >>> from atrogame.testing.models import Toy
    >>> evaluate(Toy(), [[3.0, 1.0], [0.5, 1.0]], ["benefit", "threshold"], "x").tolist()
    [2.0, 0.0]
    """
    X = np.asarray(X, dtype=float)
    if X.ndim != 2 or X.shape[1] != len(names):
        raise ValueError(f"X must have shape (N, {len(names)}); got {X.shape}")
    single = isinstance(outcome, str)
    wanted = check_outcomes(model, [outcome] if isinstance(outcome, str) else list(outcome))
    _, res, failures = validated_compute(model, {n: X[:, j] for j, n in enumerate(names)}, (X.shape[0],), wanted)
    warn_failures(failures, X.shape[0], where="the NaN entries of the result", stacklevel=4)
    stacked = stack_columns([np.broadcast_to(res[w], (X.shape[0],)) for w in wanted])
    if np.may_share_memory(stacked, X):  # never hand back (a view of) the caller's input
        stacked = stacked.copy()
    return stacked[:, 0] if single else stacked


def open_mesh(coords: Mapping[str, np.ndarray]) -> tuple[dict[str, np.ndarray], tuple[int, ...]]:
    """One axis per swept parameter (arrays that broadcast, never a meshgrid), and the grid shape.

    Examples
    --------
    >>> arrays, shape = open_mesh({"a": np.arange(3.0), "b": np.arange(2.0)})
    >>> shape, arrays["a"].shape, arrays["b"].shape
    ((3, 2), (3, 1), (1, 2))
    """
    dims = list(coords)
    shape = tuple(coords[d].size for d in dims)
    arrays = {}
    for i, d in enumerate(dims):
        s = [1] * len(dims)
        s[i] = shape[i]
        arrays[d] = coords[d].reshape(s)
    return arrays, shape


def sweep(model: ModelLike, grid: Mapping[str, Any], *, outcomes: Sequence[str] | None = None, chunks: Any = None,
          client: Any = None, progress: bool | None = None) -> Any:
    """The full factorial grid of ``grid`` (parameter → 1-D values) as an ``xarray.Dataset``.

    See :meth:`atrogame.model.Model.sweep` for the user-facing description.

    Examples
    --------
    >>> from atrogame.testing.models import Toy
    >>> sweep(Toy(), {"benefit": [1.0, 3.0]})["x"].values.tolist()
    [0.0, 2.0]
    """
    if not grid:
        raise TypeError("sweep needs at least one parameter grid, e.g. sweep(resources=[50, 100])")
    wanted = check_outcomes(model, list(outcomes) if outcomes is not None else list(model.outcome_names))
    valid = model.parameter_values()
    coords: dict[str, np.ndarray] = {}
    for k, v in grid.items():
        if k not in valid:
            raise TypeError(f"unknown parameter {k!r} for {type(model).__name__}; valid names: {', '.join(valid)}")
        arr = np.atleast_1d(np.asarray(v))
        if arr.ndim != 1:
            raise ValueError(f"grid for {k} must be one-dimensional; got shape {arr.shape}")
        if arr.size == 0:
            raise ValueError(f"grid for {k} is empty: give at least one value")
        coords[k] = arr
    arrays, shape = open_mesh(coords)
    arrays = model.validate_arrays(arrays)  # joint rules (e.g. a < b) then hold at every grid point
    coords = {k: np.asarray(arrays[k], dtype=float).ravel() for k in coords}
    fixed = [k for k in valid if k not in coords]
    if chunks is not None or client is not None:
        return chunked_grid(model, coords, wanted, "auto" if chunks is None else chunks, client, fixed)
    res, failures = compute(model, arrays, shape, [*wanted, "regime"], progress=progress_enabled(progress))
    dims = list(coords)
    return dataset(model, dims, shape, wanted, res, failures,
                   coords={d: (d, coords[d], param_attrs(model, d)) for d in dims},
                   attrs=dataset_attrs(model, fixed))


def sample(model: ModelLike, priors: Any, n: int, seed: int | np.random.Generator | None = None, method: str = "random",
           *, outcomes: Sequence[str] | None = None, chunks: Any = None, client: Any = None,
           progress: bool | None = None) -> Any:
    """``model`` at ``n`` points drawn from ``priors``, as an ``xarray.Dataset`` (dimension ``sample``).

    See :meth:`atrogame.model.Model.sample` for the user-facing description.

    Examples
    --------
    >>> from atrogame.testing.models import Toy
    >>> ds = sample(Toy(), {"benefit": (1.0, 3.0)}, n=4, seed=0)
    >>> ds.sizes["sample"], ds.attrs["seed"]
    (4, 0)
    """
    if method not in SAMPLE_METHODS:
        raise ValueError(f"method must be one of {', '.join(SAMPLE_METHODS)}; got {method!r}")
    if isinstance(n, bool) or not isinstance(n, int | np.integer) or n < 1:
        raise ValueError(f"n must be a positive integer; got {n!r}")
    n = int(n)
    wanted = check_outcomes(model, list(outcomes) if outcomes is not None else list(model.outcome_names))
    pri = resolve_priors(model, priors)
    seed_ = resolve_seed(seed)
    if method == "sobol" and n & (n - 1):
        warnings.warn(f"a Sobol design keeps its balance properties only when n is a power of 2; got n={n}",
                      UserWarning, stacklevel=3)
    fixed = [k for k in model.parameter_values() if k not in pri]
    attrs = {**dataset_attrs(model, fixed), "design": method, "seed": seed_, "n": n,
             "priors": json.dumps({k: p.describe() for k, p in pri.items()})}
    if chunks is not None or client is not None:
        return chunked_sample(model, tuple(pri.values()), n, seed_, method, wanted,
                              "auto" if chunks is None else chunks, client, attrs)
    X = transform(unit_design(method, len(pri), n, seed_), tuple(pri.values()))
    cols, res, failures = validated_compute(model, {k: X[:, j] for j, k in enumerate(pri)}, (n,),
                                            [*wanted, "regime"], progress=progress_enabled(progress))
    coords: dict[str, Any] = {"sample": ("sample", np.arange(n), {"long_name": "sample index"})}
    coords.update({k: ("sample", np.asarray(cols[k], dtype=float), param_attrs(model, k)) for k in pri})
    return dataset(model, ["sample"], (n,), wanted, res, failures, coords=coords, attrs=attrs)


# ---------------------------------------------------------------------- Dataset building
def dataset(model: ModelLike, dims: Sequence[str], shape: tuple[int, ...], wanted: Sequence[str],
            res: Mapping[str, Any], failures: Sequence[Failure], *, coords: Mapping[str, Any],
            attrs: Mapping[str, Any]) -> Any:
    """The labelled ``xarray.Dataset`` of an in-memory sweep or sample (built here only).

    Every outcome carries ``long_name``/``units``/``symbol``; ``regime`` holds int8 codes with
    CF ``flag_values``/``flag_meanings``; models solved point by point add the int8 variable
    ``failed``, ``attrs["n_failed"]``, ``attrs["failures"]`` (JSON) and one warning.
    """
    import xarray as xr

    dims = list(dims)
    data_vars: dict[str, Any] = {w: (dims, _materialise(res[w], shape, float), outcome_attrs(model, w))
                                 for w in wanted}
    data_vars["regime"] = (dims, _regime_codes(res["regime"], shape), regime_attrs(model))
    if not model.vectorised:
        flag = np.zeros(shape, dtype=np.int8)
        for f in failures:
            flag[f.index] = 1
        data_vars["failed"] = (dims, flag, FAILED_ATTRS)
    ds = xr.Dataset({k: _variable(xr, k, v) for k, v in data_vars.items()},
                    coords={k: _variable(xr, k, v) for k, v in coords.items()})
    ds.attrs.update(attrs)
    if not model.vectorised:
        ds.attrs["n_failed"] = len(failures)
        ds.attrs["failures"] = failures_json(failures)
        warn_failures(failures, math.prod(shape), stacklevel=5)
    return ds


def _variable(xr: Any, name: str, spec: Any) -> Any:
    """An ``xarray`` variable from a ``(dims, numpy array, attrs)`` tuple, built without xarray's type sniffing.

    Our arrays are plain numpy arrays, so xarray's fast path is exact; it also keeps xarray
    from importing ``dask.array`` (about 0.4 s) merely to rule out a dask array, which makes
    a first sweep in a fresh process markedly faster (benchmarks/run.py, cold start). A
    dimension coordinate is handed over as the ``pandas.Index`` xarray would build from it,
    for the same reason: from a bare array xarray imports ``dask`` to rule out a dask array.
    """
    if not isinstance(spec, tuple):
        return spec
    dims, data, *rest = spec
    dims = (dims,) if isinstance(dims, str) else tuple(dims)
    data = np.asarray(data)
    attrs = dict(rest[0]) if rest else {}
    if data.dtype.kind not in "biuf" or data.ndim != len(dims):
        return xr.Variable(dims, data, attrs)
    if dims == (name,):
        import pandas as pd

        return xr.IndexVariable(dims, pd.Index(data), attrs, fastpath=True)
    return xr.Variable(dims, data, attrs, fastpath=True)


def outcome_attrs(model: ModelLike, name: str) -> dict[str, str]:
    """Attributes of an outcome's Dataset variable, from the model's outcome metadata.

    A unitless variable has no ``units`` attribute (xarray's plots would label it ``[]``).
    """
    return _drop_empty_units(model.outcome_info(name).attrs())


def _drop_empty_units(attrs: dict[str, str]) -> dict[str, str]:
    return {k: v for k, v in attrs.items() if k != "units" or v}


def param_attrs(model: ModelLike, name: str) -> dict[str, str]:
    """Attributes of a swept parameter's coordinate, from the parameter metadata (no empty ``units``)."""
    m = model.parameter_meta(name)
    return _drop_empty_units({"long_name": m["long_name"], "units": m["units"], "symbol": m["latex"]})


def regime_attrs(model: ModelLike) -> dict[str, Any]:
    """CF flag attributes of the ``regime`` variable."""
    return {"long_name": "regime", "flag_values": list(range(len(model.regime_names))),
            "flag_meanings": " ".join(model.regime_names)}


def dataset_attrs(model: ModelLike, fixed: Sequence[str]) -> dict[str, Any]:
    """Provenance attributes: model, citation, reference, version and the fixed parameters."""
    from atrogame import __version__

    vals = model.parameter_values()
    return {
        "model": model.name,
        "citation": model.citation,
        "reference": model.reference,
        "provenance": model.provenance,
        "atrogame_version": __version__,
        "parameters": json.dumps({k: vals[k] for k in fixed}),
        **model.extra_attrs(),
    }


def _regime_codes(a: Any, shape: tuple[int, ...]) -> np.ndarray:
    """Integer regime codes as int8; NaN (a failed or undefined point) becomes -1."""
    arr = np.asarray(a)
    if arr.dtype.kind == "f":
        arr = np.where(np.isfinite(arr), arr, -1)
    return _materialise(arr, shape, np.int8)


def _materialise(a: Any, shape: tuple[int, ...], dtype: Any) -> np.ndarray:
    arr = np.asarray(a)
    if arr.shape == shape and arr.flags.writeable:
        return arr.astype(dtype, copy=False)
    return np.array(np.broadcast_to(arr, shape), dtype=dtype)
