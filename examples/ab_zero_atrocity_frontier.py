"""The cheapest route to zero civilian attacks (after Anderton & Brauer 2016; JEL 2021, doi:10.1257/jel.20201240)
==============================================================================================================

A worked example of spec 6.5 with the contest ("draining the sea") technology, where civilian
attacks stop once their price reaches the choke price κM. A third party buys three instruments
with intensities x = (x_M, x_κ, x_p) ≥ 0 at unit costs c = (c_M, c_κ, c_p):

* sanctions shrink the perpetrator's resources, M(x) = M₀·exp(−k_M x_M);
* protection of civilians weakens the support-erosion effect, κ(x) = κ₀·exp(−k_κ x_κ);
* prosecution and monitoring raise the price of attacking civilians, p_C(x) = p_C0 + k_p x_p.

The **zero-atrocity frontier** is κ(x)·M(x) = p_C(x). The script answers two questions with
the library's closed-form perpetrator response (``AndertonBrauer(technology="contest")``):

1. the cheapest x on the frontier (SLSQP from several starts, checked against a one-line
   analytic reduction and a grid);
2. with a budget too small to reach the frontier, the x that minimises deaths
   D = λ·C* + ψ·R* (SLSQP, checked against a vectorised grid through ``model.evaluate``).

This is an example, not library API. The instrument mappings, costs and all numbers are
atrogame's own illustration, not Anderton & Brauer's.

Run it with ``python examples/ab_zero_atrocity_frontier.py [output-folder]``; with a folder
it also writes ``ab_zero_atrocity_frontier.png`` there.
"""

# %%
from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pandas as pd
from scipy.optimize import minimize

import atrogame as ag

# %% The perpetrator (contest defaults: M₀ = 100, κ₀ = 0.05, p_C0 = p_R = 1, G0 = 60) and deaths.
PERPETRATOR = ag.AndertonBrauer(technology="contest", lethality_civilians=1.0, lethality_rebels=0.1)
M0, KAPPA0, PC0 = PERPETRATOR.resources, PERPETRATOR.support_erosion, PERPETRATOR.price_civilians

# Instrument effectiveness k and unit cost c, in the order (sanctions, protection, prices).
NAMES = ("sanctions x_M", "protection x_κ", "prices x_p")
K = np.array([1.0, 1.0, 1.0])
COST = np.array([1.0, 1.2, 0.5])
#: Budget of the second exercise (below the frontier's cheapest cost).
BUDGET = 1.0
STARTS = ([0.5, 0.5, 0.5], [1.5, 0.0, 0.0], [0.0, 1.5, 0.0], [0.0, 0.0, 4.0], [0.2, 0.2, 2.0])


def instruments(x: np.ndarray) -> dict[str, np.ndarray]:
    """Parameter values of the perpetrator's problem at instrument intensities x (vectorised over rows)."""
    x = np.atleast_2d(x)
    return {"resources": M0 * np.exp(-K[0] * x[:, 0]), "support_erosion": KAPPA0 * np.exp(-K[1] * x[:, 1]),
            "price_civilians": PC0 + K[2] * x[:, 2]}


def response(x: np.ndarray, outcomes=("civilian_attacks", "rebel_attacks", "civilian_deaths")) -> np.ndarray:
    """The perpetrator's closed-form response at each row of x (one vectorised library call)."""
    vals = instruments(x)
    names = list(vals)
    return PERPETRATOR.evaluate(np.column_stack([vals[n] for n in names]), names, list(outcomes))


def frontier_gap(x: np.ndarray) -> float:
    """log p_C(x) − log(κ(x)M(x)) ≥ 0 exactly when civilian attacks stop."""
    v = instruments(x)
    return float(np.log(v["price_civilians"][0]) - np.log(v["support_erosion"][0] * v["resources"][0]))


def cheapest_on_frontier() -> tuple[np.ndarray, float]:
    """Exercise 1: min c·x subject to the frontier, SLSQP from several starts."""
    best = None
    for x0 in STARTS:
        res = minimize(lambda x: float(COST @ x), x0, method="SLSQP", bounds=[(0, None)] * 3,
                       constraints=[{"type": "ineq", "fun": frontier_gap}], options={"ftol": 1e-12, "maxiter": 500})
        if res.success and (best is None or res.fun < best.fun):
            best = res
    assert best is not None
    return best.x, float(best.fun)


def cheapest_by_reduction() -> tuple[np.ndarray, float]:
    """The same answer another way: given x_p, the cheaper of sanctions and protection closes the rest.

    log(κM) falls by k per unit of x_M or x_κ, so only the one with the lower c/k is used; a fine
    grid over x_p then finds the optimum (an independent check of SLSQP).
    """
    xp = np.linspace(0.0, (KAPPA0 * M0 - PC0) / K[2], 400_001)
    gap = np.maximum(0.0, np.log(KAPPA0 * M0) - np.log(PC0 + K[2] * xp))
    j = 0 if COST[0] / K[0] <= COST[1] / K[1] else 1
    cost = COST[2] * xp + COST[j] / K[j] * gap
    i = int(np.argmin(cost))
    x = np.zeros(3)
    x[2], x[j] = xp[i], gap[i] / K[j]
    return x, float(cost[i])


