"""Figures of the intervention bargaining game, after Kydd & Straus (2013).

Every curve is computed by :class:`atrogame.KyddStraus` (``sweep``) at atrogame's own
parameter values (the designs N0, B0, ... listed in docs/explanation/kydd_straus.md, "The claims
and how the model shows them"); the game tree is drawn from
the model's sympy derivation. ``data(figure_id)`` returns the arrays behind each figure (the
tests check these numbers, never pixels) and each figure's ``numbers`` go to ``summary.md``.
The functional forms and numbers are atrogame's reconstruction, not the authors' results.

Examples
--------
>>> d = data("ks-war-risk")
>>> round(float(d["p_war"]["N0"][50]), 4)   # neutral third party, i = 0.5
0.3682
"""

from __future__ import annotations

import functools
from typing import Any

import numpy as np

from atrogame.figures import figure

__all__ = ["BASE", "DESIGNS", "FIGURE_IDS", "I_GRID", "WEAK_MINORITY", "WEAK_Z", "data", "numbers"]

#: Base values of the figures (the other parameters keep the model's defaults).
BASE: dict[str, float] = {"rebel_strength": 0.4, "atrocity_effectiveness": 0.6, "war_trigger_share": 0.5,
                          "atrocity_cost_curvature": 0.5, "atrocity_harm": 0.3, "government_war_cost": 0.05,
                          "cost_uncertainty": 0.6}
#: The four designs: neutral/biased settlement without/with a penalty on atrocities.
DESIGNS: dict[str, dict[str, float]] = {
    "N0": {"imposed_settlement": 0.4, "atrocity_penalty": 0.0},
    "B0": {"imposed_settlement": 0.7, "atrocity_penalty": 0.0},
    "N5": {"imposed_settlement": 0.4, "atrocity_penalty": 0.05},
    "B5": {"imposed_settlement": 0.7, "atrocity_penalty": 0.05},
}
DESIGN_LABELS: dict[str, str] = {
    "N0": "neutral (z = p0), no sanctions",
    "B0": "biased (z = 0.7), no sanctions",
    "N5": "neutral, sanctions k = 0.05",
    "B5": "biased, sanctions k = 0.05",
}
_STYLE = {"N0": ("#2c7bb6", "-"), "B0": ("#d7191c", "-"), "N5": ("#2c7bb6", "--"), "B5": ("#d7191c", "--")}
#: Intervention commitments of the line figures (step 0.01).
I_GRID: np.ndarray = np.round(np.arange(101) / 100, 2)
#: Weak-minority figure: p0 = 0.1, k = 0, settlements z.
WEAK_MINORITY: dict[str, float] = {**BASE, "rebel_strength": 0.1, "atrocity_penalty": 0.0}
WEAK_Z: tuple[float, ...] = (0.1, 0.4, 0.7)
#: Resolution of the regime map (points per axis).
REGIME_N = 201
FIGURE_IDS = ("ks-road-to-hell", "ks-war-risk", "ks-weak-minority", "ks-regimes", "ks-tree")
_CITE = "after Kydd & Straus (2013); functional forms and numbers are atrogame's own reconstruction"


def _model(**values: float) -> Any:
    from atrogame.models.kydd_straus import KyddStraus

    return KyddStraus(**values)


# ---------------------------------------------------------------------- data
@functools.cache
def _design_sweeps() -> dict[str, Any]:
    return {k: _model(**BASE, **v).sweep(intervention_commitment=I_GRID) for k, v in DESIGNS.items()}


def _lines(outcome: str) -> dict[str, Any]:
    sweeps = _design_sweeps()
    names = sweeps["N0"]["regime"].attrs["flag_meanings"].split()
    return {
        "intervention_commitment": I_GRID.copy(),
        outcome: {k: ds[outcome].values.copy() for k, ds in sweeps.items()},
        "atrocities_in_war": {k: ds["atrocities_in_war"].values.copy() for k, ds in sweeps.items()},
        "regime": {k: np.asarray(names, dtype=object)[ds["regime"].values] for k, ds in sweeps.items()},
        "parameters": {k: {**BASE, **v} for k, v in DESIGNS.items()},
    }


@functools.cache
def _weak_sweep() -> Any:
    return _model(**WEAK_MINORITY).sweep(imposed_settlement=list(WEAK_Z), intervention_commitment=I_GRID)


@functools.cache
def _regime_sweep() -> Any:
    g = np.linspace(0.0, 1.0, REGIME_N)
    return _model(**BASE).sweep(intervention_commitment=g, imposed_settlement=g,
                                outcomes=["expected_atrocities", "p_war", "atrocities_in_war"])


