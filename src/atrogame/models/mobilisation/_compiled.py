"""The mobilisation game's closed form as one compiled (numba) loop; imported only when numba is used.

The loop is :func:`atrogame.models.mobilisation.fast.kernel` written point by point with the
same operations (no ``fastmath``); the tests check agreement to 1e-12 in every regime.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numba as nb
import numpy as np
from numba import prange

from atrogame.accel import JIT_OPTIONS as _JIT
from atrogame.accel import flat_args


# ---------------------------------------------------------------------- mobilisation
@nb.njit(**_JIT)
def _mob_loop(va: Any, ca: Any, ga: Any, fba: Any, fra: Any, ma: Any, mua: Any, st: Any, out: Any, flags: Any,
              n: int) -> None:  # pragma: no cover - compiled
    for t in prange(n):
        v = va[t * st[0]]
        c = ca[t * st[1]]
        g = ga[t * st[2]]
        fB = fba[t * st[3]]
        fR = fra[t * st[4]]
        m = ma[t * st[5]]
        mu = mua[t * st[6]]
        net = v - c
        tip_raw = (m + mu - net) / (g + fR + mu)
        sb_raw = -net / (g + fB)
        e_s = max(-fB, m - fR) - (net + g)
        e_b = max(net, m)
        e_r = max(net, 0.0) - (m + mu)
        out[t, 0] = min(max(tip_raw, 0.0), 1.0)
        out[t, 1] = min(max(sb_raw, 0.0), 1.0)
        out[t, 2] = e_s
        out[t, 3] = e_b
        out[t, 4] = e_r
        flags[t, 0] = (1 if e_s < 0 else 0) + (2 if e_b < 0 else 0) + (4 if e_r < 0 else 0)
        flags[t, 1] = (1 if tip_raw >= 1.0 else 0) - (1 if tip_raw <= 0.0 else 0)
        flags[t, 2] = (1 if sb_raw >= 1.0 else 0) - (1 if sb_raw <= 0.0 else 0)
        flags[t, 3] = 1 if m - fR > -fB else 0
        flags[t, 4] = 1 if m > net else 0
        flags[t, 5] = 1 if net < 0.0 else 0


_MOB_OUT = ("tipping_threshold", "bystander_threshold", "eig_supporters", "eig_bystanders", "eig_resisters")
_MOB_FLAGS = ("regime", "tipping_side", "bystander_side", "eig_supporters_branch", "eig_bystanders_branch",
              "eig_resisters_branch")


def mobilisation(cols: Sequence[np.ndarray]) -> dict[str, Any]:
    arrays, steps, n = flat_args(cols)
    out = np.empty((len(_MOB_OUT), n)).T  # column-major: each outcome is a contiguous column
    flags = np.empty((len(_MOB_FLAGS), n), dtype=np.int8).T
    _mob_loop(*arrays, steps, out, flags, n)
    res: dict[str, Any] = {k: out[:, j] for j, k in enumerate(_MOB_OUT)}
    res.update({k: flags[:, j] for j, k in enumerate(_MOB_FLAGS)})
    return res
