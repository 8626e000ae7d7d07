"""Every claim of the tactics model as a named test; formulas against finite differences.

Finite differences: central, relative step 1e-6, pass when
|lhs − rhs| ≤ 1e-5·max(1, |lhs|, |rhs|) (per-tactic vectors compared entrywise).
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from tactics_draws import draw
from tactics_helpers import close, grads, params, shame, shame_all, solve

from atrogame.models.tactics.closed_form import closed_form, elasticities
from atrogame.models.tactics.params import PER_TACTIC

N = 40


def points(seed, n=N, **kw):
    rng = np.random.default_rng(seed)
    return [draw(rng, **kw) for _ in range(n)]


def fd(p, name, of, j=None, rel=1e-6):
    """Central difference of outcome ``of`` in parameter ``name`` (entry ``j`` of a per-tactic one)."""
    if j is None:
        x = getattr(p, name)
        h = rel * max(abs(x), 1e-3)
        lo, hi = max(x - h, 0.0) if x - h < 0 else x - h, x + h
        a, b = solve(p.replace(**{name: hi})), solve(p.replace(**{name: lo}))
    else:
        vec = list(getattr(p, name))
        h = rel * max(abs(vec[j]), 1e-3)
        lo = vec[j] - h if vec[j] - h >= 0 or name not in ("tactic_sanction",) else vec[j]
        up, dn = list(vec), list(vec)
        up[j], dn[j] = vec[j] + h, lo
        a, b = solve(p.replace(**{name: tuple(up)})), solve(p.replace(**{name: tuple(dn)}))
        hi = vec[j] + h
    return (np.asarray(a[of]) - np.asarray(b[of])) / (hi - lo)


def agree(lhs, rhs, tol=1e-5):
    lhs, rhs = np.asarray(lhs, dtype=float), np.asarray(rhs, dtype=float)
    return bool(np.all(np.abs(lhs - rhs) <= tol * np.maximum(1.0, np.maximum(np.abs(lhs), np.abs(rhs)))))


def sbar(o, p):
    return p.substitution_elasticity * float(o["rebel_share"]) + float(o["civilian_share"])


# ---------------------------------------------------------------- 4.5: no corners
def test_no_finite_sanction_eliminates_a_tactic():
    for sigT in (0.3, 1.0, 2.0, 5.0):
        o = solve(shame(params(tactic_substitution=sigT), {"killing": 1e6}))
        assert np.all(o["tactic_levels"] > 0) and np.all(np.isfinite(o["tactic_levels"]))


def test_extreme_shares_are_results_not_nan():
    o = solve(tactic_substitution=5.0, tactic_cost=(1e-3, 1.0, 1.0, 1e3), substitution_elasticity=5.0,
              cost_rebels=1e-6, enabler_intensity_rebels=0.0)
    assert all(np.all(np.isfinite(np.asarray(v))) for v in o.values())
    assert 0 < o["civilian_share"] < 1e-7 and o["rebel_share"] > 0.999999
    # each share from its own exponent: civilian spending still exact to 1e-12 of itself
    assert close(o["civilian_spending"], o["civilian_share"] * o["cost"], rel=1e-13)


# ---------------------------------------------------------------- 5.3/6.5 identities
@pytest.mark.parametrize("p", points(1, 25))
def test_budget_exhaustion_market_clearing_and_homogeneity(p):
    o = solve(p)
    spend = np.sum(o["tactic_prices"] * o["tactic_levels"]) + o["price_rebels"] * o["rebel_attacks"]
    assert close(spend, o["cost"], rel=1e-12)
    if p.objective == "max_control":
        assert close(o["cost"], p.resources, rel=1e-12)
    if math.isfinite(p.enabler_supply_elasticity) and o["enabler_input"] > 0:
        xs = p.enabler_capacity * (o["enabler_net_price"] / p.enabler_cost) ** p.enabler_supply_elasticity
        assert close(o["enabler_input"], xs, rel=1e-10)
    lam = 3.7
    money = {k: tuple(lam * x for x in getattr(p, k)) for k in ("tactic_cost", "tactic_sanction")}
    money.update({k: lam * getattr(p, k) for k in ("cost_rebels", "enabler_cost", "enabler_sanction")})
    if p.objective == "max_control":
        money["resources"] = lam * p.resources
    o2 = solve(p.replace(**money))
    for k in ("tactic_levels", "rebel_attacks", "control", "enabler_input", "deaths"):
        assert close(o2[k], o[k], rel=1e-9), k


def test_relabelling_tactics_permutes_outcomes():
    p = params(tactic_cost=(0.5, 0.9, 0.7, 1.3), tactic_weights=(0.1, 0.2, 0.3, 0.4))
    perm = [2, 0, 3, 1]
    q = p.replace(tactics=tuple(p.tactics[i] for i in perm),
                  **{k: tuple(getattr(p, k)[i] for i in perm) for k in PER_TACTIC},
                  harm_profile={c: tuple(r[i] for i in perm) for c, r in p.harm_profile.items()})
    a, b = solve(p), solve(q)
    assert close(b["tactic_levels"], a["tactic_levels"][perm], rel=1e-13) and close(a["deaths"], b["deaths"], rel=1e-13)


# ---------------------------------------------------------------- 6.1 elasticities
@pytest.mark.parametrize("p", points(2, 12, objective="max_control", finite=False))
def test_marshallian_elasticities_match_finite_differences(p):
    o = solve(p)
    E = elasticities(o, p.tactic_substitution, p.substitution_elasticity, "marshall")
    q = o["tactic_prices"]
    for j in range(p.K):
        # q_j moves with w_j one for one
        dT = fd(p, "tactic_cost", "tactic_levels", j) * q[j] / o["tactic_levels"]
        dR = fd(p, "tactic_cost", "rebel_attacks", j) * q[j] / o["rebel_attacks"]
        assert agree(dT, E[1:, 1 + j]) and agree(dR, E[0, 1 + j])
    dT = fd(p, "cost_rebels", "tactic_levels") * o["price_rebels"] / o["tactic_levels"]
    assert agree(dT, E[1:, 0])
    assert agree(fd(p, "cost_rebels", "rebel_attacks") * o["price_rebels"] / o["rebel_attacks"], E[0, 0])


@pytest.mark.parametrize("p", points(3, 12, objective="max_control", finite=False))
def test_hicks_slutsky_cournot_identities(p):
    o = solve(p)
    st, sg = p.tactic_substitution, p.substitution_elasticity
    M, H, C = (elasticities(o, st, sg, k) for k in ("marshall", "hicks", "conditional"))
    pi = np.concatenate([[o["rebel_share"]], o["civilian_share"] * o["tactic_shares"]])
    assert np.allclose(M, H - pi[None, :], atol=1e-12)          # Slutsky (income elasticity 1)
    assert np.allclose(H.sum(axis=1), 0.0, atol=1e-12)           # homogeneity of Hicksian demands
    assert np.allclose(pi @ M, -pi, atol=1e-12)                  # Cournot aggregation
    assert np.allclose(pi[None, :] * H.T, (pi[None, :] * H.T).T, atol=1e-12) or np.allclose(
        H / pi[None, :], (H / pi[None, :]).T, atol=1e-10)        # symmetry of ∂x^h_i/∂p_j
    assert np.all(np.diag(M) < 0) and np.all(np.diag(H) < 0) and np.all(np.diag(C)[1:] < 0)
    # the min_cost closed form matches the Hicksian matrix
    pm = p.replace(objective="min_cost", control_target=float(o["control"]))
    for j in range(p.K):
        dT = fd(pm, "tactic_cost", "tactic_levels", j) * o["tactic_prices"][j] / o["tactic_levels"]
        assert agree(dT, H[1:, 1 + j])


# ---------------------------------------------------------------- 6.2 three senses of substitution
@pytest.mark.parametrize("p", points(4, 30, objective="max_control", finite=False))
def test_gross_relation_threshold_is_sigma_bar(p):
    if p.K < 2:
        return
    o = solve(p)
    thr = sbar(o, p)
    if abs(p.tactic_substitution - thr) < 1e-3:
        return
    dT = fd(p, "tactic_cost", "tactic_levels", 0)[1]
    assert (dT > 0) == (p.tactic_substitution > thr)
    # net: control held fixed
    pm = p.replace(objective="min_cost", control_target=float(o["control"]))
    thr_net = p.substitution_elasticity * float(o["rebel_share"])
    if abs(p.tactic_substitution - thr_net) > 1e-3:
        assert (fd(pm, "tactic_cost", "tactic_levels", 0)[1] > 0) == (p.tactic_substitution > thr_net)


def test_cobb_douglas_outer_level_makes_the_gross_threshold_one():
    for st in (0.5, 0.9, 1.1, 2.0):
        for theta in (0.1, 0.5, 0.9):
            p = params(tactic_substitution=st, share_rebels=theta)
            o = solve(shame(p, {"imprisonment": 1}))
            assert (o["tactic_levels"][0] > 12.5 * 0 + solve(p)["tactic_levels"][0]) == (st > 1)


def test_thresholds_with_sigma_two():
    o = solve(substitution_elasticity=2.0)
    assert close(o["rebel_share"], 0.8)
    assert close(sbar(o, params(substitution_elasticity=2.0)), 1.8) and close(2.0 * o["rebel_share"], 1.6)


def test_relation_is_symmetric_in_the_pair():
    o = solve(tactic_weights=(0.1, 0.5, 0.2, 0.2), tactic_substitution=0.8)
    for kind in ("marshall", "hicks", "conditional"):
        E = elasticities(o, 0.8, 1.0, kind)[1:, 1:]
        off = ~np.eye(4, dtype=bool)
        signs = np.sign(np.round(E[off], 14))
        assert np.all(signs == signs[0])


def test_own_effect_negative_everywhere():
    for p in points(5, 40):
        o = solve(p)
        for kind in ("marshall", "hicks", "conditional"):
            E = elasticities(o, p.tactic_substitution, p.substitution_elasticity, kind)
            assert np.all(np.diagonal(E[..., 1:, 1:]) < 0)


# ---------------------------------------------------------------- 6.3 other parameters
@pytest.mark.parametrize("p", points(6, 10, objective="max_control", finite=False))
def test_other_parameter_formulas_match_finite_differences(p):
    o = solve(p)
    st, sg = p.tactic_substitution, p.substitution_elasticity
    sR, sC = float(o["rebel_share"]), float(o["civilian_share"])
    E = elasticities(o, st, sg)
    q, S, T = o["tactic_prices"], o["tactic_shares"], o["tactic_levels"]
    sb = sg * sR + sC
    # tactic productivity
    j = 0
    dlnT = fd(p, "tactic_productivity", "tactic_levels", j) * p.tactic_productivity[j] / T
    expect = -E[1:, 1 + j].copy()
    expect[j] -= 1.0
    assert agree(dlnT, expect)
    assert agree(dlnT[j], (st - 1) * (1 - S[j]) + (sb - 1) * S[j])
    assert agree(fd(p, "tactic_productivity", "rebel_attacks", j) * p.tactic_productivity[j] / o["rebel_attacks"],
                 -(sg - 1) * sC * S[j])
    # outer level
    th = p.share_rebels
    assert agree(fd(p, "productivity_civilians", "tactic_levels") * p.productivity_civilians / T, (sg - 1) * sR)
    assert agree(fd(p, "productivity_rebels", "tactic_levels") * p.productivity_rebels / T, (1 - sg) * sR)
    assert agree(fd(p, "share_rebels", "tactic_levels") / T, -sg * sR / (th * (1 - th)))
    assert agree(fd(p, "share_rebels", "rebel_attacks") / o["rebel_attacks"], sg * sC / (th * (1 - th)))
    assert agree(fd(p, "resources", "tactic_levels") * p.resources / T, 1.0)
    assert agree(fd(p, "tfp", "tactic_levels"), 0.0)
    # ideology
    dI = fd(p, "ideology", "tactic_levels") / T if 0 < p.ideology < 1 else None
    if dI is not None:
        s = np.asarray(p.tactic_sanction)
        assert agree(dI, -(E[1:, 1:] @ (s / q)))
    # envelope
    mu = float(o["mu"])
    assert agree(fd(p, "resources", "control"), mu)
    k = int(np.argmax(p.tactic_sanction))
    if p.tactic_sanction[k] > 0:
        assert agree(fd(p, "tactic_sanction", "control", k), -mu * (1 - p.ideology) * T[k])
    if p.enabler_sanction > 0:
        assert agree(fd(p, "enabler_sanction", "control"), -mu * float(o["enabler_input"]))


# ---------------------------------------------------------------- section 7 against finite differences
@pytest.mark.parametrize("p", points(7, 14, objective="max_control"))
def test_deaths_formulas_match_finite_differences(p):
    g = grads(p)
    for j in range(p.K):
        if p.tactic_sanction[j] > 0:
            assert agree(fd(p, "tactic_sanction", "deaths", j), g["dY_ds_total"][j])
        assert agree(fd(p, "tactic_cost", "deaths", j), g["dY_dw_total"][j])
    assert agree(fd(p, "resources", "deaths"), g["dY_dM_total"])
    if p.enabler_sanction > 0:
        assert agree(fd(p, "enabler_sanction", "deaths"), g["dY_dsE"])
    if 0 < p.ideology < 1:
        assert agree(fd(p, "ideology", "deaths"), g["dY_dideology_total"])
    if math.isinf(p.enabler_supply_elasticity):
        # fixed enabler price: the partial formulas are the total ones
        assert agree(g["dY_ds_total"], g["dY_ds"]) and agree(g["dY_dM_total"], g["dY_dM"])
        o = solve(p)
        j = 0
        dlnb = fd(p, "tactic_productivity", "deaths", j) * p.tactic_productivity[j]
        assert agree(dlnb, g["dY_dlnb"][j])
        # uniform increment of every sanction
        h = 1e-6
        up = solve(p.replace(tactic_sanction=tuple(x + h for x in p.tactic_sanction)))
        dn = solve(p.replace(tactic_sanction=tuple(x - h for x in p.tactic_sanction))) if min(
            p.tactic_sanction) >= h else o
        step = 2 * h if min(p.tactic_sanction) >= h else h
        assert agree((up["deaths"] - dn["deaths"]) / step, g["dY_duniform"], tol=1e-4)
        # mix-neutral pressure: every q_k × (1 + τ)
        tau = 1e-6
        qn = o["tactic_prices"] * (1 + tau)
        wn = tuple(qn - np.asarray(p.enabler_intensity) * float(o["enabler_price"])
                   - (1 - p.ideology) * np.asarray(p.tactic_sanction))
        assert agree((solve(p.replace(tactic_cost=wn))["deaths"] - o["deaths"]) / tau, g["dY_dmixneutral"], tol=1e-4)


def test_chi_E_in_unit_interval_and_equal_to_finite_difference():
    for p in points(8, 20, finite=True):
        o = solve(p)
        if o["enabler_input"] == 0:
            continue
        chi = float(o["chi_E"])
        assert 0 < chi <= 1
        assert agree(fd(p, "enabler_sanction", "enabler_price"), chi)


# ---------------------------------------------------------------- 7.2 backfire
def test_backfire_sign_matches_a_small_discrete_sanction():
    for p in points(9, 40, objective="max_control", finite=False):
        g = grads(p)
        base = float(solve(p)["deaths"])
        for j in range(p.K):
            m = g["bracket"][j]
            if abs(m) < 1e-4 * max(1.0, float(np.max(np.abs(g["bracket"])))):
                continue
            after = float(solve(shame(p, {p.tactics[j]: 1e-5}))["deaths"])
            if p.ideology < 1:
                assert (after > base) == (m > 0)


def test_backfire_ratio_form_with_no_collateral_deaths():
    # ψ = 0: backfire iff r < 1 and σ_T > σ̄/(1 − r); default thresholds 1.2, 1.5, 1.2
    o = solve()
    g = grads(params())
    r = g["d"] / g["dbar"]
    assert close(r, (10 / 3, 1 / 6, 1 / 3, 1 / 6))
    for st in (1.1, 1.19, 1.21, 1.49, 1.51, 3.0):
        g = grads(params(tactic_substitution=st))
        for j, thr in [(1, 1.2), (2, 1.5), (3, 1.2)]:
            assert (g["bracket"][j] > 0) == (st > thr)
        assert g["bracket"][0] < 0
    assert o is not None


def test_discrete_sanction_at_the_local_threshold():
    """+1 on imprisonment at σ_T = 1.5 (the local threshold) raises deaths: the discrete answer
    differs from the marginal one because d̄ and S_k move with the sanction."""
    g = grads(params(tactic_substitution=1.5))
    assert abs(g["bracket"][2]) < 1e-12
    assert solve(shame(params(tactic_substitution=1.5), {"imprisonment": 1}))["deaths"] > 15


# ---------------------------------------------------------------- 7.3 uniform pressure
def test_flat_sanction_lowers_every_cheap_tactic():
    for p in points(10, 40, objective="max_control", finite=False):
        o = solve(p)
        q, S = o["tactic_prices"], o["tactic_shares"]
        h = 1e-6
        up = solve(p.replace(tactic_sanction=tuple(x + h for x in p.tactic_sanction)))
        cheap = 1 / q >= np.sum(S / q) * (1 + 1e-9)
        if p.ideology < 1:
            assert np.all(up["tactic_levels"][cheap] < o["tactic_levels"][cheap])


def test_uniform_pressure_with_equal_prices_never_backfires_unless_kappa_negative():
    for st in (0.5, 2.0, 5.0):
        for sg, psi in [(1.0, 0.0), (2.0, 0.0), (0.5, 1.0), (2.0, 3.0)]:
            p = params(tactic_substitution=st, substitution_elasticity=sg, lethality_rebels=psi,
                       tactic_cost=(0.5, 0.75, 0.75, 1.0))
            g = grads(p)
            assert np.all(np.isclose(solve(p)["tactic_prices"], 1.0))
            assert (g["dY_duniform"] > 0) == (g["kappa"] < 0)


# ---------------------------------------------------------------- 7.4 enablers
def test_input_free_tactic_rises_under_enabler_sanction_iff_above_bound():
    for p in points(11, 60, objective="max_control", finite=False):
        e = np.asarray(p.enabler_intensity)
        free = np.flatnonzero(e == 0)
        if free.size == 0 or free.size == p.K:
            continue
        o = solve(p)
        sR, sC = float(o["rebel_share"]), float(o["civilian_share"])
        sg = p.substitution_elasticity
        bound = (sg * sR + sC) - (sg - 1) * sR * (p.enabler_intensity_rebels / float(o["price_rebels"])) / float(
            np.sum(o["tactic_shares"] * e / o["tactic_prices"]))
        if abs(p.tactic_substitution - bound) < 1e-3:
            continue
        k = free[0]
        dT = float(o["dlnT_dlnpE"][k])
        assert (dT > 0) == (p.tactic_substitution > bound)


# ---------------------------------------------------------------- 7.5 protection, 7.6 resources, 7.7 ideology
def test_protection_reduces_the_targeted_tactic_iff_condition():
    for p in points(12, 40, objective="max_control", finite=False):
        o = solve(p)
        sb = sbar(o, p)
        S = o["tactic_shares"]
        st = p.tactic_substitution
        for j in range(p.K):
            cond = (st - 1) * (1 - S[j]) + (sb - 1) * S[j]
            if abs(cond) < 1e-4:
                continue
            b = list(p.tactic_productivity)
            b[j] *= 1 - 1e-5
            after = solve(p.replace(tactic_productivity=tuple(b)))["tactic_levels"][j]
            assert (after < o["tactic_levels"][j]) == (cond > 0)


def test_resource_cut_is_proportional_with_elastic_supply():
    for p in points(13, 20, objective="max_control", finite=False):
        o, c = solve(p), solve(p.replace(resources=0.75 * p.resources))
        assert close(c["tactic_levels"], 0.75 * o["tactic_levels"], rel=1e-12)
        assert close(c["deaths"], 0.75 * o["deaths"], rel=1e-12)
        assert close(c["tactic_shares"], o["tactic_shares"], rel=1e-12)


def test_correction_resource_cut_changes_the_mix_with_finite_enabler_supply():
    """Correction: with a finite enabler-supply elasticity a resource cut lowers the demand for
    enabler input, so the enabler price falls, enabler-intensive tactics get relatively cheaper
    and the mix changes: here killing *rises* when resources are cut by a quarter, and deaths
    rise too. 'A resource cut never changes the mix and never backfires' holds only for
    perfectly elastic supply (or when no activity uses enabler input)."""
    p = params(tactic_substitution=4.0, enabler_supply_elasticity=0.05, enabler_capacity=37.5,
               lethality=(1.0, 0.0, 0.0, 0.0))
    o, c = solve(p), solve(p.replace(resources=75.0))
    assert c["enabler_price"] < o["enabler_price"]
    assert not close(c["tactic_shares"], o["tactic_shares"], rel=1e-3)
    assert c["tactic_levels"][0] > o["tactic_levels"][0]
    assert c["deaths"] > o["deaths"]
    g = grads(p)
    assert g["dY_dM_total"] < 0 < g["dY_dM"]


def test_ideology_has_no_effect_without_sanctions_and_sanctions_none_at_full_commitment():
    p = params(ideology=0.7)
    assert close(solve(p)["tactic_levels"], solve()["tactic_levels"], rel=1e-14)
    q = params(ideology=1.0, tactic_sanction=(3, 0, 1, 2))
    assert close(solve(q)["tactic_levels"], solve()["tactic_levels"], rel=1e-14)
    # enabler, resource and implementer pressure do not depend on ι
    for iota in (0.0, 0.6, 1.0):
        assert close(solve(params(ideology=iota, enabler_sanction=0.5))["deaths"], 11.29917184)
        assert close(solve(params(ideology=iota, resources=75.0))["deaths"], 11.25)


def test_uniform_pressure_bites_less_with_ideology():
    d = [float(solve(shame_all(params(ideology=i), 0.5))["deaths"]) for i in np.linspace(0, 1, 6)]
    assert np.all(np.diff(d) > 0)


# ---------------------------------------------------------------- 6.7 co-occurrence
def test_every_tactic_moves_together_with_resources_and_usefulness():
    for st in (0.5, 2.0):
        p = params(tactic_substitution=st, tactic_cost=(0.5, 0.9, 0.6, 1.2))
        o = solve(p)
        for kw in ({"resources": 150.0}, {"share_rebels": 0.3}):
            n = solve(p.replace(**kw))
            assert np.all(n["tactic_levels"] > o["tactic_levels"])
            assert close(n["tactic_shares"], o["tactic_shares"], rel=1e-12)


# ---------------------------------------------------------------- 6.6 calibration
def test_implied_tactic_substitution_inverts_the_cross_elasticity():
    for p in points(14, 20, objective="max_control", finite=False):
        if p.K < 2:
            continue
        o = solve(p)
        E = elasticities(o, p.tactic_substitution, p.substitution_elasticity)
        S1 = float(o["tactic_shares"][1])
        sg = p.substitution_elasticity
        implied = 1 + (sg - 1) * (1 - float(o["civilian_share"])) + E[1, 2] / S1
        assert close(implied, p.tactic_substitution, rel=1e-9)


# ---------------------------------------------------------------- 5.4 duality, 10.9 K = 1
def test_duality_both_directions():
    for p in points(15, 20, objective="max_control"):
        o = solve(p)
        h = solve(p.replace(objective="min_cost", control_target=float(o["control"])))
        assert close(h["cost"], p.resources, rel=1e-9)
        assert close(h["tactic_levels"], o["tactic_levels"], rel=1e-9)
        m = solve(p.replace(resources=float(h["cost"])))
        assert close(m["control"], o["control"], rel=1e-9)


def test_k1_equals_anderton_brauer_ces():
    from atrogame.models.anderton_brauer import AndertonBrauer

    rng = np.random.default_rng(16)
    for _ in range(25):
        p = draw(rng, K=1, objective="max_control", finite=False)
        o = solve(p)
        ab = AndertonBrauer(technology="ces", price_civilians=float(o["tactic_prices"][0]),
                            price_rebels=float(o["price_rebels"]), resources=p.resources, tfp=p.tfp,
                            share_rebels=p.share_rebels, substitution_elasticity=p.substitution_elasticity,
                            productivity_rebels=p.productivity_rebels,
                            productivity_civilians=p.productivity_civilians * p.tactic_productivity[0]).solve()
        assert close(ab["civilian_attacks"], o["tactic_levels"][0], rel=1e-9)
        assert close(ab["rebel_attacks"], o["rebel_attacks"], rel=1e-9)
        assert close(ab["control"], o["control"], rel=1e-9)


def test_vectorised_kernel_never_nan_over_random_points():
    pts = points(17, 60)
    for p in pts:
        out = closed_form(p.kernel_values(), p.objective)
        assert all(np.all(np.isfinite(np.asarray(v))) for v in out.values())
