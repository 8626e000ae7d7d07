"""The tool catalogue on StrategicMassKilling: levers, the effects table, the two proposed tools, backfire.

The numbers are the model's own (after Esteban, Morelli & Rohner 2015; functional forms and numbers are
atrogame's). Each row is (Δ killing_share_incumbent, Δ p_conflict, Δ expected_deaths) for one unit of
intensity at the default point (T1) and at the capped point killing_cap = 0.1 (T2).
"""

from __future__ import annotations

import numpy as np
import pytest

from atrogame import tools as T
from atrogame.models.strategic_mass_killing import StrategicMassKilling

OUTS = ("killing_share_incumbent", "p_conflict", "expected_deaths")
_CAP = ((0, 0, 0), (-0.085714, 0.045183, -0.002960))
_DIPLOMACY = ((-0.010400, -0.010153, -0.001102), (0, -0.015730, -0.000801))
_SHAME = ((0, 0.003216, 0.000134), (0, 0.003080, 0.000100))
TABLE = {
    "military_intervention": ((0, 0, 0), (-0.142857, 0.076879, -0.005697)),
    "military_presence": _CAP,
    "peace_operations": ((-0.046429, 0.026170, -0.000825), (-0.085714, 0.047221, -0.002916)),
    "security_guarantees": _CAP,
    "refugee_protection": ((0, 0, 0), (-0.057143, 0.029799, -0.001828)),
    "targeted_sanctions": ((-0.352857, 0.137937, -0.017100), (-0.285714, 0.104640, -0.015628)),
    "comprehensive_sanctions": ((-0.352857, 0.064437, -0.017100), (-0.285714, 0.031140, -0.015628)),
    "prosecutions": ((-0.352857, 0.186937, -0.017100), (-0.285714, 0.153640, -0.015628)),
    "official_amnesty": ((0, 0, 0), (0, 0, 0)),
    "naming_and_shaming": _SHAME,
    "diplomatic_sanctions": _SHAME,
    "public_diplomacy": ((0, 0.001284, 0.000054), (0, 0.001229, 0.000040)),
    "fact_finding": ((-0.009286, 0.008459, -0.000003), (0, 0.003699, 0.000120)),
    "bilateral_diplomacy": _DIPLOMACY,
    "multilateral_diplomacy": _DIPLOMACY,
    "mediation": ((-0.026000, -0.030388, -0.002884), (0, -0.043922, -0.002149)),
    "electoral_assistance": ((-0.015600, -0.018162, -0.001757), (0, -0.026375, -0.001292)),
    "arms_embargo": ((-0.046429, 0.026170, -0.000825), (0, 0.003080, 0.000100)),
    "cyber_disruption": ((-0.018571, 0.012413, -0.000206), (0, 0.003080, 0.000100)),
    "civilian_self_protection": ((-0.018571, 0.010503, -0.000281), (0, 0.001229, 0.000040)),
    "development_assistance": ((-0.018571, 0.000302, -0.000916), (0, -0.007664, -0.000444)),
    "trade_incentives": ((-0.009286, 0.000019, -0.000467), (0, -0.003844, -0.000223)),
    "security_assistance": ((-0.026000, 0.031226, 0.000522), (0, 0.018007, 0.000866)),
    "support_to_armed_groups": ((0.026000, -0.031606, -0.000802), (0, -0.017997, -0.000864)),
    "resource_export_ban": ((-0.352857, 0.088937, -0.017100), None),
}
#: the sign theory gives each tool's effect on the killing share (+1 raises, -1 lowers); comprehensive
#: sanctions move two levers of opposite sign, and at the catalogue's steps the net is never a rise (see below)
KILLING_SIGN = dict.fromkeys(TABLE, -1) | {"official_amnesty": 1, "support_to_armed_groups": 1,
                                         "minimum_standards": 1}


def _changes(tool: str, model: StrategicMassKilling, intensity: float = 1.0) -> tuple[float, ...]:
    a = T.assess(tool, model, outcomes=[*OUTS, "welfare_loss"], intensity=intensity)
    assert a.represented
    return tuple(a[o].change for o in (*OUTS, "welfare_loss"))


def test_catalogue_maps_every_tool_but_humanitarian_assistance():
    m = StrategicMassKilling()
    params = set(m.parameter_values())
    df = T.catalogue()
    assert "strategic_mass_killing" in df.columns
    for tid in df.index:
        tool = T.get(tid)
        levers = tool.levers.get("strategic_mass_killing", ())
        for lv in levers:
            assert lv.resolve(params), (tid, lv)
        assert bool(levers) == (tid != "humanitarian_assistance"), tid
    assert set(TABLE) | {"minimum_standards", "humanitarian_assistance"} == set(df.index)
    assert df.loc["humanitarian_assistance", "strategic_mass_killing"] == T.NOT_REPRESENTED
    assert df.loc["minimum_standards", "strategic_mass_killing"] == "headcount_claims +0.1"
    assert df.loc["resource_export_ban", "strategic_mass_killing"] == "resource_rents -20%"
    # reported as not represented, never as a zero effect
    assert not T.assess("humanitarian_assistance", m).represented


