"""The four prevention strategies and their aggregate effect in a model.

After the USHMM Simon-Skjodt Center's *A Strategic Framework for Helping Prevent Mass
Atrocities* (2023): **dissuade** potential perpetrators, **degrade** their capacity,
**protect** vulnerable populations, **facilitate a transition**. A strategy works through
mechanisms; in atrogame each mechanism is carried by tools, and each tool moves model
parameters (see :mod:`atrogame.tools`).

Examples
--------
>>> import atrogame as ag
>>> s = ag.strategies.assess("dissuade", ag.KyddStraus())
>>> "combined" in s.to_dataframe()["tool"].values
True
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from atrogame.core.contract import ModelLike
from atrogame.tools import (
    NOT_REPRESENTED,
    Assessment,
    Lever,
    Strategy,
    headline_outcomes,
    move_parameters,
    strategies_registry,
    tools_registry,
)
from atrogame.tools import assess as assess_tool

__all__ = ["StrategyAssessment", "assess", "get", "list_strategies", "tools_of"]


def get(strategy_id: str) -> Strategy:
    """The strategy ``strategy_id`` ("dissuade", "degrade", "protect", "transition").

    Examples
    --------
    >>> s = get("protect")
    >>> s.name, s.mechanisms[0]
    ('Protect vulnerable populations', 'direct physical protection')
    """
    return strategies_registry()[strategy_id]


def list_strategies() -> tuple[Strategy, ...]:
    """All four strategies, in the framework's order.

    Examples
    --------
    >>> [s.id for s in list_strategies()]
    ['dissuade', 'degrade', 'protect', 'transition']
    """
    return tuple(strategies_registry().values())


def tools_of(strategy_id: str) -> tuple[str, ...]:
    """Ids of the catalogue's tools that support ``strategy_id``.

    Examples
    --------
    >>> "naming_and_shaming" in tools_of("dissuade")
    True
    """
    get(strategy_id)
    return tuple(t.id for t in tools_registry().values() if strategy_id in t.strategies)


@dataclass(frozen=True)
class StrategyAssessment:
    """Each tool of a strategy assessed alone, plus all represented tools applied together.

    ``combined`` maps each headline outcome to its ``(before, after)`` pair with every
    represented tool applied at once.

    Examples
    --------
    >>> import atrogame as ag
    >>> sa = assess("degrade", ag.AndertonBrauer(technology="cobb_douglas"))
    >>> sa
    <StrategyAssessment degrade on anderton_brauer: 5/6 tools represented>
    >>> before, after = sa.combined["civilian_attacks"]
    >>> before, round(after, 2)
    (50.0, 15.67)
    """

    strategy: Strategy
    model: str
    assessments: tuple[Assessment, ...]
    combined: dict[str, Any]

    def to_dataframe(self) -> Any:
        """Tidy rows: tool (or "combined"), outcome, before, after, change, represented."""
        import pandas as pd

        rows: list[dict[str, Any]] = []
        for a in self.assessments:
            if not a.represented:
                rows.append({"tool": a.tool.id, "outcome": None, "represented": False, "status": NOT_REPRESENTED})
                continue
            for e in a.effects:
                rows.append({"tool": a.tool.id, "outcome": e.outcome, "represented": True, "before": e.before,
                             "after": e.after, "change": e.change, "status": ""})
        for o, (b, af) in self.combined.items():
            rows.append({"tool": "combined", "outcome": o, "represented": True, "before": b, "after": af,
                         "change": af - b, "status": ""})
        return pd.DataFrame(rows)

    def __repr__(self) -> str:
        k = sum(a.represented for a in self.assessments)
        return f"<StrategyAssessment {self.strategy.id} on {self.model}: {k}/{len(self.assessments)} tools represented>"


def assess(strategy_id: str, model: ModelLike, *, intensity: float = 1.0) -> StrategyAssessment:
    """Assess every tool of a strategy on ``model``, alone and all together.

    "Together" applies every represented tool's levers at ``intensity`` (a parameter moved by
    several tools is moved by each in turn), then re-solves the model once.

    Examples
    --------
    >>> import atrogame as ag
    >>> df = assess("degrade", ag.AndertonBrauer(technology="cobb_douglas")).to_dataframe()
    >>> row = df[(df["tool"] == "combined") & (df["outcome"] == "civilian_attacks")].iloc[0]
    >>> round(float(row["change"]), 2)
    -34.33
    """
    strategy = get(strategy_id)
    ids = tools_of(strategy_id)
    assessments = tuple(assess_tool(t, model, intensity=intensity) for t in ids)
    params = dict(model.parameter_values())
    for tid in ids:
        levers: dict[str, Lever] = tools_registry()[tid].levers_for(model)
        if levers:
            moved, _ = move_parameters(model, levers, params, intensity)
            params.update({k: float(np.asarray(v)) for k, v in moved.items()})
    before = model.solve()
    after = model.with_params(**params).solve()
    combined = {o: (before[o], after[o]) for o in headline_outcomes(model)}
    return StrategyAssessment(strategy=strategy, model=model.name, assessments=assessments, combined=combined)
