"""The Anderton–Brauer figures: the numbers behind each figure equal spec section 8, and each renders.

Curves are checked against closed forms written out independently here (not the model's
code); marked points against the spec's tabulated values, to 1e-6 relative.
"""

from __future__ import annotations

import numpy as np
import pytest

from atrogame.figures import anderton_brauer as fab

REL = 1e-6


def close(a, b, rel=REL, abs_=1e-9):
    np.testing.assert_allclose(np.asarray(a, dtype=float), np.asarray(b, dtype=float), rtol=rel, atol=abs_)


# ---------------------------------------------------------------------- AB-1
def test_ab_optimum_data():
    d = fab.data("ab-optimum")
    b = d["budget_line"]
    close(b["C"][[0, -1]], [0, 100])
    close(b["R"], 100 - b["C"])
    assert set(d["isoquants"]) == {30.0, 50.0, 70.0}
    for z, cur in d["isoquants"].items():
        close(cur["C"][[0, -1]], [z**2 / 110, 110])
        close(cur["R"], z**2 / cur["C"])
    o = d["optimum"]
    close([o["C"], o["R"], o["control"]], [50, 50, 50])
    assert o["regime"] == "interior"
    close(d["z30_crossings"], [(10, 90), (90, 10)])
    assert d["unattainable"] == [70.0]


# ---------------------------------------------------------------------- AB-2
def test_ab_demand_data():
    d = fab.data("ab-demand")
    assert set(d["budget_lines"]) == {0.5, 1.0, 2.0}
    for p, line in d["budget_lines"].items():
        close(line["R"], 100 - p * line["C"])
        close([line["C"][-1], line["R"][0]], [100 / p, 100])
    want = {0.5: (100, 50, 70.71067812), 1.0: (50, 50, 50), 2.0: (25, 50, 35.35533906)}
    for p, (c, r, z) in want.items():
        o = d["optima"][p]
        close([o["C"], o["R"], o["control"]], [c, r, z])
        iso = d["tangent_isoquants"][p]
        ok = np.isfinite(iso["R"])
        close(iso["R"][ok], z**2 / iso["C"][ok])
    cd = d["demand_cd"]
    close(cd["price_civilians"][[0, -1]], [0.25, 6])
    close(cd["civilian_attacks"], 50 / cd["price_civilians"])
    close(d["demand_cd_points"], [(100, 0.5), (50, 1), (25, 2)])
    ct = d["demand_contest"]
    close(ct["civilian_attacks"], np.maximum(0, (100 / ct["price_civilians"] - 20) / 2))
    close(d["contest_points"], [(40, 1), (15, 2), (10, 2.5), (2.5, 4)])
    close(d["choke_point"], (0, 5))


# ---------------------------------------------------------------------- AB-3
def test_ab_resource_policy_data():
    d = fab.data("ab-resource-policy")
    for k, m in (("before", 100), ("after", 60)):
        line = d["budget_lines"][k]
        close([line["C"][0], line["R"][0], line["C"][-1], line["R"][-1]], [0, m, m, 0])
        assert d["resources"][k] == pytest.approx(m)
    close(d["isoquants"]["before"]["R"], 2500 / d["isoquants"]["before"]["C"])
    close(d["isoquants"]["after"]["R"], 900 / d["isoquants"]["after"]["C"])
    b, a = d["optima"]["before"], d["optima"]["after"]
    close([b["C"], b["R"], b["control"], a["C"], a["R"], a["control"]], [50, 50, 50, 30, 30, 30])
    for k, m in (("before", 50), ("after", 30)):
        cur = d["demand"][k]
        close(cur["price_civilians"][[0, -1]], [0.5, 4])
        close(cur["civilian_attacks"], m / cur["price_civilians"])
    s = d["shift"]
    close([s["price_civilians"], s["before"], s["after"], s["relative_change"]], [1, 50, 30, -0.4])


