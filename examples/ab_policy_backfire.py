"""Three policy classes and when they backfire (after Anderton & Brauer 2016; JEL 2021, doi:10.1257/jel.20201240)
==============================================================================================================

A perpetrator splits its resources M between attacks on rebels (R, price p_R) and attacks on
civilians (C, price p_C) to maximise control Z = F(R, C). Third parties can cut M (resource
policy), reshape the technology (productivity policy) or raise p_C (price policy). This
script solves a baseline, applies one policy of each class under two technologies, and then
shows the cases where a policy raises civilian attacks or deaths:

* CES with complementary attack types (σ < 1): making civilian attacks less productive
  raises them;
* the quadratic technology, where civilian attacks are an inferior input: a resource cut
  raises them, and so does a higher price (Giffen);
* CES with substitutes (σ > 1) and collateral deaths per attack on rebels: a price policy
  cuts civilian attacks but raises deaths;
* fungibility: earmarked aid below what the perpetrator spends on non-violent purposes
  anyway raises the violence budget one for one.

The functional forms and all numbers are atrogame's own, not Anderton & Brauer's published
numbers.

Run it with ``python examples/ab_policy_backfire.py [output-folder]``; with a folder it also
writes the ``ab-backfire`` figure there.
"""

# %%
from __future__ import annotations

import sys

import pandas as pd

import atrogame as ag
from atrogame import policies

# %% The baseline: CES control with substitutes (σ = 2) and with complements (σ = 0.5).
TECHNOLOGIES = {
    "ces σ = 2 (substitutes)": ag.AndertonBrauer(technology="ces", substitution_elasticity=2.0),
    "ces σ = 0.5 (complements)": ag.AndertonBrauer(technology="ces", substitution_elasticity=0.5),
}

# One policy of each class.
POLICIES = {
    "resource: M × 0.6": policies.resource(0.6),
    "productivity: a_C × 0.5": policies.productivity("productivity_civilians", 0.5),
    "price: p_C = 2": policies.price(civilians=2.0),
}


def effect_row(case: str, policy_name: str, model: ag.AndertonBrauer, policy) -> dict:
    """One table row: civilian attacks, attacks on rebels and deaths before and after."""
    pe = model.policy_effect(policy)
    c, r, d = pe["civilian_attacks"], pe["rebel_attacks"], pe["civilian_deaths"]
    return {"case": case, "policy": policy_name, "C before": c.before, "C after": c.after, "ΔC": c.change,
            "R after": r.after, "deaths before": d.before, "deaths after": d.after,
            "regime after": pe.regime_after, "backfire": c.change > 1e-9 or d.change > 1e-9}


def policy_table() -> pd.DataFrame:
    """Step 1: the three policy classes under both CES technologies."""
    rows = [effect_row(case, name, m, pol) for case, m in TECHNOLOGIES.items() for name, pol in POLICIES.items()]
    return pd.DataFrame(rows)


def backfire_table() -> pd.DataFrame:
    """Step 2: the backfire cases of spec 6.2–6.4 and 7."""
    quadratic = ag.AndertonBrauer(technology="quadratic", resources=20.0)
    deaths_model = ag.AndertonBrauer(technology="ces", lethality_civilians=1.0, lethality_rebels=3.0)
    contest = ag.AndertonBrauer(technology="contest")
    rows = [
        effect_row("ces σ = 0.5", "productivity: a_C × 0.5", TECHNOLOGIES["ces σ = 0.5 (complements)"],
                   policies.productivity("productivity_civilians", 0.5)),
        effect_row("ces σ = 0.5", "productivity: a_R × 2", TECHNOLOGIES["ces σ = 0.5 (complements)"],
                   policies.productivity("productivity_rebels", 2.0)),
        effect_row("ces σ = 2", "strengthen rebels: a_R × 0.5", TECHNOLOGIES["ces σ = 2 (substitutes)"],
                   policies.productivity("productivity_rebels", 0.5)),
        effect_row("quadratic, M = 20", "resource: M × 0.95", quadratic, policies.resource(0.95)),
        effect_row("quadratic, M = 20", "price: p_C = 1.1 (Giffen)", quadratic, policies.price(civilians=1.1)),
        effect_row("ces σ = 2, ψ = 3", "price: p_C = 2", deaths_model, policies.price(civilians=2.0)),
        effect_row("contest", "support erosion κ × 0.2", contest, policies.productivity("support_erosion", 0.2)),
    ]
    return pd.DataFrame(rows)


def fungibility() -> pd.DataFrame:
    """Step 3: earmarked aid is fungible up to the perpetrator's own non-violent spending X₀."""
    base = ag.AndertonBrauer(technology="contest")
    x0 = 30.0
    rows = []
    for aid in (0.0, 10.0, 30.0, 50.0):
        m_eff = policies.effective_resources(base.resources, earmarked_aid=aid, nonviolent_spending=x0)
        eq = base.with_params(resources=m_eff).solve()
        rows.append({"earmarked aid": aid, "X₀": x0, "effective M": m_eff, "C*": eq.civilian_attacks,
                     "regime": eq.regime})
    return pd.DataFrame(rows)


def decomposition() -> pd.DataFrame:
    """Step 4: why the Giffen case happens: a small substitution effect, a larger opposite income effect."""
    quadratic = ag.AndertonBrauer(technology="quadratic", resources=20.0)
    return pd.DataFrame([quadratic.decompose(price_civilians=1.1, method=m).to_dict() for m in ("hicks", "slutsky")]
                        ).set_index("method")[["substitution", "income", "total", "compensated_cost",
                                               "compensated_resources"]]


def main(argv: list[str]) -> int:
    pd.set_option("display.width", 160)
    pd.set_option("display.max_columns", 20)
    pd.set_option("display.float_format", lambda v: f"{v:.4g}")
    base = TECHNOLOGIES["ces σ = 2 (substitutes)"].solve()
    print("Baseline (after Anderton & Brauer; atrogame's forms and numbers):")
    print(base.summary())
    print("\nThree policy classes:")
    print(policy_table().to_string(index=False))
    table = backfire_table()
    print("\nWhen policies backfire (civilian attacks or deaths rise):")
    print(table.to_string(index=False))
    print("\nFungibility of earmarked aid (contest technology, X₀ = 30):")
    print(fungibility().to_string(index=False))
    print("\nDecomposition of the Giffen price rise (quadratic, p_C 1 → 1.1):")
    print(decomposition().to_string())
    assert table["backfire"].iloc[:6].all() and not table["backfire"].iloc[6]
    if len(argv) > 1:
        paths = ag.figures.make("ab-backfire", argv[1])
        print("\nwrote", ", ".join(str(p) for p in paths))
    else:
        ag.figures.make("ab-backfire")  # left open: the docs' examples gallery shows it
    return 0


if __name__ == "__main__":
    if status := main(sys.argv):  # exit only on failure, so a runner such as the docs gallery goes on
        raise SystemExit(status)
