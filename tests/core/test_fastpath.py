"""The all-parameters-varying evaluation path: fused validation, blocked kernels, the numba path.

Oracles: the elementwise interval mask (validation), the sympy closed form compiled by
``compiled_outcomes`` (the Kydd–Straus kernel), the numpy kernel itself (the compiled
kernel, every regime), ``numpy.stack`` (stacking).
"""

from __future__ import annotations

import threading

import numpy as np
import pytest

import atrogame as ag
from atrogame import accel
from atrogame.core import validation
from atrogame.core.arrays import stack_columns
from atrogame.core.errors import ParameterError
from atrogame.core.parameters import Interval
from atrogame.models.kydd_straus import REGIMES, KyddStraus, KyddStrausParams
from atrogame.models.kydd_straus import fast as ks_fast
from atrogame.models.kydd_straus.fast import ALL, ORDER, kernel

INTERVALS = [Interval(0, 1, "both"), Interval(0, 1, "neither"), Interval(0, 1, "left"), Interval(0, 1, "right"),
             Interval(0, None, "left"), Interval(0, None, "neither"), Interval(None, None)]


def ks_design(n: int, rng: np.random.Generator) -> np.ndarray:
    lo = np.array([KyddStrausParams.meta(k)["sweep_range"][0] for k in ORDER])
    hi = np.array([KyddStrausParams.meta(k)["sweep_range"][1] for k in ORDER])
    X = lo + (hi - lo) * rng.random((n, len(ORDER)))
    X[::7, ORDER.index("atrocity_cost_curvature")] = 0.0  # D = 0 where also i(1 − ω) p0 θ = 0
    X[::5, ORDER.index("intervention_commitment")] = 0.0
    X[::11, ORDER.index("atrocity_penalty")] = 0.0
    X[::13, ORDER.index("atrocity_effectiveness")] = 0.0  # with the above: N = D = 0, a tie (unique False)
    return X


def _naive_first_invalid(arrays, intervals):
    for j, (a, iv) in enumerate(zip(arrays, intervals, strict=True)):
        ok = iv.mask(a)
        if not ok.all():
            bad = np.asarray(a)[~ok]
            return j, float(bad.flat[0]), int(bad.size)
    return None


def _same(a, b):
    if a is None or b is None:
        return a is b
    return a[0] == b[0] and a[2] == b[2] and (a[1] == b[1] or (np.isnan(a[1]) and np.isnan(b[1])))


# ---------------------------------------------------------------------- validation
@pytest.mark.parametrize("use_accel", [False, True], ids=["numpy", "numba"])
@pytest.mark.parametrize("n", [0, 1, 5, 3 * validation.BLOCK + 17])
def test_first_invalid_matches_elementwise_mask(n, use_accel, rng):
    if use_accel and not accel.available():
        pytest.skip("numba not installed (pip install atrogame[fast]): compiled validation not tested")
    accel.set_enabled(use_accel)
    try:
        for trial in range(12):
            X = rng.uniform(-0.5, 1.5, size=(n, len(INTERVALS)))
            X[rng.random(X.shape) < 0.5] = rng.uniform(0.01, 0.99)  # many rows valid
            if n and trial % 3 == 0:
                X[rng.integers(n), rng.integers(len(INTERVALS))] = rng.choice([np.nan, np.inf, -np.inf, 0.0, 1.0])
            if trial % 2:
                X = np.clip(X, 0.25, 0.75)  # every value valid
                if n and trial % 4 == 1:
                    X[rng.integers(n), rng.integers(len(INTERVALS))] = np.nan
            cols = [X[:, j] for j in range(X.shape[1])]  # strided columns of one matrix
            assert _same(validation.first_invalid(cols, INTERVALS), _naive_first_invalid(cols, INTERVALS))
            sep = [np.ascontiguousarray(c) for c in cols]  # separate arrays
            assert _same(validation.first_invalid(sep, INTERVALS), _naive_first_invalid(sep, INTERVALS))
    finally:
        accel.set_enabled(None)


