"""Validation folded into the compiled kernels' pass (``Model.fused_kernel`` / ``compute_validated``).

On the compiled path a design is range-checked from the minima and maxima the kernel reduced
while reading it; these tests check that this path refuses exactly what the separate check
refuses (NaN, ±inf, out of range, joint rules), anywhere in a large design, with the same
error, and that it computes the same numbers as validating first.
"""

from __future__ import annotations

import contextlib
import subprocess
import sys

import numpy as np
import pytest

import atrogame as ag
from atrogame import accel
from atrogame.core.arrays import stack_columns
from atrogame.core.errors import ParameterError
from atrogame.models.fearon import Fearon
from atrogame.models.mobilisation import Mobilisation
from atrogame.testing.models import Toy

needs_numba = pytest.mark.skipif(not accel.enabled(),
                                 reason="compiled path off (no numba, or ATROGAME_ACCEL=0): fused path untested")

MODELS = {
    "kydd_straus": ag.KyddStraus,
    "ab_ces": lambda: ag.AndertonBrauer(technology="ces"),
    "ab_cobb_douglas": lambda: ag.AndertonBrauer(technology="cobb_douglas"),
    "ab_quadratic": lambda: ag.AndertonBrauer(technology="quadratic"),
    "fearon": Fearon,
    "mobilisation": Mobilisation,
}
N = 3 * accel.MIN_POINTS + 5


def _design(model, n, rng):
    names = list(model.sensitivity_parameters())
    lo = np.array([model.parameter_meta(k)["sweep_range"][0] for k in names])
    hi = np.array([model.parameter_meta(k)["sweep_range"][1] for k in names])
    X = lo + (hi - lo) * rng.random((n, len(names)))
    if "cost_b_low" in names:  # keep Fearon's a < b (the sweep ranges meet at 0.3)
        j = names.index("cost_b_high")
        X[:, j] = np.maximum(X[:, j], X[:, names.index("cost_b_low")] + 1e-3)
    return names, X


@needs_numba
@pytest.mark.parametrize("key", list(MODELS))
def test_fused_path_is_taken_and_equals_validate_then_compute(key, rng):
    model = MODELS[key]()
    names, X = _design(model, N, rng)
    cols = {k: X[:, j] for j, k in enumerate(names)}
    wanted = [*model.outcome_names, "regime"]
    assert model.fused_kernel(model._full_values(model.Params.convert_arrays(cols)), wanted) is not None
    _, fused, _ = model.compute_validated(cols, (N,), wanted)
    checked = model.validate_arrays(cols)
    plain, _ = model.compute(checked, (N,), wanted)
    for w in wanted:
        np.testing.assert_array_equal(np.asarray(fused[w]), np.asarray(plain[w]))


@needs_numba
@pytest.mark.parametrize("key", list(MODELS))
@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf, "range"])
def test_fused_path_refuses_what_validation_refuses(key, bad, rng):
    model = MODELS[key]()
    names, X = _design(model, N, rng)
    for _ in range(3):  # the bad value at random rows and columns, inside any chunk
        Y = X.copy()
        row, col = int(rng.integers(N)), int(rng.integers(len(names)))
        name = names[col]
        interval = model.parameter_meta(name)["interval"]
        if bad == "range":
            value = (interval.lo - 1.0) if interval.lo is not None and np.isfinite(interval.lo) else interval.hi + 1.0
        else:
            value = bad
        Y[row, col] = value
        with pytest.raises(ParameterError) as fused:
            model.evaluate(Y, names, list(model.outcome_names))
        with accel.disabled(), pytest.raises(ParameterError) as separate:
            model.evaluate(Y, names, list(model.outcome_names))
        assert str(fused.value) == str(separate.value)
        assert name in str(fused.value) and f"1 of {N} values invalid" in str(fused.value)


