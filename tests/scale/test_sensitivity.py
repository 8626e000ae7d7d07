"""Sensitivity analysis: analytic Sobol indices, variance shares, SALib equality, regimes, CLI."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from atrogame import ParameterError
from atrogame.cli import main
from atrogame.sensitivity import resolve_bounds, saltelli_design, sobol_indices
from atrogame.testing.models import Ishigami, Toy, analytic_indices

NAMES = ["x1", "x2", "x3"]


@pytest.fixture(scope="module")
def ishigami_sobol():
    return Ishigami().sensitivity("y", n=2**13, seed=3, second_order=True)


def test_ishigami_sobol_matches_analytic_indices(ishigami_sobol):
    df = ishigami_sobol.to_dataframe()
    exact = analytic_indices(7.0, 0.1)
    for p in NAMES:
        assert df.loc[p, "S1"] == pytest.approx(exact["S1"][p], abs=0.02)
        assert df.loc[p, "ST"] == pytest.approx(exact["ST"][p], abs=0.02)
        assert 0 < df.loc[p, "ST_conf"] < 0.05
    s2 = ishigami_sobol.to_dataframe(second_order=True)["S2"]
    assert s2[("x1", "x3")] == pytest.approx(exact["ST"]["x3"], abs=0.03)  # the only interaction
    assert abs(s2[("x1", "x2")]) < 0.03 and abs(s2[("x2", "x3")]) < 0.03
    assert ishigami_sobol.n_evaluations == 2**13 * 8


def test_analytic_ishigami_values_from_the_literature():
    exact = analytic_indices()
    assert [round(exact["S1"][p], 4) for p in NAMES] == [0.3139, 0.4424, 0.0]
    assert [round(exact["ST"][p], 4) for p in NAMES] == [0.5576, 0.4424, 0.2437]


@pytest.mark.parametrize("outcome_bounds", [
    ("linear", None, {"x1": 1 / 14, "x2": 4 / 14, "x3": 9 / 14}),
    ("x", {"benefit": (3.0, 5.0), "threshold": (0.0, 1.0)}, {"benefit": 0.8, "threshold": 0.2}),
])
def test_linear_outcome_first_order_equals_variance_shares(outcome_bounds):
    outcome, bounds, shares = outcome_bounds
    model = Ishigami() if outcome == "linear" else Toy()
    si = model.sensitivity(outcome, bounds=bounds, n=2**12, seed=0, second_order=False)
    for p, share in shares.items():
        assert si["S1"][p] == pytest.approx(share, abs=0.01)
        assert si["ST"][p] == pytest.approx(share, abs=0.01)  # additive: no interactions


def test_fast_sobol_equals_salib():
    from SALib.analyze import sobol as salib_sobol
    from SALib.sample import sobol as salib_sample

    problem = {"num_vars": 3, "names": NAMES, "bounds": [[-np.pi, np.pi], [-1.0, 2.0], [0.0, 3.0]]}
    for second in (True, False):
        X = salib_sample.sample(problem, 128, calc_second_order=second, seed=4)
        np.testing.assert_array_equal(saltelli_design(problem, 128, second, 4), X)
        Y = Ishigami().evaluate(X, NAMES, "y")
        ref = salib_sobol.analyze(problem, Y, calc_second_order=second, seed=8)
        ours = sobol_indices(Y, 3, second, 100, 0.95, 8)
        for k, v in ours.items():
            np.testing.assert_allclose(v, np.asarray(ref[k]), rtol=1e-10, atol=1e-12, err_msg=k)


def test_morris_and_delta_rank_the_inputs():
    mo = Ishigami().sensitivity("linear", method="morris", n=30, seed=1)
    assert [round(mo["mu_star"][p], 6) for p in NAMES] == pytest.approx([2 * np.pi, 4 * np.pi, 6 * np.pi])
    de = Ishigami().sensitivity("linear", method="delta", n=600, seed=1, num_resamples=5)
    d = de["delta"]
    assert d["x3"] > d["x2"] > d["x1"] > 0
    assert de["S1"]["x3"] == pytest.approx(9 / 14, abs=0.1)
    assert set(de.to_dataframe().columns) == {"delta", "delta_conf", "S1", "S1_conf"}


def test_regime_shares_and_restrictions():
    bounds = {"benefit": (0.1, 5.0), "threshold": (0.0, 5.0)}
    si = Toy().sensitivity("x", bounds=bounds, n=2**11, seed=2, second_order=False)
    assert si.regime_shares["corner"] == pytest.approx(0.49, abs=0.01)  # P(t >= b) = 4.9²/2 / 24.5
    assert sum(si.regime_shares.values()) == pytest.approx(1.0)
    # Sobol in a regime = Sobol of the outcome times the regime indicator, on the same design.
    inside = Toy().sensitivity("x", bounds=bounds, n=2**11, seed=2, second_order=False, regime="interior")
    X = saltelli_design({"num_vars": 2, "names": list(bounds), "bounds": list(bounds.values())}, 2**11, False,
                        si.seed)
    y, reg = Toy().evaluate(X, list(bounds), ["x", "regime"]).T
    ref = sobol_indices(np.where(reg == 1, y, 0.0), 2, False, 100, 0.95, si.seed + 1)
    np.testing.assert_allclose(inside.indices["ST"], ref["ST"])
    assert inside.n_retained == int((reg == 1).sum()) and "indicator" in inside.conditioning
    # Morris keeps only trajectories that stay inside; delta uses the evaluations inside.
    mo = Toy().sensitivity("x", method="morris", bounds=bounds, n=40, seed=2, regime="interior")
    assert 2 <= mo.n_retained < 40 and mo["mu_star"]["benefit"] == pytest.approx(4.9, rel=1e-9)
    de = Toy().sensitivity("x", method="delta", bounds=bounds, n=300, seed=2, regime="interior", num_resamples=3)
    assert de.n_retained == pytest.approx(0.51 * 300, abs=40) and de["delta"]["benefit"] > 0
    assert "Restricted to regime 'interior'" in de.summary()
    flat = Toy().sensitivity("x", method="delta", bounds=bounds, n=300, seed=2, regime="corner", num_resamples=3)
    assert flat["delta"] == {"benefit": 0.0, "threshold": 0.0}  # x = 0 throughout the corner
    with pytest.raises(KeyError, match="unknown regime"):
        Toy().sensitivity("x", regime="nowhere")


def test_result_object(ishigami_sobol):
    si = ishigami_sobol
    with pytest.raises(dataclasses.FrozenInstanceError):
        si.method = "morris"
    r = repr(si)
    assert "\n" not in r and r.startswith("<SensitivityResult sobol of y") and "x1=0.55" in r
    assert "Regime shares: negative" in si.summary()
    ax = si.plot()
    assert len(ax.patches) == 2 * 3 and ax.get_yticklabels()[-1].get_text() == "x1"  # largest ST on top
    errs = [c for c in ax.containers if hasattr(c, "has_xerr")]
    assert len(errs) == 2 and all(c.has_xerr for c in errs)
    assert si.to_dict()["indices"]["ST"] == list(si.indices["ST"])


def test_reproducible_and_seed_dependent():
    a = Ishigami().sensitivity("y", n=256, seed=5, second_order=False)
    b = Ishigami().sensitivity("y", n=256, seed=5, second_order=False)
    c = Ishigami().sensitivity("y", n=256, seed=6, second_order=False)
    assert a.indices == b.indices and a.indices != c.indices


def test_bounds_resolution():
    assert resolve_bounds(Ishigami()) == dict.fromkeys(NAMES, (-np.pi, np.pi))  # a, b are constants
    lo, hi = resolve_bounds(Toy(), {"curvature": (0.0, 2.0)})["curvature"]
    assert 0 < lo < 1e-8 and hi == 2.0  # an open end is moved inside the domain
    with pytest.raises(ParameterError, match="threshold must be in"):
        resolve_bounds(Toy(), {"threshold": (-2.0, 1.0)})
    with pytest.raises(TypeError, match="unknown parameter"):
        resolve_bounds(Toy(), {"bogus": (0, 1)})
    with pytest.raises(ValueError, match="low < high"):
        resolve_bounds(Toy(), {"benefit": (2.0, 1.0)})
    si = Toy(curvature=2.0).sensitivity("x", bounds=["benefit"], n=64, seed=0, second_order=False)
    assert si.parameters == ("benefit",) and si.bounds["benefit"] == (0.1, 5.0)


def test_chunked_evaluation_gives_the_same_indices():
    a = Ishigami().sensitivity("y", n=512, seed=1, second_order=False)
    b = Ishigami().sensitivity("y", n=512, seed=1, second_order=False, chunks=1000)
    assert a.indices == b.indices and a.regime_shares == b.regime_shares


def test_cli_sensitivity(tmp_path, capsys):
    out = tmp_path / "si.csv"
    code = main(["sensitivity", "atrogame.testing.models:Ishigami", "--outcome", "y", "--n", "256", "--seed", "1",
                 "--bounds", "x1=-3.14:3.14", "--bounds", "x2", "--set", "a=5", "--out", str(out)])
    assert code == 0
    text = capsys.readouterr().out
    assert "Sensitivity of y (ishigami), method sobol" in text and f"wrote {out}" in text
    lines = out.read_text().splitlines()
    assert "# parameters: {\"x3\": 0.0, \"a\": 5.0, \"b\": 0.1}" in lines
    assert lines[lines.index(next(ln for ln in lines if not ln.startswith("#")))] == "parameter,S1,S1_conf,ST,ST_conf"
    assert main(["sensitivity", "atrogame.testing.models:Ishigami", "--outcome", "y", "--bounds", "x1=oops"]) == 2
    assert main(["sensitivity", "atrogame.testing.models:Ishigami", "--outcome", "nope", "--n", "8"]) == 1
    assert "unknown outcome" in capsys.readouterr().err
    assert main(["sensitivity", "atrogame.testing.models:Toy", "--outcome", "x", "--method", "morris",
                 "--n", "10", "--seed", "0", "--json"]) == 0
    assert '"mu_star"' in capsys.readouterr().out
