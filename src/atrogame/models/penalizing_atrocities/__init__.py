"""Penalizing atrocities versus fostering a balance of power, after Kydd (2022).

Kydd, A. H. (2022). Penalizing atrocities. *International Organization*,
doi:10.1017/S0020818322000078. The game, its forms and every number are atrogame's own
reconstruction from the published summaries; see docs/explanation/penalizing_atrocities.md.

Examples
--------
>>> from atrogame.models.penalizing_atrocities import PenalizingAtrocities
>>> eq = PenalizingAtrocities(atrocity_penalty=0.05).solve()
>>> round(eq.atrocity_intensity, 6), round(eq.p_war, 6)
(0.325742, 0.388813)
"""

from __future__ import annotations

from atrogame.models.penalizing_atrocities.closed_form import OUTCOMES, REGIMES, WAR_REGIMES, closed_form
from atrogame.models.penalizing_atrocities.model import LEVERS, NOT_REPRESENTED, PenalizingAtrocities
from atrogame.models.penalizing_atrocities.numeric import Forms, solve_numeric
from atrogame.models.penalizing_atrocities.params import PenalizingAtrocitiesParams

__all__ = ["LEVERS", "NOT_REPRESENTED", "OUTCOMES", "REGIMES", "WAR_REGIMES", "Forms", "PenalizingAtrocities",
           "PenalizingAtrocitiesParams", "closed_form", "solve_numeric"]