def test_the_two_proposed_tools_are_in_the_catalogue():
    ban, standards = T.get("resource_export_ban"), T.get("minimum_standards")
    assert ban.strategies == ("degrade",) and standards.strategies == ("protect",)
    assert ban.cost == 1.5 and standards.cost == 0.5
    assert ban.mechanisms == ("reduce the resources available to perpetrators",)
    assert standards.mechanisms == ("mitigate harm to civilians",)
    # the risks name the backfire in words, not a section number
    assert "conflict" in ban.risks[0] and "incentive to kill" in standards.risks[0]
    assert "military_intervention" in {t for t in T.catalogue().index if T.get(t).risks}


def _spec_moved(lv, x: float) -> float:
    """How the published table of lever effects moved a parameter: a relative *decrease* as x(1 - step)."""
    if lv.scale == "relative" and lv.direction < 0:
        return x * (1 - lv.step)
    return float(lv.moved(x))


def _inside(model: StrategicMassKilling, name: str, x: float) -> float:
    iv = model.parameter_meta(name)["interval"]
    return min(max(x, iv.lo), iv.hi)


def _delta(model: StrategicMassKilling, moved: dict[str, float]) -> tuple[float, ...]:
    before, after = model.solve(), model.with_params(**moved).solve()
    return tuple(after[o] - before[o] for o in OUTS)


@pytest.mark.parametrize("tool", sorted(TABLE))
def test_tool_effects_table(tool):
    """The table of lever effects, and where it departs from the catalogue's convention for relative levers.

    The catalogue moves a relative lever by the factor (1 + step)^(direction x intensity), so a relative
    decrease divides by 1 + step. The table of effects these numbers come from multiplied by 1 - step
    instead; its rows for relative decreases (caps, rents) are reproduced here only under that reading,
    while ``tools.assess`` follows the catalogue (checked against direct solves and, on the capped branch,
    against the closed form k = cap / n_O).
    """
    lever_tool = T.get(tool)
    for model, expected in zip((StrategicMassKilling(), StrategicMassKilling(killing_cap=0.1)), TABLE[tool],
                               strict=True):
        levers = lever_tool.levers_for(model)
        base = model.parameter_values()
        got = _changes(tool, model)[:3]
        # tools.assess == a direct solve at the catalogue's moved values (clipped into the domain)
        catalogue_moves = {p: _inside(model, p, float(lv.moved(base[p]))) for p, lv in levers.items()}
        np.testing.assert_allclose(got, _delta(model, catalogue_moves), atol=1e-12, err_msg=tool)
        if expected is None:
            continue
        spec_moves = {p: _inside(model, p, _spec_moved(lv, base[p])) for p, lv in levers.items()}
        np.testing.assert_allclose(_delta(model, spec_moves), expected, atol=1e-6, err_msg=tool)
        relative_decrease = any(lv.scale == "relative" and lv.direction < 0 for lv in levers.values())
        if not relative_decrease:
            np.testing.assert_allclose(got, expected, atol=1e-6, err_msg=tool)


def test_relative_cap_lever_on_the_capped_branch():
    """Military intervention divides a binding cap by 1.5 (relative step 0.5); on the capped branch k = cap/n_O."""
    m = StrategicMassKilling(killing_cap=0.1)
    a = T.assess("military_intervention", m, outcomes=list(OUTS))
    assert a.levers["killing_cap"] == pytest.approx(0.1 / 1.5, abs=1e-15)
    assert (a.regime_before, a.regime_after) == ("capped", "capped")
    assert a["killing_share_incumbent"].change == pytest.approx((0.1 / 1.5 - 0.1) / 0.35, abs=1e-12)
    assert a["killing_share_incumbent"].change == pytest.approx(-0.0952380952, abs=1e-9)


def test_comprehensive_sanctions_levers_pull_in_opposite_directions():
    """Fewer rents lower the killing share, a lower wage raises it; at the catalogue's steps the rents side wins.

    In the interior regime k = m n_I/(c n_O) with m + wμ + τ proportional to R, so cutting R by the factor
    1/1.25 lowers m by 0.2(m + wμ + τ) while cutting w by 1/1.1 raises it by only (1 - 1/1.1) wμ < 0.2 wμ.
    """
    m = StrategicMassKilling()
    k0 = m.solve()["killing_share_incumbent"]
    assert m.with_params(productivity=1 / 1.1).solve()["killing_share_incumbent"] > k0
    assert m.with_params(resource_rents=0.8).solve()["killing_share_incumbent"] < k0
    r = T.backfire("comprehensive_sanctions", m, {"killing_labour": (0.5, 1.0), "resource_rents": (0.5, 3.0),
                                                  "productivity": (0.2, 3.0)}, n=400, seed=11)
    assert r.effects.max() <= 1e-12 and r.expected_effect < 0


