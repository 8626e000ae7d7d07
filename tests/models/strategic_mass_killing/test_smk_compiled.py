"""The compiled (numba) strategic mass-killing kernel against the numpy closed form, and fused validation.

Oracles: the numpy closed form (``kernel.closed_form``, the reference), which the compiled loop
must reproduce to 1e-12 (relative to max(1, |value|)) in every killing and onset regime; the
elementwise interval check (``validate_arrays``), whose ParameterError the fused path must raise.
"""

from __future__ import annotations

import numpy as np
import pytest

import paths

pytest.importorskip("numba")

from atrogame import accel
from atrogame.core.errors import ParameterError
from atrogame.models.strategic_mass_killing import (
    KILLING_REGIMES,
    ONSET_REGIMES,
    StrategicMassKilling,
    StrategicMassKillingParams,
)
from atrogame.models.strategic_mass_killing import fast as smk_fast
from atrogame.models.strategic_mass_killing.fast import ALL, FLOATS, kernel
from atrogame.models.strategic_mass_killing.kernel import closed_form
from atrogame.models.strategic_mass_killing.params import ORDER

PER_REGIME = 2**14
CODES = ("regime", "opposition_regime", "onset_regime", "effort_exceeds_population")
_KILLING = {"sanction_per_victim": (0.0, 0.05), "killing_labour": (0.0, 0.2), "productivity": (0.2, 1.0),
            "proportional_sharing": (0.4, 1.0), "headcount_claims": (0.5, 1.0), "resource_rents": (1.0, 3.0)}
#: sub-ranges of the sweep box that make each regime common (uniform draws hit some of them rarely)
MIXTURES: tuple[dict[str, tuple[float, float]], ...] = (
    {},  # the sweep box: no motive, deterrence, contested onsets
    _KILLING,  # interior campaigns, certain challenges
    {**_KILLING, "killing_cap": (0.0, 0.05), "killing_fixed_cost": (0.02, 0.1)},  # cap-deterred, capped
    {**_KILLING, "resource_rents": (2.0, 3.0), "killing_cost_curvature": (0.2, 1.0),
     "killing_fixed_cost": (0.0, 0.02)},  # extermination, no challenge
)


def design(n_each: int, rng: np.random.Generator, edges: bool = True) -> np.ndarray:
    """An ``N × 15`` design (columns in ``ORDER``): each mixture in turn, with exact boundary values."""
    blocks = []
    for over in MIXTURES:
        cols = []
        for k in ORDER:
            lo, hi = over.get(k, StrategicMassKillingParams.meta(k)["sweep_range"])
            cols.append(lo + (hi - lo) * rng.random(n_each))
        blocks.append(np.stack(cols, axis=1))
    X = np.concatenate(blocks)
    if edges:  # ties and degenerate denominators: m = 0, no prize, no room to kill, no fixed cost
        j = ORDER.index
        X[::17, j("proportional_sharing")] = 0.0
        X[::19, j("sanction_per_victim")] = 0.0
        X[::23, j("killing_cap")] = 0.0
        X[::29, j("killing_fixed_cost")] = 0.0
        X[::31, j("power_sharing")] = 0.5
        X[::37, j("state_weakness")] = 0.0
        X[::41, j("killing_labour")] = 0.0
        X[::43, j("headcount_claims")] = 1.0
        X[::47, j("killing_cap")] = 1.0
    return X


def assert_close(ref: dict, got: dict, names, where: str = "") -> None:
    for w in names:
        a, b = np.asarray(ref[w]), np.asarray(got[w])
        assert a.shape == b.shape, (w, a.shape, b.shape)
        if w in CODES:
            np.testing.assert_array_equal(b, a, err_msg=f"{w} {where}")
            continue
        a, b = a.astype(float), b.astype(float)
        same = (a == b) | (np.isnan(a) & np.isnan(b))
        with np.errstate(invalid="ignore"):
            same |= np.abs(a - b) <= 1e-12 * np.maximum(1.0, np.abs(a))
        assert same.all(), f"{w} {where}: compiled {b[~same][:3]} != numpy {a[~same][:3]}"


