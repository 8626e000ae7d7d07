"""Comparative statics of the Kydd–Straus game: spec §6 symbolically, signs and values numerically.

* The formulas of §6 (∂a*/∂k = −1/D, ...) are checked symbolically against what
  ``comparative_statics`` differentiates.
* Analytic values equal central finite differences, and decided signs agree with them, at
  random points away from regime and a*-branch boundaries.
* Points on a boundary are flagged (``boundary=True``) and ``finite_difference`` warns.
"""

from __future__ import annotations

import warnings
from dataclasses import fields

import pytest
import sympy as sp

from atrogame.core.errors import RegimeBoundaryWarning
from atrogame.core.symbolic import compile_expr
from atrogame.models import kydd_straus as K
from atrogame.models.kydd_straus import OUTCOMES, KyddStraus, KyddStrausParams

P = KyddStrausParams
G = K._derive()
S = G.s
A = G.a_star
p0, th, i, om, z = (S[n] for n in ("rebel_strength", "atrocity_effectiveness", "intervention_commitment",
                                   "war_trigger_share", "imposed_settlement"))
k, ka, h, d, cb = (S[n] for n in ("atrocity_penalty", "atrocity_cost_curvature", "atrocity_harm",
                                  "government_war_cost", "cost_uncertainty"))
sg, sm, wm = S["inducement_government"], S["inducement_minority"], S["war_penalty_minority"]
pi0, pi1 = i * om, i * (1 - om)
D = ka + 2 * pi1 * p0 * th
S_e = d + (h + k) * A + ka * A**2 / 2 + sg + sm + wm


def _local(of, wrt, a_branch="interior", regime="interior"):
    return K._statics_form(of, wrt, a_branch, regime).local


def _same(e1, e2):
    return sp.simplify(sp.together(e1 - e2)) == 0


# ----------------------------------------------------------------------------- §6 symbolically


@pytest.mark.parametrize(("wrt", "formula"), [
    ("atrocity_penalty", -1 / D),
    ("imposed_settlement", -pi1 / D),
    ("atrocity_cost_curvature", -A / D),
    ("intervention_commitment", (-om * p0 * th + (1 - om) * (p0 - z) - 2 * (1 - om) * p0 * th * A) / D),
    ("atrocity_effectiveness", ((1 - pi0) * p0 - 2 * pi1 * p0 * A) / D),
    ("rebel_strength", ((1 - pi0) * th + pi1 - 2 * pi1 * th * A) / D),
    ("atrocity_harm", 0),
    ("cost_uncertainty", 0),
])
def test_spec6_atrocity_derivatives(wrt, formula):
    assert _same(_local("atrocities_in_war", wrt), formula)
    # zero at the bounds of a*
    assert _local("atrocities_in_war", wrt, a_branch="zero") == 0
    assert _local("atrocities_in_war", wrt, a_branch="one") == 0


def test_spec6_atrocity_derivative_signs():
    assert K._statics_form("atrocities_in_war", "atrocity_penalty", "interior", "interior").sign == "negative"
    assert K._statics_form("atrocities_in_war", "imposed_settlement", "interior", "interior").sign == "negative"
    assert K._statics_form("atrocities_in_war", "atrocity_cost_curvature", "interior", "corner").sign == "negative"
    # C1: ∂a*/∂i < 0 whenever z ≥ p0 (write z = p0 + u, u ≥ 0); ambiguous without that condition
    u = sp.Symbol("u", nonnegative=True)
    di = _local("atrocities_in_war", "intervention_commitment").subs(z, p0 + u)
    assert K._sign_domain(di, "interior") == "negative"
    assert K._statics_form("atrocities_in_war", "intervention_commitment", "interior", "interior").sign == "ambiguous"


def test_spec6_war_probability_interior():
    q = G.outcomes["interior"]["p_war"]
    # ∂q/∂a* = −(h + k + κ a*)/(2 C̄) ≤ 0 (C3: deterring atrocities makes war cheaper and likelier)
    dq_da = sp.diff(q, G.a).subs(G.a, A)
    assert _same(dq_da, -(h + k + ka * A) / (2 * cb))
    assert K._sign_domain(dq_da, "interior") == "negative"
    assert _same(_local("p_war", "cost_uncertainty"), S_e / (2 * cb**2))
    assert K._statics_form("p_war", "cost_uncertainty", "interior", "interior").sign == "positive"
    for wrt in ("government_war_cost", "inducement_government", "inducement_minority", "war_penalty_minority"):
        assert _same(_local("p_war", wrt), -1 / (2 * cb)), wrt
        assert K._statics_form("p_war", wrt, "zero", "interior").sign == "negative"
    # the total effect of k is −(a* + (h + k + κ a*)·∂a*/∂k)/(2C̄)
    assert _same(_local("p_war", "atrocity_penalty"), -(A - (h + k + ka * A) / D) / (2 * cb))


def test_spec6_corner_regime_minority_war_value():
    pi_s = pi0 + pi1 * A
    p_s = p0 * (1 - th * A)
    dv_dz = pi_s + (pi1 / D) * (p0 * th * (1 - pi_s) + h - pi1 * (z - p_s))
    assert _same(_local("minority_war_value", "imposed_settlement", regime="corner"), dv_dz)
    # corner: q = V'/C̄, so a more pro-minority settlement raises rebellion by a weak minority (C3)
    assert _same(_local("p_war", "imposed_settlement", regime="corner"), dv_dz / cb)
    assert K._statics_form("p_war", "imposed_settlement", "zero", "corner").sign == "positive"


