"""The strategic mass-killing kernel entry: the compiled loop for large flat inputs, numpy otherwise.

:func:`atrogame.models.strategic_mass_killing.kernel.closed_form` (numpy) is the reference.
With the optional accelerator (:mod:`atrogame.accel`, numba), inputs that are flat (every
parameter a scalar or an array of one common length) and large (:func:`atrogame.accel.use_for`)
go through one compiled parallel loop
(:mod:`atrogame.models.strategic_mass_killing._compiled`) that computes only the outputs asked
for and gives the same numbers (tested to 1e-12 in every regime). :func:`kernel_checked` also
reduces every input's minimum and maximum in that pass, so validating a large design costs
almost nothing (``StrategicMassKilling.fused_kernel``). See docs/explanation/performance.md.

Examples
--------
>>> import numpy as np
>>> from atrogame.models.strategic_mass_killing import StrategicMassKillingParams
>>> v = {k: np.asarray(x) for k, x in StrategicMassKillingParams().to_dict().items()}
>>> out = kernel(v, ("p_conflict", "regime"))
>>> round(float(out["p_conflict"]), 10), int(out["regime"])
(0.3030633042, 3)
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from typing import Any

import numpy as np

from atrogame.models.strategic_mass_killing.kernel import OUTCOMES, closed_form
from atrogame.models.strategic_mass_killing.params import ORDER

__all__ = ["ALL", "FLOATS", "kernel", "kernel_checked"]

#: Float outputs of the kernel, in the compiled loop's slot order: the outcomes, then S0 and ℓ.
FLOATS: tuple[str, ...] = (*OUTCOMES, "base_stake", "loss_per_victim")
#: Every output of :func:`~atrogame.models.strategic_mass_killing.kernel.closed_form`: the float
#: outputs, the three regime codes (int8) and ``effort_exceeds_population`` (bool).
ALL: tuple[str, ...] = (*FLOATS, "regime", "opposition_regime", "onset_regime", "effort_exceeds_population")


def _flat(values: Mapping[str, Any]) -> tuple[list[np.ndarray], tuple[int, ...], int, bool]:
    P = [np.asarray(values[k], dtype=float) for k in ORDER]
    shape = np.broadcast_shapes(*(a.shape for a in P))
    n = math.prod(shape)
    flat = shape != () and n > 0 and all(a.size == 1 or a.shape == shape for a in P)
    return P, shape, n, flat


def kernel(values: Mapping[str, Any], wanted: Iterable[str] | None = None,
           accel: bool | None = None) -> dict[str, Any]:
    """The outputs in ``wanted`` (default: all of :data:`ALL`) at broadcasting parameter arrays.

    ``accel`` forces (``True``) or refuses (``False``) the compiled path for flat inputs;
    ``None`` uses it when :func:`atrogame.accel.use_for` says so. Other inputs (meshes,
    scalars, small arrays, numba absent or switched off) use the numpy closed form unchanged.
    """
    want = ALL if wanted is None else tuple(dict.fromkeys(wanted))
    unknown = [w for w in want if w not in ALL]
    if unknown:
        raise KeyError(f"unknown strategic_mass_killing output(s) {unknown}; valid: {', '.join(ALL)}")
    P, shape, n, flat = _flat(values)
    if flat:
        from atrogame import accel as _accel

        if accel or (accel is None and _accel.use_for(n)):
            from atrogame.models.strategic_mass_killing import _compiled

            with _accel.LOCK:
                res, _ = _compiled.smk([a.reshape(-1) for a in P], want)
            return {k: v.reshape(shape) for k, v in res.items()}
    out = closed_form(values)
    return {w: out[w] for w in want}


def kernel_checked(values: Mapping[str, Any], wanted: Iterable[str]
                   ) -> tuple[dict[str, Any], dict[str, tuple[float, float]]] | None:
    """The compiled kernel with every input's (minimum, maximum) reduced in the same pass.

    NaN bounds for an input holding a NaN or ±inf (for every input: the loop keeps one
    finiteness sum). ``None`` when the input does not take the compiled path (see
    :func:`kernel`); the caller then validates and evaluates separately.
    """
    from atrogame import accel as _accel

    P, shape, n, flat = _flat(values)
    if not flat or not _accel.use_for(n):
        return None
    from atrogame.models.strategic_mass_killing import _compiled

    want = tuple(dict.fromkeys(wanted))
    with _accel.LOCK:
        res, bounds = _compiled.smk([a.reshape(-1) for a in P], want, check=True)
    assert bounds is not None
    mn, mx = bounds
    out = {k: v.reshape(shape) for k, v in res.items()}
    return out, {name: (float(mn[j]), float(mx[j])) for j, name in enumerate(ORDER)}
