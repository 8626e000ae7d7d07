"""Shared helpers of the strategic mass-killing tests: evaluation, random valid points, margins."""

from __future__ import annotations

import numpy as np

from atrogame.models.strategic_mass_killing.kernel import KILLING_REGIMES, ONSET_REGIMES, closed_form
from atrogame.models.strategic_mass_killing.params import ORDER, StrategicMassKillingParams

DEFAULTS = StrategicMassKillingParams().to_dict()


def cf(**changes):
    """Closed form at the defaults with some values changed (scalars or arrays)."""
    return closed_form({**DEFAULTS, **changes})


def labels(out):
    return (KILLING_REGIMES[int(out["regime"])], KILLING_REGIMES[int(out["opposition_regime"])],
            ONSET_REGIMES[int(out["onset_regime"])])


def random_points(n: int, seed: int) -> dict[str, np.ndarray]:
    """Random valid points that reach every regime: uniform on the sweep ranges with a few mixtures
    (caps that bind, log-uniform convex cost, some boundary values)."""
    rng = np.random.default_rng(seed)
    pts: dict[str, np.ndarray] = {}
    for name in ORDER:
        lo, hi = StrategicMassKillingParams.meta(name)["sweep_range"]
        pts[name] = rng.uniform(lo, hi, n)
    pts["killing_cost_curvature"] = np.exp(rng.uniform(np.log(0.2), np.log(10.0), n))
    pts["killing_fixed_cost"] = rng.uniform(0.0, 0.05, n)
    pts["killing_labour"] = rng.uniform(0.0, 0.4, n)
    pts["productivity"] = np.exp(rng.uniform(np.log(0.2), np.log(3.0), n))
    pts["sanction_per_victim"] = np.where(rng.random(n) < 0.6, 0.0, rng.uniform(0, 0.5, n))
    pts["killing_cap"] = np.where(rng.random(n) < 0.4, 1.0, rng.uniform(0.0, 0.4, n))
    pts["power_sharing"] = np.where(rng.random(n) < 0.4, 0.0, pts["power_sharing"])
    pts["headcount_claims"] = np.where(rng.random(n) < 0.4, 1.0, pts["headcount_claims"])
    return pts


def boundary_margin(v: dict[str, float]) -> float:
    """Smallest distance of a point to a regime boundary of the closed form (scaled)."""
    n_i, c, phi, vbar, eps = (v[k] for k in ("incumbent_share", "killing_cost_curvature", "killing_fixed_cost",
                                             "killing_cap", "mobilisation_cost_max"))
    out = closed_form(v)
    m = float(out["value_per_victim"])
    margins = [abs(m)]
    for n_g in (n_i, 1 - n_i):
        n_h = 1 - n_g
        v_max = min(vbar, n_h)
        v_u = m * n_g / c
        v1, vc = np.clip(v_u, 0, n_h), np.clip(v_u, 0, v_max)
        g1 = m * v1 - c * v1**2 / (2 * n_g)
        gc = m * vc - c * vc**2 / (2 * n_g)
        margins += [abs(g1 - phi), abs(gc - phi), abs(v_u - v_max), abs(vbar - n_h)]
    g = float(out["challenge_gain"])
    margins += [abs(g), abs(g - eps)]
    return min(margins)
