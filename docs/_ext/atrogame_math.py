"""Sphinx extension: render maths from atrogame's own sympy expressions.

Two directives, so no equation and no figure in the docs is retyped by hand:

```{atrogame-math}
atrogame.KyddStraus.derivation().latex("offer")
```

evaluates the Python expression (with ``atrogame``, ``sympy as sp`` and ``numpy as np``
in scope). A string result is used as LaTeX; a sympy object is printed with
``sympy.latex``. The result is emitted as a display-math block.

```{atrogame-figure} ks-road-to-hell
```

builds the registered figure with ``atrogame.figures.make`` and includes it with
its registered caption.

```{atrogame-table}
atrogame.tools.catalogue()[["name", "strategies", "kydd_straus"]]
```

evaluates an expression returning a ``pandas.DataFrame`` and renders it as a table (the
index becomes the first column), so parameter tables and catalogues are never retyped.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from docutils import nodes
from docutils.parsers.rst import Directive
from sphinx.util.docutils import SphinxDirective


def _eval(code: str) -> Any:
    import numpy as np
    import sympy as sp

    import atrogame

    scope = {"atrogame": atrogame, "ag": atrogame, "sp": sp, "np": np}
    return eval(code, scope)  # docs are trusted project files


class AtrogameMath(Directive):
    has_content = True

    def run(self) -> list[nodes.Node]:
        import sympy as sp

        code = "\n".join(self.content).strip()
        try:
            value = _eval(code)
        except Exception as exc:  # surface as a Sphinx error (fails -W builds)
            raise self.error(f"atrogame-math: evaluating {code!r} failed: {exc!r}") from exc
        latex = value if isinstance(value, str) else sp.latex(value)
        node = nodes.math_block(latex, latex, nowrap=False, number=None)
        return [node]


class AtrogameFigure(SphinxDirective):
    required_arguments = 1
    has_content = False

    def run(self) -> list[nodes.Node]:
        from atrogame import figures

        fid = self.arguments[0]
        out = Path(self.env.app.srcdir) / "_generated" / "figures"
        try:
            spec = figures.get(fid)
            figures.make(fid, out, formats=("png",), dpi=110)
        except Exception as exc:
            raise self.error(f"atrogame-figure: {fid}: {exc!r}") from exc
        rel = f"/_generated/figures/{fid}.png"
        fig = nodes.figure()
        fig += nodes.image(uri=rel, alt=spec.caption)
        fig += nodes.caption(text=spec.caption)
        return [fig]


class AtrogameTable(Directive):
    has_content = True

    def run(self) -> list[nodes.Node]:
        code = "\n".join(self.content).strip()
        try:
            df = _eval(code)
            df = df.reset_index()
        except Exception as exc:
            raise self.error(f"atrogame-table: evaluating {code!r} failed: {exc!r}") from exc
        table = nodes.table()
        group = nodes.tgroup(cols=len(df.columns))
        table += group
        for _ in df.columns:
            group += nodes.colspec(colwidth=1)
        head = nodes.thead()
        group += head
        head += self._row([str(c) for c in df.columns])
        body = nodes.tbody()
        group += body
        for rec in df.itertuples(index=False):
            body += self._row([_cell(v) for v in rec])
        return [table]

    @staticmethod
    def _row(cells: list[str]) -> nodes.row:
        row = nodes.row()
        for text in cells:
            entry = nodes.entry()
            entry += nodes.paragraph(text=text)
            row += entry
        return row


def _cell(v: Any) -> str:
    if isinstance(v, float):
        return f"{v:.6g}"
    return str(v)


def setup(app: Any) -> dict[str, Any]:
    app.add_directive("atrogame-math", AtrogameMath)
    app.add_directive("atrogame-figure", AtrogameFigure)
    app.add_directive("atrogame-table", AtrogameTable)
    return {"parallel_read_safe": True, "version": "0.1"}
