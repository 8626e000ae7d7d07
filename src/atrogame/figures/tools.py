"""Figures of third-party tools: tornado plots by strategy and backfire probabilities.

Every number is computed by :mod:`atrogame.tools` from the models; ``data(figure_id)``
returns the tables behind each figure for tests and ``summary.md``.
"""

from __future__ import annotations

from typing import Any

from atrogame.figures import figure

BACKFIRE_DRAWS = 4000
BACKFIRE_SEED = 2026


def _ks_comparison() -> Any:
    import atrogame as ag

    return ag.tools.compare(ag.KyddStraus(), outcomes=["p_war", "expected_atrocities"])


def _ab_comparisons() -> dict[float, Any]:
    import atrogame as ag

    return {s: ag.tools.compare(ag.AndertonBrauer(technology="ces", substitution_elasticity=s),
                                outcomes=["civilian_attacks"]) for s in (0.5, 2.0)}


def _backfire_results() -> dict[str, list[Any]]:
    import atrogame as ag

    out: dict[str, list[Any]] = {}
    for key, model in (("kydd_straus", ag.KyddStraus()), ("anderton_brauer_ces", ag.AndertonBrauer(technology="ces"))):
        out[key] = [r for r in (ag.tools.backfire(t, model, n=BACKFIRE_DRAWS, seed=BACKFIRE_SEED)
                                for t in ag.tools.catalogue().index) if r.represented]
    return out


def data(figure_id: str) -> dict[str, Any]:
    """The tables behind a tools figure (pandas DataFrames keyed by panel).

    Examples
    --------
    >>> d = data("tools-ab-tornado")
    >>> list(d)
    ['sigma=0.5', 'sigma=2']
    >>> bool(d["sigma=2"].loc["peace_operations", "represented"])
    True
    """
    import pandas as pd

    if figure_id == "tools-ks-tornado":
        df = _ks_comparison().to_dataframe()
        return {o: df[df["outcome"] == o].set_index("tool") for o in ("p_war", "expected_atrocities")}
    if figure_id == "tools-ab-tornado":
        return {f"sigma={s:g}": c.to_dataframe().set_index("tool") for s, c in _ab_comparisons().items()}
    if figure_id == "tools-backfire":
        return {k: pd.concat([r.to_dataframe() for r in v]) for k, v in _backfire_results().items()}
    raise KeyError(f"no tools figure {figure_id!r}")


def _numbers_ks() -> dict[str, float]:
    d = data("tools-ks-tornado")
    out: dict[str, float] = {}
    for tool in ("naming_and_shaming", "military_intervention", "mediation", "support_to_armed_groups"):
        out[f"{tool}: marginal effect on p_war"] = float(d["p_war"].loc[tool, "marginal"])
        out[f"{tool}: marginal effect on expected_atrocities"] = float(d["expected_atrocities"].loc[tool, "marginal"])
    return out


def _numbers_ab() -> dict[str, float]:
    d = data("tools-ab-tornado")
    return {f"peace_operations, {k}: change in civilian_attacks": float(v.loc["peace_operations", "change"])
            for k, v in d.items()}


def _numbers_backfire() -> dict[str, float]:
    d = data("tools-backfire")
    out = {}
    for k, df in d.items():
        top = df["probability"].idxmax()
        out[f"{k}: highest backfire probability ({top})"] = float(df.loc[top, "probability"])
    return out


@figure("tools-ks-tornado", model="kydd_straus", data=lambda: data("tools-ks-tornado"), numbers=_numbers_ks,
        caption="Marginal effect of every represented tool on the probability of war and on expected "
                "atrocities at the Kydd–Straus base design (neutral third party, i = 0.5), grouped by "
                "strategy; model after Kydd & Straus (2013), tool mapping atrogame's own.")
def tools_ks_tornado() -> Any:
    """Figure ``tools-ks-tornado``: marginal effect of each tool on P(war) and expected atrocities (Kydd–Straus)."""
    from atrogame.plot import subplots
    from atrogame.plot.tools import tornado, tornado_order

    comp = _ks_comparison()
    order = tornado_order(comp, "expected_atrocities", "marginal")
    fig, axes = subplots(1, 2, figsize=(12, 6.5), sharey=True)
    tornado(comp, outcome="p_war", ax=axes[0], value="marginal", order=order)
    tornado(comp, outcome="expected_atrocities", ax=axes[1], value="marginal", order=order)
    axes[1].get_legend().remove()
    fig.suptitle("Tools in the intervention bargaining game (after Kydd & Straus 2013)")
    return fig


@figure("tools-ab-tornado", model="anderton_brauer", data=lambda: data("tools-ab-tornado"), numbers=_numbers_ab,
        caption="Change in civilian attacks when each tool is applied at its default step, CES technology with "
                "substitution elasticity 0.5 (attack types complements) and 2 (substitutes). After Anderton & "
                "Brauer; functional forms and numbers are atrogame's own.")
def tools_ab_tornado() -> Any:
    """Figure ``tools-ab-tornado``: change in civilian attacks per tool for two CES elasticities (Anderton–Brauer)."""
    from atrogame.plot import subplots
    from atrogame.plot.tools import tornado, tornado_order

    comps = _ab_comparisons()
    order = tornado_order(comps[2.0], "civilian_attacks")
    fig, axes = subplots(1, 2, figsize=(12, 6.5), sharey=True)
    for ax, (s, comp) in zip(axes, comps.items(), strict=True):
        tornado(comp, outcome="civilian_attacks", ax=ax, order=order)
        ax.set_title(f"σ = {s:g}")
    axes[1].get_legend().remove()
    return fig


@figure("tools-backfire", model="kydd_straus", data=lambda: data("tools-backfire"), numbers=_numbers_backfire,
        caption=f"Probability that each tool raises the harm outcome (expected atrocities, Kydd–Straus; civilian "
                f"attacks, Anderton–Brauer CES) over {BACKFIRE_DRAWS} situations drawn from atrogame's documented "
                "default priors (each model's default_priors()). Models after Kydd & Straus (2013) and "
                "Anderton & Brauer; numbers are atrogame's own.")
def tools_backfire() -> Any:
    """Figure ``tools-backfire``: probability that each represented tool backfires, for two models."""
    from atrogame.plot import subplots
    from atrogame.plot.tools import backfire_bars

    res = _backfire_results()
    fig, axes = subplots(1, 2, figsize=(12, 6.5))
    for ax, (k, v) in zip(axes, res.items(), strict=True):
        backfire_bars(v, ax=ax)
        ax.set_title(k.replace("_", " "))
    return fig
