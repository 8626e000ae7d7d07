"""The tools figures: numbers behind them come from the tools layer, bars line up with labels."""

from __future__ import annotations

import numpy as np
import pytest

import atrogame as ag
from atrogame import figures
from atrogame.figures import tools as F


def _bars(ax, label_ax=None):
    # panels share the y axis; only the first shows the tick labels
    labels = [t.get_text().removesuffix(" (n/r)") for t in (label_ax or ax).get_yticklabels()]
    widths = [p.get_width() for p in ax.patches]
    return dict(zip(labels, widths, strict=True))


def test_ks_tornado_data_are_the_marginal_effects_of_assess():
    d = F.data("tools-ks-tornado")
    m = ag.KyddStraus()
    for tool in ("naming_and_shaming", "military_intervention", "mediation"):
        a = ag.tools.assess(tool, m, outcomes=["p_war", "expected_atrocities"])
        for o in ("p_war", "expected_atrocities"):
            assert d[o].loc[tool, "marginal"] == pytest.approx(a[o].marginal)
    assert not d["p_war"].loc["electoral_assistance", "represented"]


def test_ks_tornado_bars_line_up_with_their_labels():
    fig = figures.make("tools-ks-tornado")
    d = F.data("tools-ks-tornado")
    names = ag.tools.catalogue()["name"]
    for ax, outcome in zip(fig.axes[:2], ("p_war", "expected_atrocities"), strict=True):
        bars = _bars(ax, fig.axes[0])
        assert len(bars) == len(names)
        for tid, name in names.items():
            expected = d[outcome].loc[tid, "marginal"]
            assert bars[name] == pytest.approx(0.0 if np.isnan(expected) else expected)


def test_ab_tornado_shows_the_ces_backfire():
    d = F.data("tools-ab-tornado")
    assert d["sigma=0.5"].loc["peace_operations", "change"] > 0
    assert d["sigma=2"].loc["peace_operations", "change"] < 0
    fig = figures.make("tools-ab-tornado")
    names = ag.tools.catalogue()["name"]
    for ax, key in zip(fig.axes[:2], ("sigma=0.5", "sigma=2"), strict=True):
        bars = _bars(ax, fig.axes[0])
        for tid, name in names.items():
            expected = d[key].loc[tid, "change"]
            assert bars[name] == pytest.approx(0.0 if np.isnan(expected) else expected)


def test_backfire_figure_data_are_probabilities_from_backfire():
    d = F.data("tools-backfire")
    ks = d["kydd_straus"]
    assert ((ks["probability"] >= 0) & (ks["probability"] <= 1)).all()
    r = ag.tools.backfire("official_amnesty", ag.KyddStraus(), n=F.BACKFIRE_DRAWS, seed=F.BACKFIRE_SEED)
    assert ks.loc["official_amnesty", "probability"] == r.probability
    ab = d["anderton_brauer_ces"]
    # the prior puts 0.8/3.8 of sigma's mass below 1, where cutting a_C backfires
    assert ab.loc["peace_operations", "probability"] == pytest.approx(0.8 / 3.8, abs=0.03)
    fig = figures.make("tools-backfire")
    assert fig.axes[0].get_xlabel().startswith("probability the tool raises")
