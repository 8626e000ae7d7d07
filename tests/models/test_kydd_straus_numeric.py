"""The numeric solver and replaceable forms of the Kydd–Straus game (spec §8).

Checks: spec §9 values (T1–T12) from the numeric solver alone; agreement with the closed
form at random valid parameters; non-uniform type distributions against G's first-order
conditions written independently here; replaced forms against the war-stage conditions and
a brute-force grid over (a, x); global search, ties and errors.
"""

from __future__ import annotations

import math
import re
import runpy
from dataclasses import fields
from pathlib import Path

import numpy as np
import pytest
import scipy.stats as st
import sympy as sp
from hypothesis import assume, given, settings
from hypothesis import strategies as hst
from ks_spec_values import SPEC_EXTRA, SPEC_T
from scipy.integrate import quad

from atrogame import ParameterError
from atrogame.models.kydd_straus.numeric import OUTCOME_NAMES, Forms, default_forms, solve_numeric
from atrogame.models.kydd_straus import KyddStrausParams

P = KyddStrausParams

# ----------------------------------------------------------------------------- spec §9

@pytest.mark.parametrize("tid", list(SPEC_T))
def test_spec_values_numeric(tid):
    changes, a, q, x, ea, ug, regime = SPEC_T[tid]
    p = P(**changes)
    out = solve_numeric(p, Forms())
    got = [out[k] for k in ("atrocities_in_war", "p_war", "offer", "expected_atrocities", "government_utility")]
    assert got == pytest.approx([a, q, x, ea, ug], abs=1e-6)
    assert out["regime"] == regime
    assert out["ties"] is False
    assert out["foc_residual"] < 1e-10
    for k, v in SPEC_EXTRA.get(tid, {}).items():
        assert out[k] == pytest.approx(v, abs=1e-6), k
    # invariant of spec §9: S* = d + (h + k) a* + κ a*²/2 = 1 − V* − W_G*
    s_direct = p.government_war_cost + (p.atrocity_harm + p.atrocity_penalty) * out["atrocities_in_war"] \
        + p.atrocity_cost_curvature * out["atrocities_in_war"] ** 2 / 2
    assert out["war_surplus_loss"] == pytest.approx(s_direct, abs=1e-12)
    assert set(OUTCOME_NAMES) | {"regime", "ties", "foc_residual"} == set(out)
    assert all(isinstance(out[k], float) and math.isfinite(out[k]) for k in OUTCOME_NAMES)


# ----------------------------------------------------------------------------- vs the closed form


def _field_strategy(f):
    lo, hi = f.metadata["sweep_range"]
    interval = f.metadata["interval"]
    if not interval.left_closed:
        lo = lo + 1e-3
    if not interval.right_closed:
        hi = hi - 1e-3
    return hst.one_of(hst.sampled_from([lo, hi]), hst.floats(lo, hi, allow_nan=False, allow_subnormal=False))


params_strategy = hst.fixed_dictionaries({f.name: _field_strategy(f) for f in fields(P)})


def _closed(p):
    import atrogame as ag

    return ag.KyddStraus(p).solve()


def _regime_margin(p, a):
    """Distance of the closed form's regime conditions from their boundaries at (p, a*)."""
    pi1 = p.intervention_commitment * (1 - p.war_trigger_share)
    pi = p.intervention_commitment * p.war_trigger_share + pi1 * a
    pw = p.rebel_strength * (1 - p.atrocity_effectiveness * a)
    v = (1 - pi) * pw + pi * p.imposed_settlement - p.atrocity_harm * a
    s = p.government_war_cost + (p.atrocity_harm + p.atrocity_penalty) * a + p.atrocity_cost_curvature * a**2 / 2
    se = s + p.inducement_government + p.inducement_minority + p.war_penalty_minority
    vp = v - p.war_penalty_minority - p.inducement_minority
    cb = p.cost_uncertainty
    return min(abs(se - cb), abs(vp - (cb - se) / 2), abs(vp))


