"""Figures of the tactics model (after Anderton & Brauer; tactic substitution motivated by the
USHMM roundtable).

Every curve is computed through the public API of
:class:`atrogame.models.tactics.AtrocityTactics` (vectorised ``sweep`` or policy methods);
``data(figure_id)`` returns the plotted arrays, which the tests check against the tabulated
values on docs/explanation/tactics.md. Functional forms and numbers are atrogame's own.

Examples
--------
>>> d = data("at-tactic-mix")
>>> round(float(d["b"]["deaths"][-1]), 6)   # σ_T = 2, s_imprisonment = 3
17.019231
"""

from __future__ import annotations

import functools
import math
from typing import Any

import numpy as np
from scipy.optimize import brentq

from atrogame.figures import figure

__all__ = ["CAPTION", "FIGURE_IDS", "TACTIC_COLOURS", "data", "numbers"]

CAPTION = ("After Anderton & Brauer; tactic substitution motivated by the USHMM roundtable; functional forms "
           "and numbers are atrogame's own.")
FIGURE_IDS = ("at-tactic-mix", "at-pressure", "at-backfire-map", "at-enablers")
#: Fixed colours per tactic across figures (colour-blind safe, Okabe–Ito).
TACTIC_COLOURS = {"killing": "#D55E00", "displacement": "#0072B2", "imprisonment": "#009E73",
                  "sexual_violence": "#CC79A7", "rebel_attacks": "#999999"}
_DASH = {0.5: "--", 2.0: "-"}


def _model(**kw: Any) -> Any:
    from atrogame.models.tactics import AtrocityTactics

    return AtrocityTactics(**kw)


def _levels(ds: Any, tactics: tuple[str, ...]) -> dict[str, np.ndarray]:
    return {t: ds[f"tactic_levels_{t}"].values for t in tactics}


@functools.cache
def _data(figure_id: str) -> dict[str, Any]:
    if figure_id == "at-tactic-mix":
        s = np.linspace(0.0, 3.0, 61)
        out: dict[str, Any] = {}
        for panel, sigT in (("a", 0.5), ("b", 2.0)):
            m = _model(tactic_substitution=sigT)
            ds = m.sweep(tactic_sanction_imprisonment=s)
            out[panel] = {"s": s, "sigma_T": sigT, "levels": _levels(ds, m.tactics), "deaths": ds["deaths"].values}
        return out
    if figure_id == "at-pressure":
        x = np.linspace(0.0, 4.0, 41)
        out = {}
        for panel, sigT in (("a", 2.0), ("b", 0.5)):
            m = _model(tactic_substitution=sigT)
            out[panel] = {
                "x": x, "sigma_T": sigT,
                "killing_only": m.sweep(tactic_sanction_killing=x)["deaths"].values,
                "imprisonment_only": m.sweep(tactic_sanction_imprisonment=x)["deaths"].values,
                "uniform": np.array([m.shame_all(v / 4).solve().deaths for v in x]),
            }
        iota = np.linspace(0.0, 1.0, 41)
        base = _model()
        uni = np.array([base.with_params(ideology=i).shame_all(0.5).solve().deaths for i in iota])
        kil = np.array([base.with_params(ideology=i).shame("killing", 2.0).solve().deaths for i in iota])
        ena = base.enabler_sanction(0.5).solve().deaths
        res = base.resource(0.75).solve().deaths

        def cross(policy: str, level: float) -> float:
            def f(i: float) -> float:
                m = base.with_params(ideology=i)
                m = m.shame_all(0.5) if policy == "uniform" else m.shame("killing", 2.0)
                return m.solve().deaths - level

            return float(brentq(f, 0.0, 1.0, xtol=1e-14))

        out["c"] = {"iota": iota, "uniform": uni, "killing": kil, "enabler": np.full_like(iota, ena),
                    "resources": np.full_like(iota, res),
                    "crossings": {"uniform=resources": cross("uniform", res), "uniform=enabler": cross("uniform", ena),
                                  "killing=resources": cross("killing", res), "killing=enabler": cross("killing", ena)}}
        return out
    if figure_id == "at-backfire-map":
        sig = np.geomspace(0.1, 5.0, 200)
        r = np.linspace(0.0, 1.2, 121)
        eq2 = _model(substitution_elasticity=2.0).solve()
        sbar2 = 2.0 * eq2.rebel_share + eq2.civilian_share
        boundary = {1.0: 1.0 / (1.0 - r[r < 1]), 2.0: sbar2 / (1.0 - r[r < 1])}  # σ_T on the boundary, per r
        m = _model()
        g = m._gradients()
        ratio = {t: float(g["d"][i] / g["dbar"]) for i, t in enumerate(m.tactics)}
        region = sig[None, :] > 1.0 / np.maximum(1.0 - r[:, None], 1e-300)
        region &= r[:, None] < 1
        return {"sigma_T": sig, "r": r, "boundary": boundary, "r_boundary": r[r < 1], "region": region,
                "ratios": ratio, "sbar": {1.0: 1.0, 2.0: sbar2}}
    if figure_id == "at-enablers":
        sE = np.linspace(0.0, 2.0, 41)
        m = _model()
        ds = m.sweep(enabler_sanction=sE)
        out = {"s_E": sE, "levels": _levels(ds, m.tactics), "rebel_attacks": ds["rebel_attacks"].values,
               "enabler_price": {}, "deaths": {}}
        for eps in (math.inf, 2.0, 0.5):
            mm = m if math.isinf(eps) else _model(enabler_supply_elasticity=eps, enabler_capacity=37.5)
            d = mm.sweep(enabler_sanction=sE)
            out["enabler_price"][eps] = d["enabler_price"].values
            out["deaths"][eps] = d["deaths"].values
        return out
    raise KeyError(f"no tactics figure {figure_id!r}; have: {', '.join(FIGURE_IDS)}")


