"""The Ishigami function as a model: a test case with known Sobol indices (not public).

Ishigami & Homma (1990), doi:10.1109/ISUMA.1990.151285:
y = sin x₁ + a·sin²x₂ + b·x₃⁴·sin x₁ with xᵢ uniform on [−π, π]. Its first-order and
total Sobol indices have closed forms (:func:`analytic_indices`), so it checks
:meth:`atrogame.model.Model.sensitivity` end to end. A second outcome,
``linear`` = x₁ + 2x₂ + 3x₃, has first-order indices equal to the variance shares
1/14, 4/14, 9/14. The regime is the sign of y ("negative" or "nonnegative"), so the
regime-aware options of the sensitivity analysis can be tested too.

Examples
--------
>>> round(Ishigami(x1=np.pi / 2, x2=np.pi / 2, x3=0.0).solve().y, 12)
8.0
>>> {k: round(v, 4) for k, v in analytic_indices()["S1"].items()}
{'x1': 0.3139, 'x2': 0.4424, 'x3': 0.0}
"""

from __future__ import annotations

import functools
import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, ClassVar

import numpy as np
import sympy as sp

from atrogame.core.contract import outcome
from atrogame.model import Model
from atrogame.core.parameters import Interval, Parameters, param
from atrogame.core.results import Equilibrium

_BOX = Interval(-math.pi, math.pi, "both")
_REAL = Interval(None, None)


@dataclass(frozen=True, kw_only=True)
class IshigamiParams(Parameters):
    """Inputs x1, x2, x3 in [−π, π] and the coefficients a, b of the Ishigami function.

    Examples
    --------
    >>> IshigamiParams().a, IshigamiParams.names()
    (7.0, ('x1', 'x2', 'x3', 'a', 'b'))
    """

    x1: float = param(0.0, symbol="x_1", interval=_BOX, long_name="input 1", sweep_range=(-math.pi, math.pi))
    x2: float = param(0.0, symbol="x_2", interval=_BOX, long_name="input 2", sweep_range=(-math.pi, math.pi))
    x3: float = param(0.0, symbol="x_3", interval=_BOX, long_name="input 3", sweep_range=(-math.pi, math.pi))
    a: float = param(7.0, symbol="a", interval=_REAL, long_name="coefficient a", sweep_range=(5.0, 9.0))
    b: float = param(0.1, symbol="b", interval=_REAL, long_name="coefficient b", sweep_range=(0.05, 0.15))


def analytic_indices(a: float = 7.0, b: float = 0.1) -> dict[str, dict[str, float]]:
    """First-order (``S1``) and total (``ST``) Sobol indices of y for inputs uniform on [−π, π].

    Examples
    --------
    >>> {k: round(v, 4) for k, v in analytic_indices()["ST"].items()}
    {'x1': 0.5576, 'x2': 0.4424, 'x3': 0.2437}
    """
    pi = math.pi
    v1 = 0.5 * (1 + b * pi**4 / 5) ** 2
    v2 = a**2 / 8
    v13 = b**2 * pi**8 * (1 / 18 - 1 / 50)
    var = v1 + v2 + v13
    return {"S1": {"x1": v1 / var, "x2": v2 / var, "x3": 0.0},
            "ST": {"x1": (v1 + v13) / var, "x2": v2 / var, "x3": v13 / var}}


@functools.cache
def _derive() -> dict[str, sp.Expr]:
    s = IshigamiParams.symbols()
    x1, x2, x3, a, b = (s[k] for k in ("x1", "x2", "x3", "a", "b"))
    return {"y": sp.sin(x1) + a * sp.sin(x2) ** 2 + b * x3**4 * sp.sin(x1), "linear": x1 + 2 * x2 + 3 * x3}


class Ishigami(Model):
    """The Ishigami test function (a sensitivity-analysis benchmark, not a model of atrocities).

    Examples
    --------
    >>> eq = Ishigami(x1=np.pi / 2).solve()
    >>> round(eq.y, 6), eq.regime
    (1.0, 'nonnegative')
    """

    name = "ishigami"
    citation = "Ishigami & Homma (1990) test function"
    reference = ("Ishigami, T. & Homma, T. (1990). An importance quantification technique in uncertainty "
                 "analysis for computer models. ISUMA '90. doi:10.1109/ISUMA.1990.151285")
    provenance = "published"
    Params = IshigamiParams
    outcomes = (
        outcome("y", long_name="Ishigami function", symbol="y", headline=True),
        outcome("linear", long_name="linear combination", symbol="x_1 + 2 x_2 + 3 x_3"),
    )
    regimes = ("negative", "nonnegative")

    def sensitivity_parameters(self) -> tuple[str, ...]:
        """The uncertain inputs x₁, x₂, x₃ (a and b are constants of the test function)."""
        return ("x1", "x2", "x3")

    def kernel(self, v: Mapping[str, Any]) -> dict[str, np.ndarray]:
        x1, x2, x3, a, b = (np.asarray(v[k], dtype=float) for k in ("x1", "x2", "x3", "a", "b"))
        s1 = np.sin(x1)
        y = s1 + a * np.sin(x2) ** 2 + b * x3**4 * s1
        return {"y": y, "linear": x1 + 2 * x2 + 3 * x3, "regime": (y >= 0).astype(np.int8)}

    def symbolic(self, of: str, eq: Equilibrium) -> tuple[sp.Expr, sp.Expr | None]:
        return _derive()[of], None
