"""Overflow of the linear, quasi-linear and contest optima at valid but extreme inputs.

Oracle: the closed forms (docs/explanation/anderton_brauer.md, "The technology families"),
evaluated by hand at points where they are finite, and the rule that a point whose optimum
exceeds e^700 is refused with a ParameterError naming an input (as Cobb–Douglas and CES do).
A subnormal price such as 5e-324 asked for ~1e326 attacks: both kernels returned inf attacks
with a NaN cost. The compiled (numba) loop runs max_control only, for designs of at least
``accel.MIN_POINTS`` rows; ``accel.disabled()`` gives the numpy path.
"""

from __future__ import annotations

import numpy as np
import pytest

import atrogame as ag
import paths
from atrogame import accel
from atrogame.core.errors import ParameterError
from atrogame.models.anderton_brauer import families as fam

TECHS = ("linear", "quasi_linear", "contest")
#: The technologies the random-point and box tests cover (the quadratic one only has a joint
#: validity region on top of its rule).
RULED = (*TECHS, "quadratic")


def _model(tech: str, objective: str) -> ag.AndertonBrauer:
    if objective == "min_cost":
        return ag.AndertonBrauer(technology=tech, objective="min_cost",
                                 control_target=0.5 if tech == "contest" else 20.0)
    return ag.AndertonBrauer(technology=tech)


@pytest.mark.parametrize(("tech", "objective", "name", "value"), [
    ("linear", "max_control", "price_civilians", 5e-324), ("linear", "max_control", "price_rebels", 5e-324),
    ("linear", "max_control", "resources", 1.7e308), ("linear", "max_control", "productivity_civilians", 1e308),
    ("linear", "min_cost", "control_target", 1e306),
    ("quasi_linear", "max_control", "price_civilians", 5e-324), ("quasi_linear", "max_control", "price_rebels", 5e-324),
    ("quasi_linear", "max_control", "civilian_value", 1e308), ("quasi_linear", "min_cost", "control_target", 1e306),
    ("contest", "max_control", "price_civilians", 5e-324), ("contest", "max_control", "price_rebels", 5e-324),
    ("contest", "max_control", "resources", 1.7e308),
    # CES at σ = 2: a subnormal price sends C* = s_C·M/p_C (or R*) beyond the largest float64, a
    # huge productivity or TFP sends control beyond it; under min_cost a cheap input lowers the
    # cost, so what overflows is reaching the target with a tiny TFP, or a huge target
    ("ces", "max_control", "price_civilians", 5e-324), ("ces", "max_control", "price_rebels", 5e-324),
    ("ces", "max_control", "price_civilians", 1e-310), ("ces", "max_control", "productivity_civilians", 1e308),
    ("ces", "max_control", "tfp", 1e308), ("ces", "min_cost", "tfp", 1e-308),
    ("ces", "min_cost", "control_target", 1e308)])
def test_point_whose_optimum_overflows_is_refused_by_name(tech, objective, name, value):
    """The extreme input is refused, by name, with the same message on the compiled and the
    numpy path, and by the scalar constructor (before: inf attacks or control, NaN cost; for
    CES the compiled loop, before it added numpy's 0·C, returned a finite corner)."""
    m = _model(tech, objective)
    X = np.full((accel.MIN_POINTS + 3, 1), m.params.to_dict()[name])
    X[77, 0] = value
    msgs = []
    for use in (True, False):
        with (accel.disabled() if not use else np.errstate()), pytest.raises(ParameterError) as exc:
            m.evaluate(X, [name], ["civilian_attacks", "cost"])
        msgs.append(str(exc.value))
    assert msgs[0] == msgs[1]
    assert msgs[0].startswith(f"{name} must be in values at which the optimum is a finite float64 (ln outcome ≤ 700)")
    assert "1 of" in msgs[0]
    kw = {"objective": "min_cost", "control_target": m.params.to_dict()["control_target"]} \
        if objective == "min_cost" else {}
    with pytest.raises(ParameterError, match=f"^{name} must be in values at which the optimum is a finite"):
        ag.AndertonBrauer(technology=tech, **{**kw, name: value})


