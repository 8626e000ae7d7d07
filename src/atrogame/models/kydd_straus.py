"""The intervention bargaining game, after Kydd & Straus (2013).

A government G, a minority M that may rebel, and a third party T committed to stopping
atrocities (a rule described by parameters, not a strategic player). Nature draws M's
private cost of war c ~ Uniform[0, C̄]; G offers M a share x of a unit prize; M accepts
(peace) or rejects (war); in war G chooses an atrocity level a ∈ [0, 1]; T intervenes with
probability π(a) = i·(ω + (1 − ω)·a) and imposes the settlement z, otherwise M wins with
probability p(a) = p0·(1 − θ·a).

These functional forms are atrogame's own reconstruction of the mechanisms of Kydd & Straus,
"The Road to Hell? Third-Party Intervention to Prevent Atrocities", *American Journal of
Political Science* 57(3): 673–684 (2013), doi:10.1111/ajps.12009. The numbers atrogame
computes are not the authors' published numbers.

"""

from __future__ import annotations

from dataclasses import dataclass

from atrogame.core.parameters import NONNEGATIVE, POSITIVE, UNIT_CLOSED, UNIT_OPEN, Parameters, param

__all__ = ["KyddStrausParams"]


@dataclass(frozen=True, kw_only=True)
class KyddStrausParams(Parameters):
    """Parameters of the intervention bargaining game (after Kydd & Straus 2013).

    Field names, symbols, defaults and domains follow the model's specification; every
    value is validated on construction.

    Examples
    --------
    >>> KyddStrausParams().replace(atrocity_penalty=0.05).atrocity_penalty
    0.05
    >>> KyddStrausParams(rebel_strength=1.2)
    Traceback (most recent call last):
    ...
    atrogame.core.errors.ParameterError: rebel_strength must be in (0, 1); got 1.2
    """

    model_name = "kydd_straus"

    rebel_strength: float = param(
        0.4, symbol="p0", latex="p_0", interval=UNIT_OPEN, sweep_range=(0.01, 0.99),
        long_name="rebel strength (minority win probability without atrocities or intervention)")
    atrocity_effectiveness: float = param(
        0.6, symbol="theta", latex=r"\theta", interval=UNIT_CLOSED, sweep_range=(0.0, 1.0),
        long_name="military effectiveness of atrocities")
    intervention_commitment: float = param(
        0.5, symbol="i", latex="i", interval=UNIT_CLOSED, sweep_range=(0.0, 1.0),
        long_name="intervention commitment")
    war_trigger_share: float = param(
        0.5, symbol="omega", latex=r"\omega", interval=UNIT_CLOSED, sweep_range=(0.0, 1.0),
        long_name="share of the intervention hazard triggered by war itself")
    imposed_settlement: float = param(
        0.4, symbol="z", latex="z", interval=UNIT_CLOSED, sweep_range=(0.0, 1.0),
        long_name="minority share in the imposed settlement")
    atrocity_penalty: float = param(
        0.0, symbol="k", latex="k", interval=NONNEGATIVE, sweep_range=(0.0, 0.3),
        long_name="marginal penalty on atrocities outside intervention")
    atrocity_cost_curvature: float = param(
        0.5, symbol="kappa", latex=r"\kappa", interval=NONNEGATIVE, sweep_range=(0.0, 2.0),
        long_name="curvature of the government's own atrocity cost")
    atrocity_harm: float = param(
        0.3, symbol="h", latex="h", interval=NONNEGATIVE, sweep_range=(0.0, 1.0),
        long_name="harm to the minority per unit of atrocities")
    government_war_cost: float = param(
        0.05, symbol="d", latex="d", interval=NONNEGATIVE, sweep_range=(0.0, 0.5),
        long_name="government's fixed cost of war")
    cost_uncertainty: float = param(
        0.6, symbol="Cbar", latex=r"\bar{C}", interval=POSITIVE, sweep_range=(0.05, 1.5),
        long_name="upper bound of the minority's private cost of war")
    stopping_power: float = param(
        0.0, symbol="sigma", latex=r"\sigma", interval=UNIT_CLOSED, sweep_range=(0.0, 1.0),
        long_name="share of an atrocity campaign halted by intervention")
    inducement_government: float = param(
        0.0, symbol="s_G", latex="s_G", interval=NONNEGATIVE, sweep_range=(0.0, 0.3),
        long_name="conditional benefit to the government if peace holds")
    inducement_minority: float = param(
        0.0, symbol="s_M", latex="s_M", interval=NONNEGATIVE, sweep_range=(0.0, 0.3),
        long_name="conditional benefit to the minority if peace holds")
    war_penalty_minority: float = param(
        0.0, symbol="w_M", latex="w_M", interval=NONNEGATIVE, sweep_range=(0.0, 0.3),
        long_name="extra cost of war to the minority")
    intervention_cost: float = param(
        0.0, symbol="c_T", latex="c_T", interval=NONNEGATIVE, sweep_range=(0.0, 5.0),
        long_name="third party's cost per intervention")