@settings(max_examples=80)
@given(params_strategy)
def test_default_forms_agree_with_closed_form(values):
    p = P(**values)
    num = solve_numeric(p, Forms())
    eq = _closed(p)
    assert num["foc_residual"] < 1e-8
    if num["ties"]:
        # several a (or x) are equally good for G; the closed form must pick one of equal value
        assert num["government_war_value"] == pytest.approx(eq["government_war_value"], abs=1e-9)
        assume(False)
    assert num["atrocities_in_war"] == pytest.approx(eq["atrocities_in_war"], abs=1e-8)
    for k in OUTCOME_NAMES:
        assert num[k] == pytest.approx(eq[k], abs=1e-6), k
    if _regime_margin(p, eq["atrocities_in_war"]) > 1e-9:
        assert num["regime"] == eq.regime


def test_default_forms_agree_with_closed_form_at_many_points(rng):
    """200 seeded random points across the whole sweep box (a vectorised draw, one solve each)."""
    box = {f.name: f.metadata["sweep_range"] for f in fields(P)}
    n = 200
    draws = {k: rng.uniform(lo + 1e-3, hi - 1e-3, n) for k, (lo, hi) in box.items()}
    worst_a, worst = 0.0, 0.0
    for j in range(n):
        p = P(**{k: float(v[j]) for k, v in draws.items()})
        num, eq = solve_numeric(p), _closed(p)
        worst_a = max(worst_a, abs(num["atrocities_in_war"] - eq["atrocities_in_war"]))
        worst = max(worst, max(abs(num[k] - eq[k]) for k in OUTCOME_NAMES))
        assert num["regime"] == eq.regime or _regime_margin(p, eq["atrocities_in_war"]) < 1e-9
    assert worst_a < 1e-8
    assert worst < 1e-6


def test_peace_is_checked_before_no_rebellion():
    # V' ≤ 0 and S_e ≥ C̄: spec §4d checks "peace" first (offer max(V', 0) = 0, no war)
    p = P(**SPEC_T["T6"][0], government_war_cost=0.5, cost_uncertainty=0.3)
    out = solve_numeric(p)
    assert out["minority_war_value"] <= 0
    assert out["regime"] == "peace" and out["p_war"] == 0 and out["offer"] == 0
    assert solve_numeric(P(**SPEC_T["T6"][0]))["regime"] == "no_rebellion"


def test_default_forms_given_explicitly_are_default():
    f = Forms(**{k: str(v) for k, v in default_forms().items()})
    assert f.is_default()
    assert Forms().is_default()
    assert not Forms(harm="atrocity_harm*a**2").is_default()
    assert not Forms(type_distribution=st.uniform(0, 0.6)).is_default()


# ----------------------------------------------------------------------------- type distributions


def _truncated(dist, cbar):
    """F, f of ``dist`` truncated to [0, cbar], written independently of the module."""
    g0, g1 = dist.cdf(0.0), dist.cdf(cbar)

    def cdf(u):
        return float(np.clip((dist.cdf(np.clip(u, 0, cbar)) - g0) / (g1 - g0), 0, 1))

    def pdf(u):
        return float(dist.pdf(u) / (g1 - g0)) if 0 <= u <= cbar else 0.0

    return cdf, pdf


def _offer_checks(p, out, dist):
    """G's optimality conditions for the offer, with F from ``dist`` truncated to [0, C̄]."""
    cbar = p.cost_uncertainty
    cdf, pdf = _truncated(dist, cbar)
    w, sg = out["government_war_value"], p.inducement_government
    vp = out["minority_war_value"] - p.war_penalty_minority - p.inducement_minority
    x = out["offer"]

    def u_g(x):
        q = cdf(vp - x)
        return (1 - q) * (1 - x + sg) + q * w

    def du(x):  # dU_G/dx by the density
        return pdf(vp - x) * (1 - x + sg - w) - (1 - cdf(vp - x))

    q = cdf(vp - x)
    assert out["p_war"] == pytest.approx(q, abs=1e-12)
    if out["regime"] == "interior":
        assert x > 0 and q > 0
        # dU_G/dx = 0, or (where the density is steep) a sign change within 1e-12 of x*
        assert abs(du(x)) < 1e-8 or du(x - 1e-12) * du(x + 1e-12) <= 0
    elif out["regime"] == "corner":
        assert x == 0 and q > 0
        assert du(0.0) <= 1e-8
    elif out["regime"] == "peace":  # with V' ≤ 0 only when G would buy off every type anyway (spec §4d order)
        assert q == 0
        assert vp > 0 or x == 0
    else:
        assert vp <= 0 and q == 0 and x == 0
    # no better offer on a fine grid
    xs = np.linspace(0, 1, 20001)
    assert max(u_g(t) for t in xs[::20]) <= u_g(x) + 1e-12
    assert out["government_utility"] == pytest.approx(u_g(x), abs=1e-12)
    # ex ante minority utility: E[max(x + s_M, V* − w_M − c)] by direct quadrature
    accept = x + p.inducement_minority
    war = out["minority_war_value"] - p.war_penalty_minority
    # = accept + ∫ max(0, war − c − accept) dF(c), integrated where the integrand is positive
    cut = min(max(war - accept, 0.0), cbar)
    direct = accept + (quad(lambda c: (war - c - accept) * pdf(c), 0, cut, epsabs=1e-15, limit=200)[0]
                       if cut > 0 else 0.0)
    assert out["minority_utility"] == pytest.approx(direct, abs=1e-8)
    return u_g


