"""The sympy derivation: first-order conditions at 30 digits, elasticities, signed statics vs FD."""

from __future__ import annotations

import math

import numpy as np
import pytest
import sympy as sp
from tactics_draws import draw
from tactics_helpers import close, params, solve

from atrogame.models.tactics.closed_form import elasticities
from atrogame.models.tactics.symbolic import SIGNS, derive, sign_of, statics_value, symbol_values, symbols

TAC3 = ("a", "b", "c")
POINT3 = {"tactics": TAC3, "tactic_weights": (sp.Rational(1, 5), sp.Rational(3, 10), sp.Rational(1, 2)),
          "tactic_cost": (0.7, 1.3, 2.1), "tactic_sanction": (0.4, 0.0, 1.1), "tactic_productivity": (1.2, 0.8, 1.5),
          "lethality": (1.0, 0.2, 0.5), "enabler_intensity": (0.3, 0.1, 0.0), "tactic_substitution": 1.7,
          "substitution_elasticity": 0.6, "ideology": 0.3, "share_rebels": 0.35}


def _p3(**kw):
    d = {**POINT3, **kw}
    d["tactic_weights"] = tuple(float(x) for x in d["tactic_weights"])
    return params(**d)


def _subs30(p):
    s = symbols(p.tactics)
    vals = symbol_values(p)
    vals[s["tactic_weights[a]"]] = sp.Rational(1, 5)
    vals[s["tactic_weights[b]"]] = sp.Rational(3, 10)
    vals[s["tactic_weights[c]"]] = sp.Rational(1, 2)
    return {k: (sp.nsimplify(v) if not isinstance(v, sp.Basic) else v) for k, v in vals.items()}


@pytest.mark.slow
def test_closed_form_satisfies_focs_and_budget_at_30_digits():
    p = _p3()
    d = derive(TAC3)
    s = symbols(TAC3)
    vals = _subs30(p)
    Rs, Ts = sp.Symbol("R", positive=True), [sp.Symbol(f"T{i}", positive=True) for i in range(3)]
    sigT, sig = s["tactic_substitution"], s["substitution_elasticity"]
    rT, r = (sigT - 1) / sigT, (sig - 1) / sig
    C = sp.Add(*[s[f"tactic_weights[{t}]"] * (s[f"tactic_productivity[{t}]"] * T) ** rT
                 for t, T in zip(TAC3, Ts, strict=True)]) ** (1 / rT)
    th = s["share_rebels"]
    F = s["tfp"] * (th * (s["productivity_rebels"] * Rs) ** r + (1 - th) * (s["productivity_civilians"] * C) ** r) ** (
        1 / r)
    at = {Rs: d["rebel_attacks"].subs(vals).evalf(40), **{T: d[f"tactic_levels[{t}]"].subs(vals).evalf(40)
                                                          for t, T in zip(TAC3, Ts, strict=True)}}
    mu = (sp.diff(F, Rs) / d["price_rebels"]).subs(vals).subs(at).evalf(40)
    for t, T in zip(TAC3, Ts, strict=True):
        ratio = (sp.diff(F, T) / d[f"tactic_prices[{t}]"]).subs(vals).subs(at).evalf(40)
        assert abs(ratio - mu) < sp.Float(10) ** -30 * abs(mu)
    spend = (d["price_rebels"] * Rs + sp.Add(*[d[f"tactic_prices[{t}]"] * T for t, T in zip(TAC3, Ts, strict=True)]))
    assert abs(spend.subs(vals).subs(at).evalf(40) - 100) < sp.Float(10) ** -28
    assert abs(F.subs(vals).subs(at).evalf(40) - d["control"].subs(vals).evalf(40)) < sp.Float(10) ** -28


def test_sympy_log_derivative_equals_the_marshallian_formula():
    p = _p3()
    d = derive(TAC3)
    s = symbols(TAC3)
    vals = _subs30(p)
    o = solve(p)
    E = elasticities(o, p.tactic_substitution, p.substitution_elasticity)
    lnT1 = sp.log(d["tactic_levels[a]"])
    for j, t in enumerate(TAC3):
        w = s[f"tactic_cost[{t}]"]
        val = (sp.diff(lnT1, w) * d[f"tactic_prices[{t}]"]).subs(vals).evalf(30)
        assert abs(float(val) - E[1, 1 + j]) < 1e-13
    w = s["cost_rebels"]
    assert abs(float((sp.diff(lnT1, w) * d["price_rebels"]).subs(vals).evalf(30)) - E[1, 0]) < 1e-13


