"""Publication output: LaTeX (booktabs) and Markdown tables, and derivatives in the model's notation.

Every table prints parameters and outcomes by their symbols and units from the model's
metadata (the same metadata that validates them), numbers at a chosen precision
(significant digits), and needs nothing beyond atrogame's own dependencies: the LaTeX
is written here, not by pandas' Jinja2-based ``Styler``. Compile the LaTeX with
``\\usepackage{booktabs}`` and ``\\usepackage{amsmath}``.

The result classes delegate to this module (``cs.to_latex()``, ``si.to_markdown()``, ...);
:func:`to_latex` and :func:`to_markdown` accept any of them.

Examples
--------
>>> from atrogame.testing.models import Toy
>>> print(to_latex(Toy(benefit=3.0).solve(), precision=3))
\\begin{tabular}{llrl}
\\toprule
Symbol & Outcome & Value & Units \\\\
\\midrule
$x$ & x & $2$ &  \\\\
$\\mathrm{welfare}$ & welfare & $4$ &  \\\\
\\bottomrule
\\end{tabular}
>>> print(to_markdown(Toy().comparative_statics(of="x", wrt="threshold")))
| Outcome | Parameter | Sign (proof) | Value | Elasticity | Regime | Numeric check |
| :-- | :-- | :-- | --: | --: | :-- | :-- |
| $x$ | $t$ | negative | $-1$ | $-1$ | interior |  |
"""

from __future__ import annotations

import functools
import math
import re
import signal
import threading
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import sympy as sp

from atrogame.core.contract import ModelLike

__all__ = [
    "DEFAULT_PRECISION", "branch_derivative", "comparison_table", "derivatives_latex", "equilibrium_table",
    "format_number", "latex_table", "markdown_table", "parameters_table", "sensitivity_table",
    "simplify_capped", "statics_table", "to_html", "to_latex", "to_markdown",
]

#: Significant digits of numbers in tables unless ``precision=`` says otherwise.
DEFAULT_PRECISION = 4
#: Seconds :func:`simplify_capped` may spend on one expression by default.
SIMPLIFY_SECONDS = 3.0

_TEX_SPECIAL = {"&": r"\&", "%": r"\%", "$": r"\$", "#": r"\#", "_": r"\_", "{": r"\{", "}": r"\}",
                "~": r"\textasciitilde{}", "^": r"\textasciicircum{}", "\\": r"\textbackslash{}"}


def tex_escape(text: str) -> str:
    """Escape LaTeX's special characters in plain text.

    Examples
    --------
    >>> print(tex_escape("p_war & 50%"))
    p\\_war \\& 50\\%
    """
    return "".join(_TEX_SPECIAL.get(c, c) for c in str(text))


def _md_escape(text: str) -> str:
    return str(text).replace("|", r"\|")


# ---------------------------------------------------------------------- numbers
def format_number(v: Any, precision: int = DEFAULT_PRECISION, *, fmt: str = "latex") -> str:
    """A number at ``precision`` significant digits; powers of ten in LaTeX as ``\\times 10^{k}``.

    ``fmt`` is ``"latex"`` (math mode, e.g. ``$-1.5\\times 10^{-5}$``), ``"markdown"``
    (also math, ``$...$``) or ``"text"``. ``None``/NaN print as an em dash.

    Examples
    --------
    >>> format_number(-0.000015, 2), format_number(2.0), format_number(float("nan"))
    ('$-1.5\\\\times 10^{-5}$', '$2$', '—')
    >>> format_number(1234567.0, 3, fmt="text")
    '1.23e+06'
    """
    if v is None:
        return "—"
    if isinstance(v, bool):
        return "yes" if v else "no"
    try:
        x = float(v)
    except (TypeError, ValueError):
        return tex_escape(str(v)) if fmt == "latex" else str(v)
    if math.isnan(x):
        return "—"
    x += 0.0  # no "-0"
    if math.isinf(x):
        body = r"\infty" if x > 0 else r"-\infty"
        return body if fmt == "text" else f"${body}$"
    s = f"{x:.{precision}g}"
    if fmt == "text":
        return s
    if "e" in s:
        mant, exp = s.split("e")
        s = rf"{mant}\times 10^{{{int(exp)}}}"
    return f"${s}$"


