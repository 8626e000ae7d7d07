"""An independent brute-force solution of the Kydd–Straus game against the closed form.

Written from the game's description (spec §2: timing, the war-node payoff table, uniform
private costs), not from the closed form: G's war payoff and M's war value are summed over
the three war nodes; the atrocity level maximises G's payoff on a grid over [0, 1] (then a
finer grid around the best point); M rejects an offer x iff its cost c is below its net war
value minus x; G's offer maximises its expected payoff on a grid over [0, 1] (then a finer
grid), using the exact uniform CDF. No first-order conditions, no regimes.
"""

from __future__ import annotations

from dataclasses import fields

import numpy as np

from atrogame.models.kydd_straus import REGIMES, KyddStraus, KyddStrausParams

P = KyddStrausParams
NAMES = P.names()
N_COARSE = 1001
N_FINE = 1001
STEP = 1 / (N_COARSE - 1)
RES = 2 * STEP / (N_FINE - 1)  # resolution of the refined grids (4e-6 at these sizes)


def _maximise_on_grid(f, lo, hi, n):
    """Grid argmax of f over [lo, hi] per row (first maximum wins, i.e. the smallest choice)."""
    t = np.linspace(0.0, 1.0, n)[None, :]
    grid = lo[:, None] + (hi - lo)[:, None] * t
    vals = f(grid)
    j = np.argmax(vals, axis=1)
    return grid[np.arange(grid.shape[0]), j]


def _global_then_local(f, n_rows):
    lo, hi = np.zeros(n_rows), np.ones(n_rows)
    best = _maximise_on_grid(f, lo, hi, N_COARSE)
    return _maximise_on_grid(f, np.maximum(best - STEP, 0.0), np.minimum(best + STEP, 1.0), N_FINE)


