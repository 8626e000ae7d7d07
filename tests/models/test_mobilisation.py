"""Tests of the supporters–bystanders–resisters mobilisation game (atrogame's payoffs, after Anderton 2010)."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
import sympy as sp

import atrogame as ag
from atrogame import ParameterError
from atrogame.cli import main
from atrogame.models.mobilisation import (
    PREVENTION_LEVERS,
    REGIMES,
    ROLES,
    Mobilisation,
    MobilisationParams,
    _derive,
    classify_endpoints,
    integrate_replicator,
    simplex_lattice,
)

NAMES = MobilisationParams.names()
#: The brief's test values: v − c = −0.2, γ = 1, φ_B = 0.5, φ_R = 1, m = 0.3, μ = 0.2.
TEST_VALUES = {"perpetrator_value": 0.3, "participation_cost": 0.5, "bandwagon": 1.0, "bystander_risk": 0.5,
               "resister_risk": 1.0, "resistance_value": 0.3, "solidarity": 0.2}


def random_points(rng: np.random.Generator, n: int) -> np.ndarray:
    """Random valid parameter points (columns in NAMES order), negative m included."""
    return np.column_stack([
        rng.uniform(0, 1.5, n), rng.uniform(0, 1.5, n), rng.uniform(0.05, 2, n), rng.uniform(0, 1.5, n),
        rng.uniform(0, 2, n), rng.uniform(-0.5, 1, n), rng.uniform(0, 1.5, n),
    ])


def model_at(row: np.ndarray) -> Mobilisation:
    return Mobilisation(**{k: float(v) for k, v in zip(NAMES, row, strict=True)})


# ---------------------------------------------------------------------- the brief's named test values
def test_defaults_are_the_test_values():
    assert Mobilisation().parameter_values() == TEST_VALUES


def test_start_quarter_quarter_half_converges_to_all_resisters():
    assert Mobilisation(**TEST_VALUES).basin_of([0.25, 0.25, 0.5]).tolist() == ["resisters"]


def test_start_035_015_05_converges_to_all_supporters():
    assert Mobilisation(**TEST_VALUES).basin_of([0.35, 0.15, 0.5]).tolist() == ["supporters"]


def test_tipping_threshold_is_seven_over_twenty_two():
    eq = Mobilisation(**TEST_VALUES).solve()
    assert eq.tipping_threshold == pytest.approx(0.7 / 2.2, abs=1e-15)
    assert eq.regime == "bistable" and eq.info["stable_vertices"] == ("supporters", "resisters")


def test_threshold_separates_outcomes_on_the_supporter_resister_edge():
    m = Mobilisation()
    sbar = 0.7 / 2.2
    starts = [[sbar - 0.01, 0.0, 1 - sbar + 0.01], [sbar + 0.01, 0.0, 1 - sbar - 0.01]]
    assert m.basin_of(starts).tolist() == ["resisters", "supporters"]
    # the edge rest point is exactly where supporters and resisters earn the same
    A = m.payoff_matrix()
    x = np.array([sbar, 0.0, 1 - sbar])
    assert (A @ x)[0] == pytest.approx((A @ x)[2], abs=1e-14)


# ---------------------------------------------------------------------- dynamics against nashpy
@pytest.mark.parametrize("start", [(0.25, 0.25, 0.5), (0.35, 0.15, 0.5), (0.1, 0.8, 0.1)])
def test_rk4_matches_nashpy_replicator_dynamics(start):
    m = Mobilisation()
    times, traj = m.trajectory(start, t_max=30.0, dt=0.01, record_every=100)
    ref = m.game().replicator_dynamics(y0=np.array(start), timepoints=times)
    assert np.allclose(traj, ref, atol=1e-5)


def test_integrator_is_vectorised_and_stays_on_the_simplex(rng):
    A = Mobilisation().payoff_matrix()
    starts = rng.dirichlet([1, 1, 1], size=50)
    many = integrate_replicator(A, starts, t_max=20.0, tol=None)
    one = np.stack([integrate_replicator(A, s[None, :], t_max=20.0, tol=None)[0] for s in starts[:5]])
    assert np.allclose(many[:5], one, atol=1e-14)
    assert np.allclose(many.sum(axis=1), 1.0) and (many >= 0).all()


def test_classify_endpoints():
    assert classify_endpoints([[0.0, 0.0, 1.0], [0.2, 0.3, 0.5], [0.9995, 0.0005, 0.0]]).tolist() == [2, -1, 0]


# ---------------------------------------------------------------------- rest points and stability
def test_rest_points_at_test_values():
    rps = {rp["name"]: rp for rp in Mobilisation().rest_points()}
    assert set(rps) == {"supporters", "bystanders", "resisters", "supporters-bystanders", "supporters-resisters"}
    assert rps["supporters-resisters"]["point"] == pytest.approx((0.7 / 2.2, 0.0, 1.5 / 2.2))
    assert rps["supporters-bystanders"]["point"] == pytest.approx((0.2 / 1.5, 1.3 / 1.5, 0.0))
    assert [rps[k]["kind"] for k in ("supporters", "bystanders", "resisters", "supporters-resisters")] == [
        "sink", "saddle", "sink", "saddle"]
    # eigenvalues at the vertices are the invasion advantages of the other roles
    assert sorted(rps["supporters"]["eigenvalues"]) == pytest.approx(sorted([-0.5 - 0.8, -0.7 - 0.8]))
    assert sorted(rps["bystanders"]["eigenvalues"]) == pytest.approx(sorted([-0.2, 0.3]))
    assert sorted(rps["resisters"]["eigenvalues"]) == pytest.approx(sorted([-0.2 - 0.5, 0.0 - 0.5]))


def test_rest_points_are_rest_points_and_vertex_eigenvalues_match_kernel(rng):
    X = random_points(rng, 60)
    res = Mobilisation().evaluate(X, NAMES, ["eig_supporters", "eig_bystanders", "eig_resisters", "regime"])
    for i, row in enumerate(X):
        m = model_at(row)
        rps = m.rest_points()
        for rp in rps:
            assert np.allclose(m.replicator_field(np.array(rp["point"])), 0.0, atol=1e-12), rp
        by = {rp["name"]: rp for rp in rps}
        for j, role in enumerate(ROLES):
            assert max(np.real(by[role]["eigenvalues"])) == pytest.approx(res[i, j], abs=1e-12)
        stable = {rp["name"] for rp in rps if rp["kind"] == "sink" and rp["name"] in ROLES}
        code = sum(1 << j for j, role in enumerate(ROLES) if role in stable)
        assert REGIMES[int(res[i, 3])] == REGIMES[code]


def test_interior_rest_point_is_found_and_checked():
    # every role earns the same at an interior point: build one with a solved m
    m = Mobilisation(perpetrator_value=0.3, participation_cost=0.5, bandwagon=1.0, bystander_risk=0.5,
                     resister_risk=2.0, resistance_value=0.0, solidarity=1.0)
    interior = [rp for rp in m.rest_points() if rp["name"] == "interior"]
    assert len(interior) == 1
    x = np.array(interior[0]["point"])
    assert (x > 0).all() and x.sum() == pytest.approx(1.0)
    pay = m.payoff_matrix() @ x
    assert np.ptp(pay) < 1e-12
    # Jacobian against a central difference of the field in the (s, r) chart
    J = m.jacobian(x[0], x[2])
    h = 1e-6

    def f(s, r):
        v = m.replicator_field(np.array([s, 1 - s - r, r]))
        return np.array([v[0], v[2]])

    num = np.column_stack([(f(x[0] + h, x[2]) - f(x[0] - h, x[2])) / (2 * h),
                           (f(x[0], x[2] + h) - f(x[0], x[2] - h)) / (2 * h)])
    assert np.allclose(J, num, atol=1e-7)


def test_some_vertex_is_always_stable_off_knife_edges(rng):
    """With γ > 0 and φ_B, φ_R, μ ≥ 0 every role reinforces itself, so no invasion cycle exists."""
    X = random_points(rng, 20000)
    codes = Mobilisation().evaluate(X, NAMES, "regime")
    assert (codes > 0).all()
    assert {REGIMES[c] for c in np.unique(codes).astype(int)} >= {"bistable", "genocide_dominant",
                                                                   "resistance_dominant"}


def test_basins_only_reach_stable_vertices(rng):
    X = random_points(rng, 8)
    for row in X:
        m = model_at(row)
        stable = set(m.solve().info["stable_vertices"])
        b = m.basins(n=12)
        reached = {ROLES[i] for i in np.unique(b.labels) if i >= 0}
        assert reached <= stable, (m, reached, stable)
        assert sum(b.shares.values()) == pytest.approx(1.0)


def test_simplex_lattice():
    pts = simplex_lattice(10)
    assert len(pts) == 66 and np.allclose(pts.sum(axis=1), 1.0)
    assert len(simplex_lattice(10, interior=True)) == 36


# ---------------------------------------------------------------------- closed form, symbolic, vectorised
def test_kernel_equals_symbolic_threshold_and_is_vectorised(rng):
    X = random_points(rng, 500)
    out = Mobilisation().evaluate(X, NAMES, ["tipping_threshold", "bystander_threshold"])
    assert np.isfinite(out).all() and ((out >= 0) & (out <= 1)).all()
    syms = [MobilisationParams.symbols()[k] for k in NAMES]
    tip = sp.lambdify(syms, _derive()["tipping_threshold"], "numpy")(*X.T)
    sb = sp.lambdify(syms, _derive()["bystander_threshold"], "numpy")(*X.T)
    assert np.allclose(out[:, 0], np.clip(tip, 0, 1)) and np.allclose(out[:, 1], np.clip(sb, 0, 1))
    for i in (0, 17, 123):
        eq = model_at(X[i]).solve()
        assert [eq.tipping_threshold, eq.bystander_threshold] == pytest.approx(out[i].tolist(), abs=1e-15)


def test_sweep_dims_and_regime_flags():
    ds = Mobilisation().sweep(resister_risk=np.linspace(0, 3, 7), perpetrator_value=[0.0, 0.3, 1.5])
    assert ds["tipping_threshold"].dims == ("resister_risk", "perpetrator_value")
    assert ds["regime"].attrs["flag_meanings"].split() == list(REGIMES)
    assert ds.attrs["citation"] == "after Anderton (2010)"


# ---------------------------------------------------------------------- prevention levers
@pytest.mark.parametrize(("lever", "parameter", "deriv_sign"), [
    ("lower_perpetrator_value", "perpetrator_value", "negative"),
    ("raise_participation_cost", "participation_cost", "positive"),
    ("protect_resisters", "resister_risk", "negative"),
    ("support_resistance", "resistance_value", "positive"),
    ("build_solidarity", "solidarity", "positive"),
])
def test_prevention_levers_raise_the_tipping_threshold(lever, parameter, deriv_sign, rng):
    assert PREVENTION_LEVERS[lever][0] == parameter
    X = random_points(rng, 400)
    codes = Mobilisation().evaluate(X, NAMES, "tipping_threshold")
    inside = X[(codes > 0.02) & (codes < 0.98)][:15]
    assert len(inside) == 15
    for row in inside:
        m = model_at(row)
        e = m.comparative_statics(wrt=parameter, of="tipping_threshold")
        assert e.sign == deriv_sign
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            fd, _ = m.finite_difference("tipping_threshold", parameter)
        assert fd == pytest.approx(e.value, rel=1e-5, abs=1e-9)
        assert np.sign(fd) == {"positive": 1, "negative": -1}[deriv_sign]
    df = Mobilisation().lever_effects()
    assert df.loc[lever, "effect_sign"] == "positive" and df.loc[lever, "effect"] > 0


def test_threshold_derivatives_match_closed_forms():
    cs = Mobilisation().comparative_statics(of="tipping_threshold")
    D = 1 + 1 + 0.2
    assert cs["perpetrator_value"].value == pytest.approx(-1 / D)
    assert cs["participation_cost"].value == pytest.approx(1 / D)
    assert cs["resistance_value"].value == pytest.approx(1 / D)
    assert cs["resister_risk"].value == pytest.approx(-0.7 / D**2)
    assert cs["bystander_risk"].sign == "zero"


def test_signs_match_finite_differences_for_every_outcome(rng):
    X = random_points(rng, 25)
    checked = 0
    for row in X:
        m = model_at(row)
        if any(m.at_boundary(w, rel_step=1e-4) for w in NAMES):
            continue
        for e in m.comparative_statics(of=list(m.outcome_names)):
            if e.sign == "ambiguous":
                continue
            fd, crosses = m.finite_difference(e.outcome, e.wrt, rel_step=1e-5)
            assert not crosses
            assert fd == pytest.approx(e.value, abs=1e-6)
            ok = {"positive": fd > 0, "negative": fd < 0, "zero": abs(fd) < 1e-9}[e.sign]
            assert ok, (e.outcome, e.wrt, e.sign, fd)
            checked += 1
    assert checked > 80


# ---------------------------------------------------------------------- validation, CLI, docs
@pytest.mark.parametrize(("name", "value"), [("bandwagon", 0.0), ("bystander_risk", -0.1), ("resister_risk", -1.0),
                                             ("solidarity", -0.5), ("perpetrator_value", float("inf"))])
def test_invalid_values_raise_parameter_error(name, value):
    with pytest.raises(ParameterError, match=name):
        Mobilisation(**{name: value})


def test_resistance_value_may_be_negative():
    eq = Mobilisation(resistance_value=-0.4, solidarity=0.1).solve()
    assert eq.regime == "genocide_or_passive"  # resisting never pays: supporters or passivity
    assert eq.tipping_threshold == 0.0


def test_derivation_renders():
    d = Mobilisation.derivation()
    assert "varphi_R" in d.latex("tipping_threshold")
    assert d["payoff_matrix"].shape == (3, 3)
    assert sp.simplify(d["dtipping_dresistance_value"] - 1 / sum(
        MobilisationParams.symbols()[k] for k in ("bandwagon", "resister_risk", "solidarity"))) == 0


def test_lazy_export():
    assert ag.Mobilisation is Mobilisation


def test_cli_solve_statics_sweep_describe(capsys):
    assert main(["solve", "mobilisation", "--json"]) == 0
    out = capsys.readouterr().out
    assert '"regime": "bistable"' in out and "0.318181818" in out
    assert main(["statics", "mobilisation", "--wrt", "resister_risk", "--of", "tipping_threshold"]) == 0
    assert "negative" in capsys.readouterr().out
    assert main(["sweep", "mobilisation", "--grid", "resistance_value=-0.5:1:4"]) == 0
    assert "tipping_threshold" in capsys.readouterr().out
    assert main(["describe", "mobilisation"]) == 0
    assert "resister_risk" in capsys.readouterr().out
    assert main(["solve", "mobilisation", "--set", "bandwagon=-1"]) == 1
    assert "bandwagon must be in (0, inf)" in capsys.readouterr().err