# ---------------------------------------------------------------------- generic tables
def latex_table(header: Sequence[str], rows: Sequence[Sequence[str]], *, align: str | None = None,
                caption: str | None = None, label: str | None = None, notes: str | None = None) -> str:
    """A booktabs ``tabular`` (wrapped in a ``table`` float when ``caption`` or ``label`` is given).

    Cells are used as given (already LaTeX). ``notes`` goes below the rule in a footnote-size line.

    Examples
    --------
    >>> print(latex_table(["a", "b"], [["1", "2"]], align="lr"))
    \\begin{tabular}{lr}
    \\toprule
    a & b \\\\
    \\midrule
    1 & 2 \\\\
    \\bottomrule
    \\end{tabular}
    """
    align = align or "l" * len(header)
    lines = [rf"\begin{{tabular}}{{{align}}}", r"\toprule", " & ".join(header) + r" \\", r"\midrule"]
    lines += [" & ".join(r) + r" \\" for r in rows]
    lines += [r"\bottomrule", r"\end{tabular}"]
    if notes:
        lines.append(rf"\par\smallskip{{\footnotesize {notes}\par}}")
    body = "\n".join(lines)
    if caption is None and label is None:
        return body
    head = [r"\begin{table}[htbp]", r"\centering"]
    if caption is not None:
        head.append(rf"\caption{{{caption}}}")
    if label is not None:
        head.append(rf"\label{{{label}}}")
    return "\n".join([*head, body, r"\end{table}"])


def markdown_table(header: Sequence[str], rows: Sequence[Sequence[str]], *, align: str | None = None) -> str:
    """A pipe table (GitHub/MyST flavour); ``align`` letters l/r/c as in LaTeX.

    Examples
    --------
    >>> print(markdown_table(["a", "b"], [["1", "2"]], align="lr"))
    | a | b |
    | :-- | --: |
    | 1 | 2 |
    """
    align = align or "l" * len(header)
    rule = {"l": ":--", "r": "--:", "c": ":-:"}
    lines = ["| " + " | ".join(_md_escape(h) for h in header) + " |",
             "| " + " | ".join(rule[a] for a in align) + " |"]
    lines += ["| " + " | ".join(_md_escape(c) for c in r) + " |" for r in rows]
    return "\n".join(lines)


def html_table(header: Sequence[str], rows: Sequence[Sequence[str]], *, align: str | None = None,
               caption: str | None = None, notes: str | None = None) -> str:
    """An HTML table (cells escaped; ``$...$`` maths is left for MathJax/KaTeX to typeset).

    Examples
    --------
    >>> html_table(["a"], [["<1"]])  # doctest: +NORMALIZE_WHITESPACE
    '<table class="atrogame"><thead><tr><th style="text-align:left">a</th></tr></thead><tbody><tr><td
    style="text-align:left">&lt;1</td></tr></tbody></table>'
    """
    import html

    align = align or "l" * len(header)
    side = {"l": "left", "r": "right", "c": "center"}
    cap = f"<caption>{html.escape(caption)}</caption>" if caption else ""
    head = "".join(f'<th style="text-align:{side[a]}">{html.escape(h)}</th>'
                   for h, a in zip(header, align, strict=True))
    body = "".join("<tr>" + "".join(f'<td style="text-align:{side[a]}">{html.escape(c)}</td>'
                                    for c, a in zip(r, align, strict=True)) + "</tr>" for r in rows)
    foot = f"<p><small>{html.escape(notes)}</small></p>" if notes else ""
    return f'<table class="atrogame">{cap}<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>{foot}'


