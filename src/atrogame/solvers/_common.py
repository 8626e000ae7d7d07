"""Helpers shared by the solvers: checking the parameter values a symbolic game is solved at."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from atrogame.core.errors import ParameterError

REAL = "(-inf, inf) (a real number)"


def symbol_values(names: Sequence[str], params: Mapping[str, Any], *, arrays: bool = False,
                  grid_function: str = "the grid function") -> list[Any]:
    """Values of the game's parameters ``names`` in order, checked: known, complete, finite, real.

    Scalars are returned as floats; with ``arrays=True`` numpy arrays are allowed (for grids).

    Examples
    --------
    >>> symbol_values(["a", "b"], {"b": 2, "a": 1.5})
    [1.5, 2.0]
    >>> symbol_values(["a"], {})
    Traceback (most recent call last):
    ...
    atrogame.core.errors.ParameterError: a must be in (-inf, inf) (a real number); got None (missing: pass a=...)
    """
    unknown = sorted(set(params) - set(names))
    if unknown:
        raise ParameterError(unknown[0], f"the game's parameters ({', '.join(names) or 'none'})",
                             params[unknown[0]], "unknown parameter")
    missing = [n for n in names if n not in params]
    if missing:
        raise ParameterError(", ".join(missing), REAL, None, "missing: pass " + ", ".join(f"{n}=..." for n in missing))
    out: list[Any] = []
    for n in names:
        v = params[n]
        try:
            a = np.asarray(v, dtype=float)
        except (TypeError, ValueError):
            raise ParameterError(n, REAL, v) from None
        if not np.isfinite(a).all():
            raise ParameterError(n, REAL, v)
        if not arrays and a.ndim:
            raise ParameterError(n, REAL, v, f"use {grid_function} for arrays")
        out.append(a if arrays else float(a))
    return out


def grid_axes(names: Sequence[str], grid: Mapping[str, Any], *, grid_function: str = "the grid function"
              ) -> list[np.ndarray]:
    """One checked 1-D axis per game parameter, in ``names`` order, for a full-factorial grid.

    Examples
    --------
    >>> [a.tolist() for a in grid_axes(["a", "b"], {"b": [1, 2], "a": 0.5})]
    [[0.5], [1.0, 2.0]]
    """
    symbol_values(names, dict.fromkeys(grid, 0.0), grid_function=grid_function)  # unknown / missing names
    axes = []
    for j, n in enumerate(names):
        values = symbol_values(names, {**dict.fromkeys(names, 0.0), n: grid[n]}, arrays=True)
        ax = np.atleast_1d(np.asarray(values[j], dtype=float))
        if ax.ndim != 1:
            raise ParameterError(n, "scalars or 1-D arrays", grid[n])
        axes.append(ax)
    return axes

