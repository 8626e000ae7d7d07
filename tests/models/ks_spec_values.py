"""The Kydd–Straus spec's test values (kydd_straus.md §9), shared by the closed-form and numeric tests."""

from __future__ import annotations

ABBREV = {"p0": "rebel_strength", "theta": "atrocity_effectiveness", "i": "intervention_commitment",
          "omega": "war_trigger_share", "z": "imposed_settlement", "k": "atrocity_penalty",
          "kappa": "atrocity_cost_curvature", "h": "atrocity_harm", "d": "government_war_cost",
          "Cbar": "cost_uncertainty", "sigma": "stopping_power", "s_G": "inducement_government",
          "s_M": "inducement_minority", "w_M": "war_penalty_minority", "c_T": "intervention_cost"}


def short_params(**short: float) -> dict[str, float]:
    """Parameter changes written with the spec's symbols, as field names: ``short_params(z=.7)``."""
    return {ABBREV[k]: v for k, v in short.items()}


#: id: (changes, a*, p_war, offer, expected_atrocities, government_utility, regime)
SPEC_T = {
    "T1": (short_params(), 0.290323, 0.368193, 0.044787, 0.106895, 0.815637, "interior"),
    "T2": (short_params(z=.7), 0.169355, 0.410019, 0.162121, 0.069439, 0.692737, "interior"),
    "T3": (short_params(k=.05), 0.209677, 0.388018, 0.069182, 0.081359, 0.788342, "interior"),
    "T4": (short_params(i=0), 0.480000, 0.234667, 0, 0.112640, 0.907917, "corner"),
    "T5": (short_params(p0=.1, z=.7), 0, 0.416667, 0, 0, 0.875000, "corner"),
    "T6": (short_params(p0=.1, theta=.9, i=0, z=.7, kappa=.2, h=.5), 0.450000, 0, 0, 0, 1.000000, "no_rebellion"),
    "T7": (short_params(d=.3, Cbar=.2), 0.290323, 0, 0.265702, 0, 0.734298, "peace"),
    "T8": (short_params(omega=0, z=.7), 0.121622, 0.424846, 0.099435, 0.051670, 0.753954, "interior"),
    "T9": (short_params(omega=1, z=.7), 0.240000, 0.386333, 0.217400, 0.092720, 0.640352, "interior"),
    "T10": (short_params(p0=.8, theta=1, i=0, z=.5, kappa=.3, h=.1), 1, 0, 0, 0, 1.000000, "no_rebellion"),
    "T11": (short_params(s_G=.05, s_M=.05), 0.290323, 0.284860, 0.044787, 0.082701, 0.882985, "interior"),
    "T12": (short_params(z=.7, w_M=.1, sigma=.5, c_T=2), 0.169355, 0.326686, 0.112121, 0.055326, 0.755902, "interior"),
}
SPEC_EXTRA = {
    "T1": {"intervention_prob_in_war": 0.322581, "minority_war_value": 0.265702, "government_war_value": 0.576129,
           "war_surplus_loss": 0.158169, "minority_utility": 0.085456},
    "T11": {"third_party_cost": 0.071514},
    "T12": {"expected_realized_atrocities": 0.047239, "third_party_cost": 0.191006, "minority_utility": 0.144138},
}
