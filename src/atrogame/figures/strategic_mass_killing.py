"""Figures of the strategic mass-killing game, after Esteban, Morelli & Rohner (2015).

Every curve is computed by the model's vectorised closed form at atrogame's own parameter
values; the functional forms and numbers are atrogame's reconstruction, not the authors'
results. ``data(figure_id)`` returns the arrays behind each figure (the tests check these
numbers, never pixels) and ``numbers(figure_id)`` the key numbers listed in ``summary.md``.
See docs/explanation/strategic_mass_killing.md.

Examples
--------
>>> d = data("smk-cap")
>>> round(float(d["deterrent_cap"]), 10)
0.0493228472
"""

from __future__ import annotations

import functools
from typing import Any

import numpy as np

from atrogame.figures import figure

__all__ = ["FIGURE_IDS", "data", "numbers"]

FIGURE_IDS = ("smk-drivers", "smk-cap", "smk-polarisation", "smk-institutions")
_ATTRIBUTION = ("After Esteban, Morelli & Rohner (2015); functional forms and numbers are atrogame's own.")
_MODEL = "strategic_mass_killing"

RENTS = np.round(np.arange(10, 301) / 100, 2)  # 0.10 … 3.00, step 0.01
PRODUCTIVITY = np.round(np.arange(20, 301) / 100, 2)  # 0.20 … 3.00
CAPS = np.round(np.arange(401) / 1000, 3)  # 0 … 0.4, step 0.001
SHARES = np.round(np.arange(10, 191) / 200, 3)  # 0.05 … 0.95, step 0.005
ALPHAS = (0.1, 0.3, 0.5)
POWER_SHARES = (0.0, 0.1, 0.2)
DEATH_LOSSES = (0.0, 2.0)
GRID_N = 101


def _solve(**changes: Any) -> dict[str, np.ndarray]:
    from atrogame.models.strategic_mass_killing.kernel import closed_form
    from atrogame.models.strategic_mass_killing.params import StrategicMassKillingParams

    values = {**StrategicMassKillingParams().to_dict(), **changes}
    StrategicMassKillingParams.validate_arrays(changes)
    return closed_form(values)


def _first(mask: np.ndarray, x: np.ndarray) -> float:
    return float(x[np.argmax(mask)]) if mask.any() else float("nan")


@functools.cache
def _drivers() -> dict[str, Any]:
    by_alpha = {a: _solve(resource_rents=RENTS, proportional_sharing=a) for a in ALPHAS}
    by_s = {s: _solve(productivity=PRODUCTIVITY, power_sharing=s) for s in POWER_SHARES}
    k_r = {a: o["killing_share_incumbent"] for a, o in by_alpha.items()}
    k_w = {s: o["killing_share_incumbent"] for s, o in by_s.items()}
    return {
        "resource_rents": RENTS, "killing_share_by_alpha": k_r,
        "killing_starts_at": {a: _first(k > 0, RENTS) for a, k in k_r.items()},
        "share_at_start": {a: float(k[np.argmax(k > 0)]) for a, k in k_r.items()},
        "share_at_rents_1": {a: float(k[RENTS == 1.0][0]) for a, k in k_r.items()},
        "extermination_from": {a: _first(k >= 1.0, RENTS) for a, k in k_r.items()},
        "productivity": PRODUCTIVITY, "killing_share_by_power_sharing": k_w,
        "last_productivity_with_killing": {s: float(PRODUCTIVITY[np.nonzero(k > 0)[0][-1]]) for s, k in k_w.items()},
        "share_at_lowest_productivity": {s: float(k[0]) for s, k in k_w.items()},
    }


