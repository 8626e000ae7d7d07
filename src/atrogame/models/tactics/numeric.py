"""An independent numerical solution of the tactics model (checks the closed form).

It never uses the dual (price-index) formulas: it maximises the primal ``ln F`` over the
spending shares of the ``K + 1`` activities (softmax coordinates, BFGS with the analytic
gradient ``ε − x``, where ``ε`` are the output elasticities of the activities), then
polishes with a root of the first-order conditions ``x_i = ε_i(x)`` and keeps the polished
point only if ``ln F`` did not fall. ``min_cost`` scales the optimal spending direction by a
one-dimensional root of ``F = Z̄``. A finite enabler-supply elasticity adds an outer scalar
root of ``X^D(p_E) = X^S(ν)`` in ``ln ν``, with ``X^D`` from the numerical optimiser. See
docs/explanation/tactics.md.

Examples
--------
>>> from atrogame.models.tactics.params import TacticsParams
>>> sol = solve_numeric(TacticsParams(tactic_sanction=(0, 0, 1, 0)))
>>> [round(float(x), 6) for x in sol["tactic_levels"]], round(float(sol["deaths"]), 6)
([14.285714, 14.285714, 3.571429, 14.285714], 16.071429)
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
from scipy.optimize import brentq, minimize, root

from atrogame.models.tactics.params import TacticsParams

__all__ = ["solve_numeric"]


def _log_power_mean(lnw: np.ndarray, lnx: np.ndarray, rho: float) -> float:
    """ln (Σ w x^ρ)^{1/ρ} with Σ w = 1, exact near ρ = 0 (geometric mean at ρ = 0)."""
    w = np.exp(lnw)
    m = float(np.dot(w, lnx))
    if abs(rho) < 1e-12:
        return m
    a = rho * (lnx - m)
    if abs(rho) < 0.1:
        L = math.log1p(float(np.dot(w, np.expm1(a))))
    else:
        top = float(np.max(lnw + a))
        L = top + math.log(float(np.sum(np.exp(lnw + a - top))))
    return m + L / rho


def _rho(sig: float) -> float:
    return (sig - 1.0) / sig


class _Primal:
    """ln F and the output elasticities of (R, T_1..T_K), from the production function only."""

    def __init__(self, p: TacticsParams, pE: float) -> None:
        self.p = p
        om = np.asarray(p.tactic_weights)
        self.lnom = np.log(om / om.sum())
        self.lnb = np.log(np.asarray(p.tactic_productivity))
        self.q = np.asarray(p.tactic_cost) + np.asarray(p.enabler_intensity) * pE + (1 - p.ideology) * np.asarray(
            p.tactic_sanction)
        self.pR = p.cost_rebels + p.enabler_intensity_rebels * pE
        self.prices = np.concatenate([[self.pR], self.q])
        self.rT = _rho(p.tactic_substitution)
        self.r = _rho(p.substitution_elasticity)
        self.lnth = np.log(np.array([p.share_rebels, 1.0 - p.share_rebels]))

    def lnF_and_elasticities(self, lnact: np.ndarray) -> tuple[float, np.ndarray]:
        with np.errstate(over="ignore", under="ignore", invalid="ignore", divide="ignore"):
            return self._lnF_and_elasticities(lnact)

    def _lnF_and_elasticities(self, lnact: np.ndarray) -> tuple[float, np.ndarray]:
        p = self.p
        lnR, lnT = lnact[0], lnact[1:]
        lbt = self.lnb + lnT
        lnC = _log_power_mean(self.lnom, lbt, self.rT)
        inner = np.array([math.log(p.productivity_rebels) + lnR, math.log(p.productivity_civilians) + lnC])
        lnF = math.log(p.tfp) + _log_power_mean(self.lnth, inner, self.r)
        # elasticities: shares of w_i x_i^ρ in each power mean
        wi = self.lnth + self.r * inner
        outer = np.exp(wi - np.logaddexp(wi[0], wi[1]))
        wk = self.lnom + self.rT * lbt
        top = np.max(wk)
        nest = np.exp(wk - top - math.log(float(np.sum(np.exp(wk - top)))))
        return lnF, np.concatenate([[outer[0]], outer[1] * nest])

    def at_shares(self, x: np.ndarray, budget: float) -> np.ndarray:
        with np.errstate(divide="ignore"):  # a zero share is log-quantity -inf (an unused tactic)
            return np.log(x) + math.log(budget) - np.log(self.prices)


def _softmax(z: np.ndarray) -> np.ndarray:
    z = z - np.max(z)
    e = np.exp(z)
    return e / e.sum()


def _optimal_shares(pr: _Primal) -> np.ndarray:
    n = pr.prices.size

    def negf(z: np.ndarray) -> tuple[float, np.ndarray]:
        x = _softmax(z)
        f, eps = pr.lnF_and_elasticities(pr.at_shares(x, 1.0))
        return -f, -(eps - x)

    best_z = np.zeros(n)
    best_f = -negf(best_z)[0]
    for z0 in (np.zeros(n), np.log(pr.lnF_and_elasticities(pr.at_shares(np.full(n, 1.0 / n), 1.0))[1])):
        res = minimize(negf, z0, jac=True, method="BFGS", options={"gtol": 1e-13, "maxiter": 2000})
        if -res.fun >= best_f:
            best_f, best_z = -res.fun, res.x

    def foc(zr: np.ndarray) -> np.ndarray:
        z = np.concatenate([[0.0], zr])
        x = _softmax(z)
        _f, eps = pr.lnF_and_elasticities(pr.at_shares(x, 1.0))
        return (np.log(x) - np.log(eps))[1:]

    zr0 = best_z[1:] - best_z[0]
    sol = root(foc, zr0, method="hybr", tol=1e-15)
    if np.all(np.isfinite(sol.x)):
        z = np.concatenate([[0.0], sol.x])
        f = -negf(z)[0]
        if f >= best_f - 1e-13 * max(1.0, abs(best_f)):
            best_z = z
    return _softmax(best_z)


def _solve_at(p: TacticsParams, pE: float) -> dict[str, Any]:
    pr = _Primal(p, pE)
    x = _optimal_shares(pr)
    if p.objective == "max_control":
        budget = p.resources
        lnF, _ = pr.lnF_and_elasticities(pr.at_shares(x, budget))
    else:
        ln_target = math.log(float(p.control_target))  # type: ignore[arg-type]

        def gap(lnc: float) -> float:
            return pr.lnF_and_elasticities(pr.at_shares(x, math.exp(lnc)))[0] - ln_target

        lo, hi = -5.0, 5.0
        while gap(lo) > 0:
            lo -= 10.0
        while gap(hi) < 0:
            hi += 10.0
        budget = math.exp(brentq(gap, lo, hi, xtol=1e-15, rtol=1e-15))
        lnF = ln_target
    act = x * budget / pr.prices
    T, R = act[1:], act[0]
    X = p.enabler_intensity_rebels * R + float(np.dot(p.enabler_intensity, T))
    lnC = _log_power_mean(pr.lnom, pr.lnb + np.log(T), pr.rT)
    return {"T": T, "R": R, "Z": math.exp(lnF), "cost": budget, "X": X, "q": pr.q, "pR": pr.pR, "C": math.exp(lnC)}


def solve_numeric(p: TacticsParams, pass_through: bool = False) -> dict[str, Any]:
    """Solve the primal problem numerically (see the module docstring); returns a dict of floats
    and per-tactic arrays: ``tactic_levels``, ``rebel_attacks``, ``control``, ``cost``,
    ``enabler_price``, ``enabler_net_price``, ``enabler_input``, ``deaths``, ``civilian_violence``
    (the composite from the production function), and with ``pass_through`` the enabler
    pass-through as a central difference of the numerical enabler price in ``s_E``."""
    out = _solve_numeric(p)
    if pass_through:
        uses = p.enabler_intensity_rebels > 0 or any(e > 0 for e in p.enabler_intensity)
        if math.isinf(p.enabler_supply_elasticity) or not uses:
            out["chi_E"] = 1.0
        else:
            h = 1e-5 * max(1.0, p.enabler_sanction)
            lo = max(p.enabler_sanction - h, 0.0)
            up = _solve_numeric(p.replace(enabler_sanction=p.enabler_sanction + h))["enabler_price"]
            dn = _solve_numeric(p.replace(enabler_sanction=lo))["enabler_price"]
            out["chi_E"] = (up - dn) / (p.enabler_sanction + h - lo)
    return out


def _solve_numeric(p: TacticsParams) -> dict[str, Any]:
    eps = p.enabler_supply_elasticity
    uses = p.enabler_intensity_rebels > 0 or any(e > 0 for e in p.enabler_intensity)
    if math.isinf(eps) or not uses:
        nu = p.enabler_cost
    else:
        cap = float(p.enabler_capacity)  # type: ignore[arg-type]

        def g(u: float) -> float:
            sol = _solve_at(p, p.enabler_sanction + math.exp(u))
            return math.log(sol["X"]) - math.log(cap) - eps * (u - math.log(p.enabler_cost))

        lo = hi = math.log(p.enabler_cost)
        while g(lo) < 0:
            lo -= 2.0
        while g(hi) > 0:
            hi += 2.0
        nu = math.exp(brentq(g, lo, hi, xtol=1e-13, rtol=1e-14)) if lo != hi else math.exp(lo)
    pE = p.enabler_sanction + nu
    sol = _solve_at(p, pE)
    T, R = sol["T"], sol["R"]
    deaths = float(np.dot(p.lethality, T)) + p.lethality_rebels * R
    return {"tactic_levels": T, "rebel_attacks": R, "control": sol["Z"], "cost": sol["cost"],
            "enabler_price": pE, "enabler_net_price": nu, "enabler_input": sol["X"], "deaths": deaths,
            "tactic_prices": sol["q"], "price_rebels": sol["pR"], "civilian_violence": sol["C"]}
