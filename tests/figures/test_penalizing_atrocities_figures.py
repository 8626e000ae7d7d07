"""Figures of the penalizing-atrocities game (after Kydd 2022): the numbers behind them, then that they build."""

from __future__ import annotations

import numpy as np
import pytest

from atrogame.figures import FIGURES
from atrogame.figures import penalizing_atrocities as pa
from atrogame.models.penalizing_atrocities import REGIMES
from atrogame.models.penalizing_atrocities.duration import duration


def test_balance_hump_data():
    d = pa.data("pa-balance-hump")
    np.testing.assert_allclose(d["balance_aid"], [2.0, 1.4231, 1.0625], atol=1e-4)
    for arg, sb in zip(d["argmax_intensity"], d["balance_aid"], strict=True):
        assert abs(arg - sb) <= 0.01 + 1e-12
    np.testing.assert_allclose(d["peak_intensity"], [1.5, 0.9231, 0.5625], atol=1e-4)
    np.testing.assert_allclose(d["peak_duration"], 4.0, atol=1e-4)
    np.testing.assert_allclose(d["argmax_duration"], d["argmax_intensity"], atol=0.011)
    assert d["intensity_zero_from"][2] == pytest.approx(3.5, abs=1e-9)
    a06 = d["atrocity_intensity"][0.06]
    assert a06[d["aid_to_rebels"] == 3.5][0] == pytest.approx(0.0, abs=1e-12)
    assert a06[d["aid_to_rebels"] == 3.49][0] > 0


def test_penalty_tradeoff_data():
    d = pa.data("pa-penalty-tradeoff")
    tau = d["atrocity_penalty"]
    base = d["base"]
    tbar = base["deterrent_penalty"]
    assert tbar == pytest.approx(0.122222, abs=1e-6)
    below = tau < tbar
    assert (np.diff(base["p_war"][below]) > 0).all()
    assert (np.diff(base["expected_atrocities"][below]) < 0).all()
    assert (base["expected_atrocities"][~below] == 0).all()
    assert base["p_war"][0] == pytest.approx(0.3494, abs=1e-4)
    t7 = d["T7"]
    assert t7["peak_expected_atrocities"] == pytest.approx(0.4150, abs=1e-4)
    assert t7["argmax_expected_atrocities"] == pytest.approx(0.016, abs=1e-3)
    i = int(np.argmax(t7["expected_atrocities"]))
    after = t7["expected_atrocities"][i:]
    assert (np.diff(after[after > 0]) < 0).all()
    assert t7["expected_atrocities"][-1] == 0.0


def test_iso_atrocities_data():
    d = pa.data("pa-iso-atrocities")
    assert d["aid_to_rebels"].size >= 81 and d["atrocity_penalty"].size >= 81
    value, aid, tau = d["base"]["max"]
    assert value == pytest.approx(1.44, abs=1e-9)
    assert (aid, tau) == (pytest.approx(2.0), pytest.approx(0.0))
    assert not d["base"]["backfire"].any()
    t7 = d["T7"]
    assert t7["backfire"].any()
    assert (t7["regime"][t7["backfire"]] == REGIMES.index("corner")).all()
    # on and above the deterrence frontier there are no atrocities
    above = d["atrocity_penalty"][:, None] >= d["base"]["deterrent_penalty"][None, :] + 1e-9
    assert (d["base"]["expected_atrocities"][above] == 0).all()


def test_duration_data():
    d = pa.data("pa-duration")
    for n in d["n"]:
        E = d["expected_war_duration"][n]
        assert E[499] == pytest.approx(n**2, abs=1e-9)
        half = E.size // 2
        assert (np.diff(E[: half + 1]) >= 0).all() and (np.diff(E[half:]) <= 0).all()
        ends = duration(np.array([1e-15, 1 - 1e-15]), n)  # E -> n at the ends (slowly: like Π^(1/n))
        np.testing.assert_allclose(ends, n, rtol=2e-3)


def test_timeline_data():
    d = pa.data("pa-timeline")
    assert abs(d["lead"][-1]) == d["n"]
    assert (np.abs(np.diff(d["lead"])) == 1).all()


@pytest.mark.parametrize("fid", pa.FIGURE_IDS)
def test_figures_build_and_cite(fid):
    spec = FIGURES[fid]
    assert spec.model == "penalizing_atrocities"
    assert "after Kydd (2022)" in spec.caption and "reconstruction" in spec.caption
    fig = spec.make()
    assert fig.axes
    assert spec.numbers() is not None
