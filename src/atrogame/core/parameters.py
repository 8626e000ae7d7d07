"""Validated, frozen parameter sets whose field metadata is the single source of truth.

A model's parameters are a frozen dataclass deriving from :class:`Parameters`. Each
field is declared with :func:`param`, which records its symbol, its domain (an
:class:`Interval`), a long name, units and a plausible range for sweeps. Validation,
sympy assumptions, CLI flags, sensitivity bounds, hypothesis strategies, plot labels
and the documentation tables all read that metadata.

Examples
--------
>>> from dataclasses import dataclass
>>> @dataclass(frozen=True, kw_only=True)
... class P(Parameters):
...     price: float = param(1.0, symbol="p", latex="p", interval=Interval(0, None, "neither"),
...                          long_name="price")
>>> P(price=2.0).price
2.0
>>> P(price=-1)
Traceback (most recent call last):
...
atrogame.core.errors.ParameterError: price must be in (0, inf); got -1.0
"""

from __future__ import annotations

import dataclasses
import functools
import math
import numbers
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, fields
from typing import Any, ClassVar, Literal, Self

import numpy as np

from atrogame.core.errors import ParameterError
from atrogame.core.validation import first_invalid, min_max

Closed = Literal["both", "left", "right", "neither"]


@dataclass(frozen=True)
class Interval:
    """A real interval, possibly unbounded, used as a parameter's domain.

    ``low``/``high`` of ``None`` mean -inf/+inf (always open there). ``closed`` says
    which finite ends belong to the interval.

    Examples
    --------
    >>> str(Interval(0, None, "neither")), str(Interval(0, 1, "both"))
    ('(0, inf)', '[0, 1]')
    >>> 0 in Interval(0, 1, "right")
    False
    """

    low: float | None = None
    high: float | None = None
    closed: Closed = "both"

    @property
    def lo(self) -> float:
        return -math.inf if self.low is None else float(self.low)

    @property
    def hi(self) -> float:
        return math.inf if self.high is None else float(self.high)

    @property
    def left_closed(self) -> bool:
        return self.low is not None and self.closed in ("both", "left")

    @property
    def right_closed(self) -> bool:
        return self.high is not None and self.closed in ("both", "right")

    def __contains__(self, x: object) -> bool:
        try:
            v = float(x)  # type: ignore[arg-type]
        except (TypeError, ValueError):
            return False
        return bool(self.mask(np.asarray(v)))

    def mask(self, x: np.ndarray) -> np.ndarray:
        """Elementwise membership (finite values only) for an array."""
        x = np.asarray(x, dtype=float)
        ok = np.isfinite(x)
        ok &= (x >= self.lo) if self.left_closed else (x > self.lo)
        ok &= (x <= self.hi) if self.right_closed else (x < self.hi)
        return ok

    def __str__(self) -> str:
        left = "[" if self.left_closed else "("
        right = "]" if self.right_closed else ")"
        return f"{left}{_num(self.lo)}, {_num(self.hi)}{right}"

    def assumptions(self) -> dict[str, bool]:
        """Sympy assumptions implied by the interval (real; positive or nonnegative)."""
        out: dict[str, bool] = {"real": True}
        if self.lo > 0 or (self.lo == 0 and not self.left_closed):
            out["positive"] = True
        elif self.lo >= 0:
            out["nonnegative"] = True
        return out

    def sample_range(self) -> tuple[float, float]:
        """A finite range inside the interval, for sweeps and random draws."""
        lo = self.lo if math.isfinite(self.lo) else -10.0
        hi = self.hi if math.isfinite(self.hi) else max(lo, 0.0) + 10.0
        return lo, hi


def _num(v: float) -> str:
    if math.isinf(v):
        return "inf" if v > 0 else "-inf"
    return f"{v:g}"


POSITIVE = Interval(0, None, "neither")
NONNEGATIVE = Interval(0, None, "left")
UNIT_OPEN = Interval(0, 1, "neither")
UNIT_CLOSED = Interval(0, 1, "both")