def data(figure_id: str) -> dict[str, Any]:
    """The arrays behind a tactics figure (see the module docstring)."""
    return _data(figure_id)


def numbers(figure_id: str) -> dict[str, Any]:
    """Key numbers of a tactics figure, for ``summary.md``."""
    d = data(figure_id)
    if figure_id == "at-tactic-mix":
        return {f"deaths at s_imprisonment = 3, sigma_T = {d[p]['sigma_T']:g}": float(d[p]["deaths"][-1])
                for p in ("a", "b")}
    if figure_id == "at-pressure":
        return {f"crossing {k}": v for k, v in d["c"]["crossings"].items()}
    if figure_id == "at-backfire-map":
        return {f"r = d_j/d̄ for {t}": v for t, v in d["ratios"].items()}
    if figure_id == "at-enablers":
        return {f"deaths at s_E = 2, eps_E = {k:g}": float(v[-1]) for k, v in d["deaths"].items()}
    raise KeyError(figure_id)


def _tactic_panel(ax: Any, x: np.ndarray, levels: dict[str, np.ndarray], deaths: np.ndarray | None,
                  xlabel: str, title: str) -> Any:
    for t, y in levels.items():
        ax.plot(x, y, color=TACTIC_COLOURS[t], label=t.replace("_", " "))
    ax.set_xlabel(xlabel)
    ax.set_ylabel("Level of each tactic")
    ax.set_title(title, fontsize=10)
    if deaths is not None:
        ax2 = ax.twinx()
        ax2.plot(x, deaths, "k--", label="deaths")
        ax2.set_ylim(0, 18)
        ax2.set_ylabel("Deaths")
    return ax


@figure("at-tactic-mix", model="tactics", data=lambda: data("at-tactic-mix"), numbers=lambda: numbers("at-tactic-mix"),
        caption=f"{CAPTION} The tactic mix as political imprisonment is named and shamed: with complementary "
                "tactics (σ_T = 0.5) every tactic and deaths fall; with substitutes (σ_T = 2) imprisonment falls, "
                "killing rises and deaths rise.")
def tactic_mix() -> Any:
    """Figure ``at-tactic-mix``: tactic levels and deaths against the sanction on imprisonment."""
    from atrogame.plot import subplots

    d = data("at-tactic-mix")
    fig, axes = subplots(1, 2)
    for ax, p, lab in zip(axes, ("a", "b"), ("complements", "substitutes"), strict=True):
        _tactic_panel(ax, d[p]["s"], d[p]["levels"], d[p]["deaths"],
                      "Sanction on political imprisonment, s_imprisonment",
                      f"({p}) σ_T = {d[p]['sigma_T']:g} ({lab})")
        ax.set_ylim(0, 18)
    axes[0].legend(frameon=False, fontsize=8)
    axes[1].annotate("imprisonment falls, killing rises, deaths rise", (1.0, 2.0), fontsize=8)
    return fig


@figure("at-pressure", model="tactics", data=lambda: data("at-pressure"), numbers=lambda: numbers("at-pressure"),
        caption=f"{CAPTION} Targeted versus uniform pressure (same total sanction x), and how a leadership's "
                "ideological commitment ι turns the ranking toward enabler sanctions and resource cuts.")