def test_min_max_propagates_nan_and_handles_shapes():
    a = np.linspace(0.0, 1.0, 3 * validation.SMALL)
    b = a.copy()
    b[-1] = np.nan
    mn, mx = validation.min_max([a, b, np.array(2.0), np.ones((2, 3))])
    assert mn[0] == 0.0 and mx[0] == 1.0
    assert np.isnan(mn[1]) and np.isnan(mx[1])
    assert mn[2] == mx[2] == 2.0 and mn[3] == mx[3] == 1.0


def test_validate_arrays_error_names_parameter_count_and_first_value():
    n = 3 * validation.BLOCK
    X = np.full((n, 2), 0.5)
    X[[10, 20, n - 1], 1] = [1.5, -2.0, 7.0]
    with pytest.raises(ParameterError, match=r"atrocity_effectiveness must be in \[0, 1\]; got 1.5 "
                                             r"\(3 of \d+ values invalid\)"):
        KyddStrausParams.validate_arrays({"rebel_strength": X[:, 0], "atrocity_effectiveness": X[:, 1]})
    with pytest.raises(ParameterError, match="rebel_strength"):
        KyddStrausParams.validate_arrays({"rebel_strength": np.array(np.nan)})


# ---------------------------------------------------------------------- Kydd–Straus numpy kernel
def test_ks_kernel_matches_sympy_closed_form(rng):
    from atrogame.models.kydd_straus import compiled_outcomes

    X = ks_design(3000, rng)
    v = {k: X[:, j] for j, k in enumerate(ORDER)}
    with accel.disabled():
        out = kernel(v)
    assert set(np.unique(out["regime"])) == set(range(len(REGIMES)))
    fns = compiled_outcomes()
    for name, fn in fns.items():
        ref = np.asarray(fn(*(v[k] for k in ORDER)), dtype=float)
        np.testing.assert_allclose(out[name], ref, rtol=1e-10, atol=1e-12, err_msg=name)


def test_ks_kernel_subsets_blocks_and_meshes_agree(rng, monkeypatch):
    X = ks_design(20_000, rng)
    v = {k: X[:, j] for j, k in enumerate(ORDER)}
    with accel.disabled():
        full = kernel(v)
        for _ in range(6):
            sub = [str(w) for w in rng.choice(ALL, size=int(rng.integers(1, 5)), replace=False)]
            part = kernel(v, sub)
            assert list(part) == sub
            for w in sub:
                np.testing.assert_array_equal(np.broadcast_to(part[w], (20_000,)),
                                              np.broadcast_to(full[w], (20_000,)))
        monkeypatch.setattr(ks_fast, "BLOCK_POINTS", 10**9)  # one block
        whole = kernel(v)
        for w in ALL:
            np.testing.assert_array_equal(np.broadcast_to(whole[w], (20_000,)), np.broadcast_to(full[w], (20_000,)))
        # an open mesh, blocked along its first axis, equals the same points given flat
        monkeypatch.setattr(ks_fast, "BLOCK_POINTS", 50)
        base = {k: np.asarray(val) for k, val in KyddStrausParams().to_dict().items()}
        mesh = {**base, "rebel_strength": np.linspace(0.01, 0.99, 9)[:, None, None],
                "cost_uncertainty": np.linspace(0.05, 1.5, 7)[None, :, None],
                "atrocity_penalty": np.linspace(0.0, 0.3, 5)}
        g = kernel(mesh)
        b = np.broadcast_arrays(*(mesh[k] for k in ORDER))
        flat = kernel({k: a.ravel() for k, a in zip(ORDER, b, strict=True)})
        for w in ALL[:-1]:
            np.testing.assert_array_equal(g[w].ravel(), flat[w])