# ---------------------------------------------------------------------- AB-4
def test_ab_productivity_policy_data():
    d = fab.data("ab-productivity-policy")
    close(d["weights"]["before"], (0.5, 0.5))
    close(d["weights"]["after"], (0.3, 0.7))
    close(d["budget_line"]["R"], 100 - d["budget_line"]["C"])
    b, a = d["optima"]["before"], d["optima"]["after"]
    close([b["C"], b["R"], b["control"]], [50, 50, 50])
    close([a["C"], a["R"], a["control"]], [30, 70, 54.28814527])
    close(d["isoquants"]["before"]["R"], 2500 / d["isoquants"]["before"]["C"])
    new = d["isoquants"]["after"]
    close(new["R"], (54.28814527 / new["C"] ** 0.3) ** (1 / 0.7))
    # the new isoquant is flatter at the old optimum's C: |dR/dC| = (α_C/α_R)(R/C) falls
    old_slope = 2500 / 50**2
    new_r = (54.28814527 / 50**0.3) ** (1 / 0.7)
    assert (0.3 / 0.7) * new_r / 50 < old_slope
    close(d["demand"]["after"]["civilian_attacks"], 30 / d["demand"]["after"]["price_civilians"])
    close(d["demand"]["before"]["civilian_attacks"], 50 / d["demand"]["before"]["price_civilians"])
    want = {"before": (0.05, 180, 40, 60, 0.75, "interior"),
            "policy": (0.02, 112.5, 25, 75, 0.6521739130, "interior"),
            "corner": (0.01, 100, 0, 100, 0.625, "no_civilian_attacks")}
    for k, (kappa, v, c, r, z, regime) in want.items():
        o = d["contest_optima"][k]
        close([o["support_erosion"], o["C"], o["R"], o["control"]], [kappa, c, r, z])
        assert o["regime"] == regime
        iso = d["contest_isoquants"][k]
        close(iso["R"], v / (1 + kappa * iso["C"]))


# ---------------------------------------------------------------------- AB-5
def test_ab_price_policy_data():
    d = fab.data("ab-price-policy")
    lines = d["budget_lines"]
    close(lines["original"]["R"], 100 - lines["original"]["C"])
    close(lines["new"]["R"], 100 - 2 * lines["new"]["C"])
    close(lines["new"]["C"][[0, -1]], [0, 50])
    close(lines["hicks_compensated"]["R"], 100 * np.sqrt(2) - 2 * lines["hicks_compensated"]["C"])  # 141.4213562
    close(lines["slutsky_compensated"]["R"], 150 - 2 * lines["slutsky_compensated"]["C"])
    close(d["isoquants"]["before"]["R"], 2500 / d["isoquants"]["before"]["C"])
    close(d["isoquants"]["after"]["R"], 1250 / d["isoquants"]["after"]["C"])
    close(d["controls"]["after"], 35.35533906)
    pts = d["points"]
    close(pts["E0"], (50, 50))
    close(pts["E_prime"], (35.35533906, 70.71067812))
    close(pts["E1"], (25, 50))
    close(pts["S"], (37.5, 75))
    close(d["controls"]["slutsky"], 53.03300859)
    h, s = d["hicks"], d["slutsky"]
    close([h["substitution"], h["income"], h["total"], h["compensated_cost"]],
          [-14.64466094, -10.35533906, -25, 141.4213562])
    close([s["substitution"], s["income"], s["total"], s["compensated_resources"]], [-12.5, -12.5, -25, 150])


# ---------------------------------------------------------------------- AB-6
def _ces_c(a_c=1.0, a_r=1.0, sigma=2.0, theta=0.5, p_c=1.0, p_r=1.0, m=100.0):
    num = (1 - theta) ** sigma * a_c ** (sigma - 1) * p_c ** (-sigma)
    den = theta**sigma * a_r ** (sigma - 1) * p_r ** (1 - sigma) + (1 - theta) ** sigma * a_c ** (sigma - 1) * p_c ** (
        1 - sigma)
    return m * num / den


