"""Helpers shared by the penalizing-atrocities tests."""

from __future__ import annotations

import numpy as np

from atrogame.models.penalizing_atrocities.closed_form import closed_form
from atrogame.models.penalizing_atrocities.params import PenalizingAtrocitiesParams

BASE = PenalizingAtrocitiesParams().to_dict()


def cf(**changes):
    """The closed form at the defaults with ``changes`` (arrays allowed)."""
    return closed_form({**BASE, **changes})


def scalar(out, name):
    return float(np.asarray(out[name]))


def random_points(rng: np.random.Generator, size: int) -> dict[str, np.ndarray]:
    """Random valid parameter points spread over every regime combination."""
    pts = {
        "government_strength": rng.uniform(0.2, 3.0, size),
        "rebel_strength": rng.uniform(0.1, 3.0, size),
        "aid_to_rebels": rng.uniform(0.0, 4.0, size) * (rng.random(size) < 0.8),
        "atrocity_effectiveness": rng.uniform(0.0, 4.0, size) * (rng.random(size) < 0.9),
        "atrocity_cost": rng.uniform(0.02, 0.4, size),
        "atrocity_penalty": rng.uniform(0.0, 0.3, size) * (rng.random(size) < 0.7),
        "atrocity_harm": rng.uniform(0.0, 0.12, size),
        "government_war_cost": rng.uniform(0.0, 0.4, size),
        "cost_uncertainty": rng.uniform(0.05, 1.5, size),
        "decisive_lead": rng.integers(1, 6, size).astype(float),
    }
    return pts
