"""Result objects: immutable, with a one-line repr, a full ``summary()`` and pandas exports.

Names follow xarray: ``to_dict``, ``to_series``, ``to_dataframe``.

Examples
--------
>>> eq = Equilibrium(model="toy", parameters={"a": 1.0}, outcomes={"x": 2.0}, regime="interior")
>>> eq
<Equilibrium toy regime=interior x=2>
>>> eq["x"], eq.x
(2.0, 2.0)
>>> eq.to_series()["x"]
2.0
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, fields
from types import MappingProxyType
from typing import Any

import sympy as sp

from atrogame.display import TableMixin


def _fmt(v: Any, digits: int = 6) -> str:
    if isinstance(v, float):
        if math.isinf(v):
            return "inf" if v > 0 else "-inf"
        return f"{v:.{digits}g}"
    return str(v)


def _restore(cls: type, state: dict[str, Any], frozen: tuple[str, ...]) -> Any:
    """Rebuild a result object from :meth:`_FrozenPickle.__reduce__`'s state, field by field."""
    obj: Any = object.__new__(cls)
    for name, value in state.items():
        object.__setattr__(obj, name, MappingProxyType(value) if name in frozen else value)
    return obj


class _FrozenPickle:
    """Pickling for frozen dataclasses that hold read-only mappings (``MappingProxyType``).

    A ``mappingproxy`` cannot be pickled, so the object is sent as its fields with each
    read-only mapping copied to a plain ``dict``, and rebuilt with the same read-only views
    (no validation is re-run, so the copy equals the original field by field). This also
    serves ``copy.copy``/``copy.deepcopy``, ``multiprocessing`` and dask.
    """

    __slots__ = ()

    def __reduce__(self) -> tuple[Any, ...]:
        state: dict[str, Any] = {}
        frozen: list[str] = []
        for f in fields(self):  # type: ignore[arg-type]
            value = object.__getattribute__(self, f.name)
            if isinstance(value, MappingProxyType):
                value = dict(value)
                frozen.append(f.name)
            state[f.name] = value
        return (_restore, (type(self), state, tuple(frozen)))


@dataclass(frozen=True)
class Equilibrium(_FrozenPickle, TableMixin):
    """The solution of a model at one parameter point.

    Outcomes are floats, reachable as ``eq["name"]`` or ``eq.name``. ``regime`` labels
    which branch of the equilibrium applies; corners are results, not errors.
    Models build these with :meth:`~atrogame.model.Model.solve`.

    Examples
    --------
    >>> from atrogame.testing.models import Toy
    >>> eq = Toy(benefit=3.0).solve()
    >>> eq
    <Equilibrium toy regime=interior x=2 welfare=4>
    >>> eq.x, eq["welfare"], eq.benefit
    (2.0, 4.0, 3.0)
    >>> print(eq.summary())
    Equilibrium of toy (method: closed_form, regime: interior)
    Parameters:
      benefit    3
      curvature  1
      threshold  1
    Outcomes:
      x          2
      welfare    4
    >>> eq.to_dataframe().columns.tolist()
    ['param.benefit', 'param.curvature', 'param.threshold', 'x', 'welfare', 'regime']
    """

    model: str
    parameters: Mapping[str, Any]
    outcomes: Mapping[str, float]
    regime: str
    method: str = "closed_form"
    unique: bool = True
    info: Mapping[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        object.__setattr__(self, "parameters", MappingProxyType(dict(self.parameters)))
        object.__setattr__(
            self, "outcomes", MappingProxyType({k: float(v) for k, v in self.outcomes.items()})
        )
        object.__setattr__(self, "info", MappingProxyType(dict(self.info)))

    def __getitem__(self, key: str) -> float:
        try:
            return self.outcomes[key]
        except KeyError:
            raise KeyError(
                f"{key!r} is not an outcome of {self.model}; outcomes: {', '.join(self.outcomes)}"
            ) from None

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):
            raise AttributeError(name)
        outcomes = object.__getattribute__(self, "outcomes")
        if name in outcomes:
            return outcomes[name]
        params = object.__getattribute__(self, "parameters")
        if name in params:
            return params[name]
        raise AttributeError(f"{type(self).__name__} of {self.model} has no attribute {name!r}")

    def __iter__(self) -> Iterator[str]:
        return iter(self.outcomes)

    def __repr__(self) -> str:
        shown = list(self.outcomes.items())[:3]
        body = " ".join(f"{k}={_fmt(v, 4)}" for k, v in shown)
        return f"<Equilibrium {self.model} regime={self.regime} {body}>"

    def summary(self) -> str:
        """Parameters, outcomes and diagnostics as aligned text."""
        width = max(len(k) for k in [*self.parameters, *self.outcomes, "regime"]) + 2
        lines = [f"Equilibrium of {self.model} (method: {self.method}, regime: {self.regime})"]
        if not self.unique:
            lines.append("  note: the optimum is not unique (a tie); one optimal point is reported")
        lines.append("Parameters:")
        lines += [f"  {k:<{width}}{_fmt(v)}" for k, v in self.parameters.items()]
        lines.append("Outcomes:")
        lines += [f"  {k:<{width}}{_fmt(v)}" for k, v in self.outcomes.items()]
        return "\n".join(lines)

    __str__ = summary

    def to_dict(self) -> dict[str, Any]:
        """Everything as plain Python types (JSON-serialisable except ``inf``)."""
        return {
            "model": self.model,
            "regime": self.regime,
            "method": self.method,
            "unique": self.unique,
            "parameters": dict(self.parameters),
            "outcomes": dict(self.outcomes),
        }

    def to_series(self) -> Any:
        """Outcomes and the regime label as a ``pandas.Series``."""
        import pandas as pd

        data: dict[str, Any] = dict(self.outcomes)
        data["regime"] = self.regime
        return pd.Series(data, name=self.model, dtype=object)

    def to_dataframe(self) -> Any:
        """One row: parameters (prefixed ``param.``) then outcomes and regime."""
        import pandas as pd

        row: dict[str, Any] = {f"param.{k}": v for k, v in self.parameters.items()}
        row.update(self.outcomes)
        row["regime"] = self.regime
        return pd.DataFrame([row])