def test_spec_comparative_statics_values_symbolically():
    p = params()
    assert close(statics_value(p, "tactic_levels[killing]", "tactic_sanction[killing]")[1], -21.875)
    assert close(statics_value(p, "tactic_levels[killing]", "tactic_sanction[imprisonment]")[1], 3.125)
    got = [statics_value(p, "deaths", f"tactic_sanction[{t}]")[1] for t in p.tactics]
    assert close(got, (-21.25, 2.5, 1.25, 2.5))
    assert close(statics_value(p, "deaths", "enabler_sanction")[1], -9.6875)
    assert close(statics_value(p, "deaths", "resources")[1], 0.15)


PAIRS = [("deaths", "tactic_sanction[t0]"), ("tactic_levels[t0]", "tactic_cost[t0]"), ("rebel_attacks", "ideology"),
         ("deaths", "enabler_sanction"), ("control", "resources"), ("deaths", "share_rebels"),
         ("tactic_levels[t0]", "tactic_substitution"), ("deaths", "substitution_elasticity"),
         ("civilian_violence", "tactic_productivity[t0]"), ("deaths", "resources")]


def _fd(p, of, wrt, rel=1e-6):
    name, _, tac = wrt.partition("[")
    tac = tac.rstrip("]")

    def at(x):
        if tac:
            vec = dict(zip(p.tactics, getattr(p, name), strict=True))
            vec[tac] = x
            return p.replace(**{name: vec})
        return p.replace(**{name: x})

    x0 = dict(zip(p.tactics, getattr(p, name), strict=True))[tac] if tac else getattr(p, name)
    h = rel * max(abs(x0), 1.0)
    lo = x0 - h if x0 - h > 0 or (name == "ideology" and x0 - h >= 0) else x0
    hi = x0 + h if not (name in ("ideology", "share_rebels") and x0 + h > 1 - 1e-12) else x0
    oname, _, otac = of.partition("[")

    def val(q):
        o = solve(q)
        v = o[oname]
        return float(v[q.tactics.index(otac.rstrip("]"))]) if otac else float(v)

    return (val(at(hi)) - val(at(lo))) / (hi - lo)


@pytest.mark.parametrize("seed", range(8))
def test_symbolic_statics_match_finite_differences(seed):
    rng = np.random.default_rng(100 + seed)
    p = draw(rng, objective="max_control", finite=seed % 2 == 1, K=int(rng.integers(1, 4)))
    if abs(p.tactic_substitution - 1) < 1e-3 or abs(p.substitution_elasticity - 1) < 1e-3:
        p = p.replace(tactic_substitution=1.37, substitution_elasticity=0.83)
    pE = float(solve(p)["enabler_price"])
    for of, wrt in PAIRS:
        _, v = statics_value(p, of, wrt, enabler_price=pE)
        f = _fd(p, of, wrt)
        assert abs(v - f) <= 1e-5 * max(1, abs(v), abs(f)), (of, wrt, v, f)


def test_min_cost_statics_match_finite_differences():
    p = _p3(objective="min_cost", control_target=20.0)
    for of, wrt in [("tactic_levels[a]", "tactic_cost[b]"), ("cost", "control_target"), ("deaths", "ideology")]:
        _, v = statics_value(p, of, wrt)
        f = _fd(p, of, wrt)
        assert abs(v - f) <= 1e-5 * max(1, abs(v), abs(f))


N_SIGN_POINTS = 10


def test_built_in_signs_hold_at_random_points_with_elastic_supply():
    rng = np.random.default_rng(7)
    checked = 0
    for _ in range(N_SIGN_POINTS):
        p = draw(rng, objective="max_control", finite=False, K=int(rng.integers(2, 4)))
        if not 0 < p.ideology < 1:
            p = p.replace(ideology=0.4)
        if all(x == 0 for x in p.tactic_sanction):
            p = p.replace(tactic_sanction=(0.5, *p.tactic_sanction[1:]))
        pE = float(solve(p)["enabler_price"])
        for of in ("tactic_levels[t0]", "rebel_attacks", "civilian_violence", "deaths", "control"):
            for wrt in ("tactic_sanction[t0]", "tactic_cost[t1]", "ideology", "enabler_sanction", "resources",
                        "share_rebels", "tfp", "lethality[t0]"):
                sign = sign_of(p, of, wrt)
                if sign == "ambiguous":
                    continue
                _, v = statics_value(p, of, wrt, enabler_price=pE)
                scale = max(1e-9, abs(float(solve(p)["deaths"])) + 1)
                if sign == "zero":
                    assert abs(v) < 1e-9 * scale, (of, wrt, v)
                else:
                    assert (v > 0) == (sign == "positive"), (of, wrt, v)
                    checked += 1
    assert checked > 8 * N_SIGN_POINTS
    assert len(SIGNS) == 40


