"""Strategic mass killing: the sympy derivation agrees with the primitives, the closed form and
finite differences; the signed comparative statics of the interior killing share."""

from __future__ import annotations

import numpy as np
import pytest
import sympy as sp
from smk_helpers import DEFAULTS, boundary_margin, labels, random_points

from atrogame.models.strategic_mass_killing.kernel import closed_form
from atrogame.models.strategic_mass_killing.params import ORDER
from atrogame.models.strategic_mass_killing.symbolic import (
    _derive,
    branch_outcome,
    compiled_outcome,
    compiled_statics,
    derivation,
    sign_on_domain,
    statics,
)

INTERIOR = ("interior", "deterred", "contested")
CHECKED = ("killing_share_incumbent", "killing_share_opposition", "stake_incumbent", "stake_opposition",
           "effort_incumbent", "effort_opposition", "win_prob_incumbent", "challenge_gain", "p_conflict",
           "p_mass_killing", "expected_deaths", "welfare_loss", "deterrent_cap", "deterrent_sanction")


def test_payoffs_are_linear_quadratic_in_the_toll():
    g = _derive()
    v, n_g = g.v, g.n_g
    assert sp.expand(g.U_g - g.U_g.subs(v, 0) - (g.m * v - g.p["killing_cost_curvature"] * v**2 / (2 * n_g))) == 0
    assert sp.expand(g.U_h - g.U_h.subs(v, 0) + g.loss * v) == 0
    d = derivation()
    assert sp.simplify(d["unconstrained_toll"] - g.m * n_g / g.p["killing_cost_curvature"]) == 0
    # v̂ solves Γ(v) = φ
    root = d["deterrent_cap"]
    assert sp.simplify(g.gamma.subs(v, root) - g.p["killing_fixed_cost"]) == 0


FAST = ("killing_share_incumbent", "win_prob_incumbent", "p_conflict", "expected_deaths", "welfare_loss")


@pytest.mark.parametrize(("n", "names", "branches"), [
    (120, FAST, 10),
    pytest.param(250, CHECKED, 15, marks=pytest.mark.slow),
])
def test_symbolic_equals_closed_form_at_random_points(n, names, branches):
    pts = random_points(n, seed=77)
    out = closed_form(pts)
    seen = set()
    for i in range(n):
        point = {k: float(v[i]) for k, v in pts.items()}
        one = {k: np.asarray(v)[i] for k, v in out.items()}
        if boundary_margin(point) < 1e-9 or float(one["stake_incumbent"] + one["stake_opposition"]) == 0:
            continue
        branch = labels(one)
        seen.add(branch)
        for name in names:
            sym = float(compiled_outcome(name, branch)(*(point[n] for n in ORDER)))
            assert sym == pytest.approx(float(one[name]), rel=1e-9, abs=1e-12), (name, branch)
    assert len(seen) >= branches


# section 6.1 of the model: ∂k*/∂x on the interior branch, and its sign over the domain
def _k_table():
    s = _derive().p
    R, w, a, ps, chi = (s[k] for k in ("resource_rents", "productivity", "proportional_sharing", "power_sharing",
                                        "headcount_claims"))
    mu, c, th, de, n = (s[k] for k in ("killing_labour", "killing_cost_curvature", "state_weakness",
                                       "future_weight", "incumbent_share"))
    nh = 1 - n
    prize = (1 - 2 * ps) * (1 - a) * R
    k = branch_outcome("killing_share_incumbent", INTERIOR)
    return {
        "resource_rents": (n * (chi * a + th * de * (1 - 2 * ps) * (1 - a)) / (c * nh), "positive"),
        "proportional_sharing": (n * R * (chi - th * de * (1 - 2 * ps)) / (c * nh), "ambiguous"),
        "power_sharing": (-2 * n * th * de * (1 - a) * R / (c * nh), "negative"),
        "productivity": (-mu * n / (c * nh), "negative"),
        "killing_labour": (-w * n / (c * nh), "negative"),
        "sanction_per_victim": (-n / (c * nh), "negative"),
        "state_weakness": (n * de * prize / (c * nh), "positive"),
        "future_weight": (n * th * prize / (c * nh), "positive"),
        "headcount_claims": (n * a * R / (c * nh), "positive"),
        "killing_cost_curvature": (-k / c, "ambiguous"),   # −k*/c: negative where k* > 0 (sympy does not know m > 0)
        "incumbent_share": (_derive().m / (c * nh**2), "ambiguous"),  # m/(c n_h²) > 0 where m > 0
        "killing_fixed_cost": (0, "zero"),
        "killing_cap": (0, "zero"),
        "death_loss": (0, "zero"),
        "mobilisation_cost_max": (0, "zero"),
    }


