"""Optional compiled fast path for closed-form kernels (``pip install atrogame[fast]``: numba).

This package holds what every compiled kernel shares: whether the path is on
(:func:`enabled`, :func:`use_for`), the compilation options (:data:`JIT_OPTIONS`), the lock that
serialises compiled calls (:data:`LOCK`), the argument convention of flat inputs
(:func:`flat_args`) and the compiled range-check pass (:func:`min_max`). Each model keeps its
own compiled loop next to its numpy kernel (e.g. ``atrogame.models.kydd_straus._compiled``), so
this package imports nothing else of atrogame.

When numba is installed, closed-form models evaluate large *flat* inputs (every parameter a
scalar or an array of one common length: ``evaluate``, ``sample``, sensitivity designs) in
one compiled loop that fuses the whole kernel and runs on every core, and parameter
validation reduces all arrays in one compiled pass. Without numba, atrogame uses its numpy
kernels, which are the reference: the compiled kernels are tested to give the same numbers
(to 1e-12) at random points of every regime.

Nothing here imports numba until a large input asks for it, so ``import atrogame`` stays
light. Switch the fast path off with the environment variable ``ATROGAME_ACCEL=0`` or
:func:`set_enabled`; :func:`disabled` does it for a ``with`` block. See
docs/explanation/performance.md.

Examples
--------
>>> from atrogame import accel
>>> with accel.disabled():
...     accel.enabled()
False
>>> accel.use_for(10)     # small inputs never take the compiled path
False
"""

from __future__ import annotations

import contextlib
import functools
import importlib.util
import math
import os
import threading
from collections.abc import Callable, Iterator, Sequence
from typing import Any

import numpy as np

__all__ = ["JIT_OPTIONS", "LOCK", "MIN_POINTS", "available", "bounds_buffers", "disabled", "enabled", "flat_args",
           "flat_shape", "min_max", "reduce_bounds", "run_flat", "set_enabled", "use_for"]

#: Inputs with fewer points use the numpy kernels (the compiled call's fixed cost is not worth it).
MIN_POINTS = 2**14

#: Options of every compiled loop: parallel over points, cached on disk, numpy's error model and
#: no ``fastmath`` (IEEE semantics, so results agree with the numpy reference to rounding).
JIT_OPTIONS: dict[str, Any] = {"parallel": True, "cache": True, "error_model": "numpy", "nogil": True}

_override: bool | None = None
#: numba's default threading layer must not be entered from two threads at once: serialise calls
#: (each call uses every core anyway).
LOCK = threading.RLock()


@functools.cache
def available() -> bool:
    """Whether numba can be imported (checked without importing it).

    Examples
    --------
    >>> isinstance(available(), bool)
    True
    """
    return importlib.util.find_spec("numba") is not None


def enabled() -> bool:
    """Whether the compiled path is used: numba is installed and it has not been switched off.

    Examples
    --------
    >>> set_enabled(False); enabled()
    False
    >>> set_enabled(None)  # back to the default (on when numba is installed)
    """
    if _override is not None:
        return _override and available()
    if os.environ.get("ATROGAME_ACCEL", "").strip().lower() in ("0", "off", "false", "no"):
        return False
    return available()


def set_enabled(flag: bool | None) -> None:
    """Switch the compiled path on (if numba is installed) or off; ``None`` restores the default."""
    global _override
    _override = None if flag is None else bool(flag)


@contextlib.contextmanager
def disabled() -> Iterator[None]:
    """Evaluate with the numpy kernels inside the ``with`` block."""
    global _override
    old = _override
    _override = False
    try:
        yield
    finally:
        _override = old


def use_for(n: int) -> bool:
    """Whether an input of ``n`` points takes the compiled path."""
    return n >= MIN_POINTS and enabled()


