"""Dispatch of the Anderton–Brauer kernels: compiled (numba) for large flat inputs, else numpy.

The ``AndertonBrauer.kernel`` hook calls :func:`kernel`. The numpy kernels of
:mod:`atrogame.models.anderton_brauer.families` are the reference; under the
``max_control`` objective, flat inputs (every parameter a scalar or an array of one length)
of at least :data:`atrogame.accel.MIN_POINTS` points go through one compiled loop when
:mod:`atrogame.accel` is enabled (tested to give the same numbers in every regime). See
docs/explanation/performance.md.

Examples
--------
>>> import numpy as np
>>> from atrogame.models.anderton_brauer import families as fam
>>> v = {k: np.asarray(x) for k, x in fam.ContestParams().to_dict().items()}
>>> float(kernel("contest", "max_control", v)["civilian_attacks"])
40.0
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import numpy as np

from atrogame.models.anderton_brauer import families as fam

__all__ = ["COMMON", "SLOTS", "kernel", "kernel_checked"]

COMMON = ("resources", "price_rebels", "price_civilians", "lethality_civilians", "lethality_rebels")
#: The technology parameters, in the order the compiled kernel takes them.
SLOTS: dict[str, tuple[str, ...]] = {
    "cobb_douglas": ("tfp", "weight_rebels", "weight_civilians"),
    "ces": ("tfp", "share_rebels", "substitution_elasticity", "productivity_rebels", "productivity_civilians"),
    "contest": ("productivity_rebels", "support_erosion", "rebel_base_strength", "decisiveness"),
    "linear": ("productivity_rebels", "productivity_civilians"),
    "quasi_linear": ("civilian_value",),
    "quadratic": ("civilian_value", "civilian_saturation", "interaction"),
}


def kernel(technology: str, objective: str, values: Mapping[str, Any], accel: bool | None = None) -> dict[str, Any]:
    """Every outcome, ``regime`` and ``unique`` of a built-in technology (as ``families.kernel``)."""
    if objective == "max_control" and technology in SLOTS and accel is not False:
        P = [np.asarray(values[k], dtype=float) for k in (*COMMON, *SLOTS[technology])]
        shape = np.broadcast_shapes(*(a.shape for a in P))
        n = math.prod(shape)
        if shape != () and n > 0 and all(a.size == 1 or a.shape == shape for a in P):
            from atrogame import accel as _accel

            if accel or _accel.use_for(n):
                from atrogame.models.anderton_brauer import _compiled

                with _accel.LOCK:
                    res, _ = _compiled.anderton_brauer(technology, [a.reshape(-1) for a in P])
                uniq = res.pop("unique")
                out: dict[str, Any] = {k: v.reshape(shape) for k, v in res.items()}
                out["unique"] = True if bool(uniq.all()) else uniq.reshape(shape)
                return out
    return fam.kernel(technology, objective, values)


def kernel_checked(technology: str, objective: str, values: Mapping[str, Any]
                   ) -> tuple[dict[str, Any], dict[str, tuple[float, float]]] | None:
    """The compiled kernel with every input's (minimum, maximum) reduced in the same pass.

    ``None`` when the input does not take the compiled path (see :func:`kernel`); the caller
    then validates and evaluates separately. The hook behind ``AndertonBrauer.fused_kernel``.
    """
    if objective != "max_control" or technology not in SLOTS:
        return None
    names = (*COMMON, *SLOTS[technology])
    P = [np.asarray(values[k], dtype=float) for k in names]
    shape = np.broadcast_shapes(*(a.shape for a in P))
    n = math.prod(shape)
    from atrogame import accel as _accel

    if shape == () or not all(a.size == 1 or a.shape == shape for a in P) or not _accel.use_for(n):
        return None
    from atrogame.models.anderton_brauer import _compiled

    with _accel.LOCK:
        res, bounds = _compiled.anderton_brauer(technology, [a.reshape(-1) for a in P], check=True)
    assert bounds is not None
    mn, mx = bounds
    uniq = res.pop("unique")
    out: dict[str, Any] = {k: v.reshape(shape) for k, v in res.items()}
    out["unique"] = True if bool(uniq.all()) else uniq.reshape(shape)
    return out, {k: (float(mn[j]), float(mx[j])) for j, k in enumerate(names)}
