"""The compiled (numba) penalizing-atrocities kernel against the numpy closed form (the reference).

Oracles: the numpy kernel :func:`atrogame.models.penalizing_atrocities.closed_form.closed_form`
(1e-12, relative to max(1, |value|), in every regime), the elementwise validation of
``Parameters.validate_arrays`` (errors name the parameter) and ``check_joint_arrays`` (for the
box proof of :meth:`PenalizingAtrocitiesParams.joint_holds_on_box`).
"""

from __future__ import annotations

import math
import warnings

import numpy as np
import pytest

import paths

pytest.importorskip("numba")

from atrogame import accel
from atrogame.core.errors import ParameterError
from atrogame.models.penalizing_atrocities import REGIMES, WAR_REGIMES, PenalizingAtrocities, fast
from atrogame.models.penalizing_atrocities.fast import ALL, kernel, kernel_checked
from atrogame.models.penalizing_atrocities.params import ORDER, PenalizingAtrocitiesParams
from atrogame.testing import check_model

#: Tests of the default dispatch need the compiled path switched on (not ``ATROGAME_ACCEL=0``).
needs_accel = pytest.mark.skipif(not accel.enabled(), reason="compiled path switched off (ATROGAME_ACCEL=0)")
PER_REGIME = 2**14
CODES = ("regime", "war_regime")
MODEL = PenalizingAtrocities()
#: Boxes (within the sweep ranges) where the rarer regimes are common.
_NO_REBELLION = {"atrocity_effectiveness": (1.5, 3.0), "atrocity_cost": (0.01, 0.1), "atrocity_penalty": (0.0, 0.05),
                 "atrocity_harm": (0.05, 0.1), "cost_uncertainty": (0.8, 1.5)}
_CORNER = {"government_strength": (2.0, 5.0), "rebel_strength": (0.1, 2.0), "aid_to_rebels": (0.0, 2.0),
           "cost_uncertainty": (0.6, 1.5)}


def _draw(rng: np.random.Generator, n: int, box: dict[str, tuple[float, float]]) -> dict[str, np.ndarray]:
    v = {}
    for k in ORDER:
        lo, hi = box.get(k, MODEL.parameter_meta(k)["sweep_range"])
        v[k] = lo + (hi - lo) * rng.random(n)
    v["decisive_lead"] = rng.integers(1, 7, n).astype(float)  # every integer of the sweep range
    return v


def regime_design(rng: np.random.Generator, per: int = PER_REGIME) -> dict[str, np.ndarray]:
    """``per`` random points of each bargaining regime (classified by the numpy kernel)."""
    picked: list[list[dict[str, np.ndarray]]] = [[] for _ in REGIMES]
    have = np.zeros(len(REGIMES), dtype=int)
    for _ in range(40):
        if (have >= per).all():
            break
        for box in ({}, _NO_REBELLION, _CORNER):
            v = _draw(rng, 2**16, box)
            reg = np.asarray(kernel(v, ["regime"], accel=False)["regime"])
            for r in range(len(REGIMES)):
                idx = np.flatnonzero(reg == r)[: max(per - have[r], 0)]
                if idx.size:
                    picked[r].append({k: a[idx] for k, a in v.items()})
                    have[r] += idx.size
    assert (have >= per).all(), f"could not draw {per} points of every regime: {have.tolist()}"
    return {k: np.concatenate([p[k] for ps in picked for p in ps]) for k in ORDER}


def assert_close(ref: dict, got: dict, names, where: str = "") -> None:
    for w in names:
        a = np.asarray(ref[w], dtype=float)
        b = np.asarray(got[w], dtype=float)
        assert a.shape == b.shape, (w, a.shape, b.shape)
        if w in CODES:
            np.testing.assert_array_equal(b, a, err_msg=f"{w} {where}")
            continue
        ok = (a == b) | (np.isnan(a) & np.isnan(b))
        with np.errstate(invalid="ignore"):
            ok |= np.abs(a - b) <= 1e-12 * np.maximum(1.0, np.abs(a))
        assert ok.all(), f"{w} {where}: compiled {b[~ok][:3]} != numpy {a[~ok][:3]}"


@pytest.fixture(scope="module")
def design() -> dict[str, np.ndarray]:
    return regime_design(np.random.default_rng(20261203))