@needs_numba
def test_fused_path_applies_joint_rules(rng):
    m = ag.AndertonBrauer(technology="quadratic")
    names, X = _design(m, N, rng)
    j = names.index("interaction")
    X[123, j] = 0.49  # inside δ's own domain, outside the quadratic technology's region
    X[123, names.index("civilian_saturation")] = 0.5
    with pytest.raises(ParameterError, match=r"interaction|civilian_saturation|price"):
        m.evaluate(X, names, ["civilian_attacks"])
    names, X = _design(Fearon(), N, rng)
    X[9, names.index("cost_b_low")] = 0.3
    X[9, names.index("cost_b_high")] = 0.3  # b must exceed a
    with pytest.raises(ParameterError, match="cost_b_high"):
        Fearon().evaluate(X, names, ["p_war"])


@needs_numba
def test_kydd_straus_shared_ranges_enclose_each_input_and_still_name_the_bad_one(rng):
    """The compiled Kydd–Straus loop keeps one running range per domain ([0, 1] shares, [0, ∞)
    costs): each input's reported range must enclose its values, and a value outside its domain
    must still be reported under its own name."""
    from atrogame.models.kydd_straus import _compiled
    from atrogame.models.kydd_straus.fast import ORDER

    m = ag.KyddStraus()
    names, X = _design(m, N, rng)
    cols = [X[:, names.index(k)] for k in ORDER]
    _, bounds = _compiled.ks(cols, ["p_war"], check=True)
    mn, mx = bounds
    for j, c in enumerate(cols):
        assert mn[j] <= c.min() and mx[j] >= c.max(), ORDER[j]
    for name, value in (("war_trigger_share", 1.5), ("stopping_power", -0.25), ("intervention_cost", -1.0)):
        Y = X.copy()
        Y[77, names.index(name)] = value
        with pytest.raises(ParameterError, match=name) as fused:
            m.evaluate(Y, names, ["p_war"])
        with accel.disabled(), pytest.raises(ParameterError) as separate:
            m.evaluate(Y, names, ["p_war"])
        assert str(fused.value) == str(separate.value)


@needs_numba
@pytest.mark.parametrize("key", list(MODELS))
def test_fused_bounds_enclose_the_inputs_and_still_prove_the_joint_rules(key, rng):
    """The compiled loops may report wider ranges than the exact minimum and maximum (shared per
    domain, from 0.0, up to the largest float): each must still enclose its input, and on a valid
    design the box of those ranges must still prove the joint rules (Fearon's a < b), or every
    large design would pay for the elementwise joint check."""
    model = MODELS[key]()
    names, X = _design(model, N, rng)
    cols = model.Params.convert_arrays({k: X[:, j] for j, k in enumerate(names)})
    _, bounds = model.fused_kernel(model._full_values(cols), [*model.outcome_names, "regime"])
    for k, a in cols.items():
        assert bounds[k][0] <= a.min() and a.max() <= bounds[k][1], k
    exact = {k: (float(a.min()), float(a.max())) for k, a in cols.items()}
    if model.Params.joint_holds_on_box(exact):
        assert model.Params.joint_holds_on_box({k: bounds[k] for k in cols})


def _edges(interval):
    """Values at and around each end of a domain, and the non-finite values."""
    out = [np.nan, np.inf, -np.inf]
    for end in (interval.lo, interval.hi):
        if np.isfinite(end):
            out += [end, np.nextafter(end, np.inf), np.nextafter(end, -np.inf)]
            if end == 0.0:
                out += [-0.0, 5e-324, -5e-324]  # signed zero and the smallest subnormals
    return out


EDGE_MODELS = {**MODELS, "strategic_mass_killing": ag.StrategicMassKilling,
               "penalizing_atrocities": ag.PenalizingAtrocities, "tactics": ag.AtrocityTactics}


