"""Array helpers of the evaluation path: stacking outcome columns without strided passes.

``Model.evaluate`` returns an ``N × k`` array of outcomes. ``numpy.stack(cols, axis=-1)``
writes each column with a stride of ``k`` elements across the whole output, so the output
is dragged through the cache ``k`` times. :func:`stack_columns` fills it block by block
(each block of rows stays in cache while every column is written into it), or in one
compiled parallel pass with :mod:`atrogame.accel`. See docs/explanation/performance.md.

Examples
--------
>>> import numpy as np
>>> a, b = np.arange(5.0), np.arange(5.0) * 10
>>> bool((stack_columns([a, b]) == np.stack([a, b], axis=-1)).all())
True
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

__all__ = ["stack_columns"]

#: Rows per block (a block of a 16-column float64 output is 512 KiB).
BLOCK_ROWS = 4096


def stack_columns(cols: Sequence[np.ndarray]) -> np.ndarray:
    """``numpy.stack(cols, axis=-1)`` for 1-D arrays of one length, as float64, in one pass.

    Examples
    --------
    >>> stack_columns([np.array([1, 2]), np.array([3.0, 4.0])]).tolist()
    [[1.0, 3.0], [2.0, 4.0]]
    """
    arrs = [np.asarray(c) for c in cols]
    if not arrs or any(a.ndim != 1 or a.shape != arrs[0].shape for a in arrs):
        return np.stack([np.asarray(a, dtype=float) for a in arrs], axis=-1)
    n, k = arrs[0].shape[0], len(arrs)
    whole = _columns_of(arrs)
    if whole is not None:  # already the columns of one row-major matrix (a kernel wrote them so)
        return whole
    out = np.empty((n, k))
    if n < 2 * BLOCK_ROWS:
        for j, a in enumerate(arrs):
            out[:, j] = a
        return out
    for r0 in range(0, n, BLOCK_ROWS):
        blk = out[r0:r0 + BLOCK_ROWS]
        for j, a in enumerate(arrs):
            blk[:, j] = a[r0:r0 + BLOCK_ROWS]
    return out


def _columns_of(arrs: Sequence[np.ndarray]) -> np.ndarray | None:
    """The ``N × k`` C-contiguous float64 matrix whose columns are ``arrs``, in order, if there is one.

    Examples
    --------
    >>> M = np.zeros((3, 2))
    >>> _columns_of([M[:, 0], M[:, 1]]) is M, _columns_of([M[:, 1], M[:, 0]]) is None
    (True, True)
    """
    base = arrs[0].base
    if not isinstance(base, np.ndarray) or base.dtype != np.float64 or base.ndim != 2:
        return None
    n, k = arrs[0].shape[0], len(arrs)
    if base.shape != (n, k) or not base.flags.c_contiguous:
        return None
    start = base.__array_interface__["data"][0]
    for j, a in enumerate(arrs):
        if (a.base is not base or a.dtype != np.float64 or a.strides != (8 * k,)
                or a.__array_interface__["data"][0] != start + 8 * j):
            return None
    return base
