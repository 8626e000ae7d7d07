"""No legend may hide plotted data: every data point of every line and scatter collection
must lie outside the legend's box (display coordinates, after drawing)."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pytest
from matplotlib.collections import PathCollection

from atrogame.figures import registry

FIGURE_IDS = sorted(registry())


def overlaps(fig) -> list[str]:
    """Descriptions of every artist whose data falls inside its axes' legend box."""
    fig.canvas.draw()
    found = []
    for ax in fig.axes:
        legend = ax.get_legend()
        if legend is None:
            continue
        box = legend.get_window_extent()
        handles = set(map(id, legend.legend_handles))
        for line in ax.get_lines():
            if id(line) in handles:
                continue
            pts = line.get_transform().transform(line.get_xydata())
            pts = pts[np.isfinite(pts).all(axis=1)]
            inside = (pts[:, 0] > box.x0) & (pts[:, 0] < box.x1) & (pts[:, 1] > box.y0) & (
                pts[:, 1] < box.y1
            )
            if inside.any():
                found.append(f"line {line.get_label()!r} in {ax.get_title()!r}")
        for coll in ax.collections:
            if not isinstance(coll, PathCollection) or id(coll) in handles:
                continue
            offs = np.asarray(coll.get_offsets(), dtype=float)
            if offs.size == 0:
                continue
            pts = coll.get_offset_transform().transform(offs)
            pts = pts[np.isfinite(pts).all(axis=1)]
            inside = (pts[:, 0] > box.x0) & (pts[:, 0] < box.x1) & (pts[:, 1] > box.y0) & (
                pts[:, 1] < box.y1
            )
            if inside.any():
                found.append(f"scatter {coll.get_label()!r} in {ax.get_title()!r}")
    return found


def test_detector_flags_an_overlap():
    fig, ax = plt.subplots()
    xs = np.linspace(0, 1, 101)
    ax.plot(xs, xs, label="diagonal")
    ax.plot(xs, np.ones_like(xs), label="top")
    ax.legend(loc="upper left")
    assert overlaps(fig)
    plt.close(fig)


@pytest.mark.parametrize("fig_id", FIGURE_IDS)
def test_no_legend_hides_data(fig_id):
    fig = registry()[fig_id].make()
    try:
        assert overlaps(fig) == []
    finally:
        plt.close(fig)