def _render(fmt: str, header: Sequence[str], rows: Sequence[Sequence[str]], align: str,
            caption: str | None, label: str | None, notes: str | None = None) -> str:
    if fmt == "latex":
        return latex_table(header, rows, align=align, caption=caption, label=label, notes=notes)
    if fmt == "html":
        return html_table(header, rows, align=align, caption=caption, notes=notes)
    text = markdown_table(header, rows, align=align)
    if caption:
        text = f"**{caption}**\n\n{text}"
    if notes:
        text += f"\n\n{notes}"
    return text


def _math(sym: str, fmt: str) -> str:
    return f"${sym}$" if sym else ""


def _text(s: Any, fmt: str) -> str:
    return tex_escape(str(s)) if fmt == "latex" else str(s)


# ---------------------------------------------------------------------- metadata
def _model_class(name: str) -> type[ModelLike] | None:
    from atrogame.core.registry import get_model

    try:
        return get_model(name)
    except (KeyError, ValueError, ImportError):
        return None


def _param_meta(model: ModelLike | type[ModelLike] | None, name: str, model_name: str) -> Mapping[str, Any]:
    src: Any
    for src in (model, _model_class(model_name)):
        if src is None:
            continue
        try:
            params: Any = getattr(src, "Params", None) if isinstance(src, type) else None
            meta = params.meta(name) if params is not None else src.parameter_meta(name)
            return meta
        except (KeyError, AttributeError, TypeError):
            continue
    return {}


def _outcome_meta(model: ModelLike | type[ModelLike] | None, name: str, model_name: str) -> Mapping[str, str]:
    """``symbol``, ``long_name`` and ``units`` of an outcome from the model's declarations (``{}`` if none)."""
    src = model if model is not None else _model_class(model_name)
    for o in getattr(src, "outcomes", ()) if src is not None else ():
        if getattr(o, "name", None) == name:
            return {"symbol": o.symbol, "long_name": o.long_name, "units": o.units}
    return {}


def _code_symbol(name: str) -> str:
    """Fallback when the metadata has no symbol: the code name, upright (one letter stays italic)."""
    return name if len(name) == 1 else r"\mathrm{" + name.replace("_", r"\_") + "}"


def _param_symbol(model: ModelLike | type[ModelLike] | None, name: str, model_name: str,
                  names: Mapping[str, str] | None = None) -> str:
    if names and name in names:
        return names[name]
    meta = _param_meta(model, name, model_name)
    return meta.get("latex") or meta.get("symbol") or _code_symbol(name)


def _outcome_symbol(model: ModelLike | type[ModelLike] | None, name: str, model_name: str) -> str:
    return _outcome_meta(model, name, model_name).get("symbol") or _code_symbol(name)


def _names_by_field(latex_names: Mapping[Any, str]) -> dict[str, str]:
    return {getattr(k, "name", str(k)): v for k, v in latex_names.items()}


# ---------------------------------------------------------------------- derivatives
def _with_alarm(fn: Callable[[], Any], seconds: float) -> Any:
    """Run ``fn`` with a wall-clock cap (SIGALRM in the main thread); ``None`` on timeout."""
    if seconds <= 0:
        return None
    if threading.current_thread() is not threading.main_thread() or not hasattr(signal, "setitimer"):
        return fn()  # no timer off the main thread: callers only pass small expressions there

    class _Timeout(BaseException):  # not an Exception: sympy's own ``except Exception`` must not swallow it
        pass

    def handler(signum: int, frame: Any) -> None:
        raise _Timeout

    old = signal.signal(signal.SIGALRM, handler)
    signal.setitimer(signal.ITIMER_REAL, seconds, 0.05)  # repeats, in case one alarm lands in a C call
    try:
        return fn()
    except _Timeout:
        return None
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)