def min_max(cols: Sequence[np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """Minimum and maximum of each 1-D array (NaN if it holds one), in one compiled pass."""
    from atrogame.accel import kernels as _kernels

    with LOCK:
        return _kernels.min_max(cols)


def flat_shape(arrays: Sequence[np.ndarray]) -> tuple[tuple[int, ...], int, bool]:
    """The broadcast shape of ``arrays``, its number of points, and whether the input is flat.

    Flat means what a compiled loop takes: at least one point, and every array a scalar or of
    the broadcast shape itself (no broadcasting along an axis).

    Examples
    --------
    >>> flat_shape([np.ones(3), np.asarray(2.0)])
    ((3,), 3, True)
    >>> flat_shape([np.ones((3, 1)), np.ones(2)])[2]
    False
    """
    shape = np.broadcast_shapes(*(a.shape for a in arrays))
    n = math.prod(shape)
    return shape, n, shape != () and n > 0 and all(a.size == 1 or a.shape == shape for a in arrays)


def run_flat(loop: Callable[..., tuple[dict[str, Any], Any]], arrays: Sequence[np.ndarray],
             shape: tuple[int, ...], check: bool = False) -> tuple[dict[str, Any], Any]:
    """Call a model's compiled ``loop(cols, check)`` on flat ``arrays`` (see :func:`flat_shape`)
    under :data:`LOCK`, and give its outputs the input's ``shape``; returns them and the bounds.

    Examples
    --------
    >>> def loop(cols, check):  # a stand-in for a compiled loop
    ...     return {"twice": 2.0 * cols[0] + cols[1]}, None
    >>> out, _ = run_flat(loop, [np.ones((2, 1)), np.asarray(1.0)], (2, 1))
    >>> out["twice"].tolist()
    [[3.0], [3.0]]
    """
    with LOCK:
        res, bounds = loop([np.asarray(a).reshape(-1) for a in arrays], check)
    return {k: v.reshape(shape) for k, v in res.items()}, bounds


def flat_args(cols: Sequence[np.ndarray]) -> tuple[list[np.ndarray], np.ndarray, int]:
    """1-D inputs of length 1 or ``n`` as float64, their steps (0 for a scalar, else 1) and ``n``.

    A compiled loop reads input ``j`` at point ``t`` as ``cols[j][t * steps[j]]``.

    Examples
    --------
    >>> arrays, steps, n = flat_args([np.array([1.0]), np.arange(3.0)])
    >>> steps.tolist(), n
    ([0, 1], 3)
    """
    n = max(c.shape[0] for c in cols)
    steps = np.array([0 if c.shape[0] == 1 else 1 for c in cols], dtype=np.int64)
    return [np.asarray(c, dtype=np.float64) for c in cols], steps, n


def bounds_buffers(k: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per-chunk minimum, maximum and finiteness accumulators of ``k`` inputs, for a compiled loop.

    A compiled kernel that checks its inputs as it reads them splits its points into
    ``lo.shape[0]`` chunks, runs the chunks in parallel, folds every value of input ``j`` into a
    running range (:func:`atrogame.accel.kernels.fold`) and writes chunk ``c``'s ranges into row
    ``c`` of these arrays (:func:`atrogame.accel.kernels.store_ranges`); :func:`reduce_bounds`
    then gives each input's minimum and maximum.

    Examples
    --------
    >>> lo, hi, nf = bounds_buffers(3)
    >>> lo.shape[1], bool((lo == np.inf).all()), bool((nf == 0).all())
    (3, True, True)
    """
    if available():
        from atrogame.accel import kernels as _kernels

        c = _kernels.chunks()
    else:  # the buffers are only used by compiled loops; without numba any count will do
        c = 4
    return np.full((c, k), np.inf), np.full((c, k), -np.inf), np.zeros((c, k))


def reduce_bounds(lo: np.ndarray, hi: np.ndarray, nf: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Minimum and maximum of each input over all chunks; all NaN if any input held a NaN or ±inf.

    Examples
    --------
    >>> lo = np.array([[0.0, 2.0], [1.0, 3.0]]); hi = np.array([[4.0, 5.0], [1.0, 3.0]])
    >>> mn, mx = reduce_bounds(lo, hi, np.zeros((2, 2)))
    >>> mn.tolist(), mx.tolist()
    ([0.0, 2.0], [4.0, 5.0])
    >>> reduce_bounds(lo, hi, np.array([[0.0, 0.0], [0.0, np.nan]]))[0].tolist()
    [nan, nan]
    """
    mn, mx = lo.min(axis=0), hi.max(axis=0)
    if not np.isfinite(nf.sum()):  # loops may keep one finiteness sum for all inputs: every bound is void
        mn[:] = np.nan
        mx[:] = np.nan
    return mn, mx
