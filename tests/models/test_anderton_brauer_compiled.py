"""The compiled (numba) Anderton–Brauer loop against its numpy kernel at extreme inputs.

Oracle: :func:`atrogame.models.anderton_brauer.families.kernel` (the numpy reference). The
agreement at random points of every regime is tested in tests/core/test_fastpath.py; here the
inputs are subnormal, tiny or huge, where attacks can overflow float64 (C = M s_C/p_C with
p_C = 5e-324 is far beyond 1.8e308). The kernels are called directly: the model's parameter
rules refuse some of these points before any kernel runs.
"""

from __future__ import annotations

import numpy as np
import pytest

from atrogame import accel
from atrogame.models.anderton_brauer import families as fam
from atrogame.models.anderton_brauer.fast import COMMON, SLOTS

pytest.importorskip("numba")

if not accel.enabled():
    pytest.skip("the compiled path is switched off (ATROGAME_ACCEL=0)", allow_module_level=True)

#: Subnormal (5e-324 is the smallest positive float64), tiny and huge values of (0, ∞) inputs.
EXTREMES = (5e-324, 1e-320, 1e-310, 1e-300, 1e300, 1.7e308)


def _sweep(technology: str, n: int, rng: np.random.Generator) -> dict[str, np.ndarray]:
    cls = fam.params_class(technology, "max_control")
    return {k: rng.uniform(*cls.meta(k)["sweep_range"], n) for k in (*COMMON, *SLOTS[technology])}


@pytest.mark.parametrize("technology", list(SLOTS))
def test_compiled_loop_equals_numpy_kernel_at_extreme_inputs(technology, rng):
    """The loop left out the numpy kernel's 0·C in the corner axes and the budget: with C = inf
    (a subnormal p_C) it snapped the overflowed C to the corner C = 0, R = M/p_R, where numpy
    keeps C = inf (and its NaN cost). Now every outcome agrees to 1e-12 relative, with NaN and
    ±inf in the same places, for each input at each extreme value."""
    from atrogame.models.anderton_brauer import _compiled

    cls = fam.params_class(technology, "max_control")
    names = (*COMMON, *SLOTS[technology])
    base = _sweep(technology, 200, rng)
    if technology == "quadratic":  # keep the sweep inside the quadratic technology's region
        base["interaction"] *= 0.0
    checked = 0
    for name in names:
        iv = cls.meta(name)["interval"]
        if iv.lo != 0.0 or iv.hi != np.inf:
            continue
        for value in EXTREMES:
            v = {k: a.copy() for k, a in base.items()}
            v[name][:] = value
            with np.errstate(all="ignore"):
                ref = fam.kernel(technology, "max_control", v)
                got, _ = _compiled.anderton_brauer(technology, [v[k] for k in names])
            for k in _compiled.AB_OUT:
                bad = ~np.isclose(got[k], ref[k], rtol=1e-12, atol=0.0, equal_nan=True)
                assert not bad.any(), (f"{name}={value!r}, {k}: {got[k][bad][:3]} vs numpy {ref[k][bad][:3]} "
                                       f"({int(bad.sum())} of {bad.size})")
            np.testing.assert_array_equal(got["regime"], ref["regime"], err_msg=f"{name}={value!r}")
            checked += 1
    assert checked >= 3 * len(EXTREMES)
