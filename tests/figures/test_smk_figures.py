"""Figures of the strategic mass-killing game: the numbers behind them, never pixels."""

from __future__ import annotations

import numpy as np
import pytest

from atrogame.figures import strategic_mass_killing as F


def test_drivers():
    d = F.data("smk-drivers")
    assert d["killing_starts_at"] == {0.1: 1.10, 0.3: 0.87, 0.5: 0.72}
    for a, k in zip(F.ALPHAS, (0.284, 0.283, 0.282), strict=True):
        assert d["share_at_start"][a] == pytest.approx(k, abs=1e-3)
    for a, k in zip(F.ALPHAS, (0.0, 0.3528571429, 0.4642857143), strict=True):
        assert d["share_at_rents_1"][a] == pytest.approx(k, abs=1e-9)
    assert d["extermination_from"] == {0.1: 2.78, 0.3: 2.21, 0.5: 1.83}
    for k in d["killing_share_by_alpha"].values():
        assert np.all(np.diff(k) >= 0)
    assert d["last_productivity_with_killing"] == {0.0: 1.38, 0.1: 1.10, 0.2: 0.82}
    for s, k in zip(F.POWER_SHARES, (0.5014285714, 0.4494285714, 0.3974285714), strict=True):
        assert d["share_at_lowest_productivity"][s] == pytest.approx(k, abs=1e-9)
        assert np.all(np.diff(d["killing_share_by_power_sharing"][s]) <= 0)


def test_cap_backfire():
    d = F.data("smk-cap")
    assert d["deterrent_cap"] == pytest.approx(0.0493228472, abs=1e-9)
    assert d["deterrent_cap_by_death_loss"][2.0] == pytest.approx(0.0493228472, abs=1e-9)
    x = d["killing_cap"]
    below = x <= d["deterrent_cap"]
    assert np.all(d["killing_share_incumbent"][0.0][below] == 0)
    capped = d["regime"] == "capped"
    np.testing.assert_allclose(d["killing_share_incumbent"][0.0][capped], x[capped] / 0.35, rtol=1e-12)
    q0, q2 = d["p_conflict"][0.0], d["p_conflict"][2.0]
    assert q0[0] == pytest.approx(0.49) and q2[0] == pytest.approx(0.49)
    at = int(np.nonzero(x == 0.05)[0][0])
    assert q0[at] == pytest.approx(0.4132390528, abs=1e-9) and q2[at] == pytest.approx(0.3224500714, abs=1e-9)
    assert d["p_conflict_uncapped"][0.0] == pytest.approx(0.3030633042, abs=1e-9)
    assert d["p_conflict_uncapped"][2.0] == pytest.approx(0.1056583775, abs=1e-9)
    # the conflict probability falls as a binding cap loosens (a binding cap raises conflict risk, E11)
    assert np.all(np.diff(q0[~below]) <= 1e-15) and np.all(np.diff(q2[~below]) <= 1e-15)
    # expected deaths: no backfire at D = 0, a backfire at D = 2 (E12)
    assert d["peak_expected_deaths"][0.0] == pytest.approx(0.0170995877, abs=1e-9)
    assert d["peak_expected_deaths"][0.0] == pytest.approx(d["expected_deaths_uncapped"][0.0], abs=1e-15)
    assert d["peak_expected_deaths"][2.0] == pytest.approx(0.0080549393, abs=1e-9)
    assert d["peak_cap"][2.0] == pytest.approx(0.073)
    assert d["expected_deaths_uncapped"][2.0] == pytest.approx(0.0053506672, abs=1e-9)
    assert d["backfire"]
    assert set(d["regime"]) == {"cap_deterred", "capped", "interior"}


def test_polarisation():
    d = F.data("smk-polarisation")
    assert d["both_kill_range"] == (0.42, 0.58)
    x = d["incumbent_share"]
    one = (d["killing_share_incumbent"] > 0) ^ (d["killing_share_opposition"] > 0)
    larger_kills = np.where(x > 0.5, d["killing_share_incumbent"] > 0, d["killing_share_opposition"] > 0)
    assert np.all(larger_kills[one])
    assert d["effort_at_half"] == pytest.approx(0.2832875, abs=1e-10)
    np.testing.assert_allclose(d["effort_no_killing"], 0.245, rtol=1e-12)
    e_i, e_o = d["efforts_at_0.65"]
    assert e_i == pytest.approx(0.2452768543, abs=1e-9) and e_o == pytest.approx(0.2915957468, abs=1e-9)
    assert d["p_mass_killing_at_half"] == pytest.approx(0.266375, abs=1e-12)
    assert d["p_mass_killing_at_0.8"] == pytest.approx(0.1170888200, abs=1e-9)


def test_institutions():
    d = F.data("smk-institutions")
    shares = d["regime_shares"]
    assert shares["no_motive"] == pytest.approx(0.0562, abs=1e-4)
    assert shares["deterred"] == pytest.approx(0.311, abs=1e-3)
    assert shares["interior"] == pytest.approx(0.6328, abs=1e-4)
    k = d["killing_share_a"]
    assert np.all(np.diff(k, axis=0) >= 0) and np.all(np.diff(k, axis=1) <= 0)
    assert d["peak_expected_deaths"] == pytest.approx(0.0201943660, abs=1e-9)
    assert d["peak_at"] == pytest.approx((0.18, 0.0))
    assert d["expected_deaths"][-1, 0] < d["peak_expected_deaths"]  # not at the highest α
    kb, chi = d["killing_share_b"], d["headcount_claims"]
    assert d["line_chi"] == pytest.approx(0.4)
    assert np.all(np.diff(kb[:, chi > 0.4], axis=0) >= 0) and np.all(np.diff(kb[:, chi < 0.4], axis=0) <= 0)
    assert d["k_alpha0_chi02"] == pytest.approx(0.1857142857, abs=1e-9)
    assert d["k_alpha1_chi02"] == 0.0
    assert d["k_alpha1_chi1"] == pytest.approx(0.7428571429, abs=1e-9)


def test_institutions_minimum_standards_backfire():
    """Panel (c): at the defaults, raising headcount claims from 0.5 to 1 turns a deterred incumbent into a killer."""
    from atrogame.models.strategic_mass_killing import StrategicMassKilling

    d = F.data("smk-institutions")
    chi, k = d["standards_headcount_claims"], d["standards_killing_share"]
    ed, q = d["standards_expected_deaths"], d["standards_p_conflict"]
    assert d["standards_killing_starts_at"] == 0.75
    assert np.all(k[chi < 0.75] == 0) and np.all(k[chi >= 0.75] > 0) and np.all(np.diff(k) >= 0)
    half = int(np.argmin(np.abs(chi - 0.5)))
    assert ed[half] == 0.0 and ed[-1] == pytest.approx(0.0170995877, abs=1e-9)  # 0 -> positive: the backfire
    assert q[-1] < q[half]  # although conflict becomes less likely
    assert StrategicMassKilling(headcount_claims=0.5).solve().regime == "deterred"
    assert F.numbers("smk-institutions")["minimum standards: killing starts at chi"] == 0.75


@pytest.mark.parametrize("fid", F.FIGURE_IDS)
def test_builds_and_attribution(fid):
    from atrogame import figures

    spec = figures.get(fid)
    assert spec.model == "strategic_mass_killing"
    assert spec.caption.startswith("After Esteban, Morelli & Rohner (2015); functional forms and numbers are "
                                   "atrogame's own.")
    fig = spec.make()
    assert len(fig.axes) >= 2
    import matplotlib.pyplot as plt

    plt.close(fig)
    assert all(isinstance(k, str) for k in F.numbers(fid))