def test_compiled_equals_numpy_in_every_regime(design):
    ref = kernel(design, accel=False)
    got = kernel(design, accel=True)
    regimes = np.asarray(ref["regime"])
    counts = np.bincount(regimes, minlength=len(REGIMES))
    assert (counts >= PER_REGIME).all(), counts
    assert set(np.unique(ref["war_regime"])) == set(range(len(WAR_REGIMES)))
    assert set(np.unique(design["decisive_lead"])) == {1.0, 2.0, 3.0, 4.0, 5.0, 6.0}
    assert set(got) == set(ALL)
    for r, name in enumerate(REGIMES):
        sel = regimes == r
        assert_close({w: np.asarray(ref[w])[sel] for w in ALL}, {w: got[w][sel] for w in ALL}, ALL, f"in {name}")


def test_subsets_of_outputs_are_the_same_numbers(design):
    full = kernel(design, accel=True)
    for sub in (["p_war", "regime", "offer"], ["balance_aid", "war_regime", "deterrent_penalty"],
                ["phi"], ["duration_slope", "expected_war_duration"], ["regime"]):
        part = kernel(design, sub, accel=True)
        assert list(part) == sub
        for w in sub:
            np.testing.assert_array_equal(part[w], full[w], err_msg=w)


def test_scalars_mixed_with_arrays(rng):
    n = accel.MIN_POINTS
    v = _draw(rng, n, {})
    v["atrocity_penalty"] = np.asarray(0.05)  # 0-d
    v["aid_to_rebels"] = np.array([0.7])  # one element
    for lead in (1.0, 2.0, 5.0):
        v["decisive_lead"] = np.asarray(lead)
        assert_close(kernel(v, accel=False), kernel(v, accel=True), ALL, f"at lead {lead}")
    v["decisive_lead"] = rng.integers(1, 7, n).astype(float)
    v["government_strength"] = np.asarray(1.3)
    assert_close(kernel(v, accel=False), kernel(v, accel=True), ALL, "with a varying lead")


def test_defaults_repeated():
    d = PenalizingAtrocitiesParams().to_dict()
    v = {k: np.full(accel.MIN_POINTS, float(x)) for k, x in d.items()}
    got = kernel(v, accel=True)
    ref = kernel({k: np.asarray(float(x)) for k, x in d.items()}, accel=False)
    assert_close({w: np.broadcast_to(ref[w], (accel.MIN_POINTS,)) for w in ALL}, got, ALL, "at the defaults")
    eq = PenalizingAtrocities().solve()
    assert got["p_war"][0] == pytest.approx(eq.p_war, abs=1e-12)
    assert REGIMES[got["regime"][-1]] == eq.regime


@needs_accel
def test_evaluate_takes_the_compiled_path_and_agrees(design, monkeypatch):
    names = list(ORDER)
    X = np.column_stack([design[k] for k in names])
    outs = [*MODEL.outcome_names, "regime"]
    with accel.disabled():
        assert kernel_checked(design, outs) is None  # accel.disabled() forces numpy
        ref = MODEL.evaluate(X, names, outs)
    calls = []
    real = fast.kernel_checked
    monkeypatch.setattr(fast, "kernel_checked", lambda *a, **k: calls.append(1) or real(*a, **k))
    got = MODEL.evaluate(X, names, outs)
    assert calls, "evaluate did not take the fused compiled path"
    assert_close({w: ref[:, j] for j, w in enumerate(outs)}, {w: got[:, j] for j, w in enumerate(outs)}, outs)
    _, bounds = real(design, outs)
    for k in ORDER:
        assert bounds[k] == (design[k].min(), design[k].max())


@needs_accel
def test_disabled_never_calls_the_compiled_loop(monkeypatch, rng):
    from atrogame.models.penalizing_atrocities import _compiled

    def boom(*a, **k):
        raise AssertionError("compiled loop called")

    monkeypatch.setattr(_compiled, "pa", boom)
    v = _draw(rng, 2 * accel.MIN_POINTS, {})
    with accel.disabled():
        kernel(v, ["p_war"])
        MODEL.evaluate(np.column_stack([v[k] for k in ORDER]), list(ORDER), ["p_war"])
    with pytest.raises(AssertionError, match="compiled loop called"):
        kernel(v, ["p_war"])


@pytest.mark.parametrize("bad", [math.nan, math.inf, -math.inf, "below", "above"])
def test_evaluate_names_the_bad_parameter(bad, rng):
    n = 2 * accel.MIN_POINTS
    names = list(ORDER)
    base = _draw(rng, n, {})
    X0 = np.column_stack([base[k] for k in names])
    for j in rng.choice(len(names), size=4, replace=False):
        name = names[j]
        interval = MODEL.parameter_meta(name)["interval"]
        if bad == "below":
            value = (interval.lo - 1.0) if name != "decisive_lead" else 0.0
        elif bad == "above":
            if interval.hi is None or not math.isfinite(interval.hi):
                continue
            value = interval.hi + 1.0
        else:
            value = bad
        row = int(rng.integers(n))
        X = X0.copy()
        X[row, j] = value
        if accel.enabled():  # the error comes from the bounds the compiled pass reduced
            assert kernel_checked({k: X[:, i] for i, k in enumerate(names)}, ["p_war"]) is not None
        with pytest.raises(ParameterError) as err:
            MODEL.evaluate(X, names, ["p_war", "regime"])
        assert err.value.name == name, (bad, name, str(err.value))
        assert name in str(err.value)


