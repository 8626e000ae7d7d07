"""The AtrocityTactics model class: solve, policies, statics, sweeps, tools-facing behaviour."""

from __future__ import annotations

import pickle

import numpy as np
import pytest
from tactics_helpers import close

from atrogame.core.errors import ParameterError
from atrogame.models.tactics import AtrocityTactics


def test_defaults_and_per_tactic_info():
    eq = AtrocityTactics().solve()
    assert dict(eq.info["tactic_levels"]) == pytest.approx(dict.fromkeys(AtrocityTactics().tactics, 12.5))
    assert eq.rebel_attacks == pytest.approx(50) and eq.control == pytest.approx(25) and eq.deaths == pytest.approx(15)
    assert eq.regime == "interior"


def test_policies_reproduce_tabulated_values():
    m = AtrocityTactics()
    assert close(m.shame("imprisonment", 1).solve().deaths, 16.07142857)
    assert close(m.shame({"killing": 1}).solve().deaths, 6.428571429)
    assert close(m.shame_all(1).solve().deaths, 7.5)
    assert close(AtrocityTactics(ideology=0.5).implementer_pressure("imprisonment", 1).solve().deaths, 16.07142857)
    assert close(m.enabler_sanction(1).solve().deaths, 9.037414966)
    assert close(m.resource(0.75).solve().deaths, 11.25)
    assert close(m.protect("displacement", 0.5).solve().deaths, 16.78571429)
    assert m.solve().deaths == pytest.approx(15)  # never mutated


def test_policy_errors():
    m = AtrocityTactics()
    with pytest.raises(ParameterError, match=r"tactic_sanction\[imprisonment\]"):
        m.shame("imprisonment", -1)
    with pytest.raises(ParameterError, match="tactic"):
        m.shame("torture", 1)
    with pytest.raises(ParameterError, match="pass_through"):
        m.implementer_pressure("killing", 1, pass_through=1.5)
    with pytest.raises(ParameterError, match="tactic_weights"):
        m.comparative_statics(wrt="tactic_weights[killing]")
    with pytest.raises(TypeError, match="valid names"):
        AtrocityTactics(weight_rebels=0.5)


def test_backfire_and_margin_at_defaults():
    m = AtrocityTactics()
    assert [m.backfire(t) for t in m.tactics] == [False, True, True, True]
    assert close([m.backfire_margin(t) for t in m.tactics], (-1.7, 0.2, 0.1, 0.2))


def test_relation_kinds():
    assert set(AtrocityTactics().relation().values()) == {"substitutes"}
    assert set(AtrocityTactics(tactic_substitution=1.0).relation().values()) == {"independent"}
    assert set(AtrocityTactics(tactic_substitution=0.5).relation().values()) == {"complements"}
    m = AtrocityTactics(tactic_substitution=0.75)
    assert set(m.relation("marshall").values()) == {"complements"}
    assert set(m.relation("hicks").values()) == {"substitutes"}


def test_implied_tactic_substitution():
    assert AtrocityTactics.implied_tactic_substitution(0.25, target_share=0.25, civilian_share=0.5) == 2
    with pytest.raises(ParameterError):
        AtrocityTactics.implied_tactic_substitution(-1.0, target_share=0.25, civilian_share=0.5)


def test_comparative_statics_bracket_and_flat_names():
    m = AtrocityTactics()
    cs = m.comparative_statics(wrt="tactic_sanction[killing]", of="tactic_levels")
    vals = [e.value for e in cs.entries]
    assert close(vals, (-21.875, 3.125, 3.125, 3.125))
    assert cs.entries[0].sign == "negative" and cs.entries[1].sign == "ambiguous"
    e = m.comparative_statics(wrt="resources", of="deaths").entries[0]
    assert close(e.value, 0.15) and close(e.elasticity, 1.0) and e.sign == "positive"


def test_numeric_method_matches_closed_form():
    m = AtrocityTactics(tactic_substitution=0.7, substitution_elasticity=1.6).shame("killing", 0.4)
    a, b = m.solve(), m.solve(method="numeric")
    for k in ("tactic_levels_killing", "rebel_attacks", "control", "deaths"):
        assert close(a[k], b[k])


def test_sweep_is_vectorised_and_matches_solve():
    m = AtrocityTactics()
    ds = m.sweep(tactic_sanction_imprisonment=[0.0, 1.0, 3.0], tactic_substitution=[0.5, 2.0])
    assert ds["deaths"].shape == (3, 2)
    assert close(float(ds["deaths"].sel(tactic_sanction_imprisonment=1.0, tactic_substitution=2.0)), 16.07142857)
    assert close(float(ds["tactic_levels_killing"].sel(tactic_sanction_imprisonment=3.0, tactic_substitution=0.5)),
                 10)


def test_weights_are_structural_not_swept():
    with pytest.raises(TypeError, match="tactic_weights_killing"):
        AtrocityTactics().sweep(tactic_weights_killing=[0.2, 0.3])
    with pytest.raises(ParameterError, match="tactic_weights"):
        AtrocityTactics(tactic_weights=(0.5, 0.5, 0.5, 0.5))
    m = AtrocityTactics(tactic_weights=(0.1, 0.5, 0.2, 0.2), tactic_substitution=4.0)
    assert close(m.solve().tactic_levels_killing, 0.07598784195)
    assert close(m.with_params(tactic_sanction_killing=0.0).solve().tactic_levels_killing, 0.07598784195)


