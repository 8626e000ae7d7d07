"""Random valid parameter sets of the tactics model (the property-test design of the docs)."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from atrogame.models.tactics.params import TacticsParams


def _sigma(rng: np.random.Generator) -> float:
    u = rng.random()
    if u < 0.1:
        return 1.0
    if u < 0.2:
        return 1.0 + float(rng.choice([-1, 1])) * 10.0 ** float(rng.uniform(-8, -3))
    return float(rng.uniform(0.1, 5.0))


def draw(rng: np.random.Generator, *, objective: str | None = None, finite: bool | None = None,
         K: int | None = None) -> TacticsParams:
    K = int(rng.integers(1, 7)) if K is None else K
    names = tuple(f"t{i}" for i in range(K))
    om = rng.dirichlet(np.ones(K))
    om = np.maximum(om, 0.02)
    om = om / om.sum()
    om[-1] = 1.0 - om[:-1].sum()

    def maybe_zero(a: np.ndarray, p: float = 0.3) -> tuple[float, ...]:
        return tuple(float(x) for x in np.where(rng.random(a.shape) < p, 0.0, a))

    kw: dict[str, Any] = {
        "tactics": names,
        "tactic_weights": tuple(float(x) for x in om),
        "tactic_substitution": _sigma(rng),
        "substitution_elasticity": _sigma(rng),
        "tactic_cost": tuple(float(x) for x in rng.uniform(0.2, 5, K)),
        "tactic_sanction": maybe_zero(rng.uniform(0, 3, K)),
        "tactic_productivity": tuple(float(x) for x in rng.uniform(0.2, 3, K)),
        "lethality": tuple(float(x) for x in rng.uniform(0, 2, K)),
        "harm_profile": {"h": tuple(float(x) for x in rng.uniform(0, 1, K))},
        "harm_weights": {"h": float(rng.uniform(0, 1))},
        "productivity_rebels": float(rng.uniform(0.2, 3)),
        "productivity_civilians": float(rng.uniform(0.2, 3)),
        "share_rebels": float(rng.uniform(0.05, 0.95)),
        "ideology": float(rng.choice([0.0, 1.0, rng.uniform(0, 1), rng.uniform(0, 1)])),
        "enabler_intensity": maybe_zero(rng.uniform(0, 1, K)),
        "enabler_intensity_rebels": maybe_zero(rng.uniform(0, 1, 1))[0],
        "enabler_cost": float(rng.uniform(0.2, 3)),
        "enabler_sanction": float(rng.uniform(0, 2)),
        "resources": float(math.exp(rng.uniform(0, math.log(500)))),
        "lethality_rebels": float(rng.uniform(0, 2)),
        "cost_rebels": float(rng.uniform(0.2, 5)),
        "tfp": float(rng.uniform(0.5, 2)),
    }
    if finite is None:
        finite = bool(rng.random() < 0.3)
    if finite:
        kw["enabler_supply_elasticity"] = float(rng.uniform(0.1, 10))
        kw["enabler_capacity"] = float(math.exp(rng.uniform(0, math.log(200))))
    if objective is None:
        objective = "min_cost" if rng.random() < 0.3 else "max_control"
    if objective == "min_cost":
        kw["objective"] = "min_cost"
        kw["control_target"] = float(math.exp(rng.uniform(0, math.log(100))))
    return TacticsParams(**kw)