def test_contest_min_cost_civilian_attacks_that_overflow_are_refused():
    """Under min_cost C* = (u − 1)/κ with u = √(κ p_R V̄/p_C): a tiny κ with a subnormal p_C
    puts C* near e^725 (the old rule bounded only V̄, p_R V̄ and p_C·u/κ). Blame: the input
    farthest from its default in log terms, p_C."""
    m = _model("contest", "min_cost")
    X = np.array([[0.05, 1.0], [1e-305, 5e-324]])
    with pytest.raises(ParameterError, match=r"^price_civilians must be in values at which the optimum is a finite"):
        m.evaluate(X, ["support_erosion", "price_civilians"], ["civilian_attacks"])


def test_extreme_points_with_finite_optima_are_accepted_and_correct():
    """Points where the optimum is finite but an intermediate product overflowed in the kernel."""
    # linear min_cost, p_R = 1.7e308: b_C p_R overflowed to inf and |inf − b_R p_C| ≤ SNAP·inf
    # made a "tie" that chose rebels at cost p_R·Z̄ = inf; civilians cost p_C Z̄/b_C = 16
    m = _model("linear", "min_cost")
    r = m.evaluate(np.array([[1.7e308]]), ["price_rebels"], ["civilian_attacks", "rebel_attacks", "cost"])[0]
    np.testing.assert_allclose(r, [16.0, 0.0, 16.0], rtol=1e-14)
    # contest min_cost at a subnormal p_C: κ p_R V̄/p_C overflowed, C* = inf and control NaN;
    # exactly u = √(0.05·60/5e-324), C* = (u − 1)/κ, R* = V̄/u
    m = _model("contest", "min_cost")
    r = m.evaluate(np.array([[5e-324]]), ["price_civilians"], ["civilian_attacks", "rebel_attacks", "control"])[0]
    u = np.exp(0.5 * (np.log(0.05 * 60.0) - np.log(5e-324)))
    np.testing.assert_allclose(r, [(u - 1.0) / 0.05, 60.0 / u, 0.5], rtol=1e-12)
    # and at a huge κ (the product κ p_R V̄ overflowed): C* = (u − 1)/κ is tiny, R* = V̄/u
    r = m.evaluate(np.array([[1.7e308]]), ["support_erosion"], ["civilian_attacks", "rebel_attacks", "control"])[0]
    u = np.exp(0.5 * (np.log(1.7e308) + np.log(60.0)))
    np.testing.assert_allclose(r, [(u - 1.0) / 1.7e308, 60.0 / u, 0.5], rtol=1e-12)


def test_compiled_and_numpy_agree_where_an_intermediate_overflowed():
    """max_control on both paths: linear with b_C p_R = inf (civilians are the better buy:
    C* = M/p_C = 100, control b_C·100), and contest with 2p_R = inf (R* = (M + p_C/κ)/(2p_R) ≈ 0.5,
    computed as 0 before)."""
    n = accel.MIN_POINTS + 3
    m = ag.AndertonBrauer(technology="linear")
    X = np.tile([1e300, 1e300], (n, 1))
    got, ref = paths.both_paths(m, X, ["productivity_civilians", "price_rebels"], ["civilian_attacks", "control"])
    np.testing.assert_allclose(ref[0], [100.0, 1e302], rtol=1e-14)
    np.testing.assert_array_equal(got, ref)
    m = ag.AndertonBrauer(technology="contest")
    X = np.tile([1e308, 1e308, 1e10], (n, 1))
    outs = ["civilian_attacks", "rebel_attacks", "cost"]
    got, ref = paths.both_paths(m, X, ["resources", "price_rebels", "price_civilians"], outs)
    np.testing.assert_allclose(ref[0], [(1e308 / 1e10 - 20.0) / 2.0, (1e308 + 2e11) / 2.0 / 1e308, 1e308], rtol=1e-14)
    np.testing.assert_allclose(got, ref, rtol=1e-12, atol=0.0)


