"""The compiled (numba) path of AtrocityTactics against its numpy kernel (the reference).

Oracle: the numpy kernel with :func:`atrogame.accel.disabled`. Agreement is required to 1e-12
relative to max(1, |value|) at random points of every branch of the closed form: the general
CES nests, the Cobb–Douglas nests (σ_T = 1 or σ = 1 within 1e-9), nests just outside that
tolerance, price ratios beyond e^700 (the shifted log-sum-exp), ``min_cost``, custom tactics
and harm weights. The model has one regime (``interior``); these branches are its cases.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

pytest.importorskip("numba")

from atrogame import accel
from atrogame.core.errors import ParameterError
from atrogame.models.tactics import (
    AtrocityTactics,
    _compiled,
)
from atrogame.models.tactics.closed_form import CD_TOL
from atrogame.models.tactics.model import _SCALAR_OUTCOMES
from atrogame.testing import check_model

if not accel.enabled():
    pytest.skip("the compiled path is switched off (ATROGAME_ACCEL=0)", allow_module_level=True)

N = 2**14  # points per branch (= accel.MIN_POINTS: the compiled path applies)
HW = {"displaced": 0.1, "detained": 0.2, "sexual_violence": 0.5}
K2 = {"tactics": ("killing", "imprisonment"), "tactic_weights": (0.3, 0.7), "tactic_substitution": 3.0,
      "tactic_cost": (1.0, 0.25), "lethality": (1.0, 0.0), "harm_profile": {},
      "enabler_intensity": (0.2, 0.0)}


def design(m: AtrocityTactics, n: int, rng: np.random.Generator) -> tuple[list[str], np.ndarray]:
    """``n`` rows uniform on every parameter's sweep range (the benchmark's design)."""
    names = list(m.sensitivity_parameters())
    lo = np.array([m.parameter_meta(k)["sweep_range"][0] for k in names])
    hi = np.array([m.parameter_meta(k)["sweep_range"][1] for k in names])
    return names, lo + (hi - lo) * rng.random((n, len(names)))


def compare(m: AtrocityTactics, X: np.ndarray, names: list[str], label: str) -> None:
    outs = [*m.outcome_names, "regime"]
    assert m._compiled({**m.parameter_values(), **{k: X[:, j] for j, k in enumerate(names)}}, outs) is not None
    got = m.evaluate(X, names, outs)
    with accel.disabled():
        ref = m.evaluate(X, names, outs)
    assert np.isfinite(ref).all(), label
    err = np.abs(got - ref) / np.maximum(1.0, np.abs(ref))
    worst = int(np.argmax(err.max(axis=0)))
    assert err.max() <= 1e-12, f"{label}: {outs[worst]} differs by {err[:, worst].max():.3g}"


def set_col(X: np.ndarray, names: list[str], name: str, values: np.ndarray) -> None:
    X[:, names.index(name)] = values


def test_scalar_outcome_order_matches_declarations():
    assert tuple(_SCALAR_OUTCOMES) == _compiled.SCALAR_OUT


def test_general_nests_every_outcome(rng):
    m = AtrocityTactics(harm_weights=HW)
    names, X = design(m, 2 * N, rng)
    compare(m, X, names, "general")


@pytest.mark.parametrize("which", ["tactic_substitution", "substitution_elasticity", "both"])
def test_cobb_douglas_nests(which, rng):
    m = AtrocityTactics()
    names, X = design(m, N, rng)
    cols = ["tactic_substitution", "substitution_elasticity"] if which == "both" else [which]
    for c in cols:
        near = 1.0 + CD_TOL * rng.uniform(-0.99, 0.99, N)
        near[::3] = 1.0
        set_col(X, names, c, near)
    compare(m, X, names, f"Cobb-Douglas {which}")


def test_nests_just_outside_the_cobb_douglas_tolerance(rng):
    m = AtrocityTactics()
    names, X = design(m, N, rng)
    for c in ("tactic_substitution", "substitution_elasticity"):
        d = CD_TOL * 10.0 ** rng.uniform(0.01, 4.0, N) * rng.choice([-1.0, 1.0], N)
        set_col(X, names, c, 1.0 + d)
    compare(m, X, names, "near Cobb-Douglas")


def overflowing_rows(y: np.ndarray, w: np.ndarray, t: np.ndarray) -> np.ndarray:
    """Rows where Σ w expm1(t (y − ȳ)) overflows (the numpy kernel's shifted branch)."""
    td = t[:, None] * (y - (w * y).sum(axis=1)[:, None])
    return td.max(axis=1) > 709.0


def test_price_ratios_beyond_exp_700_take_the_shifted_form(rng):
    m = AtrocityTactics()
    names, X = design(m, 6 * N, rng)
    n = X.shape[0]
    # tactic prices spread over e^±300 with σ_T near 5, and attacks on rebels priced e^±300
    # against civilian violence with σ near 5: t (y_k − ȳ) exceeds 700, expm1 overflows
    for t in m.tactics:
        set_col(X, names, f"tactic_cost_{t}", np.exp(rng.uniform(-300.0, 300.0, n)))
        set_col(X, names, f"enabler_intensity_{t}", 0.0)
        set_col(X, names, f"tactic_sanction_{t}", 0.0)
        set_col(X, names, f"tactic_productivity_{t}", 1.0)
    set_col(X, names, "tactic_substitution", rng.uniform(4.5, 5.0, n))
    set_col(X, names, "cost_rebels", np.exp(rng.uniform(-300.0, 300.0, n)))
    set_col(X, names, "enabler_intensity_rebels", 0.0)
    set_col(X, names, "substitution_elasticity", rng.uniform(4.5, 5.0, n))
    col = {k: X[:, j] for j, k in enumerate(names)}
    w = np.full(4, 0.25)
    y = np.log(np.stack([col[f"tactic_cost_{t}"] for t in m.tactics], axis=1)) - np.log(w)
    inner = overflowing_rows(y, w, 1.0 - col["tactic_substitution"])
    with accel.disabled():
        lnPC = np.log(m.evaluate(X, names, "civilian_price_index"))
    th = col["share_rebels"]
    y2 = np.stack([np.log(col["cost_rebels"] / (col["productivity_rebels"] * th)),
                   lnPC - np.log(col["productivity_civilians"] * (1.0 - th))], axis=1)
    outer = overflowing_rows(y2, np.stack([th, 1.0 - th], axis=1), 1.0 - col["substitution_elasticity"])
    assert inner.sum() >= N and outer.sum() >= N and (~inner & ~outer).sum() >= N  # every case, 2**14 rows each
    compare(m, X, names, "shifted")


def test_min_cost_objective(rng):
    m = AtrocityTactics(objective="min_cost", control_target=30.0, harm_weights=HW)
    names, X = design(m, N, rng)
    compare(m, X, names, "min_cost")


def test_custom_tactics_without_harms(rng):
    m = AtrocityTactics(**K2)
    names, X = design(m, N, rng)
    assert len(names) == 5 * 2 + 13
    compare(m, X, names, "K = 2, G = 0")


def test_scalars_mixed_with_arrays_and_separate_arrays(rng):
    m = AtrocityTactics(harm_weights=HW)
    names, X = design(m, N, rng)
    keep = names[::3]  # the others stay at the model's values (scalars, stride 0)
    Xs = X[:, ::3]
    compare(m, np.ascontiguousarray(Xs), keep, "subset")
    # arrays that are not the columns of one matrix (gathered once) through the kernel hook
    v = {**m.parameter_values(), **{k: np.array(Xs[:, j]) for j, k in enumerate(keep)}}
    v = {k: np.asarray(x) for k, x in v.items()}
    got = m.kernel(v)
    with accel.disabled():
        ref = m.kernel(v)
    for k in (*m.outcome_names, "regime"):
        a, b = np.broadcast_to(ref[k], (N,)), np.broadcast_to(got[k], (N,))
        assert np.isfinite(a).all(), k
        np.testing.assert_allclose(b, a, rtol=1e-12, atol=1e-12, err_msg=k)


def test_defaults_and_multidimensional_kernel_input():
    m = AtrocityTactics(harm_weights=HW)
    base = {k: np.full((128, 128), v) for k, v in m.parameter_values().items()}
    got = m.kernel(base)
    eq = m.solve()
    for k in m.outcome_names:
        assert got[k].shape == (128, 128)
        np.testing.assert_allclose(got[k], eq[k], rtol=1e-12, atol=1e-12, err_msg=k)
    assert got["regime"].dtype == np.int8 and not got["regime"].any()


def test_only_requested_outcomes_and_dispatch(rng, monkeypatch):
    m = AtrocityTactics()
    names, X = design(m, N, rng)
    outs = list(m.outcome_names[:10])
    calls = []
    real = _compiled.run
    monkeypatch.setattr(_compiled, "run", lambda *a, **k: calls.append(k["check"]) or real(*a, **k))
    got = m.evaluate(X, names, outs)
    assert calls == [True]  # one compiled pass, with the range check fused in
    with accel.disabled():
        ref = m.evaluate(X, names, outs)
        assert calls == [True]
    np.testing.assert_allclose(got, ref, rtol=1e-12, atol=1e-12)
    m.evaluate(X[:100], names, outs)  # small inputs: numpy
    assert calls == [True]
    finite = AtrocityTactics(enabler_supply_elasticity=2.0, enabler_capacity=50.0)
    assert finite._compiled({**finite.parameter_values(), **{k: X[:, j] for j, k in enumerate(names)}},
                            outs) is None  # the enabler-market root stays with the numpy kernel


@pytest.mark.parametrize(("name", "bad"), [("tactic_cost_imprisonment", math.nan), ("share_rebels", math.inf),
                                            ("resources", -1.0), ("share_rebels", 1.0), ("ideology", 1.5),
                                            ("tactic_sanction_killing", -math.inf), ("enabler_cost", 0.0)])
def test_invalid_values_anywhere_raise_parameter_error(name, bad, rng):
    m = AtrocityTactics()
    names, X = design(m, 3 * N, rng)
    for row in (0, int(rng.integers(1, 3 * N - 1)), 3 * N - 1):
        Y = X.copy()
        Y[row, names.index(name)] = bad
        with pytest.raises(ParameterError) as exc:
            m.evaluate(Y, names, ["deaths", "control"])
        assert exc.value.name == name and name in str(exc.value)
        assert str(bad) in str(exc.value) or repr(bad) in str(exc.value)


def test_conformance_suite_passes():
    report = check_model(AtrocityTactics(harm_weights=HW))  # raises ModelCheckError on a failure
    assert "compiled_equals_numpy" in report.ran and "compiled_equals_numpy" not in report.skipped


def test_design_matrix_columns_are_read_in_place(rng):
    X = rng.random((100, 7))
    V, idx = _compiled._design_matrix([X[:, 3], X[:, 0], X[:, 6]])  # whole rows: unit strides
    assert V.flags.c_contiguous and np.shares_memory(V, X) and idx.tolist() == [3, 0, 6]
    np.testing.assert_array_equal(V[:, idx], X[:, [3, 0, 6]])
    V, idx = _compiled._design_matrix([X[:, 3], X[:, 1]])  # part of each row
    assert np.shares_memory(V, X) and idx.tolist() == [2, 0]
    np.testing.assert_array_equal(V[:, idx], X[:, [3, 1]])
    assert _compiled._design_matrix([X[:, 0], np.array(X[:, 1])]) is None  # not one buffer: gathered
    assert _compiled._design_matrix([X[:, 0], X[::2, 1]]) is None


#: Tiny and huge values of the inputs on (0, inf) or (0, 1): subnormals (5e-324 is the smallest
#: positive float64), the smallest normal float, and values whose ratios to ordinary prices
#: overflow or underflow float64.
EXTREMES = (5e-324, 1e-320, 2.2250738585072014e-308, 1e-300, 1e-200, 1e300, 1.7e308)


@pytest.mark.parametrize("objective", ["max_control", "min_cost"])
def test_subnormal_and_extreme_inputs_give_the_numpy_numbers(objective, rng):
    """A subnormal productivity or share made the loop's one-logarithm rewriting ln(q_k/b_k)
    (and ln(p_R/(a_R θ)), ln(a_C(1 − θ))) overflow to ln inf or ln 0, so the loop returned NaN
    where the numpy kernel, taking the logarithms one by one, has finite numbers. Now both
    agree to 1e-12 relative, with NaN and ±inf in the same places (points whose outcomes exceed
    e^700 are refused, so are left out)."""
    kw = {"objective": "min_cost", "control_target": 30.0} if objective == "min_cost" else {}
    m = AtrocityTactics(harm_weights=HW, **kw)
    names, X = design(m, N, rng)
    rows = iter(rng.permutation(N))
    hit = []
    for j, name in enumerate(names):
        iv = m.parameter_meta(name)["interval"]
        if iv.lo != 0.0 or name == "ideology":  # the closed lower end of [0, ∞) inputs is another matter
            continue
        values = EXTREMES if iv.hi == math.inf else EXTREMES[:5]
        for value in values:
            r = int(next(rows))
            old, X[r, j] = X[r, j], value
            try:  # points whose outcomes exceed e^700 are refused (test_tactics_overflow.py)
                m.Params(**dict(zip(names, X[r].tolist(), strict=True)))
            except ParameterError:
                X[r, j] = old
                continue
            hit.append((r, name, value))
    assert {h[1] for h in hit} >= {"tactic_productivity_killing", "share_rebels", "productivity_rebels",
                                   "productivity_civilians"}
    outs = list(m.outcome_names)
    with np.errstate(all="ignore"):
        got = m.evaluate(X, names, outs)
        with accel.disabled():
            ref = m.evaluate(X, names, outs)
    for r, name, value in hit:
        bad = ~np.isclose(got[r], ref[r], rtol=1e-12, atol=0.0, equal_nan=True)
        assert not bad.any(), (f"{name}={value!r}: " + ", ".join(
            f"{outs[c]} {got[r, c]!r} vs numpy {ref[r, c]!r}" for c in np.flatnonzero(bad)))
    assert np.isfinite(ref[[h[0] for h in hit if h[2] == 5e-324]]).mean() > 0.9  # numpy's numbers are finite