@needs_numba
@pytest.mark.parametrize("key", list(EDGE_MODELS))
def test_fused_path_agrees_with_the_separate_check_at_every_domain_edge(key, rng):
    """A value at, just inside or just outside either end of each input's domain (−0.0 and the
    subnormals at 0 too), anywhere in a large design: the fused path accepts it exactly when the
    separate check does, and then computes the same numbers. (The compiled loops compare bit
    patterns, keep one range per domain, or skip the maximum of inputs unbounded above: each
    shortcut must send an edge it cannot decide to the exact check.)"""
    model = EDGE_MODELS[key]()
    n = accel.MIN_POINTS + 7
    names, X = _design(model, n, rng)
    outs = list(model.outcome_names)
    assert model.fused_kernel(model._full_values(model.Params.convert_arrays(
        {k: X[:, j] for j, k in enumerate(names)})), [*outs, "regime"]) is not None
    accepted = 0
    for j, name in enumerate(names):
        for value in _edges(model.parameter_meta(name)["interval"]):
            Y = X.copy()
            Y[int(rng.integers(n)), j] = value
            got = []
            for use_accel in (True, False):
                with np.errstate(all="ignore"), (contextlib.nullcontext() if use_accel else accel.disabled()):
                    try:
                        got.append(model.evaluate(Y, names, outs))
                    except ParameterError as exc:
                        got.append(str(exc))
            fused, separate = got
            assert type(fused) is type(separate), (name, value, fused if isinstance(fused, str) else separate)
            if isinstance(fused, str):
                assert fused == separate, (name, value)
            else:
                np.testing.assert_allclose(fused, separate, rtol=1e-12, atol=1e-12, err_msg=f"{name}={value!r}")
                accepted += 1
    assert accepted > 0  # some edges inside the domains were accepted, not all refused


def test_models_without_a_fused_kernel_validate_first():
    assert Toy().fused_kernel({"benefit": np.ones(3)}, ["x"]) is None
    with pytest.raises(ParameterError, match="curvature"):
        Toy().evaluate([[1.0, -1.0]], ["benefit", "curvature"], "x")


class _EchoToy(Toy):
    """Outcomes that are the input columns themselves (a kernel may hand its inputs back)."""

    def compute(self, arrays, shape, wanted, progress=False):
        echo = {"x": arrays["benefit"], "welfare": arrays["threshold"], "regime": np.zeros(shape)}
        return {w: echo[w] for w in wanted}, []


def test_evaluate_never_returns_a_view_of_its_input():
    X = np.zeros((4, 2))
    assert stack_columns([X[:, 0], X[:, 1]]) is X  # the zero-copy stacking itself
    X = np.array([[1.0, 0.5], [2.0, 0.25]])
    out = _EchoToy().evaluate(X, ["benefit", "threshold"], ["x", "welfare"])
    np.testing.assert_array_equal(out, X)
    assert not np.may_share_memory(out, X)  # without the guard, stack_columns would return X itself


@needs_numba
def test_evaluate_output_is_the_kernel_matrix_without_a_copy(rng):
    m = ag.KyddStraus()
    names, X = _design(m, N, rng)
    out = m.evaluate(X, names, list(m.outcome_names[:10]))
    assert out.flags.c_contiguous and out.shape == (N, 10)
    with accel.disabled():
        np.testing.assert_array_equal(out, m.evaluate(X, names, list(m.outcome_names[:10])))


def test_first_sweep_does_not_import_dask():
    """Building the Dataset must not make xarray import dask (dask.array alone ≈0.4 s of a cold start)."""
    pytest.importorskip("dask")  # otherwise there is nothing to avoid
    code = ("import sys, numpy as np, atrogame as ag\n"
            "ds = ag.KyddStraus().sweep(rebel_strength=np.linspace(0.1, 0.9, 10))\n"
            "s = ag.KyddStraus().sample(n=8, seed=0)\n"
            "print('dask' in sys.modules, float(ds['p_war'][3]), s.sizes['sample'],\n"
            "      type(ds.indexes['rebel_strength']).__name__, ds['rebel_strength'].dtype)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()
    assert out[0] == "False"
    assert float(out[1]) == pytest.approx(ag.KyddStraus(rebel_strength=np.linspace(0.1, 0.9, 10)[3]).solve().p_war)
    assert out[2:] == ["8", "Index", "float64"]