@functools.lru_cache(maxsize=1024)
def simplify_capped(expr: sp.Expr, seconds: float = SIMPLIFY_SECONDS) -> sp.Expr:
    """The shortest of ``expr``, ``sympy.together(expr)`` and ``sympy.simplify``, within ``seconds``.

    Each candidate gets what is left of the time budget (SIGALRM in the main thread;
    elsewhere only expressions of at most 200 operations are simplified), so a huge
    derivative comes back unchanged rather than hanging. Cached per expression.

    Examples
    --------
    >>> x, y = sp.symbols("x y", positive=True)
    >>> simplify_capped((x**2 - y**2) / (x - y))
    x + y
    """
    import time

    expr = sp.sympify(expr)
    if isinstance(expr, sp.Piecewise):
        return sp.Piecewise(*((simplify_capped(e, seconds / max(1, len(expr.args))), c) for e, c in expr.args))
    if threading.current_thread() is not threading.main_thread() and sp.count_ops(expr) > 200:
        return expr
    best, best_ops = expr, sp.count_ops(expr)
    start = time.monotonic()
    for step in (sp.together, sp.simplify):  # (cancel/factor expand these derivatives: longer, not shorter)
        left = seconds - (time.monotonic() - start)
        cand = _with_alarm(functools.partial(step, best), left)
        if cand is not None:
            ops = sp.count_ops(cand)
            if ops < best_ops:
                best, best_ops = cand, ops
    return best


def branch_derivative(derivative: sp.Expr, parameters: Mapping[str, Any]) -> sp.Expr:
    """The piece of a ``Piecewise`` derivative whose condition holds at ``parameters``.

    The statics derivative is a ``Piecewise`` over the regimes; a table or a paper wants
    the branch that applies. Falls back to the whole expression if no condition can be
    decided there.

    Examples
    --------
    >>> x = sp.Symbol("x", positive=True)
    >>> branch_derivative(sp.Piecewise((2 * x, x < 1), (3, True)), {"x": 5.0})
    3
    """
    if not isinstance(derivative, sp.Piecewise):
        return derivative
    subs = {s: parameters[s.name] for s in derivative.free_symbols if s.name in parameters
            and isinstance(parameters[s.name], int | float)}
    for expr, cond in derivative.args:
        try:
            holds = cond.xreplace(subs) if cond is not sp.true else sp.true
        except (TypeError, AttributeError):
            return derivative
        if holds is sp.true or holds is True:
            return expr
        if holds is not sp.false and holds is not False:
            return derivative
    return derivative


def derivatives_latex(cs: Any, *, model: ModelLike | type[ModelLike] | None = None, simplify: bool = True,
                      seconds: float = SIMPLIFY_SECONDS, env: str = "align*") -> str:
    """The derivatives of a :class:`~atrogame.core.results.ComparativeStatics`, in the model's notation.

    Each derivative is the branch that holds at the statics' parameter point
    (:func:`branch_derivative`), simplified within ``seconds`` (:func:`simplify_capped`),
    and printed with the metadata's symbols (parameters and outcomes).

    Examples
    --------
    >>> from atrogame.testing.models import Toy
    >>> print(derivatives_latex(Toy().comparative_statics(of="x", wrt="benefit")))
    \\begin{align*}
    \\frac{\\partial x}{\\partial b} &= \\frac{1}{c}
    \\end{align*}
    """
    names = dict(cs.latex_names)
    by_field = _names_by_field(names)
    rows = []
    for e in cs.entries:
        d = branch_derivative(e.derivative, cs.parameters)
        if simplify:
            d = simplify_capped(d, seconds)
        o = _outcome_symbol(model, e.outcome, cs.model)
        w = _param_symbol(model, e.wrt, cs.model, by_field)
        rows.append(rf"\frac{{\partial {o}}}{{\partial {w}}} &= {sp.latex(d, symbol_names=names)}")
    return f"\\begin{{{env}}}\n" + " \\\\\n".join(rows) + f"\n\\end{{{env}}}"