@pytest.mark.parametrize("tech", TECHS)
def test_accepted_extreme_points_give_finite_attacks_control_and_cost(tech, rng):
    """Single inputs at the ends of float64 (5e-324, 1e-300, 1e300, 1.7e308): either refused by
    name or finite attacks, control and cost, equal on both paths (max_control)."""
    m = _model(tech, "max_control")
    outs = ["civilian_attacks", "rebel_attacks", "control", "cost"]
    n = accel.MIN_POINTS + 3
    cls = fam.params_class(tech, "max_control")
    accepted = 0
    for name in cls.names():
        if name.startswith("lethality"):
            continue
        for value in (5e-324, 1e-300, 1e300, 1.7e308):
            X = np.full((n, 1), m.params.to_dict()[name])
            X[5, 0] = value
            try:
                got, ref = paths.both_paths(m, X, [name], outs)
            except ParameterError as exc:
                assert str(exc).startswith(f"{name} must be in values at which the optimum is a finite")
                continue
            assert np.isfinite(ref).all(), (name, value, ref[5])
            np.testing.assert_allclose(got, ref, rtol=1e-12, atol=0.0)
            accepted += 1
    assert accepted >= 8


def _box(v):
    return {k: (float(np.min(a)), float(np.max(a))) for k, a in v.items()}


def _quadratic_box(cls, rng, n):
    """A random sub-box of the quadratic sweep ranges (inside the validity region), rescaled
    in its three units (resources, attacks on rebels, attacks on civilians) by factors
    log-uniform on [e^-150, e^150]: the region's conditions are unit-free, so the box stays
    valid while its magnitudes become extreme."""
    a, b, c = np.exp(rng.uniform(-150.0, 150.0, 3))
    scale = {"resources": a, "price_rebels": a / b, "price_civilians": a / c, "civilian_value": b / c,
             "civilian_saturation": b / c**2, "interaction": 1.0 / c, "control_target": b}
    v = {}
    for k in cls.names():
        lo, hi = cls.meta(k)["sweep_range"]
        lo, hi = np.sort(rng.uniform(lo, hi, 2))
        v[k] = rng.uniform(lo, hi, n)
        v[k][:2] = lo, hi
        v[k] = v[k] * scale.get(k, 1.0)
    return v


@pytest.mark.parametrize("objective", ["max_control", "min_cost"])
@pytest.mark.parametrize("tech", RULED)
def test_box_proof_is_sound_and_applies_on_the_sweep_ranges(tech, objective, rng):
    """Boxes the interval proof accepts pass the pointwise check at random points (log-uniform
    on random sub-ranges of [e^-350, e^350], ends included); sweep-range boxes are proven; a box
    holding an overflowing point is not, and validation refuses it by name."""
    cls = fam.params_class(tech, objective)
    sweep = {k: rng.uniform(*cls.meta(k)["sweep_range"], 2048) for k in cls.names()}
    assert cls.joint_holds_on_box(_box(sweep))
    proven = 0
    for _ in range(150):
        v = {}
        if tech == "quadratic":
            v = _quadratic_box(cls, rng, 256)
        for k in ([] if v else cls.names()):
            lo, hi = cls.meta(k)["sweep_range"]
            if k.startswith("lethality"):
                v[k] = rng.uniform(lo, hi, 256)
            elif k == "control_target" and tech == "contest":
                a, b = np.sort(rng.uniform(1e-6, 1.0 - 1e-6, 2))
                v[k] = rng.uniform(a, b, 256)
                v[k][:2] = a, b
            else:
                a, b = np.sort(rng.uniform(-350.0, 350.0, 2))
                v[k] = np.exp(rng.uniform(a, b, 256))
                v[k][:2] = np.exp([a, b])
        if cls.joint_holds_on_box(_box(v)):
            proven += 1
            cls.check_joint_arrays(v)  # must not raise
    assert proven >= 5
    v = {k: a.copy() for k, a in sweep.items()}
    if tech == "quadratic" and objective == "max_control":  # M/p_R attacks on rebels (k = γ p_R > 0 at δ = 0)
        name = "price_rebels"
        v[name][9], v["interaction"][9], v["civilian_saturation"][9] = 5e-324, 0.0, 1.0
    elif objective == "max_control":
        name = "price_civilians"
        v[name][9] = 5e-324
    elif tech == "contest":
        name = "price_civilians"
        v["support_erosion"][9], v[name][9] = 1e-305, 5e-324
    else:
        name = "control_target"
        v[name][9] = 1e306
    assert not cls.joint_holds_on_box(_box(v))
    with pytest.raises(ParameterError, match=f"{name} must be in values at which the optimum"):
        cls.validate_arrays(v)