def test_official_amnesty_from_a_positive_sanction():
    got = _changes("official_amnesty", StrategicMassKilling(sanction_per_victim=0.05, killing_fixed_cost=0.005))
    np.testing.assert_allclose(got[:3], (0.027857, -0.019172, 0.000318), atol=1e-6)


def test_minimum_standards_backfire():
    """From χ = 0.5, five units of minimum standards (χ → 1) turn a deterred incumbent into a killer."""
    m = StrategicMassKilling(headcount_claims=0.5)
    a = T.assess("minimum_standards", m, outcomes=[*OUTS, "welfare_loss"], intensity=5)
    assert (a.regime_before, a.regime_after) == ("deterred", "interior")
    np.testing.assert_allclose([a[o].change for o in (*OUTS, "welfare_loss")],
                               (0.352857, -0.261937, 0.017100, -0.187518), atol=1e-6)
    # at the defaults χ = 1 already: the lever is clipped and has no room
    d = T.assess("minimum_standards", StrategicMassKilling())
    assert d.clipped and d["killing_share_incumbent"].change == 0
    # under uncertainty about the situation, the guarantee raises the killing share at some draws and never lowers it
    r = T.backfire("minimum_standards", m, {"headcount_claims": (0.0, 0.9), "resource_rents": (0.5, 2.0)},
                   n=400, seed=3)
    assert r.outcome == "killing_share_incumbent" and r.harm_sign == 1
    assert 0.2 < r.probability < 1 and r.effects.min() >= -1e-12 and r.expected_effect > 0


def test_cap_backfire_through_the_tools_layer():
    """A binding cap lowers the killing share but raises conflict risk, and with D = 2 raises expected deaths."""
    m = StrategicMassKilling(killing_cap=0.1, death_loss=2.0)
    a = T.assess("military_intervention", m, outcomes=list(OUTS))
    assert a["killing_share_incumbent"].change < 0 < a["p_conflict"].change
    assert a["expected_deaths"].change > 0  # the backfire on expected deaths
    assert m.solve().info["cap_backfire"]
    r = T.backfire("military_intervention", m, {"killing_cap": (0.06, 0.12)}, n=300, seed=0, outcome="expected_deaths")
    assert r.probability > 0.5
    # the harm outcome itself (the killing share) never rises when a cap tightens
    r_k = T.backfire("military_intervention", m, {"killing_cap": (0.06, 0.12)}, n=300, seed=0)
    assert r_k.probability == 0.0 and r_k.expected_effect < 0


@pytest.mark.parametrize("tool", sorted(KILLING_SIGN))
def test_backfire_runs_and_respects_the_signed_killing_share(tool):
    """tools.backfire over the model's default priors: the killing share moves only the way theory signs it."""
    r = T.backfire(tool, StrategicMassKilling(), n=300, seed=11)
    assert r.represented and r.outcome == "killing_share_incumbent" and r.n == 300
    assert np.isfinite(r.effects).all() and r.drivers is not None and len(r.drivers) > 0
    sign = KILLING_SIGN[tool]
    if sign < 0:
        assert r.probability == 0.0 and r.expected_effect <= 0
    else:
        assert r.probability > 0 and r.effects.min() >= -1e-12


def test_compare_and_net_assessment_on_the_model():
    m = StrategicMassKilling()
    cmp = T.compare(m, ["mediation", "targeted_sanctions", "humanitarian_assistance"]).to_dataframe()
    assert {"mediation", "targeted_sanctions", "humanitarian_assistance"} <= set(cmp["tool"])
    net = T.net_assessment(["targeted_sanctions", "support_to_armed_groups", "humanitarian_assistance"],
                           m).to_dataframe().set_index("tool")
    assert net.loc["targeted_sanctions", "averted"] > 0 > net.loc["support_to_armed_groups", "averted"]
    assert net.loc["humanitarian_assistance", "status"] == T.NOT_REPRESENTED


def test_assess_is_analytic_and_agrees_with_finite_differences():
    """The marginal effects come from the model's symbolic statics and match a directional finite difference."""
    m = StrategicMassKilling()
    for tool in ("mediation", "targeted_sanctions", "support_to_armed_groups"):
        a = T.assess(tool, m, outcomes=list(OUTS))
        assert a.marginal_method == "analytic"
        for o in OUTS:
            assert a[o].marginal == pytest.approx(T.directional_derivative(tool, m, o), rel=1e-4, abs=1e-8)
    # only the killing share is signed; the unconditional risks are reported without a sign
    cs = m.comparative_statics(wrt="power_sharing", of=["killing_share_incumbent", "p_conflict"])
    assert [e.sign for e in cs.entries] == ["negative", "ambiguous"]