@functools.cache
def _cap() -> dict[str, Any]:
    from atrogame.models.strategic_mass_killing.kernel import KILLING_REGIMES

    runs = {d: _solve(killing_cap=CAPS, death_loss=d) for d in DEATH_LOSSES}
    free = {d: _solve(death_loss=d) for d in DEATH_LOSSES}
    out: dict[str, Any] = {"killing_cap": CAPS, "deterrent_cap": float(free[0.0]["deterrent_cap"])}
    for key in ("killing_share_incumbent", "p_conflict", "expected_deaths"):
        out[key] = {d: r[key] for d, r in runs.items()}
        out[f"{key}_uncapped"] = {d: float(f[key]) for d, f in free.items()}
    out["deterrent_cap_by_death_loss"] = {d: float(f["deterrent_cap"]) for d, f in free.items()}
    out["regime"] = np.asarray(KILLING_REGIMES, dtype=object)[runs[0.0]["regime"]]
    ed2 = runs[2.0]["expected_deaths"]
    out["peak_expected_deaths"] = {d: float(r["expected_deaths"].max()) for d, r in runs.items()}
    out["peak_cap"] = {d: float(CAPS[np.argmax(r["expected_deaths"])]) for d, r in runs.items()}
    out["backfire"] = bool(ed2.max() > float(free[2.0]["expected_deaths"]))
    return out


@functools.cache
def _polarisation() -> dict[str, Any]:
    run = _solve(incumbent_share=SHARES)
    bench = _solve(incumbent_share=SHARES, killing_cap=0.0)
    both = (run["killing_share_incumbent"] > 0) & (run["killing_share_opposition"] > 0)
    half, at65, at80 = (int(np.flatnonzero(np.isclose(SHARES, x))[0]) for x in (0.5, 0.65, 0.8))
    return {
        "incumbent_share": SHARES,
        "killing_share_incumbent": run["killing_share_incumbent"],
        "killing_share_opposition": run["killing_share_opposition"],
        "effort_incumbent": run["effort_incumbent"], "effort_opposition": run["effort_opposition"],
        "effort_no_killing": bench["effort_incumbent"],
        "p_mass_killing": run["p_mass_killing"],
        "both_kill_range": (float(SHARES[both].min()), float(SHARES[both].max())),
        "effort_at_half": float(run["effort_incumbent"][half]),
        "efforts_at_0.65": (float(run["effort_incumbent"][at65]), float(run["effort_opposition"][at65])),
        "p_mass_killing_at_half": float(run["p_mass_killing"][half]),
        "p_mass_killing_at_0.8": float(run["p_mass_killing"][at80]),
    }


@functools.cache
def _institutions() -> dict[str, Any]:
    from atrogame.models.strategic_mass_killing.kernel import KILLING_REGIMES

    alpha = np.linspace(0.0, 1.0, GRID_N)
    power = np.linspace(0.0, 0.5, GRID_N)
    chi = np.linspace(0.0, 1.0, GRID_N)
    a = _solve(proportional_sharing=alpha[:, None], power_sharing=power[None, :])
    b = _solve(proportional_sharing=alpha[:, None], headcount_claims=chi[None, :], killing_fixed_cost=0.005)
    ed = a["expected_deaths"]
    i, j = np.unravel_index(int(np.argmax(ed)), ed.shape)
    shares = {r: float(np.mean(a["regime"] == code)) for code, r in enumerate(KILLING_REGIMES)}
    k_b = b["killing_share_incumbent"]
    # (c) minimum standards at the defaults: headcount claims chi on a 0.01 grid
    chi_c = np.round(np.arange(101) / 100, 2)
    c = _solve(headcount_claims=chi_c)
    k_c = c["killing_share_incumbent"]
    return {
        "standards_headcount_claims": chi_c, "standards_killing_share": k_c, "standards_p_conflict": c["p_conflict"],
        "standards_expected_deaths": c["expected_deaths"], "standards_killing_starts_at": _first(k_c > 0, chi_c),
        "proportional_sharing": alpha, "power_sharing": power, "headcount_claims": chi,
        "regime": a["regime"], "expected_deaths": ed, "killing_share_a": a["killing_share_incumbent"],
        "regime_shares": shares, "peak_expected_deaths": float(ed[i, j]), "peak_at": (float(alpha[i]), float(power[j])),
        "killing_share_b": k_b, "line_chi": 0.5 * 0.8 * (1 - 2 * 0.0),
        "k_alpha0_chi02": float(k_b[0, 20]), "k_alpha1_chi02": float(k_b[-1, 20]), "k_alpha1_chi1": float(k_b[-1, -1]),
    }


