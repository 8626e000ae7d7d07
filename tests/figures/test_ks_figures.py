"""Figures of the Kydd–Straus game: the numbers behind them against spec §7, never pixels."""

from __future__ import annotations

import math

import numpy as np
import pytest
import sympy as sp

from atrogame import figures
from atrogame.figures import kydd_straus as F
from atrogame.models.kydd_straus import REGIMES, KyddStraus, derivation

# spec §7: a* / p_war / expected_atrocities at i = 0, .1, .2, .3, .5, .7, 1 (corner marked *)
TABLE7 = {
    "N0": [".4800/.2347/.1126*", ".4351/.2876/.1251*", ".3942/.3274/.1291", ".3566/.3427/.1222",
           ".2903/.3682/.1069", ".2335/.3886/.0907", ".1622/.4123/.0669"],
    "B0": [".4800/.2347/.1126*", ".4065/.3223/.1310", ".3394/.3495/.1186", ".2780/.3727/.1036",
           ".1694/.4100/.0694", ".0763/.4380/.0334", ".0000/.4583/.0000"],
    "N5": [".3800/.3174/.1206", ".3397/.3352/.1139", ".3029/.3509/.1063", ".2692/.3647/.0982",
           ".2097/.3880/.0814", ".1587/.4068/.0646", ".0946/.4289/.0406"],
    "B5": [".3800/.3174/.1206", ".3111/.3474/.1081", ".2482/.3731/.0926", ".1906/.3952/.0753",
           ".0887/.4308/.0382", ".0015/.4579/.0007", ".0000/.4583/.0000"],
}
I_ROWS = (0.0, 0.1, 0.2, 0.3, 0.5, 0.7, 1.0)


def _cell(text):
    a, q, ea = (float(t) for t in text.rstrip("*").split("/"))
    return a, q, ea, text.endswith("*")


def test_registered_with_captions():
    reg = figures.registry()
    for fid in F.FIGURE_IDS:
        spec = reg[fid]
        assert spec.model == "kydd_straus"
        assert "after Kydd & Straus (2013)" in spec.caption
        assert spec.data is not None and spec.numbers is not None


@pytest.mark.parametrize("fid", ["ks-road-to-hell", "ks-war-risk"])
def test_line_figures_against_section7(fid):
    d = figures.get(fid).data()
    i = d["intervention_commitment"]
    assert i.size == 101 and i[0] == 0 and i[-1] == 1 and np.allclose(np.diff(i), 0.01)
    y = "expected_atrocities" if fid == "ks-road-to-hell" else "p_war"
    for design, cells in TABLE7.items():
        assert d["parameters"][design] == {**F.BASE, **F.DESIGNS[design]}
        for irow, cell in zip(I_ROWS, cells, strict=True):
            j = int(np.flatnonzero(np.isclose(i, irow))[0])
            a, q, ea, corner = _cell(cell)
            assert round(float(d["atrocities_in_war"][design][j]), 4) == a
            assert round(float(d[y][design][j]), 4) == (ea if y == "expected_atrocities" else q)
            assert (d["regime"][design][j] == "corner") == corner


def test_road_to_hell_shape():
    d = figures.get("ks-road-to-hell").data()
    ea = d["expected_atrocities"]
    for k in ("N0", "B0"):  # C4: first rising in i
        assert np.argmax(ea[k]) > 0 and ea[k].max() > ea[k][0]
    for k in ("N5", "B5"):  # C6/C7: falling throughout
        assert (np.diff(ea[k]) <= 1e-15).all()
    n = figures.get("ks-road-to-hell").numbers()
    assert n["N0: commitment i with the most expected atrocities"] == pytest.approx(0.18)
    assert all(isinstance(v, float) and math.isfinite(v) for v in n.values())


def test_war_risk_rises():
    d = figures.get("ks-war-risk").data()
    for v in d["p_war"].values():
        assert (np.diff(v) >= -1e-15).all()


