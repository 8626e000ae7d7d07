"""Entry points of the penalizing-atrocities kernel: the numpy closed form or one compiled loop.

``PenalizingAtrocities.kernel``, ``.compute`` and ``.fused_kernel`` call :func:`kernel` and
:func:`kernel_checked`. The numpy closed form
(:func:`atrogame.models.penalizing_atrocities.closed_form.closed_form`) is the reference. With
the optional accelerator (:mod:`atrogame.accel`, numba), large *flat* inputs (every parameter
a scalar or an array of one common length) go through one compiled parallel loop
(:mod:`atrogame.models.penalizing_atrocities._compiled`) that computes only the outputs asked
for and gives the same numbers (tested to 1e-12 in every regime). See
docs/explanation/performance.md.

Examples
--------
>>> from atrogame.models.penalizing_atrocities.params import PenalizingAtrocitiesParams
>>> out = kernel(PenalizingAtrocitiesParams().to_dict(), ("p_war", "regime"))
>>> round(float(out["p_war"]), 6), int(out["regime"])
(0.349404, 1)
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from typing import Any

import numpy as np

from atrogame.models.penalizing_atrocities.closed_form import OUTCOMES, closed_form
from atrogame.models.penalizing_atrocities.params import ORDER

__all__ = ["ALL", "FLOAT_OUTPUTS", "NEED_DURATION", "NEED_SLOPE", "kernel", "kernel_checked"]

#: Every float output of the kernel: the outcomes, Φ* (``phi``) and E′(Π*) (``duration_slope``).
FLOAT_OUTPUTS: tuple[str, ...] = (*OUTCOMES, "phi", "duration_slope")
#: Every output: the float ones and the int8 codes ``regime`` and ``war_regime``.
ALL: tuple[str, ...] = (*FLOAT_OUTPUTS, "regime", "war_regime")
#: Outputs that need the battle war (its duration): all but the war stage and the two thresholds.
NEED_DURATION = frozenset(ALL) - {"atrocity_intensity", "government_win_prob", "balance_aid", "deterrent_penalty",
                                  "war_regime"}
#: Outputs that need the slope of the duration.
NEED_SLOPE = frozenset({"phi", "duration_slope"})


def _flat(values: Mapping[str, Any]) -> tuple[list[np.ndarray], tuple[int, ...], bool]:
    P = [np.asarray(values[name], dtype=float) for name in ORDER]
    shape = np.broadcast_shapes(*(a.shape for a in P))
    return P, shape, shape != () and all(a.size == 1 or a.shape == shape for a in P)


def kernel(values: Mapping[str, Any], wanted: Iterable[str] | None = None,
           accel: bool | None = None) -> dict[str, Any]:
    """The outputs in ``wanted`` (default: every one, as :func:`.closed_form.closed_form` returns them).

    ``values`` maps every parameter name to an array; the arrays broadcast against each
    other. ``accel`` forces (``True``) or refuses (``False``) the compiled path for flat
    inputs; ``None`` uses it when :func:`atrogame.accel.use_for` says so.
    """
    want = ALL if wanted is None else tuple(dict.fromkeys(wanted))
    unknown = [w for w in want if w not in ALL]
    if unknown:
        raise KeyError(f"unknown penalizing-atrocities output(s) {unknown}; valid: {', '.join(ALL)}")
    P, shape, flat = _flat(values)
    n = math.prod(shape)
    if flat and n > 0:
        from atrogame import accel as _accel

        if accel or (accel is None and _accel.use_for(n)):
            from atrogame.models.penalizing_atrocities import _compiled

            with _accel.LOCK:
                res, _ = _compiled.pa([a.reshape(-1) for a in P], want)
            return {k: v.reshape(shape) for k, v in res.items()}
    out = closed_form(values, slope=wanted is None or not NEED_SLOPE.isdisjoint(want))
    return out if wanted is None else {w: out[w] for w in want}


def kernel_checked(values: Mapping[str, Any], wanted: Iterable[str]
                   ) -> tuple[dict[str, Any], dict[str, tuple[float, float]]] | None:
    """The compiled kernel with every input's (minimum, maximum) reduced in the same pass.

    ``None`` when the input does not take the compiled path (see :func:`kernel`); the caller
    then validates and evaluates separately. The hook behind ``PenalizingAtrocities.fused_kernel``.
    """
    from atrogame import accel as _accel

    want = tuple(dict.fromkeys(wanted))
    if any(w not in ALL for w in want):
        return None
    P, shape, flat = _flat(values)
    n = math.prod(shape)
    if not flat or not _accel.use_for(n):
        return None
    from atrogame.models.penalizing_atrocities import _compiled

    with _accel.LOCK:
        res, bounds = _compiled.pa([a.reshape(-1) for a in P], want, check=True)
    assert bounds is not None
    mn, mx = bounds
    out = {k: v.reshape(shape) for k, v in res.items()}
    return out, {name: (float(mn[j]), float(mx[j])) for j, name in enumerate(ORDER)}
