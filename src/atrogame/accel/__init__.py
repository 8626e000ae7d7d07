"""Optional compiled fast path for closed-form kernels (``pip install atrogame[fast]``: numba).

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
import os
import threading
from collections.abc import Iterator, Sequence
from typing import Any

import numpy as np

__all__ = ["MIN_POINTS", "ab_kernel", "available", "disabled", "enabled", "fearon_kernel", "ks_kernel", "min_max",
           "mobilisation_kernel", "set_enabled", "use_for"]

#: Inputs with fewer points use the numpy kernels (the compiled call's fixed cost is not worth it).
MIN_POINTS = 2**14

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
    from atrogame.accel import _kernels

    with LOCK:
        return _kernels.min_max(cols)


def ks_kernel(cols: Sequence[np.ndarray], want: Sequence[str]) -> dict[str, Any]:
    """The Kydd–Straus closed form on flat inputs (see :mod:`atrogame.models._ks_fast`)."""
    from atrogame.accel import _kernels

    with LOCK:
        return _kernels.ks(cols, want)


def fearon_kernel(cols: Sequence[np.ndarray]) -> dict[str, Any]:
    """Fearon's uniform-type closed form on flat inputs (see :mod:`atrogame.models._closed_fast`)."""
    from atrogame.accel import _kernels

    with LOCK:
        return _kernels.fearon(cols)


def mobilisation_kernel(cols: Sequence[np.ndarray]) -> dict[str, Any]:
    """The mobilisation game's closed form on flat inputs (see :mod:`atrogame.models._closed_fast`)."""
    from atrogame.accel import _kernels

    with LOCK:
        return _kernels.mobilisation(cols)


def ab_kernel(technology: str, cols: Sequence[np.ndarray]) -> dict[str, Any]:
    """An Anderton–Brauer technology under max_control on flat inputs (see :mod:`atrogame.models._ab_fast`)."""
    from atrogame.accel import _kernels

    with LOCK:
        return _kernels.anderton_brauer(technology, cols)