def test_weak_minority_figure():
    d = figures.get("ks-weak-minority").data()
    assert tuple(d["imposed_settlement"]) == (0.1, 0.4, 0.7)
    assert d["p_war"].shape == (3, 101)
    # spec §7: at i = 1, p_war is .1373 with z = .1 and .4583 with z = .7
    assert round(float(d["p_war"][0, -1]), 4) == 0.1373
    assert round(float(d["p_war"][2, -1]), 4) == 0.4583
    assert d["parameters"]["rebel_strength"] == 0.1 and d["parameters"]["atrocity_penalty"] == 0.0
    # at i = 0 the settlement does not matter
    assert np.ptp(d["p_war"][:, 0]) == 0
    n = figures.get("ks-weak-minority").numbers()
    assert n["z = 0.1: p_war at i = 1"] == pytest.approx(0.137346, abs=1e-6)


def test_regime_map():
    d = figures.get("ks-regimes").data()
    i, z, reg, ea = d["intervention_commitment"], d["imposed_settlement"], d["regime"], d["expected_atrocities"]
    assert reg.shape == ea.shape == (z.size, i.size) and i[0] == 0 and i[-1] == 1 and z[0] == 0 and z[-1] == 1
    assert d["regime_names"] == REGIMES
    # spot checks against the model solved point by point (section 7 base)
    base = KyddStraus(**F.BASE)
    for jz in (0, 40, 80, 140, 200):
        for ji in (0, 20, 100, 150, 200):
            e = base.with_params(intervention_commitment=float(i[ji]), imposed_settlement=float(z[jz])).solve()
            assert REGIMES[int(reg[jz, ji])] == e.regime
            assert ea[jz, ji] == e.expected_atrocities
    # the N0 (z = .4) and B0 (z = .7) rows reproduce section 7
    for zval, design in ((0.4, "N0"), (0.7, "B0")):
        jz = int(np.flatnonzero(np.isclose(z, zval))[0])
        for irow, cell in zip(I_ROWS, TABLE7[design], strict=True):
            ji = int(np.flatnonzero(np.isclose(i, irow))[0])
            _, q, e_a, corner = _cell(cell)
            assert round(float(ea[jz, ji]), 4) == e_a and round(float(d["p_war"][jz, ji]), 4) == q
            assert (REGIMES[int(reg[jz, ji])] == "corner") == corner
    n = figures.get("ks-regimes").numbers()
    assert sum(v for k, v in n.items() if k.startswith("share")) == pytest.approx(1.0)


def test_tree_payoffs_from_derivation():
    t = figures.get("ks-tree").data()
    nodes = t["nodes"]
    terminals = {k: v for k, v in nodes.items() if v["player"] is None}
    assert set(terminals) == {"peace", "imposed", "minority_wins", "government_wins"}
    assert {v["player"] for v in nodes.values()} == {None, "G", "M", "T", "Nature"}
    d = derivation()
    names = dict(d.latex_names)
    war = d["war_nodes"]
    for row, key in enumerate(("imposed", "minority_wins", "government_wins")):
        assert terminals[key]["payoffs"] == (sp.latex(war[row, 1], symbol_names=names),
                                             sp.latex(war[row, 2], symbol_names=names))
    assert terminals["peace"]["payoffs"][1] == sp.latex(d["peace_payoff_minority"], symbol_names=names)
    # every node but the root has exactly one parent; the probabilities at the chance nodes sum to one
    children = [b for _, b, _ in t["edges"]]
    assert sorted(children) == sorted(k for k in nodes if k != "nature_cost")
    assert sp.simplify(sum(t["probabilities"]) - 1) == 0
    assert figures.get("ks-tree").numbers()["regime at the default parameters"] == "interior"


@pytest.mark.parametrize("fid", F.FIGURE_IDS)
def test_figures_render(fid, tmp_path):
    paths = figures.make(fid, tmp_path, formats=("png",))
    assert paths[0].exists() and paths[0].stat().st_size > 10_000


def test_unknown_figure_data():
    with pytest.raises(KeyError, match="ks-road-to-hell"):
        F.data("ks-nothing")