# ---------------------------------------------------------------------- tables of results
def statics_table(cs: Any, fmt: str = "latex", *, precision: int = DEFAULT_PRECISION,
                  model: ModelLike | type[ModelLike] | None = None,
                  caption: str | None = None, label: str | None = None, derivatives: bool = False,
                  seconds: float = SIMPLIFY_SECONDS) -> str:
    """Comparative statics as a table: sign first, then value, elasticity, regime, numeric check.

    ``Sign (proof)`` is what sympy proved on the branch (docs/explanation/signs.md); the
    ``Numeric check`` column shows the separate numeric verdict and its number of points,
    only where the proof is ``ambiguous``. With ``derivatives=True`` (LaTeX) the
    simplified derivatives follow the table in an ``align*`` block.
    """
    by_field = _names_by_field(cs.latex_names)
    header = ["Outcome", "Parameter", "Sign (proof)", "Value", "Elasticity", "Regime", "Numeric check"]
    rows = []
    for e in cs.entries:
        check = "" if e.numeric_sign is None else f"{e.numeric_sign} ({e.numeric_points} points)"
        regime = e.regime + (" (boundary)" if e.boundary else "")
        rows.append([_math(_outcome_symbol(model, e.outcome, cs.model), fmt),
                     _math(_param_symbol(model, e.wrt, cs.model, by_field), fmt),
                     e.sign, format_number(e.value, precision, fmt=fmt),
                     format_number(e.elasticity, precision, fmt=fmt), _text(regime, fmt), _text(check, fmt)])
    out = _render(fmt, header, rows, "lllrrll", caption, label)
    if derivatives and fmt == "latex":
        out += "\n" + derivatives_latex(cs, model=model, seconds=seconds)
    elif derivatives and fmt == "markdown":
        out += "\n\n$$\n" + derivatives_latex(cs, model=model, seconds=seconds, env="aligned") + "\n$$"
    return out


def equilibrium_table(eq: Any, fmt: str = "latex", *, precision: int = DEFAULT_PRECISION,
                      model: ModelLike | type[ModelLike] | None = None,
                      caption: str | None = None, label: str | None = None) -> str:
    """Outcomes of an :class:`~atrogame.core.results.Equilibrium`: symbol, name, value, units."""
    header = ["Symbol", "Outcome", "Value", "Units"]
    rows = []
    for k, v in eq.outcomes.items():
        meta = _outcome_meta(model, k, eq.model)
        rows.append([_math(meta.get("symbol") or _code_symbol(k), fmt),
                     _text(meta.get("long_name", k.replace("_", " ")), fmt),
                     format_number(v, precision, fmt=fmt), _text(meta.get("units", ""), fmt)])
    notes = _text(f"Regime: {eq.regime}.", fmt)
    return _render(fmt, header, rows, "llrl", caption, label, notes if caption else None)


def parameters_table(model: ModelLike | type[ModelLike], fmt: str = "latex", *, precision: int = DEFAULT_PRECISION,
                     caption: str | None = None, label: str | None = None) -> str:
    """A model's parameters: symbol, description, value, domain, sweep range, units.

    ``model`` is a model instance (its values are shown) or class (its defaults).
    """
    inst = model() if isinstance(model, type) else model
    vals = inst.parameter_values()
    header = ["Symbol", "Parameter", "Value", "Domain", "Sweep range", "Units"]
    rows = []
    for k, v in vals.items():
        m = inst.parameter_meta(k)
        sr = m.get("sweep_range")
        srt = "—" if sr is None else f"[{format_number(sr[0], precision, fmt='text')}, " \
                                       f"{format_number(sr[1], precision, fmt='text')}]"
        dom = str(m.get("interval", "")).replace("inf", r"\infty" if fmt == "latex" else "∞")
        rows.append([_math(m.get("latex") or m.get("symbol") or _code_symbol(k), fmt),
                     _text(m.get("long_name", k), fmt), format_number(v, precision, fmt=fmt),
                     f"${dom}$" if fmt == "latex" else dom, srt, _text(m.get("units", ""), fmt)])
    return _render(fmt, header, rows, "llrlll", caption, label)


_INDEX_LATEX = {"S1": "S_1", "ST": "S_T", "mu_star": r"\mu^*", "mu": r"\mu", "sigma": r"\sigma",
                "delta": r"\delta", "S2": "S_2"}