@dataclass(frozen=True)
class StaticsEntry(_FrozenPickle):
    """The comparative statics of one outcome with respect to one parameter.

    ``derivative`` is a sympy expression in the model's parameter symbols (a
    ``Piecewise`` over regimes where it has more than one); ``sign`` is what sympy
    can prove over the regime's whole domain (``"ambiguous"`` otherwise); ``value``
    is the derivative at the model's parameters; ``elasticity`` is ``value*x/y`` or
    ``None`` when the outcome is zero.

    Examples
    --------
    >>> from atrogame.testing.models import Toy
    >>> e = Toy().comparative_statics(of="x")["benefit"]
    >>> e.derivative, e.sign, e.value, e.elasticity, e.regime
    (1/curvature, 'positive', 1.0, 2.0, 'interior')
    """

    outcome: str
    wrt: str
    derivative: sp.Expr
    sign: str
    value: float
    elasticity: float | None
    regime: str
    boundary: bool = False
    numeric_value: float | None = None
    #: Numeric verdict where ``sign`` is "ambiguous" (see docs/explanation/signs.md): never a proof.
    numeric_sign: str | None = None
    numeric_points: int = 0

    def to_dict(self) -> dict[str, Any]:
        return {
            "outcome": self.outcome,
            "wrt": self.wrt,
            "derivative": str(self.derivative),
            "sign": self.sign,
            "value": self.value,
            "elasticity": self.elasticity,
            "regime": self.regime,
            "boundary": self.boundary,
            "numeric_value": self.numeric_value,
            "numeric_sign": self.numeric_sign,
            "numeric_points": self.numeric_points,
        }