def test_evaluate_rejects_a_non_integer_lead_in_a_big_design(rng):
    n = 2 * accel.MIN_POINTS
    v = _draw(rng, n, {})
    v["decisive_lead"][int(rng.integers(n))] = 2.5
    X = np.column_stack([v[k] for k in ORDER])
    with pytest.raises(ParameterError, match="decisive_lead") as err:
        MODEL.evaluate(X, list(ORDER), ["p_war"])
    assert err.value.name == "decisive_lead" and "integers >= 1" in str(err.value)
    v["decisive_lead"] = np.full(n, 2.5)  # a single non-integer value: the box proves nothing
    with pytest.raises(ParameterError, match="decisive_lead"):
        MODEL.evaluate(np.column_stack([v[k] for k in ORDER]), list(ORDER), ["p_war"])


# ---------------------------------------------------------------------- joint_holds_on_box
def _joint_ok(values) -> bool:
    try:
        PenalizingAtrocitiesParams.check_joint_arrays(values)
    except ParameterError:
        return False
    return True


@pytest.mark.parametrize("box, expected", [
    ((2.0, 2.0), True), ((1.0, 1.0), True), ((6.0, 6.0), True), ((1e6, 1e6), True),
    ((1.0, 3.0), False), ((2.0, 2.0 + 1e-12), False), ((2.5, 2.5), False), ((0.0, 0.0), False),
    ((-1.0, -1.0), False), ((math.inf, math.inf), False), ((math.nan, math.nan), False),
])
def test_joint_holds_on_box_cases(box, expected):
    box_ = {"decisive_lead": box, "atrocity_cost": (0.1, 0.2)}
    assert PenalizingAtrocitiesParams.joint_holds_on_box(box_) is expected


def test_joint_holds_on_box_is_a_proof(rng):
    """True => every point of the box passes the elementwise rule; every False box holds a violation."""
    ends = [0.0, 0.5, 1.0, 1.5, 2.0, 2.0 + 1e-9, 3.0, 4.5, 6.0]
    for lo in ends:
        for hi in ends:
            if hi < lo:
                continue
            holds = PenalizingAtrocitiesParams.joint_holds_on_box({"decisive_lead": (lo, hi)})
            pts = np.concatenate([[lo, hi], lo + (hi - lo) * rng.random(64)])
            if holds:
                assert _joint_ok({"decisive_lead": pts}), (lo, hi)
            else:  # the box holds a violating point: a non-integer, or a value below 1
                mid = 0.5 * (lo + hi)
                candidates = [lo, hi, mid, 0.5 * (lo + mid), lo + (hi - lo) / 3.0]
                assert all(lo <= c <= hi for c in candidates)
                assert not all(_joint_ok({"decisive_lead": np.array([c])}) for c in candidates), (lo, hi)
    assert not PenalizingAtrocitiesParams.joint_holds_on_box({"atrocity_cost": (0.1, 0.2)})  # lead unknown


def test_a_single_integer_lead_skips_the_pointwise_joint_check(monkeypatch, rng):
    calls = []
    real = PenalizingAtrocitiesParams.check_joint_arrays.__func__

    def spy(cls, values):
        calls.append(1)
        return real(cls, values)

    monkeypatch.setattr(PenalizingAtrocitiesParams, "check_joint_arrays", classmethod(spy))
    n = 2 * accel.MIN_POINTS
    v = _draw(rng, n, {})
    names = [k for k in ORDER if k != "decisive_lead"]  # the benchmark's design: the lead keeps its value
    MODEL.evaluate(np.column_stack([v[k] for k in names]), names, ["p_war"])
    assert not calls
    MODEL.evaluate(np.column_stack([v[k] for k in ORDER]), list(ORDER), ["p_war"])  # a varying lead
    assert calls


def test_conformance_suite_with_numba():
    report = check_model(PenalizingAtrocities())
    assert report.passed
    assert "compiled_equals_numpy" in report.ran


