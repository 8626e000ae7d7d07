"""Compiled (numba) helpers shared by the models' compiled loops: the range pass, folding values into running ranges.

Two ways to fold an input into a running range inside a loop:

* :func:`fold` keeps a float minimum and maximum (any domain; the loop also sums its inputs,
  whose sum is NaN or ±inf when one is, see :func:`store_ranges`). An input whose domain is
  unbounded above needs no maximum: once the sum proves it finite, :data:`FLOAT_MAX` encloses it;
* for inputs whose domain lies in [0, ∞), the running maximum of their *bit patterns* read as
  unsigned integers (:func:`bits`, :func:`store_bit_ranges`). For non-negative doubles that
  order is the numeric order, and every negative number (−0.0 included), ±inf and NaN has a
  pattern at or above that of +inf (:data:`INF_BITS`): one integer maximum per value checks the
  upper bound, the sign and finiteness at once, on the integer units that a floating-point loop
  leaves idle. A domain open at 0 reads ``bits(x) - 1`` (:func:`open_bits`), which sends +0.0
  to the top as well.

Importing this module imports numba; `atrogame.accel` imports it only when the compiled path is used.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numba as nb
import numpy as np
from numba import prange
from numba.core import types
from numba.extending import intrinsic

from atrogame.accel import JIT_OPTIONS as _JIT

#: The largest finite float64: the upper bound that encloses a finite input whose maximum a loop
#: does not track (its domain is unbounded above).
FLOAT_MAX = float(np.finfo(np.float64).max)


# ---------------------------------------------------------------------- min / max
@nb.njit(**_JIT)
def _min_max_2d(V: Any, cidx: Any, chunks: int) -> Any:  # pragma: no cover - compiled
    n = V.shape[0]
    k = cidx.shape[0]
    lo = np.full((chunks, k), np.inf)
    hi = np.full((chunks, k), -np.inf)
    nan = np.zeros((chunks, k), dtype=np.bool_)
    step = (n + chunks - 1) // chunks
    for c in prange(chunks):
        r0 = c * step
        r1 = min(n, r0 + step)
        for r in range(r0, r1):
            for j in range(k):
                x = V[r, cidx[j]]
                if x < lo[c, j]:
                    lo[c, j] = x
                if x > hi[c, j]:
                    hi[c, j] = x
                if x != x:
                    nan[c, j] = True
    mn = np.empty(k)
    mx = np.empty(k)
    for j in range(k):
        a = np.inf
        b = -np.inf
        bad = False
        for c in range(chunks):
            a = min(a, lo[c, j])
            b = max(b, hi[c, j])
            bad = bad or nan[c, j]
        mn[j] = np.nan if bad else a
        mx[j] = np.nan if bad else b
    return mn, mx


def _root(a: np.ndarray) -> Any:
    while isinstance(a.base, np.ndarray):
        a = a.base
    return a.base if a.base is not None else a


def _as_matrix(cols: Sequence[np.ndarray]) -> tuple[np.ndarray, np.ndarray] | None:
    """A 2-D view (rows × columns) of 1-D arrays that are the columns of one row-major buffer."""
    first = cols[0]
    n, s = first.shape[0], first.strides[0]
    if s <= 0 or any(c.shape != (n,) or c.strides != (s,) or c.dtype != np.float64 for c in cols):
        return None
    root = _root(first)
    if any(_root(c) is not root for c in cols):
        return None
    ptrs = np.array([c.__array_interface__["data"][0] for c in cols], dtype=np.int64)
    off = ptrs - ptrs.min()
    if (off % 8).any() or off.max() >= s:
        return None
    base = cols[int(np.argmin(ptrs))]
    span = int(off.max()) // 8 + 1
    V = np.lib.stride_tricks.as_strided(base, shape=(n, span), strides=(s, 8), writeable=False)
    return V, (off // 8).astype(np.int64)


def min_max(cols: Sequence[np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    chunks = 4 * nb.get_num_threads()
    mat = _as_matrix(cols)
    if mat is not None:
        return _min_max_2d(mat[0], mat[1], chunks)
    mn, mx = np.empty(len(cols)), np.empty(len(cols))
    one = np.zeros(1, dtype=np.int64)
    for j, c in enumerate(cols):
        lo, hi = _min_max_2d(c.reshape(-1, 1), one, chunks)
        mn[j], mx[j] = lo[0], hi[0]
    return mn, mx


# ---------------------------------------------------------------------- range tracking inside kernels
def chunks() -> int:
    """Chunks of a compiled parallel loop: four per thread (balances uneven branches).

    Examples
    --------
    >>> chunks() == 4 * nb.get_num_threads()
    True
    """
    return 4 * nb.get_num_threads()


@nb.njit(inline="always")
def fold(lo: float, hi: float, x: float) -> tuple[float, float]:  # pragma: no cover - compiled
    """``(min(lo, x), max(hi, x))`` for a running range kept in registers (a NaN ``x`` is left out:
    loops track finiteness separately, e.g. by summing the inputs).

    Examples
    --------
    >>> fold(1.0, 2.0, 0.5), fold(1.0, 2.0, float("nan"))
    ((0.5, 2.0), (1.0, 2.0))
    """
    return (x if x < lo else lo), (x if x > hi else hi)


@nb.njit(inline="always")
def store_ranges(lo: Any, hi: Any, nf: Any, c: int, mins: Any, maxs: Any, fin: float) -> None:  # pragma: no cover
    """Write chunk ``c``'s running minima and maxima (tuples, one entry per input) and its finiteness
    sum (0, or NaN when an input held a NaN or ±inf) into the buffers of :func:`atrogame.accel.bounds_buffers`.

    Examples
    --------
    >>> lo, hi, nf = np.zeros((2, 2)), np.zeros((2, 2)), np.zeros((2, 1))
    >>> store_ranges(lo, hi, nf, 1, (0.5, 1.0), (2.0, 3.0), 7.0)
    >>> lo[1].tolist(), hi[1].tolist(), nf[1].tolist()
    ([0.5, 1.0], [2.0, 3.0], [0.0])
    """
    for j in range(len(mins)):
        lo[c, j] = mins[j]
        hi[c, j] = maxs[j]
    nf[c, 0] = fin * 0.0


# ---------------------------------------------------------------------- ranges of bit patterns
#: The bit pattern of +inf: a float64 is finite and in [+0, ∞) iff its pattern, read as an
#: unsigned integer, is below this.
INF_BITS = np.uint64(0x7FF0000000000000)


@intrinsic
def _bitcast(typingctx: Any, x: Any) -> Any:  # pragma: no cover - typed at compile time
    """Reinterpret a float64 as a uint64 or a 64-bit integer as a float64 (an LLVM bitcast)."""
    to: Any
    if x == types.float64:
        to = types.uint64
    elif x in (types.uint64, types.int64):
        to = types.float64
    else:
        return None

    def codegen(context: Any, builder: Any, signature: Any, args: Any) -> Any:
        return builder.bitcast(args[0], context.get_value_type(to))

    return to(x), codegen


_cast: Any = _bitcast  # (numba's stubs type an intrinsic's call with the typing context as an argument)


@nb.njit(inline="always")
def bits(x: float) -> Any:  # pragma: no cover - compiled
    """The bit pattern of the float64 ``x`` as an unsigned 64-bit integer (no conversion).

    Examples
    --------
    >>> hex(bits(1.0)), bool(bits(0.5) < bits(1.0) < bits(2.0) < INF_BITS)
    ('0x3ff0000000000000', True)
    >>> bool(bits(-0.0) >= INF_BITS), bool(bits(float("nan")) >= INF_BITS)
    (True, True)
    """
    return _cast(x)


@nb.njit(inline="always")
def from_bits(u: Any) -> float:  # pragma: no cover - compiled
    """The float64 whose bit pattern is the unsigned integer ``u`` (the inverse of :func:`bits`).

    Examples
    --------
    >>> from_bits(bits(0.25))
    0.25
    """
    return _cast(u)


@nb.njit(inline="always")
def open_bits(x: float) -> Any:  # pragma: no cover - compiled
    """``bits(x) - 1`` (wrapping): for a domain open at 0, below ``INF_BITS - 1`` iff ``x`` is
    finite and strictly positive (+0.0 wraps to the largest pattern).

    Examples
    --------
    >>> bool(open_bits(5e-324) == 0), bool(open_bits(0.0) >= INF_BITS - np.uint64(1))
    (True, True)
    """
    return _cast(x) - np.uint64(1)


@nb.njit(inline="always")
def store_bit_ranges(lo: Any, hi: Any, nf: Any, c: int, maxs: Any, opened: Any) -> None:  # pragma: no cover
    """Write chunk ``c``'s ranges of non-negative inputs into the buffers of :func:`atrogame.accel.bounds_buffers`.

    ``maxs`` holds each input's running maximum of :func:`bits`, or of :func:`open_bits` where
    ``opened`` is 1 (the input's domain is open at 0). The range written is [0.0, max] or, for
    an input open at 0, [5e-324, max]: the smallest positive float encloses every value that
    passed. A maximum at or above ``INF_BITS - opened`` means a negative, zero (if open), infinite
    or NaN value: the chunk's finiteness entry becomes NaN, which voids every bound
    (:func:`atrogame.accel.reduce_bounds`) and sends the inputs to the exact elementwise check.

    Examples
    --------
    >>> lo, hi, nf = np.zeros((1, 2)), np.zeros((1, 2)), np.zeros((1, 1))
    >>> one, zero = np.uint64(1), np.uint64(0)
    >>> store_bit_ranges(lo, hi, nf, 0, (np.uint64(bits(0.5)), np.uint64(open_bits(3.0))), (zero, one))
    >>> lo[0].tolist(), hi[0].tolist(), nf[0].tolist()
    ([0.0, 5e-324], [0.5, 3.0], [0.0])
    >>> store_bit_ranges(lo, hi, nf, 0, (np.uint64(bits(0.5)), np.uint64(open_bits(0.0))), (zero, one))
    >>> nf[0].tolist()
    [nan]
    """
    bad = False
    for j in range(len(maxs)):
        lo[c, j] = from_bits(opened[j])
        hi[c, j] = from_bits(maxs[j] + opened[j])
        bad = bad or maxs[j] >= INF_BITS - opened[j]
    nf[c, 0] = np.nan if bad else 0.0
