"""Third-party policies for the perpetrator-choice model (after Anderton & Brauer).

A policy is a parameter change of :class:`atrogame.AndertonBrauer` (docs/explanation/anderton_brauer.md,
"Three classes of policy" and "When policies backfire"):

* :func:`resource` scales the perpetrator's resources (sanctions, asset freezes, cutting
  rents or patronage): the budget line shifts inward;
* :func:`productivity` scales one technology parameter (protecting civilians, strengthening
  the rebels, ...): the isoquant map changes;
* :func:`price` sets new price levels of attacks (prosecution, monitoring, embargoes on
  specific weapons): the budget line pivots;
* :func:`combine` applies several policies in order.

``model.apply(policy)`` returns a new validated model; ``model.policy_effect(policy)``
compares the two solutions. :func:`effective_resources` is the fungibility rule ("Fungible aid" in
docs/explanation/anderton_brauer.md, "When policies backfire"). The functional forms and numbers are atrogame's own.

Examples
--------
>>> import atrogame as ag
>>> m = ag.AndertonBrauer(technology="cobb_douglas")
>>> m.policy_effect(combine(resource(0.5), price(price_civilians=2.0)))["civilian_attacks"].after
12.5
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from atrogame.core.errors import ParameterError

__all__ = ["Combined", "Price", "Productivity", "Resource", "combine", "effective_resources", "price",
           "productivity", "resource"]


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

    def apply_to(self, model: Any) -> Any:
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

    def apply_to(self, model: Any) -> Any:
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
    """Price policy: new price *levels* of attacks (an omitted price is unchanged).

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

    def apply_to(self, model: Any) -> Any:
        changes = {k: getattr(self, k) for k in ("price_civilians", "price_rebels") if getattr(self, k) is not None}
        return model.with_params(**changes)

    def __str__(self) -> str:
        return ", ".join(f"{k} = {getattr(self, k):g}" for k in ("price_civilians", "price_rebels")
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

    def apply_to(self, model: Any) -> Any:
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


def price(price_civilians: float | None = None, price_rebels: float | None = None) -> Price:
    """Set new price levels of attacks on civilians and/or on rebels (at least one).

    Examples
    --------
    >>> import atrogame as ag
    >>> ag.AndertonBrauer(technology="cobb_douglas").apply(price(price_civilians=2.0)).solve().civilian_attacks
    25.0
    """
    return Price(price_civilians, price_rebels)


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