def pressure() -> Any:
    """Figure ``at-pressure``: deaths under targeted, uniform, enabler and resource pressure."""
    from atrogame.plot import subplots

    d = data("at-pressure")
    fig, axes = subplots(1, 3)
    for ax, p in zip(axes[:2], ("a", "b"), strict=True):
        x = d[p]["x"]
        ax.plot(x, d[p]["killing_only"], color=TACTIC_COLOURS["killing"], label="killing only")
        ax.plot(x, d[p]["imprisonment_only"], color=TACTIC_COLOURS["imprisonment"], label="imprisonment only")
        ax.plot(x, d[p]["uniform"], color="k", label="uniform (x/4 each)")
        ax.set(xlabel="Total added sanction, x", ylabel="Deaths", ylim=(0, 18),
               title=f"({p}) σ_T = {d[p]['sigma_T']:g}")
    axes[0].legend(frameon=False, fontsize=8)
    c = d["c"]
    ax = axes[2]
    ax.plot(c["iota"], c["uniform"], color="k", label="uniform +0.5")
    ax.plot(c["iota"], c["killing"], color=TACTIC_COLOURS["killing"], label="killing +2")
    ax.plot(c["iota"], c["enabler"], color="#E69F00", label="enablers s_E = 0.5")
    ax.plot(c["iota"], c["resources"], color="#56B4E9", label="resources ×0.75")
    for v in c["crossings"].values():
        ax.axvline(v, color="0.7", lw=0.6, ls=":")
    ax.set(xlabel="Ideology, ι", ylabel="Deaths", ylim=(0, 16), title="(c) σ_T = 2")
    ax.legend(frameon=False, fontsize=8)
    return fig


@figure("at-backfire-map", model="tactics", data=lambda: data("at-backfire-map"),
        numbers=lambda: numbers("at-backfire-map"),
        caption=f"{CAPTION} Where shaming one tactic raises deaths (ψ = 0): above the boundary σ_T = σ̄/(1 − r). "
                "Killing (r = 10/3) is off the scale and never backfires.")
def backfire_map() -> Any:
    """Figure ``at-backfire-map``: the region where a marginal sanction on one tactic raises deaths."""
    from atrogame.plot import subplots

    d = data("at-backfire-map")
    fig, ax = subplots(figsize=(6.0, 4.2))
    ax.contourf(d["sigma_T"], d["r"], d["region"].astype(float), levels=[0.5, 1.5], colors=["#fdd0a2"])
    ax.plot(d["boundary"][1.0], d["r_boundary"], "k-", label="boundary, σ = 1 (σ̄ = 1)")
    ax.plot(d["boundary"][2.0], d["r_boundary"], "k--", label=f"boundary, σ = 2 (σ̄ = {d['sbar'][2.0]:.2g})")
    ax.axvline(1.0, color="0.5", ls=":")
    ax.text(1.05, 1.12, "substitutes →", fontsize=8)
    ax.text(3.0, 0.3, "deaths rise", fontsize=9)
    for t in ("displacement", "imprisonment", "sexual_violence"):
        ax.plot([2.0], [d["ratios"][t]], "o", color=TACTIC_COLOURS[t], label=t.replace("_", " "))
    ax.set(xscale="log", xlim=(0.1, 5.0), ylim=(0, 1.2), xlabel="Substitution between tactics, σ_T",
           ylabel="Deadliness of the targeted tactic relative to average, r = d_j/d̄")
    ax.legend(frameon=False, fontsize=7)
    return fig


@figure("at-enablers", model="tactics", data=lambda: data("at-enablers"), numbers=lambda: numbers("at-enablers"),
        caption=f"{CAPTION} Sanctions on enablers: enabler-intensive tactics fall and sexual violence (no enabler "
                "input) rises; less elastic enabler supply passes less of the sanction on.")
def enablers() -> Any:
    """Figure ``at-enablers``: tactic levels, the enabler price and deaths against the enabler sanction."""
    from atrogame.plot import subplots

    d = data("at-enablers")
    fig, axes = subplots(1, 3)
    levels = dict(d["levels"])
    levels["rebel_attacks"] = d["rebel_attacks"]
    for t, y in levels.items():
        axes[0].plot(d["s_E"], y, color=TACTIC_COLOURS[t], label=t.replace("_", " "))
    axes[0].annotate("rises", (1.5, 16.5), fontsize=8, color=TACTIC_COLOURS["sexual_violence"])
    axes[0].set(xlabel="Sanction on enablers, s_E", ylabel="Level", title="(a) ε_E = ∞")
    axes[0].legend(frameon=False, fontsize=7)
    for eps, ls in ((math.inf, "-"), (2.0, "--"), (0.5, ":")):
        lab = "ε_E = ∞" if math.isinf(eps) else f"ε_E = {eps:g}"
        axes[1].plot(d["s_E"], d["enabler_price"][eps], "k", ls=ls, label=lab)
        axes[2].plot(d["s_E"], d["deaths"][eps], "k", ls=ls, label=lab)
    axes[1].set(xlabel="Sanction on enablers, s_E", ylabel="Enabler price, p_E", title="(b)")
    axes[2].set(xlabel="Sanction on enablers, s_E", ylabel="Deaths", title="(c)")
    axes[1].legend(frameon=False, fontsize=8)
    return fig