def fewest_deaths(budget: float) -> tuple[np.ndarray, float]:
    """Exercise 2: min deaths D(x) subject to c·x ≤ budget, SLSQP from several feasible starts."""
    def deaths(x: np.ndarray) -> float:
        return float(response(x, ("civilian_deaths",))[0, 0])

    best = None
    for x0 in STARTS:
        start = np.asarray(x0) * min(1.0, budget / float(COST @ x0))
        res = minimize(deaths, start, method="SLSQP", bounds=[(0, None)] * 3,
                       constraints=[{"type": "ineq", "fun": lambda x: budget - float(COST @ x)}],
                       options={"ftol": 1e-12, "maxiter": 500})
        if res.success and (best is None or res.fun < best.fun):
            best = res
    assert best is not None
    return best.x, float(best.fun)


def deaths_grid(budget: float, n: int = 61) -> tuple[np.ndarray, float]:
    """Brute force: every grid point that spends the whole budget (one vectorised evaluation)."""
    a = np.linspace(0.0, 1.0, n)
    u, v = np.meshgrid(a, a, indexing="ij")
    keep = u + v <= 1.0 + 1e-12
    shares = np.column_stack([u[keep], v[keep], 1.0 - u[keep] - v[keep]])  # shares of the budget
    x = shares * budget / COST
    d = response(x, ("civilian_deaths",))[:, 0]
    i = int(np.argmin(d))
    return x[i], float(d[i])


def describe(x: np.ndarray) -> dict[str, float]:
    v = {k: float(a[0]) for k, a in instruments(x).items()}
    c, r, d = response(x)[0]
    return {**dict(zip(NAMES, x.tolist(), strict=True)), "cost": float(COST @ x), **v,
            "κM − p_C": v["support_erosion"] * v["resources"] - v["price_civilians"],
            "C*": c, "R*": r, "deaths": d}


def plot(folder: str, x_front: np.ndarray) -> Path:
    """C* over sanctions × prices (no protection), the zero-atrocity frontier and the cheapest point."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    xm, xp = np.linspace(0, 2, 121), np.linspace(0, 5, 121)
    gm, gp = np.meshgrid(xm, xp, indexing="xy")
    grid = np.column_stack([gm.ravel(), np.zeros(gm.size), gp.ravel()])
    c = response(grid, ("civilian_attacks",))[:, 0].reshape(gm.shape)
    fig, ax = plt.subplots(figsize=(5.5, 4.2), layout="constrained")
    cs = ax.contourf(gm, gp, c, levels=12, cmap="Reds")
    fig.colorbar(cs, ax=ax, label="attacks on civilians, C*")
    v = instruments(grid)
    gap = (v["support_erosion"] * v["resources"] - v["price_civilians"]).reshape(gm.shape)
    ax.contour(gm, gp, gap, levels=[0.0], colors="k", linewidths=1.5)
    cost = COST @ x_front
    ax.plot(xm, (cost - COST[0] * xm) / COST[2], "b--", label=f"iso-cost line, cost = {cost:.3g}")
    ax.plot([x_front[0]], [x_front[2]], "bo", label="cheapest zero-atrocity mix")
    ax.set_xlim(0, 2)
    ax.set_ylim(0, 5)
    ax.set_xlabel("sanctions intensity x_M")
    ax.set_ylabel("price-policy intensity x_p")
    ax.set_title("Zero-atrocity frontier κ(x)M(x) = p_C(x) (black)", fontsize=9)
    ax.legend(fontsize=7, loc="upper right")
    out = Path(folder)
    out.mkdir(parents=True, exist_ok=True)
    path = out / "ab_zero_atrocity_frontier.png"
    fig.savefig(path, dpi=120)
    plt.close(fig)
    return path


def main(argv: list[str]) -> int:
    pd.set_option("display.width", 160)
    pd.set_option("display.float_format", lambda v: f"{v:.6g}")
    print("Baseline perpetrator (contest technology; atrogame's numbers):", repr(PERPETRATOR.solve()))
    x1, cost1 = cheapest_on_frontier()
    _, cost2 = cheapest_by_reduction()
    print(f"\n1. Cheapest route to zero civilian attacks: cost {cost1:.6f} (SLSQP), {cost2:.6f} (reduction + grid)")
    assert abs(cost1 - cost2) <= 1e-5 * cost2, (cost1, cost2)
    eq = ag.AndertonBrauer(technology="contest", **{k: float(v[0]) for k, v in instruments(x1 * (1 + 1e-9)).items()})
    print(f"   at that mix the perpetrator's regime is {eq.solve().regime!r}")
    x3, d3 = fewest_deaths(BUDGET)
    _, d4 = deaths_grid(BUDGET)
    print(f"\n2. Fewest deaths with budget {BUDGET:g}: D = {d3:.6f} (SLSQP), {d4:.6f} (grid)")
    assert d3 <= d4 + 1e-6 * max(1.0, d4), (d3, d4)
    table = pd.DataFrame({"no policy": describe(np.zeros(3)), "cheapest zero-C mix": describe(x1),
                          f"fewest deaths, budget {BUDGET:g}": describe(x3)}).T
    print()
    print(table.to_string())
    if len(argv) > 1:
        print("\nwrote", plot(argv[1], x1))
    return 0


if __name__ == "__main__":
    if status := main(sys.argv):  # exit only on failure, so a runner such as the docs gallery goes on
        raise SystemExit(status)
