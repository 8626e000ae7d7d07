"""An independent numeric solution of the strategic mass-killing game from its primitive payoffs.

After Esteban, Morelli & Rohner (2015); the forms are atrogame's own reconstruction (see
docs/explanation/strategic_mass_killing.md). Nothing here uses the closed form's shortcuts (the
value and loss per victim, the base stake, the contest formulas): each stage is solved by search
on the aggregate payoffs of the two groups.

* killing stage: a dense grid of tolls on [0, min(v̄, n_h)], a bounded Brent refinement around
  the best grid point, then a comparison with no campaign (ties go to no killing);
* contest: a numeric root of the two first-order conditions, confirmed by a grid best-response
  test on each side;
* onset: the opposition's war payoff minus its status-quo payoff;
* welfare: the loss of total payoff integrated over the challenge cost by quadrature.

Two sets of forms: ``"default"`` (the closed form's) and ``"size_ratio"`` (entitlements and the
future challenge computed over survivors, which makes the killing objective non-concave).

Examples
--------
>>> from atrogame.models.strategic_mass_killing.params import StrategicMassKillingParams
>>> out = solve_numeric(StrategicMassKillingParams())
>>> out["regime"], round(out["killing_share_incumbent"], 7)
('interior', 0.3528571)
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import numpy as np
from scipy import integrate, optimize

from atrogame.models.strategic_mass_killing.kernel import OUTCOMES

__all__ = ["FORMS", "group_payoffs", "solve_killing", "solve_numeric"]

FORMS: tuple[str, ...] = ("default", "size_ratio")
GRID = 20_001


def _get(p: Any, name: str) -> float:
    return float(p[name] if isinstance(p, Mapping) else getattr(p, name))


def group_payoffs(p: Any, n_g: float, v: Any, forms: str = "default") -> tuple[np.ndarray, np.ndarray]:
    """Aggregate payoffs (U_g, U_h) of the group in power (size n_g) and the group out of power.

    ``v`` is the toll g inflicted on h (a share of the pre-war population). The fixed cost φ is
    charged when v > 0. Written from the primitives: rents split three ways, the future
    challenge, the killing costs and the lost incomes.

    Examples
    --------
    >>> from atrogame.models.strategic_mass_killing.params import StrategicMassKillingParams
    >>> p = StrategicMassKillingParams()
    >>> in_power, _ = group_payoffs(p, 0.65, 0.0)    # the incumbent in power, no killing
    >>> _, out_of_power = group_payoffs(p, 0.35, 0.0)  # the incumbent out of power, no killing
    >>> round(float(in_power - out_of_power), 6)      # the base stake S0
    0.98
    """
    R, w, alpha, s, chi = (_get(p, k) for k in ("resource_rents", "productivity", "proportional_sharing",
                                                  "power_sharing", "headcount_claims"))
    mu, c, phi, tau = (_get(p, k) for k in ("killing_labour", "killing_cost_curvature", "killing_fixed_cost",
                                             "sanction_per_victim"))
    theta, delta, D = (_get(p, k) for k in ("state_weakness", "future_weight", "death_loss"))
    v = np.asarray(v, dtype=float)
    n_h = 1.0 - n_g
    survivors = n_h - v
    if forms == "default":
        out_entitlement = chi * alpha * R * survivors
        rho = theta * survivors
    elif forms == "size_ratio":
        out_entitlement = chi * alpha * R * survivors / (1.0 - v)
        rho = theta * survivors / (1.0 - v)
    else:
        raise ValueError(f"forms must be one of {FORMS}; got {forms!r}")
    block = s * (1.0 - alpha) * R  # power sharing: the out-group's block share
    keep = (1.0 - s) * (1.0 - alpha) * R  # what the group in power keeps of the non-entitlement rents
    future_g = delta * ((1.0 - rho) * keep + rho * block)
    future_h = delta * (rho * keep + (1.0 - rho) * block)
    u_g = (n_g * w + R - block - out_entitlement + future_g
           - (w * mu + tau) * v - c * v * v / (2.0 * n_g) - phi * (v > 0))
    u_h = survivors * w - D * v + block + out_entitlement + future_h
    return u_g, u_h


def solve_killing(p: Any, n_g: float, forms: str = "default", grid: int = GRID) -> dict[str, Any]:
    """The winner's toll by grid search and Brent refinement, with its regime.

    Returns ``toll``, ``gain`` (U_g(v*) − U_g(0)) and ``regime`` (a label of
    :data:`~atrogame.models.strategic_mass_killing.kernel.KILLING_REGIMES`), classified from
    the searches: no gain at all even without the fixed cost (``no_motive``), no net gain with
    the whole out-group reachable (``deterred``), no net gain within the cap (``cap_deterred``),
    else where the optimum lies.
    """
    phi = _get(p, "killing_fixed_cost")
    vbar = _get(p, "killing_cap")
    n_h = 1.0 - n_g
    u0 = float(group_payoffs(p, n_g, 0.0, forms)[0])

    def best(upper: float) -> tuple[float, float]:
        """Best toll in (0, upper] (fixed cost included) and its gain over v = 0."""
        if upper <= 0.0:
            return 0.0, -math.inf
        vs = np.linspace(0.0, upper, grid)
        vals = group_payoffs(p, n_g, vs, forms)[0]
        vals[0] -= phi  # v → 0+: a campaign of (almost) no victims still pays the fixed cost
        k = int(np.argmax(vals))
        lo, hi = vs[max(k - 1, 0)], vs[min(k + 1, grid - 1)]
        res = optimize.minimize_scalar(lambda x: -float(group_payoffs(p, n_g, x, forms)[0]) if x > 0
                                       else -(u0 - phi), bounds=(lo, hi), method="bounded",
                                       options={"xatol": 1e-14})
        cands = [(vs[k], vals[k]), (float(res.x), -float(res.fun))]
        if k == 0:
            cands.append((0.0, u0 - phi))
        v, val = max(cands, key=lambda t: t[1])
        return float(v), float(val - u0)

    # with no fixed cost at all: is there any motive?
    p_nofix = dict(p.to_dict() if hasattr(p, "to_dict") else p)
    p_nofix["killing_fixed_cost"] = 0.0
    vs = np.linspace(0.0, n_h, grid)
    raw = group_payoffs(p_nofix, n_g, vs, forms)[0]
    motive = bool(np.max(raw[1:]) > raw[0] + 1e-15) if grid > 1 else False

    v_all, g_all = best(n_h)
    v_cap, g_cap = best(min(vbar, n_h))
    free = {"free_toll": v_all, "free_gain": g_all}
    if not motive:
        return {"toll": 0.0, "gain": 0.0, "regime": "no_motive", **free}
    if g_all <= 0.0:
        return {"toll": 0.0, "gain": 0.0, "regime": "deterred", **free}
    if g_cap <= 0.0:
        return {"toll": 0.0, "gain": 0.0, "regime": "cap_deterred", **free}
    v_max = min(vbar, n_h)
    if v_cap < v_max - 1e-9:
        regime = "interior"
    elif vbar < n_h:
        regime = "capped"
    else:
        regime = "extermination"
    return {"toll": v_cap, "gain": g_cap, "regime": regime, **free}


def _with(p: Any, **changes: float) -> dict[str, float]:
    base = p.to_dict() if hasattr(p, "to_dict") else dict(p)
    return {**base, **changes}


def _thresholds(p: Any, n_g: float, forms: str, inc: Mapping[str, Any]) -> dict[str, float]:
    """Value per victim, prize of power and the two deterrence thresholds, by numeric search.

    The value per victim is the slope of the smooth part of U_g at v = 0 (a three-point
    one-sided formula); the deterrent cap is the root of U_g(v) = U_g(0) below the uncapped
    toll; the deterrent sanction the root in τ of the best campaign's net gain.
    """
    phi, tau = _get(p, "killing_fixed_cost"), _get(p, "sanction_per_victim")
    R, alpha, s = _get(p, "resource_rents"), _get(p, "proportional_sharing"), _get(p, "power_sharing")
    h = 1e-3
    u = [float(group_payoffs(p, n_g, x, forms)[0]) + (phi if x > 0 else 0.0) for x in (0.0, h, 2 * h)]
    m = (-3 * u[0] + 4 * u[1] - u[2]) / (2 * h)
    keep, block = (1.0 - s) * (1.0 - alpha) * R, s * (1.0 - alpha) * R
    u0 = float(group_payoffs(p, n_g, 0.0, forms)[0])
    if inc["free_gain"] > 0.0 and phi > 0.0:
        vhat = optimize.brentq(lambda x: float(group_payoffs(p, n_g, x, forms)[0]) - u0, 1e-300, inc["free_toll"],
                               xtol=1e-15, rtol=1e-14)
    elif inc["free_gain"] > 0.0:
        vhat = 0.0
    else:
        vhat = 1.0

    if min(_get(p, "killing_cap"), 1.0 - n_g) <= 0.0 or _best_gain(p, n_g, forms, 0.0) <= 0.0:
        that = 0.0
    elif phi == 0.0:  # no fixed cost: a campaign pays iff the first victim does, i.e. while m(t) > 0
        that = max(0.0, m + tau)
    else:  # the best net gain falls continuously in the sanction: bracket its root and solve
        hi = 1.0
        while _best_gain(p, n_g, forms, hi) > 0.0:
            hi *= 2.0
        that = optimize.brentq(lambda t: _best_gain(p, n_g, forms, t), 0.0, hi, xtol=1e-14, rtol=1e-13)
    return {"value_per_victim": m, "prize_of_power": keep - block, "deterrent_cap": vhat,
            "deterrent_sanction": that}


def _best_gain(p: Any, n_g: float, forms: str, t: float) -> float:
    """Best net gain of a campaign (fixed cost included) within the cap, at sanction t (continuous in t)."""
    q = _with(p, sanction_per_victim=t)
    v_max = min(_get(q, "killing_cap"), 1.0 - n_g)
    u0 = float(group_payoffs(q, n_g, 0.0, forms)[0])
    vs = np.linspace(0.0, v_max, 2001)
    vals = group_payoffs(q, n_g, vs, forms)[0]
    vals[0] -= _get(q, "killing_fixed_cost")  # v → 0+
    k = int(np.argmax(vals))
    lo, hi = vs[max(k - 1, 0)], vs[min(k + 1, vs.size - 1)]
    res = optimize.minimize_scalar(lambda x: -float(group_payoffs(q, n_g, max(x, 1e-300), forms)[0]),
                                   bounds=(lo, hi), method="bounded", options={"xatol": 1e-14})
    return max(-float(res.fun), float(vals[k])) - u0


def _contest(v_i: float, v_o: float, w: float) -> tuple[float, float]:
    """Equilibrium efforts of the ratio contest, by a root of the first-order conditions."""
    if v_i + v_o <= 0.0:
        return 0.0, 0.0

    def foc(x: np.ndarray) -> np.ndarray:
        e_i, e_o = np.exp(x)
        t = (e_i + e_o) ** 2
        return np.array([e_o * v_i / t / w - 1.0, e_i * v_o / t / w - 1.0])

    start = np.log(np.maximum([v_i / (4 * w), v_o / (4 * w)], 1e-300))
    sol = optimize.root(foc, start, method="hybr", options={"xtol": 1e-14})
    e_i, e_o = (float(x) for x in np.exp(sol.x))
    # best-response check on a grid around each effort (the payoff is concave in own effort)
    for own, other, stake in ((e_i, e_o, v_i), (e_o, e_i, v_o)):
        grid = own * np.linspace(0.0, 3.0, 3001)
        pay = stake * grid / (grid + other) - w * grid
        at = stake * own / (own + other) - w * own
        if np.max(pay) > at + 1e-9 * max(1.0, stake):
            raise RuntimeError("contest root is not a mutual best response")
    return e_i, e_o


def solve_numeric(p: Any, forms: str = "default") -> dict[str, Any]:
    """Solve the whole game numerically from the primitive payoffs (see the module docstring).

    Returns every outcome of :data:`~atrogame.models.strategic_mass_killing.kernel.OUTCOMES`
    (the deterrence thresholds by root finding) plus ``regime``, ``opposition_regime`` and
    ``onset_regime`` labels.
    """
    n_i = _get(p, "incumbent_share")
    n_o = 1.0 - n_i
    w, eps = _get(p, "productivity"), _get(p, "mobilisation_cost_max")
    inc = solve_killing(p, n_i, forms)
    opp = solve_killing(p, n_o, forms)
    v_i, v_o = inc["toll"], opp["toll"]
    thr = _thresholds(p, n_i, forms, inc)

    # payoffs of each group in each role
    ug_i, uh_o = (float(x) for x in group_payoffs(p, n_i, v_i, forms))  # I won and killed v_i
    ug_o, uh_i = (float(x) for x in group_payoffs(p, n_o, v_o, forms))  # O won and killed v_o
    sq_i, sq_o = (float(x) for x in group_payoffs(p, n_i, 0.0, forms))  # status quo
    stake_i, stake_o = ug_i - uh_i, ug_o - uh_o
    e_i, e_o = _contest(stake_i, stake_o, w)
    p_i = e_i / (e_i + e_o) if e_i + e_o > 0 else 0.5
    p_o = 1.0 - p_i
    war_i = p_i * ug_i + p_o * uh_i - w * e_i
    war_o = p_o * ug_o + p_i * uh_o - w * e_o
    gain = war_o - sq_o
    q = min(1.0, max(0.0, gain / eps))
    onset = "no_challenge" if gain <= 0 else ("certain_challenge" if gain >= eps else "contested")
    surplus_loss = (sq_i + sq_o) - (war_i + war_o)
    # E over ε ~ U[0, ε̄] of the total loss when O challenges (ε < gain)
    upper = min(max(gain, 0.0), eps)
    welfare = integrate.quad(lambda e: (surplus_loss + e) / eps, 0.0, upper, epsabs=1e-14, epsrel=1e-12)[0] \
        if upper > 0 else 0.0
    kill_i, kill_o = float(v_i > 0), float(v_o > 0)
    out: dict[str, Any] = {
        "killing_share_incumbent": v_i / n_o,
        "killing_share_opposition": v_o / n_i,
        "victims_if_incumbent_wins": v_i,
        "victims_if_opposition_wins": v_o,
        "value_per_victim": thr["value_per_victim"],
        "killing_gain_incumbent": inc["gain"],
        "killing_gain_opposition": opp["gain"],
        "prize_of_power": thr["prize_of_power"],
        "stake_incumbent": stake_i,
        "stake_opposition": stake_o,
        "effort_incumbent": e_i,
        "effort_opposition": e_o,
        "conflict_intensity": e_i + e_o,
        "win_prob_incumbent": p_i,
        "challenge_gain": gain,
        "p_conflict": q,
        "p_mass_killing_given_conflict": p_i * kill_i + p_o * kill_o,
        "p_mass_killing": q * (p_i * kill_i + p_o * kill_o),
        "deaths_given_conflict": p_i * v_i + p_o * v_o,
        "expected_deaths": q * (p_i * v_i + p_o * v_o),
        "welfare_loss": welfare,
        "deterrent_cap": thr["deterrent_cap"],
        "deterrent_sanction": thr["deterrent_sanction"],
        "regime": inc["regime"],
        "opposition_regime": opp["regime"],
        "onset_regime": onset,
    }
    assert set(OUTCOMES) <= set(out)
    return out
