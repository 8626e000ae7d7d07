"""The penalizing-atrocities test table (atrogame's reconstruction after Kydd 2022), typed once."""

from __future__ import annotations

SHORT = {
    "g": "government_strength", "r": "rebel_strength", "sigma": "aid_to_rebels",
    "beta": "atrocity_effectiveness", "k": "atrocity_cost", "tau": "atrocity_penalty",
    "h": "atrocity_harm", "d": "government_war_cost", "Cbar": "cost_uncertainty", "n": "decisive_lead",
}


def params(**short: float) -> dict[str, float]:
    return {SHORT[k]: v for k, v in short.items()}


COLUMNS = ("atrocity_intensity", "government_win_prob", "expected_war_duration", "atrocities_in_war",
           "p_war", "offer", "expected_atrocities", "government_utility", "rebel_utility")

# id: (non-default parameters, the nine outcomes of COLUMNS, regime, war_regime)
SPEC_T = {
    "T1": ({}, (0.736068, 0.776393, 3.666646, 2.698901, 0.349404, 0.021916, 0.943007, 0.864424, 0.052437),
           "interior", "atrocities"),
    "T2": (params(sigma=2), (1.5, 0.5, 4.0, 6.0, 0.24, 0.32, 1.44, 0.5888, 0.3344), "interior", "atrocities"),
    "T3": (params(sigma=4), (1.208204, 0.329180, 3.879661, 4.687422, 0.282305, 0.482793, 1.323284, 0.415902,
                             0.502718), "interior", "atrocities"),
    "T4": (params(tau=0.05), (0.325742, 0.726139, 3.783755, 1.232527, 0.388813, 0.067129, 0.479223, 0.814052,
                              0.104923), "interior", "atrocities"),
    "T5": (params(tau=0.15), (0.0, 0.666667, 3.885618, 0.0, 0.45, 0.108333, 0.0, 0.767917, 0.158958),
           "interior", "no_atrocities"),
    "T6": (params(beta=0, r=1, n=3), (0.0, 0.5, 9.0, 0.0, 0.45, 0.275, 0.0, 0.60125, 0.325625),
           "interior", "no_atrocities"),
    "T7": (params(Cbar=0.8, h=0.04), (0.736068, 0.776393, 3.666646, 2.698901, 0.144563, 0.0, 0.390162, 0.949806,
                                      0.008359), "corner", "atrocities"),
    "T8": (params(h=0.1), (0.736068, 0.776393, 3.666646, 2.698901, 0.0, 0.0, 0.0, 1.0, 0.0),
           "no_rebellion", "atrocities"),
    "T9": (params(d=0.4), (0.736068, 0.776393, 3.666646, 2.698901, 0.0, 0.196618, 0.0, 0.803382, 0.196618),
           "peace", "atrocities"),
    "T10": (params(n=1), (0.736068, 0.776393, 1.0, 0.736068, 0.369033, 0.031730, 0.271633, 0.851846, 0.065776),
            "interior", "atrocities"),
    "T11": (params(n=3, tau=0.05), (0.325742, 0.726139, 8.422090, 2.743427, 0.373704, 0.059575, 1.025231,
                                    0.823401, 0.094489), "interior", "atrocities"),
    "T12": (params(g=0.3, r=0.3, sigma=0.7, beta=2, k=0.05, tau=0.05, h=0, d=0.1, Cbar=0.5),
            (1.586068, 0.776393, 3.666646, 5.815550, 0.241393, 0.102910, 1.403834, 0.805529, 0.117478),
            "interior", "atrocities"),
}

# Further values: id -> {outcome: value}. ("phi" is Φ*, reported in the kernel's helpers.)
SPEC_EXTRA = {
    "T1": {"war_surplus_loss": 0.150596, "rebel_war_value": 0.196618, "government_war_value": 0.652786,
           "battle_win_prob": 0.650761, "expected_battles": 1.281141, "cutpoint": 0.174702, "balance_aid": 2.0,
           "deterrent_penalty": 0.122222, "phi": 3.471337},
    "T2": {"war_surplus_loss": 0.26, "rebel_war_value": 0.44, "government_war_value": 0.3,
           "deterrent_penalty": 0.104082},
    "T4": {"expected_penalty": 0.006333, "balance_aid": 1.166667},
    "T6": {"expected_battles": 4.05, "balance_aid": 0.0, "deterrent_penalty": 0.0},
    "T7": {"war_surplus_loss": 0.231563, "rebel_war_value": 0.115651},
    "T8": {"rebel_war_value": -0.046283, "war_surplus_loss": 0.393497},
    "T9": {"war_surplus_loss": 0.500596},
    "T11": {"battle_win_prob": 0.580552, "expected_penalty": 0.006087},
    "T12": {"war_surplus_loss": 0.258607, "balance_aid": 4.7, "deterrent_penalty": 1.133432},
}

# Derivatives quoted in the table: id -> (outcome, parameter, value, tolerance)
SPEC_DERIVATIVES = {
    "T1": ("p_war", "atrocity_penalty", 0.770073, 1e-6),
    "T12": ("p_war", "atrocity_penalty", -0.4680, 1e-4),
}

# Section 7 sweeps: rows (value, a*, Π*, E*, A*, p_war, EA), 4 decimals.
AID_SWEEP = [
    (0.0, .7361, .7764, 3.6666, 2.6989, .3494, .9430),
    (0.5, 1.1623, .6838, 3.8600, 4.4864, .2889, 1.2962),
    (1.0, 1.3730, .6127, 3.9485, 5.4213, .2585, 1.4013),
    (1.5, 1.4721, .5528, 3.9888, 5.8721, .2441, 1.4332),
    (2.0, 1.5000, .5000, 4.0000, 6.0000, .2400, 1.4400),
    (3.0, 1.4161, .4084, 3.9661, 5.6164, .2522, 1.4166),
    (4.0, 1.2082, .3292, 3.8797, 4.6874, .2823, 1.3233),
]
PENALTY_SWEEP = [
    (0.0, .7361, .7764, 3.6666, 2.6989, .3494, .9430),
    (0.02, .5412, .7551, 3.7202, 2.0135, .3649, .7348),
    (0.04, .3898, .7354, 3.7644, 1.4675, .3808, .5587),
    (0.06, .2678, .7172, 3.8015, 1.0179, .3970, .4041),
    (0.08, .1667, .7000, 3.8330, .6388, .4136, .2642),
    (0.10, .0811, .6838, 3.8600, .3132, .4306, .1349),
    (0.2, 0.0, .6667, 3.8856, 0.0, .4500, 0.0),
]
SWEEP_COLUMNS = ("atrocity_intensity", "government_win_prob", "expected_war_duration", "atrocities_in_war",
                 "p_war", "expected_atrocities")