@dataclass(frozen=True)
class ComparativeStatics(_FrozenPickle, TableMixin):
    """Comparative statics of a model at one parameter point, keyed by ``(outcome, wrt)``.

    With a single entry, its fields are reachable directly (``cs.value``, ``cs.sign``).
    Models build these with :meth:`~atrogame.model.Model.comparative_statics`.

    Examples
    --------
    >>> from atrogame.testing.models import Toy
    >>> cs = Toy().comparative_statics(of="x")
    >>> cs
    <ComparativeStatics toy: dx/dbenefit=1 (positive), dx/dcurvature=-1 (ambiguous), dx/dthreshold=-1 (negative)>
    >>> cs[("x", "threshold")].sign
    'negative'
    >>> one = Toy().comparative_statics(of="x", wrt="benefit")
    >>> one.value, one.sign
    (1.0, 'positive')
    >>> cs.to_dataframe()["sign"].tolist()
    ['positive', 'ambiguous', 'negative']
    """

    model: str
    parameters: Mapping[str, Any]
    entries: tuple[StaticsEntry, ...]
    latex_names: Mapping[Any, str] = field(default_factory=dict)

    def __getitem__(self, key: str | tuple[str, str]) -> StaticsEntry:
        for e in self.entries:
            if (isinstance(key, tuple) and (e.outcome, e.wrt) == key) or e.wrt == key:
                if isinstance(key, str) and len({x.outcome for x in self.entries}) > 1:
                    raise KeyError(f"several outcomes; index by (outcome, {key!r})")
                return e
        raise KeyError(f"no entry {key!r}; have {[(e.outcome, e.wrt) for e in self.entries]}")

    def __iter__(self) -> Iterator[StaticsEntry]:
        return iter(self.entries)

    def __len__(self) -> int:
        return len(self.entries)

    def _single(self) -> StaticsEntry:
        if len(self.entries) != 1:
            raise AttributeError("several entries: index by (outcome, wrt)")
        return self.entries[0]

    @property
    def value(self) -> float:
        return self._single().value

    @property
    def sign(self) -> str:
        return self._single().sign

    @property
    def elasticity(self) -> float | None:
        return self._single().elasticity

    @property
    def derivative(self) -> sp.Expr:
        return self._single().derivative

    @property
    def boundary(self) -> bool:
        return self._single().boundary

    def __getattr__(self, name: str) -> Any:
        """With a single entry, every field of it (``cs.regime``, ``cs.numeric_sign``, ...)."""
        if name.startswith("_") or name not in StaticsEntry.__dataclass_fields__:
            raise AttributeError(f"{type(self).__name__} has no attribute {name!r}")
        return getattr(self._single(), name)

    def __repr__(self) -> str:
        parts = ", ".join(f"d{e.outcome}/d{e.wrt}={_fmt(e.value, 4)} ({e.sign})" for e in self.entries[:3])
        more = f", … {len(self.entries) - 3} more" if len(self.entries) > 3 else ""
        return f"<ComparativeStatics {self.model}: {parts}{more}>"

    def summary(self) -> str:
        lines = [f"Comparative statics of {self.model}"]
        for e in self.entries:
            el = "None" if e.elasticity is None else _fmt(e.elasticity, 6)
            flag = "  [at a regime boundary]" if e.boundary else ""
            lines.append(
                f"  d {e.outcome} / d {e.wrt}: value {_fmt(e.value)}, elasticity {el}, "
                f"sign {e.sign}, regime {e.regime}{flag}"
            )
        return "\n".join(lines)

    __str__ = summary

    def to_dict(self) -> dict[str, Any]:
        return {"model": self.model, "parameters": dict(self.parameters),
                "entries": [e.to_dict() for e in self.entries]}

    def to_dataframe(self) -> Any:
        """Rows indexed by (outcome, wrt); sign and value first, the symbolic derivative last."""
        import pandas as pd

        df = pd.DataFrame([e.to_dict() for e in self.entries])
        first = ["outcome", "wrt", "sign", "value", "elasticity", "regime", "boundary", "numeric_sign",
                 "numeric_points"]
        df = df[[*first, *(c for c in df.columns if c not in first)]]  # a terminal shows sign and value
        return df.set_index(["outcome", "wrt"])

    def to_latex(self, **kw: Any) -> str:
        """Booktabs table (sign, value, elasticity) in the model's symbols; ``derivatives=True`` adds them.

        See :func:`atrogame.report.statics_table`.
        """
        from atrogame import report

        return report.to_latex(self, **kw)

    def to_markdown(self, **kw: Any) -> str:
        """Markdown table; see :func:`atrogame.report.statics_table`."""
        from atrogame import report

        return report.to_markdown(self, **kw)

    def plot(self, *, ax: Any = None, kind: str = "elasticity") -> Any:
        """Bar chart of elasticities (or values) per parameter; returns the Axes."""
        from atrogame.plot import statics

        return statics(self, ax=ax, kind=kind)
