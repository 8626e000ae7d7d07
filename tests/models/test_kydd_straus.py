"""The intervention bargaining game after Kydd & Straus (2013): closed form against the spec.

Checks: the spec's test values T1–T12 (§9) and invariant; the claims table of §7 cell by
cell and claims C1–C7 as named tests; symbolic = numeric (the compiled sympy outcomes against
the numpy kernel); no NaN anywhere in the valid domain, including D = 0; vectorised = scalar;
ParameterError messages; the numeric path for replaced forms; the CLI in-process.
"""

from __future__ import annotations

import io
import json
import math
from contextlib import redirect_stdout
from dataclasses import fields

import numpy as np
import pytest
import sympy as sp
from hypothesis import assume, given, settings
from hypothesis import strategies as hst
from ks_spec_values import SPEC_EXTRA, SPEC_T
from ks_spec_values import short_params as _p

import atrogame as ag
from atrogame import ParameterError
from atrogame.models import kydd_straus as K
from atrogame.models.kydd_straus import OUTCOMES, REGIMES, KyddStraus, KyddStrausParams

P = KyddStrausParams
NAMES = P.names()

# ----------------------------------------------------------------------------- spec §9

@pytest.mark.parametrize("tid", list(SPEC_T))
def test_spec_values(tid):
    changes, a, q, x, ea, ug, regime = SPEC_T[tid]
    eq = KyddStraus(**changes).solve()
    got = [eq[k] for k in ("atrocities_in_war", "p_war", "offer", "expected_atrocities", "government_utility")]
    assert got == pytest.approx([a, q, x, ea, ug], abs=1e-6)
    assert eq.regime == regime
    assert eq.method == "closed_form"
    for k, v in SPEC_EXTRA.get(tid, {}).items():
        assert eq[k] == pytest.approx(v, abs=1e-6), k
    assert set(eq.outcomes) == set(OUTCOMES)
    p = P(**changes)
    s_direct = p.government_war_cost + (p.atrocity_harm + p.atrocity_penalty) * a + p.atrocity_cost_curvature * a**2 / 2
    assert eq.war_surplus_loss == pytest.approx(s_direct, abs=1e-6)
    assert eq.war_surplus_loss == pytest.approx(1 - eq.minority_war_value - eq.government_war_value, abs=1e-12)


@pytest.mark.parametrize("tid", list(SPEC_T))
def test_spec_values_all_outcomes_from_definitions(tid):
    """Every outcome of §5 from its definition in terms of (a*, π*, p*, V*, W_G*, x*, q)."""
    changes = SPEC_T[tid][0]
    p = P(**changes)
    e = KyddStraus(p).solve()
    a, pi, pw, q, x = e.atrocities_in_war, e.intervention_prob_in_war, e.minority_win_prob_in_war, e.p_war, e.offer
    cb, sg, sm, wm = p.cost_uncertainty, p.inducement_government, p.inducement_minority, p.war_penalty_minority
    want = {
        "intervention_prob_in_war": p.intervention_commitment * (p.war_trigger_share + (1 - p.war_trigger_share) * a),
        "minority_win_prob_in_war": p.rebel_strength * (1 - p.atrocity_effectiveness * a),
        "cutpoint": q * cb,
        "expected_atrocities": q * a,
        "expected_realized_atrocities": q * a * (1 - p.stopping_power * pi),
        "p_intervention": q * pi,
        "p_minority_victory": q * (1 - pi) * pw,
        "government_utility": (1 - q) * (1 - x + sg) + q * e.government_war_value,
        "minority_utility": (1 - q) * (x + sm) + q * (e.minority_war_value - wm) - cb * q**2 / 2,
        "third_party_cost": (1 - q) * (sg + sm) + q * pi * p.intervention_cost,
    }
    for k, v in want.items():
        assert e[k] == pytest.approx(v, abs=1e-12), k


# ----------------------------------------------------------------------------- strategies