def _tree() -> dict[str, Any]:
    """Nodes, branches and payoffs of the game tree (payoffs from the sympy derivation)."""
    import sympy as sp

    from atrogame.models.kydd_straus import derivation

    d = derivation()
    names = dict(d.latex_names)

    def tex(e: Any) -> str:
        return sp.latex(e, symbol_names=names)

    war = d["war_nodes"]
    nodes = {
        "nature_cost": {"player": "Nature", "label": r"$c \sim U[0, \bar{C}]$", "pos": (0.5, 1.0)},
        "offer": {"player": "G", "label": "G offers $x$", "pos": (0.5, 0.8)},
        "respond": {"player": "M", "label": "M", "pos": (0.5, 0.62)},
        "peace": {"player": None, "label": "peace", "pos": (0.18, 0.44),
                  "payoffs": (tex(d["peace_payoff_government"]), tex(d["peace_payoff_minority"]))},
        "atrocities": {"player": "G", "label": "G chooses $a$", "pos": (0.68, 0.44)},
        "intervention": {"player": "T", "label": "T", "pos": (0.68, 0.28)},
        "imposed": {"player": None, "label": "T imposes $z$", "pos": (0.38, 0.08),
                    "payoffs": (tex(war[0, 1]), tex(war[0, 2]))},
        "lottery": {"player": "Nature", "label": "war", "pos": (0.86, 0.12)},
        "minority_wins": {"player": None, "label": "M wins", "pos": (0.66, -0.12),
                          "payoffs": (tex(war[1, 1]), tex(war[1, 2]))},
        "government_wins": {"player": None, "label": "G wins", "pos": (1.06, -0.12),
                            "payoffs": (tex(war[2, 1]), tex(war[2, 2]))},
    }
    edges = [
        ("nature_cost", "offer", ""),
        ("offer", "respond", r"$x \in [0, 1]$"),
        ("respond", "peace", "accept"),
        ("respond", "atrocities", "reject"),
        ("atrocities", "intervention", r"$a \in [0, 1]$"),
        ("intervention", "imposed", r"$\pi(a)$"),
        ("intervention", "lottery", r"$1 - \pi(a)$"),
        ("lottery", "minority_wins", "$p(a)$"),
        ("lottery", "government_wins", "$1 - p(a)$"),
    ]
    forms = {r"\pi(a)": tex(d["intervention_hazard"]), "p(a)": tex(d["win_prob"])}
    return {"nodes": nodes, "edges": edges, "forms": forms, "probabilities": war[:, 0],
            "parameters": _model().parameter_values()}


def data(figure_id: str) -> dict[str, Any]:
    """The arrays behind a Kydd–Straus figure.

    ``ks-road-to-hell``/``ks-war-risk``: ``intervention_commitment`` and, per design
    (N0, B0, N5, B5), ``expected_atrocities``/``p_war``, ``atrocities_in_war`` and ``regime``
    labels. ``ks-weak-minority``: ``p_war`` of shape (settlement, commitment).
    ``ks-regimes``: ``regime`` codes and ``expected_atrocities`` of shape (settlement,
    commitment) with ``regime_names``. ``ks-tree``: nodes, edges and payoffs (LaTeX).

    Examples
    --------
    >>> d = data("ks-weak-minority")
    >>> [round(float(q), 4) for q in d["p_war"][:, -1]]   # z = .1, .4, .7 at i = 1
    [0.1373, 0.4167, 0.4583]
    """
    if figure_id == "ks-road-to-hell":
        return _lines("expected_atrocities")
    if figure_id == "ks-war-risk":
        return _lines("p_war")
    if figure_id == "ks-weak-minority":
        ds = _weak_sweep()
        return {"intervention_commitment": I_GRID.copy(), "imposed_settlement": np.asarray(WEAK_Z),
                "p_war": ds["p_war"].transpose("imposed_settlement", "intervention_commitment").values.copy(),
                "regime": ds["regime"].transpose("imposed_settlement", "intervention_commitment").values.copy(),
                "parameters": dict(WEAK_MINORITY)}
    if figure_id == "ks-regimes":
        ds = _regime_sweep()
        dims = ("imposed_settlement", "intervention_commitment")
        return {"intervention_commitment": ds["intervention_commitment"].values.copy(),
                "imposed_settlement": ds["imposed_settlement"].values.copy(),
                "regime": ds["regime"].transpose(*dims).values.copy(),
                "regime_names": tuple(ds["regime"].attrs["flag_meanings"].split()),
                "expected_atrocities": ds["expected_atrocities"].transpose(*dims).values.copy(),
                "p_war": ds["p_war"].transpose(*dims).values.copy(),
                "parameters": dict(BASE)}
    if figure_id == "ks-tree":
        return _tree()
    raise KeyError(f"no Kydd–Straus figure {figure_id!r}; have: {', '.join(FIGURE_IDS)}")


