"""Rich display in Jupyter: ``_repr_html_`` and ``_repr_latex_`` for models and results.

Classes inherit :class:`RichDisplayMixin`; a notebook then shows an HTML table (symbols
and units from the metadata, the proven sign and the value first for comparative
statics) and offers a LaTeX (MathJax) rendering. Tables come from :mod:`atrogame.report`,
so a notebook shows what a paper would print.

Examples
--------
>>> from atrogame.testing.models import Toy
>>> html = Toy().comparative_statics(of="x", wrt="benefit")._repr_html_()
>>> "<table" in html, html.index("Sign") < html.index("Value") < html.index("Regime")
(True, True)
>>> print(Toy(benefit=3.0).solve()._repr_latex_())
$$\\begin{array}{lr}
x & 2 \\\\
\\mathrm{welfare} & 4
\\end{array}\\quad\\text{(regime: interior)}$$
"""

from __future__ import annotations

from typing import Any

import sympy as sp

#: Seconds a notebook display may spend simplifying one derivative.
DISPLAY_SIMPLIFY_SECONDS = 1.0


class RichDisplayMixin:
    """Adds ``_repr_html_`` and ``_repr_latex_`` (no fields, no state)."""

    __slots__ = ()

    def _repr_html_(self) -> str:
        from atrogame import report

        title = _title(self)
        try:
            table = report.to_html(self)
        except TypeError:
            return f"<pre>{_escape(repr(self))}</pre>"
        return f"<div><strong>{_escape(title)}</strong>{table}</div>" if title else table

    def _repr_latex_(self) -> str | None:
        return latex_array(self)


class TableMixin(RichDisplayMixin):
    """Rich display plus ``to_latex``/``to_markdown`` tables of a result (see :mod:`atrogame.report`)."""

    __slots__ = ()

    def to_latex(self, **kw: Any) -> str:
        """Booktabs LaTeX table in the model's symbols and units (see :mod:`atrogame.report`).

        Examples
        --------
        >>> import atrogame as ag
        >>> "toprule" in ag.Fearon().solve().to_latex()
        True
        """
        from atrogame import report

        return report.to_latex(self, **kw)

    def to_markdown(self, **kw: Any) -> str:
        """Markdown table in the model's symbols (see :mod:`atrogame.report`).

        Examples
        --------
        >>> import atrogame as ag
        >>> ag.Fearon().solve().to_markdown().startswith("|")
        True
        """
        from atrogame import report

        return report.to_markdown(self, **kw)


def _escape(s: str) -> str:
    import html

    return html.escape(s)


def _title(obj: Any) -> str:
    kind = type(obj).__name__
    name = getattr(obj, "model", None)
    if isinstance(name, str):
        reg = getattr(obj, "regime", None)
        return f"{kind} of {name}" + (f" (regime {reg})" if isinstance(reg, str) else "")
    if hasattr(obj, "parameter_values"):
        cite = getattr(obj, "citation", "")
        return f"{kind}" + (f", {cite}" if cite else "")
    return ""


def _num(v: Any) -> str:
    from atrogame.report import format_number

    s = format_number(v, 4, fmt="latex")
    return s.strip("$") if s.startswith("$") else r"\text{" + s + "}"


def latex_array(obj: Any) -> str | None:
    """A MathJax-ready ``$$\\begin{array}...$$`` of a result or model (``None`` if there is none)."""
    from atrogame import report
    from atrogame.core.results import ComparativeStatics, Equilibrium

    if isinstance(obj, Equilibrium):
        rows = [f"{report._outcome_symbol(None, k, obj.model)} & {_num(v)}" for k, v in obj.outcomes.items()]
        return ("$$\\begin{array}{lr}\n" + " \\\\\n".join(rows) +
                f"\n\\end{{array}}\\quad\\text{{(regime: {obj.regime.replace('_', ' ')})}}$$")
    if isinstance(obj, ComparativeStatics):
        by_field = report._names_by_field(obj.latex_names)
        rows = []
        for e in obj.entries:
            d = report.simplify_capped(report.branch_derivative(e.derivative, obj.parameters),
                                       DISPLAY_SIMPLIFY_SECONDS)
            o = report._outcome_symbol(None, e.outcome, obj.model)
            w = report._param_symbol(None, e.wrt, obj.model, by_field)
            rows.append(rf"\frac{{\partial {o}}}{{\partial {w}}} & \text{{{e.sign}}} & {_num(e.value)} & "
                        + sp.latex(d, symbol_names=dict(obj.latex_names)))
        return "$$\\begin{array}{llrl}\n" + " \\\\\n".join(rows) + "\n\\end{array}$$"
    if hasattr(obj, "parameter_values") and hasattr(obj, "parameter_meta"):
        rows = []
        for k, v in obj.parameter_values().items():
            m = obj.parameter_meta(k)
            rows.append(f"{m.get('latex') or m.get('symbol') or k} & {_num(v)}")
        return "$$\\begin{array}{lr}\n" + " \\\\\n".join(rows) + "\n\\end{array}$$"
    return None