def data(figure_id: str) -> dict[str, Any]:
    """The arrays and key values behind a figure.

    Examples
    --------
    >>> d = data("smk-drivers")
    >>> d["killing_starts_at"][0.3], d["extermination_from"][0.3]
    (0.87, 2.21)
    """
    builders = {"smk-drivers": _drivers, "smk-cap": _cap, "smk-polarisation": _polarisation,
                "smk-institutions": _institutions}
    if figure_id not in builders:
        raise KeyError(f"no strategic mass-killing figure {figure_id!r}; have: {', '.join(FIGURE_IDS)}")
    return builders[figure_id]()


def numbers(figure_id: str) -> dict[str, Any]:
    """Key numbers of a figure for ``summary.md``.

    Examples
    --------
    >>> round(numbers("smk-cap")["peak expected deaths, D = 2"], 10)
    0.0080549393
    """
    d = data(figure_id)
    if figure_id == "smk-drivers":
        out = {f"killing starts at R (alpha = {a})": d["killing_starts_at"][a] for a in ALPHAS}
        out.update({f"extermination from R (alpha = {a})": d["extermination_from"][a] for a in ALPHAS})
        out.update({f"last w with killing (s = {s})": d["last_productivity_with_killing"][s] for s in POWER_SHARES})
        return out
    if figure_id == "smk-cap":
        return {"deterrent cap": d["deterrent_cap"],
                "p_conflict at cap 0, D = 0": float(d["p_conflict"][0.0][0]),
                "p_conflict uncapped, D = 0": d["p_conflict_uncapped"][0.0],
                "peak expected deaths, D = 2": d["peak_expected_deaths"][2.0],
                "cap at the peak, D = 2": d["peak_cap"][2.0],
                "expected deaths uncapped, D = 2": d["expected_deaths_uncapped"][2.0]}
    if figure_id == "smk-polarisation":
        lo, hi = d["both_kill_range"]
        return {"both would kill from n_I": lo, "both would kill up to n_I": hi,
                "effort at n_I = 0.5": d["effort_at_half"],
                "p_mass_killing at n_I = 0.5": d["p_mass_killing_at_half"],
                "p_mass_killing at n_I = 0.8": d["p_mass_killing_at_0.8"]}
    return {"peak expected deaths (alpha x s)": d["peak_expected_deaths"], "alpha at the peak": d["peak_at"][0],
            **{f"share of the map: {r}": v for r, v in d["regime_shares"].items() if v > 0},
            "minimum standards: killing starts at chi": d["standards_killing_starts_at"],
            "minimum standards: expected deaths at chi = 1": float(d["standards_expected_deaths"][-1])}


# ---------------------------------------------------------------------- figures
@figure("smk-drivers", model=_MODEL, data=lambda: data("smk-drivers"), numbers=lambda: numbers("smk-drivers"),
        caption=f"{_ATTRIBUTION} The published drivers of mass killing. (a) The share of the opposition the "
                "incumbent would kill if it won, against natural-resource rents, for three degrees of per-capita "
                "(proportional) rent sharing: nothing below a threshold, a jump at it (the fixed cost of a "
                "campaign), then a rising share up to extermination. (b) The same share against labour "
                "productivity for three degrees of power sharing: higher productivity and more power sharing "
                "lower it.")
def drivers() -> Any:
    """Figure ``smk-drivers``: the killing share against rents (by α) and productivity (by s)."""
    from atrogame.plot import subplots

    d = data("smk-drivers")
    fig, (ax1, ax2) = subplots(1, 2, figsize=(10.5, 4.0))
    for a, k in d["killing_share_by_alpha"].items():
        ax1.plot(d["resource_rents"], k, label=f"proportional sharing α = {a}")
    ax1.set_xlabel("natural-resource rents R")
    ax1.set_ylabel("killing share if the incumbent wins, k_I*")
    ax1.set_title("(a) rents", fontsize=10)
    ax1.legend(frameon=False, fontsize=8)
    for s, k in d["killing_share_by_power_sharing"].items():
        ax2.plot(d["productivity"], k, label=f"power sharing s = {s}")
    ax2.set_xlabel("labour productivity w")
    ax2.set_title("(b) productivity", fontsize=10)
    ax2.legend(frameon=False, fontsize=8)
    return fig