# ---------------------------------------------------------------------- key numbers
def numbers(figure_id: str) -> dict[str, Any]:
    """Key numbers of a figure for ``summary.md`` (computed from :func:`data`).

    Examples
    --------
    >>> n = numbers("ks-road-to-hell")
    >>> n["N0: commitment i with the most expected atrocities"]
    0.18
    """
    d = data(figure_id)
    out: dict[str, Any] = {}
    if figure_id in ("ks-road-to-hell", "ks-war-risk"):
        y = "expected_atrocities" if figure_id == "ks-road-to-hell" else "p_war"
        i = d["intervention_commitment"]
        for k, v in d[y].items():
            out[f"{k}: {y} at i = 0"] = float(v[0])
            out[f"{k}: {y} at i = 1"] = float(v[-1])
            if y == "expected_atrocities":
                out[f"{k}: commitment i with the most expected atrocities"] = float(i[int(np.argmax(v))])
                out[f"{k}: largest expected atrocities"] = float(np.max(v))
        return out
    if figure_id == "ks-weak-minority":
        for z, row in zip(d["imposed_settlement"], d["p_war"], strict=True):
            out[f"z = {z:g}: p_war at i = 0"] = float(row[0])
            out[f"z = {z:g}: p_war at i = 1"] = float(row[-1])
        return out
    if figure_id == "ks-regimes":
        reg = d["regime"]
        for code, name in enumerate(d["regime_names"]):
            out[f"share of the (i, z) square in regime {name}"] = float(np.mean(reg == code))
        ea = d["expected_atrocities"]
        j = np.unravel_index(int(np.argmax(ea)), ea.shape)
        out["largest expected atrocities"] = float(ea[j])
        out["at commitment i"] = float(d["intervention_commitment"][j[1]])
        out["at settlement z"] = float(d["imposed_settlement"][j[0]])
        return out
    if figure_id == "ks-tree":
        eq = _model().solve()
        for k in ("atrocities_in_war", "offer", "p_war", "government_war_value", "minority_war_value"):
            out[f"{k} at the default parameters"] = eq[k]
        out["regime at the default parameters"] = eq.regime
        return out
    raise KeyError(f"no Kydd–Straus figure {figure_id!r}; have: {', '.join(FIGURE_IDS)}")


# ---------------------------------------------------------------------- figures
def _line_figure(outcome: str, title: str) -> Any:
    from atrogame.plot import subplots
    from atrogame.plot import sweep as plot_sweep

    fig, ax = subplots(figsize=(6.5, 4.2))
    for k, ds in _design_sweeps().items():
        colour, dash = _STYLE[k]
        plot_sweep(ds, x="intervention_commitment", y=outcome, ax=ax, color=colour, linestyle=dash,
                   label=f"{k}: {DESIGN_LABELS[k]}")
        corner = ds["regime"].values == ds["regime"].attrs["flag_meanings"].split().index("corner")
        if corner.any():
            ax.plot(ds["intervention_commitment"].values[corner], ds[outcome].values[corner], "o", ms=3,
                    color=colour, mfc="white")
    ax.plot([], [], "o", ms=3, color="k", mfc="white", label='"corner" regime (G offers nothing)')
    ax.legend(frameon=False, fontsize=8)
    ax.set_title(title, fontsize=10)
    return fig


@figure("ks-road-to-hell", model="kydd_straus", data=lambda: data("ks-road-to-hell"),
        numbers=lambda: numbers("ks-road-to-hell"),
        caption="The road to hell: expected atrocities against the strength of the third party's commitment to "
                "intervene, for a neutral or biased imposed settlement, without or with a penalty on atrocities "
                f"(k = 0.05). Without the penalty a stronger commitment first raises expected atrocities; with it "
                f"they fall. Intervention bargaining game {_CITE}.")
def road_to_hell() -> Any:
    """Figure ``ks-road-to-hell``: expected atrocities against the intervention commitment, four designs."""
    return _line_figure("expected_atrocities", "Expected atrocities (after Kydd & Straus 2013)")


@figure("ks-war-risk", model="kydd_straus", data=lambda: data("ks-war-risk"), numbers=lambda: numbers("ks-war-risk"),
        caption="Moral hazard: the probability of war rises with the intervention commitment in all four designs, "
                f"most with a biased settlement. Intervention bargaining game {_CITE}.")
def war_risk() -> Any:
    """Figure ``ks-war-risk``: the probability of war against the intervention commitment, four designs."""
    return _line_figure("p_war", "Probability of war (after Kydd & Straus 2013)")