# (CES under min_cost is left out: where both attack levels fall below the float range, snapping
# moves the point to the rebel corner, whose cost can overflow)
@pytest.mark.parametrize(("tech", "objective"), [*((t, o) for t in RULED for o in ("max_control", "min_cost")),
                                                 ("cobb_douglas", "max_control"), ("cobb_douglas", "min_cost"),
                                                 ("ces", "max_control")])
def test_random_extreme_points_are_refused_or_finite(tech, objective):
    """Seeded random points, each input log-uniform on [e^-744, e^709] half the time (else near
    1): every point the rules accept has finite attacks, control, cost, share and deaths on the
    numpy path, and (max_control) the compiled loop gives the same numbers. Before: NaN from
    inf − inf in the contest's M/p_C − 1/κ, 0·inf in its control, overflowing intermediates of
    V̄ and u, 0/0 in the civilian share, and a linear C* that rounded to 0."""
    from atrogame.models.anderton_brauer import fast

    rng = np.random.default_rng(20261203)
    cls = fam.params_class(tech, objective)
    names = list(cls.names())  # (lethalities too: deaths λC* + ψR* overflowed at λ near 1e308)
    n = 1500
    cols = {}
    for k in names:
        if k == "control_target" and tech == "contest":
            cols[k] = rng.uniform(1e-3, 1.0 - 1e-3, n)
        else:
            wide = rng.random(n) < 0.5
            cols[k] = np.maximum(np.exp(np.where(wide, rng.uniform(-744.0, 709.0, n), rng.uniform(-5.0, 5.0, n))),
                                 5e-324)
    keep = np.zeros(n, dtype=bool)
    for i in range(n):
        try:
            cls(**{k: float(cols[k][i]) for k in names})
        except ParameterError:
            continue
        keep[i] = True
    assert (0.2 if tech == "cobb_douglas" else 0.3) * n < keep.sum() < n  # some refused, many accepted
    v = {**cls.defaults(), **{k: a[keep] for k, a in cols.items()}}
    v = {k: np.full(int(keep.sum()), 0.0) + x for k, x in v.items()}  # (writable contiguous arrays)
    outs = ["civilian_attacks", "rebel_attacks", "control", "cost", "civilian_share", "civilian_deaths"]
    with np.errstate(all="ignore"):
        ref = fam.kernel(tech, objective, v)
    for o in outs:
        bad = ~np.isfinite(ref[o])
        assert not bad.any(), (o, {k: float(a[bad][0]) for k, a in v.items()})
    if objective == "max_control" and accel.enabled():  # (the compiled half needs numba: CI's second stage)
        with np.errstate(all="ignore"):
            got = fast.kernel(tech, objective, v, accel=True)
        for o in outs:
            np.testing.assert_allclose(got[o], ref[o], rtol=1e-12, atol=0.0, err_msg=o)


@pytest.mark.parametrize(("objective", "kw", "name"), [
    ("max_control", {"price_rebels": 5e-324, "interaction": 0.0}, "price_rebels"),
    ("max_control", {"resources": 1e306, "interaction": 0.0}, "resources"),
    ("min_cost", {"control_target": 1e306}, "control_target")])
