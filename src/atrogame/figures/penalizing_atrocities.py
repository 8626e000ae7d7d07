"""Figures of the penalizing-atrocities game, after Kydd (2022).

Every curve is computed by :class:`atrogame.models.penalizing_atrocities.PenalizingAtrocities`
at atrogame's own parameter values (the base case of docs/explanation/penalizing_atrocities.md
and the backfire case "T7"). ``data(figure_id)`` returns the arrays behind each figure (tests
check these numbers, never pixels). The game, its forms and its numbers are atrogame's own
reconstruction, not the author's results.

Examples
--------
>>> d = data("pa-balance-hump")
>>> [round(float(v), 4) for v in d["peak_intensity"]]
[1.5, 0.9231, 0.5625]
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

import numpy as np

from atrogame.figures import figure

__all__ = ["AID_GRID", "FIGURE_IDS", "PENALTIES", "PENALTY_GRID", "T7", "data", "numbers"]

_CITE = ("Penalizing atrocities versus a balance of power, after Kydd (2022), doi:10.1017/S0020818322000078; "
         "the game, forms and numbers are atrogame's own reconstruction")
FIGURE_IDS = ("pa-balance-hump", "pa-penalty-tradeoff", "pa-iso-atrocities", "pa-duration", "pa-timeline")
#: Aid grid of the hump figure (step .01) and its penalty lines.
AID_GRID: np.ndarray = np.round(np.arange(0, 501) / 100, 2)
PENALTIES: tuple[float, ...] = (0.0, 0.03, 0.06)
#: Penalty grid of the trade-off figure (step .001).
PENALTY_GRID: np.ndarray = np.round(np.arange(0, 201) / 1000, 3)
#: The marginal-backfire case (a weak rebel movement that suffers heavily from atrocities).
T7: dict[str, float] = {"cost_uncertainty": 0.8, "atrocity_harm": 0.04}
#: Resolution of the iso-atrocity maps (points per axis).
ISO_N = 121


def _model(**values: float) -> Any:
    from atrogame.models.penalizing_atrocities import PenalizingAtrocities

    return PenalizingAtrocities().with_params(**values)


def _cf(**values: Any) -> dict[str, np.ndarray]:
    from atrogame.models.penalizing_atrocities import closed_form
    from atrogame.models.penalizing_atrocities.params import PenalizingAtrocitiesParams

    return closed_form({**PenalizingAtrocitiesParams().to_dict(), **values})


# ---------------------------------------------------------------------- data
@functools.cache
def _hump() -> dict[str, Any]:
    lines = {tau: _model(atrocity_penalty=tau).sweep(aid_to_rebels=AID_GRID) for tau in PENALTIES}
    a = {tau: ds["atrocity_intensity"].values.copy() for tau, ds in lines.items()}
    E = {tau: ds["expected_war_duration"].values.copy() for tau, ds in lines.items()}
    balance = [float(ds["balance_aid"].values[0]) for ds in lines.values()]
    zero_at = []
    for tau in PENALTIES:
        pos = np.flatnonzero(a[tau] > 0)
        zero_at.append(float(AID_GRID[pos[-1] + 1]) if pos.size and pos[-1] + 1 < AID_GRID.size else float("nan"))
    return {"aid_to_rebels": AID_GRID.copy(), "atrocity_penalty": PENALTIES, "atrocity_intensity": a,
            "expected_war_duration": E, "balance_aid": balance,
            "argmax_intensity": [float(AID_GRID[int(np.argmax(a[t]))]) for t in PENALTIES],
            "peak_intensity": [float(a[t].max()) for t in PENALTIES],
            "argmax_duration": [float(AID_GRID[int(np.argmax(E[t]))]) for t in PENALTIES],
            "peak_duration": [float(E[t].max()) for t in PENALTIES],
            "intensity_zero_from": zero_at}


@functools.cache
def _tradeoff() -> dict[str, Any]:
    out: dict[str, Any] = {"atrocity_penalty": PENALTY_GRID.copy()}
    for key, values in (("base", {}), ("T7", T7)):
        ds = _model(**values).sweep(atrocity_penalty=PENALTY_GRID)
        ea = ds["expected_atrocities"].values.copy()
        out[key] = {"p_war": ds["p_war"].values.copy(), "expected_atrocities": ea,
                    "deterrent_penalty": float(ds["deterrent_penalty"].values[0]),
                    "peak_expected_atrocities": float(ea.max()),
                    "argmax_expected_atrocities": float(PENALTY_GRID[int(np.argmax(ea))])}
    return out


@functools.cache
def _iso() -> dict[str, Any]:
    aid = np.linspace(0.0, 4.0, ISO_N)
    tau = np.linspace(0.0, 0.2, ISO_N)
    h = 1e-7
    out: dict[str, Any] = {"aid_to_rebels": aid, "atrocity_penalty": tau}
    for key, values in (("base", {}), ("T7", T7)):
        grid = _cf(**values, aid_to_rebels=aid[None, :], atrocity_penalty=tau[:, None])
        up = _cf(**values, aid_to_rebels=aid[None, :], atrocity_penalty=tau[:, None] + h)
        slope = (up["expected_atrocities"] - grid["expected_atrocities"]) / h
        line = _cf(**values, aid_to_rebels=aid)
        # σ_b(τ): the balance curve, and τ̄(σ): the deterrence frontier
        out[key] = {"expected_atrocities": np.array(grid["expected_atrocities"]), "regime": np.array(grid["regime"]),
                    "backfire": np.array(slope > 1e-9), "deterrent_penalty": np.array(line["deterrent_penalty"]),
                    "balance_aid": np.array(_cf(**values, atrocity_penalty=tau)["balance_aid"])}
        ea = out[key]["expected_atrocities"]
        i, j = np.unravel_index(int(np.argmax(ea)), ea.shape)
        out[key]["max"] = (float(ea[i, j]), float(aid[j]), float(tau[i]))
    return out


@functools.cache
def _duration() -> dict[str, Any]:
    from atrogame.models.penalizing_atrocities.duration import duration

    pi = np.linspace(1e-4, 1 - 1e-4, 999)
    pi[499] = 0.5
    return {"government_win_prob": pi, "n": (1, 2, 3, 4),
            "expected_war_duration": {n: duration(pi, n) for n in (1, 2, 3, 4)}}


def _timeline() -> dict[str, Any]:
    n = 3
    p_b = float(_cf(decisive_lead=float(n))["battle_win_prob"])
    for seed in range(100):  # the first seeded war long enough to show the walk (about E* battles)
        rng = np.random.default_rng(seed)
        lead = [0]
        while abs(lead[-1]) < n:
            lead.append(lead[-1] + (1 if rng.random() < p_b else -1))
        if len(lead) > 9:
            break
    return {"n": n, "battle_win_prob": p_b, "lead": np.array(lead),
            "stages": ("Nature draws c ~ U[0, C̄]", "G offers x", "R accepts or fights",
                       "G picks intensity a", "battles until a lead of n")}


def data(figure_id: str) -> dict[str, Any]:
    """The arrays behind a figure (for tests and for users who want the numbers).

    Examples
    --------
    >>> d = data("pa-penalty-tradeoff")
    >>> round(d["T7"]["peak_expected_atrocities"], 4), d["T7"]["argmax_expected_atrocities"]
    (0.415, 0.016)
    """
    builders: dict[str, Callable[[], dict[str, Any]]] = {
        "pa-balance-hump": _hump, "pa-penalty-tradeoff": _tradeoff, "pa-iso-atrocities": _iso,
        "pa-duration": _duration, "pa-timeline": _timeline}
    if figure_id not in builders:
        raise KeyError(f"unknown figure {figure_id!r}; valid: {', '.join(builders)}")
    return builders[figure_id]()


def numbers(figure_id: str) -> dict[str, Any]:
    """Key numbers of a figure for ``summary.md``.

    Examples
    --------
    >>> numbers("pa-duration")["E(1/2), n = 4"]
    16.0
    """
    d = data(figure_id)
    if figure_id == "pa-balance-hump":
        return {f"peak a* (tau = {t})": round(v, 4) for t, v in zip(PENALTIES, d["peak_intensity"], strict=True)}
    if figure_id == "pa-penalty-tradeoff":
        return {"base deterrent penalty": round(d["base"]["deterrent_penalty"], 6),
                "T7 peak expected atrocities": round(d["T7"]["peak_expected_atrocities"], 4)}
    if figure_id == "pa-iso-atrocities":
        return {"base max expected atrocities": round(d["base"]["max"][0], 4),
                "T7 backfire cells": int(d["T7"]["backfire"].sum())}
    if figure_id == "pa-duration":
        return {f"E(1/2), n = {n}": round(float(d["expected_war_duration"][n][499]), 6) for n in d["n"]}
    return {"n": d["n"], "battles drawn": int(d["lead"].size - 1)}


# ---------------------------------------------------------------------- figures
_COLOURS = ("#2c7bb6", "#fdae61", "#d7191c", "#1a9641")


@figure("pa-balance-hump", model="penalizing_atrocities", data=lambda: data("pa-balance-hump"),
        numbers=lambda: numbers("pa-balance-hump"),
        caption="Fostering a balance of power: atrocity intensity per battle (left) and the expected number of "
                "battles (right) against aid to the rebels, for penalties 0, .03 and .06. Both peak where the war "
                f"is balanced (dotted: the balance aid). {_CITE}.")
def balance_hump() -> Any:
    """Figure ``pa-balance-hump``: intensity and war duration against aid, by penalty."""
    from atrogame.plot import subplots

    d = data("pa-balance-hump")
    fig, axes = subplots(1, 2, figsize=(10.0, 4.0))
    for c, tau, sb in zip(_COLOURS, PENALTIES, d["balance_aid"], strict=False):
        axes[0].plot(d["aid_to_rebels"], d["atrocity_intensity"][tau], color=c, label=f"penalty τ = {tau}")
        axes[1].plot(d["aid_to_rebels"], d["expected_war_duration"][tau], color=c, label=f"penalty τ = {tau}")
        for ax in axes:
            ax.axvline(sb, color=c, linestyle=":", lw=1)
    axes[0].set(xlabel="aid to rebels σ", ylabel="atrocity intensity a*", title="Intensity (after Kydd 2022)")
    axes[1].set(xlabel="aid to rebels σ", ylabel="expected battles E*", title="War duration (after Kydd 2022)")
    axes[0].legend(frameon=False, fontsize=8)
    return fig


@figure("pa-penalty-tradeoff", model="penalizing_atrocities", data=lambda: data("pa-penalty-tradeoff"),
        numbers=lambda: numbers("pa-penalty-tradeoff"),
        caption="Penalizing atrocities: the probability of war (left axis) rises and expected atrocities (right "
                "axis) fall to zero at the deterrent penalty (vertical line) in the base case (solid). With weak, "
                "heavily harmed rebels (dashed, C̄ = .8, h = .04) a small penalty first raises expected "
                f"atrocities. {_CITE}.")
def penalty_tradeoff() -> Any:
    """Figure ``pa-penalty-tradeoff``: probability of war and expected atrocities against the penalty."""
    from atrogame.plot import subplots

    d = data("pa-penalty-tradeoff")
    fig, ax = subplots(figsize=(7.0, 4.2))
    ax2 = ax.twinx()
    for key, dash in (("base", "-"), ("T7", "--")):
        ax.plot(d["atrocity_penalty"], d[key]["p_war"], color=_COLOURS[0], linestyle=dash, label=f"P(war), {key}")
        ax2.plot(d["atrocity_penalty"], d[key]["expected_atrocities"], color=_COLOURS[2], linestyle=dash,
                 label=f"expected atrocities, {key}")
    ax.axvline(d["base"]["deterrent_penalty"], color="k", lw=1)
    ax.set(xlabel="atrocity penalty τ", ylabel="probability of war", title="Penalty trade-off (after Kydd 2022)")
    ax2.set_ylabel("expected atrocities")
    h1, l1 = ax.get_legend_handles_labels()
    h2, l2 = ax2.get_legend_handles_labels()
    ax.legend(h1 + h2, l1 + l2, frameon=False, fontsize=8, loc="center right")
    return fig


@figure("pa-iso-atrocities", model="penalizing_atrocities", data=lambda: data("pa-iso-atrocities"),
        numbers=lambda: numbers("pa-iso-atrocities"),
        caption="Iso-expected-atrocity contours over aid and penalty, base case (left) and weak, heavily harmed "
                "rebels (right): deterrence frontier (dashed; no atrocities above it), balance curve (dotted), "
                "bargaining-regime boundaries (grey) and hatching where a marginal penalty raises expected "
                f"atrocities. {_CITE}.")
def iso_atrocities() -> Any:
    """Figure ``pa-iso-atrocities``: contours of expected atrocities over (aid, penalty)."""
    from atrogame.plot import subplots

    d = data("pa-iso-atrocities")
    X, Y = np.meshgrid(d["aid_to_rebels"], d["atrocity_penalty"])
    fig, axes = subplots(1, 2, figsize=(11.0, 4.4))
    for ax, key in zip(axes, ("base", "T7"), strict=True):
        panel = d[key]
        cs = ax.contourf(X, Y, panel["expected_atrocities"], levels=12, cmap="Reds")
        fig.colorbar(cs, ax=ax, label="expected atrocities")
        ax.contour(X, Y, panel["regime"], levels=[0.5, 1.5, 2.5], colors="grey", linewidths=0.8)
        if panel["backfire"].any():
            ax.contourf(X, Y, panel["backfire"].astype(float), levels=[0.5, 1.5], hatches=["//"], colors="none")
        ax.plot(d["aid_to_rebels"], panel["deterrent_penalty"], "k--", lw=1.2, label="deterrence frontier τ̄(σ)")
        ax.plot(panel["balance_aid"], d["atrocity_penalty"], "k:", lw=1.2, label="balance curve σ_b(τ)")
        ax.set(xlim=(0, 4), ylim=(0, 0.2), xlabel="aid to rebels σ", ylabel="atrocity penalty τ",
               title=f"{'Base case' if key == 'base' else 'Weak, heavily harmed rebels'} (after Kydd 2022)")
    axes[0].legend(frameon=False, fontsize=8, loc="upper right")
    return fig


@figure("pa-duration", model="penalizing_atrocities", data=lambda: data("pa-duration"),
        numbers=lambda: numbers("pa-duration"),
        caption="The battle war: expected number of battles against the government's war-level odds, for leads "
                f"n = 1 to 4. A balanced war lasts longest (n² battles); a lopsided one about n. {_CITE}.")
def duration_figure() -> Any:
    """Figure ``pa-duration``: expected war duration against the victory odds, by decisive lead."""
    from atrogame.plot import subplots

    d = data("pa-duration")
    fig, ax = subplots(figsize=(6.5, 4.2))
    for c, n in zip(_COLOURS, d["n"], strict=True):
        ax.plot(d["government_win_prob"], d["expected_war_duration"][n], color=c, label=f"n = {n}")
    ax.set(xlabel="government's probability of winning the war Π", ylabel="expected battles E(Π; n)",
           title="War duration (after Kydd 2022)")
    ax.legend(frameon=False, fontsize=8)
    return fig


@figure("pa-timeline", model="penalizing_atrocities", data=lambda: data("pa-timeline"),
        numbers=lambda: numbers("pa-timeline"),
        caption="The game's stages, and one simulated war: the battle lead moves up (a government win) or down "
                f"until one side leads by n = 3. {_CITE}.")
def timeline() -> Any:
    """Figure ``pa-timeline``: the stages of the game and a simulated battle lead."""
    from atrogame.plot import subplots

    d = data("pa-timeline")
    fig, axes = subplots(2, 1, figsize=(9.0, 5.6), gridspec_kw={"height_ratios": [1, 2]})
    ax = axes[0]
    for i, stage in enumerate(d["stages"]):
        if i:
            ax.annotate("", xy=(i + 0.12, 0.5), xytext=(i - 0.12, 0.5),
                        arrowprops={"arrowstyle": "->", "color": "#444444"})
        ax.text(i + 0.5, 0.5, stage, ha="center", va="center", fontsize=8, wrap=True,
                bbox={"boxstyle": "round,pad=0.3", "fc": "#f0f0f0", "ec": "#888888"})
    ax.set(xlim=(0, len(d["stages"])), ylim=(0, 1))
    ax.axis("off")
    ax.set_title("Stages of the game (after Kydd 2022)", fontsize=10)
    ax = axes[1]
    n = d["n"]
    ax.step(np.arange(d["lead"].size), d["lead"], where="post", color=_COLOURS[0])
    ax.axhline(n, color=_COLOURS[2], linestyle="--", lw=1, label="government wins the war")
    ax.axhline(-n, color=_COLOURS[3], linestyle="--", lw=1, label="rebels win the war")
    ax.set(xlabel="battle", ylabel="lead (government wins − rebel wins)", ylim=(-n - 0.5, n + 0.5),
           title=f"One war: per-battle win probability p_b = {d['battle_win_prob']:.3f}")
    ax.legend(frameon=False, fontsize=8)
    return fig
