"""Tests of the Fearon and mobilisation figures: the numbers behind them, never pixels."""

from __future__ import annotations

import numpy as np
import pytest

import atrogame.figures.games as games
from atrogame.figures import FIGURES
from atrogame.models.fearon import Fearon
from atrogame.models.mobilisation import ROLES, Mobilisation

IDS = ("fearon-bargaining-range", "fearon-pwar", "mob-simplex")


def test_figures_are_registered_with_model_prefixes_and_attribution():
    for fid in IDS:
        spec = FIGURES[fid]
        assert spec.model in ("fearon", "mobilisation")
        assert fid.startswith("fearon-" if spec.model == "fearon" else "mob-")
        assert ("after Fearon (1995)" in spec.caption) or ("after Anderton 2010" in spec.caption)
        assert "atrogame's" in spec.caption
        assert spec.data is not None and spec.numbers is not None


@pytest.mark.parametrize("fid", IDS)
def test_figures_render_with_agg(fid, tmp_path):
    import matplotlib.figure

    fig = FIGURES[fid].make()
    assert isinstance(fig, matplotlib.figure.Figure) and fig.axes
    fig.savefig(tmp_path / f"{fid}.png", dpi=40)
    assert (tmp_path / f"{fid}.png").stat().st_size > 0
    nums = FIGURES[fid].numbers()
    assert nums and all(v is not None for v in nums.values())


def test_bargaining_range_numbers():
    d = games.data("fearon-bargaining-range")
    risky, safe = d["risky"], d["safe"]
    p, cA, a, b = 0.5, 0.1, 0.05, 0.45
    assert risky["regime"] == "risky_offer" and safe["regime"] == "safe_offer"
    assert risky["a_reservation"] == pytest.approx(p - cA)
    assert risky["b_accepts_all_types"] == pytest.approx(p + a)
    assert risky["b_accepts_highest_type"] == pytest.approx(p + b)
    assert risky["offer"] == pytest.approx(p + (b - cA) / 2) and risky["p_war"] == pytest.approx(0.3125)
    assert safe["offer"] == pytest.approx(p + a) and safe["p_war"] == 0.0
    assert safe["cost_a"] == games.SAFE_COST_A
    # the optimal demand always lies in the range [p + a, p + b]
    for v in d.values():
        assert v["b_accepts_all_types"] - 1e-12 <= v["offer"] <= v["b_accepts_highest_type"]


def test_pwar_curves_slope_kink_and_ordering():
    d = games.data("fearon-pwar")
    ca, pw, a = d["cost_a"], d["p_war"], d["cost_b_low"]
    assert pw.shape == (len(d["cost_b_high"]), len(ca))
    for b, row, kink in zip(d["cost_b_high"], pw, d["kink_cost_a"], strict=True):
        assert kink == pytest.approx(b - 2 * a)
        before, after = ca < kink - 1e-9, ca > kink + 1e-9
        slope = np.diff(row[before]) / np.diff(ca[before])
        assert np.allclose(slope, -1 / (2 * (b - a)))
        assert (row[after] == 0).all()
    # more uncertainty about B's resolve (higher b) means more war at every c_A
    assert (np.diff(pw, axis=0) >= -1e-15).all() and (np.diff(pw, axis=0)[:, 0] > 0).all()
    # the curves are the model's closed form
    m = Fearon()
    assert pw[1, 10] == pytest.approx(m.with_params(cost_a=float(ca[10]), cost_b_high=0.45).solve().p_war)


def test_simplex_numbers():
    d = games.data("mob-simplex")
    assert d["tipping_threshold"] == pytest.approx(0.7 / 2.2)
    assert d["test_starts_basin"] == ("resisters", "supporters")
    assert d["regime"] == "bistable"
    shares = d["basin_shares"]
    assert sum(shares.values()) == pytest.approx(1.0)
    assert shares["unresolved"] < 0.01 and shares["supporters"] > 0.3 and shares["resisters"] > 0.3
    pts, lab = d["basin_points"], d["basin_labels"]
    # on the supporter–resister edge the lattice splits exactly at the threshold
    edge = pts[:, 1] == 0
    s_edge, l_edge = pts[edge, 0], lab[edge]
    assert (l_edge[(s_edge > d["tipping_threshold"]) & (s_edge > 0)] == ROLES.index("supporters")).all()
    assert (l_edge[(s_edge < d["tipping_threshold"]) & (s_edge < 1)] == ROLES.index("resisters")).all()
    # the rest points drawn are the model's, stable ones at the S and R vertices
    stable = [rp["name"] for rp in d["rest_points"] if rp["kind"] == "sink"]
    assert stable == ["supporters", "resisters"]
    assert d["rest_points"] == Mobilisation().rest_points()


def test_barycentric_round_trip(rng):
    x = rng.dirichlet([1, 1, 1], size=20)
    assert np.allclose(games.to_barycentric(games.to_cartesian(x)), x)


def test_unknown_figure_data_raises_key_error():
    with pytest.raises(KeyError, match="mob-simplex"):
        games.data("mob-simplx")
