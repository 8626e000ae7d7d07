"""AtrocityTactics at valid but extreme inputs: finite outcomes or a refusal by name.

Oracle: the outcomes' logarithms computed without overflow (log-sum-exp sums, CES price
indices centred on their extreme input: :func:`atrogame.models.tactics.overflow.log_outcomes`),
and the rule that a point where an outcome exceeds e^700 is refused with a ParameterError
naming an input (as the Anderton–Brauer technologies do). Before: a huge elasticity of
substitution (σ near 1e308) gave NaN in every quantity through inf − inf in the shifted
log-sum-exp; a civilian price index below the normal range gave a NaN or inf civilian
violence; a lethality of 1.7e308 gave inf deaths. The compiled (numba) loop is used by
``evaluate`` for designs of at least ``accel.MIN_POINTS`` rows; its half of these tests runs
only where numba is installed (elsewhere both evaluations take the numpy path). Not covered: a
finite enabler-supply elasticity (the net price is a root; no rule is applied there).
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from atrogame import accel
from atrogame.core.errors import ParameterError
from atrogame.models.tactics import AtrocityTactics
from atrogame.models.tactics.overflow import LOG_LIMIT, box_ok, log_outcomes

STRUCTURES = {
    "default": {},
    "min_cost": {"objective": "min_cost", "control_target": 20.0},
    "harm_weights": {"harm_weights": {"displaced": 0.1, "detained": 1e290, "sexual_violence": 0.5}},
    "weights": {"tactic_weights": (1e-300, 0.5, 0.25, 0.25 - 1e-300)},
    "two_tactics": {"tactics": ("killing", "imprisonment"), "tactic_weights": (0.3, 0.7), "lethality": (1.0, 0.0),
                    "harm_profile": {}, "enabler_intensity": (0.2, 0.0)},
}


def _compiled_applies() -> bool:
    return accel.enabled()


def _draw(m: AtrocityTactics, n: int, rng: np.random.Generator) -> dict[str, np.ndarray]:
    """``n`` points: each input log-uniform on [e^-744, e^709] half the time, else near its
    default; the ideology on [0, 1] (ends included), the rebels' share inside (0, 1), either end."""
    cols: dict[str, np.ndarray] = {}
    for k, d in m.parameter_values().items():
        wide = rng.random(n) < 0.5
        if k == "ideology":
            x = rng.uniform(0.0, 1.0, n)
            x[wide & (rng.random(n) < 0.3)] = 1.0
            x[wide & (rng.random(n) < 0.3)] = 0.0
        elif k == "share_rebels":
            u = np.exp(rng.uniform(-744.0, 0.0, n))
            x = np.where(wide, np.where(rng.random(n) < 0.5, u, 1.0 - u), rng.uniform(0.2, 0.8, n))
            x = np.clip(x, 5e-324, np.nextafter(1.0, 0.0))
        else:
            near = d * np.exp(rng.normal(0.0, 0.5, n)) if d > 0 else rng.uniform(0.0, 1.0, n)
            x = np.where(wide, np.maximum(np.exp(rng.uniform(-744.0, 709.0, n)), 5e-324), near)
            if k in ("tactic_substitution", "substitution_elasticity"):
                x[rng.random(n) < 0.05] = 1.0  # the Cobb–Douglas nests too
        cols[k] = x
    return cols


def _accepted(m: AtrocityTactics, cols: dict[str, np.ndarray]) -> np.ndarray:
    n = len(next(iter(cols.values())))
    keep = np.zeros(n, dtype=bool)
    for i in range(n):
        try:
            m.Params(**{k: float(a[i]) for k, a in cols.items()})
        except ParameterError:
            continue
        keep[i] = True
    return keep


def _design(cols: dict[str, np.ndarray], rows: np.ndarray, n: int) -> tuple[list[str], np.ndarray]:
    names = list(cols)
    X = np.stack([cols[k][rows] for k in names], axis=1)
    return names, np.ascontiguousarray(np.resize(X, (n, len(names))))