@pytest.mark.parametrize("wrt", ORDER)
def test_interior_killing_share_statics(wrt):
    formula, sign = _k_table()[wrt]
    d = statics("killing_share_incumbent", wrt, INTERIOR)
    assert sp.simplify(d - formula) == 0
    assert sign_on_domain(d) == sign
    assert derivation()[f"d_k_d_{wrt}"] == d


def test_capped_killing_share_statics():
    capped = ("capped", "deterred", "contested")
    s = _derive().p
    n, vbar = s["incumbent_share"], s["killing_cap"]
    assert sp.simplify(statics("killing_share_incumbent", "killing_cap", capped) - 1 / (1 - n)) == 0
    assert sp.simplify(statics("killing_share_incumbent", "incumbent_share", capped) - vbar / (1 - n) ** 2) == 0
    for other in set(ORDER) - {"killing_cap", "incumbent_share"}:
        assert statics("killing_share_incumbent", other, capped) == 0


def test_contest_derivatives():
    d = derivation()
    V_I, V_O = sp.symbols("V_I V_O", positive=True)
    w = _derive().p["productivity"]
    S = V_I + V_O
    P = d["win_prob_incumbent"]
    assert sp.simplify(sp.diff(P, V_I) - V_O / S**2) == 0
    assert sp.simplify(sp.diff(P, V_O) + V_I / S**2) == 0
    E_O = d["effort_opposition"]
    assert sp.simplify(sp.diff(E_O, V_I) - V_O**2 * (V_O - V_I) / (w * S**3)) == 0
    assert sp.simplify(sp.diff(E_O, V_O) - 2 * V_I**2 * V_O / (w * S**3)) == 0
    surplus = V_O**3 / S**2
    assert sp.simplify(sp.diff(surplus, V_O) - V_O**2 * (V_O + 3 * V_I) / S**3) == 0
    assert sp.simplify(sp.diff(surplus, V_I) + 2 * V_O**3 / S**3) == 0
    # both first-order conditions hold at the closed-form efforts (checked in the derivation too)
    assert sp.simplify(d["contest_foc_incumbent"].lhs.subs({sp.Symbol("E_I", positive=True): d["effort_incumbent"],
                                                            sp.Symbol("E_O", positive=True): E_O})) == 0


@pytest.mark.parametrize(("of", "params"), [
    ("killing_share_incumbent", ("resource_rents", "proportional_sharing", "power_sharing", "productivity",
                                 "killing_cap", "state_weakness", "incumbent_share")),
    ("win_prob_incumbent", ("resource_rents", "power_sharing", "killing_cap", "incumbent_share")),
    ("p_conflict", ("resource_rents", "proportional_sharing", "killing_cap", "state_weakness")),
    ("expected_deaths", ("resource_rents", "killing_cap", "productivity")),
    ("welfare_loss", ("killing_cap", "power_sharing")),
    ("effort_opposition", ("resource_rents", "killing_cap", "incumbent_share")),
])
def test_symbolic_derivatives_equal_finite_differences(of, params):
    pts = random_points(400, seed=303)
    out = closed_form(pts)
    checked = 0
    for i in range(400):
        point = {k: float(v[i]) for k, v in pts.items()}
        branch = labels({k: np.asarray(v)[i] for k, v in out.items()})
        if branch not in (INTERIOR, ("capped", "deterred", "contested")) or boundary_margin(point) < 1e-4:
            continue
        for wrt in params:
            h = 1e-6
            up = closed_form({**point, wrt: point[wrt] + h})
            dn = closed_form({**point, wrt: point[wrt] - h})
            if labels(up) != branch or labels(dn) != branch:
                continue
            fd = (float(up[of]) - float(dn[of])) / (2 * h)
            sym = compiled_statics(of, wrt, branch)(*(point[n] for n in ORDER))
            assert float(sym) == pytest.approx(fd, rel=1e-4, abs=1e-7), (of, wrt, branch)
            checked += 1
        if checked > 30:
            break
    assert checked > 10


def test_defaults_value_per_victim():
    m = sp.lambdify([_derive().p[n] for n in ORDER], derivation()["value_per_victim"])(*(DEFAULTS[n] for n in ORDER))
    assert m == pytest.approx(0.38)