def param(
    default: float,
    *,
    symbol: str,
    interval: Interval,
    long_name: str,
    latex: str | None = None,
    units: str = "",
    doc: str = "",
    sweep_range: tuple[float, float] | None = None,
) -> Any:
    """Declare a numeric parameter field with its metadata.

    Parameters
    ----------
    default:
        Default value.
    symbol:
        Plain-text symbol (``"p_0"``); ``latex`` is its LaTeX form (defaults to ``symbol``).
    interval:
        The domain; values outside it raise :class:`ParameterError`.
    long_name:
        Human-readable name used in plot labels and tables.
    sweep_range:
        Plausible range used by sweeps, sensitivity bounds and random draws. Required
        in practice for unbounded intervals; defaults to the interval clipped to
        finite bounds.

    Examples
    --------
    >>> f = param(0.5, symbol="i", interval=UNIT_CLOSED, long_name="commitment")
    >>> f.metadata["interval"] == UNIT_CLOSED
    True
    """
    if sweep_range is None:
        sweep_range = interval.sample_range()
    return field(
        default=default,
        metadata={
            "symbol": symbol,
            "latex": latex if latex is not None else symbol,
            "interval": interval,
            "long_name": long_name,
            "units": units,
            "doc": doc,
            "sweep_range": (float(sweep_range[0]), float(sweep_range[1])),
        },
    )


RESERVED = frozenset({"chunks", "client", "outcomes", "method", "regime", "seed", "n"})


def _field_metadata(cls: type) -> dict[str, Mapping[str, Any]]:
    """``{name: metadata}`` of a parameter class's fields in declaration order, built once per
    class (``dataclasses.fields`` walks every field on each call; validation asks per parameter).
    The key includes the class's own field table, so a class asked before ``@dataclass`` has
    processed it is not stuck with its parent's fields."""
    return _metadata_of(cls, id(cls.__dict__.get("__dataclass_fields__")))


@functools.cache
def _metadata_of(cls: type, _table: int) -> dict[str, Mapping[str, Any]]:
    return {f.name: f.metadata for f in fields(cls)}