@pytest.mark.parametrize("structure", list(STRUCTURES))
def test_random_extreme_points_are_refused_or_finite(structure):
    """Every point the parameter class accepts has finite outcomes on the numpy path, close to
    the overflow-free logarithms; the compiled loop gives the same numbers (1e-12 relative)."""
    m = AtrocityTactics(**STRUCTURES[structure])
    rng = np.random.default_rng(20261203)
    cols = _draw(m, 1200, rng)
    keep = _accepted(m, cols)
    assert 0.1 * keep.size < keep.sum() < keep.size  # some refused, many accepted
    outs = list(m.outcome_names)
    names, X = _design(cols, np.flatnonzero(keep), int(keep.sum()))
    with np.errstate(all="ignore"), accel.disabled():
        ref = m.evaluate(X, names, outs)
    bad = ~np.isfinite(ref)
    assert not bad.any(), [(outs[j], dict(zip(names, X[i], strict=True))) for i, j in np.argwhere(bad)][:1]
    logs = log_outcomes({k: X[:, j] for j, k in enumerate(names)}, m.Params.structure)
    for j, o in enumerate(outs):
        if o in logs:  # ordinary magnitudes agree with the logarithms (a loose, independent check)
            lg = logs[o]
            normal = (lg > -600.0) & (lg < LOG_LIMIT)
            rel = np.abs(ref[normal, j] - np.exp(lg[normal])) / np.exp(lg[normal])
            assert rel.max(initial=0.0) < 1e-6, (o, X[normal][np.argmax(rel)].tolist())
    if _compiled_applies():
        N = max(accel.MIN_POINTS, X.shape[0])
        names, XN = _design(cols, np.flatnonzero(keep), N)
        with np.errstate(all="ignore"):
            got = m.evaluate(XN, names, outs)
            with accel.disabled():
                refN = m.evaluate(XN, names, outs)
        np.testing.assert_allclose(got, refN, rtol=1e-12, atol=0.0)


def _rows(m: AtrocityTactics, point: dict[str, float], n: int) -> tuple[list[str], np.ndarray]:
    """``n`` rows at the model's values (the compiled path applies for ``n >= MIN_POINTS``) with
    ``point`` at row 9 (the other rows vary the resources a little, so the columns vary)."""
    names = list(m.parameter_values())
    X = np.tile([m.parameter_values()[k] for k in names], (n, 1))
    X[:, names.index("resources")] *= np.linspace(0.9, 1.1, n)
    X[9, names.index("resources")] = m.parameter_values()["resources"]
    for k, x in point.items():
        X[9, names.index(k)] = x
    return names, X


def _refusals(m: AtrocityTactics, point: dict[str, float]) -> list[ParameterError]:
    """The errors of the scalar constructor and of ``evaluate`` on both paths (compiled first, if any)."""
    errors = []
    with pytest.raises(ParameterError) as e:
        m.with_params(**point)
    errors.append(e.value)
    names, X = _rows(m, point, accel.MIN_POINTS + 3)
    for numpy_only in (False, True):
        with pytest.raises(ParameterError) as e, np.errstate(all="ignore"):
            if numpy_only:
                with accel.disabled():
                    m.evaluate(X, names, ["deaths"])
            else:
                m.evaluate(X, names, ["deaths"])
        errors.append(e.value)
    return errors


_MAXF = 1.7e308
_ALL = ("killing", "displacement", "imprisonment", "sexual_violence")


