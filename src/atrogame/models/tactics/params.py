"""Validated, immutable parameters of :class:`~atrogame.models.tactics.AtrocityTactics`.

The perpetrator uses ``K >= 1`` tactics against civilians; every per-tactic parameter is a
tuple in the order of ``tactics`` (or a mapping keyed by exactly those names). Invalid input
raises :class:`~atrogame.core.errors.ParameterError` naming the parameter (per-tactic entries
as ``tactic_cost[displacement]``), its domain and the value. The maths is on
docs/explanation/tactics.md.

Examples
--------
>>> p = TacticsParams()
>>> p.K, p.tactics[2], p.tactic_cost
(4, 'imprisonment', (0.5, 0.75, 0.75, 1.0))
>>> TacticsParams(tactic_weights=(0.3, 0.3, 0.3, 0.3))
Traceback (most recent call last):
...
atrogame.core.errors.ParameterError: tactic_weights must be in (0, 1] each, summing to 1; got 1.2
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

import numpy as np

from atrogame.core.errors import ParameterError
from atrogame.core.parameters import NONNEGATIVE, NOT_REAL, POSITIVE, UNIT_CLOSED, UNIT_OPEN, Interval, is_real_number

__all__ = [
    "DEFAULT_TACTICS",
    "PER_TACTIC",
    "SCALARS",
    "TacticsParams",
]

DEFAULT_TACTICS = ("killing", "displacement", "imprisonment", "sexual_violence")
WEIGHT = Interval(0, 1, "right")
SUPPLY = Interval(0, None, "neither")

#: per-tactic parameter -> (domain, default with the default tactics, default otherwise)
PER_TACTIC: dict[str, tuple[Interval, tuple[float, ...], float | None]] = {
    "tactic_weights": (WEIGHT, (0.25, 0.25, 0.25, 0.25), None),  # None: 1/K
    "tactic_cost": (POSITIVE, (0.5, 0.75, 0.75, 1.0), 1.0),
    "tactic_sanction": (NONNEGATIVE, (0.0, 0.0, 0.0, 0.0), 0.0),
    "tactic_productivity": (POSITIVE, (1.0, 1.0, 1.0, 1.0), 1.0),
    "lethality": (NONNEGATIVE, (1.0, 0.05, 0.1, 0.05), math.nan),  # required with custom tactics
    "enabler_intensity": (NONNEGATIVE, (0.5, 0.25, 0.25, 0.0), 0.0),
}

#: scalar parameter -> (domain, default, symbol, long name)
SCALARS: dict[str, tuple[Interval, float, str, str]] = {
    "tactic_substitution": (POSITIVE, 2.0, r"\sigma_T", "elasticity of substitution between tactics"),
    "ideology": (UNIT_CLOSED, 0.0, r"\iota", "ideological discount of leadership sanctions"),
    "resources": (POSITIVE, 100.0, "M", "perpetrator's resources"),
    "cost_rebels": (POSITIVE, 0.5, "w_R", "own resource cost per attack on rebels"),
    "lethality_rebels": (NONNEGATIVE, 0.0, r"\psi", "civilian deaths per attack on rebels"),
    "tfp": (POSITIVE, 1.0, "A", "total factor productivity"),
    "share_rebels": (UNIT_OPEN, 0.5, r"\theta", "distribution parameter of attacks on rebels"),
    "substitution_elasticity": (POSITIVE, 1.0, r"\sigma", "elasticity of substitution rebels/civilians"),
    "productivity_rebels": (POSITIVE, 1.0, "a_R", "productivity of attacks on rebels"),
    "productivity_civilians": (POSITIVE, 1.0, "a_C", "productivity of civilian violence"),
    "enabler_cost": (POSITIVE, 1.0, "c_E", "enablers' unit cost (net price at capacity)"),
    "enabler_sanction": (NONNEGATIVE, 0.0, "s_E", "sanction per unit of enabler input"),
    "enabler_intensity_rebels": (NONNEGATIVE, 0.5, "e_R", "enabler input per attack on rebels"),
}

_DEFAULT_HARMS = {"displaced": (0.0, 1.0, 0.0, 0.0), "detained": (0.0, 0.0, 1.0, 0.0),
                  "sexual_violence": (0.0, 0.0, 0.0, 1.0)}
OBJECTIVES = ("max_control", "min_cost")
_SENTINEL: Any = object()


def _is_identifier(name: Any) -> bool:
    return isinstance(name, str) and name.isidentifier()


def _real(name: str, interval: Interval, value: Any, *, allow_inf: bool = False) -> float:
    if not is_real_number(value):
        raise ParameterError(name, str(interval), repr(value), NOT_REAL)
    v = float(value)
    if allow_inf and v == math.inf:
        return v
    if v not in interval:
        raise ParameterError(name, str(interval), v)
    return v


@dataclass(frozen=True, eq=True)
class TacticsParams:
    """Every parameter of the tactics model, validated on construction (immutable, hashable).

    Per-tactic values are stored as tuples in the order of ``tactics``; ``harm_profile`` and
    ``harm_weights`` as read-only mappings. See docs/explanation/tactics.md for the maths.

    Examples
    --------
    >>> TacticsParams(tactic_cost={"killing": 1, "displacement": 1, "imprisonment": 1,
    ...                            "sexual_violence": 1}).tactic_cost
    (1.0, 1.0, 1.0, 1.0)
    >>> TacticsParams(tactics=("a", "b"))
    Traceback (most recent call last):
    ...
    atrogame.core.errors.ParameterError: lethality must be in [0, inf) per tactic; got None (needed for custom tactics)
    """

    tactics: tuple[str, ...] = DEFAULT_TACTICS
    tactic_weights: Any = _SENTINEL
    tactic_substitution: float = 2.0
    tactic_cost: Any = _SENTINEL
    tactic_sanction: Any = _SENTINEL
    tactic_productivity: Any = _SENTINEL
    lethality: Any = _SENTINEL
    harm_profile: Any = _SENTINEL
    harm_weights: Any = None
    ideology: float = 0.0
    resources: float = 100.0
    cost_rebels: float = 0.5
    lethality_rebels: float = 0.0
    tfp: float = 1.0
    share_rebels: float = 0.5
    substitution_elasticity: float = 1.0
    productivity_rebels: float = 1.0
    productivity_civilians: float = 1.0
    enabler_cost: float = 1.0
    enabler_sanction: float = 0.0
    enabler_intensity: Any = _SENTINEL
    enabler_intensity_rebels: float = 0.5
    enabler_supply_elasticity: float = math.inf
    enabler_capacity: float | None = None
    objective: str = "max_control"
    control_target: float | None = None
    _harm_matrix: Any = field(default=None, repr=False, compare=False)

    def __post_init__(self) -> None:
        tactics = self.tactics
        if isinstance(tactics, str) or not isinstance(tactics, Sequence) or len(tactics) == 0:
            raise ParameterError("tactics", "a tuple of K >= 1 distinct identifiers", tactics,
                                 "K = 0" if isinstance(tactics, Sequence) and not isinstance(tactics, str)
                                 else None)
        tactics = tuple(tactics)
        for t in tactics:
            if not _is_identifier(t):
                raise ParameterError("tactics", "a tuple of K >= 1 distinct identifiers", t,
                                     "not a non-empty identifier")
        if len(set(tactics)) != len(tactics):
            dup = sorted({t for t in tactics if tactics.count(t) > 1})
            raise ParameterError("tactics", "a tuple of K >= 1 distinct identifiers", tactics,
                                 f"duplicate name(s) {dup}")
        set_ = lambda k, v: object.__setattr__(self, k, v)  # noqa: E731
        set_("tactics", tactics)
        default_set = tactics == DEFAULT_TACTICS
        K = len(tactics)
        for name, (interval, dflt, other) in PER_TACTIC.items():
            raw = getattr(self, name)
            if raw is _SENTINEL:
                if default_set:
                    raw = dflt
                elif name == "lethality":
                    raise ParameterError("lethality", "[0, inf) per tactic", None,
                                         "needed for custom tactics")
                elif name == "tactic_weights":
                    raw = (1.0 / K,) * K
                else:
                    raw = (other,) * K
            set_(name, self._per_tactic(name, interval, raw))
        w = self.tactic_weights
        total = math.fsum(w)
        if abs(total - 1.0) > 1e-9:
            raise ParameterError("tactic_weights", "(0, 1] each, summing to 1", round(total, 12))
        for name, (interval, _d, _s, _l) in SCALARS.items():
            set_(name, _real(name, interval, getattr(self, name)))
        eps = _real("enabler_supply_elasticity", Interval(0, None, "neither"),
                    self.enabler_supply_elasticity, allow_inf=True)
        if eps == math.inf and self.enabler_supply_elasticity != math.inf:  # pragma: no cover
            raise ParameterError("enabler_supply_elasticity", "(0, inf]", self.enabler_supply_elasticity)
        set_("enabler_supply_elasticity", eps)
        cap = self.enabler_capacity
        if math.isinf(eps):
            if cap is not None:
                raise ParameterError("enabler_capacity", "None when enabler_supply_elasticity = inf", cap)
        else:
            if cap is None:
                raise ParameterError("enabler_capacity", "(0, inf), required when enabler_supply_elasticity < inf",
                                     None)
            set_("enabler_capacity", _real("enabler_capacity", SUPPLY, cap))
        if self.objective not in OBJECTIVES:
            raise ParameterError("objective", "{'max_control', 'min_cost'}", self.objective)
        if self.objective == "min_cost":
            if self.control_target is None:
                raise ParameterError("control_target", "(0, inf), required when objective = 'min_cost'", None)
            set_("control_target", _real("control_target", POSITIVE, self.control_target))
        elif self.control_target is not None:
            raise ParameterError("control_target", "None when objective = 'max_control'", self.control_target)
        # harms
        prof = self.harm_profile
        if prof is _SENTINEL:
            prof = _DEFAULT_HARMS if default_set else {}
        if not isinstance(prof, Mapping):
            raise ParameterError("harm_profile", "a mapping category -> per-tactic values", prof)
        clean: dict[str, tuple[float, ...]] = {}
        for cat, row in prof.items():
            if not isinstance(cat, str) or not cat:
                raise ParameterError("harm_profile", "mapping keys that are non-empty names", cat)
            clean[cat] = self._per_tactic(f"harm_profile[{cat}]", NONNEGATIVE, row)
        set_("harm_profile", MappingProxyType(clean))
        hw = self.harm_weights
        if hw is not None:
            if not isinstance(hw, Mapping):
                raise ParameterError("harm_weights", "a mapping category -> [0, inf)", hw)
            cw: dict[str, float] = {}
            for cat, v in hw.items():
                if cat not in clean:
                    raise ParameterError("harm_weights", f"keys among harm_profile's {sorted(clean)}", cat,
                                         "unknown harm category")
                cw[cat] = _real(f"harm_weights[{cat}]", NONNEGATIVE, v)
            set_("harm_weights", MappingProxyType(cw))
        G = len(clean)
        mat = np.array([clean[c] for c in clean], dtype=float).reshape(G, K)
        mat.setflags(write=False)
        set_("_harm_matrix", mat)

    def _per_tactic(self, name: str, interval: Interval, raw: Any) -> tuple[float, ...]:
        tactics = self.tactics
        if isinstance(raw, Mapping):
            unknown = [k for k in raw if k not in tactics]
            if unknown:
                raise ParameterError(name, f"a mapping keyed by exactly {list(tactics)}", unknown[0],
                                     "unknown tactic")
            missing = [t for t in tactics if t not in raw]
            if missing:
                raise ParameterError(name, f"a mapping keyed by exactly {list(tactics)}", missing[0],
                                     "missing tactic")
            seq = [raw[t] for t in tactics]
        elif isinstance(raw, str) or not isinstance(raw, Sequence | np.ndarray):
            raise ParameterError(name, f"a sequence of {len(tactics)} values or a mapping by tactic", raw)
        else:
            seq = list(raw)
            if len(seq) != len(tactics):
                raise ParameterError(name, f"a sequence of {len(tactics)} values (one per tactic)", len(seq),
                                     "wrong length")
        return tuple(_real(f"{name}[{t}]", interval, v) for t, v in zip(tactics, seq, strict=True))

    # ------------------------------------------------------------------ access
    @property
    def K(self) -> int:
        return len(self.tactics)

    @property
    def harm_categories(self) -> tuple[str, ...]:
        return tuple(self.harm_profile)

    @property
    def harm_matrix(self) -> np.ndarray:
        """h_gk as a read-only (G, K) array."""
        return self._harm_matrix

    @property
    def harm_weight_vector(self) -> np.ndarray:
        hw = self.harm_weights or {}
        return np.array([hw.get(c, 0.0) for c in self.harm_profile], dtype=float)

    def __hash__(self) -> int:
        return hash(tuple((k, _freeze(v)) for k, v in self.constructor_kwargs().items()))

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self) and self.constructor_kwargs() == other.constructor_kwargs()

    def __reduce__(self) -> tuple[Any, ...]:
        return (_rebuild, (self.constructor_kwargs(),))

    def constructor_kwargs(self) -> dict[str, Any]:
        """The keyword arguments that rebuild this parameter set."""
        out = {f.name: getattr(self, f.name) for f in dataclasses.fields(self) if not f.name.startswith("_")}
        out["harm_profile"] = dict(self.harm_profile)
        out["harm_weights"] = None if self.harm_weights is None else dict(self.harm_weights)
        return out

    def replace(self, **changes: Any) -> TacticsParams:
        """A validated copy with some values changed (``tactic_sanction={"killing": 1}`` updates
        only that tactic)."""
        valid = [f.name for f in dataclasses.fields(self) if not f.name.startswith("_")]
        unknown = sorted(set(changes) - set(valid))
        if unknown:
            raise TypeError(f"unknown parameter(s) {unknown} for AtrocityTactics; valid names: {', '.join(valid)}")
        kw = self.constructor_kwargs()
        for k, v in changes.items():
            if k in PER_TACTIC and isinstance(v, Mapping) and "tactics" not in changes:
                cur = dict(zip(self.tactics, kw[k], strict=True))
                for t in v:
                    if t not in cur:
                        raise ParameterError(k, f"a mapping keyed by tactics among {list(self.tactics)}", t,
                                             "unknown tactic")
                cur.update(v)
                v = cur
            kw[k] = v
        return TacticsParams(**kw)

    def kernel_values(self) -> dict[str, Any]:
        """The arrays the vectorised closed form takes (tactic axis last)."""
        v: dict[str, Any] = {k: np.asarray(getattr(self, k), dtype=float) for k in PER_TACTIC}
        v.update({k: np.asarray(getattr(self, k), dtype=float) for k in SCALARS})
        v["enabler_supply_elasticity"] = np.asarray(self.enabler_supply_elasticity)
        v["enabler_capacity"] = np.asarray(1.0 if self.enabler_capacity is None else self.enabler_capacity)
        v["control_target"] = np.asarray(1.0 if self.control_target is None else self.control_target)
        v["harm_matrix"] = self.harm_matrix
        v["harm_weights"] = self.harm_weight_vector
        return v


def _rebuild(kwargs: dict[str, Any]) -> TacticsParams:
    return TacticsParams(**kwargs)


def _freeze(v: Any) -> Any:
    if isinstance(v, Mapping):
        return tuple(sorted((k, _freeze(x)) for k, x in v.items()))
    return v