def test_spec6_expected_atrocities_interior():
    ea = G.outcomes["interior"]["expected_atrocities"]
    d_da = sp.diff(ea, G.a).subs(G.a, A)
    assert _same(d_da, (cb - S_e - A * (h + k + ka * A)) / (2 * cb))
    # the net effect of i is ambiguous in sign ("both camps have merit")
    assert K._statics_form("expected_atrocities", "intervention_commitment", "interior", "interior").sign \
        == "ambiguous"


def test_derivative_is_piecewise_over_regimes_and_matches_value():
    m = KyddStraus()
    cs = m.comparative_statics(wrt=["atrocity_penalty", "cost_uncertainty"], of=["p_war", "offer"])
    names = P.names()
    vals = m.parameter_values()
    for e in cs:
        assert isinstance(e.derivative, sp.Piecewise) and len(e.derivative.args) >= 2  # equal pieces merge
        f = compile_expr([S[n] for n in names], e.derivative)
        assert float(f(*(vals[n] for n in names))) == pytest.approx(e.value, rel=1e-12, abs=1e-14)
        assert e.regime == "interior" and e.boundary is False
        assert e.elasticity == pytest.approx(e.value * vals[e.wrt] / m.solve()[e.outcome])


def test_default_statics_and_spec_value():
    cs = KyddStraus().comparative_statics()
    outs = {e.outcome for e in cs}
    assert outs == set(KyddStraus.default_statics_outcomes)
    assert len(cs) == len(outs) * len(P.names())
    e = cs["atrocities_in_war", "atrocity_penalty"]
    assert e.value == pytest.approx(-1 / 0.62) and e.sign == "negative"
    assert cs["p_war", "cost_uncertainty"].sign == "positive"


# ----------------------------------------------------------------------------- boundaries


def test_boundary_flag_and_warning_at_a_star_bound():
    # B0 design: N = 0.24 − 0.27 i, so a* reaches 0 at i = 8/9
    m = KyddStraus(imposed_settlement=0.7, intervention_commitment=8 / 9)
    e = m.comparative_statics(wrt="intervention_commitment", of="expected_atrocities")
    assert e.boundary is True
    with pytest.warns(RegimeBoundaryWarning):
        _, crosses = m.finite_difference("expected_atrocities", "intervention_commitment")
    assert crosses


def test_boundary_flag_and_warning_at_regime_change():
    s_e = KyddStraus().solve().war_surplus_loss
    m = KyddStraus(cost_uncertainty=s_e)  # S_e = C̄: between "peace" and "interior"
    e = m.comparative_statics(wrt="cost_uncertainty", of="p_war")
    assert e.boundary is True
    with pytest.warns(RegimeBoundaryWarning):
        m.finite_difference("p_war", "cost_uncertainty")
    assert KyddStraus().comparative_statics(wrt="cost_uncertainty", of="p_war").boundary is False


# ----------------------------------------------------------------------------- analytic = finite differences


def _random_models(rng, n):
    out = []
    while len(out) < n:
        values = {}
        for f in fields(P):
            lo, hi = f.metadata["sweep_range"]
            values[f.name] = float(rng.uniform(max(lo, 0.02), min(hi, 0.98) if hi <= 1 else hi))
        m = KyddStraus(**values)
        eq = m.solve()
        if m.branch(eq) in set(_branches(out)) and rng.random() < 0.5:
            continue  # spread the points over branches
        out.append(m)
    return out


def _branches(models):
    return [m.branch(m.solve()) for m in models]


def _check_against_fd(m, outcomes, params):
    cs = m.comparative_statics(wrt=list(params), of=list(outcomes))
    checked = 0
    for e in cs:
        if e.boundary:
            continue
        with warnings.catch_warnings():
            warnings.simplefilter("error", RegimeBoundaryWarning)
            try:
                fd, crosses = m.finite_difference(e.outcome, e.wrt, rel_step=1e-5)
            except RegimeBoundaryWarning:
                continue
        assert not crosses
        scale = 1e-5 * (1 + abs(e.value)) + 1e-8
        assert fd == pytest.approx(e.value, abs=scale), (e.outcome, e.wrt, m)
        if e.sign == "positive":
            assert fd > -scale
        elif e.sign == "negative":
            assert fd < scale
        elif e.sign == "zero":
            assert abs(fd) <= scale
        checked += 1
    return checked


def test_analytic_statics_equal_finite_differences(rng):
    models = _random_models(rng, 14)
    assert len(set(_branches(models))) >= 5
    checked = sum(_check_against_fd(m, KyddStraus.default_statics_outcomes, P.names()) for m in models)
    assert checked >= 14 * 3 * 15 * 0.8


@pytest.mark.slow
def test_analytic_statics_equal_finite_differences_all_outcomes(rng):
    models = _random_models(rng, 20)
    checked = sum(_check_against_fd(m, OUTCOMES, P.names()) for m in models)
    assert checked >= 20 * len(OUTCOMES) * 15 * 0.8
