"""The road to hell, step by step (after Kydd & Straus 2013, doi:10.1111/ajps.12009)
=================================================================================

A stronger commitment to intervene deters atrocities in war, but it also makes war cheaper
and more attractive for the minority, so war breaks out more often. Whether expected
atrocities fall depends on the third party's neutrality and on costs imposed on the
government's leaders outside intervention. This script is the tutorial
``docs/tutorial/road_to_hell.md`` as one program: it solves two cases, sweeps the
commitment for four designs, prints a small table, writes the figure, and repeats the check
with a non-uniform distribution of the minority's cost of war.

The functional forms and all numbers are atrogame's own reconstruction, not the authors'
published numbers.

Run it with ``python examples/ks_road_to_hell.py [output-folder]``.
"""

# %%
from __future__ import annotations

import sys

import numpy as np

import atrogame as ag

# The four designs of the road-to-hell figure: a neutral (z = p0 = 0.4) or pro-minority
# (z = 0.7) imposed settlement, without (k = 0) or with (k = 0.05) a penalty on atrocities.
DESIGNS = {
    "N0": {"imposed_settlement": 0.4, "atrocity_penalty": 0.0},
    "B0": {"imposed_settlement": 0.7, "atrocity_penalty": 0.0},
    "N5": {"imposed_settlement": 0.4, "atrocity_penalty": 0.05},
    "B5": {"imposed_settlement": 0.7, "atrocity_penalty": 0.05},
}


def solve_two_cases() -> tuple[ag.Equilibrium, ag.Equilibrium]:
    """Step 1: the same commitment (i = 0.5) with a neutral and a biased settlement."""
    neutral = ag.KyddStraus().solve()
    biased = ag.KyddStraus(imposed_settlement=0.7).solve()
    return neutral, biased


def sweep_commitment():
    """Step 2: sweep the commitment for the four designs (one vectorised call)."""
    model = ag.KyddStraus()
    return model.sweep(
        intervention_commitment=np.linspace(0, 1, 101),
        imposed_settlement=[0.4, 0.7],
        atrocity_penalty=[0.0, 0.05],
    )


def design_curve(ds, name: str, outcome: str = "expected_atrocities") -> np.ndarray:
    """One design's curve against the commitment."""
    return ds[outcome].sel(**DESIGNS[name]).values


def beta_types_check() -> np.ndarray:
    """Step 4: the same question with beta-distributed costs of war (numeric solver).

    Returns expected atrocities for i = 0, 0.05, ..., 1 (rows) and k = 0, 0.05 (columns),
    with a neutral settlement.
    """
    import scipy.stats as st

    model = ag.KyddStraus(forms={"type_distribution": st.beta(2, 2, scale=0.6)})
    ds = model.sweep(intervention_commitment=np.linspace(0, 1, 21), atrocity_penalty=[0.0, 0.05],
                     outcomes=["expected_atrocities"])
    return ds["expected_atrocities"].values


def main(out: str | None = None) -> None:
    neutral, biased = solve_two_cases()
    print("Step 1: i = 0.5, neutral (z = 0.4) vs biased (z = 0.7) settlement")
    print(f"{'':10}{'a*':>9}{'P(war)':>9}{'E[atroc.]':>11}  regime")
    for label, eq in (("neutral", neutral), ("biased", biased)):
        print(f"{label:10}{eq['atrocities_in_war']:9.4f}{eq['p_war']:9.4f}{eq['expected_atrocities']:11.4f}"
              f"  {eq.regime}")

    ds = sweep_commitment()
    i = ds["intervention_commitment"].values
    print("\nStep 2: expected atrocities against the intervention commitment i")
    print(f"{'i':>5}" + "".join(f"{name:>9}" for name in DESIGNS))
    for target in (0.0, 0.1, 0.2, 0.3, 0.5, 0.7, 1.0):
        j = int(np.argmin(np.abs(i - target)))
        print(f"{i[j]:5.1f}" + "".join(f"{design_curve(ds, name)[j]:9.4f}" for name in DESIGNS))
    for name in DESIGNS:
        curve = design_curve(ds, name)
        j = int(np.argmax(curve))
        trend = "rises first (road to hell)" if j > 0 else "falls from the start"
        print(f"{name}: expected atrocities peak at i = {i[j]:.2f} ({curve[j]:.4f}); {trend}")

    if out is not None:
        paths = ag.figures.make("ks-road-to-hell", out, formats=("png",))
        print(f"\nStep 3: figure written to {paths[0]}")
    else:
        ag.figures.make("ks-road-to-hell")  # left open: the docs' examples gallery shows it
        print("\nStep 3: pass an output folder to write the figure ks-road-to-hell")

    beta = beta_types_check()
    print("\nStep 4: costs of war ~ Beta(2, 2) on [0, C̄] (numeric solver), neutral settlement")
    print(f"{'i':>5}{'k = 0':>9}{'k = .05':>9}")
    for j in (0, 2, 4, 10, 20):
        print(f"{0.05 * j:5.2f}{beta[j, 0]:9.4f}{beta[j, 1]:9.4f}")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else None)