def test_ab_backfire_ces_panels():
    d = fab.data("ab-backfire")
    a, b = d["panel_a"], d["panel_b"]
    close(a["productivity_civilians"][[0, -1]], [0.25, 2])
    close(b["productivity_rebels"][[0, -1]], [0.5, 4])
    assert set(a["civilian_attacks"]) == {0.5, 1.0, 2.0}
    for s in (0.5, 1.0, 2.0):
        close(a["civilian_attacks"][s], _ces_c(a_c=a["productivity_civilians"], sigma=s))
        close(b["civilian_attacks"][s], _ces_c(a_r=b["productivity_rebels"], sigma=s))
        close(a["markers"][s][1.0], 50)
        close(b["markers"][s][1.0], 50)
    close([a["markers"][s][0.5] for s in (0.5, 1.0, 2.0)], [58.57864376, 50, 33.33333333])
    close([b["markers"][s][2.0] for s in (0.5, 1.0, 2.0)], [58.57864376, 50, 33.33333333])
    close([a["civilian_attacks"][0.5][0], a["civilian_attacks"][2.0][0]], [66.66666667, 20])
    close([a["civilian_attacks"][0.5][-1], a["civilian_attacks"][2.0][-1]], [41.42135624, 66.66666667])
    # backfire: for σ < 1 lowering a_C raises C*; for σ > 1 it lowers it
    assert np.all(np.diff(a["civilian_attacks"][0.5]) < 0)
    assert np.all(np.diff(a["civilian_attacks"][2.0]) > 0)


def _at(curve, p):
    i = int(np.argmin(np.abs(curve["price_civilians"] - p)))
    assert abs(curve["price_civilians"][i] - p) < 1e-12
    return curve["civilian_attacks"][i]


def test_ab_backfire_giffen_panel():
    d = fab.data("ab-backfire")
    dem, comp, low = d["demand"], d["compensated_demand"], d["demand_M19"]
    close(dem["price_civilians"][[0, -1]], [0.8, 1.3])
    close([_at(dem, p) for p in (0.8, 1.0, 1.1, 1.3)], [7.380952381, 7.5, 7.564102564, 7.702702703])
    close([_at(comp, p) for p in (0.8, 1.0, 1.1, 1.3)], [7.560249818, 7.5, 7.468151582, 7.400623775])
    close([_at(low, p) for p in (0.8, 1.0, 1.3)], [7.5, 7.625, 7.837837838])
    # the interior closed form C = (β p_R − p_C − δM)/(γ p_R − 2δ p_C), written out here
    p = dem["price_civilians"]
    close(dem["civilian_attacks"], (9 - p - 0.1 * 20) / (1 - 0.2 * p))
    close(low["civilian_attacks"], (9 - p - 0.1 * 19) / (1 - 0.2 * p))
    assert np.all(np.diff(dem["civilian_attacks"]) > 0)  # Giffen: demand rises with the price
    assert np.all(np.diff(comp["civilian_attacks"]) < 0)  # the substitution effect never raises C
    assert np.all(low["civilian_attacks"] > dem["civilian_attacks"])  # inferior: fewer resources, more C
    mk, h = d["markers"], d["decomposition"]
    close(mk["E0"], (7.5, 1))
    close(mk["E1"], (7.564102564, 1.1))
    close(mk["E_prime"], (7.468151582, 1.1))
    close([h["substitution"], h["income"]], [-0.03184841771, 0.09595098181])
    close(d["compensated_target"], 42.5)
    assert d["valid"]
    assert d["regimes"] == {"demand": ["interior"], "compensated_demand": ["interior"], "demand_M19": ["interior"]}