def test_flat_parameter_errors_name_the_flat_parameter():
    with pytest.raises(ParameterError, match="tactic_cost_killing must be in"):
        AtrocityTactics().with_params(tactic_cost_killing=-1.0)


@pytest.mark.slow
def test_check_model_conformance():
    from atrogame.testing import check_model

    assert check_model(AtrocityTactics).passed
    custom = AtrocityTactics(tactics=("a", "b", "c"), lethality=(1, 0.2, 0), enabler_intensity=(0.5, 0, 0.2),
                             tactic_substitution=1.0, enabler_supply_elasticity=2.0, enabler_capacity=37.5)
    assert check_model(custom).passed


def test_custom_tactics_and_pickling():
    m = AtrocityTactics(tactics=("killing", "imprisonment"), lethality=(1, 0), tactic_cost=(1, 0.25),
                        tactic_substitution=3.0, enabler_intensity=(0, 0), enabler_intensity_rebels=0.0,
                        cost_rebels=1.0, harm_profile={"detained": (0, 1)})
    assert close(m.solve().deaths, 2.941176471)
    assert pickle.loads(pickle.dumps(m)) == m
    assert "harms_detained" in m.outcome_names


@pytest.mark.parametrize("kwargs", [{}, {"tactic_weights": (0.4, 0.3, 0.2, 0.1), "objective": "min_cost",
                                         "control_target": 2.0}])
def test_flat_parameters_pickle(kwargs):
    """The flat Params class is made at run time (one per set of weights, objective and harms);
    its objects still pickle, to an object of the same class (before: PicklingError, attribute
    lookup on ``types`` failed)."""
    p = AtrocityTactics(**kwargs).params
    back = pickle.loads(pickle.dumps(p))
    assert type(back) is type(p) and back == p


def test_marginal_effects_series():
    me = AtrocityTactics(tactic_weights=(0.1, 0.5, 0.2, 0.2), tactic_substitution=4.0).marginal_effects()
    s = -me[[f"tactic_sanction[{t}]" for t in AtrocityTactics().tactics]]
    assert s.idxmax() == "tactic_sanction[displacement]"
    assert close(s.values, (0.2919469055, 1.995691328, 0.2942507922, 0.05108969799))


def test_sample_and_evaluate_run():
    m = AtrocityTactics()
    ds = m.sample({"tactic_substitution": (0.5, 4.0), "tactic_sanction_imprisonment": (0, 2)}, n=50, seed=1)
    assert np.all(np.isfinite(ds["deaths"].values))


def test_library_policies_apply_and_price_is_rejected():
    from atrogame import policies

    m = AtrocityTactics()
    assert close(m.apply(policies.resource(0.75)).solve().deaths, 11.25)
    prot = m.apply(policies.productivity("tactic_productivity_displacement", 0.5))
    assert close(prot.solve().deaths, 16.78571429)
    with pytest.raises(ParameterError, match="tactic_productivity_displacement"):
        m.apply(policies.productivity("tactic_productivity", 0.5))
    with pytest.raises(ParameterError, match="shame"):
        m.apply(policies.price(civilians=2.0))
    with pytest.raises(ParameterError, match="shame"):
        m.apply(policies.combine(policies.resource(0.5), policies.price(civilians=2.0)))
    with pytest.warns(DeprecationWarning), pytest.raises(ParameterError, match="shame"):  # the old levels spelling
        m.apply(policies.price(price_civilians=2))


@pytest.mark.parametrize(("sigT", "sub", "inc", "ccost", "dsub", "dinc"), [
    (2.0, (2.772070966, 2.772070966, -8.681982258, 2.772070966),
     (-0.9863566807, -0.9863566807, -0.2465891702, -0.9863566807), 106.9044968, 2.181079837, -1.109651266),
    (0.5, (0, 0, -3.661165235, 0), (-1.172954017, -1.172954017, -0.8294037394, -1.172954017), 110.3553391,
     -0.3661165235, -1.373189793),
])
def test_decompose_hicks(sigT, sub, inc, ccost, dsub, dinc):
    m = AtrocityTactics(tactic_substitution=sigT)
    d = m.decompose(m.shame("imprisonment", 1))
    assert close(list(d["substitution"].values()), sub, abs_=1e-8) and close(list(d["income"].values()), inc)
    assert close(d["compensated_cost"], ccost)
    assert close(d["deaths"]["substitution"], dsub) and close(d["deaths"]["income"], dinc)


def test_decompose_slutsky_and_policy_effect():
    m = AtrocityTactics()
    d = m.decompose(m.shame("imprisonment", 1), method="slutsky")
    assert close(d["compensated_resources"], 112.5)
    assert close(list(d["substitution"].values()), (3.571428571, 3.571428571, -8.482142857, 3.571428571))
    pe = m.policy_effect(m.shame("imprisonment", 1))
    assert close(pe.loc["deaths", "after"], 16.07142857) and close(pe.loc["deaths", "before"], 15)