@dataclass(frozen=True, kw_only=True)
class Parameters:
    """Base class of every parameter set: frozen, validated on construction, hashable.

    Subclasses declare fields with :func:`param`. ``dataclasses.replace`` (and
    :meth:`replace`) re-run validation, so every instance is valid. Override
    :meth:`check_joint` for conditions that involve several fields and
    :meth:`check_joint_arrays` for their vectorised form used by sweeps.

    Examples
    --------
    >>> from atrogame.testing.models import ToyParams
    >>> p = ToyParams(benefit=3.0)
    >>> p
    ToyParams(benefit=3.0, curvature=1.0, threshold=1.0)
    >>> p.names(), p.meta("benefit")["long_name"]
    (('benefit', 'curvature', 'threshold'), 'marginal benefit')
    >>> ToyParams(curvature=-1.0)
    Traceback (most recent call last):
    ...
    atrogame.core.errors.ParameterError: curvature must be in (0, inf); got -1.0
    """

    model_name: ClassVar[str] = "model"

    def __post_init__(self) -> None:
        for f in fields(self):
            value = getattr(self, f.name)
            object.__setattr__(self, f.name, _validate_scalar(f, value))
        self.check_joint()

    # ------------------------------------------------------------------ hooks
    def check_joint(self) -> None:
        """Cross-field domain rules (raise :class:`ParameterError`); none by default."""

    @classmethod
    def check_joint_arrays(cls, values: Mapping[str, np.ndarray | float]) -> None:
        """Vectorised cross-field rules for sweeps; none by default."""

    @classmethod
    def joint_bounds(cls, name: str, values: Mapping[str, Any]) -> tuple[Any, Any] | None:
        """Open bounds ``(low, high)`` that the cross-field rules put on ``name`` given ``values``.

        Used where a value is moved (by a tool's lever, say) and must stay valid: the mover
        clips it strictly inside these bounds. ``None`` (the default) means the rules do not
        bound ``name`` beyond its own interval. Arrays broadcast.
        """
        return None

    # ------------------------------------------------------------------ access
    @classmethod
    def names(cls) -> tuple[str, ...]:
        """Field names in declaration order."""
        return tuple(_field_metadata(cls))

    @classmethod
    def meta(cls, name: str) -> Mapping[str, Any]:
        """The metadata of one field (``symbol``, ``latex``, ``interval``, ...)."""
        try:
            return _field_metadata(cls)[name]
        except KeyError:
            raise KeyError(f"{cls.__name__} has no parameter {name!r}; valid: {', '.join(cls.names())}") from None

    @classmethod
    def defaults(cls) -> dict[str, float]:
        return {f.name: f.default for f in fields(cls)}  # type: ignore[misc]

    def replace(self, **changes: float) -> Self:
        """A validated copy with some values changed.

        Examples
        --------
        >>> from atrogame.models.kydd_straus import KyddStrausParams
        >>> KyddStrausParams().replace(atrocity_penalty=0.05).atrocity_penalty
        0.05
        """
        unknown = set(changes) - set(self.names())
        if unknown:
            raise TypeError(
                f"unknown parameter(s) {sorted(unknown)} for {type(self).__name__}; "
                f"valid names: {', '.join(self.names())}"
            )
        return dataclasses.replace(self, **changes)

    def to_dict(self) -> dict[str, float]:
        return {name: getattr(self, name) for name in self.names()}

    @classmethod
    def from_dict(cls, d: Mapping[str, float]) -> Self:
        return cls(**dict(d))

    def __iter__(self) -> Iterator[tuple[str, float]]:
        return iter(self.to_dict().items())

    @classmethod
    def describe(cls) -> Any:
        """A ``pandas.DataFrame`` describing every parameter (from field metadata).

        ``sweep_range`` is the default range that sampling, priors and Sobol/Morris/delta
        sensitivity use for a parameter not given explicitly (see :meth:`default_priors`).
        """
        import pandas as pd

        rows = []
        for f in fields(cls):
            m = f.metadata
            rows.append(
                {
                    "name": f.name,
                    "symbol": m["symbol"],
                    "default": f.default,
                    "domain": str(m["interval"]),
                    "sweep_range": f"[{m['sweep_range'][0]:g}, {m['sweep_range'][1]:g}]",
                    "long_name": m["long_name"],
                    "units": m["units"],
                }
            )
        return pd.DataFrame(rows).set_index("name")

    @classmethod
    def validate_arrays(cls, values: Mapping[str, Any],
                        base: Mapping[str, Any] | None = None) -> dict[str, np.ndarray]:
        """Check arrays of values elementwise; report how many fail and the first one.

        Joint rules (:meth:`check_joint_arrays`) see ``base`` (the model's own values; the
        class defaults when omitted) for every parameter not given in ``values``. The same
        as :meth:`convert_arrays` followed by :meth:`check_arrays`.

        Examples
        --------
        >>> from atrogame.models.kydd_straus import KyddStrausParams
        >>> KyddStrausParams.validate_arrays({"rebel_strength": [0.2, 1.5]})
        Traceback (most recent call last):
        ...
        atrogame.core.errors.ParameterError: rebel_strength must be in (0, 1); got 1.5 (1 of 2 values invalid)
        """
        out = cls.convert_arrays(values)
        cls.check_arrays(out, base)
        return out

    @classmethod
    def convert_arrays(cls, values: Mapping[str, Any]) -> dict[str, np.ndarray]:
        """``values`` as float arrays (no copy of float64 input), refusing unknown names and non-real values.

        Nothing is range-checked here: :meth:`check_arrays` does that, from the arrays or from
        minima and maxima a compiled kernel reduced while it read them.

        Examples
        --------
        >>> from atrogame.models.kydd_straus import KyddStrausParams
        >>> KyddStrausParams.convert_arrays({"rebel_strength": [0.2, 1.5]})["rebel_strength"].tolist()
        [0.2, 1.5]
        """
        out: dict[str, np.ndarray] = {}
        names = set(cls.names())
        for name, raw in values.items():
            if name not in names:
                raise TypeError(
                    f"unknown parameter {name!r} for {cls.__name__}; valid names: "
                    f"{', '.join(cls.names())}"
                )
            interval: Interval = cls.meta(name)["interval"]
            out[name] = real_array(name, raw, interval)  # strings, booleans, complex refused by name
        return out

    @classmethod
    def check_arrays(cls, arrays: Mapping[str, np.ndarray], base: Mapping[str, Any] | None = None,
                     bounds: tuple[np.ndarray, np.ndarray] | None = None) -> None:
        """Range and joint checks of converted arrays (see :meth:`validate_arrays`).

        ``bounds`` are the minimum and maximum of each array, in the order of ``arrays``
        (NaN where an array holds a NaN or ±inf), when a kernel has already reduced them;
        otherwise one fused reduction pass computes them (:mod:`atrogame.core.validation`).
        An array passes when its minimum and maximum are finite and inside the parameter's
        interval. The joint rules are first tried on the box of those minima and maxima
        (:meth:`joint_holds_on_box`) and checked point by point only when the box does not
        prove them.
        """
        names = list(arrays)
        vals = list(arrays.values())
        intervals = [cls.meta(name)["interval"] for name in names]
        mn, mx = min_max(vals) if bounds is None else bounds
        failed = first_invalid(vals, intervals, bounds=(mn, mx))
        if failed is not None:
            j, value, count = failed
            detail = f"{count} of {vals[j].size} values invalid" if vals[j].ndim else None
            raise ParameterError(names[j], str(intervals[j]), value, detail)
        full = {**(cls.defaults() if base is None else base), **arrays}
        box: dict[str, tuple[float, float]] = {}
        for k, v in full.items():
            if k in arrays:
                j = names.index(k)
                box[k] = (float(mn[j]), float(mx[j])) if arrays[k].size else (math.nan, math.nan)
            elif is_real_number(v) or isinstance(v, np.ndarray):
                a = np.asarray(v, dtype=float)
                box[k] = (float(a.min()), float(a.max())) if a.size else (math.nan, math.nan)
        if cls.joint_holds_on_box(box):
            return
        try:
            cls.check_joint_arrays(full)
        except ParameterError as exc:  # name the parameter being varied, not another one
            raise exc.blame(arrays) from None

    @classmethod
    def joint_holds_on_box(cls, box: Mapping[str, tuple[float, float]]) -> bool:
        """Whether the cross-field rules hold at *every* point of a box ``{name: (min, max)}``.

        A sufficient condition, evaluated on each parameter's range (interval arithmetic):
        ``True`` proves the rules for all points whose values lie in the box, so
        :meth:`check_arrays` skips the point-by-point :meth:`check_joint_arrays`; ``False``
        means "not proven" (the point-by-point check decides). The default is ``True`` for a
        class without joint rules and ``False`` otherwise; override it next to
        :meth:`check_joint_arrays` when large samples are common.

        Examples
        --------
        >>> from atrogame.models.kydd_straus import KyddStrausParams
        >>> KyddStrausParams.joint_holds_on_box({"rebel_strength": (0.1, 0.9)})
        True
        """
        return _own(cls, "check_joint_arrays") is _own(Parameters, "check_joint_arrays")

    @classmethod
    def symbols(cls) -> dict[str, Any]:
        """Sympy symbols named after the fields, with assumptions from their domains."""
        from atrogame.core.symbolic import symbols_for

        return symbols_for(cls)


