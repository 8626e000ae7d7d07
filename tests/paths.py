"""Helpers for tests that compare ``model.evaluate`` on the compiled (numba) and the numpy path.

Importable from every test module as ``import paths`` (pytest puts ``tests/``, the folder of the
root conftest, on ``sys.path``). ``model.evaluate`` takes the compiled loop only for designs of at
least ``accel.MIN_POINTS`` rows when numba is installed; ``accel.disabled()`` gives numpy.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pytest

from atrogame import accel
from atrogame.core.errors import ParameterError


def tiled(X: Any) -> np.ndarray:
    """``X`` (rows of points) repeated until the design is long enough for the compiled loop."""
    X = np.asarray(X, dtype=float)
    return np.tile(X, (accel.MIN_POINTS // len(X) + 1, 1))


def rows(names: Sequence[str], defaults: Mapping[str, float], points: Sequence[Mapping[str, float]]
         ) -> tuple[list[str], np.ndarray]:
    """A design over ``names``: each point's values, the defaults elsewhere, tiled (:func:`tiled`)."""
    names = list(names)
    return names, tiled([[p.get(k, defaults[k]) for k in names] for p in points])


def both_paths(model: Any, X: Any, names: Sequence[str], outs: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    """``model.evaluate`` on the compiled path (where it applies) and on the numpy path."""
    with np.errstate(all="ignore"):
        got = model.evaluate(X, names, outs)
        with accel.disabled():
            ref = model.evaluate(X, names, outs)
    return got, ref


def refusals(model: Any, X: Any, names: Sequence[str], outs: Sequence[str], match: str | None = None
             ) -> list[str]:
    """The ``ParameterError`` messages of ``model.evaluate`` on the compiled and the numpy path
    (each must raise, matching ``match``), in that order."""
    msgs = []
    for off in (False, True):
        with pytest.raises(ParameterError, match=match) as exc:
            if off:
                with accel.disabled():
                    model.evaluate(X, names, outs)
            else:
                model.evaluate(X, names, outs)
        msgs.append(str(exc.value))
    return msgs