_BANDS = {"cap_deterred": "#fde0dd", "capped": "#fff7bc", "interior": "#e5f5e0"}


@figure("smk-cap", model=_MODEL, data=lambda: data("smk-cap"), numbers=lambda: numbers("smk-cap"),
        caption=f"{_ATTRIBUTION} A cap on the death toll enforced by a threatened intervention. Below the "
                "deterrent cap v̂ the incumbent does not kill at all; above it the toll tracks the cap until the cap "
                "no longer binds. Because the threat of killing deters challenges, a binding cap raises the "
                "probability of conflict; with a loss per death beyond lost income (dashed, D = 2) tightening a "
                "binding cap raises expected deaths (a backfire), while at D = 0 (solid) it does not.")
def cap() -> Any:
    """Figure ``smk-cap``: killing share, conflict risk and expected deaths against the cap."""
    from atrogame.plot import subplots

    d = data("smk-cap")
    fig, axes = subplots(3, 1, figsize=(6.5, 8.5), sharex=True)
    x = d["killing_cap"]
    for ax, key, label in zip(axes, ("killing_share_incumbent", "p_conflict", "expected_deaths"),
                              ("killing share k_I*", "probability of conflict", "expected deaths"), strict=True):
        for regime, colour in _BANDS.items():
            mask = d["regime"] == regime
            if mask.any():
                ax.axvspan(x[mask].min(), x[mask].max(), color=colour, lw=0, label=f"regime: {regime}")
        for dl, style in zip(DEATH_LOSSES, ("-", "--"), strict=True):
            ax.plot(x, d[key][dl], style, color="k", label=f"death loss D = {dl:g}")
        ax.axvline(d["deterrent_cap"], color="#d7191c", lw=1, label="deterrent cap v̂")
        ax.set_ylabel(label)
    axes[0].legend(frameon=True, fontsize=7, ncol=2, loc="lower right")
    axes[-1].set_xlabel("cap on the death toll v̄ (share of the population)")
    return fig


@figure("smk-polarisation", model=_MODEL, data=lambda: data("smk-polarisation"),
        numbers=lambda: numbers("smk-polarisation"),
        caption=f"{_ATTRIBUTION} Group sizes. Top: the share of the other group each side would kill if it won. "
                "Near a polarised split both would kill; elsewhere only the larger group. Bottom: fighting efforts "
                "against the no-killing benchmark: in the polarised case both fight harder (complements); with one "
                "would-be killer the would-be victims fight harder (substitutes). The fall of the probability of "
                "mass killing away from n_I = 1/2 holds in this default case only.")
def polarisation() -> Any:
    """Figure ``smk-polarisation``: killing shares and efforts against the incumbent's population share."""
    from atrogame.plot import subplots

    d = data("smk-polarisation")
    fig, (ax1, ax2) = subplots(2, 1, figsize=(6.5, 7.0), sharex=True)
    x = d["incumbent_share"]
    ax1.plot(x, d["killing_share_incumbent"], label="incumbent kills (share of O)")
    ax1.plot(x, d["killing_share_opposition"], label="opposition kills (share of I)")
    ax1.plot(x, d["p_mass_killing"], ":", color="k", label="probability of mass killing")
    lo, hi = d["both_kill_range"]
    ax1.axvspan(lo, hi, color="#eeeeee", lw=0, label="both would kill")
    ax1.legend(frameon=False, fontsize=8)
    ax1.set_ylabel("share killed / probability")
    ax2.plot(x, d["effort_incumbent"], label="effort E_I")
    ax2.plot(x, d["effort_opposition"], label="effort E_O")
    ax2.plot(x, d["effort_no_killing"], "--", color="grey", label="no killing (v̄ = 0)")
    ax2.legend(frameon=False, fontsize=8)
    ax2.set_xlabel("incumbent's population share n_I")
    ax2.set_ylabel("fighting effort")
    return fig


