"""Lenient input, joint constraints, default ranges and the full valid domain (robustness, items 5, 7, 8).

Before the fix: strings and booleans were accepted as parameters (``KyddStraus(rebel_strength="0.5")``,
``Fearon(win_prob_a=True)``, ``sweep(x=np.array([True]))``, string payoffs in games); ``net_assessment``
took negative or NaN costs and ignored a misspelt tool; ``AndertonBrauer(technology="quadratic",
interaction=1.0)`` blamed ``civilian_saturation``, which the user never set; and the default
sensitivity analysis of the quadratic technology failed because its default box broke the joint rule.
"""

from __future__ import annotations

import itertools
import pickle

import numpy as np
import pytest

import atrogame as ag
from atrogame import tools as T
from atrogame.core.errors import ParameterError
from atrogame.core.registry import model_ids
from atrogame.solvers import NormalFormGame
from atrogame.testing import random_points

AB_TECHS = ("cobb_douglas", "ces", "contest", "quadratic", "quasi_linear", "linear")


def _instances():
    """A default instance of every registered model, every Anderton–Brauer technology and objective."""
    out = []
    for mid in model_ids():
        cls = ag.get_model(mid)
        if mid == "anderton_brauer":
            for tech in AB_TECHS:
                out.append((f"ab-{tech}", cls(technology=tech)))
                target = 0.5 if tech == "contest" else 20.0
                out.append((f"ab-{tech}-min_cost", cls(technology=tech, objective="min_cost", control_target=target)))
        else:
            out.append((mid, cls()))
    return out


INSTANCES = _instances()
IDS = [k for k, _ in INSTANCES]


# ------------------------------------------------------------------ real numbers only
NOT_REAL = ["0.5", True, np.True_, 1 + 0j, None, [0.5]]


@pytest.mark.parametrize(("key", "model"), INSTANCES, ids=IDS)
def test_every_parameter_refuses_strings_booleans_and_complex(key, model):
    for name in model.parameter_values():
        for bad in NOT_REAL:
            with pytest.raises(ParameterError, match=name) as info:
                model.with_params(**{name: bad})
            assert "real number" in str(info.value)


def test_real_scalars_of_every_kind_are_accepted():
    from fractions import Fraction

    for v in (0.5, np.float32(0.5), np.float64(0.5), np.array(0.5), Fraction(1, 2)):
        assert ag.KyddStraus(rebel_strength=v).params.rebel_strength == 0.5
    assert ag.Fearon(cost_a=np.int64(1)).params.cost_a == 1.0


@pytest.mark.parametrize("bad", [np.array([True, False]), ["0.3"], [0.2, "0.3"], np.array([0.2 + 0j]),
                                 np.array(["a"], dtype=object)])
def test_sweeps_refuse_non_real_arrays(bad):
    with pytest.raises(ParameterError, match=r"rebel_strength.*real number"):
        ag.KyddStraus().sweep(rebel_strength=bad)


def test_sweeps_accept_integer_and_float32_arrays():
    a = ag.Fearon().sweep(cost_a=np.array([1, 2], dtype=np.int64))
    b = ag.Fearon().sweep(cost_a=np.array([1.0, 2.0], dtype=np.float32))
    assert np.array_equal(a["p_war"].values, b["p_war"].values)


def test_an_empty_sweep_is_an_error_naming_the_parameter():
    with pytest.raises(ValueError, match="rebel_strength"):
        ag.KyddStraus().sweep(rebel_strength=np.array([]))


@pytest.mark.parametrize("bad", [[["1", "0"], ["0", "1"]], [[True, False], [False, True]], [[1j, 0], [0, 1]],
                                 np.array([[True, False], [False, True]])])
def test_games_refuse_non_real_payoffs(bad):
    with pytest.raises(ParameterError, match="A must be in 2-D arrays of real numbers"):
        NormalFormGame(bad, [[1, 0], [0, 1]])
    with pytest.raises(ParameterError, match="B must be"):
        NormalFormGame([[1, 0], [0, 1]], bad)


def test_games_still_take_numbers_and_sympy_symbols():
    import sympy as sp

    a = sp.Symbol("a", real=True)
    assert NormalFormGame([[a, 0], [0, 1]], [[1, 0], [0, 1]]).parameters == (a,)
    assert len(NormalFormGame(np.eye(2), np.eye(2)).equilibria()) == 3


# ------------------------------------------------------------------ net assessment inputs
@pytest.mark.parametrize(("cost", "match"), [
    ({"mediation": -1.0}, r"cost\['mediation'\] must be in \[0, inf\)"),
    ({"mediation": float("nan")}, r"cost\['mediation'\]"),
    ({"mediation": float("inf")}, r"cost\['mediation'\]"),
    ({"mediation": "2"}, r"cost\['mediation'\]"),
    ({"mediaton": 1.0}, "did you mean 'mediation'"),
    ({"arms_embargo": 1.0}, "keys among the assessed tools"),
])
def test_net_assessment_checks_costs(cost, match):
    with pytest.raises(ParameterError, match=match):
        T.net_assessment(["mediation"], ag.KyddStraus(), cost=cost)


def test_net_assessment_uses_a_valid_cost_and_checks_intensity():
    t = T.net_assessment(["mediation"], ag.KyddStraus(), cost={"mediation": 2.0}).to_dataframe()
    base = T.net_assessment(["mediation"], ag.KyddStraus()).to_dataframe()
    assert t["cost"].iloc[0] - base["cost"].iloc[0] == pytest.approx(2.0 - T.get("mediation").cost)
    with pytest.raises(ParameterError, match="intensity"):
        T.net_assessment(["mediation"], ag.KyddStraus(), intensity=float("nan"))


