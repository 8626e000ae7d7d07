"""The public model contract: outcome metadata, tool levers, and the Protocol callers type against.

A model declares everything about itself in its own module (see docs/how-to/writing_a_model.md):
its :class:`~atrogame.core.parameters.Parameters`, its outcomes (:func:`outcome`), its regimes,
its vectorised kernel, optionally a sympy derivation, its citation, and how catalogue tools move
its parameters (:func:`lever`). The engine, the tools, sensitivity analysis, the figures and
the CLI only use what :class:`ModelLike` names.

Examples
--------
>>> o = outcome("p_war", long_name="probability of war", symbol=r"\\Pr(\\text{war})",
...             units="probability", role="probability", headline=True)
>>> o.name, o.role, o.headline, o.attrs()["long_name"]
('p_war', 'probability', True, 'probability of war')
>>> lv = lever("atrocity_penalty", direction=+1, step=0.02)
>>> lv.parameter, lv.moved(0.1, intensity=2.0)
(('atrocity_penalty',), 0.14)
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol, Self, runtime_checkable

if TYPE_CHECKING:
    import numpy as np

    from atrogame.core.parameters import Parameters
    from atrogame.core.results import ComparativeStatics, Equilibrium

#: Roles an outcome can play. ``harm``: the outcome prevention tools aim to lower (or raise,
#: with ``harm_direction=-1``); ``probability``: a number in [0, 1]; ``utility``: a player's
#: payoff; ``quantity``: anything else; ``intervention_cost``: what a third party pays.
ROLES: tuple[str, ...] = ("harm", "probability", "utility", "quantity", "intervention_cost")


@dataclass(frozen=True)
class Outcome:
    """Metadata of one model outcome (becomes the attributes of its Dataset variable).

    ``role`` is one of :data:`ROLES`. ``headline`` outcomes are what tool assessments and the
    brief report by default. ``harm_direction`` (+1 or -1) says whether a rise (+1) or a fall
    (-1) of a ``harm`` outcome is harm. ``bounded=False`` declares that the outcome may be
    infinite inside the valid domain (e.g. a choke price); the conformance suite then accepts
    ``inf`` but still rejects NaN.
    """

    name: str
    long_name: str = ""
    symbol: str = ""
    units: str = ""
    role: str = "quantity"
    headline: bool = False
    harm_direction: int = 1
    bounded: bool = True
    doc: str = ""

    def __post_init__(self) -> None:
        if not self.name.isidentifier():
            raise ValueError(f"outcome name must be a Python identifier; got {self.name!r}")
        if self.role not in ROLES:
            raise ValueError(f"outcome {self.name!r}: role must be one of {', '.join(ROLES)}; got {self.role!r}")
        if self.harm_direction not in (1, -1):
            raise ValueError(f"outcome {self.name!r}: harm_direction must be +1 or -1; got {self.harm_direction!r}")

    def attrs(self) -> dict[str, str]:
        """Attributes of the outcome's Dataset variable (``long_name``, ``units``, ``symbol``)."""
        return {"long_name": self.long_name or self.name.replace("_", " "), "units": self.units,
                "symbol": self.symbol or self.name}


def outcome(name: str, *, long_name: str = "", symbol: str = "", units: str = "", role: str = "quantity",
            headline: bool = False, harm_direction: int = 1, bounded: bool = True, doc: str = "") -> Outcome:
    """Declare an outcome of a model (keyword-only metadata; see :class:`Outcome`)."""
    return Outcome(name, long_name, symbol, units, role, headline, harm_direction, bounded, doc)


@dataclass(frozen=True)
class Lever:
    """How one catalogue tool moves one parameter of a model.

    ``parameter`` lists alternatives: the first one the model has is used (Anderton–Brauer
    technologies name the usefulness of civilian attacks differently). ``scale`` is
    ``"absolute"`` (x + direction·step·intensity) or ``"relative"``
    (x·(1 + step)^(direction·intensity)).
    """

    parameter: tuple[str, ...]
    direction: int
    step: float
    scale: str = "absolute"

    def __post_init__(self) -> None:
        if self.direction not in (1, -1):
            raise ValueError(f"lever direction must be +1 or -1; got {self.direction!r}")
        if self.scale not in ("absolute", "relative"):
            raise ValueError(f"lever scale must be 'absolute' or 'relative'; got {self.scale!r}")
        if not (isinstance(self.step, int | float) and math.isfinite(self.step) and self.step > 0):
            raise ValueError(f"lever step must be a positive finite number; got {self.step!r}")

    def resolve(self, available: Mapping[str, Any] | set[str]) -> str | None:
        """The first alternative among ``available`` parameter names, or ``None``."""
        for p in self.parameter:
            if p in available:
                return p
        return None

    def moved(self, x: Any, intensity: float | Any = 1.0) -> Any:
        """The parameter value after the tool at ``intensity`` (arrays broadcast)."""
        if self.scale == "relative":
            return x * (1.0 + self.step) ** (self.direction * intensity)
        return x + self.direction * self.step * intensity

    def rate(self, x: Any) -> Any:
        """d(moved value)/d(intensity) at intensity 0: the lever's direction vector entry."""
        if self.scale == "relative":
            return x * self.direction * math.log1p(self.step)
        return self.direction * self.step + 0.0 * x