def test_ks_kernel_scalar_matches_solve():
    eq = KyddStraus().solve()
    out = kernel({k: np.asarray(x) for k, x in KyddStrausParams().to_dict().items()})
    assert out["p_war"].shape == () and REGIMES[int(out["regime"])] == eq.regime
    assert float(out["p_war"]) == eq.p_war


# ---------------------------------------------------------------------- numba path
needs_numba = pytest.mark.skipif(not accel.available(),
                                 reason="numba not installed (pip install atrogame[fast]): compiled kernels not tested")


@needs_numba
def test_compiled_ks_kernel_equals_numpy_in_every_regime(rng):
    X = ks_design(60_000, rng)
    v = {k: X[:, j] for j, k in enumerate(ORDER)}
    v["government_war_cost"] = np.asarray(0.05)  # a scalar among arrays (stride 0)
    ref = kernel(v, accel=False)
    fast = kernel(v, accel=True)
    regimes = np.asarray(ref["regime"])
    assert set(np.unique(regimes)) == set(range(len(REGIMES)))
    assert not np.all(ref["unique"])  # D = 0 ties are exercised
    for w in ALL:
        a, b = np.broadcast_to(ref[w], (60_000,)), np.broadcast_to(fast[w], (60_000,))
        if w in ("regime", "unique"):
            np.testing.assert_array_equal(a, b, err_msg=w)
        else:
            for r in range(len(REGIMES)):
                sel = regimes == r
                np.testing.assert_allclose(b[sel], a[sel], rtol=0, atol=1e-12, err_msg=f"{w} in {REGIMES[r]}")
    sub = ["p_war", "regime", "offer"]
    part = kernel(v, sub, accel=True)
    assert list(part) == sub
    np.testing.assert_array_equal(part["offer"], ref["offer"])