@pytest.fixture(autouse=True)
def _compiled_path_on():
    """These tests are about the compiled path: on even under ``ATROGAME_ACCEL=0`` (numba is installed)."""
    accel.set_enabled(True)
    yield
    accel.set_enabled(None)


@pytest.fixture(scope="module")
def pool():
    X = design(2**17, np.random.default_rng(20261203))
    v = {k: X[:, j] for j, k in enumerate(ORDER)}
    return X, v, closed_form(v)


def test_compiled_equals_numpy_in_every_regime(pool):
    _, v, ref = pool
    # every killing regime of both winners and every onset regime is hit often enough
    for key, labels in (("regime", KILLING_REGIMES), ("opposition_regime", KILLING_REGIMES),
                        ("onset_regime", ONSET_REGIMES)):
        counts = np.bincount(ref[key], minlength=len(labels))
        assert (counts >= PER_REGIME).all(), (key, dict(zip(labels, counts.tolist(), strict=True)))
    assert ref["effort_exceeds_population"].any() and not ref["effort_exceeds_population"].all()
    got = kernel(v, accel=True)
    assert list(got) == list(ALL)
    for key, labels in (("regime", KILLING_REGIMES), ("opposition_regime", KILLING_REGIMES),
                        ("onset_regime", ONSET_REGIMES)):
        for code, label in enumerate(labels):
            sel = ref[key] == code
            assert_close({w: np.asarray(ref[w])[sel] for w in ALL}, {w: got[w][sel] for w in ALL}, ALL,
                         f"in {key}={label}")


def test_compiled_subsets_write_only_what_is_asked(pool, rng):
    _, v, ref = pool
    for _ in range(8):
        sub = [str(w) for w in rng.choice(ALL, size=int(rng.integers(1, 6)), replace=False)]
        got = kernel(v, sub, accel=True)
        assert list(got) == sub
        assert_close(ref, got, sub, f"subset {sub}")
    with pytest.raises(KeyError, match="unknown"):
        kernel(v, ["p_conflict", "no_such_output"], accel=True)


def test_compiled_scalars_mixed_with_arrays(rng):
    X = design(2**12, rng)
    v = {k: X[:, j] for j, k in enumerate(ORDER)}
    defaults = StrategicMassKillingParams().to_dict()
    for trial in range(4):
        mixed = dict(v)
        for k in rng.choice(ORDER, size=5 + 2 * trial, replace=False):
            k = str(k)
            mixed[k] = np.asarray(defaults[k]) if trial % 2 else np.array([X[0, ORDER.index(k)]])  # 0-d or (1,)
        ref = closed_form(mixed)
        got = kernel(mixed, accel=True)
        ref = {w: np.broadcast_to(ref[w], got[w].shape) for w in ALL}
        assert_close(ref, got, ALL, f"trial {trial}")


def test_compiled_at_the_defaults_equals_solve():
    n = accel.MIN_POINTS
    defaults = StrategicMassKillingParams().to_dict()
    v = {k: np.full(n, x) for k, x in defaults.items()}
    got = kernel(v, accel=True)
    eq = StrategicMassKilling().solve()
    for w in StrategicMassKilling().outcome_names:
        assert np.all(got[w] == got[w][0])
        assert abs(got[w][0] - eq[w]) <= 1e-12 * max(1.0, abs(eq[w])), w
    assert KILLING_REGIMES[int(got["regime"][0])] == eq.regime
    assert KILLING_REGIMES[int(got["opposition_regime"][0])] == eq.info["opposition_regime"]
    assert ONSET_REGIMES[int(got["onset_regime"][0])] == eq.info["onset_regime"]


