"""Parameters of the penalizing-atrocities game (after Kydd 2022).

Field names, symbols, defaults and domains are atrogame's own reconstruction; see
docs/explanation/penalizing_atrocities.md.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from contextvars import ContextVar
from dataclasses import dataclass, field, fields
from typing import Any

import numpy as np

from atrogame.core.errors import ParameterError
from atrogame.core.parameters import NONNEGATIVE, NOT_REAL, POSITIVE, Interval, Parameters, is_real_number, param
from atrogame.core.validation import farthest_from_default

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
        _outcomes_representable(self.to_dict(), type(self).defaults())

    @classmethod
    def check_joint_arrays(cls, values: Mapping[str, np.ndarray | float]) -> None:
        if "decisive_lead" in values:
            check_lead(values["decisive_lead"])
        cell = _BOX_PROOF.get()
        if cell is not None and cell[0]:  # check_arrays' box already proved the overflow rule
            return
        if all(k in values for k in ORDER):
            from atrogame.core.validation import min_max

            cols = [np.asarray(values[k], dtype=float) for k in ORDER]
            mn, mx = min_max(cols)  # (one pass over all columns: a design's are strided views)
            box = {k: (float(mn[j]), float(mx[j])) if cols[j].size else (math.nan, math.nan)
                   for j, k in enumerate(ORDER)}
            if not _box_bounded(box):
                _outcomes_representable(values, cls.defaults())

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
        bounded = _box_bounded(box)
        cell = _BOX_PROOF.get()
        if cell is not None:  # (inside check_arrays: its pointwise joint check may skip the overflow rule)
            cell[0] = bounded
        if "decisive_lead" not in box:
            return False
        lo, hi = box["decisive_lead"]
        return bool(lo == hi and math.isfinite(lo) and 1 <= lo <= LEAD_MAX and lo == math.floor(lo)) and bounded

    @classmethod
    def check_arrays(cls, arrays: Mapping[str, np.ndarray], base: Mapping[str, Any] | None = None,
                     bounds: tuple[np.ndarray, np.ndarray] | None = None) -> None:
        # A lead range is never proven by its box, so the pointwise joint check runs for every design
        # that varies the lead; the box's proof of the overflow rule is passed to it here instead of
        # reducing every column again (that pass cost a fifth of a compiled evaluation)
        token = _BOX_PROOF.set([False])
        try:
            super().check_arrays(arrays, base, bounds)
        finally:
            _BOX_PROOF.reset(token)


ORDER: tuple[str, ...] = tuple(f.name for f in fields(PenalizingAtrocitiesParams))

#: Within :meth:`PenalizingAtrocitiesParams.check_arrays`: whether its box proved the overflow rule.
_BOX_PROOF: ContextVar[list[bool] | None] = ContextVar("penalizing_atrocities_box_proof", default=None)


def _box_bounded(box: Mapping[str, tuple[float, float]]) -> bool:
    """Whether no outcome can exceed 1e300 anywhere in the box (the overflow rule's proof).

    With a* ≤ w/T ≤ 1/k (w < 1), E ≤ n², Ta* ≤ 1 and βm/(g + m)² ≤ β/(g + r): every outcome is
    at most d + 1 + h n²/k, g + β/(4k), β/(g + r), τ/k or C̄ in magnitude (NaN bounds: False).
    A parameter missing from the box is taken at its default.
    """
    defaults = PenalizingAtrocitiesParams.defaults()

    def lo(k: str) -> float:
        return float(box.get(k, (defaults[k], defaults[k]))[0])

    def hi(k: str) -> float:
        return float(box.get(k, (defaults[k], defaults[k]))[1])

    k_lo, n_hi = lo("atrocity_cost"), hi("decisive_lead")
    sizes = (hi("government_war_cost") + 1.0 + hi("atrocity_harm") * n_hi * n_hi / k_lo,
             hi("government_strength") + hi("atrocity_effectiveness") / (4.0 * k_lo),
             hi("atrocity_effectiveness") / (lo("government_strength") + lo("rebel_strength")),
             hi("atrocity_penalty") / k_lo, hi("cost_uncertainty"),
             hi("atrocity_cost") + hi("atrocity_penalty"),
             hi("government_strength") + hi("rebel_strength") + hi("aid_to_rebels"))
    return bool(k_lo > 0.0 and all(x <= 1e300 for x in sizes))  # (False for NaN)


def _outcomes_representable(values: Mapping[str, Any], defaults: Mapping[str, float]) -> None:
    """Refuse points where an outcome lies beyond the largest float: an atrocity intensity or
    toll far above 1 (a tiny cost k with a long war), a harm hA* or penalty near 1.8e308, a
    balancing aid β/(4T) or deterrent penalty βm/(g + m)² beyond it. The error names the input
    farthest from its default in log terms, as the other models' overflow rules do."""
    from atrogame.models.penalizing_atrocities.closed_form import OUTCOMES, closed_form

    v = {k: np.asarray(values[k], dtype=float) for k in ORDER}
    shape = np.broadcast_shapes(*(x.shape for x in v.values()))
    flat = {k: np.broadcast_to(x, shape).ravel() for k, x in v.items()}
    with np.errstate(all="ignore"):
        g, r, s, b, kc, t, h, d, cb, n = (flat[k] for k in ORDER)  # the bounds of _box_bounded, pointwise
        sure = np.ones(math.prod(shape), dtype=bool)
        for x in (d + 1.0 + h * n * n / kc, g + b / (4.0 * kc), b / (g + r), t / kc, cb, kc + t, g + r + s):
            sure &= x <= 1e300
    if sure.all():
        return
    idx = np.flatnonzero(~sure)
    sub = {k: x[idx] for k, x in flat.items()}
    with np.errstate(all="ignore"):
        out = closed_form(sub, slope=False)
    bad = np.zeros(idx.size, dtype=bool)
    for o in OUTCOMES:
        bad |= ~np.isfinite(out[o])
    if not bad.any():
        return
    point = {k: float(x[np.flatnonzero(bad)[0]]) for k, x in sub.items()}
    blame = farthest_from_default(point, defaults, [k for k in ORDER if k != "decisive_lead"])
    count = f"; {int(bad.sum())} of {math.prod(shape)} points invalid" if len(shape) else ""
    raise ParameterError(
        blame, "values at which every outcome is a finite float64 number", point[blame],
        f"at {', '.join(f'{k}={x:g}' for k, x in point.items())} an outcome overflows{count}")


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
