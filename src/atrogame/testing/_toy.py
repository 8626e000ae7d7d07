"""A tiny model with answers checkable by hand, used to test the core machinery.

Choose x ≥ 0 to maximise (b − t)·x − c·x²/2, where t is a per-unit tax. The
optimum is x* = max(0, (b − t)/c); the outcome ``welfare`` is the untaxed value
b·x* − c·x*²/2. Regimes: "corner" (x* = 0) and "interior".

Examples
--------
>>> Toy(benefit=2.0, curvature=1.0, threshold=1.0).solve().x
1.0
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import sympy as sp

from atrogame.core.contract import outcome
from atrogame.model import Model
from atrogame.core.parameters import NONNEGATIVE, POSITIVE, Parameters, param
from atrogame.core.results import Equilibrium


@dataclass(frozen=True, kw_only=True)
class ToyParams(Parameters):
    """Parameters of the toy model: benefit b, curvature c and per-unit tax t.

    Examples
    --------
    >>> ToyParams(benefit=3.0).to_dict()
    {'benefit': 3.0, 'curvature': 1.0, 'threshold': 1.0}
    """

    benefit: float = param(2.0, symbol="b", interval=POSITIVE, long_name="marginal benefit",
                           sweep_range=(0.1, 5.0))
    curvature: float = param(1.0, symbol="c", interval=POSITIVE, long_name="curvature",
                             sweep_range=(0.1, 5.0))
    threshold: float = param(1.0, symbol="t", interval=NONNEGATIVE, long_name="threshold",
                             sweep_range=(0.0, 5.0))


@functools.cache
def _derive() -> dict[str, sp.Expr]:
    s = ToyParams.symbols()
    b, c, t = s["benefit"], s["curvature"], s["threshold"]
    x = (b - t) / c
    return {"x": x, "welfare": b * x - c * x**2 / 2}


class Toy(Model):
    """Toy model for tests (not public).

    Examples
    --------
    >>> Toy(benefit=3.0).solve()
    <Equilibrium toy regime=interior x=2 welfare=4>
    >>> Toy(benefit=0.5).solve().regime
    'corner'
    """

    name = "toy"
    citation = "atrogame's toy model"
    Params = ToyParams
    outcomes = (
        outcome("x", long_name="activity", symbol="x", role="harm", headline=True),
        outcome("welfare", long_name="welfare", symbol="W", role="utility"),
    )
    regimes = ("corner", "interior")

    def kernel(self, v: Mapping[str, Any]) -> dict[str, np.ndarray]:
        b, c, t = (np.asarray(v[k], dtype=float) for k in ("benefit", "curvature", "threshold"))
        x = np.maximum(0.0, (b - t) / c)
        return {"x": x, "welfare": b * x - c * x**2 / 2, "regime": (x > 0).astype(np.int8)}

    def symbolic(self, of: str, eq: Equilibrium) -> tuple[sp.Expr, sp.Expr | None]:
        if eq.regime == "corner":
            return sp.Integer(0), None
        return _derive()[of], None
