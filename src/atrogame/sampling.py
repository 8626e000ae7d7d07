"""Designs, per-point failure records and the Dask plumbing behind ``sweep`` and ``sample``.

:meth:`atrogame.core.model.Model.sample` draws parameter points from *priors* (ranges
or scipy.stats frozen distributions) with a random, Latin hypercube or scrambled Sobol
design; :meth:`~atrogame.core.model.Model.sweep` solves a full factorial grid. Both
return an ``xarray.Dataset`` and both accept ``chunks=``/``client=`` to run block by block
on Dask. This module holds the pieces they share:

* the unit-cube designs, generated so that any block of rows can be produced on its
  own (random rows by jumping the PCG64 stream ahead, Sobol rows by fast-forwarding the
  sequence), hence results never depend on chunking;
* the block functions that Dask runs: they receive the *model class and its state*
  (plain data that pickles) and numpy blocks, never compiled functions;
* :class:`PointFailureWarning` and the failure records of models solved point by point.

Examples
--------
>>> import atrogame as ag
>>> from atrogame.models.toy import Toy
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

from atrogame.core.errors import AtrogameWarning

SAMPLE_METHODS = ("random", "latin", "sobol")
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


def compute(model: Any, arrays: Mapping[str, np.ndarray], shape: tuple[int, ...], wanted: Sequence[str],
            progress: bool = False, threads: int | None = None) -> tuple[dict[str, np.ndarray], list[Failure]]:
    """``model._compute`` on the whole grid, split across threads for large closed-form grids.

    numpy releases the GIL inside its loops, so slabs of the grid evaluated on separate
    threads run in parallel. The kernel is elementwise, so the result is the same as
    one call (tested); each slab is copied into the output as soon as it is done, which
    keeps the extra memory to a few slabs.

    Returns the outcomes by name and the list of :class:`Failure` records (empty for a
    closed form).

    Examples
    --------
    >>> from atrogame.models.toy import Toy
    >>> grid = {"benefit": np.array([0.5, 2.0, 3.0]), "curvature": np.array(1.0), "threshold": np.array(1.0)}
    >>> out, failures = compute(Toy(), grid, (3,), ["x"])
    >>> out["x"].tolist(), failures
    ([0.0, 1.0, 2.0], [])
    """
    import math as _math

    k = default_threads() if threads is None else threads
    n = _math.prod(shape)
    if not model.vectorised or k < 2 or n < PARALLEL_MIN_POINTS:
        return model._compute(arrays, shape, wanted, progress=progress)
    axis = int(np.argmax(shape))
    pieces = min(shape[axis], 4 * k, max(k, n // 2**15))
    if pieces < 2:
        return model._compute(arrays, shape, wanted, progress=progress)
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
        res, _ = model._compute(sub, pshape, wanted)
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


# ---------------------------------------------------------------------- seeds and designs
def resolve_seed(seed: int | np.random.Generator | None) -> int:
    """A non-negative integer seed (drawn fresh when ``None``) that is recorded in attrs.

    Examples
    --------
    >>> resolve_seed(3)
    3
    >>> resolve_seed(np.random.default_rng(0)) == resolve_seed(np.random.default_rng(0))
    True
    """
    if seed is None:
        state = np.random.SeedSequence().generate_state(2, dtype=np.uint32)
        return int(state[0]) << 31 | int(state[1] >> 1)
    if isinstance(seed, np.random.Generator):
        return int(seed.integers(0, 2**63 - 1))
    if isinstance(seed, bool) or not isinstance(seed, int | np.integer) or seed < 0:
        raise TypeError(f"seed must be a non-negative int, a numpy Generator or None; got {seed!r}")
    return int(seed)


def unit_design(method: str, d: int, n: int, seed: int, start: int = 0, stop: int | None = None) -> np.ndarray:
    """Rows ``start:stop`` of an ``n × d`` design in the unit cube.

    Any block of rows equals the same rows of the whole design, so chunked and
    in-memory samples agree exactly: random rows jump the PCG64 stream ahead, Sobol
    rows fast-forward the scrambled sequence. (A Latin hypercube is a property of all
    ``n`` rows together, so its blocks are cut from the whole design.)

    Examples
    --------
    >>> whole = unit_design("random", 2, 10, seed=0)
    >>> bool((unit_design("random", 2, 10, seed=0, start=4, stop=7) == whole[4:7]).all())
    True
    """
    stop = n if stop is None else stop
    m = stop - start
    if method == "random":
        bg = np.random.PCG64(seed)
        if start:
            bg.advance(start * d)  # one 64-bit draw per double
        return np.random.Generator(bg).random((m, d))
    from scipy.stats import qmc

    if method == "sobol":
        eng = qmc.Sobol(d, scramble=True, rng=seed)
        if start:
            eng.fast_forward(start)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)  # balance warning: issued once by sample()
            return eng.random(m)
    if method == "latin":
        return qmc.LatinHypercube(d, rng=seed).random(n)[start:stop]
    raise ValueError(f"method must be one of {', '.join(SAMPLE_METHODS)}; got {method!r}")


# ---------------------------------------------------------------------- priors
@dataclass(frozen=True)
class Prior:
    """A parameter's sampling distribution: uniform on ``(low, high)`` or a frozen scipy one.

    Examples
    --------
    >>> p = Prior("benefit", 0.5, 3.0)
    >>> p.ppf(np.array([0.0, 0.5, 1.0])).tolist(), p.describe()
    ([0.5, 1.75, 3.0], 'uniform(0.5, 3)')
    >>> from scipy import stats
    >>> Prior("benefit", dist=stats.lognorm(0.5)).describe()
    'lognorm(0.5)'
    """

    name: str
    low: float = math.nan
    high: float = math.nan
    dist: Any = None

    def ppf(self, u: np.ndarray) -> np.ndarray:
        """Map unit-cube values to parameter values (inverse CDF)."""
        if self.dist is not None:
            return np.asarray(self.dist.ppf(u), dtype=float)
        return self.low + (self.high - self.low) * np.asarray(u, dtype=float)

    def describe(self) -> str:
        if self.dist is not None:
            d = self.dist
            args = ", ".join([*(f"{a:g}" if isinstance(a, float) else str(a) for a in d.args),
                              *(f"{k}={v}" for k, v in d.kwds.items())])
            return f"{d.dist.name}({args})"
        return f"uniform({self.low:g}, {self.high:g})"


def resolve_priors(model: Any, priors: Any) -> dict[str, Prior]:
    """Turn ``priors`` into :class:`Prior` objects, checked against the model's parameters.

    ``priors`` maps parameter names to ``(low, high)`` or a scipy.stats frozen
    distribution (``None`` means the parameter's ``sweep_range``); a sequence of names
    samples each uniformly on its ``sweep_range``.

    Examples
    --------
    >>> from atrogame.models.toy import Toy
    >>> pr = resolve_priors(Toy(), {"benefit": (0.5, 3.0), "threshold": None})
    >>> [p.describe() for p in pr.values()]
    ['uniform(0.5, 3)', 'uniform(0, 5)']
    >>> resolve_priors(Toy(), {"curvature": (-1.0, 1.0)})  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    atrogame.core.errors.ParameterError: curvature must be in (0, inf); got -0.99... (2 of 3 values invalid)
    """
    if isinstance(priors, str):
        priors = [priors]
    if not isinstance(priors, Mapping):
        try:
            priors = dict.fromkeys(priors)
        except TypeError:
            raise TypeError("priors must map parameter names to (low, high) or a scipy.stats "
                            f"frozen distribution; got {priors!r}") from None
    if not priors:
        raise ValueError("priors is empty: give at least one parameter to sample")
    valid = model.parameter_values()
    out: dict[str, Prior] = {}
    for name, spec in priors.items():
        if name not in valid:
            raise TypeError(f"unknown parameter {name!r} for {type(model).__name__}; valid names: "
                            f"{', '.join(valid)}")
        if spec is None:
            spec = tuple(model.parameter_meta(name)["sweep_range"])
        if hasattr(spec, "ppf") and hasattr(spec, "dist"):
            out[name] = Prior(name, dist=spec)
            continue
        try:
            lo, hi = (float(v) for v in spec)
        except (TypeError, ValueError):
            raise TypeError(f"prior for {name} must be (low, high) or a scipy.stats frozen distribution; "
                            f"got {spec!r}") from None
        if not (math.isfinite(lo) and math.isfinite(hi) and lo <= hi):
            raise ValueError(f"prior for {name} must be a finite range with low <= high; got ({lo}, {hi})")
        out[name] = Prior(name, lo, hi)
    # Check the priors' reach against the domains now, not halfway through a long run.
    probe = np.array([1e-12, 0.5, 1 - 1e-12])
    model._validate_arrays({k: p.ppf(probe) for k, p in out.items()})
    return out


# ---------------------------------------------------------------------- shipping the model
class ModelRef:
    """The model's class and instance state: what Dask ships to workers (it pickles).

    Workers rebuild the model with :meth:`build`; compiled functions are derived again
    there from the model's cached derivation, never sent over the wire.

    Examples
    --------
    >>> from atrogame.models.toy import Toy
    >>> ref = pickle.loads(pickle.dumps(ModelRef(Toy(benefit=3.0))))
    >>> ref.build()
    Toy(benefit=3, curvature=1, threshold=1)
    """

    __slots__ = ("cls", "state")

    def __init__(self, model: Any) -> None:
        self.cls = type(model)
        self.state = {k: _without_caches(v) for k, v in model.__dict__.items() if k != "_last_failures"}

    def build(self) -> Any:
        m = object.__new__(self.cls)
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


def _rebuild_ref(cls: type, state: dict[str, Any]) -> ModelRef:
    ref = object.__new__(ModelRef)
    ref.cls = cls
    ref.state = state
    return ref


@dataclass(frozen=True)
class BlockJob:
    """Everything a block function needs besides the numpy blocks (pickles).

    Examples
    --------
    >>> from atrogame.models.toy import Toy
    >>> job = BlockJob(ModelRef(Toy()), names=("benefit",), wanted=("x",), pointwise=False)
    >>> pickle.loads(pickle.dumps(job)).ref.build().solve().x
    1.0
    """

    ref: ModelRef
    names: tuple[str, ...]
    wanted: tuple[str, ...]
    pointwise: bool


def evaluate_block(model: Any, arrays: Mapping[str, np.ndarray], shape: tuple[int, ...],
                   wanted: Sequence[str], pointwise: bool) -> np.ndarray:
    """Outcomes, regime (-1 where undefined) and a failure flag stacked on a *first* axis.

    Channel first, so that each outcome of a block is one contiguous array.

    Examples
    --------
    >>> from atrogame.models.toy import Toy
    >>> block = {"benefit": np.array([0.5, 3.0]), "curvature": np.array(1.0), "threshold": np.array(1.0)}
    >>> evaluate_block(Toy(), block, (2,), ["x"], pointwise=False).tolist()  # rows: x, regime
    [[0.0, 2.0], [0.0, 1.0]]
    """
    res, failures = model._compute(arrays, shape, [*wanted, "regime"], progress=False)
    chans = [np.broadcast_to(np.asarray(res[w], dtype=float), shape) for w in wanted]
    regime = np.array(np.broadcast_to(np.asarray(res["regime"], dtype=float), shape))
    regime[~np.isfinite(regime)] = -1
    chans.append(regime)
    if pointwise:
        flag = np.zeros(shape)
        for f in failures:
            flag[f.index] = 1
        chans.append(flag)
    return np.stack(chans, axis=0)


def _grid_block(*blocks: np.ndarray, job: BlockJob) -> np.ndarray:
    model = job.ref.build()
    shape = np.broadcast_shapes(*(b.shape for b in blocks))
    arrays = dict(zip(job.names, blocks, strict=True))
    model._validate_arrays(arrays)
    return evaluate_block(model, arrays, shape, job.wanted, job.pointwise)


def _sample_block(x: np.ndarray, job: BlockJob) -> np.ndarray:
    model = job.ref.build()
    arrays = {n: x[:, j] for j, n in enumerate(job.names)}
    model._validate_arrays(arrays)
    return evaluate_block(model, arrays, (x.shape[0],), job.wanted, job.pointwise)


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
    return _transform(unit_design(job.method, len(job.priors), job.n, job.seed, start, stop), job.priors)


def _transform(u: np.ndarray, priors: tuple[Prior, ...]) -> np.ndarray:
    return np.column_stack([p.ppf(u[:, j]) for j, p in enumerate(priors)])


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


def chunked_grid(model: Any, coords: Mapping[str, np.ndarray], wanted: Sequence[str], chunks: Any,
                 client: Any, fixed: Sequence[str]) -> Any:
    """The dask-backed Dataset of :meth:`Model.sweep` with ``chunks``/``client``.

    Examples
    --------
    >>> from atrogame.models.toy import Toy
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
                       {d: (d, coords[d], model._param_attrs(d)) for d in dims})
    ds.attrs.update(model._dataset_attrs(fixed=fixed))
    return _finish(ds, client, pointwise)


