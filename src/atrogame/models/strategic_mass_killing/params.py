"""Parameters of the strategic mass-killing game, after Esteban, Morelli & Rohner (2015).

The names, domains, defaults and sweep ranges are atrogame's own reconstruction (see
docs/explanation/strategic_mass_killing.md); they are not the authors' notation or numbers.

Examples
--------
>>> p = StrategicMassKillingParams()
>>> p.incumbent_share, p.killing_cap
(0.65, 1.0)
>>> StrategicMassKillingParams(power_sharing=0.6)
Traceback (most recent call last):
...
atrogame.core.errors.ParameterError: power_sharing must be in [0, 0.5]; got 0.6
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, fields
from typing import Any

import numpy as np

from atrogame.core.errors import ParameterError
from atrogame.core.parameters import NONNEGATIVE, POSITIVE, UNIT_CLOSED, UNIT_OPEN, Interval, Parameters, param
from atrogame.core.validation import farthest_from_default

__all__ = ["ORDER", "StrategicMassKillingParams"]

HALF_CLOSED = Interval(0, 0.5, "both")


@dataclass(frozen=True, kw_only=True)
class StrategicMassKillingParams(Parameters):
    """Parameters of the strategic mass-killing game (after Esteban, Morelli & Rohner 2015).

    Functional forms and numbers are atrogame's own reconstruction. Two institutions are kept
    apart on purpose: ``proportional_sharing`` (rents paid per head, which makes every member
    of the out-group a claim on the group in power) and ``power_sharing`` (a block share that
    does not depend on headcount). See docs/explanation/strategic_mass_killing.md.

    Examples
    --------
    >>> StrategicMassKillingParams().replace(killing_cap=0.1).killing_cap
    0.1
    >>> StrategicMassKillingParams(incumbent_share=1.0)
    Traceback (most recent call last):
    ...
    atrogame.core.errors.ParameterError: incumbent_share must be in (0, 1); got 1.0
    """

    model_name = "strategic_mass_killing"

    incumbent_share: float = param(
        0.65, symbol="n_I", latex="n_I", interval=UNIT_OPEN, sweep_range=(0.05, 0.95),
        long_name="population share of the group in power",
        doc="population share of the group in power before the conflict; 0.5 is a polarised society")
    resource_rents: float = param(
        1.0, symbol="R", latex="R", interval=POSITIVE, sweep_range=(0.1, 3.0),
        long_name="natural-resource rents",
        doc="lootable natural-resource rents (total labour income is w, the population being 1)")
    productivity: float = param(
        1.0, symbol="w", latex="w", interval=POSITIVE, sweep_range=(0.2, 3.0),
        long_name="labour productivity",
        doc="labour income per head; also the price of a unit of fighting effort and of perpetrator time")
    proportional_sharing: float = param(
        0.3, symbol="alpha", latex=r"\alpha", interval=UNIT_CLOSED, sweep_range=(0.0, 1.0),
        long_name="proportional (per-capita) rent sharing",
        doc="share of rents paid as equal per-capita entitlements (the proportionality constraint)")
    power_sharing: float = param(
        0.0, symbol="s", latex="s", interval=HALF_CLOSED, sweep_range=(0.0, 0.5),
        long_name="power sharing",
        doc="share of the remaining rents guaranteed to the group out of power whatever its size; "
            "0.5 makes power worthless")
    headcount_claims: float = param(
        1.0, symbol="chi", latex=r"\chi", interval=UNIT_CLOSED, sweep_range=(0.0, 1.0),
        long_name="headcount claims of the out-group",
        doc="fraction of the per-capita entitlement paid to out-group members (1: one polity, civil war; "
            "0: the defeated hold no claim, as after an interstate war)")
    killing_labour: float = param(
        0.2, symbol="mu", latex=r"\mu", interval=NONNEGATIVE, sweep_range=(0.0, 1.0),
        long_name="labour needed per victim",
        doc="perpetrator labour per victim (an inverse killing technology)")
    killing_cost_curvature: float = param(
        2.0, symbol="c", latex="c", interval=POSITIVE, sweep_range=(0.2, 10.0),
        long_name="convex cost of killing",
        doc="organisational and moral cost c x^2/2 per member of the perpetrating group, x = victims per member")
    killing_fixed_cost: float = param(
        0.015, symbol="phi", latex=r"\phi", interval=NONNEGATIVE, sweep_range=(0.0, 0.1),
        long_name="fixed cost of a killing campaign",
        doc="fixed cost of launching any campaign (organisation, reputation, expected outside reaction)")
    sanction_per_victim: float = param(
        0.0, symbol="tau", latex=r"\tau", interval=NONNEGATIVE, sweep_range=(0.0, 0.5),
        long_name="third-party sanction per victim",
        doc="penalty per victim (prosecution, targeted sanctions tied to the death toll)")
    killing_cap: float = param(
        1.0, symbol="vbar", latex=r"\bar{v}", interval=UNIT_CLOSED, sweep_range=(0.0, 1.0),
        long_name="cap on the death toll",
        doc="largest toll, as a share of the pre-war population, a winner can inflict before a third party "
            "stops it; 1 = no cap")
    state_weakness: float = param(
        0.5, symbol="theta", latex=r"\theta", interval=UNIT_CLOSED, sweep_range=(0.0, 1.0),
        long_name="state weakness",
        doc="chance that a future challenge succeeds per unit of the out-group's surviving population share "
            "(1 - state capacity)")
    future_weight: float = param(
        0.8, symbol="delta", latex=r"\delta", interval=UNIT_CLOSED, sweep_range=(0.0, 1.0),
        long_name="weight of the future",
        doc="weight of the future challenge period (discount factor)")
    death_loss: float = param(
        0.0, symbol="D", latex="D", interval=NONNEGATIVE, sweep_range=(0.0, 3.0),
        long_name="loss per death beyond lost income",
        doc="loss to a group per member killed beyond the member's lost income")
    mobilisation_cost_max: float = param(
        0.5, symbol="epsbar", latex=r"\bar{\varepsilon}", interval=POSITIVE, sweep_range=(0.05, 2.0),
        long_name="upper bound of the cost of a challenge",
        doc="upper bound of the opposition's private random cost of launching a challenge")

    def check_joint(self) -> None:
        _outcomes_representable(self.to_dict(), type(self).defaults())

    @classmethod
    def check_joint_arrays(cls, values: Mapping[str, Any]) -> None:
        _outcomes_representable(values, cls.defaults())

    @classmethod
    def joint_holds_on_box(cls, box: Mapping[str, tuple[float, float]]) -> bool:
        # |m|, S0, ℓ and the stakes are at most 2R + w(1 + μ) + τ + D (the tolls are at most 1),
        # and each effort is at most a quarter of a stake over w: no overflow when that bound and
        # the bound over the smallest w stay below 1e300
        def hi(k: str) -> float:
            return max(abs(x) for x in box.get(k, (math.nan, math.nan)))

        w_lo = box.get("productivity", (math.nan, math.nan))[0]
        scale = 2.0 * hi("resource_rents") + hi("productivity") * (1.0 + hi("killing_labour")) \
            + hi("sanction_per_victim") + hi("death_loss")
        return bool(scale <= 1e300 and w_lo > 0.0 and scale <= 1e300 * w_lo)  # (False for NaN bounds)


#: Outcomes whose true value can exceed the largest float at valid inputs (the rest are
#: probabilities, shares, tolls or thresholds bounded by these).
_WIDE = ("value_per_victim", "stake_incumbent", "stake_opposition", "effort_incumbent", "effort_opposition",
         "conflict_intensity", "challenge_gain", "welfare_loss", "killing_gain_incumbent", "killing_gain_opposition")


def _outcomes_representable(values: Mapping[str, Any], defaults: Mapping[str, float]) -> None:
    """Refuse points where a money outcome (the value per victim, a stake, an effort, the
    welfare loss) lies beyond the largest float: rents, labour costs or sanctions near 1.8e308,
    or stakes far above a tiny productivity (efforts E = P_I P_O V/w). The error names the
    input farthest from its default in log terms, as the other models' overflow rules do."""
    from atrogame.models.strategic_mass_killing.kernel import closed_form

    names = ORDER
    v = {k: np.asarray(values[k], dtype=float) for k in names}
    shape = np.broadcast_shapes(*(x.shape for x in v.values()))
    with np.errstate(all="ignore"):
        scale = 2.0 * v["resource_rents"] + v["productivity"] * (1.0 + v["killing_labour"]) \
            + v["sanction_per_victim"] + v["death_loss"]
        sure = (scale <= 1e300) & (scale <= 1e300 * v["productivity"])
    if np.all(sure):
        return
    idx = np.flatnonzero(~np.broadcast_to(sure, shape).ravel())
    sub = {k: np.broadcast_to(x, shape).ravel()[idx] for k, x in v.items()}
    with np.errstate(all="ignore"):
        out = closed_form(sub)
    bad_sub = np.zeros(idx.size, dtype=bool)
    for o in _WIDE:
        bad_sub |= ~np.isfinite(out[o])
    if not bad_sub.any():
        return
    point = {k: float(x[np.flatnonzero(bad_sub)[0]]) for k, x in sub.items()}
    blame = farthest_from_default(point, defaults, (
        "resource_rents", "productivity", "killing_labour", "sanction_per_victim", "death_loss",
        "killing_cost_curvature", "killing_fixed_cost", "mobilisation_cost_max", "incumbent_share"))
    n = f"; {int(bad_sub.sum())} of {math.prod(shape)} points invalid" if len(shape) else ""
    raise ParameterError(
        blame, "values at which the stakes, efforts and welfare loss are finite float64 numbers", point[blame],
        f"at {', '.join(f'{k}={x:g}' for k, x in point.items())} an outcome overflows{n}")


#: Field names in declaration order (the argument order of compiled expressions).
ORDER: tuple[str, ...] = tuple(f.name for f in fields(StrategicMassKillingParams))