@pytest.mark.parametrize(
    "dist_name",
    ["beta23", "truncnorm_by_atrogame", "scipy_truncnorm", "lognorm_wide"],
)
@pytest.mark.parametrize("tid", ["T1", "T2", "T4", "T5", "T6", "T7", "T12"])
def test_nonuniform_distribution_satisfies_offer_conditions(dist_name, tid):
    p = P(**SPEC_T[tid][0])
    cbar = p.cost_uncertainty
    dist = {
        "beta23": st.beta(2, 3, scale=cbar),
        "truncnorm_by_atrogame": st.norm(0.5 * cbar, 0.4 * cbar),  # truncated to [0, C̄] by atrogame
        "scipy_truncnorm": st.truncnorm(-1.0, 1.5, loc=0.4 * cbar, scale=0.4 * cbar),
        "lognorm_wide": st.lognorm(0.8, scale=0.5 * cbar),
    }[dist_name]
    out = solve_numeric(p, Forms(type_distribution=dist))
    # the war stage does not depend on the type distribution
    default = solve_numeric(p)
    assert out["atrocities_in_war"] == default["atrocities_in_war"]
    _offer_checks(p, out, dist)
    assert out["foc_residual"] < 1e-8


def test_scipy_uniform_reproduces_the_closed_form_uniform():
    """A scipy uniform on [0, C̄] goes through the general path (quadrature for E[max]) and
    must reproduce §5's −C̄q²/2 form of the minority's utility."""
    for tid in ("T1", "T4", "T7", "T11", "T12"):
        p = P(**SPEC_T[tid][0])
        a = solve_numeric(p)
        b = solve_numeric(p, Forms(type_distribution=st.uniform(0, p.cost_uncertainty)))
        for k in OUTCOME_NAMES:
            assert b[k] == pytest.approx(a[k], abs=1e-9), (tid, k)
        assert a["regime"] == b["regime"]
        q, cbar = a["p_war"], p.cost_uncertainty
        closed = (1 - q) * (a["offer"] + p.inducement_minority) + q * (
            a["minority_war_value"] - p.war_penalty_minority) - cbar * q**2 / 2
        assert b["minority_utility"] == pytest.approx(closed, abs=1e-10)


def test_uniform_wider_than_cbar_is_truncated():
    p = P()
    out = solve_numeric(p, Forms(type_distribution=st.uniform(-1.0, 3.0)))  # U[-1, 2] truncated to U[0, 0.6]
    ref = solve_numeric(p)
    for k in OUTCOME_NAMES:
        assert out[k] == pytest.approx(ref[k], abs=1e-9)


def test_distribution_with_narrow_support_gives_peace_with_positive_offer():
    # all types have c in [0.3, 0.6]: a weak incentive to fight, bought off by a small offer
    p = P(imposed_settlement=0.4)
    dist = st.uniform(0.3, 0.3)
    out = solve_numeric(p, Forms(type_distribution=dist))
    vp = out["minority_war_value"]
    _offer_checks(p, out, dist)
    assert out["regime"] in ("peace", "interior", "corner")
    if out["regime"] == "peace":
        assert out["offer"] == pytest.approx(max(vp - 0.3, 0.0), abs=1e-12)


# ----------------------------------------------------------------------------- replaced forms

