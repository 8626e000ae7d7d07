"""The tactics figures: the plotted arrays equal the tabulated values; every figure builds."""

from __future__ import annotations

import math

import numpy as np
import pytest
from tactics_helpers import close

from atrogame.figures import tactics as F


def _at(x, grid, y):
    return [float(y[int(np.argmin(np.abs(grid - v)))]) for v in x]


def test_at1_values():
    d = F.data("at-tactic-mix")
    s = [0, 0.5, 1, 2, 3]
    a, b = d["a"], d["b"]
    assert close(_at(s, a["s"], a["levels"]["killing"]), [12.5, 11.83503419, 11.32704598, 10.56624327, 10])
    assert close(_at(s, a["s"], a["levels"]["imprisonment"]), [12.5, 9.663264952, 8.009431025, 6.100423396, 5])
    assert close(_at(s, a["s"], a["deaths"]), [15, 13.9848641, 13.26069368, 12.23290994, 11.5])
    assert close(_at(s, b["s"], b["levels"]["killing"]), [12.5, 13.63636364, 14.28571429, 15, 15.38461538])
    assert close(_at(s, b["s"], b["deaths"]), [15, 15.60606061, 16.07142857, 16.66666667, 17.01923077])


def test_at2_values():
    d = F.data("at-pressure")
    x = [0, 1, 2, 4]
    assert close(_at(x, d["a"]["x"], d["a"]["killing_only"]), [15, 6.428571429, 4.666666667, 3.75])
    assert close(_at(x, d["a"]["x"], d["a"]["imprisonment_only"]), [15, 16.07142857, 16.66666667, 17.25])
    assert close(_at(x, d["a"]["x"], d["a"]["uniform"]), [15, 12, 10, 7.5])
    assert close(_at(x, d["b"]["x"], d["b"]["killing_only"]), [15, 10.27484022, 8.21367205, 6.180339887])
    assert close(_at(x, d["b"]["x"], d["b"]["imprisonment_only"]), [15, 13.26069368, 12.23290994, 10.93111629])
    c = d["c"]
    io = [0, 0.25, 0.5, 0.75, 1]
    assert close(_at(io, c["iota"], c["uniform"]), [10, 10.90909091, 12, 13.33333333, 15])
    assert close(_at(io, c["iota"], c["killing"]), [4.666666667, 5.294117647, 6.428571429, 8.787878788, 15])
    assert close(c["enabler"][0], 11.29917184) and close(c["resources"][0], 11.25)
    cr = c["crossings"]
    assert close([cr["uniform=resources"], cr["uniform=enabler"], cr["killing=resources"], cr["killing=enabler"]],
                 [1 / 3, 0.3449381585, 0.8833432777, 0.8853748626])


def test_at3_boundary():
    d = F.data("at-backfire-map")
    rb, b1 = d["r_boundary"], d["boundary"][1.0]
    for r, s in [(0, 1), (0.25, 4 / 3), (1 / 3, 1.5), (0.5, 2), (0.75, 4)]:
        i = int(np.argmin(np.abs(rb - r)))
        if abs(rb[i] - r) < 1e-12:
            assert close(b1[i], s)
    assert close(d["sbar"][2.0], 1.8)
    assert close([d["ratios"][t] for t in ("killing", "displacement", "imprisonment", "sexual_violence")],
                 [10 / 3, 1 / 6, 1 / 3, 1 / 6])


def test_at4_values():
    d = F.data("at-enablers")
    s = [0, 0.5, 1, 2]
    g = d["s_E"]
    assert close(_at(s, g, d["levels"]["killing"]), [12.5, 8.944099379, 6.802721088, 4.411764706])
    assert close(_at(s, g, d["levels"]["sexual_violence"]), [12.5, 13.97515528, 15.30612245, 17.64705882])
    assert close(_at(s, g, d["rebel_attacks"]), [50, 40, 33.33333333, 25])
    assert close(_at(s, g, d["enabler_price"][2.0]), [1, 1.410768291, 1.838964256, 2.730445689])
    assert close(_at(s, g, d["deaths"][0.5]), [15, 12.73010642, 10.79270322, 7.917107375])
    assert close(_at(s, g, d["deaths"][math.inf]), [15, 11.29917184, 9.037414966, 6.470588235])


@pytest.mark.parametrize("fid", F.FIGURE_IDS)
def test_figures_build_and_captions_attribute(fid):
    from atrogame.figures import FIGURES

    spec = FIGURES[fid]
    assert spec.caption.startswith("After Anderton & Brauer; tactic substitution motivated by the USHMM roundtable")
    fig = spec.make()
    assert len(fig.axes) >= 1
    assert spec.numbers() and spec.data()
