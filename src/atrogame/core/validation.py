"""Range checks of parameter arrays at memory speed.

:meth:`atrogame.core.parameters.Parameters.validate_arrays` checks every value of every
array against the parameter's :class:`~atrogame.core.parameters.Interval`. Done naively
(``isfinite``, two comparisons, two ``&``) that is five passes and four temporary arrays per
parameter; on the columns of an ``N × d`` design matrix (strided views) each pass also
drags the whole matrix through the cache. Here the check is a reduction instead:

* an array is valid iff its minimum and maximum are finite and lie in the interval (``NaN``
  propagates through both reductions, so a ``NaN`` anywhere fails the check);
* the arrays of one length are reduced **block by block, all arrays per block**, so the
  rows of a design matrix are read from memory once, however many columns it has;
* with the optional accelerator (``pip install atrogame[fast]``, numba), one compiled
  parallel pass computes every minimum and maximum at once.

Only when a check fails is the full elementwise mask built, to report how many values are
invalid and the first of them (the error message of
:class:`~atrogame.core.errors.ParameterError`). See docs/explanation/performance.md.

Examples
--------
>>> import numpy as np
>>> from atrogame.core.parameters import Interval
>>> unit = Interval(0, 1, "both")
>>> first_invalid([np.array([0.2, 0.5]), np.array([1.0, 0.0])], [unit, unit]) is None
True
>>> first_invalid([np.array([0.2, 0.5]), np.array([1.0, np.nan, 2.0])], [unit, unit])
(1, nan, 2)
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

__all__ = ["BLOCK", "bounds_ok", "farthest_from_default", "first_invalid", "log_distance", "min_max"]

#: Elements per block of the blocked reduction.
BLOCK = 8192
#: Below this many elements an array is reduced in one call.
SMALL = 2 * BLOCK


def bounds_ok(mn: float, mx: float, interval: Any) -> bool:
    """Whether every value between ``mn`` and ``mx`` is finite and inside ``interval``.

    Examples
    --------
    >>> from atrogame.core.parameters import Interval
    >>> bounds_ok(0.0, 1.0, Interval(0, 1, "both")), bounds_ok(0.0, 1.0, Interval(0, 1, "right"))
    (True, False)
    >>> bounds_ok(float("nan"), 0.5, Interval(None, None))
    False
    """
    if not (math.isfinite(mn) and math.isfinite(mx)):
        return False
    lo_ok = mn >= interval.lo if interval.left_closed else mn > interval.lo
    hi_ok = mx <= interval.hi if interval.right_closed else mx < interval.hi
    return bool(lo_ok and hi_ok)


def min_max(arrays: Sequence[np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """Minimum and maximum of each array (NaN if it holds a NaN); one pass over memory.

    Arrays of equal length are reduced together, block by block; others one by one. Uses
    the compiled pass of :mod:`atrogame.accel` when it is enabled. Empty arrays give
    ``(inf, -inf)``.

    Examples
    --------
    >>> X = np.arange(12.0).reshape(4, 3)
    >>> mn, mx = min_max([X[:, 0], X[:, 2], np.array(7.0)])
    >>> mn.tolist(), mx.tolist()
    ([0.0, 2.0, 7.0], [9.0, 11.0, 7.0])
    """
    k = len(arrays)
    mn = np.full(k, np.inf)
    mx = np.full(k, -np.inf)
    groups: dict[int, list[int]] = {}
    for j, a in enumerate(arrays):
        if a.size == 0:
            continue
        if a.ndim == 1 and a.size >= SMALL:
            groups.setdefault(a.size, []).append(j)
        else:
            c = a if a.size < 256 or a.flags.c_contiguous else np.ascontiguousarray(a)
            mn[j] = np.min(c)
            mx[j] = np.max(c)
    if groups:
        from atrogame import accel

        fast = accel.enabled()
        buf = np.empty(BLOCK)
        for n, idx in groups.items():
            cols = [arrays[j] for j in idx]
            if fast:
                lo, hi = accel.min_max(cols)
                mn[idx], mx[idx] = lo, hi
                continue
            nb = -(-n // BLOCK)
            lo = np.empty((nb, len(idx)))
            hi = np.empty((nb, len(idx)))
            strided = [c.strides[0] != c.itemsize for c in cols]
            for b in range(nb):  # block-outer: a block of every column is read from memory once
                sl = slice(b * BLOCK, (b + 1) * BLOCK)
                for ci, col in enumerate(cols):
                    blk = col[sl]
                    if strided[ci]:  # numpy reduces strided data slowly: gather into a cached buffer
                        tmp = buf[:blk.size]
                        np.copyto(tmp, blk)
                        blk = tmp
                    lo[b, ci] = blk.min()
                    hi[b, ci] = blk.max()
            mn[idx], mx[idx] = lo.min(axis=0), hi.max(axis=0)  # NaN propagates
    return mn, mx


def first_invalid(arrays: Sequence[np.ndarray], intervals: Sequence[Any],
                  bounds: tuple[np.ndarray, np.ndarray] | None = None) -> tuple[int, float, int] | None:
    """``None`` if every value is finite and in its interval, else ``(j, first bad value, count)``.

    ``j`` is the position of the first failing array; the count is of its invalid values.
    ``bounds`` are the arrays' minima and maxima when already reduced (e.g. by a compiled
    kernel; NaN bounds just send an array to the elementwise check), else :func:`min_max`.

    Examples
    --------
    >>> from atrogame.core.parameters import Interval
    >>> first_invalid([np.array([-1.0, 3.0, -2.0])], [Interval(0, None, "left")])
    (0, -1.0, 2)
    >>> first_invalid([np.array([1.0, 3.0])], [Interval(0, None, "left")], bounds=(np.array([np.nan]),) * 2) is None
    True
    """
    mn, mx = min_max(arrays) if bounds is None else bounds
    for j, (a, interval) in enumerate(zip(arrays, intervals, strict=True)):
        if a.size == 0 or bounds_ok(float(mn[j]), float(mx[j]), interval):
            continue
        ok = interval.mask(a)
        bad = np.asarray(a)[~ok]
        if bad.size:  # (void bounds can send a valid array here)
            return j, float(bad.flat[0]), int(bad.size)
    return None


def farthest_from_default(point: Mapping[str, float], defaults: Mapping[str, float], names: Sequence[str]) -> str:
    """The name in ``names`` whose value in ``point`` lies farthest from its default, in log terms.

    The overflow rules of the models blame this input when a point's outcome leaves the float
    range. The distance is ``|ln|x| − ln|d||`` as a difference of logs (the ratio of a subnormal
    value to its default would underflow); a parameter without a finite non-zero default is
    measured from 1, and a value of 0 has distance 0.

    Examples
    --------
    >>> farthest_from_default({"a": 1e300, "b": 5e-324, "c": 0.0}, {"a": 1.0, "b": 0.5, "c": 2.0}, ["a", "b", "c"])
    'b'
    >>> farthest_from_default({"a": 2.0, "target": 1e10}, {"a": 1.0}, ["a", "target"])
    'target'
    """

    return max(names, key=lambda k: log_distance(point[k], defaults.get(k, math.nan)))


def log_distance(value: float, default: float) -> float:
    """``|ln|value| − ln|default||``, from 1 where ``default`` is 0, missing (NaN) or infinite; 0 at 0.

    Examples
    --------
    >>> round(log_distance(5e-324, 0.5), 1), log_distance(0.0, 2.0), round(log_distance(-1e3, float("nan")), 3)
    (743.7, 0.0, 6.908)
    """
    x, d = abs(value), abs(default)
    ref = math.log(d) if 0 < d < math.inf else 0.0
    return abs(math.log(x) - ref) if x > 0 else 0.0

