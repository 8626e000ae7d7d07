"""Figures of the Fearon bargaining model and the mobilisation game.

Every figure is built from the models (:class:`atrogame.Fearon`, :class:`atrogame.Mobilisation`)
at atrogame's own parameter values; ``data(figure_id)`` returns the numbers behind each
figure, which the tests check (never pixels).

Examples
--------
>>> d = data("mob-simplex")
>>> d["test_starts_basin"]
('resisters', 'supporters')
"""

from __future__ import annotations

import functools
from typing import Any

import numpy as np

from atrogame.engine import outcome_attrs, param_attrs
from atrogame.figures import figure

#: Second panel of the bargaining-range figure: a cost of war high enough for a safe offer.
SAFE_COST_A = 0.4
#: Upper ends of B's cost support drawn in ``fearon-pwar``.
PWAR_B_VALUES = (0.25, 0.45, 0.65)
#: Starts of the two highlighted trajectories in ``mob-simplex`` (s, b, r).
MOB_TEST_STARTS = ((0.25, 0.25, 0.5), (0.35, 0.15, 0.5))
#: Lattice resolution of the basin map in ``mob-simplex``.
MOB_BASIN_N = 60

_ROLE_COLOURS = {"supporters": "#d7191c", "bystanders": "#bdbdbd", "resisters": "#2c7bb6"}


def _fearon_models() -> dict[str, Any]:
    from atrogame.models.fearon import Fearon

    base = Fearon()
    return {"risky": base, "safe": base.with_params(cost_a=SAFE_COST_A)}


# ---------------------------------------------------------------------- data
@functools.cache
def _data_bargaining_range() -> dict[str, Any]:
    return {k: m.bargaining_range() | {"regime": m.solve().regime, "cost_a": m.params.cost_a}
            for k, m in _fearon_models().items()}


@functools.cache
def _data_pwar() -> dict[str, Any]:
    from atrogame.models.fearon import Fearon

    m = Fearon()
    lo, hi = 0.005, 0.6
    ca = np.linspace(lo, hi, 240)
    ds = m.sweep(cost_a=ca, cost_b_high=list(PWAR_B_VALUES), outcomes=["p_war"])
    a = m.params.cost_b_low
    return {
        "cost_a": ca,
        "cost_b_high": np.asarray(PWAR_B_VALUES),
        "p_war": ds["p_war"].transpose("cost_b_high", "cost_a").values,
        "kink_cost_a": np.asarray(PWAR_B_VALUES) - 2 * a,  # c_A = b − 2a: war risk reaches zero
        "cost_b_low": a,
        "win_prob_a": m.params.win_prob_a,
    }


@functools.cache
def _data_simplex() -> dict[str, Any]:
    from atrogame.models.mobilisation import Mobilisation

    m = Mobilisation()
    eq = m.solve()
    basins = m.basins(n=MOB_BASIN_N, interior=False)
    return {
        "parameters": m.parameter_values(),
        "tipping_threshold": eq.tipping_threshold,
        "regime": eq.regime,
        "rest_points": eq.info["rest_points"],
        "basin_points": basins.points,
        "basin_labels": basins.labels,
        "basin_shares": basins.shares,
        "test_starts": MOB_TEST_STARTS,
        "test_starts_basin": tuple(m.basin_of(MOB_TEST_STARTS).tolist()),
    }


def data(figure_id: str) -> dict[str, Any]:
    """The numbers behind one of this module's figures.

    Examples
    --------
    >>> round(data("fearon-bargaining-range")["risky"]["offer"], 6)
    0.675
    """
    makers = {"fearon-bargaining-range": _data_bargaining_range, "fearon-pwar": _data_pwar,
              "mob-simplex": _data_simplex}
    if figure_id not in makers:
        raise KeyError(f"no games figure {figure_id!r}; have: {', '.join(makers)}")
    return makers[figure_id]()


# ---------------------------------------------------------------------- Fearon figures
def _numbers_range() -> dict[str, float]:
    d = data("fearon-bargaining-range")
    out: dict[str, float] = {}
    for k, v in d.items():
        out[f"{k} ({v['regime']}, c_A = {v['cost_a']:g}): demand x*"] = v["offer"]
        out[f"{k} ({v['regime']}, c_A = {v['cost_a']:g}): P(war)"] = v["p_war"]
    return out


@figure("fearon-bargaining-range", model="fearon", data=lambda: data("fearon-bargaining-range"),
        numbers=_numbers_range,
        caption="The bargaining range after Fearon (1995), on A's share of the good: A's war value p − c_A, "
                "the demands every type of B accepts (up to p + a) and those only resolved types accept "
                "(up to p + b), and A's optimal demand x*. Top: c_A = 0.1, A risks war (P(war) = 0.3125); "
                "bottom: c_A = 0.4, A buys off every type. atrogame's numbers (p = 0.5, c_B ~ U[0.05, 0.45]).")
