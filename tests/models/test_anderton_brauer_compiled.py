"""The compiled (numba) Anderton–Brauer loop against its numpy kernel at extreme inputs.

Oracle: :func:`atrogame.models.anderton_brauer.families.kernel` (the numpy reference). The
agreement at random points of every regime is tested in tests/core/test_fastpath.py; here the
inputs are subnormal, tiny or huge, where attacks can overflow float64 (C = M s_C/p_C with
p_C = 5e-324 is far beyond 1.8e308). The kernels are called directly first: the model's
parameter rules refuse the points whose optimum overflows before any kernel runs (Cobb–Douglas
and CES), which the tests below check, with the rules' interval-bound shortcut.
"""

from __future__ import annotations

import numpy as np
import pytest

import atrogame as ag
from atrogame import accel
from atrogame.core.errors import ParameterError
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


@pytest.mark.parametrize("sigma", [0.1, 0.3, 0.6])
def test_ces_complements_at_a_subnormal_price_stay_finite_and_agree(sigma):
    """With complements (σ < 1) C* grows only like p_C^(−σ): at p_C = 5e-324 it is a finite float
    (about 1e32 at σ = 0.1), the point is accepted, and both paths give the same finite numbers."""
    m = ag.AndertonBrauer(technology="ces", substitution_elasticity=sigma)
    X = np.ones((accel.MIN_POINTS + 3, 1))
    X[5, 0] = 5e-324
    outs = list(m.outcome_names)
    with np.errstate(all="ignore"):
        got = m.evaluate(X, ["price_civilians"], outs)
        with accel.disabled():
            ref = m.evaluate(X, ["price_civilians"], outs)
    assert np.isfinite(np.delete(ref[5], outs.index("choke_price"))).all()  # (no finite choke price in CES)
    assert ref[5, outs.index("civilian_attacks")] > 1e30
    np.testing.assert_allclose(got, ref, rtol=1e-12, atol=0.0)


def test_ces_overflow_rule_matches_high_precision_optimum():
    """The rule's logs of the optimum are those of the exact optimum (mpmath, 60 digits) even
    where the kernel's float64 forms lose digits (extreme price and productivity ratios)."""
    mp = pytest.importorskip("mpmath")
    pts = [  # resources, p_R, p_C, A, θ, σ, a_R, a_C (as drawn by a random search)
        (193.25226827645824, 5.764190977148308e-09, 6.068634035950683e-44, 0.00035332751270903784,
         0.6588353996466814, 0.7517962308369276, 4.310591101069382e+38, 1.19310341647648),
        (433.3565943867753, 0.0012663160165970458, 4.9864035857305615e-33, 3.445653317577376e+32,
         0.20765933522936192, 0.5064212829867033, 4.437366084801047e+29, 2.6117165651104526),
        (100.0, 1.0, 5e-324, 1.0, 0.5, 2.0, 1.0, 1.0),
        (100.0, 1.0, 1.0, 1.0, 0.5, 1.0 + 5e-10, 1.0, 3.0),
    ]
    keys = ("resources", "price_rebels", "price_civilians", "tfp", "share_rebels", "substitution_elasticity",
            "productivity_rebels", "productivity_civilians")
    for p in pts:
        with mp.workdps(60):
            M, pR, pC, A, th, s, aR, aC = map(mp.mpf, p)
            S = th**s * (pR / aR) ** (1 - s) + (1 - th) ** s * (pC / aC) ** (1 - s)
            P = S ** (1 / (1 - s))  # the unit cost
            sR = th**s * (pR / aR) ** (1 - s) / S
            exact = [mp.log(A * M / P), mp.log(sR * M / pR), mp.log((1 - sR) * M / pC)]
        got = fam._ces_log_optimum(dict(zip(keys, p, strict=True)))
        for g, e in zip(got, exact, strict=True):
            assert abs(float(g) - float(e)) <= 1e-9 * max(1.0, abs(float(e))), (p, got, exact)


def _box(v):
    return {k: (float(np.min(a)), float(np.max(a))) for k, a in v.items()}


@pytest.mark.parametrize("objective", ["max_control", "min_cost"])
def test_ces_box_proof_is_sound_and_applies_on_the_sweep_ranges(objective, rng):
    """Boxes the interval proof accepts pass the elementwise check at every point (random points
    and the box's corners of the inputs that bound the optimum); sweep-range designs are proven
    (no elementwise pass), and a box holding an overflowing point is not."""
    cls = fam.params_class("ces", objective)
    sweep = {k: rng.uniform(*cls.meta(k)["sweep_range"], 4096) for k in cls.names()}
    assert cls.joint_holds_on_box(_box(sweep))
    proven = 0
    for _ in range(200):
        v = {}
        for k in cls.names():
            lo, hi = cls.meta(k)["sweep_range"]
            if k in ("share_rebels", "substitution_elasticity") or k.startswith("lethality"):
                v[k] = rng.uniform(lo, hi, 512)
            else:  # log-uniform on a random sub-range of [e^-350, e^350]
                a, b = np.sort(rng.uniform(-350.0, 350.0, 2))
                v[k] = np.exp(rng.uniform(a, b, 512))
                v[k][:2] = np.exp([a, b])  # the box's ends are attained
        if cls.joint_holds_on_box(_box(v)):
            proven += 1
            cls.check_joint_arrays(v)  # must not raise
    assert proven >= 5
    v = dict(sweep)
    v["substitution_elasticity"] = np.full(4096, 2.0)
    name = "price_civilians" if objective == "max_control" else "tfp"  # overflows C* or the cost
    v[name] = v[name].copy()
    v[name][9] = 1e-310
    assert not cls.joint_holds_on_box(_box(v))
    with pytest.raises(ParameterError, match=f"{name} must be in values at which the optimum"):
        cls.validate_arrays(v)