@figure("ks-weak-minority", model="kydd_straus", data=lambda: data("ks-weak-minority"),
        numbers=lambda: numbers("ks-weak-minority"),
        caption="A weak minority (p0 = 0.1, no penalty on atrocities): the probability of war against the "
                "intervention commitment for imposed settlements z = 0.1 (neutral), 0.4 and 0.7. A biased third "
                f"party makes rebellion by a weak minority far likelier. Intervention bargaining game {_CITE}.")
def weak_minority() -> Any:
    """Figure ``ks-weak-minority``: the probability of war for a weak minority, by imposed settlement."""
    from atrogame.plot import subplots
    from atrogame.plot import sweep as plot_sweep

    fig, ax = subplots(figsize=(6.5, 4.2))
    plot_sweep(_weak_sweep(), x="intervention_commitment", y="p_war", hue="imposed_settlement", ax=ax)
    # the curves cross every corner of the panel, so the legend goes outside, to the right
    leg = ax.get_legend()
    if leg is not None:
        ax.legend(handles=leg.legend_handles, labels=[t.get_text() for t in leg.get_texts()],
                  title=leg.get_title().get_text() or None, loc="upper left", bbox_to_anchor=(1.02, 1.0),
                  fontsize=8)
    ax.set_title("Weak minority, p0 = 0.1 (after Kydd & Straus 2013)", fontsize=10)
    return fig


@figure("ks-regimes", model="kydd_straus", data=lambda: data("ks-regimes"), numbers=lambda: numbers("ks-regimes"),
        caption="Regimes of the equilibrium over the intervention commitment i and the imposed settlement z at the "
                "base values (colours), with contours of expected atrocities. Intervention bargaining game "
                f"{_CITE}.")
def regimes() -> Any:
    """Figure ``ks-regimes``: regime map over (commitment, settlement) with contours of expected atrocities."""
    from atrogame.plot import regimes as plot_regimes
    from atrogame.plot import subplots

    fig, ax = subplots(figsize=(7.0, 4.6))
    plot_regimes(_regime_sweep(), x="intervention_commitment", y="imposed_settlement", ax=ax,
                 contour="expected_atrocities")
    ax.set_title("Regimes and expected atrocities (after Kydd & Straus 2013)", fontsize=10)
    return fig


@figure("ks-tree", model="kydd_straus", data=lambda: data("ks-tree"), numbers=lambda: numbers("ks-tree"),
        caption="The game tree: Nature draws the minority's private cost of war c; the government G offers a "
                "share x; the minority M accepts (peace) or fights; in war G chooses atrocities a; the third party "
                "T intervenes with probability π(a) and imposes z, otherwise M wins with probability p(a). Payoffs "
                f"(G, M) from the model's derivation. Intervention bargaining game {_CITE}.")
def tree() -> Any:
    """Figure ``ks-tree``: the game tree, with payoffs rendered from the model's derivation."""
    from atrogame.plot import subplots

    t = _tree()
    nodes = t["nodes"]
    fig, ax = subplots(figsize=(10.5, 6.8))
    colours = {"G": "#d7191c", "M": "#2c7bb6", "T": "#1a9641", "Nature": "#636363", None: "#ffffff"}
    for a, b, label in t["edges"]:
        (x0, y0), (x1, y1) = nodes[a]["pos"], nodes[b]["pos"]
        ax.plot([x0, x1], [y0, y1], color="#444444", lw=1.2, zorder=1)
        if label:
            ax.text((x0 + x1) / 2, (y0 + y1) / 2, label, fontsize=9, ha="center", va="center",
                    bbox={"boxstyle": "round,pad=0.15", "fc": "white", "ec": "none"}, zorder=3)
    for node in nodes.values():
        x, y = node["pos"]
        if node["player"] is not None:
            ax.scatter([x], [y], s=140, color=colours[node["player"]], zorder=2, edgecolor="k")
            ax.text(x + 0.025, y + 0.025, node["label"], fontsize=10, ha="left", va="bottom")
        else:
            ug, um = node["payoffs"]
            ax.scatter([x], [y], s=40, color="k", marker="s", zorder=2)
            ax.text(x, y - 0.03, f"{node['label']}\nG: ${ug}$\nM: ${um}$", fontsize=8, ha="center", va="top")
    forms = "\n".join(f"${k} = {v}$" for k, v in t["forms"].items())
    ax.text(0.0, 1.02, forms, fontsize=9, ha="left", va="top")
    ax.set_xlim(-0.1, 1.3)
    ax.set_ylim(-0.45, 1.08)
    ax.axis("off")
    ax.set_title("The intervention bargaining game (after Kydd & Straus 2013)", fontsize=11)
    return fig