def _field_strategy(f, edges: bool = True):
    lo, hi = f.metadata["sweep_range"]
    interval = f.metadata["interval"]
    if not interval.left_closed:
        lo = max(lo, interval.lo + 1e-3)
    if not interval.right_closed and math.isfinite(interval.hi):
        hi = min(hi, interval.hi - 1e-3)
    floats = hst.floats(lo, hi, allow_nan=False, allow_subnormal=False)
    if not edges:
        return floats
    special = [lo, hi]
    return hst.one_of(hst.sampled_from(special), floats)


params_strategy = hst.fixed_dictionaries({f.name: _field_strategy(f) for f in fields(P)})

#: Parameter sets with D = κ + 2 i (1 − ω) p0 θ = 0 (a linear war stage).
linear_strategy = params_strategy.flatmap(
    lambda d: hst.sampled_from(["intervention_commitment", "war_trigger_share", "atrocity_effectiveness"]).map(
        lambda which: {**d, "atrocity_cost_curvature": 0.0, which: 1.0 if which == "war_trigger_share" else 0.0}))


def _random_params(rng, n):
    cols = {}
    for f in fields(P):
        lo, hi = f.metadata["sweep_range"]
        interval = f.metadata["interval"]
        if not interval.left_closed:
            lo = max(lo, interval.lo + 1e-3)
        if not interval.right_closed and math.isfinite(interval.hi):
            hi = min(hi, interval.hi - 1e-3)
        cols[f.name] = rng.uniform(lo, hi, n)
    return cols


# ----------------------------------------------------------------------------- invariants


@given(params_strategy)
def test_surplus_identity_and_ranges(values):
    e = KyddStraus(**values).solve()
    p = P(**values)
    a = e.atrocities_in_war
    assert e.war_surplus_loss == pytest.approx(1 - e.minority_war_value - e.government_war_value, abs=1e-12)
    s_direct = p.government_war_cost + (p.atrocity_harm + p.atrocity_penalty) * a + p.atrocity_cost_curvature * a**2 / 2
    assert e.war_surplus_loss == pytest.approx(s_direct, abs=1e-12)
    assert 0 <= a <= 1 and 0 <= e.p_war <= 1 and 0 <= e.offer <= 1
    assert 0 <= e.intervention_prob_in_war <= 1 and 0 <= e.minority_win_prob_in_war <= 1
    assert e.expected_realized_atrocities <= e.expected_atrocities + 1e-15
    assert e.regime in REGIMES
    assert all(math.isfinite(v) for v in e.outcomes.values())


def _domain_strategy(f):
    """Floats over a parameter's whole domain (unbounded ends capped at 1e6), edges included."""
    interval = f.metadata["interval"]
    hi = interval.hi if math.isfinite(interval.hi) else 1e6
    floats = hst.floats(interval.lo, hi, allow_nan=False, allow_infinity=False,
                        exclude_min=not interval.left_closed, exclude_max=not interval.right_closed)
    edges = [v for v in (interval.lo, hi) if v in interval]
    return hst.one_of(hst.sampled_from(edges), floats) if edges else floats


@given(hst.fixed_dictionaries({f.name: _domain_strategy(f) for f in fields(P)}))
def test_no_nan_over_the_whole_domain(values):
    e = KyddStraus(**values).solve()
    assert all(math.isfinite(v) for v in e.outcomes.values())
    assert 0 <= e.atrocities_in_war <= 1 and 0 <= e.p_war <= 1 and e.regime in REGIMES


@given(linear_strategy)
def test_linear_war_stage_no_nan_and_ties_to_zero(values):
    """D = 0 (spec §4a): a* = 1 iff N > 0, else 0; no NaN; a flat W_G is flagged as a tie."""
    p = P(**values)
    assert p.atrocity_cost_curvature == 0
    e = KyddStraus(p).solve()
    assert all(math.isfinite(v) for v in e.outcomes.values())
    pi0 = p.intervention_commitment * p.war_trigger_share
    pi1 = p.intervention_commitment * (1 - p.war_trigger_share)
    N = (1 - pi0) * p.rebel_strength * p.atrocity_effectiveness - p.atrocity_penalty \
        + pi1 * (p.rebel_strength - p.imposed_settlement)
    assume(abs(N) > 1e-12)  # exact ties are checked in test_linear_war_stage_tie_example
    assert e.atrocities_in_war == (1.0 if N > 0 else 0.0)
    assert e.unique


