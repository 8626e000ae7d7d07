"""The two intervention strategies side by side (after Kydd 2022; atrogame's reconstruction).

:func:`compare_strategies` solves the game with no intervention, with aid that brings the
war to balance (fostering a balance of power) and with the penalty that deters atrocities
(penalizing atrocities), plus the same levers at half strength. See
docs/explanation/penalizing_atrocities.md.
"""

from __future__ import annotations

from typing import Any

__all__ = ["STRATEGY_OUTCOMES", "compare_strategies"]

STRATEGY_OUTCOMES: tuple[str, ...] = ("atrocity_intensity", "expected_war_duration", "atrocities_in_war", "p_war",
                                      "expected_atrocities", "expected_battles", "p_rebel_victory",
                                      "government_utility", "rebel_utility")


def compare_strategies(**params: float) -> Any:
    """A ``pandas.DataFrame``: the headline outcomes under each strategy (columns), at ``params``.

    Columns: ``none``; ``balance (half)`` and ``balance`` (aid σ_b/2 and σ_b on top of the
    given aid); ``penalty (half)`` and ``penalty`` (τ̄/2 and τ̄ on top of the given penalty).

    Examples
    --------
    >>> df = compare_strategies()
    >>> [round(v, 4) for v in df.loc["expected_atrocities"]]
    [0.943, 1.4013, 1.44, 0.396, 0.0]
    >>> [round(v, 4) for v in df.loc["p_war"]]
    [0.3494, 0.2585, 0.24, 0.3979, 0.45]
    >>> df.loc["regime", "penalty"]
    'interior / no_atrocities'
    """
    import pandas as pd

    from atrogame.models.penalizing_atrocities.model import PenalizingAtrocities

    base = PenalizingAtrocities().with_params(**params)
    eq0 = base.solve()
    sig0, tau0 = base.params.aid_to_rebels, base.params.atrocity_penalty
    sb, tb = eq0["balance_aid"], eq0["deterrent_penalty"]
    designs = {
        "none": {},
        "balance (half)": {"aid_to_rebels": sig0 + sb / 2},
        "balance": {"aid_to_rebels": sig0 + sb},
        "penalty (half)": {"atrocity_penalty": tau0 + tb / 2},
        "penalty": {"atrocity_penalty": tau0 + tb},
    }
    cols = {}
    for name, change in designs.items():
        eq = base.with_params(**change).solve()
        cols[name] = [*(eq[o] for o in STRATEGY_OUTCOMES), f"{eq.regime} / {eq.info['war_regime']}"]
    df = pd.DataFrame(cols, index=[*STRATEGY_OUTCOMES, "regime"], dtype=object)
    df.index.name = "outcome"
    return df
