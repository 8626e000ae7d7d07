"""Helpers shared by the scale tests: the registered models that exist right now, and a failing model."""

from __future__ import annotations

import numpy as np

from atrogame import get_model, model_ids
from atrogame.testing.models import Toy


def available_models() -> list[tuple[str, object]]:
    """(id, default instance) for every registered model whose module imports (others are in progress)."""
    out = []
    for mid in model_ids():
        try:
            cls = get_model(mid)
        except (ImportError, AttributeError):
            continue
        if mid == "anderton_brauer":
            for tech in ("ces", "contest"):
                try:
                    out.append((f"{mid}-{tech}", cls(technology=tech)))
                except Exception:  # technology not there yet
                    continue
            continue
        try:
            out.append((mid, cls()))
        except Exception:
            continue
    return out


class FailingToy(Toy):
    """A toy solved point by point whose solve raises when benefit > 3 (to test failure records)."""

    vectorised = False

    def solve(self, method: str = "auto"):
        if self.params.benefit > 3.0:
            raise RuntimeError(f"no convergence at benefit={self.params.benefit:g}")
        return super().solve(method)


def random_priors(model, k: int | None = None) -> dict[str, tuple[float, float]]:
    """Each sensitivity parameter's sweep range (the first ``k`` of them)."""
    names = [n for n in model.sensitivity_parameters()
             if np.ptp(model.parameter_meta(n)["sweep_range"]) > 0][:k]
    return {n: tuple(model.parameter_meta(n)["sweep_range"]) for n in names}
