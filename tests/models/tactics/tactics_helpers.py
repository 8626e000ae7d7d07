"""Shared helpers of the tactics tests: solve a parameter set, apply the spec's policies."""

from __future__ import annotations

from typing import Any

import numpy as np

from atrogame.models.tactics.closed_form import closed_form, outcome_gradients
from atrogame.models.tactics.params import TacticsParams

TAC = ("killing", "displacement", "imprisonment", "sexual_violence")
HW = {"displaced": 0.1, "detained": 0.2, "sexual_violence": 0.5}
K2 = {"tactics": ("killing", "imprisonment"), "tactic_weights": (0.5, 0.5), "tactic_substitution": 3.0,
      "tactic_cost": (1.0, 0.25), "lethality": (1.0, 0.0), "harm_profile": {"detained": (0.0, 1.0)},
      "enabler_intensity": (0.0, 0.0), "enabler_intensity_rebels": 0.0, "cost_rebels": 1.0}


def params(**kw: Any) -> TacticsParams:
    return TacticsParams(**kw)


def solve(p: TacticsParams | None = None, **kw: Any) -> dict[str, np.ndarray]:
    p = TacticsParams(**kw) if p is None else (p.replace(**kw) if kw else p)
    return closed_form(p.kernel_values(), p.objective)


def grads(p: TacticsParams, **kw: Any) -> dict[str, np.ndarray]:
    return outcome_gradients(solve(p), p.kernel_values(), **kw)


def shame(p: TacticsParams, amounts: dict[str, float]) -> TacticsParams:
    s = dict(zip(p.tactics, p.tactic_sanction, strict=True))
    for k, a in amounts.items():
        s[k] += a
    return p.replace(tactic_sanction=s)


def shame_all(p: TacticsParams, amount: float) -> TacticsParams:
    return p.replace(tactic_sanction=tuple(x + amount for x in p.tactic_sanction))


def close(a: Any, b: Any, rel: float = 1e-6, abs_: float = 1e-9) -> bool:
    a = np.asarray(a, dtype=float)
    b = np.asarray(b, dtype=float)
    return bool(np.all(np.abs(a - b) <= rel * np.maximum(np.abs(a), np.abs(b)) + abs_))