def test_numpy_kernel_without_the_slope_gives_the_same_outcomes(rng):
    v = _draw(rng, 4096, {})
    full = kernel(v, accel=False)
    part = kernel(v, [*MODEL.outcome_names, "regime"], accel=False)  # no phi / duration_slope: slope skipped
    assert "phi" in full and "duration_slope" in full
    for w in part:
        np.testing.assert_array_equal(part[w], full[w], err_msg=w)


# ---------------------------------------------------------------------- extreme valid inputs
_WIDE_ROWS = (
    {"government_strength": 5e-324, "rebel_strength": 5.347788856429511e-235, "aid_to_rebels": 1.1409982165444723e-168,
     "atrocity_effectiveness": 17.25768882993338, "atrocity_penalty": 1.0109521179572633e198,
     "decisive_lead": 114383547549.0},  # (g + m)² underflows: the war test from logs
    {"atrocity_cost": 1e308, "atrocity_penalty": 1e308},  # T = k + τ overflows, no atrocities
    {"atrocity_effectiveness": 4.6e160, "rebel_strength": 8.4e223, "atrocity_cost": 1e-70},  # βm, (g + m)² overflow
    {"atrocity_effectiveness": 1e308, "atrocity_cost": 1e300},  # β/(4T) fine, balance aid small
    {"atrocity_effectiveness": 1e308, "atrocity_cost": 0.2, "government_strength": 1e308,
     "rebel_strength": 1e308},  # β/(4T) overflows only in 4T's rounding: half scale
)


def _rows(points):
    return paths.rows(ORDER, PenalizingAtrocitiesParams.defaults(), points)


def test_compiled_equals_numpy_where_only_an_intermediate_overflowed():
    """Before: NaN battle odds, war values and deterrent penalties on both paths at these points."""
    names, X = _rows([*_WIDE_ROWS, {}])
    model = PenalizingAtrocities()
    outs = [*model.outcome_names, "regime"]
    got = model.evaluate(X, names, outs)
    with accel.disabled():
        ref = model.evaluate(X, names, outs)
    assert np.isfinite(got).all()
    np.testing.assert_allclose(got, ref, rtol=1e-12, atol=0.0)


def test_compiled_refuses_an_overflowing_outcome_with_numpys_message():
    names, X = _rows([{}, {"atrocity_harm": 1.7e308}])
    model = PenalizingAtrocities()
    msgs = paths.refusals(model, X, names, ["p_war"], match="every outcome is a finite float64")
    assert msgs[0] == msgs[1]


def test_compiled_sweep_design_skips_the_pointwise_overflow_check(monkeypatch):
    """The inputs' real minima and maxima prove the overflow rule on a sweep design."""
    from atrogame.models.penalizing_atrocities import params as pa_params

    called = []
    def spy(values, defaults):
        if np.size(values["atrocity_harm"]) > 1:  # (the model's own scalar parameters are checked too)
            called.append(1)

    monkeypatch.setattr(pa_params, "_outcomes_representable", spy)
    rng = np.random.default_rng(5)
    names = list(ORDER)
    n = 2 * accel.MIN_POINTS
    cols = [rng.uniform(*PenalizingAtrocitiesParams.meta(k)["sweep_range"], n) for k in names]
    cols[names.index("decisive_lead")] = rng.integers(1, 7, n).astype(float)
    PenalizingAtrocities().evaluate(np.column_stack(cols), names, ["p_war"])
    assert called == []


@pytest.mark.parametrize("point", [{"government_strength": 1.7e308, "rebel_strength": 1.7e308},
                                   {"government_strength": 1.2e308, "rebel_strength": 1e308}])
def test_odds_without_atrocities_where_the_strengths_sum_overflows(point):
    """Π* = g/(g + m) with g + m beyond the largest float: the same ratio at half scale on both
    paths, and no overflow warning (before: g/inf = 0, a government certain to lose, at even
    strengths; the model stood by it)."""
    names, X = _rows([point])
    model = PenalizingAtrocities()
    outs = ["government_win_prob", "atrocity_intensity"]
    g, r = point["government_strength"], point["rebel_strength"]
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no RuntimeWarning reaches the user
        got = model.evaluate(X, names, outs)
        with accel.disabled():
            ref = model.evaluate(X, names, outs)
        scalar = PenalizingAtrocities(**point).solve().outcomes["government_win_prob"]
    assert (ref[:, 1] == 0.0).all()  # no atrocities: the odds are the strengths' ratio
    assert ref[0, 0] == pytest.approx(g / 2 / (g / 2 + r / 2), rel=1e-15)
    assert scalar == ref[0, 0]
    np.testing.assert_array_equal(got, ref)