def chunked_sample(model: Any, priors: tuple[Prior, ...], n: int, seed: int, method: str,
                   wanted: Sequence[str], chunks: Any, client: Any, attrs: Mapping[str, Any]) -> Any:
    """The dask-backed Dataset of :meth:`Model.sample` with ``chunks``/``client``.

    Examples
    --------
    >>> from atrogame.models.toy import Toy
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
        X = da.from_array(_transform(unit_design(method, d, n, seed), priors), chunks=(rows, (d,)))
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
    coords.update({k: ("sample", X[:, j], model._param_attrs(k)) for j, k in enumerate(names)})
    ds = _lazy_dataset(model, ["sample"], stacked, wanted, pointwise, coords)
    ds.attrs.update(attrs)
    return _finish(ds, client, pointwise)


def _lazy_dataset(model: Any, dims: list[str], stacked: Any, wanted: Sequence[str], pointwise: bool,
                  coords: Mapping[str, Any]) -> Any:
    import xarray as xr

    from atrogame.core.model import _FAILED_ATTRS

    data_vars: dict[str, Any] = {w: (dims, stacked[j], model._outcome_attrs(w)) for j, w in enumerate(wanted)}
    k = len(wanted)
    data_vars["regime"] = (dims, stacked[k].astype(np.int8), model._regime_attrs())
    if pointwise:
        data_vars["failed"] = (dims, stacked[k + 1].astype(np.int8), _FAILED_ATTRS)
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