REPLACED = {
    "quadratic_hazard": {"intervention_hazard": "intervention_commitment*a**2"},
    "exp_win_prob": {"win_prob": "rebel_strength*exp(-atrocity_effectiveness*a)"},
    "convex_harm": {"harm": "atrocity_harm*a**2"},
    "all_three": {"intervention_hazard": "intervention_commitment*a**2",
                  "win_prob": "rebel_strength*exp(-atrocity_effectiveness*a)",
                  "harm": "atrocity_harm*a**2"},
    "sqrt_hazard_linear_cost": {"intervention_hazard": "intervention_commitment*sqrt(a)",
                                "atrocity_cost": "atrocity_penalty*a"},
}


def _war_functions(forms, p):
    """W_G(a), W_G'(a), V(a) from the forms, built here with sympy (independent of the module)."""
    a = sp.Symbol("a")
    f = {k: sp.sympify(str(v)) for k, v in forms.resolved().items()}
    vals = {sp.Symbol(k): v for k, v in p.to_dict().items()}
    pi, pw, cost, harm = (f[k].subs(vals) for k in ("intervention_hazard", "win_prob", "atrocity_cost", "harm"))
    wg = (1 - pi) * (1 - pw) + pi * (1 - p.imposed_settlement) - p.government_war_cost - cost
    v = (1 - pi) * pw + pi * p.imposed_settlement - harm
    return (sp.lambdify(a, wg, "numpy"), sp.lambdify(a, sp.diff(wg, a), "numpy"), sp.lambdify(a, v, "numpy"))


@pytest.mark.parametrize("name", list(REPLACED))
@pytest.mark.parametrize("tid", ["T1", "T2", "T3", "T4", "T8", "T9"])
def test_replaced_forms_war_stage_and_brute_force(name, tid):
    p = P(**SPEC_T[tid][0])
    forms = Forms.from_mapping(REPLACED[name])
    out = solve_numeric(p, forms)
    wg, dwg, v = _war_functions(forms, p)
    a = out["atrocities_in_war"]
    if 0 < a < 1:
        assert abs(float(dwg(a))) < 1e-8
    elif a == 0:  # W_G' may be infinite at 0 (sqrt forms): check the one-sided condition by values
        assert float(wg(0.0)) >= float(wg(1e-9))
    else:
        assert float(dwg(1.0)) >= -1e-8
    assert out["government_war_value"] == pytest.approx(float(wg(a)), abs=1e-12)
    assert out["minority_war_value"] == pytest.approx(float(v(a)), abs=1e-12)
    # brute force over (a, x): a grid argmax of W_G, then a grid argmax of U_G given that war
    ag_ = np.linspace(0, 1, 200001)
    wvals = wg(ag_)
    a_bf = ag_[np.argmax(wvals)]
    assert wvals.max() <= out["government_war_value"] + 1e-12
    assert abs(a_bf - a) <= 2e-5
    vp = float(v(a_bf)) - p.war_penalty_minority - p.inducement_minority
    xs = np.linspace(0, 1, 200001)
    q = np.clip((vp - xs) / p.cost_uncertainty, 0, 1)
    ug = (1 - q) * (1 - xs + p.inducement_government) + q * float(wg(a_bf))
    assert abs(xs[np.argmax(ug)] - out["offer"]) <= 1e-4
    assert ug.max() == pytest.approx(out["government_utility"], abs=1e-5)  # a_bf is within 5e-6 of a*
    assert out["foc_residual"] < 1e-8


def test_replaced_forms_at_random_parameters_vs_brute_force(rng):
    """30 seeded random points of the sweep box with all three replaced forms."""
    forms = Forms.from_mapping(REPLACED["all_three"])
    box = {f.name: f.metadata["sweep_range"] for f in fields(P)}
    grid = np.linspace(0, 1, 100001)
    for _ in range(30):
        p = P(**{k: float(rng.uniform(lo + 1e-3, hi - 1e-3)) for k, (lo, hi) in box.items()})
        out = solve_numeric(p, forms)
        wg, dwg, _ = _war_functions(forms, p)
        a = out["atrocities_in_war"]
        g = float(dwg(a))
        assert (0 < a < 1 and abs(g) < 1e-8) or (a == 0 and g <= 1e-8) or (a == 1 and g >= -1e-8)
        wvals = wg(grid)
        assert wvals.max() <= out["government_war_value"] + 1e-12
        if not out["ties"]:
            assert abs(grid[np.argmax(wvals)] - a) <= 2e-5
        _offer_checks(p, out, st.uniform(0, p.cost_uncertainty))
        assert out["foc_residual"] < 1e-8