def bargaining_range() -> Any:
    """Figure ``fearon-bargaining-range``: Fearon's bargaining-range diagram for a risky and a safe offer."""
    from atrogame import plot

    d = data("fearon-bargaining-range")
    fig, axes = plot.subplots(2, 1, figsize=(7.0, 3.8), sharex=True)
    for ax, v in zip(axes, d.values(), strict=True):
        ax.hlines(0, 0, 1, color="k", linewidth=1)
        ax.axvspan(v["a_reservation"], v["b_accepts_all_types"], ymin=0.35, ymax=0.65, color="#1a9641",
                   alpha=0.35, label="every type of B accepts, A prefers to war")
        ax.axvspan(v["b_accepts_all_types"], v["b_accepts_highest_type"], ymin=0.35, ymax=0.65, color="#fdae61",
                   alpha=0.45, label="only types with $c_B \\geq x - p$ accept")
        for x, text in ((v["p"], "$p$"), (v["a_reservation"], "$p - c_A$"), (v["b_accepts_all_types"], "$p + a$"),
                        (v["b_accepts_highest_type"], "$p + b$")):
            ax.vlines(x, -0.15, 0.15, color="k", linewidth=0.8)
            ax.annotate(text, (x, -0.2), ha="center", va="top", fontsize=8)
        ax.annotate(f"$x^* = {v['offer']:.3g}$", xy=(v["offer"], 0.0), xytext=(v["offer"], 0.55),
                    ha="center", fontsize=9, arrowprops={"arrowstyle": "->", "color": "#d7191c"})
        ax.set_ylim(-0.5, 1.0)
        ax.set_yticks([])
        ax.set_title(f"$c_A = {v['cost_a']:g}$: {v['regime'].replace('_', ' ')}, P(war) = {v['p_war']:.3g}",
                     fontsize=9)
    axes[-1].set_xlim(0, 1)
    axes[-1].set_xlabel("A's share of the good")
    axes[0].legend(loc="upper left", fontsize=7, frameon=False)
    return fig


def _numbers_pwar() -> dict[str, float]:
    d = data("fearon-pwar")
    out: dict[str, float] = {}
    for b, row, kink in zip(d["cost_b_high"], d["p_war"], d["kink_cost_a"], strict=True):
        out[f"b = {b:g}: P(war) at c_A = {d['cost_a'][0]:g}"] = float(row[0])
        out[f"b = {b:g}: c_A at which P(war) reaches 0 (b − 2a)"] = float(kink)
    return out


@figure("fearon-pwar", model="fearon", data=lambda: data("fearon-pwar"), numbers=_numbers_pwar,
        caption="Probability of war against A's cost of war, after Fearon (1995), for three upper ends b of B's "
                "private cost (c_B ~ U[0.05, b], p = 0.5). War risk falls linearly with slope −1/(2(b − a)) "
                "and is zero once c_A ≥ b − 2a; more uncertainty about B's resolve (higher b) means more war. "
                "atrogame's numbers.")
def pwar() -> Any:
    """Figure ``fearon-pwar``: P(war) against c_A for several b."""
    from atrogame import plot
    from atrogame.models.fearon import Fearon

    d = data("fearon-pwar")
    m = Fearon()
    fig, ax = plot.subplots(figsize=(5.5, 3.8))
    for b, row, kink in zip(d["cost_b_high"], d["p_war"], d["kink_cost_a"], strict=True):
        (line,) = ax.plot(d["cost_a"], row, label=f"$b = {b:g}$")
        if d["cost_a"][0] <= kink <= d["cost_a"][-1]:
            ax.plot([kink], [0.0], "o", color=line.get_color(), markersize=4)
    ax.set_xlabel(plot.label(param_attrs(m, "cost_a")))
    ax.set_ylabel(plot.label(outcome_attrs(m, "p_war")))
    ax.set_ylim(bottom=0)
    ax.legend(frameon=False, title=f"$c_B \\sim U[{d['cost_b_low']:g}, b]$")
    return fig


# ---------------------------------------------------------------------- mobilisation simplex
_SQ3 = np.sqrt(3.0) / 2.0
#: Cartesian corners: supporters bottom-left, resisters bottom-right, bystanders top.
_CORNERS = np.array([[0.0, 0.0], [0.5, _SQ3], [1.0, 0.0]])


def to_cartesian(x: Any) -> np.ndarray:
    """Barycentric ``(s, b, r)`` to the plane (S bottom-left, B top, R bottom-right).

    Examples
    --------
    >>> to_cartesian([[1, 0, 0], [0, 0, 1]]).tolist()
    [[0.0, 0.0], [1.0, 0.0]]
    """
    return np.asarray(x, dtype=float) @ _CORNERS


def to_barycentric(xy: Any) -> np.ndarray:
    """Plane points to barycentric ``(s, b, r)`` (inverse of :func:`to_cartesian`).

    Examples
    --------
    >>> to_barycentric([[0.5, 0.0]]).round(6).tolist()
    [[0.5, 0.0, 0.5]]
    """
    xy = np.asarray(xy, dtype=float)
    b = xy[..., 1] / _SQ3
    r = xy[..., 0] - 0.5 * b
    return np.stack([1.0 - b - r, b, r], axis=-1)