# ------------------------------------------------------------------ joint rules name what the user set
@pytest.mark.parametrize(("given", "domain"), [
    ({"interaction": 1.0}, r"interaction must be in \[0, 0.5\); got 1.0"),
    ({"price_civilians": 10.0}, r"price_civilians must be in \(0, 5\); got 10.0"),
    ({"price_rebels": 0.1}, r"price_rebels must be in \(0.2, inf\); got 0.1"),
    ({"civilian_saturation": 0.1}, r"civilian_saturation must be in \(0.2, inf\); got 0.1"),
])
def test_quadratic_joint_rule_names_the_parameter_the_user_set(given, domain):
    with pytest.raises(ParameterError, match=domain):
        ag.AndertonBrauer(technology="quadratic", **given)


def test_quadratic_joint_rule_in_a_sweep_names_the_swept_parameter():
    with pytest.raises(ParameterError, match=r"interaction must be in \[0, 0.5\).*3 of 5 points invalid"):
        ag.AndertonBrauer(technology="quadratic").sweep(interaction=np.linspace(0, 1, 5))


def test_the_restated_error_still_pickles_and_keeps_the_others():
    try:
        ag.AndertonBrauer(technology="quadratic", interaction=1.0)
    except ParameterError as exc:
        back = pickle.loads(pickle.dumps(exc))
        assert str(back) == str(exc) and "civilian_saturation" in back.alternatives


# ------------------------------------------------------------------ default ranges respect joint rules
def test_quadratic_default_box_lies_in_the_valid_region():
    """Every corner of the quadratic's sweep-range box and 2e5 random points inside it are valid."""
    from atrogame.models.anderton_brauer import families as fam

    P = fam.QuadraticParams
    names = ["civilian_value", "civilian_saturation", "interaction", "resources", "price_rebels", "price_civilians"]
    box = {n: P.meta(n)["sweep_range"] for n in names}
    corners = np.array(list(itertools.product(*box.values())))
    rng = np.random.default_rng(5)
    inside = np.column_stack([rng.uniform(lo, hi, 200_000) for lo, hi in box.values()])
    pts = np.vstack([corners, inside])
    P.check_joint_arrays({n: pts[:, i] for i, n in enumerate(names)})  # raises if any point is invalid


@pytest.mark.parametrize(("key", "model"), INSTANCES, ids=IDS)
def test_default_sensitivity_and_sample_run(key, model):
    out = model.headline_outcomes()[0]
    res = model.sensitivity(out, n=32, seed=0)
    s1 = res.to_dataframe().get("S1")
    assert s1 is None or np.isfinite(s1.to_numpy()).any()
    names = list(model.sensitivity_parameters())
    ds = model.sample(names, n=64, seed=1)
    assert ds.sizes["sample"] == 64


# ------------------------------------------------------------------ the full valid domain
def _finite_or_refused(model, X, names, outs, depth=0):
    """Evaluate rows of X; where the model refuses a block (ParameterError) split it and recurse."""
    try:
        vals = model.evaluate(X, names, outs)
    except ParameterError:
        if len(X) == 1:
            return 0, 1
        h = len(X) // 2
        a = _finite_or_refused(model, X[:h], names, outs, depth + 1)
        b = _finite_or_refused(model, X[h:], names, outs, depth + 1)
        return a[0] + b[0], a[1] + b[1]
    vals = np.asarray(vals, dtype=float).reshape(len(X), len(outs))
    bad = ~np.isfinite(vals)
    assert not bad.any(), (
        f"{model.name}: silent non-finite {[outs[j] for j in np.flatnonzero(bad.any(axis=0))]} at "
        f"{dict(zip(names, X[np.flatnonzero(bad.any(axis=1))[0]], strict=True))}")
    return len(X), 0


@pytest.mark.slow
@pytest.mark.parametrize(("key", "model"), INSTANCES, ids=IDS)
def test_full_valid_domain_gives_no_silent_non_finite_value(key, model):
    """10⁴ points from the whole valid domain (log-uniform over decades, up to 1e6): every bounded
    outcome is finite, or the model refuses the point with a ParameterError naming the problem."""
    pts = random_points(model, 10_000, seed=11, domain="full")
    assert len(pts) >= 2_000, f"only {len(pts)} valid points drawn"
    names = list(pts[0])
    X = np.array([[p[k] for k in names] for p in pts])
    outs = [o for o in model.outcome_names if model.outcome_info(o).bounded]
    finite, refused = _finite_or_refused(model, X, names, outs)
    assert finite + refused == len(X) and finite >= 0.9 * len(X)


# ------------------------------------------------------------------ tools respect joint rules
@pytest.mark.parametrize("tool", ["fact_finding", "mediation"])
def test_fearon_tools_keep_cost_b_high_above_cost_b_low(tool):
    """Before the fix the lever pushed cost_b_high below cost_b_low in some draws and backfire raised."""
    r = T.backfire(tool, ag.Fearon(), n=2000, seed=0)
    assert 0.0 <= r.probability <= 1.0 and np.isfinite(r.effects).all()
    m = ag.Fearon(cost_b_low=0.3, cost_b_high=0.31)
    moved, clipped = T.move_parameters(m, T.get(tool).levers_for(m), m.parameter_values(), 1.0)
    assert moved["cost_b_high"] > 0.3 and bool(clipped)