def brute_force(cols: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """Solve at each row of ``cols`` by grid search (see the module docstring)."""
    c = {k: np.asarray(v, dtype=float)[:, None] for k, v in cols.items()}
    n = len(next(iter(cols.values())))

    def war(a):
        hazard = c["intervention_commitment"] * (c["war_trigger_share"] + (1 - c["war_trigger_share"]) * a)
        win = c["rebel_strength"] * (1 - c["atrocity_effectiveness"] * a)
        g_cost = c["atrocity_penalty"] * a + c["atrocity_cost_curvature"] * a * a / 2
        m_cost = c["war_penalty_minority"] + c["atrocity_harm"] * a  # plus the private cost c, subtracted later
        z, d = c["imposed_settlement"], c["government_war_cost"]
        nodes = [  # (probability, G's payoff, M's payoff before its private cost)
            (hazard, 1 - z - d - g_cost, z - m_cost),
            ((1 - hazard) * win, 0 - d - g_cost, 1 - m_cost),
            ((1 - hazard) * (1 - win), 1 - d - g_cost, 0 - m_cost),
        ]
        u_g = sum(pr * ug for pr, ug, _ in nodes)
        u_m = sum(pr * um for pr, _, um in nodes)
        return u_g, u_m, hazard, win

    a = _global_then_local(lambda grid: war(grid)[0], n)
    w_g, u_m, hazard, win = (v[:, 0] for v in war(a[:, None]))
    cbar, s_g, s_m = cols["cost_uncertainty"], cols["inducement_government"], cols["inducement_minority"]

    def reject_prob(x, um=u_m[:, None], cb=cbar[:, None], sm=s_m[:, None]):
        # type c fights iff um − c > x + s_M, i.e. c < um − s_M − x; c ~ U[0, C̄] (exact CDF)
        return np.clip((um - sm - x) / cb, 0.0, 1.0)

    def g_payoff(x):
        r = reject_prob(x)
        return (1 - r) * (1 - x + s_g[:, None]) + r * w_g[:, None]

    x = _global_then_local(g_payoff, n)
    q = reject_prob(x[:, None])[:, 0]
    war_loss = 1 - (u_m + cols["war_penalty_minority"]) - w_g
    return {
        "atrocities_in_war": a,
        "intervention_prob_in_war": hazard,
        "minority_win_prob_in_war": win,
        "minority_war_value": u_m + cols["war_penalty_minority"],
        "government_war_value": w_g,
        "war_surplus_loss": war_loss,
        "offer": x,
        "p_war": q,
        "cutpoint": q * cbar,
        "expected_atrocities": q * a,
        "government_utility": g_payoff(x[:, None])[:, 0],
        # ex ante: accepting types get x + s_M; fighting types (c < cutpoint) get u_m − c
        "minority_utility": (1 - q) * (x + s_m) + q * u_m - cbar * q**2 / 2,
    }


def _points(rng, n_random=320):
    cols = {}
    for f in fields(P):
        lo, hi = f.metadata["sweep_range"]
        if not f.metadata["interval"].left_closed:
            lo = max(lo, 1e-3)
        if f.metadata["interval"].hi == 1 and not f.metadata["interval"].right_closed:
            hi = min(hi, 1 - 1e-3)
        cols[f.name] = rng.uniform(lo, hi, n_random + 60)
    # 30 points with a weakly curved war stage (a* = 1 more often), 30 with D = 0
    cols["atrocity_cost_curvature"][n_random: n_random + 30] *= 0.05
    cols["atrocity_penalty"][n_random: n_random + 30] *= 0.1
    cols["atrocity_cost_curvature"][n_random + 30:] = 0.0
    cols["intervention_commitment"][n_random + 30: n_random + 45] = 0.0
    cols["atrocity_effectiveness"][n_random + 45:] = 0.0
    return cols


def test_brute_force_agrees_with_closed_form(rng):
    cols = _points(rng)
    n = len(cols["rebel_strength"])
    X = np.column_stack([cols[k] for k in NAMES])
    names = ["atrocities_in_war", "intervention_prob_in_war", "minority_win_prob_in_war", "minority_war_value",
             "government_war_value", "war_surplus_loss", "offer", "p_war", "cutpoint", "expected_atrocities",
             "government_utility", "minority_utility", "regime"]
    Y = KyddStraus().evaluate(X, NAMES, names)
    closed = {k: Y[:, j] for j, k in enumerate(names)}
    brute = brute_force(cols)
    regimes = [REGIMES[int(r)] for r in closed["regime"]]
    # the sample covers every regime and every branch of a*
    assert all(regimes.count(r) >= 20 for r in REGIMES)
    a_c = closed["atrocities_in_war"]
    assert (a_c == 0).sum() >= 20 and (a_c == 1).sum() >= 5 and ((a_c > 0) & (a_c < 1)).sum() >= 100
    # choices agree to the resolution of the refined grids; q is scaled by 1/C̄
    cbar = cols["cost_uncertainty"]
    np.testing.assert_array_less(np.abs(brute["atrocities_in_war"] - a_c), RES)
    np.testing.assert_array_less(np.abs(brute["offer"] - closed["offer"]), 10 * RES)
    np.testing.assert_array_less(np.abs(brute["p_war"] - closed["p_war"]), 10 * RES / cbar)
    for k in ("intervention_prob_in_war", "minority_win_prob_in_war", "minority_war_value",
              "government_war_value", "war_surplus_loss", "cutpoint", "expected_atrocities", "minority_utility"):
        np.testing.assert_array_less(np.abs(brute[k] - closed[k]), 10 * RES / np.minimum(cbar, 1), err_msg=k)
    # G's expected utility (the grid's a* is off by < RES, which moves M's war value by O(RES))
    np.testing.assert_array_less(np.abs(brute["government_utility"] - closed["government_utility"]), 10 * RES)
    # regimes seen from the brute-force solution: war iff "interior"/"corner", offer 0 in "corner"
    regimes = np.array(regimes)
    no_war = np.isin(regimes, ["peace", "no_rebellion"])
    assert (brute["p_war"][no_war] < 10 * RES / cbar[no_war]).all()
    clear = closed["p_war"] > 100 * RES / cbar  # war regimes away from their boundary with peace
    assert (brute["p_war"][clear] > 50 * RES / cbar[clear]).all() and not no_war[clear].any()
    corner = regimes == "corner"
    assert (brute["offer"][corner] < 10 * RES).all()
    interior = (regimes == "interior") & (closed["offer"] > 100 * RES)
    assert (brute["offer"][interior] > 50 * RES).all()
    assert n >= 300
