"""Third-party policies for the perpetrator-choice model (after Anderton & Brauer).

A policy is a parameter change of :class:`atrogame.AndertonBrauer` (docs/explanation/anderton_brauer.md,
"Three classes of policy" and "When policies backfire"):

* :func:`resource` scales the perpetrator's resources (sanctions, asset freezes, cutting
  rents or patronage): the budget line shifts inward;
* :func:`productivity` scales one technology parameter (protecting civilians, strengthening
  the rebels, ...): the isoquant map changes;
* :func:`price` scales the price of attacks on civilians and/or on rebels (prosecution,
  monitoring, embargoes on specific weapons): the budget line pivots;
* :func:`combine` applies several policies in order.

Every constructor takes **factors** (a policy multiplies the model's current value, so the
same policy means the same change on any model; a factor above 1 raises the value). To set
an absolute level instead, use ``model.with_params(price_civilians=2.0)``. The old spelling
``price(price_civilians=2.0)``, which set a level, still works but is deprecated
(``DeprecationWarning``).

``model.apply(policy)`` returns a new validated model; ``model.policy_effect(policy)``
compares the two solutions. :func:`effective_resources` is the fungibility rule ("Fungible aid" in
docs/explanation/anderton_brauer.md, "When policies backfire"). The functional forms and numbers are atrogame's own.

Examples
--------
>>> import atrogame as ag
>>> m = ag.AndertonBrauer(technology="cobb_douglas")
>>> m.policy_effect(combine(resource(0.5), price(civilians=2.0)))["civilian_attacks"].after
12.5
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass
from typing import Any, Protocol, TypeVar

from atrogame.core.contract import ModelLike
from atrogame.core.errors import ParameterError

__all__ = ["Combined", "Price", "PriceScale", "Productivity", "Resource", "combine", "effective_resources", "price",
           "productivity", "resource"]


class _TechnologyModel(ModelLike, Protocol):
    """A model whose technology has its own parameters (what :class:`Productivity` scales)."""

    def technology_parameters(self) -> tuple[str, ...]: ...


_M = TypeVar("_M", bound=ModelLike)
_T = TypeVar("_T", bound=_TechnologyModel)


def _positive(name: str, value: Any) -> float:
    try:
        v = float(value)
    except (TypeError, ValueError):
        raise ParameterError(name, "(0, inf)", value, "not a number") from None
    if not (math.isfinite(v) and v > 0):
        raise ParameterError(name, "(0, inf)", v)
    return v


@dataclass(frozen=True)
class Resource:
    """Resource policy: ``resources ← factor·resources``.

    Under ``objective="min_cost"`` it changes nothing (the control target is fixed).

    Examples
    --------
    >>> import atrogame as ag
    >>> ag.AndertonBrauer(technology="cobb_douglas").apply(Resource(0.6)).resources
    60.0
    """

    factor: float

    def __post_init__(self) -> None:
        object.__setattr__(self, "factor", _positive("factor", self.factor))

    def apply_to(self, model: _M) -> _M:
        return model.with_params(resources=self.factor * model.parameter_values()["resources"])

    def __str__(self) -> str:
        return f"resources × {self.factor:g}"


@dataclass(frozen=True)
class Productivity:
    """Productivity (isoquant) policy: one technology parameter ← factor·value.

    The parameter must belong to the model's technology (else :class:`ParameterError` listing
    the valid names), and the new value must lie in its domain.

    Examples
    --------
    >>> import atrogame as ag
    >>> ag.AndertonBrauer(technology="contest").apply(Productivity("support_erosion", 0.4)).support_erosion
    0.020000000000000004
    """

    parameter: str
    factor: float

    def __post_init__(self) -> None:
        object.__setattr__(self, "factor", _positive("factor", self.factor))

    def apply_to(self, model: _T) -> _T:
        valid = model.technology_parameters()
        if self.parameter not in valid:
            tech = getattr(model, "technology", "?")
            raise ParameterError(
                "parameter", "{" + ", ".join(valid) + f"}} (the parameters of technology {str(tech)!r})",
                self.parameter)
        return model.with_params(**{self.parameter: self.factor * model.parameter_values()[self.parameter]})

    def __str__(self) -> str:
        return f"{self.parameter} × {self.factor:g}"


@dataclass(frozen=True)
class Price:
    """Price policy that sets new price *levels* of attacks (an omitted price is unchanged).

    What the deprecated spelling ``price(price_civilians=...)`` builds; :func:`price` now
    takes factors (:class:`PriceScale`).

    Examples
    --------
    >>> import atrogame as ag
    >>> ag.AndertonBrauer().apply(Price(price_civilians=2.0)).price_civilians
    2.0
    """

    price_civilians: float | None = None
    price_rebels: float | None = None

    def __post_init__(self) -> None:
        if self.price_civilians is None and self.price_rebels is None:
            raise TypeError("price() needs price_civilians and/or price_rebels")
        for name in ("price_civilians", "price_rebels"):
            v = getattr(self, name)
            if v is not None:
                object.__setattr__(self, name, _positive(name, v))

    def apply_to(self, model: _M) -> _M:
        changes = {k: getattr(self, k) for k in ("price_civilians", "price_rebels") if getattr(self, k) is not None}
        return model.with_params(**changes)

    def __str__(self) -> str:
        return ", ".join(f"{k} = {getattr(self, k):g}" for k in ("price_civilians", "price_rebels")
                         if getattr(self, k) is not None)


@dataclass(frozen=True)
class PriceScale:
    """Price policy: ``price ← factor·price`` for attacks on civilians and/or on rebels.

    An omitted factor leaves that price unchanged. Built by :func:`price`.

    Examples
    --------
    >>> import atrogame as ag
    >>> ag.AndertonBrauer(price_civilians=2.0).apply(PriceScale(civilians=1.1)).price_civilians
    2.2
    """

    civilians: float | None = None
    rebels: float | None = None

    def __post_init__(self) -> None:
        if self.civilians is None and self.rebels is None:
            raise TypeError("price() needs a factor for civilians and/or rebels")
        for name in ("civilians", "rebels"):
            v = getattr(self, name)
            if v is not None:
                object.__setattr__(self, name, _positive(name, v))

    def apply_to(self, model: _M) -> _M:
        cur = model.parameter_values()
        changes = {f"price_{k}": getattr(self, k) * cur[f"price_{k}"] for k in ("civilians", "rebels")
                   if getattr(self, k) is not None}
        return model.with_params(**changes)

    def __str__(self) -> str:
        return ", ".join(f"price_{k} × {getattr(self, k):g}" for k in ("civilians", "rebels")
                         if getattr(self, k) is not None)


@dataclass(frozen=True)
class Combined:
    """Several policies applied in order.

    Examples
    --------
    >>> import atrogame as ag
    >>> p = Combined((Productivity("weight_civilians", 0.6), Productivity("weight_rebels", 1.4)))
    >>> round(ag.AndertonBrauer(technology="cobb_douglas").apply(p).solve().civilian_attacks, 6)
    30.0
    """

    policies: tuple[Any, ...]

    def __post_init__(self) -> None:
        object.__setattr__(self, "policies", tuple(self.policies))
        for p in self.policies:
            if not hasattr(p, "apply_to"):
                raise TypeError(f"combine() takes policies; got {type(p).__name__}")

    def apply_to(self, model: _M) -> _M:
        for p in self.policies:
            model = p.apply_to(model)
        return model

    def __str__(self) -> str:
        return " then ".join(str(p) for p in self.policies)


def resource(factor: float) -> Resource:
    """Scale the perpetrator's resources by ``factor`` > 0 (a sanction has factor < 1).

    Examples
    --------
    >>> import atrogame as ag
    >>> pe = ag.AndertonBrauer(technology="cobb_douglas").policy_effect(resource(0.6))
    >>> pe["civilian_attacks"].before, pe["civilian_attacks"].after
    (50.0, 30.0)
    """
    return Resource(factor)


def productivity(parameter: str, factor: float) -> Productivity:
    """Scale the technology parameter ``parameter`` by ``factor`` > 0.

    Examples
    --------
    >>> import atrogame as ag
    >>> m = ag.AndertonBrauer(technology="ces", substitution_elasticity=0.5)
    >>> round(m.apply(productivity("productivity_civilians", 0.5)).solve().civilian_attacks, 6)
    58.578644
    """
    return Productivity(parameter, factor)


def price(civilians: float | None = None, rebels: float | None = None, *,
          price_civilians: float | None = None, price_rebels: float | None = None) -> PriceScale | Price:
    """Scale the price of attacks on civilians and/or on rebels by a factor > 0 (at least one).

    Like :func:`resource` and :func:`productivity`, ``price`` takes factors: ``price(civilians=1.1)``
    raises the price of attacking civilians by 10 % whatever its current level.

    The keywords ``price_civilians``/``price_rebels`` are the old spelling, which set absolute
    levels; they still do, with a ``DeprecationWarning`` (set a level with
    ``model.with_params(price_civilians=...)``). Mixing the two spellings is a ``TypeError``.

    Examples
    --------
    >>> import atrogame as ag
    >>> ag.AndertonBrauer(technology="cobb_douglas").apply(price(civilians=2.0)).solve().civilian_attacks
    25.0
    >>> ag.AndertonBrauer(price_civilians=2.0).apply(price(civilians=1.1)).price_civilians
    2.2
    """
    if price_civilians is not None or price_rebels is not None:
        if civilians is not None or rebels is not None:
            raise TypeError("price() takes factors (civilians=, rebels=) or the deprecated levels "
                            "(price_civilians=, price_rebels=), not both")
        warnings.warn("price(price_civilians=..., price_rebels=...) sets absolute levels and is deprecated: "
                      "policy constructors take factors, e.g. price(civilians=1.1); to set a level use "
                      "model.with_params(price_civilians=...)", DeprecationWarning, stacklevel=2)
        return Price(price_civilians, price_rebels)
    return PriceScale(civilians, rebels)


def combine(*policies: Any) -> Combined:
    """Apply ``policies`` in order (for example a pure bias change of the technology).

    Examples
    --------
    >>> import atrogame as ag
    >>> bias = combine(productivity("weight_civilians", 0.6), productivity("weight_rebels", 1.4))
    >>> round(ag.AndertonBrauer(technology="cobb_douglas").apply(bias).solve().rebel_attacks, 6)
    70.0
    """
    return Combined(tuple(policies))


def effective_resources(resources: float, earmarked_aid: float = 0.0, nonviolent_spending: float = 0.0,
                        cash_aid: float = 0.0) -> float:
    """The perpetrator's effective violence budget M_eff = M + min(a, X₀) + c (fungible aid).

    Earmarked aid ``a`` for non-violent purposes frees the perpetrator's own resources up to
    the non-violent spending ``X₀`` it would make anyway; cash aid ``c`` is fully fungible.

    Examples
    --------
    >>> effective_resources(100.0, earmarked_aid=20.0, nonviolent_spending=30.0)
    120.0
    >>> effective_resources(100.0, earmarked_aid=50.0, nonviolent_spending=30.0, cash_aid=10.0)
    140.0
    """
    vals = {}
    for name, v, low_open in (("resources", resources, True), ("earmarked_aid", earmarked_aid, False),
                              ("nonviolent_spending", nonviolent_spending, False), ("cash_aid", cash_aid, False)):
        try:
            x = float(v)
        except (TypeError, ValueError):
            raise ParameterError(name, "[0, inf)", v, "not a number") from None
        if not math.isfinite(x) or x < 0 or (low_open and x == 0):
            raise ParameterError(name, "(0, inf)" if low_open else "[0, inf)", x)
        vals[name] = x
    return vals["resources"] + min(vals["earmarked_aid"], vals["nonviolent_spending"]) + vals["cash_aid"]