def lever(parameter: str | Sequence[str], direction: int, step: float, scale: str = "absolute") -> Lever:
    """Declare how a catalogue tool moves a parameter (``parameter`` may list alternatives)."""
    params = (parameter,) if isinstance(parameter, str) else tuple(parameter)
    return Lever(params, int(direction), float(step), scale)


@runtime_checkable
class ModelLike(Protocol):
    """What the engine, tools, sensitivity analysis, figures and the CLI need from a model.

    :class:`atrogame.model.Model` implements it; nothing outside a model's own module relies
    on anything else. Code that takes a model is typed against this Protocol (``model:
    ModelLike``), so it only uses what is listed here; an attribute only some models have
    (``technology``, ``net_harm_outcome``) is read with ``getattr``. The Protocol is
    ``runtime_checkable``: ``isinstance(m, ModelLike)`` checks that ``m`` has every member.

    The declarations (``name`` ... ``Params``) are read-only here: a model sets them as class
    attributes, and ``Params`` may be a property when the parameter set depends on a
    constructor choice.
    """

    # ------------------------------------------------------------ declarations
    @property
    def name(self) -> str:
        """The registry id (``"kydd_straus"``)."""
        ...

    @property
    def citation(self) -> str: ...

    @property
    def reference(self) -> str: ...

    @property
    def provenance(self) -> str: ...

    @property
    def outcome_names(self) -> tuple[str, ...]: ...

    @property
    def regime_names(self) -> tuple[str, ...]: ...

    @property
    def vectorised(self) -> bool:
        """Whether :meth:`kernel` evaluates arrays (else the engine solves point by point)."""
        ...

    @property
    def Params(self) -> type[Parameters]: ...

    # ------------------------------------------------------------ parameters
    def parameter_values(self) -> dict[str, float]: ...

    def parameter_meta(self, name: str) -> Mapping[str, Any]: ...

    def with_params(self, **changes: float) -> Self: ...

    def validate_arrays(self, values: Mapping[str, Any]) -> dict[str, np.ndarray]: ...

    # ------------------------------------------------------------ metadata
    def outcome_info(self, name: str) -> Outcome: ...

    def headline_outcomes(self) -> tuple[str, ...]: ...

    def harm_outcome(self) -> tuple[str, int]: ...

    def default_priors(self) -> dict[str, tuple[float, float]]: ...

    def tool_levers(self) -> Mapping[str, tuple[Lever, ...]]: ...

    def extra_attrs(self) -> dict[str, str]: ...

    def sensitivity_parameters(self) -> tuple[str, ...]: ...

    def statics_parameters(self) -> tuple[str, ...]: ...

    # ------------------------------------------------------------ solving and evaluating
    def kernel(self, values: Mapping[str, Any]) -> dict[str, np.ndarray]: ...

    def solve(self, method: str = "auto") -> Equilibrium: ...

    def compute(self, arrays: Mapping[str, np.ndarray], shape: tuple[int, ...], wanted: Sequence[str],
                progress: bool = False) -> tuple[dict[str, np.ndarray], list[Any]]: ...

    def evaluate(self, X: Any, names: Sequence[str], outcome: str | Sequence[str]) -> np.ndarray: ...

    def sweep(self, *, outcomes: Sequence[str] | None = None, chunks: Any = None, client: Any = None,
              progress: bool | None = None, **grid: Any) -> Any: ...

    def comparative_statics(self, wrt: str | Sequence[str] | None = None,
                            of: str | Sequence[str] | None = None) -> ComparativeStatics: ...

    def finite_difference(self, of: str, wrt: str, rel_step: float = 1e-6) -> tuple[float, bool]: ...
