"""General game solvers with symbolic payoffs.

* :mod:`atrogame.solvers.bargaining` — take-it-or-leave-it bargaining with a privately
  informed responder (closed form for uniform types, numeric for any scipy.stats distribution).

``import atrogame.solvers`` stays light: no matplotlib, SALib or dask.

Examples
--------
>>> from atrogame.solvers import uniform_offer
>>> uniform_offer(v=0.5, w=0.3, high=0.6).regime_name
'interior'
"""

from __future__ import annotations

from atrogame.solvers.bargaining import (
    REGIMES,
    BargainingSolution,
    offer_payoff,
    optimal_offer,
    uniform_offer,
    uniform_offer_symbolic,
)

__all__ = [
    "REGIMES",
    "BargainingSolution",
    "offer_payoff",
    "optimal_offer",
    "uniform_offer",
    "uniform_offer_symbolic",
]