def sensitivity_table(si: Any, fmt: str = "latex", *, precision: int = 3,
                      model: ModelLike | type[ModelLike] | None = None,
                      caption: str | None = None, label: str | None = None) -> str:
    """Sensitivity indices, one row per parameter (symbol), with ``± half-width`` of the interval.

    Rows are sorted by the main index (largest first); the caption-notes record method, number
    of evaluations, seed and confidence level so the table can be reproduced.
    """
    keys = [k for k in si.indices if not k.endswith("_conf")]
    header = ["Parameter", *[_math(_INDEX_LATEX.get(k, k), fmt) if fmt == "latex" else k for k in keys]]
    order = sorted(range(len(si.parameters)),
                   key=lambda i: -abs(_finite(si.indices[si.main_index][i])))
    rows = []
    for i in order:
        p = si.parameters[i]
        row = [_math(_param_symbol(model, p, si.model), fmt)]
        for k in keys:
            v = si.indices[k][i]
            conf = si.indices.get(f"{k}_conf")
            cell = format_number(v, precision, fmt="text")
            if conf is not None and math.isfinite(_finite(conf[i])):
                pm = r" \pm " if fmt == "latex" else " ± "
                cell += pm + format_number(conf[i], precision, fmt="text")
            row.append(f"${cell}$" if fmt == "latex" else cell)
        rows.append(row)
    notes = _text(f"{si.method} indices of {si.outcome} ({si.model}); {si.n_evaluations} evaluations, "
                  f"seed {si.seed}, {si.conf_level:.0%} intervals"
                  + (f", regime {si.regime}" if si.regime else "") + ".", fmt)
    return _render(fmt, header, rows, "l" + "r" * len(keys), caption, label, notes)


def _finite(v: Any) -> float:
    try:
        x = float(v)
    except (TypeError, ValueError):
        return 0.0
    return x if math.isfinite(x) else 0.0


def comparison_table(c: Any, fmt: str = "latex", *, precision: int = DEFAULT_PRECISION,
                     model: ModelLike | type[ModelLike] | None = None,
                     caption: str | None = None, label: str | None = None) -> str:
    """Tools compared on one model: tool, strategy, outcome (symbol), before, after, change, marginal.

    Tools the model does not represent keep their row, with an em dash and a note.
    """
    header = ["Tool", "Strategy", "Outcome", "Before", "After", "Change", "Marginal"]
    rows = []
    df = c.to_dataframe()
    for _, r in df.iterrows():
        cells = [_text(r["name"], fmt), _text(r["strategy"], fmt),
                 _math(_outcome_symbol(model, r["outcome"], c.model), fmt)]
        if r["represented"]:
            cells += [format_number(r[k], precision, fmt=fmt) for k in ("before", "after", "change", "marginal")]
        else:
            cells += ["—", "—", _text("not represented", fmt), "—"]
        rows.append(cells)
    return _render(fmt, header, rows, "lllrrrr", caption, label)


def backfire_table(b: Any, fmt: str = "latex", *, precision: int = DEFAULT_PRECISION,
                   model: ModelLike | type[ModelLike] | None = None,
                   caption: str | None = None, label: str | None = None) -> str:
    """Backfire probability, mean effect with its 95% interval, quantiles, draws and seed."""
    header = ["Tool", "Outcome", "P(backfire)", "Mean effect", "95% CI", "Draws", "Seed"]
    ci = (f"[{format_number(b.ci_low, precision, fmt='text')}, {format_number(b.ci_high, precision, fmt='text')}]")
    row = [_text(b.tool.name, fmt), _math(_outcome_symbol(model, b.outcome, b.model), fmt),
           format_number(b.probability, precision, fmt=fmt), format_number(b.expected_effect, precision, fmt=fmt),
           f"${ci}$" if fmt == "latex" else ci, str(b.n), str(b.seed)]
    return _render(fmt, header, [row], "llrrrrr", caption, label)