@pytest.mark.parametrize(("point", "blamed", "outcome"), [
    ({"lethality_killing": _MAXF}, "lethality_killing", "deaths"),  # was: deaths = harm_index = inf
    ({f"enabler_intensity_{t}": _MAXF for t in _ALL}, "enabler_intensity_displacement", "tactic_prices_killing"),
    ({f"tactic_productivity_{t}": 5e-324 for t in _ALL}, "tactic_productivity_killing", "civilian_price_index"),
    ({"tactic_productivity_killing": 5e-324, "tactic_substitution": 0.5}, "tactic_productivity_killing",
     "civilian_price_index"),  # was: civilian price index = inf
    ({"resources": 1e305}, "resources", "tactic_levels_killing"),
])
def test_point_whose_outcome_overflows_is_refused_by_name(point, blamed, outcome):
    """The scalar constructor and ``evaluate`` on both paths refuse the point naming the same
    input; the two paths give the same message."""
    m = AtrocityTactics()
    errors = _refusals(m, point)
    assert {e.name for e in errors} == {blamed}
    assert f"({outcome} overflows at" in str(errors[0])
    assert "must be in values at which every outcome is a finite float64 (ln outcome ≤ 700)" in str(errors[0])
    assert str(errors[1]) == str(errors[2])
    assert "1 of 16387 points invalid" in str(errors[2]) or accel.MIN_POINTS != 16384


def test_refused_random_points_same_message_on_both_paths():
    """Random refused points inside a design of accepted ones: both paths refuse with the same
    message, naming the input the scalar constructor names."""
    m = AtrocityTactics()
    rng = np.random.default_rng(7)
    cols = _draw(m, 300, rng)
    keep = _accepted(m, cols)
    assert (~keep).sum() >= 8
    for i in np.flatnonzero(~keep)[:8]:
        point = {k: float(a[i]) for k, a in cols.items()}
        errors = _refusals(m, point)
        assert len({e.name for e in errors}) == 1
        assert str(errors[1]) == str(errors[2])


def _evaluate_both(m: AtrocityTactics, point: dict[str, float], outs: list[str]) -> tuple[np.ndarray, np.ndarray]:
    names, X = _rows(m, point, accel.MIN_POINTS)
    with np.errstate(all="ignore"):
        got = m.evaluate(X, names, outs)[9]
        with accel.disabled():
            ref = m.evaluate(X[:20], names, outs)[9]
    return got, ref


def test_huge_elasticity_gives_the_perfect_substitutes_limit():
    """σ = 1.7e308: every resource goes to the cheaper activity in effective terms (was: NaN
    from inf − inf in the shifted log-sum-exp). Rebels at a_R = 10: p_R/(a_R θ) = 0.2 < P_C/(a_C(1 − θ)) = 8,
    so R = M/p_R = 100, Z = A M/0.2 = 500, no civilian violence. Inside the civilian nest,
    σ_T = 1.7e308 and b_killing = 10: killing alone, T = E_C/q = 50, P_C = q/(b ω) = 0.4, and
    (Cobb–Douglas outer nest) Z = M/√(2 · 0.8)."""
    m = AtrocityTactics(resources=100.0)
    outs = ["control", "rebel_attacks", "deaths", "tactic_levels_killing", "civilian_price_index"]
    for got, ref in [_evaluate_both(m, {"substitution_elasticity": _MAXF, "productivity_rebels": 10.0}, outs)]:
        np.testing.assert_allclose(ref, [500.0, 100.0, 0.0, 0.0, 4.0], rtol=1e-13)
        np.testing.assert_allclose(got, ref, rtol=1e-12)
    for got, ref in [_evaluate_both(m, {"tactic_substitution": _MAXF, "tactic_productivity_killing": 10.0}, outs)]:
        np.testing.assert_allclose(ref, [100.0 / math.sqrt(1.6), 50.0, 50.0, 50.0, 0.4], rtol=1e-13)
        np.testing.assert_allclose(got, ref, rtol=1e-12)


