"""Plots of a scenario discovery (:func:`atrogame.discovery.explain`).

* :func:`trajectory` — the peeling trajectory, coverage against density, coloured by the
  number of restricted parameters, with the chosen box (or any step) marked;
* :func:`box_limits` — each restricted parameter's range in the box against its sampled range,
  with the quasi-p-values;
* :func:`box_map` — the sample on two parameters, events and non-events (or regimes) in
  colour, with the box drawn on it.

Every function takes ``ax=None`` (a new figure) and returns the ``Axes``.

Examples
--------
>>> import numpy as np
>>> from atrogame.discovery import explain
>>> rng = np.random.default_rng(0)
>>> X = {"a": rng.random(2000), "b": rng.random(2000)}
>>> d = explain(X, (X["a"] < 0.3) & (X["b"] > 0.6))
>>> trajectory(d).get_xlabel(), box_limits(d).get_title()
('coverage', 'Box 1: 2 restricted parameters')
>>> round(float(box_map(d, "a", "b").patches[0].get_width()), 2)
0.3
"""

from __future__ import annotations

from typing import Any

import numpy as np

from atrogame.plot import _ax

EVENT_COLOUR = "#D55E00"
OTHER_COLOUR = "#BBBBBB"
BOX_COLOUR = "#0072B2"


def _label(d: Any, p: str) -> str:
    lab = d.labels.get(p, {})
    text = str(lab.get("long_name") or p.replace("_", " "))
    return f"{text} ({lab['units']})" if lab.get("units") else text


def trajectory(d: Any, *, box: int = 0, step: int | None = None, ax: Any = None) -> Any:
    """Coverage against density along the peeling trajectory of box ``box``.

    Points are coloured by how many parameters are restricted; the step the box was chosen
    from (or ``step``) is ringed and annotated.
    """
    ax = _ax(ax)
    traj = d.trajectories[box]
    sc = ax.scatter(traj["coverage"], traj["density"], c=traj["n_restricted"], cmap="viridis", s=18, zorder=2)
    chosen = d.selected[box] if step is None else step
    row = traj.iloc[chosen]
    ax.scatter([row["coverage"]], [row["density"]], s=140, facecolors="none", edgecolors=EVENT_COLOUR,
               linewidths=2, zorder=3)
    ax.annotate(f"step {chosen}: coverage {row['coverage']:.2f}, density {row['density']:.2f}",
                (row["coverage"], row["density"]), textcoords="offset points", xytext=(-10, 10), ha="right")
    ax.set_xlabel("coverage")
    ax.set_ylabel("density")
    ax.set_xlim(-0.02, 1.02)
    ax.set_ylim(-0.02, 1.05)
    ax.figure.colorbar(sc, ax=ax, label="restricted parameters")
    ax.set_title(f"Peeling trajectory (box {box + 1})")
    return ax


def box_limits(d: Any, *, box: int = 0, ax: Any = None) -> Any:
    """Each restricted parameter's limits in the box, as a share of its sampled range."""
    ax = _ax(ax)
    b = d.boxes[box]
    names = list(b.restricted)
    X = d.data[0]
    for i, p in enumerate(names):
        j = d.inputs.index(p)
        lo_all, hi_all = float(X[:, j].min()), float(X[:, j].max())
        span = hi_all - lo_all or 1.0
        lo, hi = b.limits[p]
        ax.plot([0, 1], [i, i], color=OTHER_COLOUR, lw=6, solid_capstyle="butt")
        ax.plot([(lo - lo_all) / span, (hi - lo_all) / span], [i, i], color=BOX_COLOUR, lw=6, solid_capstyle="butt")
        ax.text(-0.02, i + 0.25, f"{lo_all:.3g}", ha="left", va="bottom", fontsize=8)
        ax.text(1.02, i + 0.25, f"{hi_all:.3g}", ha="right", va="bottom", fontsize=8)
        ax.text((lo - lo_all) / span, i - 0.3, f"{lo:.3g}", ha="center", va="top", fontsize=8, color=BOX_COLOUR)
        ax.text((hi - lo_all) / span, i - 0.3, f"{hi:.3g}", ha="center", va="top", fontsize=8, color=BOX_COLOUR)
    ax.set_yticks(range(len(names)))
    ax.set_yticklabels([f"{_label(d, p)}\nqp={b.qp_values.get(p, np.nan):.2g}" for p in names])
    ax.set_ylim(-0.8, max(len(names), 1) - 0.2)
    ax.set_xlim(-0.05, 1.05)
    ax.set_xlabel("share of the sampled range")
    ax.set_title(f"Box {box + 1}: {len(names)} restricted parameter{'s' if len(names) != 1 else ''}")
    return ax


def box_map(d: Any, x: str, y: str, *, box: int | None = 0, hue: Any = None, hue_labels: Any = None,
            ax: Any = None, max_points: int = 5000) -> Any:
    """The sample on parameters ``x`` and ``y`` with the event (or ``hue``, e.g. regimes) in colour.

    ``box`` (None: every box) is drawn as a rectangle; parameters a box leaves free span the
    whole axis. At most ``max_points`` points are drawn (every k-th point, so the picture is
    deterministic).
    """
    from matplotlib.patches import Rectangle

    ax = _ax(ax)
    X, ev = d.data
    for name in (x, y):
        if name not in d.inputs:
            raise KeyError(f"{name!r} is not an input of this discovery; have {', '.join(d.inputs)}")
    jx, jy = d.inputs.index(x), d.inputs.index(y)
    stride = max(1, len(ev) // max_points)
    sel = slice(None, None, stride)
    if hue is None:
        e = ev[sel]
        ax.scatter(X[sel, jx][~e], X[sel, jy][~e], s=4, color=OTHER_COLOUR, label=f"no {d.event_name}"[:40])
        ax.scatter(X[sel, jx][e], X[sel, jy][e], s=4, color=EVENT_COLOUR, label=d.event_name)
    else:
        h = np.asarray(hue)[sel]
        for i, v in enumerate(np.unique(h)):
            lab = hue_labels[int(v)] if hue_labels is not None else str(v)
            ax.scatter(X[sel, jx][h == v], X[sel, jy][h == v], s=4, color=f"C{i}", label=lab)
    which = range(len(d.boxes)) if box is None else [box]
    for i in which:
        b = d.boxes[i]
        (x0, x1), (y0, y1) = b.limits[x], b.limits[y]
        ax.add_patch(Rectangle((x0, y0), x1 - x0, y1 - y0, fill=False, ec=BOX_COLOUR, lw=2, zorder=3))
        ax.text(x0, y1, f" box {i + 1}", color=BOX_COLOUR, va="bottom", ha="left")
    ax.set_xlabel(_label(d, x))
    ax.set_ylabel(_label(d, y))
    ax.legend(loc="best", markerscale=3, fontsize=8)
    return ax
