"""Tests of the tool catalogue and assessments (spec tools.md)."""

from __future__ import annotations

import math

import numpy as np
import pytest

import atrogame as ag
from atrogame import tools as T
from atrogame.cli import main

SPEC_TOOLS = {
    "arms_embargo", "bilateral_diplomacy", "comprehensive_sanctions", "cyber_disruption",
    "development_assistance", "diplomatic_sanctions", "fact_finding", "mediation",
    "military_intervention", "military_presence", "multilateral_diplomacy", "naming_and_shaming",
    "official_amnesty", "peace_operations", "prosecutions", "public_diplomacy", "refugee_protection",
    "security_assistance", "security_guarantees", "civilian_self_protection", "support_to_armed_groups",
    "targeted_sanctions", "trade_incentives", "humanitarian_assistance", "electoral_assistance",
}
AB_TECHNOLOGIES = ("cobb_douglas", "ces", "contest", "linear", "quasi_linear", "quadratic")


def _ab_parameter_sets() -> dict[str, set[str]]:
    kw = {"quadratic": {"resources": 20.0}}
    return {t: set(ag.AndertonBrauer(technology=t, **kw.get(t, {})).parameter_values()) for t in AB_TECHNOLOGIES}


# ------------------------------------------------------------------ catalogue
def test_every_tool_of_the_spec_table_is_in_the_catalogue():
    assert set(T.catalogue().index) >= SPEC_TOOLS


def test_every_lever_names_a_real_parameter():
    ks = set(ag.KyddStraus().parameter_values())
    ab_sets = _ab_parameter_sets()
    ab_all = set().union(*ab_sets.values())
    for tid in T.catalogue().index:
        tool = T.get(tid)
        for lever in tool.levers.get("kydd_straus", ()):
            assert set(lever.parameter) <= ks, (tid, lever)
        for lever in tool.levers.get("anderton_brauer", ()):
            assert set(lever.parameter) <= ab_all, (tid, lever)
            # every lever is usable by at least one technology
            assert any(lever.resolve(s) for s in ab_sets.values()), (tid, lever)
        for lever in (lv for lst in tool.levers.values() for lv in lst):
            assert lever.direction in (-1, 1) and lever.step > 0 and lever.scale in ("absolute", "relative")
        assert set(tool.strategies) <= {"dissuade", "degrade", "protect", "transition"}


def test_levers_of_other_registered_models_name_real_parameters():
    from atrogame import get_model

    models = {m for t in T.catalogue().index for m in T.get(t).levers}
    assert {"fearon", "mobilisation"} <= models
    for name in models - {"kydd_straus", "anderton_brauer"}:
        params = set(get_model(name)().parameter_values())
        for tid in T.catalogue().index:
            for lever in T.get(tid).levers.get(name, ()):
                assert lever.resolve(params), (name, tid, lever)


def test_mobilisation_harm_is_a_lower_tipping_threshold():
    m = ag.Mobilisation()
    assert T.harm_sign(m) == -1
    amnesty = T.backfire("official_amnesty", m, {"bandwagon": (0.5, 2.0)}, n=500, seed=0)
    protect = T.backfire("peace_operations", m, {"bandwagon": (0.5, 2.0)}, n=500, seed=0)
    assert amnesty.probability == 1.0 and amnesty.expected_effect < 0
    assert protect.probability == 0.0 and protect.expected_effect > 0
    net = T.net_assessment(["official_amnesty", "prosecutions"], m).to_dataframe().set_index("tool")
    assert net.loc["official_amnesty", "averted"] < 0 < net.loc["prosecutions", "averted"]


def test_tool_ids_never_equal_parameter_names():
    names = set(ag.KyddStraus().parameter_values()).union(*_ab_parameter_sets().values())
    names |= set(ag.Fearon().parameter_values()) | set(ag.Mobilisation().parameter_values())
    assert not names & set(T.catalogue().index)


def test_unknown_tool_suggests_close_match():
    with pytest.raises(KeyError, match="naming_and_shaming"):
        T.get("naming_and_shamming")