@figure("smk-institutions", model=_MODEL, data=lambda: data("smk-institutions"),
        numbers=lambda: numbers("smk-institutions"),
        caption=f"{_ATTRIBUTION} Two institutions that must not be conflated. (a) Regimes over proportional "
                "(per-capita) rent sharing and power sharing, with contours of expected deaths: the killing region "
                "grows with proportional sharing and shrinks with power sharing, while expected deaths peak at a "
                "moderate level because the killing threat deters challenges. (b) The killing share over "
                "proportional sharing and the out-group's headcount claims (φ = 0.005): above the dashed line "
                "χ = θδ(1 − 2s) proportional sharing raises killing, below it lowers it. (c) Minimum standards for "
                "the defeated at the default values: raising the headcount claims χ paid to the out-group turns a "
                "deterred incumbent into a killer, and expected deaths jump from zero although conflict becomes "
                "less likely (a backfire of minimum standards without enforcement).")
def institutions() -> Any:
    """Figure ``smk-institutions``: regime map (α × s), killing-share contours (α × χ), minimum standards (χ)."""
    from matplotlib.colors import ListedColormap

    from atrogame.models.strategic_mass_killing.kernel import KILLING_REGIMES
    from atrogame.plot import subplots

    d = data("smk-institutions")
    fig, (ax1, ax2, ax3) = subplots(1, 3, figsize=(16.0, 4.4))
    colours = ["#f0f0f0", "#c6dbef", "#fde0dd", "#a1d99b", "#fff7bc", "#de2d26"]
    ax1.pcolormesh(d["power_sharing"], d["proportional_sharing"], d["regime"], cmap=ListedColormap(colours),
                   vmin=-0.5, vmax=5.5, shading="nearest")
    cs = ax1.contour(d["power_sharing"], d["proportional_sharing"], d["expected_deaths"],
                     levels=[0.002, 0.005, 0.01, 0.015, 0.02], colors="k", linewidths=0.7)
    ax1.clabel(cs, fontsize=7)
    for code, r in enumerate(KILLING_REGIMES):
        if d["regime_shares"][r] > 0:
            ax1.plot([], [], "s", color=colours[code], label=r)
    ax1.legend(frameon=True, fontsize=7, loc="upper right")
    ax1.set_xlabel("power sharing s")
    ax1.set_ylabel("proportional sharing α")
    ax1.set_title("(a) regimes; contours: expected deaths", fontsize=10)
    cs2 = ax2.contour(d["headcount_claims"], d["proportional_sharing"], d["killing_share_b"],
                      levels=[0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7], cmap="viridis")
    ax2.clabel(cs2, fontsize=7)
    ax2.axvline(d["line_chi"], ls="--", color="k", lw=1)
    ax2.set_xlabel("headcount claims χ")
    ax2.set_ylabel("proportional sharing α")
    ax2.set_title("(b) killing share k_I*; dashed: χ = θδ(1 − 2s)", fontsize=10)
    x = d["standards_headcount_claims"]
    ax3.plot(x, d["standards_killing_share"], color="k", label="killing share k_I*")
    ax3.plot(x, d["standards_p_conflict"], "--", color="#2b83ba", label="probability of conflict")
    ax3.set_xlabel("headcount claims χ (minimum standards)")
    ax3.set_ylabel("share / probability")
    ax3b = ax3.twinx()
    ax3b.plot(x, d["standards_expected_deaths"], ":", color="#d7191c", label="expected deaths (right axis)")
    ax3b.set_ylabel("expected deaths")
    ax3.axvline(d["standards_killing_starts_at"], color="grey", lw=0.8)
    lines = ax3.get_lines()[:2] + ax3b.get_lines()
    ax3.legend(lines, [ln.get_label() for ln in lines], frameon=False, fontsize=7, loc="center left")
    ax3.set_title("(c) minimum standards at the defaults", fontsize=10)
    return fig