def test_quadratic_point_whose_optimum_overflows_is_refused_by_name(objective, kw, name):
    """Quadratic: with no interaction and p_R = 5e-324 the budget buys M/p_R ≈ 2e325 attacks on
    rebels (before: inf attacks, NaN control, on both paths); a target of 1e306 needs 1e306 of
    them. Refused by name with the same message on both paths and by the constructor."""
    with pytest.raises(ParameterError, match=f"^{name} must be in values at which the optimum is a finite"):
        ag.AndertonBrauer(technology="quadratic", objective=objective, **kw)
    m = _model("quadratic", objective) if objective == "min_cost" else ag.AndertonBrauer(technology="quadratic")
    X = np.tile([m.params.to_dict()[k] for k in kw], (accel.MIN_POINTS + 3, 1))
    X[77] = list(kw.values())
    msgs = []
    for use in (True, False):
        with (accel.disabled() if not use else np.errstate()), pytest.raises(ParameterError) as exc:
            m.evaluate(X, list(kw), ["civilian_attacks", "rebel_attacks", "control"])
        msgs.append(str(exc.value))
    assert msgs[0] == msgs[1]
    assert msgs[0].startswith(f"{name} must be in values at which the optimum is a finite float64 (ln outcome ≤ 700)")


def _quadratic_reference(b, g, d, M, pR, pC):
    """The quadratic max_control closed form at 60 digits (mpmath)."""
    import mpmath as mp

    with mp.workdps(60):
        b, g, d, M, pR, pC = (mp.mpf(x) for x in (b, g, d, M, pR, pC))
        C = min(max((b * pR - pC - d * M) / (g * pR - 2 * d * pC), 0), M / pC)
        R = (M - pC * C) / pR
        return [float(C), float(R), float(R + b * C - g * C**2 / 2 - d * R * C), float(b * pR - d * M)]


@pytest.mark.parametrize("kw", [
    # γ p_R = 1e309 and β p_R = 1e310 overflow (inf/inf was NaN); C* = 10, control 5e300
    {"civilian_value": 1e300, "price_rebels": 1e10, "civilian_saturation": 1e299},
    # C* = 1e200 (C² overflowed, γC²/2 = 5e299 does not), interior
    {"civilian_value": 1e100, "civilian_saturation": 1e-100, "resources": 1e300, "price_civilians": 1e99,
     "interaction": 0.0},
    # β p_R = 1e310 and δM = 9.9e309 both overflow in the choke price β p_R − δM = 1e308 (inf − inf
    # was NaN); C* = 1e-5 is snapped to 0 (below 1e-12 of M/p_C), so only the choke price is compared
    {"civilian_value": 1e300, "price_rebels": 1e10, "civilian_saturation": 1e303, "interaction": 99.0,
     "resources": 1e308}])
def test_quadratic_finite_optimum_where_an_intermediate_overflowed(kw):
    """Accepted, and equal to the closed form at 60 digits on both paths (before: NaN attacks,
    or inf/NaN control or choke price)."""
    m = ag.AndertonBrauer(technology="quadratic", **kw)
    p = m.parameter_values()
    want = _quadratic_reference(p["civilian_value"], p["civilian_saturation"], p["interaction"], p["resources"],
                                p["price_rebels"], p["price_civilians"])
    X = np.tile(list(kw.values()), (accel.MIN_POINTS + 3, 1))
    got, ref = paths.both_paths(m, X, list(kw), ["civilian_attacks", "rebel_attacks", "control", "choke_price"])
    if "resources" in kw and kw["resources"] == 1e308:
        np.testing.assert_allclose(ref[0, 3], want[3], rtol=1e-10)  # (logs of 1e310 and 9.9e309)
    else:
        np.testing.assert_allclose(ref[0], want, rtol=1e-12)
    np.testing.assert_allclose(got, ref, rtol=1e-12, atol=0.0)


