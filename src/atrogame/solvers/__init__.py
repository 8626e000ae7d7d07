"""General game solvers with symbolic payoffs.

* :mod:`atrogame.solvers.normal_form` — bimatrix games with sympy payoffs: numeric equilibria
  (nashpy) at a point, tidy grids, and every 2×2 equilibrium in closed form with its region.
* :mod:`atrogame.solvers.extensive_form` — finite perfect-information game trees with sympy
  payoffs: subgame-perfect equilibria by backward induction as parameter regions, at a point
  and over grids (ties reported, never broken).
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
from atrogame.solvers.extensive_form import (
    Chance,
    Decision,
    ExtensiveFormGame,
    SPERegion,
    SubgamePerfectEquilibrium,
    Terminal,
    backward_induction,
)
from atrogame.solvers.normal_form import (
    GameSolution,
    NashEquilibrium,
    NormalFormGame,
    SymbolicEquilibrium,
    is_degenerate,
    normalise_payoffs,
    solve_bimatrix,
)

__all__ = [
    "REGIMES",
    "BargainingSolution",
    "Chance",
    "Decision",
    "ExtensiveFormGame",
    "GameSolution",
    "NashEquilibrium",
    "NormalFormGame",
    "SPERegion",
    "SubgamePerfectEquilibrium",
    "SymbolicEquilibrium",
    "Terminal",
    "backward_induction",
    "is_degenerate",
    "normalise_payoffs",
    "offer_payoff",
    "optimal_offer",
    "solve_bimatrix",
    "uniform_offer",
    "uniform_offer_symbolic",
]