def test_evaluate_takes_the_fused_path_and_equals_numpy(pool):
    X, _, _ = pool
    m = StrategicMassKilling()
    X = X[::3]
    outs = [*m.outcome_names[:10], "p_conflict", "welfare_loss", "deterrent_sanction", "regime"]
    cols = m.Params.convert_arrays({k: X[:, j] for j, k in enumerate(ORDER)})
    fused = m.fused_kernel(m._full_values(cols), outs)
    assert fused is not None
    _, bounds = fused
    # inputs with one domain share one running maximum of bit patterns: each bound is its domain
    # group's maximum, from 0.0 (a domain closed at 0) or the smallest positive float (open at 0);
    # productivity's lower bound is its real minimum (the box proof of the overflow rule needs it)
    groups: dict[str, list[int]] = {}
    for j, k in enumerate(ORDER):
        groups.setdefault(str(m.parameter_meta(k)["interval"]), []).append(j)
    for members in groups.values():
        for j in members:
            low = 0.0 if m.parameter_meta(ORDER[j])["interval"].left_closed else 5e-324
            low = X[:, j].min() if ORDER[j] == "productivity" else low
            assert bounds[ORDER[j]] == (low, X[:, members].max()), ORDER[j]
    assert bounds["incumbent_share"][1] == X[:, 0].max()  # alone in (0, 1)
    got = m.evaluate(X, list(ORDER), outs)
    with accel.disabled():
        assert m.fused_kernel(m._full_values(cols), outs) is None
        ref = m.evaluate(X, list(ORDER), outs)
    same = np.abs(got - ref) <= 1e-12 * np.maximum(1.0, np.abs(ref))
    assert same.all()
    # the first ten outcomes alone: evaluate returns the loop's row-major buffer as it is
    got10 = m.evaluate(X, list(ORDER), list(m.outcome_names[:10]))
    assert got10.flags.c_contiguous and got10.shape == (X.shape[0], 10)
    np.testing.assert_allclose(got10, ref[:, :10], rtol=1e-12, atol=1e-12)


def test_evaluate_with_some_parameters_varying(rng):
    m = StrategicMassKilling(killing_cap=0.2, death_loss=1.0)
    n = 2 * accel.MIN_POINTS
    names = ["incumbent_share", "resource_rents", "killing_fixed_cost"]
    X = np.column_stack([rng.uniform(0.05, 0.95, n), rng.uniform(0.1, 3.0, n), rng.uniform(0.0, 0.1, n)])
    outs = [*m.outcome_names, "regime"]
    got = m.evaluate(X, names, outs)
    with accel.disabled():
        ref = m.evaluate(X, names, outs)
    assert np.all(np.abs(got - ref) <= 1e-12 * np.maximum(1.0, np.abs(ref)))


def test_small_and_meshed_inputs_use_numpy(monkeypatch):
    from atrogame.models.strategic_mass_killing import _compiled

    def boom(*a, **k):
        raise AssertionError("the compiled loop must not run here")

    monkeypatch.setattr(_compiled, "smk", boom)
    m = StrategicMassKilling()
    small = np.tile([0.3, 0.6], (accel.MIN_POINTS // 4, 1))
    m.evaluate(small, ["incumbent_share", "killing_cap"], "p_conflict")  # below MIN_POINTS
    mesh = {**StrategicMassKillingParams().to_dict(), "incumbent_share": np.linspace(0.1, 0.9, 200)[:, None],
            "killing_cap": np.linspace(0.0, 1.0, 200)[None, :]}
    out = kernel(mesh, ["p_conflict"])  # 40 000 points, but an open mesh is not flat
    assert out["p_conflict"].shape == (200, 200)
    big = np.tile([0.3, 0.6], (2 * accel.MIN_POINTS, 1))
    with accel.disabled():
        m.evaluate(big, ["incumbent_share", "killing_cap"], "p_conflict")
        assert smk_fast.kernel_checked({**StrategicMassKillingParams().to_dict(),
                                        "incumbent_share": big[:, 0]}, ["p_conflict"]) is None
    assert StrategicMassKilling(forms="size_ratio").fused_kernel({"incumbent_share": big[:, 0]}, ["p_conflict"]) \
        is None
    with pytest.raises(AssertionError, match="must not run"):
        m.evaluate(big, ["incumbent_share", "killing_cap"], "p_conflict")


@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf, "out"])
def test_fused_path_names_the_invalid_parameter(bad, rng):
    m = StrategicMassKilling()
    X = design(accel.MIN_POINTS, rng, edges=False)
    assert accel.use_for(X.shape[0])
    for trial in range(4):
        Y = X.copy()
        j = int(rng.integers(len(ORDER)))
        row = (0, Y.shape[0] - 1, int(rng.integers(Y.shape[0])), int(rng.integers(Y.shape[0])))[trial]
        name = ORDER[j]
        if bad == "out":
            interval = StrategicMassKillingParams.meta(name)["interval"]
            value = interval.high + 0.5 if interval.high is not None else interval.lo - 0.5
        else:
            value = float(bad)
        Y[row, j] = value
        with pytest.raises(ParameterError, match=name) as err:
            m.evaluate(Y, list(ORDER), list(m.outcome_names[:10]))
        assert interval_text(name) in str(err.value) and f"got {value}" in str(err.value)
        with accel.disabled(), pytest.raises(ParameterError, match=name):  # the same error as numpy's path
            m.evaluate(Y, list(ORDER), list(m.outcome_names[:10]))