# ------------------------------------------------------------------ not represented
@pytest.mark.parametrize("model", [ag.KyddStraus(), ag.AndertonBrauer()], ids=["ks", "ab"])
def test_tool_without_lever_is_not_represented_never_zero(model):
    a = T.assess("electoral_assistance", model)
    assert not a.represented and "not represented" in repr(a)
    with pytest.raises(KeyError, match="not represented"):
        a["p_war" if model.name == "kydd_straus" else "civilian_attacks"]
    df = T.compare(model, ["electoral_assistance"]).to_dataframe()
    assert not df["represented"].any() and df["change"].isna().all()
    assert not T.backfire("electoral_assistance", model, n=10, seed=0).represented
    assert "not represented" in T.catalogue().loc["electoral_assistance", "kydd_straus"]


def test_mediation_not_represented_in_anderton_brauer():
    assert not T.assess("mediation", ag.AndertonBrauer()).represented


# ------------------------------------------------------------------ spec §4 checks
N0 = {"imposed_settlement": 0.4, "atrocity_penalty": 0.0, "intervention_commitment": 0.5}


def test_check_naming_and_shaming_lowers_atrocities_in_war():
    a = T.assess("naming_and_shaming", ag.KyddStraus(**N0), outcomes=["atrocities_in_war"])
    assert a["atrocities_in_war"].change < 0 and a["atrocities_in_war"].marginal < 0


def test_check_military_intervention_lowers_atrocities_in_war_but_raises_p_war():
    a = T.assess("military_intervention", ag.KyddStraus(**N0), outcomes=["atrocities_in_war", "p_war"])
    assert a["atrocities_in_war"].change < 0 and a["atrocities_in_war"].marginal < 0
    assert a["p_war"].change > 0 and a["p_war"].marginal > 0


def test_check_mediation_lowers_p_war():
    a = T.assess("mediation", ag.KyddStraus(**N0))
    assert a["p_war"].change < 0 and a["p_war"].marginal < 0


def test_check_support_to_armed_groups_raises_p_war_for_a_weak_minority():
    # Spec tools.md §4 asks for this at the N0 base design (i = .5). There the equilibrium is in
    # the *interior* regime, where the spec's own model (kydd_straus.md §4, §6) gives
    # q = (C̄ - S_e)/(2C̄) and dq/dp0 = -(h + k + κa*)/(2C̄) · da*/dp0 < 0: stronger rebels make
    # atrocities more useful, war costlier and so *less* likely. Strengthening the minority raises
    # the risk of war where the claim C3 places it: a weak minority, in the "corner" regime.
    weak = ag.KyddStraus(**{**N0, "rebel_strength": 0.1})
    a = T.assess("support_to_armed_groups", weak)
    assert a.regime_before == "corner"
    assert a["p_war"].change > 0 and a["p_war"].marginal > 0


def test_spec_correction_support_to_armed_groups_lowers_p_war_in_the_interior_regime():
    m = ag.KyddStraus(**N0)
    eq = m.solve()
    assert eq.regime == "interior"
    p = m.parameter_values()
    a_star = eq.atrocities_in_war
    C_bar, h, k, kappa = p["cost_uncertainty"], p["atrocity_harm"], p["atrocity_penalty"], p["atrocity_cost_curvature"]
    da_dp0 = m.comparative_statics("rebel_strength", of="atrocities_in_war").value
    assert da_dp0 > 0
    dq_dp0 = -(h + k + kappa * a_star) / (2 * C_bar) * da_dp0
    step = T.get("support_to_armed_groups").levers["kydd_straus"][0].step
    a = T.assess("support_to_armed_groups", m)
    assert a["p_war"].marginal == pytest.approx(dq_dp0 * step, rel=1e-9)
    assert a["p_war"].change < 0


@pytest.mark.parametrize("tool", ["peace_operations", "cyber_disruption", "civilian_self_protection"])
def test_check_ces_productivity_policy_backfires_iff_sigma_below_one(tool):
    low = T.assess(tool, ag.AndertonBrauer(technology="ces", substitution_elasticity=0.5))
    high = T.assess(tool, ag.AndertonBrauer(technology="ces", substitution_elasticity=2.0))
    assert low.levers.keys() == {"productivity_civilians"}
    assert low["civilian_attacks"].change > 0 and low["civilian_attacks"].marginal > 0
    assert high["civilian_attacks"].change < 0 and high["civilian_attacks"].marginal < 0