def test_replaced_forms_with_nonuniform_distribution():
    p = P()
    dist = st.beta(2, 3, scale=p.cost_uncertainty)
    forms = Forms.from_mapping({**REPLACED["all_three"], "type_distribution": dist})
    out = solve_numeric(p, forms)
    _, dwg, _ = _war_functions(forms, p)
    assert abs(float(dwg(out["atrocities_in_war"]))) < 1e-8
    _offer_checks(p, out, dist)


def test_sympy_objects_and_strings_are_the_same_forms():
    a, i = sp.symbols("a intervention_commitment")
    f1 = Forms(intervention_hazard=i * a**2)
    f2 = Forms.from_mapping({"intervention_hazard": "intervention_commitment*a**2"})
    assert f1 == f2 and hash(f1) == hash(f2)
    assert solve_numeric(P(), f1) == solve_numeric(P(), f2)
    # the user's plain symbols are replaced by atrogame's (same names, with assumptions)
    assert f1.intervention_hazard.free_symbols <= default_forms()["intervention_hazard"].free_symbols


def test_global_search_finds_the_far_maximum():
    # W_G = const − cost(a) with two local maxima; the global one is near a = 0.8
    forms = Forms(intervention_hazard="0", win_prob="rebel_strength",
                  atrocity_cost="10*(a - 1/5)**2*(a - 4/5)**2 - a/100")
    out = solve_numeric(P(), forms)
    assert out["atrocities_in_war"] > 0.75
    assert out["ties"] is False
    assert out["foc_residual"] < 1e-8


def test_two_equal_maxima_are_a_tie_resolved_to_the_smaller_a():
    forms = Forms(intervention_hazard="0", win_prob="rebel_strength",
                  atrocity_cost="(a - 1/4)**2*(a - 3/4)**2")
    out = solve_numeric(P(), forms)
    assert out["ties"] is True
    assert out["atrocities_in_war"] == pytest.approx(0.25, abs=1e-9)


def test_flat_war_payoff_is_a_tie_at_zero():
    # κ = 0, no intervention, θ = 0, k = 0: W_G does not depend on a (spec §4a: ties go to 0)
    p = P(atrocity_cost_curvature=0.0, intervention_commitment=0.0, atrocity_effectiveness=0.0)
    out = solve_numeric(p)
    assert out["atrocities_in_war"] == 0.0
    assert out["ties"] is True


def test_linear_war_stage_goes_to_a_corner():
    # κ = 0 and no intervention: W_G' = p0·θ − k = 0.24 > 0 everywhere, so a* = 1 (spec §4a, D = 0)
    out = solve_numeric(P(atrocity_cost_curvature=0.0, intervention_commitment=0.0))
    assert out["atrocities_in_war"] == 1.0 and out["ties"] is False


def test_forms_pickle_after_compilation():
    import pickle

    f = Forms(harm="atrocity_harm*a**2", type_distribution=st.beta(2, 3, scale=0.6))
    before = solve_numeric(P(), f)  # compiles the forms
    g = pickle.loads(pickle.dumps(f))
    assert g.harm == f.harm and "_compiled" not in g.__dict__
    assert solve_numeric(P(), g) == before


def test_compiled_forms_are_cached_per_instance():
    f = Forms(harm="atrocity_harm*a**2")
    assert f._compiled is f._compiled
    assert Forms(harm="atrocity_harm*a**2")._compiled is f._compiled  # equal forms share the compilation


@settings(max_examples=25)
@given(params_strategy, hst.floats(1.2, 6.0), hst.floats(1.2, 6.0))
def test_beta_types_random_parameters(values, alpha, beta):
    p = P(**values)
    dist = st.beta(alpha, beta, scale=p.cost_uncertainty)
    out = solve_numeric(p, Forms(type_distribution=dist))
    _offer_checks(p, out, dist)  # FOC to 1e-8, or a sign change of dU_G/dx within 1e-12 of x*
    assert out["foc_residual"] < 1e-8


# ----------------------------------------------------------------------------- errors