@pytest.mark.parametrize("objective", ["max_control", "min_cost"])
@pytest.mark.parametrize("tech", ["cobb_douglas", "ces", "contest", "linear", "quasi_linear", "quadratic"])
@pytest.mark.parametrize("name", ["lethality_civilians", "lethality_rebels"])
def test_deaths_beyond_the_float_range_are_refused_by_name(tech, objective, name):
    """Civilian deaths λC* + ψR* at a lethality of 1e308 (tens of attacks at the defaults)
    exceed the largest float (before: inf deaths in every technology, on both paths). Refused
    by name, with the same message on both paths and by the constructor; a lethality of 1e300
    gives finite deaths."""
    m = _model(tech, objective)
    d = m.params.to_dict()
    other = "rebel_attacks" if name == "lethality_rebels" else "civilian_attacks"
    if m.solve()[other] == 0.0:  # (the default point buys none of this attack type: no deaths from it)
        pytest.skip(f"no {other} at the defaults of {tech}")
    with pytest.raises(ParameterError, match=f"^{name} must be in values at which the optimum is a finite"):
        ag.AndertonBrauer(technology=tech, **({"objective": "min_cost", "control_target": d["control_target"]}
                                             if objective == "min_cost" else {}), **{name: 1e308})
    X = np.full((accel.MIN_POINTS + 3, 1), d[name])
    X[77, 0] = 1e308
    msgs = []
    for use in (True, False):
        with (accel.disabled() if not use else np.errstate()), pytest.raises(ParameterError) as exc:
            m.evaluate(X, [name], ["civilian_deaths"])
        msgs.append(str(exc.value))
    assert msgs[0] == msgs[1]
    assert msgs[0].startswith(f"{name} must be in values at which the optimum is a finite float64 (ln outcome ≤ 700)")
    X[77, 0] = 1e300
    got, ref = paths.both_paths(m, X, [name], ["civilian_deaths"])
    assert np.isfinite(ref).all() and ref[77, 0] >= 1e300 * m.solve()[other] * (1.0 - 1e-12)
    np.testing.assert_allclose(got, ref, rtol=1e-12, atol=0.0)


@pytest.mark.parametrize("objective", ["max_control", "min_cost"])
@pytest.mark.parametrize(("kw", "want"), [
    ({"price_rebels": 1e300, "productivity_civilians": 1e10, "productivity_rebels": 1e10}, 1e300),
    ({"price_rebels": 1e-300, "productivity_civilians": 1e-20, "productivity_rebels": 1e-20}, 1e-300),
    ({"price_rebels": 1.7e308, "productivity_civilians": 2.0, "productivity_rebels": 4.0}, 0.85e308)])
def test_linear_choke_price_where_the_product_leaves_the_float_range(objective, kw, want):
    """p̂_C = p_R b_C/b_R: the product p_R b_C overflowed to inf (or became subnormal and lost
    digits) although the choke price is a normal float; now exact to 1e-12 on both paths."""
    m = _model("linear", objective)
    X = np.tile(list(kw.values()), (accel.MIN_POINTS + 3, 1))
    got, ref = paths.both_paths(m, X, list(kw), ["choke_price"])
    np.testing.assert_allclose(ref[0, 0], want, rtol=1e-12)
    np.testing.assert_allclose(got, ref, rtol=1e-12, atol=0.0)


def _ces_reference(p, objective):
    """ln C* and ln R* of the CES closed form at 60 digits (mpmath): resource shares
    θ^σ a_R^{σ−1} p_R^{1−σ}/Σ and (1 − θ)^σ a_C^{σ−1} p_C^{1−σ}/Σ of the spending, which is M
    (max_control) or Z̄·Σ^{1/(1−σ)}/A (min_cost)."""
    import mpmath as mp

    with mp.workdps(60):
        th, s, A = (mp.mpf(p[k]) for k in ("share_rebels", "substitution_elasticity", "tfp"))
        pR, pC, aR, aC = (mp.mpf(p[k]) for k in ("price_rebels", "price_civilians", "productivity_rebels",
                                                  "productivity_civilians"))
        tR, tC = th**s * aR ** (s - 1) * pR ** (1 - s), (1 - th) ** s * aC ** (s - 1) * pC ** (1 - s)
        S = tR + tC
        spend = mp.mpf(p["resources"]) if objective == "max_control" else \
            mp.mpf(p["control_target"]) * S ** (1 / (1 - s)) / A
        return float(mp.log(tC / S * spend / pC)), float(mp.log(tR / S * spend / pR))


