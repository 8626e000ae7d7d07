"""Plots of tool assessments: tornado grouped by strategy, backfire bars, drivers, net effect.

Every function takes ``ax=None`` (a new figure) and returns the ``Axes``.

Examples
--------
>>> import atrogame as ag
>>> ax = tornado(ag.tools.compare(ag.KyddStraus()), outcome="p_war")
>>> ax.get_xlabel()
'change in probability of war'
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from atrogame.plot import _ax

#: One colour per strategy (colour-blind-safe palette).
STRATEGY_COLOURS = {
    "dissuade": "#0072B2",
    "degrade": "#D55E00",
    "protect": "#009E73",
    "transition": "#CC79A7",
}
_ORDER = ("dissuade", "degrade", "protect", "transition")


def _outcome_label(model: str, outcome: str) -> str:
    from atrogame.core.registry import get_model

    try:
        declared = get_model(model).outcomes
    except KeyError:  # results of a model that is not registered here
        declared = ()
    long = next((o.long_name for o in declared if o.name == outcome and o.long_name), None)
    return long or outcome.replace("_", " ")


def tornado_order(comparison: Any, outcome: str, value: str = "change") -> list[str]:
    """Tool ids in plotting order (bottom to top): by strategy, then by the size of the effect.

    Strategies run dissuade, degrade, protect, transition from the top; tools a model does
    not represent sort below the others in their group.

    Examples
    --------
    >>> import atrogame as ag
    >>> tools = ["peace_operations", "arms_embargo", "electoral_assistance"]
    >>> c = ag.tools.compare(ag.AndertonBrauer(technology="cobb_douglas"), tools, outcomes=["civilian_attacks"])
    >>> tornado_order(c, "civilian_attacks")
    ['electoral_assistance', 'peace_operations', 'arms_embargo']
    """
    df = comparison.to_dataframe()
    df = df[df["outcome"] == outcome].copy()
    df["group"] = df["strategy"].map({s: i for i, s in enumerate(_ORDER)}).fillna(len(_ORDER))
    df["size"] = df[value].abs().fillna(-1.0)
    return list(df.sort_values(["group", "size"], ascending=[False, True])["tool"])


def tornado(comparison: Any, outcome: str | None = None, *, ax: Any = None, value: str = "change",
            show_unrepresented: bool = True, order: Sequence[str] | None = None) -> Any:
    """Horizontal bars of each tool's effect on ``outcome``, grouped and coloured by strategy.

    Tools are grouped by their first strategy and sorted by the size of the effect within a
    group (or in the given ``order`` of tool ids, bottom to top, so that panels sharing a y axis
    line up); tools the model does not represent are listed with "n/r" and no bar (never a
    zero bar).

    Examples
    --------
    >>> import atrogame as ag
    >>> tools = ["peace_operations", "arms_embargo", "electoral_assistance"]
    >>> c = ag.tools.compare(ag.AndertonBrauer(technology="cobb_douglas"), tools, outcomes=["civilian_attacks"])
    >>> ax = tornado(c)
    >>> [t.get_text() for t in ax.get_yticklabels()]
    ['Electoral assistance (n/r)', 'Peace operations', 'Arms embargo']
    >>> ax.get_xlabel()
    'change in attacks on civilians'
    """
    from matplotlib.patches import Patch

    df = comparison.to_dataframe()
    outcome = outcome or df["outcome"].iloc[0]
    df = df[df["outcome"] == outcome].set_index("tool")
    ids = list(order) if order is not None else tornado_order(comparison, outcome, value)
    df = df.loc[[i for i in ids if i in df.index]]
    if not show_unrepresented:
        df = df[df["represented"]]
    ax = _ax(ax)
    y = np.arange(len(df))
    vals = df[value].to_numpy(dtype=float)
    colours = [STRATEGY_COLOURS.get(s, "0.5") for s in df["strategy"]]
    ax.barh(y, np.nan_to_num(vals), color=colours, height=0.7)
    labels = [n if r else f"{n} (n/r)" for n, r in zip(df["name"], df["represented"], strict=True)]
    ax.set_yticks(y, labels, fontsize=7)
    ax.axvline(0, color="k", linewidth=0.8)
    word = "change in" if value == "change" else "marginal effect on"
    ax.set_xlabel(f"{word} {_outcome_label(comparison.model, outcome)}")
    present = [s for s in _ORDER if s in set(df["strategy"])]
    ax.legend(handles=[Patch(color=STRATEGY_COLOURS[s], label=s) for s in present], fontsize=7,
              frameon=True, framealpha=0.9, loc="best", title="strategy", title_fontsize=7)
    return ax


def backfire_bars(results: Sequence[Any], *, ax: Any = None) -> Any:
    """Bars of backfire probability per tool (with the expected effect annotated).

    Only represented tools get a bar, sorted by probability.

    Examples
    --------
    >>> import atrogame as ag
    >>> m = ag.AndertonBrauer(technology="ces")
    >>> rs = [ag.tools.backfire(t, m, {"substitution_elasticity": (0.2, 2.0)}, n=200, seed=1)
    ...       for t in ("peace_operations", "arms_embargo")]
    >>> ax = backfire_bars(rs)
    >>> [t.get_text() for t in ax.get_yticklabels()]
    ['Arms embargo', 'Peace operations']
    >>> ax.get_xlabel()
    'probability the tool raises attacks on civilians'
    """
    ax = _ax(ax)
    rep = sorted((r for r in results if r.represented), key=lambda r: (r.probability, r.tool.name))
    names = [r.tool.name for r in rep]
    probs = [r.probability for r in rep]
    colours = [STRATEGY_COLOURS.get(r.tool.strategies[0], "0.5") for r in rep]
    y = np.arange(len(rep))
    ax.barh(y, probs, color=colours, height=0.7)
    ax.set_yticks(y, names, fontsize=7)
    ax.set_xlim(0, 1)
    for yi, r in zip(y, rep, strict=True):
        ax.text(min(r.probability + 0.02, 0.8), yi, f"mean {r.expected_effect:+.3g}", va="center", fontsize=6)
    outcome = rep[0].outcome if rep else "outcome"
    model = rep[0].model if rep else ""
    word = "raises" if (rep[0].harm_sign if rep else 1) > 0 else "lowers"
    ax.set_xlabel(f"probability the tool {word} {_outcome_label(model, outcome)}")
    present = [s for s in _ORDER if any(r.tool.strategies[0] == s for r in rep)]
    if present:  # the bar colours are the tools' main strategies
        from matplotlib.patches import Patch

        ax.legend(handles=[Patch(color=STRATEGY_COLOURS[s], label=s) for s in present], fontsize=7,
                  title="strategy", title_fontsize=7, loc="lower right", frameon=True)
    return ax


def drivers(result: Any, *, ax: Any = None) -> Any:
    """Spearman rank correlation of each drawn parameter with a tool's effect.

    Takes a :class:`~atrogame.tools.BackfireResult`; one bar per parameter with a prior.

    Examples
    --------
    >>> import atrogame as ag
    >>> r = ag.tools.backfire("peace_operations", ag.AndertonBrauer(technology="ces"),
    ...                       {"substitution_elasticity": (0.2, 2.0)}, n=200, seed=1)
    >>> ax = drivers(r)
    >>> [t.get_text() for t in ax.get_yticklabels()]
    ['substitution_elasticity']
    """
    ax = _ax(ax)
    df = result.drivers
    y = np.arange(len(df))
    vals = df["spearman_effect"].to_numpy()
    ax.barh(y, vals, color=["#D55E00" if v > 0 else "#0072B2" for v in vals])
    ax.set_yticks(y, list(df.index), fontsize=7)
    ax.axvline(0, color="k", linewidth=0.8)
    ax.set_xlim(-1, 1)
    ax.set_xlabel(f"rank correlation with the effect on {_outcome_label(result.model, result.outcome)}")
    ax.set_title(f"What drives {result.tool.name}'s effect", fontsize=9)
    return ax


def net_bars(net: Any, *, ax: Any = None) -> Any:
    """Harm averted per unit of third-party cost, per represented tool.

    Takes a :class:`~atrogame.tools.NetAssessment`; unrepresented tools are left out.

    Examples
    --------
    >>> import atrogame as ag
    >>> net = ag.tools.net_assessment(["peace_operations", "arms_embargo", "electoral_assistance"],
    ...                               ag.AndertonBrauer(technology="cobb_douglas"))
    >>> ax = net_bars(net)
    >>> [t.get_text() for t in ax.get_yticklabels()], ax.get_xlabel()
    (['peace_operations', 'arms_embargo'], 'civilian deaths averted per unit of cost')
    """
    ax = _ax(ax)
    df = net.to_dataframe()
    df = df[df["represented"]].sort_values("averted_per_cost")
    y = np.arange(len(df))
    vals = df["averted_per_cost"].to_numpy(dtype=float)
    ax.barh(y, np.nan_to_num(vals), color=["#D55E00" if v < 0 else "#009E73" for v in vals])
    ax.set_yticks(y, list(df["tool"]), fontsize=7)
    ax.axvline(0, color="k", linewidth=0.8)
    ax.set_xlabel(f"{_outcome_label(net.model, net.outcome)} averted per unit of cost")
    return ax
