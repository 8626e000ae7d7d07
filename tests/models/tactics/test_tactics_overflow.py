"""AtrocityTactics at valid but extreme inputs: finite outcomes or a refusal by name.

Oracle: the outcomes' logarithms computed without overflow (log-sum-exp sums, CES price
indices centred on their extreme input: :func:`atrogame.models.tactics.overflow.log_outcomes`),
and the rule that a point where an outcome exceeds e^700 is refused with a ParameterError
naming an input (as the Anderton–Brauer technologies do). Before: a huge elasticity of
substitution (σ near 1e308) gave NaN in every quantity through inf − inf in the shifted
log-sum-exp; a civilian price index below the normal range gave a NaN or inf civilian
violence; a lethality of 1.7e308 gave inf deaths. The compiled (numba) loop is used by
``evaluate`` for designs of at least ``accel.MIN_POINTS`` rows; its half of these tests runs
only where numba is installed.
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
    "harm_weights": {"harm_weights": {"displaced": 0.1, "detained": 1e300, "sexual_violence": 0.5}},
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
    assert not bad.any(), [(outs[j], dict(zip(names, X[i], strict=True))) for i, j in zip(*np.nonzero(bad))][:1]
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
