"""The symbolic layer: symbols with assumptions, compilation to numpy, sign decisions.

Models derive their sympy expressions once per process (wrap the derivation in
:func:`functools.cache`) and compile them with :func:`compile_expr`, which
lambdifies with common-subexpression elimination and always broadcasts, so a
constant expression still returns an array of the right shape.

Signs are decided by sympy's assumption system (:func:`decide_sign`): strict
(``"positive"``/``"negative"``), weak (``"nonnegative"``/``"nonpositive"``) or
``"zero"``; a sign sympy cannot prove is reported as ``"ambiguous"``, a value, never a
warning (see docs/explanation/signs.md).

Examples
--------
>>> import sympy as sp
>>> x, y = sp.symbols("x y", positive=True)
>>> f = compile_expr((x, y), x * y + 1)
>>> f([1.0, 2.0], 3.0).tolist()
[4.0, 7.0]
>>> decide_sign(-x / (x + y)), decide_sign(x - y), decide_sign(sp.Integer(0))
('negative', 'ambiguous', 'zero')
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, fields
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
import sympy as sp

if TYPE_CHECKING:
    from atrogame.core.parameters import Parameters

Sign = Literal["positive", "negative", "nonnegative", "nonpositive", "zero", "ambiguous"]
SIGNS: tuple[Sign, ...] = ("positive", "negative", "nonnegative", "nonpositive", "zero", "ambiguous")


@dataclass(frozen=True)
class Compiled:
    """A sympy expression compiled to a vectorised numpy function that broadcasts.

    Built by :func:`compile_expr`. Call it with one array-like per symbol in ``args``
    (positionally) or with a mapping by symbol name (:meth:`from_mapping`); the
    result always has the broadcast shape of the inputs.

    Examples
    --------
    >>> a, b = sp.symbols("a b", positive=True)
    >>> f = compile_expr((a, b), a / b)
    >>> f([1.0, 2.0], 4.0).tolist()
    [0.25, 0.5]
    >>> f.from_mapping({"a": 3.0, "b": 2.0}).item()
    1.5
    """

    expr: sp.Expr
    args: tuple[sp.Symbol, ...]
    fn: Callable[..., Any]

    def __call__(self, *xs: Any) -> np.ndarray:
        arrs = np.broadcast_arrays(*(np.asarray(x, dtype=float) for x in xs))
        shape = arrs[0].shape if arrs else ()
        with np.errstate(all="ignore"):
            out = self.fn(*arrs)
        return np.broadcast_to(np.asarray(out, dtype=float), shape)

    def from_mapping(self, values: Mapping[str, Any]) -> np.ndarray:
        """Call with keyword values looked up by symbol name."""
        return self(*(values[s.name] for s in self.args))


def compile_expr(args: Sequence[sp.Symbol], expr: sp.Expr | float) -> Compiled:
    """Lambdify ``expr`` over ``args`` for numpy, with common-subexpression elimination.

    Parameters
    ----------
    args:
        The symbols, in the order the compiled function takes its arguments.
    expr:
        A sympy expression (or a number) in those symbols.

    Returns
    -------
    Compiled
        A callable that broadcasts its inputs, so a constant still returns an
        array of the inputs' shape.

    Examples
    --------
    >>> x = sp.Symbol("x", positive=True)
    >>> compile_expr((x,), x**2 - 1)([1.0, 2.0, 3.0]).tolist()
    [0.0, 3.0, 8.0]
    >>> compile_expr((x,), 5)([1.0, 2.0]).tolist()
    [5.0, 5.0]
    """
    e = sp.sympify(expr)
    fn = sp.lambdify(tuple(args), e, modules="numpy", cse=True)
    return Compiled(e, tuple(args), fn)


@functools.cache
def _symbols_cached(cls: type[Parameters]) -> dict[str, sp.Symbol]:
    out: dict[str, sp.Symbol] = {}
    for f in fields(cls):
        interval = f.metadata.get("interval")
        if interval is None:
            continue
        out[f.name] = sp.Symbol(f.name, **interval.assumptions())
    return out


def symbols_for(cls: type[Parameters]) -> dict[str, sp.Symbol]:
    """Sympy symbols named by field name, with assumptions from the field domains.

    Examples
    --------
    >>> from atrogame.testing.models import ToyParams
    >>> s = symbols_for(ToyParams)
    >>> s["benefit"], s["benefit"].is_positive, s["threshold"].is_nonnegative
    (benefit, True, True)
    """
    # mypy false positive: a class object is Hashable, but mypy tests type[X] against Hashable via the
    # instance __hash__ (python/mypy#20409)
    return dict(_symbols_cached(cls))  # type: ignore[arg-type]


def latex_names(cls: type[Parameters]) -> dict[sp.Symbol, str]:
    """Map each field's symbol to its LaTeX notation, for ``sp.latex(symbol_names=...)``.

    Examples
    --------
    >>> from atrogame.testing.models import ToyParams
    >>> {str(k): v for k, v in latex_names(ToyParams).items()}
    {'benefit': 'b', 'curvature': 'c', 'threshold': 't'}
    """
    syms = _symbols_cached(cls)  # type: ignore[arg-type]  # a class object is Hashable (python/mypy#20409)
    return {syms[f.name]: f.metadata["latex"] for f in fields(cls) if f.name in syms}


def to_latex(expr: sp.Expr, cls: type[Parameters], extra: Mapping[sp.Symbol, str] | None = None) -> str:
    """LaTeX of ``expr`` with parameter names printed as the model's notation.

    ``extra`` maps further symbols (for example derived quantities) to their LaTeX.

    Examples
    --------
    >>> from atrogame.testing.models import ToyParams
    >>> s = symbols_for(ToyParams)
    >>> print(to_latex((s["benefit"] - s["threshold"]) / s["curvature"], ToyParams))
    \\frac{b - t}{c}
    """
    names = latex_names(cls)
    if extra:
        names.update(extra)
    return sp.latex(expr, symbol_names=names)


def decide_sign(expr: sp.Expr | float, *, effort: int = 2) -> Sign:
    """Decide the sign of ``expr`` over every value its symbols' assumptions allow.

    ``effort`` 0 asks sympy's assumptions directly; 1 also tries ``factor``/``together``;
    2 also tries ``simplify`` on expressions that are not too large.

    Returns
    -------
    str
        ``"positive"``, ``"negative"``, ``"zero"``; failing those, the weak
        ``"nonnegative"`` or ``"nonpositive"`` (the expression may vanish somewhere);
        or ``"ambiguous"`` when sympy proves none of these (an answer, not an error).
        See docs/explanation/signs.md.

    Examples
    --------
    >>> p, q = sp.symbols("p q", positive=True)
    >>> decide_sign(p / (p + q)), decide_sign(-p * q), decide_sign(p - q)
    ('positive', 'negative', 'ambiguous')
    >>> k = sp.Symbol("k", nonnegative=True)
    >>> decide_sign(-k * p), decide_sign(k / (1 + p))
    ('nonpositive', 'nonnegative')
    >>> decide_sign((p + q) ** 2 - p**2 - 2 * p * q - q**2)
    'zero'
    """
    e = sp.sympify(expr)
    weak: Sign | None = None  # a proven weak sign, returned if no strict sign is proven
    for attempt in range(effort + 1):
        if attempt == 1:
            try:
                e = sp.factor(sp.together(e))
            except Exception:  # pragma: no cover - sympy internals
                break
        elif attempt == 2:
            if sp.count_ops(e) > 400:
                break
            try:
                e = sp.simplify(e)
            except Exception:  # pragma: no cover
                break
        if e.is_zero:
            return "zero"
        if e.is_positive:
            return "positive"
        if e.is_negative:
            return "negative"
        if weak is None:
            weak = "nonnegative" if e.is_nonnegative else ("nonpositive" if e.is_nonpositive else None)
    return weak or "ambiguous"


def numeric_sign(value: float, scale: float = 1.0, tol: float = 1e-9) -> Sign:
    """The sign of a number, with values within ``tol*scale`` of zero reported as zero.

    A non-finite value is ``"ambiguous"``.

    Examples
    --------
    >>> numeric_sign(0.3), numeric_sign(-2.0), numeric_sign(1e-12), numeric_sign(float("nan"))
    ('positive', 'negative', 'zero', 'ambiguous')
    >>> numeric_sign(1e-6, scale=1e4, tol=1e-9)
    'zero'
    """
    if not np.isfinite(value):
        return "ambiguous"
    if abs(value) <= tol * max(1.0, abs(scale)):
        return "zero"
    return "positive" if value > 0 else "negative"


@dataclass(frozen=True)
class Derivation:
    """A model's named sympy expressions (payoffs, conditions, closed forms), derived once.

    Docs render maths from here (``derivation.latex(name)``), so nothing is retyped.

    Examples
    --------
    >>> x = sp.Symbol("x", positive=True)
    >>> d = Derivation("toy", {"square": x**2}, {"square": "x squared"}, {x: r"\\xi"})
    >>> d.latex("square")
    '\\\\xi^{2}'
    """

    model: str
    expressions: Mapping[str, Any]
    descriptions: Mapping[str, str]
    latex_names: Mapping[sp.Symbol, str]

    def __getitem__(self, name: str) -> Any:
        try:
            return self.expressions[name]
        except KeyError:
            raise KeyError(f"{self.model} derivation has no {name!r}; have: {', '.join(self.expressions)}") from None

    def names(self) -> tuple[str, ...]:
        return tuple(self.expressions)

    def latex(self, name: str) -> str:
        """LaTeX of one expression in the model's notation (relations print as equations)."""
        return sp.latex(self[name], symbol_names=dict(self.latex_names))