def test_check_backfire_probability_is_one_or_zero_where_the_sign_is_known():
    m = ag.AndertonBrauer(technology="ces")
    priors = {"share_rebels": (0.1, 0.9), "resources": (10.0, 500.0), "price_civilians": (0.2, 5.0)}
    low = T.backfire("peace_operations", m, {**priors, "substitution_elasticity": (0.1, 0.95)}, n=10_000, seed=3)
    high = T.backfire("peace_operations", m, {**priors, "substitution_elasticity": (1.05, 5.0)}, n=10_000, seed=3)
    assert low.probability == 1.0 and low.expected_effect > 0
    assert high.probability == 0.0 and high.expected_effect < 0
    mixed = T.backfire("peace_operations", m, {"substitution_elasticity": (0.5, 1.5)}, n=4000, seed=3)
    assert 0.35 < mixed.probability < 0.65
    assert mixed.drivers.index[0] == "substitution_elasticity"


def test_backfire_is_vectorised(monkeypatch):
    m = ag.KyddStraus()
    calls = {"solve": 0, "evaluate": 0}
    real_eval = type(m).evaluate

    def counting_eval(self, *a, **k):
        calls["evaluate"] += 1
        return real_eval(self, *a, **k)

    def no_solve(self, *a, **k):  # pragma: no cover - must not be called
        calls["solve"] += 1
        raise AssertionError("backfire must not solve point by point")

    monkeypatch.setattr(type(m), "evaluate", counting_eval)
    monkeypatch.setattr(type(m), "solve", no_solve)
    r = T.backfire("military_intervention", m, n=10_000, seed=0)
    assert calls == {"solve": 0, "evaluate": 2}
    assert r.n == 10_000 and 0.0 <= r.probability <= 1.0


def test_backfire_reproducible_and_interval_brackets_mean():
    m = ag.KyddStraus()
    r1 = T.backfire("military_intervention", m, n=2000, seed=7)
    r2 = T.backfire("military_intervention", m, n=2000, seed=7)
    assert r1.probability == r2.probability and r1.expected_effect == r2.expected_effect
    assert r1.ci_low <= r1.expected_effect <= r1.ci_high
    assert r1.quantiles["q05"] <= r1.quantiles["q50"] <= r1.quantiles["q95"]
    assert set(r1.drivers.index) == set(m.priors)


def test_backfire_accepts_scipy_priors_and_rejects_unknown_names():
    from scipy import stats

    m = ag.AndertonBrauer(technology="ces")
    r = T.backfire("peace_operations", m, {"substitution_elasticity": stats.uniform(0.2, 0.6)}, n=500, seed=1)
    assert r.probability == 1.0
    with pytest.raises(TypeError, match="unknown parameter"):
        T.backfire("peace_operations", m, {"bogus": (0, 1)}, n=10)


# ------------------------------------------------------------------ marginal = finite differences
def _points():
    yield ag.KyddStraus(**N0)
    yield ag.KyddStraus(atrocity_penalty=0.05, imposed_settlement=0.7, intervention_commitment=0.3)
    yield ag.AndertonBrauer(technology="ces", substitution_elasticity=0.5)
    yield ag.AndertonBrauer(technology="contest")
    yield ag.AndertonBrauer(technology="cobb_douglas")


@pytest.mark.parametrize("model", list(_points()), ids=lambda m: repr(m)[:40])
def test_assess_marginal_equals_finite_difference_along_lever(model):
    checked = 0
    for tid in T.catalogue().index:
        a = T.assess(tid, model)
        if not a.represented or a.boundary:
            continue
        for e in a.effects:
            fd = T.directional_derivative(tid, model, e.outcome)
            assert e.marginal == pytest.approx(fd, rel=1e-4, abs=1e-7), (tid, e.outcome)
            checked += 1
    assert checked >= 10