@pytest.mark.parametrize(
    "forms, name, fragment",
    [
        ({"intervention_hazard": "2*a"}, "intervention_hazard", "intervention_hazard must be in [0, 1] on a ∈ [0, 1]"),
        ({"intervention_hazard": "-a"}, "intervention_hazard", "got -"),
        ({"win_prob": "rebel_strength - a"}, "win_prob", "win_prob must be in [0, 1] on a ∈ [0, 1]"),
        ({"harm": "atrocity_harm/a"}, "harm", "harm must be in (-inf, inf) on a ∈ [0, 1]"),
        ({"atrocity_cost": "log(a)"}, "atrocity_cost", "atrocity_cost must be in (-inf, inf)"),
        ({"win_prob": "sqrt(a - 1/2)"}, "win_prob", "win_prob must be in [0, 1]"),
    ],
)
def test_invalid_forms_raise_parameter_error(forms, name, fragment):
    with pytest.raises(ParameterError) as info:
        solve_numeric(P(), Forms.from_mapping(forms))
    assert info.value.name == name
    assert fragment in str(info.value)


def test_unknown_symbol_raises_parameter_error_naming_the_form():
    with pytest.raises(ParameterError, match=r"intervention_hazard .*unknown symbol\(s\) i\b"):
        Forms(intervention_hazard="i*a**2")


def test_unknown_key_and_wrong_types_raise_type_error():
    with pytest.raises(TypeError, match="valid keys: intervention_hazard, win_prob, atrocity_cost, harm, "
                                        "type_distribution"):
        Forms.from_mapping({"hazard": "a"})
    with pytest.raises(TypeError, match="harm must be"):
        Forms(harm=[1, 2])
    with pytest.raises(TypeError, match="harm must be"):
        Forms(harm="a +* 2")
    with pytest.raises(TypeError, match="type_distribution"):
        Forms(type_distribution=st.poisson(2))  # discrete: no pdf
    with pytest.raises(TypeError, match="type_distribution"):
        Forms(type_distribution=0.5)
    with pytest.raises(TypeError, match="forms must be"):
        solve_numeric(P(), {"harm": "a"})


@pytest.mark.parametrize("dist", [st.uniform(2.0, 1.0), st.expon(loc=5.0), st.uniform(-3.0, 1.0)])
def test_distribution_without_mass_on_support_raises(dist):
    with pytest.raises(ParameterError, match="type_distribution must be in") as info:
        solve_numeric(P(), Forms(type_distribution=dist))
    assert info.value.name == "type_distribution"


# ----------------------------------------------------------------------------- docs and example

ROOT = Path(__file__).resolve().parents[2]


def _run_markdown(path: Path) -> int:
    """Run a page's python blocks in order; a following text block must equal the printed output."""
    import contextlib
    import io

    from atrogame import figures

    blocks = re.findall(r"```(python|text)\n(.*?)```", path.read_text(encoding="utf-8"), re.S)
    namespace: dict = {}
    printed: str | None = None
    checked = 0
    for kind, code in blocks:
        if kind == "python":
            if "figures.make(" in code and "ks-road-to-hell" not in figures.registry():
                printed = None  # the figure module is not there yet; the figure tests cover it
                continue
            buf = io.StringIO()
            with contextlib.redirect_stdout(buf):
                exec(compile(code, str(path), "exec"), namespace)
            printed = buf.getvalue()
        elif printed is not None:
            assert printed.strip() == code.strip(), f"{path.name}: printed\n{printed}\nbut the page shows\n{code}"
            checked += 1
            printed = None
    return checked


@pytest.mark.parametrize("page", ["docs/tutorial/road_to_hell.md", "docs/explanation/kydd_straus.md"])
def test_doc_code_blocks_run_and_print_what_the_page_shows(page, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # the figure block writes to ./figures
    assert _run_markdown(ROOT / page) >= 1


def test_example_script_prints_the_section_7_table(capsys):
    ns = runpy.run_path(str(ROOT / "examples" / "ks_road_to_hell.py"))
    ns["main"](None)
    out = capsys.readouterr().out
    rows = {line.split()[0]: line.split()[1:] for line in out.splitlines()
            if re.match(r"^\s+\d\.\d\s+0\.\d{4}", line)}
    # spec §7: expected atrocities for N0, B0, N5, B5 at i = 0.2 and i = 0.7
    assert rows["0.2"] == ["0.1291", "0.1186", "0.1063", "0.0926"]
    assert rows["0.7"] == ["0.0907", "0.0334", "0.0646", "0.0007"]
    assert "N0: expected atrocities peak at i = 0.18" in out
    assert "N5: expected atrocities peak at i = 0.00 (0.1206); falls from the start" in out