def test_products_below_the_normal_range_keep_their_digits():
    """A civilian share of 2.5e-331 (rebels at a_R = 1e300 are nearly free; every tactic at
    b = 1e-30 costs P_C = 4e30 per unit) times a lethality of 1e300: deaths are
    1e300 · 0.25 · 2.5e-331 = 6.25e-32 (was: 0, the share and the level underflowed)."""
    m = AtrocityTactics(resources=1.0)
    point = {"productivity_rebels": 1e300, "substitution_elasticity": 2.0, "lethality_killing": 1e300,
             **{f"tactic_productivity_{t}": 1e-30 for t in _ALL}}
    got, ref = _evaluate_both(m, point, ["deaths", "civilian_price_index"])
    np.testing.assert_allclose(ref, [6.25e-32, 4e30], rtol=1e-10)
    np.testing.assert_allclose(got, ref, rtol=1e-12)


def _box(v: dict[str, np.ndarray]) -> dict[str, tuple[float, float]]:
    return {k: (float(np.min(a)), float(np.max(a))) for k, a in v.items()}


@pytest.mark.parametrize("structure", list(STRUCTURES))
def test_box_proof_is_sound_and_applies_on_the_sweep_ranges(structure, rng):
    """Boxes the interval proof accepts pass the pointwise check at random points (log-uniform
    on random sub-ranges around the defaults, ends included); sweep-range boxes are proven; a
    box holding an overflowing point is not, and validation refuses it by name."""
    m = AtrocityTactics(**STRUCTURES[structure])
    cls = m.Params
    sweep = {k: rng.uniform(*cls.meta(k)["sweep_range"], 2048) for k in cls.names()}
    assert cls.joint_holds_on_box(_box(sweep))
    assert box_ok(_box(sweep), cls.structure)
    proven = 0
    for _ in range(150):
        v = {}
        width = rng.uniform(0.0, 120.0)
        for k, d in cls.defaults().items():
            lo, hi = cls.meta(k)["sweep_range"]
            if k in ("ideology", "share_rebels") or d == 0.0:
                a, b = np.sort(rng.uniform(lo, hi, 2))
                v[k] = rng.uniform(a, b, 256)
            else:
                a, b = np.sort(rng.uniform(-width, width, 2))
                v[k] = d * np.exp(rng.uniform(a, b, 256))
                v[k][:2] = d * np.exp([a, b])
        if cls.joint_holds_on_box(_box(v)):
            proven += 1
            cls.check_joint_arrays(v)  # must not raise
            logs = log_outcomes(v, cls.structure)
            assert all(np.all(x <= LOG_LIMIT) for x in logs.values())
    assert proven >= 10
    v = {k: a.copy() for k, a in sweep.items()}
    v["lethality_rebels"][9] = _MAXF
    assert not cls.joint_holds_on_box(_box(v))
    with pytest.raises(ParameterError, match="lethality_rebels must be in values at which every outcome"):
        cls.validate_arrays(v)


def test_solve_info_matches_its_outcomes_at_extreme_inputs():
    """``solve()``'s outcomes and ``info`` keep the digits of levels whose factors leave the
    normal range: with σ = 2, y_R = ln(p_R/(a_R θ)) = −300 + ln 2 and y_C = ln(P_C/(a_C(1 − θ))) =
    460 + ln 8 (P_C = 4), the civilian share is e^(y_R − y_C)/(1 + e^(y_R − y_C)) ≈ e^-760/4
    (below the smallest double), and each tactic gets T = 0.25 · s_C · M/q = e^-660/16 at
    M = e^100 (was: 0 in both, the share underflowed)."""
    m = AtrocityTactics(resources=math.exp(100.0), productivity_rebels=math.exp(300.0),
                        productivity_civilians=math.exp(-460.0), substitution_elasticity=2.0)
    eq = m.solve()
    level = math.exp(-660.0) / 16.0
    assert eq["tactic_levels_killing"] == pytest.approx(level, rel=1e-10, abs=0.0)
    assert eq["deaths"] == pytest.approx(1.2 * level, rel=1e-10, abs=0.0)
    for t in _ALL:
        assert eq.info["tactic_levels"][t] == eq[f"tactic_levels_{t}"]
    for g in m.spec.harm_categories:
        assert eq.info["harms"][g] == eq[f"harms_{g}"]