def test_intensity_zero_changes_nothing_and_negative_intensity_raises():
    a = T.assess("prosecutions", ag.KyddStraus(), intensity=0.0)
    assert all(e.change == 0 for e in a.effects)
    with pytest.raises(ag.ParameterError, match="intensity"):
        T.assess("prosecutions", ag.KyddStraus(), intensity=-1)


def test_levers_are_clipped_to_the_domain():
    a = T.assess("military_intervention", ag.KyddStraus(intervention_commitment=1.0, stopping_power=1.0))
    assert a.clipped and a.levers["intervention_commitment"] == 1.0


# ------------------------------------------------------------------ net assessment, strategies
def test_net_assessment_signs_match_changes():
    m = ag.KyddStraus()
    df = T.net_assessment(None, m).to_dataframe().set_index("tool")
    rep = df[df["represented"]]
    for tid, row in rep.iterrows():
        change = T.assess(tid, m, outcomes=["expected_atrocities"])["expected_atrocities"].change
        assert row["averted"] == pytest.approx(-change)
        if row["cost"] > 0:
            assert row["averted_per_cost"] == pytest.approx(row["averted"] / row["cost"])
    assert df.loc["electoral_assistance", "status"] == T.NOT_REPRESENTED
    custom = T.net_assessment(["naming_and_shaming"], m, cost={"naming_and_shaming": 2.0}).to_dataframe()
    assert custom.loc[0, "cost"] == pytest.approx(2.0)


def test_strategy_assessment_combines_its_tools():
    m = ag.KyddStraus()
    s = ag.strategies.assess("dissuade", m)
    df = s.to_dataframe()
    assert set(ag.strategies.tools_of("dissuade")) <= set(df["tool"])
    combined = df[df["tool"] == "combined"].set_index("outcome")
    assert set(combined.index) == set(T.headline_outcomes(m))
    # all dissuasion levers together raise the penalty more than any single tool does
    single = T.assess("prosecutions", m, outcomes=["expected_atrocities"])["expected_atrocities"].change
    assert combined.loc["expected_atrocities", "change"] < single < 0
    with pytest.raises(KeyError):
        ag.strategies.assess("bribe", m)


def test_results_convert_to_pandas_and_plot():
    m = ag.KyddStraus()
    assert T.assess("mediation", m).to_dataframe().index.name == "outcome"
    c = T.compare(m)
    assert len(c.to_dataframe()) == len(T.catalogue()) * len(T.headline_outcomes(m))
    assert c.plot(outcome="p_war").get_xlabel()
    r = T.backfire("military_intervention", m, n=300, seed=0)
    assert r.to_dataframe().loc["military_intervention", "n"] == 300
    assert r.plot().get_xlabel().startswith("rank correlation")
    assert T.net_assessment(["mediation"], m).plot().get_xlabel()


# ------------------------------------------------------------------ CLI
def test_cli_tools_list_assess_compare(capsys, tmp_path):
    assert main(["tools", "list"]) == 0
    assert "naming_and_shaming" in capsys.readouterr().out
    assert main(["tools", "assess", "military_intervention", "kydd_straus"]) == 0
    out = capsys.readouterr().out
    assert "p_war" in out and "intervention_commitment" in out
    assert main(["tools", "assess", "peace_operations", "anderton_brauer", "--technology", "ces",
                 "--set", "substitution_elasticity=0.5"]) == 0
    assert "civilian_attacks" in capsys.readouterr().out
    assert main(["tools", "compare", "kydd_straus", "--outcome", "p_war"]) == 0
    assert "mediation" in capsys.readouterr().out
    csv = tmp_path / "cmp.csv"
    assert main(["tools", "compare", "kydd_straus", "--out", str(csv)]) == 0
    assert csv.read_text().startswith("tool,strategy,outcome")
    assert main(["tools", "assess", "nope", "kydd_straus"]) == 1
    assert "unknown tool" in capsys.readouterr().err


def test_marginals_are_finite_everywhere_in_base_catalogue():
    for model in (ag.KyddStraus(), ag.AndertonBrauer()):
        df = T.compare(model).to_dataframe()
        rep = df[df["represented"]]
        assert np.isfinite(rep[["before", "after", "change", "marginal"]].to_numpy(dtype=float)).all()
        assert not math.isnan(rep["change"].abs().sum())