@needs_numba
def test_evaluate_same_with_and_without_accel_and_thread_safe(rng):
    X = ks_design(2 * accel.MIN_POINTS, rng)
    m = KyddStraus()
    outs = ["expected_atrocities", "p_war", "regime"]
    with accel.disabled():
        ref = m.evaluate(X, ORDER, outs)
    assert accel.use_for(X.shape[0])
    got = m.evaluate(X, ORDER, outs)
    np.testing.assert_allclose(got, ref, rtol=0, atol=1e-12)
    results: list[np.ndarray] = []
    threads = [threading.Thread(target=lambda: results.append(m.evaluate(X, ORDER, outs))) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(results) == 3 and all(np.array_equal(r, got) for r in results)


def test_accel_switch():
    with accel.disabled():
        assert not accel.enabled() and not accel.use_for(10**9)
    assert accel.enabled() == accel.available()
    assert not accel.use_for(accel.MIN_POINTS - 1)


# ---------------------------------------------------------------------- stacking
def test_stack_columns_equals_numpy_stack(rng):
    for n in (0, 3, 3 * 4096 + 5):
        cols = [rng.random(n), np.arange(n, dtype=np.int8), rng.random(n)]
        np.testing.assert_array_equal(stack_columns(cols), np.stack([c.astype(float) for c in cols], axis=-1))


def test_evaluate_all_parameters_varying_matches_solve(rng):
    X = ks_design(40, rng)
    m = ag.KyddStraus()
    got = m.evaluate(X, ORDER, ["p_war", "offer"])
    for row, (q, x) in zip(X, got, strict=True):
        eq = m.with_params(**dict(zip(ORDER, row, strict=True))).solve()
        assert q == pytest.approx(eq.p_war, abs=1e-14) and x == pytest.approx(eq.offer, abs=1e-14)


# ---------------------------------------------------------------------- Sobol by matrix products
@pytest.mark.parametrize("second_order", [True, False])
def test_sobol_indices_fast_equals_loop_version(second_order, rng):
    from atrogame.sensitivity import saltelli_design, sobol_indices, sobol_indices_fast

    problem = {"num_vars": 4, "names": list("abcd"), "bounds": [[0.0, 1.0]] * 4}
    X = saltelli_design(problem, n=512, second_order=second_order, seed=3)
    for y in (np.sin(3 * X[:, 0]) + X[:, 1] * X[:, 2] ** 2 + 0.1 * X[:, 3],  # interactions
              np.where(X[:, 0] > 0.999, 1.0, 0.0),  # nearly constant: resamples without variance
              np.ones(X.shape[0])):  # constant: everything undefined
        ref = sobol_indices(y, 4, second_order=second_order, num_resamples=50, seed=7)
        got = sobol_indices_fast(y, 4, second_order=second_order, num_resamples=50, seed=7)
        assert set(got) == set(ref)
        for k in ref:
            np.testing.assert_allclose(got[k], ref[k], rtol=1e-9, atol=1e-12, equal_nan=True, err_msg=k)


# ---------------------------------------------------------------------- Fearon and mobilisation
def _fearon_design(n, rng):
    p = rng.uniform(0, 1, n)
    cA = rng.uniform(0.005, 0.5, n)
    a = rng.uniform(0, 0.6, n)
    b = a + rng.uniform(1e-3, 1.0, n)
    p[::9] = 1.0 - a[::9]  # p + a = 1 exactly: the capped_safe boundary
    return p, cA, a, b


def test_fearon_fast_kernel_equals_uniform_offer(rng):
    from atrogame.models.fearon import REGIMES as F_REGIMES
    from atrogame.models.fearon import Fearon
    from atrogame.models.fearon.fast import kernel as fearon
    from atrogame.solvers.bargaining import uniform_offer

    p, cA, a, b = _fearon_design(20_000, rng)
    with accel.disabled():
        got = fearon(p, cA, a, b)
    ref = Fearon._from_solution(uniform_offer(v=1.0 - p, w=p - cA, pie=1.0, low=a, high=b, offer_min=0.0), p, a)
    assert set(np.unique(got["regime"])) == set(range(len(F_REGIMES)))
    for k in ref:
        np.testing.assert_array_equal(got[k], ref[k], err_msg=k)


@needs_numba
def test_compiled_fearon_and_mobilisation_equal_numpy_in_every_regime(rng):
    from atrogame.models.fearon.fast import kernel as fearon
    from atrogame.models.mobilisation import REGIMES as M_REGIMES
    from atrogame.models.mobilisation.fast import kernel as mobilisation

    p, cA, a, b = _fearon_design(40_000, rng)
    ref, fast = fearon(p, cA, a, b, accel=False), fearon(p, cA, a, np.asarray(b), accel=True)
    for r in range(4):
        sel = ref["regime"] == r
        assert sel.any()
        for k in ref:
            np.testing.assert_allclose(fast[k][sel], ref[k][sel], rtol=0, atol=1e-12, err_msg=k)
    n = 60_000
    vals = [rng.uniform(0, 1.5, n), rng.uniform(0, 1.0, n), rng.uniform(0.01, 1.0, n), rng.uniform(0, 1.0, n),
            rng.uniform(0, 1.5, n), rng.uniform(-0.5, 1.0, n), rng.uniform(0, 1.0, n)]
    vals[3] = np.asarray(0.3)  # a scalar among arrays
    ref, fast = mobilisation(vals, accel=False), mobilisation(vals, accel=True)
    assert len(np.unique(ref["regime"])) >= len(M_REGIMES) - 2
    for k in ref:
        np.testing.assert_allclose(fast[k], ref[k], rtol=0, atol=1e-12, err_msg=k)


# ---------------------------------------------------------------------- Anderton–Brauer
def _ab_design(technology, n, rng):
    from atrogame.models.anderton_brauer import families as fam

    cls = fam.params_class(technology, "max_control")
    # the quadratic's default box is kept inside its validity region, so draw wider and filter
    wide = {"civilian_value": (1.0, 50.0), "civilian_saturation": (0.1, 5.0), "interaction": (0.0, 1.0),
            "resources": (1.0, 500.0), "price_rebels": (0.2, 5.0), "price_civilians": (0.2, 5.0)}
    rngs = {k: wide[k] if technology == "quadratic" and k in wide else cls.meta(k)["sweep_range"]
            for k in cls.names()}
    v = {k: rng.uniform(*rngs[k], n) for k in cls.names()}
    if technology == "ces":  # corners (a share below the snapping threshold) and σ at and near 1
        v["share_rebels"][::3] = rng.uniform(0.97, 0.9999, v["share_rebels"][::3].size)
        v["substitution_elasticity"][::4] = 1.0 + rng.uniform(-2e-9, 2e-9, v["substitution_elasticity"][::4].size)
        v["substitution_elasticity"][1::4] = 1.0 + rng.uniform(0, 2e-3, v["substitution_elasticity"][1::4].size)
        v["substitution_elasticity"][2::8] = rng.uniform(8, 30, v["substitution_elasticity"][2::8].size)
    if technology == "linear":  # exact ties: every bundle on the budget line is optimal
        v["productivity_civilians"][::5] = (v["productivity_rebels"][::5] * v["price_civilians"][::5]
                                            / v["price_rebels"][::5])
    if technology == "quadratic":
        ok = v["civilian_saturation"] * v["price_rebels"] - 2 * v["interaction"] * v["price_civilians"] > 0
        v = {k: a[ok] for k, a in v.items()}
    return v


@needs_numba
@pytest.mark.parametrize("technology", ["cobb_douglas", "ces", "contest", "linear", "quasi_linear", "quadratic"])
def test_compiled_anderton_brauer_equals_numpy(technology, rng):
    from atrogame.models.anderton_brauer import families as fam
    from atrogame.models.anderton_brauer.fast import kernel as ab_kernel

    v = _ab_design(technology, 30_000, rng)
    v["lethality_rebels"] = np.asarray(0.25)  # a scalar among arrays
    ref = fam.kernel(technology, "max_control", v)
    fast = ab_kernel(technology, "max_control", v, accel=True)
    n = v["resources"].size
    expected = {"cobb_douglas": {0}, "contest": {0, 1}, "linear": {1, 2}}.get(technology, {0, 1, 2})
    assert set(np.unique(ref["regime"])) == expected
    for k in ref:
        a, b = np.broadcast_to(ref[k], (n,)), np.broadcast_to(fast[k], (n,))
        if k in ("regime", "unique"):
            np.testing.assert_array_equal(b, a, err_msg=k)
        else:
            np.testing.assert_allclose(b, a, rtol=1e-12, atol=1e-12, err_msg=k)  # inf equal to inf


def test_anderton_brauer_dispatch_keeps_numpy_for_min_cost_and_small_inputs(rng):
    from atrogame.models.anderton_brauer import families as fam
    from atrogame.models.anderton_brauer.fast import kernel as ab_kernel

    v = _ab_design("contest", 50, rng)
    ref = fam.kernel("contest", "max_control", v)
    got = ab_kernel("contest", "max_control", v)
    for k in ref:
        np.testing.assert_array_equal(np.broadcast_to(got[k], (50,)), np.broadcast_to(ref[k], (50,)))
    m = ag.AndertonBrauer(technology="contest", objective="min_cost", control_target=0.5)
    assert m.solve().regime in ("interior", "no_civilian_attacks", "no_rebel_attacks")


def _box(v):
    return {k: (float(np.min(a)), float(np.max(a))) for k, a in v.items()}


@pytest.mark.parametrize("objective", ["max_control", "min_cost"])
def test_cobb_douglas_bounds_shortcut_is_conservative(objective, rng):
    """The interval-bound proof of the overflow check never accepts what the elementwise check rejects."""
    from atrogame.models.anderton_brauer import families as fam

    cls = fam.params_class("cobb_douglas", objective)
    n = 8192
    proven = 0
    for scale in (1.0, 10.0, 100.0, 1000.0):
        v = {k: rng.uniform(*cls.meta(k)["sweep_range"], n) for k in cls.names()}
        for k in ("weight_rebels", "weight_civilians", "resources"):
            v[k] = v[k] * scale
        if cls.joint_holds_on_box(_box(v)):
            proven += 1
            cls.check_joint_arrays(v)  # the elementwise check must accept the same arrays
    assert proven >= 1  # the proof does apply on the sweep ranges
    v = {k: rng.uniform(*cls.meta(k)["sweep_range"], n) for k in cls.names()}
    v["weight_rebels"][7], v["weight_civilians"][7] = 5e3, 1e-3  # overflows: must still be rejected
    if objective == "min_cost":
        v["weight_rebels"][7], v["control_target"][7] = 1e-3, 1e3
    assert not cls.joint_holds_on_box(_box(v))
    with pytest.raises(ParameterError, match="finite float64"):
        cls.check_joint_arrays(v)
    with pytest.raises(ParameterError, match="finite float64"):
        cls.validate_arrays(v)


@pytest.mark.parametrize("name", ["resources", "tfp", "price_rebels", "weight_rebels"])
def test_cobb_douglas_subnormal_input_is_refused_by_name(name):
    """A subnormal value (valid for the parameter's own domain) whose optimum overflows is refused
    with a ParameterError naming it; the blame once divided it by its default, which underflowed
    to 0 and crashed math.log with a bare ValueError."""
    m = ag.AndertonBrauer(technology="cobb_douglas")
    with pytest.raises(ParameterError, match=f"^{name} must be in values at which the optimum is a finite float64"):
        m.evaluate(np.array([[5e-324], [1.0]]), [name], ["civilian_attacks"])


@pytest.mark.parametrize("budget", [True, False])
def test_quadratic_box_proof_is_sound(budget, rng):
    """Boxes the quadratic proof accepts pass the elementwise check at every point; boxes with a bad point fail."""
    from atrogame.models.anderton_brauer import families as fam

    cls = fam.params_class("quadratic", "max_control")
    accepted = 0
    for _ in range(200):
        lo = {k: rng.uniform(*cls.meta(k)["sweep_range"]) * rng.uniform(0.3, 1.0) for k in cls.names()}
        box = {k: (lo[k], lo[k] * rng.uniform(1.0, 3.0) + (0.05 if k == "interaction" else 0.0))
               for k in cls.names()}
        if not fam._quadratic_box_ok(box, budget=budget):
            continue
        accepted += 1
        pts = {k: rng.uniform(*box[k], 4000) for k in cls.names()}
        for k in cls.names():  # the corners of the box too
            pts[k][:2] = box[k]
        fam._quadratic_joint(pts["civilian_value"], pts["civilian_saturation"], pts["interaction"],
                             pts["resources"], pts["price_rebels"], pts["price_civilians"], budget=budget)
    assert accepted >= 10
    sweep_box = {k: cls.meta(k)["sweep_range"] for k in cls.names()}
    assert cls.joint_holds_on_box(sweep_box)  # the default box of sampling is proved valid
    bad = {**sweep_box, "interaction": (0.0, 2.0)}  # contains k <= 0
    assert not cls.joint_holds_on_box(bad)


def test_fearon_box_proof(rng):
    from atrogame.models.fearon import FearonParams

    assert FearonParams.joint_holds_on_box({"cost_b_low": (0.0, 0.3), "cost_b_high": (0.31, 1.0)})
    assert not FearonParams.joint_holds_on_box({"cost_b_low": (0.0, 0.3), "cost_b_high": (0.3, 1.0)})
    assert not FearonParams.joint_holds_on_box({"cost_b_low": (0.0, 0.5), "cost_b_high": (0.3, 1.0)})
    with pytest.raises(ParameterError, match="cost_b_high"):
        FearonParams.validate_arrays({"cost_b_low": np.array([0.1, 0.5]),
                                      "cost_b_high": np.array([0.4, 0.45])})