# ---------------------------------------------------------------------- helpers
def test_isoquant_and_crossings_match_cobb_douglas():
    m = fab._model("cobb_douglas", price_civilians=1.7, resources=80.0)
    c = np.linspace(1.0, 200.0, 50)
    close(fab.isoquant(m, 40.0, c), 1600 / c)
    pts = fab.budget_crossings(m, 20.0)
    assert len(pts) == 2
    for cc, r in pts:
        close(np.sqrt(cc * r), 20)
        close(r, 80 - 1.7 * cc)


def test_data_unknown_id():
    with pytest.raises(KeyError, match="ab-optimum"):
        fab.data("ab-nope")


def test_parameter_table_latex():
    tex = fab.parameter_table("contest")
    assert tex.startswith("\\begin{array}")
    for name in ("support", "rebel", "decisiveness"):
        assert name in tex


def test_numbers_are_finite_and_named():
    from atrogame.figures import get

    for fid in fab.FIGURE_IDS:
        nums = get(fid).numbers()
        assert nums
        for v in nums.values():
            if isinstance(v, float):
                assert np.isfinite(v)


# ---------------------------------------------------------------------- rendering
PANELS = {"ab-optimum": 1, "ab-demand": 2, "ab-resource-policy": 2, "ab-productivity-policy": 3,
          "ab-price-policy": 2, "ab-backfire": 3}


@pytest.mark.parametrize("fid", fab.FIGURE_IDS)
def test_renders_with_agg(fid):
    import matplotlib

    from atrogame import figures

    assert matplotlib.get_backend().lower() == "agg"
    spec = figures.get(fid)
    assert spec.caption.startswith("After Anderton & Brauer; functional forms and numbers are atrogame's own.")
    assert spec.model == "anderton_brauer"
    fig = figures.make(fid)
    axes = fig.get_axes()
    assert len(axes) == PANELS[fid]
    xlabels = {ax.get_xlabel() for ax in axes}
    ylabels = {ax.get_ylabel() for ax in axes}
    if fid != "ab-backfire":
        assert "Attacks on civilians, C" in xlabels
    if fid in ("ab-optimum", "ab-resource-policy", "ab-productivity-policy", "ab-price-policy", "ab-demand"):
        assert "Attacks on rebels, R" in ylabels
        choice = [ax for ax in axes if ax.get_ylabel() == "Attacks on rebels, R"]
        if fid != "ab-demand":
            assert all(ax.get_xlim() == (0.0, 110.0) for ax in choice)
    if fid in ("ab-demand", "ab-resource-policy", "ab-productivity-policy", "ab-backfire"):
        assert "Price of attacking civilians, p_C" in ylabels
    fig.canvas.draw()  # every artist renders


def test_ab_optimum_labels_unattainable_and_choke():
    from atrogame import figures

    texts = [t.get_text() for ax in figures.make("ab-optimum").get_axes() for t in ax.texts]
    assert any("unattainable" in t for t in texts)
    ax_bottom = figures.make("ab-demand").get_axes()[1]
    assert any("choke price" in t.get_text() and "= 5" in t.get_text() for t in ax_bottom.texts)
    labels = ax_bottom.get_legend_handles_labels()[1]
    assert "Cobb–Douglas (no choke price)" in labels and "contest (choke price 5)" in labels
    ax_b = figures.make("ab-price-policy").get_axes()[0]
    assert any(t.get_text().startswith("substitution") for t in ax_b.texts)
    assert any(t.get_text().startswith("income") for t in ax_b.texts)


@pytest.mark.slow  # writes 12 files: about 15 s
def test_reproduce_ab_only(tmp_path):
    from atrogame import figures

    summary = figures.reproduce(tmp_path, ids=fab.FIGURE_IDS)
    text = summary.read_text(encoding="utf-8")
    for fid in fab.FIGURE_IDS:
        assert (tmp_path / f"{fid}.png").stat().st_size > 1000
        assert (tmp_path / f"{fid}.pdf").read_bytes().startswith(b"%PDF")
        assert figures.get(fid).caption in text
        assert f"## {fid}" in text
    assert "58.57864376" in text and "-14.64466094" in text