def test_linear_war_stage_tie_example():
    # D = 0 (i = 0, κ = 0) and N = p0 θ − k = 0: every a is optimal, ties go to 0.
    e = KyddStraus(intervention_commitment=0.0, atrocity_cost_curvature=0.0, atrocity_penalty=0.24).solve()
    assert e.atrocities_in_war == 0.0 and e.unique is False
    e = KyddStraus(intervention_commitment=0.0, atrocity_cost_curvature=0.0, atrocity_penalty=0.2).solve()
    assert e.atrocities_in_war == 1.0 and e.unique is True


def test_no_nan_on_a_large_random_grid(rng):
    n = 200_000
    cols = _random_params(rng, n)
    # a quarter of the points with D = 0, some with C̄ tiny or huge
    lin = rng.random(n) < 0.25
    cols["atrocity_cost_curvature"][lin] = 0.0
    cols["intervention_commitment"][lin & (rng.random(n) < 0.5)] = 0.0
    cols["atrocity_effectiveness"][lin & (rng.random(n) < 0.5)] = 0.0
    cols["cost_uncertainty"][rng.random(n) < 0.05] = 1e-9
    X = np.column_stack([cols[k] for k in NAMES])
    Y = KyddStraus().evaluate(X, NAMES, [*OUTCOMES, "regime"])
    assert np.isfinite(Y).all()
    assert set(np.unique(Y[:, -1]).astype(int)) == {0, 1, 2, 3}
    S, V, W = (Y[:, OUTCOMES.index(k)] for k in ("war_surplus_loss", "minority_war_value", "government_war_value"))
    np.testing.assert_allclose(S, 1 - V - W, atol=1e-12)


@settings(max_examples=30)
@given(hst.lists(params_strategy, min_size=2, max_size=6))
def test_vectorised_equals_scalar(points):
    X = np.array([[pt[k] for k in NAMES] for pt in points])
    m = KyddStraus()
    Y = m.evaluate(X, NAMES, [*OUTCOMES, "regime"])
    for row, pt in zip(Y, points, strict=True):
        e = KyddStraus(**pt).solve()
        np.testing.assert_array_equal(row[:-1], [e[k] for k in OUTCOMES])
        assert REGIMES[int(row[-1])] == e.regime


def test_sweep_equals_scalar_solve():
    m = KyddStraus(atrocity_penalty=0.02)
    iv, zv, cv = np.linspace(0, 1, 6), np.array([0.1, 0.4, 0.9]), np.array([0.1, 0.6])
    ds = m.sweep(intervention_commitment=iv, imposed_settlement=zv, cost_uncertainty=cv)
    assert ds["p_war"].dims == ("intervention_commitment", "imposed_settlement", "cost_uncertainty")
    for a, i in enumerate(iv):
        for b, z in enumerate(zv):
            for c, cb in enumerate(cv):
                e = m.with_params(intervention_commitment=i, imposed_settlement=z, cost_uncertainty=cb).solve()
                for k in OUTCOMES:
                    assert float(ds[k].values[a, b, c]) == e[k], k
                assert REGIMES[int(ds["regime"].values[a, b, c])] == e.regime
    assert ds.attrs["model"] == "kydd_straus" and "after Kydd & Straus (2013)" in ds.attrs["citation"]
    assert ds.attrs["forms"] == "default"


def test_sweep_speed_million_points():
    """One kernel call for a 10⁶-point grid (target ≥ 2·10⁶ points/s; loose bound against noisy CI)."""
    import time

    m = KyddStraus()
    g = np.linspace(0, 1, 100)
    m.sweep(intervention_commitment=g[:3], outcomes=["p_war"])  # warm up
    best = math.inf
    for _ in range(3):
        t0 = time.perf_counter()
        ds = m.sweep(intervention_commitment=g, imposed_settlement=g, atrocity_penalty=np.linspace(0, 0.2, 100))
        best = min(best, time.perf_counter() - t0)
    assert ds["p_war"].size == 10**6
    assert best < 2.0  # 2·10⁶ points/s is 0.5 s; allow for a loaded machine


# ----------------------------------------------------------------------------- symbolic = numeric