def dataframe_table(df: Any, fmt: str = "latex", *, precision: int = DEFAULT_PRECISION,
                    caption: str | None = None, label: str | None = None, index: bool = True) -> str:
    """Any ``pandas.DataFrame`` as a booktabs/Markdown table, without Jinja2.

    Examples
    --------
    >>> import pandas as pd
    >>> print(dataframe_table(pd.DataFrame({"a_b": [0.123456]}, index=["x"]), "markdown", precision=2))
    |  | a_b |
    | :-- | --: |
    | x | $0.12$ |
    """
    import numpy as np
    from pandas.api.types import is_numeric_dtype

    if index and "tool" in df.columns and df.index.name is None:
        df = df.set_index("tool")  # per-tool tables (net assessment) are keyed by tool
    cols = list(df.columns)
    header = ([str(df.index.name or "")] if index else []) + [_text(c, fmt) for c in cols]
    rows = []
    for idx, r in df.iterrows():
        cells = [_text(idx, fmt)] if index else []
        for c in cols:
            v = r[c]
            num = isinstance(v, int | float | np.number) and not isinstance(v, bool)
            cells.append(format_number(v, precision, fmt=fmt) if num else _text(v, fmt))
        rows.append(cells)
    align = ("l" if index else "") + "".join(
        "r" if is_numeric_dtype(df[c].dtype) and df[c].dtype != bool else "l" for c in cols)
    return _render(fmt, header, rows, align, caption, label)


# ---------------------------------------------------------------------- dispatch
def _table_for(obj: Any) -> Callable[..., str]:
    from atrogame.core.results import ComparativeStatics, Equilibrium

    if isinstance(obj, ComparativeStatics):
        return statics_table
    if isinstance(obj, Equilibrium):
        return equilibrium_table
    kind = type(obj).__name__
    table = {"SensitivityResult": sensitivity_table, "Comparison": comparison_table,
             "BackfireResult": backfire_table}.get(kind)
    if table is not None:
        return table
    if hasattr(obj, "parameter_values") and hasattr(obj, "parameter_meta"):
        return parameters_table
    if hasattr(obj, "to_dataframe") or hasattr(obj, "iterrows"):
        return lambda o, fmt, **kw: dataframe_table(o if hasattr(o, "iterrows") else o.to_dataframe(), fmt, **{
            k: v for k, v in kw.items() if k in ("precision", "caption", "label")})
    raise TypeError(f"no table for {kind}; pass a result, a model or a pandas.DataFrame")


def to_latex(obj: Any, **kwargs: Any) -> str:
    """A booktabs LaTeX table of a result, a model's parameters or a DataFrame (see the module docstring)."""
    return _table_for(obj)(obj, "latex", **kwargs)


def to_markdown(obj: Any, **kwargs: Any) -> str:
    """A Markdown pipe table of a result, a model's parameters or a DataFrame."""
    return _table_for(obj)(obj, "markdown", **kwargs)


def to_html(obj: Any, **kwargs: Any) -> str:
    """An HTML table of a result, a model's parameters or a DataFrame (for Jupyter's ``_repr_html_``)."""
    return _table_for(obj)(obj, "html", **kwargs)


def latex_document(*bodies: str) -> str:
    """A minimal standalone LaTeX document around tables/derivatives (what the tests compile)."""
    pre = "\\documentclass{article}\n\\usepackage{booktabs}\n\\usepackage{amsmath}\n\\usepackage{amssymb}\n" \
          "\\usepackage[T1]{fontenc}\n\\usepackage[utf8]{inputenc}\n\\usepackage[margin=1.5cm,landscape]{geometry}\n"
    body = "\n\n\\bigskip\n\n".join(bodies)
    return pre + "\\begin{document}\n" + _UNICODE.sub(lambda m: _UNICODE_TEX[m.group()], body) + "\n\\end{document}\n"


_UNICODE_TEX = {"—": "---", "–": "--", "→": r"$\to$", "≤": r"$\le$", "≥": r"$\ge$", "±": r"$\pm$", "∞": r"$\infty$",
                "×": r"$\times$"}
_UNICODE = re.compile("|".join(map(re.escape, _UNICODE_TEX)))
