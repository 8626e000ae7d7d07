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