def interval_text(name: str) -> str:
    return str(StrategicMassKillingParams.meta(name)["interval"])


def test_check_model_passes_with_numba():
    from atrogame.testing import check_model

    report = check_model(StrategicMassKilling())
    assert report.passed, report
    assert "compiled_equals_numpy" in report.ran


def test_floats_and_all_cover_closed_form():
    out = closed_form(StrategicMassKillingParams().to_dict())
    assert set(ALL) == set(out) and len(ALL) == len(out)
    assert set(FLOATS) == {k for k in out if k not in CODES}


# ---------------------------------------------------------------------- extreme valid inputs
_WIDE_ROWS = ({"resource_rents": 7e307, "killing_labour": 0.0, "proportional_sharing": 0.0,
               "state_weakness": 1.0},  # the stakes' sum overflows (P_I from halved stakes)
              {"resource_rents": 1e200, "killing_fixed_cost": 1.0},  # m² overflows (the deterrent cap)
              {"resource_rents": 1e250, "killing_cost_curvature": 1e300,
               "killing_fixed_cost": 1e110})  # 2cφ/n overflows (m̂, the deterrent sanction)


def _rows(points):
    return paths.rows(ORDER, StrategicMassKillingParams.defaults(), points)


def test_compiled_equals_numpy_where_only_an_intermediate_overflowed():
    """Before: the compiled loop gave P_I = 0 (V_I/inf) and v̂ = 0 (2φ/inf) at these points."""
    names, X = _rows([*_WIDE_ROWS, {}])
    model = StrategicMassKilling()
    outs = [*model.outcome_names, "regime"]
    got = model.evaluate(X, names, outs)
    with accel.disabled():
        ref = model.evaluate(X, names, outs)
    assert np.isfinite(got).all()
    np.testing.assert_allclose(got, ref, rtol=1e-12, atol=0.0)
    j = outs.index("win_prob_incumbent"), outs.index("deterrent_cap")
    assert got[0, j[0]] == 0.5 and got[1, j[1]] == pytest.approx(1.0 / got[1, outs.index("value_per_victim")])
    assert got[2, outs.index("deterrent_sanction")] > 1e249


def test_compiled_refuses_an_overflowing_outcome_with_numpys_message():
    names, X = _rows([{}, {"productivity": 1e-300, "resource_rents": 1e10}])
    model = StrategicMassKilling()
    msgs = paths.refusals(model, X, names, ["p_conflict"], match="stakes, efforts and welfare loss are finite")
    assert msgs[0] == msgs[1]


def test_compiled_sweep_design_skips_the_pointwise_overflow_check(monkeypatch, rng):
    """The loop reduces the real minimum of productivity, so the box proof holds on sweep designs."""
    called = []
    monkeypatch.setattr(StrategicMassKillingParams, "check_joint_arrays",
                        classmethod(lambda cls, values: called.append(1)))
    X = design(PER_REGIME // 4, rng)
    StrategicMassKilling().evaluate(X, list(ORDER), ["p_conflict"])
    assert called == []