def test_compiled_sympy_outcomes_equal_kernel(rng):
    n = 3000
    cols = _random_params(rng, n)
    cols["atrocity_cost_curvature"][: n // 10] = 0.0  # include D = 0 via κ = 0, i = 0
    cols["intervention_commitment"][: n // 20] = 0.0
    X = np.column_stack([cols[k] for k in NAMES])
    Y = KyddStraus().evaluate(X, NAMES, list(OUTCOMES))
    comp = K.compiled_outcomes()
    for j, name in enumerate(OUTCOMES):
        got = comp[name](*(cols[k] for k in NAMES))
        np.testing.assert_allclose(got, Y[:, j], atol=1e-12, rtol=1e-10, err_msg=name)


def test_derivation_contents():
    d = KyddStraus.derivation()
    g = K._derive()
    s, a, A = g.s, g.a, g.a_star
    # S(a) = 1 − V(a) − W_G(a) = d + (h + k) a + κ a²/2
    assert sp.expand(1 - d["V"] - d["W_G"] - d["S"]) == 0
    assert sp.expand(d["S"] - (s["government_war_cost"] + (s["atrocity_harm"] + s["atrocity_penalty"]) * a
                               + s["atrocity_cost_curvature"] * a**2 / 2)) == 0
    # W_G'(a) = N − D·a
    assert sp.expand(d["war_stage_derivative"] - (d["N"] - d["D"] * a)) == 0
    # the war nodes reproduce W_G and V (expected payoffs net of c)
    nodes = d["war_nodes"]
    c = g.c
    assert sp.expand(sum(nodes[r, 0] for r in range(3)) - 1) == 0
    assert sp.expand(sum(nodes[r, 0] * nodes[r, 1] for r in range(3)) - d["W_G"]) == 0
    wm = s["war_penalty_minority"]
    assert sp.expand(sum(nodes[r, 0] * nodes[r, 2] for r in range(3)) - (d["V"] - c - wm)) == 0
    # the interior offer x_u = V' − (C̄ − S_e)/2 solves the first-order condition
    x_u = d["offer_interior"]
    want = d["minority_net_war_value"] - (s["cost_uncertainty"] - d["effective_surplus"]) / 2
    assert sp.simplify(x_u - want) == 0
    # a* as Piecewise: 0 / N/D / 1
    a_star = d["a_star"]
    assert isinstance(a_star, sp.Piecewise) and len(a_star.args) == 3
    assert a_star.args[2].expr == d["N"] / d["D"]
    # regimes Piecewise in the order of §4d, outcomes in terms of a*
    assert [str(arg.expr) for arg in d["regime"].args] == list(REGIMES)
    q_interior = (s["cost_uncertainty"] - d["effective_surplus"].subs(a, A)) / (2 * s["cost_uncertainty"])
    assert sp.simplify(d["p_war"].args[1].expr - q_interior) == 0
    for name in OUTCOMES:
        assert name in d.names()
    # LaTeX renders with the spec's symbols
    tex = d.latex("a_star")
    assert r"\kappa" in tex and r"\theta" in tex and r"\omega" in tex and "p_0" in tex
    assert r"\bar{C}" in d.latex("p_war") and r"\text{no rebellion}" in d.latex("regime")
    for name in d.names():
        assert isinstance(d.latex(name), str)


# ----------------------------------------------------------------------------- §7 table and claims

BASE7 = _p(p0=.4, theta=.6, omega=.5, kappa=.5, h=.3, d=.05, Cbar=.6)
DESIGNS = {"N0": _p(z=.4, k=0), "B0": _p(z=.7, k=0), "N5": _p(z=.4, k=.05), "B5": _p(z=.7, k=.05)}
I_ROWS = (0.0, 0.1, 0.2, 0.3, 0.5, 0.7, 1.0)
TABLE7 = """
0.0 | .4800/.2347/.1126* | .4800/.2347/.1126* | .3800/.3174/.1206 | .3800/.3174/.1206
0.1 | .4351/.2876/.1251* | .4065/.3223/.1310 | .3397/.3352/.1139 | .3111/.3474/.1081
0.2 | .3942/.3274/.1291 | .3394/.3495/.1186 | .3029/.3509/.1063 | .2482/.3731/.0926
0.3 | .3566/.3427/.1222 | .2780/.3727/.1036 | .2692/.3647/.0982 | .1906/.3952/.0753
0.5 | .2903/.3682/.1069 | .1694/.4100/.0694 | .2097/.3880/.0814 | .0887/.4308/.0382
0.7 | .2335/.3886/.0907 | .0763/.4380/.0334 | .1587/.4068/.0646 | .0015/.4579/.0007
1.0 | .1622/.4123/.0669 | .0000/.4583/.0000 | .0946/.4289/.0406 | .0000/.4583/.0000
"""


def _table_cells():
    for line in TABLE7.strip().splitlines():
        i_text, *cells = (t.strip() for t in line.split("|"))
        for design, cell in zip(DESIGNS, cells, strict=True):
            yield float(i_text), design, cell


@pytest.mark.parametrize(("i", "design", "cell"), list(_table_cells()))
def test_claims_table_cell(i, design, cell):
    e = KyddStraus(**BASE7, **DESIGNS[design], intervention_commitment=i).solve()
    text = f"{e.atrocities_in_war:.4f}/{e.p_war:.4f}/{e.expected_atrocities:.4f}".replace("0.", ".")
    text += "*" if e.regime == "corner" else ""
    assert text == cell


def _design_sweep(design, i=None):
    i = np.round(np.arange(0, 101) / 100, 2) if i is None else i
    return KyddStraus(**BASE7, **DESIGNS[design]).sweep(intervention_commitment=i), i


@pytest.mark.parametrize("design", list(DESIGNS))
def test_claim_C1_commitment_deters_atrocities_in_war(design):
    ds, _ = _design_sweep(design)
    a = ds["atrocities_in_war"].values
    assert (np.diff(a) <= 1e-15).all() and a[-1] < a[0]


def test_claim_C2_intervention_stops_atrocities_under_way():
    m = KyddStraus(**BASE7, stopping_power=0.5)
    ds = m.sweep(intervention_commitment=np.linspace(0, 1, 101), imposed_settlement=[0.1, 0.4, 0.7])
    ea, er, pint = ds["expected_atrocities"].values, ds["expected_realized_atrocities"].values, \
        ds["p_intervention"].values
    active = (pint > 0) & (ds["atrocities_in_war"].values > 0)
    assert active.sum() > 100
    assert (er[active] < ea[active]).all()
    assert (er[~active] == ea[~active]).all()
    # realised atrocities = q a* (1 − σ π*): the gap is σ·q·a*·π*
    gap = ea - er
    np.testing.assert_allclose(gap, 0.5 * ds["p_intervention"].values * ds["atrocities_in_war"].values, atol=1e-15)
    # with σ = 0 intervention stops nothing
    e = KyddStraus(**BASE7).solve()
    assert e.expected_realized_atrocities == e.expected_atrocities


@pytest.mark.parametrize("design", list(DESIGNS))
def test_claim_C3_moral_hazard_war_more_likely(design):
    ds, _ = _design_sweep(design)
    q = ds["p_war"].values
    assert (np.diff(q) >= -1e-15).all() and q[-1] > q[0] + 0.1


def test_claim_C3_commitment_lowers_minority_cost_of_war():
    """Intervention strengthens the minority: its war value V* rises with i (biased settlement)."""
    ds, _ = _design_sweep("B0")
    v = ds["minority_war_value"].values
    assert (np.diff(v) > 0).all()


@pytest.mark.parametrize("design", ["N0", "B0"])
def test_claim_C4_road_to_hell(design):
    ds, i = _design_sweep(design)
    ea = ds["expected_atrocities"].values
    peak = int(np.argmax(ea))
    assert 0 < i[peak] < 1
    assert ea[peak] > ea[0] + 0.005  # a stronger commitment first raises expected atrocities
    assert (np.diff(ea[: peak + 1]) > 0).all() and (np.diff(ea[peak:]) <= 0).all()  # rise, then fall (to 0)


def test_claim_C5_neutrality_mitigates():
    # weak minority (p0 = .1, k = 0): at i = 1, p_war is .1373 with z = .1 (neutral), .4583 with z = .7
    weak = {**BASE7, "rebel_strength": 0.1, "atrocity_penalty": 0.0}
    q_neutral = KyddStraus(**weak, imposed_settlement=0.1, intervention_commitment=1.0).solve().p_war
    q_biased = KyddStraus(**weak, imposed_settlement=0.7, intervention_commitment=1.0).solve().p_war
    assert round(q_neutral, 4) == 0.1373 and round(q_biased, 4) == 0.4583
    # on the base case too: the rise in war risk and the road-to-hell hump are smaller when neutral
    n0, _ = _design_sweep("N0")
    b0, _ = _design_sweep("B0")
    rise_n = n0["p_war"].values[-1] - n0["p_war"].values[0]
    rise_b = b0["p_war"].values[-1] - b0["p_war"].values[0]
    assert rise_n < rise_b
    hump_n = n0["expected_atrocities"].max() - n0["expected_atrocities"].values[0]
    hump_b = b0["expected_atrocities"].max() - b0["expected_atrocities"].values[0]
    assert hump_n < hump_b


@pytest.mark.parametrize("z_design", [("N0", "N5"), ("B0", "B5")])
def test_claim_C6_costs_on_decision_makers_mitigate(z_design):
    without, with_ = (_design_sweep(d)[0]["expected_atrocities"].values for d in z_design)
    assert (np.diff(with_) <= 1e-15).all()  # monotone with the sanction
    assert not (np.diff(without) <= 1e-15).all()  # not without it


@pytest.mark.parametrize("design", ["N5", "B5"])
def test_claim_C7_neutral_and_costly_commitments_lower_atrocities(design):
    ds, _ = _design_sweep(design)
    ea = ds["expected_atrocities"].values
    assert (np.diff(ea) <= 1e-15).all() and ea[-1] < ea[0] / 2


# ----------------------------------------------------------------------------- input errors


@pytest.mark.parametrize(("name", "value", "domain"), [
    ("rebel_strength", 1.0, "(0, 1)"),
    ("rebel_strength", 0.0, "(0, 1)"),
    ("atrocity_effectiveness", 1.5, "[0, 1]"),
    ("intervention_commitment", -0.1, "[0, 1]"),
    ("atrocity_penalty", -0.05, "[0, inf)"),
    ("cost_uncertainty", 0.0, "(0, inf)"),
    ("stopping_power", 2.0, "[0, 1]"),
    ("intervention_cost", math.nan, "[0, inf)"),
])
def test_parameter_error_names_parameter_domain_value(name, value, domain):
    with pytest.raises(ParameterError) as err:
        KyddStraus(**{name: value})
    msg = str(err.value)
    assert msg.startswith(f"{name} must be in {domain}; got ")
    assert isinstance(err.value, ValueError)


def test_parameter_error_in_sweep_and_evaluate():
    with pytest.raises(ParameterError, match=r"imposed_settlement must be in \[0, 1\]; got 1.2"):
        KyddStraus().sweep(imposed_settlement=[0.5, 1.2])
    with pytest.raises(ParameterError, match=r"atrocity_harm must be in \[0, inf\); got -1.0"):
        KyddStraus().evaluate(np.array([[0.1], [-1.0]]), ["atrocity_harm"], "p_war")
    with pytest.raises(TypeError, match="unknown parameter"):
        KyddStraus(rebel_strenght=0.3)
    with pytest.raises(ValueError, match="method must be"):
        KyddStraus().solve(method="bisection")


# ----------------------------------------------------------------------------- replaced forms


def test_numeric_method_on_default_forms_matches_closed_form():
    for changes, *_ in SPEC_T.values():
        m = KyddStraus(**changes)
        c, n = m.solve(), m.solve(method="numeric")
        assert n.method == "numeric" and n.regime == c.regime
        assert n.atrocities_in_war == pytest.approx(c.atrocities_in_war, abs=1e-8)
        for k in OUTCOMES:
            assert n[k] == pytest.approx(c[k], abs=1e-6), k


def test_forms_switch_to_numeric_and_point_by_point():
    from atrogame.models.kydd_straus.numeric import Forms

    m = KyddStraus(forms={"harm": "atrocity_harm*a**2"})
    assert m.vectorised is False and not m.default_forms
    assert KyddStraus.vectorised is True and KyddStraus().vectorised is True
    e = m.solve()
    assert e.method == "numeric" and "foc_residual" in e.info
    # harm does not enter G's war stage: same a* as the closed form
    assert e.atrocities_in_war == pytest.approx(KyddStraus().solve().atrocities_in_war, abs=1e-8)
    with pytest.raises(NotImplementedError):
        m.solve(method="closed_form")
    with pytest.raises(NotImplementedError, match="finite_difference"):
        m.comparative_statics(wrt="atrocity_penalty", of="p_war")
    ds = m.sweep(intervention_commitment=[0.0, 0.5])
    assert int(ds.attrs["n_failed"]) == 0 and "harm=" in ds.attrs["forms"]
    assert float(ds["atrocities_in_war"].values[1]) == pytest.approx(e.atrocities_in_war, abs=1e-12)
    # a Forms object that spells out the defaults keeps the closed form
    d = KyddStraus(forms=Forms(harm="atrocity_harm*a"))
    assert d.default_forms and d.vectorised and d.solve().method == "closed_form"
    # with_params keeps the forms
    assert m.with_params(atrocity_penalty=0.1).forms == m.forms
    with pytest.raises(TypeError, match="forms must be"):
        KyddStraus(forms=3)
    from atrogame.models.kydd_straus import Forms as ReExported

    assert ReExported is Forms


def test_forms_type_distribution():
    from scipy import stats

    m = KyddStraus(forms={"type_distribution": stats.uniform(0, 0.6)})
    e = m.solve()
    assert e.method == "numeric"
    assert e.p_war == pytest.approx(KyddStraus().solve().p_war, abs=1e-6)


# ----------------------------------------------------------------------------- CLI


def _cli(argv):
    from atrogame.cli import main

    buf = io.StringIO()
    with redirect_stdout(buf):
        code = main(argv)
    return code, buf.getvalue()


def test_cli_solve_statics_sweep(tmp_path):
    code, out = _cli(["solve", "kydd_straus", "--set", "atrocity_penalty=0.05", "--json"])
    assert code == 0
    d = json.loads(out)
    assert d["regime"] == "interior"
    assert d["outcomes"]["atrocities_in_war"] == pytest.approx(0.209677, abs=1e-6)
    code, out = _cli(["solve", "kydd_straus", "--method", "numeric", "--json"])
    assert code == 0 and json.loads(out)["method"] == "numeric"
    code, out = _cli(["statics", "kydd_straus", "--wrt", "atrocity_penalty", "--of", "atrocities_in_war", "--json"])
    assert code == 0
    entry = json.loads(out)
    entry = entry["entries"][0] if isinstance(entry, dict) and "entries" in entry else entry
    entry = entry[0] if isinstance(entry, list) else entry
    assert entry["sign"] == "negative" and entry["value"] == pytest.approx(-1 / 0.62, abs=1e-9)
    path = tmp_path / "ks.csv"
    code, out = _cli(["sweep", "kydd_straus", "--grid", "intervention_commitment=0:1:11", "--out", str(path)])
    assert code == 0 and path.exists()
    text = path.read_text()
    assert "p_war" in text and "kydd_straus" in text
    code, _ = _cli(["solve", "kydd_straus", "--set", "rebel_strength=2"])
    assert code == 1


def test_package_entry_points():
    assert ag.KyddStraus is KyddStraus
    from atrogame import get_model

    assert get_model("kydd_straus") is KyddStraus
    assert KyddStraus.citation == "after Kydd & Straus (2013)"
    assert "doi:10.1111/ajps.12009" in KyddStraus.reference
    assert set(KyddStraus.outcome_names) == set(OUTCOMES)
    assert {"p_war", "atrocities_in_war", "expected_atrocities"} <= set(KyddStraus.default_statics_outcomes)
    for n in NAMES:
        meta = P.meta(n)
        assert meta["long_name"] and meta["latex"] and meta["sweep_range"][0] in meta["interval"]