def _numbers_simplex() -> dict[str, Any]:
    d = data("mob-simplex")
    out: dict[str, Any] = {"tipping threshold s̄": d["tipping_threshold"], "regime": d["regime"]}
    for start, lab in zip(d["test_starts"], d["test_starts_basin"], strict=True):
        out[f"start {start} converges to"] = lab
    for k, v in d["basin_shares"].items():
        out[f"share of lattice starts reaching {k}"] = v
    return out


@figure("mob-simplex", model="mobilisation", data=lambda: data("mob-simplex"), numbers=_numbers_simplex,
        caption="Replicator dynamics of the supporters–bystanders–resisters game (atrogame's payoffs, after "
                "Anderton 2010) on the simplex: basins of attraction (red: all supporters; blue: all "
                "resisters), streamlines, rest points (filled: stable) and the tipping threshold s̄ = 0.7/2.2 "
                "on the supporter–resister edge. Two starts with half the population resisting end in opposite "
                "vertices. v − c = −0.2, γ = 1, φ_B = 0.5, φ_R = 1, m = 0.3, μ = 0.2.")
def simplex() -> Any:
    """Figure ``mob-simplex``: simplex with basins, replicator flow, rest points and tipping threshold."""
    import matplotlib.tri as mtri
    from matplotlib.colors import ListedColormap
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    from atrogame import plot
    from atrogame.models.mobilisation import ROLES, Mobilisation

    d = data("mob-simplex")
    m = Mobilisation()
    fig, ax = plot.subplots(figsize=(6.2, 5.6))
    # basins: filled contours of the vertex each lattice start reaches
    xy = to_cartesian(d["basin_points"])
    tri = mtri.Triangulation(xy[:, 0], xy[:, 1])
    cols = ["#f0f0f0"] + [_ROLE_COLOURS[r] for r in ROLES]
    ax.tricontourf(tri, d["basin_labels"].astype(float), levels=[-1.5, -0.5, 0.5, 1.5, 2.5],
                   cmap=ListedColormap(cols), alpha=0.25)
    # flow: streamlines of the replicator field mapped to the plane
    gx, gy = np.meshgrid(np.linspace(0, 1, 120), np.linspace(0, _SQ3, 104))
    bary = to_barycentric(np.stack([gx, gy], axis=-1))
    inside = (bary >= -1e-9).all(axis=-1)
    vel = m.replicator_field(np.clip(bary, 0, None)) @ _CORNERS
    u = np.ma.masked_where(~inside, vel[..., 0])
    w = np.ma.masked_where(~inside, vel[..., 1])
    ax.streamplot(gx, gy, u, w, density=1.1, color="0.35", linewidth=0.6, arrowsize=0.7)
    # the two highlighted trajectories
    for start, lab in zip(d["test_starts"], d["test_starts_basin"], strict=True):
        _, traj = m.trajectory(start, t_max=40.0)
        txy = to_cartesian(traj)
        ax.plot(txy[:, 0], txy[:, 1], color=_ROLE_COLOURS[lab], linewidth=1.8)
        ax.plot(*to_cartesian(start), "o", color="k", markersize=4)
    # edges, rest points, threshold
    outline = to_cartesian(np.vstack([np.eye(3), np.eye(3)[:1]]))
    ax.plot(outline[:, 0], outline[:, 1], color="k", linewidth=1)
    for rp in d["rest_points"]:
        p = to_cartesian(rp["point"])
        stable = rp["kind"] == "sink"
        ax.plot(*p, "o", markersize=8, markeredgecolor="k", markerfacecolor="k" if stable else "white", zorder=5)
    tip = to_cartesian([d["tipping_threshold"], 0.0, 1.0 - d["tipping_threshold"]])
    ax.annotate(f"$\\bar s = {d['tipping_threshold']:.3f}$", xy=tip, xytext=(tip[0], -0.09), ha="center",
                fontsize=9, arrowprops={"arrowstyle": "-", "color": "k"})
    for (x, y), text, dy in ((_CORNERS[0], "all supporters", -0.05), (_CORNERS[1], "all bystanders", 0.04),
                             (_CORNERS[2], "all resisters", -0.05)):
        ax.annotate(text, (x, y + dy), ha="center", fontsize=9)
    ax.set_xlim(-0.12, 1.12)
    ax.set_ylim(-0.16, _SQ3 + 0.1)
    ax.set_aspect("equal")
    ax.axis("off")
    handles = [Patch(color=_ROLE_COLOURS["supporters"], alpha=0.35, label="basin: all supporters"),
               Patch(color=_ROLE_COLOURS["resisters"], alpha=0.35, label="basin: all resisters"),
               Line2D([], [], marker="o", color="k", linestyle="", label="stable rest point"),
               Line2D([], [], marker="o", color="k", markerfacecolor="white", linestyle="",
                      label="unstable rest point")]
    ax.legend(handles=handles, loc="upper left", fontsize=8, frameon=False)
    ax.set_title(f"Mobilisation game ({d['regime']})", fontsize=10)
    return fig