def _own(cls: type, name: str) -> Any:
    """The function behind classmethod ``name`` as ``cls`` resolves it."""
    return getattr(cls, name).__func__


def _validate_scalar(f: dataclasses.Field[Any], value: Any) -> Any:
    interval = f.metadata.get("interval")
    if interval is None:  # non-numeric field (a choice, an optional value)
        return value
    if not is_real_number(value):
        raise ParameterError(f.name, str(interval), repr(value), NOT_REAL)
    v = float(value)
    if v not in interval:
        raise ParameterError(f.name, str(interval), v)
    return v


#: Why a value that is not a real number is refused (the detail of the ParameterError).
NOT_REAL = "a real number is required; strings, booleans and complex numbers are not accepted"


def is_real_number(value: Any) -> bool:
    """A real number: int, float, numpy real scalar or 0-d array, fractions; never bool or str.

    Examples
    --------
    >>> [is_real_number(v) for v in (1, 0.5, np.float32(2), "0.5", True, 1j, None)]
    [True, True, True, False, False, False, False]
    """
    if isinstance(value, bool | np.bool_ | str | bytes):
        return False
    if isinstance(value, np.ndarray):
        return value.ndim == 0 and value.dtype.kind in "iuf"
    return isinstance(value, numbers.Real)


def real_array(name: str, raw: Any, interval: Interval) -> np.ndarray:
    """``raw`` as a float array, refusing strings, booleans and complex values by name.

    Examples
    --------
    >>> real_array("x", [1, 2.5], Interval(0, None)).tolist()
    [1.0, 2.5]
    >>> real_array("x", [True], Interval(0, None))  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    atrogame.core.errors.ParameterError: x must be in [0, inf); got True (a real number is required; ...)
    """
    probe = np.asarray(raw)
    kind = probe.dtype.kind
    if kind == "O":
        if not all(is_real_number(v) for v in probe.ravel()):
            first = next(v for v in probe.ravel() if not is_real_number(v))
            raise ParameterError(name, str(interval), repr(first), NOT_REAL)
    elif kind not in "iuf":
        first = probe.ravel()[0] if probe.size else raw
        raise ParameterError(name, str(interval), repr(first.item() if hasattr(first, "item") else first),
                             f"{NOT_REAL}; the array has dtype {probe.dtype}")
    return np.asarray(probe, dtype=float)