def _ces_points(objective, rng):
    """The point of the report (p_C = 6e-44, a_C = 4e38) at several σ and θ, and seeded random
    points with prices and productivities log-uniform on [e^-150, e^150]."""
    cls = fam.params_class("ces", objective)
    extra = {"control_target": 10.0} if objective == "min_cost" else {}
    pts = [{"price_civilians": 6e-44, "productivity_civilians": 4e38, "substitution_elasticity": s,
            "share_rebels": t, **extra} for s in (0.5, 0.55, 0.7, 0.9, 1.2, 1.5) for t in (0.1, 0.5, 0.9)]
    for _ in range(300):
        kw = {k: float(np.exp(rng.uniform(-150.0, 150.0))) for k in ("price_civilians", "price_rebels",
                                                                    "productivity_civilians", "productivity_rebels")}
        kw["substitution_elasticity"] = float(np.exp(rng.uniform(-3.0, 3.0)))
        kw["share_rebels"] = float(rng.uniform(0.01, 0.99))
        pts.append({**kw, **extra})
    out = []
    for kw in pts:
        try:
            out.append(cls(**kw).to_dict())
        except ParameterError:
            continue
    return out


@pytest.mark.parametrize("objective", ["max_control", "min_cost"])
def test_ces_attacks_at_extreme_ratios_match_mpmath(objective, rng):
    """ln C* and ln R* of the numpy CES kernel (before snapping) within 1e-11 of the closed form
    at 60 digits, wherever they are above e^-700. Before: ln Σ = log1p(θ·expm1(εu_R) + (1 − θ)·
    expm1(εu_C)) cancelled when both exponents were very negative (the sum near −1: ln C off
    by up to 0.45 at p_C = 6e-44, a_C = 4e38), overflowed beyond e^709, and spending × share
    rounded a share below the normal range to 0."""
    pts = _ces_points(objective, rng)
    assert len(pts) > 150
    v = {k: np.array([p[k] for p in pts]) for k in pts[0]}
    with np.errstate(all="ignore"):
        raw = (fam.ces_max if objective == "max_control" else fam.ces_min)(v)
    worst = 0.0
    for i, p in enumerate(pts):
        for got, want in zip((raw["C"][i], raw["R"][i]), _ces_reference(p, objective), strict=True):
            if want > -700.0:
                worst = max(worst, abs(float(np.log(got)) - want) if got > 0 else np.inf)
    assert worst <= 1e-11
    if objective == "max_control" and accel.enabled():  # the compiled loop agrees (snapped outcomes)
        from atrogame.models.anderton_brauer import fast

        with np.errstate(all="ignore"):
            got, ref = fast.kernel("ces", objective, v, accel=True), fam.kernel("ces", objective, v)
        for o in ("civilian_attacks", "rebel_attacks", "civilian_share"):
            np.testing.assert_allclose(got[o], ref[o], rtol=1e-12, atol=0.0, err_msg=o)


def test_ces_ordinary_results_are_bit_for_bit_the_log1p_form(rng):
    """On the sweep ranges ln Σ is still log1p(θ·expm1(εu_R) + (1 − θ)·expm1(εu_C)) for
    |ε| ≤ 1/2, bit for bit (the logaddexp takes over only where that sum is below −0.999 or
    overflows)."""
    cls = fam.params_class("ces", "max_control")
    v = {k: rng.uniform(*cls.meta(k)["sweep_range"], 20000) for k in cls.names()}
    th, eps = v["share_rebels"], v["substitution_elasticity"] - 1.0
    uR = np.log(th) + np.log(v["productivity_rebels"]) - np.log(v["price_rebels"])
    uC = np.log1p(-th) + np.log(v["productivity_civilians"]) - np.log(v["price_civilians"])
    small = np.abs(eps) <= 0.5
    assert small.sum() > 1000
    old = np.log1p(th * np.expm1(eps * uR) + (1.0 - th) * np.expm1(eps * uC))
    np.testing.assert_array_equal(fam._log_mean(th, uR, uC, eps)[small], old[small])


