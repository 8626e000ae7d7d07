"""Parameters of the penalizing-atrocities game (after Kydd 2022).

Field names, symbols, defaults and domains are atrogame's own reconstruction; see
docs/explanation/penalizing_atrocities.md.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field, fields

import numpy as np

from atrogame.core.errors import ParameterError
from atrogame.core.parameters import NONNEGATIVE, NOT_REAL, POSITIVE, Interval, Parameters, is_real_number, param

__all__ = ["LEAD_DOMAIN", "ORDER", "PenalizingAtrocitiesParams", "check_lead"]

#: Domain of ``decisive_lead``: the integers 1, 2, 3, ...
LEAD_DOMAIN = "integers >= 1"
#: Largest ``decisive_lead``: 2^53, the last float64 below which every integer is a float.
LEAD_MAX = 2.0**53
_LEAD_INTERVAL = Interval(1, None, "left")


@dataclass(frozen=True, kw_only=True)
class PenalizingAtrocitiesParams(Parameters):
    """Parameters of the penalizing-atrocities game (after Kydd 2022).

    Every value is validated on construction. ``decisive_lead`` must be an integer
    (an integral float such as 2.0 is accepted and stored as 2.0).

    Examples
    --------
    >>> PenalizingAtrocitiesParams().replace(atrocity_penalty=0.05).atrocity_penalty
    0.05
    >>> PenalizingAtrocitiesParams(decisive_lead=2.5)
    Traceback (most recent call last):
    ...
    atrogame.core.errors.ParameterError: decisive_lead must be in integers >= 1; got 2.5 (not an integer)
    >>> PenalizingAtrocitiesParams(atrocity_cost=0.0)
    Traceback (most recent call last):
    ...
    atrogame.core.errors.ParameterError: atrocity_cost must be in (0, inf); got 0.0
    """

    model_name = "penalizing_atrocities"

    government_strength: float = param(
        1.0, symbol="g", latex="g", interval=POSITIVE, sweep_range=(0.1, 5.0),
        long_name="government strength without atrocities",
        doc="security assistance to the government raises it")
    rebel_strength: float = param(
        0.5, symbol="r", latex="r", interval=POSITIVE, sweep_range=(0.1, 5.0),
        long_name="rebels' own strength")
    aid_to_rebels: float = param(
        0.0, symbol="sigma", latex=r"\sigma", interval=NONNEGATIVE, sweep_range=(0.0, 5.0),
        long_name="third-party military aid to the rebels",
        doc="fostering a balance of power; support to armed groups")
    atrocity_effectiveness: float = param(
        1.0, symbol="beta", latex=r"\beta", interval=NONNEGATIVE, sweep_range=(0.0, 3.0),
        long_name="strength the government gains per unit of atrocity intensity",
        doc="lowering the military benefit of atrocities lowers it")
    atrocity_cost: float = param(
        0.1, symbol="k", latex="k", interval=POSITIVE, sweep_range=(0.01, 0.5),
        long_name="government's own marginal cost of atrocity intensity")
    atrocity_penalty: float = param(
        0.0, symbol="tau", latex=r"\tau", interval=NONNEGATIVE, sweep_range=(0.0, 0.3),
        long_name="intervener's penalty per unit of atrocity intensity",
        doc="penalizing atrocities: targeted sanctions, prosecutions, punitive strikes")
    atrocity_harm: float = param(
        0.01, symbol="h", latex="h", interval=NONNEGATIVE, sweep_range=(0.0, 0.1),
        long_name="harm to the rebels' constituency per unit of atrocities per battle")
    government_war_cost: float = param(
        0.05, symbol="d", latex="d", interval=NONNEGATIVE, sweep_range=(0.0, 0.5),
        long_name="government's fixed cost of war")
    cost_uncertainty: float = param(
        0.5, symbol="Cbar", latex=r"\bar{C}", interval=POSITIVE, sweep_range=(0.05, 1.5),
        long_name="upper bound of the rebels' private cost of war")
    decisive_lead: float = field(default=2, metadata={**param(
        2, symbol="n_lead", latex="n", interval=_LEAD_INTERVAL, sweep_range=(1.0, 6.0),
        long_name="battles a side must lead by to win the war",
        doc="an integer >= 1; sets the time scale (expected duration lies in [n, n^2])").metadata, "integer": True})

    def check_joint(self) -> None:
        object.__setattr__(self, "decisive_lead", check_lead(self.decisive_lead))

    @classmethod
    def check_joint_arrays(cls, values: Mapping[str, np.ndarray | float]) -> None:
        if "decisive_lead" in values:
            check_lead(values["decisive_lead"])

    @classmethod
    def joint_holds_on_box(cls, box: Mapping[str, tuple[float, float]]) -> bool:
        """Whether every ``decisive_lead`` in the box is an integer >= 1: proven only for one value.

        A range [lo, hi] with lo < hi holds non-integers, so only a box whose lead range is a
        single finite integer >= 1 proves the rule; any other box leaves it to the
        point-by-point check (:meth:`check_joint_arrays`).

        Examples
        --------
        >>> PenalizingAtrocitiesParams.joint_holds_on_box({"decisive_lead": (2.0, 2.0)})
        True
        >>> PenalizingAtrocitiesParams.joint_holds_on_box({"decisive_lead": (1.0, 3.0)})
        False
        """
        if "decisive_lead" not in box:
            return False
        lo, hi = box["decisive_lead"]
        return bool(lo == hi and math.isfinite(lo) and 1 <= lo <= LEAD_MAX and lo == math.floor(lo))


ORDER: tuple[str, ...] = tuple(f.name for f in fields(PenalizingAtrocitiesParams))


def check_lead(value: object) -> float:
    """Validate ``decisive_lead`` (scalar or array): finite integers >= 1.

    Returns the value as a float (scalars) and raises :class:`ParameterError` otherwise.

    Examples
    --------
    >>> check_lead(3.0)
    3.0
    >>> check_lead([1, 2, 0.5])
    Traceback (most recent call last):
    ...
    atrogame.core.errors.ParameterError: decisive_lead must be in integers >= 1; got 0.5 (1 of 3 values invalid)
    """
    probe = np.asarray(value)
    if probe.dtype.kind not in "iuf" and not (probe.dtype.kind == "O" and all(map(is_real_number, probe.ravel()))):
        first = next((v for v in probe.ravel() if not is_real_number(v)), value)
        raise ParameterError("decisive_lead", LEAD_DOMAIN, repr(first), NOT_REAL)
    arr = np.asarray(probe, dtype=float)
    ok = np.isfinite(arr) & (arr >= 1) & (arr == np.round(arr))
    if ok.all() and (arr > LEAD_MAX).any():  # (floats above 2^53 are not consecutive integers)
        big = arr > LEAD_MAX
        count = f"{int(big.sum())} of {arr.size} values invalid" if arr.ndim else None
        raise ParameterError("decisive_lead", "integers in [1, 2^53]", float(arr[big].flat[0]), count)
    if not ok.all():
        bad = float(arr[~ok].flat[0])
        detail: str | None
        if arr.ndim:
            detail = f"{int((~ok).sum())} of {arr.size} values invalid"
        else:
            detail = "not an integer" if np.isfinite(bad) and bad >= 1 else None
        raise ParameterError("decisive_lead", LEAD_DOMAIN, bad, detail)
    return float(arr) if arr.ndim == 0 else arr  # type: ignore[return-value]
