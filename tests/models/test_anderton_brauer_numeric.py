"""Closed forms of every built-in Anderton–Brauer technology vs an independent numerical optimisation.

For 200 random valid parameter points per technology and objective (drawn with a seeded numpy
generator inside the ranges of spec 9.12):

* max_control: a 2001-point grid on the budget line (vectorised over all points at once), a
  bounded scalar refinement of the best cell, and both endpoints;
* min_cost: the isoquant parametrised by C (R(C) from the control function written here,
  independently of the library), a coarse geometric search for an upper bound on cost, a
  2001-point grid on [0, bound/p_C], bounded refinement, and the corners.

The control functions below are written from the spec's formulas, not imported from atrogame.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy.optimize import minimize_scalar

import atrogame as ag

N = 200
GRID = 2001
TECHS = ("cobb_douglas", "ces", "contest", "linear", "quasi_linear", "quadratic")


# ----------------------------------------------------------------------------- control functions
def F(tech: str, p: dict, R, C):
    R, C = np.asarray(R, dtype=float), np.asarray(C, dtype=float)
    with np.errstate(all="ignore"):
        if tech == "cobb_douglas":
            return p["tfp"] * R ** p["weight_rebels"] * C ** p["weight_civilians"]
        if tech == "ces":
            rho = (p["substitution_elasticity"] - 1) / p["substitution_elasticity"]
            th = p["share_rebels"]
            inner = th * (p["productivity_rebels"] * R) ** rho + (1 - th) * (p["productivity_civilians"] * C) ** rho
            return p["tfp"] * inner ** (1 / rho)
        if tech == "contest":
            x = p["productivity_rebels"] * R * (1 + p["support_erosion"] * C)
            m = p["decisiveness"]
            return x**m / (x**m + p["rebel_base_strength"] ** m)
        if tech == "linear":
            return p["productivity_rebels"] * R + p["productivity_civilians"] * C
        if tech == "quasi_linear":
            return R + p["civilian_value"] * np.log1p(C)
        b, g, d = p["civilian_value"], p["civilian_saturation"], p["interaction"]
        return R + b * C - g / 2 * C**2 - d * R * C


def score(tech: str, p: dict, R, C):
    """An increasing transform of F used for maximisation (F is ordinal under max_control, spec 4.2).

    For the contest F = x^m/(x^m + G0^m) saturates near 1, where a maximiser working on F
    loses precision; its log-odds m·(ln x − ln G0) ranks bundles identically.
    """
    if tech != "contest":
        return F(tech, p, R, C)
    R, C = np.asarray(R, dtype=float), np.asarray(C, dtype=float)
    with np.errstate(all="ignore"):
        x = p["productivity_rebels"] * R * (1 + p["support_erosion"] * C)
        return p["decisiveness"] * (np.log(x) - np.log(p["rebel_base_strength"]))


def R_on_isoquant(tech: str, p: dict, C, Z):
    """The least R ≥ 0 with F(R, C) ≥ Z (inf where none), from F written above."""
    C = np.asarray(C, dtype=float)
    with np.errstate(all="ignore"):
        if tech == "cobb_douglas":
            R = (Z / (p["tfp"] * C ** p["weight_civilians"])) ** (1 / p["weight_rebels"])
        elif tech == "ces":
            rho = (p["substitution_elasticity"] - 1) / p["substitution_elasticity"]
            th = p["share_rebels"]
            rest = (Z / p["tfp"]) ** rho - (1 - th) * (p["productivity_civilians"] * C) ** rho
            # rest ≤ 0: C alone reaches Z (ρ > 0), or Z is out of reach left of the asymptote (ρ < 0)
            R = np.where(rest > 0, (rest / th) ** (1 / rho) / p["productivity_rebels"], np.where(rho > 0, 0.0, np.inf))
        elif tech == "contest":
            m = p["decisiveness"]
            V = p["rebel_base_strength"] * (Z / (1 - Z)) ** (1 / m) / p["productivity_rebels"]
            R = V / (1 + p["support_erosion"] * C)
        elif tech == "linear":
            R = (Z - p["productivity_civilians"] * C) / p["productivity_rebels"]
        elif tech == "quasi_linear":
            R = Z - p["civilian_value"] * np.log1p(C)
        else:
            b, g, d = p["civilian_value"], p["civilian_saturation"], p["interaction"]
            num = Z - b * C + g / 2 * C**2
            R = np.where(num <= 0, 0.0, np.where(1 - d * C > 0, num / (1 - d * C), np.inf))
        R = np.where(np.isnan(R), np.inf, R)
        return np.maximum(R, 0.0)


# ----------------------------------------------------------------------------- random draws
def draw(tech: str, rng: np.random.Generator, n: int) -> dict[str, np.ndarray]:
    u = lambda lo, hi: rng.uniform(lo, hi, n)  # noqa: E731
    p = {"resources": u(1, 500), "price_rebels": u(0.2, 5), "price_civilians": u(0.2, 5),
         "lethality_civilians": u(0, 2), "lethality_rebels": u(0, 1)}
    if tech == "cobb_douglas":
        p.update(tfp=u(0.2, 3), weight_rebels=u(0.2, 3), weight_civilians=u(0.2, 3))
    elif tech == "ces":
        p.update(tfp=u(0.2, 3), share_rebels=u(0.05, 0.95), substitution_elasticity=u(0.1, 5),
                 productivity_rebels=u(0.2, 3), productivity_civilians=u(0.2, 3))
    elif tech == "contest":
        p.update(productivity_rebels=u(0.2, 3), support_erosion=np.exp(u(-5, 0)), rebel_base_strength=u(1, 200),
                 decisiveness=u(0.3, 3))
    elif tech == "linear":
        p.update(productivity_rebels=u(0.2, 3), productivity_civilians=u(0.2, 3))
    elif tech == "quasi_linear":
        p.update(civilian_value=u(1, 50))
    else:
        p.update(civilian_value=u(1, 50), civilian_saturation=u(0.2, 3), interaction=u(0, 1))
    return p


def valid_points(tech: str, objective: str, seed: int) -> list[dict[str, float]]:
    """N valid points (quadratic draws filtered by the validity region); min_cost gets a target."""
    rng = np.random.default_rng(seed)
    out: list[dict[str, float]] = []
    while len(out) < N:
        p = draw(tech, rng, 4 * N)
        # control targets from random bundles (independent of the library)
        R0, C0 = rng.uniform(1, 100, 4 * N), rng.uniform(1, 100, 4 * N)
        Z = F(tech, p, R0, C0)
        for i in range(4 * N):
            point = {k: float(v[i]) for k, v in p.items()}
            if objective == "min_cost":
                if not (np.isfinite(Z[i]) and Z[i] > 0) or (tech == "contest" and not 1e-6 < Z[i] < 1 - 1e-6):
                    continue
                point["control_target"] = float(Z[i])
            try:
                model = ag.AndertonBrauer(tech, objective=objective, **point) if objective == "max_control" else \
                    ag.AndertonBrauer(tech, objective=objective, **{k: v for k, v in point.items()
                                                                   if k != "control_target"},
                                      control_target=point["control_target"])
            except ag.ParameterError:
                continue  # outside the quadratic validity region
            if tech == "linear":  # the exact tie is exempt (the optimum is a set)
                a, b = point["productivity_civilians"] * point["price_rebels"], \
                    point["productivity_rebels"] * point["price_civilians"]
                if abs(a - b) < 1e-6 * max(a, b):
                    continue
            out.append(point | {"_model": model})
            if len(out) == N:
                break
    return out


def stack(points: list[dict]) -> dict[str, np.ndarray]:
    keys = [k for k in points[0] if k != "_model"]
    return {k: np.array([pt[k] for pt in points])[:, None] for k in keys}


# ----------------------------------------------------------------------------- numeric optimisers
def numeric_max(tech: str, points: list[dict]) -> tuple[np.ndarray, np.ndarray]:
    """(C, Z) maximising F on the budget line, independently of atrogame."""
    P = stack(points)
    M, pR, pC = P["resources"], P["price_rebels"], P["price_civilians"]
    t = np.linspace(0.0, 1.0, GRID)[None, :]
    C = t * M / pC
    R = np.maximum((M - pC * C) / pR, 0.0)
    Zg = score(tech, P, R, C)
    Zg = np.where(np.isfinite(Zg), Zg, -np.inf)
    best = np.argmax(Zg, axis=1)
    Cs, Zs = np.empty(len(points)), np.empty(len(points))
    for i, pt in enumerate(points):
        m, r, c = pt["resources"], pt["price_rebels"], pt["price_civilians"]
        cmax = m / c

        def g(x, pt=pt, m=m, r=r, c=c):
            z = float(score(tech, pt, max((m - c * x) / r, 0.0), x))
            return -z if math.isfinite(z) else math.inf

        j = best[i]
        lo, hi = cmax * max(j - 1, 0) / (GRID - 1), cmax * min(j + 1, GRID - 1) / (GRID - 1)
        res = minimize_scalar(g, bounds=(lo, hi), method="bounded", options={"xatol": 1e-13 * cmax})
        cands = [(res.x, -res.fun), (0.0, -g(0.0)), (cmax, -g(cmax)), (C[i, j], Zg[i, j])]
        x, _ = max(cands, key=lambda xz: xz[1])
        Cs[i], Zs[i] = x, float(F(tech, pt, max((m - c * x) / r, 0.0), x))
    return Cs, Zs


def numeric_min(tech: str, points: list[dict]) -> tuple[np.ndarray, np.ndarray]:
    """(C, cost) minimising p_R R(C) + p_C C along the isoquant, independently of atrogame."""
    P = stack(points)
    pR, pC, Z = P["price_rebels"], P["price_civilians"], P["control_target"]
    # an upper bound U on the minimal cost from a coarse geometric scan (so C* ≤ U/p_C)
    coarse = np.concatenate([[0.0], np.geomspace(1e-6, 1e7, 400)])[None, :]
    U = np.nanmin(np.where(np.isfinite(R_on_isoquant(tech, P, coarse, Z)),
                           pR * R_on_isoquant(tech, P, coarse, Z) + pC * coarse, np.inf), axis=1)[:, None]
    assert np.isfinite(U).all()
    t = np.linspace(0.0, 1.0, GRID)[None, :]
    C = t * U / pC
    cost = pR * R_on_isoquant(tech, P, C, Z) + pC * C
    cost = np.where(np.isfinite(cost), cost, np.inf)
    best = np.argmin(cost, axis=1)
    Cs, Es = np.empty(len(points)), np.empty(len(points))
    for i, pt in enumerate(points):
        r, c, z, cmax = pt["price_rebels"], pt["price_civilians"], pt["control_target"], float(U[i, 0] / pC[i, 0])

        def e(x, pt=pt, r=r, c=c, z=z):
            v = float(r * R_on_isoquant(tech, pt, x, z) + c * x)
            return v if math.isfinite(v) else math.inf

        j = best[i]
        lo, hi = cmax * max(j - 1, 0) / (GRID - 1), cmax * min(j + 1, GRID - 1) / (GRID - 1)
        res = minimize_scalar(e, bounds=(lo, hi), method="bounded", options={"xatol": 1e-13 * max(cmax, 1e-300)})
        cands = [(res.x, res.fun), (0.0, e(0.0)), (C[i, j], cost[i, j])]
        if tech == "quadratic":  # the R = 0 corner of the non-convex isoquant (smallest C with F(0, C) ≥ Z)
            b, g_ = pt["civilian_value"], pt["civilian_saturation"]
            if b * b >= 2 * g_ * z:
                c0 = (b - math.sqrt(b * b - 2 * g_ * z)) / g_
                cands.append((c0, c * c0))
        x, v = min(cands, key=lambda xv: xv[1])
        Cs[i], Es[i] = x, v
    return Cs, Es


def library(points: list[dict]) -> dict[str, np.ndarray]:
    eqs = [pt["_model"].solve() for pt in points]
    return {k: np.array([eq[k] for eq in eqs]) for k in ("civilian_attacks", "rebel_attacks", "control", "cost")} | {
        "regime": np.array([eq.regime for eq in eqs])}


def assert_close_attacks(num, lib, scale, what):
    """C within 1e-6 relative, or within 1e-9·scale (M/p_C or the cost scale) in absolute terms."""
    err = np.abs(num - lib)
    ok = (err <= 1e-6 * np.abs(lib)) | (err <= 1e-9 * scale) | ((lib == 0) & (err <= 1e-9 * scale))
    bad = np.flatnonzero(~ok)
    assert bad.size == 0, f"{what}: {bad.size} points differ, worst relative {np.max(err / np.maximum(lib, 1e-300))}"


# ----------------------------------------------------------------------------- tests
@pytest.mark.parametrize("tech", TECHS)
def test_max_control_closed_form_equals_numerical_optimum(tech):
    points = valid_points(tech, "max_control", seed=101 + TECHS.index(tech))
    lib = library(points)
    C_num, Z_num = numeric_max(tech, points)
    # the closed form is never beaten, and attains the numerical maximum to 1e-6 relative
    assert np.all(lib["control"] >= Z_num * (1 - 1e-6) - 1e-12), tech
    assert np.allclose(lib["control"], Z_num, rtol=1e-6, atol=0), tech
    scale = np.array([p["resources"] / p["price_civilians"] for p in points])
    assert_close_attacks(C_num, lib["civilian_attacks"], scale, f"{tech} C*")
    M = np.array([p["resources"] for p in points])
    assert np.allclose(lib["cost"], M, rtol=1e-12)


@pytest.mark.filterwarnings("ignore:invalid value encountered:RuntimeWarning")  # inf costs off the isoquant
@pytest.mark.parametrize("tech", TECHS)
def test_min_cost_closed_form_equals_numerical_optimum(tech):
    points = valid_points(tech, "min_cost", seed=202 + TECHS.index(tech))
    lib = library(points)
    C_num, e_num = numeric_min(tech, points)
    assert np.all(lib["cost"] <= e_num * (1 + 1e-6)), tech
    assert np.allclose(lib["cost"], e_num, rtol=1e-6, atol=0), tech
    scale = np.array([p["control_target"] for p in points]) + 0 * C_num
    scale = np.maximum(scale, lib["cost"] / np.array([p["price_civilians"] for p in points]))
    assert_close_attacks(C_num, lib["civilian_attacks"], scale, f"{tech} C^h")
    # the library's bundle reaches the target
    Zlib = np.array([float(F(tech, p, lib["rebel_attacks"][i], lib["civilian_attacks"][i]))
                     for i, p in enumerate(points)])
    assert np.all(Zlib >= np.array([p["control_target"] for p in points]) * (1 - 1e-9)), tech