def test_correction_sign_table_needs_elastic_supply():
    """Correction: with a finite enabler-supply elasticity the tabulated sign 'tactic_levels[k]
    w.r.t. resources: positive' fails (more resources bid up the enabler price, and an
    enabler-intensive tactic can fall); sign_of therefore reports 'ambiguous' off the table's
    domain, and the local derivative is negative here."""
    p = params(tactic_substitution=4.0, enabler_supply_elasticity=0.05, enabler_capacity=37.5)
    pE = float(solve(p)["enabler_price"])
    _, v = statics_value(p, "tactic_levels[killing]", "resources", enabler_price=pE)
    assert v < 0
    assert sign_of(p, "tactic_levels[killing]", "resources") == "ambiguous"
    assert sign_of(params(), "tactic_levels[killing]", "resources") == "positive"


def test_structural_zeros():
    p = params(ideology=1.0, tactic_sanction=(1, 0, 0, 0))
    assert sign_of(p, "deaths", "tactic_sanction[killing]") == "zero"
    assert abs(statics_value(p, "deaths", "tactic_sanction[killing]")[1]) < 1e-12
    assert sign_of(params(), "deaths", "ideology") == "zero"
    assert sign_of(params(lethality=(0, 0, 0, 0)), "deaths", "resources") == "zero"
    assert math.isclose(statics_value(params(), "deaths", "ideology")[1], 0.0, abs_tol=1e-14)


def test_rendered_formulas_equal_the_closed_form():
    """The compact formulas shown on the docs page evaluate to the closed form's numbers."""
    from atrogame.models.tactics.symbolic import formulas

    p = _p3()
    o = solve(p)
    F = formulas()
    syms = {str(x): x for f in F.values() for side in f for x in side.free_symbols}
    K = sp.Symbol("K", integer=True, positive=True)
    base = {syms[r"\sigma_T"]: p.tactic_substitution, syms[r"\sigma"]: p.substitution_elasticity,
            syms[r"\iota"]: p.ideology, syms["p_E"]: float(o["enabler_price"]), syms["p_R"]: float(o["price_rebels"]),
            syms["P_C"]: float(o["civilian_price_index"]), syms["M"]: p.resources, syms[r"\theta"]: p.share_rebels,
            syms["a_R"]: p.productivity_rebels, syms["a_C"]: p.productivity_civilians, syms["A"]: p.tfp,
            syms["s_R"]: float(o["rebel_share"]), syms["s_C"]: float(o["civilian_share"]),
            syms["R"]: float(o["rebel_attacks"]), syms[r"\psi"]: p.lethality_rebels}
    Sig = syms[r"\Sigma"]
    base[Sig] = float(F["Sigma"][1].subs(base))

    def ev(expr, jj=0):
        e = expr.subs(K, 3).doit()
        rep = dict(base)
        for IB, vals in (("q", o["tactic_prices"]), ("w", p.tactic_cost), ("e", p.enabler_intensity),
                         ("s", p.tactic_sanction), (r"\omega", p.tactic_weights), ("b", p.tactic_productivity),
                         (r"\lambda", p.lethality), ("S", o["tactic_shares"]), ("T", o["tactic_levels"])):
            ib = sp.IndexedBase(IB)
            for i in range(3):
                rep[ib[i + 1]] = float(vals[i])
            rep[ib[sp.Idx("j")]] = float(vals[jj])
        return float(e.subs(rep))

    assert close(ev(F["q_j"][1]), o["tactic_prices"][0], rel=1e-12)
    assert close(ev(F["P_C"][1]), o["civilian_price_index"], rel=1e-12)
    assert close(ev(F["S_j"][1], 1), o["tactic_shares"][1], rel=1e-12)
    assert close(ev(F["s_C"][1]), o["civilian_share"], rel=1e-12)
    assert close(ev(F["T_j"][1], 2), o["tactic_levels"][2], rel=1e-12)
    assert close(ev(F["R"][1]), o["rebel_attacks"], rel=1e-12)
    assert close(ev(F["Z"][1]), o["control"], rel=1e-12)
    assert close(ev(F["D"][1]), o["deaths"], rel=1e-12)