def _ces_control_reference(p, R, C):
    """A·[θ(a_R R)^ρ + (1 − θ)(a_C C)^ρ]^{1/ρ}, ρ = (σ − 1)/σ, at 60 digits (mpmath)."""
    import mpmath as mp

    with mp.workdps(60):
        A, th, s, aR, aC = (mp.mpf(p[k]) for k in ("tfp", "share_rebels", "substitution_elasticity",
                                                    "productivity_rebels", "productivity_civilians"))
        rho = (s - 1) / s
        return float(A * (th * (aR * mp.mpf(R)) ** rho + (1 - th) * (aC * mp.mpf(C)) ** rho) ** (1 / rho))


@pytest.mark.parametrize(("objective", "kw"), [
    # a_R R = 2e184·3.7e302 overflowed in ln(a_R R): control inf (true ~1e292)
    ("max_control", {"resources": 2.73e302, "price_rebels": 0.737, "price_civilians": 2.68, "tfp": 2.06e-192,
                     "share_rebels": 0.00924, "substitution_elasticity": 84.1, "productivity_rebels": 2.07e184,
                     "productivity_civilians": 0.646}),
    # σ = 1e-310: ρ = (σ − 1)/σ = −inf and the power mean gave NaN control; the Leontief limit
    ("max_control", {"substitution_elasticity": 1e-310, "productivity_civilians": 2.0}),
    # σ = 3e306 with a_R = 1e50: ε·u_R overflowed, ln Σ = inf and the shares inf − inf (NaN
    # attacks and cost)
    ("min_cost", {"substitution_elasticity": 3e306, "productivity_rebels": 1e50, "control_target": 20.0})])
def test_ces_extreme_elasticity_or_product_gives_the_closed_form(objective, kw):
    """Accepted points whose CES control or attacks were inf or NaN: now the closed form at 60
    digits (attacks before snapping, control at the kernel's bundle), equal on both paths."""
    cls = fam.params_class("ces", objective)
    p = cls(**kw).to_dict()
    v = {k: np.full(accel.MIN_POINTS + 3, x) for k, x in p.items()}
    with np.errstate(all="ignore"):
        raw = (fam.ces_max if objective == "max_control" else fam.ces_min)(v)
        ref = fam.kernel("ces", objective, v)
    for got, want in zip((raw["C"][0], raw["R"][0]), _ces_reference(p, objective), strict=True):
        if want > -700.0:  # (below that the attacks are a result that rounds towards 0)
            assert abs(np.log(got) - want) <= 1e-11, (got, want)
    for o in ("civilian_attacks", "rebel_attacks", "control", "cost", "civilian_share"):
        assert np.isfinite(ref[o]).all(), o
    if objective == "max_control":
        want = _ces_control_reference(p, ref["rebel_attacks"][0], ref["civilian_attacks"][0])
        np.testing.assert_allclose(ref["control"][0], want, rtol=1e-12)
        if accel.enabled():
            from atrogame.models.anderton_brauer import fast

            with np.errstate(all="ignore"):
                got = fast.kernel("ces", objective, v, accel=True)
            for o in ("civilian_attacks", "rebel_attacks", "control"):
                np.testing.assert_allclose(got[o], ref[o], rtol=1e-12, atol=0.0, err_msg=o)


def test_quadratic_min_cost_without_a_civilian_only_mix_compares_the_rebel_corner():
    """Where no C-only mix reaches the target (Z̄ = 50 > β²/(2γ) = 40.5), the cost of that
    candidate is inf and the rebel corner's cost p_R Z̄ + 0·inf was NaN: the raw choice was
    C = inf (snapping hid it). Now the corner R = Z̄, C = 0 is chosen before snapping."""
    v = {k: np.asarray(x) for k, x in fam.params_class("quadratic", "min_cost")(
        control_target=50.0, price_civilians=4.0).to_dict().items()}
    with np.errstate(all="ignore"):
        raw = fam.quad_min(v)
        cand = fam.quad_min_candidates(v)
    assert cand["cost_corner_c"] == 50.0 and cand["cost_corner_r"] == np.inf
    assert (float(raw["C"]), float(raw["R"])) == (0.0, 50.0)
